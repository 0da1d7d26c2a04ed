"""Syntax that turns a marking-shaped string into a MENTION: example/label verbs before it, nouns and
particles after it (机密★5年**的文件**, **例如**“秘密★3年”, **marked** SECRET, SECRET **documents**),
list/quiz item labels, questions. Each regex runs on the capped same-line neighbours of a match.
"""
from __future__ import annotations

from proxy.detection import bounded

_OQ = r"[“\"「『‘'《〈（(＂＇]"
_CQ = r"[”\"」』’'》〉）)＂＇]"
_S = r"[\s\u3000]*"

#: Chinese cue words right before a marking-shaped string (end of the text before it on its line)
BEFORE_ZH = bounded.compile(
    r"(?:例如|比如|譬如|诸如|举例|示例|样例|范例|例|(?<!如)如(?![下此])|像|好比|假如|如果|倘若|假设|若|"
    r"标注(?:为|了|有|成)?|标明|标识(?:为)?|标记(?:为)?|标示|注明|标有|标着|写着|写有|写明|写上|印有|印着|盖有|盖着|加盖|"
    r"显示(?:为)?|称为|叫做|分为|分成|划为|划分为|定为|列为|升为|降为|调整为|变更为|改为|包括|包含|即|或者?|和|与|及|、|"
    r"的|是|为|格式(?:为|是)?|形式(?:为|是)?|写法|样式|字样|带有|含有|所谓|什么是|何为|如何|怎样|怎么|原|原定|已解密|解密)"
    rf"{_S}[:：]?{_S}{_OQ}?{_S}$")
#: Chinese cue words right after a marking-shaped string (start of the text after it on its line)
AFTER_ZH = bounded.compile(
    rf"^{_S}{_CQ}?{_S}(?:[:：]{_S})?"
    r"(?:的|之|等|字样|二字|两字|三字|四字|五字|字|、|，?(?:和|与|或者?|及|以及)|级|等级|三级|两级|三个|文件|材料|资料|载体|"
    r"事项|信息|公文|标志|标识|标注|格式|形式|写法|这|是|为|属于|表示|是指|指的?是|意思是|意为|代表|说明|即|"
    r"有什么|怎么|如何|吗|呢|[？?])")
#: list / quiz item label at the start of a line: "A. ", "1、", "（2）", "一、", "①"
ITEM_LABEL = bounded.compile(
    r"^[\s\u3000]*(?:[（(]?(?:[A-Ha-h]|\d{1,2}|[一二三四五六七八九十]{1,3})[\.．、)）]|[①-⑳]|[-•·*]\s)")
#: a previous line that introduces an example: "例如：", "格式如下：", "示例："
EXAMPLE_LEAD = bounded.compile(
    r"(?:例如|比如|示例|样例|范例|举例|如下所示|格式如下|写法如下|标注如下|标注方法|写着|写有|印着|印有|标着|标有)[^\n]{0,12}[:：]$|"
    r"(?i:\b(?:example|examples|e\.g\.|for instance|such as|sample|like this|banner|marking|word|words|"
    r"label|stamped|marked|printed|labell?ed)\b[^\n]{0,16}[:：]$)")

#: English cue words before a marking-shaped token
BEFORE_EN = bounded.compile(
    r"(?i:\b(?:marked|labell?ed|stamped|classified|designated|categori[sz]ed|graded|e\.g\.|i\.e\.|such as|like|"
    r"called|named|word|term|label|marking|as|a|an|the|is|are|was|were|be|been|or|and|of|from|to|than|says|reads|"
    r"read|under|above|below|at)\b)\W{0,3}$")
#: English conditional / question lead-ins before a self-declaration ("whether this document is classified")
HYPOTHETICAL_EN = bounded.compile(r"(?i:\b(?:if|whether|unless|once|until|when|suppose|assume|ask)\W{0,3})$")
#: English cue words after a marking-shaped token
AFTER_EN = bounded.compile(
    r"^\W{0,3}(?i:(?:documents?|docs?|files?|papers?|materials?|information|info|data|level|levels|clearance|"
    r"classification|markings?|labels?|stamps?|banners?|headers?|designation|and|or|is|are|was|means|vs\.?|versus)\b)")


def mention_zh(before: str, after: str, whole_line_is_question: bool = False) -> str | None:
    """Why a Chinese marking-shaped string reads as a mention, or None."""
    if bounded.search(BEFORE_ZH, before[-24:], "cues.before_zh"):
        return "example/label cue before it"
    if bounded.match(AFTER_ZH, after[:24], "cues.after_zh"):
        return "mention cue after it (的/级/文件/字样/、…)"
    if bounded.match(ITEM_LABEL, before, "cues.item_label"):
        return "list or quiz item"
    if whole_line_is_question:
        return "inside a question"
    return None


def mention_en(before: str, after: str) -> str | None:
    if bounded.search(BEFORE_EN, before[-40:], "cues.before_en"):
        return "cue word before it (marked/such as/the…)"
    if bounded.match(AFTER_EN, after[:40], "cues.after_en"):
        return "cue word after it (documents/level/and…)"
    return None


def example_lead(prev_line: str) -> bool:
    return bool(prev_line) and bool(bounded.search(EXAMPLE_LEAD, prev_line[-40:], "cues.example_lead"))
