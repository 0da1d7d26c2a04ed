"""公文 structure elements (GB/T 9704-2012 版头 / 版记, 发文稿纸 and 签报 forms): WEAK evidence only.

A document whose 密级 line was cut off or covered still carries the frame of a 公文: 份号, 发文字号, 签发人,
紧急程度, 主送 / 抄送, the 印发 line, 共印N份, 此件发至…, form fields (拟稿, 核稿, 会签, an empty 密级 field).
Public documents carry most of these too (a 发文字号, 抄送, the 印发 line), so every element scores below
0.5 and nothing here blocks alone: :class:`~proxy.detection.scorers.official_document.OfficialDocumentScorer`
combines the elements with non-public content or a redacted-marking signal.

Elements (``recognition_metadata["element"]``; score; where it counts):

=====================  =====  ==========================================================================
copy_number            0.40   6 digits starting with 0 alone on a head line (OCR: O), 份号：N, 第N份
blank_classification   0.45   a 密级 field left empty, underscored, blacked out or marked as removed
redacted_head          0.45   a head line of blackout boxes only (■■■■)
distribution           0.40   此件发至… / 发至…主要负责同志 (restricted distribution)
print_run              0.35   共印N份, 印数：N
form_header            0.35   发文稿纸 / 签报 / 呈批件 … alone on a line
signer                 0.30   签发人：
urgency                0.30   特急 / 加急 / 特提 alone on a head line, 紧急程度：…
issue_line             0.30   …办公室  2024年3月5日印发
request_closing        0.30   妥否，请批示 / 当否，请批示
doc_number             0.25   机关代字〔年份〕序号号 at a line start, any bracket people or OCR produce
                              (〔〕 [] 【】 () （） ［］ ｛｝ 〈〉 <>), brackets missing, spaces, 第N号
cc                     0.25   抄送：/ 抄报：
form_field             0.25   拟稿 / 核稿 / 会签 / 签发 / 主办单位 / 校对 / 印数 … fields
issuer_header          0.25   …文件 alone on a head line (发文机关标志)
draft                  0.25   a bracketed draft tag: （征求意见稿）（讨论稿）（送审稿）（审理稿）（初稿）…
minutes                0.25   a meeting-minutes number 〔2024〕第15次, 出席：/ 列席：
addressee              0.20   主送：, or the salutation line after a title (市委：, 各分局：)
attachment             0.20   附件：
contact                0.20   （联系人：…，电话：…）
title                  0.15   关于…的通知/请示/报告… on a head line
public_release         0.10   此件公开发布 / 主动公开 / 依申请公开 / 密级：公开 (read by the combiner)
=====================  =====  ==========================================================================

Inline citations of other documents (根据《…》（国办发〔2023〕5号）) are not elements: only line-start
numbers count. The text is read line by line with cheap substring gates before any regex; every regex runs on
one line capped at ``MAX_LINE`` characters with the inspection timeout, each element is reported at most
``MAX_PER_ELEMENT`` times, and the overall budget is checked as lines go by. A text of more than ``MAX_LINES``
non-blank lines is read at its head (``MAX_LINES``) and its foot (``MAX_TAIL_LINES``) only.
"""
from __future__ import annotations

from typing import Any, ClassVar

from presidio_analyzer import LocalRecognizer, RecognizerResult

from proxy.detection import bounded
from proxy.detection.context import BLANK

LANGUAGE = "zh"
ENTITY = "CN_OFFICIAL_STRUCTURE"
CATEGORY = "official_document"
ELEMENT_KEY = "element"
MAX_LINE = 240
MAX_PER_ELEMENT = 12
HEAD_LINES = 8  # non-blank lines that count as the head (a prompt wrapper may come first)
#: lines read from the start, and from the end, of a longer text (structure sits at the head and the foot)
MAX_LINES = 4000
MAX_TAIL_LINES = 400
_CHECK_EVERY = 2048

_S = r"[ \t\u3000]*"
_OPEN = r"[〔\[【(（［{｛〈<＜「]"
_CLOSE = r"[〕\]】)）］}｝〉>＞」]"
_YEAR = r"(?:19|20)\d\d"
_DIGITS = "0123456789"
_BLACKOUT = "■█▇▆▉◼⬛▓▒"
_REDACT_CHARS = frozenset(_BLACKOUT + "□×ＸxX*＊_＿★☆ \t\u3000-—–")

