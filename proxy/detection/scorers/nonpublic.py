"""Non-public CONTENT without a marking: weighted lexicon evidence per theme, weighed against context.

A text whose marking was cut off still reads like what it is: a case file (立案审查, 留置, 谈话笔录, 建议给予…
处分), an inspection draft, a candidate list with votes, a petition record naming the reporter, a force
deployment, an exam before use, figures before release - and it often says so itself (严格控制知悉范围, 公示前
请勿外传, not to be disclosed until the announcement). Writing ABOUT such things (a published bulletin, news, a
lesson, a quiz, a public procurement notice, a novel) uses many of the same words. Evidence, per text:

1. **Theme terms** (``lexicons/nonpublic/<theme>.txt``, weighted, Chinese and English): summed over distinct
   terms (a repeated term adds 25% per repeat, at most 1.5x its weight) inside the densest window of
   :attr:`WINDOW` characters, so a long text does not accumulate scattered words (density normalisation).
   Theme-specific features add to it: a question/answer transcript (discipline), an exam-paper layout or an
   exam still to come (exam), a named or reachable reporter (whistleblower; without one the theme counts 0.6x).
2. **What the text says about itself**: ``process`` cues (drafts, proposals, 拟/建议/初步, 请批示, 待…审定) and
   ``restriction`` cues (lexicon phrases; any negation + disclosure verb in one clause: 不得/请勿/暂不… + 透露/
   外传/公布/提及…, not/never … disclosed/told/shared…; …前 after a release event when it annotates a title or
   sits with an instruction). A restriction that is a general rule (任何人不得…) is dropped or discounted; one
   that refers to this material (以上/本/名单/结果/尚未…/…前 near it) gets a bonus. For the ``unreleased`` theme
   restrictions ARE the topic: material that declares itself unreleased is that, whatever it is about.
3. **Specific details** (trigger terms + number scan): named persons (举报人：…, 副局长段文博, …同志, …，男，,
   a name in a table cell, Dr. …), phone, ID and staff numbers, coordinates, amounts, counts, percentages,
   dates. Theme terms in generic prose without any of them count 0.7x (up to 1.0x with details).
4. **Counter-evidence**: ``public`` (published/announced, news, notices, bulletins, judgments, anonymised names
   某某, sanctions reported as decided: 受到…处分, 据…报道, 经…批准), ``training`` (lessons, Q&A, rules,
   essays about a topic) and ``fiction`` (novels, drama, 第N章).

Per theme: ``raw = topic * specificity + process + restriction + 0.3 * other themes``,
``adjusted = raw * exp(-0.3 * counter)``, ``score = 1 - exp(-adjusted / TAU)`` (diminishing returns, capped at
0.95). One finding per theme whose score reaches :attr:`EMIT`; the default policy blocks at 0.7. The span is
the densest window's first to last theme term (or the restriction phrases); ``why`` names the theme and the
kinds of evidence, never the words. ``evaluate()`` returns the per-theme numbers for tests and explanations.
"""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from presidio_analyzer import RecognizerResult

from proxy.detection.scorers import lexicon as lexmod
from proxy.detection.scorers.nonpublic_features import TRIGGERS, Features, features, is_name, scoped, surnames
from proxy.detection.scorers.nonpublic_themes import CUES, THEMES, _group, _Group

__all__ = ["CATEGORY", "CUES", "ENTITY", "THEMES", "TRIGGERS", "Features", "NonpublicContentScorer", "features",
           "is_name", "scoped", "surnames"]

ENTITY = "CN_NONPUBLIC_CONTENT"
CATEGORY = "nonpublic_content"


