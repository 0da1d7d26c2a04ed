"""Step 2 of normalization: the context rules that re-join letter-spaced and separated text.

The rules themselves (R0-R6, with their terms) are specified in the docstring of :mod:`proxy.text.normalize`;
R4 lives in :mod:`proxy.text.chains`.  :func:`context_edits` runs one pass of all of them over a text and
returns their :class:`~proxy.text.edits.Edits`, all computed on the same text.

Finding the places.  Every rule is one compiled pattern that carries the whole of the rule's condition, so each
match is an edit (R4b: a run, and its group ``q`` says whether it has its two Han characters; R4: a chain, see
chains.py).  Most patterns start with the rare separator after a single token, so ``re`` skips through ordinary
text.  For R1, R4, R4b and R5 one scan (``single_gate``) first finds the separators after a single character;
when there are few of them (ordinary text) each rule is only tried there, otherwise each rule scans the whole
text once: the same matches either way.  Texts without astral characters use variants of the patterns whose Han
classes are plain bitmaps (grammar.compile_rule).  The edits are then made from the matches with byte masks or
a tight loop, never with Python work per character of a run.
"""
from __future__ import annotations

import functools
import itertools
import re
from typing import Iterator, NamedTuple

from proxy.text import chardata
from proxy.text.chains import chain_edits, find_pattern
from proxy.text.chardata import STAR
from proxy.text.chartable import HAN_CLASS, char_table
from proxy.text.edits import (
    Edits, blank_outside, check_deadline, checked, class_mask, class_table, put_stars, spans_of,
)
from proxy.text.grammar import (
    GATE_SEPS, H, ISO, ISOLATED_TOKEN, LETTERS, NL, NOT_BEFORE_SINGLE, P, PERIOD_UNITS, SEP_1, SHORT, U,
    compile_rule, is_bmp, is_han,
)

_SPARSE_LIMIT = 256  # at most this many gate hits: try the rules only there
_BIGRAM_FIRSTS = frozenset(b[0] for b in chardata.MARKING_BIGRAMS)


class _Rules(NamedTuple):
    single_gate: re.Pattern[str]  # a separator after a single unit or letter, or after a marking word's first
    r1: re.Pattern[str]  # a marking word's first character and the separators after it
    r2_after: re.Pattern[str]  # ★ and the separator run after it (group 1)
    r2_before: re.Pattern[str]  # the separator run before a ★
    r3a: re.Pattern[str]  # spaces between a digit and a period unit (r3a_tab: starting with a tab)
    r3a_tab: re.Pattern[str]
    r3c_gate: re.Pattern[str]  # a line break before a period unit
    r3c: re.Pattern[str]  # a line break (group 1) between a digit and a period unit
    r3d: re.Pattern[str]  # spaces (group 1) inside a number after ★
    r4b: re.Pattern[str]  # R4b run from its first punctuation mark; ``lastindex`` set iff two Han
    r5: re.Pattern[str]  # R5 run from its first separator
    r5_gap_kept: re.Pattern[str]  # first space of a word gap next to a word of several letters
    r6: re.Pattern[str]  # * between Han and Han/digit, with the spaces around it; group 1: after the *
    neutral: re.Pattern[str]  # characters no rule deletes, matches or looks at (rule matches never span one)


