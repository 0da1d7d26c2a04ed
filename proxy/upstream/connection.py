"""One HTTP/1.1 client connection over asyncio, parsing responses with httptools (C); used by transport.py.

Each connection is an ``asyncio.Protocol``: bytes are fed to the parser as they arrive and the parser's
callbacks collect the status, the headers and body chunks; a reader waits on one future, woken by the
protocol, with a ``call_later`` timer as its timeout (no task per read, no cancel scopes).
"""
from __future__ import annotations

import asyncio
from collections import deque

import httptools
import httpx

_HIGH_WATER = 256 * 1024       # buffered body bytes above which the socket stops being read
TIMEOUT = object()             # result of a wait whose timer fired
_NO_BODY_STATUS = frozenset({204, 304})


class Stale(Exception):
    """The server closed the connection before sending any byte of a response."""

    def __init__(self, cause: BaseException | None) -> None:
        super().__init__(str(cause or "server closed the connection"))
        self.cause = cause


def expire(fut: asyncio.Future) -> None:
    if not fut.done():
        fut.set_result(TIMEOUT)


class Connection(asyncio.Protocol):
    """One HTTP/1.1 connection; serves one request at a time."""

    def __init__(self, loop: asyncio.AbstractEventLoop, key: tuple) -> None:
        self.loop, self.key = loop, key
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.reused = False                 # has served a request before
        self.idle_since = 0.0
        self._waiter: asyncio.Future | None = None
        self._write_paused = self._read_paused = False
        self._parser = None                 # set while a request is in flight
        self.request: httpx.Request | None = None

    # --- asyncio.Protocol -------------------------------------------------------------------------
    def connection_made(self, transport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        if self._parser is None or self.complete:   # unsolicited bytes: never reuse this connection
            self.broken = True
            self.transport.close()
            return
        self.got_bytes = True
        try:
            self._parser.feed_data(data)
        except (httptools.HttpParserError, httptools.HttpParserUpgrade) as exc:
            if self.complete:                       # bytes after the response: it stands, the connection not
                self.broken = True
            elif self.error is None:
                self.error = httpx.RemoteProtocolError(f"malformed response: {exc!r}", request=self.request)
            self.transport.close()
        else:
            if self.buffered > _HIGH_WATER and not self._read_paused:
                self._read_paused = True
                self.transport.pause_reading()
        self._wake()

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is not None and not self.complete and self.error is None:
            if self.headers_done and self.until_close and exc is None:
                self.complete = True        # the body was delimited by the close
                self.keep_alive = False
            elif not self.got_bytes:
                self.error = Stale(exc)
            elif exc is not None:
                self.error = httpx.ReadError(str(exc) or type(exc).__name__, request=self.request)
            elif self.headers_done:
                self.error = httpx.RemoteProtocolError(
                    "peer closed connection without sending complete message body", request=self.request)
            else:
                self.error = httpx.RemoteProtocolError(
                    "server disconnected in the middle of the response headers", request=self.request)
        self._wake()

    def pause_writing(self) -> None:
        self._write_paused = True

    def resume_writing(self) -> None:
        self._write_paused = False
        self._wake()

    # --- httptools callbacks ----------------------------------------------------------------------
    def on_message_begin(self) -> None:
        if self.complete:
            raise ValueError("a second response")  # stops the parser; data_received closes the connection
        self.reason = b""

    def on_status(self, reason: bytes) -> None:
        self.reason += reason

    def on_header(self, name: bytes, value: bytes) -> None:
        self.headers.append((name, value))

    def on_headers_complete(self) -> None:
        status = self._parser.get_status_code()
        if 100 <= status < 200 and status != 101:   # interim response (100 Continue ...): skip it
            self.headers = []
            self.interim = True
            return
        self.status, self.headers_done = status, True
        self.http_11 = self._parser.get_http_version() == "1.1"
        chunked = has_length = close = False
        for name, value in self.headers:
            name = name.lower()
            if name == b"transfer-encoding":
                chunked = chunked or b"chunked" in value.lower()
            elif name == b"content-length":
                has_length = True
            elif name == b"connection":
                close = close or b"close" in value.lower()
        self.keep_alive = self.keep_alive and self.http_11 and not close
        if self.no_body or status in _NO_BODY_STATUS:
            self.complete = True            # the parser may wait for a HEAD body; the next request gets a new one
        elif not chunked and not has_length:
            self.until_close = True
            self.keep_alive = False

    def on_body(self, body: bytes) -> None:
        if self.complete:                   # a body on a bodiless response
            self.broken = True
            return
        self.chunks.append(body)
        self.buffered += len(body)

    def on_message_complete(self) -> None:
        if self.interim:
            self.interim = False
        else:
            self.complete = True

    # --- used by the transport --------------------------------------------------------------------
    def start(self, request: httpx.Request, no_body: bool, keep_alive: bool) -> None:
        self.request, self.no_body, self.keep_alive = request, no_body, keep_alive
        self._parser = httptools.HttpResponseParser(self)
        self.reason, self.headers, self.chunks = b"", [], deque()
        self.status = self.buffered = 0
        self.got_bytes = self.headers_done = self.complete = self.interim = self.until_close = False
        self.broken, self.http_11, self.error = False, True, None

    def finish(self) -> None:
        """Forget the request (the connection goes idle or gets closed)."""
        self._parser = self.request = None
        self.chunks.clear()
        self.reused = True
        if self._read_paused:
            self._read_paused = False
            self.transport.resume_reading()

    @property
    def reusable(self) -> bool:
        return (self.complete and self.keep_alive and not self.broken and not self.closed
                and self.error is None and not self.transport.is_closing())

    def close(self) -> None:
        self.closed = True
        if self.transport is not None and not self.transport.is_closing():
            try:
                self.transport.close()
            except RuntimeError:            # its event loop is gone (a client reused across asyncio.run())
                pass

    def _wake(self) -> None:
        w = self._waiter
        if w is not None and not w.done():
            w.set_result(None)

    async def _wait(self, timeout: float | None, timeout_exc: type[httpx.TimeoutException]) -> None:
        fut = self._waiter = self.loop.create_future()
        timer = None if timeout is None else self.loop.call_later(timeout, expire, fut)
        try:
            if await fut is TIMEOUT:
                raise timeout_exc("timed out", request=self.request)
        finally:
            self._waiter = None
            if timer is not None:
                timer.cancel()

    async def send(self, head: bytes, body: bytes | None, stream, chunked: bool, timeout: float | None) -> None:
        if body is not None:
            self._write(head + body if len(body) < 65536 else head)
            if len(body) >= 65536:
                self._write(body)
            await self._drain(timeout)
            return
        self._write(head)
        async for part in stream:
            if part:
                self._write(b"%x\r\n%b\r\n" % (len(part), part) if chunked else part)
                await self._drain(timeout)
        if chunked:
            self._write(b"0\r\n\r\n")
        await self._drain(timeout)

    def _write(self, data: bytes) -> None:
        if not self.transport.is_closing():   # once closed, wait_headers reports why
            self.transport.write(data)

    async def _drain(self, timeout: float | None) -> None:
        while self._write_paused and self.error is None and not self.closed:
            await self._wait(timeout, httpx.WriteTimeout)
        if self.error is not None and not isinstance(self.error, Stale):
            raise self.error

    async def wait_headers(self, timeout: float | None) -> None:
        while not self.headers_done:
            if self.error is not None:
                raise self.error
            await self._wait(timeout, httpx.ReadTimeout)

    async def read_body(self, timeout: float | None) -> bytes:
        """The body bytes received since the last call, waiting for some; b"" at the end."""
        while True:
            chunks = self.chunks
            if chunks:
                data = chunks.popleft() if len(chunks) == 1 else b"".join(chunks)
                chunks.clear()
                self.buffered = 0
                if self._read_paused and not self.transport.is_closing():
                    self._read_paused = False
                    self.transport.resume_reading()
                return data
            if self.error is not None:
                raise self.error
            if self.complete:
                return b""
            await self._wait(timeout, httpx.ReadTimeout)
