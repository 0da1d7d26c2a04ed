"""IncidentStore on SQLite and PostgreSQL: sealed evidence, audited views, queue filters and keyset pages,
review actions, dashboard statistics and evidence retention."""
from __future__ import annotations

import itertools
import json
import os
import random
from datetime import date, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from proxy.store.crypto import SealError
from proxy.store.incidents import IncidentNotFound, IncidentRecord, IncidentStore, InvalidTransition, new_ticket
from proxy.store.reviewers import ReviewerStore
from proxy.store.schema import evidence_views, incidents

KEY = os.urandom(32)
SECRET = "绝密★南川市斑马计划七三三一 ZEBRA-PROJECT-7331"
EVIDENCE = {"segments": [{"path": "messages[0].content", "text": SECRET}],
            "findings": [{"recognizer": "secret_marking", "start": 0, "end": 3}]}
T0 = datetime(2026, 3, 1, 12, 0, tzinfo=timezone.utc)


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock(T0 + timedelta(days=1))


@pytest.fixture
def store(db_url, clock):
    s = IncidentStore(db_url, KEY, clock=clock)
    yield s
    s.close()


@pytest.fixture
def reviewer(db_url) -> int:
    people = ReviewerStore(db_url, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    try:
        return people.add("审核员-li", "reviewer", "correct horse battery").id
    finally:
        people.close()


_ids = itertools.count()


def inc(ts: datetime = T0, decision: str = "block", **kw) -> IncidentRecord:
    return IncidentRecord(id=kw.pop("id", f"bm-{next(_ids):06d}"), client=kw.pop("client", "laptop-1"),
                          endpoint="/v1/chat/completions", decision=decision, ts=ts,
                          categories=kw.pop("categories", ["secret_marking"]), **kw)


def test_record_and_get(store):
    rec = inc(department="研发部", model="gpt-4o", upstream="https://api.example/v1", rule_ids=["r1"],
              recognizers=["secret_marking", "cn_id"])
    store.record(rec, EVIDENCE)
    got, evidence = store.get(rec.id)
    assert got == rec and got.status == "open" and got.ts.tzinfo is not None
    assert evidence == EVIDENCE
    hold = inc(decision="hold", ticket="hold-0001-aa")
    store.record(hold, None)
    assert store.get(hold.id) == (hold, None) and hold.status == "held"
    with pytest.raises(IncidentNotFound, match="no incident"):
        store.get("bm-missing")


def test_evidence_sealed_at_rest_and_bound_to_its_row(tmp_path, clock):
    url = f"sqlite:///{tmp_path / 'baomi.db'}"
    from proxy.store.migrate import upgrade

    upgrade(url)
    store = IncidentStore(url, KEY, clock=clock)
    a, b = inc(client="marker-client-4242"), inc()
    store.record(a, EVIDENCE)
    store.record(b, {"other": True})
    with store.engine.begin() as conn:  # a blob copied onto another row must not open there
        blob = conn.execute(sa.select(incidents.c.evidence).where(incidents.c.id == a.id)).scalar_one()
        conn.execute(incidents.update().where(incidents.c.id == b.id).values(evidence=blob))
    with pytest.raises(SealError):
        store.get(b.id)
    store.close()
    raw = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.name.startswith("baomi.db"))
    assert b"marker-client-4242" in raw  # positive control: the search sees the metadata
    for needle in ("斑马计划", "ZEBRA-PROJECT-7331", json.dumps(SECRET)[1:12]):
        assert needle.encode() not in raw
    reader = IncidentStore(url, None)
    try:
        assert reader.query()[0].id in {a.id, b.id}  # metadata needs no key
        with pytest.raises(SealError, match="without the evidence key"):
            reader.get(a.id)
    finally:
        reader.close()


def test_view_evidence_is_recorded(store, reviewer, clock):
    rec = inc()
    store.record(rec, EVIDENCE)
    assert store.get(rec.id)[1] == EVIDENCE and store.views(rec.id) == []  # get() is not a person's view
    assert store.view_evidence(rec.id, reviewer) == EVIDENCE
    assert store.views(rec.id) == [{"reviewer_id": reviewer, "ts": clock.now}]
    with pytest.raises(sa.exc.IntegrityError):  # an unknown reviewer: no view recorded, nothing shown
        store.view_evidence(rec.id, reviewer + 999)
    with pytest.raises(IncidentNotFound):
        store.view_evidence("bm-missing", reviewer)
    with store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(evidence_views)).scalar() == 1


