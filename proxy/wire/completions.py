"""POST /v1/completions (legacy) and POST /v1/embeddings: ``prompt`` / ``input`` as text or lists."""
from __future__ import annotations

from typing import Any

from proxy.flow import Segment
from proxy.wire.shape import add_text, expect, not_inspectable, token_ids


def _texts(out: list[Segment], value: Any, path: str, role: str) -> None:
    if isinstance(value, str):
        add_text(out, value, path, role)
        return
    expect(value, list, path)
    if token_ids(value):
        raise not_inspectable("以 token 编号表示的输入", "input given as token ids", path)
    for i, item in enumerate(value):
        add_text(out, expect(item, str, f"{path}[{i}]"), f"{path}[{i}]", role)


def extract_completions(payload: dict[str, Any]) -> list[Segment]:
    out: list[Segment] = []
    _texts(out, expect(payload.get("prompt"), (str, list), "prompt"), "prompt", "user")
    add_text(out, expect(payload.get("suffix"), str, "suffix", required=False), "suffix", "user")
    return out


def extract_embeddings(payload: dict[str, Any]) -> list[Segment]:
    out: list[Segment] = []
    _texts(out, expect(payload.get("input"), (str, list), "input"), "input", "user")
    return out
