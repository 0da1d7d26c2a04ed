"""Person names: Chinese names found through their context, and English / pinyin names after titles and labels.

A Chinese name is a surname (``data/pii/surnames.txt``: single and compound) plus one or two given-name
characters. Surname characters are everywhere in prose (高度, 王国, 张开, 周末, 方法 …), so a name is only
looked for next to a TRIGGER, and the strength of the trigger sets how much the candidate itself must prove:

- ``label``: 姓名：, 联系人：, 收件人, 户名, 申请人, 甲方：, 请假人：, 我叫 … -> the name right after (0.85).
- ``contact``: the name right before a phone number, an ID number, an e-mail address, or ``，女，`` / ``，35岁``
  (``钱若溪 13867150092``, ``蔡晓梅，手机…``) (0.6-0.85).
- ``pre``: a title, role or verb right before (维修师傅孙国栋, 教授 龚振华, 业主郑建平, 感谢王明) (0.55-0.75).
- ``post``: a title / honorific right after (谭嘉宁老师, 马一鸣同学, 张伟副局长) (0.55-0.75).
- ``verb``: a verb of speech right after (王明说, 李华表示) (0.55-0.65).
- ``speaker``: ``刘洋：…`` opening lines of a chat log (two or more such lines) (0.65).
- ``card``: a name opening a line and followed by `` | `` (signature blocks, business cards) (0.6-0.7).
- ``table``: cells of a table whose header row has 姓名 (0.7); items of a list after 名单： (0.65).
- English: ``Mr./Ms./Dr./Prof.`` + capitalised words (span includes the title, 0.8); ``Name:``, ``Guest:``,
  ``Contact:`` … + capitalised words (0.8); ``Dear Sofia,`` (0.65); pinyin names (``Wang Haoran``) next to
  contact data (0.6).

In the weak positions (pre/post/verb/speaker/card) the given-name characters must be common ones
(``given_chars.txt``), the surname must not be a weak one (和 平 国 时 …), and the candidate must not be a
common word or place (``not_names.txt``). Not personal data (never reported at >= 0.5): masked names (张某,
李某某, 王××, 赵**), a surname with only a title (蔡老师, 严女士), historical and public figures
(``public_figures.txt``: 鲁迅说, 毛泽东同志 — a judgement, see that file).

Cost: the trigger words are found in one Aho-Corasick pass (pyahocorasick, one automaton per process), contact
data and line heads by a few anchored regexes; the name logic runs only at trigger sites, on a window of a few
characters. jieba's part-of-speech tagger (``nr``) is not used: it costs ~22 ms per 2,000 characters, four
times the whole detection budget, and it misses the unusual given names of forms anyway.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import regex

from proxy.detection import bounded
from proxy.detection.context import next_lines, prev_lines
from proxy.detection.recognizers.pii_common import (NA, NB, Hit, NameData, PiiRecognizer, ascii_view, bounded_loop,
                                                    is_han, iter_matches, line_starts, name_data)


def _words(words: str) -> tuple[str, ...]:
    return tuple(sorted(set(words.split()), key=lambda w: (-len(w), w)))


#: labels after which a name follows (with or without a colon)
LABELS = _words(
    "姓名 名字 联系人 联络人 收件人 收货人 寄件人 发件人 申请人 负责人 项目负责人 经办人 承办人 户名 开户名 开户人 持卡人 "
    "请假人 推荐人 被推荐人 出租方 承租方 出租人 承租人 甲方 乙方 丙方 法定代表人 法人代表 代理人 委托人 受托人 当事人 "
    "报告人 举报人 被举报人 投诉人 被投诉人 填表人 填报人 审核人 审批人 批准人 签字人 签名 签字 主讲人 授课人 主持人 发言人 "
    "撰稿人 通讯员 紧急联系人 对接人 接待人 值班人 值班员 责任人 收款人 付款人 借款人 出借人 担保人 买受人 出卖人 "
    "姓名为 名为 名叫 叫做 我叫 他叫 她叫 名字叫 本人 考生姓名 学生姓名 家长姓名 员工姓名 患者姓名 入住人 预订人 参会人 报名人 获奖人 "
    "经手人 验收人 检查人 记录人 制表人 复核人 监护人 被监护人 法定监护人 收信人 领款人 领取人 购买人 订票人 乘车人 "
    "就诊人 被保险人 投保人 受益人 户主 业主姓名 住户 租客 学生信息 家长信息")
#: labels right before a name that hardly occur otherwise: strong even without a colon
GLUED_LABELS = frozenset("户名 开户名 姓名 姓名为 名为 名叫 叫做 我叫 他叫 她叫 名字叫 持卡人 收件人 收货人 联系人 请假人"
                         .split())
#: nouns that are labels only with a colon after them (学生：王芳), as nouns in prose they are too common
COLON_LABELS = _words(
    "学生 家长 患者 病人 教师 老师 班主任 辅导员 导师 指导教师 指导老师 队长 组长 嘉宾 被告 被告人 原告 证人 作者 记者 "
    "业主 租户 房东 客户 员工 讲师 医生 护士 用户 会员 乘客 旅客 住客 学员 考生 新生 买方 卖方 评委 主讲 讲座主讲人")
#: a title, role or verb right before a name (the name must look like one)
PRE = _words(
    "师傅 老师 教授 副教授 讲师 研究员 博士 医生 医师 大夫 护士 律师 法官 检察官 警官 民警 记者 通讯员 同学 同志 业主 "
    "员工 职工 教师 学生 本科生 研究生 博士生 硕士生 学员 院士 工程师 会计 主任 经理 书记 局长 处长 科长 厅长 部长 院长 "
    "校长 所长 站长 队长 组长 班长 主席 董事长 总经理 总监 主管 秘书 助理 干事 专员 教练 患者 病人 家长 客户 租户 房东 "
    "先生 女士 感谢 邀请 委托 联系 致电 拜访 采访 推荐 表扬 转告 告诉 询问 看望 慰问 祝贺 恭喜 指派 我是 是由 交由 "
    "班主任 辅导员 项目主管")
#: titles and honorifics right after a name (副 before one is skipped: 张伟副局长)
POST = _words(
    "同志 先生 女士 小姐 老师 教授 副教授 讲师 博士 硕士 院士 医生 医师 大夫 护士 律师 法官 检察官 警官 主任 局长 处长 "
    "科长 厅长 部长 书记 市长 县长 区长 镇长 乡长 村长 院长 校长 所长 站长 经理 总经理 董事长 总监 主管 工程师 会计 "
    "师傅 阿姨 叔叔 同学 老板 主席 委员 代表 社长 队长 组长 班长 秘书 助理 专员 干事 教练 研究员 编辑 记者 总裁 行长 "
    "馆长 园长 主编 团长 政委 警长")
#: verbs of speech right after a name
VERBS = _words("说 表示 指出 强调 认为 告诉 介绍 坦言 回忆 透露 提到 问道 答道 笑道 说道 解释 补充 建议 提出 回答 证实 "
               "承认 感叹 写道 发言 称")
#: words that introduce a list of names (名单：王芳、李强、赵磊)
LISTS = _words("名单 成员 人员 组员 队员 获奖者 学生 同学 老师 同志 委员 代表")

CONNECTORS = sorted(
    "手机号码 手机号 手机 电话号码 联系电话 电话 联系方式 号码 身份证号码 身份证号 身份证 公民身份号码 证件号码 证件号 邮箱 "
    "电子邮箱 Tel TEL tel Mobile mobile Phone phone Email email E-mail 性别".split(), key=len, reverse=True)
_CONNECTOR_SET = frozenset(CONNECTORS)
_CONNECTOR_LENGTHS = sorted({len(w) for w in CONNECTORS}, reverse=True)
#: contact data right after a name: a mobile or an ID number; an e-mail; a gender; an age
CONTACT_DIGITS = bounded.compile(
    rf"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[ \-]?)?1(?:[3-9]\d(?:[ \-]?\d){{8}}|\d{{16}}[\dXx]){NA}")
CONTACT_ID = bounded.compile(rf"{NB}[2-9]\d{{16}}[\dXx]{NA}")
CONTACT_MAIL = bounded.compile(r"@(?<=[A-Za-z0-9._%+\-]@)")
CONTACT_GENDER = bounded.compile(r"[,，(（][ ]?[男女](?=[,，。;；)）\s]|$)")
CONTACT_AGE = bounded.compile(r"[,，][ ]?\d{1,2}岁")
LINE_HEAD = bounded.compile(r"[ \t]*(?P<n>\p{Han}{2,4})[ \t]*(?:(?P<colon>[:：])[ \t]*(?=\S)|"
                            r"(?:[|｜/][ \t]*|\t|[ ]{2,})(?=\S))")
HEADER = bounded.compile(r"(?m)^[^\n]{0,80}?姓名(?![ \t]*[:：])[^\n]{0,80}$")
CELL = bounded.compile(r"(?<![^ \t|｜,，、/\n])\p{Han}{2,4}(?=[ \t|｜,，、/\n]|$)")
LIST_ITEMS = bounded.compile(
    r"[^\n:：。]{0,8}?[:：][ \t]*(?P<items>\p{Han}{2,4}(?:[ \t]*[、,，/][ \t]*\p{Han}{2,4}|[ \t]+\p{Han}{2,4}){1,40})")
HAN_TOKEN = bounded.compile(r"\p{Han}{2,4}")
_DATE_LINE = bounded.compile(r"(?:19|20)\d\d(?:年\d{1,2}月(?:\d{1,2}日)?|[-./]\d{1,2}[-./]\d{1,2})")
_CLOSING_ZH = bounded.compile(r"此致|敬礼|谢谢|顺祝|祝好|署名|落款|签名|特此|恳请|为盼")
_HAN = bounded.compile(r"\p{Han}")
_CAPITALISED = bounded.compile(r"[A-Z][a-z]|[A-Z]\.")
HAS_CONTACT = bounded.compile(r"1[3-9]\d{9}|@|(?i:tel|mobile|phone|e-?mail)|电话|手机|邮箱")

#: characters that never belong to a given name (particles, pronouns, counters, time words)
STOP = frozenset("的了在是和与及同向对由被让给请找叫问把将跟经说道讲称有为于也都就还又已要会能应需这那其之等从到至去"
                 "来着过地得们吗呢吧啊呀哦嘛么个上下里外中前后内年月日号时分秒元岁人次件名位第每各某本该此您你我他她它"
                 "或并且但而因所以则即便虽省市区县镇乡村路街")
#: last characters of roles and organisations (谈话人, 记录员, 办公室): a run ending so is no name
ROLE_END = frozenset("人员者处科部局院校厅办室组会委司队所站馆团社府厂店系班")
MASK = frozenset("某×xX*＊○〇ⅹ✕╳·.…Ｘ")
#: two-character words that end a name when they start right after it (王明天去 -> no name)
BREAK_WORDS = frozenset(
    "今天 明天 昨天 后天 前天 上午 下午 中午 晚上 早上 已经 正在 现在 一起 我们 他们 她们 你们 就是 还是 也是 都是 主要 "
    "目前 负责 同学 同志 老师 先生 女士 一直 一定 一般 一些 一下 一个 一次 一位 一名 一同 一行 一家 非常 特别 同时 之后 "
    "之前 以后 以前 表示 认为 指出 告诉 说明 强调 介绍 提出 建议 回答 透露 来自 来到 所在 所说 同意 担任 作为 获得 参加 "
    "出席 发现 准备 需要 应该 可以 没有 不是 不能 不会 不要 等人 等同".split())
TITLE_AFTER = frozenset(POST) | frozenset(VERBS)
#: what may precede a name: labels, titles, verbs and particles (a name starts right after one of these)
PREFIX_WORDS = (frozenset(LABELS) | frozenset(COLON_LABELS) | frozenset(PRE) | frozenset(POST)
                | frozenset("的 了 在 是 和 与 及 同 向 对 由 被 让 给 请 找 叫 问 把 将 跟 经 派 有 、 即 为 或 等 并 从 于 "
                            "曾 原 新 前 现 副 级 届 班 系 院 生 据 令 助 陪 随 约 替 帮 带 喊 告 求 拜".split()))
_MAXPREFIX = max(len(w) for w in PREFIX_WORDS)
_CONJUNCTIONS = ("以及", "和", "与", "、", "及", "跟", ",", "，")

#: what may follow a label before the name: brackets, blanks, a colon, list text (名单（第一批）：)
_AFTER_TRIGGER = frozenset("(（ \t\u3000:：") | frozenset("第一二三四五六七八九十批组班年级届名单如下")
_KINDS = (("label", LABELS), ("clabel", COLON_LABELS), ("pre", PRE), ("post", POST), ("verb", VERBS),
          ("list", LISTS))


@functools.lru_cache(maxsize=1)
def _automaton() -> Any:
    """One Aho-Corasick automaton over every trigger word (built once per process, shared)."""
    import ahocorasick

    kinds: dict[str, set[str]] = {}
    for kind, words in _KINDS:
        for w in words:
            kinds.setdefault(w, set()).add(kind)
    a = ahocorasick.Automaton()
    for w, ks in kinds.items():
        a.add_word(w, (len(w), frozenset(ks)))
    a.make_automaton()
    return a


# English
_NAMEWORD = r"(?:\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:[\-'’]\p{Lu}?\p{Ll}+)?|\p{Lu}\.)"
EN_TITLE = bounded.compile(
    rf"(?<![A-Za-z])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Sir|Dame|Madam|Mme|Mlle|Herr|Frau|Sr|Sra)\.?[ \t]+"
    rf"(?P<n>{_NAMEWORD}(?:[ \t]+{_NAMEWORD}){{0,2}})(?![A-Za-z])")
EN_TITLE_GATE = ("Mr", "Ms", "Miss", "Mx", "Dr", "Prof", "Sir", "Dame", "Madam", "Mme", "Mlle", "Herr", "Frau", "Sr")
_EN_LABEL_WORDS = (
    "name", "full name", "contact", "contact person", "guest", "applicant", "patient", "student", "employee",
    "passenger", "attn", "attention", "recipient", "cardholder", "card holder", "account name", "account holder",
    "tenant", "landlord", "customer", "client", "emergency contact", "signed", "signature", "prepared by",
    "submitted by", "reported by", "author", "witness", "beneficiary", "payee", "next of kin", "addressee", "sender",
    "from", "to", "cc", "traveller", "traveler", "interviewee", "candidate", "parent", "guardian", "teacher",
    "supervisor")
#: English labels are found from their colon: a colon followed by a capitalised word, then the label before it
EN_COLON = bounded.compile(r"[:：](?=[ \t]*\p{Lu})")
EN_LABEL_BEFORE = bounded.compile(
    r"(?<![A-Za-z])(?i:" + "|".join(sorted((regex.escape(w) for w in _EN_LABEL_WORDS), key=len, reverse=True))
    + r")[ \t]*$")
EN_NAME_AFTER = bounded.compile(rf"[ \t]*(?P<n>{_NAMEWORD}(?:[ \t]+{_NAMEWORD}){{0,3}})(?![A-Za-z])")
#: a letter's closing line (Best regards,) and the name on the next line, found from that line break
EN_NAME_LINE = bounded.compile(rf"\n(?=[ \t]*\p{{Lu}}\p{{Ll}}+[ \t]+\p{{Lu}})")
EN_CLOSING_BEFORE = bounded.compile(
    r"(?i:best regards|kind regards|warm regards|regards|sincerely|yours sincerely|yours faithfully|yours truly|"
    r"best wishes|many thanks|thanks|thank you|cheers|best)[ \t]*[,!.]?[ \t]*$")
EN_NAME_LINE_AFTER = bounded.compile(rf"[ \t]*(?P<n>{_NAMEWORD}(?:[ \t]+{_NAMEWORD}){{1,2}})[ \t]*(?=\n|$)")
_EN_CLOSING_GATE = ("egards", "incerely", "aithfully", "ruly", "ishes", "hanks", "hank you", "heers", "est")
EN_DEAR = bounded.compile(rf"(?<![A-Za-z])(?:Dear|Hi|Hello)[ \t]+(?P<n>{_NAMEWORD}(?:[ \t]+{_NAMEWORD}){{0,2}})"
                          r"[ \t]*[,，!\n]")
_PINYIN_SYL = (r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|"
               r"ao|ou|an|en|er|ia|ie|in|iu|ua|uo|ue|ui|un|ve|a|o|e|i|u|v)")
PINYIN_GIVEN = bounded.compile(rf"(?i:{_PINYIN_SYL}(?:['\-]?{_PINYIN_SYL})?)")
EN_PAIR = bounded.compile(r"[A-Z](?<![A-Za-z][A-Z])(?P<a>\p{Ll}{1,6})[ \t]+(?P<b>\p{Lu}\p{Ll}{1,11})(?![A-Za-z])")
_EN_CONTACT_WORDS = ("contact", "call", "phone", "tel", "mobile", "mail", "passport", "id ", "address", "guest",
                     "booking", "born", "live", "resid", "+86")
EN_CONTACT = bounded.compile(r"@|\d{7}|(?i:\b(?:contact|call|phone|tel|mobile|e-?mail|passport|id|address|guest|"
                             r"booking|born|lives?|resid\w*)\b)")
EN_NOT_NAMES = frozenset(
    "sir madam madame colleagues colleague all team customer customers friends friend members member students "
    "student parents parent applicant applicants valued hiring manager everyone everybody user users reader "
    "readers partner partners there world committee board office university department school college center "
    "centre group inc ltd company bureau ministry association foundation services support admissions "
    "international national hong kong new york united states kingdom republic the a an and of for to in on at "
    "by with from mr mrs ms dr prof god lord jesus christ chairman president professor secretary general "
    "monday tuesday wednesday thursday friday saturday sunday january february march april may june july "
    "august september october november december".split())


class PersonNameRecognizer(PiiRecognizer):
    ENTITY = "PERSON_NAME"

    def __init__(self, name: str | None = None, supported_language: str = "zh") -> None:
        super().__init__(name=name, supported_language=supported_language)
        self._d: NameData = name_data()

    # --- candidate names -------------------------------------------------------------------------------------

    def _surname_len(self, text: str, s: int, weak_ok: bool) -> int:
        d = self._d
        if text[s:s + 2] in d.compound:
            return 2
        c = text[s:s + 1]
        if c in d.surnames or (weak_ok and c in d.weak_surnames):
            return 1
        return 0

    def _rejected(self, text: str, s: int, e: int, strict: bool = True) -> bool:
        """The candidate is a public figure or a common word / place, or one starts here. After a label
        (``strict=False``) only a word at least as long as the candidate counts (唐诗雨 is a name, 唐诗 a word)."""
        d = self._d
        if text[s:e] in d.public:
            return True
        return any(text[s:s + k] in d.not_names for k in (2, 3, 4) if strict or k >= e - s)

    def _plausible(self, given: str) -> bool:
        g = self._d.given
        return all(c in g and c not in STOP for c in given)

    def forward(self, text: str, s: int, strong: bool) -> tuple[int, bool] | None:
        """A name starting at ``s``: (end, trusted), or None. Trusted: the given-name characters are common
        ones, or (``strong``: right after a label) the name is the whole 2-4 character token there."""
        n = len(text)
        k = self._surname_len(text, s, weak_ok=strong)
        if not k:
            return None
        i = s + k
        if i < n and text[i] in MASK:
            return None  # 张某, 王××: already masked
        if strong:  # a 2-4 character run after a label: take it whole
            j = s
            while j < n and j - s < 5 and is_han(text[j]):
                j += 1
            if 2 <= j - s <= 3 or (j - s == 4 and (k == 2 or self._plausible(text[s + 1:j]))):
                if text[s:j] not in self._d.not_names and text[s:j] not in self._d.public \
                        and text[j - 1] not in ROLE_END and not self._rejected(text, s, j, strict=False) \
                        and not any(text[s + k:s + k + w] in TITLE_AFTER for w in (1, 2, 3)) \
                        and (k == 2 or text[s] in self._d.surnames or self._plausible(text[s + k:j])):
                    return j, True  # the whole token after the label
        given = 0
        while given < 2 and i + given < n:
            c = text[i + given]
            if not is_han(c) or c in STOP or c in MASK:
                break
            p = i + given
            if text[p:p + 2] in BREAK_WORDS or text[p:p + 2] in TITLE_AFTER or text[p:p + 1] in TITLE_AFTER \
                    or text[p:p + 3] in TITLE_AFTER:
                break
            given += 1
        if not given:
            return None
        e = i + given
        if given == 2 and e < n and is_han(text[e]) and text[e] not in STOP and text[i + 1] not in self._d.given:
            e -= 1  # the run goes on and the second character is no name character: 俞晨负责 -> 俞晨
        if self._rejected(text, s, e, strict=not strong):
            return None
        return e, self._plausible(text[i:e])

    def backward(self, text: str, e: int, weak_ok: bool) -> tuple[int, bool, bool] | None:
        """A name ending at ``e``: (start, given characters common, preceded by a boundary), or None.
        A surname alone (蔡老师) wins when it is the better reading, and gives None."""
        best: tuple[tuple[int, int, int], int, bool, bool] | None = None
        for length, pref in ((3, 3), (2, 2), (4, 1), (1, 0)):
            s = e - length
            if s < 0:
                continue
            seg = text[s:e]
            if not all(is_han(c) for c in seg):
                continue
            k = self._surname_len(text, s, weak_ok)
            if not k or k > length:
                continue
            given = seg[k:]
            if len(given) > 2 or any(c in STOP or c in MASK for c in given):
                continue
            if length == 4 and k != 2:
                continue
            if given and (given in TITLE_AFTER or given[-1] in ROLE_END):
                continue
            left = s == 0 or not is_han(text[s - 1]) or self._prefix_before(text, s)
            plaus = self._plausible(given) if given else True
            key = (int(left), int(plaus), pref)
            if best is None or key > best[0]:
                best = (key, s, plaus, left)
        if best is None:
            return None
        _, s, plaus, left = best
        if e - s - self._surname_len(text, s, weak_ok) <= 0:
            return None  # surname only
        if e - s == 1 or self._rejected(text, s, e, strict=not weak_ok):
            return None
        if s > 0 and text[s - 1] in MASK:
            return None
        return s, plaus, left

    @staticmethod
    def _prefix_before(text: str, s: int) -> bool:
        for k in range(1, _MAXPREFIX + 1):
            if k > s:
                break
            if text[s - k:s] in PREFIX_WORDS:
                return True
        return False

    # --- main ------------------------------------------------------------------------------------------------

    def find(self, text: str) -> Iterator[Hit]:
        if not text.isascii() and bounded.search(_HAN, text, "pii_person_name.han"):
            yield from self._triggers(text)
            yield from self._contacts(text)
            yield from self._line_heads(text)
            if "姓名" in text:
                yield from self._table(text)
        yield from self._english(text)

    def _surname_near(self, text: str, s: int) -> bool:
        """A surname character 2-4 characters before ``s`` (a name of 2-4 characters could end at ``s``)."""
        d = self._d
        for k in range(max(0, s - 4), s - 1):
            c = text[k]
            if c in d.surnames or c in d.weak_surnames or text[k:k + 2] in d.compound:
                return True
        return False

    def _triggers(self, text: str) -> Iterator[Hit]:
        n = len(text)
        surnames = self._d.surnames | self._d.weak_surnames
        compound = self._d.compound
        for end, (length, kinds) in bounded_loop(_automaton().iter(text), "pii_person_name.triggers"):
            e = end + 1
            s = e - length
            if "post" in kinds or "verb" in kinds:
                if s > 1 and is_han(text[s - 1]) and self._surname_near(text, s):
                    name_end = s - 1 if (text[s - 1] == "副" and "post" in kinds) else s
                    yield from self._before_title(text, name_end, "verb" if "post" not in kinds else "post")
            if e >= n or (text[e] not in surnames and text[e] not in _AFTER_TRIGGER and text[e:e + 2] not in compound):
                continue
            if kinds & {"label", "clabel", "list"}:
                j = e
                if text[j] in "(（":  # 出租方（甲方）：
                    close = min((k for k in (text.find(")", j, j + 8), text.find("）", j, j + 8)) if k > 0),
                                default=-1)
                    if close > 0:
                        j = close + 1
                while j < n and text[j] in " \t\u3000":
                    j += 1
                colon = j < n and text[j] in ":："
                if colon:
                    j += 1
                    while j < n and text[j] in " \t\u3000":
                        j += 1
                if "list" in kinds:
                    yield from self._list(text, e)
                if j < n and is_han(text[j]) and ("label" in kinds or colon):
                    strong = colon or text[s:e] in GLUED_LABELS
                    r = self.forward(text, j, strong=strong)
                    if r is not None:
                        ne, plaus = r
                        score = (0.85 if strong else 0.75) if plaus else 0.45
                        yield Hit(j, ne, score, "name after a label (姓名/联系人/…)")
                        continue
            if "pre" in kinds:
                j = e + 1 if text[e] in " \t" else e
                if j < n and is_han(text[j]):
                    r = self.forward(text, j, strong=False)
                    if r is not None:
                        ne, plaus = r
                        yield Hit(j, ne, 0.7 if plaus else 0.45, "name after a title, role or verb")

    def _before_title(self, text: str, e: int, kind: str) -> Iterator[Hit]:
        b = self.backward(text, e, weak_ok=False)
        if b is None:
            return
        s, plaus, left = b
        if not (plaus or left):
            return
        base = 0.75 if (plaus and left) else 0.6 if plaus else 0.5
        if kind == "verb":
            yield Hit(s, e, base - 0.1, "name before a verb of speech")
        else:
            yield Hit(s, e, base, "name before a title or honorific")
        yield from self._coordinated(text, s)

    def _coordinated(self, text: str, s: int) -> Iterator[Hit]:
        """Names joined to a found one by 和 / 与 / 、 / 及 (王芳、李强和赵磊同学): up to eight, each must look like a
        name on its own (common given-name characters)."""
        for _ in range(8):
            conj = next((c for c in _CONJUNCTIONS if text.endswith(c, max(0, s - 2), s)), None)
            if conj is None:
                return
            b = self.backward(text, s - len(conj), weak_ok=False)
            if b is None or not b[1]:
                return
            e, s = s - len(conj), b[0]
            yield Hit(s, e, 0.6, "name coordinated with a name found next to a title or contact data")

    def _contacts(self, text: str) -> Iterator[Hit]:
        patterns = []
        if any(c in text for c in "0123456789"):
            patterns.append(CONTACT_DIGITS)
            patterns.append(CONTACT_ID)
            if "岁" in text:
                patterns.append(CONTACT_AGE)
        if "@" in text:
            patterns.append(CONTACT_MAIL)
        if "男" in text or "女" in text:
            patterns.append(CONTACT_GENDER)
        for rx in patterns:
            for m in iter_matches(rx, text, "pii_person_name.contact"):
                start = m.start()
                if rx is CONTACT_MAIL:  # the name ends before the local part
                    while start > 0 and (text[start - 1].isascii() and (text[start - 1].isalnum()
                                                                          or text[start - 1] in "._%+-")):
                        start -= 1
                j = self._skip_connectors(text, start)
                if j <= 0 or not is_han(text[j - 1]):
                    continue
                b = self.backward(text, j, weak_ok=True)
                if b is None:
                    continue
                s, plaus, left = b
                if not plaus and text[s] in self._d.weak_surnames:
                    continue
                score = 0.85 if (plaus and left) else 0.75 if plaus else 0.6 if left else 0.45
                yield Hit(s, j, score, "name right before contact data (phone/ID/e-mail/gender)")
                if score >= 0.6:
                    yield from self._coordinated(text, s)

    @staticmethod
    def _skip_connectors(text: str, j: int) -> int:
        lo = max(0, j - 16)

        def skip_blank(k: int) -> int:
            while k > lo and text[k - 1] in " \t\u3000":
                k -= 1
            return k

        j = skip_blank(j)
        if j > lo and text[j - 1] in ":：":
            j = skip_blank(j - 1)
        for n in _CONNECTOR_LENGTHS:
            if j - n >= lo and text[j - n:j] in _CONNECTOR_SET:
                j = skip_blank(j - n)
                break
        if j > lo and text[j - 1] in ",，(（|/｜:：":
            j = skip_blank(j - 1)
        return j

    def _line_heads(self, text: str) -> Iterator[Hit]:
        """``刘洋：…`` speaker lines of a chat log; ``顾北辰 | 项目主管`` signature / card lines; a name alone on
        the line after 此致 敬礼 or before the date of a letter."""
        speakers: list[tuple[int, int]] = []
        cards: list[tuple[int, int]] = []
        d = self._d
        for ls in bounded_loop(line_starts(text), "pii_person_name.lines", every=256):
            head = text[ls:ls + 16]
            lead = len(head) - len(head.lstrip(" \t\u3000"))
            head = head[lead:]
            if not head or (head[0] not in d.surnames and head[:2] not in d.compound):
                continue
            s = ls + lead
            e = s
            while e < len(text) and e - s < 5 and is_han(text[e]):
                e += 1
            rest = text[e:e + 4].lstrip(" \t\u3000")
            if 2 <= e - s <= 4 and (not rest or rest[0] == "\n") and self._weak_ok_name(text, s, e):
                if self._letter_signature(text, ls, e):
                    yield Hit(s, e, 0.6, "name alone on the signature line of a letter")
                continue
            if not any(c in head for c in ":：|｜/\t") and "  " not in head:
                continue
            m = bounded.match(LINE_HEAD, text[ls:ls + 16], "pii_person_name.line_head")
            if m is None:
                continue
            s, e = ls + m.start("n"), ls + m.end("n")
            if self._weak_ok_name(text, s, e):
                (speakers if m.group("colon") else cards).append((s, e))
        if len(speakers) >= 2:
            for s, e in speakers:
                yield Hit(s, e, 0.65, "name opening chat lines (speaker label)")
        elif speakers:
            s, e = speakers[0]
            yield Hit(s, e, 0.45, "name-like word opening a line before a colon")
        if cards:
            contact = bool(bounded.search(HAS_CONTACT, text, "pii_person_name.has_contact"))
            for s, e in cards:
                yield Hit(s, e, 0.7 if contact else 0.55, "name opening a signature/card line")

    @staticmethod
    def _letter_signature(text: str, line_start: int, end: int) -> bool:
        nl = text.find("\n", end)
        after = next_lines(text, nl if nl >= 0 else len(text), 1)
        if after and bounded.match(_DATE_LINE, after[0], "pii_person_name.date_line"):
            return True
        before = prev_lines(text, line_start, 2)
        return any(bounded.search(_CLOSING_ZH, b, "pii_person_name.closing") for b in before)

    def _weak_ok_name(self, text: str, s: int, e: int) -> bool:
        """A whole 2-4 character token that reads as a name without further context."""
        k = self._surname_len(text, s, weak_ok=False)
        if not k or not 1 <= e - s - k <= 2:
            return False
        if text[s + k] in MASK or not self._plausible(text[s + k:e]):
            return False
        return not self._rejected(text, s, e, strict=False)  # the token's extent is known: 范文婷 is no 范文

    def _table(self, text: str) -> Iterator[Hit]:
        for h in iter_matches(HEADER, text, "pii_person_name.header"):
            pos = h.end() + 1
            for _ in range(500):  # rows after the header, up to the first blank line
                if pos >= len(text):
                    break
                nl = text.find("\n", pos)
                line_end = len(text) if nl < 0 else nl
                if not text[pos:line_end].strip():
                    break
                for c in bounded.finditer(CELL, text, "pii_person_name.cells", pos, line_end):
                    s, e = c.span()
                    k = self._surname_len(text, s, weak_ok=True)
                    if k and text[s + k] not in MASK and e - s - k in (1, 2) \
                            and not self._rejected(text, s, e, strict=False):
                        yield Hit(s, e, 0.7, "cell of a table with a 姓名 column")
                pos = line_end + 1

    def _list(self, text: str, e: int) -> Iterator[Hit]:
        m = bounded.match(LIST_ITEMS, text[e:e + 400], "pii_person_name.list")
        if m is None:
            return
        base = e + m.start("items")
        items = m.group("items")
        for it in iter_matches(HAN_TOKEN, items, "pii_person_name.list_items"):
            s, t = base + it.start(), base + it.end()
            if self._weak_ok_name(text, s, t):
                yield Hit(s, t, 0.65, "name in a list of names (名单：…)")

    # --- English ----------------------------------------------------------------------------------------------

    def _english(self, text: str) -> Iterator[Hit]:
        view = ascii_view(text)
        if not bounded.search(_CAPITALISED, view, "pii_person_name.en_gate"):
            return
        titles = any(w in view for w in EN_TITLE_GATE)
        for m in iter_matches(EN_TITLE, text, "pii_person_name.en_title") if titles else ():
            words = m.group("n").split()
            if words[0].lower() in EN_NOT_NAMES:
                continue
            e = self._trim_en(m, words)
            if e is None:
                continue
            yield Hit(m.start(), e, 0.8, "name after Mr./Ms./Dr./Prof.")
        low = view.lower()
        labels = (":" in view or "：" in text) and any(w in low for w in _EN_LABEL_WORDS)
        for c in iter_matches(EN_COLON, text, "pii_person_name.en_colon") if labels else ():
            if not bounded.search(EN_LABEL_BEFORE, text[max(0, c.start() - 24):c.start()], "pii_person_name.en_label"):
                continue
            m = bounded.match(EN_NAME_AFTER, text[c.end():c.end() + 80], "pii_person_name.en_label_name")
            if m is None:
                continue
            words = m.group("n").split()
            if words[0].lower() in EN_NOT_NAMES:
                continue
            e = self._trim_en(m, words)
            if e is None:
                continue
            yield Hit(c.end() + m.start("n"), c.end() + e, 0.8 if len(words) >= 2 else 0.6,
                      "name after an English label")
        dear = "Dear" in view or "Hi " in view or "Hello" in view
        for m in iter_matches(EN_DEAR, text, "pii_person_name.en_dear") if dear else ():
            words = m.group("n").split()
            if any(w.lower().rstrip(".") in EN_NOT_NAMES for w in words):
                continue
            yield Hit(m.start("n"), m.end("n"), 0.65, "name after Dear/Hi")
        if "\n" in view and any(w in view for w in _EN_CLOSING_GATE):
            for nl in iter_matches(EN_NAME_LINE, text, "pii_person_name.en_name_line"):
                p = nl.start()
                if not bounded.search(EN_CLOSING_BEFORE, text[max(0, p - 24):p], "pii_person_name.en_closing"):
                    continue
                m = bounded.match(EN_NAME_LINE_AFTER, text[p + 1:p + 80], "pii_person_name.en_signature")
                if m is None:
                    continue
                words = m.group("n").split()
                if any(w.lower().rstrip(".") in EN_NOT_NAMES for w in words):
                    continue
                yield Hit(p + 1 + m.start("n"), p + 1 + m.end("n"), 0.6, "name under the closing of a letter")
        d = self._d
        # a pinyin name counts only next to contact data: look for one only in texts that have some
        contact = "@" in view or any(w in low for w in _EN_CONTACT_WORDS) or any(c in text for c in "电手邮")
        for m in iter_matches(EN_PAIR, text, "pii_person_name.en_pinyin") if contact else ():
            a, b = text[m.start():m.end("a")], m.group("b")
            if a.lower() in d.pinyin_surnames and bounded.fullmatch(PINYIN_GIVEN, b, "pii_person_name.pinyin"):
                pass
            elif b.lower() in d.pinyin_surnames and bounded.fullmatch(PINYIN_GIVEN, a, "pii_person_name.pinyin"):
                pass
            else:
                continue
            if a.lower() in EN_NOT_NAMES or b.lower() in EN_NOT_NAMES:
                continue
            s, e = m.span()
            line_s = text.rfind("\n", 0, s) + 1
            line_e = text.find("\n", e)
            line = text[max(line_s, s - 120):(line_e if line_e >= 0 else len(text))][:240]
            ctx = bool(bounded.search(EN_CONTACT, line, "pii_person_name.en_contact"))
            yield Hit(s, e, 0.6 if ctx else 0.45, "pinyin name" + (" next to contact data" if ctx else ""))

    @staticmethod
    def _trim_en(m: regex.Match, words: list[str]) -> int | None:
        """End of the name without trailing non-name words (``Ms. Chen From`` -> ``Ms. Chen``)."""
        keep = len(words)
        while keep and words[keep - 1].lower().rstrip(".") in EN_NOT_NAMES:
            keep -= 1
        if not keep:
            return None
        if keep == len(words):
            return m.end("n")
        n = m.group("n")
        idx = 0
        for w in words[:keep]:
            idx = n.index(w, idx) + len(w)
        return m.start("n") + idx

