"""FastTransport against real loopback servers: a Starlette app under uvicorn and raw asyncio peers."""
from __future__ import annotations

import asyncio
import socket
import ssl
import threading
import time

import httpx
import pytest
import uvloop

from proxy.settings import Settings
from proxy.upstream.client import build_client, open_stream
from proxy.upstream.transport import FastTransport

from .conftest import raw_server, read_request


_loop = {"run": asyncio.run}


@pytest.fixture(autouse=True, params=["asyncio", "uvloop"])
def event_loop_kind(request):
    """Every test runs on both loops: the gateway serves with uvloop, whose transports differ in details."""
    _loop["run"] = asyncio.run if request.param == "asyncio" else uvloop.run
    yield request.param
    _loop["run"] = asyncio.run


def run(coro):
    return _loop["run"](asyncio.wait_for(coro, 30))


def fast_client(timeout: float | httpx.Timeout = 5.0, **kw) -> httpx.AsyncClient:
    transport = FastTransport(**kw)
    return httpx.AsyncClient(transport=transport, timeout=timeout)


def open_conns(c: httpx.AsyncClient) -> int:
    return len(c._transport._conns)


# --- ordinary responses ---------------------------------------------------------------------------------

def test_json_post_and_headers(server):
    async def go():
        async with fast_client() as c:
            r = await c.post(server.url + "/echo?a=1&b=%20", json={"q": "你好"}, headers={"X-Custom": "v"})
            return r
    r = run(go())
    assert r.status_code == 200 and r.reason_phrase == "OK" and r.http_version == "HTTP/1.1"
    got = r.json()
    assert got["method"] == "POST" and got["path"] == "/echo" and got["query"] == "a=1&b=%20"
    assert got["body"] == '{"q":"你好"}'
    assert got["headers"]["x-custom"] == "v" and got["headers"]["host"] == server.url.split("//")[1]
    names = [k for k, _ in r.headers.raw]
    assert names.index(b"x-first") < names.index(b"x-second")  # raw order kept


def test_chunked_response(server):
    async def go():
        async with fast_client() as c:
            async with c.stream("GET", server.url + "/chunked") as r:
                assert r.headers["transfer-encoding"] == "chunked"
                return b"".join([chunk async for chunk in r.aiter_raw()])
    assert run(go()) == b"part0;part1;part2;part3;part4;"


def test_sse_events_arrive_one_by_one(server, app_state):
    """The server sends event i+1 only after the client has received event i: buffering would hang."""
    app_state.sse_acks = [threading.Event() for _ in range(5)]
    app_state.sse_ok = True

    async def go():
        got = b""
        async with fast_client(timeout=httpx.Timeout(5.0, read=8.0)) as c:
            async with c.stream("POST", server.url + "/sse", json={}) as r:
                async for chunk in r.aiter_raw():
                    got += chunk
                    n = got.count(b"\n\n")
                    if 0 < n <= 5:
                        app_state.sse_acks[n - 1].set()
        return got
    got = run(go())
    assert got == b"".join(f"data: event {i}\n\n".encode() for i in range(5)) + b"data: [DONE]\n\n"
    assert app_state.sse_ok


def test_content_length_body_large(server):
    async def go():
        async with fast_client() as c:
            async with c.stream("GET", server.url + "/big") as r:
                sizes, data = [], b""
                async for chunk in r.aiter_raw():
                    sizes.append(len(chunk))
                    data += chunk
                    await asyncio.sleep(0.001)   # a slow reader: the transport pauses the socket
                return r.headers["content-length"], data, sizes
    length, data, sizes = run(go())
    assert int(length) == len(data) == 1 << 20 and data == bytes(range(256)) * 4096
    assert len(sizes) > 1  # streamed, not buffered whole


def test_streaming_request_body(server):
    async def gen():
        for part in (b"al", b"", b"pha", b"beta"):
            yield part

    async def go():
        async with fast_client() as c:
            r = await c.post(server.url + "/echo", content=gen())
            return r.json()
    got = run(go())
    assert got["body"] == "alphabeta" and got["headers"]["transfer-encoding"] == "chunked"


