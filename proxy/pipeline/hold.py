"""hold: keep the request for a reviewer as an incident with a ticket (evidence sealed), refuse it for now.

A hold is an incident with ``decision = 'hold'`` and a ticket; it is stored here, before the 403 goes out,
so the ticket always names a stored hold. After a reviewer releases it, the member of staff re-sends the
same request with ``X-Baomi-Ticket`` and the gateway forwards it (``pipeline.collect``).
"""
from __future__ import annotations

import asyncio
import base64
import logging

from proxy.errors import InspectionFailed, Refused
from proxy.flow import Decision, Flow
from proxy.pipeline.enforce import held
from proxy.runtime import Runtime
from proxy.store.incidents import IncidentRecord, new_ticket

log = logging.getLogger("baomi.hold")


def evidence(flow: Flow, decision: Decision) -> dict:
    """What a reviewer needs: the request as sent, the document read, and every finding with its text."""
    doc = flow.document or ""
    try:
        body = {"body": flow.body.decode("utf-8")}
    except UnicodeDecodeError:  # a multipart upload or an OCR-service body: keep it exact
        body = {"body_base64": base64.b64encode(flow.body).decode()}
    return {
        "request": {"endpoint": flow.endpoint, "method": flow.method, "query": flow.query,
                    "content_type": flow.content_type, **body},
        "document": doc,
        "decision": decision.to_json(id=flow.id),
        "evidence": [{**f.to_json(), "text": doc[f.start:f.end]} for f in decision.findings],
    }


def incident_of(flow: Flow, decision: Decision, rt: Runtime) -> IncidentRecord:
    return IncidentRecord(
        id=flow.id, client=flow.client, endpoint=flow.endpoint, decision=decision.action,
        model=flow.model if isinstance(flow.model, str) else None, upstream=flow.upstream or rt.settings.upstream_url,
        categories=list(decision.categories), rule_ids=list(decision.rule_ids),
        recognizers=[f.recognizer for f in decision.findings], ticket=flow.ticket)


async def hold(flow: Flow, decision: Decision, rt: Runtime) -> Refused:
    """Store the hold (off the event loop) and return the 403 to answer with. Not stored = not held:
    the request is refused either way, with an error that says the review could not be recorded."""
    flow.ticket = new_ticket()
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(rt.executor, rt.incidents.record, incident_of(flow, decision, rt),
                                   evidence(flow, decision))
    except Exception as exc:
        flow.ticket = None
        log.error("flow %s: could not store the hold (%s); refused", flow.id, type(exc).__name__)
        return InspectionFailed(
            f"请求需要保密管理员审核，但审核记录未能保存，因此未转发。请稍后重试，或联系管理员并提供事件编号 {flow.id}",
            f"the request needs review but the review record could not be stored, so it was not forwarded. "
            f"Retry later or contact your administrator with incident id {flow.id}",
            headers={"X-Baomi-Incident": flow.id})
    flow.incident_recorded = True
    messages = flow.policy.messages if flow.policy is not None else None
    return held(decision, flow.id, flow.ticket, messages)
