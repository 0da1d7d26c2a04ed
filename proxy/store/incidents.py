"""Incidents: every blocked or held request, for the review console.

Metadata (who, when, route, model, decision, categories, rule ids, recognizers, status) is in the clear,
so the queue and the statistics need no key. The evidence (the text that was stopped, with its finding
spans) is the very material baomi protects: it is JSON sealed with AES-256-GCM (``crypto.seal``), with
the incident id as associated data so a blob copied onto another row fails to open. Reading it for a
reviewer goes through ``view_evidence``, which records the view in the same transaction; after the
retention period ``purge_evidence`` deletes the blob and keeps the metadata for the statistics.

Writes are synchronous and short (one transaction each): incidents are the rare blocked/held flows, and
for a hold the caller must know the incident is stored before it hands out the ticket.

Categories are a JSON array in a text column and a category filter is ``categories LIKE '%"name"%'``:
the quotes make it match a whole element (``secret`` does not match ``secret_marking``) and ``_``/``%``
are escaped. It cannot use an index, but the queue is ordered by ``ts`` and limited, so the database walks
the ``(…, ts, id)`` index newest first and stops after one page: cheap for any category that is not
vanishingly rare, and the worst case is one pass over the time-bounded rows (measured with 100,000
incidents: a page in ~2-4 ms for a category on 1 % of them, ~95 ms SQLite / ~30 ms PostgreSQL for one on
none). A separate category table would make every write two and every filtered query a join.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any

import sqlalchemy as sa

from proxy.store.crypto import KEY_BYTES, SealError, open_sealed, seal
from proxy.store.db import make_engine
from proxy.store.incident_stats import StatsMixin
from proxy.store.schema import evidence_views, incidents, review_actions

STATUSES = ("open", "confirmed", "false_positive", "held", "released")
ACTIONS = ("confirm", "false_positive", "release", "comment", "export")
#: action -> (statuses it may start from, status it leaves). Only a held request can be released; a held
#: request that is confirmed stays unsent for good (its ticket reads "rejected"). comment/export change nothing.
TRANSITIONS = {"confirm": (("open", "false_positive", "held"), "confirmed"),
               "false_positive": (("open", "confirmed"), "false_positive"),
               "release": (("held",), "released")}
#: what the ticket of a hold says to the member of staff, by incident status
TICKET_STATUS = {"held": "held", "released": "released", "confirmed": "rejected"}
Cursor = tuple[datetime, str]


def new_ticket() -> str:
    """``hold-<ms since epoch, 12 hex>-<64 random bits>``: sorts by time, cannot be guessed.

    Fixed-width hex keeps lexical order equal to time order (until the year 10889)."""
    return f"hold-{time.time_ns() // 1_000_000:012x}-{secrets.token_hex(8)}"


class IncidentNotFound(KeyError):
    def __init__(self, incident_id: str) -> None:
        super().__init__(incident_id)
        self.incident_id = incident_id

    def __str__(self) -> str:
        return f"未找到事件 {self.incident_id} / no incident {self.incident_id}"


class InvalidTransition(ValueError):
    """The action is not allowed from the incident's current status (or lacks its comment)."""


def utc(ts: datetime | None) -> datetime | None:
    """Aware UTC. Naive values (SQLite hands them back) are taken as UTC, which is how they were written."""
    if ts is None:
        return None
    return ts.replace(tzinfo=timezone.utc) if ts.tzinfo is None else ts.astimezone(timezone.utc)


@dataclass(slots=True)
class IncidentRecord:
    id: str
    client: str
    endpoint: str
    decision: str  # block | hold
    ts: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    department: str | None = None
    model: str | None = None
    upstream: str | None = None
    categories: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    recognizers: list[str] = field(default_factory=list)
    status: str = ""  # empty: "held" for a hold, else "open"
    ticket: str | None = None
    evidence_purged_at: datetime | None = None

    def __post_init__(self) -> None:
        self.status = self.status or ("held" if self.decision == "hold" else "open")
        # each name once (order kept): the statistics count rows per name without a costly DISTINCT
        self.categories, self.rule_ids, self.recognizers = (list(dict.fromkeys(v)) for v in (
            self.categories, self.rule_ids, self.recognizers))
        self.ts = utc(self.ts)  # type: ignore[assignment]

    @property
    def ticket_status(self) -> str:
        """What the ticket of a hold reads to the member of staff: held, released or rejected."""
        return TICKET_STATUS.get(self.status, self.status)

    @property
    def cursor(self) -> Cursor:
        """Pass as ``query(before=...)`` to get the page after this record."""
        return (self.ts, self.id)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "ts": self.ts.isoformat(), "client": self.client, "department": self.department,
                "endpoint": self.endpoint, "model": self.model, "upstream": self.upstream,
                "decision": self.decision, "categories": list(self.categories), "rule_ids": list(self.rule_ids),
                "recognizers": list(self.recognizers), "status": self.status, "ticket": self.ticket,
                "evidence_purged_at": self.evidence_purged_at.isoformat() if self.evidence_purged_at else None}


