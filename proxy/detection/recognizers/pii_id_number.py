"""居民身份证号码 (GB 11643-1999): 18 characters, the last one a digit or X, validated; the legacy 15-digit form.

Shape: 6-digit region code (first two digits a province-level code), birth date (YYYYMMDD, a real date not in
the future), 3-digit sequence, ISO 7064 MOD 11-2 check character. People type it plain, with spaces or dashes
inside (``1101 0519 9003 0712 34``, ``110105-19900307-1234``) and glued to Chinese text.

Scores: a validated 18-character number is found with or without context (>= 0.85); a number whose check
character is wrong but whose region and date are plausible counts only right after an ID label (a typo in a
form); the legacy 15-digit form has no checksum and needs the label to reach the redaction threshold.
"""
from __future__ import annotations

from collections.abc import Iterator

from proxy.detection import bounded
from proxy.detection.recognizers.pii_common import (NA, NB, Hit, PiiRecognizer, digit_runs, digits_of,
                                                    grouped_neighbour, near, plausible_date, valid_id15, valid_id18,
                                                    ID_PROVINCES)

_SEP = r"[ \-]?"
#: 15 digits, optionally 2 more and the check character (one branch: the regex module scans it much faster
#: than an alternation of the two lengths)
PATTERN = bounded.compile(rf"{NB}[1-9](?:{_SEP}\d){{14}}(?P<tail>(?:{_SEP}\d){{2}}{_SEP}[0-9Xx])?{NA}")
CONTEXT = bounded.compile(
    r"身份证|身份号码|公民身份|证件号|证件号码|证号|身份证号|号码|(?i:\bid\b|i\.d\.|identity|id\s*(?:card|no|number)|"
    r"resident|citizen)")


class CnIdNumberRecognizer(PiiRecognizer):
    ENTITY = "CN_ID_NUMBER"

    def find(self, text: str) -> Iterator[Hit]:
        if not _has_digit_run(text):
            return
        for rs, re_ in digit_runs(text, "pii_id_number.runs", 15, 18):
            yield from self._judge_run(text, rs, re_)

    def _judge_run(self, text: str, rs: int, re_: int) -> Iterator[Hit]:
        for m in bounded.finditer(PATTERN, text, "pii_id_number", rs, min(len(text), re_ + 1)):
            s, e = m.span()
            raw = m.group(0)
            spaced = len(raw) not in (15, 18)
            if spaced and grouped_neighbour(text, s, e):
                continue
            d = digits_of(raw)
            ctx = near(CONTEXT, text, s, e, 16, 0, "pii_id_number.context")
            if m.group("tail") is not None:
                if valid_id18(d):
                    score = 0.95 if ctx else (0.85 if spaced else 0.9)
                    yield Hit(s, e, score, "18-character ID number with a valid check character")
                elif ctx and _plausible_prefix(d):
                    yield Hit(s, e, 0.55, "ID-shaped number after an ID label (check character wrong)")
            elif valid_id15(d):
                yield Hit(s, e, 0.75 if ctx else 0.4,
                          "legacy 15-digit ID number" + (" after an ID label" if ctx else " (no label)"))


def _plausible_prefix(d: str) -> bool:
    return d[:17].isdigit() and d[:2] in ID_PROVINCES and plausible_date(int(d[6:10]), int(d[10:12]), int(d[12:14]))


def _has_digit_run(text: str) -> bool:
    """Cheap prefilter: at least 15 ASCII digits in the text."""
    n = 0
    for c in "0123456789":
        n += text.count(c)
        if n >= 15:
            return True
    return False
