"""国家秘密 classification markings (GB/T 9704-2012 版头 密级和保密期限): 绝密 / 机密 / 秘密.

Forms (pattern names):
- ``stamp``: level + ★ + period (N年, N个月, 长期, a date, 启用前 …), also level + ★ only, and level + period
  with the ★ lost by OCR. Tolerates OCR/variant characters (宻, 機, 午 for 年, l/I for 1), look-alike stars,
  blanks around ★ and a few inserted symbols or invisible characters inside the level word.
- ``bare``: the level word alone on its line (older layouts, top-right).
- ``residual``: ★ + period alone on a line with the level word deleted or blacked out (■■★■年).
- ``field``: a 密级 field filled in (发文稿纸, 签报, forms): 密级：机密.
- ``selfref``: the text declares its own level in prose: 本件密级为机密级.

Mentions (机密级文件, 例如“秘密★3年”, 绝密、机密、秘密三级, quiz items, 原密级：秘密（已解密）) are dropped by
the shared judgement in ``proxy.detection.markings``.
"""
from __future__ import annotations

from typing import Any

import regex

from proxy.detection import bounded, cues
from proxy.detection.fragments import (BL, BLACKOUT, EVENT, GENERIC_EVENT, LEVEL, LEVEL_WORD, LSEP, PERIOD, SP,
                                       STAR)
from proxy.detection.context import BLANK, Site, locate, next_lines, prev_lines, quoted
from proxy.detection.markings import Evidence, context_bonus, explained_below, place, place_reasons
from proxy.detection.recognizers.base import MarkingRecognizer, Verdict

_TAG_CHARS = "【】[]「」『』〔〕（）()"
_OCR_CHARS = set("宻機絕祕午lI|")
#: a level+★ stamp (used to see whether neighbouring lines list OTHER levels: a table of examples)
_ANY_STAMP = bounded.compile(rf"(?P<level>{LEVEL_WORD}){SP}{STAR}")
_LEVEL_KEY = {"绝": "绝", "絕": "绝", "机": "机", "機": "机", "秘": "秘", "祕": "秘"}
_NEGATION = bounded.compile(r"不|非|未|无|没|否|解除|解密|并非")
_SELFREF_TOPIC = bounded.compile(
    r"^级?[^\n。，,]{0,6}?(?:管理|保护|解读|介绍|研究|办法|规定|制度|知识|培训|工作|要求|问题)")
_FIELD_UNDONE = bounded.compile(r"^[\s\u3000，,（(]*(?:已|经)?(?:解密|解除|降为|降低|变更为|调整为)|^[、/／|或和]")


def _level_score(level: str, strong: float, weak: float) -> float:
    return weak if level[0] in "秘祕" else strong


def _lists_other_levels(site: Site, level: str) -> bool:
    """Other levels' stamps on this line or the adjacent lines: a list of examples, not one document's mark."""
    key = _LEVEL_KEY[level[0]]
    near = [site.before, site.after, *prev_lines(site.text, site.line_start, 1),
            *next_lines(site.text, site.line_end, 1)]
    for chunk in near:
        for m in bounded.finditer(_ANY_STAMP, chunk, "cn_classification.siblings"):
            if _LEVEL_KEY[m.group("level")[0]] != key:
                return True
    return False


