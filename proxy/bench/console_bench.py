"""The rendered console queue page with 100,000 incidents: what a reviewer waits for, on SQLite and PostgreSQL.

``store_bench`` fills the store and times the store's queries alone; this module starts a real gateway on
that same database (a child process with uvloop, as ``baomi serve`` runs; a stub detector, since no request
is inspected), logs a reviewer in through the login form and times whole HTTP requests for console pages:
session check, the query, the template and the transfer. Median of several runs, milliseconds, measured on
the client side.
"""
from __future__ import annotations

import base64
import os
import statistics
import tempfile
import time
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx


class _NoDetector:
    """No request is inspected during this benchmark; the gateway still needs an engine to start."""

    def analyze(self, text: str, extra: Any = ()) -> list:
        return []


class _Console:
    """Picklable app factory for the child process: a gateway on the benchmark's store."""

    def __init__(self, url: str, data_dir: str) -> None:
        self.url, self.data_dir = url, data_dir

    def __call__(self) -> Any:
        from proxy.app import create_app
        from proxy.settings import Settings

        settings = Settings.load(data_dir=self.data_dir, database_url=self.url, policy_reload_interval=0.0,
                                 evidence_retention_days=0.0)
        return create_app(settings, engine=_NoDetector())


def _login(client: httpx.Client, name: str, password: str) -> None:
    from proxy.console.auth import LOGIN_CSRF_COOKIE

    client.get("/console/login")
    token = client.cookies.get(LOGIN_CSRF_COOKIE)
    r = client.post("/console/login", data={"name": name, "password": password, "csrf": token,
                                            "next": "/console/queue"})
    if r.status_code != 303:
        raise RuntimeError(f"console login failed in the benchmark: HTTP {r.status_code}")


def _time(client: httpx.Client, path: str, repeat: int) -> float:
    r = client.get(path)  # warm: caches, the template, the connection
    if r.status_code != 200:
        raise RuntimeError(f"{path}: HTTP {r.status_code}")
    xs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        r = client.get(path)
        r.read()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs)


def page_times(url: str, repeat: int = 7) -> dict[str, float]:
    """Log in to a gateway on the store at ``url`` (already filled) and time the queue pages."""
    from argon2 import PasswordHasher

    from proxy.bench.servers import ServerProcess
    from proxy.store.reviewers import ReviewerStore

    people = ReviewerStore(url, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    people.add("bench-reviewer", "reviewer", "bench password 1")
    people.close()
    with tempfile.TemporaryDirectory(prefix="baomi-bench-console-") as d:
        os.environ.setdefault("BAOMI_EVIDENCE_KEY", base64.b64encode(os.urandom(32)).decode())
        with ServerProcess(_Console(url, d)) as server, \
                httpx.Client(base_url=server.url, timeout=60) as client:
            _login(client, "bench-reviewer", "bench password 1")
            first = client.get("/console/queue")
            week = (datetime.now(timezone.utc) + timedelta(hours=8) - timedelta(days=7)).date().isoformat()
            pages = {
                "queue page: first 50": "/console/queue",
                "queue page: category (1 %)": "/console/queue?category=project",
                "queue page: client + status": "/console/queue?client=client7&status=open",
                "queue page: last 7 days + category": f"/console/queue?since={week}&category=credential",
                "dashboard page (30 days)": "/console/dashboard",
            }
            out = {name: _time(client, path, repeat if "dashboard" not in name else 3)
                   for name, path in pages.items()}
            out["queue page size, KB"] = len(first.content) / 1024
            return out
