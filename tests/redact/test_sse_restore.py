"""StreamRestorer: placeholders split across deltas and across byte chunks, in realistic SSE streams."""
from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.redact.restore import Restorer
from proxy.redact.sse import StreamRestorer
from tests.redact.test_restore import MAPPING, TEXTS, ref_text, ref_value

SETTINGS = settings(max_examples=250, deadline=None)


# -- building and reading streams -----------------------------------------------------------------------

def split(s, cuts: list[int]) -> list:
    """``s`` cut at the given positions (taken modulo len+1, any order, duplicates allowed)."""
    points = sorted({c % (len(s) + 1) for c in cuts})
    return [s[a:b] for a, b in zip([0, *points], [*points, len(s)])]


def event(obj, ensure_ascii: bool, name: str | None = None, eol: str = "\n") -> bytes:
    lines = ([f"event: {name}"] if name else []) + ["data: " + json.dumps(obj, ensure_ascii=ensure_ascii)]
    return (eol.join(lines) + eol + eol).encode()


def chunk(choice: dict, **extra) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1, "model": "m",
            "choices": [{"index": 0, **choice, "logprobs": None, "finish_reason": extra.get("finish")}]}


def chat_stream(deltas: list[str], ensure_ascii: bool, finish: bool = True, eol: str = "\n") -> bytes:
    out = [event(chunk({"delta": {"role": "assistant", "content": ""}}), ensure_ascii, eol=eol)]
    out += [event(chunk({"delta": {"content": d}}), ensure_ascii, eol=eol) for d in deltas]
    if finish:
        out.append(event(chunk({"delta": {}}, finish="stop"), ensure_ascii, eol=eol))
    out.append(f"data: [DONE]{eol}{eol}".encode())
    return b"".join(out)


def run(stream: bytes, byte_cuts: list[int]) -> bytes:
    s = StreamRestorer(Restorer(MAPPING))
    return b"".join([s.feed(part) for part in split(stream, byte_cuts)] + [s.close()])


def events(out: bytes) -> list[tuple[str | None, object]]:
    """(event name, parsed data) per event of a client-side read of ``out``."""
    res = []
    for block in out.decode("utf-8").replace("\r\n", "\n").split("\n\n"):
        if not block.strip():
            continue
        name, data = None, []
        for line in block.split("\n"):
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        payload = "\n".join(data)
        res.append((name, payload if payload == "[DONE]" else json.loads(payload)))
    return res


def chat_text(evs, field: str = "content") -> str:
    """The concatenated deltas; also checks that nothing arrives after the choice finished."""
    text, finished = "", False
    for _, obj in evs:
        if obj == "[DONE]":
            continue
        for ch in obj["choices"]:
            assert not finished, "delta after finish_reason"
            text += ch["delta"].get(field) or ""
            finished = finished or ch.get("finish_reason") is not None
    return text


# -- chat.completions -----------------------------------------------------------------------------------

@SETTINGS
@given(TEXTS, st.lists(st.integers(0, 200)), st.lists(st.integers(0, 4000)), st.booleans())
def test_chat_stream_property(text: str, text_cuts, byte_cuts, ensure_ascii: bool) -> None:
    out = run(chat_stream(split(text, text_cuts), ensure_ascii), byte_cuts)
    evs = events(out)
    assert evs[-1] == (None, "[DONE]")
    assert evs[-2][1]["choices"][0]["finish_reason"] == "stop"
    assert chat_text(evs) == ref_text(text)


@SETTINGS
@given(TEXTS, st.lists(st.integers(0, 200)), st.lists(st.integers(0, 4000)), st.booleans(),
       st.sampled_from(["\n", "\r\n"]))
def test_chat_stream_without_finish_chunk(text, text_cuts, byte_cuts, ensure_ascii, eol) -> None:
    out = run(chat_stream(split(text, text_cuts), ensure_ascii, finish=False, eol=eol), byte_cuts)
    evs = events(out)
    assert evs[-1] == (None, "[DONE]")  # held-back text went out before [DONE]
    assert chat_text(evs) == ref_text(text)


@SETTINGS
@given(st.text(alphabet="ab 你好，。\\\"\n😀〕u3014", max_size=40), st.lists(st.integers(0, 200)),
       st.lists(st.integers(0, 4000)), st.booleans())
def test_stream_without_placeholders_is_byte_identical(text, text_cuts, byte_cuts, ensure_ascii) -> None:
    stream = chat_stream(split(text, text_cuts), ensure_ascii)
    assert run(stream, byte_cuts) == stream


