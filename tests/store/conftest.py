"""Store fixtures: a migrated database on SQLite (a fresh file per test) and on the machine's PostgreSQL.

PostgreSQL tests never touch the ``public`` schema, which other runs and other code may use: each test
module gets its own schema (``baomi_test_<random>``), selected through the URL option
``options=-csearch_path=...``, migrated once, emptied between tests and dropped at the end.
"""
from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from typing import Iterator

import pytest
import sqlalchemy as sa
from sqlalchemy.pool import NullPool

from proxy.store.migrate import upgrade

PG_URL = os.environ.get("BAOMI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def with_search_path(url: str, schema: str) -> str:
    return sa.engine.make_url(url).update_query_dict({"options": f"-csearch_path={schema}"}) \
        .render_as_string(hide_password=False)


@contextmanager
def pg_schema() -> Iterator[str]:
    """A fresh, empty PostgreSQL schema; yields a URL whose connections use it."""
    name = f"baomi_test_{uuid.uuid4().hex[:12]}"
    admin = sa.create_engine(PG_URL, poolclass=NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{name}"')
    try:
        yield with_search_path(PG_URL, name)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f'DROP SCHEMA "{name}" CASCADE')
        admin.dispose()


@pytest.fixture(scope="module")
def pg_url() -> Iterator[str]:
    with pg_schema() as url:
        upgrade(url)
        yield url


def _empty(url: str) -> None:
    engine = sa.create_engine(url, poolclass=NullPool)
    with engine.begin() as conn:
        names = [t for t in sa.inspect(conn).get_table_names() if t != "alembic_version"]
        conn.exec_driver_sql("TRUNCATE " + ", ".join(f'"{n}"' for n in names) + " RESTART IDENTITY CASCADE")
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path) -> str:
    """A database at the newest schema with no rows."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'baomi.db'}"
        upgrade(url)
        return url
    url = request.getfixturevalue("pg_url")
    _empty(url)
    return url