@functools.cache
def _rules(bmp: bool = False) -> _Rules:
    """The rule patterns; with ``bmp``, for texts without astral characters (see grammar.compile_rule)."""

    def rx(pattern: str) -> re.Pattern[str]:
        return compile_rule(pattern, bmp)

    firsts = "".join(sorted(_BIGRAM_FIRSTS))
    r1 = "|".join(f"{re.escape(b[0])}{SEP_1}(?={re.escape(b[1])})" for b in sorted(chardata.MARKING_BIGRAMS))
    han_tok, other_tok, ps = f"[{HAN_CLASS}]{ISO}", f"(?:\u2605|[0-9]{{1,4}}){ISO}", f"[{P}] ?"
    letter = "[A-Za-z](?![A-Za-z0-9@])"
    one_more_han = f"(?:{han_tok}(?:{ps}{SHORT})++|{other_tok}(?:{ps}{other_tok})*+{ps}{han_tok}(?:{ps}{SHORT})*+)"
    two_han = f"(?:{other_tok}{ps})*+{han_tok}(?:{ps}{other_tok})*+{ps}{han_tok}(?:{ps}{SHORT})*+"
    return _Rules(
        single_gate=rx(f"[{H}{P}\u2605\\r\\n](?:(?<=[{firsts}](?s:.))|(?<=[^{U}A-Za-z@][{U}A-Za-z](?s:.)))"),
        r1=rx(r1),
        r2_after=rx(
            f"\u2605([{H}]{{1,3}}(?=[{HAN_CLASS}0-9])|[{H}]{{0,3}}{NL}[{H}]{{0,3}}(?=[0-9\u957f\u542f]))"
        ),
        # as the old window search: a run of 1-3 after a Han/digit, or up to 7 characters with a line break
        # after 密 (the first character is matched first, so re skips to separators)
        r2_before=rx(
            f"[{H}\r\n](?:(?<=[{HAN_CLASS}0-9][{H}])[{H}]{{0,2}}"
            f"|(?<=\u5bc6[{H}\r\n])(?=[^\u2605]{{0,6}}\u2605)"
            f"(?:(?<=[{H}])[{H}]{{0,2}}{NL}|(?<=\n)|(?<=\r)\n?)[{H}]{{0,3}})(?=\u2605)"
        ),
        # (literal first characters: re finds a literal much faster than a class)
        r3a=rx(f" (?<=[0-9] )[ \\t]{{0,2}}(?=[{PERIOD_UNITS}])"),
        r3a_tab=rx(f"\\t(?<=[0-9]\\t)[ \\t]{{0,2}}(?=[{PERIOD_UNITS}])"),
        r3c_gate=rx(f"\\n[ \\t]{{0,3}}(?=[{PERIOD_UNITS}])"),
        r3c=rx(f"[0-9]([ \\t]{{0,3}}\\r?\\n[ \\t]{{0,3}})(?=[{PERIOD_UNITS}])"),
        r3d=rx(f"\u2605[ \\t]{{0,3}}[0-9]([ \\t]{{1,3}})(?=[0-9])"),
        # (group q: the run has two Han tokens, the first token included)
        r4b=rx(
            f"[{P}](?<=[{HAN_CLASS}\u2605][{P}]){ISOLATED_TOKEN}"
            f"(?:(?P<q>(?<=[{HAN_CLASS}].) ?{one_more_han}|(?<=\u2605.) ?{two_han})| ?{SHORT}(?:{ps}{SHORT})++)"
        ),
        r5=rx(
            f"[ ._-](?<=[A-Za-z].){ISOLATED_TOKEN}(?:(?<= ) {{0,2}}|(?<=[._-])){letter}"
            f"(?:(?:[ ._-]|   ?){letter}){{2,}}+"
        ),
        r5_gap_kept=rx(
            r"(?<=[A-Za-z][ ._-][A-Za-z]) (?= {1,2}[A-Za-z])|(?<=[A-Za-z]) (?= {1,2}[A-Za-z][ ._-][A-Za-z])"
        ),
        r6=rx(
            f"[ \\t*](?<=[{HAN_CLASS}].)(?:(?<=\\*)|(?<=[ \\t])[ \\t]?\\*)()[ \\t]{{0,2}}(?=[{HAN_CLASS}0-9])"
        ),
        neutral=rx(f"[^{H}{P}\u2605\\r\\n{U}A-Za-z@]"),
    )


@functools.cache
def _r5_seps() -> bytes:
    return class_table(" ._-")


@functools.cache
def _punct_or_space() -> bytes:
    return class_table(P + " ")


