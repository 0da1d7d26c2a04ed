"""Placeholders into text, segments and the payload: spans, segment boundaries, paths, JSON inside strings."""
from __future__ import annotations

import copy
import json
import re

import pytest

from proxy.flow import Finding, Segment
from proxy.redact.rewrite import (RedactionError, locate, merge_spans, redact_payload, redact_segments,
                                  redact_text)
from proxy.redact.vault import Vault
from proxy.wire.endpoints import ENDPOINTS, extract_payload
from proxy.wire.shape import json_strings
from proxy.wire.sweep import strings

CHAT = ENDPOINTS["/v1/chat/completions"]


def doc_of(segments: list[Segment]) -> str:
    return "\n".join(s.text for s in segments)  # proxy.pipeline.detect.document


def f(entity: str, start: int, end: int, score: float = 0.9) -> Finding:
    return Finding(entity, start, end, score, "test", "personal_data")


def find_all(doc: str, values: dict[str, str]) -> list[Finding]:
    """Synthetic findings at every occurrence of each known value."""
    return [f(entity, m.start(), m.end()) for value, entity in values.items()
            for m in re.finditer(re.escape(value), doc)]


def extract(payload):
    segments, _, _ = extract_payload(CHAT, payload)
    return segments


# ---- text and spans -----------------------------------------------------------------------------------------


def test_redact_text_same_value_same_placeholder():
    text = "王小明的手机 13800138000，再说一遍 138 0013 8000，王小明。"
    v = Vault()
    got = redact_text(text, find_all(text, {"王小明": "PERSON_NAME", "13800138000": "PHONE_NUMBER",
                                            "138 0013 8000": "PHONE_NUMBER"}), v, spread=False)
    assert got == "〔人名1〕的手机 〔手机号1〕，再说一遍 〔手机号1〕，〔人名1〕。"
    assert v.mapping() == {"〔人名1〕": "王小明", "〔手机号1〕": "13800138000"}


def test_redact_text_without_findings_is_the_text():
    v = Vault()
    assert redact_text("nothing", [], v) == "nothing" and len(v) == 0


def test_overlapping_findings_become_one_replacement():
    text = "住址：北京市海淀区中关村大街1号 13800138000"
    a, p = text.index("北京"), text.index("138")
    addr = f("ADDRESS", a, p - 1, 0.7)
    inner = f("PERSON_NAME", a + 6, a + 9, 0.5)  # inside the address, weaker
    phone = f("PHONE_NUMBER", p, p + 11, 0.95)
    tail = f("ADDRESS", p - 4, p + 11, 0.6)  # overlaps both the address and the phone: one union span
    spans = merge_spans([phone, inner, addr, tail])
    assert [(s, e, b.entity) for s, e, b in spans] == [(a, p + 11, "PHONE_NUMBER")]
    v = Vault()
    assert redact_text(text, [addr, inner], v) == "住址：〔地址1〕 13800138000"
    # equal scores: the longer span names the entity
    assert merge_spans([f("PERSON_NAME", 0, 3, 0.8), f("ADDRESS", 0, 8, 0.8)])[0][2].entity == "ADDRESS"


def test_touching_findings_stay_two():
    v = Vault()
    assert redact_text("王小明13800138000", [f("PERSON_NAME", 0, 3), f("PHONE_NUMBER", 3, 14)], v) \
        == "〔人名1〕〔手机号1〕"


def test_recurrence_of_a_found_value_is_replaced_too():
    text = "客户王小明来电。\n姓名：王小明，号码13800138000；订单913800138000。"
    n, p = text.index("王小明", 5), text.index("138")
    v = Vault()
    got = redact_text(text, [f("PERSON_NAME", n, n + 3), f("PHONE_NUMBER", p, p + 11)], v)
    # the bare mention in the first line goes too; a longer digit run that merely contains the number stays
    assert got == "客户〔人名1〕来电。\n姓名：〔人名1〕，号码〔手机号1〕；订单913800138000。"
    assert redact_text(text, [f("PERSON_NAME", n, n + 3)], Vault(), spread=False).startswith("客户王小明")


def test_reserved_placeholders_in_the_text_are_skipped():
    text = "模板里的〔人名1〕请保留；联系人王小明"
    v = Vault()
    i = text.index("王小明")
    assert redact_text(text, [f("PERSON_NAME", i, i + 3)], v) == "模板里的〔人名1〕请保留；联系人〔人名2〕"
    assert v.mapping() == {"〔人名2〕": "王小明"}


def test_offsets_outside_the_document_fail():
    with pytest.raises(RedactionError):
        redact_text("short", [f("PERSON_NAME", 2, 40)], Vault())


