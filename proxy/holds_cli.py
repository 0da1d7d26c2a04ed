"""``baomi holds list / show / release / reject``: held requests (incidents with decision ``hold`` and a ticket).

All read the same settings as the server (``--data-dir``/``--database-url`` flags, else ``BAOMI_*``, else
defaults), so they find the server's database and key, and none creates state: a missing SQLite file or
key file means the settings point somewhere else (and a fresh key could not open old evidence), so they
say so instead of silently creating an empty store.

* ``list`` shows metadata only and never touches the key.
* ``show TICKET`` shows the hold, its review history and who has viewed its evidence; the evidence itself
  only for a reviewer who proves who they are (``--reviewer NAME --password-stdin``), and that view is
  recorded in the same transaction that opens it.
* ``release TICKET`` / ``reject TICKET`` are a reviewer's or an admin's decision (an auditor only reads),
  recorded as a review action. A released request is collected by the member of staff: they re-send the
  same request with ``X-Baomi-Ticket: <ticket>`` (``GET /v1/holds/<ticket>`` tells them where it stands).

The ticket status shown is what the ticket reads (``TICKET_STATUS``): held, released or rejected.
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from proxy.cli_store import (authenticate, fail, guarded, open_incidents, positive_int, reviewer_options,
                             settings_of, shown_time, store_options, table)

COLUMNS = ("ticket", "time", "client", "endpoint", "model", "categories", "status")
#: CLI verb -> (store action, what the role check says, done in Chinese, done in English)
VERBS = {"release": ("release", "审计员不能放行 / an auditor cannot release", "已放行", "released"),
         "reject": ("confirm", "审计员不能驳回 / an auditor cannot reject", "已驳回", "rejected")}


def add_parser(sub: Any) -> None:
    common = store_options()

    h = sub.add_parser("holds", help="requests held for review: list, show (evidence for a reviewer), "
                                     "release or reject")
    hs = h.add_subparsers(dest="holds_command", required=True)
    ls = hs.add_parser("list", parents=[common], help="list held requests, newest first (no evidence)")
    ls.add_argument("--status", default=None, help="only this status (held, released or rejected)")
    ls.add_argument("--limit", type=positive_int, default=100, help="at most this many rows (default 100)")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=guarded(_list))

    sh = hs.add_parser("show", parents=[common, reviewer_options()],
                       help="one held request with its history; with --reviewer NAME --password-stdin also its "
                            "decrypted evidence (the view is recorded)")
    sh.add_argument("ticket", help="ticket id from the 403 held_for_review answer or `baomi holds list`")
    sh.add_argument("--evidence", action="store_true",
                    help="print the evidence (implied by --reviewer; needs --reviewer NAME --password-stdin)")
    sh.set_defaults(func=guarded(_show))

    for verb, what in (("release", "release a held request: the member of staff can then collect it by "
                                   "re-sending it with X-Baomi-Ticket"),
                       ("reject", "reject a held request for good: it will never be forwarded")):
        p = hs.add_parser(verb, parents=[common, reviewer_options(required=True)],
                          help=f"{what} (role reviewer or admin)")
        p.add_argument("ticket", help="ticket id (hold-…)")
        p.add_argument("--comment", default=None, help="note kept with the review action")
        p.set_defaults(func=guarded(_act), verb=verb)


def _hold_json(record: Any) -> dict[str, Any]:
    """A hold as this command has always shown it: the ticket first, its status as the ticket reads."""
    return {"ticket": record.ticket, "flow_id": record.id, "created_at": record.ts.timestamp(),
            "time": shown_time(record.ts), "client": record.client, "endpoint": record.endpoint,
            "model": record.model, "upstream": record.upstream, "categories": list(record.categories),
            "rule_ids": list(record.rule_ids), "status": record.ticket_status}


def _list(args: argparse.Namespace) -> int:
    store = open_incidents(settings_of(args))
    if store is None:
        return 1
    from proxy.store.incidents import TICKET_STATUS

    status = {v: k for k, v in TICKET_STATUS.items()}.get(args.status, args.status) if args.status else None
    try:
        records = store.query(decision="hold", status=status, limit=args.limit)
    finally:
        store.close()
    if args.json:
        print(json.dumps([_hold_json(r) for r in records], ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("（没有待审请求 / no held requests）")
        return 0
    print(table(COLUMNS, [dict(h, categories=",".join(h["categories"])) for h in map(_hold_json, records)]))
    return 0


def _find(store: Any, ticket: str) -> Any:
    """The hold's metadata (no key needed), or None after a message."""
    from proxy.store.incidents import IncidentNotFound

    try:
        return store.ticket_status(ticket)
    except IncidentNotFound:
        fail(f"未找到待审请求 {ticket} / no held request with ticket {ticket}")
        return None


def _show(args: argparse.Namespace) -> int:
    from proxy.incidents_cli import evidence_state, iso, read_shown

    def find(store: Any) -> str | None:
        found = _find(store, args.ticket)
        return None if found is None else found.id

    shown = read_shown(args, find)
    if isinstance(shown, int):
        return shown
    record, want, evidence = shown.record, shown.want, shown.evidence
    out: dict[str, Any] = dict(_hold_json(record), evidence_state=evidence_state(record, shown.has_evidence),
                               actions=shown.actions, evidence_views=shown.views)
    if want:
        out["evidence"] = evidence
    print(json.dumps(out, ensure_ascii=False, indent=2, default=iso))
    if not want:
        print("（未显示证据：审核员请加 --reviewer NAME --password-stdin，查看会被记录 / evidence not shown: "
              "a reviewer passes --reviewer NAME --password-stdin, and the view is recorded）", file=sys.stderr)
    elif evidence is None:
        print("（证据已不存在（按保留期删除），未记录查看 / the evidence is gone (retention); no view recorded）",
              file=sys.stderr)
    return 0


def _act(args: argparse.Namespace) -> int:
    from proxy.store.incidents import InvalidTransition

    action, auditor_message, done_cn, done_en = VERBS[args.verb]
    settings = settings_of(args)
    store = open_incidents(settings)
    if store is None:
        return 1
    try:
        found = _find(store, args.ticket)
        if found is None:
            return 1
        reviewer = authenticate(settings, args)
        if reviewer is None:
            return 1
        if reviewer.role not in ("reviewer", "admin"):
            return fail(auditor_message)
        try:
            record = store.act(found.id, reviewer.id, action, args.comment)
        except InvalidTransition as exc:
            return fail(str(exc))
    finally:
        store.close()
    t = record.ticket
    status = record.ticket_status
    print(f"{done_cn} {t}（状态：{status}，审核员 {reviewer.name}）/ {done_en} {t} (status: {status}, "
          f"by {reviewer.name})")
    if args.verb == "release":
        print(f"请通知员工：重新发送同一请求，并加上请求头 X-Baomi-Ticket: {t}；"
              f"也可用 GET /v1/holds/{t} 查看状态。\n"
              f"Tell the member of staff to re-send the same request with the header `X-Baomi-Ticket: {t}`; "
              f"`GET /v1/holds/{t}` shows where it stands.")
        if record.evidence_purged_at:
            print("注意：该请求的证据已按保留期删除，员工无法再取回（410 hold_expired）/ note: the evidence of this "
                  "request has been purged (retention), so it can no longer be collected (410 hold_expired)",
                  file=sys.stderr)
    else:
        print("该请求不会被转发 / the request will never be forwarded")
    return 0
