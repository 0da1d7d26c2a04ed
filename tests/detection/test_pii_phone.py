"""PhoneNumberRecognizer: mainland mobiles in their spellings, landlines, international numbers; not dates,
amounts, ID numbers, order numbers or organisation hotlines."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.pii_phone import PhoneNumberRecognizer

from .test_pii_support import check_row, engine_for

E = "PHONE_NUMBER"

ROWS = [
    # mobiles
    ("有事打我手机15267031188", E, "15267031188"),
    ("联系人 赵敏 13305718899", E, "13305718899"),
    ("号码是 139 5712 0086，晚上也可以", E, "139 5712 0086"),
    ("电话：181-0571-2345", E, "181-0571-2345"),
    ("+86 177 0571 6688", E, "+86 177 0571 6688"),
    ("请拨 0086-15906517788 找王老师", E, "0086-15906517788"),
    ("(+86)13588886666 微信同号", E, "(+86)13588886666"),
    ("手机：１３７５７１２３４５６", E, "１３７５７１２３４５６"),  # full-width digits
    ("tel:1\u200b3\u200b9\u200b0\u200b5\u200b7\u200b1\u200b2\u200b2\u200b8\u200b6", E,
     "1\u200b3\u200b9\u200b0\u200b5\u200b7\u200b1\u200b2\u200b2\u200b8\u200b6"),  # zero-width characters
    ("群里报名：孙悦18958021234、钱多多17706543210", E, "18958021234"),
    # Chinese numerals
    ("我的手机是一三八零零一三八零零零，记一下", E, "一三八零零一三八零零零"),
    ("回拨 幺五九 零五七幺 二二八六", E, "幺五九 零五七幺 二二八六"),
    ("号码 一三九〇五七一二二八六", E, "一三九〇五七一二二八六"),
    ("手机号壹叁柒伍柒壹贰叁肆伍陆", E, "壹叁柒伍柒壹贰叁肆伍陆"),
    # landlines
    ("办公室电话 010-65288888", E, "010-65288888"),
    ("咨询：(0755) 8888 6666", E, "(0755) 8888 6666"),
    ("座机 021-64321888-8021", E, "021-64321888-8021"),
    ("电话：021-64321888-分机8021", E, "021-64321888-分机8021"),
    ("办公室021-64321888转8021", E, "021-64321888转8021"),
    ("Tel: 021-64321888 ext. 8021", E, "021-64321888 ext. 8021"),
    ("传真：0571-88982232", E, "0571-88982232"),
    ("总机 +86 10 6552 9988", E, "+86 10 6552 9988"),
    ("电话：88982231", E, "88982231"),
    # international, English text
    ("Reach me on +1 415 555 0100 any time.", E, "+1 415 555 0100"),
    ("Office: +44 20 7946 0958", E, "+44 20 7946 0958"),
    ("Call me at (212) 555-0147 after six.", E, "(212) 555-0147"),
    ("WhatsApp +49 30 901820", E, "+49 30 901820"),
    # digits set apart one by one (an evasion)
    ("电话 1 3 8 0 0 1 3 8 0 0 0 找我", E, "1 3 8 0 0 1 3 8 0 0 0"),
    ("手机：1-3-9-1-2-3-4-5-6-7-8", E, "1-3-9-1-2-3-4-5-6-7-8"),
    ("加我 1 . 5 . 2 . 6 . 7 . 0 . 3 . 1 . 1 . 8 . 8", E, "1 . 5 . 2 . 6 . 7 . 0 . 3 . 1 . 1 . 8 . 8"),
    # negatives
    ("选项 1 3 5 7 9 2 4 6 8 0 1 2 3", None, None),  # a longer run of single digits is a list
    ("2 1 3 5 7 9 2 4 6 8 0 1", None, None),
    ("客服热线 400-820-8820，投诉 800-810-8888", None, None),
    ("政务服务热线12345，报警110，急救120，银行95588", None, None),
    ("2024-10-08 09:30 开会", None, None),
    ("预算金额13800000元", None, None),
    ("订单号：13912345678", None, None),
    ("运单号 15012345678 已发货", None, None),
    ("身份证号 510107198805162039", None, None),
    ("卡号 6217 0012 3498 7654 322", None, None),
    ("京政发〔2024〕12号", None, None),
    ("共受理143件，其中办结138件", None, None),
    ("第一三五七九小组", None, None),
    ("ISBN 978-7-111-12345-6", None, None),
    ("版本 1.13.800.1380 已发布", None, None),
    ("1 3 8 0 0 1 3 8 0 0 0 个样本", None, None),
    ("Order 415-555-0100 shipped", None, None),  # NANP shape without a phone word stays below
]


@pytest.mark.parametrize("text,entity,span", ROWS)
def test_table(text: str, entity: str | None, span: str | None) -> None:
    check_row(engine_for(PhoneNumberRecognizer), text, entity, span)


def test_context_raises_the_score_of_a_bare_mobile() -> None:
    eng = engine_for(PhoneNumberRecognizer)
    bare = eng.analyze("名单 15267031188")[0].score
    ctx = eng.analyze("手机号 15267031188")[0].score
    assert ctx > bare >= 0.5


def test_zero_width_spelling_maps_to_the_whole_original_span() -> None:
    text = "tel:1\u200b3\u200b9\u200b0\u200b5\u200b7\u200b1\u200b2\u200b2\u200b8\u200b6 ok"
    f = engine_for(PhoneNumberRecognizer).analyze(text)[0]
    assert text[f.start:f.end] == text[4:-3]
