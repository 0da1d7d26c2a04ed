"""FastTransport: an httpx transport speaking HTTP/1.1 over asyncio directly, parsing with httptools (C).

httpx's default transport (httpcore + h11 + anyio: cancel scopes, pool locks, a pure-Python parser) was
the largest single share of the gateway's CPU per request; this one keeps only what a gateway to its
upstream needs: a keep-alive pool, http and https, timeouts and streamed bodies. No HTTP/2, no proxies
(for those: ``BAOMI_UPSTREAM_TRANSPORT=httpx``).

The pool is keyed by (scheme, host, port) and bounded in total; idle connections are reused newest
first. A connection goes back to the pool only once its response was read to the end with keep-alive
allowed; anything else (an error, a cancelled task, a response closed early) closes its socket.
"""
from __future__ import annotations

import asyncio
import ssl
import time
from collections import deque

import httpx

from proxy.upstream.connection import TIMEOUT, Connection, Stale, expire

_DEFAULT_PORTS = {"http": 80, "https": 443}


class FastTransport(httpx.AsyncBaseTransport):
    def __init__(self, *, max_connections: int = 256, max_keepalive: int = 64, keepalive_expiry: float = 30.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
        self._max, self._max_idle, self._expiry = max_connections, max_keepalive, keepalive_expiry
        self._ssl = ssl_context
        self._conns: set[Connection] = set()        # open connections, idle or in use
        self._opening = 0                           # slots held by connections being opened
        self._idle: dict[tuple, list[Connection]] = {}
        self._n_idle = 0
        self._waiters: deque[asyncio.Future] = deque()   # requests waiting for a free slot

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        url = request.url
        port = url.port or _DEFAULT_PORTS.get(url.scheme)
        if port is None:
            raise httpx.UnsupportedProtocol(f"unsupported URL scheme {url.scheme!r}", request=request)
        key = (url.scheme, url.raw_host.decode("ascii"), port)
        timeouts = request.extensions.get("timeout") or {}
        head, chunked, keep_alive = _head(request)
        try:
            body = request.content
        except httpx.RequestNotRead:
            body = None                             # an unread stream: sent as it is iterated, once
        if body is not None and chunked:
            body = b"%x\r\n%b\r\n0\r\n\r\n" % (len(body), body) if body else b"0\r\n\r\n"
        fresh = False
        while True:
            conn = await self._acquire(key, timeouts, request, fresh)
            try:
                conn.start(request, request.method == "HEAD", keep_alive)
                await conn.send(head, body, request.stream, chunked, timeouts.get("write"))
                await conn.wait_headers(timeouts.get("read"))
            except Stale as exc:
                self._discard(conn)
                # closed before any response byte: the server did not process the request, so a reused
                # (possibly stale keep-alive) connection is retried once on a new one
                if conn.reused and body is not None and not fresh:
                    fresh = True
                    continue
                if exc.cause is not None:
                    raise httpx.ReadError(str(exc.cause) or type(exc.cause).__name__, request=request) from None
                raise httpx.RemoteProtocolError("server disconnected without sending a response",
                                                request=request) from None
            except BaseException:
                self._discard(conn)
                raise
            return httpx.Response(conn.status, headers=conn.headers,
                                  stream=_Body(self, conn, timeouts.get("read")),
                                  extensions={"http_version": b"HTTP/1.1" if conn.http_11 else b"HTTP/1.0",
                                              "reason_phrase": conn.reason})

    async def aclose(self) -> None:
        for conn in list(self._conns):
            conn.close()
        self._conns.clear()
        self._idle.clear()
        self._n_idle = 0
        while self._waiters:
            self._wake_waiter()

    # --- the pool -----------------------------------------------------------------------------------
    async def _acquire(self, key: tuple, timeouts: dict, request: httpx.Request, fresh: bool) -> Connection:
        loop = asyncio.get_running_loop()
        pool_timeout = timeouts.get("pool")
        deadline = None if pool_timeout is None else loop.time() + pool_timeout
        while True:
            idle = self._idle.get(key)
            if idle and not fresh:
                now = time.monotonic()
                while idle:
                    conn = idle.pop()
                    self._n_idle -= 1
                    if (conn.closed or conn.transport.is_closing() or now - conn.idle_since > self._expiry
                            or conn.loop is not loop):
                        self._drop(conn)
                    else:
                        return conn
            if len(self._conns) + self._opening >= self._max and self._n_idle:
                self._drop_oldest_idle()
            if len(self._conns) + self._opening < self._max:
                return await self._connect(key, timeouts.get("connect"), request)
            remaining = None if deadline is None else deadline - loop.time()
            if remaining is not None and remaining <= 0:
                raise httpx.PoolTimeout("timed out waiting for a free connection", request=request)
            fut = loop.create_future()
            self._waiters.append(fut)
            timer = None if remaining is None else loop.call_later(remaining, expire, fut)
            try:
                woken = await fut
            except BaseException:
                if fut.done() and not fut.cancelled() and fut.result() is not TIMEOUT:
                    self._wake_waiter()             # pass on the wake-up this task cannot use
                elif fut in self._waiters:
                    self._waiters.remove(fut)
                raise
            finally:
                if timer is not None:
                    timer.cancel()
            if woken is TIMEOUT:
                self._waiters.remove(fut)
                raise httpx.PoolTimeout("timed out waiting for a free connection", request=request)

    async def _connect(self, key: tuple, timeout: float | None, request: httpx.Request) -> Connection:
        scheme, host, port = key
        ctx = None
        if scheme == "https":
            if self._ssl is None:
                self._ssl = ssl.create_default_context()
            ctx = self._ssl
        loop = asyncio.get_running_loop()
        self._opening += 1
        try:
            async with asyncio.timeout(timeout):
                _, conn = await loop.create_connection(lambda: Connection(loop, key), host, port, ssl=ctx,
                                                       server_hostname=host if ctx else None)
        except BaseException as exc:
            self._opening -= 1
            self._wake_waiter()
            if isinstance(exc, TimeoutError):
                raise httpx.ConnectTimeout(f"timed out connecting to {host}:{port}", request=request) from None
            if isinstance(exc, OSError):            # refused, DNS, TLS (ssl.SSLError is an OSError)
                raise httpx.ConnectError(f"{host}:{port}: {exc}", request=request) from exc
            raise
        self._opening -= 1
        self._conns.add(conn)
        return conn

    def _release(self, conn: Connection) -> None:
        """A response is done with its connection: keep it for reuse if it is clean, else close it."""
        if conn.reusable and conn in self._conns and self._n_idle < self._max_idle:
            conn.finish()
            conn.idle_since = time.monotonic()
            self._idle.setdefault(conn.key, []).append(conn)
            self._n_idle += 1
            if self._waiters:
                self._wake_waiter()
        else:
            self._discard(conn)

    def _discard(self, conn: Connection) -> None:
        self._drop(conn)
        if self._waiters:
            self._wake_waiter()

    def _drop(self, conn: Connection) -> None:
        conn.close()
        self._conns.discard(conn)

    def _drop_oldest_idle(self) -> None:
        key = min((k for k, v in self._idle.items() if v), key=lambda k: self._idle[k][0].idle_since)
        self._drop(self._idle[key].pop(0))
        self._n_idle -= 1

    def _wake_waiter(self) -> None:
        while self._waiters:
            fut = self._waiters.popleft()
            if not fut.done():
                fut.set_result(True)
                return


class _Body(httpx.AsyncByteStream):
    """The response body, yielded as it arrives; gives the connection back once the body is complete."""

    def __init__(self, pool: FastTransport, conn: Connection, timeout: float | None) -> None:
        self._pool, self._conn, self._timeout, self._rest = pool, conn, timeout, b""
        if conn.complete and conn.error is None:    # already all here (small answers, HEAD, 204)
            self._rest = b"".join(conn.chunks)
            self._done()

    def __aiter__(self) -> "_Body":
        return self

    async def __anext__(self) -> bytes:
        conn = self._conn
        if conn is None:
            rest, self._rest = self._rest, b""
            if rest:
                return rest
            raise StopAsyncIteration
        try:
            data = await conn.read_body(self._timeout)
        except BaseException:
            self._done()
            raise
        if conn.complete and not conn.chunks:
            self._done()
        if data:
            return data
        raise StopAsyncIteration

    async def aclose(self) -> None:
        self._done()

    def _done(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            self._pool._release(conn)


def _head(request: httpx.Request) -> tuple[bytes, bool, bool]:
    """The request line and headers; whether the body is chunked; whether the request allows keep-alive."""
    url = request.url
    parts = [request.method.encode("ascii"), b" ", url.raw_path, b" HTTP/1.1\r\n"]
    chunked, keep_alive, has_host = False, True, False
    raw = request.headers.raw
    for name, value in raw:
        parts += (name, b": ", value, b"\r\n")
        low = name.lower()
        if low == b"host":
            has_host = True
        elif low == b"transfer-encoding":
            chunked = b"chunked" in value.lower()
        elif low == b"connection":
            keep_alive = b"close" not in value.lower()
    if not has_host:
        parts[4:4] = (b"Host: ", url.netloc, b"\r\n")
    parts.append(b"\r\n")
    head = b"".join(parts)
    lines = len(raw) + (2 if has_host else 3)
    if head.count(b"\n") != lines or head.count(b"\r") != lines:   # CR or LF inside a name or value
        raise httpx.LocalProtocolError("invalid character in a request header", request=request)
    return head, chunked, keep_alive
