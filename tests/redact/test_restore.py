"""Restorer: placeholders back to originals in text, JSON text (tool arguments) and whole response bodies."""
from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.redact.restore import Restorer

MAPPING = {
    "〔人名1〕": "张三",
    "〔人名10〕": "李四",
    "〔手机号2〕": "13800001111",
    "〔地址1〕": 'A "B" 路',
    "〔邮箱1〕": "back\\slash@x.cn",
    "〔EMAIL_1〕": "多行\n文本",
    "〔备注1〕": "王〔人",  # an original that itself looks like the start of a placeholder
}
_REF = re.compile("|".join(map(re.escape, sorted(MAPPING, key=len, reverse=True))))


def ref_text(s: str) -> str:
    """Independent reference: leftmost issued placeholder, replaced in one pass."""
    return _REF.sub(lambda m: MAPPING[m.group()], s)


def ref_value(obj):
    if isinstance(obj, str):
        return ref_text(obj)
    if isinstance(obj, list):
        return [ref_value(v) for v in obj]
    if isinstance(obj, dict):
        return {ref_text(k): ref_value(v) for k, v in obj.items()}
    return obj


#: text pieces that make restoration hard: placeholders, look-alikes, stray brackets, escapes, quotes
PIECES = st.one_of(
    st.sampled_from(sorted(MAPPING)),
    st.sampled_from(["〔人名9〕", "〔", "〕", "〔人", "〔人名", "〔人名1", "〔手机号", "\\", "\\u3014", "\\u30",
                     '"', "\n", "〔〔", "〕〕", "〔 〕", "〔人名1 〕"]),
    st.text(alphabet="ab 你好，。😀\\\"\t", max_size=6),
)
TEXTS = st.lists(PIECES, max_size=12).map("".join)


@pytest.fixture(scope="module")
def r() -> Restorer:
    return Restorer(MAPPING)


def test_text_basic(r: Restorer) -> None:
    assert r.text("你好〔人名1〕，电话〔手机号2〕。") == "你好张三，电话13800001111。"
    assert r.text("〔人名1〕〔人名1〕") == "张三张三"
    assert r.text("〔〔人名1〕〕") == "〔张三〕"
    assert r.text("〔人名10〕 vs 〔人名1〕") == "李四 vs 张三"


def test_unissued_lookalike_stays(r: Restorer) -> None:
    s = "〔人名9〕 and 〔人名〕 and 〔人名1 〕 and [人名1]"
    assert r.text(s) is s or r.text(s) == s
    assert r.json_text(json.dumps({"a": s})) == json.dumps({"a": s})


def test_original_is_not_scanned_again(r: Restorer) -> None:
    assert r.text("〔备注1〕名1〕") == "王〔人名1〕"


def test_max_len() -> None:
    assert Restorer({"〔人名1〕": "x", "〔身份证号12〕": "y"}).max_len == len("〔身份证号12〕")
    assert Restorer({}).max_len == 0


def test_empty_mapping_is_identity() -> None:
    r = Restorer({})
    assert r.text("〔人名1〕") == "〔人名1〕"
    body = b'{"a":"\\u3014"}'
    assert r.body(body, "application/json") is body


@pytest.mark.parametrize("key", ["人名1", "〔人名1", "〔〔人名1〕", "〔〕"])
def test_bad_mapping_key_rejected(key: str) -> None:
    with pytest.raises(ValueError):
        Restorer({key: "x"})


def test_json_text_escapes_the_inserted_value(r: Restorer) -> None:
    args = json.dumps({"address": "住在〔地址1〕", "mail": "〔邮箱1〕", "memo": "〔EMAIL_1〕"}, ensure_ascii=False)
    out = r.json_text(args)
    assert json.loads(out) == {"address": '住在A "B" 路', "mail": "back\\slash@x.cn", "memo": "多行\n文本"}


def test_json_text_finds_escaped_placeholders(r: Restorer) -> None:
    for ensure_ascii in (True, False):
        args = json.dumps({"who": "〔人名1〕", "where": "〔地址1〕"}, ensure_ascii=ensure_ascii)
        assert json.loads(r.json_text(args)) == {"who": "张三", "where": 'A "B" 路'}
    # mixed: only the brackets escaped, upper-case hex elsewhere
    assert json.loads(r.json_text('{"a":"\\u3014\\u4EBA名1\\u3015"}')) == {"a": "张三"}
    # an escaped backslash followed by "u3014" is text, not a bracket
    s = '{"a":"\\\\u3014人名1〕"}'
    assert r.json_text(s) == s
    # an escaped backslash, then an escaped placeholder
    assert json.loads(r.json_text('{"a":"\\\\\\u3014\\u4eba名1\\u3015"}')) == {"a": "\\张三"}


def test_json_text_keeps_formatting(r: Restorer) -> None:
    s = '{\n  "a" : "〔人名1〕",  "b": "\\u00e9"\n}'
    assert r.json_text(s) == '{\n  "a" : "张三",  "b": "\\u00e9"\n}'


