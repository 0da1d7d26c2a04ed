"""Where a credential value sits: inside a connection string (:func:`connection_context`: a URL or a
``key=value;`` string, left to ConnectionStringRecognizer by the others), followed by words that make it a
description (:func:`described`: "密码为8位以上"), or in the column of a delimited table under its label
(:func:`table_column`: CSV, TSV, Markdown).
"""
from __future__ import annotations

from proxy.detection import bounded
from proxy.detection.recognizers.credential_assign import Value
from proxy.detection.recognizers.credential_base import line_bounds, search_in

#: the context of a connection string: handled by ConnectionStringRecognizer, skipped by the others
_CONN_KEYS = bounded.compile(
    r"(?i)(?:^|[;\s\"'])(?:server|data[ \t]+source|host|hostname|addr|address|uid|user[ \t]*id|user|username|"
    r"database|initial[ \t]+catalog|driver|dsn|provider|port|sslmode|dbname)[ \t]*=")


_TOKEN_START = bounded.compile(r"(?r)[\s\"'`]")


def connection_context(text: str, start: int, where: str) -> str | None:
    """``url`` when ``start`` lies in a URL (``://`` or ``jdbc:`` earlier in the same whitespace-free
    token), ``keywords`` when it lies in a ``key=value;`` connection string (``Server=…;Pwd=…``)."""
    lo = max(0, start - 300)
    ws = search_in(_TOKEN_START, text, lo, start, where)
    token = text[ws.end() if ws is not None else lo:start]
    if "://" in token or "jdbc:" in token.lower():
        return "url"
    ls = text.rfind("\n", lo, start) + 1 or lo
    seg = text[ls:start]
    if ";" in seg or ";" in text[start:start + 200].split("\n", 1)[0]:
        if search_in(_CONN_KEYS, text, ls, start, where):
            return "keywords"
    return None


#: what follows a value that DESCRIBES passwords rather than giving one ("密码为8位以上字母数字组合")
DESCRIPTIVE_AFTER = ("加密", "算法", "格式", "方式", "位", "个字符", "字符", "以上", "以下", "组合", "存储", "开头", "结尾",
                     "规则", "策略", "要求")


def described(text: str, end: int) -> bool:
    """The value ending at ``end`` is followed by words that make it a description."""
    tail = text[end:end + 6].lstrip(" \t")
    return tail.startswith(DESCRIPTIVE_AFTER)


# ----------------------------------------------------------------------------------------------------------
# tables: a label heading a column (CSV, TSV, Markdown)

MAX_TABLE_ROWS = 20


MAX_TABLE_CELLS = 24
_CELL_PAD = " \t\r\"'*`"


def _cells(text: str, ls: int, le: int, delim: str) -> list[tuple[int, int]]:
    """(start, end) of every cell of the line ``[ls, le)``, stripped of spaces and quotes."""
    out = []
    pos = ls
    for part in text[ls:le].split(delim):
        core = part.strip(_CELL_PAD)
        a = pos + (len(part) - len(part.lstrip(_CELL_PAD))) if core else pos
        out.append((a, a + len(core)))
        pos += len(part) + 1
    return out


#: characters a header cell of a real table does not contain (code: ``key_password=self.key_password,``)
_NOT_HEADER = frozenset("=(){}[]:;<>")


def table_column(text: str, label_start: int, label_end: int, companions: tuple[str, ...]) -> list[Value]:
    """If the label is a whole header cell of a delimited table (CSV, TSV, Markdown) whose other header
    cells include one of ``companions`` (``user``, ``账号`` … for passwords), the values below it in its
    column. Argument lists and dict literals in code are not tables."""
    ls, le = line_bounds(text, label_start, label_end, cap=600)
    line = text[ls:le]
    delim = next((d for d in ("|", "\t", ",") if d in line), None)
    if delim is None or line.count(delim) > MAX_TABLE_CELLS or "\n" not in text[le:le + 1]:
        return []
    nxt = text.find("\n", le + 1, le + 1 + 4000)
    if delim not in text[le + 1:nxt if nxt >= 0 else le + 1 + 4000]:
        return []  # the next line is not a row of the same table
    header = _cells(text, ls, le, delim)
    if delim == "|":  # | a | b | has empty edge cells
        header = [c for k, c in enumerate(header) if c[0] < c[1] or 0 < k < len(header) - 1]
    if len(header) < 2 or any(a == b or b - a > 32 or _NOT_HEADER.intersection(text[a:b]) for a, b in header):
        return []
    idx = next((k for k, (a, b) in enumerate(header) if a <= label_start and b == label_end), None)
    if idx is None:
        return []
    if not any(any(w in text[a:b].lower() for w in companions) for k, (a, b) in enumerate(header) if k != idx):
        return []  # a table of accounts / keys names its other columns (user, 账号, AccessKey ID …)
    out: list[Value] = []
    pos = le + 1
    limit = min(len(text), le + 1 + 4000)
    rows = 0
    while pos < limit and rows < MAX_TABLE_ROWS:
        nl = text.find("\n", pos, limit)
        end = nl if nl >= 0 else limit
        row = text[pos:end]
        if delim not in row or row.count(delim) > MAX_TABLE_CELLS:
            break
        cells = _cells(text, pos, end, delim)
        if delim == "|":
            cells = [c for k, c in enumerate(cells) if c[0] < c[1] or 0 < k < len(cells) - 1]
        rows += 1
        if len(cells) == len(header):
            a, b = cells[idx]
            raw = text[a:b]
            if raw and not all(ch in "-:= " for ch in raw) and "=" not in raw and " " not in raw:
                out.append(Value(a, b, raw, False))
        if nl < 0:
            break
        pos = nl + 1
    return out
