"""The incident page: highlighted evidence (escaped), reasons, history, recorded views; the actions and the
roles that may take them; the incident's own export; purged evidence."""
from __future__ import annotations

import json
import re
from html import escape
from datetime import datetime, timedelta, timezone

from proxy.store.incidents import IncidentStore
from tests.console.conftest import csrf_of, unique

DOC = "开头<script>alert(1)</script>\n机密★5年 & <b>正文</b>"


def marks(html: str) -> list[str]:
    return re.findall(r"<mark [^>]*>(.*?)</mark>", html, re.S)


def test_detail_highlights_the_spans_and_escapes_everything(console):
    c, name = console.session("reviewer")
    start = DOC.index("机密")
    ev = [{"entity": "CN_CLASSIFICATION_MARKING", "start": start, "end": start + 5, "score": 0.98,
           "recognizer": "CnClassificationRecognizer", "category": "secret_marking",
           "why": "密级★保密期限 <form>", "text": "机密★5年"},
          {"entity": "X", "start": 2, "end": 10, "score": 0.6, "recognizer": "Weird<Rec>", "category": "credential",
           "why": "", "text": DOC[2:10]}]
    incident = console.record(client=unique("c"), document=DOC, evidence=ev)
    r = c.get(f"/console/incidents/{incident}")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    html = r.text
    assert "<script>alert(1)</script>" not in html and "<b>正文</b>" not in html
    pre = re.search(r'<pre class="document" id="document">(.*?)</pre>', html, re.S).group(1)
    assert re.sub(r"</?mark[^>]*>", "", pre) == escape(DOC, quote=False)  # every character, escaped
    assert marks(html) == ["&lt;script&gt;", "机密★5年"]
    assert 'class="hl cat-secret_marking" title="secret_marking · CnClassificationRecognizer' in html
    assert "Weird&lt;Rec&gt;" in html and "Weird<Rec>" not in html
    assert "密级★保密期限 &lt;form&gt;" in html and "0.98" in html  # the reasons
    views = console.incidents.views(incident)
    assert len(views) == 1 and views[0]["reviewer_id"] == console.reviewers._find(name).id
    assert name in c.get(f"/console/incidents/{incident}").text  # "who viewed it" lists the reviewer
    assert len(console.incidents.views(incident)) == 2


def test_a_long_document_is_cut_but_every_finding_stays_visible(console):
    c, _ = console.session("reviewer")
    doc = "甲" * 30_000 + "机密★5年" + "乙" * 30_000 + "秘密★10年" + "丙" * 30_000
    spans = [(doc.index("机密"), "机密★5年"), (doc.index("秘密"), "秘密★10年")]
    ev = [{"entity": "M", "start": s, "end": s + len(t), "score": 0.9, "recognizer": "R", "category": "secret_marking",
           "why": "", "text": t} for s, t in spans]
    incident = console.record(client=unique("c"), document=doc, evidence=ev)
    html = c.get(f"/console/incidents/{incident}").text
    assert marks(html) == ["机密★5年", "秘密★10年"]
    assert len(html) < 20_000 and "省略" in html and str(len(doc)) in html  # the length is stated


def test_actions_change_the_status_and_are_listed(console):
    c, name = console.session("reviewer")
    incident = console.record(client=unique("c"))
    page = c.get(f"/console/incidents/{incident}").text
    token = csrf_of(page)
    assert 'value="confirm"' in page and 'value="release"' not in page  # release is for holds only
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "confirm", "comment": "确认"})
    assert r.status_code == 303 and r.headers["location"].endswith("?done=confirm")
    assert _status(console, incident) == "confirmed"
    page = c.get(r.headers["location"]).text
    assert "已确认" in page and "确认违规" in page and name in page
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "comment", "comment": "<i>注</i>"})
    assert r.status_code == 303
    assert "&lt;i&gt;注&lt;/i&gt;" in c.get(f"/console/incidents/{incident}").text
    assert [a["action"] for a in console.incidents.actions(incident)] == ["confirm", "comment"]


