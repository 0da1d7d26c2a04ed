"""POST /v1/inspect: the decision for a text, a file or an image, without forwarding anything.

For the browser extension and for scripts. JSON ``{"text": "...", "file_data": "<base64 or data URL>",
"filename": "a.pdf", "id": ...}`` (text and/or a file), or multipart/form-data with a ``file`` part (and
optional ``text``). The answer is the decision JSON of ``baomi scan``, plus ``sources`` (what was read:
each page, sheet, slide or image with its size) and, per finding, ``where`` it was found.
"""
from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from proxy.errors import BaomiError, MalformedJSON
from proxy.flow import Attachment, Decision, Flow, Segment
from proxy.pipeline.audit import audit
from proxy.pipeline.decide import decide, resolve
from proxy.pipeline.detect import detect, where_of
from proxy.pipeline.receive import parse_json, read_body, start_flow
from proxy.pipeline.uploads import read_uploads
from proxy.pipeline.visual import visual_findings
from proxy.redact.rewrite import redact_text
from proxy.redact.vault import Vault
from proxy.runtime import Runtime
from proxy.wire.shape import expect


async def _payload(request: Request, rt: Runtime) -> dict[str, Any]:
    ctype = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
    body = await read_body(request, rt.settings.max_body_bytes)
    if ctype == "multipart/form-data":
        from proxy.wire.forms import parse_multipart

        fields, files = parse_multipart(request.headers.get("content-type", ""), body)
        out: dict[str, Any] = {k: v for k, v in fields.items() if k in ("text", "id", "filename")}
        if "file" in files:
            name, data = files["file"]
            out["file_bytes"] = data
            out["filename"] = out.get("filename") or name
        return out
    if ctype != "application/json":
        raise MalformedJSON("/v1/inspect 接受 application/json 或 multipart/form-data",
                            "/v1/inspect accepts application/json or multipart/form-data")
    payload = parse_json(body)
    expect(payload, dict, "(body)")
    return payload


def _flow_input(flow: Flow, payload: dict[str, Any]) -> None:
    has_file = "file_data" in payload or "file_bytes" in payload
    text = expect(payload.get("text"), str, "text", required=not has_file)
    if text:
        flow.segments = [Segment(path="text", text=text, role="user")]
    filename = expect(payload.get("filename"), str, "filename", required=False)
    if "file_bytes" in payload:
        flow.attachments = [Attachment(path="file", kind="file", source="data", value="", filename=filename,
                                       data=payload["file_bytes"])]
    elif payload.get("file_data") is not None:
        value = expect(payload.get("file_data"), str, "file_data")
        flow.attachments = [Attachment(path="file_data", kind="file", source="data", value=value, filename=filename)]


async def inspect_text(request: Request, rt: Runtime) -> Response:
    flow = start_flow(request)
    try:
        payload = await _payload(request, rt)
        _flow_input(flow, payload)
        try:
            resolve(flow, rt)
            await read_uploads(flow, rt)
            decision = decide(flow, await detect(flow, rt) + visual_findings(flow), rt)
            if decision.action == "redact" and all(s.role not in ("upload", "image") for s in flow.segments):
                decision.redacted = redact_text(flow.document or "", decision.redact, Vault())
        except BaomiError as exc:  # inspection failed or unreadable: the answer is a block (fail closed)
            decision = flow.decision = Decision(action="block", error_code=exc.code)
    except BaomiError as exc:
        status, body, headers = exc.render()
        flow.status = status
        audit(flow, rt, decision="invalid", error_code=exc.code)
        return Response(body, status_code=status, headers=headers, media_type="application/json")
    flow.status = 200
    audit(flow, rt)
    return JSONResponse(decision_json(decision, flow, payload.get("id", flow.id)),
                        headers={"X-Baomi-Incident": flow.id} if decision.action != "allow" else None)


def decision_json(decision: Decision, flow: Flow, ident: Any) -> dict[str, Any]:
    """The decision JSON with what was read (``sources``) and where each finding sits."""
    out = decision.to_json(id=ident)
    for f, fj in zip(decision.findings, out["findings"]):
        fj["where"] = where_of(flow.segments, f.start)
    out["sources"] = [{"where": s.path, "kind": s.role, "chars": len(s.text)} for s in flow.segments]
    return out
