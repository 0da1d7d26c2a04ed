"""Initial schema, and adoption of a database made before the migrations existed.

Revision ID: 0001
Revises: -

Before Alembic, the audit store and the hold store each ran ``create_all`` for their own table, so an
existing database may hold ``flows``, ``holds``, both or neither, and no ``alembic_version`` table.
This baseline therefore works for both kinds of database instead of being stamped blindly: it creates
every table that is missing and, for a table that already exists, adds the columns and indexes it lacks
(today only ``flows.department``, nullable, so old rows stay valid). Nothing is dropped or rewritten,
and a fresh database gets the same result, so "fresh" and "adopted" cannot diverge.

The tables are a frozen copy of ``proxy.store.schema`` as of this revision (a migration must keep
doing what it did when ``schema.py`` changes later); ``test_migrate`` checks that head equals schema.py.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context, op
from sqlalchemy.schema import CreateIndex, CreateTable

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

md = sa.MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
})
TZ = sa.DateTime(timezone=True)

sa.Table(
    "flows", md,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("ts", TZ, nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("method", sa.String(10), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("decision", sa.String(20), nullable=False, index=True),
    sa.Column("categories", sa.Text, nullable=False),
    sa.Column("rule_ids", sa.Text, nullable=False),
    sa.Column("error_code", sa.String(60)),
    sa.Column("status", sa.Integer),
    sa.Column("stream", sa.Boolean, nullable=False),
    sa.Column("prompt_tokens", sa.Integer),
    sa.Column("inspect_ms", sa.Float),
    sa.Column("department", sa.String(200)),
)
sa.Table(
    "holds", md,
    sa.Column("ticket", sa.String(64), primary_key=True),
    sa.Column("flow_id", sa.String(64), nullable=False, index=True),
    sa.Column("created_at", sa.Float, nullable=False, index=True),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("categories", sa.Text, nullable=False),
    sa.Column("rule_ids", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False, server_default="held"),
    sa.Column("evidence", sa.LargeBinary, nullable=False),
    sa.Index("ix_holds_status_created", "status", "created_at"),
)
sa.Table(
    "incidents", md,
    sa.Column("id", sa.String(40), primary_key=True),
    sa.Column("ts", TZ, nullable=False),
    sa.Column("client", sa.String(200), nullable=False),
    sa.Column("department", sa.String(200)),
    sa.Column("endpoint", sa.String(200), nullable=False),
    sa.Column("model", sa.String(200)),
    sa.Column("upstream", sa.String(500)),
    sa.Column("decision", sa.String(20), nullable=False),
    sa.Column("categories", sa.Text, nullable=False),
    sa.Column("rule_ids", sa.Text, nullable=False),
    sa.Column("recognizers", sa.Text, nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("ticket", sa.String(64), unique=True),
    sa.Column("evidence", sa.LargeBinary),
    sa.Column("evidence_purged_at", TZ),
    sa.Index("ix_incidents_ts_id", "ts", "id"),
    sa.Index("ix_incidents_status_ts", "status", "ts", "id"),
    sa.Index("ix_incidents_decision_ts", "decision", "ts", "id"),
    sa.Index("ix_incidents_client_ts", "client", "ts", "id"),
    sa.Index("ix_incidents_department_ts", "department", "ts", "id"),
    sa.Index("ix_incidents_upstream_ts", "upstream", "ts", "id"),
)
sa.Table(
    "reviewers", md,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("name", sa.String(100), nullable=False, unique=True),
    sa.Column("role", sa.String(20), nullable=False),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("failed_logins", sa.Integer, nullable=False, server_default="0"),
    sa.Column("locked_until", TZ),
    sa.Column("created_at", TZ, nullable=False),
    sa.Column("disabled_at", TZ),
)
for _name in ("review_actions", "evidence_views"):
    sa.Table(
        _name, md,
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("incident_id", sa.String(40), sa.ForeignKey("incidents.id"), nullable=False, index=True),
        sa.Column("reviewer_id", sa.Integer, sa.ForeignKey("reviewers.id"), nullable=False, index=True),
        *([sa.Column("action", sa.String(20), nullable=False), sa.Column("comment", sa.Text)]
          if _name == "review_actions" else []),
        sa.Column("ts", TZ, nullable=False, index=True),
    )


def upgrade() -> None:
    if context.is_offline_mode():  # rendering SQL for a DBA: assume an empty database
        existing: set[str] = set()
        inspector = None
    else:
        inspector = sa.inspect(op.get_bind())
        existing = set(inspector.get_table_names())
    for table in md.sorted_tables:  # parents before the tables that refer to them
        if table.name not in existing:
            op.execute(CreateTable(table))
            for index in sorted(table.indexes, key=lambda i: i.name):
                op.execute(CreateIndex(index))
        else:
            _adopt(inspector, table)


def _adopt(inspector: sa.Inspector, table: sa.Table) -> None:
    """Bring a table made by the old ``create_all`` up to this revision without touching its rows."""
    have = {c["name"] for c in inspector.get_columns(table.name)}
    for col in table.columns:
        if col.name in have:
            continue
        if not col.nullable and col.server_default is None:
            raise RuntimeError(f"cannot adopt table {table.name}: it lacks the required column {col.name}")
        default = col.server_default.arg if col.server_default is not None else None
        op.add_column(table.name, sa.Column(col.name, col.type, nullable=col.nullable, server_default=default))
    have_ix = {ix["name"] for ix in inspector.get_indexes(table.name)}
    for index in sorted(table.indexes, key=lambda i: i.name):
        if index.name not in have_ix:
            op.execute(CreateIndex(index))


def downgrade() -> None:
    for table in reversed(md.sorted_tables):
        op.drop_table(table.name)
