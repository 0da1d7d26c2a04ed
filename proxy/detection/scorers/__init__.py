"""Document-level scorers: they run after the recognizers and judge the text as a whole.

A scorer is a small object with ``name`` and ``score(text, results) -> list[RecognizerResult]`` (see
``DetectionEngine``). Listed in :data:`BUILTIN` in the order they run; importing has no side effects.
"""
from __future__ import annotations

from typing import Any

#: module:class of every built-in scorer, in the order they run
BUILTIN: tuple[str, ...] = (
    "proxy.detection.scorers.nonpublic:NonpublicContentScorer",
    "proxy.detection.scorers.official_document:OfficialDocumentScorer",  # reads the content findings
)


def default_scorers() -> list[Any]:
    import importlib

    out = []
    for spec in BUILTIN:
        module, _, cls = spec.partition(":")
        out.append(getattr(importlib.import_module(module), cls)())
    return out
