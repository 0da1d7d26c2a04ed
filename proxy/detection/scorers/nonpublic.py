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

import bisect
import functools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from presidio_analyzer import RecognizerResult

from proxy.detection import bounded
from proxy.detection.errors import RegexTimeout
from proxy.detection.scorers import lexicon as lexmod

ENTITY = "CN_NONPUBLIC_CONTENT"
CATEGORY = "nonpublic_content"

#: theme -> label used in ``why``
THEMES: dict[str, str] = {
    "discipline": "纪律审查/案件 (discipline or enforcement case material)",
    "inspection": "巡视巡察 (inspection findings/drafts)",
    "personnel": "干部选拔 (cadre selection/personnel decisions)",
    "whistleblower": "信访举报 (reporter-identifying petition/report)",
    "defence": "国防军事 (defence/military details)",
    "security": "安保维稳 (security operations/stability control)",
    "exam": "考试试题 (exam material before use)",
    "unreleased": "未发布 (material not yet released: figures, policies, bids, decisions)",
    "incident": "安全事件 (security incident details)",
}
CUES = ("process", "restriction", "public", "training", "fiction")

#: trigger terms (group -> terms): the automaton reports where they occur; code looks at the text around them
TRIGGERS: dict[str, tuple[str, ...]] = {
    # a label before a person's name
    "_label": ("我叫", "举报人", "来信人", "来访人", "反映人", "信访人", "控告人", "检举人", "被举报人", "被反映人", "被审查人",
               "被调查人", "被审查调查人", "被谈话人", "谈话对象", "被询问人", "考察对象", "姓名", "当事人", "推荐人选", "人选"),
    # a title before a person's name (副局长段文博)
    "_title": ("局长", "处长", "科长", "主任", "书记", "院长", "校长", "县长", "市长", "区长", "镇长", "乡长", "厅长", "部长",
               "经理", "馆长", "所长", "队长", "组长", "会计", "科员", "教师", "老师", "干事", "秘书", "主席", "行长", "董事长",
               "总经理", "委员", "常委", "调研员", "负责人"),
    "_comrade": ("同志",),
    "_gender": (",男,", ",女,"),
    "_anon": ("某",),
    "_sanction": ("处分", "开除党籍", "开除公职", "免职", "撤职", "判处", "判决"),
    "_report": ("报道", "消息", "获悉", "了解到", "批准"),
    "_chapter": ("章", "集"),
    "_ask": ("问:",),
    "_answer": ("答:",),
    "_upcoming": ("下周", "明天", "后天", "下个月", "下月", "本周"),
    # disclosure verbs: a negation before them in the same clause makes a do-not-disclose instruction
    "_restrict": ("泄露", "透露", "外传", "往外传", "扩散", "外泄", "公开", "公布", "发布", "披露", "提及", "告知", "传播",
                  "转发", "回应", "对外提供", "对外使用", "提前通知", "反馈企业", "向社会"),
    "_en_restrict": ("disclosed", "announced", "communicated", "shared", "told", "informed", "released", "published",
                     "notified", "sent", "forward", "forwarded", "circulated", "distributed", "discussed", "public",
                     "disclose", "share", "tell", "inform", "mention", "discuss", "circulate", "distribute"),
    "_before": ("前",),
    "_pending": ("审定", "批准", "审批", "研究", "审议", "签发", "定稿", "票决", "送达"),
    "_scoring": ("每小题", "每题", "本题", "本大题", "points)", "point)", "marks)", "mark)"),
    "_staff": ("工号", "警号", "学号", "职工号", "员工编号"),
    "_coord": ("东经", "西经", "南纬", "北纬"),
    "_en_title": ("mr.", "ms.", "mrs.", "dr.", "prof."),
    "_cell": ("|",),
}
_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())
_CLAUSE_END = "，,。；;！!？?\n"
#: an event whose "before" (…前) dates material as not yet released: 公示前, 批复前, 挂牌公告前
_RELEASE_EVENTS = ("宣判", "发布", "公布", "公告", "公示", "审定", "批复", "批准", "开标", "挂牌", "送达", "签发", "定稿", "上会",
                   "审议", "研究", "决定", "宣布", "发文", "印发", "公开", "披露", "出台", "任命", "考察", "开考", "录取",
                   "评标", "揭晓", "下达", "通报")
