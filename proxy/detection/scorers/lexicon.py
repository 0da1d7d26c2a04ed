"""Weighted lexicons over one Aho-Corasick automaton (pyahocorasick), built once per process.

Data files (UTF-8 plain text, shipped as package data under ``proxy/detection/lexicons/``)::

    # comment
    @group discipline          <- the group of the lines that follow (default: the file's stem)
    3    谈话笔录               <- weight, whitespace, term (a term may contain single spaces: "do not share")
    0    考察学习               <- weight 0: a SHADOW term; it is matched and hides the shorter terms inside it

Matching
--------
* Terms are put through the same normalization as the inspected text (``proxy.text.normalize``) and ASCII
  letters are lower-cased; the text is lower-cased with ``str.lower`` (or, in the rare case that changes its
  length, ASCII-only with ``str.translate``), so offsets stay those of the canonical text.
* Terms made of ASCII only must sit on word boundaries (no ASCII letter or digit on either side).
* Longest match wins: a hit that lies inside a longer hit is dropped, so ``尚未公示`` (a restriction) hides
  ``公示`` (a publication cue) and ``考察学习`` (weight 0) hides ``考察``.
* The same term may appear in several groups (one hit, several (group, weight) pairs).

Bounded: at most :data:`MAX_TRIGGERS_PER_GROUP` trigger hits per group are kept (the rest cost one loop turn
each), at most ``max(MAX_HITS, len(text) // HITS_PER_CHARS)`` hits are kept and ``max(2 * MAX_HITS,
len(text) // 4)`` looked at per text (more raises ``InspectionError``: fail closed), and the overall inspection
budget is checked while iterating.
"""
from __future__ import annotations

import functools
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import ahocorasick

from proxy.detection import bounded
from proxy.detection.errors import InspectionError

#: more automaton hits than ``max(MAX_HITS, len(text) // HITS_PER_CHARS)`` in one text: refuse (InspectionError,
#: fail closed). An ordinary 8,000-character document has a few hundred.
MAX_HITS = 40_000
HITS_PER_CHARS = 8
#: occurrences of one trigger group kept per text (the features built on them saturate long before)
MAX_TRIGGERS_PER_GROUP = 2_000
_CHECK_EVERY = 4096
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_WORD = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def ascii_lower(text: str) -> str:
    return text.translate(_ASCII_LOWER)


@dataclass(frozen=True, slots=True)
class Entry:
    term: str  # canonical, ASCII lower-cased
    senses: tuple[tuple[str, float], ...]  # (group, weight) of weighted groups; weight 0 = shadow only
    ascii_word: bool  # must sit on ASCII word boundaries
    triggers: tuple[str, ...] = ()  # trigger groups (names starting with "_")


@dataclass(slots=True)
class Hits:
    """Surviving hits of one text, in text order: parallel lists (cheap to build and to scan)."""

    starts: list[int]
    ends: list[int]
    entries: list[int]  # index into ``Lexicon.entries``
    #: (start, end, trigger group) of trigger terms: every occurrence, never filtered by longer hits
    triggers: list[tuple[int, int, str]] = field(default_factory=list)


