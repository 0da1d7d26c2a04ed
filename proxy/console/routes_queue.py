"""The incident queue (newest first, filtered, keyset pages) and its CSV / JSON exports.

Exports hold metadata only (never evidence), cover every matching row (walked page by page with the
keyset cursor, so memory stays flat however many there are) and are streamed as they are read.
"""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timezone
from typing import Iterator

from fastapi import APIRouter
from starlette.responses import Response, StreamingResponse

from proxy.console.auth import Ctx, require
from proxy.console.filters import CHOICES, Filters, encode_cursor
from proxy.console.web import local, page
from proxy.pipeline.enforce import CATEGORY_LABELS
from proxy.store.incidents import IncidentRecord

router = APIRouter()

PAGE = 50
EXPORT_PAGE = 500
CSV_COLUMNS = ("id", "ts", "client", "department", "endpoint", "model", "upstream", "decision", "categories",
               "rule_ids", "recognizers", "status", "ticket", "evidence_purged_at")


@router.get("/console/queue")
def queue(ctx: Ctx = require("view")) -> Response:
    f = Filters.parse(ctx.request.query_params)
    rows = ctx.request.app.state.rt.incidents.query(**f.query, before=f.before, limit=PAGE + 1)
    next_url = f.url("/console/queue", before=encode_cursor(rows[PAGE - 1].cursor)) if len(rows) > PAGE else None
    return page(ctx, "queue.html", rows=rows[:PAGE], f=f.values, next_url=next_url,
                first_url=f.url("/console/queue") if f.before else None,
                csv_url=f.url("/console/queue.csv"), json_url=f.url("/console/queue.json"),
                categories=list(CATEGORY_LABELS), choices=CHOICES)


def _all(ctx: Ctx, f: Filters) -> Iterator[IncidentRecord]:
    store, before = ctx.request.app.state.rt.incidents, f.before
    while True:
        rows = store.query(**f.query, before=before, limit=EXPORT_PAGE)
        yield from rows
        if len(rows) < EXPORT_PAGE:
            return
        before = rows[-1].cursor


def _cell(value: object) -> str:
    """A CSV cell that a spreadsheet will not run as a formula (client names are caller-chosen)."""
    text = "" if value is None else ";".join(value) if isinstance(value, list) else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv(ctx: Ctx, f: Filters) -> Iterator[str]:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(CSV_COLUMNS)
    yield "\ufeff" + _drain(buf)  # BOM: spreadsheet programs then read the file as UTF-8
    for n, r in enumerate(_all(ctx, f), 1):
        row = r.to_json()
        w.writerow([_cell(row[c]) for c in CSV_COLUMNS])
        if n % 100 == 0:
            yield _drain(buf)
    yield _drain(buf)


def _drain(buf: io.StringIO) -> str:
    text = buf.getvalue()
    buf.seek(0)
    buf.truncate()
    return text


def _json(ctx: Ctx, f: Filters) -> Iterator[str]:
    yield "["
    for n, r in enumerate(_all(ctx, f)):
        yield ("," if n else "") + "\n" + json.dumps(r.to_json(), ensure_ascii=False)
    yield "\n]\n"


def _name(kind: str) -> str:
    return f"baomi-incidents-{local(datetime.now(timezone.utc), '%Y%m%d-%H%M%S')}.{kind}"


@router.get("/console/queue.csv")
def export_csv(ctx: Ctx = require("view")) -> Response:
    f = Filters.parse(ctx.request.query_params)
    return StreamingResponse(_csv(ctx, f), media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": f'attachment; filename="{_name("csv")}"'})


@router.get("/console/queue.json")
def export_json(ctx: Ctx = require("view")) -> Response:
    f = Filters.parse(ctx.request.query_params)
    return StreamingResponse(_json(ctx, f), media_type="application/json",
                             headers={"Content-Disposition": f'attachment; filename="{_name("json")}"'})
