"""POST /v1/responses: instructions, input (string, messages or items) and tools."""
from __future__ import annotations

from typing import Any

from proxy.flow import Segment
from proxy.wire.shape import add_text, content_parts, expect
from proxy.wire.tools import tool_definitions

_TEXT_PART_KEYS = {**{k: "text" for k in ("input_text", "output_text", "text", "summary_text", "reasoning_text")},
                   "refusal": "refusal"}
# images and files are read by the upload readers (proxy.wire.attachments); audio cannot be inspected
_BINARY_PARTS = {"input_audio": ("音频", "audio")}


def extract(payload: dict[str, Any]) -> list[Segment]:
    out: list[Segment] = []
    add_text(out, expect(payload.get("instructions"), str, "instructions", required=False),
             "instructions", "system")
    value = payload.get("input")
    if isinstance(value, str):
        add_text(out, value, "input", "user")
    elif value is not None:
        expect(value, list, "input")
        for i, item in enumerate(value):
            _item(out, item, f"input[{i}]")
    tool_definitions(out, payload.get("tools"), "tools", nested_function=False)
    return out


def _item(out: list[Segment], item: Any, path: str) -> None:
    expect(item, dict, path)
    kind = item.get("type", "message")
    role = item.get("role") if isinstance(item.get("role"), str) else None
    if kind == "message":
        _content(out, item.get("content"), f"{path}.content", role)
    elif kind in ("function_call", "custom_tool_call"):
        add_text(out, expect(item.get("name"), str, f"{path}.name", required=False), f"{path}.name", "assistant")
        for key in ("arguments", "input"):
            add_text(out, expect(item.get(key), str, f"{path}.{key}", required=False), f"{path}.{key}", "assistant")
    elif kind in ("function_call_output", "custom_tool_call_output"):
        output = item.get("output")
        if isinstance(output, str):
            add_text(out, output, f"{path}.output", "tool")
        elif output is not None:
            _content(out, output, f"{path}.output", "tool")
    elif kind == "reasoning":
        for j, s in enumerate(expect(item.get("summary"), list, f"{path}.summary", required=False) or ()):
            if isinstance(s, dict):
                add_text(out, s.get("text"), f"{path}.summary[{j}].text", "assistant")
    # other item types (item_reference, web_search_call ...) hold no prose of their own; the sweep
    # still inspects every string they carry


def _content(out: list[Segment], content: Any, path: str, role: str | None) -> None:
    content_parts(out, content, path, role, text_keys=_TEXT_PART_KEYS, binary=_BINARY_PARTS)
