"""The review console at ``/console``: server-rendered pages (Jinja2, no JavaScript, every asset bundled)
for security staff to review blocked and held requests. See docs/console.md.

``mount_console(app)`` adds its routes, its static files, its error pages and the security-header
middleware; the app's lifespan puts a :class:`ConsoleState` on ``app.state.console``.
"""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.staticfiles import StaticFiles

from proxy.console.auth import ConsoleError, ConsoleState, LoginRequired
from proxy.console.web import HERE, ConsoleHeaders, console_error, login_required

__all__ = ["ConsoleState", "mount_console"]


def mount_console(app: Any) -> None:
    from proxy.console import (routes_admin, routes_audit, routes_auth, routes_dashboard, routes_incident,
                               routes_proposals, routes_queue)

    app.mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static")
    for module in (routes_auth, routes_queue, routes_incident, routes_dashboard, routes_admin, routes_proposals,
                   routes_audit):
        app.include_router(module.router)
    app.include_router(_fallback)
    app.add_exception_handler(ConsoleError, console_error)
    app.add_exception_handler(LoginRequired, login_required)
    app.add_middleware(ConsoleHeaders)


_fallback = APIRouter()


@_fallback.api_route("/console/{rest:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
def not_found(rest: str) -> None:
    """Any other /console URL: an HTML 404 page (the API's JSON 404 is for API clients)."""
    raise ConsoleError(404, "err.not_found")
