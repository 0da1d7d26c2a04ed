"""Attacker-controlled input of 1 MB: analyze() must return or raise InspectionError (fail closed), never hang.

The bound comes from the regex timeouts (per call and per analyze), not from a wall-clock assertion.
"""
from __future__ import annotations

import pytest

from proxy.detection.engine import DetectionEngine
from proxy.detection.errors import InspectionError
from proxy.text.normalize import Normalized

N = 1_000_000

INPUTS = {
    "stars": "★" * N,
    "spaces": " " * N,
    "digits": "1" * N,
    "level-words": "机密" * (N // 2),
    "spaced-level-words": "机 密 " * (N // 4),
    "level-star": "机密★" * (N // 3),
    "stamp-lines": "机密★5年\n" * (N // 6),
    "bare-lines": "内部\n" * (N // 3),
    "blackout": "■" * N,
    "portion-marks": "(S) x\n" * (N // 6),
    "banner-lines": "SECRET\n" * (N // 7),
    "open-brackets": "（" * N,
    "quoted-stamps": "“机密★5年”" * (N // 7),
    "mixed": ("机密★ l年 \u3000" * 10 + "\n") * (N // 100),
}


def _identity(text: str) -> Normalized:
    return Normalized(original=text, text=text)


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    # identity normalizer: this test is about the recognizers' own bounds (the normalizer has its own tests)
    return DetectionEngine(normalizer=_identity, regex_timeout=0.5, total_timeout=5.0)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_large_adversarial_input_is_bounded(engine: DetectionEngine, name: str) -> None:
    try:
        findings = engine.analyze(INPUTS[name])
    except InspectionError as exc:
        assert "机密" not in str(exc)  # the message names the pattern, never the text
        return
    assert isinstance(findings, list)


def test_marking_after_a_long_line_is_still_found(engine: DetectionEngine) -> None:
    text = "字" * (N - 20) + "\n机密★5年\n关于某事的通知"
    assert any(f.score >= 0.85 for f in engine.analyze(text))

