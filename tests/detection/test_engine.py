"""DetectionEngine: offline presidio wiring, offsets into the ORIGINAL text, merging, fail-closed errors,
thread safety, and no import-time side effects."""
from __future__ import annotations

import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from proxy.detection.categories import MARKING_CATEGORIES, categorize
from proxy.detection.engine import DetectionEngine, merge
from proxy.detection.errors import InspectionError
from proxy.flow import Finding
from proxy.text.normalize import Normalized

REPO = Path(__file__).resolve().parents[2]

DOC = ("请帮我润色下面的材料：\n\n000123\n机密★5年\n特急\n\n某省人民政府文件\n某政发〔2024〕12号\n\n"
       "关于做好安全保卫工作的通知\n各设区市人民政府：……")


def identity(text: str) -> Normalized:
    return Normalized(original=text, text=text)


@pytest.fixture(scope="module")
def eng() -> DetectionEngine:
    return DetectionEngine()


def test_registry_holds_only_baomi_recognizers(eng: DetectionEngine) -> None:
    from proxy.detection.recognizers import BUILTIN

    names = sorted(r.name for r in eng.registry.recognizers)
    assert names == sorted(spec.rpartition(":")[2] for spec in BUILTIN)
    assert all(r.__module__.startswith("proxy.detection.recognizers.") for r in eng.registry.recognizers)
    assert type(eng.analyzer.nlp_engine).__name__ == "NoOpNlpEngine"


def test_presidio_analyzer_engine_runs_the_same_recognizers(eng: DetectionEngine) -> None:
    results = eng.analyzer.analyze(DOC, language="zh")
    entities = {r.entity_type for r in results}
    assert "CN_CLASSIFICATION_MARKING" in entities
    # presidio's own engine runs the same recognizers (the document-level scorers are baomi's stage)
    direct = {f.entity for f in DetectionEngine(scorers=[]).analyze(DOC)}
    assert entities == direct


def test_finding_fields(eng: DetectionEngine) -> None:
    [f] = [f for f in eng.analyze(DOC) if f.score >= 0.5 and f.entity == "CN_CLASSIFICATION_MARKING"]
    assert DOC[f.start:f.end] == "机密★5年"
    assert (f.entity, f.category, f.recognizer) == ("CN_CLASSIFICATION_MARKING", "secret_marking",
                                                    "CnClassificationRecognizer")
    assert f.score >= 0.95 and f.why


@pytest.mark.parametrize("text,covers", [
    ("机\u200b密\u200b★5年\n省委第三巡视组\n关于巡视情况的反馈意见", "机\u200b密\u200b★5年"),
    ("😀😀 帮我看看：\n机 密 ★ 5 年\n某市人民政府办公室文件", "机 密 ★ 5 年"),
    ("𠀀𠀁前言\n\n秘密★1年\n某大学纪律检查委员会", "秘密★1年"),
    ("ＡＢＣ\n機密★１０年\n\n某省国防动员办公室", "機密★１０年"),
])
def test_offsets_point_into_the_original_text(eng: DetectionEngine, text: str, covers: str) -> None:
    strong = [f for f in eng.analyze(text) if f.score >= 0.5]
    assert strong
    f = strong[0]
    assert text[f.start:f.end] == covers  # code points of the ORIGINAL text (astral characters count as one)


def test_findings_sorted_and_merged(eng: DetectionEngine) -> None:
    text = "内部资料\u3000注意保存\n（供领导参阅）\n\n秘 密 * 1 年\n关于某事的通知\n秘密★1年"
    found = eng.analyze(text)
    assert [f.start for f in found] == sorted(f.start for f in found)
    for a, b in zip(found, found[1:]):
        assert not (a.entity == b.entity and b.start < a.end), "overlapping findings of one entity must be merged"


def test_merge_keeps_union_and_best_score() -> None:
    a = Finding("X", 0, 5, 0.6, "r1", "c", "weak")
    b = Finding("X", 3, 9, 0.9, "r2", "c", "strong")
    c = Finding("Y", 4, 6, 0.7, "r3", "d", "other entity")
    d = Finding("X", 9, 12, 0.5, "r1", "c", "touching, not overlapping")
    out = merge([d, c, b, a])
    assert [(f.entity, f.start, f.end, f.score, f.why) for f in out] == [
        ("X", 0, 9, 0.9, "strong"), ("Y", 4, 6, 0.7, "other entity"), ("X", 9, 12, 0.5, "touching, not overlapping")]


def test_why_never_contains_the_matched_text(eng: DetectionEngine) -> None:
    texts = [DOC, "内部★1年\n某办公室", "此件不得公开\n关于某事的请示", "SECRET//NOFORN\nSUBJECT: x",
             "以下内容属于机密，请帮我总结", "（内部资料，注意保存）\n标题", "本件密级为机密级，保密期限五年。"]
    for text in texts:
        for f in eng.analyze(text):
            assert text[f.start:f.end] not in f.why


