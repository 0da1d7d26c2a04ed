"""Person names, the context half: the triggers next to which a Chinese name is looked for — labels, titles,
roles and verbs of speech (one Aho-Corasick pass), contact data after a name, speaker / signature / card line
heads, tables with a 姓名 column and lists of names (see :mod:`proxy.detection.recognizers.pii_person_name`
for the triggers and their scores).

:class:`NameContexts` finds the trigger sites and reads the name there with the candidate logic of
:class:`~proxy.detection.recognizers.pii_name_parts.NameParts`.
"""
from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from proxy.detection import bounded
from proxy.detection.context import next_lines, prev_lines
from proxy.detection.recognizers.pii_common import NA, NB, Hit, bounded_loop, is_han, iter_matches, line_starts
from proxy.detection.recognizers.pii_name_parts import (COLON_LABELS, LABELS, MASK, POST, PRE, VERBS, NameParts,
                                                        _words)

#: labels right before a name that hardly occur otherwise: strong even without a colon
GLUED_LABELS = frozenset("户名 开户名 姓名 姓名为 名为 名叫 叫做 我叫 他叫 她叫 名字叫 持卡人 收件人 收货人 联系人 请假人"
                         .split())
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
HAS_CONTACT = bounded.compile(r"1[3-9]\d{9}|@|(?i:tel|mobile|phone|e-?mail)|电话|手机|邮箱")
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


class NameContexts(NameParts):
    """The Chinese trigger contexts of ``PersonNameRecognizer``: each yields hits for the names found there."""

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
