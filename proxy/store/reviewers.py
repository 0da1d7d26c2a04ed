"""Reviewers of the console: argon2id password hashes, lockout after repeated failures, soft removal.

* Passwords are hashed with argon2-cffi's ``PasswordHasher`` (argon2id, RFC 9106 low-memory profile by
  default); only the encoded hash (salt and parameters included) is stored. A hash made with weaker
  parameters is re-hashed on the next successful login.
* ``verify`` never tells an unknown name, a disabled or locked reviewer and a wrong password apart: all
  return None after one full hash verification (against a dummy hash when there is no real one), so
  neither the answer nor its timing reveals which names exist.
* 5 failed logins in a row lock the reviewer for 15 minutes. The counter moves in one UPDATE
  (``failed_logins + 1`` evaluated by the database), so concurrent guesses across gateway processes
  cannot slip past the limit by racing a read-modify-write.
* ``remove`` disables instead of deleting: review actions and evidence views point at the reviewer,
  and the audit must still say who did what after that person has left.
"""
from __future__ import annotations

import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any, Callable

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from proxy.store.db import make_engine
from proxy.store.incidents import utc
from proxy.store.schema import reviewers

ROLES = ("reviewer", "admin", "auditor")
MAX_FAILED_LOGINS = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD_CHARS = 10


class ReviewerError(ValueError):
    """A name, role or password is not acceptable, or the reviewer exists / does not exist."""


def check_password(password: str) -> None:
    if not password:
        raise ReviewerError("密码为空 / the password is empty")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ReviewerError(f"密码至少 {MIN_PASSWORD_CHARS} 个字符 / the password must have at least "
                            f"{MIN_PASSWORD_CHARS} characters")


def _check_name(name: str) -> None:
    if not name or len(name) > 100 or name != name.strip() or any(
            unicodedata.category(ch).startswith(("C", "Z")) and ch != " " for ch in name):
        raise ReviewerError(f"无效的审核员名称 {name!r} / invalid reviewer name {name!r} "
                            f"(1-100 characters, no control characters or surrounding spaces)")


@dataclass(frozen=True, slots=True)
class Reviewer:
    id: int
    name: str
    role: str
    failed_logins: int
    locked_until: datetime | None
    created_at: datetime
    disabled_at: datetime | None = None


def _reviewer(row: Any) -> Reviewer:
    return Reviewer(id=row.id, name=row.name, role=row.role, failed_logins=row.failed_logins,
                    locked_until=utc(row.locked_until), created_at=utc(row.created_at),  # type: ignore[arg-type]
                    disabled_at=utc(row.disabled_at))


_PUBLIC = [c for c in reviewers.c if c.name != "password_hash"]


class ReviewerStore:
    """``hasher`` and ``clock`` (aware datetimes) are injectable: tests use cheap argon2 parameters and a
    clock they can move past the lockout."""

    def __init__(self, url: str, *, hasher: PasswordHasher | None = None,
                 clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc)) -> None:
        self.url = url
        self.engine = make_engine(url)  # the schema comes from proxy.store.migrate.upgrade
        self._hasher = hasher or PasswordHasher()
        self._clock = clock
        self._dummy: str | None = None

    def _now(self) -> datetime:
        now = utc(self._clock())
        assert now is not None
        return now

    def add(self, name: str, role: str, password: str) -> Reviewer:
        _check_name(name)
        if role not in ROLES:
            raise ReviewerError(f"未知角色 {role} / unknown role {role!r} (one of {', '.join(ROLES)})")
        check_password(password)
        row = {"name": name, "role": role, "password_hash": self._hasher.hash(password), "failed_logins": 0,
               "created_at": self._now()}
        try:
            with self.engine.begin() as conn:
                conn.execute(reviewers.insert(), row)
        except sa.exc.IntegrityError:
            raise ReviewerError(f"审核员 {name} 已存在 / reviewer {name} already exists") from None
        found = self._find(name)
        assert found is not None
        return _reviewer(found)

    def _find(self, name: str) -> Any:
        with self.engine.connect() as conn:
            return conn.execute(sa.select(reviewers).where(reviewers.c.name == name)).first()

    def get(self, reviewer_id: int) -> Reviewer | None:
        """An active reviewer by id (for a session); None if unknown or disabled."""
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(*_PUBLIC).where(reviewers.c.id == reviewer_id,
                                                         reviewers.c.disabled_at.is_(None))).first()
        return _reviewer(row) if row else None

    def _burn(self, password: str) -> None:
        """Spend the time of one real verification, so a missing or locked account is not faster."""
        if self._dummy is None:
            self._dummy = self._hasher.hash(secrets.token_hex(16))
        try:
            self._hasher.verify(self._dummy, password)
        except (VerificationError, InvalidHashError):
            pass

    def verify(self, name: str, password: str) -> Reviewer | None:
        """The reviewer if the name and password match and the account is neither disabled nor locked."""
        now = self._now()
        row = self._find(name)
        if row is None or row.disabled_at is not None or (row.locked_until and utc(row.locked_until) > now):
            self._burn(password)
            return None
        try:
            ok = self._hasher.verify(row.password_hash, password)
        except (VerificationError, InvalidHashError):
            ok = False
        r = reviewers.c
        with self.engine.begin() as conn:
            if not ok:
                reached = r.failed_logins + 1 >= MAX_FAILED_LOGINS
                conn.execute(reviewers.update().where(r.id == row.id).values(
                    failed_logins=sa.case((reached, 0), else_=r.failed_logins + 1),
                    locked_until=sa.case((reached, now + LOCKOUT), else_=r.locked_until)))
                return None
            values: dict[str, Any] = {"failed_logins": 0, "locked_until": None}
            if self._hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = self._hasher.hash(password)
            conn.execute(reviewers.update().where(r.id == row.id).values(**values))
        return self.get(row.id)

    def list(self, include_disabled: bool = False) -> list[Reviewer]:
        q = sa.select(*_PUBLIC).order_by(reviewers.c.name)
        if not include_disabled:
            q = q.where(reviewers.c.disabled_at.is_(None))
        with self.engine.connect() as conn:
            return [_reviewer(r) for r in conn.execute(q)]

    def set_password(self, name: str, password: str) -> None:
        """New password; also lifts a lockout (an admin reset is the way out of one)."""
        check_password(password)
        self._update(name, password_hash=self._hasher.hash(password), failed_logins=0, locked_until=None)

    def remove(self, name: str) -> None:
        """Disable: the reviewer can no longer log in, and the audit keeps the name."""
        self._update(name, disabled_at=self._now())

    def _update(self, name: str, **values: Any) -> None:
        with self.engine.begin() as conn:
            done = conn.execute(reviewers.update().where(reviewers.c.name == name,
                                                         reviewers.c.disabled_at.is_(None)).values(**values))
        if done.rowcount != 1:
            raise ReviewerError(f"没有审核员 {name} / no reviewer {name}")

    def close(self) -> None:
        self.engine.dispose()
