"""Shared pieces of the personal-data recognizers (``pii_*.py``): base class, checksums, context, word lists.

Every personal-data recognizer is a presidio ``LocalRecognizer`` whose results carry
``recognition_metadata = {recognizer_name, recognizer_identifier, category: "personal_data", why}``; ``why``
is a short fixed reason (never the matched text). All regex work goes through :mod:`proxy.detection.bounded`
(timeouts -> ``InspectionError``, fail closed); Python loops over matches run inside ``bounded.finditer`` so
the same clock bounds them.

Digits are matched with ASCII look-arounds ``(?<![0-9A-Za-z]) … (?![0-9A-Za-z])`` so numbers glued to Chinese
characters are found (``号码：11010519951203441X。``) while parts of longer alphanumeric tokens are not.
"""
from __future__ import annotations

from abc import abstractmethod

import functools
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult

from proxy.detection import bounded
from proxy.detection.errors import RegexTimeout

LANGUAGE = "zh"
CATEGORY = "personal_data"
CATEGORY_KEY = "category"
WHY_KEY = "why"
DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "pii"

#: ASCII alphanumeric boundaries (``\b`` would treat Chinese characters as word characters)
NB = r"(?<![0-9A-Za-z])"
NA = r"(?![0-9A-Za-z])"
#: Han ideographs (the BMP blocks people type names and addresses in)
HAN = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0xF900 <= o <= 0xFAFF or o == 0x3007


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    score: float
    why: str
    entity: str | None = None


class PiiRecognizer(LocalRecognizer):
    """A personal-data recognizer: subclasses implement :meth:`find` (canonical text -> hits)."""

    ENTITY: ClassVar[str] = ""
    #: hits below this score are dropped (the engine drops < 0.3 anyway; the policy redacts >= 0.5)
    MIN_SCORE: ClassVar[float] = 0.3

    #: entity -> category (read by the engine); set from ``ENTITY`` for every subclass
    ENTITY_CATEGORIES: ClassVar[dict[str, str]] = {}

    def __init_subclass__(cls, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if cls.ENTITY:
            cls.ENTITY_CATEGORIES = {cls.ENTITY: CATEGORY}

    def __init__(self, name: str | None = None, supported_language: str = LANGUAGE) -> None:
        super().__init__(supported_entities=[self.ENTITY], name=name, supported_language=supported_language)

    def load(self) -> None:  # patterns are compiled at import time
        pass

    @abstractmethod
    def find(self, text: str) -> Iterable[Hit]:
        """The recognizer's hits on the canonical text (each subclass implements it)."""

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts: Any = None,
                **_: Any) -> list[RecognizerResult]:
        best: dict[tuple[int, int, str], Hit] = {}
        # every pass of this recognizer shares ONE per-call time limit (not one each): on a pathological
        # input the recognizer gives up (InspectionError, fail closed) after that, whatever it was doing
        limit = bounded.timeout(self.name)
        with bounded.inspection_budget(limit, limit):
            hits = list(self.find(text))
        for h in hits:
            if h.score < self.MIN_SCORE or h.end <= h.start:
                continue
            key = (h.start, h.end, h.entity or self.ENTITY)
            if key not in best or best[key].score < h.score:
                best[key] = h
        out = []
        for (start, end, entity), h in sorted(best.items()):
            out.append(RecognizerResult(
                entity_type=entity, start=start, end=end, score=round(min(h.score, 1.0), 4),
                recognition_metadata={
                    RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                    RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                    CATEGORY_KEY: CATEGORY,
                    WHY_KEY: h.why,
                }))
        return out


# --------------------------------------------------------------------------------------------------------------
# context


def ascii_view(text: str) -> str:
    """The ASCII characters of ``text`` (others dropped; C speed). A prefilter for English cue words: every
    ASCII substring of ``text`` is in the view, and on Chinese prose the view is short, so ``in`` tests on it
    are nearly free (on the full text each costs ~2 us per 2,000 characters)."""
    return text if text.isascii() else text.encode("ascii", "ignore").decode("ascii")


def before(text: str, start: int, n: int) -> str:
    return text[max(0, start - n):start]


def after(text: str, end: int, n: int) -> str:
    return text[end:end + n]


def near(rx: regex.Pattern, text: str, start: int, end: int, n_before: int, n_after: int = 0,
         where: str = "pii.context") -> bool:
    """``rx`` occurs in the ``n_before`` characters before or the ``n_after`` characters after the span."""
    if n_before and bounded.search(rx, before(text, start, n_before), where):
        return True
    return bool(n_after) and bool(bounded.search(rx, after(text, end, n_after), where))


def grouped_neighbour(text: str, start: int, end: int) -> bool:
    """The span sits inside a longer chain of digit groups (``6217 0012 3456…``): a digit joined by one
    space or dash right before or right after it."""
    if start >= 2 and text[start - 1] in " -" and text[start - 2].isdigit() and text[start - 2].isascii():
        return True
    return (end + 1 < len(text) and text[end] in " -" and text[end + 1].isdigit() and text[end + 1].isascii())


@functools.lru_cache(maxsize=None)
def _digit_run(min_len: int) -> regex.Pattern:
    """Runs of digits, spaces and dashes starting with at least ``min_len`` such characters. Anchored at the
    run's first digit and consumed by one possessive class repeat: a long run is ONE cheap match (not a new
    attempt at every position) and a short run (a year, an amount) fails at once."""
    return bounded.compile(rf"[0-9](?<![0-9A-Za-z][0-9])(?=[0-9 \-]{{{min_len - 1}}})[0-9 \-]*+[Xx]?")


