"""Timing of the detection engine: ``python -m proxy.detection.bench``.

Prints the median ``DetectionEngine.analyze`` time on ordinary Chinese text of 2,000 and 8,000 characters
(built from the development corpus's allow categories when present, else a built-in paragraph), the time
per recognizer, the normalizer's share, and presidio's ``AnalyzerEngine.analyze`` over the same registry for
comparison. Not a test: numbers depend on the machine.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

_FALLBACK = ("根据学院工作安排，现将本学期教学检查有关事项通知如下：一、检查时间为第十周至第十二周；二、检查内容包括教学进度、"
             "课堂教学质量、作业批改和实验教学情况；三、请各系部认真组织自查，并于检查结束后一周内提交总结报告。\n")


def sample_text(n: int) -> str:
    corpus = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "dev.jsonl"
    base = _FALLBACK
    if corpus.exists():
        rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
        allow = ("public_doc", "benign_writing", "about_secrecy")
        base = "".join(r["text"] + "\n" for r in rows if r["category"] in allow)
    return (base * (n // len(base) + 1))[:n]


def median_ms(fn, n: int = 200) -> float:
    for _ in range(10):
        fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    from proxy.detection.engine import DetectionEngine
    from proxy.text.normalize import normalize

    t0 = time.perf_counter()
    engine = DetectionEngine()
    print(f"engine construction: {(time.perf_counter() - t0) * 1000:.0f} ms")
    for n in (2000, 8000):
        text = sample_text(n)
        canon = normalize(text).text
        print(f"{n} chars: analyze {median_ms(lambda: engine.analyze(text)):.3f} ms "
              f"(normalize {median_ms(lambda: normalize(text)):.3f} ms; "
              f"recognizers {median_ms(lambda: [r.analyze(canon) for r in engine.recognizers]):.3f} ms; "
              f"presidio AnalyzerEngine.analyze "
              f"{median_ms(lambda: engine.analyzer.analyze(canon, language='zh')):.3f} ms)")
        for rec in engine.recognizers:
            print(f"    {rec.name}: {median_ms(lambda: rec.analyze(canon)):.3f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
