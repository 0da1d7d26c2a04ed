"""Every piece of client-controlled text becomes a segment, at the path where it sits."""
from __future__ import annotations

import pytest

from proxy.errors import NotInspectable, WrongShape
from proxy.wire.endpoints import ENDPOINTS, extract_payload

X = "秘密★1年 样本"


def segs(endpoint: str, payload: dict) -> dict[str, str]:
    segments, _, _ = extract_payload(ENDPOINTS[endpoint], payload)
    return {s.path: s.text for s in segments}


CHAT_CASES = [
    ({"messages": [{"role": "user", "content": X}]}, "messages[0].content"),
    ({"messages": [{"role": "system", "content": X}]}, "messages[0].content"),
    ({"messages": [{"role": "developer", "content": [{"type": "text", "text": X}]}]}, "messages[0].content[0].text"),
    ({"messages": [{"role": "user", "name": X, "content": "hi"}]}, "messages[0].name"),
    ({"messages": [{"role": "assistant", "content": None, "tool_calls": [
        {"id": "1", "type": "function", "function": {"name": "f", "arguments": X}}]}]},
     "messages[0].tool_calls[0].function.arguments"),
    ({"messages": [{"role": "assistant", "function_call": {"name": "f", "arguments": X}}]},
     "messages[0].function_call.arguments"),
    ({"messages": [{"role": "tool", "tool_call_id": "1", "content": X}]}, "messages[0].content"),
    ({"messages": [{"role": "assistant", "content": [{"type": "refusal", "refusal": X}]}]},
     "messages[0].content[0].refusal"),
    ({"messages": [], "tools": [{"type": "function", "function": {"name": "f", "description": X}}]},
     "tools[0].function.description"),
    ({"messages": [], "tools": [{"type": "function", "function": {"name": "f", "parameters": {
        "type": "object", "properties": {"a": {"type": "string", "enum": [X]}}}}}]},
     "tools[0].function.parameters.properties.a.enum[0]"),
    ({"messages": [], "functions": [{"name": "f", "description": X}]}, "functions[0].description"),
    ({"messages": [], "response_format": {"type": "json_schema", "json_schema": {"name": "n", "description": X}}},
     "response_format.json_schema.description"),
    ({"messages": [], "tools": [{"type": "function", "function": {"name": "f", "parameters": {
        "type": "object", "properties": {X: {"type": "string"}}}}}]},
     "tools[0].function.parameters.properties." + X + "#key"),
]


@pytest.mark.parametrize("payload,path", CHAT_CASES)
def test_chat_fields(payload, path):
    assert segs("/v1/chat/completions", {"model": "m", **payload})[path] == X


RESPONSES_CASES = [
    ({"input": X}, "input"),
    ({"instructions": X, "input": "hi"}, "instructions"),
    ({"input": [{"role": "user", "content": X}]}, "input[0].content"),
    ({"input": [{"type": "message", "role": "user", "content": [{"type": "input_text", "text": X}]}]},
     "input[0].content[0].text"),
    ({"input": [{"type": "function_call", "call_id": "c", "name": "f", "arguments": X}]}, "input[0].arguments"),
    ({"input": [{"type": "function_call_output", "call_id": "c", "output": X}]}, "input[0].output"),
    ({"input": [{"type": "reasoning", "summary": [{"type": "summary_text", "text": X}]}]},
     "input[0].summary[0].text"),
    ({"input": "hi", "tools": [{"type": "function", "name": "f", "description": X}]}, "tools[0].description"),
    ({"input": "hi", "text": {"format": {"type": "json_schema", "name": "n", "schema": {"description": X}}}},
     "text.format.schema.description"),
]


@pytest.mark.parametrize("payload,path", RESPONSES_CASES)
def test_responses_fields(payload, path):
    assert segs("/v1/responses", {"model": "m", **payload})[path] == X


@pytest.mark.parametrize("endpoint,payload,path", [
    ("/v1/completions", {"prompt": X}, "prompt"),
    ("/v1/completions", {"prompt": ["a", X]}, "prompt[1]"),
    ("/v1/completions", {"prompt": "a", "suffix": X}, "suffix"),
    ("/v1/embeddings", {"input": X}, "input"),
    ("/v1/embeddings", {"input": ["a", X]}, "input[1]"),
    ("/v1/embeddings", {"input": "a", "user": X}, "user"),
])
def test_prompt_and_input(endpoint, payload, path):
    assert segs(endpoint, {"model": "m", **payload})[path] == X


def test_reading_order_puts_messages_first():
    payload = {"model": "m", "metadata": {"a": "z"}, "messages": [
        {"role": "system", "content": "one"}, {"role": "user", "content": "two"}]}
    segments, model, stream = extract_payload(ENDPOINTS["/v1/chat/completions"], payload)
    assert [s.text for s in segments][:2] == ["one", "two"]
    assert model == "m" and stream is False