def test_finding_spanning_two_segments():
    segs = [Segment("a", "请联系 138"), Segment("b", "0013 8000 谢谢"), Segment("c", "13800138000")]
    doc = doc_of(segs)
    start = doc.index("138")
    v = Vault()
    texts, n = redact_segments(segs, [f("PHONE_NUMBER", start, doc.index(" 谢谢")),
                                      f("PHONE_NUMBER", doc.index("13800138000"), len(doc))], v)
    assert texts == ["请联系 〔手机号1〕", " 谢谢", "〔手机号1〕"]
    assert n == 2
    assert v.mapping() == {"〔手机号1〕": "138\n0013 8000"}


def test_finding_starting_on_the_separator():
    segs = [Segment("a", "电话"), Segment("b", "13800138000")]
    texts, n = redact_segments(segs, [f("PHONE_NUMBER", 2, 14)], Vault())
    assert texts == ["电话", "〔手机号1〕"] and n == 1


# ---- paths --------------------------------------------------------------------------------------------------

GNARLY = {
    "model": "m",
    "a.b": "dotted key",
    "a": {"b": "nested b", "[0]": "bracket key", "": "empty key", "x#key": "hash key", "ok": ""},
    "list": [["deep", {"k k": "v v"}], 3, None, True, "tail"],
    "{\"j\": \"json key\"}": "value of a json key",
    "args": json.dumps({"p": "inner", "n": [json.dumps({"q": "inner2"})], "[x": "y", "": "e"}),
    "名字 王小明": "key with data",
}


def test_locator_paths_are_the_paths_of_strings_and_json_strings():
    index = locate(copy.deepcopy(GNARLY))
    plain = list(strings(GNARLY))
    assert [p for p in index if "#json" not in p] == list(dict.fromkeys(p for p, _ in plain))  # same order
    assert sorted((p, s.text()) for p, slots in index.items() if "#json" not in p for s in slots) == sorted(plain)
    inner = {(f"{p}#json{q}", t) for p, s in plain for q, t in json_strings(s) or ()}
    got = {(p, s.text()) for p, slots in index.items() if "#json" in p for s in slots}
    # the index also holds the JSON strings themselves (json_strings replaces them by their contents)
    assert inner <= got and all(json_strings(t) for _, t in got - inner)
    assert "args#json.n[0]#json.q" in index and 'x.{"j": "json key"}#key#json.j' not in index
    assert '{"j": "json key"}#key#json.j' in index  # a key that is JSON text, as the sweep reads it
    assert len(index["a.b"]) == 2  # "a.b" is both the dotted key and a.b: the text tells them apart


def test_ambiguous_path_resolved_by_the_text():
    payload = copy.deepcopy(GNARLY)
    segs = [Segment("a.b", "nested b"), Segment("a.b", "dotted key")]
    doc = doc_of(segs)
    assert redact_payload(payload, segs, [f("X_WORD", doc.index("nested"), doc.index("nested") + 6)], Vault()) == 1
    assert payload["a"]["b"] == "〔X_WORD1〕 b" and payload["a.b"] == "dotted key"


