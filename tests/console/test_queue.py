"""The queue: filters, newest first, keyset pages, and the CSV / JSON exports (metadata only)."""
from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta, timezone

import openai
import pytest

from tests.console.conftest import MARKED, PERSONAL, unique

IDS = re.compile(r'href="/console/incidents/([^"/]+)"')


def ids(html: str) -> list[str]:
    return IDS.findall(html)


def test_a_blocked_and_a_held_request_show_up_in_the_queue(console):
    c, _ = console.session("reviewer")
    api = openai.OpenAI(base_url=console.url + "/v1", api_key="k", max_retries=0, timeout=30)
    got = {}
    for text in (MARKED, PERSONAL):
        with pytest.raises(openai.PermissionDeniedError) as info:
            api.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
        got[text] = info.value.response.headers
    blocked, held = got[MARKED]["x-baomi-incident"], got[PERSONAL]["x-baomi-incident"]
    page = c.get("/console/queue", params={"decision": "hold", "status": "held"}).text
    assert held in ids(page) and blocked not in ids(page)
    assert got[PERSONAL]["x-baomi-ticket"] in page
    page = c.get("/console/queue", params={"category": "secret_marking"}).text
    assert blocked in ids(page) and held not in ids(page)
    assert "刘建华" not in c.get("/console/queue").text  # the queue shows metadata, never evidence


def test_filters(console):
    c, _ = console.session("auditor")
    client = unique("c")
    now = datetime.now(timezone.utc)
    a = console.record(client=client, department="办公室", upstream="http://u1/v1", ts=now - timedelta(days=3))
    b = console.record(client=client, department="财务处", upstream="http://u2/v1", categories=["credential"],
                       recognizers=["ApiKeyRecognizer"], ts=now - timedelta(hours=1))
    h = console.record(client=client, decision="hold", categories=["personal_data"], ts=now)

    def q(**params):
        r = c.get("/console/queue", params={"client": client, **params})
        assert r.status_code == 200, r.text
        return ids(r.text)

    assert q() == [h, b, a]  # newest first
    assert q(department="财务处") == [b]
    assert q(upstream="http://u1/v1") == [a]
    assert q(category="credential") == [b]
    assert q(decision="hold") == [h] and q(status="held") == [h] and q(status="open") == [b, a]
    day = (now - timedelta(days=3)).astimezone(timezone(timedelta(hours=8))).date().isoformat()
    assert q(since=day, until=day) == [a]
    assert q(until=day) == [a]
    assert set(q(since=(now - timedelta(days=1)).isoformat())) == {h, b}
    assert q(client=unique("nobody")) == []


@pytest.mark.parametrize("params, name", [({"status": "bogus"}, "status"), ({"decision": "allow"}, "decision"),
                                          ({"since": "yesterday"}, "since"), ({"before": "abc"}, "before"),
                                          ({"since": "2024-05-02", "until": "2024-05-01"}, "since"),
                                          ({"client": "x" * 300}, "client")])
def test_bad_filters_are_a_400_that_names_the_parameter(console, params, name):
    c, _ = console.session("reviewer")
    r = c.get("/console/queue", params=params)
    assert r.status_code == 400 and name in r.text and "Traceback" not in r.text
    assert "输入无效" in r.text


def test_keyset_pagination(console):
    c, _ = console.session("reviewer")
    client = unique("c")
    now = datetime.now(timezone.utc)
    made = [console.record(client=client, ts=now - timedelta(seconds=i)) for i in range(53)]  # newest first
    first = c.get("/console/queue", params={"client": client}).text
    assert ids(first) == made[:50]
    nxt = re.search(r'href="([^"]+)" rel="next"', first).group(1).replace("&amp;", "&")
    assert "before=" in nxt and f"client={client}" in nxt
    second = c.get(nxt).text
    assert ids(second) == made[50:]
    assert 'rel="next"' not in second and "/console/queue?client=" in second  # a link back to page one


def test_csv_and_json_exports_hold_every_matching_row_and_no_evidence(console):
    c, _ = console.session("auditor")
    client = unique("c")
    now = datetime.now(timezone.utc)
    made = [console.record(client=client, ts=now - timedelta(seconds=i), department="=cmd|' /C calc'!A0")
            for i in range(3)]
    r = c.get("/console/queue.csv", params={"client": client})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert [row["id"] for row in rows] == made and rows[0]["client"] == client
    assert rows[0]["department"].startswith("'=")  # not run as a formula by a spreadsheet
    assert "东川市" not in r.text and "机密" not in r.text
    j = c.get("/console/queue.json", params={"client": client})
    data = json.loads(j.text)
    assert [d["id"] for d in data] == made and "evidence" not in data[0] and data[0]["categories"] == [
        "secret_marking"]
    assert "东川市" not in j.text
    assert json.loads(c.get("/console/queue.json", params={"client": unique("none")}).text) == []


def test_exports_walk_every_page(console, monkeypatch):
    from proxy.console import routes_queue

    monkeypatch.setattr(routes_queue, "EXPORT_PAGE", 2)  # the gateway runs in this process
    c, _ = console.session("reviewer")
    client = unique("c")
    now = datetime.now(timezone.utc)
    made = [console.record(client=client, ts=now - timedelta(seconds=i)) for i in range(5)]
    data = json.loads(c.get("/console/queue.json", params={"client": client}).text)
    assert [d["id"] for d in data] == made
