"""Character classes and the token / separator grammar shared by the context rules (joins.py, chains.py).

All names are regex *class bodies* or pattern fragments (strings); the rule modules compile them on first use.
Repetitions are possessive (``*+``, ``{1,3}+``) wherever backtracking into them cannot find another match
(separator characters are never units, so a run is always taken whole): ``re`` saves no backtracking state for
them, which makes long runs several times faster to match.
The terms (unit, separator run, short token, prose punctuation) are defined in the docstring of
:mod:`proxy.text.normalize`.
"""
from __future__ import annotations

import re

from proxy.text.chardata import STAR
from proxy.text.chartable import HAN_CLASS

U = f"{HAN_CLASS}\u26050-9"  # unit characters
H = " \t\\-_.\u00b7\u2022|/\\\\~^+=#'\"`*"  # neutral horizontal separators
H_NO_STAR = " \t\\-_.\u00b7\u2022|/\\\\~^+=#'\"`"
H_NO_SPACE = "\\-_.\u00b7\u2022|/\\\\~^+=#'\"`*"  # the separators that are not whitespace
HSET_CHARS = " \t-_.\u00b7\u2022|/\\~^+=#'\"`*"
HSET = frozenset(HSET_CHARS)
P = ",;:\u3001\u2026"  # prose punctuation
NL = r"(?:\r\n|\n|\r)"
SEP_N = f"(?:[{H}]{{1,3}}+|[{H}]{{0,3}}+{NL}[{H}]{{0,3}}+)"  # separator run
S1 = f"{H}{P}\u2605"
SEP_1 = f"(?:[{S1}]{{1,3}}+|[{S1}]{{0,3}}+{NL}[{S1}]{{0,3}}+)"  # separator run inside a marking word (R1)
ISO = f"(?![{U}A-Za-z])"  # no unit or letter follows
SHORT = f"(?:[{HAN_CLASS}\u2605]|[0-9]{{1,4}}+){ISO}"
PERIOD_UNITS = "\u5e74\u6708\u65e5\u5929\u5468\u4e2a"  # 年 月 日 天 周 个

# Most rule patterns start with the separator that follows a single token, so that ``re`` can skip through
# ordinary text looking for one rare character.  Right after that separator (token at pos-2), this asserts
# that the token is a single character: nothing before it that is a unit, a letter or '@'.
ISOLATED_TOKEN = f"(?<![{U}A-Za-z@](?s:..))"

LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
NOT_BEFORE_SINGLE = frozenset(LETTERS | set("0123456789@\u2605"))
GATE_SEPS = frozenset(HSET | set(P) | {"\r", "\n", STAR})


def is_han(ch: str) -> bool:
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x323AF
        or 0xF900 <= o <= 0xFAFF
        or o == 0x3007
    )


def is_unit(ch: str) -> bool:
    return ch == STAR or "0" <= ch <= "9" or is_han(ch)


_ASTRAL_HAN = HAN_CLASS[HAN_CLASS.index("\U00020000") :]  # the one astral range of HAN_CLASS (Ext B-H)
assert _ASTRAL_HAN == "\U00020000-\U000323af"


def compile_rule(pattern: str, bmp: bool) -> re.Pattern[str]:
    """Compile ``pattern``; with ``bmp``, for texts without astral characters: the astral range is left out of
    its Han classes, which lets ``re`` test them with a bitmap (about twice as fast on long runs)."""
    return re.compile(pattern.replace(_ASTRAL_HAN, "") if bmp else pattern)


def is_bmp(t: str) -> bool:
    """No character of ``t`` is astral (then ``compile_rule(..., bmp=True)`` patterns match it exactly)."""
    return len(t.encode("utf-16-le", "surrogatepass")) == 2 * len(t)