#: words near a do-not-disclose instruction that make it about THIS material (以上…请勿外传, 尚未公示, …前不得…)
_SCOPE = ("尚未", "暂", "未经", "还没", "以上", "上述", "本", "此", "该", "这", "名单", "结果", "数据", "方案", "结论",
          "内容", "计划", "人选", "路线", "时间", "口径", "前", "无关人员")
_NEGATIONS = ("不得", "严禁", "请勿", "切勿", "不要", "禁止", "不准", "不能", "不宜", "别", "暂不", "暂缓", "勿")
_EN_NEGATIONS = (" not ", "n't ", " never ", " no one ", " nobody ", "do not", "must not")
_EN_SCOPE = ("this", "these", "it ", "the list", "result", "number", "figure", "decision", "plan", "report", "data",
             "deal", "guidance", "candidates", "employees", "staff", "applicants", "customers", "yet")
_NUMBER = bounded.compile(r"[0-9]+(?:[.,][0-9]+)*")
_PHONE = bounded.compile(r"1[3-9]\d(?:[ -]?\d{4}){2}(?!\d)")
_CN_NUM = frozenset("一二三四五六七八九十百零〇0123456789")
_UNITS = frozenset("件名条票处个人次门台艘")
#: what the character after a number says about it
_NEXT_KIND = {"元": "money", "万": "money?", "亿": "money?", "%": "percent", "年": "date?", ".": "answer?",
              **{c: "count" for c in _UNITS}}
#: what may follow a name (so that 副局长段文博、 counts and 局长在景区 does not)
_AFTER_NAME = frozenset("、，,；;。:：（(）) \t\n同任为在的是|")
#: words before 同志 that make it generic (该同志, 各位同志, 两名同志)
_NOT_NAMES = frozenset("该各全有这那位名的等和与及其此本个两三四五多老青女男广诸")
#: 某 followed by these is an anonymised organisation or a quantity (某局, 某些), not a person (张某)
_NOT_PERSON_AFTER = frozenset("局部旅团师县市镇村司单位科技高校学医院集团街道处厅委省区地所些种项个年月日型号次")
#: per-feature (points, cap) of the specificity total
_SPEC = {"label": (1.0, 2.0), "comrade": (0.6, 1.2), "gender": (1.0, 1.0), "titled": (0.5, 1.5), "phone": (1.0, 1.0),
         "staffno": (1.0, 1.0), "idno": (1.0, 1.0), "coord": (1.0, 1.0), "money": (0.3, 0.9), "count": (0.2, 0.8),
         "percent": (0.2, 0.8), "date": (0.2, 0.4)}
_IDENTITY = ("label", "comrade", "gender", "titled", "phone", "staffno", "idno")
_MAX_NUMBERS = 2000


def _clause_before(text: str, start: int, width: int) -> str:
    """Up to ``width`` characters before ``start``, cut at the last clause boundary."""
    seg = text[max(0, start - width):start]
    for i in range(len(seg) - 1, -1, -1):
        if seg[i] in _CLAUSE_END:
            return seg[i + 1:]
    return seg


def _in_brackets(text: str, at: int) -> bool:
    """``at`` is inside a short bracketed note on its line: （党委常委会审议前）."""
    seg = text[max(0, at - 20):at]
    o = max(seg.rfind("("), seg.rfind("（"), seg.rfind("【"), seg.rfind("["))
    return o >= 0 and not any(c in seg[o:] for c in ")）】]\n") and any(
        c in text[at:at + 6] for c in ")）】]")


def scoped(text: str, at: int) -> bool:
    """A restriction at ``at`` refers to this material (scope words in the 24 characters before it, on its line)."""
    seg = text[max(0, at - 24):at]
    nl = seg.rfind("\n")
    if nl >= 0:
        seg = seg[nl + 1:]
    return any(w in seg for w in _SCOPE)


def _clause_after(text: str, end: int, width: int) -> str:
    seg = text[end:end + width]
    for i, c in enumerate(seg):
        if c in _CLAUSE_END:
            return seg[:i]
    return seg