ELEMENTS: dict[str, tuple[float, str]] = {
    "copy_number": (0.40, "份号 (copy number)"),
    "blank_classification": (0.45, "密级 field left empty or covered"),
    "redacted_head": (0.45, "blacked-out line at the head"),
    "distribution": (0.40, "restricted distribution (此件发至…)"),
    "print_run": (0.35, "print run (共印N份)"),
    "form_header": (0.35, "发文稿纸/签报 form"),
    "signer": (0.30, "签发人 (signer)"),
    "urgency": (0.30, "紧急程度 (urgency line)"),
    "issue_line": (0.30, "印发机关和日期 (issuing line)"),
    "request_closing": (0.30, "请示 closing (妥否，请批示)"),
    "doc_number": (0.25, "发文字号 (document number)"),
    "cc": (0.25, "抄送 (copy-to line)"),
    "form_field": (0.25, "form field (拟稿/核稿/会签…)"),
    "issuer_header": (0.25, "发文机关标志 (…文件)"),
    "draft": (0.25, "draft tag (征求意见稿/讨论稿…)"),
    "minutes": (0.25, "meeting-minutes elements"),
    "addressee": (0.20, "主送机关 (addressee line)"),
    "attachment": (0.20, "附件 line"),
    "contact": (0.20, "联系人/电话 footer"),
    "title": (0.15, "公文 title (关于…的…)"),
    "public_release": (0.10, "public-release marker (此件公开发布/主动公开)"),
}

