"""R4 letter-spacing: chains of short tokens joined by separator runs (rule R4 in :mod:`proxy.text.normalize`).

A *chain* starts at a single unit with a separator after it and nothing attached before it, and extends over
``SEP SHORT`` pairs as far as they go (``find_pattern``).  It may be attached to a longer unit token on either
side by 1-3 horizontal separators (the *edges*).  Its *groups* are the whole chain, or - if some of its
separators contain a line break and some do not - its horizontal stretches.  A group with at least two short
tokens and two Han characters (edges included) loses its separators, except a non-blank one between two digits;
a separator with a ``*`` (and no ``★`` next to it) keeps that ``*`` as ``★``.

Cost.  Every chain is found by one regex scan (``find_pattern``, run by joins.py).  Then the chains are handled
window by window, a window being chains less than ``_WINDOW_GAP`` apart, as one string: the text between the
chains is blanked (``BLANK``) and the edges are replaced by marker characters, so that one scan of it finds
every group, byte masks count each group's Han characters and give the separators to delete, and two more scans
find the separators that stay between digits and those with a ``*``.  A window whose chains have no edge and no
line break needs no group scan (each chain is a group) and, usually, no blanking.  The Python work per chain is
a few C calls, so a megabyte of tiny chains costs about what one long chain does, a few times over.
"""
from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
from typing import Iterator, NamedTuple

from proxy.text.chartable import HAN_CLASS
from proxy.text.edits import (
    BLANK, Edits, blank_outside, check_deadline, checked, class_mask, class_table, iota, put_chars, spans_of,
)
from proxy.text.grammar import (
    H, H_NO_SPACE, H_NO_STAR, HSET, HSET_CHARS, ISOLATED_TOKEN, NL, SEP_N, SHORT, U, compile_rule, is_han, is_unit,
)

# Edge markers: a left edge (the end of a longer token before the chain) and a right edge (the start of one
# after it), each as Han, digit or star.
_LEFT_HAN, _LEFT_DIGIT, _LEFT_STAR = "\x01", "\x02", "\x03"
_RIGHT_HAN, _RIGHT_DIGIT, _RIGHT_STAR = "\x04", "\x05", "\x06"
_WINDOW_GAP = 64  # chain regions closer than this are handled together (one string, blanks between them)
_MANY_STARS = 256  # more '*' separators than this: try the mask way first
_TOKEN_CHARS = "\u26050123456789\x01\x02\x03\x04\x05\x06"  # besides Han: ★, digits, edge markers
_ELEMENT = f"{HAN_CLASS}\u26050-9\x01-\x06"  # what a separator sits between, once the edges are markers


class _Patterns(NamedTuple):
    find: re.Pattern[str]  # a chain (on the text), from the separator after its first token
    attach_right: re.Pattern[str]  # separator to a right edge (on the text)
    groups: re.Pattern[str]  # a group of at least two tokens (on the marked string)
    digits_kept: re.Pattern[str]  # a non-blank separator (group 1) between two digits: stays
    star_sep: re.Pattern[str]  # a separator with a '*' that becomes ★ (group 1: after it), no ★ beside


@functools.cache
def _patterns(bmp: bool = False) -> _Patterns:
    find = (
        f"[{H}\r\n](?<=[{U}](?s:.)){ISOLATED_TOKEN}"
        # the rest of the first separator run, given its first character
        f"(?:(?<=[{H}])[{H}]{{0,2}}(?:{NL}[{H}]{{0,3}})?|(?<=\n)[{H}]{{0,3}}|(?<=\r)\n?[{H}]{{0,3}})"
        f"{SHORT}(?:{SEP_N}{SHORT})*+"
    )
    token = f"(?:[{HAN_CLASS}\u2605]|[0-9]++)"
    h = f"[{H}]{{1,3}}+"
    v = f"[{H}]{{0,3}}+{NL}[{H}]{{0,3}}+"
    # a vertical group: a whole chain whose every separator has a line break (so: no edges either); else a
    # horizontal group: tokens joined by horizontal separators, with the edges
    vertical = f"(?<![^{BLANK}]){token}(?:{v}{token})++(?![^{BLANK}])"
    horizontal = f"(?:[\x01-\x03]{h})?{token}(?:{h}{token})++(?:{h}[\x04-\x06])?"
    return _Patterns(
        find=compile_rule(find, bmp),
        attach_right=compile_rule(f"[{H}]{{1,3}}(?=[{U}])", bmp),
        groups=compile_rule(f"{vertical}|{horizontal}", bmp),
        digits_kept=compile_rule(f"[0-9\x02\x05]([ \t\r\n]*+[{H_NO_SPACE}][{H}\r\n]*+)(?=[0-9\x02\x05])", bmp),
        star_sep=compile_rule(
            f"[{H}\r\n](?<=[{_ELEMENT}][{H}\r\n])(?<![\u2605\x03\x06][{H}\r\n])"
            f"(?:(?<=\\*)|[{H_NO_STAR}\r\n]*+\\*)()[{H}\r\n]*+(?=[{_ELEMENT}])(?![\u2605\x03\x06])",
            bmp,
        ),
    )