def neutral_pattern() -> re.Pattern[str]:
    return _rules(False).neutral


def _runs_at(t: str, starts: list[int], rule: re.Pattern[str], shift: int) -> Iterator[re.Match[str]]:
    """Non-overlapping matches of ``rule`` at ``s + shift`` for the candidate starts ``s`` (ascending)."""
    end = 0
    for s in starts:
        if s < end:
            continue
        m = rule.match(t, s + shift)
        if m is not None:
            end = m.end()
            yield m


def _gate(t: str, rules: _Rules) -> tuple[list[int], list[int], list[int], list[int]] | None:
    """Candidate starts of R1, R4, R4b and R5 from one scan of ``t``, or None if there are too many (then
    each rule scans the whole text: same matches, no Python work per candidate)."""
    hits = list(itertools.islice(map(re.Match.start, rules.single_gate.finditer(t)), _SPARSE_LIMIT + 1))
    if len(hits) > _SPARSE_LIMIT:
        return None
    if len(t) > 1 and t[1] in GATE_SEPS and (not hits or hits[0] != 1):
        hits.insert(0, 1)
    r1: list[int] = []
    r4: list[int] = []
    r4b: list[int] = []
    r5: list[int] = []
    for h in hits:
        c = t[h - 1]
        if c in _BIGRAM_FIRSTS:
            r1.append(h - 1)
        if h > 1:
            b = t[h - 2]
            if b in NOT_BEFORE_SINGLE or (b >= "\u3007" and is_han(b)):
                continue  # not a single character: only R1 applies
        sep = t[h]
        if c in LETTERS:
            if sep in " ._-":
                r5.append(h - 1)
        elif sep in P:
            if c == STAR or is_han(c):
                r4b.append(h - 1)
        elif sep != STAR and (c == STAR or "0" <= c <= "9" or is_han(c)):
            r4.append(h - 1)
    return r1, r4, r4b, r5


def _r5_edits(t: str, runs: list[int], rules: _Rules, ed: Edits, deadline: float | None) -> None:
    """R5: delete the separators of the runs, but keep one space of a gap next to a word of several letters."""
    inside = blank_outside(t, runs)
    check_deadline(deadline)
    seps = bytearray(class_mask(inside, _r5_seps()))
    for chunk in checked(rules.r5_gap_kept.finditer(inside), deadline):
        for m in chunk:
            seps[m.start()] = 0
    ed.delete_mask(seps)


def _r6_edits(t: str, rules: _Rules, ed: Edits, deadline: float | None) -> None:
    """R6: a '*' between Han and Han/digit becomes ★ (with the spaces around it deleted), unless another rule
    deletes it.  Runs last: it reads the deletions of the other rules."""
    lo, hi = max(t.find("*") - 3, 0), min(t.rfind("*") + 4, len(t))
    d = ed.dmask
    stars = ed.stars
    for chunk in checked(rules.r6.finditer(t, lo, hi), deadline):
        for m in chunk:
            (a, b), (p, _) = m.regs
            p -= 1  # the '*' (group 1 is empty, right after it)
            if d[p]:
                continue
            stars.append(p)
            if b - a > 1:  # spaces around the '*'
                d[a:b] = b"\x01" * (b - a)
                d[p] = 0


def _before_stars(t: str, r2_before: re.Pattern[str]) -> Iterator[re.Match[str]]:
    """Matches of R2's separator run before a ★: in the 8 characters before each star if there are few stars
    (the pattern's own lookarounds decide, so the windows only save scanning), else in one scan."""
    if t.count(STAR) > max(16, len(t) >> 7):  # (a window costs about what scanning 128 characters does)
        return r2_before.finditer(t, max(t.find(STAR) - 8, 0), t.rfind(STAR) + 1)
    return itertools.chain.from_iterable(
        r2_before.finditer(t, max(p - 8, 0), p + 1) for p in _find_all(t, STAR)
    )


