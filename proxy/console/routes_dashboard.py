"""Dashboard: incidents per day and per category, top clients and departments, false-positive rate per
recognizer, over the last N days (days at UTC+08:00), as server-rendered SVG."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from fastapi import APIRouter
from starlette.responses import Response

from proxy.console import charts, i18n
from proxy.console.auth import ConsoleError, Ctx, require
from proxy.console.web import CST, page

router = APIRouter()

DAY_CHOICES = (7, 30, 90, 365)


@router.get("/console/dashboard")
def dashboard(ctx: Ctx = require("view")) -> Response:
    raw = ctx.request.query_params.get("days", "30")
    if not raw.isdigit() or int(raw) not in DAY_CHOICES:
        raise ConsoleError(400, "err.bad_input", what=f"days ({', '.join(map(str, DAY_CHOICES))})")
    n = int(raw)
    today = datetime.now(timezone.utc).astimezone(CST).date()
    first = today - timedelta(days=n - 1)
    since = datetime(first.year, first.month, first.day, tzinfo=CST)
    store = ctx.request.app.state.rt.incidents
    _ = i18n.Translator(ctx.lang)

    per_day = store.counts_per_day(since, utc_offset=timedelta(hours=8))
    per_cat = store.counts_per_category(since)
    clients, departments = store.top_clients(since), store.top_departments(since)
    fp = store.false_positive_rate_per_recognizer(since)
    judged = sorted(((name, v) for name, v in fp.items() if v["judged"]), key=lambda kv: (-kv[1]["rate"], kv[0]))

    def counted(rows: list[tuple[str, int]], label: str, translate: bool = False):
        if not rows:
            return None
        return charts.bars([(_.cat(k) if translate else k, v, str(v)) for k, v in rows], label)

    return page(
        ctx, "dashboard.html", days=n, day_choices=DAY_CHOICES, total=sum(v for _d, v in per_day),
        per_day=charts.days(per_day, first, today, _("dash.per_day")),
        per_category=counted(per_cat, _("dash.per_category"), translate=True),
        top_clients=counted(clients, _("dash.top_clients")),
        top_departments=counted(departments, _("dash.top_departments")),
        fp_rate=charts.bars([(k, v["rate"], f'{v["rate"]:.0%} ({v["false_positive"]}/{v["judged"]})')
                             for k, v in judged], _("dash.fp_rate"), maximum=1.0, kind="bar rate")
        if judged else None,
        unjudged=sorted(k for k, v in fp.items() if not v["judged"]))
