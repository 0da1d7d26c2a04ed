"""CnIdNumberRecognizer: 居民身份证号码 with a valid GB 11643 check character (also spaced, glued, full-width);
legacy 15-digit numbers only after a label; look-alike numbers (dates, amounts, phones, cards) not."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.pii_common import id_check_digit, valid_id15, valid_id18
from proxy.detection.recognizers.pii_id_number import CnIdNumberRecognizer

from .test_pii_support import check_row, engine_for

E = "CN_ID_NUMBER"

ROWS = [
    # plain, glued to Chinese, with labels in several wordings
    ("身份证号：510107198805162039", E, "510107198805162039"),
    ("持证人公民身份号码440305197511027419，请核对", E, "440305197511027419"),
    ("号码:45010219991231004８。", E, "45010219991231004８"),  # full-width digit, normalized
    ("证件号 37020319630808551６", E, "37020319630808551６"),
    ("ID No. 210106198701010156, issued 2015", E, "210106198701010156"),
    ("乘车人 赵敏 620102200511176586 二等座", E, "620102200511176586"),  # no label: the checksum decides
    ("x结尾：11010519491231002x", E, "11010519491231002x"),
    # spaced and dashed
    ("身份证 5101 0719 8805 1620 39 复印件一份", E, "5101 0719 8805 1620 39"),
    ("身份证号 440305-19751102-7419", E, "440305-19751102-7419"),
    ("证件号码：１１０１０５　１９９００３０７　１２３９", E, "１１０１０５　１９９００３０７　１２３９"),
    # legacy 15-digit form: only with a label
    ("旧版身份证号码 110105491231002", E, "110105491231002"),
    ("编号110105491231002", None, None),
    # negatives: wrong check character, impossible dates, other numbers
    ("510107198805162038", None, None),  # check character wrong, no label
    ("320106199302291237", None, None),  # 1993-02-29 does not exist
    ("990107198805162030", None, None),  # no such province code
    ("订单号 2024081512345678", None, None),
    ("交易流水 62170012349876543221", None, None),  # 20 digits
    ("手机 13800138000，座机 0571-88982231", None, None),
    ("2024年10月1日，预算金额480万元", None, None),
    ("共受理143件，办结率98.6%", None, None),
    ("京政发〔2024〕12号", None, None),
    ("卡号 6217 0012 3498 7654 322", None, None),  # a card grouped in fours, not an ID
    ("a510107198805162039", None, None),  # part of a longer token
]


@pytest.mark.parametrize("text,entity,span", ROWS)
def test_table(text: str, entity: str | None, span: str | None) -> None:
    check_row(engine_for(CnIdNumberRecognizer), text, entity, span)


def test_label_rescues_a_typo_but_below_checksum_score() -> None:
    findings = engine_for(CnIdNumberRecognizer).analyze("身份证号：510107198805162038")
    assert findings and 0.5 <= findings[0].score < 0.85


def test_check_digit_helpers() -> None:
    assert id_check_digit("11010519491231002") == "X"
    assert valid_id18("11010519491231002X") and valid_id18("11010519491231002x")
    assert not valid_id18("11010519491231002")
    assert valid_id15("110105491231002") and not valid_id15("110105491331002")
