"""The queue's filters and its keyset cursor, read from the query string (bad values are a 400 that says
which parameter is wrong).

Dates are days at UTC+08:00: ``since=2024-05-01`` starts at that day's midnight, ``until=2024-05-03``
includes the whole of the 3rd. Full ISO datetimes are accepted too (``until`` then exclusive); a time
without an offset is taken at +08:00. The cursor is ``<microseconds since epoch>:<incident id>`` of the
last row shown (``IncidentRecord.cursor``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from typing import Any, Mapping
from urllib.parse import urlencode

from proxy.console.auth import ConsoleError
from proxy.console.web import CST
from proxy.store.incidents import STATUSES, Cursor

TEXT_FILTERS = ("category", "client", "department", "upstream")
CHOICES = {"decision": ("block", "hold"), "status": STATUSES}
NAMES = ("since", "until", *TEXT_FILTERS, *CHOICES)
EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)
_ID = re.compile(r"[A-Za-z0-9._-]{1,100}")


def _bad(name: str) -> ConsoleError:
    return ConsoleError(400, "err.bad_input", what=name)


def parse_time(name: str, raw: str, *, end: bool) -> datetime:
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = date.fromisoformat(raw)
            start = datetime(day.year, day.month, day.day, tzinfo=CST)
            return start + timedelta(days=1) if end else start
        ts = datetime.fromisoformat(raw)
    except ValueError:
        raise _bad(f"{name} (YYYY-MM-DD)") from None
    return ts if ts.tzinfo else ts.replace(tzinfo=CST)


def encode_cursor(cursor: Cursor) -> str:
    ts, incident_id = cursor
    return f"{(ts - EPOCH) // timedelta(microseconds=1)}:{incident_id}"


def decode_cursor(raw: str) -> Cursor:
    micros, _, incident_id = raw.partition(":")
    if not micros.isdigit() or len(micros) > 20 or not _ID.fullmatch(incident_id):
        raise _bad("before")
    return EPOCH + timedelta(microseconds=int(micros)), incident_id


def valid_id(incident_id: str) -> bool:
    return bool(_ID.fullmatch(incident_id))


@dataclass
class Filters:
    values: dict[str, str] = field(default_factory=dict)  # as typed, for the form and the links
    query: dict[str, Any] = field(default_factory=dict)   # keyword arguments of IncidentStore.query
    before: Cursor | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> "Filters":
        f = cls()
        for name in NAMES:
            raw = (params.get(name) or "").strip()
            if not raw:
                continue
            if len(raw) > 200:
                raise _bad(name)
            f.values[name] = raw
            if name in ("since", "until"):
                f.query[name] = parse_time(name, raw, end=name == "until")
            elif name in CHOICES:
                if raw not in CHOICES[name]:
                    raise _bad(f"{name} ({', '.join(CHOICES[name])})")
                f.query[name] = raw
            else:
                f.query[name] = raw
        if "since" in f.query and "until" in f.query and f.query["since"] >= f.query["until"]:
            raise _bad("since < until")
        if params.get("before"):
            f.before = decode_cursor(params["before"])
        return f

    def url(self, path: str, **extra: str) -> str:
        params = {**self.values, **extra}
        return path + ("?" + urlencode(params) if params else "")
