r"""Normalization with an offset map back to the original text.

Detectors run on ``normalize(text).text`` (the *canonical* text); a finding ``[s, e)`` on it is mapped back with
``Normalized.to_original(s, e)``, which returns an original span containing the source of every canonical
character in ``[s, e)`` (so a redaction of that span removes the whole disguised form).

Offset map
----------
``starts[i]`` / ``ends[i]``: canonical char ``i`` comes from ``original[starts[i]:ends[i]]``.  Both tuples are
non-decreasing and ``0 <= starts[i] < ends[i] <= len(original)``.  ``starts is None`` (and ``ends is None``)
means the identity map: canonical char ``i`` comes from original char ``i``.  The *characters* may still differ
(``５`` -> ``5``, ``機`` -> ``机``): ``None`` says "same length, one to one", not "unchanged"; compare ``text`` with
``original`` for that.

Step 1: one character at a time (a table built on first use, see ``char_table``)
-------------------------------------------------------------------------------
* Unicode NFKC of the single character: full-width forms, compatibility ideographs, Kangxi radicals, circled,
  super- and subscript digits, ligatures, mathematical letters, odd spaces -> ``' '``.  A character that expands
  (``⑩`` -> ``10``) maps all its output characters to its own span.  Kept as they are: the ellipses ``…`` ``‥``
  (prose punctuation, no evasion value; expanding them would only cost an offset map).  NFKC is applied per
  character, so combining sequences are not composed.
* Removed (no canonical character; the neighbours' spans stay exact): every format character (category Cf:
  zero-width space/joiners, word joiner, BOM, soft hyphen, bidi controls, tags, ...), variation selectors
  (FE00-FE0F, E0100-E01EF), Mongolian FVS, the combining grapheme joiner and the Hangul fillers.
* Traditional -> simplified, one character to one character: OpenCC ``TSCharacters.txt`` (first candidate of
  each line, single-character entries only) plus a hand table of variant / look-alike ideographs of the
  characters of markings (``chardata.VARIANTS``: 絶 祕 袐 宻 朞 秊 収 囘 囬 唘 歬 镸 ⻑ ⺝ ...).
* Look-alike stars (☆ ✩ ✪ … ⭐ ⋆ ✱ … ❋ ⁎ ∗ ﹡ ＊ ٭ 🌟 …) -> ``★``; dashes and minus signs -> ``-``; middle dots
  (・ ‧ ∙ ⋅ …) -> ``·``; division/fraction slash -> ``/``; 〜 -> ``~``; NEL, U+2028, U+2029 -> ``\n``.  The
  plain ``*`` is not in the table (code and markdown use it); see R6.
* The table is closed: applying it to its own output changes nothing.

Step 2: context rules (on the text of step 1)
---------------------------------------------
Terms.  A *unit* is a Han ideograph, ``★`` or an ASCII digit.  A *separator run* ``SEP`` is 1-3 characters of
space/tab or ``- _ . · • | / \ ~ ^ + = # ' " ` *``, optionally with one line break (never a blank line).
*Prose punctuation* is ``, ; : 、 …`` (``，；：`` are ASCII after NFKC).  A *short token* is a single Han ideograph,
a single ``★`` or a run of 1-4 digits, with no unit or ASCII letter directly before or after it.

* R1 marking words.  The two characters of a marking word (``chardata.MARKING_BIGRAMS``: 绝密 机密 秘密 内部 部资
  资料 注意 意保 保存 保密 启用 用前 长期 密级) split by 1-3 separator characters (SEP characters, prose
  punctuation or ``★``; at most one line break) are re-joined, whatever surrounds them: 机-密★5年, 秘.密★1年,
  机*密, 机，密, 机\n密, 绝-密★启用前.  These splits have no innocent reading; a false join (有机，密封 ->
  有机密封) only creates a mention, never a marking.
* R2 star.  A horizontal SEP between ``★`` and a Han character or digit is dropped (机密 ★ 5年); across a line
  break only for ``密 SEP ★`` and ``★ SEP digit/长/启`` (a marking broken over two lines), so lists bulleted
  with ★ keep their lines.
* R3 periods.  Spaces between a digit and 年 月 日 天 周 个 are dropped (5 年, 2024 年), also one line break
  there, and spaces inside a number right after a star (★1 0年).  Other digit/Han spacing is kept (钱若溪
  13867112345 stays: PII detectors want their boundaries).
* R4 letter-spacing.  A chain of at least two short tokens joined by SEP runs, with at least two Han
  characters among the chain's tokens (plus the edge character of a longer token it is attached to), loses
  its separators: 机 密 ★ 5 年, 内 部 资 料, 机_密, 特\u3000急, 成\u3000\u3000员.  The chain also absorbs a
  horizontal SEP attaching it to a longer unit token on either side (内 部 资料, 机密 ★ 5 年).  A separator
  between two digit tokens is only dropped if it is whitespace (1.5 年 keeps its point); a separator holding
  a ``*`` becomes ``★`` (秘 密 * 1 年 -> 秘密★1年).  If some separators of a chain contain a line break and some
  do not, the chain is cut at its line breaks: line breaks are only crossed in purely vertical text (one unit
  per line), so ``机 密 ★ 5 年\n特 急`` keeps its two lines and ``1. 是\n2. 否`` lists keep theirs.  Ordinary
  spaced text stays: ``我们 今天 去`` has one short token, ``1 2 3`` no Han.
* R4b prose punctuation.  At least three short tokens, two of them Han, each separated by one prose
  punctuation mark (plus at most one space) are joined (机,密,★,5,年).  Two tokens never are, so ``我，你`` and
  ``是，不是`` keep their comma; a list of three one-character words (他、你、我) is joined - rare in prose and
  harmless for detection, the price of catching 机、密、★、5、年.
* R5 English letter-spacing.  At least four single ASCII letters separated by one space, ``.``, ``-`` or
  ``_`` are joined; a gap of 2-3 spaces between two multi-letter words keeps one space (T O P  S E C R E T ->
  TOP SECRET, S.E.C.R.E.T -> SECRET, F.O.U.O. -> FOUO.).  No line breaks.  ``I O U`` (three) stays.
* R6 asterisk.  A plain ``*`` directly between a Han character and a Han character or digit (机密*5年, also
  with up to two spaces on each side) becomes ``★``; ``**bold**``, ``* item`` and ``a * b`` are untouched.
* R0 marks (applied first).  Combining marks (Mn/Me) directly after a unit are dropped (机\u0301密, keycap
  5\ufe0f\u20e3); after letters they stay (cafe\u0301).

The rules are applied to a fixpoint, in at most four passes (one rule's edit can enable another: 机.★★★密), so
``normalize`` is idempotent on its own output; the passes after the first only look at the stretch of text
around the previous pass's edits.  Nothing is lower-cased, and line breaks are only removed by the rules above.

Han ideographs here are 〇 and the CJK Unified Ideographs blocks (URO, Ext A-H) and U+F900-FAFF.

Speed and deadline
------------------
ASCII text only needs R5 and returns the identity object unless it applies.  Other text: ``str.replace`` for
the frequent full-width punctuation, one regex substitution for the rest of the table (offsets are built only
if a character changes length), then one regex scan that finds every candidate of R1/R4/R4b/R5, plus a few
literal-prefixed scans gated by substring checks (``★``, ``*``, spaces, line breaks).  About 0.1-0.2 ms for
2,000 characters of ordinary Chinese on a 2-core machine (see tests/text/bench_normalize.py).

Prompts are attacker-controlled, so the cost must stay linear with a small constant whatever the text.  No step
does Python work per character of a run: a text with many changed characters is translated with one
``str.translate``; each rule is one pattern, run over the whole text once there are many candidates, whose
matches become edits through byte masks (``edits.py``); the R4 chains of a text are handled together
(``chains.py``); edits are applied with ``itertools.compress`` or ``str.replace``.  What remains is about
0.2-0.5 us of Python per *match* (a split marking, a ``★ `` pair, a chain), so a megabyte built to match as
often as possible takes a few tenths of a second, up to about a second for the worst mixtures
(tests/text/test_normalize_adversarial.py; bench_normalize.py prints the times).  The passes after the first
only look around the previous pass's edits, or rescan the text once when there were many.

``normalize(text, deadline)``, with a ``time.monotonic()`` deadline, checks it between the steps and every few
thousand matches and raises :class:`NormalizeTimeout` once it has passed, so a caller can fail closed within
its budget (it overshoots by at most one step: a few tens of ms on a megabyte).

Layout: ``chartable.py`` (step 1), ``joins.py`` (step 2, using ``grammar.py``, the shared character classes, and
``chains.py``, rule R4), ``edits.py`` (the edits of a pass and their application to the text and its offset
arrays); this module has the pipeline and the passes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from proxy.text.chartable import char_table, translate
from proxy.text.edits import Edits, NormalizeTimeout, apply, check_deadline
from proxy.text.joins import ascii_edits, context_edits, mark_edits, neutral_pattern

__all__ = ["Normalized", "NormalizeTimeout", "char_table", "normalize"]

_MAX_PASSES = 4


@dataclass(frozen=True, slots=True)
class Normalized:
    original: str
    text: str  # canonical text
    starts: tuple[int, ...] | None = None  # starts[i]: index in original where canonical char i comes from
    ends: tuple[int, ...] | None = None  # ends[i]: end (exclusive) in original of canonical char i's source

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Canonical span -> original span containing the source of every canonical char in the span."""
        if self.starts is None or self.ends is None:
            return start, end
        if end <= start:
            o = self.starts[start] if start < len(self.starts) else len(self.original)
            return o, o
        return self.starts[start], self.ends[end - 1]


