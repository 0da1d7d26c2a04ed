"""Allow-list proposals (admin only): each incident marked false positive, with the reviewer's comment and
a policy snippet that would let its flagged text through (``allow_list: phrases:``, the format of
``proxy.policy.schema.AllowList``). The flagged text is evidence, so showing it records an evidence view
for every incident on the page (through ``view_evidence``, as the detail page does).

The snippet is a suggestion for a person to check, never applied automatically: policy changes go
through the policy files, ``baomi policy check`` and review like any other change.
"""
from __future__ import annotations

from typing import Any

import yaml
from fastapi import APIRouter
from starlette.responses import Response

from proxy.console.auth import Ctx, require
from proxy.console.filters import decode_cursor, encode_cursor
from proxy.console.routes_incident import names, view
from proxy.console.web import page

router = APIRouter()

PAGE = 20
MAX_PHRASE = 200  # longer flagged text is no allow-list phrase: a rule needs writing by hand


def snippet(incident_id: str, phrases: list[str]) -> str:
    body = yaml.safe_dump({"allow_list": {"phrases": phrases}}, allow_unicode=True, sort_keys=False,
                          default_flow_style=False, width=1000)
    return f"# baomi: false positive {incident_id}\n{body}"


def proposal(ctx: Ctx, record: Any, who: dict[int, str]) -> dict[str, Any]:
    evidence = view(ctx, record)
    texts: list[str] = []
    too_long = 0
    for e in (evidence or {}).get("evidence") or []:
        text = e.get("text") if isinstance(e, dict) else None
        if not isinstance(text, str) or not text.strip():
            continue
        if len(text) > MAX_PHRASE:
            too_long += 1
        elif text not in texts:
            texts.append(text)
    history = ctx.request.app.state.rt.incidents.actions(record.id)
    fp = [a for a in history if a["action"] == "false_positive"]
    last = fp[-1] if fp else None
    return {"r": record, "evidence": evidence is not None, "texts": texts, "too_long": too_long,
            "snippet": snippet(record.id, texts) if texts else None,
            "comment": last["comment"] if last else None,
            "by": who.get(last["reviewer_id"], "?") if last else None, "at": last["ts"] if last else None}


@router.get("/console/proposals")
def proposals(ctx: Ctx = require("admin")) -> Response:
    raw = ctx.request.query_params.get("before")
    before = decode_cursor(raw) if raw else None
    rows = ctx.request.app.state.rt.incidents.query(status="false_positive", before=before, limit=PAGE + 1)
    who = names(ctx.request)
    items = [proposal(ctx, r, who) for r in rows[:PAGE]]
    next_url = f"/console/proposals?before={encode_cursor(rows[PAGE - 1].cursor)}" if len(rows) > PAGE else None
    return page(ctx, "proposals.html", items=items, next_url=next_url, max_phrase=MAX_PHRASE)