_RX = {
    "copy_number": bounded.compile(
        rf"^(?:(?P<bare>[0-9Oo]{{6}})|份{_S}号{_S}[:：]?{_S}[0-9Oo]{{1,8}}|第{_S}[0-9Oo]{{1,6}}{_S}份)(?=[ \t\u3000]|$)"),
    "doc_number": bounded.compile(
        rf"^(?:(?:发文字号|文{_S}号){_S}[:：]{_S})?(?:"
        rf"[\u4e00-\u9fff]{{0,12}}{_S}{_OPEN}{_S}{_YEAR}{_S}年?{_S}{_CLOSE}{_S}[\u4e00-\u9fff]{{0,8}}?{_S}第?{_S}\d{{1,6}}{_S}号"
        rf"|[\u4e00-\u9fff]{{0,11}}[发函字办通告令报复电秘纪组呈]{_S}{_YEAR}{_S}(?:[-—–.·]|第|[ \t\u3000]){_S}\d{{1,6}}{_S}号)"),
    "minutes_number": bounded.compile(rf"^{_OPEN}{_S}{_YEAR}{_S}{_CLOSE}{_S}第?{_S}\d{{1,4}}{_S}[次期]"),
    "signer": bounded.compile(rf"签{_S}发{_S}人{_S}[:：]"),
    "urgency": bounded.compile(rf"^(?:特{_S}急|加{_S}急|特{_S}提|紧急程度{_S}[:：]{_S}(?:特急|加急|特提|平急))(?:{_S}件)?$"),
    "addressee": bounded.compile(rf"^主{_S}送{_S}[:：]"),
    "salutation": bounded.compile(
        r"^(?:各|市|县|区|省|州|校|院)?[\u4e00-\u9fff、，,（）()·]{1,40}?(?:人民政府|政府|各部门|各单位|直属机构|党委|党组|纪委|"
        r"市委|县委|区委|省委|分局|学院|处室|科室|支队|大队|派出所|委员会|常委会|办公室|办公厅|局|厅|部|委|院|校|公司|中心)[:：]$"),
    "cc": bounded.compile(rf"^抄{_S}(?:送|报){_S}[:：]"),
    "issue_line": bounded.compile(
        rf"^[\u4e00-\u9fff（）()·]{{2,30}}(?:[ \t\u3000]+|(?<=[室厅局委部院处会司]))"
        rf"{_YEAR}{_S}年{_S}\d{{1,2}}{_S}月{_S}\d{{1,2}}{_S}日{_S}印{_S}发{_S}$"
        rf"|^印发(?:日期|时间){_S}[:：]"),
    "print_run": bounded.compile(rf"(?:^|[(（\s])共{_S}印{_S}[0-9一二三四五六七八九十百零〇两]{{1,5}}{_S}份|^印{_S}数{_S}[:：]{_S}\d+"),
    "distribution": bounded.compile(
        rf"此件(?:只|仅)?(?:发至|发到|印发至|下发至|传达至|阅至|发给)|(?:^|[(（])发至[^，。\n]{{0,24}}?(?:县团级|地师级|省军级|"
        r"处级|厅局级|县处级|主要负责同志|主要领导|领导同志|负责同志)"),
    "form_header": bounded.compile(
        r"^[\u4e00-\u9fff]{0,24}?(?:发文稿纸|发文审批单|发文处理单|公文处理笺|签报|呈批件|请示件|文件处理单|收文处理单|阅文单|阅件单|"
        r"发文单)$"),
    "form_field": bounded.compile(
        rf"(?:^|[ \t\u3000]{{2,}}|[|｜])(?P<f>拟{_S}稿(?:人|单位)?|核{_S}稿(?:人)?|会{_S}签(?:单位)?|签{_S}发|主{_S}办(?:单位|处室)?|"
        rf"校{_S}对|印{_S}数|分{_S}送|审{_S}核(?:人)?|承办意见|审批意见|紧急程度){_S}[:：|｜]"),
    "blank_classification": bounded.compile(
        rf"密{_S}级(?:和保密期限|及保密期限)?{_S}[:：|｜]{_S}(?:[_＿\-—–.·…■█□▇▆▉◼⬛▓▒×Ｘ*＊?？ \t\u3000]*"
        rf"(?:{_OPEN}?[^\s，。]{{0,3}}(?:删除|略|遮盖|涂黑|隐去|已删|省略)[^\s，。]{{0,3}}{_CLOSE}?|略)?)"
        rf"{_S}(?=$|[\u4e00-\u9fff]{{2,6}}{_S}[:：])"),
    "public_field": bounded.compile(rf"密{_S}级{_S}[:：|｜]{_S}(?:公开|无|非密|普通|不涉密|无密级)"),
    "attachment": bounded.compile(rf"^附{_S}件{_S}\d{{0,2}}{_S}[:：.．]"),
    "contact": bounded.compile(rf"^[(（]?{_S}联{_S}系{_S}人{_S}[:：][^\n]{{0,40}}?(?:电话|手机|Tel|tel|\d{{7}})"),
    "request_closing": bounded.compile(
        rf"(?:妥否|当否|可否|是否妥当|以上意见如无不妥|以上(?:请示|报告|意见)如无不妥){_S}[,，]?{_S}"
        r"请(?:批示|审示|批复|指示|示|审批|审定|审阅)"),
    "issuer_header": bounded.compile(r"^[\u4e00-\u9fff（）()·]{2,40}文件$"),
    "title": bounded.compile(
        r"^关于[^\n]{2,80}?的[\u4e00-\u9fff]{0,4}?(?:通知|通报|报告|请示|意见|方案|决定|批复|复函|函|纪要|办法|规定|汇报|专报|建议|情况说明|说明)"
        r"(?:[(（][^)）]{0,16}[)）])?$"),
    "draft": bounded.compile(
        rf"{_OPEN}[^)）】\]〕\n]{{0,12}}?(?:征求意见稿|讨论稿|送审稿|审理稿|初稿|草稿|审议稿|报审稿|修改稿|代拟稿|"
        rf"第[一二三四五六七八九十\d]稿)[^)）】\]〕\n]{{0,12}}{_CLOSE}"),
    "minutes_field": bounded.compile(rf"^(?:出{_S}席|列{_S}席|缺{_S}席|记{_S}录|主{_S}持)(?:人)?{_S}[:：]"),
    "public_release": bounded.compile(
        r"此件(?:公开发布|主动公开)|(?:公开(?:方式|属性|选项)|信息公开(?:选项|属性|方式))[:：]?[ \t\u3000]*(?:主动公开|依申请公开)|"
        r"[(（](?:主动公开|依申请公开|公开发布)[)）]|政府信息公开"),
}