def test_concurrent_requests_share_pool(server):
    async def go():
        async with fast_client(max_connections=8) as c:
            rs = await asyncio.gather(*(c.get(server.url + f"/slow?id={i}") for i in range(40)))
            return [r.json()["id"] for r in rs], open_conns(c)
    ids, conns = run(go())
    assert ids == [str(i) for i in range(40)] and conns <= 8


def test_gateway_open_stream(server):
    async def go():
        http = build_client(Settings.load(env={}))
        assert isinstance(http._transport, FastTransport)
        async with http:
            r = await open_stream(http, "POST", server.url + "/echo", {"content-type": "application/json"}, b"{}")
            return r.status_code, await r.aread()
    status, body = run(go())
    assert status == 200 and b'"body":"{}"' in body


def test_transport_setting():
    assert not isinstance(build_client(Settings.load(env={"BAOMI_UPSTREAM_TRANSPORT": "httpx"}))._transport,
                          FastTransport)
    with pytest.raises(ValueError, match="BAOMI_UPSTREAM_TRANSPORT"):
        build_client(Settings.load(env={"BAOMI_UPSTREAM_TRANSPORT": "h2"}))


# --- no body -------------------------------------------------------------------------------------------

def test_head_204_304_have_no_body_and_keep_the_connection(server, app_state):
    async def go():
        async with fast_client() as c:
            head = await c.head(server.url + "/status/200")
            nc = await c.get(server.url + "/status/204")
            nm = await c.get(server.url + "/status/304")
            ok = await c.get(server.url + "/status/200")
            return head, nc, nm, ok, open_conns(c)
    head, nc, nm, ok, conns = run(go())
    assert head.status_code == 200 and head.headers["content-length"] == "5" and head.content == b""
    assert nc.status_code == 204 and nc.content == b"" and nm.status_code == 304 and nm.content == b""
    assert ok.content == b"hello" and conns == 1


# --- the pool ------------------------------------------------------------------------------------------

def test_keepalive_reuses_one_connection(server, app_state):
    async def go():
        app_state.peers.clear()
        async with fast_client() as c:
            for i in range(20):
                r = await c.get(server.url + "/echo", params={"i": i})
                assert r.json()["query"] == f"i={i}"
        return set(app_state.peers)
    assert len(run(go())) == 1


def test_connection_close_is_respected(server, app_state):
    async def go():
        app_state.peers.clear()
        async with fast_client() as c:
            for _ in range(3):
                assert (await c.get(server.url + "/close")).content == b"bye"
            peers_close = set(app_state.peers)
            app_state.peers.clear()
            for _ in range(3):  # the request side asking to close
                await c.get(server.url + "/echo", headers={"connection": "close"})
            return peers_close, set(app_state.peers), open_conns(c)
    by_server, by_client, conns = run(go())
    assert len(by_server) == 3 and len(by_client) == 3 and conns == 0


def test_idle_expiry(server, app_state):
    async def go():
        app_state.peers.clear()
        async with fast_client(keepalive_expiry=0.05) as c:
            await c.get(server.url + "/echo")
            await asyncio.sleep(0.2)
            await c.get(server.url + "/echo")
        return set(app_state.peers)
    assert len(run(go())) == 2


def test_pool_limit_respected(server, app_state):
    async def go():
        app_state.max_active = 0
        async with fast_client(max_connections=2) as c:
            rs = await asyncio.gather(*(c.get(server.url + f"/slow?id={i}") for i in range(8)))
            return [r.status_code for r in rs], open_conns(c)
    codes, conns = run(go())
    assert codes == [200] * 8 and app_state.max_active == 2 and conns == 2


def test_pool_timeout(server):
    async def go():
        async with fast_client(timeout=httpx.Timeout(5.0, pool=0.2), max_connections=1) as c:
            async with c.stream("GET", server.url + "/chunked"):
                t0 = time.monotonic()
                with pytest.raises(httpx.PoolTimeout):
                    await c.get(server.url + "/echo")
                assert time.monotonic() - t0 < 2
            assert (await c.get(server.url + "/echo")).status_code == 200  # freed by the close
    run(go())


def test_stale_keepalive_connection_is_retried():
    """The server closes a kept-alive connection as the next request arrives: retried on a new one."""
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()
        await read_request(reader)   # the second request: drop it unanswered, like a server timing out

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            assert (await c.get(srv["url"])).content == b"ok"
            assert (await c.get(srv["url"])).content == b"ok"   # not an error
            return srv["connections"]
    assert run(go()) == 2


