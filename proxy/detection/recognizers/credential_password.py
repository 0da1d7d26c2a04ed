"""Passwords next to a password label: config and code (``DB_PASSWORD=…``, ``password: "…"``,
``"password": "…"``, ``<password>…</password>``, ``<add key="DbPassword" value="…"/>``, ``--password …``,
``spring.datasource.password=…``, SQL ``IDENTIFIED BY '…'``), command lines (``mysql -u root -p…``,
``sshpass -p …``, ``redis-cli -a …``, ``curl -u user:…``, ``docker login -p …``) and prose in Chinese and
English (``密码：…``, ``数据库密码是 Xy7#kL9q``, ``口令已改为 …``, ``the password is …``).

The VALUE decides (``credential_values.password_strength``): a value of six or more characters with mixed
character classes scores 0.85; variable names, references (``os.environ[…]``, ``${DB_PASSWORD}``,
``{{ secrets.X }}``, ``getenv``), placeholders (``******``, ``<填入密码>``, ``changeme``, ``""``),
types (``password: str``), paths and well-known defaults (``123456``, ``admin``) are not reported or
score below 0.5. Prose that only talks about passwords ("请修改初始密码", "忘记密码怎么办", "密码长度为8位")
has no value after the label. Passwords inside connection strings are ConnectionStringRecognizer's.
"""
from __future__ import annotations

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.credential_assign import (
    NOT_CODE, Assignment, Value, label_tokens, literal_value, read_assignment, read_value)
from proxy.detection.recognizers.credential_base import (
    CATEGORY, PASSWORD, CredentialRecognizer, Hit, Rule, line_bounds, match_at)
from proxy.detection.recognizers.credential_context import connection_context, described, table_column
from proxy.detection.recognizers.credential_values import identifier_like, password_strength

#: words that end in "pass" but are not password labels
_NOT_LABELS = frozenset({"bypass", "compass", "overpass", "underpass", "trespass", "surpass", "impass", "encompass",
                         "mass", "bass", "class", "glass", "grass", "brass"})
_STEMS = ("password", "passwd", "passphrase", "pass", "pwd", "passw")
#: what may be glued in front of "pass" in a password label (``dbpass``, ``requirepass``, ``PGPASS``)
_PASS_PREFIXES = frozenset({"db", "require", "root", "admin", "user", "my", "sql", "mysql", "pg", "smtp", "mail",
                            "ftp", "ssh", "vnc", "redis", "ldap", "bind", "master", "login", "app", "api", "web",
                            "wifi", "wlan", "proxy", "auth", "key", "store", "sys", "sudo", "vpn", "rabbit", "mq"})
#: header words that accompany a password column in a table of accounts
_ACCOUNT_WORDS = ("user", "name", "login", "account", "host", "server", "ip", "mail", "system", "账号", "帐号", "用户",
                  "姓名", "工号", "主机", "服务", "地址", "系统", "邮箱", "名称")
#: a numeric passcode of a video meeting is shared with every invitee: weak evidence of a secret
_MEETING_WORDS = ("会议", "入会", "meeting", "zoom", "webex", "teams")
#: "password for the VPN is …"
_PROSE = bounded.compile(
    r"[ \t]+(?i:for|of|to|on)[ \t]+(?:(?i:the|my|our|your|this|that)[ \t]+)?[\w.@\-]{1,40}"
    r"(?:[ \t]+[\w.@\-]{1,20})?(?:[ \t]+(?i:is|was)(?:[ \t]+(?i:now|still))?[ \t]*:?|[ \t]*:)[ \t]+")
#: command -> (flags that precede a password, value glued to the flag)
_CLI_FLAG = {
    "mysql": ((" -p",), True),
    "sshpass": ((" -p",), False),
    "redis": ((" -a",), False),
    "login": ((" -p",), False),
    "curl": ((" -u", " --user"), False),
}