def test_whole_lookalikes_and_unchanged_events_keep_their_bytes() -> None:
    stream = chat_stream(["你好〔人名9〕，", "〔〕〔 〕", "\\u3014x"], ensure_ascii=True)
    assert run(stream, [7, 100]) == stream


def test_split_placeholder_restored() -> None:
    evs = events(run(chat_stream(["你好〔人", "名1〕，", "〔手", "机号", "2〕"], False), []))
    deltas = [obj["choices"][0]["delta"].get("content") for _, obj in evs[:-1]]
    assert deltas == ["", "你好", "张三，", "", "", "13800001111", None]


def test_unissued_lookalike_split_stays() -> None:
    assert chat_text(events(run(chat_stream(["x〔人名", "9〕y"], False), []))) == "x〔人名9〕y"


def test_carry_flushed_before_finish_chunk() -> None:
    evs = events(run(chat_stream(["你好〔人"], False), []))
    assert [obj if obj == "[DONE]" else (obj["choices"][0]["delta"], obj["choices"][0]["finish_reason"])
            for _, obj in evs] == [({"role": "assistant", "content": ""}, None), ({"content": "你好"}, None),
                                   ({"content": "〔人"}, None), ({}, "stop"), "[DONE]"]
    assert evs[2][1]["id"] == "chatcmpl-1" and evs[2][1]["model"] == "m"


def test_carry_flushed_before_done_and_at_close() -> None:
    evs = events(run(chat_stream(["a〔人名"], False, finish=False), []))
    assert chat_text(evs) == "a〔人名" and evs[-1] == (None, "[DONE]")
    s = StreamRestorer(Restorer(MAPPING))
    out = s.feed(event(chunk({"delta": {"content": "b〔手机"}}), False))
    out += s.close()
    assert chat_text(events(out)) == "b〔手机"


def test_final_chunk_with_text_takes_the_carry() -> None:
    stream = event(chunk({"delta": {"content": "x〔人"}}), False) + \
        event(chunk({"delta": {"content": "名1"}}, finish="length"), False)
    evs = events(run(stream, []))
    assert [obj["choices"][0]["delta"]["content"] for _, obj in evs] == ["x", "〔人名1"]


def test_reasoning_and_refusal_channels() -> None:
    deltas = [{"reasoning_content": "想〔人"}, {"content": "答〔人名"}, {"reasoning_content": "名1〕"},
              {"content": "1〕"}, {"refusal": "〔地址1〕"}]
    stream = b"".join(event(chunk({"delta": d}), True) for d in deltas)
    evs = events(run(stream, [3, 50, 51]))
    assert chat_text(evs, "reasoning_content") == "想张三"
    assert chat_text(evs, "content") == "答张三"
    assert chat_text(evs, "refusal") == 'A "B" 路'


@SETTINGS
@given(st.dictionaries(st.sampled_from(["to", "addr", "memo", "〔人名1〕"]), TEXTS, max_size=4),
       st.lists(st.integers(0, 400)), st.lists(st.integers(0, 6000)), st.booleans(), st.booleans())
def test_tool_call_arguments_property(args, arg_cuts, byte_cuts, ensure_ascii, args_ascii) -> None:
    arguments = json.dumps(args, ensure_ascii=args_ascii)  # args_ascii: placeholders written as \u escapes
    first = {"index": 0, "id": "call_1", "type": "function", "function": {"name": "send", "arguments": ""}}
    stream = event(chunk({"delta": {"role": "assistant", "content": None, "tool_calls": [first]}}), ensure_ascii)
    for frag in split(arguments, arg_cuts):
        stream += event(chunk({"delta": {"tool_calls": [{"index": 0, "function": {"arguments": frag}}]}}),
                        ensure_ascii)
    stream += event(chunk({"delta": {}}, finish="tool_calls"), ensure_ascii) + b"data: [DONE]\n\n"
    evs = events(run(stream, byte_cuts))
    got, finished = "", False
    for _, obj in evs[:-1]:
        ch = obj["choices"][0]
        assert not finished
        for tc in ch["delta"].get("tool_calls") or ():
            assert tc["index"] == 0
            got += tc["function"]["arguments"]
        finished = ch["finish_reason"] is not None
    assert json.loads(got) == ref_value(args)