@functools.lru_cache(maxsize=1)
def surnames() -> tuple[frozenset[str], frozenset[str]]:
    """(single-character, two-character) surnames: the person-name recognizer's list (``data/pii/surnames.txt``)
    without its weak entries (``~X``: surnames that are also frequent function words)."""
    from importlib import resources

    text = resources.files("proxy.detection").joinpath("data/pii/surnames.txt").read_text("utf-8")
    toks = [t for line in text.splitlines() for t in line.split("#", 1)[0].split() if not t.startswith("~")]
    return frozenset(t for t in toks if len(t) == 1), frozenset(t for t in toks if len(t) == 2)


def is_name(s: str) -> bool:
    """A 2-4 character string that starts with a surname (and is not an anonymised 张某)."""
    if len(s) < 2 or "某" in s or "×" in s:
        return False
    one, two = surnames()
    return s[0] in one or s[:2] in two


def _name_at(s: str) -> bool:
    """``s`` starts with a 2-3 character name followed by a separator (or the end)."""
    for n in (3, 2):
        if len(s) >= n and is_name(s[:n]) and all("\u4e00" <= c <= "\u9fff" for c in s[:n]) and (
                len(s) == n or s[n] in _AFTER_NAME):
            return True
    return False


def _repeat(w: float, n: int) -> float:
    """Contribution of a term seen ``n`` times: its weight, +25% per repeat, at most 1.5x."""
    return w * min(1.0 + 0.25 * (n - 1), 1.5)


@dataclass
class _Group:
    pos: list[int] = field(default_factory=list)
    end: list[int] = field(default_factory=list)
    key: list[int] = field(default_factory=list)
    w: list[float] = field(default_factory=list)

    def add(self, s: int, e: int, k: int, w: float) -> None:
        self.pos.append(s)
        self.end.append(e)
        self.key.append(k)
        self.w.append(w)

    def total(self, lo: int = 0, hi: int | None = None) -> float:
        """Sum over distinct terms (with repeats) of the hits starting in ``[lo, hi)``."""
        i = bisect.bisect_left(self.pos, lo) if lo > 0 else 0
        j = bisect.bisect_left(self.pos, hi) if hi is not None else len(self.pos)
        seen: dict[int, tuple[float, int]] = {}
        keys, ws = self.key, self.w
        for x in range(i, j):
            k, w = keys[x], ws[x]
            old = seen.get(k)
            seen[k] = (max(w, old[0]), old[1] + 1) if old else (w, 1)
        return sum(_repeat(w, n) for w, n in seen.values())

    def densest(self, width: int) -> tuple[float, int, int]:
        """(sum, first index, last index) of the best window of ``width`` characters."""
        best = (0.0, 0, -1)
        counts: dict[int, int] = {}
        weights: dict[int, float] = {}
        cur = 0.0
        lo = 0
        for hi in range(len(self.pos)):
            k, w = self.key[hi], self.w[hi]
            n = counts.get(k, 0)
            if n:
                cur -= _repeat(weights[k], n)
            weights[k] = max(w, weights.get(k, 0.0)) if n else w
            counts[k] = n + 1
            cur += _repeat(weights[k], n + 1)
            while self.pos[hi] - self.pos[lo] > width:
                k0 = self.key[lo]
                n0 = counts[k0]
                cur -= _repeat(weights[k0], n0)
                if n0 > 1:
                    counts[k0] = n0 - 1
                    cur += _repeat(weights[k0], n0 - 1)
                else:
                    del counts[k0]
                    del weights[k0]
                lo += 1
            if cur > best[0] + 1e-9:
                best = (cur, lo, hi)
        return best


def _group(groups: dict[str, _Group], name: str) -> _Group:
    g = groups.get(name)
    if g is None:
        g = groups[name] = _Group()
    return g


@dataclass(frozen=True, slots=True)
class Features:
    specificity: float
    identity: bool  # a named/reachable person (label, 同志, title + name, phone, ID number)
    public: float
    fiction: float
    transcript: bool
    exam_paper: bool  # the layout of an exam paper (每小题N分)
    exam_upcoming: bool  # the exam is still to come (下周一考)
    pending: float  # "still to be approved/decided" phrases (待…审定, 提交…研究)
    restrict: float  # a do-not-disclose instruction (严禁向无关人员泄露, 不得提前透露) that is not a general rule
    prerelease: float  # material dated before its release (公示前, 批复前, 挂牌公告前)
    self_scope: bool  # a restriction that refers to this material (以上人选…请勿外传)
    kinds: tuple[str, ...]


