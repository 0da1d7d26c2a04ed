"""1 MB attacker-controlled inputs against the structure recognizer and the non-public scorers: ``analyze``
returns or raises InspectionError (fail closed), never hangs. The bound comes from the hit caps and the
inspection budget, not from a wall-clock assertion (the time is printed)."""
from __future__ import annotations

import time

import pytest

from proxy.detection.engine import DetectionEngine
from proxy.detection.errors import InspectionError
from proxy.detection.recognizers.cn_official_structure import CnOfficialStructureRecognizer
from proxy.detection.scorers.nonpublic import NonpublicContentScorer
from proxy.detection.scorers.official_document import OfficialDocumentScorer
from proxy.text.normalize import Normalized

N = 1_000_000

INPUTS = {
    "lexicon-term": "留置措施" * (N // 4),
    "lexicon-terms-mixed": ("立案审查谈话笔录拟提拔推荐票举报人兵力部署标底启用前" + "，") * (N // 27),
    "lexicon-lines": "拟考察对象\n" * (N // 6),
    "english-terms": "not yet announced layoff list " * (N // 30),
    "brackets": "〔2024〕" * (N // 6),
    "doc-number-lines": "某政发〔2024〕1号\n" * (N // 12),
    "open-brackets": "〔" * N,
    "digits": "1" * N,
    "phones": "13800138000 " * (N // 12),
    "digit-groups": "2024年3月5日 12人 5.5% 3万元\n" * (N // 22),
    "copy-number-lines": "000001\n" * (N // 7),
    "blackout-lines": "■■■■\n" * (N // 5),
    "triggers-before": "前" * N,
    "triggers-anon": "某" * N,
    "pipes": "|" * N,
    "qa-lines": "问:你\n答:是\n" * (N // 10),
    "issue-lines": "某某办公室 2024年3月5日印发\n" * (N // 20),
    "one-long-line": "关于" + "的" * (N - 10) + "通知",
}


def _identity(text: str) -> Normalized:
    return Normalized(original=text, text=text)


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(recognizers=[CnOfficialStructureRecognizer()],
                           scorers=[NonpublicContentScorer(), OfficialDocumentScorer()],
                           normalizer=_identity, regex_timeout=0.5, total_timeout=5.0)


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_large_adversarial_input_is_bounded(engine: DetectionEngine, name: str, capsys) -> None:
    text = INPUTS[name]
    t0 = time.perf_counter()
    try:
        findings = engine.analyze(text)
        outcome = f"{len(findings)} findings"
    except InspectionError as exc:
        for word in ("留置", "考察", "〔2024〕"):
            assert word not in str(exc)  # the message names the stage, never the text
        outcome = "InspectionError"
    else:
        assert isinstance(findings, list)
    with capsys.disabled():
        print(f"\n  {name}: {outcome} in {(time.perf_counter() - t0) * 1000:.0f} ms", end="")


def test_content_after_a_long_prefix_is_still_scored(engine: DetectionEngine) -> None:
    text = "天气不错。" * 100_000 + "\n谈话笔录\n问:你收了多少钱？\n答:二十万。\n被谈话人签字：\n建议给予开除党籍处分，移送检察机关。"
    assert any(f.category == "nonpublic_content" and f.score >= 0.7 for f in engine.analyze(text))
