"""Audit of evidence views (admin and auditor): who looked at which incident's evidence, and when, newest
first, paged by row id. The rows are written by ``IncidentStore.view_evidence`` only."""
from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter
from starlette.responses import Response

from proxy.console.auth import ConsoleError, Ctx, require
from proxy.console.routes_incident import names
from proxy.console.web import page
from proxy.store.incidents import utc
from proxy.store.schema import evidence_views, incidents

router = APIRouter()

PAGE = 100


@router.get("/console/audit")
def audit(ctx: Ctx = require("audit")) -> Response:
    raw = ctx.request.query_params.get("before", "")
    if raw and (not raw.isdigit() or len(raw) > 18):
        raise ConsoleError(400, "err.bad_input", what="before")
    v, i = evidence_views.c, incidents.c
    q = (sa.select(v.id, v.incident_id, v.reviewer_id, v.ts, i.decision)
         .join(incidents, i.id == v.incident_id).order_by(v.id.desc()).limit(PAGE + 1))
    if raw:
        q = q.where(v.id < int(raw))
    with ctx.request.app.state.rt.incidents.engine.connect() as conn:
        rows = list(conn.execute(q))
    who = names(ctx.request)
    shown = [{"id": r.id, "incident": r.incident_id, "who": who.get(r.reviewer_id, str(r.reviewer_id)),
              "ts": utc(r.ts), "decision": r.decision} for r in rows[:PAGE]]
    next_url = f"/console/audit?before={rows[PAGE - 1].id}" if len(rows) > PAGE else None
    return page(ctx, "audit.html", rows=shown, next_url=next_url)
