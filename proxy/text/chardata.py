"""Data tables for :mod:`proxy.text.normalize`.

Everything here is plain data plus one lazily-run loader (:func:`traditional_to_simplified`); importing this
module reads no file.  The per-character canonical table itself is built in ``chartable.char_table``.
"""
from __future__ import annotations

import functools
import importlib.util
import logging
import os

log = logging.getLogger(__name__)

STAR = "\u2605"  # ★ BLACK STAR, the canonical star of GB/T 9704 markings

# Look-alike stars and asterisk-like symbols -> ★.  Checked *before* NFKC, because NFKC turns ＊ (U+FF0A) and
# ﹡ (U+FE61) into the plain ASCII '*', which must not become ★ in general (code, markdown).  The plain '*' is
# only turned into ★ by the context rules (joins.py, chains.py).
STAR_LIKES = (
    "\u066d"  # ٭ ARABIC FIVE POINTED STAR
    "\u204e"  # ⁎ LOW ASTERISK
    "\u2217"  # ∗ ASTERISK OPERATOR
    "\u229b"  # ⊛ CIRCLED ASTERISK OPERATOR
    "\u22c6"  # ⋆ STAR OPERATOR
    "\u235f"  # ⍟ APL CIRCLE STAR
    "\u2606"  # ☆ WHITE STAR
    "\u269d"  # ⚝ OUTLINED WHITE STAR
    "\u2721"  # ✡ STAR OF DAVID
    + "".join(chr(c) for c in range(0x2722, 0x2728))  # ✢ ✣ ✤ ✥ ✦ ✧
    + "".join(chr(c) for c in range(0x2729, 0x273E))  # ✩ … ✽
    + "\u2742\u2743"  # ❂ ❃
    "\u2749\u274a\u274b"  # ❉ ❊ ❋
    "\u2b50\u2b51\u2b52"  # ⭐ ⭑ ⭒
    "\u2be8\u2be9\u2bea\u2beb"  # ⯨ ⯩ ⯪ ⯫ half stars
    "\ua673"  # ꙳ SLAVONIC ASTERISK
    "\ufe61"  # ﹡ SMALL ASTERISK
    "\uff0a"  # ＊ FULLWIDTH ASTERISK
    "\U0001f31f"  # 🌟 GLOWING STAR
    "\U0001f52f"  # 🔯 SIX POINTED STAR WITH MIDDLE DOT
    + "".join(chr(c) for c in range(0x1F7AF, 0x1F7D5))  # 🞯 … 🟔 geometric asterisks and stars
)

# Dashes and minus signs -> '-' (all 1:1).  Applied after NFKC (NFKC already maps ＝ － ﹣ to ASCII).
DASHES = (
    "\u02d7"  # ˗ MODIFIER LETTER MINUS SIGN
    "\u2010\u2011\u2012\u2013\u2014\u2015"  # hyphen, nb hyphen, figure dash, en, em, horizontal bar
    "\u2043"  # ⁃ HYPHEN BULLET
    "\u2212"  # − MINUS SIGN
    "\u2796"  # ➖ HEAVY MINUS SIGN
    "\u2e3a\u2e3b"  # ⸺ ⸻ two- and three-em dash
    "\ufe58"  # ﹘ SMALL EM DASH
)

# Middle dots -> '·' (U+00B7).
MIDDLE_DOTS = (
    "\u0387"  # GREEK ANO TELEIA (NFKC already gives U+00B7)
    "\u16eb"  # ᛫ RUNIC SINGLE PUNCTUATION
    "\u2027"  # ‧ HYPHENATION POINT
    "\u2219"  # ∙ BULLET OPERATOR
    "\u22c5"  # ⋅ DOT OPERATOR
    "\u2e31"  # ⸱ WORD SEPARATOR MIDDLE DOT
    "\u30fb"  # ・ KATAKANA MIDDLE DOT (NFKC maps ･ U+FF65 here)
)

# Other 1:1 separator look-alikes.
OTHER_SEPARATORS = {
    "\u2215": "/",  # ∕ DIVISION SLASH
    "\u2044": "/",  # ⁄ FRACTION SLASH (also produced by NFKC of ½ etc.)
    "\u29f8": "/",  # ⧸ BIG SOLIDUS
    "\u301c": "~",  # 〜 WAVE DASH
    "\u2053": "~",  # ⁓ SWUNG DASH
    "\u0085": "\n",  # NEL
    "\u2028": "\n",  # LINE SEPARATOR
    "\u2029": "\n",  # PARAGRAPH SEPARATOR
}

