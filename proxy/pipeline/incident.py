"""incident: a blocked or held request becomes an incident for the review console, with sealed evidence.

Recorded before the client gets its answer (a short write off the event loop), so the incident id in the
403 always names a stored incident. If the write fails, the request is still refused — never forwarded —
and the failure is logged (type only: the exception could quote the evidence).
"""
from __future__ import annotations

import asyncio
import logging

from proxy.flow import Decision, Flow
from proxy.pipeline.hold import evidence
from proxy.runtime import Runtime
from proxy.store.incidents import IncidentRecord

log = logging.getLogger("baomi.incident")


def incident_of(flow: Flow, decision: Decision, rt: Runtime) -> IncidentRecord:
    return IncidentRecord(
        id=flow.id, client=flow.client, endpoint=flow.endpoint, decision=decision.action,
        model=flow.model if isinstance(flow.model, str) else None, upstream=flow.upstream or rt.settings.upstream_url,
        categories=list(decision.categories), rule_ids=list(decision.rule_ids),
        recognizers=[f.recognizer for f in decision.findings], ticket=flow.ticket)


async def record_incident(flow: Flow, rt: Runtime) -> None:
    decision = flow.decision
    if rt.incidents is None or decision is None or decision.action not in ("block", "hold"):
        return
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(rt.executor, rt.incidents.record, incident_of(flow, decision, rt),
                                   evidence(flow, decision))
    except Exception as exc:  # noqa: BLE001 - the refusal stands whatever happens here
        log.error("flow %s: could not record the incident (%s)", flow.id, type(exc).__name__)
