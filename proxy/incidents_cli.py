"""``baomi incidents list / show / export``: the reviewer's and the auditor's view of blocked and held requests.

``list`` and ``export`` print metadata only (who, when, route, model, decision, categories, rule ids,
recognizers, status) and never touch the evidence key. ``show ID`` adds the review history and who has
viewed the evidence; the evidence itself (the text that was stopped) is printed only with ``--evidence``
for a reviewer who proves who they are (``--reviewer NAME --password-stdin``), and the view is recorded
in the same transaction that opens it (``IncidentStore.view_evidence``): nothing is shown that is not
recorded. Any role (reviewer, admin, auditor) may view.

Like ``baomi holds`` these commands read the server's settings and never create state: a missing SQLite
file or key file is reported, not made.

Times: ``--since`` / ``--until`` take ISO 8601 dates or times; without an offset they are read at
UTC+08:00. ``--since`` is inclusive; ``--until`` is exclusive for a time and includes the whole day for a
date (``--since 2024-05-01 --until 2024-05-31`` is all of May). The table shows times at UTC+08:00; JSON
and CSV carry the stored UTC time (``ts``, ISO 8601 with offset).
"""
from __future__ import annotations

import argparse
import csv
import itertools
import json
import os
import sys
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, Any, Callable, Iterator

from proxy.cli_store import (authenticate, fail, guarded, load_key, open_incidents, pad, positive_int, printable,
                             reviewer_names, reviewer_options, settings_of, shown_time, since_arg, store_options,
                             table, until_arg, width)

COLUMNS = ("id", "time", "decision", "status", "client", "department", "endpoint", "model", "categories")
#: export columns, in order (the fields of ``IncidentRecord.to_json``; never evidence)
FIELDS = ("id", "ts", "decision", "status", "ticket", "client", "department", "endpoint", "model", "upstream",
          "categories", "rule_ids", "recognizers", "evidence_purged_at")
#: the same as ``proxy.store.incidents`` (kept here so building the parser does not import the store)
DECISIONS = ("block", "hold")
STATUSES = ("open", "confirmed", "false_positive", "held", "released")
FORMATS = ("csv", "json", "jsonl")
PAGE = 1000
#: cells a spreadsheet would run as a formula (CSV injection); ``--excel`` prefixes them with '
_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _one_of(what: str, options: tuple[str, ...]):
    def parse(text: str) -> str:
        if text not in options:
            raise argparse.ArgumentTypeError(f"无效的{what} {text!r}，可选 / invalid value {text!r}, one of: "
                                             f"{', '.join(options)}")
        return text
    parse.__name__ = what
    return parse


def filter_options() -> argparse.ArgumentParser:
    """The filters ``list`` and ``export`` share."""
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--since", type=since_arg, metavar="WHEN",
                   help="from this date or time, inclusive (ISO 8601; UTC+08:00 unless an offset is given)")
    p.add_argument("--until", type=until_arg, metavar="WHEN",
                   help="before this time; a date includes that whole day (ISO 8601; UTC+08:00 unless an offset)")
    p.add_argument("--category", help="only incidents with this category (e.g. secret_marking)")
    p.add_argument("--client", help="only this client")
    p.add_argument("--department", help="only this department")
    p.add_argument("--upstream", metavar="URL", help="only this upstream")
    p.add_argument("--decision", type=_one_of("决定", DECISIONS), metavar="{block,hold}", help="block or hold")
    p.add_argument("--status", type=_one_of("状态", STATUSES), metavar="STATUS",
                   help=f"only this status: {', '.join(STATUSES)}")
    return p


