"""Edits of one pass of the context rules, and their application to the text and its offset map.

An :class:`Edits` collects the deletions (a byte per character, 1 = delete) and the ``*`` -> ``★`` replacements
that the rules of one pass ask for, all as positions in the same text.  :func:`apply` turns them into the new
text and new offset arrays.

Cost model (CPython ``re``): a regex match costs about 0.1-0.2 us however small it is, so the rules use one
match per *place* (a chain, a run, a split marking word), never one per character of a long run; characters
inside such places are classified with :func:`class_mask` (Latin-1 encode + ``bytes.translate``, a few ns a
character) over a copy of the text blanked outside them (:func:`blank_outside`).  Edits are applied with
``itertools.compress`` or, when there are few, with slices.

``NormalizeTimeout`` and :func:`check_deadline` live here because every step of the pipeline checks the
deadline; :mod:`proxy.text.normalize` re-exports the exception.
"""
from __future__ import annotations

import itertools
import re
import time
from typing import Iterable, Iterator, TypeVar

from proxy.text.chardata import STAR

BLANK = "\x00"  # fills the text outside the spans a rule looks at (see blank_outside)
_INVERT = bytes([1, 0]) + bytes(254)  # bytes.translate table: deletion mask -> keep mask
LOCAL_LIMIT = 64  # up to this many edited places, the next pass only looks at their neighbourhoods
_CHECK_EVERY = 4096  # matches between two deadline checks in the Python loops over matches

_T = TypeVar("_T")


class NormalizeTimeout(Exception):
    """``normalize`` ran past its ``deadline`` (a ``time.monotonic()`` value)."""


def check_deadline(deadline: float | None) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise NormalizeTimeout("normalize: deadline exceeded")


def checked(items: Iterable[_T], deadline: float | None) -> Iterator[list[_T]]:
    """``items`` in chunks, checking the deadline before each chunk (for Python loops over many matches)."""
    it = iter(items)
    while chunk := list(itertools.islice(it, _CHECK_EVERY)):
        check_deadline(deadline)
        yield chunk


_iota_cache: list[int] = [0]


def iota(n: int) -> list[int]:
    """A shared list [0, 1, ..., m] with m >= n.  Offset arrays are built from slices of it: copying existing
    int objects is several times faster than creating them from a range()."""
    global _iota_cache
    cache = _iota_cache
    if len(cache) <= n:
        cache = list(range(max(n + 1, 2 * len(cache))))
        _iota_cache = cache
    return cache


def spans_of(matches: Iterable[re.Match[str]], deadline: float | None, shift: int = 0) -> list[int]:
    """Flat ``[start0 + shift, end0, start1 + shift, end1, ...]`` of the matches (no tuple per match kept)."""
    flat: list[int] = []
    for chunk in checked(matches, deadline):
        flat.extend(itertools.chain.from_iterable(map(re.Match.span, chunk)))
    if shift and flat:
        flat[0::2] = [a + shift for a in flat[0::2]]
    return flat


def blank_outside(t: str, flat: list[int]) -> str:
    """``t`` with every character outside the spans ``flat`` (sorted, disjoint) replaced by ``BLANK``: same
    length, so positions stay positions in ``t``, and no pattern can look past the edge of a span."""
    if not flat:
        return BLANK * len(t)
    starts, ends = flat[0::2], flat[1::2]
    gaps = map(BLANK.__mul__, map(int.__sub__, starts, itertools.chain((0,), ends)))
    pieces = map(t.__getitem__, map(slice, starts, ends))
    return "".join(itertools.chain.from_iterable(zip(gaps, pieces))) + BLANK * (len(t) - ends[-1])


# Characters outside Latin-1 that a class mask must tell apart (everything else outside Latin-1 becomes '?').
_TO_LATIN1 = (("\u2022", "\u00b7"), ("\u2605", "\x07"), ("\u3001", ","), ("\u2026", ","))
_ASTERISK = bytes(c == 42 for c in range(256))  # class table of '*'


def class_table(members: str) -> bytes:
    """``bytes.translate`` table for :func:`class_mask`: 1 for ``members`` (Latin-1 characters, or
    • ★ 、 …), else 0."""
    for a, b in _TO_LATIN1:
        members = members.replace(a, b)
    return bytes(1 if chr(i) in members else 0 for i in range(256))


def class_mask(s: str, table: bytes) -> bytes:
    """Per-character 0/1 mask of ``s`` by a :func:`class_table`, with no Python work per character.  All
    characters outside Latin-1 other than • ★ 、 … count as '?'; '\\x07' counts as ★ (blanked strings, the
    only ones masked where ★ matters, never hold it)."""
    for a, b in _TO_LATIN1:
        if a in s:
            s = s.replace(a, b)
    return s.encode("latin-1", "replace").translate(table)


class Edits:
    """Deletions and ``★`` replacements requested for one text (positions in that text)."""

    __slots__ = ("dmask", "stars")

    def __init__(self, n: int) -> None:
        self.dmask = bytearray(n)  # 1 = delete
        self.stars: list[int] = []  # positions of a '*' that becomes ★ (dropped if also deleted)

    def __bool__(self) -> bool:
        return bool(self.stars) or 1 in self.dmask

    def delete_mask(self, mask: bytes) -> None:
        """Delete where ``mask`` (same length) is 1."""
        bits = int.from_bytes(self.dmask, "little") | int.from_bytes(mask, "little")
        self.dmask[:] = bits.to_bytes(len(self.dmask), "little")

    def delete_matches(self, matches: Iterable[re.Match[str]], deadline: float | None, group: int = 0) -> None:
        """Delete the span of ``group`` of each match."""
        d = self.dmask
        for chunk in checked(matches, deadline):
            for m in chunk:
                a, b = m.span(group)
                if b - a == 1:  # the usual case: no bytes object to make
                    d[a] = 1
                else:
                    d[a:b] = b"\x01" * (b - a)

    def place(self, other: Edits, offset: int) -> None:
        """Copy the edits of a substring starting at ``offset`` (its range must still be unedited here)."""
        self.dmask[offset : offset + len(other.dmask)] = other.dmask
        self.stars.extend(p + offset for p in other.stars)


