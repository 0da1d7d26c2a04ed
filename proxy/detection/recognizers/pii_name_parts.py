"""Person names, the name-shape half: what a Chinese name candidate looks like, read forward from a
trigger or backward from one (see :mod:`proxy.detection.recognizers.pii_person_name` for the whole design).

A candidate is a surname (single or compound, from :func:`~proxy.detection.recognizers.pii_common.name_data`)
plus one or two given-name characters; it is trusted when the given-name characters are common ones and it is
not a common word, a place or a public figure. The words that bound a name live here too: the labels, titles
and verbs a name may start after (``PREFIX_WORDS``) or stop before (``TITLE_AFTER``) — the same words the
context scan (:mod:`~proxy.detection.recognizers.pii_name_context`) uses as triggers.

:class:`NameParts` is the base of the person-name recognizer: it holds the name data (``self._d``) and the
candidate logic (:meth:`NameParts.forward`, :meth:`NameParts.backward`, ...).
"""
from __future__ import annotations

from proxy.detection.recognizers.pii_common import NameData, PiiRecognizer, is_han, name_data


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


class NameParts(PiiRecognizer):
    """Name data and the shape of a Chinese name candidate (the base of ``PersonNameRecognizer``)."""

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

    def _surname_near(self, text: str, s: int) -> bool:
        """A surname character 2-4 characters before ``s`` (a name of 2-4 characters could end at ``s``)."""
        d = self._d
        for k in range(max(0, s - 4), s - 1):
            c = text[k]
            if c in d.surnames or c in d.weak_surnames or text[k:k + 2] in d.compound:
                return True
        return False

    def _weak_ok_name(self, text: str, s: int, e: int) -> bool:
        """A whole 2-4 character token that reads as a name without further context."""
        k = self._surname_len(text, s, weak_ok=False)
        if not k or not 1 <= e - s - k <= 2:
            return False
        if text[s + k] in MASK or not self._plausible(text[s + k:e]):
            return False
        return not self._rejected(text, s, e, strict=False)  # the token's extent is known: 范文婷 is no 范文
