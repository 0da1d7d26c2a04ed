"""Held requests: metadata in the clear (for listing), evidence sealed with AES-256-GCM.

When the policy decides ``hold`` the gateway answers 403 ``held_for_review`` with a ticket and keeps
the request here until a reviewer decides. The metadata columns are the same kind the audit table
already holds (client, endpoint, model, categories, rule ids: no prompt text), so they can be listed
without the key; the evidence (the text that triggered the hold) is JSON, sealed with the ticket as
associated data, so a stolen database file or a swapped blob reveals nothing.

Unlike the audit store this one writes synchronously: the caller (a worker thread, off the event
loop) must know the hold is stored before it hands the ticket to the client. Each call is one short
transaction on the store's own engine, whose connection pool is thread-safe.
"""
from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from proxy.store.crypto import KEY_BYTES, SealError, open_sealed, seal
from proxy.store.db import make_engine
from proxy.store.schema import holds


class HoldNotFound(KeyError):
    """No hold with this ticket."""

    def __init__(self, ticket: str) -> None:
        super().__init__(ticket)
        self.ticket = ticket

    def __str__(self) -> str:  # KeyError would print the repr of the ticket
        return f"未找到待审请求 {self.ticket} / no held request with ticket {self.ticket}"


@dataclass(slots=True)
class HoldRecord:
    ticket: str
    flow_id: str
    created_at: float
    client: str
    endpoint: str
    model: str | None = None
    upstream: str | None = None
    categories: list[str] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    status: str = "held"

    def to_json(self) -> dict[str, Any]:
        return {"ticket": self.ticket, "flow_id": self.flow_id, "created_at": self.created_at,
                "client": self.client, "endpoint": self.endpoint, "model": self.model,
                "upstream": self.upstream, "categories": list(self.categories),
                "rule_ids": list(self.rule_ids), "status": self.status}


def new_ticket() -> str:
    """``hold-<ms since epoch, 12 hex>-<64 random bits>``: sorts by time, cannot be guessed.

    Fixed-width hex keeps lexical order equal to time order (until the year 10889)."""
    return f"hold-{time.time_ns() // 1_000_000:012x}-{secrets.token_hex(8)}"


def _aad(ticket: str) -> bytes:
    return ticket.encode("utf-8")


def _record(row: Any) -> HoldRecord:
    return HoldRecord(ticket=row.ticket, flow_id=row.flow_id, created_at=row.created_at, client=row.client,
                      endpoint=row.endpoint, model=row.model, upstream=row.upstream,
                      categories=json.loads(row.categories), rule_ids=json.loads(row.rule_ids),
                      status=row.status)


class HoldStore:
    """``key`` may be None for a metadata-only reader (``baomi holds list``); put/get then refuse."""

    def __init__(self, url: str, key: bytes | None) -> None:
        if key is not None and len(key) != KEY_BYTES:
            raise SealError(f"证据密钥必须是 {KEY_BYTES} 字节 / the evidence key must be {KEY_BYTES} bytes (AES-256)")
        self.url = url
        self._key = key
        self.engine = make_engine(url)  # the schema comes from proxy.store.migrate.upgrade, not from here

    def _need_key(self) -> bytes:
        if self._key is None:
            raise SealError("未提供证据密钥 / this hold store was opened without the evidence key")
        return self._key

    def put(self, record: HoldRecord, evidence: dict[str, Any]) -> None:
        """Store one hold; the evidence is JSON-encoded and sealed before it reaches the database."""
        plain = json.dumps(evidence, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        blob = seal(self._need_key(), plain, _aad(record.ticket))
        row = record.to_json()
        row.update(categories=json.dumps(record.categories), rule_ids=json.dumps(record.rule_ids), evidence=blob)
        with self.engine.begin() as conn:
            conn.execute(holds.insert(), row)

    def list(self, status: str | None = None, limit: int = 100) -> list[HoldRecord]:
        """Newest first. Never reads the evidence column, so it needs no key."""
        cols = [c for c in holds.c if c.name != "evidence"]
        q = sa.select(*cols).order_by(holds.c.created_at.desc(), holds.c.ticket.desc()).limit(max(0, limit))
        if status is not None:
            q = q.where(holds.c.status == status)
        with self.engine.connect() as conn:
            return [_record(r) for r in conn.execute(q)]

    def get(self, ticket: str) -> tuple[HoldRecord, dict[str, Any]]:
        """The record and its decrypted evidence; HoldNotFound, or SealError for a wrong key or tampering."""
        with self.engine.connect() as conn:
            row = conn.execute(holds.select().where(holds.c.ticket == ticket)).first()
        if row is None:
            raise HoldNotFound(ticket)
        plain = open_sealed(self._need_key(), row.evidence, _aad(row.ticket))
        return _record(row), json.loads(plain.decode("utf-8"))

    def close(self) -> None:
        self.engine.dispose()