def features(text: str, triggers: Sequence[tuple[int, int, str]]) -> Features:
    """Specificity and context features from the trigger hits and the numbers of ``text``."""
    counts: dict[str, int] = {}

    def count(kind: str) -> None:
        counts[kind] = counts.get(kind, 0) + 1

    for s, e, g in triggers:
        if g == "_label" or g == "_title":
            nxt = text[e:e + 6].lstrip(" \t:：")
            if "某" in nxt[:3] or "×" in nxt[:3]:
                if g == "_label":
                    count("anon2")
            elif _name_at(nxt):
                count("label" if g == "_label" else "titled")
        elif g == "_comrade":
            before = text[max(0, s - 3):s]
            if len(before) >= 2 and (is_name(before) or is_name(before[1:])) and before[-2] not in _NOT_NAMES \
                    and (len(before) < 3 or before[0] not in _NOT_NAMES or is_name(before[1:])):
                count("comrade")
        elif g == "_gender":
            if s >= 2 and "\u4e00" <= text[s - 1] <= "\u9fff":
                count("gender")
        elif g == "_anon":
            prev, nxt = text[s - 1:s] if s else "", text[e:e + 1]
            if nxt == "某":
                if prev and "\u4e00" <= prev <= "\u9fff":
                    count("anon2")
            elif prev != "某" and prev and "\u4e00" <= prev <= "\u9fff" and _NOT_PERSON_AFTER.isdisjoint(text[e:e + 3]):
                count("anon1")
        elif g == "_sanction":
            term = text[s:e]
            if term == "处分":
                if "受到" in _clause_before(text, s, 16):
                    count("decided")
            elif text[s - 1:s] == "被" or text[max(0, s - 3):s].endswith(("被依法", "已被")):
                count("decided")
        elif g == "_report":
            before = _clause_before(text, s, 16)
            if text[s:e] == "批准":
                if "经" in before:
                    count("reported")
            elif "据" in before or "记者" in before or "本报" in before:
                count("reported")
        elif g == "_chapter":
            before = text[max(0, s - 5):s]
            i = len(before)
            while i > 0 and before[i - 1] in _CN_NUM:
                i -= 1
            if i < len(before) and i > 0 and before[i - 1] == "第":
                count("chapter")
        elif g == "_ask":
            if s == 0 or text[s - 1] not in "请提询访疑":
                line_end = text.find("\n", e, e + 80)
                if "你" in text[e:line_end if line_end >= 0 else e + 60]:
                    count("ask")
        elif g == "_answer":
            if s == 0 or text[s - 1] not in "回解作":
                count("answer")
        elif g == "_upcoming":
            nxt = text[e:e + 5]
            if "考" in nxt or "面试" in nxt or "笔试" in nxt:
                count("upcoming")
        elif g == "_restrict":
            before = _clause_before(text, s, 12)
            for neg in _NEGATIONS:
                k = before.rfind(neg)
                if k >= 0:
                    abs_k = s - len(before) + k
                    if "任何" not in text[max(0, abs_k - 12):abs_k]:  # a general rule (任何人不得…) is not one
                        count("restrict")
                        if scoped(text, abs_k):
                            count("self_scope")
                    break
        elif g == "_en_restrict":
            before = text[max(0, s - 32):s].lower()
            dot = max(before.rfind(". "), before.rfind("\n"), before.rfind(";"))
            if dot >= 0:
                before = before[dot + 1:]
            if any(x in " " + before for x in _EN_NEGATIONS) and "any " not in before:
                count("restrict")
                if any(w in text[max(0, s - 48):e + 24].lower() for w in _EN_SCOPE):
                    count("self_scope")
        elif g == "_before":
            if text[max(0, s - 2):s] in _RELEASE_EVENTS:
                # a title annotation （审议前） or an instruction in the same clause (公示前请勿外传) dates the
                # material; a procedure described in prose (讨论决定前，应当…) does not
                clause = _clause_before(text, s, 16) + _clause_after(text, e, 16)
                if _in_brackets(text, s) or any(x in clause for x in _NEGATIONS + ("保密", "勿", "不对外", "严禁")):
                    count("prerelease")
        elif g == "_cell":
            cell = text[e:e + 8].split("|", 1)
            if len(cell) == 2 and _name_at(cell[0].strip(" \t") + "|"):
                count("label")
        elif g == "_pending":
            before = _clause_before(text, s, 12)
            term = text[s:e]
            if "待" in before[-10:] or any(x in before for x in ("提交", "报请", "提请")) or (
                    term == "审定" and text[e:e + 1] == "后" and "经" in before):
                count("pending")
        elif g == "_scoring":
            if text[s] in "每本":
                after = _clause_after(text, e, 12)
                if "分" in after and any(c.isdigit() for c in after):
                    count("scoring")
            elif text[max(0, s - 5):s].lstrip(" ").lstrip("(").strip().isdigit() or \
                    bounded.search(_POINTS, text[max(0, s - 6):e], "nonpublic.points"):
                count("scoring")
        elif g == "_staff":
            if text[e:e + 6].lstrip(" \t:：")[:4].isdigit():
                count("staffno")
        elif g == "_coord":
            if "°" in text[e:e + 10]:
                count("coord")
        elif g == "_en_title":
            if text[e:e + 1] == " " and text[e + 1:e + 2].isupper():
                count("label")
    # numbers: phones, ID numbers, amounts, counts, percentages, dates
    try:
        found = _NUMBER.findall(text, timeout=bounded.timeout("nonpublic.numbers"))
    except TimeoutError as exc:
        raise RegexTimeout("regex timed out in nonpublic.numbers") from exc
    pos = 0
    answers = 0
    for run in found[:_MAX_NUMBERS]:
        s = text.find(run, pos)
        e = pos = s + len(run)
        n = len(run)
        c1 = text[e:e + 1]
        if c1 == " " or c1 == "\t":
            c1 = text[e + 1:e + 2]
            if c1.isascii() and c1.isalpha():
                word = text[e + 1:e + 14].split(" ", 1)[0].rstrip(".,;:)").lower()
                if word in _MONTHS:
                    count("date")
                elif len(word) > 3 and word.endswith("s") and word.isalpha():
                    count("count")  # 430 positions, 42 servers
                continue
        if run[0] == "1" and (n == 11 or (n == 3 and c1 in " -")) and (s == 0 or not text[s - 1].isdigit()):
            if bounded.match(_PHONE, text[s:s + 16], "nonpublic.phone"):
                count("phone")
                continue
        if n >= 17:
            if (n == 18 or (n == 17 and c1 in "Xx")) and run.isdigit() and (s == 0 or not text[s - 1].isalnum()):
                count("idno")
            continue
        kind = _NEXT_KIND.get(c1)
        if kind is None:
            if s and (text[s - 1] in "$€£" or text[max(0, s - 4):s] in ("USD ", "CNY ", "RMB ", "EUR ", "$ ")):
                count("money")
            continue
        if kind == "money?":
            if text[e + 1:e + 2] == "元":
                count("money")
        elif kind == "date?":
            if n == 4 and run[:2] in ("19", "20") and "月" in text[e + 1:e + 5]:
                count("date")
        elif kind == "answer?":
            if text[e + 1:e + 2] in "ABCDabcd" and n <= 3:
                answers += 1
        elif kind == "count" and text[e:e + 2] in ("人次", "架次"):
            count("count")
        else:
            count(kind)
    if answers >= 3:
        count("scoring")  # an answer key: 1.C 2.A 3.D
    spec = 0.0
    kinds = []
    for kind, (pts, cap) in _SPEC.items():
        c = counts.get(kind, 0)
        if c:
            spec += min(cap, pts * c)
            kinds.append(kind)
    public = min(3.0, 1.5 * counts.get("anon2", 0)) + min(1.0, 0.3 * counts.get("anon1", 0)) \
        + min(3.0, 1.5 * counts.get("decided", 0)) + min(2.0, 1.5 * counts.get("reported", 0))
    fiction = min(2.0, 1.5 * counts.get("chapter", 0))
    transcript = counts.get("ask", 0) >= 1 and counts.get("answer", 0) >= 1
    return Features(spec, any(k in counts for k in _IDENTITY), public, fiction, transcript,
                    counts.get("scoring", 0) >= 1, counts.get("upcoming", 0) >= 1,
                    min(2.0, 1.0 * counts.get("pending", 0)), 2.0 if counts.get("restrict") else 0.0,
                    min(2.0, 1.0 * counts.get("prerelease", 0)), counts.get("self_scope", 0) >= 1, tuple(kinds))


_POINTS = bounded.compile(r"\(\s*\d{1,3}\s*(?:points?|marks?)\)")


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
