"""Table tests for proxy.text.normalize: (input, expected canonical text), one table per step."""
from __future__ import annotations

import pytest

from proxy.text.normalize import normalize

STAR = "\u2605"


def canon(s: str) -> str:
    return normalize(s).text


# ---------------------------------------------------------------------------------------------- step 1: NFKC
NFKC_CASES = [
    ("\uff21\uff22\uff23\uff11\uff12\uff13", "ABC123"),  # full-width letters and digits
    ("\u673a\u5bc6\u2605\uff15\u5e74", "机密★5年"),
    ("\u2460\u2464", "15"),  # circled digits
    ("\u2469\u5e74", "10年"),  # ⑩ expands to two characters
    ("\u3299", "秘"),  # ㊙ circled ideograph secret
    ("\u2f64", "用"),  # Kangxi radical
    ("\u2fa7\u671f", "长期"),  # Kangxi radical LONG -> 長 -> 长
    ("\uf900", "岂"),  # compatibility ideograph 豈 -> 豈 -> 岂
    ("\u00b2\u2075", "25"),  # superscripts
    ("\ufb01", "fi"),
    ("\uff08\u4e00\uff09", "(一)"),  # full-width brackets
    ("\u3014\u4e00\u3015", "〔一〕"),  # 〔〕 are not compatibility characters
    ("\u2605", "★"),  # ★ is kept
    ("\u4ed6\u8bf4\u2026\u2026", "他说……"),  # ellipses kept on purpose
    ("a\u3000b", "a b"),  # ideographic space
    ("ab\u00a0cd\u2007ef\u202fgh", "ab cd ef gh"),  # no-break spaces
    ("\uff76\uff85", "カナ"),  # half-width katakana
    ("\U0001d40c\U0001d41a", "Ma"),  # mathematical bold letters
]


@pytest.mark.parametrize("raw, expected", NFKC_CASES)
def test_nfkc(raw: str, expected: str) -> None:
    assert canon(raw) == expected


# ---------------------------------------------------------------------------------------------- step 1: invisibles
INVISIBLES = [
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u200e", "\u200f",
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069",
    "\ufe00", "\ufe0f", "\u180e", "\u2061", "\U000e0001", "\U000e0041", "\U000e0100", "\u034f", "\u3164",
    "\u200b\u200c\u200d",
]


@pytest.mark.parametrize("inv", INVISIBLES, ids=lambda s: "+".join(f"U{ord(c):04X}" for c in s))
def test_invisibles_removed(inv: str) -> None:
    assert canon(f"绝{inv}密★启用前") == "绝密★启用前"
    assert canon(f"TOP{inv}SECRET") == "TOPSECRET"


# ---------------------------------------------------------------------------------------------- step 1: T -> S
TRAD_CASES = [
    ("機密★5年", "机密★5年"),
    ("絕密★啟用前", "绝密★启用前"),
    ("絶密★啓用前", "绝密★启用前"),  # 絶: Japanese/common variant
    ("祕密★1年", "秘密★1年"),
    ("袐密★1年", "秘密★1年"),  # 衣-radical variant
    ("机宻★5年", "机密★5年"),  # 宻: variant of 密
    ("內部資料 注意保存", "内部资料 注意保存"),
    ("秘密★長期", "秘密★长期"),
    ("秘密★镸期", "秘密★长期"),
    ("閱後收回", "阅后收回"),
    ("閱後収囘", "阅后收回"),
    ("密級", "密级"),
    ("5秊", "5年"),
    ("中華人民共和國", "中华人民共和国"),
    ("我們", "我们"),
    ("乾", "干"),  # first OpenCC candidate
]


@pytest.mark.parametrize("raw, expected", TRAD_CASES)
def test_traditional_and_variants(raw: str, expected: str) -> None:
    assert canon(raw) == expected


# ---------------------------------------------------------------------------------------------- stars & separators
STAR_LIKES = "☆✩✪✫✬✭✮✯✰⭐⋆✱✲✳✴✵✶✷✸✹✺✻✼❋⁎∗﹡＊٭✦🌟"


@pytest.mark.parametrize("star", list(STAR_LIKES))
def test_star_lookalikes(star: str) -> None:
    assert canon(f"机密{star}5年") == "机密★5年"


STAR_CONTEXT_CASES = [
    ("机密*5年", "机密★5年"),
    ("绝密*启用前", "绝密★启用前"),
    ("秘密 * 长期", "秘密★长期"),
    ("机密⭐\ufe0f5年", "机密★5年"),  # emoji star + variation selector
    ("x = a * b", "x = a * b"),  # code keeps its asterisks
    ("print(a*b)", "print(a*b)"),
    ("**机密**", "**机密**"),  # markdown bold
    ("* 第一项\n* 第二项", "* 第一项\n* 第二项"),  # markdown list
    ("5*3=15", "5*3=15"),
]


@pytest.mark.parametrize("raw, expected", STAR_CONTEXT_CASES)
def test_plain_asterisk(raw: str, expected: str) -> None:
    assert canon(raw) == expected


