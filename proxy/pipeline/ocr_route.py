"""One request to an OCR-service route (``/ocr/<name>/<rest>``): the same stages as an OpenAI request.

receive (size limit) -> extract (the route's request-shape profile: files, URLs and text fields) -> uploads
(local OCR / document readers) -> detect -> decide -> block | hold | forward. The body is forwarded exactly as
received, with the client's own headers (OCR services authenticate with the client's token or signature:
baomi holds no key for them), minus hop-by-hop headers. Bodies cannot be rewritten, so a ``redact`` decision
is refused like personal data in an upload.
"""
from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from proxy.errors import NotFound
from proxy.flow import Attachment, Flow, Segment
from proxy.pipeline.audit import audit
from proxy.pipeline.collect import HEADER as TICKET_HEADER
from proxy.pipeline.collect import collect
from proxy.pipeline.decide import decide, resolve
from proxy.pipeline.detect import detect
from proxy.pipeline.enforce import refusal
from proxy.pipeline.forward import forward
from proxy.pipeline.hold import hold
from proxy.pipeline.receive import read_body
from proxy.pipeline.redact import upload_personal_data
from proxy.pipeline.uploads import read_uploads
from proxy.pipeline.visual import visual_findings
from proxy.runtime import Runtime
from proxy.wire.ocr_profiles import items_for
from proxy.wire.ocr_routes import target_url

PREFIX = "/ocr/"
_DROP = frozenset({"host", "content-length", "connection", "keep-alive", "transfer-encoding", "te", "trailer",
                   "upgrade", "proxy-authorization", "proxy-connection", "expect"})


async def run_ocr(flow: Flow, request: Request, rt: Runtime) -> Response:
    name, _, rest = request.url.path[len(PREFIX):].partition("/")
    route = rt.ocr_routes.get(name)
    if route is None:
        raise NotFound(f"没有名为 {name} 的 OCR 路由（见 BAOMI_OCR_ROUTES）",
                       f"no OCR route named {name!r} (see BAOMI_OCR_ROUTES)", code="unknown_ocr_route")
    url = target_url(route, rest, request.url.query)
    flow.upstream = route.base_url
    flow.body = await read_body(request, rt.settings.max_body_bytes)
    items = items_for(route.profile, request.method, rest, request.url.query, request.headers, flow.body)
    for item in items:
        if item.kind == "text" and item.text:
            flow.segments.append(Segment(path=item.where, text=item.text, role="user"))
        elif item.kind == "file" and item.data is not None:
            flow.attachments.append(Attachment(path=item.where, kind="file", source="data", value="",
                                               filename=item.filename, data=item.data))
        elif item.kind == "url" and item.text:
            flow.attachments.append(Attachment(path=item.where, kind="file", source="url", value=item.text))
    flow.rewritable = False
    # the client's own headers (its OCR-service credentials), never baomi's own X-Baomi-* ones
    headers = {k: v for k, v in request.headers.items()
               if k.lower() not in _DROP and not k.lower().startswith("x-baomi-")}
    if TICKET_HEADER in request.headers:  # a released hold, collected with its ticket (pipeline.collect)
        return await collect(flow, request, rt, flow.body or None, url=url, headers=headers)

    resolve(flow, rt)
    await read_uploads(flow, rt)
    decision = decide(flow, await detect(flow, rt) + visual_findings(flow), rt)
    if decision.action == "block":
        raise refusal(decision, flow.id, flow.policy.messages)
    if decision.action == "hold":
        raise await hold(flow, decision, rt)
    if decision.action == "redact":
        raise upload_personal_data(decision, flow.id)
    response = await forward(flow, rt, request, flow.body if flow.body else None, url=url, headers=headers)
    audit(flow, rt)
    return response
