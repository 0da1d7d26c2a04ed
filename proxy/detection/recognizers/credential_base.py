"""The base of the credential recognizers (``credential_*.py``): entity names, :class:`Rule` and
:class:`Hit`, the trigger scan shared by all of them, anchored regex helpers, and the
:class:`CredentialRecognizer` base class.

Every credential recognizer is a :class:`CredentialRecognizer`: ``RULES`` (data) name literal-prefixed
regexes and the literal TRIGGERS that gate them (a rule whose triggers are absent from the text costs
nothing); ``judge`` turns a match into :class:`Hit` objects. Regexes run through
``proxy.detection.bounded`` (timeouts, fail closed); Python loops over inspected text are capped.

``why`` strings are fixed reasons: they never contain any part of the inspected text, so a finding can be
logged without leaking the secret it found.

Case-insensitive rules (``fold=True``) run a case-sensitive literal-first regex on the lower-cased text
(same offsets: :func:`lowered` keeps the length), which the ``regex`` module searches ~10x faster than an
``(?i)`` alternation; values are then read from the original text, where case matters.

Triggers: one Aho-Corasick pass (pyahocorasick) over the lower-cased text finds which triggers of all
credential rules occur; the result is shared by the recognizers of one ``analyze`` call through a one-slot
cache that keeps no copy of the text. A rule runs only if one of its triggers occurred.
"""
from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult

from proxy.detection import bounded
from proxy.detection.errors import InspectionError, RegexTimeout

LANGUAGE = "zh"
CATEGORY = "credential"
CATEGORY_KEY = "category"
WHY_KEY = "why"

