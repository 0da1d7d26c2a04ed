"""The one long-lived httpx client to the upstream, and translation of its errors at this boundary."""
from __future__ import annotations

import httpx

from proxy.errors import UpstreamTimeout, UpstreamUnreachable
from proxy.settings import Settings
from proxy.upstream.transport import FastTransport

# request headers a client may pass through to the upstream; everything else (its Authorization above
# all) stays here
FORWARD_REQUEST_HEADERS = ("content-type", "accept", "openai-beta", "idempotency-key")
# response headers never relayed back (hop-by-hop, or describing baomi's own connection)
DROP_RESPONSE_HEADERS = frozenset({
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
    "transfer-encoding", "upgrade", "server", "date", "set-cookie", "alt-svc",
})


def build_client(settings: Settings, transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    timeout = httpx.Timeout(connect=settings.upstream_connect_timeout, read=settings.upstream_read_timeout,
                            write=settings.upstream_read_timeout, pool=settings.upstream_connect_timeout)
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=64, keepalive_expiry=30)
    if settings.upstream_transport not in ("fast", "httpx"):
        raise ValueError(f"BAOMI_UPSTREAM_TRANSPORT must be fast or httpx, not {settings.upstream_transport!r}")
    if transport is None and settings.upstream_transport == "fast":
        transport = FastTransport(max_connections=limits.max_connections,
                                  max_keepalive=limits.max_keepalive_connections,
                                  keepalive_expiry=limits.keepalive_expiry)
    return httpx.AsyncClient(timeout=timeout, limits=limits, transport=transport, follow_redirects=False,
                             trust_env=False)


def upstream_url(base: str, path: str, query: str) -> str:
    """``/v1/chat/completions`` on ``https://host/v1`` -> ``https://host/v1/chat/completions``."""
    tail = path[3:] if path.startswith("/v1/") else path
    url = base.rstrip("/") + tail
    return f"{url}?{query}" if query else url


def request_headers(client_headers, api_key: str) -> dict[str, str]:
    out = {k: client_headers[k] for k in FORWARD_REQUEST_HEADERS if k in client_headers}
    # relay bytes as they come: ask for what the client itself accepts (identity if it said nothing)
    out["accept-encoding"] = client_headers.get("accept-encoding", "identity")
    out["user-agent"] = "baomi/0.1"
    if api_key:
        out["authorization"] = f"Bearer {api_key}"
    return out


def response_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in upstream.headers.raw if k.decode("latin-1").lower() not in DROP_RESPONSE_HEADERS]


async def open_stream(client: httpx.AsyncClient, method: str, url: str, headers: dict[str, str],
                      content: bytes | None) -> httpx.Response:
    """Send the request and return once the status line and headers have arrived (body not read).

    Goes straight to the client's transport: a gateway needs none of the client's cookie, auth or
    redirect layers, and skipping them is a measurable part of the per-request overhead.
    """
    req = httpx.Request(method, url, headers=headers, content=content,
                        extensions={"timeout": client.timeout.as_dict()})
    try:
        response = await client._transport.handle_async_request(req)
        response.request = req
        return response
    except httpx.TimeoutException as exc:
        raise UpstreamTimeout("上游 AI 服务响应超时，请稍后重试",
                              "the upstream AI service timed out; retry later") from exc
    except httpx.TransportError as exc:
        raise UpstreamUnreachable("无法连接上游 AI 服务，请稍后重试或联系管理员",
                                  "the upstream AI service is unreachable; retry later or contact "
                                  "your administrator") from exc
