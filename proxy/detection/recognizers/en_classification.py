"""English classification and control markings: banner lines (TOP SECRET, SECRET//NOFORN, CONFIDENTIAL –
5 YEARS, RESTRICTED, //FOUO//, CUI, INTERNAL USE ONLY – DO NOT DISTRIBUTE, COMPANY CONFIDENTIAL), portion
marks ((S), (TS//NF), (C), (U//FOUO)) and self-declarations ("This document is classified SECRET").

Categories: classification levels (TOP SECRET, SECRET, CONFIDENTIAL, RESTRICTED) are ``secret_marking``
(entity EN_CLASSIFICATION_MARKING). Control / handling markings that are not classification levels (FOUO,
CUI, INTERNAL USE ONLY, COMPANY/STRICTLY CONFIDENTIAL, OFFICIAL-SENSITIVE, NOT FOR DISTRIBUTION) are
``internal_marking`` (entity EN_INTERNAL_MARKING), the counterpart of 工作秘密 / 内部. Both are blocked.

Banners are upper case and sit on a line of their own; the same words in prose ("this is confidential
between us", "Secret Santa", "documents marked SECRET", ``SECRET_KEY = os.environ[...]``) are mentions.
Title-case banners ("Strictly Confidential" atop a letter) score lower.
"""
from __future__ import annotations

from typing import Any

import regex

from proxy.detection import bounded, cues
from proxy.detection.context import locate, quoted
from proxy.detection.markings import Evidence, explained_below, place
from proxy.detection.recognizers.base import MarkingRecognizer, Verdict

_LEVELS = r"TOP[ \t]+SECRET|SECRET|CONFIDENTIAL|RESTRICTED"
_CONTROLS = (r"(?:FOR[ \t]+|LIMITED[ \t]+)?OFFICIAL[ \t]+USE(?:[ \t]+ONLY)?|HIGHLY[ \t]+CONFIDENTIAL|"
             r"(?:FOR[ \t]+YOUR[ \t]+)?EYES[ \t]+ONLY|FOUO|CUI|CONTROLLED[ \t]+UNCLASSIFIED[ \t]+INFORMATION|"
             r"(?:FOR[ \t]+)?INTERNAL[ \t]+USE[ \t]+ONLY|INTERNAL[ \t]+ONLY|PRIVATE[ \t]+(?:AND|&)[ \t]+CONFIDENTIAL|"
             r"COMPANY[ \t]+CONFIDENTIAL|STRICTLY[ \t]+CONFIDENTIAL|BUSINESS[ \t]+CONFIDENTIAL|"
             r"COMMERCIAL[ \t-]+IN[ \t-]+CONFIDENCE|PROPRIETARY[ \t]+(?:AND|&)[ \t]+CONFIDENTIAL|"
             r"SENSITIVE[ \t]+BUT[ \t]+UNCLASSIFIED|LAW[ \t]+ENFORCEMENT[ \t]+SENSITIVE|OFFICIAL[ \t-]+SENSITIVE|"
             r"NOT[ \t]+FOR[ \t]+(?:PUBLIC[ \t]+)?(?:RELEASE|DISTRIBUTION|CIRCULATION)")
_CAVEAT = (r"(?:[ \t]*//[ \t]*[A-Z][A-Z0-9\-]{0,11}(?:[ \t]+TO[ \t]+[A-Z]{2,4}(?:[ \t]*,[ \t]*[A-Z]{2,4}){0,8})?"
           r"(?:/[A-Z]{1,6}){0,4})")
_ACRONYMS = {"FOUO", "CUI"}
_LIST_NEXT = bounded.compile(r"[ \t]*(?:,|/|;|\bor\b|\band\b|\|)", regex.IGNORECASE)
_LEVEL_LINE = bounded.compile(rf"\W*(?i:{_LEVELS}|UNCLASSIFIED|{_CONTROLS})\W*")
_DOC_WORDS = bounded.compile(
    r"^\s*(?:MEMORANDUM|MEMO|REPORT|BRIEFING|MINUTES|PLAN|DOCUMENT|DRAFT|ANNEX|APPENDIX|ATTACHMENT|CABLE|"
    r"ASSESSMENT|SUMMARY|NOTICE)\b")
