"""Telephone numbers: mainland mobiles, landlines, numbers spelled with Chinese numerals, international numbers.

Forms (pattern names):
- ``mobile``: 1[3-9]x and 8 more digits; ``+86`` / ``0086`` / ``(+86)`` prefixes; groups ``138 0013 8000``,
  ``138-0013-8000``; full-width digits arrive as ASCII (normalized).
- ``spaced``: a mobile with every digit set apart by the same blank, dash or dot (``1 3 8 0 0 1 3 8 0 0 0``,
  ``1-3-8-0-0-…``): an evasion, since nobody groups a number that way to read it.
- ``numerals``: the same spelled with Chinese numerals (一三八零零一三八零零零, 幺 for 1, 〇/零, 大写 壹贰叁),
  also mixed with digits.
- ``landline``: area code 010 / 02x / 0xxx and a 7-8 digit subscriber number (``010-12345678``,
  ``(0755) 8888 6666``, ``+86 571 8898 2231``), an optional extension (``-8021``, ``转123``, ``ext. 12``).
- ``local``: a bare 7-8 digit subscriber number right after a phone label (``电话：88982231``).
- ``intl``: ``+`` and a country code other than 86, 8-15 digits in groups (``+1 415 555 0100``,
  ``+44 20 7946 0958``).
- ``nanp``: ``(415) 555-0100`` / ``415-555-0100`` (counts only next to a phone word).

Not phone numbers: 400/800 service numbers and short service codes (12345, 110, 95588) are organisation
hotlines, not personal data: no pattern matches them. Dates, amounts, ID numbers and order numbers are kept
out by the ASCII boundaries, the shapes, and labels before (订单号, 编号 …) or units after (元, 件 …).
"""
from __future__ import annotations

from collections.abc import Iterator

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.pii_common import (NA, NB, Hit, PiiRecognizer, ascii_view, digits_of,
                                                    grouped_neighbour,
                                                    iter_matches, near, numeral_digits)

_P86 = r"(?:(?:\+|00)[ ]?86|\([ ]?\+?86[ ]?\))[ \-]?"
_AREA = r"(?:10|2\d|[3-9]\d{2})"
_EXT = r"(?:[ ]?(?:-[ ]?(?:转|分机号?)?|转|分机号?|(?i:ext|x)\.?|#)[ ]?\d{1,6})"
_NUM = "〇零○一二三四五六七八九幺两壹贰叁肆伍陆柒捌玖"