# entities (all of category ``credential``)
API_KEY = "API_KEY"  # provider-format key or a random value under an api-key / token label
ACCESS_KEY_ID = "ACCESS_KEY_ID"  # cloud access key id (LTAI…, AKIA…, AKID…): the public half of a pair
ACCESS_KEY_SECRET = "ACCESS_KEY_SECRET"  # the secret half of a cloud access key pair
SECRET = "SECRET"  # a random value under a secret / signing-key / 密钥 label
JWT = "JWT"
PRIVATE_KEY = "PRIVATE_KEY"
PASSWORD = "PASSWORD"
CONNECTION_STRING_PASSWORD = "CONNECTION_STRING_PASSWORD"


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern family. ``pattern`` should start with a literal (fast search)."""

    name: str
    pattern: str
    triggers: tuple[str, ...] = ()  # the rule runs only if one of these substrings occurs
    fold: bool = False  # pattern and triggers apply to the lower-cased text
    flags: int = 0
    dense: int = 0  # minimum plausible spacing of real candidates (0: the recognizer's DENSE_SPACING)


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    score: float
    why: str
    entity: str | None = None  # None: the recognizer's main entity


# ----------------------------------------------------------------------------------------------------------
# per-text helpers

#: (id, length, hash) of the last text scanned for triggers, and the triggers found; the text itself is not
#: kept (no copy of inspected text outlives the call)
_found_cache: tuple[tuple[int, int, int], frozenset[str]] | None = None
#: every trigger of every credential rule (lower case), and one Aho-Corasick automaton over them
_TRIGGERS: set[str] = set()
_automaton: tuple[Any, int] | None = None
_lock = threading.Lock()


def lowered(text: str) -> str:
    """``text.lower()`` with the same length. U+0130 (İ) is the only character whose lower case is two
    code points; it becomes a plain ``i`` so that offsets stay exact."""
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    return text.lower()


def register_triggers(triggers: Iterable[str]) -> None:
    """Add rule triggers to the shared automaton (rebuilt lazily on the next scan)."""
    global _automaton, _found_cache
    with _lock:
        new = {t.lower() for t in triggers} - _TRIGGERS
        if new:
            _TRIGGERS.update(new)
            _automaton = None
            _found_cache = None


def _build() -> tuple[Any, int]:
    """A fresh automaton over the registered triggers, and how many there are."""
    import ahocorasick

    with _lock:
        words = sorted(_TRIGGERS)
    a = ahocorasick.Automaton()
    for t in words:
        a.add_word(t, t)
    a.make_automaton()
    return a, len(words)


def triggers_in(text: str) -> frozenset[str]:
    """The registered triggers (lower case) that occur in ``text`` case-insensitively: one C pass over the
    lower-cased text, shared by all credential recognizers of an ``analyze`` call (one-slot cache keyed by
    the text's identity, length and hash)."""
    global _found_cache, _automaton
    key = (id(text), len(text), hash(text))
    c = _found_cache
    if c is not None and c[0] == key:
        return c[1]
    built = _automaton
    if built is None:
        built = _automaton = _build()
    auto, total = built
    low = lowered(text)
    found: set[str] = set()
    if total:
        for i, (_, t) in enumerate(auto.iter(low)):
            found.add(t)
            if not i % 4096:
                bounded.check("credential.triggers")
                if len(found) == total:
                    break
    out = frozenset(found)
    _found_cache = (key, out)
    return out


def match_at(rx: regex.Pattern, text: str, pos: int, where: str, endpos: int | None = None) -> regex.Match | None:
    """``rx.match`` anchored at ``pos`` with the inspection timeout (fail closed)."""
    try:
        if endpos is None:
            return rx.match(text, pos, timeout=bounded.timeout(where))
        return rx.match(text, pos, endpos, timeout=bounded.timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def search_in(rx: regex.Pattern, text: str, pos: int, endpos: int, where: str) -> regex.Match | None:
    try:
        return rx.search(text, pos, endpos, timeout=bounded.timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def line_bounds(text: str, start: int, end: int, cap: int = 400) -> tuple[int, int]:
    """Start and end of the line around ``[start, end)``, each at most ``cap`` characters away."""
    lo = max(0, start - cap)
    nl = text.rfind("\n", lo, start)
    ls = nl + 1 if nl >= 0 else lo
    hi = min(len(text), end + cap)
    nl = text.find("\n", end, hi)
    le = nl if nl >= 0 else hi
    return ls, le


# ----------------------------------------------------------------------------------------------------------
# the base class


class CredentialRecognizer(LocalRecognizer):
    #: entity -> category; the first entity is the main one
    ENTITY_CATEGORIES: ClassVar[dict[str, str]] = {}
    RULES: ClassVar[tuple[Rule, ...]] = ()
    #: results below this score are not reported
    MIN_SCORE: ClassVar[float] = 0.3
    #: once this many clear findings (score >= STRONG) are in, the text is decided: stop (bounds work)
    STRONG: ClassVar[float] = 0.85
    MAX_STRONG: ClassVar[int] = 64
    #: degenerate input (``password=`` repeated): more than DENSE_AFTER candidates of one rule at more than
    #: one per DENSE_SPACING characters, or more than MAX_CANDIDATES in all, fails closed at once instead of
    #: at the regex timeout
    DENSE_AFTER: ClassVar[int] = 2_000
    DENSE_SPACING: ClassVar[int] = 16
    MAX_CANDIDATES: ClassVar[int] = 50_000

    def __init__(self, name: str | None = None, supported_language: str = LANGUAGE) -> None:
        self._compiled = [(r, bounded.compile(r.pattern, r.flags)) for r in self.RULES]
        #: lower-cased trigger -> indices of the rules it enables; rules without triggers always run
        self._by_trigger: dict[str, tuple[int, ...]] = {}
        for i, r in enumerate(self.RULES):
            for t in {t.lower() for t in r.triggers}:
                self._by_trigger[t] = (*self._by_trigger.get(t, ()), i)
        self._triggers = frozenset(self._by_trigger)
        self._always = tuple(i for i, r in enumerate(self.RULES) if not r.triggers)
        register_triggers(self._triggers)
        super().__init__(supported_entities=list(self.ENTITY_CATEGORIES), name=name,
                         supported_language=supported_language)

    @property
    def entity(self) -> str:
        return next(iter(self.ENTITY_CATEGORIES))

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def judge(self, text: str, m: regex.Match, rule: Rule) -> Iterable[Hit] | Hit | None:
        """Default: dispatch to ``self._<rule name>(text, m)``."""
        return getattr(self, "_" + rule.name)(text, m)

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts: Any = None,
                **_: Any) -> list[RecognizerResult]:
        if not text:
            return []
        best: dict[tuple[int, int, str], Hit] = {}
        strong = 0
        present = triggers_in(text) & self._triggers
        active = set(self._always)
        for t in present:
            active.update(self._by_trigger[t])
        low: str | None = None
        for i in sorted(active):
            rule, rx = self._compiled[i]
            if rule.fold and low is None:
                low = lowered(text)
            hay = low if rule.fold else text
            where = f"{self.name}.{rule.name}"
            spacing = rule.dense or self.DENSE_SPACING
            for k, m in enumerate(bounded.finditer(rx, hay, where)):
                if k >= self.DENSE_AFTER and (k * spacing > m.end() or k >= self.MAX_CANDIDATES):
                    raise InspectionError(f"too many candidates in {where}")
                out = self.judge(text, m, rule)
                if out is None:
                    continue
                for hit in (out,) if isinstance(out, Hit) else out:
                    if hit.score < self.MIN_SCORE or hit.end <= hit.start:
                        continue
                    entity = hit.entity or self.entity
                    key = (hit.start, hit.end, entity)
                    old = best.get(key)
                    if old is None or hit.score > old.score:
                        best[key] = hit
                        if hit.score >= self.STRONG and (old is None or old.score < self.STRONG):
                            strong += 1
                if strong >= self.MAX_STRONG:
                    return self._results(best)
        return self._results(best)

    def _results(self, best: dict[tuple[int, int, str], Hit]) -> list[RecognizerResult]:
        return [RecognizerResult(
            entity_type=entity, start=s, end=e, score=round(h.score, 3),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                CATEGORY_KEY: self.ENTITY_CATEGORIES[entity],
                WHY_KEY: h.why,
            }) for (s, e, entity), h in sorted(best.items())]
