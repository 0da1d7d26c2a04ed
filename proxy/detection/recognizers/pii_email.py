"""E-mail addresses: standard, glued to Chinese text, and disguised spellings.

Forms (pattern names):
- ``standard``: ``local@domain.tld`` with ASCII boundaries, so ``邮箱tanjianing@lzsf.example.edu.cn发送`` gives
  exactly the address (full-width ``＠`` and ``．`` arrive as ASCII after normalization).
- ``disguised``: the ``@`` or a dot written out: ``name[at]example[dot]com``, ``name(at)x.com``,
  ``name {at} x {dot} cn``, ``name 艾特 x.com``, ``name at example dot com``, ``name#example.com`` (the last
  only next to an e-mail word: ``#`` has too many other uses). The span covers the whole disguised form.

Scores: a standard address >= 0.9; bracketed / 艾特 forms 0.85; ``name at example dot com`` 0.8; a plain
`` at `` followed by an ordinary domain (``look at example.com``) only next to an e-mail word. Placeholder
addresses (``user@example.com``, ``your_email@…``, ``noreply@…``, ``git@github.com``) are not personal data
(below the redaction threshold).
"""
from __future__ import annotations

from collections.abc import Iterator

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.pii_common import Hit, PiiRecognizer, ascii_view, iter_matches, near

_LOCAL = r"(?<![A-Za-z0-9._%+\-'])(?P<local>[A-Za-z0-9][A-Za-z0-9._%+\-']{0,63}+)"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
_TLDS = (r"com|cn|net|org|edu|gov|io|co|uk|de|jp|hk|tw|mo|sg|kr|ru|fr|es|nl|ch|se|fi|dk|au|ca|nz|info|biz|ai|app|"
         r"dev|mil|ac|top|xyz|vip|club|site|online|tech|email")
_BR = r"[\[({<【〔]"
_BR_END = r"[\])}>】〕]"
_DOT = rf"(?:[ ]*{_BR}[ ]*(?:dot|\.|点)[ ]*{_BR_END}[ ]*|[ ]+dot[ ]+|[ ]*点[ ]*|\.)"

STANDARD = bounded.compile(
    rf"{_LOCAL}@(?P<domain>(?:{_LABEL}\.)+[A-Za-z]{{2,24}})(?![A-Za-z0-9\-])")
#: an @ written out: [at] (at) {at} <at> 【at】, " at ", 艾特, 圈a, #, or a plain @ (with a disguised dot)
AT_TOKEN = bounded.compile(
    rf"{_BR}[ ]*(?i:at|@)[ ]*{_BR_END}|(?P<spaced>[ ]+(?i:at)[ ]+)|艾特|圈a|(?P<hash>#)|(?P<plain>@)")
LOCAL_BEFORE = bounded.compile(r"(?<![A-Za-z0-9._%+\-'])[A-Za-z0-9][A-Za-z0-9._%+\-']{0,63}[ ]*$")
DOMAIN_AFTER = bounded.compile(
    rf"[ ]*(?P<domain>{_LABEL}(?:{_DOT}{_LABEL}){{0,4}}{_DOT}(?:{_TLDS}))(?![A-Za-z0-9\-])", regex.IGNORECASE)
CONTEXT = bounded.compile(r"邮箱|邮件|电邮|邮址|信箱|(?i:e-?mail|mail|contact|write to|reach)")
PLACEHOLDER_LOCAL = frozenset({
    "user", "username", "your_email", "youremail", "your.email", "your-email", "yourname", "your.name", "name",
    "email", "example", "test", "xxx", "xx", "x", "abc", "foo", "bar", "someone", "somebody", "me", "you",
    "john.doe", "jane.doe", "firstname.lastname", "first.last", "noreply", "no-reply", "donotreply", "git",
    "admin", "root", "postmaster", "webmaster", "mailer-daemon", "nobody"})
_DISGUISED_DOT = bounded.compile(rf"(?i:{_BR}[ ]*(?:dot|\.|点)[ ]*{_BR_END}|[ ]dot[ ]|点)")
_HINTS = ("at", "AT", "At", "#", "@")


class EmailRecognizer(PiiRecognizer):
    ENTITY = "EMAIL_ADDRESS"

    def find(self, text: str) -> Iterator[Hit]:
        if "@" in text:
            for m in iter_matches(STANDARD, text, "pii_email.standard"):
                s, e = m.span()
                if m.group("local").lower() in PLACEHOLDER_LOCAL:
                    yield Hit(s, e, 0.4, "placeholder or system e-mail address")
                else:
                    yield Hit(s, e, 0.95, "e-mail address")
        view = ascii_view(text)
        if not any(h in view for h in _HINTS) and "艾特" not in text and "圈a" not in text:
            return
        for t in iter_matches(AT_TOKEN, text, "pii_email.at"):
            hit = self._disguised(text, t)
            if hit is not None:
                yield hit

    @staticmethod
    def _disguised(text: str, t: regex.Match) -> Hit | None:
        ts, te = t.span()
        lm = bounded.search(LOCAL_BEFORE, text[max(0, ts - 70):ts], "pii_email.local")
        if lm is None:
            return None
        local = lm.group(0).rstrip(" ")
        s = ts - len(lm.group(0))
        dm = bounded.match(DOMAIN_AFTER, text[te:te + 260], "pii_email.domain")
        if dm is None:
            return None
        e = te + dm.end()
        plain_dots = not bounded.search(_DISGUISED_DOT, dm.group("domain"), "pii_email.dot")
        if t.group("plain") is not None and plain_dots:
            return None  # an ordinary address: the standard pattern's
        ctx = near(CONTEXT, text, s, e, 16, 0, "pii_email.context")
        placeholder = local.lower() in PLACEHOLDER_LOCAL
        if t.group("hash") is not None:
            if not ctx or placeholder:
                return None
            score, why = 0.75, "e-mail address with # for @ next to an e-mail word"
        elif t.group("spaced") is not None:
            if plain_dots:
                score, why = (0.8, "'name at domain' next to an e-mail word") if ctx else (
                    0.4, "'word at domain.tld' without an e-mail word")
            else:
                score, why = 0.8, "e-mail address spelled 'name at example dot com'"
        else:
            score, why = 0.9, "disguised e-mail address ([at]/(at)/艾特/[dot])"
        if placeholder:
            score, why = min(score, 0.4), "placeholder e-mail address (disguised)"
        return Hit(s, e, score, why)
