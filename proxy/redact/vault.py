"""The pseudonym vault of ONE request: value -> typed placeholder (〔人名1〕), and back for the answer.

Why a vault rather than a mask: the model must still see that "the 张三 in message 1" and "the 张三 in
message 4" are the same person, and the answer must be restorable, so every value gets a stable, numbered
placeholder. Sameness is decided on a canonical form (``138 0013 8000`` and ``+86 13800138000`` are one
phone, ``Zhang@X.cn`` and ``zhang@x.cn`` one mailbox), while :meth:`Vault.mapping` keeps the value exactly
as the user first wrote it, because that is what restoration should put back.

Placeholders the user typed themselves (``reserve``) are never issued: restoration replaces placeholders in
the answer literally, and must not turn text the user wrote into somebody's personal data.

The vault lives in memory for one request; nothing here is persisted and ``repr`` shows counts only.
"""
from __future__ import annotations

import re
import unicodedata

OPEN, CLOSE = "\u3014", "\u3015"  # 〔 〕

LABELS: dict[str, str] = {
    "PERSON_NAME": "人名",
    "CN_ID_NUMBER": "身份证号",
    "BANK_CARD": "银行卡号",
    "EMAIL_ADDRESS": "邮箱",
    "ADDRESS": "地址",
}
MOBILE_LABEL, LANDLINE_LABEL = "手机号", "电话"

#: anything between the brackets that could be a placeholder (labels are short, no brackets, no blanks)
_PLACEHOLDER = re.compile(f"{OPEN}[^{OPEN}{CLOSE}\\s]{{1,64}}{CLOSE}")
_WS = re.compile(r"\s+")
_ESCAPE = re.compile(r"\\u([0-9a-fA-F]{4})")
#: phones spelled with Chinese numerals (一三八零零…) must key like their digits; same table as the
#: phone recognizer (proxy.detection.recognizers.pii_common.CN_DIGITS), copied to keep this module light
_CN_DIGITS = {"〇": "0", "零": "0", "○": "0", "洞": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2",
              "贰": "2", "三": "3", "叁": "3", "四": "4", "肆": "4", "五": "5", "伍": "5", "六": "6", "陆": "6",
              "七": "7", "柒": "7", "拐": "7", "八": "8", "捌": "8", "九": "9", "玖": "9", "勾": "9"}
_MOBILE = re.compile(r"1\d{10}")


def _digits(text: str) -> str:
    return "".join(_CN_DIGITS.get(c, c) for c in text if c in _CN_DIGITS or "0" <= c <= "9")


def phone_digits(value: str) -> str:
    """The national digits of a phone number: Chinese numerals read as digits, the +86 / 0086 prefix dropped.

    A number with another ``+`` country code keeps all its digits (``+1 415 555 0100`` is not a mobile).
    """
    text = _WS.sub("", unicodedata.normalize("NFKC", value)).lstrip("(")
    digits = _digits(text)
    if text.startswith("+"):
        if not digits.startswith("86"):
            return "+" + digits  # another country: keep the code, never a Chinese mobile
        national = digits[2:]
    elif text.startswith("0086"):
        national = digits[4:]
    elif len(digits) == 13 and digits.startswith("861"):
        national = digits[2:]  # 86 138 0013 8000
    else:
        return digits
    if national and not _MOBILE.fullmatch(national) and not national.startswith("0"):
        national = "0" + national  # +86 10 1234 5678 is 010-1234 5678
    return national


def is_mobile(value: str) -> bool:
    """A Chinese mobile: 11 national digits starting with 1 (after an optional +86 / 86 prefix)."""
    return bool(_MOBILE.fullmatch(phone_digits(value)))


def canonical(entity: str, value: str) -> str:
    """The form two values must share to get the same placeholder (never shown to anybody)."""
    # zero-width and other format characters (category Cf) are disguise, not identity
    text = "".join(c for c in unicodedata.normalize("NFKC", value) if unicodedata.category(c) != "Cf")
    if entity == "PHONE_NUMBER":
        key = phone_digits(value)
    elif entity == "CN_ID_NUMBER":
        key = "".join(c for c in text.upper() if c.isdigit() or c == "X")
    elif entity == "BANK_CARD":
        key = "".join(c for c in text if c.isdigit())
    elif entity == "EMAIL_ADDRESS":
        key = _WS.sub("", text).casefold()
    else:  # names, addresses, organisation entities: spacing is not identity
        key = _WS.sub("", text)
    return key or text  # a value with no digits at all still keys on itself


def label_for(entity: str, value: str) -> str:
    """The word inside the placeholder: Chinese for the built-in entities, the entity name otherwise."""
    if entity == "PHONE_NUMBER":
        return MOBILE_LABEL if is_mobile(value) else LANDLINE_LABEL
    if entity in LABELS:
        return LABELS[entity]
    label = re.sub(r"[^0-9A-Za-z_]", "", unicodedata.normalize("NFKC", entity)).upper()[:32] or "DATA"
    # a label ending in a digit would make 〔CODE2_1〕 vs 〔CODE21〕 ambiguous without the separator
    return label + "_" if label[-1].isdigit() else label


class Vault:
    """Placeholders of one request. Not thread-safe (one request is redacted by one thread)."""

    __slots__ = ("_by_key", "_originals", "_next", "_reserved")

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._originals: dict[str, str] = {}  # placeholder -> value as first seen (insertion = issue order)
        self._next: dict[str, int] = {}  # label -> next number to try
        self._reserved: set[str] = set()

    def reserve(self, text: str) -> int:
        """Never issue a placeholder that already occurs in ``text``; returns how many were found.

        Also as ``\\uXXXX`` escapes (``\\u3014人名1\\u3015``): restoration reads escaped placeholders in tool-call
        arguments, so a user's escaped look-alike must not be issued either.
        """
        found = set(_PLACEHOLDER.findall(text))
        if "\\u" in text:
            found |= set(_PLACEHOLDER.findall(_ESCAPE.sub(lambda m: chr(int(m[1], 16)), text)))
        self._reserved |= found
        return len(found)

    def placeholder(self, entity: str, value: str) -> str:
        """The placeholder of ``value``; issued (next free number of its label) on first sight."""
        if not value:
            raise ValueError("empty value")
        key = (entity, canonical(entity, value))
        ph = self._by_key.get(key)
        if ph is None:
            label = label_for(entity, value)
            n = self._next.get(label, 1)
            ph = f"{OPEN}{label}{n}{CLOSE}"
            while ph in self._reserved or ph in self._originals:
                n += 1
                ph = f"{OPEN}{label}{n}{CLOSE}"
            self._next[label] = n + 1
            self._by_key[key] = ph
            self._originals[ph] = value
        return ph

    def mapping(self) -> dict[str, str]:
        """placeholder -> original value (as first seen), in issue order; a copy, for restoring the answer."""
        return dict(self._originals)

    def __len__(self) -> int:
        return len(self._originals)

    def __contains__(self, placeholder: object) -> bool:
        return placeholder in self._originals

    def __repr__(self) -> str:  # counts only: a vault in a log line or traceback must not leak values
        return f"<Vault {len(self._originals)} placeholders, {len(self._reserved)} reserved>"
