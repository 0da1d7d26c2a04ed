"""Every string anywhere in a JSON value, with its path: the basis of the sweep (``shape.sweep``).

Object keys count as strings too unless they look like plain identifiers (schema property names can
carry text).
"""
from __future__ import annotations

import re
from typing import Any, Iterator


_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$-]{0,63}\Z")


def strings(value: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """Yield ``(path, string)`` for every string value (and non-identifier key) under ``value``."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        p, v = stack.pop()
        if isinstance(v, str):
            if v:
                yield p, v
        elif isinstance(v, dict):
            items = list(v.items())
            for k, child in reversed(items):
                cp = f"{p}.{k}" if p else str(k)
                stack.append((cp, child))
                if not _IDENT.match(k):
                    stack.append((f"{cp}#key", k))
        elif isinstance(v, list):
            for i in range(len(v) - 1, -1, -1):
                stack.append((f"{p}[{i}]", v[i]))

