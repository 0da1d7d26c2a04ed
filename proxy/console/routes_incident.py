"""One incident: the stopped text with its findings highlighted, the reasons, the review history and who
viewed the evidence; the review actions; the incident's own JSON export.

Opening the page reads the evidence only through ``IncidentStore.view_evidence``, which records the view
in the same transaction (never ``get``); so does the export, which also records an ``export`` action.
"""
from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from proxy.console import i18n
from proxy.console.auth import ConsoleError, Ctx, require, require_post, state
from proxy.console.filters import valid_id
from proxy.console.highlight import highlight
from proxy.console.web import page, see_other
from proxy.store.crypto import SealError
from proxy.store.incidents import TRANSITIONS, IncidentNotFound, IncidentRecord, InvalidTransition

router = APIRouter()

REVIEW_ACTIONS = ("confirm", "false_positive", "release", "comment")


def meta(request: Request, incident_id: str) -> IncidentRecord:
    """The incident's metadata (no evidence, so no view to record); a 404 page if there is none."""
    if not valid_id(incident_id):
        raise ConsoleError(404, "err.not_found")
    try:
        return request.app.state.rt.incidents.meta(incident_id)[0]
    except IncidentNotFound:
        raise ConsoleError(404, "err.not_found") from None


def names(request: Request) -> dict[int, str]:
    return {r.id: r.name for r in state(request).reviewers.list(include_disabled=True)}


def view(ctx: Ctx, record: IncidentRecord) -> dict[str, Any] | None:
    assert ctx.reviewer is not None
    try:
        return ctx.request.app.state.rt.incidents.view_evidence(record.id, ctx.reviewer.id)
    except IncidentNotFound:
        raise ConsoleError(404, "err.not_found") from None
    except SealError:  # wrong key for this blob: say so, never a traceback
        raise ConsoleError(409, "err.conflict", what="evidence cannot be opened with this key / 证据无法用当前密钥打开") \
            from None


@router.get("/console/incidents/{incident_id}")
def detail(incident_id: str, ctx: Ctx = require("view")) -> Response:
    record = meta(ctx.request, incident_id)
    evidence = view(ctx, record)
    doc_html, truncated, reasons, doc_len = None, False, [], 0
    if evidence is not None:
        doc = evidence.get("document") if isinstance(evidence.get("document"), str) else ""
        reasons = [e for e in evidence.get("evidence") or [] if isinstance(e, dict)]
        doc_len = len(doc)
        doc_html, truncated = highlight(doc, reasons, lambda n: i18n.gettext(ctx.lang, "inc.elided", n=n))
    store = ctx.request.app.state.rt.incidents
    who = names(ctx.request)
    done = ctx.request.query_params.get("done")
    return page(ctx, "incident.html", r=record, doc_html=doc_html, truncated=truncated, doc_len=doc_len,
                reasons=reasons, history=store.actions(record.id), views=store.views(record.id), who=who,
                purged=evidence is None and record.evidence_purged_at is not None,
                allowed=[a for a in REVIEW_ACTIONS if a not in TRANSITIONS or record.status in TRANSITIONS[a][0]],
                done=done if done in REVIEW_ACTIONS else None)


@router.post("/console/incidents/{incident_id}/act")
def act(incident_id: str, ctx: Ctx = require_post("act")) -> Response:
    record = meta(ctx.request, incident_id)
    action = ctx.field("action", 40)
    if action not in REVIEW_ACTIONS:
        raise ConsoleError(400, "err.bad_input", what="action")
    comment = ctx.field("comment", 2000).strip() or None
    assert ctx.reviewer is not None
    try:
        ctx.request.app.state.rt.incidents.act(record.id, ctx.reviewer.id, action, comment)
    except InvalidTransition as exc:
        code = 400 if action in ("false_positive", "comment") and not comment else 409
        raise ConsoleError(code, "err.conflict", what=i18n.pick(ctx.lang, str(exc))) from None
    return see_other(f"/console/incidents/{record.id}?done={action}")


@router.get("/console/incidents/{incident_id}/export.json")
def export(incident_id: str, ctx: Ctx = require("view")) -> Response:
    record = meta(ctx.request, incident_id)
    evidence = view(ctx, record)
    assert ctx.reviewer is not None
    ctx.request.app.state.rt.incidents.act(record.id, ctx.reviewer.id, "export", None)
    body = {"incident": record.to_json(), "evidence": evidence,
            "exported_by": ctx.reviewer.name, "exported_at": datetime.now(timezone.utc).isoformat()}
    return Response(json.dumps(body, ensure_ascii=False, indent=2), media_type="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{record.id}.json"'})