def put_chars(t: str, positions: list[int], chars: Iterable[str]) -> str:
    """``t`` with ``chars`` (one character each) at the sorted ``positions``."""
    if len(positions) > LOCAL_LIMIT:
        out = list(t)
        for p, c in zip(positions, chars):
            out[p] = c
        return "".join(out)
    pieces = []
    prev = 0
    for p, c in zip(positions, chars):
        pieces.append(t[prev:p])
        pieces.append(c)
        prev = p + 1
    pieces.append(t[prev:])
    return "".join(pieces)


def put_stars(t: str, stars: list[int]) -> str:
    """``t`` with a ★ at each of the sorted positions ``stars``."""
    return put_chars(t, stars, itertools.repeat(STAR))


def _with_stars(t: str, stars: list[int], dmask: bytearray, deadline: float | None) -> str:
    """``t`` with ★ at the (many) positions ``stars``, in any order, repeats allowed: every '*' is replaced,
    then the few that stay (not a star, not deleted) are put back."""
    n = len(t)
    star_mask = bytearray(n)
    for p in stars:
        star_mask[p] = 1
    check_deadline(deadline)
    stay = _bits(class_mask(t, _ASTERISK)) & ~_bits(star_mask) & ~_bits(dmask)
    if stay.bit_count() > LOCAL_LIMIT:
        return put_chars(t, stars, itertools.repeat(STAR))
    back = list(itertools.compress(iota(n), stay.to_bytes(n, "little")))
    return put_chars(t.replace("*", STAR), back, itertools.repeat("*"))


def _bits(mask: bytes | bytearray) -> int:
    return int.from_bytes(mask, "little")


def _without(t: str, dmask: bytearray, keep: bytes, deadline: float | None) -> str:
    """``t`` without the characters where ``dmask`` is 1.  When those are all the occurrences of a few Latin-1
    characters (every space of ``机 机 机``), str.replace does it; else one pass over the characters."""
    latin = t.encode("latin-1", "replace")
    gone = set(bytes(itertools.compress(latin, dmask)))
    check_deadline(deadline)
    if len(gone) <= 8 and ord("?") not in gone:
        if latin.translate(bytes(i in gone for i in range(256))) == dmask:
            for c in gone:
                t = t.replace(chr(c), "")
            return t
    return "".join(itertools.compress(t, keep))


def apply(
    t: str, starts: list[int] | None, ends: list[int] | None, ed: Edits, deadline: float | None = None
) -> tuple[str, list[int] | None, list[int] | None, list[int] | None]:
    """Apply ``ed`` to ``t`` and its offset arrays (None = identity).  Returns the new text and arrays, and the
    positions in the new text where edits happened - or None if there are more than ``LOCAL_LIMIT`` of them
    (then the next pass looks at the whole text)."""
    dmask = ed.dmask
    if len(ed.stars) > LOCAL_LIMIT:
        check_deadline(deadline)
        t = _with_stars(t, ed.stars, dmask, deadline)
        stars = ed.stars  # (only their number matters below)
    else:
        stars = sorted(set(itertools.filterfalse(dmask.__getitem__, ed.stars)))
        t = put_stars(t, stars)
    n = len(t)
    deleted = dmask.count(1)
    if not deleted:
        return t, starts, ends, None if len(stars) > LOCAL_LIMIT else stars
    base = iota(n + 1)
    if deleted * 8 > n:  # many: one C pass per array
        check_deadline(deadline)
        keep = dmask.translate(_INVERT)
        new_starts = list(itertools.compress(base if starts is None else starts, keep))
        check_deadline(deadline)
        new_ends = list(itertools.compress(itertools.islice(base, 1, None) if ends is None else ends, keep))
        check_deadline(deadline)
        return _without(t, dmask, keep, deadline), new_starts, new_ends, None
    if starts is None or ends is None:
        starts, ends, shift = base, base, 1
    else:
        shift = 0
    pieces: list[str] = []
    ns: list[int] = []
    ne: list[int] = []
    touched: list[int] = []
    prev = 0
    gone = 0  # characters deleted before prev
    a = dmask.find(1)
    while a >= 0:  # each run [a, b) of deletions
        b = dmask.find(0, a)
        if b < 0:
            b = n
        pieces.append(t[prev:a])
        ns.extend(starts[prev:a])
        ne.extend(ends[prev + shift : a + shift])
        touched.append(a - gone)
        gone += b - a
        prev = b
        a = dmask.find(1, b)
    pieces.append(t[prev:])
    ns.extend(starts[prev:n])
    ne.extend(ends[prev + shift : n + shift])
    if len(touched) + len(stars) > LOCAL_LIMIT:
        return "".join(pieces), ns, ne, None
    touched.extend(p - dmask.count(1, 0, p) for p in stars)
    touched.sort()
    return "".join(pieces), ns, ne, touched
