"""collect: a member of staff fetches the answer to a held request once a reviewer has released it.

The ticket (``hold-…``, from the 403 ``held_for_review`` answer's ``X-Baomi-Ticket`` header and message)
is the claim. Two ways to use it:

* ``GET /v1/holds/{ticket}`` tells where the hold stands: ``held``, ``released`` or ``rejected``
  (metadata only; the evidence key is not needed and nothing is forwarded).
* Re-sending the SAME request to the same endpoint with the header ``X-Baomi-Ticket: <ticket>`` collects
  it: once released, the gateway forwards it without inspecting it again (a reviewer has judged exactly
  this content) and relays the upstream's answer, streaming included. While held: 403 ``hold_pending``;
  after a rejection: 403 ``hold_rejected``.

"The same request" is checked against the sealed original: equal JSON (key order and whitespace may
differ: SDKs re-serialise), or for a multipart upload equal fields and files (the boundary differs on
every send). Anything else is 409 ``ticket_mismatch``: a ticket releases only what the reviewer saw, never a
changed request. A hold whose evidence has been purged (retention) can no longer be matched: 410
``hold_expired``. The ticket is bound to the client that sent the request; another client's ticket is
"not found". A released ticket may be collected more than once (a dropped connection must not lose the
answer); every collection is a flow in the audit table with decision ``release``.

All state is in the shared store, so the reviewer's console and the member of staff may reach different
gateway processes that share one PostgreSQL.
"""
from __future__ import annotations

import asyncio
import base64
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from proxy.errors import (BadRequest, HoldExpired, HoldPending, HoldRejected, InspectionFailed, NotFound,
                          TicketMismatch)
from proxy.flow import Flow
from proxy.pipeline.audit import audit
from proxy.pipeline.forward import forward
from proxy.runtime import Runtime
from proxy.store.incidents import IncidentNotFound, IncidentRecord
from proxy.wire.forms import parse_multipart

HEADER = "x-baomi-ticket"
STATUS_PREFIX = "/v1/holds/"
TICKET = re.compile(r"hold-[0-9a-f]{12}-[0-9a-f]{16}")


def _ticket(value: str) -> str:
    value = value.strip()
    if not TICKET.fullmatch(value):
        raise BadRequest("审核编号格式不正确，应为 403 答复中 X-Baomi-Ticket 的值（hold-…）",
                         "malformed ticket: use the X-Baomi-Ticket value of the 403 answer (hold-…)",
                         param="X-Baomi-Ticket", code="invalid_ticket")
    return value


def _not_found(ticket: str) -> NotFound:
    return NotFound(f"没有审核编号为 {ticket} 的暂扣请求", f"no held request with ticket {ticket}",
                    code="ticket_not_found")


async def _lookup(rt: Runtime, fn: Any, ticket: str, client: str) -> Any:
    loop = asyncio.get_running_loop()
    try:
        found = await loop.run_in_executor(rt.executor, fn, ticket)
    except IncidentNotFound:
        raise _not_found(ticket) from None
    except Exception as exc:  # the store or the key failed: say so, forward nothing
        raise InspectionFailed("暂扣记录暂时无法读取，请求未转发，请稍后重试",
                               "the held request's record cannot be read right now; nothing was forwarded, "
                               "retry later") from exc
    record: IncidentRecord = found[0] if isinstance(found, tuple) else found
    if record.client != client:  # someone else's ticket: as if it did not exist
        raise _not_found(ticket)
    return found


def _status_json(record: IncidentRecord) -> dict[str, Any]:
    return {"ticket": record.ticket, "status": record.ticket_status,
            "incident": record.id, "created_at": record.ts.isoformat(), "endpoint": record.endpoint,
            "model": record.model, "categories": list(record.categories)}


async def ticket_status(flow: Flow, rt: Runtime) -> Response:
    """``GET /v1/holds/{ticket}``."""
    ticket = _ticket(flow.endpoint[len(STATUS_PREFIX):])
    record = await _lookup(rt, rt.incidents.ticket_status, ticket, flow.client)
    flow.status = 200
    return JSONResponse(_status_json(record), headers={"Cache-Control": "no-store"})


def _not_released(record: IncidentRecord) -> Exception:
    t = record.ticket
    if record.status == "confirmed":
        return HoldRejected(f"审核编号 {t} 的请求经保密管理员审核未获放行，不会发送给外部 AI 服务",
                            f"the request with ticket {t} was reviewed and not released; it will not be sent "
                            f"to the external AI service", headers={"X-Baomi-Ticket": t or ""})
    return HoldPending(f"审核编号 {t} 的请求仍在等待保密管理员审核，尚未放行，请稍后再试",
                       f"the request with ticket {t} is still awaiting review and has not been released; "
                       f"try again later", headers={"X-Baomi-Ticket": t or ""})


def _same_request(original: dict[str, Any], flow: Flow) -> bool:
    if (original.get("endpoint"), original.get("method"), original.get("query", "")) != \
            (flow.endpoint, flow.method, flow.query):
        return False
    stored = original["body"].encode("utf-8") if "body" in original \
        else base64.b64decode(original.get("body_base64", ""))
    if stored == flow.body:
        return True
    ctype = (flow.content_type or "").lower()
    if flow.payload is not None or "json" in ctype:  # SDKs re-serialise: key order and spacing may differ
        try:
            return json.loads(stored) == json.loads(flow.body)
        except ValueError:
            return False
    if ctype.startswith("multipart/"):  # the boundary is new on every send, the fields and files must not be
        try:
            return parse_multipart(original.get("content_type") or "", stored) == \
                parse_multipart(flow.content_type or "", flow.body)
        except BadRequest:
            return False
    return False


async def collect(flow: Flow, request: Request, rt: Runtime, content: bytes | None, *, url: str | None = None,
                  headers: dict[str, str] | None = None) -> Response:
    """Forward the released request (to ``url`` with ``headers`` for an OCR-service route); refuse with a
    clear reason otherwise. Nothing new is inspected."""
    ticket = _ticket(request.headers[HEADER])
    record, evidence = await _lookup(rt, rt.incidents.by_ticket, ticket, flow.client)
    flow.ticket = ticket
    if record.status != "released":
        raise _not_released(record)
    if evidence is None:
        raise HoldExpired(f"审核编号 {ticket} 的暂扣记录已按保存期限删除，无法核对，未转发。请重新发送请求（不带审核编号）以重新审核",
                          f"the record of ticket {ticket} was deleted after the retention period and cannot be "
                          f"matched, so nothing was forwarded. Send the request again without the ticket to "
                          f"have it reviewed anew", headers={"X-Baomi-Ticket": ticket})
    if not _same_request(evidence.get("request", {}), flow):
        raise TicketMismatch(
            f"审核编号 {ticket} 只能放行当初暂扣的那一个请求，此请求内容不同，未转发。请原样重发原请求；"
            f"修改后的请求请不带审核编号发送，以便重新检查",
            f"ticket {ticket} releases only the request that was held, and this one differs, so it was not "
            f"forwarded. Re-send the original unchanged; send a changed request without the ticket so that it "
            f"is inspected", param="X-Baomi-Ticket", headers={"X-Baomi-Ticket": ticket})
    response = await forward(flow, rt, request, content, url=url, headers=headers)
    response.headers["X-Baomi-Ticket"] = ticket
    response.headers["X-Baomi-Incident"] = record.id
    audit(flow, rt, decision="release")
    return response