@pytest.mark.parametrize("endpoint,payload,param", [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": [
        {"type": "input_audio", "input_audio": {"data": "AAAA", "format": "wav"}}]}]}, "messages[0].content[0]"),
    ("/v1/responses", {"input": [{"role": "user", "content": [{"type": "input_audio", "input_audio": {}}]}]},
     "input[0].content[0]"),
    ("/v1/embeddings", {"input": [[1, 2, 3]]}, "input"),
])
def test_uninspectable_content_is_refused(endpoint, payload, param):
    with pytest.raises(NotInspectable) as info:
        extract_payload(ENDPOINTS[endpoint], {"model": "m", **payload})
    assert info.value.param == param


B64 = "QUJD" * 2000  # base64 that must not be read as prose


@pytest.mark.parametrize("endpoint,payload,expected", [
    ("/v1/chat/completions", {"messages": [{"role": "user", "content": [
        {"type": "text", "text": "看图"},
        {"type": "image_url", "image_url": {"url": "data:image/png;base64," + B64}},
        {"type": "image_url", "image_url": {"url": "https://example.invalid/a.png", "detail": "low"}},
        {"type": "file", "file": {"file_data": B64, "filename": "报告.pdf"}},
        {"type": "file", "file": {"file_id": "file-abc"}}]}]},
     [("messages[0].content[1].image_url.url", "image", "data", None),
      ("messages[0].content[2].image_url.url", "image", "url", None),
      ("messages[0].content[3].file.file_data", "file", "data", "报告.pdf"),
      ("messages[0].content[4].file.file_id", "file", "id", None)]),
    ("/v1/responses", {"input": [{"role": "user", "content": [
        {"type": "input_image", "image_url": "data:image/jpeg;base64," + B64},
        {"type": "input_file", "file_data": "data:application/pdf;base64," + B64, "filename": "a.pdf"},
        {"type": "input_file", "file_url": "https://example.invalid/a.pdf"},
        {"type": "input_image", "file_id": "file-1"}]}]},
     [("input[0].content[0].image_url", "image", "data", None),
      ("input[0].content[1].file_data", "file", "data", "a.pdf"),
      ("input[0].content[2].file_url", "file", "url", None),
      ("input[0].content[3].file_id", "image", "id", None)]),
])
def test_images_and_files_become_attachments_not_prose(endpoint, payload, expected):
    from proxy.wire.endpoints import extract_request

    e = extract_request(ENDPOINTS[endpoint], {"model": "m", **payload})
    assert [(a.path, a.kind, a.source, a.filename) for a in e.attachments] == expected
    assert not any(B64[:100] in s.text for s in e.segments)  # the sweep left the data to the readers


def test_image_part_without_data_is_a_400():
    with pytest.raises(WrongShape) as info:
        extract_payload(ENDPOINTS["/v1/chat/completions"], {"model": "m", "messages": [
            {"role": "user", "content": [{"type": "image_url", "image_url": {}}]}]})
    assert info.value.param == "messages[0].content[0].image_url.url"


@pytest.mark.parametrize("payload,param", [
    ({"model": "m", "messages": [{"content": "x"}]}, "messages[0].role"),
    ({"model": "m", "messages": [{"role": "user", "tool_calls": "x"}]}, "messages[0].tool_calls"),
    ({"model": "m", "messages": [], "tools": [{"type": "function", "function": {"name": 3}}]},
     "tools[0].function.name"),
    ({"model": 5, "messages": []}, "model"),
])
def test_wrong_shape_names_the_field(payload, param):
    with pytest.raises(WrongShape) as info:
        extract_payload(ENDPOINTS["/v1/chat/completions"], payload)
    assert info.value.param == param


@pytest.mark.parametrize("ensure_ascii", [True, False])
def test_json_arguments_are_read_as_json(ensure_ascii):
    import json

    args = json.dumps({"doc": {"lines": ["份号000123", "机密★5年\n正文"]}}, ensure_ascii=ensure_ascii)
    out = segs("/v1/chat/completions", {"model": "m", "messages": [{"role": "assistant", "tool_calls": [
        {"id": "1", "type": "function", "function": {"name": "f", "arguments": args}}]}]})
    assert out["messages[0].tool_calls[0].function.arguments#json.doc.lines[1]"] == "机密★5年\n正文"
    assert "messages[0].tool_calls[0].function.arguments" not in out  # not swept again as raw JSON


def test_json_inside_unknown_fields_is_read_too():
    import json

    out = segs("/v1/chat/completions", {"model": "m", "messages": [],
                                         "metadata": {"blob": json.dumps({"x": "机密★5年"})}})
    assert out["metadata.blob#json.x"] == "机密★5年"
