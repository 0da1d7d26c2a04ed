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

The rules are applied to a fixpoint (one rule's edit can enable another: 机.★★★密), so ``normalize`` is
idempotent on its own output; the passes after the first only look at the stretch of text around the previous
pass's edits.  Nothing is lower-cased, and line breaks are only removed by the rules above.

Han ideographs here are 〇 and the CJK Unified Ideographs blocks (URO, Ext A-H) and U+F900-FAFF.

Speed
-----
ASCII text only needs R5 and returns the identity object unless it applies.  Other text: ``str.replace`` for
the frequent full-width punctuation, one regex substitution for the rest of the table (offsets are built only
if a character changes length), then one regex scan that finds every candidate of R1/R4/R4b/R5, plus a few
literal-prefixed scans gated by substring checks (``★``, ``*``, spaces, line breaks).  About 0.1-0.2 ms for
2,000 characters of ordinary Chinese on a 2-core machine (see tests/text/bench_normalize.py).
"""
from __future__ import annotations

import bisect
import functools
import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple, Sequence

from proxy.text import chardata
from proxy.text.chardata import STAR


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


# ---------------------------------------------------------------------------------------------------------------
# Step 1: the per-character table

# Code point ranges that may contain characters NFKC changes, format characters or combining marks.  The large
# blocks left out (CJK unified ideographs and extensions, Hangul syllables, surrogates, private use, unassigned
# planes) contain none; tests/text checks this against a scan of all of Unicode.
_SCAN_RANGES = (
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
_ASTRAL = "\\U00010000-\\U0010ffff"


def _class(codepoints: Sequence[int]) -> str:
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
    return _class([c for c in codepoints if c < 0x10000]) + _ASTRAL


class _CharTable(NamedTuple):
    table: dict[int, str]  # ord -> replacement ('' = removed); only characters that change
    common: tuple[tuple[str, str], ...]  # frequent 1:1 replacements done with str.replace
    gate: re.Pattern[str]  # a character that may change or is a combining mark (see _gate_class)
    rest_runs: re.Pattern[str]  # runs of such characters, other than ``common``
    varlen: frozenset[str]  # characters whose replacement is not exactly one character
    marks: frozenset[str]  # combining marks (Mn/Me) that survive the table
    marks_runs: re.Pattern[str]  # runs of possible marks (astral characters are re-checked)


def _build_char_table() -> _CharTable:
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
    for lo, hi in _SCAN_RANGES:
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
    varlen = [k for k in keys if len(table[k]) != 1]
    marks = [cp for cp in mark_cps if cp not in table]
    return _CharTable(
        table=table,
        common=common,
        gate=re.compile(f"[{_gate_class(sorted(keys + marks))}]"),
        rest_runs=re.compile(f"[{_gate_class(sorted([k for k in keys if k not in common_set] + marks))}]+"),
        varlen=frozenset(chr(k) for k in varlen),
        marks=frozenset(chr(k) for k in marks),
        marks_runs=re.compile(f"[{_gate_class(marks)}]+"),
    )


@functools.cache
def char_table() -> _CharTable:
    """The step-1 table, built on first use (about 0.15 s) and cached for the life of the process.  Call it
    once at start-up to keep that cost off the first request."""
    return _build_char_table()


_iota_cache: list[int] = [0]


def _iota(n: int) -> list[int]:
    """A shared list [0, 1, ..., m] with m >= n.  Offset arrays are built from slices of it: copying existing
    int objects is several times faster than creating them from a range()."""
    global _iota_cache
    cache = _iota_cache
    if len(cache) <= n:
        cache = list(range(max(n + 1, 2 * len(cache))))
        _iota_cache = cache
    return cache


def _translate(ct: _CharTable, text: str) -> tuple[str, tuple[list[int], list[int]] | None, bool]:
    """Apply the table.  Returns (text, offset arrays or None for the identity map, whether combining marks
    may be present)."""
    t = text
    for c, r in ct.common:
        if c in t:
            t = t.replace(c, r)
    table, varlen, marks = ct.table, ct.varlen, ct.marks
    varlen_at: list[int] = []
    has_marks = False

    def run(m: re.Match[str]) -> str:
        nonlocal has_marks
        s = m.group()
        out = s.translate(table)
        if not varlen.isdisjoint(s):
            a = m.start()
            varlen_at.extend(a + i for i, c in enumerate(s) if c in varlen)
        if not has_marks and not marks.isdisjoint(out):
            has_marks = True
        return out

    # common replacements are 1:1, so positions in t are still positions in text
    t = ct.rest_runs.sub(run, t)
    if not varlen_at:
        return t, None, has_marks
    iota = _iota(len(text) + 1)
    starts: list[int] = []
    ends: list[int] = []
    prev = 0
    for p in varlen_at:
        starts.extend(iota[prev:p])
        ends.extend(iota[prev + 1 : p + 1])
        k = len(table[ord(text[p])])
        if k:
            starts.extend([p] * k)
            ends.extend([p + 1] * k)
        prev = p + 1
    starts.extend(iota[prev : len(text)])
    ends.extend(iota[prev + 1 : len(text) + 1])
    return t, (starts, ends), has_marks


# ---------------------------------------------------------------------------------------------------------------
# Step 2: context rules.  Every pattern starts with a rarely matching character class (a separator, a digit, a
# marking character) so that ``re`` can skip through ordinary text; the few hits are finished in Python.

_U = f"{HAN_CLASS}\u26050-9"  # unit characters (class body)
_H = " \t\\-_.\u00b7\u2022|/\\\\~^+=#'\"`*"  # neutral horizontal separators (class body)
_HSET = frozenset(" \t-_.\u00b7\u2022|/\\~^+=#'\"`*")
_P = ",;:\u3001\u2026"  # prose punctuation (class body)
_NL = r"(?:\r\n|\n|\r)"
_SEP_N = f"(?:[{_H}]{{1,3}}|[{_H}]{{0,3}}{_NL}[{_H}]{{0,3}})"
_S1 = f"{_H}{_P}\u2605"
_SEP_1 = f"(?:[{_S1}]{{1,3}}|[{_S1}]{{0,3}}{_NL}[{_S1}]{{0,3}})"
_ISO_AFTER = f"(?![{_U}A-Za-z])"
_SHORT = f"(?:[{HAN_CLASS}\u2605]|[0-9]{{1,4}}){_ISO_AFTER}"
_FIRST_SHORT = f"[{_U}](?:(?<=[0-9])[0-9]{{0,3}})?{_ISO_AFTER}"
_PERIOD_UNITS = "\u5e74\u6708\u65e5\u5929\u5468\u4e2a"  # 年 月 日 天 周 个
_GATE_SEPS = frozenset(_HSET | set(_P) | {"\r", "\n", "\u2605"})
_BIGRAM_FIRSTS = frozenset(b[0] for b in chardata.MARKING_BIGRAMS)
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_NOT_BEFORE_SINGLE = frozenset(_LETTERS | set("0123456789@\u2605"))


class _Rules(NamedTuple):
    r1: re.Pattern[str]
    r2_before: re.Pattern[str]
    r2_after: re.Pattern[str]
    r3a: re.Pattern[str]
    r3a_tab: re.Pattern[str]
    r3c: re.Pattern[str]
    r3d: re.Pattern[str]
    single_gate: re.Pattern[str]
    r4: re.Pattern[str]
    r5_gate: re.Pattern[str]
    neutral: re.Pattern[str]
    r4b: re.Pattern[str]
    r5: re.Pattern[str]
    attach_right: re.Pattern[str]
    hsep: re.Pattern[str]
    seps_in: re.Pattern[str]


@functools.cache
def _rules() -> _Rules:
    firsts = "".join(sorted({b[0] for b in chardata.MARKING_BIGRAMS}))
    seconds = "".join(sorted({b[1] for b in chardata.MARKING_BIGRAMS}))
    return _Rules(
        r1=re.compile(f"[{firsts}]({_SEP_1})(?=[{seconds}])"),
        # applied with endpos = position of the ★
        r2_before=re.compile(f"(?:[{_H}]{{1,3}}|(?P<nl>[{_H}]{{0,3}}{_NL}[{_H}]{{0,3}}))\\Z"),
        r2_after=re.compile(
            f"[{_H}]{{1,3}}(?=[{HAN_CLASS}0-9])|(?P<nl>[{_H}]{{0,3}}{_NL}[{_H}]{{0,3}})(?=[0-9\u957f\u542f])"
        ),
        r3a=re.compile(f" (?<=[0-9] )[ \\t]{{0,2}}(?=[{_PERIOD_UNITS}])"),
        r3a_tab=re.compile(f"\\t(?<=[0-9]\\t)[ \\t]{{0,2}}(?=[{_PERIOD_UNITS}])"),
        r3c=re.compile(f"\\n[ \\t]{{0,3}}(?=[{_PERIOD_UNITS}])"),
        r3d=re.compile(f"\u2605[ \\t]{{0,3}}[0-9]([ \\t]{{1,3}})(?=[0-9])"),
        # one scan for the candidates of R1 (a separator after the first character of a marking word) and of
        # R4, R4b, R5 (a separator right after a single unit or ASCII letter)
        single_gate=re.compile(
            f"[{_H}{_P}\u2605\\r\\n](?:(?<=[{firsts}].)|(?<=[^{_U}A-Za-z@][{_U}A-Za-z].))", re.DOTALL
        ),
        r4=re.compile(f"{_FIRST_SHORT}(?:{_SEP_N}{_SHORT})+"),
        r5_gate=re.compile(r"[ ._-](?<=[^A-Za-z0-9@][A-Za-z].)"),
        # characters no rule deletes, matches or looks at (rule matches never span one)
        neutral=re.compile(f"[^{_H}{_P}\u2605\\r\\n{_U}A-Za-z@]"),
        r4b=re.compile(f"[{HAN_CLASS}\u2605]{_ISO_AFTER}(?:[{_P}] ?{_SHORT}){{2,}}"),
        r5=re.compile(r"[A-Za-z](?:(?:[ ._-]|   ?)[A-Za-z](?![A-Za-z0-9@])){3,}"),
        attach_right=re.compile(f"[{_H}]{{1,3}}(?=[{_U}])"),
        hsep=re.compile(f"[{_H}]{{1,3}}"),
        seps_in=re.compile(f"[^{_U}]+"),
    )


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x323AF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007
    )


def _is_unit(ch: str) -> bool:
    return ch == STAR or "0" <= ch <= "9" or _is_han(ch)


def _is_letter_or_unit(ch: str) -> bool:
    return ("A" <= ch <= "Z") or ("a" <= ch <= "z") or _is_unit(ch)


def _runs_at(t: str, starts: list[int], rule: re.Pattern[str]):
    """Non-overlapping matches of ``rule`` anchored at the candidate ``starts`` (ascending)."""
    end = 0
    for s in starts:
        if s < end:
            continue
        m = rule.match(t, s)
        if m is not None:
            end = m.end()
            yield m


def _gate_starts(t: str, rules: _Rules) -> tuple[list[int], list[int], list[int], list[int]]:
    """Candidate starts of R1, R4, R4b and R5 matches, from one scan of ``t``."""
    r1: list[int] = []
    r4: list[int] = []
    r4b: list[int] = []
    r5: list[int] = []
    hits = [g.start() for g in rules.single_gate.finditer(t)]
    if len(t) > 1 and t[1] in _GATE_SEPS and (not hits or hits[0] != 1):
        hits.insert(0, 1)
    firsts = _BIGRAM_FIRSTS
    for h in hits:
        c = t[h - 1]
        if c in firsts:
            r1.append(h - 1)
        if h > 1:
            b = t[h - 2]
            if b in _NOT_BEFORE_SINGLE or (b >= "\u3007" and _is_han(b)):
                continue  # not a single character: only R1 applies
        sep = t[h]
        if c in _LETTERS:
            if sep in " ._-":
                r5.append(h - 1)
        elif sep in _P:
            if c == STAR or _is_han(c):
                r4b.append(h - 1)
        elif sep != STAR and (c == STAR or "0" <= c <= "9" or _is_han(c)):
            r4.append(h - 1)
    return r1, r4, r4b, r5


def _r4_chain(t: str, m: re.Match[str], rules: _Rules, dels: set[int], reps: dict[int, str]) -> None:
    s, e = m.span()
    # items: (kind, start, end); kind 'u' = short token, 'l' = the edge character of an attached longer
    # token, 's' = separator
    items: list[tuple[str, int, int]] = []
    j = s
    while j > 0 and s - j < 4 and t[j - 1] in _HSET:
        j -= 1
    if j < s and j > 0 and _is_unit(t[j - 1]) and rules.hsep.fullmatch(t, j, s) is not None:
        items.append(("l", j - 1, j))
        items.append(("s", j, s))
    pos = s
    for sm in rules.seps_in.finditer(t, s, e):
        a, b = sm.span()
        if a > pos:
            items.append(("u", pos, a))
        items.append(("s", a, b))
        pos = b
    if pos < e:
        items.append(("u", pos, e))
    rm = rules.attach_right.match(t, e)
    if rm is not None:
        items.append(("s", e, rm.end()))
        items.append(("l", rm.end(), rm.end() + 1))

    # Line breaks are only crossed in purely vertical text (every separator of the chain has a line break);
    # otherwise the chain is cut at its line breaks, so "机 密 ★ 5 年\n特 急" keeps its two lines.
    nl_flags = [("\n" in t[a:b] or "\r" in t[a:b]) for k, a, b in items if k == "s"]
    cut = any(nl_flags) and not all(nl_flags)
    groups: list[list[tuple[str, int, int]]] = [[]]
    for it in items:
        if cut and it[0] == "s" and ("\n" in t[it[1] : it[2]] or "\r" in t[it[1] : it[2]]):
            groups.append([])
            continue
        groups[-1].append(it)
    for g in groups:
        if sum(1 for it in g if it[0] == "u") < 2:
            continue
        if sum(1 for k, a, b in g if k != "s" and b - a == 1 and _is_han(t[a])) < 2:
            continue
        for idx in range(1, len(g) - 1):
            k, a, b = g[idx]
            if k != "s":
                continue
            left = t[g[idx - 1][2] - 1]
            right = t[g[idx + 1][1]]
            sep = t[a:b]
            if "0" <= left <= "9" and "0" <= right <= "9" and sep.strip(" \t\r\n"):
                continue  # 1.5 keeps its point
            star_at = sep.find("*")
            if star_at >= 0 and left != STAR and right != STAR:
                dels.update(p for p in range(a, b) if p != a + star_at)
                reps[a + star_at] = STAR
            else:
                dels.update(range(a, b))


def _r5_edits(t: str, starts: list[int], rules: _Rules, dels: set[int]) -> None:
    for m in _runs_at(t, starts, rules.r5):
        a, b = m.span()
        # positions of separators; a 2-3 space gap separates words, anything else separates letters
        seps: list[tuple[int, int]] = []
        i = a + 1
        while i < b:
            j = i + 1
            while t[j] == " ":
                j += 1
            seps.append((i, j))
            i = j + 1
        gaps = [k for k, (i, j) in enumerate(seps) if j - i > 1]
        # word lengths in letters, to tell a real word gap (T O P  S E C R E T) from spaced single letters
        bounds = [-1, *gaps, len(seps)]
        word_len = {}
        for w in range(len(bounds) - 1):
            for k in range(bounds[w] + 1, bounds[w + 1] + 1):
                word_len[k] = bounds[w + 1] - bounds[w]
        for k, (i, j) in enumerate(seps):
            if j - i > 1 and (word_len.get(k, 1) > 1 or word_len.get(k + 1, 1) > 1):
                dels.update(range(i + 1, j))  # a word gap keeps one space
            else:
                dels.update(range(i, j))


def _mark_deletions(t: str) -> set[int]:
    """R0: combining marks directly after a unit (and after such marks)."""
    ct = char_table()
    dels: set[int] = set()
    for m in ct.marks_runs.finditer(t):
        a, b = m.span()
        if a > 0 and _is_unit(t[a - 1]):
            for q in range(a, b):
                if t[q] not in ct.marks:
                    break
                dels.add(q)
    return dels


def _context_edits(t: str) -> tuple[set[int], dict[int, str]]:
    rules = _rules()
    dels: set[int] = set()
    reps: dict[int, str] = {}
    n = len(t)
    r1_starts, r4_starts, r4b_starts, r5_starts = _gate_starts(t, rules)

    # R5: English letter-spacing
    _r5_edits(t, r5_starts, rules, dels)
    # R1: marking words split by separators
    for m in _runs_at(t, r1_starts, rules.r1):
        a, b = m.span(1)
        if t[a - 1] + t[b] in chardata.MARKING_BIGRAMS:
            dels.update(range(a, b))
    has_star = STAR in t
    # R2: separators around ★
    if has_star:
        p = t.find(STAR)
        while p >= 0:
            bm = rules.r2_before.search(t, max(p - 7, 0), p)
            if bm is not None and bm.start() > 0:
                before = t[bm.start() - 1]
                if (before == "\u5bc6") if bm.group("nl") else ("0" <= before <= "9" or _is_han(before)):
                    dels.update(range(bm.start(), p))
            am = rules.r2_after.match(t, p + 1)
            if am is not None:
                dels.update(range(p + 1, am.end()))
            p = t.find(STAR, p + 1)
    # R3: digits and Han
    has_tab = "\t" in t
    if " " in t or has_tab:
        for m in rules.r3a.finditer(t):
            dels.update(range(*m.span()))
        if has_tab:
            for m in rules.r3a_tab.finditer(t):
                dels.update(range(*m.span()))
        if has_star:
            for m in rules.r3d.finditer(t):
                dels.update(range(*m.span(1)))
    if "\n" in t:
        for m in rules.r3c.finditer(t):
            a = m.start()
            if a > 0 and t[a - 1] == "\r":
                a -= 1
            k = a
            while k > 0 and a - k < 3 and t[k - 1] in " \t":
                k -= 1
            if k > 0 and "0" <= t[k - 1] <= "9":
                dels.update(range(k, m.end()))
    # R4: letter-spacing with neutral separators
    for m in _runs_at(t, r4_starts, rules.r4):
        _r4_chain(t, m, rules, dels, reps)
    # R4b: prose punctuation letter-spacing
    for m in _runs_at(t, r4b_starts, rules.r4b):
        s, e = m.span()
        if sum(1 for ch in t[s:e] if _is_han(ch)) >= 2:
            for sm in rules.seps_in.finditer(t, s, e):
                dels.update(range(*sm.span()))
    # R6: a plain * between Han and Han/digit is a star
    if "*" in t:
        p = t.find("*")
        while p >= 0:
            a = p
            while a > 0 and p - a < 2 and t[a - 1] in " \t":
                a -= 1
            b = p + 1
            while b < n and b - p <= 2 and t[b] in " \t":
                b += 1
            if a > 0 and b < n and _is_han(t[a - 1]) and (_is_han(t[b]) or "0" <= t[b] <= "9") and p not in dels:
                reps[p] = STAR
                dels.update(q for q in range(a, b) if q != p)
            p = t.find("*", p + 1)
    for p in dels:
        reps.pop(p, None)
    return dels, reps


# ---------------------------------------------------------------------------------------------------------------


def _edit(
    t: str, starts: list[int] | None, ends: list[int] | None, dels: set[int], reps: dict[int, str]
) -> tuple[str, list[int] | None, list[int] | None]:
    """Apply 1:1 replacements ``reps`` and deletions ``dels`` (positions in ``t``) to ``t`` and its offset
    arrays (None = identity)."""
    if reps:
        pieces = []
        prev = 0
        for p in sorted(reps):
            pieces.append(t[prev:p])
            pieces.append(reps[p])
            prev = p + 1
        pieces.append(t[prev:])
        t = "".join(pieces)
    if not dels:
        return t, starts, ends
    n = len(t)
    if starts is None or ends is None:
        iota = _iota(n + 1)
        starts, ends = iota, iota[1:]
    pieces = []
    ns: list[int] = []
    ne: list[int] = []
    prev = 0
    for p in sorted(dels):
        if p > prev:
            pieces.append(t[prev:p])
            ns.extend(starts[prev:p])
            ne.extend(ends[prev:p])
        prev = p + 1
    pieces.append(t[prev:])
    ns.extend(starts[prev:n])
    ne.extend(ends[prev:n])
    return "".join(pieces), ns, ne


def _make(original: str, text: str, starts: list[int] | None, ends: list[int] | None) -> Normalized:
    if starts is None or ends is None:
        return Normalized(original, text)
    return Normalized(original, text, tuple(starts), tuple(ends))


_MAX_PASSES = 4


def _touched(dels: set[int], reps: dict[int, str]) -> list[int]:
    """Positions, in the text after applying the edits, where the edits happened."""
    ds = sorted(dels)
    out = [p - k for k, p in enumerate(ds)]
    for p in reps:
        out.append(p - bisect.bisect_left(ds, p))
    out.sort()
    return out


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


def _local_edits(t: str, touched: list[int]) -> tuple[set[int], dict[int, str]]:
    """Context edits of the segments (maximal runs without a neutral character) around ``touched``."""
    dels: set[int] = set()
    reps: dict[int, str] = {}
    neutral = _rules().neutral
    seg_end = -1
    for q in touched:
        if q < seg_end:
            continue
        a, b = _segment(t, q, neutral)
        seg_end = b
        if b - a < 2:
            continue
        d, r = _context_edits(t[a:b])
        dels.update(x + a for x in d)
        for x, c in r.items():
            reps[x + a] = c
    return dels, reps


def normalize(text: str) -> Normalized:
    """Canonical text for the detectors plus the offset map back to ``text`` (see the module docstring)."""
    if text.isascii():
        rules = _rules()
        dels: set[int] = set()
        starts5 = [g.start() - 1 for g in rules.r5_gate.finditer(text)]
        if len(text) > 1 and text[1] in " ._-" and text[0] in _LETTERS:
            starts5.insert(0, 0)
        _r5_edits(text, starts5, rules, dels)
        if not dels:
            return Normalized(text, text)
        return _make(text, *_edit(text, None, None, dels, {}))

    ct = char_table()
    starts: list[int] | None = None
    ends: list[int] | None = None
    if ct.gate.search(text) is None:
        t = text
    else:
        t, offsets, has_marks = _translate(ct, text)
        if offsets is not None:
            starts, ends = offsets
        if has_marks:
            t, starts, ends = _edit(t, starts, ends, _mark_deletions(t), {})
    # Rules can enable each other (机.★★★密: R2 shortens the run R1 needs), so repeat until nothing changes;
    # the later passes only look at the segments around the previous pass's edits.
    dels, reps = _context_edits(t)
    passes = 1
    while dels or reps:
        touched = _touched(dels, reps)
        t, starts, ends = _edit(t, starts, ends, dels, reps)
        if passes == _MAX_PASSES:
            break
        dels, reps = _local_edits(t, touched)
        passes += 1
    return _make(text, t, starts, ends)
