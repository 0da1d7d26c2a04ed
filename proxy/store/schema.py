"""Every table baomi stores, in one MetaData: the single source of truth for the stores and for Alembic.

The stores import their tables from here, and ``tests/store/test_migrate.py`` checks that the migrations
build exactly this schema (Alembic's autogenerate comparison finds no difference), so the two cannot drift.

Layout and why:

* ``flows``: one metadata row per request (never prompt text). ``department`` is new and nullable.
* (``holds`` existed until revision 0002: a hold is an incident with ``decision = 'hold'`` and a ticket.)
* ``incidents``: every blocked or held request, with its evidence sealed (AES-256-GCM, incident id as
  associated data) until the retention period purges it; the metadata stays for the statistics.
  The queue page filters by one or more of status / decision / client / department / upstream and a time
  range, always newest first with keyset pagination on ``(ts, id)``: so each filter column gets one
  ``(column, ts, id)`` index, and ``(ts, id)`` serves the unfiltered queue. Categories, rule ids and
  recognizers are JSON arrays in text columns (see ``incidents.py`` for how a category is filtered).
* ``reviewers``, ``review_actions`` and ``evidence_views``: who may judge, what they did and which
  evidence they saw. Actions and views point at the incident and the reviewer with foreign keys and are
  never deleted; a removed reviewer is only disabled (``disabled_at``) so the audit keeps its name.
* ``console_sessions``: logged-in console sessions, kept in the database so that every gateway process
  sharing it accepts them and a logout or a disabled reviewer ends them everywhere. The primary key is the
  SHA-256 of the cookie's token, never the token itself (a copy of the table logs nobody in).

Timestamps are ``DateTime(timezone=True)`` and always UTC (see ``incidents.utc``): SQLite stores them as
fixed-width text, so text order is time order only if every value has the same offset.
"""
from __future__ import annotations

import sqlalchemy as sa

#: explicit constraint names: Alembic's batch mode (SQLite table rebuilds) can only alter named constraints
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
}  # no "pk": primary keys keep the database's default name, as the tables made before the migrations have

metadata = sa.MetaData(naming_convention=NAMING)
TZ = sa.DateTime(timezone=True)

flows = sa.Table(
    "flows", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("ts", TZ, nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("method", sa.String(10), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("decision", sa.String(20), nullable=False, index=True),
    sa.Column("categories", sa.Text, nullable=False, default="[]"),
    sa.Column("rule_ids", sa.Text, nullable=False, default="[]"),
    sa.Column("error_code", sa.String(60)),
    sa.Column("status", sa.Integer),
    sa.Column("stream", sa.Boolean, nullable=False, default=False),
    sa.Column("prompt_tokens", sa.Integer),
    sa.Column("inspect_ms", sa.Float),
    sa.Column("department", sa.String(200)),
)

incidents = sa.Table(
    "incidents", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("ts", TZ, nullable=False),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("department", sa.String(200)),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("decision", sa.String(20), nullable=False),      # block | hold
    sa.Column("categories", sa.Text, nullable=False, default="[]"),
    sa.Column("rule_ids", sa.Text, nullable=False, default="[]"),
    sa.Column("recognizers", sa.Text, nullable=False, default="[]"),
    sa.Column("status", sa.String(20), nullable=False),        # open confirmed false_positive held released
    sa.Column("ticket", sa.String(64), unique=True),
    sa.Column("evidence", sa.LargeBinary),
    sa.Column("evidence_purged_at", TZ),
    # the queue: newest first, keyset on (ts, id); each filter column leads one index (so no single-column
    # indexes on ts, status or decision: these composites serve those lookups too)
    sa.Index("ix_incidents_ts_id", "ts", "id"),
    sa.Index("ix_incidents_status_ts", "status", "ts", "id"),
    sa.Index("ix_incidents_decision_ts", "decision", "ts", "id"),
    sa.Index("ix_incidents_client_ts", "client", "ts", "id"),
    sa.Index("ix_incidents_department_ts", "department", "ts", "id"),
    sa.Index("ix_incidents_upstream_ts", "upstream", "ts", "id"),
)

reviewers = sa.Table(
    "reviewers", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),                      # reviewer | admin | auditor
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, default=0, server_default="0"),
    sa.Column("locked_until", TZ),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("disabled_at", TZ),
)

review_actions = sa.Table(
    "review_actions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("incident_id", sa.String(40), sa.ForeignKey("incidents.id"), nullable=False, index=True),
    sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("reviewers.id"), nullable=False, index=True),
    sa.Column("action", sa.String(20), nullable=False),  # confirm false_positive release comment export
    sa.Column("comment", sa.Text),
    sa.Column("ts", TZ, nullable=False, index=True),
)

evidence_views = sa.Table(
    "evidence_views", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("incident_id", sa.String(40), sa.ForeignKey("incidents.id"), nullable=False, index=True),
    sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("reviewers.id"), nullable=False, index=True),
    sa.Column("ts", TZ, nullable=False, index=True),
)

console_sessions = sa.Table(
    "console_sessions", metadata,
    sa.Column("id", sa.String(64), primary_key=True),                      # sha256 hex of the cookie token
    sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("reviewers.id"), nullable=False, index=True),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("expires_at", TZ, nullable=False, index=True),
)