_META = [c for c in incidents.c if c.name != "evidence"]


def _record(row: Any) -> IncidentRecord:
    return IncidentRecord(
        id=row.id, client=row.client, endpoint=row.endpoint, decision=row.decision, ts=row.ts,
        department=row.department, model=row.model, upstream=row.upstream, categories=json.loads(row.categories),
        rule_ids=json.loads(row.rule_ids), recognizers=json.loads(row.recognizers), status=row.status,
        ticket=row.ticket, evidence_purged_at=utc(row.evidence_purged_at))


class IncidentStore(StatsMixin):
    """``key`` may be None for a metadata-only reader; sealing or opening evidence then raises SealError.

    ``clock`` (returns an aware datetime) is injectable for tests of retention and action times."""

    def __init__(self, url: str, key: bytes | None, *, clock=lambda: datetime.now(timezone.utc)) -> None:
        if key is not None and len(key) != KEY_BYTES:
            raise SealError(f"证据密钥必须是 {KEY_BYTES} 字节 / the evidence key must be {KEY_BYTES} bytes (AES-256)")
        self.url = url
        self._key = key
        self._clock = clock
        self.engine = make_engine(url)  # the schema comes from proxy.store.migrate.upgrade

    def _need_key(self) -> bytes:
        if self._key is None:
            raise SealError("未提供证据密钥 / this incident store was opened without the evidence key")
        return self._key

    def _open(self, row: Any) -> dict[str, Any] | None:
        if row.evidence is None:
            return None
        return json.loads(open_sealed(self._need_key(), row.evidence, row.id.encode("utf-8")).decode("utf-8"))

    def record(self, incident: IncidentRecord, evidence: dict[str, Any] | None) -> None:
        if incident.decision not in ("block", "hold") or incident.status not in STATUSES:
            raise ValueError(f"incident {incident.id}: decision {incident.decision!r} / status {incident.status!r}")
        blob = None
        if evidence is not None:
            plain = json.dumps(evidence, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            blob = seal(self._need_key(), plain, incident.id.encode("utf-8"))
        row = incident.to_json()
        row.update(ts=utc(incident.ts), categories=json.dumps(incident.categories),
                   rule_ids=json.dumps(incident.rule_ids), recognizers=json.dumps(incident.recognizers),
                   evidence=blob, evidence_purged_at=None)
        with self.engine.begin() as conn:
            conn.execute(incidents.insert(), row)

    def _row(self, conn: sa.Connection, incident_id: str, cols: Any = None) -> Any:
        row = conn.execute(sa.select(*(cols or incidents.c)).where(incidents.c.id == incident_id)).first()
        if row is None:
            raise IncidentNotFound(incident_id)
        return row

    def by_ticket(self, ticket: str) -> tuple[IncidentRecord, dict[str, Any] | None]:
        """The hold with this ticket and its evidence, for the gateway (no view recorded: no person sees it)."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(incidents).where(incidents.c.ticket == ticket)).first()
        if row is None:
            raise IncidentNotFound(ticket)
        return _record(row), self._open(row)

    def ticket_status(self, ticket: str) -> IncidentRecord:
        """The hold's metadata only (no key needed): for ``GET /v1/holds/{ticket}``."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*_META).where(incidents.c.ticket == ticket)).first()
        if row is None:
            raise IncidentNotFound(ticket)
        return _record(row)

    def meta(self, incident_id: str) -> tuple[IncidentRecord, bool]:
        """The metadata (no key needed, no view recorded) and whether the evidence is still stored."""
        q = sa.select(*_META, incidents.c.evidence.is_not(None).label("has_evidence")) \
            .where(incidents.c.id == incident_id)
        with self.engine.connect() as conn:
            row = conn.execute(q).first()
        if row is None:
            raise IncidentNotFound(incident_id)
        return _record(row), bool(row.has_evidence)

    def get(self, incident_id: str) -> tuple[IncidentRecord, dict[str, Any] | None]:
        """Record and evidence (None once purged) WITHOUT recording a view: for the system, e.g. a release.
        A person looking at evidence goes through :meth:`view_evidence`."""
        with self.engine.connect() as conn:
            row = self._row(conn, incident_id)
        return _record(row), self._open(row)

    def view_evidence(self, incident_id: str, reviewer_id: int) -> dict[str, Any] | None:
        """The evidence, and an ``evidence_views`` row in the same transaction: if the view cannot be
        recorded, nothing is shown. None (and no view) once the evidence has been purged."""
        with self.engine.begin() as conn:
            row = self._row(conn, incident_id)
            evidence = self._open(row)
            if evidence is not None:
                conn.execute(evidence_views.insert(), {"incident_id": incident_id, "reviewer_id": reviewer_id,
                                                       "ts": utc(self._clock())})
        return evidence

    def views(self, incident_id: str) -> list[dict[str, Any]]:
        """Who viewed this incident's evidence, oldest first."""
        q = (sa.select(evidence_views.c.reviewer_id, evidence_views.c.ts)
             .where(evidence_views.c.incident_id == incident_id).order_by(evidence_views.c.id))
        with self.engine.connect() as conn:
            return [{"reviewer_id": r.reviewer_id, "ts": utc(r.ts)} for r in conn.execute(q)]

    def query(self, *, since: datetime | None = None, until: datetime | None = None, category: str | None = None,
              client: str | None = None, department: str | None = None, upstream: str | None = None,
              decision: str | None = None, status: str | None = None, limit: int = 50, offset: int = 0,
              before: Cursor | None = None) -> list[IncidentRecord]:
        """Newest first, metadata only. ``since`` inclusive, ``until`` exclusive. Page with ``before`` =
        the last record's ``cursor`` (keyset: each page costs the same however deep); ``offset`` also works."""
        i = incidents.c
        q = sa.select(*_META).order_by(i.ts.desc(), i.id.desc()).limit(max(0, limit))
        for col, value in ((i.client, client), (i.department, department), (i.upstream, upstream),
                           (i.decision, decision), (i.status, status)):
            if value is not None:
                q = q.where(col == value)
        if since is not None:
            q = q.where(i.ts >= utc(since))
        if until is not None:
            q = q.where(i.ts < utc(until))
        if category is not None:
            q = q.where(i.categories.contains(json.dumps(category), autoescape=True))
        if before is not None:
            ts, last_id = utc(before[0]), before[1]
            q = q.where(i.ts <= ts, sa.or_(i.ts < ts, i.id < last_id))  # `ts <=` lets the index bound the scan
        if offset:
            q = q.offset(offset)
        with self.engine.connect() as conn:
            return [_record(r) for r in conn.execute(q)]

    def act(self, incident_id: str, reviewer_id: int, action: str, comment: str | None = None) -> IncidentRecord:
        """Record a reviewer's action and apply its status change in one transaction.

        The status change is a conditional UPDATE (``WHERE status IN (allowed)``), so two reviewers acting at
        once on one incident cannot both succeed, on SQLite or across PostgreSQL processes. A released hold
        is collected by the gateway through its ticket (``by_ticket``): the status is all it needs."""
        if action not in ACTIONS:
            raise InvalidTransition(f"未知操作 {action} / unknown action {action!r}")
        if action in ("false_positive", "comment") and not (comment or "").strip():
            raise InvalidTransition(f"{action} 需要说明 / {action} needs a comment")
        with self.engine.begin() as conn:
            if action in TRANSITIONS:
                allowed, new = TRANSITIONS[action]
                done = conn.execute(incidents.update().where(incidents.c.id == incident_id,
                                                             incidents.c.status.in_(allowed)).values(status=new))
                if done.rowcount != 1:
                    now = self._row(conn, incident_id, [incidents.c.status]).status
                    raise InvalidTransition(f"状态为 {now} 的事件不能执行 {action} / cannot {action} an incident "
                                            f"that is {now} (allowed from: {', '.join(allowed)})")
            row = self._row(conn, incident_id, _META)
            conn.execute(review_actions.insert(), {"incident_id": incident_id, "reviewer_id": reviewer_id,
                                                   "action": action, "comment": comment, "ts": utc(self._clock())})
        return _record(row)

    def actions(self, incident_id: str) -> list[dict[str, Any]]:
        """The incident's review history, oldest first."""
        a = review_actions.c
        q = sa.select(a.reviewer_id, a.action, a.comment, a.ts).where(a.incident_id == incident_id).order_by(a.id)
        with self.engine.connect() as conn:
            return [{"reviewer_id": r.reviewer_id, "action": r.action, "comment": r.comment, "ts": utc(r.ts)}
                    for r in conn.execute(q)]

    def purge_evidence(self, older_than_days: float) -> int:
        """Delete the evidence of incidents older than the retention period; their metadata stays."""
        now = utc(self._clock())
        assert now is not None
        q = (incidents.update().where(incidents.c.ts < utc(now - timedelta(days=older_than_days)),
                                      incidents.c.evidence.is_not(None))
             .values(evidence=None, evidence_purged_at=now))
        with self.engine.begin() as conn:
            return conn.execute(q).rowcount

    def close(self) -> None:
        self.engine.dispose()