class Lexicon:
    def __init__(self, rows: Iterable[tuple[str, float, str]]) -> None:
        """``rows``: (term, weight, group). Terms are normalized here. A group whose name starts with "_" is a
        TRIGGER group: its terms are reported in ``Hits.triggers`` (all occurrences) for code that looks at
        the text around them, and take no part in the longest-match filtering."""
        from proxy.text.normalize import normalize

        senses: dict[str, dict[str, float]] = {}
        for term, weight, group in rows:
            key = ascii_lower(normalize(term).text.strip())
            if not key:
                continue
            g = senses.setdefault(key, {})
            g[group] = max(weight, g.get(group, 0.0))
        self.entries: tuple[Entry, ...] = tuple(
            Entry(k, tuple(sorted((g, w) for g, w in v.items() if not g.startswith("_"))), k.isascii(),
                  tuple(sorted(g for g in v if g.startswith("_"))))
            for k, v in sorted(senses.items()))
        self.groups: frozenset[str] = frozenset(g for e in self.entries for g, _ in e.senses) | frozenset(
            g for e in self.entries for g in e.triggers)
        auto = ahocorasick.Automaton()
        for i, e in enumerate(self.entries):
            auto.add_word(e.term, i)
        auto.make_automaton()
        self._auto = auto

    def __len__(self) -> int:
        return len(self.entries)

    def find(self, text: str, where: str = "lexicon") -> Hits:
        """Hits in ``text`` (canonical text), longest-match filtered, in order of start."""
        low = text.lower()
        if len(low) != len(text):  # a few characters lower-case to two (İ): keep offsets exact
            low = ascii_lower(text)
        raw: list[tuple[int, int, int]] = []
        triggers: list[tuple[int, int, str]] = []
        entries = self.entries
        n = len(low)
        seen = 0  # automaton hits, for the budget check
        kept = 0  # hits kept (weighted terms, and trigger hits under their cap)
        limit = max(MAX_HITS, n // HITS_PER_CHARS)
        limit_seen = max(2 * MAX_HITS, n // 4)  # one hit per 4 characters: repetition, not a document
        per_trigger: dict[str, int] = {}
        for end_idx, i in self._auto.iter(low):
            seen += 1
            if seen % _CHECK_EVERY == 0:
                bounded.check(where)
                if seen > limit_seen:
                    raise InspectionError(f"too many lexicon hits in {where}")
            e = entries[i]
            fresh: list[str] = []
            if e.triggers:
                for g in e.triggers:
                    k = per_trigger.get(g, 0)
                    if k < MAX_TRIGGERS_PER_GROUP:
                        per_trigger[g] = k + 1
                        fresh.append(g)
                if not fresh and not e.senses:
                    continue  # a saturated trigger: costs one loop turn, nothing else
            start = end_idx - len(e.term) + 1
            if e.ascii_word:
                if (start > 0 and low[start - 1] in _WORD) or (end_idx + 1 < n and low[end_idx + 1] in _WORD):
                    continue
            kept += 1
            if kept > limit:
                raise InspectionError(f"too many lexicon hits in {where}")
            for g in fresh:
                triggers.append((start, end_idx + 1, g))
            if not e.senses:
                continue
            raw.append((start, -(end_idx + 1), i))
        raw.sort()
        starts: list[int] = []
        ends: list[int] = []
        idx: list[int] = []
        cover = -1
        for s, neg_end, i in raw:
            e = -neg_end
            if e <= cover:  # inside a longer (or equal, earlier-starting) hit
                continue
            cover = e
            starts.append(s)
            ends.append(e)
            idx.append(i)
        return Hits(starts, ends, idx, triggers)


def parse(lines: Iterable[str], default_group: str, source: str = "") -> list[tuple[str, float, str]]:
    """Rows of one lexicon file. Raises ``ValueError`` naming the file and line on a malformed line."""
    rows: list[tuple[str, float, str]] = []
    group = default_group
    for n, raw in enumerate(lines, 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("@group"):
            group = line.split(None, 1)[1].strip() if len(line.split(None, 1)) == 2 else ""
            if not group:
                raise ValueError(f"{source}:{n}: @group without a name")
            continue
        parts = line.split(None, 1)
        try:
            weight = float(parts[0])
            term = parts[1].strip()
        except (ValueError, IndexError):
            raise ValueError(f"{source}:{n}: expected 'weight term'") from None
        if weight < 0:
            raise ValueError(f"{source}:{n}: negative weight")
        rows.append((term, weight, group))
    return rows


def _package_dir(name: str):
    return resources.files("proxy.detection").joinpath("lexicons").joinpath(name)


def read_dir(name_or_path: str | Path) -> list[tuple[str, float, str]]:
    """All rows of the ``*.txt`` files of a lexicon directory: a package directory name
    (``proxy/detection/lexicons/<name>``) or a filesystem path."""
    p = Path(name_or_path)
    # a bare name is a package directory (never a directory that happens to sit in the working directory)
    base = p if (isinstance(name_or_path, Path) or "/" in str(name_or_path) or "\\" in str(name_or_path)) \
        else _package_dir(str(name_or_path))
    files = sorted((f for f in base.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name)
    if not files:
        raise FileNotFoundError(f"no lexicon files in {name_or_path}")
    rows: list[tuple[str, float, str]] = []
    for f in files:
        stem = f.name[:-4]
        rows += parse(f.read_text(encoding="utf-8").splitlines(), stem, f.name)
    return rows


_lock = threading.Lock()


@functools.lru_cache(maxsize=8)
def _cached(name: str, extra: tuple[tuple[str, float, str], ...] = ()) -> Lexicon:
    return Lexicon(read_dir(name) + list(extra))


def load(name: str | Path, extra: Iterable[tuple[str, float, str]] = ()) -> Lexicon:
    """The lexicon of a directory (plus ``extra`` rows, e.g. trigger terms), built once per process."""
    with _lock:
        return _cached(str(name), tuple(extra))