def test_rich_chat_payload_paths_round_trip():
    args = {"name": "王小明", "phone": "13800138000", "limit": 5, "nested": json.dumps({"who": "王小明"}, ensure_ascii=False)}
    payload = {
        "model": "gpt-x",
        "messages": [
            {"role": "system", "content": "客服助手"},
            {"role": "user", "content": [{"type": "text", "text": "我是王小明，电话13800138000"},
                                         {"type": "text", "text": "邮箱 wxm@example.com", "note": "备注 王小明"}]},
            {"role": "assistant", "content": None, "tool_calls": [{"id": "call_1", "type": "function", "function": {
                "name": "lookup", "arguments": json.dumps(args, ensure_ascii=False)}}]},
            {"role": "tool", "tool_call_id": "call_1", "content": json.dumps({"result": "wxm@example.com 已找到"})},
        ],
        "tools": [{"type": "function", "function": {
            "name": "lookup", "description": "查询客户，例如王小明",
            "parameters": {"type": "object", "properties": {
                "联系人 王小明": {"type": "string"},
                "phone": {"type": "string", "description": "如 13800138000"}}}}}],
        "metadata": {"extra field": "王小明的备用邮箱 wxm@example.com"},
    }
    original = copy.deepcopy(payload)
    segs = extract(payload)
    doc = doc_of(segs)
    values = {"王小明": "PERSON_NAME", "13800138000": "PHONE_NUMBER", "wxm@example.com": "EMAIL_ADDRESS"}
    v = Vault()
    n = redact_payload(payload, segs, find_all(doc, values), v)
    out = json.dumps(payload, ensure_ascii=False)
    assert not any(value in out for value in values)
    assert n == sum(doc.count(value) for value in values)
    assert v.mapping() == {"〔人名1〕": "王小明", "〔手机号1〕": "13800138000", "〔邮箱1〕": "wxm@example.com"}
    # every place kept its shape; only the texts changed
    msgs = payload["messages"]
    assert msgs[1]["content"][0]["text"] == "我是〔人名1〕，电话〔手机号1〕"
    assert msgs[1]["content"][1] == {"type": "text", "text": "邮箱 〔邮箱1〕", "note": "备注 〔人名1〕"}
    got_args = json.loads(msgs[2]["tool_calls"][0]["function"]["arguments"])
    assert got_args == {"name": "〔人名1〕", "phone": "〔手机号1〕", "limit": 5, "nested": json.dumps({"who": "〔人名1〕"},
                                                                                                ensure_ascii=False)}
    assert list(got_args) == list(args)
    assert json.loads(msgs[3]["content"]) == {"result": "〔邮箱1〕 已找到"}
    props = payload["tools"][0]["function"]["parameters"]["properties"]
    assert list(props) == ["联系人 〔人名1〕", "phone"] and props["phone"]["description"] == "如 〔手机号1〕"
    assert payload["metadata"] == {"extra field": "〔人名1〕的备用邮箱 〔邮箱1〕"}
    assert msgs[2]["tool_calls"][0]["id"] == "call_1" and payload["model"] == "gpt-x"
    # the redacted payload extracts to the same places, and nothing else moved
    assert [s.path.replace("王小明", "〔人名1〕") for s in segs] == [s.path for s in extract(payload)]
    assert original["messages"][0] == msgs[0]


def test_json_arguments_rewritten_only_when_changed():
    raw = '{"a":  "keep",\n "b": "13800138000"}'
    untouched = '{"x":   "no data here"}'
    payload = {"model": "m", "messages": [{"role": "assistant", "tool_calls": [
        {"type": "function", "function": {"name": "f", "arguments": raw}},
        {"type": "function", "function": {"name": "g", "arguments": untouched}}]}]}
    segs = extract(payload)
    doc = doc_of(segs)
    i = doc.index("13800138000")
    assert redact_payload(payload, segs, [f("PHONE_NUMBER", i, i + 11)], Vault()) == 1
    calls = payload["messages"][0]["tool_calls"]
    assert calls[0]["function"]["arguments"] == '{"a": "keep", "b": "〔手机号1〕"}'
    assert calls[1]["function"]["arguments"] is untouched  # same object: formatting kept


def test_key_rename_keeps_order_and_values():
    payload = {"model": "m", "messages": [{"role": "user", "content": "hi"}],
               "ext": {"first": 1, "王小明 的档案": {"x": "王小明"}, "last": 3}}
    segs = extract(payload)
    doc = doc_of(segs)
    redact_payload(payload, segs, find_all(doc, {"王小明": "PERSON_NAME"}), Vault())
    assert list(payload["ext"]) == ["first", "〔人名1〕 的档案", "last"]
    assert payload["ext"]["〔人名1〕 的档案"] == {"x": "〔人名1〕"}


def test_key_rename_collision_fails_closed():
    payload = {"model": "m", "messages": [], "ext": {"王小明 a": 1, "王 小明 a": 2}}
    segs = extract(payload)
    doc = doc_of(segs)
    findings = [f("PERSON_NAME", m.start(), m.end()) for m in re.finditer("王 ?小明", doc)]
    with pytest.raises(RedactionError):
        redact_payload(payload, segs, findings, Vault())


def test_unknown_path_raises_without_quoting_text():
    payload = {"model": "m", "messages": [{"role": "user", "content": "王小明"}]}
    segs = [Segment("messages[0].contents", "王小明")]
    with pytest.raises(RedactionError) as err:
        redact_payload(payload, segs, [f("PERSON_NAME", 0, 3)], Vault())
    assert "王小明" not in str(err.value) and "contents" not in str(err.value)
    assert payload["messages"][0]["content"] == "王小明"


def test_changed_payload_text_raises():
    payload = {"model": "m", "messages": [{"role": "user", "content": "李建国"}]}
    with pytest.raises(RedactionError):
        redact_payload(payload, [Segment("messages[0].content", "王小明")], [f("PERSON_NAME", 0, 3)], Vault())