def _dataset(store) -> list[IncidentRecord]:
    rnd = random.Random(7)
    recs = []
    for n in range(60):
        status = rnd.choice(["open", "confirmed", "false_positive"])
        decision = rnd.choice(["block", "hold"])
        rec = inc(ts=T0 - timedelta(minutes=n // 2),  # pairs share a timestamp: ties for the keyset
                  decision=decision, client=rnd.choice(["a", "b", "c"]), department=rnd.choice([None, "研发部", "财务"]),
                  upstream=rnd.choice(["u1", "u2"]), categories=rnd.sample(["secret_marking", "cn_id", "a_b"], 2),
                  status="held" if decision == "hold" and n % 3 == 0 else status)
        recs.append(rec)
    recs.append(inc(ts=T0 - timedelta(hours=5), categories=["axb", "secret"]))  # must not match a_b / secret_marking
    rnd.shuffle(recs)
    for r in recs:
        store.record(r, None)
    return sorted(recs, key=lambda r: (r.ts, r.id), reverse=True)


def test_query_filters_alone_and_combined(store):
    recs = _dataset(store)
    since, until = T0 - timedelta(minutes=20), T0 - timedelta(minutes=5)
    cases = [
        ({}, lambda r: True),
        ({"since": since}, lambda r: r.ts >= since),
        ({"until": until}, lambda r: r.ts < until),
        ({"category": "a_b"}, lambda r: "a_b" in r.categories),
        ({"category": "secret"}, lambda r: "secret" in r.categories),
        ({"client": "b"}, lambda r: r.client == "b"),
        ({"department": "研发部"}, lambda r: r.department == "研发部"),
        ({"upstream": "u2"}, lambda r: r.upstream == "u2"),
        ({"decision": "hold"}, lambda r: r.decision == "hold"),
        ({"status": "held"}, lambda r: r.status == "held"),
        ({"since": since, "until": until, "category": "cn_id", "client": "a", "status": "open"},
         lambda r: since <= r.ts < until and "cn_id" in r.categories and r.client == "a" and r.status == "open"),
        ({"decision": "block", "department": "财务", "upstream": "u1"},
         lambda r: r.decision == "block" and r.department == "财务" and r.upstream == "u1"),
    ]
    for filters, keep in cases:
        want = [r.id for r in recs if keep(r)]
        assert [r.id for r in store.query(limit=1000, **filters)] == want, filters
        assert want or filters.get("category") == "secret", filters  # every case selects something
    assert [r.id for r in store.query(category="secret")] == [r.id for r in recs if "axb" in r.categories]
    assert store.query(limit=5, offset=3) == recs[3:8]


def test_keyset_pagination_returns_every_row_once(store):
    recs = _dataset(store)
    for filters in ({}, {"client": "a"}, {"category": "cn_id", "since": T0 - timedelta(minutes=25)}):
        seen, before = [], None
        while True:
            page = store.query(limit=7, before=before, **filters)
            seen += page
            if len(page) < 7:
                break
            before = page[-1].cursor
        expected = store.query(limit=1000, **filters)
        assert [r.id for r in seen] == [r.id for r in expected] and len(set(r.id for r in seen)) == len(seen)
    assert len(store.query(limit=1000)) == len(recs)


def test_act_transitions(store, reviewer, db_url):
    block, hold = inc(), inc(decision="hold", ticket="hold-00000001-abcd")
    store.record(block, EVIDENCE)
    store.record(hold, EVIDENCE)
    with pytest.raises(InvalidTransition, match="cannot release an incident that is open"):
        store.act(block.id, reviewer, "release")
    with pytest.raises(InvalidTransition, match="needs a comment"):
        store.act(block.id, reviewer, "false_positive", "  ")
    assert store.act(block.id, reviewer, "false_positive", "内部公开文件").status == "false_positive"
    assert store.act(block.id, reviewer, "confirm").status == "confirmed"
    assert store.act(block.id, reviewer, "comment", "checked with the owner").status == "confirmed"
    assert store.act(block.id, reviewer, "export").status == "confirmed"
    assert [a["action"] for a in store.actions(block.id)] == ["false_positive", "confirm", "comment", "export"]
    assert store.actions(block.id)[0]["comment"] == "内部公开文件"

    with pytest.raises(InvalidTransition, match="cannot false_positive an incident that is held"):
        store.act(hold.id, reviewer, "false_positive", "x")
    assert store.act(hold.id, reviewer, "release", "业务需要").status == "released"
    got, evidence = store.by_ticket(hold.ticket)  # what the gateway reads to let the request be collected
    assert got.status == "released" and evidence == EVIDENCE
    assert store.ticket_status(hold.ticket).status == "released"
    with pytest.raises(InvalidTransition, match="released"):
        store.act(hold.id, reviewer, "release")
    assert [a["action"] for a in store.actions(hold.id)] == ["release"]  # refused actions leave no row
    with pytest.raises(IncidentNotFound):
        store.act("bm-missing", reviewer, "comment", "x")
    with pytest.raises(InvalidTransition, match="unknown action"):
        store.act(block.id, reviewer, "delete")
    with pytest.raises(IncidentNotFound):
        store.by_ticket("hold-00000001-ffff")
    rejected = inc(decision="hold", ticket="hold-00000002-abcd")
    store.record(rejected, EVIDENCE)
    assert store.act(rejected.id, reviewer, "confirm").status == "confirmed"  # the ticket reads "rejected"
    with pytest.raises(InvalidTransition):
        store.act(rejected.id, reviewer, "release")


def test_new_ticket_is_sortable_and_unique():
    import re
    import time

    first = new_ticket()
    time.sleep(0.002)
    tickets = [new_ticket() for _ in range(1000)]
    assert all(re.fullmatch(r"hold-[0-9a-f]{12}-[0-9a-f]{16}", t) for t in tickets)
    assert len(set(tickets)) == 1000 and first < min(tickets)


def test_statistics(store, reviewer):
    day1, day2 = datetime(2026, 3, 1, 10, tzinfo=timezone.utc), datetime(2026, 3, 2, 17, tzinfo=timezone.utc)
    rows = [
        inc(ts=day1, client="a", department="研发部", categories=["secret_marking", "cn_id"],
            recognizers=["marking", "cn_id"]),
        inc(ts=day1, client="a", categories=["cn_id"], recognizers=["cn_id"]),
        inc(ts=day2, client="b", department="研发部", categories=["cn_id"], recognizers=["cn_id", "cn_id"]),
        inc(ts=day2, client="a", categories=["secret_marking"], recognizers=["marking"]),
        inc(ts=day1 - timedelta(days=30), client="old", categories=["old"], recognizers=["old"]),
    ]
    for r in rows:
        store.record(r, None)
    store.act(rows[0].id, reviewer, "confirm")
    store.act(rows[1].id, reviewer, "false_positive", "test data")
    store.act(rows[2].id, reviewer, "false_positive", "sample")
    since = day1 - timedelta(days=1)
    assert store.counts_per_day(since) == [(date(2026, 3, 1), 2), (date(2026, 3, 2), 2)]
    # at UTC+8, 17:00 UTC on the 2nd is already the 3rd
    assert store.counts_per_day(since, timedelta(hours=8)) == [(date(2026, 3, 1), 2), (date(2026, 3, 3), 2)]
    assert store.counts_per_category(since) == [("cn_id", 3), ("secret_marking", 2)]
    assert store.counts_per_category() == [("cn_id", 3), ("secret_marking", 2), ("old", 1)]
    assert store.top_clients(since, 5) == [("a", 3), ("b", 1)]
    assert store.top_clients(None, 1) == [("a", 3)]
    assert store.top_departments(since) == [("研发部", 2)]
    fp = store.false_positive_rate_per_recognizer(since)
    assert fp == {"cn_id": {"judged": 3, "false_positive": 2, "rate": pytest.approx(2 / 3)},
                  "marking": {"judged": 1, "false_positive": 0, "rate": 0.0}}
    assert store.false_positive_rate_per_recognizer()["old"]["rate"] is None


def test_purge_keeps_metadata(store, reviewer, clock):
    old, new = inc(ts=T0 - timedelta(days=40)), inc(ts=T0 - timedelta(days=2))
    store.record(old, EVIDENCE)
    store.record(new, EVIDENCE)
    assert store.purge_evidence(30) == 1
    record, evidence = store.get(old.id)
    assert evidence is None and record.evidence_purged_at == clock.now
    assert record.id == old.id and record.categories == old.categories and record.client == old.client
    assert store.view_evidence(old.id, reviewer) is None and store.views(old.id) == []
    assert store.get(new.id)[1] == EVIDENCE
    assert store.purge_evidence(30) == 0
    clock.now += timedelta(days=30)
    assert store.purge_evidence(30) == 1 and store.get(new.id)[1] is None
    assert len(store.query()) == 2
