"""forward: send the inspected request upstream and relay the answer as it arrives.

Bytes are relayed untouched (no parsing or re-serializing of events): that is what keeps streams fast.
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
from proxy.runtime import Runtime
from proxy.upstream.client import open_stream, request_headers, response_headers, upstream_url

log = logging.getLogger("baomi.forward")


async def forward(flow: Flow, rt: Runtime, request: Request, content: bytes | None) -> StreamingResponse:
    url = upstream_url(rt.settings.upstream_url, request.url.path, request.url.query)
    flow.upstream = rt.settings.upstream_url
    headers = request_headers(request.headers, rt.settings.upstream_api_key)
    upstream = await open_stream(rt.http, request.method, url, headers, content)
    flow.status = upstream.status_code
    response = StreamingResponse(_relay(upstream, flow.id), status_code=upstream.status_code,
                                 background=BackgroundTask(_close, upstream))
    response.raw_headers = response_headers(upstream)
    return response


async def _relay(upstream: httpx.Response, flow_id: str):
    sse = upstream.headers.get("content-type", "").startswith("text/event-stream")
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    except httpx.TransportError as exc:
        log.warning("flow %s: upstream failed mid-response (%s)", flow_id, type(exc).__name__)
        if not sse:
            raise
        # tell an SSE client in its own format (the openai SDK raises APIError on an error event)
        err = {"error": {"message": "上游 AI 服务中断 / the upstream AI service broke off the answer",
                         "type": "upstream_error", "code": "upstream_interrupted", "param": None}}
        yield b"\n\ndata: " + json.dumps(err, ensure_ascii=False).encode() + b"\n\n"
    finally:
        await _close(upstream)


async def _close(upstream: httpx.Response) -> None:
    with anyio.CancelScope(shield=True):
        await upstream.aclose()
