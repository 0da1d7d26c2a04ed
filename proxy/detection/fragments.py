"""Regex fragments of Chinese marking forms, shared by the recognizers (data only).

Tolerant by design: OCR and variant characters (宻 機 絕 祕, 午 for 年, l/I for 1), look-alike stars, blanks and
a few inserted symbols or invisible characters; none of them may cross a line break.
"""
from __future__ import annotations

BL = r"[ \t\r\u3000\u00a0\u2000-\u200f\u2060\ufeff]"
SP = BL + "{0,3}"
#: what people/OCR insert inside the level word (机 密, 机*密, 机\u200b密)
GAP = r"[ \t\u3000\u00a0\u200b-\u200f\u2060\ufeff*＊·•.\-—_|/\\~]{0,3}"
LEVEL_WORD = rf"[绝絕机機秘祕]{GAP}[密宻]"
#: the level, but not inside 国家秘密 / 商业秘密 / 工作秘密 / 国家机密 …
LEVEL = rf"(?<!国家|商业|工作|军事|技术|经营|个人|核心)(?P<level>{LEVEL_WORD})"
STAR = r"[★☆✩✪✫✬✭✮✯✰⭐⭑⭒✦✧✱✲✳✴✵✶✷✸✹✺✻✼✽*＊⋆※🟊]"
#: between the level and its ★ / period: blanks and the separators people type (机密 · 5年, 机密-★5年)
LSEP = r"[ \t\r\u3000\u00a0\u2000-\u200f\u2060\ufeff·•・.\-—_|/\\~:：]{0,3}"
BLACKOUT = r"[■█□▇▆▉◼⬛▓▒]"
NUM = r"(?:[0-9０-９lI|][0-9０-９oOlI]?|[一二三四五六七八九十两廿壹贰叁肆伍陆柒捌玖拾]{1,3}|半)"
UNIT = rf"(?:[年午]|[个個]{SP}月)"
DATE = rf"(?:(?:19|20)\d\d{SP}[年.\-/]{SP}\d{{1,2}}{SP}[月.\-/]{SP}\d{{1,2}}{SP}日?(?:{SP}[前止])?)"
EVENT = r"(?:启用前|考试结束前|考试前|开考前|公布前|发布前|使用前|开封前|启封前|解密前|会议结束前)"
PERIOD = rf"(?:{DATE}|{NUM}{SP}{UNIT}|长{SP}期|{EVENT}|{BLACKOUT}{{1,4}}{SP}{UNIT}?)"
GENERIC_EVENT = r"[\u4e00-\u9fff]{1,6}?前"
