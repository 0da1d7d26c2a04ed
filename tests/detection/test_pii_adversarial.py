"""1 MB of attacker-controlled input against the personal-data recognizers: ``analyze`` returns or raises
InspectionError (fail closed), never hangs. Bounded by the regex timeouts and the loop clock of
``pii_common.bounded_loop`` (no wall-clock assertion here)."""
from __future__ import annotations

import pytest

from proxy.detection.engine import DetectionEngine
from proxy.detection.errors import InspectionError

from .test_pii_corpus import pii_recognizers

N = 1_000_000

INPUTS = {
    "digits": "1" * N,
    "spaced-digits": "1 " * (N // 2),
    "dashed-digits": "13-" * (N // 3),
    "mobile-prefix": "138 " * (N // 4),
    "mobiles": "13800138000 " * (N // 12),
    "ats": "@" * N,
    "at-words": "a@" * (N // 2),
    "at-spelled": "a [at] b [dot] " * (N // 15),
    "spaced-at": "a at b dot " * (N // 11),
    "plus": "+1 " * (N // 3),
    "surnames": "王" * N,
    "surname-pairs": "王李张刘" * (N // 4),
    "titles": "王老师" * (N // 3),
    "labels": "姓名：" * (N // 3),
    "speaker-lines": "刘洋：好\n" * (N // 5),
    "name-lines": "张伟\n" * (N // 3),
    "table": "姓名 电话\n" + "张伟 13800138000\n" * (N // 17),
    "roads": "学府路88号" * (N // 6),
    "buildings": "3栋2单元501室" * (N // 9),
    "english-titles": "Mr. Smith " * (N // 10),
    "street-numbers": "12 Main Street, " * (N // 16),
    "numerals": "一三八零" * (N // 4),
    "brackets": "（" * N,
}


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(recognizers=pii_recognizers(), scorers=[], regex_timeout=0.5, total_timeout=5.0)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_large_adversarial_input_is_bounded(engine: DetectionEngine, name: str) -> None:
    text = INPUTS[name]
    try:
        findings = engine.analyze(text)
    except InspectionError as exc:
        assert text[:20] not in str(exc)  # the message names the pattern, never the text
        return
    assert isinstance(findings, list)


def test_pii_after_a_long_line_is_still_found(engine: DetectionEngine) -> None:
    text = "字" * (N - 40) + "\n手机：13800138000"
    assert any(f.entity == "PHONE_NUMBER" and f.score >= 0.5 for f in engine.analyze(text))