def add_parser(sub: Any) -> None:
    common, filters = store_options(), filter_options()

    i = sub.add_parser("incidents", help="blocked and held requests: list, show one (evidence only for a "
                                         "reviewer who logs in), export metadata as CSV or JSON")
    isub = i.add_subparsers(dest="incidents_command", required=True)

    ls = isub.add_parser("list", parents=[common, filters], help="newest first, metadata only (no key needed)")
    ls.add_argument("--limit", type=positive_int, default=100, help="at most this many rows (default 100)")
    ls.add_argument("--json", action="store_true", help="machine-readable output")
    ls.set_defaults(func=guarded(_list))

    sh = isub.add_parser("show", parents=[common, reviewer_options()],
                         help="one incident: metadata, review history, evidence views; --evidence prints "
                              "the decrypted evidence for an authenticated reviewer and records the view")
    sh.add_argument("id", help="incident id (X-Baomi-Incident of the 403 answer, or `baomi incidents list`)")
    sh.add_argument("--evidence", action="store_true",
                    help="also print the decrypted evidence (needs --reviewer NAME --password-stdin; recorded)")
    sh.add_argument("--json", action="store_true", help="machine-readable output")
    sh.set_defaults(func=guarded(_show))

    ex = isub.add_parser("export", parents=[common, filters],
                         help="metadata of every matching incident (never evidence), newest first")
    ex.add_argument("--format", type=_one_of("格式", FORMATS), default="csv", metavar="{csv,json,jsonl}",
                    help="csv (header row; lists joined with ';'), json (one array) or jsonl (default csv)")
    ex.add_argument("--output", "-o", metavar="FILE", help="write to FILE (atomically, mode 0600) instead of stdout")
    ex.add_argument("--excel", action="store_true",
                    help="CSV for spreadsheets: a UTF-8 BOM, and cells that start like a formula get a leading '")
    ex.set_defaults(func=guarded(_export))


def filters_of(args: argparse.Namespace) -> dict[str, Any] | None:
    """The query filters, or None (after a message) if the time range is empty."""
    if args.since is not None and args.until is not None and args.since >= args.until:
        fail(f"--since 必须早于 --until / --since ({args.since.isoformat()}) must be before --until "
             f"({args.until.isoformat()})")
        return None
    return {name: getattr(args, name) for name in
            ("since", "until", "category", "client", "department", "upstream", "decision", "status")}


def _row(record: Any) -> dict[str, Any]:
    return {"id": record.id, "time": shown_time(record.ts), "decision": record.decision, "status": record.status,
            "client": record.client, "department": record.department, "endpoint": record.endpoint,
            "model": record.model, "categories": ",".join(record.categories)}


def _list(args: argparse.Namespace) -> int:
    filters = filters_of(args)
    if filters is None:
        return 2
    store = open_incidents(settings_of(args))
    if store is None:
        return 1
    try:
        records = store.query(**filters, limit=args.limit + 1)
    finally:
        store.close()
    more = len(records) > args.limit
    records = records[:args.limit]
    if args.json:
        print(json.dumps([r.to_json() for r in records], ensure_ascii=False, indent=2))
        return 0
    if not records:
        print("（没有匹配的事件 / no matching incidents）")
        return 0
    print(table(COLUMNS, [_row(r) for r in records]))
    if more:
        print(f"（仅显示最新 {args.limit} 条；更多请用 --limit 或 baomi incidents export / showing the newest "
              f"{args.limit}; use --limit or `baomi incidents export` for more）", file=sys.stderr)
    return 0


# --- show -----------------------------------------------------------------------------------------------

