"""Bank card numbers: 16-19 digits, Luhn-valid; plain, or in groups of four (``6217 0012 3456 7890 122``).

Scores: a Luhn-valid number with a known issuer prefix (62 UnionPay, 4 Visa, 51-55 / 2221-2720 Mastercard,
35 JCB, 60/65 Discover) is found with or without context (>= 0.85); other Luhn-valid numbers only next to
a card word (卡号, 银行卡, 账号, 开户, card, account …). A number after a card label is also kept when its
Luhn digit is wrong (a typo in a form is still someone's card). Numbers that are valid 身份证号 are left to the
ID recognizer unless a card word is next to them; numbers after 订单号 / 流水号 / tracking … are not cards.
"""
from __future__ import annotations

from collections.abc import Iterator

from proxy.detection import bounded
from proxy.detection.recognizers.pii_common import (NA, NB, Hit, PiiRecognizer, digit_runs, digits_of,
                                                    grouped_neighbour, luhn_ok, near, valid_id18)

PATTERN = bounded.compile(
    rf"{NB}(?:\d{{16,19}}|\d{{4}}(?P<sep>[ \-])\d{{4}}(?P=sep)\d{{4}}(?P=sep)\d{{4}}(?:(?P=sep)\d{{1,3}})?|"
    rf"\d{{6}}(?P<sep2>[ \-])\d{{10,13}}){NA}")
CONTEXT = bounded.compile(
    r"卡号|银行卡|储蓄卡|信用卡|借记卡|银联|账号|帐号|账户|帐户|开户|户名|收款|转账|汇款|打款|打入|工资卡|银行|"
    r"(?i:card|account|acct|iban|visa|mastercard|unionpay|bank|debit|credit)")
CARD_LABEL = bounded.compile(r"(?:卡号?|账号|帐号|(?i:card\s*(?:no\.?|number)|account\s*(?:no\.?|number)))"
                             r"\s*[:：]?\s*$")
NOT_CARD = bounded.compile(
    r"(?:订单|单号|流水|交易号|交易编号|批号|序列号|运单|快递|物流|发票|编号|凭证号|条码|证书|合同号|"
    r"(?i:order|invoice|serial|tracking|transaction|txn|ref(?:erence)?|isbn|imei))[^\n]{0,8}$")


def known_issuer(d: str) -> bool:
    if d.startswith(("62", "4", "35", "60", "65")):
        return True
    if d[:2] in ("51", "52", "53", "54", "55"):
        return True
    return 2221 <= int(d[:4]) <= 2720


class BankCardRecognizer(PiiRecognizer):
    ENTITY = "BANK_CARD"

    def find(self, text: str) -> Iterator[Hit]:
        if sum(text.count(c) for c in "0123456789") < 16:
            return
        for rs, re_ in digit_runs(text, "pii_bank_card.runs", 16, 19):
            yield from self._judge_run(text, rs, re_)

    def _judge_run(self, text: str, rs: int, re_: int) -> Iterator[Hit]:
        for m in bounded.finditer(PATTERN, text, "pii_bank_card", rs, min(len(text), re_ + 1)):
            s, e = m.span()
            raw = m.group(0)
            if not raw.isdigit() and grouped_neighbour(text, s, e):
                continue
            d = digits_of(raw)
            if not 16 <= len(d) <= 19:
                continue
            ctx = near(CONTEXT, text, s, e, 16, 4, "pii_bank_card.context")
            if bounded.search(NOT_CARD, text[max(0, s - 16):s], "pii_bank_card.not_card") and not ctx:
                continue
            if len(d) == 18 and valid_id18(d) and not ctx:
                continue  # a 身份证号: the ID recognizer reports it
            if luhn_ok(d):
                if known_issuer(d):
                    yield Hit(s, e, 0.95 if ctx else 0.85, "Luhn-valid card number with a known issuer prefix")
                else:
                    yield Hit(s, e, 0.75 if ctx else 0.4, "Luhn-valid 16-19 digit number"
                              + (" next to a card word" if ctx else " (no card word)"))
            elif bounded.search(CARD_LABEL, text[max(0, s - 12):s], "pii_bank_card.label"):
                yield Hit(s, e, 0.6, "16-19 digit number right after a card/account label (Luhn digit wrong)")
