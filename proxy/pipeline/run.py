"""One flow, top to bottom: receive -> extract -> detect -> decide -> enforce | forward -> audit."""
from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import Response

from proxy.errors import BaomiError, MethodNotAllowed, NotFound, internal_error
from proxy.flow import Flow
from proxy.pipeline.audit import audit
from proxy.pipeline.collect import HEADER as TICKET_HEADER
from proxy.pipeline.collect import STATUS_PREFIX as HOLD_STATUS_PREFIX
from proxy.pipeline.collect import collect, ticket_status
from proxy.pipeline.decide import decide, resolve
from proxy.pipeline.detect import detect
from proxy.pipeline.enforce import refusal
from proxy.pipeline.extract import extract, extract_multipart, extract_url
from proxy.pipeline.forward import forward
from proxy.pipeline.hold import hold
from proxy.pipeline.incident import record_incident
from proxy.pipeline.receive import parse_json, read_body, require_json, require_multipart, start_flow
from proxy.pipeline.redact import pseudonymise, redacts_uploads, upload_personal_data
from proxy.pipeline.uploads import read_uploads
from proxy.pipeline.visual import visual_findings
from proxy.runtime import Runtime
from proxy.wire.endpoints import ENDPOINTS
from proxy.wire.form_endpoints import FORM_ENDPOINTS, refused_upload_endpoint

log = logging.getLogger("baomi.flow")

# other endpoints are forwarded only without a body (their URL is inspected); with a body: refused
_NO_BODY_METHODS = {"GET", "HEAD", "DELETE", "OPTIONS"}


async def handle(request: Request, rt: Runtime, *, ocr: bool = False) -> Response:
    flow = start_flow(request)
    try:
        if ocr:
            from proxy.pipeline.ocr_route import run_ocr

            return await run_ocr(flow, request, rt)
        return await _run(flow, request, rt)
    except BaomiError as exc:
        status, body, headers = exc.render()
        flow.status = status
        decision = _outcome(exc)
        if exc.code in ("content_blocked", "held_for_review"):  # a policy decision, not a failure
            await record_incident(flow, rt)
        audit(flow, rt, decision=decision, error_code=exc.code)
        if decision in ("block", "hold"):
            headers.setdefault("X-Baomi-Incident", flow.id)
        return Response(body, status_code=status, headers=headers, media_type="application/json")
    except Exception as exc:  # a bug, not bad input: nothing was forwarded unless forward() returned
        log.error("flow %s: unexpected %s", flow.id, type(exc).__name__)
        audit(flow, rt, decision="error", error_code="internal_error")
        status, body, headers = internal_error().render()
        return Response(body, status_code=status, headers=headers, media_type="application/json")


def _outcome(exc: BaomiError) -> str:
    if exc.code == "held_for_review":
        return "hold"
    if exc.code in ("hold_pending", "hold_rejected"):  # a ticket presented too early or in vain: no new incident
        return "invalid"
    if exc.status == 403:
        return "block"
    if exc.status in (502, 504):
        return "allow"  # inspected and allowed; the upstream failed
    return "invalid"


async def _run(flow: Flow, request: Request, rt: Runtime) -> Response:
    path, method = request.url.path, request.method
    endpoint = ENDPOINTS.get(path)
    if path.startswith(HOLD_STATUS_PREFIX):  # baomi's own: never forwarded
        if method != "GET":
            raise MethodNotAllowed(f"{path} 只支持 GET", f"{path} supports GET only")
        return await ticket_status(flow, rt)

    # receive + extract
    if endpoint is not None and method == "POST":
        require_json(request)
        flow.body = await read_body(request, rt.settings.max_body_bytes)
        flow.payload = parse_json(flow.body)
        extract(flow, endpoint)
        content: bytes | None = flow.body
    elif path in FORM_ENDPOINTS and method == "POST":
        require_multipart(request)
        flow.body = await read_body(request, rt.settings.max_body_bytes)
        extract_multipart(flow, request.headers.get("content-type", ""))
        content = flow.body
    elif (refused := refused_upload_endpoint(path)) is not None:
        raise refused
    elif method in _NO_BODY_METHODS and endpoint is None:
        flow.body = await read_body(request, rt.settings.max_body_bytes)
        if flow.body:
            raise _not_inspected(path)
        extract_url(flow, path, request.url.query)
        content = None
    elif endpoint is not None:
        raise MethodNotAllowed(f"{path} 只支持 POST", f"{path} supports POST only")
    else:
        raise _not_inspected(path)

    # a released hold re-sent with its ticket: forwarded as the reviewer saw it, not inspected again
    if TICKET_HEADER in request.headers:
        return await collect(flow, request, rt, content)

    # detect + decide, under the rules resolved once for this request
    resolve(flow, rt)
    await read_uploads(flow, rt)
    findings = await detect(flow, rt) + visual_findings(flow)
    decision = decide(flow, findings, rt)
    if decision.action == "block":
        raise refusal(decision, flow.id, flow.policy.messages)
    if decision.action == "hold":
        raise await hold(flow, decision, rt)
    if decision.action == "redact":
        if content is None:  # a URL carries the data: it cannot be rewritten, so it is not sent
            raise refusal(decision, flow.id, flow.policy.messages)
        if not flow.rewritable or redacts_uploads(flow, decision):  # files cannot be rewritten: refuse
            raise upload_personal_data(decision, flow.id)
        content = pseudonymise(flow, decision)

    # forward (audit once the upstream's status is known)
    response = await forward(flow, rt, request, content)
    audit(flow, rt)
    return response


def _not_inspected(path: str) -> BaomiError:
    return NotFound(
        f"baomi 尚不支持检查接口 {path} 的请求内容，因此未转发。请使用 /v1/chat/completions、/v1/responses、"
        f"/v1/completions 或 /v1/embeddings，或联系管理员",
        f"baomi cannot inspect requests to {path} yet, so it was not forwarded. Use /v1/chat/completions, "
        f"/v1/responses, /v1/completions or /v1/embeddings, or contact your administrator",
        code="endpoint_not_inspected")