# Characters that are removed although they are not of category Cf (all Cf characters are removed).
# Variation selectors and other invisible joiners/fillers people paste between characters.
EXTRA_INVISIBLES = (
    "\u034f"  # COMBINING GRAPHEME JOINER (Mn)
    "\u115f\u1160\u3164\uffa0"  # Hangul fillers (Lo, render blank)
    "\u17b4\u17b5"  # Khmer inherent vowels (Mn, invisible)
    "\u180b\u180c\u180d\u180f"  # Mongolian free variation selectors
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))  # VS1-VS16
    + "".join(chr(c) for c in range(0xE0100, 0xE01F0))  # VS17-VS256
)

# Characters NFKC would change that we deliberately keep: the ellipses are ordinary Chinese prose punctuation
# ("……" -> "......" would only lengthen the text and force an offset map for nothing).
NFKC_KEEP = "\u2026\u2025"

# Hand table of variant / look-alike ideographs of the characters used in markings, mapped to the simplified
# standard form.  Only real variants (listed as 异体字 of the target in standard dictionaries) or CJK radical
# look-alikes; traditional forms are covered by OpenCC's TSCharacters table and repeated here only as a
# fallback when that file is missing.
VARIANTS = {
    # 绝
    "絶": "绝",  # Japanese shinjitai / common variant of 絕
    "絕": "绝",
    # 密
    "宻": "密",  # 俗字 of 密
    # 机 / 秘
    "機": "机",
    "祕": "秘",
    "袐": "秘",  # 衣-radical miswriting of 祕, very common in scanned/IME text
    # 级 内 资
    "級": "级",
    "內": "内",
    "資": "资",
    # 期 年 月
    "朞": "期",  # variant of 期
    "秊": "年",  # variant of 年
    "䄵": "年",  # variant of 年
    "⺝": "月",  # CJK radical moon (not NFKC-mapped)
    "⺼": "月",  # CJK radical meat (looks like 月)
    # 长
    "長": "长",
    "镸": "长",  # radical form of 長
    "⻑": "长",  # CJK RADICAL LONG ONE
    "⻒": "长",  # CJK RADICAL LONG TWO
    "⻓": "长",  # CJK RADICAL C-SIMPLIFIED LONG
    # 启
    "啓": "启",
    "啟": "启",
    "唘": "启",  # variant of 啓
    # 前
    "歬": "前",  # ancient form of 前
    # 开
    "開": "开",
    # 收 回
    "収": "收",  # Japanese form of 收
    "囘": "回",
    "囬": "回",
    "廻": "回",
    "迴": "回",
    # 阅 后 注 翻
    "閱": "阅",
    "後": "后",
    "註": "注",
    "飜": "翻",
    "繙": "翻",
}

# Two-character marking words whose two characters are re-joined across any short separator run (including
# prose punctuation and stars), regardless of the surrounding tokens (rule R1, see normalize.py).  A false join
# (有机，密封 -> 有机密封) only ever produces a *mention* of a marking word, never a marking, so the list may be
# generous; keep it to the words of markings.
MARKING_BIGRAMS = frozenset(
    {
        "绝密", "机密", "秘密",  # 密级
        "内部", "部资", "资料",  # 内部资料
        "注意", "意保", "保存", "保密",  # 注意保存 / 注意保密
        "启用", "用前",  # 启用前
        "长期",
        "密级",
    }
)


def _opencc_dictionary(name: str) -> str | None:
    spec = importlib.util.find_spec("opencc")
    if spec is None or not spec.submodule_search_locations:
        return None
    for base in spec.submodule_search_locations:
        path = os.path.join(base, "dictionary", name)
        if os.path.exists(path):
            return path
    return None


@functools.cache
def traditional_to_simplified() -> dict[str, str]:
    """Single-character traditional -> simplified table from OpenCC's ``TSCharacters.txt`` (first candidate of
    each line, single char -> single char only), read once on first use."""
    table: dict[str, str] = {}
    path = _opencc_dictionary("TSCharacters.txt")
    if path is None:
        log.warning("opencc TSCharacters.txt not found; traditional->simplified limited to the built-in table")
        return table
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            key, _, rest = line.rstrip("\n").partition("\t")
            cands = rest.split()
            if len(key) != 1 or not cands or len(cands[0]) != 1 or cands[0] == key:
                continue
            table[key] = cands[0]
    return table
