"""The MARKING vs MENTION judgement, shared by the marking recognizers.

A marking is *placed*: alone on its line (or opening it), near the head of a document or of a pasted
excerpt, next to its companions (份号, 特急/加急, other markings) and followed by a document (发文机关,
title, 发文字号, 主送机关). A mention is *embedded*: inside a sentence, in quotation marks, after an example
or label verb (例如, 标注, marked), before a noun or particle (级, 文件, 的, 字样, documents), in a quiz item.
``place()`` measures the placement; ``cues.mention_*`` find the syntax; recognizers weigh both into a score
with an :class:`Evidence` whose reasons become the finding's ``why`` (never the matched text).
"""
from __future__ import annotations

import functools

from proxy.detection import bounded, cues, docshape
from proxy.detection.context import BLANK, HEAD_LINES, Site, lines_after, lines_before, next_lines, prev_lines
from proxy.detection.fragments import LEVEL_WORD, PERIOD, STAR

#: what may share a line with a marking without making it prose: 份号, 紧急程度, other markings, draft tags
ZH_COMPANIONS = bounded.compile(
    r"[0-9Oo]{6}|第\s*[0-9Oo]{1,6}\s*份|份\s*号\s*[:：]?\s*[0-9Oo]{0,8}|[特加平]\s*急|"
    rf"密\s*级(?:和保密期限)?\s*[:：]?|保密期限\s*[:：]?|{STAR}+|{PERIOD}|{LEVEL_WORD}|工作秘密|"
    r"内部(?:资料|文件|材料|参考|传阅|刊物|发行|明电)?|注意保[密存]|阅后(?:收回|退回|销毁)|"
    r"会后收回|(?:不得|严禁|请勿)(?:翻印|复制|复印|外传|转发|扩散|上网)|此件不[得予宜]?公开|仅供内部(?:参考|使用|参阅)|"
    r"[（(【\[][\u4e00-\u9fff]{0,6}稿[）)】\]]|征求意见稿|讨论稿|送审稿|审理稿|初稿|"
    r"TOP\s+SECRET|SECRET|CONFIDENTIAL|RESTRICTED|FOUO|CUI|NOFORN|INTERNAL\s+USE\s+ONLY|"
    r"DO\s+NOT\s+(?:DISTRIBUTE|COPY|FORWARD)|COPY\s+\d+\s+OF\s+\d+|PAGE\s+\d+\s+OF\s+\d+|[0-9]{1,2}\s+YEARS")
DECLASSIFIED = bounded.compile(r"已解密|已经解密|已予解密|解除密级|原密级|原标注|(?i:declassified|approved\s+for\s+release)")
_PUNCT = "，,。.;；:：·•|/\\-—–_=~#【】[]（）()〔〕［］<>＜＞{}「」『』"
TOP_RIGHT_INDENT = 8


