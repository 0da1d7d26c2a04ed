"""Shared helpers for reading OpenAI payloads: type checks that name the offending field."""
from __future__ import annotations

import json
from typing import Any

from proxy.errors import NotInspectable, WrongShape
from proxy.flow import Segment
from proxy.wire.sweep import strings

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
    """Append a text segment; non-empty strings only. Wrong types are the caller's check.

    A string that is itself a JSON object or array (tool-call arguments, tool results) is read as JSON:
    its strings become the segments (path ``<path>#json<inner path>``), because escaping (``\\n``,
    ``\\uXXXX``) would otherwise hide line structure and characters from the detectors.
    """
    if not isinstance(value, str) or not value:
        return
    inner = json_strings(value)
    if inner is None:
        out.append(Segment(path=path, text=value, role=role))
    else:
        out.extend(Segment(path=f"{path}{JSON_MARK}{p}", text=s, role=role) for p, s in inner)


JSON_MARK = "#json"


def json_strings(value: str, depth: int = 0) -> list[tuple[str, str]] | None:
    """The strings inside ``value`` if it is a JSON object/array (nested JSON strings too), else None."""
    head = value.lstrip()[:1]
    if head not in ("{", "[") or depth > 3:
        return None
    try:
        obj = json.loads(value, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):
        return None  # not JSON, or JSON with a duplicate key: read as plain text, so every copy is seen
    if not isinstance(obj, (dict, list)):
        return None
    out: list[tuple[str, str]] = []
    for p, s in strings(obj):
        p = p if p.startswith("[") else "." + p
        nested = json_strings(s, depth + 1)
        if nested is None:
            out.append((p, s))
        else:
            out.extend((f"{p}{JSON_MARK}{q}", t) for q, t in nested)
    return out


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        raise ValueError("duplicate key")  # json.loads would keep only the last copy; the upstream may read another
    return out


def content_parts(out: list[Segment], content: Any, path: str, role: str | None, *,
                  text_keys: dict[str, str], binary: dict[str, tuple[str, str]]) -> None:
    """Message content as a plain string or a list of typed parts (chat and responses formats).

    ``text_keys`` maps a text part type to the field holding its text; a part type in ``binary`` (images,
    audio, files) cannot be inspected yet and refuses the request. Unknown part types are left to the
    sweep, which inspects every string they hold.
    """
    if content is None:
        return
    if isinstance(content, str):
        add_text(out, content, path, role)
        return
    expect(content, (str, list), path)
    for k, part in enumerate(content):
        ppath = f"{path}[{k}]"
        expect(part, dict, ppath)
        kind = expect(part.get("type"), str, f"{ppath}.type")
        if kind in binary:
            zh, en = binary[kind]
            raise not_inspectable(zh, en, ppath)
        key = text_keys.get(kind)
        if key is not None:
            add_text(out, expect(part.get(key), str, f"{ppath}.{key}"), f"{ppath}.{key}", role)


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


def sweep(payload: Any, claimed: set[str]) -> list[Segment]:
    """The safety net: every string the endpoint extractor did not claim becomes a segment too.

    Extractors put the fields they understand first, in reading order (that order forms the document
    the detectors see); the sweep adds the rest, so an unknown or new field can never carry text out
    uninspected.
    """
    out: list[Segment] = []
    for p, s in strings(payload):
        if p not in claimed:
            add_text(out, s, p, "other")
    return out
