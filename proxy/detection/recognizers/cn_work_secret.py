"""工作秘密 / internal markings: 内部, 内部资料 注意保存, 内部文件, 此件不得公开, 阅后收回, 不得翻印, 仅供内部参考,
内部★1年, 工作秘密, and restriction notes in brackets: （内部工作底稿）, （发布前严禁外传）, （供校领导参阅）.

Forms (pattern names):
- ``phrase``: a marking phrase; it counts where it is PLACED (alone on a line, opening a line, closing a title
  line) or self-referential (此件…); inside prose it is a mention (严禁将内部资料上传…, 内部资料的管理).
- ``star``: 内部★ / 内部★1年.
- ``bare``: 内部 or 工作秘密 alone on a line.
- ``bracket``: a bracketed restriction note.
- ``selfref``: the text restricts itself (本方案仅供…会议讨论使用, 本通知不得外传, 以下是我单位内部资料).
"""
from __future__ import annotations

from typing import Any

import regex

from proxy.detection import bounded, cues
from proxy.detection.fragments import BL, PERIOD, SP, STAR
from proxy.detection.context import BLANK, locate, quoted
from proxy.detection.markings import Evidence, context_bonus, explained_below, place, place_reasons
from proxy.detection.recognizers.base import MarkingRecognizer, Verdict

_NOUNS = r"资料|文件|材料|刊物|参考(?:资料)?|发行|传阅|通报|简报|明电|工作底稿|底稿|讨论稿|使用|掌握"
_VERBS = r"翻印|复制|复印|外传|外泄|转发|扩散|上网|泄露|透露|传播|公开|截屏|截图|拍照|对外(?:公开|提供|透露|发布)"
_STRONG = (r"内部(?:资料|文件|材料|刊物|参考|发行|传阅|通报|简报|明电|工作底稿|讨论稿)|工作秘密|(?:商业|公司|企业)(?:秘密|机密)|此件|阅后|会后收回|"
           r"用后收回|不得翻印|仅[供限]内部|领导")
_STRONG_RX = bounded.compile(_STRONG)
_BR_IN = r"[^\n（）()【】\[\]〔〕]"
_SUBJECTS = r"件|文件|稿|材料|资料|报告|方案|通知|通报|纪要|名单|清单|专报|简报|函|表|记录|笔录|试卷|试题|文稿|底稿|数据"
_NEGATION = bounded.compile(r"不是|并非|不属于|非")
_COPYRIGHT = bounded.compile(r"未经|授权|许可|版权|转载")


