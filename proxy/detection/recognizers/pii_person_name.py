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

Layout: the shape of a Chinese name candidate (surname data, reading forward / backward) is
:mod:`~proxy.detection.recognizers.pii_name_parts`; the Chinese trigger contexts (labels, titles, verbs,
contact data, line heads, tables, lists) are :mod:`~proxy.detection.recognizers.pii_name_context`; this
module holds the recognizer and the English / pinyin names.
"""
from __future__ import annotations

from collections.abc import Iterator

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.pii_common import Hit, ascii_view, iter_matches
from proxy.detection.recognizers.pii_name_context import NameContexts

_HAN = bounded.compile(r"\p{Han}")
_CAPITALISED = bounded.compile(r"[A-Z][a-z]|[A-Z]\.")

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


class PersonNameRecognizer(NameContexts):
    ENTITY = "PERSON_NAME"

    # --- main ------------------------------------------------------------------------------------------------

    def find(self, text: str) -> Iterator[Hit]:
        if not text.isascii() and bounded.search(_HAN, text, "pii_person_name.han"):
            yield from self._triggers(text)
            yield from self._contacts(text)
            yield from self._line_heads(text)
            if "姓名" in text:
                yield from self._table(text)
        yield from self._english(text)

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