def history(store: Any, incident_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The review actions and the evidence views, oldest first, with reviewer names (times as datetimes:
    ``json.dumps(..., default=iso)``)."""
    names = reviewer_names(store.engine)
    actions = [{"ts": a["ts"], "reviewer": names.get(a["reviewer_id"]), "reviewer_id": a["reviewer_id"],
                "action": a["action"], "comment": a["comment"]} for a in store.actions(incident_id)]
    views = [{"ts": v["ts"], "reviewer": names.get(v["reviewer_id"]), "reviewer_id": v["reviewer_id"]}
             for v in store.views(incident_id)]
    return actions, views


def iso(value: Any) -> str:
    """``json.dumps`` default for the datetimes of :func:`history`."""
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def wants_evidence(args: argparse.Namespace) -> bool | None:
    """Whether the evidence is asked for (``--evidence`` or ``--reviewer``); None (after a message) if it
    is asked for without a reviewer to record the view against."""
    want = bool(getattr(args, "evidence", False) or args.reviewer is not None)
    if want and not args.reviewer:
        fail("查看证据需要 --reviewer NAME --password-stdin（每次查看都会记录）/ the evidence is shown only to a "
             "reviewer: pass --reviewer NAME --password-stdin (every view is recorded)")
        return None
    return want


def evidence_state(record: Any, has_evidence: bool) -> str:
    if record.evidence_purged_at:
        return f"已按保留期删除 {shown_time(record.evidence_purged_at)} / purged (retention)"
    return "已加密保存 / stored (encrypted)" if has_evidence else "无 / none"


@dataclass
class Shown:
    """What ``incidents show`` and ``holds show`` print: evidence only if asked for (the view recorded)."""
    record: Any
    has_evidence: bool
    actions: list[dict[str, Any]]
    views: list[dict[str, Any]]
    want: bool
    evidence: Any = None


def read_shown(args: argparse.Namespace, find: Callable[[Any], str | None]) -> Shown | int:
    """Open the store (with the key only if evidence is asked for), find the incident (``find(store)`` gives
    its id, or None after a message), log the reviewer in and record the view. An exit code on failure."""
    from proxy.store.crypto import SealError
    from proxy.store.incidents import IncidentNotFound

    want = wants_evidence(args)
    if want is None:
        return 2
    settings = settings_of(args)
    key = None
    if want:
        key = load_key(settings)
        if key is None:
            return 1
    store = open_incidents(settings, key)
    if store is None:
        return 1
    try:
        incident_id = find(store)
        if incident_id is None:
            return 1
        try:
            record, has_evidence = store.meta(incident_id)
        except IncidentNotFound as exc:
            return fail(str(exc))
        shown = Shown(record, has_evidence, [], [], want)
        if want:
            reviewer = authenticate(settings, args)
            if reviewer is None:
                return 1
            try:
                shown.evidence = store.view_evidence(record.id, reviewer.id)
            except SealError as exc:
                return fail(str(exc))
        shown.actions, shown.views = history(store, record.id)
    finally:
        store.close()
    return shown


def _show(args: argparse.Namespace) -> int:
    shown = read_shown(args, lambda store: args.id)
    if isinstance(shown, int):
        return shown
    record, has_evidence, actions, views, want, evidence = (shown.record, shown.has_evidence, shown.actions,
                                                            shown.views, shown.want, shown.evidence)
    if args.json:
        out: dict[str, Any] = {"incident": dict(record.to_json(), time=shown_time(record.ts)),
                               "evidence_stored": has_evidence, "actions": actions, "evidence_views": views}
        if want:
            out["evidence"] = evidence
        print(json.dumps(out, ensure_ascii=False, indent=2, default=iso))
        return 0
    print(describe(record, has_evidence, actions, views))
    if want:
        print()
        if evidence is None:
            print("证据已不存在（按保留期删除），未记录查看 / the evidence is gone (retention); no view recorded")
        else:
            print("证据（本次查看已记录）/ evidence (this view has been recorded):")
            print(json.dumps(evidence, ensure_ascii=False, indent=2))
    return 0


def describe(record: Any, has_evidence: bool, actions: list[dict[str, Any]], views: list[dict[str, Any]]) -> str:
    """The readable form of ``show``: labelled metadata, then the review history and the evidence views."""
    fields = [("事件 / incident", record.id), ("时间 / time", shown_time(record.ts)),
              ("决定 / decision", record.decision), ("状态 / status", record.status),
              ("工单 / ticket", record.ticket), ("客户端 / client", record.client),
              ("部门 / department", record.department), ("接口 / endpoint", record.endpoint),
              ("模型 / model", record.model), ("上游 / upstream", record.upstream),
              ("类别 / categories", ", ".join(record.categories)), ("规则 / rule ids", ", ".join(record.rule_ids)),
              ("识别器 / recognizers", ", ".join(record.recognizers)),
              ("证据 / evidence", evidence_state(record, has_evidence))]
    w = max(width(label) for label, _ in fields)
    lines = [f"{pad(label, w)}  {printable(value)}" for label, value in fields]
    lines += ["", "审核记录 / review history:"]
    lines += [f"  {shown_time(a['ts'])}  {printable(a['reviewer'] or a['reviewer_id'])}  {a['action']}"
              + (f"  {printable(a['comment'])}" if a["comment"] else "") for a in actions] or ["  （无 / none）"]
    lines += ["", "证据查看记录 / evidence views:"]
    lines += [f"  {shown_time(v['ts'])}  {printable(v['reviewer'] or v['reviewer_id'])}"
              for v in views] or ["  （无 / none）"]
    return "\n".join(lines)


# --- export ---------------------------------------------------------------------------------------------

def records(store: Any, filters: dict[str, Any], page: int = PAGE) -> Iterator[Any]:
    """Every matching incident, newest first, one keyset page at a time (each page costs the same)."""
    before = None
    while True:
        batch = store.query(**filters, limit=page, before=before)
        yield from batch
        if len(batch) < page:
            return
        before = batch[-1].cursor


def _cell(value: Any, excel: bool) -> str:
    if value is None:
        return ""
    text = ";".join(value) if isinstance(value, list) else str(value)
    return "'" + text if excel and text.startswith(_FORMULA) else text


def write(rows: Iterator[Any], fmt: str, out: IO[str], *, excel: bool = False) -> int:
    """Stream ``rows`` (IncidentRecords) to ``out``; the number written."""
    n = 0
    if fmt == "csv":
        if excel:
            out.write("\ufeff")
        w = csv.writer(out)
        w.writerow(FIELDS)
        for r in rows:
            doc = r.to_json()
            w.writerow([_cell(doc[f], excel) for f in FIELDS])
            n += 1
    elif fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r.to_json(), ensure_ascii=False) + "\n")
            n += 1
    else:
        out.write("[")
        for r in rows:
            out.write(("," if n else "") + "\n" + json.dumps(r.to_json(), ensure_ascii=False))
            n += 1
        out.write("\n]\n" if n else "]\n")
    return n


def _export(args: argparse.Namespace) -> int:
    filters = filters_of(args)
    if filters is None:
        return 2
    if args.excel and args.format != "csv":
        return fail("--excel 仅适用于 --format csv / --excel applies to --format csv only")
    store = open_incidents(settings_of(args))
    if store is None:
        return 1
    try:
        rows = records(store, filters)
        first = next(rows, None)  # a database error surfaces before any output file exists
        chained = itertools.chain([] if first is None else [first], rows)
        if not args.output:
            try:
                write(chained, args.format, sys.stdout, excel=args.excel)
                sys.stdout.flush()
            except BrokenPipeError:  # `| head`: the reader has all it wants
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, sys.stdout.fileno())
            return 0
        return _to_file(Path(args.output), chained, args)
    finally:
        store.close()


def _to_file(path: Path, rows: Iterator[Any], args: argparse.Namespace) -> int:
    """Write next to ``path`` and rename into place: a failed export leaves no half-written file."""
    if path.is_dir():
        return fail(f"{path} 是目录 / {path} is a directory")
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent if str(path.parent) else ".", prefix=f".{path.name}.",
                                   suffix=".tmp")
    except OSError as exc:
        return fail(f"无法写入 {path} / cannot write {path}: {exc.strerror}")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            n = write(rows, args.format, f, excel=args.excel)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        return fail(f"无法写入 {path} / cannot write {path}: {exc.strerror}")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    print(f"已导出 {n} 条事件到 {path} / exported {n} incidents to {path}", file=sys.stderr)
    return 0
