"""Feature extraction for the non-public content scorer: specific details, restrictions, counter-evidence, names.

:data:`TRIGGERS` are the trigger terms the lexicon automaton reports; :func:`features` looks at the text around
them and at the numbers of the text: named persons (:func:`surnames`, :func:`is_name`), phone, ID and staff
numbers, coordinates, amounts, counts, percentages, dates (specificity); do-not-disclose instructions, "before
release" dating and pending approval (restrictions/process, :func:`scoped`); anonymised names, decided
sanctions, reports, chapters (counter-evidence); transcripts and exam-paper layouts. Split out of
:mod:`proxy.detection.scorers.nonpublic`.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from proxy.detection import bounded
from proxy.detection.errors import RegexTimeout

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
