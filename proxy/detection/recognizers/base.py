"""Base class of baomi's marking recognizers: presidio ``LocalRecognizer`` + bounded regexes + a judge.

A recognizer is mostly data: ``PATTERNS`` (name, regex) find marking-SHAPED candidates cheaply; ``judge()``
decides marking vs mention from the candidate's placement and syntax and returns a :class:`Verdict` (or
None for "not a marking"). Results are presidio ``RecognizerResult`` objects whose
``recognition_metadata`` carries ``category`` and ``why`` for the engine.

Unlike presidio's ``PatternRecognizer`` (which logs and *skips* a pattern that times out: fail open), a
timeout here raises ``InspectionError`` so the request is blocked (fail closed).
"""
from __future__ import annotations

from abc import abstractmethod

from dataclasses import dataclass
from typing import Any, ClassVar

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult

from proxy.detection import bounded

LANGUAGE = "zh"  # one pseudo-language: every recognizer reads mixed Chinese/English text
CATEGORY_KEY = "category"
WHY_KEY = "why"


@dataclass(frozen=True, slots=True)
class Verdict:
    score: float
    why: str
    entity: str | None = None  # None: the recognizer's main entity


class MarkingRecognizer(LocalRecognizer):
    #: entity -> category; the first entity is the main one
    ENTITY_CATEGORIES: ClassVar[dict[str, str]] = {}
    #: (pattern name, regex source, regex flags)
    PATTERNS: ClassVar[tuple[tuple[str, str, int], ...]] = ()
    #: results below this score are not reported
    MIN_SCORE: ClassVar[float] = 0.3
    #: after this many clear markings (score >= STRONG) the text is decided: stop looking (bounds work)
    STRONG: ClassVar[float] = 0.85
    MAX_STRONG: ClassVar[int] = 32

    def __init__(self, name: str | None = None, supported_language: str = LANGUAGE) -> None:
        self._compiled = [(n, bounded.compile(p, f)) for n, p, f in self.PATTERNS]
        super().__init__(supported_entities=list(self.ENTITY_CATEGORIES), name=name,
                         supported_language=supported_language)

    @property
    def entity(self) -> str:
        return next(iter(self.ENTITY_CATEGORIES))

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def prepare(self, text: str) -> Any:
        """Document-level state computed once per text and handed to ``judge`` (default: nothing)."""
        return None

    @abstractmethod
    def judge(self, text: str, m: regex.Match, pattern: str, state: Any) -> Verdict | None:
        """Marking or mention: a Verdict for a marking, None for a mention (each recognizer decides)."""

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts: Any = None,
                **_: Any) -> list[RecognizerResult]:
        state = self.prepare(text)
        results: list[RecognizerResult] = []
        strong = 0
        for name, rx in self._compiled:
            where = f"{self.name}.{name}"
            for m in bounded.finditer(rx, text, where):
                v = self.judge(text, m, name, state)
                if v is None or v.score < self.MIN_SCORE:
                    continue
                entity = v.entity or self.entity
                results.append(RecognizerResult(
                    entity_type=entity, start=m.start(), end=m.end(), score=v.score,
                    recognition_metadata={
                        RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                        RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                        CATEGORY_KEY: self.ENTITY_CATEGORIES[entity],
                        WHY_KEY: v.why,
                    }))
                if v.score >= self.STRONG:
                    strong += 1
                    if strong >= self.MAX_STRONG:
                        return results
        return results