@settings(max_examples=300, deadline=None)
@given(st.recursive(TEXTS, lambda kids: st.lists(kids, max_size=3) | st.dictionaries(TEXTS, kids, max_size=3),
                    max_leaves=6),
       st.booleans())
def test_json_text_property(obj, ensure_ascii: bool) -> None:
    r = Restorer(MAPPING)
    assert json.loads(r.json_text(json.dumps(obj, ensure_ascii=ensure_ascii))) == ref_value(obj)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_text_property(s: str) -> None:
    assert Restorer(MAPPING).text(s) == ref_text(s)


def test_value_restores_keys_and_arguments(r: Restorer) -> None:
    obj = {"〔人名1〕": ["〔人名1〕", 1, None, True, {"arguments": '{"x":"〔地址1〕"}'}]}
    assert r.value(obj) == {"张三": ["张三", 1, None, True, {"arguments": '{"x":"A \\"B\\" 路"}'}]}
    assert obj == {"〔人名1〕": ["〔人名1〕", 1, None, True, {"arguments": '{"x":"〔地址1〕"}'}]}  # not mutated


def _chat_body(ensure_ascii: bool) -> bytes:
    return json.dumps({
        "id": "chatcmpl-1", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "tool_calls", "message": {
            "role": "assistant", "content": "好的，〔人名1〕的电话是〔手机号2〕，〔人名9〕未知。",
            "tool_calls": [{"id": "call_1", "type": "function", "function": {
                "name": "send", "arguments": json.dumps({"to": "〔人名1〕", "addr": "〔地址1〕"},
                                                        ensure_ascii=ensure_ascii)}}]}}],
        "usage": {"prompt_tokens": 1, "completion_tokens": 2, "total_tokens": 3}}, ensure_ascii=ensure_ascii).encode()


@pytest.mark.parametrize("ensure_ascii", [False, True])
def test_body_chat_completion(r: Restorer, ensure_ascii: bool) -> None:
    out = json.loads(r.body(_chat_body(ensure_ascii), "application/json; charset=utf-8"))
    msg = out["choices"][0]["message"]
    assert msg["content"] == "好的，张三的电话是13800001111，〔人名9〕未知。"
    args = json.loads(msg["tool_calls"][0]["function"]["arguments"])
    assert args == {"to": "张三", "addr": 'A "B" 路'}
    assert out["usage"]["total_tokens"] == 3


def test_body_is_compact_utf8(r: Restorer) -> None:
    out = r.body(_chat_body(True), "application/json")
    assert b'"content":"\xe5\xa5\xbd' in out  # 好, not \u597d
    assert b", " not in out.split(b'"content"')[0]


def test_body_responses_output(r: Restorer) -> None:
    body = json.dumps({"id": "resp_1", "object": "response", "status": "completed", "output": [
        {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "找〔人名1〕"}]},
        {"type": "message", "id": "msg_1", "role": "assistant", "content": [
            {"type": "output_text", "text": "〔人名1〕住在〔地址1〕", "annotations": []}]},
        {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f",
         "arguments": json.dumps({"a": "〔地址1〕"}, ensure_ascii=True)}]}).encode()
    out = json.loads(r.body(body, "application/json"))
    assert out["output"][0]["summary"][0]["text"] == "找张三"
    assert out["output"][1]["content"][0]["text"] == '张三住在A "B" 路'
    assert json.loads(out["output"][2]["arguments"]) == {"a": 'A "B" 路'}


def test_body_without_placeholders_is_the_same_object(r: Restorer) -> None:
    for body, ctype in [(b'{"a": "x", "b": [1, 2]}', "application/json"), (b"plain", "text/plain"),
                        ('{"a": "〔人名9〕"}'.encode(), "application/json"), ("〔人名9〕".encode(), "text/plain"),
                        (b'{"a": "\\u3014x\\u3015"}', "application/json")]:
        assert r.body(body, ctype) is body


def test_body_plain_text(r: Restorer) -> None:
    assert r.body("你好〔人名1〕".encode(), "text/plain; charset=utf-8") == "你好张三".encode()
    assert r.body("你好〔人名1〕".encode(), "") == "你好张三".encode()


def test_body_not_utf8_passes(r: Restorer) -> None:
    body = "〔人名1〕".encode() + b"\xff"
    assert r.body(body, "text/plain") is body
    assert r.body(body, "application/json") is body


def test_body_unparsable_json_is_restored_as_json_text(r: Restorer) -> None:
    body = '{"a":"〔地址1〕"}\n{"b":"〔人名1〕"}\n'.encode()  # NDJSON: not one JSON document
    out = r.body(body, "application/x-ndjson")
    assert [json.loads(line) for line in out.decode().splitlines()] == [{"a": 'A "B" 路'}, {"b": "张三"}]


def test_body_with_lone_surrogate(r: Restorer) -> None:
    out = r.body(b'{"a":"\\ud800","b":"\\u3014\\u4eba\\u540d1\\u3015"}', "application/json")
    assert json.loads(out) == {"a": "\ud800", "b": "张三"}
