"""HoldStore: metadata listable, evidence sealed at rest and bound to its ticket."""
from __future__ import annotations

import json
import os
import re
import threading
import time
import uuid

import pytest
import sqlalchemy as sa

from proxy.store.crypto import SealError
from proxy.store.holds import HoldNotFound, HoldRecord, HoldStore, holds, new_ticket
from proxy.store.migrate import upgrade
from tests.store.conftest import pg_schema

KEY = os.urandom(32)
SECRET_ZH = "绝密★南川市斑马计划七三三一"
SECRET_ASCII = "ZEBRA-PROJECT-7331-LAUNCH-CODES"
EVIDENCE = {"segments": [{"path": "messages[0].content", "text": f"{SECRET_ZH} {SECRET_ASCII}"}],
            "findings": [{"entity": "SECRET_MARKING", "start": 0, "end": 3, "score": 0.99}]}


def record(ticket: str | None = None, created_at: float | None = None, status: str = "held", **kw) -> HoldRecord:
    return HoldRecord(ticket=ticket or new_ticket(), flow_id="bm-1-abc", created_at=created_at or time.time(),
                      client=kw.pop("client", "analyst-laptop"), endpoint="/v1/chat/completions",
                      model="gpt-4o", upstream="https://api.example/v1", categories=["secret_marking"],
                      rule_ids=["secret_marking.hold"], status=status, **kw)


@pytest.fixture
def db(tmp_path):
    return tmp_path / "baomi.db"


@pytest.fixture
def store(db):
    upgrade(f"sqlite:///{db}")  # the server migrates before it opens the stores
    s = HoldStore(f"sqlite:///{db}", KEY)
    yield s
    s.close()


def test_put_get_round_trip(store):
    rec = record()
    store.put(rec, EVIDENCE)
    got, evidence = store.get(rec.ticket)
    assert got == rec and evidence == EVIDENCE


def test_evidence_is_not_in_the_database_files(db, store):
    rec = record(client="marker-client-4242")
    store.put(rec, EVIDENCE)
    store.close()  # checkpoint on close is not guaranteed: read the WAL too
    raw = b"".join(p.read_bytes() for p in db.parent.iterdir() if p.name.startswith(db.name))
    assert b"marker-client-4242" in raw  # positive control: the search does see the metadata
    for needle in (SECRET_ASCII, SECRET_ZH, "斑马计划", json.dumps(SECRET_ZH)[1:-1]):
        assert needle.encode() not in raw
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        assert conn.execute(sa.text("PRAGMA journal_mode")).scalar() == "wal"


def test_list_newest_first_with_status_and_limit(store):
    now = time.time()
    recs = [record(created_at=now - 30), record(created_at=now - 10, status="released"), record(created_at=now)]
    for r in recs:
        store.put(r, {"n": r.ticket})
    assert [r.ticket for r in store.list()] == [recs[2].ticket, recs[1].ticket, recs[0].ticket]
    assert [r.ticket for r in store.list(status="held")] == [recs[2].ticket, recs[0].ticket]
    assert [r.ticket for r in store.list(limit=1)] == [recs[2].ticket]
    assert store.list(status="rejected") == []


def test_unknown_ticket(store):
    with pytest.raises(HoldNotFound) as exc:
        store.get("hold-nope")
    assert isinstance(exc.value, KeyError)
    assert "未找到" in str(exc.value) and "hold-nope" in str(exc.value)


def test_swapped_blob_and_wrong_key_fail(db, store):
    a, b = record(), record()
    store.put(a, {"who": "a"})
    store.put(b, {"who": "b"})
    with store.engine.begin() as conn:
        blob_a = conn.execute(sa.select(holds.c.evidence).where(holds.c.ticket == a.ticket)).scalar_one()
        conn.execute(holds.update().where(holds.c.ticket == b.ticket).values(evidence=blob_a))
    with pytest.raises(SealError):
        store.get(b.ticket)
    other = HoldStore(f"sqlite:///{db}", os.urandom(32))
    try:
        with pytest.raises(SealError, match="wrong key"):
            other.get(a.ticket)
    finally:
        other.close()


def test_metadata_only_reader(db, store):
    rec = record()
    store.put(rec, EVIDENCE)
    reader = HoldStore(f"sqlite:///{db}", None)
    try:
        assert [r.ticket for r in reader.list()] == [rec.ticket]
        with pytest.raises(SealError):
            reader.get(rec.ticket)
        with pytest.raises(SealError):
            reader.put(record(), EVIDENCE)
    finally:
        reader.close()


def test_put_from_worker_threads(store):
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(10):
                store.put(record(), {"n": n, "i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and len(store.list(limit=1000)) == 60


def test_new_ticket_is_sortable_and_unique():
    first = new_ticket()
    time.sleep(0.002)
    tickets = [new_ticket() for _ in range(1000)]
    assert all(re.fullmatch(r"hold-[0-9a-f]{12}-[0-9a-f]{16}", t) for t in tickets)
    assert len(set(tickets)) == 1000 and first < min(tickets)


def test_postgresql():
    """The machine's PostgreSQL (127.0.0.1:5432, trust auth, database test), in a schema of its own."""
    with pg_schema() as url:
        upgrade(url)
        store = HoldStore(url, KEY)
        try:
            rec = record(ticket=f"hold-test-{uuid.uuid4().hex}")
            store.put(rec, EVIDENCE)
            assert store.get(rec.ticket) == (rec, EVIDENCE)
            assert [r.ticket for r in store.list(limit=1000)] == [rec.ticket]
        finally:
            store.close()
