"""Who is asking, and may they: sessions, CSRF and roles, enforced on the server for every console route.

* Session cookie ``baomi_session``: a random token (its SHA-256 is the row in ``console_sessions``),
  HttpOnly, SameSite=Strict, Path=/console, Secure when the request came over https (directly or per
  ``X-Forwarded-Proto``) or ``BAOMI_CONSOLE_COOKIE_SECURE=true``. Every request looks the session *and*
  the reviewer up, so a logout or a disabled reviewer ends access at once in every gateway process.
* CSRF: every POST carries the session's token in a hidden ``csrf`` field, compared with
  ``hmac.compare_digest``. The login form (no session yet) uses a double-submit cookie
  (``baomi_login_csrf``, also SameSite=Strict). A POST route cannot skip the check: it gets its form only
  through :func:`require_post`, which checks the session, then the token, then the role.
* Roles: ``PERMS`` below. A refusal is a 403 page, never a hidden button alone.
"""
from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.requests import HTTPConnection, Request

from proxy.console import i18n
from proxy.settings import Settings
from proxy.store.reviewers import Reviewer, ReviewerStore
from proxy.store.sessions import Session, SessionStore

SESSION_COOKIE = "baomi_session"
LOGIN_CSRF_COOKIE = "baomi_login_csrf"
COOKIE_PATH = "/console"

#: permission -> roles that have it
PERMS: dict[str, frozenset[str]] = {
    "view": frozenset({"reviewer", "admin", "auditor"}),    # queue, detail, dashboard, exports
    "act": frozenset({"reviewer", "admin"}),                # confirm, false positive, release, comment
    "admin": frozenset({"admin"}),                          # reviewers, allow-list proposals
    "audit": frozenset({"admin", "auditor"}),               # evidence-view audit
}


class ConsoleError(Exception):
    """Answered as an HTML page with ``status`` and the i18n message ``key``."""

    def __init__(self, status: int, key: str, **kw: Any) -> None:
        super().__init__(key)
        self.status, self.key, self.kw = status, key, kw


class LoginRequired(Exception):
    """Answered with a redirect to the login page."""


def settings_problem(settings: Settings) -> str | None:
    """What is wrong with the console's settings (``baomi serve`` checks this before it starts)."""
    if settings.console_cookie_secure.strip().lower() not in ("auto", "true", "false"):
        return (f"BAOMI_CONSOLE_COOKIE_SECURE 只能是 auto、true 或 false / must be auto, true or false, "
                f"not {settings.console_cookie_secure!r}")
    if settings.console_session_hours <= 0:
        return "BAOMI_CONSOLE_SESSION_HOURS 必须为正数 / must be positive"
    return None


@dataclass
class ConsoleState:
    """The console's stores, built in the app's lifespan (``app.state.console``)."""

    reviewers: ReviewerStore
    sessions: SessionStore
    lifetime: timedelta
    cookie_secure: str  # auto | true | false

    @classmethod
    def open(cls, settings: Settings) -> "ConsoleState":
        problem = settings_problem(settings)
        if problem:
            raise ValueError(problem)
        secure = settings.console_cookie_secure.strip().lower()
        return cls(reviewers=ReviewerStore(settings.store_url), sessions=SessionStore(settings.store_url),
                   lifetime=timedelta(hours=settings.console_session_hours), cookie_secure=secure)

    def close(self) -> None:
        self.reviewers.close()
        self.sessions.close()


@dataclass
class Ctx:
    """One console request: its language, and (once authenticated) the reviewer and session."""

    request: Request
    lang: str
    reviewer: Reviewer | None = None
    session: Session | None = None
    form: FormData | None = None

    def can(self, perm: str) -> bool:
        return self.reviewer is not None and self.reviewer.role in PERMS[perm]

    @property
    def csrf(self) -> str:
        return self.session.csrf if self.session else ""

    def field(self, name: str, limit: int = 10_000) -> str:
        """A text field of the posted form ("" when absent); over ``limit`` characters is a 400."""
        value = self.form.get(name) if self.form is not None else None
        if value is None:
            return ""
        if not isinstance(value, str):
            raise ConsoleError(400, "err.bad_input", what=name)
        if len(value) > limit:
            raise ConsoleError(400, "err.bad_input", what=f"{name} (> {limit})")
        return value