SEPARATOR_CASES = [
    ("ab\u2013cd\u2014ef\u2212gh\u2010ij", "ab-cd-ef-gh-ij"),
    ("他说\u2014\u2014我不去", "他说--我不去"),
    ("\u8fc8\u514b\u5c14\u30fb\u6770\u514b\u900a", "迈克尔·杰克逊"),  # katakana middle dot
    ("ab\u2027cd\u2219ef\u22c5gh", "ab·cd·ef·gh"),
    ("1\u301c3年", "1~3年"),
    ("ab\u2028cd\u2029ef\u0085gh", "ab\ncd\nef\ngh"),
    ("\uff0d", "-"),
]


@pytest.mark.parametrize("raw, expected", SEPARATOR_CASES)
def test_separators(raw: str, expected: str) -> None:
    assert canon(raw) == expected


# ---------------------------------------------------------------------------------------------- step 2: collapsing
COLLAPSE_CASES = [
    ("机 密 ★ 5 年", "机密★5年"),
    ("绝-密", "绝密"),
    ("秘.密★1年", "秘密★1年"),
    ("内 部 资 料", "内部资料"),
    ("内 部 资料", "内部资料"),
    ("机\n密", "机密"),
    ("机_密", "机密"),
    ("机-密★5年", "机密★5年"),
    ("秘 密 ★ 1 年", "秘密★1年"),
    ("绝\u200b密", "绝密"),
    ("秘 密 * 1 年", "秘密★1年"),
    ("机*密★2年", "机密★2年"),
    ("机 密 ★ 5 年\n特\u3000急\n\n临川市人民政府", "机密★5年\n特急\n\n临川市人民政府"),
    ("机\n密\n★\n5\n年\n特急", "机密★5年\n特急"),  # vertical text; the next line stays a line
    ("绝-密★启用前", "绝密★启用前"),
    ("绝 密 ★ 启 用 前", "绝密★启用前"),
    ("秘密 ★ 长 期", "秘密★长期"),
    ("机密 ★ 5 年", "机密★5年"),
    ("机密 ★5年", "机密★5年"),
    ("机密★5 年", "机密★5年"),
    ("机密★1 0年", "机密★10年"),
    ("机密 ★ 1 0 年", "机密★10年"),
    ("机密\n★5年", "机密★5年"),
    ("机，密★5年", "机密★5年"),
    ("机,密,★,5,年", "机密★5年"),
    ("机|密|★|5|年", "机密★5年"),
    ("机/密/★/5/年", "机密★5年"),
    ("机·密·★·5·年", "机密★5年"),
    ("机 \u200b 密", "机密"),
    ("内部资料\u3000注意保存", "内部资料 注意保存"),  # the space between the two phrases stays
    ("内 部 资 料  注 意 保 存", "内部资料注意保存"),
    ("总 指 挥：省政府", "总指挥:省政府"),
    ("成\u3000\u3000员：省公安厅", "成员:省公安厅"),
    ("2024 年 5 月", "2024年5月"),
    ("1.5 年 3 月", "1.5年3月"),  # the decimal point stays
    ("（机 密）", "(机密)"),
    ("T O P  S E C R E T", "TOP SECRET"),
    ("S-E-C-R-E-T", "SECRET"),
    ("S.E.C.R.E.T", "SECRET"),
    ("C O N F I D E N T I A L", "CONFIDENTIAL"),
    ("F.O.U.O.", "FOUO."),
    ("机\u0301密", "机密"),  # combining mark on an ideograph
    ("5\ufe0f\u20e3年", "5年"),  # keycap digit
]


@pytest.mark.parametrize("raw, expected", COLLAPSE_CASES)
def test_collapse(raw: str, expected: str) -> None:
    assert canon(raw) == expected


UNCHANGED_CASES = [
    "我们 今天 去",
    "今天 去",
    "1 2 3",
    "他看到1份机密级文件",
    "例如'秘密★3年'",
    "机密★5年\n特急",
    "机\n\n密",  # a blank line is not a separator
    "1. 是\n2. 否",
    "A. 思想理论教育  B. 党团和班级建设",
    "I O U",
    "A B C",
    "a.b.c.d@example.com",
    "2024-05-01 10:20",
    "https://example.com/a/b/c",
    "第一行\n第二行\n",
    "Top Secret",  # never lower-cased
    "cafe\u0301",  # combining marks after letters stay
    "x = a - b - c - d",
    "版本 3 更新",
    "钱若溪 13867112345",
    "共印 20 份",
]


@pytest.mark.parametrize("raw", UNCHANGED_CASES)
def test_ordinary_text_unchanged(raw: str) -> None:
    assert canon(raw) == raw


def test_prose_commas_between_two_single_words_stay() -> None:
    assert canon("我，你") == "我,你"  # ，-> , by NFKC, but the comma stays
    assert canon("是，不是") == "是,不是"


def test_three_single_words_with_commas_are_joined() -> None:
    # documented judgement call: rare in prose, harmless for detection
    assert canon("他、你、我") == "他你我"


def test_ascii_fast_path_returns_identity() -> None:
    text = "def f(x):\n    return x * 2  # TOP SECRET? no\n"
    n = normalize(text)
    assert n.text == text and n.starts is None and n.ends is None


def test_empty() -> None:
    n = normalize("")
    assert n.text == "" and n.to_original(0, 0) == (0, 0)