class CnWorkSecretRecognizer(MarkingRecognizer):
    ENTITY_CATEGORIES = {"CN_INTERNAL_MARKING": "internal_marking"}
    PATTERNS = (
        ("phrase", rf"内部(?:{_NOUNS})(?:{SP}注意保[存密])?|工作秘密|此件不[得予宜]?(?:{_VERBS})|"
                   r"[阅会用]后(?:收回|退回|销毁|即焚|归还|交回|删除)|注意保[密存]|不对外公开|(?:商业|公司|企业)(?:秘密|机密)|"
                   rf"(?:不得|严禁|禁止|请勿|切勿|不准)(?:{_VERBS})|仅[供限]内部(?:参考|使用|参阅|传阅|学习|掌握)?|"
                   r"只限内部|仅供[^\n，。；]{0,8}?领导[^\n，。；]{0,4}?参阅", 0),
        ("star", rf"(?<!公司|单位|机关|学校|系统)内{SP}部{SP}{STAR}{{1,3}}{SP}(?:{PERIOD})?", 0),
        ("bare", rf"(?<=^|{BL}|[【\[（(「『“\"'〔])(?:内{SP}部|工作秘密)(?=(?:{BL}|[】\]）)」』”\"'〕])*(?:$|{BL}))",
         regex.MULTILINE),
        ("bracket", rf"[（(【\[〔]{SP}(?:内部(?:(?:{_NOUNS}){_BR_IN}{{0,6}})?|"
                    rf"{_BR_IN}{{0,12}}?(?:严禁|不得|请勿|切勿|禁止|不准)(?:对外)?(?:{_VERBS}){_BR_IN}{{0,4}}|"
                    rf"{_BR_IN}{{0,10}}?(?:领导|内部){_BR_IN}{{0,4}}?参阅|仅?供参阅|注意保[密存]|阅后收回|"
                    rf"此件不[得予宜]?公开|不予公开|不宜公开|暂不公开|不对外公开|不公开|工作秘密|(?:商业|公司|企业)(?:秘密|机密)){SP}[）)】\]〕]", 0),
        ("selfref", rf"(?:本|此)(?:{_SUBJECTS})(?P<gap>[^\n。；;！!？?]{{0,20}}?)(?:(?:不得|严禁|请勿|切勿|禁止|不准|不要|勿)"
                    rf"[^\n。；;，,]{{0,8}}?(?:{_VERBS})|仅[供限][^\n。；;]{{0,24}}?(?:内部|领导|会议|讨论|参阅|传阅|掌握|"
                    r"常委|党委|党组|书记|工作人员)[^\n。；;]{0,8}?(?:使用|参阅|参考|阅|讨论|传阅|掌握)(?:使用|参考)?)|"
                    r"(?:这|以下|下面|下列|附件)(?:份|篇|段|些|个)?(?:内容|材料|文字|文件)?(?:是|为|属于)(?P<gap2>[^\n。，,；]{0,12}?)"
                    r"(?:内部(?:资料|文件|材料)|工作秘密)", 0),
    )

    def judge(self, text: str, m: regex.Match, pattern: str, state: Any) -> Verdict | None:
        return getattr(self, "_" + pattern)(text, m)

    def _phrase(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        if cues.mention_zh(site.before, site.after):
            return None
        p = place(site)
        if (quoted(site) or p.question) and not p.standalone:
            return None
        phrase = m.group(0)
        if p.standalone and not p.doc and explained_below(p, phrase[:4]):
            return None
        strong = bool(bounded.match(_STRONG_RX, phrase, "cn_work_secret.strong"))
        closes_line = (not p.line_start and site.after_blank() and bool(site.before)
                       and site.before[-1] in BLANK + "）)】]")
        if p.standalone:
            ev = Evidence(0.85, "internal marking alone on its line")
        elif p.line_start and p.sep_after:
            ev = Evidence(0.75, "internal marking opening its line")
        elif closes_line:
            ev = Evidence(0.75, "internal marking closing a title line")
        elif phrase.startswith("此件"):
            ev = Evidence(0.8, "此件… restriction on the text itself")
        elif p.line_start:
            return Verdict(0.4, "internal-marking phrase opening a sentence") if strong else None
        else:
            return None
        if not strong and not phrase.startswith("此件"):
            ev.add(-0.35, "weak phrase on its own (注意保密/不得外传…)")
            if p.head:
                ev.add(0.05, "at the head of the text")
            context_bonus(ev, p, 0.25)
            return Verdict(ev.final(), ev.why)
        place_reasons(ev, p)
        return Verdict(ev.final(), ev.why)

    def _star(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        if cues.mention_zh(site.before, site.after) or quoted(site):
            return None
        p = place(site)
        if p.line_start:
            ev = Evidence(0.85, "internal-with-★ marking"
                          + ("; alone on its line" if p.standalone else "; opens its line"))
            place_reasons(ev, p)
        elif p.segment_start:
            ev = Evidence(0.7, "internal-with-★ marking opening a pasted text inline")
        else:
            ev = Evidence(0.4, "internal-with-★ form inside a line")
        return Verdict(ev.final(), ev.why)

    def _bare(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        p = place(site)
        if not p.standalone or quoted(site) or p.example_lead:
            return None
        word = m.group(0).replace(" ", "").replace("\u3000", "")
        if not p.doc and explained_below(p, word):
            return None
        ev = Evidence(0.5, "bare internal-marking word alone on its line")
        if p.head:
            ev.add(0.15, "at the head of the text")
        if p.top_right:
            ev.add(0.05, "top-right layout")
        context_bonus(ev, p, 0.25)
        if p.cell_neighbour and not (p.doc or p.copy or p.urgency):
            ev.cap(0.45, "short lines around it (a table or list)")
        return Verdict(ev.final(), ev.why)

    def _bracket(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        if cues.mention_zh(site.before, site.after) or quoted(site):
            return None
        ev = Evidence(0.8, "bracketed restriction note")
        inner = m.group(0)[1:-1].strip(BLANK)
        if inner == "内部":
            ev.add(-0.1, "bare 内部")
        p = place(site, follow=False)
        if p.head:
            ev.add(0.05, "at the head of the text")
        if p.line_start or site.after_blank():
            ev.add(0.03, "at an end of its line")
        return Verdict(ev.final(), ev.why)

    def _selfref(self, text: str, m: regex.Match) -> Verdict | None:
        gap = (m.group("gap") or "") + (m.group("gap2") or "")
        if bounded.search(_NEGATION, gap, "cn_work_secret.negation"):
            return None
        if bounded.search(_COPYRIGHT, m.group(0), "cn_work_secret.copyright"):
            return None
        site = locate(text, m.start(), m.end())
        if quoted(site) or bounded.search(cues.BEFORE_ZH, site.before[-24:], "cn_work_secret.selfref_cue"):
            return None
        if m.group("gap2") is not None:
            return Verdict(0.7, "the text is declared internal material (以下是…内部资料)")
        if "仅" in m.group(0) and not any(v in m.group(0) for v in ("不得", "严禁", "请勿", "切勿", "禁止", "不准")):
            return Verdict(0.7, "the text restricts its own readership (本…仅供…)")
        return Verdict(0.8, "the text forbids its own disclosure (本…不得外传)")
