"""Where a match sits: its line, the text around it on that line, and its place in the document.

These are the position features of the MARKING vs MENTION judgement (see ``markings.py``): a marking is a
line of its own (or the start of one) near the head or foot of a document; a mention sits inside prose.
All look-arounds are capped (``MAX_LOOK`` characters, a few lines) so that judging one match costs
O(1) however long the input or its lines are.
"""
from __future__ import annotations

from dataclasses import dataclass

#: characters that do not count as content when deciding whether a line is "empty" around a match
#: (ASCII/ideographic spaces, NBSP and the invisible characters normalization would remove)
BLANK = (" \t\r\u3000\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
         "\u200b\u200c\u200d\u2060\ufeff")
OPEN_QUOTES = "“‘「『《〈\"'＂＇`"
CLOSE_QUOTES = "”’」』》〉\"'＂＇`"
OPEN_BRACKETS = "【[（(〔［｛{<＜"
CLOSE_BRACKETS = "】]）)〕］｝}>＞"
MAX_LOOK = 240
HEAD_LINES = 3


@dataclass(frozen=True, slots=True)
class Site:
    """A match at ``text[start:end]`` and its line. ``before``/``after`` are the same-line neighbours,
    capped at ``MAX_LOOK`` characters; ``*_cut`` tells that the line goes on beyond the cap."""

    text: str
    start: int
    end: int
    line_start: int
    line_end: int
    before: str
    after: str
    before_cut: bool
    after_cut: bool

    @property
    def line(self) -> str:
        return self.before + self.text[self.start:self.end] + self.after

    def before_blank(self, also: str = "") -> bool:
        return not self.before_cut and not self.before.strip(BLANK + also)

    def after_blank(self, also: str = "") -> bool:
        return not self.after_cut and not self.after.strip(BLANK + also)


def locate(text: str, start: int, end: int) -> Site:
    lo = max(0, start - MAX_LOOK)
    nl = text.rfind("\n", lo, start)
    if nl >= 0:
        ls, bcut = nl + 1, False
    else:
        ls, bcut = lo, lo > 0
    hi = min(len(text), end + MAX_LOOK)
    nl = text.find("\n", end, hi)
    if nl >= 0:
        le, acut = nl, False
    else:
        le, acut = hi, hi < len(text)
    return Site(text, start, end, ls, le, text[ls:start], text[end:le], bcut, acut)


def quoted(site: Site) -> bool:
    """The match is wrapped in quotation marks (``“机密★5年”``, ``'SECRET'``)."""
    b = site.before.rstrip(BLANK)
    a = site.after.lstrip(BLANK)
    return bool(b) and bool(a) and b[-1] in OPEN_QUOTES and a[0] in CLOSE_QUOTES


def lines_before(text: str, line_start: int, limit: int = HEAD_LINES, max_chars: int = 4000) -> int:
    """Number of non-blank lines before the line at ``line_start``, counted up to ``limit + 1``."""
    n, pos, floor = 0, line_start - 1, max(0, line_start - max_chars)
    while pos > 0 and n <= limit:
        prev = text.rfind("\n", floor, pos)
        seg = text[prev + 1 if prev >= 0 else floor:pos]
        if seg.strip(BLANK):
            n += 1
        if prev < 0:
            if floor > 0:
                return limit + 1
            break
        pos = prev
    return n


def lines_after(text: str, line_end: int, limit: int = HEAD_LINES, max_chars: int = 4000) -> int:
    """Number of non-blank lines after the line ending at ``line_end``, counted up to ``limit + 1``."""
    n, pos, ceil = 0, line_end + 1, min(len(text), line_end + 1 + max_chars)
    while pos < len(text) and n <= limit:
        nxt = text.find("\n", pos, ceil)
        seg = text[pos:nxt if nxt >= 0 else ceil]
        if seg.strip(BLANK):
            n += 1
        if nxt < 0:
            if ceil < len(text):
                return limit + 1
            break
        pos = nxt + 1
    return n


def next_lines(text: str, line_end: int, n: int = 4, max_chars: int = 600) -> list[str]:
    """Up to ``n`` following non-blank lines, stripped (each capped to ``MAX_LOOK`` characters)."""
    out: list[str] = []
    pos, ceil = line_end + 1, min(len(text), line_end + 1 + max_chars)
    while pos < ceil and len(out) < n:
        nxt = text.find("\n", pos, ceil)
        seg = text[pos:nxt if nxt >= 0 else ceil].strip(BLANK)
        if seg:
            out.append(seg[:MAX_LOOK])
        if nxt < 0:
            break
        pos = nxt + 1
    return out


def prev_lines(text: str, line_start: int, n: int = 2, max_chars: int = 400) -> list[str]:
    """Up to ``n`` preceding non-blank lines, nearest first, stripped (each capped to ``MAX_LOOK``)."""
    out: list[str] = []
    pos, floor = line_start - 1, max(0, line_start - 1 - max_chars)
    while pos > floor and len(out) < n:
        prev = text.rfind("\n", floor, pos)
        seg = text[prev + 1 if prev >= 0 else floor:pos].strip(BLANK)
        if seg:
            out.append(seg[-MAX_LOOK:])
        if prev < 0:
            break
        pos = prev
    return out