PATTERNS: tuple[tuple[str, regex.Pattern], ...] = (
    ("mobile", bounded.compile(
        rf"(?<![0-9A-Za-z+])(?P<p>{_P86})?(?P<n>1[3-9]\d(?:\d{{8}}|(?P<g>[ \-]\d{{4}}[ \-]\d{{4}}|[ \-]\d{{8}}|"
        rf"\d{{4}}[ \-]\d{{4}}|[ \-]\d{{3}}[ \-]\d{{5}}))){NA}")),
    ("spaced", bounded.compile(rf"(?<![0-9A-Za-z+])(?<!\d[ .\-]{{1,3}})1(?P<s>[ .\-]{{1,3}})[3-9](?:(?P=s)\d){{9}}"
                               rf"{NA}(?![ .\-]{{1,3}}\d)")),
    ("numerals", bounded.compile(
        rf"(?<![{_NUM}0-9])[一幺壹1][三四五六七八九叁肆伍陆柒捌玖3-9](?:[ \-]?[{_NUM}0-9]){{9}}(?![{_NUM}0-9])")),
    ("landline", bounded.compile(
        rf"(?<![0-9A-Za-z+])(?:(?P<p>(?:\+|00)[ ]?86[ \-]?(?:\(0\)[ ]?)?)(?P<a1>{_AREA})|"
        rf"(?P<a2>\([ ]?0{_AREA}[ ]?\)|0{_AREA}))(?P<sep>[ \-]?)(?P<sub>[2-9]\d{{2,3}}[ \-]?\d{{4}}){_EXT}?{NA}")),
    ("local", bounded.compile(
        rf"(?:电话|座机|固话|办公电话|联系电话|传真|(?i:tel|phone|fax))(?:号码)?[ ]?[:：]?[ ]?"
        rf"(?P<n>{NB}[2-9]\d{{2,3}}[ \-]?\d{{4}}{_EXT}?){NA}")),
    ("intl", bounded.compile(
        rf"(?<![0-9A-Za-z+])\+(?!86)[1-9]\d{{0,2}}(?:[ \-.]?\(?\d{{1,4}}\)?){{2,5}}{NA}")),
    ("nanp", bounded.compile(rf"\([2-9]\d{{2}}\)[ ]?[2-9]\d{{2}}[\-. ]\d{{4}}{NA}|"
                             rf"[2-9](?<![0-9A-Za-z][2-9])\d{{2}}[\-. ][2-9]\d{{2}}[\-. ]\d{{4}}{NA}")),
)
_LOCAL_WORDS = ("tel", "phone", "fax")
_LOCAL_WORDS_ZH = ("电话", "座机", "固话", "传真")
_NANP_WORDS = ("call", "phone", "tel", "mobile", "cell", "fax", "contact", "whatsapp", "sms", "text")
#: where a number may be: 7+ characters of digits, blanks, dashes, brackets, dots and +, at an ASCII boundary
CLUSTER = bounded.compile(r"[+(0-9](?<![0-9A-Za-z+(.][+(0-9])[0-9 ().+\-]{6,}")
_BY_NAME = dict(PATTERNS)
_IN_CLUSTER = tuple((n, _BY_NAME[n]) for n in ("mobile", "spaced", "landline", "intl", "nanp"))
_LOCAL = _BY_NAME["local"]
_NUMERALS = _BY_NAME["numerals"]
CONTEXT = bounded.compile(
    r"电话|手机|联系|致电|拨打|来电|号码|座机|固话|短信|微信|"
    r"(?i:tel|phone|mobile|cell|call|fax|whatsapp|contact|text me|sms)")
NOT_PHONE_BEFORE = bounded.compile(
    r"(?:订单|单号|编号|流水|交易号|批号|序列号|序号|工号|学号|准考证|合同号|发票|条码|注册号|登记号|账号|卡号|"
    r"(?i:order|invoice|serial|tracking|ref(?:erence)?|no\.|account|card))[^\n]{0,6}$")
NOT_PHONE_AFTER = bounded.compile(r"^[ ]?(?:元|万|亿|美元|块|人|次|件|个|台|吨|米|千米|公里|平方|字|页|条|年|天|小时|"
                                  r"(?i:kg|km|ms|usd|rmb|yuan))")


