"""Put placeholders where personal data was: into a text, into segments, and back into the JSON payload.

Findings carry offsets into the request DOCUMENT (``"\\n".join(segment texts)``, see
``proxy.pipeline.detect.document``), so the rewrite works in three steps:

1. spans: overlapping findings become one replacement (a value must not be half-replaced), and a value
   found once is also replaced where it recurs undetected (``propagate``: the 张三 named by ``姓名：张三`` in
   the last message is the same 张三 mentioned bare in the first; leaving that one would leak it);
2. segments: each span is cut at segment boundaries; the first piece gets the placeholder of the whole
   value, later pieces are removed;
3. payload: each changed segment text is written back at its path. Paths are never parsed (keys may hold
   dots, brackets and ``#``): the payload is walked exactly like ``proxy.wire.sweep.strings`` walks it, JSON
   inside strings like ``proxy.wire.shape.json_strings`` reads it, and segment paths are looked up in that
   index. Anything that does not match raises :class:`RedactionError`; the pipeline then fails closed.
"""
from __future__ import annotations

import bisect
import json
from dataclasses import dataclass, field
from typing import Any, Iterator

from proxy.flow import Finding, Segment
from proxy.redact.vault import Vault
from proxy.wire.shape import JSON_MARK
from proxy.wire.sweep import _IDENT

_MAX_JSON_DEPTH = 3  # as proxy.wire.shape.json_strings: JSON nested deeper is read as plain text


class RedactionError(Exception):
    """The payload could not be rewritten as inspected. Messages name segment numbers, never text or paths
    (a path may contain an object key, which is user text)."""


Span = tuple[int, int, Finding]  # start, end, the finding that names the entity


def merge_spans(findings: list[Finding]) -> list[Span]:
    """Union of overlapping findings, by start; the entity comes from the highest score, then the longer span."""
    out: list[Span] = []
    for f in sorted((f for f in findings if f.end > f.start), key=lambda f: (f.start, -f.end)):
        if out and f.start < out[-1][1]:
            s, e, best = out[-1]
            if (f.score, f.end - f.start) > (best.score, best.end - best.start):
                best = f
            out[-1] = (s, max(e, f.end), best)
        else:
            out.append((f.start, f.end, f))
    return out


def _word_edge(a: str, b: str) -> bool:
    """True if ``a`` then ``b`` would glue one ASCII word/number (``13800138000`` inside ``913800138000``)."""
    return a.isascii() and b.isascii() and a.isalnum() and b.isalnum()


def propagate(text: str, spans: list[Span]) -> list[Span]:
    """``spans`` plus every other literal occurrence of their values that no span covers yet."""
    covered = [(s, e) for s, e, _ in spans]
    extra: list[Span] = []
    for value, f in {text[s:e]: f for s, e, f in reversed(spans)}.items():
        if len(value.strip()) < 2 or "\n" in value:
            continue
        i = text.find(value)
        while i >= 0:
            j = i + len(value)
            k = bisect.bisect_left(covered, (j, j))
            free = k == 0 or covered[k - 1][1] <= i  # spans never overlap, so their ends are sorted too
            glued = (i > 0 and _word_edge(text[i - 1], value[0])) or (j < len(text) and _word_edge(value[-1], text[j]))
            if free and not glued:
                extra.append((i, j, f))
                bisect.insort(covered, (i, j))
            i = text.find(value, i + 1)
    return sorted(spans + extra, key=lambda x: x[0])


def plan(text: str, findings: list[Finding], vault: Vault, *, spread: bool = True) -> list[tuple[int, int, str]]:
    """``(start, end, placeholder)`` for ``text`` (the document), in order; issues placeholders in text order."""
    if any(f.start < 0 or f.end > len(text) for f in findings):
        raise RedactionError("finding offsets lie outside the document")
    vault.reserve(text)
    spans = merge_spans(findings)
    if spread:
        spans = propagate(text, spans)
    return [(s, e, vault.placeholder(f.entity, text[s:e])) for s, e, f in spans]


def _apply(text: str, edits: list[tuple[int, int, str]]) -> str:
    parts, pos = [], 0
    for s, e, new in edits:
        parts += [text[pos:s], new]
        pos = e
    parts.append(text[pos:])
    return "".join(parts)


def redact_text(text: str, findings: list[Finding], vault: Vault, *, spread: bool = True) -> str:
    """``text`` with every finding span (and, with ``spread``, every recurrence of its value) replaced."""
    return _apply(text, plan(text, findings, vault, spread=spread)) if findings else text


def redact_segments(segments: list[Segment], findings: list[Finding], vault: Vault, *,
                    spread: bool = True) -> tuple[list[str], int]:
    """New text of every segment (offsets of ``findings`` index the joined document) and the number of
    replacements. A value crossing a segment boundary: its first piece becomes the placeholder, the rest goes."""
    texts = [s.text for s in segments]
    if not findings:
        return texts, 0
    starts, pos = [], 0
    for t in texts:
        starts.append(pos)
        pos += len(t) + 1
    edits: list[list[tuple[int, int, str]]] = [[] for _ in texts]
    count = 0
    for s, e, ph in plan("\n".join(texts), findings, vault, spread=spread):
        i, first = max(bisect.bisect_right(starts, s) - 1, 0), True
        while i < len(texts) and starts[i] < e:
            a, b = max(s, starts[i]) - starts[i], min(e, starts[i] + len(texts[i])) - starts[i]
            if a < b:
                edits[i].append((a, b, ph if first else ""))
                count += first
                first = False
            i += 1
    return [_apply(t, ed) if ed else t for t, ed in zip(texts, edits)], count


