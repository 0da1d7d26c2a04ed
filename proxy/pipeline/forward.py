"""forward: send the inspected request upstream and relay the answer as it arrives.

Bytes are relayed untouched (no parsing or re-serializing of events): that is what keeps streams fast.
Only a request that was pseudonymised (``flow.restorer``) has its answer rewritten: a stream event by event
(``proxy.redact.sse``, placeholders split across chunks and events included), a plain answer as a whole.
The upstream response is always closed, also when the client disconnects mid-stream.
"""
from __future__ import annotations

import json
import logging

import anyio
import httpx
from starlette.background import BackgroundTask
from starlette.requests import Request
from starlette.responses import StreamingResponse

from proxy.flow import Flow
from proxy.redact.restore import Restorer
from proxy.redact.sse import StreamRestorer
from proxy.runtime import Runtime
from proxy.upstream.client import open_stream, request_headers, response_headers, upstream_url

log = logging.getLogger("baomi.forward")


async def forward(flow: Flow, rt: Runtime, request: Request, content: bytes | None, *,
                  url: str | None = None, headers: dict[str, str] | None = None) -> StreamingResponse:
    """To the OpenAI upstream (its key added), or to ``url`` with ``headers`` (an OCR-service route)."""
    if url is None:
        url = upstream_url(rt.settings.upstream_url, request.url.path, request.url.query)
        flow.upstream = rt.settings.upstream_url
        headers = request_headers(request.headers, rt.settings.upstream_api_key)
    assert headers is not None
    if flow.restorer is not None:
        headers["accept-encoding"] = "identity"  # restoration reads the text
    upstream = await open_stream(rt.http, request.method, url, headers, content)
    flow.status = upstream.status_code
    if flow.restorer is None:
        body = _relay(upstream, flow.id)
        raw_headers = response_headers(upstream)
    else:
        body = _restore(upstream, flow.id, flow.restorer)
        # decoded and rewritten: the upstream's length and encoding no longer describe the bytes sent
        raw_headers = [(k, v) for k, v in response_headers(upstream)
                       if k.lower() not in (b"content-length", b"content-encoding")]
    response = StreamingResponse(body, status_code=upstream.status_code,
                                 background=BackgroundTask(_close, upstream))
    response.raw_headers = raw_headers
    return response


async def _restore(upstream: httpx.Response, flow_id: str, restorer: Restorer):
    """Relay with the original values put back where the upstream wrote placeholders."""
    ctype = upstream.headers.get("content-type", "")
    if not ctype.startswith("text/event-stream"):
        try:
            chunks = [chunk async for chunk in upstream.aiter_bytes()]
        finally:
            await _close(upstream)
        yield restorer.body(b"".join(chunks), ctype)
        return
    stream = StreamRestorer(restorer)
    try:
        async for chunk in upstream.aiter_bytes():
            out = stream.feed(chunk)
            if out:
                yield out
        tail = stream.close()
        if tail:
            yield tail
    except httpx.TransportError as exc:
        log.warning("flow %s: upstream failed mid-response (%s)", flow_id, type(exc).__name__)
        yield stream.close() + _interrupted_event()
    finally:
        await _close(upstream)


async def _relay(upstream: httpx.Response, flow_id: str):
    sse = upstream.headers.get("content-type", "").startswith("text/event-stream")
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    except httpx.TransportError as exc:
        log.warning("flow %s: upstream failed mid-response (%s)", flow_id, type(exc).__name__)
        if not sse:
            raise
        yield _interrupted_event()
    finally:
        await _close(upstream)


def _interrupted_event() -> bytes:
    """Tell an SSE client in its own format (the openai SDK raises APIError on an error event)."""
    err = {"error": {"message": "上游 AI 服务中断 / the upstream AI service broke off the answer",
                     "type": "upstream_error", "code": "upstream_interrupted", "param": None}}
    return b"\n\ndata: " + json.dumps(err, ensure_ascii=False).encode() + b"\n\n"


async def _close(upstream: httpx.Response) -> None:
    with anyio.CancelScope(shield=True):
        await upstream.aclose()