def test_two_tool_calls_and_function_call_are_separate_channels() -> None:
    def tc(i: int, frag: str) -> dict:
        return chunk({"delta": {"tool_calls": [{"index": i, "function": {"arguments": frag}}]}})
    frags = [tc(0, '{"a":"〔人'), tc(1, '{"b":"〔地'), tc(0, '名1〕"}'), tc(1, '址1〕"}')]
    evs = events(run(b"".join(event(f, False) for f in frags), []))
    got: dict[int, str] = {}
    for _, obj in evs:
        for call in obj["choices"][0]["delta"]["tool_calls"]:
            got[call["index"]] = got.get(call["index"], "") + call["function"]["arguments"]
    assert json.loads(got[0]) == {"a": "张三"} and json.loads(got[1]) == {"b": 'A "B" 路'}
    legacy = [chunk({"delta": {"function_call": {"arguments": p}}}) for p in ['{"a":"\\u3014\\u4eba', '名1〕"}']]
    evs = events(run(b"".join(event(f, False) for f in legacy), []))
    assert json.loads("".join(o["choices"][0]["delta"]["function_call"]["arguments"] for _, o in evs)) == {"a": "张三"}


# -- legacy completions ---------------------------------------------------------------------------------

@SETTINGS
@given(TEXTS, st.lists(st.integers(0, 200)), st.lists(st.integers(0, 3000)), st.booleans())
def test_legacy_completions_property(text, text_cuts, byte_cuts, ensure_ascii) -> None:
    def c(t: str, finish=None) -> dict:
        return {"id": "cmpl-1", "object": "text_completion", "created": 1, "model": "m",
                "choices": [{"text": t, "index": 0, "logprobs": None, "finish_reason": finish}]}
    stream = b"".join(event(c(d), ensure_ascii) for d in split(text, text_cuts))
    stream += event(c("", "stop"), ensure_ascii) + b"data: [DONE]\n\n"
    evs = events(run(stream, byte_cuts))
    assert "".join(o["choices"][0]["text"] for _, o in evs[:-1]) == ref_text(text)
    assert evs[-2][1]["choices"][0]["finish_reason"] == "stop"


# -- /v1/responses --------------------------------------------------------------------------------------

def responses_stream(text: str, deltas: list[str], args: str, arg_deltas: list[str], ea: bool) -> bytes:
    seq = iter(range(10_000))

    def ev(kind: str, **fields) -> bytes:
        return event({"type": kind, "sequence_number": next(seq), **fields}, ea, name=kind)
    msg = {"type": "message", "id": "msg_1", "role": "assistant", "status": "completed",
           "content": [{"type": "output_text", "text": text, "annotations": []}]}
    call = {"type": "function_call", "id": "fc_1", "call_id": "call_1", "name": "f", "arguments": args}
    out = [ev("response.created", response={"id": "resp_1", "status": "in_progress", "output": []}),
           ev("response.output_item.added", output_index=0, item={**msg, "content": [], "status": "in_progress"})]
    out += [ev("response.output_text.delta", item_id="msg_1", output_index=0, content_index=0, delta=d,
               logprobs=[]) for d in deltas]
    out += [ev("response.output_text.done", item_id="msg_1", output_index=0, content_index=0, text=text),
            ev("response.content_part.done", item_id="msg_1", output_index=0, content_index=0,
               part=msg["content"][0]),
            ev("response.output_item.done", output_index=0, item=msg)]
    out += [ev("response.function_call_arguments.delta", item_id="fc_1", output_index=1, delta=d)
            for d in arg_deltas]
    out += [ev("response.function_call_arguments.done", item_id="fc_1", output_index=1, arguments=args),
            ev("response.output_item.done", output_index=1, item=call),
            ev("response.completed", response={"id": "resp_1", "status": "completed", "output": [msg, call]})]
    return b"".join(out)


@SETTINGS
@given(TEXTS, st.lists(st.integers(0, 200)), st.dictionaries(st.sampled_from(["a", "b"]), TEXTS, max_size=2),
       st.lists(st.integers(0, 300)), st.lists(st.integers(0, 8000)), st.booleans(), st.booleans())
def test_responses_stream_property(text, text_cuts, args, arg_cuts, byte_cuts, ea, args_ascii) -> None:
    arguments = json.dumps(args, ensure_ascii=args_ascii)
    stream = responses_stream(text, split(text, text_cuts), arguments, split(arguments, arg_cuts), ea)
    evs = events(run(stream, byte_cuts))
    for name, obj in evs:
        assert name == obj["type"]
    kinds = [obj["type"] for _, obj in evs]
    # every delta of a part comes before that part's done event
    assert max(i for i, k in enumerate(kinds) if k == "response.output_text.delta") < \
        kinds.index("response.output_text.done")
    if "response.function_call_arguments.delta" in kinds:
        assert max(i for i, k in enumerate(kinds) if k == "response.function_call_arguments.delta") < \
            kinds.index("response.function_call_arguments.done")
    text_deltas = "".join(o["delta"] for _, o in evs if o["type"] == "response.output_text.delta")
    assert text_deltas == ref_text(text)
    done = next(o for _, o in evs if o["type"] == "response.output_text.done")
    assert done["text"] == ref_text(text)
    arg_deltas = "".join(o["delta"] for _, o in evs if o["type"] == "response.function_call_arguments.delta")
    assert json.loads(arg_deltas) == ref_value(args)
    completed = evs[-1][1]
    assert completed["type"] == "response.completed"
    assert completed["response"]["output"][0]["content"][0]["text"] == ref_text(text)
    assert json.loads(completed["response"]["output"][1]["arguments"]) == ref_value(args)