def _find_all(t: str, ch: str) -> Iterator[int]:
    p = t.find(ch)
    while p >= 0:
        yield p
        p = t.find(ch, p + 1)


def context_edits(t: str, deadline: float | None = None) -> Edits:
    """One pass of R1-R6 over ``t``."""
    bmp = is_bmp(t)
    rules = _rules(bmp)
    ed = Edits(len(t))
    gate = _gate(t, rules)

    def matches(rule: re.Pattern[str], which: int, shift: int) -> Iterator[re.Match[str]]:
        return rule.finditer(t) if gate is None else _runs_at(t, gate[which], rule, shift)

    check_deadline(deadline)
    chains = spans_of(matches(find_pattern(bmp), 1, 1), deadline, -1)
    if chains:  # first: chain_edits corrects its own marks
        chain_edits(t, chains, ed, deadline, bmp)
    check_deadline(deadline)
    r5 = spans_of(matches(rules.r5, 3, 1), deadline, -1)
    if r5:
        check_deadline(deadline)
        _r5_edits(t, r5, rules, ed, deadline)
    r4b = spans_of((m for m in matches(rules.r4b, 2, 1) if m.lastindex), deadline)
    if r4b:
        check_deadline(deadline)
        ed.delete_mask(class_mask(blank_outside(t, r4b), _punct_or_space()))
    check_deadline(deadline)
    d = ed.dmask
    for chunk in checked(matches(rules.r1, 0, 0), deadline):  # R1: the separators after the first character
        for m in chunk:
            a, b = m.span()
            if b - a == 2:
                d[a + 1] = 1
            else:
                d[a + 1 : b] = b"\x01" * (b - a - 1)
    check_deadline(deadline)
    has_star = STAR in t
    if has_star:
        ed.delete_matches(rules.r2_after.finditer(t), deadline, 1)
        ed.delete_matches(_before_stars(t, rules.r2_before), deadline)
    has_tab = "\t" in t
    if " " in t or has_tab:
        ed.delete_matches(rules.r3a.finditer(t), deadline)
        if has_tab:
            ed.delete_matches(rules.r3a_tab.finditer(t), deadline)
        if has_star:
            ed.delete_matches(rules.r3d.finditer(t), deadline, 1)
    check_deadline(deadline)
    if "\n" in t and (nl := rules.r3c_gate.search(t)) is not None:
        ed.delete_matches(rules.r3c.finditer(t, max(nl.start() - 5, 0)), deadline, 1)
    check_deadline(deadline)
    if "*" in t and t.count("*") > len(ed.stars):
        # R6 only adds to R4 for a '*' that R4 did not turn into ★ (R6's context never holds a '*')
        _r6_edits(put_stars(t, sorted(ed.stars)) if ed.stars else t, rules, ed, deadline)
    return ed


def ascii_edits(t: str, deadline: float | None = None) -> Edits:
    """The only rule that applies to ASCII text: R5."""
    rules = _rules(True)
    ed = Edits(len(t))
    runs = spans_of(rules.r5.finditer(t), deadline, -1)
    if runs:
        check_deadline(deadline)
        _r5_edits(t, runs, rules, ed, deadline)
    return ed


def mark_edits(t: str, deadline: float | None = None) -> Edits:
    """R0: combining marks directly after a unit (and after such marks)."""
    ct = char_table()
    ed = Edits(len(t))
    if is_bmp(t):  # then the pattern only matches marks
        ed.delete_matches(ct.marks_after_unit.finditer(t), deadline)
        return ed
    d = ed.dmask
    for chunk in checked(ct.marks_after_unit.finditer(t), deadline):
        for m in chunk:  # the pattern lets any astral character through: keep the leading marks
            run = m.group()
            k = 0
            while k < len(run) and run[k] in ct.marks:
                k += 1
            a = m.start()
            d[a : a + k] = b"\x01" * k
    return ed
