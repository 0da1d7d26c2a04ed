"""OCR pass-through routes: which upstream a request to ``/ocr/<name>/<rest>`` goes to, read how.

Setting ``BAOMI_OCR_ROUTES`` holds one entry per route, separated by ``;`` or newlines::

    <name>=<profile>@<base URL>

    baidu=baidu@https://aip.baidubce.com;tencent=tencent@https://ocr.tencentcloudapi.com
    paddle=generic@http://10.0.0.9:8866/api

- ``name``: ``[a-z0-9_-]``, at most 64 characters, unique; it is the path segment after ``/ocr/``.
- ``profile``: a key of ``ocr_profiles.PROFILES`` (baidu, tencent, aliyun, generic); it says where the
  images, documents and text sit in the request.
- ``base URL``: http or https with a host; no user:password (it would end up in logs and error
  messages), no query and no fragment (the client's query is appended as is). A trailing ``/`` is
  dropped. ``/ocr/paddle/predict/ocr_system?x=1`` goes to ``http://10.0.0.9:8866/api/predict/ocr_system?x=1``.

The rest path is appended, never resolved: it may not contain ``.``/``..`` segments (also percent-
encoded, up to three times), encoded slashes, backslashes or control characters, so a client cannot
walk out of the base path on an upstream that normalises paths; the query may not hold raw spaces,
control characters or ``#``. Empty entries are ignored; an empty setting means no
OCR routes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from proxy.errors import BadRequest
from proxy.wire.ocr_profiles import PROFILES

_NAME = re.compile(r"[a-z0-9_-]{1,64}\Z")
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f\\#?]")  # raw in a base URL or rest path: never legitimate
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_BAD = re.compile(r"[\x00-\x20\x7f#]")


@dataclass(frozen=True, slots=True)
class Route:
    name: str
    profile: str
    base_url: str  # without a trailing slash


class RouteConfigError(ValueError):
    """BAOMI_OCR_ROUTES is malformed; the message names the entry but never echoes its URL."""


class RoutePathError(BadRequest):
    code = "invalid_ocr_path"

    def __init__(self) -> None:
        super().__init__("OCR 路由的路径或查询参数不合法（不允许 . 或 .. 路径段、编码的斜杠、反斜杠或控制字符），"
                         "请求未转发",
                         "the OCR route path or query is not allowed (no . or .. segments, encoded "
                         "slashes, backslashes or control characters); the request was not forwarded",
                         param="path")


def parse_routes(spec: str) -> dict[str, Route]:
    """Parse the BAOMI_OCR_ROUTES value; raise ``RouteConfigError`` on the first bad entry."""
    routes: dict[str, Route] = {}
    for n, entry in enumerate(re.split(r"[;\n]", spec or ""), 1):
        entry = entry.strip()
        if not entry:
            continue
        name, eq, rest = entry.partition("=")
        profile, at, url = rest.partition("@")
        name, profile, url = name.strip(), profile.strip(), url.strip()
        where = f"BAOMI_OCR_ROUTES entry {n}"
        if not eq or not at:
            raise RouteConfigError(f"{where}: expected name=profile@base_url")
        if not _NAME.match(name):
            raise RouteConfigError(f"{where}: route name {name!r} must match [a-z0-9_-]{{1,64}}")
        if name in routes:
            raise RouteConfigError(f"{where}: route {name!r} is defined twice")
        if profile not in PROFILES:
            raise RouteConfigError(f"{where} ({name}): unknown profile {profile!r}; "
                                   f"known: {', '.join(sorted(PROFILES))}")
        routes[name] = Route(name, profile, _base_url(url, f"{where} ({name})"))
    return routes


def _base_url(url: str, where: str) -> str:
    if _BAD_CHARS.search(url):
        raise RouteConfigError(f"{where}: the base URL contains spaces, control characters, '\\', '#' or '?'")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError:
        raise RouteConfigError(f"{where}: the base URL cannot be parsed") from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise RouteConfigError(f"{where}: the base URL must be http:// or https:// with a host")
    if "@" in parts.netloc:
        raise RouteConfigError(f"{where}: the base URL must not contain user:password; "
                               f"configure upstream credentials elsewhere")
    return url.rstrip("/")


def target_url(route: Route, rest_path: str, query: str) -> str:
    """The upstream URL: base URL + ``/`` + rest path (as received, not re-encoded) + ``?query``."""
    rest = rest_path[1:] if rest_path.startswith("/") else rest_path
    if _BAD_CHARS.search(rest) or _QUERY_BAD.search(query):
        raise RoutePathError()
    for segment in rest.split("/"):
        decoded = unquote(unquote(unquote(segment)))  # upstreams that decode twice must not see ".." either
        if decoded in (".", "..") or "/" in decoded or "\\" in decoded or _CONTROL.search(decoded):
            raise RoutePathError()
    return f"{route.base_url}/{rest}" + (f"?{query}" if query else "")
