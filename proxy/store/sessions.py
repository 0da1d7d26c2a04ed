"""Console sessions, kept in the database (``console_sessions``) so every gateway process sharing it accepts
them, and a logout or a disabled reviewer ends them everywhere.

* The cookie carries a random 256-bit token; the table keeps only its SHA-256 (``id``), so a copy of the
  table (a backup, a read-only replica) logs nobody in.
* Each session has its own CSRF token (``csrf``), put in every form of the console and compared in
  constant time on every POST.
* A session ends at ``expires_at`` (an absolute lifetime from the login: no sliding renewal, so a stolen
  cookie is useful for a bounded time), at logout, or when its reviewer is disabled (the caller checks the
  reviewer on every request; :meth:`end_all` removes the rows at once).
"""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

import sqlalchemy as sa

from proxy.store.db import make_engine
from proxy.store.incidents import utc
from proxy.store.schema import console_sessions

#: a cookie value longer than this is not one of ours (and is not hashed)
MAX_TOKEN_CHARS = 128


def token_id(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Session:
    id: str  # sha256 hex of the token
    reviewer_id: int
    csrf: str
    created_at: datetime
    expires_at: datetime


class SessionStore:
    """``clock`` (aware datetimes) is injectable for expiry tests."""

    def __init__(self, url: str, *, clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.url = url
        self.engine = make_engine(url)  # the schema comes from proxy.store.migrate.upgrade
        self._clock = clock

    def _now(self) -> datetime:
        now = utc(self._clock())
        assert now is not None
        return now

    def create(self, reviewer_id: int, lifetime: timedelta) -> tuple[str, Session]:
        """A new session: returns the token for the cookie (never stored) and the session."""
        token = secrets.token_urlsafe(32)
        now = self._now()
        session = Session(id=token_id(token), reviewer_id=reviewer_id, csrf=secrets.token_urlsafe(32),
                          created_at=now, expires_at=now + lifetime)
        with self.engine.begin() as conn:
            conn.execute(console_sessions.insert(), {"id": session.id, "reviewer_id": reviewer_id,
                                                     "csrf": session.csrf, "created_at": now,
                                                     "expires_at": session.expires_at})
        return token, session

    def get(self, token: str | None) -> Session | None:
        """The live session of this cookie token; None if unknown, malformed or expired."""
        if not token or len(token) > MAX_TOKEN_CHARS:
            return None
        c = console_sessions.c
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(console_sessions).where(c.id == token_id(token))).first()
        if row is None:
            return None
        expires = utc(row.expires_at)
        assert expires is not None
        if expires <= self._now():
            return None
        return Session(id=row.id, reviewer_id=row.reviewer_id, csrf=row.csrf,
                       created_at=utc(row.created_at), expires_at=expires)  # type: ignore[arg-type]

    def end(self, token: str | None) -> None:
        """Logout: delete the session (nothing happens for an unknown token)."""
        if token and len(token) <= MAX_TOKEN_CHARS:
            with self.engine.begin() as conn:
                conn.execute(console_sessions.delete().where(console_sessions.c.id == token_id(token)))

    def end_all(self, reviewer_id: int) -> int:
        """End every session of a reviewer (disabled, or password reset)."""
        with self.engine.begin() as conn:
            return conn.execute(console_sessions.delete()
                                .where(console_sessions.c.reviewer_id == reviewer_id)).rowcount

    def purge_expired(self) -> int:
        with self.engine.begin() as conn:
            return conn.execute(console_sessions.delete()
                                .where(console_sessions.c.expires_at <= self._now())).rowcount

    def close(self) -> None:
        self.engine.dispose()
