"""Timing script for proxy.text.normalize (not a test; tests never assert wall-clock times).

    .venv/bin/python tests/text/bench_normalize.py

Prints the median and p90 of ``normalize`` per text for a few kinds of input, then the time of ``normalize`` on
each 1 MB adversarial input of tests/text/test_normalize_adversarial.py (best of two runs; ``--no-adversarial``
skips them).  The shared development corpus (../shared/corpus/dev.jsonl) is used when present.
"""
from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from proxy.text.normalize import char_table, normalize  # noqa: E402
from test_normalize_adversarial import ADVERSARIAL  # noqa: E402

CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"

ORDINARY = (
    "为进一步做好今年的防汛抗旱工作，市水务局于6月3日召开专题会议，对汛期各项准备工作进行了部署。"
    "会议指出，今年以来全市降水偏多，部分河道水位持续偏高，防汛形势不容乐观。各区要压实责任，"
    "加强巡查值守，对重点部位、薄弱环节逐一排查，确保隐患早发现、早处置。（记者 王某）\n"
    "另据气象部门预测，7月至8月我市可能出现阶段性强降雨过程，请广大市民关注天气预报，"
    "合理安排出行：雨天尽量减少外出；遇积水路段不要强行通过！如有险情，请及时拨打当地应急电话。\n"
    "附：2024年汛期值班安排表（略）——市防汛抗旱指挥部办公室\n"
)
DISGUISED = "机 密 ★ 5 年\n機密☆１０年\u200b内 部 资 料，绝-密★启用前\n秘 密 * 1 年\n"


def para(n: int, src: str) -> str:
    s = src
    while len(s) < n:
        s += src
    return s[:n]


def main() -> None:
    t0 = time.perf_counter()
    char_table()
    print(f"first-use table build: {(time.perf_counter() - t0) * 1e3:.0f} ms")
    cases = {
        "ordinary zh 2000": para(2000, ORDINARY),
        "ordinary zh 8000": para(8000, ORDINARY),
        "ascii 2000": para(2000, "The quick brown fox jumps over the lazy dog. def f(x): return x * 2  # c\n"),
        "disguise-heavy 2000": para(2000, DISGUISED + ORDINARY[:300]),
        "disguise-heavy 8000": para(8000, DISGUISED + ORDINARY[:300]),
    }
    if CORPUS.exists():
        rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
        zh = "\n".join(
            r["text"] for r in rows if sum("\u4e00" <= c <= "\u9fff" for c in r["text"]) > len(r["text"]) / 2
        )
        cases["dev corpus zh 2000"] = para(2000, zh)
        cases["dev corpus zh 8000"] = para(8000, zh)
    for name, text in cases.items():
        n = 300 if len(text) > 3000 else 1000
        times = []
        for _ in range(n):
            a = time.perf_counter()
            r = normalize(text)
            times.append(time.perf_counter() - a)
        times.sort()
        print(
            f"{name:22s} median={statistics.median(times) * 1e3:.3f} ms  p90={times[int(n * 0.9)] * 1e3:.3f} ms"
            f"  offset_map={'identity' if r.starts is None else 'built'}"
        )
    if "--no-adversarial" in sys.argv:
        return
    print("adversarial inputs, 1 MB each:")
    for name, text in ADVERSARIAL.items():
        best = min(_timed(text) for _ in range(2))
        print(f"  {name:28s} {best * 1e3:7.1f} ms")


def _timed(text: str) -> float:
    a = time.perf_counter()
    normalize(text)
    return time.perf_counter() - a


if __name__ == "__main__":
    main()
