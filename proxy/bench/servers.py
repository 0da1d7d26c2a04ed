"""Run an ASGI app under a real uvicorn server on a loopback port, in a thread or a child process."""
from __future__ import annotations

import multiprocessing as mp
import socket
import threading
import time
from typing import Any, Callable

import uvicorn


def free_socket(host: str = "127.0.0.1") -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, 0))
    sock.listen(1024)
    sock.set_inheritable(True)
    return sock


class ServerThread:
    """``with ServerThread(app) as s: s.url`` — a uvicorn server in a daemon thread.

    uvloop, as ``baomi serve`` uses: with uvicorn on the plain asyncio loop every request after the first on
    a kept-alive connection waited ~40 ms (measured with curl: 1 ms, then 41 ms, 44 ms; uvloop: 1.0, 0.3,
    0.2 ms), which slowed every test client that reuses its connection."""

    def __init__(self, app: Any, *, loop: str = "uvloop") -> None:
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", loop=loop, lifespan="on",
                                                    access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "ServerThread":
        self.start()
        return self

    def start(self) -> None:
        self.thread.start()
        deadline = time.monotonic() + 60
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("server did not start")
            time.sleep(0.01)

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def _child(factory: Callable[[], Any], sock: socket.socket, ready: Any) -> None:
    import asyncio
    config = uvicorn.Config(factory(), log_level="warning", loop="uvloop", lifespan="on", access_log=False)
    server = uvicorn.Server(config)

    async def main() -> None:
        task = asyncio.ensure_future(server.serve(sockets=[sock]))
        while not server.started and not task.done():
            await asyncio.sleep(0.01)
        ready.set()
        await task

    import uvloop
    uvloop.run(main())


class ServerProcess:
    """A uvicorn server in a child process (own GIL): for benchmarks. ``factory`` must be picklable."""

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.sock = free_socket()
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        ctx = mp.get_context("fork")
        self.ready = ctx.Event()
        self.proc = ctx.Process(target=_child, args=(factory, self.sock, self.ready), daemon=True)

    def __enter__(self) -> "ServerProcess":
        self.proc.start()
        if not self.ready.wait(120):
            self.proc.kill()
            raise RuntimeError("server process did not start")
        return self

    def __exit__(self, *exc: Any) -> None:
        self.proc.terminate()
        self.proc.join(10)
        self.sock.close()
