"""POST /v1/chat/completions: the text a chat request carries, in reading order."""
from __future__ import annotations

from typing import Any

from proxy.flow import Segment
from proxy.wire import shape
from proxy.wire.shape import add_text, expect, not_inspectable
from proxy.wire.tools import tool_definitions

_TEXT_PART_KEYS = {"text": "text", "refusal": "refusal"}
# images and files are read by the upload readers (proxy.wire.attachments); audio cannot be inspected
_BINARY_PARTS = {"input_audio": ("音频", "audio"), "audio": ("音频", "audio")}


def extract(payload: dict[str, Any]) -> list[Segment]:
    out: list[Segment] = []
    messages = expect(payload.get("messages"), list, "messages")
    for i, msg in enumerate(messages):
        base = f"messages[{i}]"
        expect(msg, dict, base)
        role = expect(msg.get("role"), str, f"{base}.role")
        add_text(out, expect(msg.get("name"), str, f"{base}.name", required=False), f"{base}.name", role)
        content_parts(out, msg.get("content"), f"{base}.content", role)
        for j, call in enumerate(expect(msg.get("tool_calls"), list, f"{base}.tool_calls", required=False) or ()):
            cpath = f"{base}.tool_calls[{j}]"
            expect(call, dict, cpath)
            function_call(out, call.get("function"), f"{cpath}.function", role)
        if msg.get("function_call") is not None:
            function_call(out, msg.get("function_call"), f"{base}.function_call", role)
        if isinstance(msg.get("audio"), dict) and msg["audio"].get("data"):
            raise not_inspectable("音频", "audio", f"{base}.audio")
    tool_definitions(out, payload.get("tools"), "tools", nested_function=True)
    tool_definitions(out, payload.get("functions"), "functions", nested_function=False)
    return out


def content_parts(out: list[Segment], content: Any, path: str, role: str | None) -> None:
    shape.content_parts(out, content, path, role, text_keys=_TEXT_PART_KEYS, binary=_BINARY_PARTS)


def function_call(out: list[Segment], call: Any, path: str, role: str | None) -> None:
    expect(call, dict, path)
    add_text(out, expect(call.get("name"), str, f"{path}.name", required=False), f"{path}.name", role)
    add_text(out, expect(call.get("arguments"), str, f"{path}.arguments", required=False),
             f"{path}.arguments", role)
