"""Tool and function definitions: names, descriptions and every string in their JSON schemas."""
from __future__ import annotations

from typing import Any

from proxy.flow import Segment
from proxy.wire.shape import add_text, expect
from proxy.wire.sweep import strings

ROLE = "tool_definition"


def tool_definitions(out: list[Segment], tools: Any, path: str, *, nested_function: bool) -> None:
    """``tools=[{"type": "function", "function": {...}}]`` (chat), ``[{"type": "function", "name": ...}]``
    (responses) or legacy ``functions=[{...}]``."""
    if tools is None:
        return
    expect(tools, list, path)
    for i, tool in enumerate(tools):
        tpath = f"{path}[{i}]"
        expect(tool, dict, tpath)
        fn, fpath = tool, tpath
        if nested_function and isinstance(tool.get("function"), dict):
            fn, fpath = tool["function"], f"{tpath}.function"
        add_text(out, expect(fn.get("name"), str, f"{fpath}.name", required=False), f"{fpath}.name", ROLE)
        add_text(out, expect(fn.get("description"), str, f"{fpath}.description", required=False),
                 f"{fpath}.description", ROLE)
        params = fn.get("parameters")
        if params is not None:
            for p, s in strings(params, f"{fpath}.parameters"):
                out.append(Segment(path=p, text=s, role=ROLE))
