"""Reading ``label <separator> value`` from the text around a label stem found by a rule: the value
reader (:class:`Value`, :func:`read_value`: quoted, XML text, or unquoted in code / config / prose), the
label (:func:`label_start`, :func:`label_tokens`), the separator (``=``, ``:``, ``is``, ``是``/``为`` …)
and :class:`Assignment` / :func:`read_assignment`, which also rejects values that are plainly code or
references; :func:`literal_value` tells a literal from a variable in its context.
"""
from __future__ import annotations

from dataclasses import dataclass

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.credential_base import match_at
from proxy.detection.recognizers.credential_values import (
    env_name, expression, identifier_like, reference, split_words)

QUOTES = "\"'`"
#: characters that end an unquoted value
_STOP = set(" \t\r\n\"'`,;&<>()]}|")
MAX_VALUE = 256


@dataclass(frozen=True, slots=True)
class Value:
    start: int
    end: int
    text: str
    quoted: bool
    call: bool = False  # unquoted and followed by "(" or "[": a call or subscript in code


def _run_of(stop: str) -> regex.Pattern:
    return bounded.compile("[%s]{0,%d}" % ("".join(regex.escape(chr(c)) for c in range(0x21, 0x7F)
                                                   if chr(c) not in stop), MAX_VALUE + 1))


#: how far an unquoted value runs: in code (``f(password=pw, …)``, URL queries) it stops at
#: ``,;&<>()]}|``; on a config line of its own (``DB_PASSWORD=Qh&19!x,y``) only whitespace and quotes end
#: it; in prose (``密码：Ab&12，…``) sentence punctuation and HTML entities (``&quot;``) do
_UNQUOTED = {"code": _run_of("".join(_STOP)), "config": _run_of(" \t\r\n\"'`"),
             "prose": _run_of(" \t\r\n\"'`,;<>()]}|")}
_ENTITIES = ("&quot;", "&amp;", "&lt;", "&gt;", "&nbsp;", "&#")
#: what may precede a label at the start of a config line
_LINE_PREFIXES = frozenset({"", "export", "set", "setx", "env", "arg", "declare", "readonly", "local", "-", "*", "#",
                            "//", ";"})


def read_value(text: str, pos: int, *, xml: bool = False, mode: str = "code") -> Value | None:
    """The value starting at ``pos``: a quoted string (same line), an XML element's text, or an unquoted
    run of printable ASCII up to whitespace / non-ASCII and, depending on ``mode`` (code, config, prose),
    some punctuation. None if absent or too long."""
    n = len(text)
    if pos >= n:
        return None
    c = text[pos]
    # Python string prefixes: b"…", r'…', u"…"
    if c in "bruBRU" and pos + 1 < n and text[pos + 1] in "\"'":
        pos += 1
        c = text[pos]
    if xml:
        lim = min(n, pos + MAX_VALUE + 1)
        lt, nl = text.find("<", pos, lim), text.find("\n", pos, lim)
        ends = [e for e in (lt, nl) if e >= 0]
        if not ends:
            return None if lim < n else _strip_value(text, pos, n)
        return _strip_value(text, pos, min(ends))
    if c in QUOTES:
        if text.startswith(c * 3, pos):  # triple quotes: not a one-line value
            return None
        lim = min(n, pos + 1 + MAX_VALUE + 1)
        end = text.find(c, pos + 1, lim)
        while end > 0 and text[end - 1] == "\\":  # escaped quote
            end = text.find(c, end + 1, lim)
        if end < 0:
            return None
        nl = text.find("\n", pos + 1, end)
        if nl >= 0:
            return None
        return Value(pos + 1, end, text[pos + 1:end], True)
    m = match_at(_UNQUOTED[mode], text, pos, "credential.value", min(n, pos + MAX_VALUE + 1))
    end = m.end() if m is not None else pos
    if end - pos > MAX_VALUE:
        return None  # runs on: not a value of its own
    if mode == "prose" and "&" in text[pos:end]:
        cut = [i for i in (text.find(e, pos, end + len(e)) for e in _ENTITIES) if 0 <= i < end]
        end = min(cut) if cut else end
    call = end < n and text[end] in "(["
    # trailing sentence punctuation
    while end > pos and text[end - 1] in ".:":
        end -= 1
    if end == pos:
        return None
    return Value(pos, end, text[pos:end], False, call)


def _strip_value(text: str, start: int, end: int) -> Value | None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return None
    s = start + (len(raw) - len(raw.lstrip()))
    return Value(s, s + len(stripped), stripped, True)



def label_tokens(label: str) -> list[str]:
    """``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` / ``accessKeySecret`` / ``AccessKey Secret`` ->
    ``['alibaba', 'cloud', 'access', 'key', 'secret']`` (lower case; digits and CJK dropped)."""
    return [w.lower() for w in split_words(label[-96:]) if not w[0].isdigit()]