EN_COMPANIONS = bounded.compile(
    r"TOP\s+SECRET|SECRET|CONFIDENTIAL|RESTRICTED|UNCLASSIFIED|FOUO|CUI|NOFORN|ORCON|RELIDO|PROPIN|IMCON|FVEY|"
    r"NATO|COSMIC|"
    r"(?:[A-Z]+\s+)?EYES\s+ONLY|"
    r"REL\s+TO\s+[A-Z, ]{2,40}|SCI|INTERNAL\s+USE\s+ONLY|FOR\s+OFFICIAL\s+USE\s+ONLY|"
    r"DO\s+NOT\s+(?:DISTRIBUTE|COPY|FORWARD|DISCLOSE|SHARE)|"
    r"NOT\s+FOR\s+(?:PUBLIC\s+)?(?:RELEASE|DISTRIBUTION|CIRCULATION)|"
    r"DRAFT|COPY\s+\d+\s+OF\s+\d+|PAGE\s+\d+\s+OF\s+\d+|\d{1,2}\s+(?:YEARS?|MONTHS?)|UNTIL\s+[A-Z0-9 ,]{4,20}|"
    r"DECLASSIFY\s+ON:?\s*[A-Z0-9 ,\-]{0,20}|"
    r"\b[A-Z]{1,2}\b")
_PORTION_LINE = bounded.compile(r"(?m)^[ \t]*\((?:TS|S|C|R|U|CUI|FOUO)(?://[A-Z][A-Z0-9 ,/\-]{0,40})?\)[ \t]+\S")
_ENUM_LINE = bounded.compile(r"(?m)^[ \t]*\([ABD-HJ-Q]\)[ \t]+\S")
_SELF_STRONG = {"top secret": 0.85, "secret": 0.85, "classified": 0.8, "restricted": 0.8}


def _kind(token: str) -> str:
    t = " ".join(token.upper().split())
    if t in ("TOP SECRET", "SECRET", "CONFIDENTIAL", "RESTRICTED"):
        return "EN_CLASSIFICATION_MARKING"
    return "EN_INTERNAL_MARKING"


