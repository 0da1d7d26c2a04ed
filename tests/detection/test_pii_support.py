"""Shared helpers of the personal-data tests: one engine per recognizer class (with the real normalizer, so
full-width and invisible characters are exercised), and the table-row check. Also checks the word lists."""
from __future__ import annotations

import functools
from typing import Any

from proxy.detection.engine import DetectionEngine

THRESHOLD = 0.5  # the redaction threshold: findings below it are not pseudonymised


@functools.lru_cache(maxsize=None)
def engine_for(*classes: Any) -> DetectionEngine:
    return DetectionEngine(recognizers=[c() for c in classes], scorers=[])


def strong(engine: DetectionEngine, text: str, threshold: float = THRESHOLD) -> list[tuple[str, str]]:
    return [(f.entity, text[f.start:f.end]) for f in engine.analyze(text) if f.score >= threshold]


def check_row(engine: DetectionEngine, text: str, entity: str | None, span: str | None) -> None:
    found = strong(engine, text)
    if span is None:
        assert not found, f"reported as personal data: {found!r}"
        return
    assert any(e == entity and span in s for e, s in found), f"expected {entity} covering {span!r}, got {found!r}"
    # the span covers the value and not much more (a redaction replaces exactly the span)
    best = min((s for e, s in found if e == entity and span in s), key=len)
    assert len(best) <= len(span) + 2, f"span too wide: {best!r} for {span!r}"


def test_word_lists_load_and_are_consistent() -> None:
    from proxy.detection.recognizers.pii_common import name_data

    d = name_data()
    assert {"王", "李", "邬", "俞"} <= d.surnames and {"欧阳", "司马", "上官"} <= d.compound
    assert not d.surnames & d.weak_surnames
    assert "若" in d.given and "溪" in d.given
    assert "高度" in d.not_names and "鲁迅" in d.public and "wang" in d.pinyin_surnames
