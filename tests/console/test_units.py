"""Pure parts of the console: highlighting, charts, i18n coverage, the session store."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from proxy.console import charts, highlight, i18n
from proxy.console.filters import decode_cursor, encode_cursor

TEMPLATES = Path(highlight.__file__).with_name("templates")
ELIDED = "[{}]".format


def ev(start, end, category="c", recognizer="R"):
    return {"start": start, "end": end, "category": category, "recognizer": recognizer, "entity": "E"}


@pytest.mark.parametrize("doc, spans, expected", [
    ("abc", [], "abc"),
    ("a<b>c", [ev(1, 4)], 'a<mark class="hl cat-c" title="c · R · E">&lt;b&gt;</mark>c'),
    ("abcdef", [ev(1, 4, "x"), ev(2, 5, "y")],
     'a<mark class="hl cat-x" title="x · R · E">b</mark>'
     '<mark class="hl cat-x cat-y" title="x · R · E; y · R · E">cd</mark>'
     '<mark class="hl cat-y" title="y · R · E">e</mark>f'),
    ("机密★5年", [ev(0, 5)], '<mark class="hl cat-c" title="c · R · E">机密★5年</mark>'),
    # malformed spans are left out, never an error
    ("abc", [ev(2, 1), ev(-1, 2), ev(0, 99), {"start": "0", "end": 1}, "junk", ev(True, 2)], "abc"),
])
def test_highlight(doc, spans, expected):
    html, cut = highlight.highlight(doc, spans, ELIDED)
    assert str(html) == expected and not cut


def test_highlight_escapes_titles_and_class_names():
    html, _ = highlight.highlight("xy", [ev(0, 1, 'a" onmouseover="x', "<R>")], ELIDED)
    assert 'onmouseover="' not in str(html) and "&lt;R&gt;" in str(html) and 'cat-a__onmouseover__x' in str(html)


def test_a_very_long_finding_shows_its_ends():
    doc = "x" * 10 + "S" * 50_000 + "y" * 10
    html, cut = highlight.highlight(doc, [ev(10, 50_010)], ELIDED)
    assert cut and str(html).count("<mark") == 2 and "[46000]" in str(html)


def test_every_template_key_is_translated():
    used = set()
    for path in TEMPLATES.glob("*.html"):
        used |= set(re.findall(r'_\(\s*"([a-z_.]+)"\s*[,)]', path.read_text(encoding="utf-8")))
    assert used and not used - set(i18n.M)
    # keys built from a value: _("role." ~ role) ...
    from proxy.store.incidents import ACTIONS, STATUSES
    from proxy.store.reviewers import ROLES
    dynamic = {f"role.{r}" for r in ROLES} | {f"status.{s}" for s in STATUSES} | {f"act.{a}" for a in ACTIONS}
    assert not dynamic - set(i18n.M) and {"decision.block", "decision.hold"} <= set(i18n.M)
    for zh, en in i18n.M.values():
        assert zh and en


def test_pick_takes_the_readers_half():
    assert i18n.pick("zh", "中文 / English") == "中文" and i18n.pick("en", "中文 / English") == "English"
    assert i18n.pick("en", "only one") == "only one"


def test_charts_are_svg_with_escaped_labels():
    svg = str(charts.bars([("<x>", 3, "3")], "t<"))
    assert svg.startswith("<svg") and "&lt;x&gt;" in svg and "<x>" not in svg and 'aria-label="t&lt;"' in svg
    days = str(charts.days([(date(2024, 5, 2), 4)], date(2024, 5, 1), date(2024, 5, 3), "d"))
    assert days.count("<rect") == 3 and "2024-05-02: 4" in days


def test_cursor_round_trip():
    ts = datetime(2024, 5, 1, 12, 0, 0, 123456, tzinfo=timezone.utc)
    assert decode_cursor(encode_cursor((ts, "bm-1-abc"))) == (ts, "bm-1-abc")


def test_session_store(tmp_path):
    from proxy.store.migrate import upgrade
    from proxy.store.reviewers import ReviewerStore
    from proxy.store.sessions import SessionStore

    from tests.console.conftest import CHEAP, PASSWORD

    url = f"sqlite:///{tmp_path / 'b.db'}"
    upgrade(url)
    now = [datetime(2024, 5, 1, tzinfo=timezone.utc)]
    reviewers, sessions = ReviewerStore(url, hasher=CHEAP), SessionStore(url, clock=lambda: now[0])
    try:
        r = reviewers.add("a", "reviewer", PASSWORD)
        token, s = sessions.create(r.id, timedelta(hours=1))
        assert sessions.get(token) == s and len(s.csrf) >= 40
        assert sessions.get(token + "x") is None and sessions.get("") is None and sessions.get("x" * 500) is None
        now[0] += timedelta(hours=2)
        assert sessions.get(token) is None and sessions.purge_expired() == 1
        token, _ = sessions.create(r.id, timedelta(hours=1))
        sessions.create(r.id, timedelta(hours=1))
        assert sessions.end_all(r.id) == 2 and sessions.get(token) is None
    finally:
        reviewers.close()
        sessions.close()


@pytest.mark.parametrize("target, expected", [
    ("/console/incidents/bm-1", "/console/incidents/bm-1"),
    ("/console/queue?status=held", "/console/queue?status=held"),
    ("https://evil.example/", "/console/queue"), ("//evil.example/console", "/console/queue"),
    ("/console//evil.example", "/console/queue"), ("/console/\\evil", "/console/queue"), (None, "/console/queue"),
    ("/console/login", "/console/queue"), ("/other", "/console/queue")])
def test_login_redirects_only_inside_the_console(target, expected):
    from proxy.console.routes_auth import safe_next

    assert safe_next(target) == expected
