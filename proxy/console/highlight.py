"""Evidence spans -> escaped HTML with ``<mark>``.

Offsets are code points into the document (Python ``str`` indices). Every character of the document is
escaped; the only markup produced is ``<mark>`` (class per category, title with category and recognizer)
and the elision markers. Overlapping spans are cut at every boundary, so each piece is marked once with
every finding covering it.

A long document (over ``CAP`` characters) is shown as windows of ``CONTEXT`` characters around each
finding, with "… N characters omitted …" between; every finding stays visible. A single finding longer
than ``LONG_SPAN`` (a whole-document content score, say) is shown by its first and last ``LONG_SPAN // 2``
characters, marked, with the middle elided.
"""
from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any, Callable

from markupsafe import Markup

CAP = 20_000
CONTEXT = 300
LONG_SPAN = 4_000


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    category: str
    recognizer: str
    entity: str


def spans_of(evidence: list[Any], length: int) -> list[Span]:
    """The well-formed spans (ints, inside the document, non-empty); anything else is left out."""
    out = []
    for e in evidence or []:
        if not isinstance(e, dict):
            continue
        s, t = e.get("start"), e.get("end")
        if isinstance(s, int) and isinstance(t, int) and not isinstance(s, bool) and 0 <= s < t <= length:
            out.append(Span(s, t, str(e.get("category") or ""), str(e.get("recognizer") or ""),
                            str(e.get("entity") or "")))
    return out


def _windows(spans: list[Span], length: int) -> list[tuple[int, int]]:
    if length <= CAP:
        return [(0, length)]
    wins = []
    for sp in spans:
        if sp.end - sp.start <= LONG_SPAN:
            wins.append((sp.start - CONTEXT, sp.end + CONTEXT))
        else:
            wins += [(sp.start - CONTEXT, sp.start + LONG_SPAN // 2), (sp.end - LONG_SPAN // 2, sp.end + CONTEXT)]
    if not wins:
        wins = [(0, CAP)]
    merged: list[tuple[int, int]] = []
    for s, e in sorted((max(0, s), min(length, e)) for s, e in wins):
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _css(name: str) -> str:
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch in "_-") else "_" for ch in name)[:60]


def _piece(doc: str, s: int, e: int, spans: list[Span]) -> str:
    """doc[s:e], marked by the spans covering it, split at every span boundary."""
    cuts = sorted({s, e, *(b for sp in spans for b in (sp.start, sp.end) if s < b < e)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        covering = [sp for sp in spans if sp.start <= a and b <= sp.end]
        text = escape(doc[a:b], quote=False)
        if not covering:
            out.append(text)
            continue
        cats = sorted({sp.category for sp in covering})
        title = "; ".join(sorted({f"{sp.category} · {sp.recognizer} · {sp.entity}" for sp in covering}))
        cls = " ".join(["hl", *(f"cat-{_css(c)}" for c in cats)])
        out.append(f'<mark class="{cls}" title="{escape(title)}">{text}</mark>')
    return "".join(out)


def highlight(doc: str, evidence: list[Any], elided: Callable[[int], str]) -> tuple[Markup, bool]:
    """(HTML of the document with the findings marked, whether parts were left out).

    ``elided(n)`` is the (plain, not yet escaped) text put where n characters were left out."""
    spans = spans_of(evidence, len(doc))
    wins = _windows(spans, len(doc))
    html, pos = [], 0
    for s, e in wins:
        if s > pos:
            html.append(f'<span class="elided">{escape(elided(s - pos))}</span>')
        html.append(_piece(doc, s, e, spans))
        pos = e
    if pos < len(doc):
        html.append(f'<span class="elided">{escape(elided(len(doc) - pos))}</span>')
    return Markup("".join(html)), len(doc) > CAP
