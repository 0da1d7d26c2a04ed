"""incident: a blocked request becomes an incident for the review console, with sealed evidence.

Recorded before the client gets its answer (a short write off the event loop), so the incident id in the
403 always names a stored incident. If the write fails, the request is still refused — never forwarded —
and the failure is logged (type only: the exception could quote the evidence). A hold records its own
incident (``pipeline.hold``), because its ticket must be stored before it is handed out.
"""
from __future__ import annotations

import asyncio
import logging

from proxy.flow import Flow
from proxy.pipeline.hold import evidence, incident_of
from proxy.runtime import Runtime

log = logging.getLogger("baomi.incident")


async def record_incident(flow: Flow, rt: Runtime) -> None:
    decision = flow.decision
    if rt.incidents is None or decision is None or decision.action not in ("block", "hold") \
            or flow.incident_recorded:
        return
    loop = asyncio.get_running_loop()
    try:
        await loop.run_in_executor(rt.executor, rt.incidents.record, incident_of(flow, decision, rt),
                                   evidence(flow, decision))
    except Exception as exc:  # noqa: BLE001 - the refusal stands whatever happens here
        log.error("flow %s: could not record the incident (%s)", flow.id, type(exc).__name__)
