"""BankCardRecognizer: Luhn-valid 16-19 digit card numbers (plain or grouped), issuer prefixes, card labels;
not order numbers, ID numbers or arbitrary long numbers."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.pii_bank_card import BankCardRecognizer, known_issuer
from proxy.detection.recognizers.pii_common import luhn_ok

from .test_pii_support import check_row, engine_for

E = "BANK_CARD"

ROWS = [
    ("工资卡 6217001234987654322，开户行建设银行", E, "6217001234987654322"),
    ("请转账至 6225 8801 3700 1237", E, "6225 8801 3700 1237"),
    ("卡号：6228-4800-1122-3344-554", E, "6228-4800-1122-3344-554"),
    ("收款账号6214830009876540（招商银行）", E, "6214830009876540"),
    ("Card number: 4367 4212 3456 7896, exp 08/27", E, "4367 4212 3456 7896"),
    ("Mastercard 5234567890123453 on file", E, "5234567890123453"),
    ("JCB 3566000012345674", E, "3566000012345674"),
    ("转到６２１７００１２３４９８７６５４３２２就行", E, "６２１７００１２３４９８７６５４３２２"),  # full-width
    ("卡号：6217001234987654321", E, "6217001234987654321"),  # Luhn digit wrong, but right after 卡号
    ("账户 9558800200123456788 请核对", E, "9558800200123456788"),  # Luhn-valid, unknown prefix, card word
    # negatives
    ("订单号 6217001234987654322", None, None),
    ("物流单号：4367421234567896", None, None),
    ("编号 9558800200123456788", None, None),  # Luhn-valid, unknown prefix, no card word
    ("身份证号 510107198805162039", None, None),
    ("2024 2025 2026 2027 年度计划", None, None),
    ("共计 1234567890123456 字节", None, None),  # not Luhn-valid, no label
    ("手机 13800138000 座机 010-65288888", None, None),
    ("版本号 6217.0012.3498.7654", None, None),
]


@pytest.mark.parametrize("text,entity,span", ROWS)
def test_table(text: str, entity: str | None, span: str | None) -> None:
    check_row(engine_for(BankCardRecognizer), text, entity, span)


def test_luhn_and_issuer() -> None:
    assert luhn_ok("6217001234987654322") and not luhn_ok("6217001234987654321")
    assert known_issuer("6217") and known_issuer("4367") and known_issuer("2221") and not known_issuer("9558")
