"""Migrations: fresh databases reach head, reruns do nothing, old create_all databases are adopted with
their rows, concurrent starts do not trip over each other, and head is exactly ``schema.py``."""
from __future__ import annotations

import threading
import time
from datetime import datetime, timezone

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.pool import NullPool

from proxy.store.audit import AuditRecord, AuditStore
from proxy.store.migrate import current, head, upgrade
from proxy.store.schema import metadata
from tests.store.conftest import pg_schema

TABLES = {"flows", "incidents", "reviewers", "review_actions", "evidence_views", "console_sessions",
          "alembic_version"}

# the tables exactly as audit.py and holds.py created them with create_all before the migrations existed
legacy = sa.MetaData()
legacy_flows = sa.Table(
    "flows", legacy,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("ts", sa.DateTime(timezone=True), nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("method", sa.String(10), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("decision", sa.String(20), nullable=False, index=True),
    sa.Column("categories", sa.Text, nullable=False, default="[]"),
    sa.Column("rule_ids", sa.Text, nullable=False, default="[]"),
    sa.Column("error_code", sa.String(60)),
    sa.Column("status", sa.Integer),
    sa.Column("stream", sa.Boolean, nullable=False, default=False),
    sa.Column("prompt_tokens", sa.Integer),
    sa.Column("inspect_ms", sa.Float),
)
legacy_holds = sa.Table(
    "holds", legacy,
    sa.Column("ticket", sa.String(64), primary_key=True),
    sa.Column("flow_id", sa.String(64), nullable=False, index=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("categories", sa.Text, nullable=False, default="[]"),
    sa.Column("rule_ids", sa.Text, nullable=False, default="[]"),
    sa.Column("status", sa.String(20), nullable=False, default="held", server_default="held"),
    sa.Column("evidence", sa.LargeBinary, nullable=False),
    sa.Index("ix_holds_status_created", "status", "created_at"),
)


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """An empty database: a new SQLite file, or a new PostgreSQL schema (dropped afterwards)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'baomi.db'}"
    else:
        with pg_schema() as url:
            yield url


def schema_diff(url: str) -> list:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            return compare_metadata(ctx, metadata)
    finally:
        engine.dispose()


def tables(url: str) -> set[str]:
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        return set(sa.inspect(engine).get_table_names())
    finally:
        engine.dispose()


def test_fresh_upgrade_reaches_head_and_matches_schema(empty_url):
    assert current(empty_url) is None
    assert upgrade(empty_url) == head() == current(empty_url) == "0002"
    assert tables(empty_url) == TABLES
    assert schema_diff(empty_url) == []


def test_second_upgrade_is_a_no_op(empty_url):
    upgrade(empty_url)
    engine = sa.create_engine(empty_url, poolclass=NullPool)
    with engine.begin() as conn:
        conn.execute(metadata.tables["reviewers"].insert(), {"name": "a", "role": "admin", "password_hash": "x",
                                                             "created_at": datetime.now(timezone.utc)})
    engine.dispose()
    assert upgrade(empty_url) == head()
    engine = sa.create_engine(empty_url, poolclass=NullPool)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT count(*) FROM reviewers")).scalar() == 1
        assert conn.execute(sa.text("SELECT count(*) FROM alembic_version")).scalar() == 1
    engine.dispose()


def _legacy_rows(url: str, which: tuple[str, ...]) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    legacy.create_all(engine, tables=[legacy.tables[t] for t in which])
    with engine.begin() as conn:
        if "flows" in which:
            conn.execute(legacy_flows.insert(), [
                {"id": f"bm-{n}", "ts": datetime(2025, 1, 1, 12, n, tzinfo=timezone.utc), "client": "old-laptop",
                 "endpoint": "/v1/chat/completions", "method": "POST", "decision": "block",
                 "categories": '["secret_marking"]', "rule_ids": "[]", "stream": False} for n in range(3)])
        if "holds" in which:
            conn.execute(legacy_holds.insert(), {"ticket": "hold-old-1", "flow_id": "bm-9", "created_at": 1.0,
                                                 "client": "old", "endpoint": "/v1/responses",
                                                 "categories": "[]", "rule_ids": "[]", "evidence": b"\x01sealed"})
    engine.dispose()


@pytest.mark.parametrize("which", [("flows", "holds"), ("holds",)])
def test_adopts_a_create_all_database_keeping_its_rows(empty_url, which):
    _legacy_rows(empty_url, which)
    assert current(empty_url) is None and tables(empty_url) == set(which)
    assert upgrade(empty_url) == head()
    assert tables(empty_url) == TABLES and schema_diff(empty_url) == []
    engine = sa.create_engine(empty_url, poolclass=NullPool)
    with engine.connect() as conn:
        # revision 0002: the old hold is now an incident (its evidence, sealed to the ticket, cannot follow)
        held = conn.execute(sa.text("SELECT id, ticket, decision, status, client, evidence, evidence_purged_at "
                                    "FROM incidents")).one()
        assert tuple(held)[:6] == ("bm-9", "hold-old-1", "hold", "held", "old", None)
        assert held.evidence_purged_at is not None
        if "flows" in which:
            rows = conn.execute(sa.text("SELECT id, client, department FROM flows ORDER BY id")).all()
            assert [tuple(r) for r in rows] == [(f"bm-{n}", "old-laptop", None) for n in range(3)]
    engine.dispose()
    store = AuditStore(empty_url)  # the audit writer works against the adopted table, new column included
    try:
        store.record(AuditRecord(id="bm-new", client="c", endpoint="/v1/chat/completions", method="POST",
                                 decision="allow", department="研发部"))
        store.flush()
        assert store.failures == 0
        assert {r["id"]: r["department"] for r in store.recent()}.get("bm-new") == "研发部"
    finally:
        store.close()


def test_concurrent_upgrades_all_succeed(empty_url):
    """Gateway processes starting at once: each migrates in its own connection; none may fail."""
    if empty_url.startswith("sqlite"):
        _legacy_rows(empty_url, ("flows",))  # adoption too: the ALTER must run exactly once
    barrier = threading.Barrier(4)
    results: list[object] = []

    def start() -> None:
        barrier.wait()
        try:
            results.append(upgrade(empty_url))
        except Exception as exc:  # reported by the assertion below
            results.append(exc)

    threads = [threading.Thread(target=start) for _ in range(4)]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert results == [head()] * 4, results
    assert time.monotonic() - t0 < 30
    assert schema_diff(empty_url) == []


def test_concurrent_upgrades_in_separate_processes(tmp_path):
    """Real processes against one PostgreSQL schema (the advisory lock is per database, across processes)."""
    import subprocess
    import sys

    with pg_schema() as url:
        code = f"from proxy.store.migrate import upgrade; print(upgrade({url!r}))"
        procs = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  text=True) for _ in range(3)]
        outs = [p.communicate(timeout=60) for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0], [o[1][-2000:] for o in outs]
        assert [o[0].strip() for o in outs] == [head()] * 3
        assert schema_diff(url) == []


def test_0002_moves_orphan_holds_into_incidents_once(empty_url):
    """A database at 0001: a hold that already has its incident is not copied again; one without (made
    before incidents existed) becomes an incident with its status mapped and its evidence marked gone."""
    assert upgrade(empty_url, "0001") == "0001"
    engine = sa.create_engine(empty_url, poolclass=NullPool)
    now = datetime.now(timezone.utc)
    with engine.begin() as conn:
        conn.execute(sa.text(
            "INSERT INTO incidents (id, ts, client, endpoint, decision, categories, rule_ids, recognizers, status, "
            "ticket, evidence) VALUES ('bm-a', :ts, 'c', '/v1/responses', 'hold', '[]', '[]', '[]', 'released', "
            "'hold-a', :ev)"), {"ts": now, "ev": b"\x02sealed-by-id"})
        for ticket, flow, status in (("hold-a", "bm-a", "released"), ("hold-b", "bm-b", "rejected")):
            conn.execute(legacy_holds.insert(), {"ticket": ticket, "flow_id": flow, "created_at": 1_700_000_000.0,
                                                 "client": "c", "endpoint": "/v1/responses", "status": status,
                                                 "categories": '["personal_data"]', "rule_ids": "[]",
                                                 "evidence": b"\x01sealed"})
    assert upgrade(empty_url) == head()
    with engine.connect() as conn:
        rows = conn.execute(sa.text("SELECT id, ticket, status, categories, evidence FROM incidents ORDER BY id")).all()
    engine.dispose()
    assert [tuple(r) for r in rows] == [("bm-a", "hold-a", "released", "[]", b"\x02sealed-by-id"),
                                        ("bm-b", "hold-b", "confirmed", '["personal_data"]', None)]
    assert "holds" not in tables(empty_url) and schema_diff(empty_url) == []
