"""The pseudonym vault: stable typed placeholders, canonical sameness, reserved numbers, no leaks in repr."""
from __future__ import annotations

from proxy.redact.vault import Vault, canonical, is_mobile, label_for, phone_digits


def test_same_value_same_placeholder_and_numbering_per_label():
    v = Vault()
    assert v.placeholder("PERSON_NAME", "王小明") == "〔人名1〕"
    assert v.placeholder("PERSON_NAME", "李建国") == "〔人名2〕"
    assert v.placeholder("PERSON_NAME", "王小明") == "〔人名1〕"
    assert v.placeholder("PHONE_NUMBER", "13800138000") == "〔手机号1〕"
    assert v.placeholder("EMAIL_ADDRESS", "a@b.cn") == "〔邮箱1〕"
    assert len(v) == 4


def test_phone_forms_are_one_value():
    v = Vault()
    ph = v.placeholder("PHONE_NUMBER", "13800138000")
    for form in ("138 0013 8000", "138-0013-8000", "+86 138 0013 8000", "0086 13800138000", "86 13800138000",
                 "(+86)13800138000", "１３８００１３８０００", "一三八零零一三八零零零", "1\u200b3\u200b8\u200b0013 8000"):
        assert v.placeholder("PHONE_NUMBER", form) == ph, form
    assert v.placeholder("PHONE_NUMBER", "13900139000") == "〔手机号2〕"
    assert v.mapping()[ph] == "13800138000"  # the form first seen is what restoration puts back


def test_landline_and_foreign_numbers_are_电话():
    v = Vault()
    assert v.placeholder("PHONE_NUMBER", "010-12345678") == "〔电话1〕"
    assert v.placeholder("PHONE_NUMBER", "+86 10 1234 5678") == "〔电话1〕"  # same number, national form
    assert v.placeholder("PHONE_NUMBER", "+1 415 555 0100") == "〔电话2〕"  # 11 digits starting 1, not Chinese
    assert not is_mobile("+1 415 555 0100") and is_mobile("+8613800138000")
    assert phone_digits("+86 10 1234 5678") == "01012345678"
    assert v.placeholder("PHONE_NUMBER", "13800138000") == "〔手机号1〕"  # labels count separately


def test_email_case_and_other_canonical_forms():
    v = Vault()
    assert v.placeholder("EMAIL_ADDRESS", "Zhang.San@Example.COM") == v.placeholder("EMAIL_ADDRESS",
                                                                                     "zhang.san@example.com")
    assert v.placeholder("PERSON_NAME", "王 小明") == v.placeholder("PERSON_NAME", "王小明")
    assert v.placeholder("ADDRESS", "北京市 海淀区\n中关村大街1号") == v.placeholder("ADDRESS", "北京市海淀区中关村大街１号")
    assert v.placeholder("CN_ID_NUMBER", "11010519951203441x") == v.placeholder("CN_ID_NUMBER", "11010519951203441X")
    assert v.placeholder("CN_ID_NUMBER", "110105199512034410") != v.placeholder("CN_ID_NUMBER", "11010519951203441X")
    assert v.placeholder("BANK_CARD", "6222 0202 0000 1234 567") == v.placeholder("BANK_CARD", "6222020200001234567")
    assert canonical("EMAIL_ADDRESS", "Ａ@B.cn") == "a@b.cn"


def test_different_values_different_numbers():
    v = Vault()
    got = {v.placeholder("BANK_CARD", f"622202020000123456{i}") for i in range(5)}
    assert got == {f"〔银行卡号{i}〕" for i in range(1, 6)}


def test_same_value_of_two_entities_is_two_placeholders():
    v = Vault()
    assert v.placeholder("PHONE_NUMBER", "13800138000") != v.placeholder("BANK_CARD", "13800138000")


def test_custom_entity_labels():
    assert label_for("PROJECT_CODE", "X-1") == "PROJECT_CODE"
    assert label_for("project-code", "X-1") == "PROJECTCODE"
    assert label_for("CODE2", "x") == "CODE2_"  # 〔CODE2_1〕, never confusable with 〔CODE21〕
    assert label_for("密级", "x") == "DATA"
    v = Vault()
    assert v.placeholder("PROJECT_CODE", "HX-2024-17") == "〔PROJECT_CODE1〕"
    assert v.placeholder("CODE2", "a") == "〔CODE2_1〕"


def test_reserve_skips_numbers_the_text_already_contains():
    v = Vault()
    assert v.reserve("请把〔人名1〕和〔人名3〕替换掉，〔手机号1〕也是") == 3
    assert v.placeholder("PERSON_NAME", "王小明") == "〔人名2〕"
    assert v.placeholder("PERSON_NAME", "李建国") == "〔人名4〕"
    assert v.placeholder("PHONE_NUMBER", "13800138000") == "〔手机号2〕"
    assert v.placeholder("EMAIL_ADDRESS", "a@b.cn") == "〔邮箱1〕"
    assert "〔人名1〕" not in v.mapping() and "〔人名3〕" not in v.mapping()


def test_reserve_after_issue_keeps_issued_placeholders():
    v = Vault()
    ph = v.placeholder("PERSON_NAME", "王小明")
    v.reserve(f"已经替换：{ph}")  # the vault's own output read again must not change anything
    assert v.placeholder("PERSON_NAME", "王小明") == ph
    assert v.placeholder("PERSON_NAME", "李建国") == "〔人名2〕"


def test_mapping_is_a_copy_in_issue_order():
    v = Vault()
    v.placeholder("PERSON_NAME", "王小明")
    v.placeholder("PHONE_NUMBER", "138 0013 8000")
    v.placeholder("PHONE_NUMBER", "13800138000")
    m = v.mapping()
    assert list(m.items()) == [("〔人名1〕", "王小明"), ("〔手机号1〕", "138 0013 8000")]
    m.clear()
    assert len(v) == 2 and "〔人名1〕" in v


def test_repr_reveals_no_values():
    v = Vault()
    v.placeholder("PERSON_NAME", "王小明")
    v.placeholder("PHONE_NUMBER", "13800138000")
    r = repr(v)
    assert "王小明" not in r and "138" not in r and "人名" not in r
    assert "2" in r


def test_format_characters_do_not_make_a_new_value():
    v = Vault()
    assert v.placeholder("PERSON_NAME", "王\u200b小\u200d明") == v.placeholder("PERSON_NAME", "王小明")


def test_reserve_reads_json_escaped_placeholders():
    v = Vault()
    v.reserve('{"memo": "\\u3014\\u4eba\\u540d1\\u3015 and \\u3014人名2\\u3015"}')
    assert v.placeholder("PERSON_NAME", "王小明") == "〔人名3〕"