class EnClassificationRecognizer(MarkingRecognizer):
    ENTITY_CATEGORIES = {"EN_CLASSIFICATION_MARKING": "secret_marking", "EN_INTERNAL_MARKING": "internal_marking"}
    PATTERNS = (
        ("banner", rf"(?<![A-Za-z0-9_])(?P<tok>(?i:{_CONTROLS}|{_LEVELS}))"
                   rf"(?P<cav>{_CAVEAT}{{0,6}})(?![A-Za-z0-9_])", 0),
        ("portion", r"(?<=^[ \t]{0,8})\((?P<pm>TS|S|C|R|U|CUI|FOUO)(?P<pcav>//[A-Z][A-Z0-9 ,/\-]{0,40})?\)"
                    r"(?=[ \t]+\S)", regex.MULTILINE),
        ("field", rf"(?i:\b(?:(?:security[ \t]+)?classification|sensitivity(?:[ \t]+label)?|protective[ \t]+marking|"
                  rf"handling(?:[ \t]+caveats?)?|marking))[ \t]*[:：][ \t]*"
                  rf"(?P<tok>(?i:{_CONTROLS}|{_LEVELS}|INTERNAL(?:[ \t]+ONLY)?))"
                  rf"(?P<cav>{_CAVEAT}{{0,6}})(?![A-Za-z0-9_])", 0),
        ("selfref", r"(?i:\bthis\s+(?:document|file|memo(?:randum)?|report|e-?mail|message|material|briefing|paper|"
                    r"plan|page|attachment|presentation|deck|information|minutes|record)\s+(?:is|has\s+been|was)\s+"
                    r"(?P<verb>(?:classified|marked|designated|labell?ed|graded)\s+(?:as\s+)?)?"
                    r"(?P<lvl>top\s+secret|secret|classified|restricted|for\s+internal\s+use\s+only|"
                    r"internal\s+use\s+only|for\s+official\s+use\s+only|strictly\s+confidential|confidential|internal))"
                    r"(?![A-Za-z])", 0),
    )

    def prepare(self, text: str) -> dict[str, Any]:
        return {}  # filled lazily (portion-mark statistics are only needed when a portion mark is seen)

    def judge(self, text: str, m: regex.Match, pattern: str, state: Any) -> Verdict | None:
        return getattr(self, "_" + pattern)(text, m, state)

    def _banner(self, text: str, m: regex.Match, state: dict) -> Verdict | None:
        tok = m.group("tok")
        upper = tok.isupper()
        if not upper and " ".join(tok.upper().split()) in _ACRONYMS:
            return None
        site = locate(text, m.start(), m.end())
        if not upper and not (site.before_blank("/-–—=*#_|:[]()") and site.after_blank("/-–—=*#_|:.[]()!")):
            return None  # mixed-case words count only as a line of their own
        entity = _kind(tok)
        p = place(site, EN_COMPANIONS, follow=False)
        if p.declassified:
            return None
        caveats = bool(m.group("cav")) or site.before.endswith("//")
        if p.standalone:
            ev = Evidence(0.85, "banner line" + (" with dissemination caveats" if caveats else ""))
            if caveats:
                ev.add(0.05, "caveats")
            if p.head or p.foot:
                ev.add(0.05, "at the head or foot of the text")
            if (p.head or p.foot) and text.count(tok, 0, 4000) + text.count(tok, max(4000, len(text) - 4000)) >= 2:
                ev.add(0.03, "repeated banner")
            if quoted(site):
                ev.cap(0.45, "in quotation marks")
            if p.example_lead:
                ev.cap(0.45, "previous line introduces an example")
            if not caveats:
                near = p.prev[:1] + p.following[:1]
                if any(bounded.fullmatch(_LEVEL_LINE, x, "en_classification.siblings") for x in near):
                    return None  # a list of levels
                if explained_below(p, " ".join(tok.split()), ignore_case=True):
                    ev.cap(0.45, "the following text explains it")
                elif p.cell_neighbour and not upper:
                    ev.cap(0.45, "short lines around it (a table or list)")
            if not upper:
                ev.cap(0.6 if "use only" in tok.lower() else 0.45, "not in upper case")
            return Verdict(ev.final(), ev.why, entity)
        if not upper or quoted(site) or cues.mention_en(site.before, site.after):
            return None
        if p.line_start:
            if caveats:
                return Verdict(0.85, "classification with caveats opening its line", entity)
            if bounded.match(_DOC_WORDS, site.after, "en_classification.doc_words"):
                return Verdict(0.75, "banner word heading a document title", entity)
            if site.after.lstrip()[:1] in (":", "–", "—", "-"):
                return Verdict(0.65, "banner word labelling its line", entity)
            return None
        if caveats:
            return Verdict(0.8, "classification with dissemination caveats inside a line", entity)
        return None

    def _field(self, text: str, m: regex.Match, state: dict) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        if quoted(site) or bounded.match(_LIST_NEXT, site.after, "en_classification.field_list"):
            return None
        if bounded.search(cues.BEFORE_EN, site.before[-40:], "en_classification.field_cue"):
            return None
        tok = m.group("tok")
        entity = _kind(tok)
        if tok.isupper():
            return Verdict(0.85, "classification field filled in", entity)
        return Verdict(0.7, "classification / sensitivity label field", entity)

    def _portion(self, text: str, m: regex.Match, state: dict) -> Verdict | None:
        pm, pcav = m.group("pm"), m.group("pcav")
        if pm == "U" and not pcav:
            return None
        entity = "EN_INTERNAL_MARKING" if pm in ("CUI", "FOUO") or (pm == "U" and pcav) else "EN_CLASSIFICATION_MARKING"
        if pcav:
            return Verdict(0.9, "portion mark with caveats", entity)
        if pm in ("TS", "CUI", "FOUO"):
            return Verdict(0.8, "portion mark", entity)
        if "portions" not in state:
            state["portions"] = sum(1 for _ in bounded.finditer(_PORTION_LINE, text, "en_classification.portions"))
            state["enum"] = bounded.search(_ENUM_LINE, text, "en_classification.enum") is not None
        if state["enum"] or state["portions"] < 2:
            return None  # (C) in an (A) (B) (C) list, or a lone (S)
        return Verdict(0.75, "portion mark in a portion-marked text", entity)

    def _selfref(self, text: str, m: regex.Match, state: dict) -> Verdict | None:
        site = locate(text, m.start(), m.end())
        sentence_end = site.after.split(".")[0]
        if quoted(site) or "?" in sentence_end or bounded.search(cues.HYPOTHETICAL_EN, site.before[-24:],
                                                                 "en_classification.hypothetical"):
            return None
        lvl = " ".join(m.group("lvl").lower().split())
        verb = bool(m.group("verb"))
        if lvl == "confidential" and verb and not m.group("verb").lower().startswith("label"):
            entity, score = "EN_CLASSIFICATION_MARKING", 0.8
        elif lvl in _SELF_STRONG:
            entity, score = "EN_CLASSIFICATION_MARKING", _SELF_STRONG[lvl] if (verb or lvl == "classified") else 0.6
        elif "use only" in lvl:
            entity, score = "EN_INTERNAL_MARKING", 0.75 if verb else 0.7
        else:
            entity, score = "EN_INTERNAL_MARKING", 0.7 if verb else 0.45
        return Verdict(score, "the text declares its own classification or handling restriction", entity)
