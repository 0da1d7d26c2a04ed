"""The organisation's own recognizers and allow-lists, compiled from the policy.

They run inside the detection engine (``DetectionEngine.analyze(text, extra=...)``) on the same normalized
text as the built-in recognizers, so a code name written with spaces, full-width or traditional characters
is found too, and spans map back to the original text. Terms are normalized the same way when compiled.

Keyword and dictionary terms go into one Aho-Corasick automaton (a staff list of thousands of names costs
one pass over the text); patterns run through ``proxy.detection.bounded`` with the request's regex budget.
ASCII terms need a word boundary (``ABC`` does not match inside ``ABCD``); CJK terms do not (Chinese has no
spaces between words).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ahocorasick

from proxy.detection import bounded
from proxy.text.normalize import normalize

ALLOW_ENTITY = "BAOMI_ALLOW_LIST"
ALLOW_CATEGORY = "allow_list"


def canonical(term: str) -> str:
    return normalize(term).text.strip().lower()


def read_dictionary(path: Path, default: float) -> dict[str, float]:
    """``term`` or ``term<TAB>weight`` per line; ``#`` starts a comment line."""
    out: dict[str, float] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        term, _, weight = line.partition("\t")
        try:
            w = float(weight) if weight.strip() else default
        except ValueError:
            raise ValueError(f"{path}:{n}: weight {weight.strip()!r} is not a number / 权重不是数字") from None
        if not 0.0 <= w <= 1.0:
            raise ValueError(f"{path}:{n}: weight must lie between 0 and 1 / 权重应在 0 到 1 之间")
        out[term.strip()] = w
    return out


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # a few characters lower-case to two (İ): keep those as they are so offsets stay aligned
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _word_char(c: str) -> bool:
    return c.isascii() and (c.isalnum() or c == "_")


class TermMatcher:
    """Case-insensitive multi-term search over normalized text."""

    def __init__(self, terms: dict[str, Any]) -> None:
        self._auto = ahocorasick.Automaton()
        self.size = 0
        for term, value in terms.items():
            key = canonical(term)
            if key:
                self._auto.add_word(key, (len(key), key, value))
                self.size += 1
        if self.size:
            self._auto.make_automaton()

    def find(self, text: str) -> list[tuple[int, int, str, Any]]:
        if not self.size:
            return []
        low = _lower_same_length(text)
        out = []
        for end, (length, key, value) in self._auto.iter(low):
            start, stop = end - length + 1, end + 1
            if _word_char(key[0]) and start > 0 and _word_char(low[start - 1]):
                continue
            if _word_char(key[-1]) and stop < len(low) and _word_char(low[stop]):
                continue
            out.append((start, stop, key, value))
        return out


def _result(entity: str, start: int, end: int, score: float, name: str, category: str, why: str) -> Any:
    from presidio_analyzer import RecognizerResult

    return RecognizerResult(entity_type=entity, start=start, end=end, score=score,
                            recognition_metadata={"recognizer_name": name, "category": category, "why": why})


@dataclass(frozen=True)
class PolicyRecognizer:
    """One ``recognizers:`` entry of the policy (presidio's ``analyze`` call shape)."""

    name: str
    entity: str
    category: str
    terms: TermMatcher
    patterns: tuple[tuple[Any, float], ...]
    combine: str

    @property
    def supported_entities(self) -> list[str]:
        return [self.entity]

    def analyze(self, text: str, entities: Any = None, nlp_artifacts: Any = None) -> list[Any]:
        hits = [(s, e, w, "keyword") for s, e, _k, w in self.terms.find(text)]
        for rx, score in self.patterns:
            for m in bounded.finditer(rx, text, f"policy recognizer {self.name}"):
                if m.end() > m.start():
                    hits.append((m.start(), m.end(), score, "pattern"))
        if self.combine == "sum" and hits:
            total = min(1.0, sum({text[s:e].lower(): w for s, e, w, _ in hits}.values()))
            hits = [(s, e, total, kind) for s, e, _w, kind in hits]
        why = f"policy recognizer {self.name}"
        return [_result(self.entity, s, e, w, self.name, self.category, f"{why} ({kind})") for s, e, w, kind in hits]


@dataclass(frozen=True)
class AllowListRecognizer:
    """Marks allow-listed text; findings lying inside such a span are dropped by ``evaluate``."""

    name: str
    terms: TermMatcher
    patterns: tuple[Any, ...]

    @property
    def supported_entities(self) -> list[str]:
        return [ALLOW_ENTITY]

    def analyze(self, text: str, entities: Any = None, nlp_artifacts: Any = None) -> list[Any]:
        spans = [(s, e) for s, e, _k, _v in self.terms.find(text)]
        for rx in self.patterns:
            spans.extend((m.start(), m.end()) for m in bounded.finditer(rx, text, "policy allow-list")
                         if m.end() > m.start())
        return [_result(ALLOW_ENTITY, s, e, 1.0, self.name, ALLOW_CATEGORY, "allow-list") for s, e in spans]


def compile_recognizer(spec: Any, base_dir: Path) -> PolicyRecognizer:
    terms: dict[str, float] = {}
    if isinstance(spec.keywords, dict):
        terms.update(spec.keywords)
    else:
        terms.update({k: spec.score for k in spec.keywords})
    if spec.dictionary:
        terms.update(read_dictionary(base_dir / spec.dictionary, spec.score))
    pats = tuple((bounded.compile(p.pattern, _flags()), p.score) for p in spec.patterns)
    return PolicyRecognizer(spec.name, spec.entity, spec.category, TermMatcher(terms), pats, spec.combine)


def compile_allow_list(name: str, phrases: tuple[str, ...], regexes: tuple[str, ...]) -> AllowListRecognizer | None:
    if not phrases and not regexes:
        return None
    return AllowListRecognizer(name, TermMatcher({p: None for p in phrases}),
                               tuple(bounded.compile(r, _flags()) for r in regexes))


def _flags() -> int:
    import regex

    return regex.IGNORECASE | regex.V0
