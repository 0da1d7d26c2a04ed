"""POST /v1/inspect: the decision for a text, without forwarding anything (browser extension, scripts)."""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from proxy.errors import BaomiError
from proxy.flow import Decision, Segment
from proxy.pipeline.audit import audit
from proxy.pipeline.decide import decide, resolve
from proxy.pipeline.detect import detect
from proxy.pipeline.receive import parse_json, read_body, require_json, start_flow
from proxy.redact.rewrite import redact_text
from proxy.redact.vault import Vault
from proxy.runtime import Runtime
from proxy.wire.shape import expect


async def inspect_text(request: Request, rt: Runtime) -> Response:
    flow = start_flow(request)
    try:
        require_json(request)
        payload = parse_json(await read_body(request, rt.settings.max_body_bytes))
        expect(payload, dict, "(body)")
        text = expect(payload.get("text"), str, "text")
        flow.segments = [Segment(path="text", text=text, role="user")]
        try:
            resolve(flow, rt)
            decision = decide(flow, await detect(flow, rt), rt)
            if decision.action == "redact":
                decision.redacted = redact_text(text, decision.redact, Vault())
        except BaomiError as exc:  # inspection failed: the answer is a block (fail closed)
            decision = flow.decision = Decision(action="block", error_code=exc.code)
    except BaomiError as exc:
        status, body, headers = exc.render()
        flow.status = status
        audit(flow, rt, decision="invalid", error_code=exc.code)
        return Response(body, status_code=status, headers=headers, media_type="application/json")
    flow.status = 200
    audit(flow, rt)
    return JSONResponse(decision.to_json(id=payload.get("id", flow.id)),
                        headers={"X-Baomi-Incident": flow.id} if decision.action != "allow" else None)