class CnOfficialStructureRecognizer(LocalRecognizer):
    """Weak 公文 structure elements; see the module docstring."""

    ENTITY_CATEGORIES: ClassVar[dict[str, str]] = {ENTITY: CATEGORY}

    def __init__(self, name: str | None = None, supported_language: str = LANGUAGE) -> None:
        super().__init__(supported_entities=[ENTITY], name=name, supported_language=supported_language)

    def load(self) -> None:  # patterns are compiled at import
        pass

    # -- helpers --------------------------------------------------------------------------------------
    def _result(self, element: str, start: int, end: int, score: float | None = None) -> RecognizerResult:
        base, why = ELEMENTS[element]
        return RecognizerResult(
            entity_type=ENTITY, start=start, end=end, score=base if score is None else score,
            recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                  RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                                  "category": CATEGORY, "why": why, ELEMENT_KEY: element})

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts: Any = None,
                **_: Any) -> list[RecognizerResult]:
        found: list[tuple[str, int, int]] = []
        seen = dict.fromkeys(ELEMENTS, 0)
        n = len(text)
        pos = 0
        index = 0  # non-blank lines so far
        lines = 0
        prev_title = False  # the previous non-blank line was a title or a document number
        search = bounded.search
        rxs = _RX

        def hit(element: str, s: int, e: int) -> None:
            seen[element] += 1
            found.append((element, s, e))

        tail = -1  # where the last MAX_TAIL_LINES lines start (computed when the line budget runs out)
        while pos <= n:
            if index >= MAX_LINES and tail < 0:
                # a bulk text: skip to its last lines (版记 elements sit at the foot)
                tail = _tail_start(text, MAX_TAIL_LINES)
                if tail > pos:
                    pos = tail
            nl = text.find("\n", pos)
            if nl < 0:
                nl = n
            seg = text[pos:nl]
            seg_start = pos
            pos = nl + 1
            lines += 1
            if lines % _CHECK_EVERY == 0:
                bounded.check("cn_official_structure.lines")
            line = seg.strip(BLANK)
            if not line:
                if nl >= n:
                    break
                continue
            index += 1
            head = index <= HEAD_LINES
            base = seg_start + seg.find(line[0])
            line = line[:MAX_LINE]
            was_title, prev_title = prev_title, False
            first = line[0]
            last = line[-1]
            short = len(line) <= 42
            prose = len(line) > 60  # a body paragraph: only the elements that can sit inside one are looked for

            if not prose and first in _COPY_FIRST and seen["copy_number"] < MAX_PER_ELEMENT and (
                    head or first in "份第"):
                m = search(rxs["copy_number"], line, "cn_official_structure.copy_number")
                bare = m.group("bare") if m else None
                # a bare 份号 is a small sequence number (000123); 202401 or 123456 at the top is something else
                if m and (not bare or (head and bare[0] in "0Oo" and sum(c in _DIGITS for c in bare) >= 4)):
                    hit("copy_number", base + m.start(), base + m.end())
            if head and not _BLACKOUT_SET.isdisjoint(line) and seen["redacted_head"] < MAX_PER_ELEMENT \
                    and _REDACT_CHARS.issuperset(line) and "★" not in line \
                    and sum(1 for c in line if c in _BLACKOUT_SET) >= 2:
                hit("redacted_head", base, base + len(line))
            if "号" in line[:48] and seen["doc_number"] < MAX_PER_ELEMENT:
                m = search(rxs["doc_number"], line, "cn_official_structure.doc_number")
                if m:
                    hit("doc_number", base + m.start(), base + m.end())
                    prev_title = True
            if first in _OPENERS and seen["minutes"] < MAX_PER_ELEMENT and ("次" in line or "期" in line):
                m = search(rxs["minutes_number"], line, "cn_official_structure.minutes")
                if m:
                    hit("minutes", base + m.start(), base + m.end())
            if not prose and "签" in line:
                if "人" in line and seen["signer"] < MAX_PER_ELEMENT:
                    m = search(rxs["signer"], line, "cn_official_structure.signer")
                    if m:
                        hit("signer", base + m.start(), base + m.end())
            if len(line) <= 16 and ("急" in line or "特提" in line):
                if seen["urgency"] < MAX_PER_ELEMENT:
                    m = search(rxs["urgency"], line, "cn_official_structure.urgency")
                    if m and (head or line.startswith("紧急程度")):
                        hit("urgency", base + m.start(), base + m.end())
            if not prose and seen["addressee"] < MAX_PER_ELEMENT:
                if first == "主" and "送" in line[:4]:
                    m = search(rxs["addressee"], line, "cn_official_structure.addressee")
                    if m:
                        hit("addressee", base + m.start(), base + m.end())
                elif short and last in ":：":
                    if search(rxs["salutation"], line, "cn_official_structure.salutation") or (
                            was_title and bounded.fullmatch(_SALUTATION_LOOSE, line, "cn_official_structure.salutation")):
                        hit("addressee", base, base + len(line))
            if first == "抄" and seen["cc"] < MAX_PER_ELEMENT:
                m = search(rxs["cc"], line, "cn_official_structure.cc")
                if m:
                    hit("cc", base + m.start(), base + m.end())
            if not prose and "印" in line:
                if seen["issue_line"] < MAX_PER_ELEMENT:
                    m = search(rxs["issue_line"], line, "cn_official_structure.issue_line")
                    if m:
                        hit("issue_line", base + m.start(), base + m.end())
                if ("份" in line or "数" in line) and seen["print_run"] < MAX_PER_ELEMENT:
                    m = search(rxs["print_run"], line, "cn_official_structure.print_run")
                    if m:
                        hit("print_run", base + m.start(), base + m.end())
            if "发至" in line or "发到" in line or "此件" in line:
                if seen["distribution"] < MAX_PER_ELEMENT:
                    m = search(rxs["distribution"], line, "cn_official_structure.distribution")
                    if m:
                        hit("distribution", base + m.start(), base + m.end())
            if ("公开" in line or "此件" in line) and seen["public_release"] < MAX_PER_ELEMENT:
                m = search(rxs["public_release"], line, "cn_official_structure.public_release")
                if m:
                    hit("public_release", base + m.start(), base + m.end())
            if last in "纸报件单笺" and len(line) <= 30 and seen["form_header"] < MAX_PER_ELEMENT:
                m = search(rxs["form_header"], line, "cn_official_structure.form_header")
                if m:
                    hit("form_header", base + m.start(), base + m.end())
            if not prose and seen["form_field"] < MAX_PER_ELEMENT and ("稿" in line or "签" in line or "办" in line or "校" in line
                                                        or "印数" in line or "分送" in line or "审" in line
                                                        or "紧急程度" in line):
                for m in bounded.finditer(rxs["form_field"], line, "cn_official_structure.form_field"):
                    if seen["form_field"] < MAX_PER_ELEMENT:
                        hit("form_field", base + m.start("f"), base + m.end())
            if "级" in line and "密" in line:
                m = search(rxs["public_field"], line, "cn_official_structure.public_field")
                if m:
                    if seen["public_release"] < MAX_PER_ELEMENT:
                        hit("public_release", base + m.start(), base + m.end())
                elif seen["blank_classification"] < MAX_PER_ELEMENT:
                    m = search(rxs["blank_classification"], line, "cn_official_structure.blank_classification")
                    if m:
                        hit("blank_classification", base + m.start(), base + m.end())
            if not prose and first == "附" and seen["attachment"] < MAX_PER_ELEMENT:
                m = search(rxs["attachment"], line, "cn_official_structure.attachment")
                if m:
                    hit("attachment", base + m.start(), base + m.end())
            if "联" in line[:4] and seen["contact"] < MAX_PER_ELEMENT:
                m = search(rxs["contact"], line, "cn_official_structure.contact")
                if m:
                    hit("contact", base + m.start(), base + m.end())
            if "请" in line and ("否" in line or "不妥" in line) and seen["request_closing"] < MAX_PER_ELEMENT:
                m = search(rxs["request_closing"], line, "cn_official_structure.request_closing")
                if m:
                    hit("request_closing", base + m.start(), base + m.end())
            if head and last == "件" and line.endswith("文件") and seen["issuer_header"] < MAX_PER_ELEMENT:
                m = search(rxs["issuer_header"], line, "cn_official_structure.issuer_header")
                if m:
                    hit("issuer_header", base + m.start(), base + m.end())
            if first == "关" and index <= HEAD_LINES + 2 and seen["title"] < MAX_PER_ELEMENT:
                m = search(rxs["title"], line, "cn_official_structure.title")
                if m:
                    hit("title", base + m.start(), base + m.end())
                    prev_title = True
            if "稿" in line and seen["draft"] < MAX_PER_ELEMENT:
                m = search(rxs["draft"], line, "cn_official_structure.draft")
                if m:
                    hit("draft", base + m.start(), base + m.end())
            if first in "出列缺记主" and seen["minutes"] < MAX_PER_ELEMENT:
                m = search(rxs["minutes_field"], line, "cn_official_structure.minutes_field")
                if m:
                    hit("minutes", base + m.start(), base + m.end())
            if nl >= n:
                break
        return [self._result(el, s, e) for el, s, e in found]


def _tail_start(text: str, lines: int) -> int:
    """Offset where the last ``lines`` lines of ``text`` start."""
    pos = len(text)
    for _ in range(lines):
        pos = text.rfind("\n", 0, pos)
        if pos < 0:
            return 0
    return pos + 1


_COPY_FIRST = frozenset("0123456789Oo份第")
_OPENERS = frozenset("〔[【(（［{｛〈<＜「")
_BLACKOUT_SET = frozenset(_BLACKOUT)
#: a salutation right after a title or a document number: short, ends in a colon, no sentence inside
_SALUTATION_LOOSE = bounded.compile(r"[\u4e00-\u9fff、，,（）()·]{2,40}[:：]")
