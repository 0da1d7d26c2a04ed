"""Images and files inside OpenAI payloads: where they sit, so the upload readers can inspect them.

Chat: ``image_url`` parts (``image_url.url``: a data URL or an http(s) URL) and ``file`` parts
(``file.file_data``: base64 or a data URL, with ``file.filename``; or ``file.file_id``). Responses:
``input_image`` (``image_url`` or ``file_id``) and ``input_file`` (``file_data``, ``file_url`` or ``file_id``).
Audio parts stay refused by the extractors (no local speech recognition).

The string holding the data is claimed here, so the sweep does not read megabytes of base64 as prose.
"""
from __future__ import annotations

from typing import Any

from proxy.flow import Attachment
from proxy.wire.shape import expect

#: part type -> (kind, [(field path inside the part, source)], filename field)
_CHAT = {
    "image_url": ("image", [("image_url.url", None)], None),
    "file": ("file", [("file.file_data", "data"), ("file.file_id", "id")], "file.filename"),
}
_RESPONSES = {
    "input_image": ("image", [("image_url", None), ("file_id", "id")], None),
    "input_file": ("file", [("file_data", "data"), ("file_url", "url"), ("file_id", "id")], "filename"),
}


def _get(part: dict[str, Any], dotted: str) -> Any:
    value: Any = part
    for key in dotted.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value


def _source(value: str) -> str:
    low = value[:16].lower()
    if low.startswith(("http://", "https://")):
        return "url"
    return "data"


def _parts(content: Any, path: str, table: dict[str, Any]) -> list[Attachment]:
    out: list[Attachment] = []
    if not isinstance(content, list):
        return out
    for k, part in enumerate(content):
        if not isinstance(part, dict) or part.get("type") not in table:
            continue
        kind, fields, name_field = table[part["type"]]
        name = _get(part, name_field) if name_field else None
        found = False
        for field, source in fields:
            value = _get(part, field)
            if value is None:
                continue
            fpath = f"{path}[{k}].{field}"
            expect(value, str, fpath)
            out.append(Attachment(path=fpath, kind=kind, source=source or _source(value), value=value,
                                  filename=name if isinstance(name, str) else None))
            found = True
        if not found:
            expect(None, str, f"{path}[{k}].{fields[0][0]}")  # 400: the part carries nothing
    return out


def chat_attachments(payload: dict[str, Any]) -> list[Attachment]:
    out: list[Attachment] = []
    for i, msg in enumerate(payload.get("messages") or ()):
        if isinstance(msg, dict):
            out += _parts(msg.get("content"), f"messages[{i}].content", _CHAT)
    return out


def responses_attachments(payload: dict[str, Any]) -> list[Attachment]:
    out: list[Attachment] = []
    items = payload.get("input")
    if not isinstance(items, list):
        return out
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            continue
        out += _parts(item.get("content"), f"input[{i}].content", _RESPONSES)
        if item.get("type") in ("function_call_output", "custom_tool_call_output"):
            out += _parts(item.get("output"), f"input[{i}].output", _RESPONSES)
    return out