class PasswordRecognizer(CredentialRecognizer):
    ENTITY_CATEGORIES = {PASSWORD: CATEGORY}
    RULES = (
        Rule("label", r"pass(?:word|wd|phrase|w)?+(?:[_\-]?\d)?+" + NOT_CODE, ("pass",), fold=True),
        Rule("label", r"pwd(?:[_\-]?\d)?+" + NOT_CODE, ("pwd",), fold=True),
        Rule("cjk", r"密码", ("密码",)),
        Rule("cjk", r"口令", ("口令",)),
        Rule("cjk", r"密碼", ("密碼",)),
        Rule("identified", r"identified[ \t]+by[ \t]+(?:password[ \t]+)?", ("identified",), fold=True),
        Rule("mysql", r"(?<![a-z0-9_\-])(?:mysql|mysqldump|mysqladmin|mysqlimport|mysqlsh|mariadb)(?![a-z0-9_\-])",
             ("mysql", "mariadb"), fold=True),
        Rule("sshpass", r"(?<![a-z0-9_\-])sshpass(?![a-z0-9_\-])", ("sshpass",), fold=True),
        Rule("redis", r"(?<![a-z0-9_\-])redis-cli(?![a-z0-9_\-])", ("redis-cli",), fold=True),
        Rule("login", r"(?<![a-z0-9_\-])(?:docker|podman|helm|nerdctl|oras)[ \t]+(?:registry[ \t]+)?login"
                      r"(?![a-z0-9_\-])",
             ("login",), fold=True),
        Rule("curl", r"(?<![a-z0-9_\-])curl(?![a-z0-9_\-])", ("curl",), fold=True),
        # requests / httpx / aiohttp: auth=("user", "password"), HTTPBasicAuth("user", "password")
        Rule("auth_pair", r"auth(?:[ \t]*=[ \t]*\(?|\()[ \t]*(?=[\"'])", ("auth",), fold=True),
    )

    # -- labels ----------------------------------------------------------------------------------------------

    def _label(self, text: str, m: regex.Match) -> Hit | None:
        s, e = m.start(), m.end()
        if e < len(text) and text[e] in " \t" and e - s >= 6:  # "password for the VPN is …" (not "pass …")
            pm = match_at(_PROSE, text, e, f"{self.name}.prose", min(len(text), e + 120))
            if pm is not None:
                v = read_value(text, pm.end())
                return self._judge_value(v, "is", prose=True) if v is not None else None
        column = self._column(text, s, e)
        if column:
            return column
        a = read_assignment(text, s, e, f"{self.name}.label", min_len=4)
        if a is None:
            return None
        tokens = label_tokens(a.label)
        if not tokens:
            return None
        last = tokens[-1]
        if last in _NOT_LABELS or not last.endswith(_STEMS):
            return None
        if last.endswith("pass") and last != "pass" and last[:-4] not in _PASS_PREFIXES:
            return None  # auxpass, nsubjpass, surpass: only known compounds (dbpass, requirepass …)
        if last in ("pass", "pwd") and a.sep not in ("op", "attr", "xml", "pair", "call"):
            return None  # "pass" is an English verb, "pwd" a shell command: only in assignments
        if a.sep == "ws" and not self._spaced_form(text, a, last):
            return None  # "passwd 1:4.13+dfsg1" in a package list, "PASSWORD  *netrw-passwd*" in docs
        if a.sep == "op" and connection_context(text, a.label_start, f"{self.name}.conn"):
            return None  # ConnectionStringRecognizer's
        return self._assigned(a, text)

    @staticmethod
    def _spaced_form(text: str, a: Assignment, last: str) -> bool:
        """An ASCII label followed by its value after spaces only: a command-line flag (``--password x``),
        a quoted SQL value (``WITH PASSWORD 'x'``), redis ``requirepass x`` or a netrc line."""
        if a.value.quoted or last == "requirepass":
            return True
        if a.label_start > 0 and text[a.label_start - 1] == "-":
            return True
        ls, _ = line_bounds(text, a.label_start, a.label_start, cap=200)
        line = text[ls:a.label_start].lower()
        return "machine " in line or "login " in line

    def _cjk(self, text: str, m: regex.Match) -> Hit | list[Hit] | None:
        column = self._column(text, m.start(), m.end())
        if column:
            return column
        a = read_assignment(text, m.start(), m.end(), f"{self.name}.cjk", cjk_label=True, min_len=4)
        if a is None:
            return None
        return self._assigned(a, text)

    def _assigned(self, a: Assignment, text: str | None = None) -> Hit | None:
        if not literal_value(a):
            return None
        if text is not None:
            if a.cjk and not a.value.quoted and described(text, a.value.end):
                return None  # "密码为8位以上…", "密码为AES加密存储"
            if a.value.text.isdigit() and len(a.value.text) <= 8:
                near = text[max(0, a.label_start - 16):a.label_start + len(a.label)].lower()
                if any(w in near for w in _MEETING_WORDS):
                    return Hit(a.value.start, a.value.end, 0.4, "numeric meeting passcode")
        return self._judge_value(a.value, a.sep, prose=a.sep in ("is", "cjk"))

    @staticmethod
    def _column(text: str, start: int, end: int) -> list[Hit]:
        """A password column of a table (``用户名,密码`` / ``| 账号 | 密码 |`` header): its values."""
        i = end
        lim = min(len(text), end + 8)
        while i < lim and text[i] in "\"'*` ":
            i += 1
        if i < len(text) and text[i] not in "|,\t\r\n":
            return []
        hits = []
        for v in table_column(text, start, end, _ACCOUNT_WORDS):
            score, _ = password_strength(v.text)
            if score >= 0.75 and not identifier_like(v.text):
                hits.append(Hit(v.start, v.end, 0.8, "value in the password column of a table"))
        return hits

    def _judge_value(self, v: Value, sep: str, *, prose: bool = False) -> Hit | None:
        if prose and not v.quoted and v.text.endswith((",", ".")):
            v = Value(v.start, v.end - 1, v.text[:-1], v.quoted)
        score, why = password_strength(v.text)
        if score <= 0:
            return None
        if sep in ("ws", "glued", "pipe"):
            # a label followed by a value without a separator: only clear passwords, and weaker evidence
            if score < 0.75 or (not v.quoted and (identifier_like(v.text) or "=" in v.text)):
                return None
            score, why = 0.75, "password label followed by a real-looking value"
        return Hit(v.start, v.end, score, why)

    # -- SQL and command lines ---------------------------------------------------------------------------------

    def _identified(self, text: str, m: regex.Match) -> Hit | None:
        v = read_value(text, m.end())
        if v is None or not v.quoted:
            return None
        return self._judge_value(v, "op")

    def _cli(self, text: str, m: regex.Match, kind: str) -> Hit | None:
        flags, glued = _CLI_FLAG[kind]
        _, le = line_bounds(text, m.start(), m.end(), cap=300)
        pos = self._flag_value(text, m.end(), le, flags, glued)
        if pos is None:
            return None
        v = read_value(text, pos)
        if v is None:
            return None
        value = v
        if kind == "curl":
            colon = v.text.find(":")
            if colon < 0:
                return None
            value = Value(v.start + colon + 1, v.end, v.text[colon + 1:], v.quoted)
            if not value.text:
                return None
        if not value.quoted and not literal_value(Assignment("", 0, "op", value, False)):
            return None
        score, why = password_strength(value.text)
        if score <= 0:
            return None
        if score >= 0.75:
            score, why = 0.85, "password on a command line"
        return Hit(value.start, value.end, score, why)

    @staticmethod
    def _flag_value(text: str, pos: int, le: int, flags: tuple[str, ...], glued: bool) -> int | None:
        """Offset of the value after the first of ``flags`` on the command line ``[pos, le)``."""
        best: int | None = None
        for flag in flags:
            p = pos
            while True:
                i = text.find(flag, p, le)
                if i < 0:
                    break
                p = i + len(flag)
                if glued:
                    if p < le and text[p] not in " \t\r\n=":
                        break
                    continue
                if p < le and text[p] in " \t":
                    while p < le and text[p] in " \t":
                        p += 1
                    break
            if i >= 0 and (best is None or p < best):
                best = p
        return best

    def _auth_pair(self, text: str, m: regex.Match) -> Hit | None:
        user = read_value(text, m.end())
        if user is None or not user.quoted:
            return None
        p = user.end + 1
        while p < len(text) and text[p] in " \t":
            p += 1
        if p >= len(text) or text[p] != ",":
            return None
        p += 1
        while p < len(text) and text[p] in " \t":
            p += 1
        pw = read_value(text, p)
        if pw is None or not pw.quoted:
            return None
        score, why = password_strength(pw.text)
        if score <= 0:
            return None
        if score >= 0.75:
            score, why = 0.85, "password in an HTTP authentication pair"
        return Hit(pw.start, pw.end, score, why)

    def _mysql(self, text: str, m: regex.Match) -> Hit | None:
        return self._cli(text, m, "mysql")

    def _sshpass(self, text: str, m: regex.Match) -> Hit | None:
        return self._cli(text, m, "sshpass")

    def _redis(self, text: str, m: regex.Match) -> Hit | None:
        return self._cli(text, m, "redis")

    def _login(self, text: str, m: regex.Match) -> Hit | None:
        return self._cli(text, m, "login")

    def _curl(self, text: str, m: regex.Match) -> Hit | None:
        return self._cli(text, m, "curl")
