"""Rendering and the console's HTTP frame: templates, security headers, error pages.

Every ``/console`` response gets (``ConsoleHeaders``, pure ASGI so it also covers error pages and static
files): a CSP of ``default-src 'self'`` (the console has no script at all, and no inline style),
``X-Frame-Options: DENY``, ``Referrer-Policy: no-referrer``, ``nosniff``, and ``Cache-Control: no-store``
on everything but the stylesheet (pages show evidence; no browser or proxy cache may keep them).
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import jinja2
from starlette.requests import HTTPConnection, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from proxy.console import i18n
from proxy.console.auth import COOKIE_PATH, ConsoleError, Ctx, lang_of, secure_request, state

HERE = Path(__file__).resolve().parent
CST = timezone(timedelta(hours=8), "UTC+08:00")  # China Standard Time: days and times are shown at +08:00
CSP = ("default-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; "
       "base-uri 'none'; object-src 'none'")

env = jinja2.Environment(loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
                         undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)


def local(ts: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
    return ts.astimezone(CST).strftime(fmt) if ts else ""


env.filters["local"] = local


def url_with(conn: HTTPConnection, **changes: Any) -> str:
    """The current URL (path and query) with some query parameters changed (None removes one)."""
    params = dict(conn.query_params)
    for k, v in changes.items():
        if v is None:
            params.pop(k, None)
        else:
            params[k] = v
    query = urlencode(params)
    return conn.url.path + ("?" + query if query else "")


def page(ctx: Ctx, template: str, status: int = 200, **context: Any) -> HTMLResponse:
    other = "en" if ctx.lang == "zh" else "zh"
    html = env.get_template(template).render(
        _=i18n.Translator(ctx.lang), lang=ctx.lang, me=ctx.reviewer, csrf=ctx.csrf, can=ctx.can,
        path=ctx.request.url.path, lang_url=url_with(ctx.request, lang=other), **context)
    return HTMLResponse(html, status_code=status)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


def error_page(request: Request, status: int, key: str, **kw: Any) -> HTMLResponse:
    ctx = getattr(request.state, "console_ctx", None) or Ctx(request=request, lang=lang_of(request))
    message = i18n.gettext(ctx.lang, key, **kw)
    return page(ctx, "error.html", status=status, message=message, status_code=status)


async def console_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ConsoleError)
    return error_page(request, exc.status, exc.key, **exc.kw)


async def login_required(request: Request, exc: Exception) -> Response:
    target = request.url.path if request.method == "GET" else "/console/queue"
    if request.method == "GET" and request.url.query:
        target += "?" + request.url.query
    return see_other("/console/login?" + urlencode({"next": target}))


class ConsoleHeaders:
    """Pure ASGI: security headers on every /console response, and the language cookie on ``?lang=``."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or not (path == COOKIE_PATH or path.startswith(COOKIE_PATH + "/")):
            await self.app(scope, receive, send)
            return
        conn = HTTPConnection(scope)
        lang = i18n.normalize(conn.query_params.get("lang"))
        static = path.startswith(COOKIE_PATH + "/static/")

        async def send_with_headers(message: Any) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", [])
                           if k.lower() not in (b"cache-control", b"x-frame-options")]
                headers += [(b"content-security-policy", CSP.encode()), (b"x-frame-options", b"DENY"),
                            (b"referrer-policy", b"no-referrer"), (b"x-content-type-options", b"nosniff"),
                            (b"cache-control", b"max-age=3600" if static else b"no-store")]
                if lang and lang != conn.cookies.get(i18n.COOKIE):
                    secure = "; Secure" if secure_request(conn, state(conn).cookie_secure) else ""
                    cookie = (f"{i18n.COOKIE}={lang}; Max-Age=31536000; Path={COOKIE_PATH}; HttpOnly; "
                              f"SameSite=Strict{secure}")
                    headers.append((b"set-cookie", cookie.encode()))
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
