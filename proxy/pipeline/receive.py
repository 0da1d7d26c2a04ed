"""receive: who is calling, size and content-type limits, JSON parsing -> a Flow with its payload."""
from __future__ import annotations

import json
from typing import Any

from starlette.requests import Request

from proxy import auth
from proxy.errors import MalformedJSON, PayloadTooLarge, UnsupportedMediaType
from proxy.flow import Flow, new_flow_id


def start_flow(request: Request) -> Flow:
    return Flow(id=new_flow_id(), endpoint=request.url.path, method=request.method,
                client=auth.client_of(request), content_type=request.headers.get("content-type"),
                query=request.url.query)


async def read_body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise _too_large(limit)
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(limit: int) -> PayloadTooLarge:
    mb = limit / (1024 * 1024)
    return PayloadTooLarge(f"请求体超过 {mb:g} MB 上限，未转发。请缩短内容或分多次发送",
                           f"request body exceeds the {mb:g} MB limit and was not forwarded; "
                           f"shorten it or send it in parts")


def require_json(request: Request) -> None:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype != "application/json" and not (ctype.startswith("application/") and ctype.endswith("+json")):
        raise UnsupportedMediaType(
            "此接口只接受 Content-Type: application/json 的请求",
            f"this endpoint accepts only Content-Type: application/json (got {ctype or 'none'!r})")


def require_multipart(request: Request) -> None:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if ctype != "multipart/form-data":
        raise UnsupportedMediaType(
            "此接口只接受 Content-Type: multipart/form-data 的请求",
            f"this endpoint accepts only Content-Type: multipart/form-data (got {ctype or 'none'!r})")


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):
        seen: set[str] = set()
        dup = next(k for k, _ in pairs if k in seen or seen.add(k))  # type: ignore[func-returns-value]
        raise _Duplicate(dup)
    return out


class _Duplicate(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def parse_json(body: bytes) -> Any:
    """Strict JSON: valid UTF-8, no duplicate keys (an upstream might read the other copy)."""
    if not body.strip():
        raise MalformedJSON("请求体为空，应为 JSON 对象", "request body is empty; expected a JSON object")
    try:
        return json.loads(body, object_pairs_hook=_no_duplicate_keys)
    except _Duplicate as exc:
        raise MalformedJSON(f"JSON 中字段 {exc.key} 重复", f"duplicate key {exc.key!r} in JSON body",
                            param=exc.key) from None
    except UnicodeDecodeError:
        raise MalformedJSON("请求体不是有效的 UTF-8", "request body is not valid UTF-8") from None
    except json.JSONDecodeError as exc:
        raise MalformedJSON(f"JSON 格式错误（第 {exc.lineno} 行第 {exc.colno} 列）",
                            f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except RecursionError:
        raise MalformedJSON("JSON 嵌套过深", "JSON body is nested too deeply") from None
