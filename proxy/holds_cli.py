"""``baomi holds list`` and ``baomi holds show TICKET``: the reviewer's view until there is a console.

Both read the same settings as the server (``--data-dir``/``--database-url`` flags, else ``BAOMI_*``,
else defaults), so they find the server's database and key. ``list`` shows metadata only and never
touches the key; ``show`` is the only place in baomi that prints evidence. Neither creates state: a
missing SQLite file or key file means the settings point somewhere else, and a fresh key could not
open old evidence anyway, so they say so instead of silently creating an empty store.
"""
from __future__ import annotations

import argparse
import json
import unicodedata
from datetime import datetime
from typing import Any

from proxy.cli_store import fail, settings_of, store_options
from proxy.settings import Settings

COLUMNS = ("ticket", "time", "client", "endpoint", "model", "categories", "status")


def add_parser(sub: Any) -> None:
    common = store_options()

    h = sub.add_parser("holds", help="requests held for review: list them, show one with its evidence")
    hs = h.add_subparsers(dest="holds_command", required=True)
    ls = hs.add_parser("list", parents=[common], help="list held requests, newest first (no evidence)")
    ls.add_argument("--status", default=None, help="only this status (e.g. held)")
    ls.add_argument("--limit", type=int, default=100, help="at most this many rows (default 100)")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=_list)
    sh = hs.add_parser("show", parents=[common], help="print one held request with its decrypted evidence")
    sh.add_argument("ticket", help="ticket id from the 403 held_for_review answer or `baomi holds list`")
    sh.set_defaults(func=_show)


def _open(settings: Settings, key: bytes | None):
    """The store, or None (after a message) if the SQLite file it would read does not exist."""
    import sqlalchemy as sa

    from proxy.store.incidents import IncidentStore

    url = sa.engine.make_url(settings.store_url)
    path = url.database if url.get_backend_name() == "sqlite" else None
    if path and path != ":memory:" and not path.startswith("file:"):
        from pathlib import Path

        if not Path(path).is_file():
            fail(f"数据库 {path} 不存在，请检查 --data-dir / --database-url / no database at {path}: "
                  f"check --data-dir / --database-url (or BAOMI_DATA_DIR / BAOMI_DATABASE_URL)")
            return None
    return IncidentStore(settings.store_url, key)


def _local_time(ts: datetime) -> str:
    return ts.astimezone().isoformat(timespec="seconds")


def _hold_json(record: Any) -> dict[str, Any]:
    """A hold as this command has always shown it: the ticket first, its status as the ticket reads."""
    from proxy.store.incidents import TICKET_STATUS

    return {"ticket": record.ticket, "flow_id": record.id, "created_at": record.ts.timestamp(),
            "client": record.client, "endpoint": record.endpoint, "model": record.model,
            "upstream": record.upstream, "categories": list(record.categories), "rule_ids": list(record.rule_ids),
            "status": TICKET_STATUS.get(record.status, record.status)}


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _table(rows: list[dict[str, str]]) -> str:
    widths = {c: max([_width(c)] + [_width(r[c]) for r in rows]) for c in COLUMNS}
    lines = [list(COLUMNS)] + [[r[c] for c in COLUMNS] for r in rows]
    return "\n".join("  ".join(v + " " * (widths[c] - _width(v)) for c, v in zip(COLUMNS, line)).rstrip()
                     for line in lines)


def _list(args: argparse.Namespace) -> int:
    store = _open(settings_of(args), None)
    if store is None:
        return 1
    from proxy.store.incidents import TICKET_STATUS

    status = {v: k for k, v in TICKET_STATUS.items()}.get(args.status, args.status) if args.status else None
    try:
        records = store.query(decision="hold", status=status, limit=max(0, args.limit))
    finally:
        store.close()
    if args.json:
        print(json.dumps([dict(_hold_json(r), time=_local_time(r.ts)) for r in records],
                         ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("（没有待审请求 / no held requests）")
        return 0
    print(_table([{"ticket": h["ticket"], "time": _local_time(r.ts), "client": r.client,
                   "endpoint": r.endpoint, "model": r.model or "-", "categories": ",".join(r.categories) or "-",
                   "status": h["status"]} for r in records for h in [_hold_json(r)]]))
    return 0


def _show(args: argparse.Namespace) -> int:
    from proxy.store.crypto import SealError
    from proxy.store.incidents import IncidentNotFound
    from proxy.store.keys import EvidenceKeyError, load_evidence_key

    settings = settings_of(args)
    try:
        key = load_evidence_key(settings, create=False)
    except EvidenceKeyError as exc:
        return fail(str(exc))
    store = _open(settings, key)
    if store is None:
        return 1
    try:
        record, evidence = store.by_ticket(args.ticket)
    except IncidentNotFound:
        return fail(f"未找到待审请求 {args.ticket} / no held request with ticket {args.ticket}")
    except SealError as exc:
        return fail(str(exc))
    finally:
        store.close()
    out: dict[str, Any] = dict(_hold_json(record), time=_local_time(record.ts), evidence=evidence)
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0
