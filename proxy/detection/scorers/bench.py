"""Timing of the 公文 structure recognizer and the non-public scorers: ``python -m proxy.detection.scorers.bench``.

Prints, for Chinese text of 2,000 and 8,000 characters (the development corpus's allow categories, and its
block categories, when the corpus is present; else a built-in paragraph): the median ``analyze`` time of the
engine with the default recognizers alone and with these parts added, and the median time of each part on
the canonical text. Runs are interleaved so that load on the machine affects both engines alike. Not a test:
numbers depend on the machine.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

from proxy.detection.bench import sample_text


def _block_text(n: int) -> str:
    corpus = Path(__file__).resolve().parents[4] / "shared" / "corpus" / "dev.jsonl"
    if not corpus.exists():
        return sample_text(n)
    rows = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()]
    base = "".join(r["text"] + "\n" for r in rows if r["expected"] == "block" and "credential" not in r["category"])
    return (base * (n // len(base) + 1))[:n]


def _medians(fns: dict, rounds: int = 300) -> dict[str, float]:
    times: dict[str, list[float]] = {k: [] for k in fns}
    for fn in fns.values():
        fn()
    for _ in range(rounds):
        for k, fn in fns.items():
            t0 = time.perf_counter()
            fn()
            times[k].append(time.perf_counter() - t0)
    return {k: statistics.median(v) * 1000 for k, v in times.items()}


def main(argv: list[str] | None = None) -> int:
    from proxy.detection import bounded
    from proxy.detection.engine import DetectionEngine
    from proxy.detection.recognizers import default_recognizers
    from proxy.detection.recognizers.cn_official_structure import CnOfficialStructureRecognizer
    from proxy.detection.scorers.nonpublic import NonpublicContentScorer
    from proxy.detection.scorers.official_document import OfficialDocumentScorer
    from proxy.text.normalize import normalize

    structure, nonpublic, combiner = CnOfficialStructureRecognizer(), NonpublicContentScorer(), OfficialDocumentScorer()
    base = DetectionEngine(recognizers=default_recognizers(), scorers=[])
    full = DetectionEngine(recognizers=default_recognizers() + [CnOfficialStructureRecognizer()],
                           scorers=[NonpublicContentScorer(), OfficialDocumentScorer()])
    for label, make in (("allow-like text", sample_text), ("block-like text", _block_text)):
        for n in (2000, 8000):
            text = make(n)
            canon = normalize(text).text
            found = structure.analyze(canon) + nonpublic.score(canon, [])

            def parts() -> None:
                with bounded.inspection_budget(0.5, 5.0):
                    r = structure.analyze(canon)
                    r += nonpublic.score(canon, r)
                    combiner.score(canon, r)

            m = _medians({"engine": lambda: base.analyze(text), "engine+parts": lambda: full.analyze(text),
                          "parts": parts, "structure": lambda: structure.analyze(canon),
                          "nonpublic": lambda: nonpublic.score(canon, []),
                          "combiner": lambda: combiner.score(canon, found)})
            print(f"{label}, {n} chars: engine {m['engine']:.2f} ms -> with these parts {m['engine+parts']:.2f} ms "
                  f"(x{m['engine+parts'] / m['engine']:.2f}); parts {m['parts']:.2f} ms = structure "
                  f"{m['structure']:.2f} + non-public {m['nonpublic']:.2f} + combiner {m['combiner']:.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
