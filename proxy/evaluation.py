"""``baomi eval FILE.jsonl``: measure the engine + policy on a labelled corpus.

Corpus schema (``../shared/corpus/README.md``): one JSON object per line with ``id``, ``text``,
``expected`` (block | redact | allow), ``category`` and, for redact items, ``entities`` (``type``, ``text``;
every occurrence must be covered by some finding span).
"""
from __future__ import annotations

import json
import statistics
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from proxy.flow import Decision

ACTIONS = ("allow", "redact", "hold", "block")
#: allow categories that must never be blocked (the public and the educational)
NEVER_BLOCK = ("about_secrecy", "public_doc", "english_about_secrecy")


@dataclass
class Item:
    id: str
    text: str
    expected: str
    category: str
    entities: list[dict[str, str]] = field(default_factory=list)


def load(path: str | Path) -> list[Item]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            o = json.loads(line)
            items.append(Item(str(o["id"]), o["text"], o["expected"], o.get("category", ""), o.get("entities") or []))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a corpus line ({type(exc).__name__})") from None
    return items


def _occurrences(text: str, needle: str) -> list[tuple[int, int]]:
    out, i = [], text.find(needle)
    while i >= 0 and needle:
        out.append((i, i + len(needle)))
        i = text.find(needle, i + 1)
    return out


def entity_coverage(item: Item, decision: Decision) -> tuple[int, int, list[str]]:
    """(covered occurrences, all occurrences, descriptions of the missed ones)."""
    spans = [(f.start, f.end) for f in decision.findings]
    covered = total = 0
    missed: list[str] = []
    for ent in item.entities:
        for s, e in _occurrences(item.text, ent["text"]):
            total += 1
            if any(fs <= s and e <= fe for fs, fe in spans):
                covered += 1
            else:
                missed.append(f"{ent['type']}@{s}")
    return covered, total, missed


def evaluate_corpus(items: list[Item], decide: Callable[[str], Decision]) -> dict[str, Any]:
    confusion: dict[str, Counter] = defaultdict(Counter)
    per_cat: dict[str, Counter] = defaultdict(Counter)
    ms_per_kchar: list[float] = []
    wrong: list[dict[str, Any]] = []
    covered = total = 0
    never_block_hits: list[str] = []
    for it in items:
        t0 = time.perf_counter()
        d = decide(it.text)
        ms_per_kchar.append((time.perf_counter() - t0) * 1000 / max(1, len(it.text)) * 1000)
        confusion[it.expected][d.action] += 1
        per_cat[it.category]["n"] += 1
        per_cat[it.category]["ok"] += int(d.action == it.expected)
        if it.expected == "redact":
            c, t, missed = entity_coverage(it, d)
            covered, total = covered + c, total + t
        else:
            missed = []
        if d.action != it.expected or missed:
            wrong.append({"id": it.id, "expected": it.expected, "got": d.action, "category": it.category,
                          "categories": d.categories, "missed_entities": missed,
                          "reasons": [f"{f.entity}:{f.score:.2f}:{f.why}" for f in d.findings][:6]})
        if it.category in NEVER_BLOCK and d.action == "block":
            never_block_hits.append(it.id)
    n_block = sum(confusion["block"].values())
    n_allow = sum(confusion["allow"].values())
    ms_sorted = sorted(ms_per_kchar)
    return {
        "items": len(items),
        "block_recall": confusion["block"]["block"] / n_block if n_block else None,
        "allow_false_positive_rate": (n_allow - confusion["allow"]["allow"]) / n_allow if n_allow else None,
        "redact_entity_recall": covered / total if total else None,
        "redact_accuracy": (confusion["redact"]["redact"] / sum(confusion["redact"].values())
                            if confusion["redact"] else None),
        "never_block_blocked": never_block_hits,
        "per_category": {c: {"n": v["n"], "correct": v["ok"], "accuracy": v["ok"] / v["n"]}
                         for c, v in sorted(per_cat.items())},
        "confusion": {e: {a: confusion[e][a] for a in ACTIONS} for e in ("block", "redact", "allow") if confusion[e]},
        "misclassified": wrong,
        "ms_per_1000_chars": {"median": statistics.median(ms_sorted) if ms_sorted else None,
                              "p99": ms_sorted[min(len(ms_sorted) - 1, int(0.99 * (len(ms_sorted) - 1) + 0.5))]
                              if ms_sorted else None},
    }


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.3f}"


def report(r: dict[str, Any]) -> str:
    out = [f"items: {r['items']}",
           f"block recall:              {_pct(r['block_recall'])}",
           f"allow false-positive rate: {_pct(r['allow_false_positive_rate'])}",
           f"redact entity recall:      {_pct(r['redact_entity_recall'])}",
           f"redact decision accuracy:  {_pct(r['redact_accuracy'])}",
           f"public/about-secrecy items blocked: {', '.join(r['never_block_blocked']) or 'none'}",
           f"scan time per 1,000 chars: median {r['ms_per_1000_chars']['median']:.3f} ms, "
           f"p99 {r['ms_per_1000_chars']['p99']:.3f} ms", "", "per category (correct / n):"]
    for c, v in r["per_category"].items():
        out.append(f"  {c:<26}{v['correct']:>4} / {v['n']:<4}{v['accuracy']:.2f}")
    out += ["", "confusion (expected -> got):", "  " + "".join(f"{a:>8}" for a in ACTIONS)]
    for e, row in r["confusion"].items():
        out.append(f"  {e:<8}" + "".join(f"{row[a]:>8}" for a in ACTIONS))
    if r["misclassified"]:
        out += ["", "misclassified:"]
        for w in r["misclassified"]:
            extra = f" missed {w['missed_entities']}" if w["missed_entities"] else ""
            out.append(f"  {w['id']} [{w['category']}] expected {w['expected']} got {w['got']} "
                       f"{w['categories']}{extra}")
            for reason in w["reasons"][:3]:
                out.append(f"      {reason}")
    return "\n".join(out)