@functools.cache
def _han_table() -> bytes:
    return class_table("?\x01\x04")  # Han (outside Latin-1: '?' in a class mask) and the Han edges


@functools.cache
def _h_table() -> bytes:
    return class_table(HSET_CHARS)


@functools.cache
def _nl_table() -> bytes:
    return class_table("\r\n")


@functools.cache
def _sep_table() -> bytes:
    return class_table(HSET_CHARS + "\r\n")


def find_pattern(bmp: bool = False) -> re.Pattern[str]:
    """Matches a chain from the separator after its first token: the chain is ``[start - 1, end)``."""
    return _patterns(bmp).find


def _edge(ch: str, han: str, digit: str, star: str) -> str:
    return han if is_han(ch) else digit if "0" <= ch <= "9" else star


def chain_edits(t: str, bounds: list[int], ed: Edits, deadline: float | None = None, bmp: bool = False) -> None:
    """Add the R4 edits of the chains ``bounds`` (flat ``[start0, end0, ...]``, ascending) to ``ed``.

    Must run before any other rule adds to ``ed``: it marks every separator of a qualifying group, then unmarks
    the ones that stay."""
    pats = _patterns(bmp)
    n = len(t)
    regions = bounds[:]  # the chains with their edges
    edges: list[int] = []  # position of an edge
    markers: list[str] = []  # and its marker
    # only a chain with a horizontal separator right before or after it can have an edge
    padded = t + BLANK
    before = map(HSET.__contains__, map(padded.__getitem__, map((-1).__add__, bounds[0::2])))
    after = map(HSET.__contains__, map(padded.__getitem__, bounds[1::2]))
    maybe = itertools.compress(range(0, len(bounds), 2), map(operator.or_, before, after))
    for i in itertools.chain.from_iterable(checked(maybe, deadline)):
        s, e = bounds[i], bounds[i + 1]
        if s > 0 and t[s - 1] in HSET:  # a left edge: 1-3 horizontal separators after a unit
            j = s - 1
            while j > 0 and s - j < 4 and t[j - 1] in HSET:
                j -= 1
            if s - j <= 3 and j > 0 and is_unit(t[j - 1]):
                regions[i] = j - 1
                edges.append(j - 1)
                markers.append(_edge(t[j - 1], _LEFT_HAN, _LEFT_DIGIT, _LEFT_STAR))
        if e < n and t[e] in HSET:
            rm = pats.attach_right.match(t, e)
            if rm is not None:
                regions[i + 1] = rm.end() + 1
                edges.append(rm.end())
                markers.append(_edge(t[rm.end()], _RIGHT_HAN, _RIGHT_DIGIT, _RIGHT_STAR))
    check_deadline(deadline)
    # windows: runs of regions less than _WINDOW_GAP apart, each handled as one string
    far = map(_WINDOW_GAP.__le__, map(operator.sub, regions[2::2], regions[1:-1:2]))
    cuts = [0, *itertools.compress(range(2, len(regions), 2), far), len(regions)]
    for w in range(len(cuts) - 1):
        check_deadline(deadline)
        spans = regions[cuts[w] : cuts[w + 1]]
        wa = spans[0]
        spans = list(map((-wa).__add__, spans))
        window = t[wa : wa + spans[-1]]
        k0, k1 = bisect.bisect_left(edges, wa), bisect.bisect_left(edges, wa + spans[-1])
        if k0 == k1 and "\n" not in window and "\r" not in window:
            _window_edits(window, wa, ed, deadline, pats, spans)  # each region is one group
            continue
        marked = blank_outside(window, spans)
        if k0 < k1:
            marked = put_chars(marked, [p - wa for p in edges[k0:k1]], markers[k0:k1])
        _window_edits(marked, wa, ed, deadline, pats, None)


