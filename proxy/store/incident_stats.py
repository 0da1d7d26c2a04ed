"""Dashboard statistics over incidents, computed in the database (SQLite and PostgreSQL).

Kept apart from ``incidents.py`` because it is the only dialect-specific code of the store: the JSON
arrays of categories and recognizers are unnested with ``json_each`` on SQLite and
``json_array_elements_text`` on PostgreSQL, and a day is ``date(ts, '+N minutes')`` on SQLite and
``(ts AT TIME ZONE 'UTC' + interval)::date`` on PostgreSQL. Days are counted at a fixed UTC offset
(China has one, +08:00), given by the caller; only days with incidents are returned.

False-positive rate per recognizer = incidents marked ``false_positive`` / incidents judged (confirmed or
false_positive) among those the recognizer contributed a finding to. Released holds are not counted
either way: a release is a business decision to let a request go, not a verdict on the detection.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import sqlalchemy as sa

from proxy.store.schema import incidents


def _since(q: Any, since: datetime | None) -> Any:
    from proxy.store.incidents import utc

    return q if since is None else q.where(incidents.c.ts >= utc(since))


class StatsMixin:
    engine: sa.Engine

    def _elements(self, column: sa.Column) -> Any:
        """The JSON array in ``column`` as a table with one text column ``value``, joinable per row."""
        if self.engine.dialect.name == "postgresql":
            return sa.func.json_array_elements_text(sa.cast(column, sa.JSON)).table_valued("value").lateral()
        return sa.func.json_each(column).table_valued("value")

    def _day(self, offset: timedelta) -> Any:
        ts = incidents.c.ts
        if self.engine.dialect.name == "postgresql":
            return sa.cast(sa.func.timezone("UTC", ts) + offset, sa.Date)
        return sa.func.date(ts, f"{int(offset.total_seconds() // 60):+d} minutes")

    def _rows(self, q: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return list(conn.execute(q))

    def counts_per_day(self, since: datetime | None = None,
                       utc_offset: timedelta = timedelta(0)) -> list[tuple[date, int]]:
        """(day, incidents) oldest first; a day runs midnight to midnight at ``utc_offset``."""
        day = self._day(utc_offset).label("day")
        q = _since(sa.select(day, sa.func.count().label("n")), since).group_by(day).order_by(day)
        return [(r.day if isinstance(r.day, date) else date.fromisoformat(r.day), r.n) for r in self._rows(q)]

    def counts_per_category(self, since: datetime | None = None) -> list[tuple[str, int]]:
        """(category, incidents with it) most frequent first; an incident counts once per category."""
        return self._per_element(incidents.c.categories, since)

    def _per_element(self, column: sa.Column, since: datetime | None) -> list[tuple[str, int]]:
        el = self._elements(column)
        n = sa.func.count().label("n")  # names are unique within a row (IncidentRecord dedupes them)
        q = _since(sa.select(el.c.value, n).select_from(incidents).join(el, sa.true()), since)
        q = q.group_by(el.c.value).order_by(n.desc(), el.c.value)
        return [(r.value, r.n) for r in self._rows(q)]

    def _top(self, column: sa.Column, since: datetime | None, n: int) -> list[tuple[str, int]]:
        count = sa.func.count().label("n")
        q = _since(sa.select(column.label("name"), count).where(column.is_not(None)), since)
        q = q.group_by(column).order_by(count.desc(), column).limit(max(0, n))
        return [(r.name, r.n) for r in self._rows(q)]

    def top_clients(self, since: datetime | None = None, n: int = 10) -> list[tuple[str, int]]:
        return self._top(incidents.c.client, since, n)

    def top_departments(self, since: datetime | None = None, n: int = 10) -> list[tuple[str, int]]:
        return self._top(incidents.c.department, since, n)

    def false_positive_rate_per_recognizer(self, since: datetime | None = None) -> dict[str, dict[str, Any]]:
        """recognizer -> {"judged", "false_positive", "rate"} (rate None while nothing is judged)."""
        el = self._elements(incidents.c.recognizers)
        status = incidents.c.status
        fp = sa.func.count(sa.case((status == "false_positive", 1))).label("fp")
        judged = sa.func.count(sa.case((status.in_(("confirmed", "false_positive")), 1))).label("judged")
        q = _since(sa.select(el.c.value, fp, judged).select_from(incidents).join(el, sa.true()), since)
        q = q.group_by(el.c.value).order_by(el.c.value)
        return {r.value: {"judged": r.judged, "false_positive": r.fp,
                          "rate": (r.fp / r.judged) if r.judged else None} for r in self._rows(q)}
