"""Passwords inside connection strings: URL user info (``postgresql://app:S3cr3t@db:5432/x``,
``redis://:pw@host``, ``mongodb+srv://…``, ``https://user:token@git.example``), JDBC / URL query
parameters (``jdbc:mysql://h/db?user=u&password=…``), ODBC / ADO.NET keyword strings
(``Server=…;Uid=sa;Pwd=…;``, ``Password={…}``), Go MySQL DSNs (``root:pw@tcp(127.0.0.1:3306)/db``) and
Oracle logins (``sqlplus scott/…@orcl``).

The password alone is reported (CONNECTION_STRING_PASSWORD), so redaction keeps the rest of the string.
Placeholders (``user:password@``, ``:${DB_PASS}@``, ``:****@``) are not reported; well-known defaults
(``postgres:postgres@``) score below the blocking threshold.
"""
from __future__ import annotations

import regex

from proxy.detection.recognizers.credential_base import (
    CATEGORY, CONNECTION_STRING_PASSWORD, CredentialRecognizer, Hit, Rule)
from proxy.detection.recognizers.credential_context import connection_context
from proxy.detection.recognizers.credential_values import password_strength

_HOST_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789[")
_TOKEN_STOP = frozenset(" \t\r\n\"'`<>")
MAX_TOKEN = 512


def _score(pw: str, why: str) -> tuple[float, str] | None:
    s, reason = password_strength(pw)
    if s <= 0:
        return None
    if s >= 0.75:
        return 0.85, why
    return s, reason


class ConnectionStringRecognizer(CredentialRecognizer):
    ENTITY_CATEGORIES = {CONNECTION_STRING_PASSWORD: CATEGORY}
    RULES = (
        Rule("url", r"://", ("://",)),
        Rule("keyword", r"pass(?:word|wd)(?=[ \t]*=)", ("password", "passwd"), fold=True),
        Rule("keyword", r"pwd(?=[ \t]*=)", ("pwd",), fold=True),
        Rule("godsn", r"@(?:tcp|unix)\(", ("@tcp(", "@unix(")),
        Rule("oracle", r"(?<![a-z0-9_])(?:sqlplus|expdp|impdp|sqlldr|rman)(?:\.exe)?[ \t]+"
                       r"(?:-[a-z]+[ \t]+)*(?P<user>[a-z0-9_$#.]{1,64}+)/",
             ("sqlplus", "expdp", "impdp", "sqlldr", "rman"), fold=True),
        Rule("oracle", r"conn(?:ect)?(?<![a-z0-9_]conn|[a-z0-9_]connect)[ \t]+(?P<user>[a-z0-9_$#.]{1,64}+)/",
             ("conn ", "connect "), fold=True),
    )

    def _hit(self, start: int, pw: str, why: str) -> Hit | None:
        r = _score(pw, why)
        if r is None:
            return None
        score, reason = r
        return Hit(start, start + len(pw), score, reason)

    def _url(self, text: str, m: regex.Match) -> Hit | None:
        # scheme: letters, digits, + . - before "://"
        i = m.start()
        lo = max(0, i - 40)
        while i > lo and text[i - 1].isascii() and (text[i - 1].isalnum() or text[i - 1] in "+.-"):
            i -= 1
        if m.start() - i < 2 or not text[i].isalpha():
            return None
        # the authority: up to the first / ? or whitespace (# is allowed: passwords contain it)
        a = m.end()
        lim = min(len(text), a + MAX_TOKEN)
        e = a
        while e < lim and text[e] not in _TOKEN_STOP and text[e] not in "/?":
            e += 1
        at = text.rfind("@", a, e)
        if at < 0 or at + 1 >= len(text) or text[at + 1] not in _HOST_START:
            return None
        colon = text.find(":", a, at)
        if colon < 0:
            return None
        pw = text[colon + 1:at]
        if not pw or "," in pw:
            return None  # "host:123,user:pw@host2": a multi-host list, not user:password
        return self._hit(colon + 1, pw, "password in a connection string URL")

    def _keyword(self, text: str, m: regex.Match) -> Hit | None:
        s = m.start()
        if s > 0 and (text[s - 1].isascii() and (text[s - 1].isalnum() or text[s - 1] == "_")):
            # "DbPassword=" in a keyword string is fine, "dbpassword" inside an identifier is not ours
            if not (text[s].isupper() and text[s - 1].islower()):
                return None
        ctx = connection_context(text, s, f"{self.name}.keyword")
        if ctx is None:
            return None
        p = text.index("=", m.end()) + 1
        while p < len(text) and text[p] in " \t":
            p += 1
        if p >= len(text):
            return None
        c = text[p]
        if c == "{":
            close = text.find("}", p + 1, p + 1 + MAX_TOKEN)
            if close < 0:
                return None
            start, end = p + 1, close
        elif c in "\"'":
            close = text.find(c, p + 1, p + 1 + MAX_TOKEN)
            if close < 0:
                return None
            start, end = p + 1, close
        else:
            stops = " \t\r\n;&\"'`<>" if ctx == "url" else "\r\n;&\"'`<>"
            start = end = p
            lim = min(len(text), p + MAX_TOKEN)
            while end < lim and text[end] not in stops:
                end += 1
            while end > start and text[end - 1] in " \t":
                end -= 1
        pw = text[start:end]
        if not pw:
            return None
        return self._hit(start, pw, "password in a connection string")

    def _godsn(self, text: str, m: regex.Match) -> Hit | None:
        i = m.start()
        lo = max(0, i - 200)
        while i > lo and text[i - 1] not in _TOKEN_STOP and text[i - 1] not in "/=,;(":
            i -= 1
        userinfo = text[i:m.start()]
        colon = userinfo.find(":")
        if colon < 0:
            return None
        pw = userinfo[colon + 1:]
        if not pw:
            return None
        return self._hit(i + colon + 1, pw, "password in a database DSN")

    def _oracle(self, text: str, m: regex.Match) -> Hit | None:
        p = m.end()
        end = p
        lim = min(len(text), p + 130)
        while end < lim and text[end] not in _TOKEN_STOP and text[end] != "@":
            end += 1
        pw = text[p:end]
        if not pw or (end >= lim and lim < len(text)):
            return None
        at = end < len(text) and text[end] == "@"
        if not at and m.group().lstrip().startswith("conn"):
            return None  # "connect a/b" in prose: only user/password@service counts
        return self._hit(p, pw, "password in a database login command")
