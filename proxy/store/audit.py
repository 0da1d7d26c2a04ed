"""Audit store: one row per flow, metadata only (never prompt text).

SQLAlchemy Core, so the same code runs on the embedded SQLite (WAL) and on PostgreSQL by URL.
Writes go through one background thread with a queue, so a request never waits for the disk; the
queue is drained on close, so no record is lost at a clean shutdown. The writer lingers ``LINGER`` after
the first record of a batch, so that under load it wakes and commits once per batch rather than once per
request (``baomi bench --store`` measures the write overhead against no store).
"""
from __future__ import annotations

import json
import logging
import queue
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import sqlalchemy as sa

from proxy.store.db import make_engine
from proxy.store.schema import flows
from proxy.tokens import count_tokens

log = logging.getLogger("baomi.audit")

#: seconds the writer waits after the first queued record so that the records behind it join its batch
LINGER = 0.05

@dataclass(slots=True)
class AuditRecord:
    id: str
    client: str
    endpoint: str
    method: str
    decision: str
    ts: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
    model: str | None = None
    upstream: str | None = None
    categories: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    error_code: str | None = None
    status: int | None = None
    stream: bool = False
    prompt_tokens: int | None = None
    inspect_ms: float | None = None
    department: str | None = None
    #: text whose tokens the writer thread counts (off the request path); never written anywhere
    count_text: str | None = None

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id, "ts": self.ts, "client": self.client, "endpoint": self.endpoint,
            "method": self.method, "model": self.model, "upstream": self.upstream,
            "decision": self.decision, "categories": json.dumps(self.categories),
            "rule_ids": json.dumps(self.rule_ids), "error_code": self.error_code,
            "status": self.status, "stream": self.stream, "prompt_tokens": self.prompt_tokens,
            "inspect_ms": self.inspect_ms, "department": self.department,
        }


class AuditStore:
    """Expects the schema in place: ``proxy.store.migrate.upgrade(url)`` runs first (the app's lifespan)."""

    def __init__(self, url: str, *, linger: float = LINGER) -> None:
        self.url = url
        self.linger = linger
        self.engine = make_engine(url)
        self._queue: queue.Queue[AuditRecord | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="baomi-audit", daemon=True)
        self._thread.start()
        self.failures = 0

    def record(self, rec: AuditRecord) -> None:
        """Non-blocking: queue the record for the writer thread."""
        self._queue.put(rec)

    def _run(self) -> None:
        while True:
            item = self._queue.get()
            if isinstance(item, AuditRecord) and self.linger > 0:
                # let a batch gather: under load one transaction (and one wake-up of this thread) per
                # ~LINGER instead of one per request; a flush or close marker is served at once
                time.sleep(self.linger)
            batch: list[AuditRecord] = []
            markers: list[_Marker] = []
            stop = False
            while True:
                if item is None:
                    stop = True
                    break
                if isinstance(item, _Marker):
                    markers.append(item)
                else:
                    batch.append(item)
                if len(batch) >= 500:
                    break
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
            if batch:
                self._write(batch)
            for m in markers:
                m.event.set()
            if stop:
                return

    def _write(self, batch: list[AuditRecord]) -> None:
        for r in batch:
            if r.count_text is not None:
                r.prompt_tokens = self._count(r.count_text, r.model)
                r.count_text = None
        try:
            with self.engine.begin() as conn:
                conn.execute(flows.insert(), [r.row() for r in batch])
        except Exception as exc:  # keep the gateway serving; the failure is counted and logged
            self.failures += len(batch)
            log.error("audit write failed for %d records: %s", len(batch), type(exc).__name__)

    @staticmethod
    def _count(text: str, model: str | None) -> int | None:
        try:
            return count_tokens(text, model)
        except Exception as exc:  # a missing tokenizer must not lose the record
            log.error("token count failed: %s", type(exc).__name__)
            return None

    def flush(self, timeout: float = 5.0) -> None:
        """Wait until everything queued so far is written (tests, shutdown)."""
        done = threading.Event()
        marker = _Marker(done)
        self._queue.put(marker)  # type: ignore[arg-type]
        done.wait(timeout)

    def ping(self) -> bool:
        try:
            with self.engine.connect() as conn:
                conn.execute(sa.text("SELECT 1"))
            return True
        except Exception:
            return False

    def recent(self, limit: int = 100) -> list[dict[str, Any]]:
        self.flush()
        with self.engine.connect() as conn:
            rows = conn.execute(flows.select().order_by(flows.c.ts.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in rows]

    def close(self) -> None:
        self._queue.put(None)
        self._thread.join(timeout=10)
        self.engine.dispose()


class _Marker:
    """A queue item that only signals that the writer reached it."""

    def __init__(self, event: threading.Event) -> None:
        self.event = event