class NonpublicContentScorer:
    """Document-level scorer: one ``nonpublic_content`` finding per theme that crosses :attr:`EMIT`."""

    name = "NonpublicContentScorer"
    ENTITY = ENTITY
    CATEGORY = CATEGORY
    #: density window (characters)
    WINDOW = 1200
    #: least theme evidence (sum of weights) before a theme is scored at all
    MIN_TOPIC = 2.0
    #: saturation constant: adjusted evidence 5 -> 0.70, 8 -> 0.85
    TAU = 4.2
    #: findings below this score are not reported
    EMIT = 0.4
    #: other themes' evidence in the same text supports a theme (a case file about a petition, …)
    SUPPORT = 0.3
    SUPPORT_CAP = 4.0
    #: factor on 信访举报 evidence when no person is named or reachable
    NO_REPORTER = 0.6
    #: bonus for a restriction that refers to this very material
    SELF_SCOPE = 1.5
    CAPS = {"process": 3.0, "restriction": 5.0, "public": 5.0, "training": 4.0, "fiction": 4.0}
    #: beyond this length, cues are read around the densest window (and in the head) only
    LONG = 6000

    def __init__(self, lexicon: str = "nonpublic") -> None:
        self.lexicon = lexmod.load(lexicon, tuple((t, 1.0, g) for g, terms in TRIGGERS.items() for t in terms))
        missing = (set(THEMES) | set(CUES)) - self.lexicon.groups
        if missing:
            raise ValueError(f"lexicon {lexicon!r} lacks groups {sorted(missing)}")

    # -- evidence ---------------------------------------------------------------------------------------
    def _groups(self, text: str) -> tuple[dict[str, _Group], Any]:
        hits = self.lexicon.find(text, "nonpublic.lexicon")
        ents = self.lexicon.entries
        groups: dict[str, _Group] = {}
        for s, e, i in zip(hits.starts, hits.ends, hits.entries):
            for g, w in ents[i].senses:
                if w <= 0:
                    continue
                if g == "restriction":
                    if "任何" in text[max(0, s - 12):s]:
                        w *= 0.3  # a general rule (任何单位和个人不得…), not an instruction about this text
                    elif scoped(text, s):
                        _group(groups, "_self_scope").add(s, e, i, 1.0)
                _group(groups, g).add(s, e, i, w)
        return groups, hits.triggers

    def _cues(self, groups: dict[str, _Group], feats: Features, lo: int, hi: int | None) -> dict[str, float]:
        cue = {}
        for c in CUES:
            cg = groups.get(c)
            v = cg.total(lo, hi) if cg else 0.0
            if lo > 0 and cg:
                v = max(v, cg.total(0, 300))
            if c == "process":
                v += feats.pending
            elif c == "restriction":
                v = max(v, feats.restrict) + feats.prerelease
                if v and (feats.self_scope or "_self_scope" in groups):
                    v += self.SELF_SCOPE
            cue[c] = min(v, self.CAPS[c])
        return cue

    def evaluate(self, text: str) -> list[dict[str, Any]]:
        """Per-theme evidence (for tests and ``--explain``): theme, score, span, evidence kinds."""
        groups, triggers = self._groups(text)
        dense: dict[str, tuple[float, int, int]] = {t: groups[t].densest(self.WINDOW) for t in THEMES if t in groups}
        restraints = [(s, e) for s, e, g in triggers if g in ("_restrict", "_en_restrict", "_before")]
        if "restriction" in groups:
            rg = groups["restriction"]
            restraints += list(zip(rg.pos, rg.end))
        if restraints and "unreleased" not in dense:
            # material that says it is not released yet is "unreleased" whatever its topic
            dense["unreleased"] = (0.0, min(s for s, _ in restraints), max(e for _, e in restraints))
        if not dense:
            return []
        topics = {t: v[0] for t, v in dense.items() if v[0] >= self.MIN_TOPIC}
        feats = features(text, triggers)
        out = []
        cues_all: dict[str, float] = {}
        for theme, label in THEMES.items():
            if theme not in dense:
                continue
            topic, i0, i1 = dense[theme]
            if theme in groups:
                g = groups[theme]
                start, end = g.pos[i0], g.end[i1]
            else:
                start, end = i0, i1
            kinds = [label]
            if theme == "discipline" and feats.transcript:
                topic += 2.0
                kinds.append("question/answer transcript")
            specificity = feats.specificity
            if theme == "exam":
                if feats.exam_paper:
                    topic += 1.5
                    specificity += 2.0  # an exam paper is specific by itself
                    kinds.append("exam-paper layout")
                if feats.exam_upcoming:
                    topic += 1.5
                    kinds.append("exam still to come")
            if theme == "whistleblower" and feats.identity:
                topic += 2.0  # the kind is defined by the reporter being identifiable
                specificity = max(specificity, 2.0)
            if theme == "whistleblower" and not feats.identity:
                topic *= self.NO_REPORTER  # a petition record that names nobody is much less sensitive
            if theme != "unreleased" and topic < self.MIN_TOPIC:
                continue
            if len(text) > self.LONG:
                lo, hi = max(0, start - self.WINDOW), end + self.WINDOW
            else:
                lo, hi = 0, None
            cue = cues_all if lo == 0 and hi is None and cues_all else self._cues(groups, feats, lo, hi)
            if lo == 0 and hi is None:
                cues_all = cue
            restriction = cue["restriction"]
            if theme == "unreleased" and topic < 1.0 and not (
                    feats.specificity >= 0.4 or cue["process"] >= 1.0 or topics.keys() - {"unreleased"}):
                continue  # "先别外传" in a chat about a party: no material to speak of
            if topic + (restriction if theme == "unreleased" else 0.0) < self.MIN_TOPIC:
                continue
            support = min(self.SUPPORT_CAP, sum(min(t, 3.0) for u, t in topics.items() if u != theme))
            spec = 0.7 + 0.15 * min(specificity, 2.0)
            # what the text is about is discounted when it names nothing specific; what it says about itself
            # (a draft, a proposal, "do not disclose before …") is not
            raw = topic * spec + cue["process"] + restriction + self.SUPPORT * support
            counter = (min(cue["public"] + feats.public, self.CAPS["public"]) + cue["training"]
                       + min(cue["fiction"] + feats.fiction, self.CAPS["fiction"]))
            adjusted = raw * math.exp(-0.3 * counter)
            score = min(0.95, 1.0 - math.exp(-adjusted / self.TAU))
            if cue["process"] >= 1:
                kinds.append("internal-deliberation/draft cues")
            if cue["restriction"] >= 1:
                kinds.append("disclosure-restriction cues")
            if support >= 1:
                kinds.append("other non-public themes")
            if feats.identity:
                kinds.append("named or reachable persons")
            elif feats.specificity >= 1:
                kinds.append("specific figures")
            if counter >= 1:
                kinds.append("discounted: " + ", ".join(
                    n for n, v in (("published/news", cue["public"] + feats.public), ("training/explainer",
                                   cue["training"]), ("fiction", cue["fiction"] + feats.fiction)) if v > 0))
            out.append({"theme": theme, "score": round(score, 3), "start": start, "end": end, "topic": topic,
                        "process": cue["process"], "restriction": cue["restriction"],
                        "specificity": feats.specificity, "counter": counter, "why": "; ".join(kinds)})
        return out

    def score(self, text: str, results: Sequence[Any]) -> list[RecognizerResult]:
        out = []
        for ev in self.evaluate(text):
            if ev["score"] < self.EMIT:
                continue
            out.append(RecognizerResult(
                entity_type=self.ENTITY, start=ev["start"], end=ev["end"], score=ev["score"],
                recognition_metadata={RecognizerResult.RECOGNIZER_NAME_KEY: self.name, "category": self.CATEGORY,
                                      "why": "non-public content: " + ev["why"], "theme": ev["theme"]}))
        return out