_LABEL_BACK = bounded.compile(r"(?r)[A-Za-z0-9_.\-]*")


def label_start(text: str, stem_start: int, max_len: int = 64, words: int = 3) -> int:
    """Start of the label that ends with the stem at ``stem_start``: identifier characters (``_-.``
    included) and up to ``words`` preceding space-separated ASCII words (``AccessKey Secret``,
    ``Secret Access Key``, ``the client secret``)."""
    lo = max(0, stem_start - max_len)
    m = match_at(_LABEL_BACK, text, lo, "credential.label_start", stem_start)
    i = m.start() if m is not None else stem_start
    for _ in range(words):
        if i - 2 < lo or text[i - 1] != " " or not (text[i - 2].isascii() and text[i - 2].isalpha()):
            break
        j = i - 1
        while j > lo and text[j - 1].isascii() and text[j - 1].isalpha():
            j -= 1
        if j > 0 and (text[j - 1].isascii() and (text[j - 1].isalnum() or text[j - 1] in "_-.")):
            break
        i = j
    return i


#: appended to a label stem of a fold rule (lower-cased text): not followed by an assignment of plain code
#: (``= os.environ[…]``, ``: r.json()``, ``= ${X}``, ``: {{ … }}``, ``= <…>``), which no value check would
#: accept anyway; rejecting it in the regex keeps code-heavy prompts cheap
NOT_CODE = (r"(?![\"'`\]]{0,2}[ \t]*(?:=|:|=>|:=)[ \t]*(?:[a-z_$][\w$]*(?:\.[a-z_$]|\(|\[)|\$\{|\{\{|<[a-z/!]|"
            r"%\(|\$[a-z_]))")

#: the separator between a label and its value, matched at the end of the label's stem
SEPARATOR = bounded.compile(
    r"(?P<close>[\"'`\]]{0,2})"
    r"(?:"
    r"(?P<op>[ \t]*(?:=>|:=|==|=(?!=)|:(?![:/=])|：|＝|->)[ \t]*)"
    r"|(?P<attr>(?<=[\"'])[ \t]+(?i:value)[ \t]*=[ \t]*)"
    r"|(?P<pair>(?<=[\"'])[ \t]*,[ \t]*(?=[\"']))"
    r"|(?P<call>\([ \t]*(?=[\"']))"
    r"|(?P<is>[ \t]+(?:is|was)(?:[ \t]+(?:now|still|set[ \t]+to|changed[ \t]+to))?[ \t]*:?[ \t]+)"
    r"|(?P<cjk>[ \t]*(?:我们|我|你们|你|他们|他|她|刚刚|刚|今天|昨天|已经|已被|都|也|就|统一|暂时|目前|现在|临时|默认|"
    r"一律|均|已|被){0,3}"
    r"(?:是|为|改成了|改成|改为|设为|设置为|设置成|设成|换成了|换成|变成了|变成|更改为|修改为|重置为|更新为)"
    r"[ \t]*[:：]?[ \t]*)"
    r"|(?P<pipe>[ \t]*\|[ \t]*)"
    r"|(?P<ws>[ \t]+)"
    r"|(?P<glued>(?=[!-~]))"
    r")"
)


def _fast_op(text: str, pos: int) -> int | None:
    """The common ``label = value`` / ``"label": value`` separator without a regex: offset of the value,
    or None (then SEPARATOR decides)."""
    n = len(text)
    i = pos
    k = 0
    while i < n and k < 2 and text[i] in "\"'`]":
        i += 1
        k += 1
    while i < n and text[i] in " \t":
        i += 1
    if i >= n or text[i] not in "=:":
        return None
    nxt = text[i + 1] if i + 1 < n else ""
    if text[i] == "=":
        if nxt in "=>":
            return None
    elif nxt in ":/=":
        return None
    i += 1
    while i < n and text[i] in " \t":
        i += 1
    return i


#: first characters of what may follow a Chinese label before its value (connector words, separators, ASCII)
_CJK_NEXT = frozenset("是为改设换变更修重我你他她刚今昨已都也就统暂目现临默一均被：:=＝|") | frozenset(
    chr(c) for c in range(0x21, 0x7F) if chr(c) not in ",.;!?()[]{}<>\"'`")


def _may_follow_cjk_label(text: str, pos: int) -> bool:
    """Cheap pre-check before SEPARATOR for a Chinese label: "密码,请…", "令牌(token)" cannot be followed
    by a value."""
    n = len(text)
    while pos < n and text[pos] in " \t":
        pos += 1
    return pos < n and text[pos] in _CJK_NEXT