def test_responses_synthetic_delta_copies_envelope() -> None:
    stream = responses_stream("好〔人名", ["好〔人名"], "{}", ["{}"], False)
    evs = events(run(stream, []))
    deltas = [o for _, o in evs if o["type"] == "response.output_text.delta"]
    assert [d["delta"] for d in deltas] == ["好", "〔人名"]
    assert {k: v for k, v in deltas[1].items() if k != "delta"} == {k: v for k, v in deltas[0].items() if k != "delta"}
    assert evs[[o["type"] for _, o in evs].index("response.output_text.done") - 1][1] is deltas[1]


# -- SSE details ----------------------------------------------------------------------------------------

def test_multiline_data_comments_and_ids_kept() -> None:
    stream = b': keep-alive\n\nid: 7\nevent: message\ndata: {"a":\ndata: "\xe3\x80\x94\xe4\xba\xba\xe5\x90\x8d1\xe3\x80\x95"}\n\n'
    out = run(stream, [1, 30, 60])
    assert out == b': keep-alive\n\nid: 7\nevent: message\ndata: {"a":"\xe5\xbc\xa0\xe4\xb8\x89"}\n\n'


def test_non_json_data_and_other_events_pass() -> None:
    stream = "data: hello 〔人名1〕\n\ndata: {\"error\": {\"message\": \"〔人名1〕\"}}\n\n".encode()
    out = run(stream, [5])
    assert out == "data: hello 〔人名1〕\n\ndata: {\"error\":{\"message\":\"张三\"}}\n\n".encode()


def test_crlf_events() -> None:
    stream = chat_stream(["你好〔人", "名1〕"], True, eol="\r\n")
    out = run(stream, list(range(0, len(stream), 3)))
    assert chat_text(events(out)) == "你好张三"
    assert b"\n\n" not in out.replace(b"\r\n\r\n", b"")


def test_partial_event_at_close() -> None:
    s = StreamRestorer(Restorer(MAPPING))
    out = s.feed(b'data: {"choices":[{"index":0,"delta":{"content":"x\\u3014\\u4eba\\u540d1\\u3015"}}]}')
    assert out == b""
    assert chat_text(events(s.close())) == "x张三"


def test_choices_are_separate_channels() -> None:
    def c(i: int, text: str | None, finish=None) -> dict:
        return {"id": "x", "object": "chat.completion.chunk", "choices": [
            {"index": i, "delta": {} if text is None else {"content": text}, "finish_reason": finish}]}
    parts = [c(0, "a〔人"), c(1, "b〔地址"), c(0, "名1〕"), c(1, None, "stop"), c(0, None, "stop")]
    evs = events(run(b"".join(event(p, False) for p in parts), []))
    got = {0: "", 1: ""}
    for _, obj in evs:
        ch = obj["choices"][0]
        got[ch["index"]] += ch["delta"].get("content", "")
    assert got == {0: "a张三", 1: "b〔地址"}
    # choice 1's held text comes out right before choice 1 finishes
    assert [o["choices"][0]["delta"] for _, o in evs][3:5] == [{"content": "〔地址"}, {}]


def test_responses_reasoning_summary_channel() -> None:
    def ev(kind: str, **f) -> bytes:
        return event({"type": kind, "item_id": "rs_1", "output_index": 0, "summary_index": 0, **f}, True, name=kind)
    stream = ev("response.reasoning_summary_text.delta", delta="想〔人名") + \
        ev("response.reasoning_summary_text.delta", delta="1〕和〔手") + \
        ev("response.reasoning_summary_text.done", text="想〔人名1〕和〔手")
    evs = events(run(stream, [9]))
    assert [o.get("delta", o.get("text")) for _, o in evs] == ["想", "张三和", "〔手", "想张三和〔手"]


def test_lone_surrogate_in_event() -> None:
    out = run(b'data: {"x":"\\ud800","y":"\\u3014\\u4eba\\u540d1\\u3015"}\n\n', [])
    assert events(out) == [(None, {"x": "\ud800", "y": "张三"})]