def _make(original: str, text: str, starts: list[int] | None, ends: list[int] | None) -> Normalized:
    if starts is None or ends is None:
        return Normalized(original, text)
    return Normalized(original, text, tuple(starts), tuple(ends))


def _segment(t: str, q: int, neutral: re.Pattern[str]) -> tuple[int, int]:
    """The maximal run of non-neutral characters around the boundary ``q`` (covering t[q-1] and t[q])."""
    m = neutral.search(t, q)
    b = m.start() if m is not None else len(t)
    a, width = q, 64
    while a > 0:
        lo = max(q - width, 0)
        last = None
        for last in neutral.finditer(t, lo, q):
            pass
        if last is not None:
            a = last.end()
            break
        if lo == 0:
            a = 0
            break
        width *= 4
    return a, b


def _local_edits(t: str, touched: list[int], deadline: float | None) -> Edits:
    """Context edits of the segments (maximal runs without a neutral character) around ``touched``: a segment
    without an edit in the previous pass has none in this one either."""
    ed = Edits(len(t))
    neutral = neutral_pattern()
    seg_end = -1
    for q in touched:
        if q < seg_end:
            continue
        a, b = _segment(t, q, neutral)
        seg_end = b
        if b - a >= 2:
            ed.place(context_edits(t[a:b], deadline), a)
    return ed