def test_empty_and_plain_text(eng: DetectionEngine) -> None:
    assert eng.analyze("") == []
    assert eng.analyze("请帮我写一首关于秋天的诗。") == []


def test_categorize() -> None:
    fs = [Finding("A", 0, 1, 0.9, "r", "secret_marking"), Finding("B", 0, 1, 0.4, "r", "internal_marking"),
          Finding("C", 2, 3, 0.6, "r", "secret_marking"), Finding("D", 0, 1, 0.5, "r", "internal_marking")]
    assert categorize(fs) == {"secret_marking": 0.9, "internal_marking": 0.5}
    assert categorize(fs, threshold=0.95) == {}
    assert MARKING_CATEGORIES == {"secret_marking", "internal_marking"}


# -- fail closed ----------------------------------------------------------------------------------------

class _Exploding:
    """A minimal presidio-style recognizer that fails."""

    def __init__(self) -> None:
        from presidio_analyzer import EntityRecognizer

        class Boom(EntityRecognizer):
            def load(self) -> None:
                pass

            def analyze(self, text, entities, nlp_artifacts=None):
                raise RuntimeError("boom: " + text)

        self.rec = Boom(supported_entities=["BOOM"], supported_language="zh")


def test_recognizer_failure_raises_inspection_error() -> None:
    eng = DetectionEngine(recognizers=[_Exploding().rec])
    with pytest.raises(InspectionError) as exc:
        eng.analyze("机密内容不应出现在错误信息里")
    assert "机密内容" not in str(exc.value)


def test_normalizer_failure_raises_inspection_error() -> None:
    def broken(text: str) -> Normalized:
        raise ValueError(text)

    with pytest.raises(InspectionError):
        DetectionEngine(normalizer=broken).analyze("任何文本")


def test_regex_timeout_raises_inspection_error() -> None:
    eng = DetectionEngine(normalizer=identity, regex_timeout=1e-6)
    with pytest.raises(InspectionError):
        eng.analyze("机密机密 " * 50_000)


def test_exhausted_budget_raises_inspection_error() -> None:
    eng = DetectionEngine(normalizer=identity, total_timeout=0.0)
    with pytest.raises(InspectionError):
        eng.analyze("普通文本")


def test_budgets_are_per_thread() -> None:
    strict = DetectionEngine(normalizer=identity, regex_timeout=1e-6)
    normal = DetectionEngine(normalizer=identity)
    text = "机密机密 " * 50_000 + "\n机密★5年\n关于某事的通知"
    outcomes: dict[str, object] = {}
    barrier = threading.Barrier(2)

    def run(name: str, engine: DetectionEngine) -> None:
        barrier.wait()
        try:
            outcomes[name] = engine.analyze(text)
        except InspectionError as exc:
            outcomes[name] = exc

    threads = [threading.Thread(target=run, args=a) for a in (("strict", strict), ("normal", normal))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert isinstance(outcomes["strict"], InspectionError)
    assert isinstance(outcomes["normal"], list) and any(f.score >= 0.9 for f in outcomes["normal"])


def test_concurrent_analyze_matches_sequential(eng: DetectionEngine) -> None:
    texts = [DOC, "内部资料\u3000注意保存\n\n形势分析", "CONFIDENTIAL – 5 YEARS\nMinutes", "他看到1份机密级文件。",
             "秘密★ l年\n某大学党委组织部", "Keep this secret between us."] * 8
    expected = [eng.analyze(t) for t in texts]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(eng.analyze, texts))
    assert got == expected


# -- extensibility: a plain presidio recognizer plugs in -------------------------------------------------

def test_plain_presidio_pattern_recognizer_plugs_in() -> None:
    from presidio_analyzer import Pattern, PatternRecognizer

    from proxy.detection.recognizers import default_recognizers

    codename = PatternRecognizer(supported_entity="PROJECT_CODENAME", supported_language="zh",
                                 patterns=[Pattern("codename", r"青鸾计划", 0.8)])
    eng = DetectionEngine(recognizers=[*default_recognizers(), codename],
                          categories={"PROJECT_CODENAME": "custom_keyword"})
    [f] = eng.analyze("关于青鸾计划的进展")
    assert (f.entity, f.category, f.recognizer) == ("PROJECT_CODENAME", "custom_keyword", "PatternRecognizer")


# -- offline, no import-time side effects -----------------------------------------------------------------

def test_importing_detection_modules_has_no_side_effects() -> None:
    code = ("import os, sys\n"
            "os.environ.pop('TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS', None)\n"
            "import proxy.detection.engine, proxy.detection.categories, proxy.detection.recognizers\n"
            "assert 'presidio_analyzer' not in sys.modules, 'presidio imported at import time'\n"
            "assert 'TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS' not in os.environ\n"
            "from proxy.detection.engine import DetectionEngine\n"
            "e = DetectionEngine()\n"
            "assert os.environ['TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS'] == ''\n"
            "print(len(e.analyze('机密★5年')))\n")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "1"