def test_payload_without_findings_is_untouched():
    payload = {"model": "m", "messages": [{"role": "user", "content": "王小明 13800138000"},
                                          {"role": "assistant", "tool_calls": [{"type": "function", "function": {
                                              "name": "f", "arguments": '{"x":  1}'}}]}]}
    before = copy.deepcopy(payload)
    inner = payload["messages"][1]["tool_calls"][0]["function"]
    v = Vault()
    assert redact_payload(payload, extract(payload), [], v) == 0
    assert payload == before and payload["messages"][1]["tool_calls"][0]["function"] is inner and len(v) == 0


def test_responses_and_completions_paths():
    for endpoint, payload in (
        ("/v1/responses", {"model": "m", "instructions": "王小明", "input": [
            {"type": "function_call", "name": "f", "arguments": '{"who": "王小明"}'},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "我是王小明"}]}]}),
        ("/v1/completions", {"model": "m", "prompt": ["a", "王小明"], "suffix": "王小明"}),
        ("/v1/embeddings", {"model": "m", "input": "王小明"}),
    ):
        segs, _, _ = extract_payload(ENDPOINTS[endpoint], payload)
        redact_payload(payload, segs, find_all(doc_of(segs), {"王小明": "PERSON_NAME"}), Vault())
        assert "王小明" not in json.dumps(payload, ensure_ascii=False), endpoint


# ---- with the real engine -----------------------------------------------------------------------------------


def test_real_engine_end_to_end(engine):
    zw = "\u200b".join("13800138000")  # zero-width spaces between the digits
    payload = {"model": "gpt-x", "messages": [
        {"role": "system", "content": "你是客服助手。"},
        {"role": "user", "content": "我昨天联系过王小明。"},
        {"role": "user", "content": [{"type": "text", "text":
            f"姓名：王小明\n手机 13800138000，备用 {zw}，也可打 一三八零零一三八零零零\n"
            "身份证号 110101199003074578\n邮箱 Wang.XM@example.com"}]},
        {"role": "assistant", "tool_calls": [{"id": "c1", "type": "function", "function": {
            "name": "lookup", "arguments": json.dumps({"phone": "138 0013 8000", "email": "wang.xm@example.com"})}}]},
    ]}
    segs = extract(payload)
    findings = [x for x in engine.analyze(doc_of(segs)) if x.category == "personal_data"]
    v = Vault()
    assert redact_payload(payload, segs, findings, v) >= 8
    out = json.dumps(payload, ensure_ascii=False)
    for value in ("王小明", "13800138000", zw, "138 0013 8000", "一三八零零一三八零零零", "110101199003074578",
                  "Wang.XM@example.com", "wang.xm@example.com"):
        assert value not in out and value.casefold() not in out.casefold()
        digits = re.sub(r"\D", "", value)
        if digits:
            assert digits not in re.sub(r"\D", "", out)
    for ph in ("〔人名1〕", "〔手机号1〕", "〔身份证号1〕", "〔邮箱1〕"):
        assert ph in out
    assert len(v) == 4  # every phone form is one number, both e-mail spellings one mailbox
    assert payload["messages"][1]["content"] == "我昨天联系过〔人名1〕。"
    assert json.loads(payload["messages"][3]["tool_calls"][0]["function"]["arguments"]) == {
        "phone": "〔手机号1〕", "email": "〔邮箱1〕"}


def test_real_engine_letter_spaced_phone(engine):
    payload = {"model": "m", "messages": [{"role": "user", "content": "手机 1 3 8 0 0 1 3 8 0 0 0"}]}
    segs = extract(payload)
    findings = [x for x in engine.analyze(doc_of(segs)) if x.category == "personal_data"]
    redact_payload(payload, segs, findings, Vault())
    assert payload["messages"][0]["content"] == "手机 〔手机号1〕"


def test_json_text_in_an_object_key_is_rewritten_in_the_key():
    payload = {"model": "m", "messages": [], "ext": {"a": 1, '{"who": "王小明"}': 2, "z": 3}}
    segs = extract(payload)
    assert 'ext.{"who": "王小明"}#key#json.who' in [s.path for s in segs]
    redact_payload(payload, segs, find_all(doc_of(segs), {"王小明": "PERSON_NAME"}), Vault())
    assert list(payload["ext"].items()) == [("a", 1), ('{"who": "〔人名1〕"}', 2), ("z", 3)]


def test_json_string_and_its_contents_both_rewritten_fails_before_writing():
    payload = {"model": "m", "messages": [{"role": "user", "content": '{"who": "王小明"}'}]}
    segs = [Segment("messages[0].content", '{"who": "王小明"}'), Segment("messages[0].content#json.who", "王小明")]
    before = copy.deepcopy(payload)
    with pytest.raises(RedactionError):
        redact_payload(payload, segs, find_all(doc_of(segs), {"王小明": "PERSON_NAME"}), Vault())
    assert payload == before
