"""One way to open the store's database, so every store gets the same SQLite settings.

SQLite: WAL (readers never block the writer, and the gateway, the console and the CLI are separate
connections or processes), ``synchronous=NORMAL`` (durable at each checkpoint, much cheaper than FULL
in WAL mode), a busy timeout instead of an immediate "database is locked", and foreign keys on so
SQLite enforces the same references PostgreSQL does (an action must name a real incident and reviewer).
"""
from __future__ import annotations

import sqlalchemy as sa


def sqlite_pragmas(dbapi_conn, _record) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_engine(url: str) -> sa.Engine:
    engine = sa.create_engine(url)
    if engine.dialect.name == "sqlite":
        sa.event.listen(engine, "connect", sqlite_pragmas)
    return engine
