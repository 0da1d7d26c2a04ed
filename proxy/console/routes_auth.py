"""Login and logout.

The password is checked by ``ReviewerStore.verify`` (argon2id) in a worker thread, so a login never stalls
the event loop that relays the gateway's streams. Every failure (unknown name, wrong password, locked or
disabled account) gets the same message and the same timing. A successful login starts a new session
(new token, new CSRF token); nothing from before the login is reused.
"""
from __future__ import annotations

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from proxy.console.auth import (LOGIN_CSRF_COOKIE, SESSION_COOKIE, Ctx, clear_cookie, lang_of, new_login_token,
                                read_form, require_post, same, set_cookie, state)
from proxy.console.web import page, see_other

router = APIRouter()

MAX_NAME, MAX_PASSWORD = 100, 1024


def safe_next(target: str | None) -> str:
    """Only a console path: never an open redirect (``//host``, ``/\\host``, scheme-relative ...)."""
    if (not target or not target.startswith("/console") or target.startswith("/console/login")
            or any(ch in target for ch in "\\\r\n") or "//" in target):
        return "/console/queue"
    return target


def login_page(request: Request, *, error: str | None = None, status: int = 200, name: str = "") -> Response:
    ctx = Ctx(request=request, lang=lang_of(request))
    token = request.cookies.get(LOGIN_CSRF_COOKIE)
    if not token or len(token) != 43 or error == "login.expired":
        token = new_login_token()
    response = page(ctx, "login.html", status=status, login_csrf=token, error=error, name=name,
                    next=safe_next(request.query_params.get("next")))
    set_cookie(response, request, LOGIN_CSRF_COOKIE, token, max_age=3600)
    return response


@router.get("/console/login")
def login_form(request: Request) -> Response:
    return login_page(request)


@router.post("/console/login")
async def login(request: Request) -> Response:
    form = await read_form(request)
    name, password, token = form.get("name"), form.get("password"), form.get("csrf")
    if not (isinstance(token, str) and same(token, request.cookies.get(LOGIN_CSRF_COOKIE))):
        return login_page(request, error="login.expired", status=403)
    if not (isinstance(name, str) and isinstance(password, str)) or not name or not password or \
            len(name) > MAX_NAME or len(password) > MAX_PASSWORD:
        return login_page(request, error="login.failed", status=400, name=name if isinstance(name, str) else "")
    st = state(request)
    reviewer = await run_in_threadpool(st.reviewers.verify, name, password)
    if reviewer is None:
        return login_page(request, error="login.failed", status=401, name=name[:MAX_NAME])

    def start() -> str:
        st.sessions.purge_expired()
        return st.sessions.create(reviewer.id, st.lifetime)[0]

    session_token = await run_in_threadpool(start)
    target = form.get("next")
    response = see_other(safe_next(target if isinstance(target, str) else None))
    set_cookie(response, request, SESSION_COOKIE, session_token, max_age=int(st.lifetime.total_seconds()))
    clear_cookie(response, request, LOGIN_CSRF_COOKIE)
    return response


@router.post("/console/logout")
def logout(request: Request, ctx: Ctx = require_post("view")) -> Response:
    state(request).sessions.end(request.cookies.get(SESSION_COOKIE))
    response = see_other("/console/login")
    clear_cookie(response, request, SESSION_COOKIE)
    return response


@router.get("/console")
@router.get("/console/")
def home() -> Response:
    return see_other("/console/queue")
