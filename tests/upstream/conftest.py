"""Loopback servers for the transport tests: a small Starlette app under uvicorn, and raw asyncio peers."""
from __future__ import annotations

import asyncio
import contextlib
import shutil
import ssl
import subprocess
import threading
from pathlib import Path
from typing import AsyncIterator, Awaitable, Callable

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route

from proxy.bench.servers import ServerThread


class AppState:
    """What the Starlette app saw, shared with the test thread."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.peers: set[tuple[str, int]] = set()   # (host, port) of each client connection
        self.active = 0
        self.max_active = 0
        self.sse_acks = [threading.Event() for _ in range(5)]
        self.sse_ok = True


def create_app(state: AppState) -> Starlette:
    async def echo(request: Request) -> Response:
        state.peers.add((request.client.host, request.client.port))
        body = await request.body()
        return JSONResponse({"method": request.method, "path": request.url.path, "query": request.url.query,
                             "body": body.decode(), "headers": dict(request.headers)},
                            headers={"x-first": "1", "X-Second": "2"})

    async def chunked(request: Request) -> Response:
        async def parts():
            for i in range(5):
                yield f"part{i};".encode()
                await asyncio.sleep(0.01)
        return StreamingResponse(parts(), media_type="text/plain")

    async def sse(request: Request) -> Response:
        async def events():
            for i in range(5):
                yield f"data: event {i}\n\n".encode()
                # the next event only after the client confirms it received this one
                ok = await asyncio.to_thread(state.sse_acks[i].wait, 5)
                state.sse_ok = state.sse_ok and ok
            yield b"data: [DONE]\n\n"
        return StreamingResponse(events(), media_type="text/event-stream")

    async def big(request: Request) -> Response:
        return Response(bytes(range(256)) * 4096, media_type="application/octet-stream")  # 1 MiB

    async def slow(request: Request) -> Response:
        with state.lock:
            state.active += 1
            state.max_active = max(state.max_active, state.active)
        await asyncio.sleep(0.1)
        with state.lock:
            state.active -= 1
        return JSONResponse({"id": request.query_params.get("id")})

    async def status(request: Request) -> Response:
        code = int(request.path_params["code"])
        return Response(b"" if code in (204, 304) else b"hello", status_code=code)

    async def close(request: Request) -> Response:
        state.peers.add((request.client.host, request.client.port))
        return Response(b"bye", headers={"connection": "close"})

    return Starlette(routes=[
        Route("/echo", echo, methods=["GET", "POST", "PUT"]), Route("/chunked", chunked), Route("/sse", sse, methods=["POST"]),
        Route("/big", big), Route("/slow", slow), Route("/status/{code}", status, methods=["GET", "HEAD"]),
        Route("/close", close),
    ])


@pytest.fixture(scope="module")
def app_state() -> AppState:
    return AppState()


@pytest.fixture(scope="module")
def server(app_state: AppState):
    with ServerThread(create_app(app_state)) as s:
        yield s


Handler = Callable[[asyncio.StreamReader, asyncio.StreamWriter], Awaitable[None]]


@contextlib.asynccontextmanager
async def raw_server(handler: Handler, ssl_context: ssl.SSLContext | None = None) -> AsyncIterator[dict]:
    """A raw asyncio TCP server in the test's own loop; yields {"url", "connections"}."""
    info = {"connections": 0, "tasks": []}

    async def on_connect(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        info["connections"] += 1
        info["tasks"].append(asyncio.current_task())
        try:
            await handler(reader, writer)
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()

    srv = await asyncio.start_server(on_connect, "127.0.0.1", 0, ssl=ssl_context)
    port = srv.sockets[0].getsockname()[1]
    info["url"] = f"{'https' if ssl_context else 'http'}://127.0.0.1:{port}"
    try:
        yield info
    finally:
        srv.close()
        for task in info["tasks"]:
            task.cancel()
        await asyncio.gather(*info["tasks"], return_exceptions=True)


async def read_request(reader: asyncio.StreamReader) -> bytes:
    """Read one request's head (our tests' raw servers only receive bodiless requests)."""
    return await reader.readuntil(b"\r\n\r\n")


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 / localhost, made with the openssl CLI (the cryptography
    package is not a dependency)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("the openssl command is needed to make the test certificate (Debian package openssl)")
    d = tmp_path_factory.mktemp("tls")
    cert, key = d / "cert.pem", d / "key.pem"
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return cert, key
