"""What the lines around a marking look like in a 公文 (GB/T 9704-2012 版头) or a similar document.

Used by the marking judgement ("is a document following this marking?") and, later, by the 公文
structure scorer. Each shape is a regex over ONE stripped line (≤ ``context.MAX_LOOK`` characters).
Brackets are tolerant: people and OCR write 〔〕 as [] 【】 () （） ［］.
"""
from __future__ import annotations

from proxy.detection import bounded

_B_OPEN = r"[〔\[【(（［{｛]"
_B_CLOSE = r"[〕\]】)）］}｝]"

#: 份号: six digits alone (OCR may read 0 as O), or 第N份 / 份号：N
COPY_NUMBER = bounded.compile(
    r"^(?:[0-9Oo]{6}|份\s*号\s*[:：]?\s*[0-9Oo]{1,8}|第\s*[0-9Oo]{1,6}\s*份)(?:\s|$)")
COPY_NUMBER_ANYWHERE = bounded.compile(
    r"(?:^|[\s　])(?:[0-9]{6}|份\s*号\s*[:：]?\s*[0-9Oo]{1,8}|第\s*[0-9Oo]{1,6}\s*份)(?:[\s　]|$)")
#: 紧急程度
URGENCY = bounded.compile(r"^(?:特|加|平)[\s　]*急(?:[\s　]|$)")
#: 发文字号 (机关代字〔年份〕序号号) or a meeting-minutes number 〔2024〕第15次
DOC_NUMBER = bounded.compile(
    rf"(?:[\u4e00-\u9fff]{{1,12}}[\s　]*{_B_OPEN}[\s　]*(?:19|20)\d\d[\s　]*{_B_CLOSE}[\s　]*第?[\s　]*\d{{1,4}}[\s　]*号"
    rf"|^{_B_OPEN}(?:19|20)\d\d{_B_CLOSE}第?\d{{1,4}}[次号期])")
#: 发文机关 (标志) line: a short line ending in an organ's name or 文件
ISSUER = bounded.compile(
    r"^[\u4e00-\u9fff（）()·\s　]{1,30}(?:文件|人民政府|人民代表大会常务委员会|委员会|办公厅|办公室|纪律检查委员会|"
    r"监察委员会|组织部|宣传部|统战部|政法委|公安厅|公安局|分局|检察院|法院|[省市县区州旗乡镇]委|党委|党组|工委|"
    r"指挥部|领导小组|巡视组|巡察组|大学|学院|中学|小学|集团|公司|中心)$"
    r"|^[\u4e00-\u9fff（）()·]{2,30}[厅局处科署部委办院所校会队]$")
#: a 公文 / report title, or a line naming a document type that is rarely public
TITLE = bounded.compile(
    r"^关于.{2,80}?(?:通知|通报|报告|请示|意见|方案|决定|批复|复函|函|纪要|办法|规定|规划|计划|汇报|说明|专报|建议|"
    r"安排|要点|总结|清单|名单|汇总|预案|提纲|议程)"
    r"|(?:会议纪要|会议记录|谈话笔录|审查调查报告|考察材料|试卷|试题|试题（|简报|专报|台账|汇总表|问题清单|议题单|"
    r"工作方案|实施方案|处理意见|反馈意见|情况报告|请示$|报告$|纪要$|通知$|方案$)")
#: 主送机关 / salutation: a short line ending in a colon
ADDRESSEE = bounded.compile(r"^[\u4e00-\u9fff、，,（）()·\s　]{2,40}[:：]$")

_SHAPES = (("copy number", COPY_NUMBER), ("urgency", URGENCY), ("document number", DOC_NUMBER),
           ("issuing organ", ISSUER), ("title", TITLE), ("addressee", ADDRESSEE))


def head_shape(line: str) -> str | None:
    """Name of the 版头/opening element this stripped line looks like, or None."""
    if not line:
        return None
    for name, rx in _SHAPES:
        if bounded.search(rx, line, "docshape." + name):
            return name
    return None


_OPENERS = _SHAPES[2:]  # copy number and urgency are companions of a marking, not the document itself


def document_follows(lines: list[str]) -> str | None:
    """Shape of the first of ``lines`` (the next few lines after a marking) that opens a document."""
    for line in lines:
        if not line:
            continue
        for name, rx in _OPENERS:
            if bounded.search(rx, line, "docshape." + name):
                return name
    return None


def has_copy_number(line: str) -> bool:
    return bool(bounded.search(COPY_NUMBER_ANYWHERE, line, "docshape.copy_number"))


def is_urgency(line: str) -> bool:
    return bool(bounded.match(URGENCY, line, "docshape.urgency"))