class CnClassificationRecognizer(MarkingRecognizer):
    ENTITY_CATEGORIES = {"CN_CLASSIFICATION_MARKING": "secret_marking"}
    PATTERNS = (
        ("stamp", rf"{LEVEL}{LSEP}(?:(?P<star>{STAR}{{1,3}}){SP}(?P<tail>{PERIOD}|{GENERIC_EVENT})?"
                  rf"|(?P<period>{PERIOD}))", 0),
        ("bare", rf"(?<=^|{BL}|[【\[（(「『“\"'〔])(?<!国家|商业|工作|军事|技术|经营|个人|核心)(?P<level>{LEVEL_WORD})"
                 rf"(?=(?:{BL}|[】\]）)」』”\"'〕])*(?:$|{BL})|[】\]」』〕])", regex.MULTILINE),
        ("residual", rf"(?<![密宻部]{SP})(?P<blackout>{BLACKOUT}{{1,8}}{SP})?{STAR}{{1,3}}{SP}(?:{PERIOD}|{EVENT})", 0),
        ("field", rf"(?:密{SP}级|保密等级|保密级别|秘密等级|密{SP}别)(?:{SP}和{SP}保密期限)?(?:{SP}[:：|｜\t]|{BL}{{1,8}})"
                  rf"{SP}[【\[（(「“]?{SP}{LEVEL}"
                  rf"(?:{SP}{STAR}{{1,3}}{SP}(?:{PERIOD}|{GENERIC_EVENT})?)?", 0),
        ("selfref", r"(?:(?:本|此)(?:件|文件|文|稿|材料|资料|报告|方案|通知|通报|纪要|名单|清单|专报|简报|函|页|表|记录|笔录|"
                    r"试卷|试题|内容|文稿|底稿)|(?P<deictic>(?:以下|下面|下列|附件)(?:这份|这段|这些|的)?(?:内容|材料|文件|文字|资料|"
                    r"报告|信息)?))的?(?P<gap>[^\n。；;，,！!？?]{0,8}?)(?<![认作成以称视])"
                    rf"(?:为|属于?|系|定为|列为|是|属){SP}[“\"「『]?{SP}(?:{LEVEL}|(?P<state>国家(?:秘密|机密)))", 0),
    )

    def judge(self, text: str, m: regex.Match, pattern: str, state: Any) -> Verdict | None:
        return getattr(self, "_" + pattern)(text, m)

    # -- forms -------------------------------------------------------------------------------------
    def _stamp(self, text: str, m: regex.Match) -> Verdict | None:
        star, tail, period = m.group("star"), m.group("tail"), m.group("period")
        if star and not tail and set(star) <= {"*", "＊"}:
            return self._bare(text, m)  # **机密** is markdown bold, not a star
        site = locate(text, m.start(), m.end())
        if cues.mention_zh(site.before, site.after):
            return None
        if _lists_other_levels(site, m.group("level")):
            return None
        p = place(site)
        is_quoted = quoted(site)
        if ((is_quoted or p.question) and not p.standalone) or p.declassified:
            return None
        if star and tail:
            form = "密级★保密期限 form"
            scores = (0.9, 0.75, 0.45)
        elif star:
            form = "密级★ form"
            scores = (0.8, 0.6, 0.35)
        else:
            form = "密级+保密期限 form without ★ (OCR)"
            scores = (0.8, 0.4, 0.0)
        if p.line_start:
            ev = Evidence(scores[0], form + ("; alone on its line" if p.standalone else "; opens its line"))
        elif p.segment_start:
            ev = Evidence(scores[1], form + "; opens a pasted text inline")
        else:
            ev = Evidence(scores[2], form + " inside a line")
        if ev.score <= 0:
            return None
        if _OCR_CHARS & set(m.group(0)):
            ev.reasons.append("OCR/variant characters tolerated")
        if p.line_start:
            place_reasons(ev, p)
        if is_quoted:
            ev.cap(0.6, "in quotation marks")
        if p.example_lead:
            ev.add(-0.2 if p.doc else -0.45, "previous line introduces an example")
        elif not p.doc and explained_below(p, _LEVEL_KEY[m.group("level")[0]] + "密"):
            ev.add(-0.45, "the following text explains it")
        return Verdict(ev.final(), ev.why)

    def _bare(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        p = place(site)
        inline_doc = p.line_start and site.after[:1] != "" and site.after[0] in BLANK and p.doc == "title"
        level = m.group("level")
        opener, closer = site.before.rstrip(BLANK)[-1:], site.after[:1]
        tag = p.line_start and bool(opener) and bool(closer) and closer in "】]」』〕" and opener in "【[「『〔"
        if not (p.standalone or inline_doc or tag) or quoted(site) or p.example_lead or p.declassified:
            return None
        if _lists_other_levels(site, level) or (not p.doc and explained_below(p, _LEVEL_KEY[level[0]] + "密")):
            return None
        if tag:
            ev = Evidence(_level_score(level, 0.7, 0.6), "bracketed 密级 tag opening its line")
        elif p.standalone:
            ev = Evidence(_level_score(level, 0.45, 0.35), "密级 word alone on its line")
        else:
            ev = Evidence(_level_score(level, 0.45, 0.35), "密级 word opening a title line")
        if p.head:
            ev.add(0.1, "at the head of the text")
        if p.top_right:
            ev.add(0.1, "top-right layout")
        plain = not tag and site.before_blank(_TAG_CHARS) and site.after_blank(_TAG_CHARS)
        if not context_bonus(ev, p, 0.35) and p.cell_neighbour and plain:
            ev.cap(0.45, "short lines around it (a table or list)")
        return Verdict(ev.final(), ev.why)

    def _residual(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        p = place(site)
        if not p.standalone or quoted(site) or p.example_lead or p.declassified:
            return None
        if m.group("blackout"):
            ev = Evidence(0.8, "★+保密期限 alone on its line with the 密级 word blacked out")
        else:
            ev = Evidence(0.65, "★+保密期限 alone on its line (密级 word missing)")
        place_reasons(ev, p, doc_bonus=0.1, head_bonus=0.05)
        return Verdict(ev.final(), ev.why)

    def _field(self, text: str, m: regex.Match) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        if cues.mention_zh(site.before, "") or quoted(site):
            return None
        if bounded.search(_FIELD_UNDONE, site.after[:16], "cn_classification.field_undone"):
            return None
        p = place(site)
        if p.declassified:
            return None
        ev = Evidence(0.9, "密级 field filled in")
        if not p.segment_start:
            ev.add(-0.1, "inside a line")
        place_reasons(ev, p)
        return Verdict(ev.final(), ev.why)

    def _selfref(self, text: str, m: regex.Match) -> Verdict | None:
        if bounded.search(_NEGATION, m.group("gap") or "", "cn_classification.negation"):
            return None
        site = locate(text, m.start(), m.end())
        if quoted(site) or bounded.search(cues.BEFORE_ZH, site.before[-24:], "cn_classification.selfref_cue"):
            return None
        if bounded.search(_SELFREF_TOPIC, site.after[:16], "cn_classification.selfref_topic"):
            return None
        if m.group("state"):
            ev = Evidence(0.75, "the text declares itself a state secret")
        else:
            ev = Evidence(0.85, "the text declares its own 密级 (本件密级为…)")
        if m.group("deictic"):
            ev.add(-0.15, "said of the pasted text (以下…)")
        if "保密期限" in site.after[:24]:
            ev.add(0.05, "with a 保密期限")
        return Verdict(ev.final(), ev.why)