_BARE_LABELS = frozenset({"password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "secretkey",
                          "secret_key", "accesskey", "access_key", "accesskeysecret"})


@dataclass(frozen=True, slots=True)
class Assignment:
    label: str  # raw label text (identifier and leading words)
    label_start: int
    sep: str  # op | attr | pair | call | is | cjk | pipe | ws | glued | xml
    value: Value
    code_arg: bool  # label is a keyword argument / object key inside code: ``f(password=pw)``
    cjk: bool = False  # a Chinese label (密码, 密钥 …): what follows is prose or a form field, not code


def read_assignment(text: str, stem_start: int, stem_end: int, where: str, *,
                    cjk_label: bool = False, min_len: int = 1) -> Assignment | None:
    """``label <sep> value`` with the label ending at ``stem_end``. Returns None when no separator or no
    value (of at least ``min_len`` characters) follows, when the value is plainly code (a call, an
    attribute path, a reference: decided before the label is read, the common case in code), or when the
    label is part of a reference (``${DB_PASSWORD}``, ``%API_KEY%``)."""
    if text.startswith(">", stem_end) and stem_start > 0:  # <password>…</password>
        ls = label_start(text, stem_start)
        if ls == 0 or text[ls - 1] != "<":
            return None
        v = read_value(text, stem_end + 1, xml=True)
        if v is None or len(v.text) < min_len or not text[v.end:v.end + 40].lstrip().startswith("</"):
            return None  # not "<password>@host" in a URL template
        return Assignment(text[ls:stem_end], ls, "xml", v, False, cjk_label)
    fast = _fast_op(text, stem_end)
    if fast is not None:
        sep, vpos = "op", fast
    elif cjk_label and not _may_follow_cjk_label(text, stem_end):
        return None
    else:
        m = match_at(SEPARATOR, text, stem_end, where, min(len(text), stem_end + 40))
        if m is None:
            return None
        sep, vpos = m.lastgroup or "", m.end()
        if sep == "glued" and (m.group("close") or not cjk_label):
            return None
    v = read_value(text, vpos)
    if v is None:
        return None
    if len(v.text) < min_len and (v.quoted or v.end >= len(text) or text[v.end] in " \t\r\n\"'`"):
        return None  # too short, and no other reading of the line makes it longer
    if v.quoted:
        if reference(v.text):
            return None
    elif v.call or reference(v.text) or expression(v.text) or (not cjk_label and env_name(v.text)):
        return None
    # the label, only for values that may be literals
    if cjk_label:
        ls = label_start(text, stem_start, max_len=24, words=1) if stem_start else 0
    else:
        ls = label_start(text, stem_start)
    before = text[ls - 1] if ls > 0 else ""
    if before == "%" or (before == "{" and ls > 1 and text[ls - 2] in "${"):
        return None  # %DB_PASSWORD%, ${DB_PASSWORD:-…}, {{DB_PASSWORD}}
    if sep == "call":  # setPassword("…"), .password("…") builders; not hashPassword("…"), getenv("…")
        _, dot, last = text[ls:stem_end].rpartition(".")
        if not (last.lower().startswith(("set", "with", "put")) or (dot and last.lower() in _BARE_LABELS)):
            return None
    if sep == "pair" and (cjk_label or before not in QUOTES):
        return None  # "password", "…" pairs need a quoted ASCII label
    if not v.quoted:  # re-read an unquoted value with the stops of its context
        if cjk_label or sep in ("is", "cjk", "ws", "glued", "pipe"):
            mode = "prose"
        else:
            lstart = text.rfind("\n", max(0, ls - 80), ls) + 1 or max(0, ls - 80)
            mode = "config" if sep == "op" and text[lstart:ls].strip().lower() in _LINE_PREFIXES else "code"
        if mode != "code":
            v = read_value(text, vpos, mode=mode) or v
        if len(v.text) < min_len:
            return None
    # code argument / object key context: the character before the label
    k = ls - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    code_arg = k >= 0 and text[k] in "(,"
    return Assignment(text[ls:stem_end], ls, sep, v, code_arg, cjk_label)


def literal_value(a: Assignment) -> bool:
    """Is the assigned value a literal (as opposed to a variable, call, reference)?"""
    v = a.value.text
    if a.value.quoted:
        return not (reference(v) or env_name(v))
    if a.value.call or reference(v) or expression(v):
        return False
    if a.cjk:
        return True
    if a.sep in ("op", "attr") and a.code_arg and identifier_like(v):
        return False  # f(password=pw), {password: password}
    if env_name(v) or (identifier_like(v) and a.sep == "op" and not any(map(str.isdigit, v))
                       and ("_" in v or v.islower())):
        return False  # password: db_password (a variable), PASSWORD=DB_PASSWORD
    return True

