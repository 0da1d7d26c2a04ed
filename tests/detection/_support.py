"""Helpers shared by the detection tests (not a conftest: plain functions and one cached builder)."""
from __future__ import annotations

import functools
from typing import Any

THRESHOLD = 0.5  # the default policy's blocking threshold for marking categories


@functools.lru_cache(maxsize=None)
def recognizer(name: str) -> Any:
    from proxy.detection.recognizers import default_recognizers

    for rec in default_recognizers():
        if rec.name == name:
            return rec
    raise KeyError(name)


def strong_spans(rec: Any, text: str, threshold: float = THRESHOLD) -> list[tuple[str, str]]:
    """(entity, matched text) of a recognizer's results at or above ``threshold``, on the raw text."""
    return [(r.entity_type, text[r.start:r.end]) for r in rec.analyze(text) if r.score >= threshold]


def check_table_row(rec: Any, text: str, entity: str | None, span: str | None) -> None:
    found = strong_spans(rec, text)
    if span is None:
        assert not found, f"mention reported as marking: {found!r}"
        return
    assert found, "marking not found"
    assert any(e == entity and span in s for e, s in found), f"expected {entity} covering {span!r}, got {found!r}"