class Placement:
    """Where a match sits. Cheap features are computed at once; the ones that read neighbouring lines
    (``doc``, ``cell_neighbour``, ``example_lead``, ...) on first use."""

    def __init__(self, site: Site, companions, follow: bool) -> None:
        self.site = site
        self._follow = follow
        before_rest = "" if site.before_blank() else _strip(site.before, companions)
        after_rest = "" if site.after_blank() else _strip(site.after, companions)
        #: only blanks, brackets or companions before it on its line
        self.line_start = not site.before_cut and not before_rest
        #: ... and only blanks, brackets or companions after it
        self.standalone = self.line_start and not site.after_cut and not after_rest
        b = site.before.rstrip(BLANK)
        #: opens a pasted text inline: after a colon, or after a wide gap
        self.segment_start = self.line_start or b.endswith((":", "：")) or (len(site.before) - len(b) >= 2 and bool(b))
        a = site.after
        #: the line ends, or a blank/punctuation separates what follows
        self.sep_after = (not a) or a[0] in BLANK or a[0] in _PUNCT
        #: pushed right by a long run of blanks (older layouts put the marking top-right)
        self.top_right = self.line_start and len(site.before) - len(site.before.lstrip(BLANK)) >= TOP_RIGHT_INDENT
        line = site.line.rstrip(BLANK)
        #: its line is a question or a quiz item with a blank to fill
        self.question = line.endswith(("？", "?")) or "（\u3000）" in line or "（ ）" in line or "( )" in line

    @functools.cached_property
    def head(self) -> bool:
        """Among the first few non-blank lines of the text."""
        return lines_before(self.site.text, self.site.line_start) < HEAD_LINES

    @functools.cached_property
    def foot(self) -> bool:
        """Among the last few non-blank lines of the text."""
        return lines_after(self.site.text, self.site.line_end, 2) < 2

    @functools.cached_property
    def prev(self) -> tuple[str, ...]:
        """The previous non-blank lines, nearest first."""
        return tuple(prev_lines(self.site.text, self.site.line_start, 2))

    @functools.cached_property
    def following(self) -> tuple[str, ...]:
        """The next non-blank lines."""
        return tuple(next_lines(self.site.text, self.site.line_end, 4))

    @functools.cached_property
    def doc(self) -> str | None:
        """The 版头/opening shape that follows it (same line when it opens the line, or the next lines)."""
        if not self._follow:
            return None
        rest = self.site.after.strip(BLANK)
        return docshape.document_follows(([rest] if rest and self.line_start else []) + list(self.following))

    @functools.cached_property
    def copy(self) -> bool:
        """份号 on this or the previous line."""
        site = self.site
        return docshape.has_copy_number(site.before + " " + site.after) or any(
            docshape.has_copy_number(x) for x in self.prev[:1])

    @functools.cached_property
    def urgency(self) -> bool:
        """特急/加急 on this or a neighbouring line."""
        line = self.site.line
        return "特急" in line or "加急" in line or any(
            docshape.is_urgency(x) for x in self.prev[:1] + self.following[:1])

    @functools.cached_property
    def example_lead(self) -> bool:
        """The previous line introduces an example ("例如：", "Example banner:")."""
        return bool(self.prev) and cues.example_lead(self.prev[0])

    @functools.cached_property
    def cell_neighbour(self) -> bool:
        """An adjacent line is a short non-document cell (tables, word lists, poems)."""
        return any(_cellish(x) for x in self.prev[:1] + self.following[:1])

    @functools.cached_property
    def declassified(self) -> bool:
        """Its line says the marking was lifted (已解密, 原密级, DECLASSIFIED)."""
        return bool(bounded.search(DECLASSIFIED, self.site.line, "markings.declassified"))


def _strip(s: str, companions) -> str:
    if companions is not None and s.strip(BLANK + _PUNCT):
        s = companions.sub("", s, timeout=bounded.timeout("markings.companions"))
    return s.strip(BLANK + _PUNCT)


def _cellish(line: str) -> bool:
    return len(line.strip(BLANK + _PUNCT)) <= 6 and docshape.head_shape(line) is None


def explained_below(p: Placement, word: str, *, ignore_case: bool = False) -> bool:
    """The next lines talk about ``word`` (a heading defined in the text below it, not a marking)."""
    if ignore_case:
        word = word.lower()
        return any(word in x.lower() for x in p.following[:2])
    return any(word in x for x in p.following[:2])


def place(site: Site, companions=ZH_COMPANIONS, *, follow: bool = True) -> Placement:
    """Measure where ``site`` sits. ``follow`` also lets ``doc`` read the lines after it."""
    return Placement(site, companions, follow)


class Evidence:
    """A score built from reasons. ``why`` joins the reasons; it never contains matched text."""

    __slots__ = ("score", "reasons")

    def __init__(self, score: float, reason: str) -> None:
        self.score = score
        self.reasons = [reason]

    def add(self, delta: float, reason: str) -> "Evidence":
        self.score += delta
        self.reasons.append(reason)
        return self

    def cap(self, ceiling: float, reason: str) -> "Evidence":
        if self.score > ceiling:
            self.score = ceiling
        self.reasons.append(reason)
        return self

    @property
    def why(self) -> str:
        return "; ".join(self.reasons)

    def final(self) -> float:
        return max(0.0, min(0.99, round(self.score, 3)))


def place_reasons(ev: Evidence, p: Placement, *, doc_bonus: float = 0.05, head_bonus: float = 0.03) -> Evidence:
    """Common bonuses for a placed marking."""
    if p.head:
        ev.add(head_bonus, "at the head of the text")
    if p.top_right:
        ev.add(0.02, "top-right layout")
    if p.copy:
        ev.add(doc_bonus, "份号 (copy number) beside it")
    if p.urgency:
        ev.add(doc_bonus / 2, "紧急程度 beside it")
    if p.doc:
        ev.add(doc_bonus, f"followed by a document ({p.doc})")
    return ev


def context_bonus(ev: Evidence, p: Placement, weight: float) -> bool:
    """One bonus for a bare word that has a document's companions (份号, 紧急程度, a 版头 after it)."""
    ctx = [r for r, on in (("份号 beside it", p.copy), ("紧急程度 beside it", p.urgency),
                           (f"followed by a document ({p.doc})", bool(p.doc))) if on]
    if ctx:
        ev.add(weight, "; ".join(ctx))
    return bool(ctx)
