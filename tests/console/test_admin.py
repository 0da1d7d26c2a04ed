"""Admin pages (reviewers, allow-list proposals), the evidence-view audit, the dashboard, roles."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import httpx
import yaml

from proxy.policy.schema import PolicyFile
from tests.console.conftest import PASSWORD, csrf_of, unique


def test_an_admin_adds_a_reviewer_who_can_then_log_in(console):
    c, _ = console.session("admin")
    page = c.get("/console/reviewers")
    assert page.status_code == 200 and "添加账户" in page.text
    name = unique("新审核员")
    r = c.post("/console/reviewers", data={"csrf": csrf_of(page.text), "name": name, "role": "auditor",
                                           "password": PASSWORD})
    assert r.status_code == 303
    listed = c.get(r.headers["location"]).text
    assert f"已添加 {name}" in listed and name in listed
    assert console.login(name).status_code == 303


def test_adding_a_reviewer_with_bad_input_explains_why(console):
    c, _ = console.session("admin")
    token = csrf_of(c.get("/console/reviewers").text)
    for data, words in (({"name": unique("x"), "role": "reviewer", "password": "short"}, "至少 10 个字符"),
                        ({"name": unique("x"), "role": "root", "password": PASSWORD}, "未知角色"),
                        ({"name": "", "role": "reviewer", "password": PASSWORD}, "无效的审核员名称")):
        r = c.post("/console/reviewers", data={"csrf": token, **data})
        assert r.status_code == 400 and words in r.text
    existing, _ = console.account("reviewer")
    r = c.post("/console/reviewers", data={"csrf": token, "name": existing, "role": "reviewer", "password": PASSWORD})
    assert r.status_code == 400 and "已存在" in r.text


def test_a_reviewer_or_auditor_cannot_manage_reviewers(console):
    for role in ("reviewer", "auditor"):
        c, _ = console.session(role)
        assert c.get("/console/reviewers").status_code == 403
        token = csrf_of(c.get("/console/queue").text)
        name = unique("intruder")
        r = c.post("/console/reviewers", data={"csrf": token, "name": name, "role": "admin", "password": PASSWORD})
        assert r.status_code == 403 and "无权" in r.text
        assert name not in [x.name for x in console.reviewers.list(include_disabled=True)]
        assert c.get("/console/proposals").status_code == 403
        assert "/console/reviewers" not in c.get("/console/queue").text  # not in the menu either


def test_disabling_ends_the_sessions_and_an_admin_cannot_disable_themselves(console):
    admin, admin_name = console.session("admin")
    victim, victim_name = console.session("reviewer")
    assert victim.get("/console/queue").status_code == 200
    token = csrf_of(admin.get("/console/reviewers").text)
    assert admin.post("/console/reviewers/disable", data={"csrf": token, "name": admin_name}).status_code == 400
    r = admin.post("/console/reviewers/disable", data={"csrf": token, "name": victim_name})
    assert r.status_code == 303
    assert victim.get("/console/queue").status_code == 303
    assert console.login(victim_name).status_code == 401
    assert admin.post("/console/reviewers/disable", data={"csrf": token, "name": unique("ghost")}).status_code == 404


def test_a_password_reset_lifts_a_lockout(console):
    admin, _ = console.session("admin")
    name, _ = console.account("reviewer")
    for _ in range(5):
        console.login(name, "wrong password!")
    assert console.login(name).status_code == 401
    assert "锁定至" in admin.get("/console/reviewers").text
    token = csrf_of(admin.get("/console/reviewers").text)
    r = admin.post("/console/reviewers/password", data={"csrf": token, "name": name, "password": "another password"})
    assert r.status_code == 303
    assert console.login(name, "another password").status_code == 303


def test_proposals_show_a_policy_snippet_and_record_the_view(console):
    admin, _ = console.session("admin")
    reviewer, _ = console.session("reviewer")
    doc = "请参考'国家保密局关于印发的通知'一文"
    s = doc.index("国家")
    incident = console.record(client=unique("c"), document=doc, evidence=[
        {"entity": "CN_OFFICIAL_DOCUMENT", "start": s, "end": s + 12, "score": 0.8, "recognizer": "Structure",
         "category": "official_document", "why": "", "text": doc[s:s + 12]}])
    page = reviewer.get(f"/console/incidents/{incident}").text
    r = reviewer.post(f"/console/incidents/{incident}/act",
                      data={"csrf": csrf_of(page), "action": "false_positive", "comment": "公开发布的文件标题"})
    assert r.status_code == 303
    before = len(console.incidents.views(incident))
    html = admin.get("/console/proposals").text
    assert incident in html and "公开发布的文件标题" in html
    item = html[html.index(incident):]
    snippet = re.search(r'<pre class="snippet">(.*?)</pre>', item, re.S).group(1)
    snippet = snippet.replace("&#39;", "'").replace("&quot;", '"').replace("&lt;", "<").replace(
        "&gt;", ">").replace("&amp;", "&")
    data = yaml.safe_load(snippet)
    assert data == {"allow_list": {"phrases": [doc[s:s + 12]]}}
    PolicyFile.model_validate({"version": 1, **data})  # the real allow_list format
    assert len(console.incidents.views(incident)) == before + 1


def test_audit_page_lists_evidence_views(console):
    auditor, _ = console.session("auditor")
    reviewer, reviewer_name = console.session("reviewer")
    incident = console.record(client=unique("c"))
    reviewer.get(f"/console/incidents/{incident}")
    html = auditor.get("/console/audit").text
    row = html[html.index(reviewer_name) - 200:html.index(reviewer_name) + 300]
    assert incident in row
    assert reviewer.get("/console/audit").status_code == 403
    assert reviewer.get("/console/audit?before=x").status_code == 403
    assert auditor.get("/console/audit?before=x").status_code == 400


def test_dashboard_draws_svg_charts(console):
    c, _ = console.session("auditor")
    client = unique("dash")
    now = datetime.now(timezone.utc)
    console.record(client=client, department="统计处", ts=now - timedelta(days=2))
    marked = console.record(client=client, department="统计处", recognizers=["DashRecognizer"])
    console.incidents.act(marked, console.reviewers.list()[0].id, "false_positive", "测试")
    r = c.get("/console/dashboard?days=7")
    assert r.status_code == 200
    html = r.text
    assert html.count("<svg") == 5 and "<rect" in html
    assert client in html and "统计处" in html and "国家秘密密级标志" in html  # top clients, departments, categories
    assert "DashRecognizer" in html and "100%" in html  # its false-positive rate
    assert "Incidents per day" in c.get("/console/dashboard?days=30&lang=en").text
    for bad in ("0", "abc", "-1", "100000"):
        assert c.get(f"/console/dashboard?days={bad}").status_code == 400


def test_a_session_works_on_every_gateway_sharing_the_database(console, double, start_gateway):
    second = start_gateway(double.url + "/v1", database_url=console.settings.store_url,
                           evidence_key_file=str(console.settings.data_path / "evidence.key"))
    c, name = console.session("reviewer")
    incident = console.record(client=unique("c"))
    token = c.cookies.get("baomi_session")
    with httpx.Client(base_url=second.url, cookies={"baomi_session": token}) as other:
        r = other.get(f"/console/incidents/{incident}")
        assert r.status_code == 200 and name in r.text and "<mark" in r.text
        c.post("/console/logout", data={"csrf": csrf_of(c.get("/console/queue").text)})
        assert other.get("/console/queue").status_code == 303  # logged out everywhere
