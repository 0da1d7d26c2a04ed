"""``baomi bench --store``: the review queue with 100,000 incidents, on SQLite and on PostgreSQL.

Fills a fresh migrated store (a temporary SQLite file; a throwaway schema on the PostgreSQL given by
``BAOMI_BENCH_POSTGRES_URL``, default the machine's 127.0.0.1:5432/test) with N incidents spread over 90
days (a few clients, categories and statuses, evidence left out: the queue never reads it), then times the
queries a queue page makes: the first page, the 21st page by keyset, and pages filtered by category,
client, status and time window; then the whole rendered console pages over HTTP (``console_bench``).
Median of several runs per query, milliseconds.
"""
from __future__ import annotations

import json
import os
import random
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from proxy.bench.console_bench import page_times
from proxy.store.incidents import IncidentStore
from proxy.store.migrate import upgrade
from proxy.store.schema import incidents

PG_URL = os.environ.get("BAOMI_BENCH_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
CATEGORIES = ["secret_marking", "internal_marking", "official_document", "nonpublic_content", "credential",
              "personal_data", "project"]
CLIENTS = [f"client{i}" for i in range(40)]


def _rows(n: int) -> list[dict[str, Any]]:
    rnd = random.Random(7)
    now = datetime.now(timezone.utc)
    out = []
    for k in range(n):
        cats = rnd.sample(CATEGORIES[:6], rnd.choice((1, 1, 2)))
        if rnd.random() < 0.01:
            cats.append("project")  # a rare category: 1 % of incidents
        decision = "hold" if rnd.random() < 0.1 else "block"
        out.append({"id": f"bm-{k:08x}-{rnd.getrandbits(48):012x}",
                    "ts": now - timedelta(seconds=rnd.uniform(0, 90 * 86400)),
                    "client": rnd.choice(CLIENTS), "department": None, "endpoint": "/v1/chat/completions",
                    "model": "gpt-4o-mini", "upstream": "https://api.openai.com/v1", "decision": decision,
                    "categories": json.dumps(cats),
                    "rule_ids": "[]", "recognizers": '["CnClassificationRecognizer"]',
                    "status": "held" if decision == "hold" else rnd.choice(("open", "confirmed", "false_positive")),
                    "ticket": None, "evidence": None, "evidence_purged_at": None})
    return out


def _fill(url: str, n: int) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    rows = _rows(n)
    with engine.begin() as conn:
        for i in range(0, n, 5000):
            conn.execute(incidents.insert(), rows[i:i + 5000])
    engine.dispose()


def _time(fn, repeat: int = 7) -> float:
    fn()  # warm
    xs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        xs.append((time.perf_counter() - t0) * 1000)
    return statistics.median(xs)


def measure(url: str) -> dict[str, float]:
    store = IncidentStore(url, None)
    try:
        page = store.query(limit=50)
        deep = page
        for _ in range(20):
            deep = store.query(limit=50, before=deep[-1].cursor)
        week = datetime.now(timezone.utc) - timedelta(days=7)
        return {
            "first page": _time(lambda: store.query(limit=50)),
            "page 21 (keyset)": _time(lambda: store.query(limit=50, before=deep[-1].cursor)),
            "category (common)": _time(lambda: store.query(limit=50, category="secret_marking")),
            "category (1 %)": _time(lambda: store.query(limit=50, category="project")),
            "client": _time(lambda: store.query(limit=50, client="client7")),
            "status held": _time(lambda: store.query(limit=50, status="held")),
            "last 7 days + category": _time(lambda: store.query(limit=50, since=week, category="credential")),
            "dashboard: per category, 90 days": _time(
                lambda: store.counts_per_category(datetime.now(timezone.utc) - timedelta(days=90)), repeat=3),
        }
    finally:
        store.close()


def run(n: int = 100_000) -> dict[str, Any]:
    out: dict[str, Any] = {"incidents": n}
    with tempfile.TemporaryDirectory(prefix="baomi-bench-store-") as d:
        url = f"sqlite:///{d}/bench.db"
        upgrade(url)
        _fill(url, n)
        out["sqlite"] = measure(url)
        out["sqlite"].update(page_times(url))
    schema = f"baomi_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL, poolclass=NullPool)
    try:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = sa.engine.make_url(PG_URL).update_query_dict({"options": f"-csearch_path={schema}"}) \
            .render_as_string(hide_password=False)
        upgrade(url)
        _fill(url, n)
        with admin.begin() as conn:
            conn.exec_driver_sql(f'ANALYZE "{schema}".incidents')
        out["postgresql"] = measure(url)
        out["postgresql"].update(page_times(url))
    except sa.exc.OperationalError as exc:
        out["postgresql"] = {"error": type(exc).__name__}
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()
    return out


def report(d: dict[str, Any]) -> str:
    rows = [f"baomi bench --store: review queue (50 per page) with {d['incidents']:,} incidents, median ms",
            f"{'query':<40}{'SQLite':>10}{'PostgreSQL':>12}"]
    pg = d.get("postgresql", {})
    for name, ms in d["sqlite"].items():
        other = pg.get(name)
        cell = f"{other:.2f}" if isinstance(other, float) else "-"
        rows.append(f"{name:<40}{ms:>10.2f}{cell:>12}")
    if "error" in pg:
        rows.append(f"PostgreSQL not measured: {pg['error']}")
    return "\n".join(rows)


class NullStore:
    """An audit store that keeps nothing: the baseline for the store's write overhead per flow."""

    def record(self, rec: Any) -> None:
        pass

    def flush(self, timeout: float = 5.0) -> None:
        pass

    def ping(self) -> bool:
        return True

    def close(self) -> None:
        pass


class _Gateway:
    def __init__(self, upstream: str, data_dir: str, null: bool) -> None:
        self.upstream, self.data_dir, self.null = upstream, data_dir, null

    def __call__(self) -> Any:
        from proxy.app import create_app
        from proxy.settings import Settings

        settings = Settings.load(upstream_url=self.upstream, data_dir=self.data_dir, upstream_api_key="sk-bench")
        return create_app(settings, store=NullStore() if self.null else None)


def write_overhead(requests: int = 400) -> dict[str, Any]:
    """The same plain 2,000-character request through baomi with the SQLite audit store and with none."""
    import asyncio
    import json as _json

    from proxy.bench.run import _DoubleFactory, _load, prompt
    from proxy.bench.servers import ServerProcess

    body = _json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt(2000)}]},
                       ensure_ascii=False).encode()
    out: dict[str, Any] = {}
    with ServerProcess(_DoubleFactory()) as double, tempfile.TemporaryDirectory() as d:
        up = double.url + "/v1"
        with ServerProcess(_Gateway(up, d + "/s", False)) as stored, \
                ServerProcess(_Gateway(up, d + "/n", True)) as null:
            for clients in (1, 16):
                for name, gw in (("no store", null), ("SQLite store", stored)):
                    lat, _, wall = asyncio.run(_load(gw.url + "/v1/chat/completions", body, False, clients, requests))
                    out[f"{name}, {clients} client(s)"] = {"median_ms": statistics.median(lat) * 1000,
                                                          "rps": len(lat) / wall}
    return out


def overhead_report(d: dict[str, Any]) -> str:
    rows = ["store write overhead per flow (plain 2,000-character request through baomi)",
            f"{'':<28}{'median ms':>11}{'req/s':>9}"]
    rows += [f"{k:<28}{v['median_ms']:>11.2f}{v['rps']:>9.1f}" for k, v in d.items()]
    for c in (1, 16):
        a, b = d[f"no store, {c} client(s)"], d[f"SQLite store, {c} client(s)"]
        rows.append(f"{c} client(s): store adds {b['median_ms'] - a['median_ms']:+.2f} ms median, "
                    f"throughput ratio {b['rps'] / a['rps']:.2f}")
    return "\n".join(rows)
