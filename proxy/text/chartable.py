"""Step 1 of normalization: the per-character table and its application with an offset map.

The table (NFKC of single characters, removed invisibles, traditional -> simplified, look-alike stars, dashes,
dots; see the docstring of :mod:`proxy.text.normalize`) is built on first use by :func:`char_table`.
:func:`translate` applies it.  A text with a few changed stretches is handled stretch by stretch; a text with
many (zero-width characters between all characters, alternating full- and half-width forms, ...) goes through
one ``str.translate`` and builds its offset arrays with C-level passes, so the cost stays linear with a small
constant whatever the input.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import NamedTuple, Sequence

from proxy.text import chardata
from proxy.text.chardata import STAR
from proxy.text.edits import check_deadline, iota

# Code point ranges that may contain characters NFKC changes, format characters or combining marks.  The large
# blocks left out (CJK unified ideographs and extensions, Hangul syllables, surrogates, private use, unassigned
# planes) contain none; tests/text checks this against a scan of all of Unicode.
SCAN_RANGES = (
    (0x0000, 0x3400),
    (0x4DC0, 0x4E00),
    (0xA000, 0xAC00),
    (0xD7A4, 0xD800),
    (0xF900, 0x20000),
    (0x2F800, 0x2FA20),
    (0xE0000, 0xE1000),
)

# Han ideographs as seen by the context rules: 〇, Ext A, URO, compatibility block, Ext B-H.
HAN_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U000323af"
HAN_BMP_CLASS = "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_ASTRAL = "\\U00010000-\\U0010ffff"
_MANY_RUNS = 64  # more changed stretches than this (and than len/16): translate the whole text at once
_CHUNK = 1 << 16  # characters translated between two deadline checks


def char_class(codepoints: Sequence[int]) -> str:
    """Regex character-class body for a sorted list of code points."""
    parts: list[str] = []
    i, n = 0, len(codepoints)
    while i < n:
        j = i
        while j + 1 < n and codepoints[j + 1] == codepoints[j] + 1:
            j += 1
        a, b = codepoints[i], codepoints[j]
        parts.append(f"\\U{a:08x}" if a == b else f"\\U{a:08x}-\\U{b:08x}")
        i = j + 1
    return "".join(parts)


def _gate_class(codepoints: Sequence[int]) -> str:
    """Class body matching the BMP members of ``codepoints`` exactly and *every* astral character.

    ``re`` tests a class with astral members by walking a list of ranges for each character, which is slow on
    long texts; with all astral characters as one range the BMP part stays a fast bitmap.  Callers re-check the
    (rare) astral hits in Python."""
    return char_class([c for c in codepoints if c < 0x10000]) + _ASTRAL


class CharTable(NamedTuple):
    table: dict[int, str]  # ord -> replacement ('' = removed); only characters that change
    common: tuple[tuple[str, str], ...]  # frequent 1:1 replacements done with str.replace
    gate: re.Pattern[str]  # a character that may change or is a combining mark (see _gate_class)
    rest_runs: re.Pattern[str]  # runs of such characters, other than ``common``
    keys: re.Pattern[str]  # a character that may change (see _gate_class)
    lengths: str  # lengths[cp]: chr(length of the replacement of cp), chr(1) for characters that stay
    marks: frozenset[str]  # combining marks (Mn/Me) that survive the table
    marks_runs: re.Pattern[str]  # runs of possible marks (astral characters are re-checked)
    marks_after_unit: re.Pattern[str]  # R0: possible marks directly after a BMP unit (astral ones re-checked)


def _build_char_table() -> CharTable:
    ts = chardata.traditional_to_simplified()
    stars = frozenset(chardata.STAR_LIKES)
    removed = frozenset(chardata.EXTRA_INVISIBLES)
    post: dict[str, str] = {}
    post.update({c: "-" for c in chardata.DASHES})
    post.update({c: "\u00b7" for c in chardata.MIDDLE_DOTS})
    post.update(chardata.OTHER_SEPARATORS)
    post.update(ts)
    post.update(chardata.VARIANTS)
    category = unicodedata.category

    def post_char(ch: str) -> str:
        if ch in removed or category(ch) == "Cf":
            return ""
        if ch in stars:
            return STAR
        return post.get(ch, ch)

    def one(ch: str) -> str:
        if ch in removed or category(ch) == "Cf":
            return ""
        if ch in stars:
            return STAR
        n = ch if ch in chardata.NFKC_KEEP else unicodedata.normalize("NFKC", ch)
        return "".join(post_char(x) for x in n)

    candidates: set[str] = set(post) | stars | removed
    mark_cps: list[int] = []
    for lo, hi in SCAN_RANGES:
        for cp in range(lo, hi):
            ch = chr(cp)
            cat = category(ch)
            if cat in ("Mn", "Me"):
                mark_cps.append(cp)
            if cat == "Cf" or not unicodedata.is_normalized("NFKC", ch):
                candidates.add(ch)

    table: dict[int, str] = {}
    for ch in candidates:
        out = one(ch)
        for _ in range(8):  # close the table: f(f(c)) == f(c)
            nxt = "".join(one(x) for x in out)
            if nxt == out:
                break
            out = nxt
        if out != ch:
            table[ord(ch)] = out

    keys = sorted(table)
    # The full-width punctuation of ordinary Chinese prose, the ideographic space and the em dash: done with
    # str.replace (a fast scan each); everything else goes through one regex substitution.
    common = tuple((c, table[ord(c)]) for c in "\uff0c\uff1a\uff08\uff09\uff1b\uff01\uff1f\u3000\u2014\uff05")
    common_set = {ord(c) for c, _ in common}
    lengths = bytearray(b"\x01") * 0x110000
    for k in keys:
        lengths[k] = len(table[k])
    marks = [cp for cp in mark_cps if cp not in table]
    mark_class = _gate_class(marks)
    return CharTable(
        table=table,
        common=common,
        gate=re.compile(f"[{_gate_class(sorted(keys + marks))}]"),
        rest_runs=re.compile(f"[{_gate_class(sorted([k for k in keys if k not in common_set] + marks))}]+"),
        keys=re.compile(f"[{_gate_class(keys)}]"),
        lengths=lengths.decode("latin-1"),
        marks=frozenset(chr(k) for k in marks),
        marks_runs=re.compile(f"[{mark_class}]+"),
        marks_after_unit=re.compile(f"[{mark_class}](?<=[{HAN_BMP_CLASS}\u26050-9].)[{mark_class}]*"),
    )


@functools.cache
def char_table() -> CharTable:
    """The step-1 table, built on first use (about 0.15 s) and cached for the life of the process.  Call it
    once at start-up to keep that cost off the first request."""
    return _build_char_table()


Offsets = tuple[list[int], list[int]]
_NOT_ONE = re.compile("[^\x01]")


def translate(ct: CharTable, text: str, deadline: float | None = None) -> tuple[str, Offsets | None, bool]:
    """Apply the table.  Returns (text, offset arrays or None for the identity map, whether combining marks
    may be present)."""
    t = text
    for c, r in ct.common:
        if c in t:
            t = t.replace(c, r)
    # common replacements are 1:1, so positions in t are still positions in text
    # one stretch costs about as much as 16 characters of _translate_all
    limit = max(_MANY_RUNS, len(text) // 16)
    runs = list(itertools.islice(ct.rest_runs.finditer(t), limit + 1))
    if len(runs) > limit:
        return _translate_all(ct, text, deadline)
    varlen_at: list[int] = []  # characters whose replacement is not one character
    varlen = 0
    pieces: list[str] = []
    counts: list[str] = []  # output characters per input character (chr), run by run
    has_marks = False
    prev = 0
    for m in runs:
        check_deadline(deadline)
        a, b = m.span()
        run = m.group()
        out = _chunked_translate(run, ct.table, deadline)
        pieces.append(t[prev:a])
        pieces.append(out)
        check_deadline(deadline)
        lengths = _chunked_translate(run, ct.lengths, deadline)
        counts.append("\x01" * (a - prev))
        counts.append(lengths)
        k = len(lengths) - lengths.count("\x01")
        if k:
            varlen += k
            if varlen <= _MANY_RUNS:
                varlen_at.extend(a + v.start() for v in _NOT_ONE.finditer(lengths))
        if not has_marks and ct.marks_runs.search(out) is not None:
            has_marks = True
        prev = b
    pieces.append(t[prev:])
    t = "".join(pieces)
    check_deadline(deadline)
    if not varlen:
        return t, None, has_marks
    if varlen > _MANY_RUNS:
        counts.append("\x01" * (len(text) - prev))
        return t, _offsets("".join(counts).encode("latin-1"), deadline), has_marks
    base = iota(len(text) + 1)
    starts: list[int] = []
    ends: list[int] = []
    prev = 0
    for p in varlen_at:
        starts.extend(base[prev:p])
        ends.extend(base[prev + 1 : p + 1])
        k = len(ct.table[ord(text[p])])
        if k:
            starts.extend([p] * k)
            ends.extend([p + 1] * k)
        prev = p + 1
    starts.extend(base[prev : len(text)])
    ends.extend(base[prev + 1 : len(text) + 1])
    return t, (starts, ends), has_marks


def _chunked_translate(text: str, table: dict[int, str] | str, deadline: float | None) -> str:
    """``text.translate(table)``, a slice at a time with the deadline checked in between."""
    if len(text) <= _CHUNK:
        return text.translate(table)
    pieces = []
    for i in range(0, len(text), _CHUNK):
        check_deadline(deadline)
        pieces.append(text[i : i + _CHUNK].translate(table))
    return "".join(pieces)


def _translate_all(ct: CharTable, text: str, deadline: float | None) -> tuple[str, Offsets | None, bool]:
    """``translate`` for texts with many changed stretches: one str.translate, offsets from the per-character
    output lengths (one more str.translate), with no Python work per character."""
    check_deadline(deadline)
    if ct.keys.search(text) is None:  # only combining marks, which the table keeps
        return text, None, True
    t = _chunked_translate(text, ct.table, deadline)
    check_deadline(deadline)
    has_marks = ct.marks_runs.search(t) is not None
    counts = _chunked_translate(text, ct.lengths, deadline).encode("latin-1")  # output chars per input char
    check_deadline(deadline)
    if max(counts) == 1 and 0 not in counts:
        return t, None, has_marks
    check_deadline(deadline)
    return t, _offsets(counts, deadline), has_marks


def _offsets(counts: bytes, deadline: float | None) -> Offsets:
    """Offset arrays when input character p gives counts[p] output characters, all mapped to (p, p + 1)."""
    base = iota(len(counts) + 1)
    top = max(counts)
    if top <= 1:
        starts = list(itertools.compress(base, counts))
    else:
        # p appears counts[p] times: one compress per level, merged (timsort merges the sorted runs)
        starts = []
        for k in range(1, top + 1):
            starts.extend(itertools.compress(base, counts.translate(bytes(v >= k for v in range(256)))))
            check_deadline(deadline)
        check_deadline(deadline)
        starts.sort()
    ends: list[int] = []
    for i in range(0, len(starts), _CHUNK):
        check_deadline(deadline)
        ends.extend(map((1).__add__, starts[i : i + _CHUNK]))
    return starts, ends