def test_idle_connection_closed_by_server_is_not_used():
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
        await writer.drain()

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            for _ in range(3):
                assert (await c.get(srv["url"])).content == b"ok"
                await asyncio.sleep(0.05)   # the close reaches the client while the connection is idle
            return srv["connections"]
    assert run(go()) == 3


def test_fresh_connection_closed_without_response_is_an_error():
    async def handler(reader, writer):
        await read_request(reader)

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            with pytest.raises(httpx.RemoteProtocolError):
                await c.get(srv["url"])
            return srv["connections"]
    assert run(go()) == 1


# --- misbehaving peers ---------------------------------------------------------------------------------

def test_read_until_close_http10():
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nfirst ")
        await writer.drain()
        await asyncio.sleep(0.05)
        writer.write(b"second")
        await writer.drain()

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            async with c.stream("GET", srv["url"]) as r:
                chunks = [chunk async for chunk in r.aiter_raw()]
                return r.http_version, r.headers.raw, chunks, open_conns(c)
    version, raw, chunks, conns = run(go())
    assert raw == [(b"Content-Type", b"text/plain")]  # raw case kept
    assert version == "HTTP/1.0" and b"".join(chunks) == b"first second" and len(chunks) == 2 and conns == 0


@pytest.mark.parametrize("response", [
    b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten..",
    b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
])
def test_server_closing_mid_body(response):
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(response)
        await writer.drain()

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
                await c.get(srv["url"])
            return open_conns(c)
    assert run(go()) == 0


def test_interim_response_is_skipped_and_extra_bytes_end_reuse():
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 4\r\n\r\ndone"
                     b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n")   # a response nobody asked for
        await writer.drain()
        await reader.read()

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            r = await c.get(srv["url"])
            await asyncio.sleep(0.05)
            return r.status_code, r.reason_phrase, r.content, open_conns(c)
    assert run(go()) == (201, "Created", b"done", 0)


def test_malformed_response():
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 abc nonsense\r\n\r\n")
        await writer.drain()
        await reader.read()

    async def go():
        async with raw_server(handler) as srv, fast_client() as c:
            with pytest.raises(httpx.RemoteProtocolError):
                await c.get(srv["url"])
    run(go())


def test_connect_refused():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()

    async def go():
        async with fast_client() as c:
            with pytest.raises(httpx.ConnectError) as info:
                await c.get(f"http://127.0.0.1:{port}/")
            assert info.value.request.url.port == port
            return open_conns(c), c._transport._opening
    assert run(go()) == (0, 0)


def test_connect_timeout_includes_the_tls_handshake():
    async def handler(reader, writer):
        await asyncio.sleep(10)   # accepts TCP, never answers the ClientHello

    async def go():
        async with raw_server(handler) as srv, fast_client(timeout=httpx.Timeout(5.0, connect=0.3)) as c:
            t0 = time.monotonic()
            with pytest.raises(httpx.ConnectTimeout):
                await c.get(srv["url"].replace("http:", "https:"))
            return time.monotonic() - t0, open_conns(c), c._transport._opening
    elapsed, conns, opening = run(go())
    assert elapsed < 1.5 and conns == 0 and opening == 0


def test_slow_headers_read_timeout():
    async def handler(reader, writer):
        await read_request(reader)
        await asyncio.sleep(10)

    async def go():
        async with raw_server(handler) as srv, fast_client(timeout=httpx.Timeout(5.0, read=0.3)) as c:
            t0 = time.monotonic()
            with pytest.raises(httpx.ReadTimeout):
                await c.get(srv["url"])
            return time.monotonic() - t0, open_conns(c)
    elapsed, conns = run(go())
    assert 0.25 < elapsed < 1.5 and conns == 0


def test_slow_body_read_timeout():
    async def handler(reader, writer):
        await read_request(reader)
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc")
        await writer.drain()
        await asyncio.sleep(10)

    async def go():
        async with raw_server(handler) as srv, fast_client(timeout=httpx.Timeout(5.0, read=0.3)) as c:
            async with c.stream("GET", srv["url"]) as r:
                with pytest.raises(httpx.ReadTimeout):
                    await r.aread()
            return open_conns(c)
    assert run(go()) == 0


