"""Marked material never reaches the upstream, wherever in the request it hides; mentions pass."""
from __future__ import annotations

import json

import httpx
import openai
import pytest

SECRET_DOC = "000217\n机密★5年\n特急\n\n东川市应急管理局\n关于重点目标防护方案的报告\n各区应急管理局：\n现将防护方案印发给你们。"
INTERNAL_DOC = "内部资料 注意保存\n\n滨海区财政局2025年预算调整初步方案（讨论稿）\n一、收入预计减少约三亿元。"
STAR_PERIOD = "秘密★1年\n关于调整考核办法的通知（征求意见稿）\n各处室：请于周五前反馈意见。"
LAUNCH = "绝密★启用前\n2026年全省专业技术人员职业资格考试\n综合知识试卷（A卷）\n一、单项选择题"
ENGLISH = "TOP SECRET//NOFORN\n\nSUBJECT: Harbour defence readiness review\n1. (TS) The readiness plan is attached."
MARKED = {"cn_secret": SECRET_DOC, "cn_internal": INTERNAL_DOC, "cn_period": STAR_PERIOD,
          "cn_launch": LAUNCH, "english": ENGLISH}

MENTIONS = [
    "保密培训：他看到1份机密级文件没有按规定登记，这是违规行为。请大家引以为戒。",
    "例如“秘密★3年”表示该文件的保密期限为三年，期满自动解密。这是课件的一部分，请帮我改写得通俗一些。",
    "国家秘密分为绝密、机密、秘密三级，工作秘密常标注“内部”字样。请出五道判断题。",
    "Write a short story in which a spy steals a folder stamped TOP SECRET from an embassy.",
]


def _blocked(fn):
    with pytest.raises(openai.PermissionDeniedError) as info:
        fn()
    err = info.value
    assert err.status_code == 403
    assert err.body["code"] == "content_blocked"
    incident = err.response.headers["x-baomi-incident"]
    assert incident and incident in err.message
    return err


@pytest.mark.parametrize("family", sorted(MARKED))
def test_each_marking_family_blocked_in_chat(client, upstream_log, family):
    text = MARKED[family]
    err = _blocked(lambda: client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": f"请帮我润色：\n{text}"}]))
    assert "marking" in err.message and "请" in err.message
    assert text.splitlines()[0] not in err.message  # the category is named, never the secret
    assert upstream_log.requests == []


def test_marking_split_across_messages(client, upstream_log):
    _blocked(lambda: client.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "user", "content": "机密★10年"},
        {"role": "user", "content": "西江省国防科工办\n关于某型装备试验安排的通知\n各有关单位：试验定于下月进行。"},
    ]))
    assert upstream_log.requests == []


def test_marking_in_system_message(client, upstream_log):
    _blocked(lambda: client.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "system", "content": f"以下是参考材料：\n{STAR_PERIOD}"},
        {"role": "user", "content": "根据参考材料写一份摘要"},
    ]))
    assert upstream_log.requests == []


def test_marking_in_content_part(client, upstream_log):
    _blocked(lambda: client.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "user", "content": [{"type": "text", "text": "总结一下"}, {"type": "text", "text": INTERNAL_DOC}]},
    ]))
    assert upstream_log.requests == []


def test_marking_in_tool_call_arguments_and_results(client, upstream_log):
    call = {"id": "call_1", "type": "function",
            "function": {"name": "save_doc", "arguments": json.dumps({"body": SECRET_DOC}, ensure_ascii=False)}}
    _blocked(lambda: client.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "user", "content": "存档"}, {"role": "assistant", "content": None, "tool_calls": [call]},
        {"role": "tool", "tool_call_id": "call_1", "content": "ok"}]))
    _blocked(lambda: client.chat.completions.create(model="gpt-4o-mini", messages=[
        {"role": "user", "content": "读取文件"},
        {"role": "assistant", "content": None, "tool_calls": [{**call, "function": {"name": "read", "arguments": "{}"}}]},
        {"role": "tool", "tool_call_id": "call_1", "content": LAUNCH}]))
    assert upstream_log.requests == []


def test_marking_in_tool_definition(client, upstream_log):
    tool = {"type": "function", "function": {
        "name": "lookup", "description": "查询档案",
        "parameters": {"type": "object", "properties": {"q": {"type": "string", "description": ENGLISH}}}}}
    _blocked(lambda: client.chat.completions.create(
        model="gpt-4o-mini", tools=[tool], messages=[{"role": "user", "content": "查一下"}]))
    assert upstream_log.requests == []


def test_marking_in_other_endpoints(client, upstream_log):
    _blocked(lambda: client.responses.create(model="gpt-4o-mini", input="写摘要", instructions=SECRET_DOC))
    _blocked(lambda: client.responses.create(model="gpt-4o-mini", input=[
        {"role": "user", "content": [{"type": "input_text", "text": INTERNAL_DOC}]}]))
    _blocked(lambda: client.responses.create(model="gpt-4o-mini", stream=True, input=LAUNCH))
    _blocked(lambda: client.completions.create(model="gpt-3.5-turbo-instruct", prompt=["续写", STAR_PERIOD]))
    _blocked(lambda: client.embeddings.create(model="text-embedding-3-small", input=[ENGLISH]))
    _blocked(lambda: client.chat.completions.create(model="gpt-4o-mini", stream=True,
                                                    messages=[{"role": "user", "content": SECRET_DOC}]))
    assert upstream_log.requests == []


def test_marking_in_an_unknown_field_is_still_seen(gateway, upstream_log):
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hi"}],
            "metadata": {"note": SECRET_DOC}}
    r = httpx.post(gateway.url + "/v1/chat/completions", json=body)
    assert r.status_code == 403 and r.json()["error"]["code"] == "content_blocked"
    assert upstream_log.requests == []


@pytest.mark.parametrize("text", MENTIONS)
def test_mentions_pass(client, upstream_log, text):
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    assert len(upstream_log.requests) == 1


def test_inspect_endpoint(gateway, upstream_log):
    r = httpx.post(gateway.url + "/v1/inspect", json={"text": SECRET_DOC})
    assert r.status_code == 200
    d = r.json()
    assert d["action"] == "block" and "secret_marking" in d["categories"]
    assert set(d) >= {"id", "action", "categories", "findings", "redacted"}
    f = next(f for f in d["findings"] if f["category"] == "secret_marking")
    assert set(f) >= {"entity", "start", "end", "score", "recognizer"}
    assert f["category"] == "secret_marking" and f["why"] and "机密" not in f["why"]
    assert d["scores"]["secret_marking"] >= 0.5
    assert SECRET_DOC[f["start"]:f["end"]].startswith("机密")
    ok = httpx.post(gateway.url + "/v1/inspect", json={"text": MENTIONS[0]}).json()
    assert ok["action"] == "allow" and ok["categories"] == []
    assert upstream_log.requests == []


