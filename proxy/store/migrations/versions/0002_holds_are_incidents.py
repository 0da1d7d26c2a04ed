"""Holds become incidents; console sessions.

Revision ID: 0002
Revises: 0001

Until now a held request was stored twice: in ``holds`` (sealed with the ticket as associated data) and
in ``incidents`` (sealed with the incident id), and a release had to move both. From this revision a hold
is only an incident with ``decision = 'hold'`` and a ``ticket``; ``holds`` is dropped.

A hold recorded before the incident store existed has no incident row. Its metadata is copied into
``incidents`` (id = its flow id, status from the hold: held -> held, released -> released, rejected ->
confirmed) so it stays in the queue and can still be released. Its evidence cannot follow: it is sealed
with the ticket as associated data, and re-sealing needs the evidence key, which a migration does not
have. Such rows get ``evidence_purged_at`` = the migration time, which the console shows as "evidence no
longer available". (Every hold made since incidents existed already has its incident with its evidence.)

``console_sessions`` holds the console's logged-in sessions (see ``schema.py``).
"""
from __future__ import annotations

import json
from datetime import datetime, timezone

import sqlalchemy as sa
from alembic import context, op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
_HOLD_TO_INCIDENT = {"held": "held", "released": "released", "rejected": "confirmed"}


def _holds_table(md: sa.MetaData) -> sa.Table:
    return sa.Table(
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


def _copy_orphan_holds() -> None:
    bind = op.get_bind()
    md = sa.MetaData()
    holds = _holds_table(md)
    incidents = sa.Table("incidents", md, autoload_with=bind)
    known_tickets = sa.select(incidents.c.ticket).where(incidents.c.ticket.is_not(None))
    known_ids = sa.select(incidents.c.id)
    orphans = bind.execute(sa.select(holds).where(holds.c.ticket.not_in(known_tickets),
                                                  holds.c.flow_id.not_in(known_ids))).all()
    now = datetime.now(timezone.utc)
    for h in orphans:
        bind.execute(incidents.insert(), {
            "id": h.flow_id[:40], "ts": datetime.fromtimestamp(h.created_at, timezone.utc), "client": h.client,
            "department": None, "endpoint": h.endpoint, "model": h.model, "upstream": h.upstream,
            "decision": "hold", "categories": h.categories, "rule_ids": h.rule_ids,
            "recognizers": json.dumps([]), "status": _HOLD_TO_INCIDENT.get(h.status, "held"), "ticket": h.ticket,
            "evidence": None, "evidence_purged_at": now})


def upgrade() -> None:
    online = not context.is_offline_mode()
    if online and "holds" in sa.inspect(op.get_bind()).get_table_names():
        _copy_orphan_holds()
    op.drop_table("holds")  # its indexes go with it
    op.create_table(
        "console_sessions",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("reviewer_id", sa.Integer, nullable=False),
        sa.Column("csrf", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("expires_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["reviewer_id"], ["reviewers.id"],
                                name="fk_console_sessions_reviewer_id_reviewers"),
    )
    op.create_index("ix_console_sessions_reviewer_id", "console_sessions", ["reviewer_id"])
    op.create_index("ix_console_sessions_expires_at", "console_sessions", ["expires_at"])


def downgrade() -> None:
    """The sessions go; ``holds`` comes back empty (the incidents keep every hold)."""
    op.drop_table("console_sessions")
    md = sa.MetaData(naming_convention={"ix": "ix_%(column_0_label)s"})
    table = _holds_table(md)
    table.create(op.get_bind())
