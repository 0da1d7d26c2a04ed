"""Bring a store database to the newest schema: ``upgrade(url)``, and ``current(url)`` to read where it is.

The gateway calls ``upgrade`` once at start, before it opens any store; no store creates tables itself.
Several gateway processes may start at the same moment against one PostgreSQL, so the whole upgrade
runs in ONE transaction that first takes a transaction-level advisory lock: the second process waits,
then finds the database at head and does nothing. PostgreSQL's DDL is transactional, so a failed
upgrade leaves nothing half-made, and the lock is released by the commit or rollback (no stale lock if a
process dies). SQLite needs no advisory lock: the upgrade runs in a ``BEGIN IMMEDIATE`` transaction,
which takes the database file's write lock for the whole upgrade (SQLite's DDL is transactional too);
pysqlite's own transaction handling is switched off for this engine so that it cannot commit in between.

A database made before the migrations existed (``flows``/``holds`` from ``create_all``, no
``alembic_version``) needs nothing special here: the baseline revision adopts it (see
``versions/0001_initial.py``), keeping every row.

The scripts live in the package (``proxy/store/migrations``) and Alembic is configured in code, so no
``alembic.ini`` is needed where baomi is installed.
"""
from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.pool import NullPool

MIGRATIONS = Path(__file__).with_name("migrations")
#: pg_advisory_xact_lock key: 'baomi' + 'mg' in ASCII; any fixed 64-bit number shared by all processes
LOCK_KEY = 0x62616F6D696D67


def config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))  # configparser interpolation
    return cfg


def head() -> str:
    """The newest revision shipped with this version of baomi."""
    rev = ScriptDirectory.from_config(config("sqlite://")).get_current_head()
    assert rev is not None
    return rev


def _engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url, poolclass=NullPool)
    if engine.dialect.name == "sqlite":
        def connect(dbapi_conn, _record) -> None:
            dbapi_conn.isolation_level = None  # no implicit BEGIN/COMMIT from pysqlite: ours only
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")  # a fresh database file is WAL from its first write
            cur.execute("PRAGMA busy_timeout=30000")  # wait for another process's upgrade, do not fail
            cur.close()

        sa.event.listen(engine, "connect", connect)
        sa.event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
    return engine


def upgrade(url: str, revision: str = "head") -> str | None:
    """Migrate to ``revision`` (default: head); idempotent. Returns the revision the database is now at."""
    engine = _engine(url)
    try:
        with engine.connect() as conn:
            with conn.begin():
                if conn.dialect.name == "postgresql":
                    conn.execute(sa.text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY})
                cfg = config(url)
                cfg.attributes["connection"] = conn  # env.py runs inside this transaction
                command.upgrade(cfg, revision)
                return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def current(url: str) -> str | None:
    """The revision the database is at; None for a database never migrated (empty, or made by create_all)."""
    engine = sa.create_engine(url, poolclass=NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()