def test_write_timeout():
    async def handler(reader, writer):
        await asyncio.sleep(10)   # never reads the body

    async def go():
        async with raw_server(handler) as srv, fast_client(timeout=httpx.Timeout(5.0, write=0.3)) as c:
            with pytest.raises(httpx.WriteTimeout):
                await c.post(srv["url"], content=b"x" * (64 << 20))
            return open_conns(c)
    assert run(go()) == 0


# --- closing and cancelling early ----------------------------------------------------------------------

def test_closing_mid_stream_closes_the_socket():
    async def go():
        seen = asyncio.Event()

        async def handler(reader, writer):
            await read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
                         b"f\r\ndata: event 0\n\n\r\n")
            await writer.drain()
            if await reader.read() == b"":   # EOF: the client closed its end
                seen.set()

        async with raw_server(handler) as srv, fast_client() as c:
            async with c.stream("GET", srv["url"]) as r:
                async for chunk in r.aiter_raw():
                    assert chunk == b"data: event 0\n\n"
                    break
            await asyncio.wait_for(seen.wait(), 5)   # the server observed the disconnect
            conns = open_conns(c)
            async with c.stream("GET", srv["url"]):   # not served from the pool: a new connection
                pass
            return conns, srv["connections"]
    assert run(go()) == (0, 2)


def test_cancelled_request_closes_its_connection():
    async def go():
        seen = asyncio.Event()

        async def handler(reader, writer):
            await read_request(reader)
            if await reader.read() == b"":
                seen.set()

        async with raw_server(handler) as srv, fast_client() as c:
            task = asyncio.ensure_future(c.get(srv["url"]))
            await asyncio.sleep(0.1)
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            await asyncio.wait_for(seen.wait(), 5)
            return open_conns(c), c._transport._n_idle
    assert run(go()) == (0, 0)


def test_cancelled_pool_waiter_passes_the_slot_on(server):
    async def go():
        async with fast_client(max_connections=1) as c:
            holder = await c.send(c.build_request("GET", server.url + "/chunked"), stream=True)
            waiter = asyncio.ensure_future(c.get(server.url + "/echo"))
            second = asyncio.ensure_future(c.get(server.url + "/echo"))
            await asyncio.sleep(0.05)
            await holder.aclose()     # wakes the first waiter ...
            waiter.cancel()           # ... which is cancelled before it runs: the second must get the slot
            r = await asyncio.wait_for(second, 3)
            return r.status_code
    assert run(go()) == 200


def test_random_cancellations_leave_the_pool_consistent(server):
    async def one(c, i):
        if i % 3 == 0:
            async with c.stream("GET", server.url + "/chunked") as r:
                async for _ in r.aiter_raw():
                    break                        # closed early
        else:
            r = await c.get(server.url + f"/slow?id={i}")
            assert r.json()["id"] == str(i)

    async def go():
        async with fast_client(max_connections=5) as c:
            t = c._transport
            tasks = [asyncio.ensure_future(one(c, i)) for i in range(60)]
            await asyncio.sleep(0.15)
            for task in tasks[::4]:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            assert len(t._conns) <= 5 and t._opening == 0 and not t._waiters
            assert t._n_idle == sum(len(v) for v in t._idle.values())
            rs = await asyncio.gather(*(c.get(server.url + f"/slow?id={i}") for i in range(10)))
            return [r.json()["id"] for r in rs]
    assert run(go()) == [str(i) for i in range(10)]


# --- TLS -----------------------------------------------------------------------------------------------

def test_https_with_self_signed_cert(tls_files):
    cert, key = tls_files
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(cert, key)

    async def handler(reader, writer):
        while True:
            await read_request(reader)
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nsecure")
            await writer.drain()

    async def go():
        async with raw_server(handler, server_ctx) as srv:
            trusted = ssl.create_default_context(cafile=str(cert))
            async with fast_client(ssl_context=trusted) as c:
                bodies = [(await c.get(srv["url"] + "/x")).content for _ in range(3)]
            async with fast_client() as c:   # the system trust store does not know this cert
                with pytest.raises(httpx.ConnectError):
                    await c.get(srv["url"])
            return bodies, srv["connections"]
    bodies, conns = run(go())
    assert bodies == [b"secure"] * 3 and conns == 1  # one kept-alive TLS connection (the rejected one never got past the handshake)
