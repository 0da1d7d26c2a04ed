"""Server-rendered SVG charts for the dashboard: no script, no inline style (colours come from
``console.css`` classes), every label escaped. Two shapes: columns over consecutive days, and horizontal
bars for a ranked list (with an optional text per bar, e.g. "3/10" for a rate).
"""
from __future__ import annotations

from datetime import date, timedelta
from html import escape

from markupsafe import Markup


def _nice_max(n: float) -> float:
    """The smallest 4 x (1, 2 or 5 x 10^k) at or above n: four grid lines at round values."""
    step = 1
    while True:
        for m in (1, 2, 5):
            if n <= 4 * m * step:
                return 4 * m * step
        step *= 10


def days(counts: list[tuple[date, int]], first: date, last: date, label: str) -> Markup:
    """One column per day from ``first`` to ``last`` (missing days are zero)."""
    by_day = dict(counts)
    span = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    values = [by_day.get(d, 0) for d in span]
    width, height, left, bottom, top = 1000, 240, 40, 28, 10
    plot_w, plot_h = width - left - 8, height - bottom - top
    top_value = _nice_max(max(values, default=0))
    col = plot_w / max(1, len(span))
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for i in range(5):  # grid and axis labels
        v = top_value * i / 4
        y = top + plot_h - plot_h * i / 4
        parts.append(f'<line class="grid" x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}"/>')
        parts.append(f'<text class="axis" x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{v:g}</text>')
    every = max(1, len(span) // 10)
    for i, (d, v) in enumerate(zip(span, values)):
        h = plot_h * v / top_value
        x = left + i * col
        parts.append(f'<rect class="bar" x="{x + col * 0.12:.1f}" y="{top + plot_h - h:.1f}" '
                     f'width="{max(1.0, col * 0.76):.1f}" height="{h:.1f}"><title>{d.isoformat()}: {v}</title></rect>')
        if i % every == 0:
            parts.append(f'<text class="axis" x="{x + col / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                         f'{d.strftime("%m-%d")}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def bars(rows: list[tuple[str, float, str]], label: str, *, maximum: float | None = None,
         kind: str = "bar") -> Markup:
    """Horizontal bars: (label, value, text shown after the bar). ``maximum`` fixes the scale (1.0 for rates)."""
    row_h, label_w, width = 26, 170, 560
    height = row_h * max(1, len(rows)) + 8
    top_value = maximum or _nice_max(max((v for _, v, _ in rows), default=0))
    bar_w = width - label_w - 100
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="{escape(label)}">']
    for i, (name, value, text) in enumerate(rows):
        y = 4 + i * row_h
        w = bar_w * (value / top_value if top_value else 0)
        shown = name if len(name) <= 20 else name[:19] + "…"
        parts.append(f'<text class="label" x="{label_w - 8}" y="{y + 17}" text-anchor="end">'
                     f'<title>{escape(name)}</title>{escape(shown)}</text>')
        parts.append(f'<rect class="track" x="{label_w}" y="{y + 4}" width="{bar_w}" height="{row_h - 8}"/>')
        parts.append(f'<rect class="{kind}" x="{label_w}" y="{y + 4}" width="{w:.1f}" height="{row_h - 8}">'
                     f'<title>{escape(name)}: {escape(text)}</title></rect>')
        parts.append(f'<text class="value" x="{label_w + bar_w + 8}" y="{y + 17}">{escape(text)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