def test_false_positive_needs_a_comment_and_release_needs_a_hold(console):
    c, _ = console.session("admin")
    incident = console.record(client=unique("c"))
    token = csrf_of(c.get(f"/console/incidents/{incident}").text)
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "false_positive"})
    assert r.status_code == 400 and "说明" in r.text
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "release"})
    assert r.status_code == 409 and "不能执行 release" in r.text
    r = c.post(f"/console/incidents/{incident}/act?lang=en", data={"csrf": token, "action": "release"})
    assert r.status_code == 409 and "cannot release" in r.text
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "delete"})
    assert r.status_code == 400
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "false_positive",
                                                           "comment": "公开文件标题"})
    assert r.status_code == 303
    assert _status(console, incident) == "false_positive"
    assert c.post("/console/incidents/nope/act", data={"csrf": token, "action": "comment", "comment": "x"}
                  ).status_code == 404


def test_release_a_hold(console):
    c, _ = console.session("reviewer")
    incident = console.record(client=unique("c"), decision="hold", categories=["personal_data"])
    page = c.get(f"/console/incidents/{incident}").text
    assert 'value="release"' in page and "hold-test-" in page
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": csrf_of(page), "action": "release"})
    assert r.status_code == 303
    assert _status(console, incident) == "released"
    assert [a["action"] for a in console.incidents.actions(incident)] == ["release"]


def test_an_auditor_reads_but_cannot_act(console):
    c, _ = console.session("auditor")
    incident = console.record(client=unique("c"), decision="hold", categories=["personal_data"])
    page = c.get(f"/console/incidents/{incident}")
    assert page.status_code == 200 and 'value="release"' not in page.text and "审计员只读" in page.text
    assert len(console.incidents.views(incident)) == 1  # the auditor's view is recorded too
    token = csrf_of(page.text)  # the logout form's token: a valid token does not help
    for action in ("release", "confirm", "false_positive", "comment"):
        r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": action, "comment": "x"})
        assert r.status_code == 403 and "审计员" in r.text and "无权" in r.text
    assert console.incidents.actions(incident) == []
    assert _status(console, incident) == "held"
    en = c.post(f"/console/incidents/{incident}/act?lang=en", data={"csrf": token, "action": "release"})
    assert en.status_code == 403 and "may not do this" in en.text


def _status(console, incident_id: str) -> str:
    return next(r.status for r in console.incidents.query(limit=10_000) if r.id == incident_id)


def test_incident_export_has_the_evidence_and_is_recorded(console):
    c, name = console.session("auditor")
    incident = console.record(client=unique("c"))
    r = c.get(f"/console/incidents/{incident}/export.json")
    assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
    data = json.loads(r.text)
    assert data["incident"]["id"] == incident and "东川市应急管理局" in data["evidence"]["document"]
    assert data["exported_by"] == name
    assert len(console.incidents.views(incident)) == 1
    assert [a["action"] for a in console.incidents.actions(incident)] == ["export"]


def test_purged_evidence_says_so(console):
    c, _ = console.session("reviewer")
    old = datetime.now(timezone.utc) - timedelta(days=400)
    incident = console.record(client=unique("c"), ts=old)
    store = IncidentStore(console.settings.store_url, None)
    try:
        assert store.purge_evidence(older_than_days=399) >= 1
    finally:
        store.close()
    html = c.get(f"/console/incidents/{incident}").text
    assert "证据已按保存期限删除" in html and "<mark" not in html
    assert "evidence purged after the retention period" in c.get(f"/console/incidents/{incident}?lang=en").text
    assert console.incidents.views(incident) == []  # nothing was shown, so no view


def test_unknown_or_malformed_incident_is_a_404_page(console):
    c, _ = console.session("reviewer")
    for path in ("/console/incidents/bm-nope", "/console/incidents/..%2F..%2Fetc",
                 "/console/incidents/" + "x" * 300, "/console/incidents/bm-nope/export.json"):
        r = c.get(path)
        assert r.status_code == 404 and "没有这个页面或事件" in r.text