def digit_runs(text: str, where: str, min_len: int, max_plain: int) -> Iterator[tuple[int, int]]:
    """(start, end) of the digit runs that may contain a number of ``min_len`` to ``max_plain`` digits. A run of
    plain digits longer than ``max_plain`` cannot (numbers are matched at ASCII boundaries); runs with
    separators can hold several numbers."""
    for m in bounded.finditer(_digit_run(min_len), text, where):
        s, e = m.span()
        if e - s > max_plain + 1 and m.group(0).rstrip("Xx").isdigit():
            continue
        yield s, e


def digits_of(s: str) -> str:
    return "".join(c for c in s if "0" <= c <= "9" or c in "Xx")


# --------------------------------------------------------------------------------------------------------------
# checksums


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
#: first two digits of GB/T 2260 province-level codes (71 Taiwan, 81/82 Hong Kong/Macao, 83 residence permits)
ID_PROVINCES = frozenset({
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37", "41", "42", "43",
    "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65", "71", "81", "82", "83", "91"})


def id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS)) % 11]


def plausible_date(year: int, month: int, day: int) -> bool:
    import datetime

    if not (1900 <= year <= datetime.date.today().year and 1 <= month <= 12 and day >= 1):
        return False
    mdays = (31, 29 if (year % 4 == 0 and (year % 100 or year % 400 == 0)) else 28, 31, 30, 31, 30, 31, 31, 30,
             31, 30, 31)
    return day <= mdays[month - 1]


def valid_id18(d: str) -> bool:
    """GB 11643-1999: region, plausible birth date and the ISO 7064 MOD 11-2 check character."""
    if len(d) != 18 or not d[:17].isdigit() or d[:2] not in ID_PROVINCES:
        return False
    if not plausible_date(int(d[6:10]), int(d[10:12]), int(d[12:14])):
        return False
    return id_check_digit(d[:17]) == d[17].upper()


def valid_id15(d: str) -> bool:
    """The legacy 15-digit number (before 1999): region, YYMMDD birth date, 3-digit sequence, no check digit."""
    if len(d) != 15 or not d.isdigit() or d[:2] not in ID_PROVINCES:
        return False
    return plausible_date(1900 + int(d[6:8]), int(d[8:10]), int(d[10:12])) and int(d[6:8]) >= 10


# --------------------------------------------------------------------------------------------------------------
# Chinese numerals (phones spelled 一三八零零一三八零零零 / 幺 / 〇)

CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "洞": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2",
             "贰": "2", "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6",
             "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9", "勾": "9"}


def numeral_digits(s: str) -> str:
    return "".join(CN_DIGITS.get(c, c) for c in s if c in CN_DIGITS or "0" <= c <= "9")


# --------------------------------------------------------------------------------------------------------------
# word lists (data/pii/*.txt, read once per process and shared by every recognizer instance)


def _lines(name: str) -> list[str]:
    path = DATA_DIR / name
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.extend(line.split())
    return out


@dataclass(frozen=True, slots=True)
class NameData:
    surnames: frozenset[str]  # single-character surnames usable anywhere
    weak_surnames: frozenset[str]  # surnames that are also very common word starts: only with strong context
    compound: frozenset[str]  # two-character surnames
    given: frozenset[str]  # characters common in given names
    not_names: frozenset[str]  # common words / places that start with a surname character
    public: frozenset[str]  # historical and public figures: not personal data in essays
    pinyin_surnames: frozenset[str]


@functools.lru_cache(maxsize=1)
def name_data() -> NameData:
    single: set[str] = set()
    weak: set[str] = set()
    compound: set[str] = set()
    for w in _lines("surnames.txt"):
        if w.startswith("~"):
            weak.add(w[1:])
        elif len(w) == 1:
            single.add(w)
        else:
            compound.add(w)
    given = {c for w in _lines("given_chars.txt") for c in w}
    return NameData(frozenset(single), frozenset(weak), frozenset(compound), frozenset(given),
                    frozenset(_lines("not_names.txt")), frozenset(_lines("public_figures.txt")),
                    frozenset(w.lower() for w in _lines("pinyin_surnames.txt")))


def iter_matches(rx: regex.Pattern, text: str, where: str) -> Iterator[regex.Match]:
    """``bounded.finditer`` (kept as one name so every recognizer loop is visibly bounded)."""
    return bounded.finditer(rx, text, where)


def bounded_loop(items: Iterable[Any], where: str, every: int = 64) -> Iterator[Any]:
    """Iterate ``items`` (an Aho-Corasick scan, lines of a text …) under the same clock as a regex call:
    at most ``bounded.timeout()`` seconds from the first item (including the caller's work between items),
    checked every ``every`` items; then :class:`~proxy.detection.errors.RegexTimeout` (fail closed)."""
    deadline = time.monotonic() + bounded.timeout(where)
    for i, item in enumerate(items):
        if i % every == 0 and i and time.monotonic() > deadline:
            raise RegexTimeout(f"time limit exceeded in {where}")
        yield item


def line_starts(text: str) -> Iterator[int]:
    """Offsets where lines start (0 and after every line break)."""
    yield 0
    i = text.find("\n")
    while i >= 0:
        yield i + 1
        i = text.find("\n", i + 1)
