"""Forwarding details, with an injected httpx.MockTransport (no sockets)."""
from __future__ import annotations

import asyncio

import httpx
import pytest

from proxy.errors import UpstreamTimeout, UpstreamUnreachable
from proxy.settings import Settings
from proxy.upstream.client import build_client, open_stream, request_headers, response_headers, upstream_url


@pytest.mark.parametrize("base,path,query,want", [
    ("https://api.openai.com/v1", "/v1/chat/completions", "", "https://api.openai.com/v1/chat/completions"),
    ("http://10.0.0.1:8000/v1/", "/v1/models", "", "http://10.0.0.1:8000/v1/models"),
    ("http://h/openai/v1", "/v1/models/gpt-4o", "a=1", "http://h/openai/v1/models/gpt-4o?a=1"),
])
def test_upstream_url(base, path, query, want):
    assert upstream_url(base, path, query) == want


def test_client_credentials_never_forwarded():
    h = httpx.Headers({"authorization": "Bearer client", "cookie": "c=1", "content-type": "application/json",
                       "openai-beta": "assistants=v2", "x-forwarded-for": "1.2.3.4", "openai-organization": "org"})
    out = request_headers(h, "sk-up")
    assert out["authorization"] == "Bearer sk-up"
    assert "cookie" not in out and "x-forwarded-for" not in out and "openai-organization" not in out
    assert out["openai-beta"] == "assistants=v2" and out["accept-encoding"] == "identity"
    assert "authorization" not in request_headers(h, "")


def test_response_headers_filtered():
    r = httpx.Response(200, headers={"content-type": "text/event-stream", "x-request-id": "r1",
                                     "set-cookie": "a=b", "transfer-encoding": "chunked", "connection": "close"})
    names = {k.decode().lower() for k, _ in response_headers(r)}
    assert names == {"content-type", "x-request-id"}


def _send(handler) -> httpx.Response:
    async def go():
        client = build_client(Settings.load(env={}), httpx.MockTransport(handler))
        async with client:
            resp = await open_stream(client, "POST", "http://up/v1/x", {}, b"{}")
            await resp.aread()
            return resp
    return asyncio.run(go())


def test_transport_errors_translated_once():
    def refuse(request):
        raise httpx.ConnectError("refused", request=request)

    def slow(request):
        raise httpx.ReadTimeout("slow", request=request)

    with pytest.raises(UpstreamUnreachable):
        _send(refuse)
    with pytest.raises(UpstreamTimeout):
        _send(slow)
    assert _send(lambda request: httpx.Response(429, json={"error": {}})).status_code == 429