def state(conn: HTTPConnection) -> ConsoleState:
    return conn.app.state.console


def lang_of(conn: HTTPConnection) -> str:
    return (i18n.normalize(conn.query_params.get("lang")) or i18n.normalize(conn.cookies.get(i18n.COOKIE))
            or i18n.DEFAULT)


def secure_request(conn: HTTPConnection, setting: str) -> bool:
    if setting in ("true", "false"):
        return setting == "true"
    proto = conn.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return conn.url.scheme == "https" or proto == "https"


def set_cookie(response: Any, conn: HTTPConnection, name: str, value: str, max_age: int | None) -> None:
    response.set_cookie(name, value, max_age=max_age, path=COOKIE_PATH, httponly=True, samesite="strict",
                        secure=secure_request(conn, state(conn).cookie_secure))


def clear_cookie(response: Any, conn: HTTPConnection, name: str) -> None:
    response.delete_cookie(name, path=COOKIE_PATH, httponly=True, samesite="strict",
                           secure=secure_request(conn, state(conn).cookie_secure))


def same(a: str | None, b: str | None) -> bool:
    """Constant-time equality of two tokens; an empty or missing token never matches."""
    if not a or not b:
        return False
    return hmac.compare_digest(a.encode("utf-8"), b.encode("utf-8"))


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def authenticate(request: Request, perm: str | None) -> Ctx:
    """Blocking (database): run in a thread. Raises LoginRequired or a 403 ConsoleError."""
    ctx = Ctx(request=request, lang=lang_of(request))
    request.state.console_ctx = ctx
    st = state(request)
    token = request.cookies.get(SESSION_COOKIE)
    session = st.sessions.get(token)
    reviewer = st.reviewers.get(session.reviewer_id) if session else None
    if session is None or reviewer is None:
        if session is not None:  # the reviewer was disabled: the session ends here too
            st.sessions.end(token)
        raise LoginRequired()
    ctx.reviewer, ctx.session = reviewer, session
    if perm is not None:
        forbid_unless(ctx, perm)
    return ctx


def forbid_unless(ctx: Ctx, perm: str) -> None:
    if not ctx.can(perm):
        role = ctx.reviewer.role if ctx.reviewer else "-"
        raise ConsoleError(403, "err.forbidden", role=i18n.gettext(ctx.lang, f"role.{role}")
                           if role in ("reviewer", "admin", "auditor") else role)


def require(perm: str) -> Any:
    """Dependency for a GET route: the authenticated Ctx with ``perm``."""
    def dep(request: Request) -> Ctx:  # sync: FastAPI runs it in a thread
        return authenticate(request, perm)
    return Depends(dep)


MAX_FORM_BYTES = 64 * 1024  # the console's largest form (a comment) is far smaller


async def read_form(request: Request) -> FormData:
    length = request.headers.get("content-length", "")
    if not length.isdigit() or int(length) > MAX_FORM_BYTES:
        raise ConsoleError(413 if length.isdigit() else 411, "err.bad_input", what=f"form (≤ {MAX_FORM_BYTES} bytes)")
    try:
        return await request.form(max_files=0)
    except Exception:  # malformed multipart, too many fields ...: a bad request, not a 500
        raise ConsoleError(400, "err.bad_input", what="form") from None


def require_post(perm: str) -> Any:
    """Dependency for a POST route: session, then CSRF token, then role; the Ctx carries the form."""
    async def dep(request: Request) -> Ctx:
        form = await read_form(request)
        ctx = await run_in_threadpool(authenticate, request, None)
        ctx.form = form
        token = form.get("csrf")
        if not same(token if isinstance(token, str) else None, ctx.csrf):
            raise ConsoleError(403, "err.csrf")
        forbid_unless(ctx, perm)
        return ctx
    return Depends(dep)