# ---- the payload side -------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Doc:
    """A JSON value being edited: the payload itself, or a JSON text parsed out of one of its strings."""

    obj: Any
    depth: int  # -1: the payload; 0..3: JSON inside a string, as deep as json_strings reads
    slot: "_Slot | None" = None  # where this JSON text came from (None for the payload)
    writes: list[tuple["_Slot", str]] = field(default_factory=list)


@dataclass(eq=False)
class _Slot:
    """One place holding a string: ``container[key]``, or the key itself of a dict entry."""

    doc: _Doc
    container: Any
    key: Any
    is_key: bool = False

    def text(self) -> str:
        return self.key if self.is_key else self.container[self.key]


def _json_inside(value: str) -> Any:
    """The parsed object/array if ``value`` is JSON text the way ``proxy.wire.shape.json_strings`` sees it."""
    if value.lstrip()[:1] not in ("{", "["):
        return None
    try:
        obj = json.loads(value)
    except (ValueError, RecursionError):
        return None
    return obj if isinstance(obj, (dict, list)) else None


def _walk(doc: _Doc, path: str = "", inner: bool = False) -> Iterator[tuple[str, _Slot]]:
    """``(path, slot)`` for every non-empty string of ``doc``, in the path format of ``strings()`` (and, for
    JSON inside strings, of ``json_strings``): the same stack, the same formats."""
    stack: list[tuple[str, Any, Any, bool, Any]] = [(path, None, None, False, doc.obj)]
    while stack:
        p, container, key, is_key, v = stack.pop()
        if isinstance(v, str):
            if not v:
                continue
            out = (p if p.startswith("[") else "." + p) if inner else p
            slot = _Slot(doc, container, key, is_key)
            yield out, slot
            obj = _json_inside(v) if doc.depth < _MAX_JSON_DEPTH else None
            if obj is not None:
                yield from ((f"{out}{JSON_MARK}{q}", s) for q, s in _walk(_Doc(obj, doc.depth + 1, slot), "", True))
        elif isinstance(v, dict):
            for k, child in reversed(list(v.items())):
                cp = f"{p}.{k}" if p else str(k)
                stack.append((cp, v, k, False, child))
                if not _IDENT.match(k):
                    stack.append((f"{cp}#key", v, k, True, k))
        elif isinstance(v, list):
            for i in range(len(v) - 1, -1, -1):
                stack.append((f"{p}[{i}]", v, i, False, v[i]))


def locate(payload: Any) -> dict[str, list[_Slot]]:
    """Every string place of ``payload`` (and of JSON inside its strings) by segment path."""
    index: dict[str, list[_Slot]] = {}
    for p, slot in _walk(_Doc(payload, -1)):
        index.setdefault(p, []).append(slot)
    return index


def _flush(doc: _Doc) -> None:
    """Apply ``doc``'s writes: values first (their keys may be renamed next), then keys, order preserved."""
    renames: dict[int, tuple[dict, dict[str, str]]] = {}
    for slot, new in doc.writes:
        if slot.is_key:
            renames.setdefault(id(slot.container), (slot.container, {}))[1][slot.key] = new
        else:
            slot.container[slot.key] = new
    for container, names in renames.values():
        items = list(container.items())
        if len({names.get(k, k) for k, _ in items}) != len(items):
            raise RedactionError("a redacted object key would collide with another key")
        container.clear()
        container.update((names.get(k, k), v) for k, v in items)


def redact_payload(payload: Any, segments: list[Segment], findings: list[Finding], vault: Vault, *,
                   spread: bool = True) -> int:
    """Replace the findings inside ``payload`` (mutated in place) at the paths of ``segments``; returns the
    number of replacements. JSON inside a string is re-serialised (``ensure_ascii=False``) only if it changed.

    Unknown paths and texts that differ from the inspected ones raise before anything is written; a key
    collision (two keys redacted to one) raises mid-way, so on :class:`RedactionError` discard the payload."""
    new_texts, count = redact_segments(segments, findings, vault, spread=spread)
    changed = [(n, seg, t) for n, (seg, t) in enumerate(zip(segments, new_texts)) if t != seg.text]
    if not changed:
        return count
    index, taken = locate(payload), set()
    docs: dict[int, _Doc] = {}
    for n, seg, new in changed:
        slots = index.get(seg.path)
        if not slots:
            raise RedactionError(f"segment {n}: its path is not in the payload")
        slot = next((s for s in slots if id(s) not in taken and s.text() == seg.text), None)
        if slot is None:
            raise RedactionError(f"segment {n}: the payload text at its path differs from the inspected text")
        taken.add(id(slot))
        slot.doc.writes.append((slot, new))
        docs[id(slot.doc)] = slot.doc
    for doc in list(docs.values()):  # checked before any write: a JSON text is rewritten whole or inside
        while doc.slot is not None:
            if id(doc.slot) in taken:
                raise RedactionError("a JSON string and its contents were both rewritten")
            doc = doc.slot.doc
    pending = sorted(docs.values(), key=lambda d: -d.depth)
    while pending:  # deepest JSON first: each flushed JSON text becomes a write of its parent
        doc = pending.pop(0)
        _flush(doc)
        if doc.slot is not None:
            doc.slot.doc.writes.append((doc.slot, json.dumps(doc.obj, ensure_ascii=False)))
            if doc.slot.doc not in pending:
                pending.append(doc.slot.doc)
                pending.sort(key=lambda d: -d.depth)
    return count