class PhoneNumberRecognizer(PiiRecognizer):
    ENTITY = "PHONE_NUMBER"

    def find(self, text: str) -> Iterator[Hit]:
        has_digit = any(c in text for c in "0123456789")
        if has_digit:
            low = ascii_view(text).lower()
            nanp = any(w in low for w in _NANP_WORDS) or "电话" in text or "手机" in text
            # digit clusters (7+ characters of digits, blanks, dashes, brackets, +) are rare in prose: the
            # number patterns run only inside them
            for c in iter_matches(CLUSTER, text, "pii_phone.cluster"):
                pos, endpos = c.start(), min(len(text), c.end() + 12)
                if c.end() - pos > 16 and c.group(0).isdigit():
                    continue  # one long run of plain digits: no phone number inside (ASCII boundaries)
                body = c.group(0)
                for name, rx in _IN_CLUSTER:
                    if (name == "landline" and "0" not in body) or (name == "intl" and "+" not in body) or (
                            name == "nanp" and not (nanp and ("-" in body or "." in body or "(" in body
                                                              or " " in body))):
                        continue
                    for m in bounded.finditer(rx, text, f"pii_phone.{name}", pos, endpos):
                        hit = getattr(self, "_" + name)(text, m)
                        if hit is not None:
                            yield hit
            if any(w in low for w in _LOCAL_WORDS) or any(w in text for w in _LOCAL_WORDS_ZH):
                for m in iter_matches(_LOCAL, text, "pii_phone.local"):
                    hit = self._local(text, m)
                    if hit is not None:
                        yield hit
        if any(c in text for c in "一幺壹") and sum(text.count(c) for c in _NUM) >= 6:
            for m in iter_matches(_NUMERALS, text, "pii_phone.numerals"):
                hit = self._numerals(text, m)
                if hit is not None:
                    yield hit

    # --- judges ---------------------------------------------------------------------------------------------

    @staticmethod
    def _ctx(text: str, s: int, e: int) -> bool:
        return near(CONTEXT, text, s, e, 16, 0, "pii_phone.context")

    @staticmethod
    def _not_phone(text: str, s: int, e: int) -> bool:
        return bool(bounded.search(NOT_PHONE_BEFORE, text[max(0, s - 14):s], "pii_phone.not_before")
                    or bounded.match(NOT_PHONE_AFTER, text[e:e + 6], "pii_phone.not_after"))

    def _mobile(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.span()
        grouped = m.group("g") is not None
        if grouped and m.group("p") is None and grouped_neighbour(text, s, e):
            return None
        ctx = self._ctx(text, s, e)
        if self._not_phone(text, s, e) and not ctx:
            return Hit(s, e, 0.35, "mobile-shaped number with an order/ID label or an amount unit")
        if m.group("p"):
            return Hit(s, e, 0.95, "mainland mobile number with +86 prefix")
        score = (0.85 if grouped else 0.75) + (0.1 if ctx else 0.0)
        return Hit(s, e, score, "mainland mobile number" + (" next to a phone word" if ctx else ""))

    def _spaced(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.span()
        ctx = self._ctx(text, s, e)
        if self._not_phone(text, s, e) and not ctx:
            return None
        return Hit(s, e, 0.85 if ctx else 0.75, "mobile number with its digits set apart (disguised)")

    def _numerals(self, text: str, m: regex.Match) -> Hit | None:
        raw = m.group(0)
        if raw.isascii():  # plain digits: the mobile pattern's job
            return None
        d = numeral_digits(raw)
        if len(d) != 11 or d[0] != "1" or d[1] not in "3456789":
            return None
        s, e = m.span()
        ctx = self._ctx(text, s, e)
        return Hit(s, e, 0.85 if ctx else 0.7, "mobile number spelled with Chinese numerals")

    def _landline(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.span()
        if m.group("p") is None and (" " in m.group(0)) and grouped_neighbour(text, s, e):
            return None
        ctx = self._ctx(text, s, e)
        if m.group("p") is not None:
            return Hit(s, e, 0.9, "landline number with +86 prefix")
        area = m.group("a2")
        if area.startswith("(") or m.group("sep") == "-":
            base, why = 0.6, "landline number (area code and separator)"
        elif m.group("sep") == " ":
            base, why = 0.45, "landline-shaped number (area code, space)"
        else:
            base, why = 0.35, "landline-shaped digits (area code, no separator)"
        if self._not_phone(text, s, e) and not ctx:
            return Hit(s, e, min(base, 0.35), why + " with an order/ID label or an amount unit")
        if ctx:
            return Hit(s, e, max(base + 0.25, 0.7), why + " next to a phone word")
        return Hit(s, e, base, why)

    def _local(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.span("n")
        if self._not_phone(text, s, e):
            return None
        return Hit(s, e, 0.6, "subscriber number right after a phone label")

    def _intl(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.span()
        n = len(digits_of(m.group(0)))
        if not 8 <= n <= 15:
            return None
        ctx = self._ctx(text, s, e)
        return Hit(s, e, 0.85 if ctx else 0.7, "international number with a country code")

    def _nanp(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.span()
        if grouped_neighbour(text, s, e):
            return None
        ctx = self._ctx(text, s, e)
        return Hit(s, e, 0.75 if ctx else 0.4, "North-American-style number" + (" next to a phone word" if ctx else ""))
