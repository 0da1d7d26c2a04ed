"""Themes of non-public content and the grouping of weighted lexicon hits per theme or cue.

:data:`THEMES` (theme -> label used in ``why``) and :data:`CUES` name the groups of ``lexicons/nonpublic/``.
:class:`_Group` holds one group's hits in text order: :meth:`_Group.total` sums distinct terms (a repeated term
adds 25% per repeat, at most 1.5x its weight) and :meth:`_Group.densest` finds the densest window of a given
width (density normalisation). Split out of :mod:`proxy.detection.scorers.nonpublic`.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field

#: theme -> label used in ``why``
THEMES: dict[str, str] = {
    "discipline": "纪律审查/案件 (discipline or enforcement case material)",
    "inspection": "巡视巡察 (inspection findings/drafts)",
    "personnel": "干部选拔 (cadre selection/personnel decisions)",
    "whistleblower": "信访举报 (reporter-identifying petition/report)",
    "defence": "国防军事 (defence/military details)",
    "security": "安保维稳 (security operations/stability control)",
    "exam": "考试试题 (exam material before use)",
    "unreleased": "未发布 (material not yet released: figures, policies, bids, decisions)",
    "incident": "安全事件 (security incident details)",
}
CUES = ("process", "restriction", "public", "training", "fiction")


def _repeat(w: float, n: int) -> float:
    """Contribution of a term seen ``n`` times: its weight, +25% per repeat, at most 1.5x."""
    return w * min(1.0 + 0.25 * (n - 1), 1.5)


@dataclass
class _Group:
    pos: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    key: list[int] = field(default_factory=list)
    w: list[float] = field(default_factory=list)

    def add(self, s: int, e: int, k: int, w: float) -> None:
        self.pos.append(s)
        self.end.append(e)
        self.key.append(k)
        self.w.append(w)

    def total(self, lo: int = 0, hi: int | None = None) -> float:
        """Sum over distinct terms (with repeats) of the hits starting in ``[lo, hi)``."""
        i = bisect.bisect_left(self.pos, lo) if lo > 0 else 0
        j = bisect.bisect_left(self.pos, hi) if hi is not None else len(self.pos)
        seen: dict[int, tuple[float, int]] = {}
        keys, ws = self.key, self.w
        for x in range(i, j):
            k, w = keys[x], ws[x]
            old = seen.get(k)
            seen[k] = (max(w, old[0]), old[1] + 1) if old else (w, 1)
        return sum(_repeat(w, n) for w, n in seen.values())

    def densest(self, width: int) -> tuple[float, int, int]:
        """(sum, first index, last index) of the best window of ``width`` characters."""
        best = (0.0, 0, -1)
        counts: dict[int, int] = {}
        weights: dict[int, float] = {}
        cur = 0.0
        lo = 0
        for hi in range(len(self.pos)):
            k, w = self.key[hi], self.w[hi]
            n = counts.get(k, 0)
            if n:
                cur -= _repeat(weights[k], n)
            weights[k] = max(w, weights.get(k, 0.0)) if n else w
            counts[k] = n + 1
            cur += _repeat(weights[k], n + 1)
            while self.pos[hi] - self.pos[lo] > width:
                k0 = self.key[lo]
                n0 = counts[k0]
                cur -= _repeat(weights[k0], n0)
                if n0 > 1:
                    counts[k0] = n0 - 1
                    cur += _repeat(weights[k0], n0 - 1)
                else:
                    del counts[k0]
                    del weights[k0]
                lo += 1
            if cur > best[0] + 1e-9:
                best = (cur, lo, hi)
        return best


def _group(groups: dict[str, _Group], name: str) -> _Group:
    g = groups.get(name)
    if g is None:
        g = groups[name] = _Group()
    return g
