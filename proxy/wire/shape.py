"""Shared helpers for reading OpenAI payloads: type checks that name the offending field."""
from __future__ import annotations

from typing import Any

from proxy.errors import NotInspectable, WrongShape
from proxy.flow import Segment

_TYPE_NAMES = {str: ("字符串", "a string"), list: ("数组", "an array"), dict: ("对象", "an object"),
               bool: ("布尔值", "a boolean"), int: ("整数", "an integer"), float: ("数字", "a number")}


def expect(value: Any, types: type | tuple[type, ...], path: str, *, required: bool = True) -> Any:
    """Return ``value`` if it has one of ``types``; else a 400 naming ``path``."""
    if value is None and not required:
        return None
    if value is None:
        raise WrongShape(f"缺少必填字段 {path}", f"missing required field {path!r}", param=path)
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in _as_tuple(types)):
        names = [_TYPE_NAMES.get(t, (t.__name__, t.__name__)) for t in _as_tuple(types)]
        zh = "或".join(n[0] for n in names)
        en = " or ".join(n[1] for n in names)
        raise WrongShape(f"字段 {path} 类型错误，应为{zh}", f"field {path!r} must be {en}", param=path)
    return value


def _as_tuple(types: type | tuple[type, ...]) -> tuple[type, ...]:
    return types if isinstance(types, tuple) else (types,)


def add_text(out: list[Segment], value: Any, path: str, role: str | None = None) -> None:
    """Append a text segment; non-empty strings only. Wrong types are the caller's check."""
    if isinstance(value, str) and value:
        out.append(Segment(path=path, text=value, role=role))


def not_inspectable(what_zh: str, what_en: str, path: str) -> NotInspectable:
    return NotInspectable(
        f"baomi 目前无法检查{what_zh}，请求未转发。请改为发送纯文本，或联系管理员",
        f"baomi cannot inspect {what_en} yet, so the request was not forwarded. Send plain text "
        f"instead, or contact your administrator",
        param=path,
    )


def token_ids(value: Any) -> bool:
    """A prompt/input given as token ids (list of ints, or list of lists of ints)."""
    if isinstance(value, list) and value:
        first = value[0]
        return isinstance(first, int) or (isinstance(first, list) and (not first or isinstance(first[0], int)))
    return False
