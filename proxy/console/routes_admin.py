"""Reviewer accounts (admin only): list, add, disable, reset a password.

Disabling ends every session of that reviewer at once (and any session that slipped through would fail
anyway: every request checks the reviewer). A reset also lifts a lockout and ends the reviewer's sessions.
An admin cannot disable their own account (the last admin would lock everyone out).
"""
from __future__ import annotations

from datetime import datetime, timezone
from urllib.parse import urlencode

from fastapi import APIRouter
from starlette.responses import Response

from proxy.console import i18n
from proxy.console.auth import ConsoleError, Ctx, require, require_post, state
from proxy.console.web import local, page, see_other
from proxy.store.reviewers import ROLES, ReviewerError

router = APIRouter()


def _page(ctx: Ctx, *, status: int = 200, error: str | None = None, notice: str | None = None) -> Response:
    now = datetime.now(timezone.utc)
    rows = []
    for r in state(ctx.request).reviewers.list(include_disabled=True):
        if r.disabled_at:
            st = i18n.gettext(ctx.lang, "rev.disabled")
        elif r.locked_until and r.locked_until > now:
            st = i18n.gettext(ctx.lang, "rev.locked", t=local(r.locked_until))
        else:
            st = i18n.gettext(ctx.lang, "rev.active")
        rows.append({"r": r, "state": st, "active": r.disabled_at is None})
    return page(ctx, "reviewers.html", status=status, rows=rows, roles=ROLES, error=error, notice=notice)


@router.get("/console/reviewers")
def reviewers(ctx: Ctx = require("admin")) -> Response:
    done, name = ctx.request.query_params.get("done"), ctx.request.query_params.get("name", "")[:100]
    keys = {"added": "rev.added", "disabled": "rev.disabled_done", "reset": "rev.reset_done"}
    notice = i18n.gettext(ctx.lang, keys[done], name=name) if done in keys else None
    return _page(ctx, notice=notice)


def _done(what: str, name: str) -> Response:
    return see_other("/console/reviewers?" + urlencode({"done": what, "name": name}))


@router.post("/console/reviewers")
def add(ctx: Ctx = require_post("admin")) -> Response:
    name, role, password = ctx.field("name", 200), ctx.field("role", 20), ctx.field("password", 1024)
    try:
        state(ctx.request).reviewers.add(name, role, password)
    except ReviewerError as exc:
        return _page(ctx, status=400, error=i18n.pick(ctx.lang, str(exc)))
    return _done("added", name)


@router.post("/console/reviewers/disable")
def disable(ctx: Ctx = require_post("admin")) -> Response:
    assert ctx.reviewer is not None
    name = ctx.field("name", 200)
    if name == ctx.reviewer.name:
        raise ConsoleError(400, "rev.not_self")
    st = state(ctx.request)
    target = next((r for r in st.reviewers.list() if r.name == name), None)
    if target is None:
        raise ConsoleError(404, "err.not_found")
    try:
        st.reviewers.remove(name)
    except ReviewerError as exc:
        return _page(ctx, status=400, error=i18n.pick(ctx.lang, str(exc)))
    st.sessions.end_all(target.id)
    return _done("disabled", name)


@router.post("/console/reviewers/password")
def reset(ctx: Ctx = require_post("admin")) -> Response:
    name, password = ctx.field("name", 200), ctx.field("password", 1024)
    st = state(ctx.request)
    target = next((r for r in st.reviewers.list() if r.name == name), None)
    if target is None:
        raise ConsoleError(404, "err.not_found")
    try:
        st.reviewers.set_password(name, password)
    except ReviewerError as exc:
        return _page(ctx, status=400, error=i18n.pick(ctx.lang, str(exc)))
    if target.id != (ctx.reviewer.id if ctx.reviewer else None):
        st.sessions.end_all(target.id)
    return _done("reset", name)