def _counts(s: str, table: bytes, starts: list[int], ends: list[int], deadline: float | None) -> Iterator[int]:
    """How many characters of each span of ``s`` are in the class ``table``."""
    count = class_mask(s, table).count

    def parts() -> Iterator[Iterator[int]]:
        for i in range(0, len(starts), 1 << 16):
            check_deadline(deadline)
            yield map(count, itertools.repeat(1), starts[i : i + (1 << 16)], ends[i : i + (1 << 16)])

    return itertools.chain.from_iterable(parts())


def _window_edits(
    marked: str, offset: int, ed: Edits, deadline: float | None, pats: _Patterns, regions: list[int] | None
) -> None:
    """The edits of the chain regions in ``marked`` (the text from ``offset`` on).  Either the regions are
    given (then each is one group: no edge, no line break, and ``marked`` is the plain text), or ``marked`` is
    blank between them, with the edges as markers, and the groups are found with a pattern."""
    check_deadline(deadline)
    found = spans_of(pats.groups.finditer(marked), deadline) if regions is None else regions
    if not found:
        return
    check_deadline(deadline)
    starts, ends = found[0::2], found[1::2]
    # a group qualifies with two Han characters (Han tokens and Han edges)
    two = bytes(map(int(2).__le__, _counts(marked, _han_table(), starts, ends, deadline)))
    check_deadline(deadline)
    # The separators to delete are those of the qualifying groups.  When all groups qualify and nothing
    # between them is a separator of that kind, they are just the separators of ``marked``; else ``marked`` is
    # blanked outside the qualifying groups first.
    kind = _sep_table()  # horizontal separators and line breaks (a vertical group loses its line breaks)
    blank = 0 in two
    if not blank and regions is None and not any(_counts(marked, _nl_table(), starts, ends, deadline)):
        kind = _h_table()  # no vertical group: the line breaks between groups are not a concern
    if not blank:
        blank = any(_counts(marked, kind, [0, *ends], [*starts, len(marked)], deadline))
    check_deadline(deadline)
    if blank:
        qualifying = list(itertools.chain.from_iterable(itertools.compress(zip(starts, ends), two)))
        if not qualifying:
            return
        in_groups = blank_outside(marked, qualifying)
    else:
        in_groups = marked
    check_deadline(deadline)
    n = len(marked)
    d = ed.dmask
    seps = int.from_bytes(class_mask(in_groups, kind), "little")
    d[offset : offset + n] = (int.from_bytes(d[offset : offset + n], "little") | seps).to_bytes(n, "little")
    check_deadline(deadline)
    for chunk in checked(pats.digits_kept.finditer(in_groups), deadline):
        for m in chunk:
            a, b = m.span(1)
            d[offset + a : offset + b] = bytes(b - a)
    check_deadline(deadline)
    if "*" in in_groups:
        _star_edits(in_groups, offset, ed, deadline, pats)


def _bits(s: str, members: str) -> int:
    """The class mask of ``s`` as an int: bit 8i set iff s[i] is a member (so ``<< 8`` looks one left)."""
    return int.from_bytes(class_mask(s, _table(members)), "little")


@functools.cache
def _table(members: str) -> bytes:
    return class_table(members)


def _star_edits(groups: str, offset: int, ed: Edits, deadline: float | None, pats: _Patterns) -> None:
    """The first '*' of a deleted separator becomes ★ (a separator next to a ★ is just deleted; one between
    digits stays, '*' and all).  When there are many and every '*' is a separator by itself, this is a few
    operations on masks; otherwise each separator with a '*' is looked at."""
    d = ed.dmask
    if groups.count("*") > _MANY_STARS:
        star, element = _bits(groups, "*"), _bits(groups, f"?{_TOKEN_CHARS}")  # '?': Han (see class_mask)
        if star & (element << 8) & (element >> 8) == star:
            digit = _bits(groups, "0123456789\x02\x05")
            rep = star & ~(_bits(groups, "\u2605\x03") << 8) & ~(_bits(groups, "\u2605\x06") >> 8)
            rep &= ~((digit << 8) & (digit >> 8))
            check_deadline(deadline)
            n = len(groups)
            kept = int.from_bytes(d[offset : offset + n], "little") & ~rep  # (a ★ is not deleted)
            d[offset : offset + n] = kept.to_bytes(n, "little")
            ed.stars.extend(map(offset.__add__, itertools.compress(iota(n), rep.to_bytes(n, "little"))))
            return
    for chunk in checked(pats.star_sep.finditer(groups), deadline):
        for m in chunk:
            p = offset + m.start(1) - 1
            if d[p]:  # (not kept between digits)
                d[p] = 0
                ed.stars.append(p)
