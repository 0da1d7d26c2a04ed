"""Combine weak 公文 structure with other evidence into one ``official_document`` finding.

Inputs (the results of the recognizers and of the scorers that ran before this one):

* 公文 structure elements of :class:`~proxy.detection.recognizers.cn_official_structure.CnOfficialStructureRecognizer`
  (``recognition_metadata["element"]``), each weak;
* ``nonpublic_content`` findings (:class:`~proxy.detection.scorers.nonpublic.NonpublicContentScorer`, run it first);
* marking findings (``secret_marking`` / ``internal_marking``) of any score from 0.3: a weak one (a bare 秘密 line,
  a bracketed draft note) is a redacted-marking signal here.

Rules (score; the default policy blocks ``official_document`` at 0.7):

1. **Secret-document signal + frame**: a signal that a controlled copy was stripped of its marking (份号, an
   empty or covered 密级 field, a blacked-out head line, restricted distribution 此件发至…, a weak marking) and
   at least one other frame element (发文字号, 签发人, 紧急程度, 主送, 印发 line, 共印N份, form fields, …):
   0.75, +0.04 per further element (at most 0.9).
2. **Frame + non-public content**: at least one frame element and a non-public content finding of score ``C``:
   with a secret-document signal, or two frame elements, or ``C >= 0.55``:
   ``max(C, 0.72 + 0.5 * (C - 0.4))`` (at most 0.95). Structure lifts content that is weak on its own.
3. Otherwise the structure stays weak: ``1 - prod(1 - s)`` over the elements, capped at 0.5 (reported from
   0.3, for reviewers; never blocks).

A public-release marker (此件公开发布, 主动公开, 依申请公开, 政府信息公开, 密级：公开) caps the result at 0.6:
a published 公文 has the same frame. Content that is non-public on its own still blocks through its own finding.
"""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from presidio_analyzer import RecognizerResult

from proxy.detection.recognizers.cn_official_structure import ELEMENT_KEY, ELEMENTS

ENTITY = "CN_OFFICIAL_DOCUMENT"
CATEGORY = "official_document"

#: elements that say "a controlled copy whose marking was removed"
SECRET_SIGNALS = ("copy_number", "blank_classification", "redacted_head", "distribution")
#: elements of the 公文 frame (title, 附件 and contact lines are too common to count)
FRAME = ("doc_number", "signer", "urgency", "addressee", "cc", "issue_line", "print_run", "issuer_header",
         "form_header", "form_field", "request_closing", "minutes", "draft", "distribution")
MARKING_CATEGORIES = ("secret_marking", "internal_marking")


class OfficialDocumentScorer:
    name = "OfficialDocumentScorer"
    ENTITY = ENTITY
    CATEGORY = CATEGORY
    STRONG = 0.75
    WEAK_CAP = 0.5
    PUBLIC_CAP = 0.6
    EMIT = 0.3

    def score(self, text: str, results: Sequence[Any]) -> list[RecognizerResult]:
        elements: dict[str, tuple[float, int, int]] = {}
        content: RecognizerResult | None = None
        marking: RecognizerResult | None = None
        for r in results:
            meta = r.recognition_metadata or {}
            el = meta.get(ELEMENT_KEY)
            if el is not None:
                old = elements.get(el)
                elements[el] = (max(r.score, old[0]), min(r.start, old[1]), max(r.end, old[2])) if old else (
                    r.score, r.start, r.end)
            elif meta.get("category") == "nonpublic_content":
                if content is None or r.score > content.score:
                    content = r
            elif meta.get("category") in MARKING_CATEGORIES and r.score >= 0.3:
                if marking is None or r.score > marking.score:
                    marking = r
        if not elements:
            return []
        public = "public_release" in elements
        signals = [e for e in SECRET_SIGNALS if e in elements]
        if marking is not None:
            signals.append("weak marking")
        frame = [e for e in FRAME if e in elements and e not in signals]
        reasons: list[str] = []
        score = 0.0
        if signals and frame:
            score = min(0.9, self.STRONG + 0.04 * (len(frame) - 1 + len(signals) - 1))
            reasons.append("marking removed from a controlled copy: " + ", ".join(_label(e) for e in signals))
        c = content.score if content is not None else 0.0
        if content is not None and (frame or signals) and (signals or len(frame) >= 2 or c >= 0.55):
            combined = min(0.95, max(c, 0.72 + 0.5 * (c - 0.4)))
            if combined > score:
                score = combined
            reasons.append("non-public content (" + str((content.recognition_metadata or {}).get("theme", "?")) + ")")
        if score == 0.0:
            prod = 1.0
            for e, (s, _, _) in elements.items():
                if e != "public_release":
                    prod *= 1.0 - s
            score = min(self.WEAK_CAP, 1.0 - prod)
            reasons.append("公文 structure only (weak)")
        if public and score > self.PUBLIC_CAP:
            score = self.PUBLIC_CAP
            reasons.append("capped: public-release marker")
        if score < self.EMIT:
            return []
        spans = [(s, e) for el, (_, s, e) in elements.items() if el != "public_release"]
        if content is not None and score >= self.STRONG:
            spans.append((content.start, content.end))
        if not spans:
            return []
        start, end = min(s for s, _ in spans), max(e for _, e in spans)
        kinds = ", ".join(_label(e) for e in elements if e != "public_release")
        why = "公文 structure (" + kinds + "); " + "; ".join(reasons)
        return [RecognizerResult(entity_type=self.ENTITY, start=start, end=end, score=round(score, 3),
                                 recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                                                       "category": self.CATEGORY, "why": why})]


def _label(element: str) -> str:
    return ELEMENTS[element][1] if element in ELEMENTS else element