def normalize(text: str, deadline: float | None = None) -> Normalized:
    """Canonical text for the detectors plus the offset map back to ``text`` (see the module docstring).

    ``deadline``: a ``time.monotonic()`` value; past it, :class:`NormalizeTimeout` is raised."""
    check_deadline(deadline)
    if text.isascii():
        ed = ascii_edits(text, deadline)
        if not ed:
            return Normalized(text, text)
        t, starts, ends, _ = apply(text, None, None, ed, deadline)
        return _make(text, t, starts, ends)

    ct = char_table()
    starts: list[int] | None = None
    ends: list[int] | None = None
    if ct.gate.search(text) is None:
        t = text
    else:
        t, offsets, has_marks = translate(ct, text, deadline)
        if offsets is not None:
            starts, ends = offsets
        if has_marks:
            check_deadline(deadline)
            ed = mark_edits(t, deadline)
            if ed:
                t, starts, ends, _ = apply(t, starts, ends, ed, deadline)
    # Rules can enable each other (机.★★★密: R2 shortens the run R1 needs), so repeat until nothing changes;
    # the later passes only look at the segments around the previous pass's edits (or at the whole text, if
    # there were many).
    check_deadline(deadline)
    ed = context_edits(t, deadline)
    passes = 1
    while ed:
        check_deadline(deadline)
        t, starts, ends, touched = apply(t, starts, ends, ed, deadline)
        check_deadline(deadline)
        if passes == _MAX_PASSES:
            break
        ed = context_edits(t, deadline) if touched is None else _local_edits(t, touched, deadline)
        passes += 1
    check_deadline(deadline)
    return _make(text, t, starts, ends)
