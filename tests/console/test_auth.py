"""Login, logout, sessions, CSRF and the security headers of the console."""
from __future__ import annotations

from datetime import timedelta

import httpx

from proxy.store.reviewers import MAX_FAILED_LOGINS
from proxy.store.sessions import SessionStore, token_id
from tests.console.conftest import PASSWORD, csrf_of, unique


def test_pages_need_a_login_and_redirect_there(console):
    c = console.client()
    for path in ("/console/queue", "/console/dashboard", "/console/reviewers", "/console/incidents/x"):
        r = c.get(path + "?status=held")
        assert r.status_code == 303
        assert r.headers["location"].startswith("/console/login?next=%2Fconsole%2F")
    assert c.get("/console").headers["location"] == "/console/queue"


def test_login_page_is_chinese_first_with_a_language_switch(console):
    c = console.client()
    r = c.get("/console/login")
    assert r.status_code == 200 and "登录" in r.text and 'lang="zh-CN"' in r.text
    assert "?lang=en" in r.text
    en = c.get("/console/login?lang=en")
    assert "Log in" in en.text and "baomi_lang=en" in en.headers["set-cookie"]
    assert "Log in" in c.get("/console/login").text  # remembered in the cookie
    assert "登录" in c.get("/console/login?lang=zh").text


def test_login_and_logout(console):
    name, _ = console.account("reviewer")
    c = console.client()
    r = console.login(name, client=c)
    assert r.status_code == 303 and r.headers["location"] == "/console/queue"
    cookie = next(h for h in r.headers.get_list("set-cookie") if h.startswith("baomi_session="))
    low = cookie.lower()
    assert "httponly" in low and "samesite=strict" in low and "path=/console" in low and "secure" not in low
    page = c.get("/console/queue")
    assert page.status_code == 200 and name in page.text
    # the session lives in the database as the SHA-256 of the token, never the token
    token = c.cookies.get("baomi_session")
    assert console.gw.settings.store_url
    sessions = SessionStore(console.settings.store_url)
    try:
        assert sessions.get(token) is not None
        with sessions.engine.connect() as conn:
            ids = [row[0] for row in conn.exec_driver_sql("SELECT id FROM console_sessions")]
        assert token_id(token) in ids and token not in ids
    finally:
        sessions.close()
    r = c.post("/console/logout", data={"csrf": csrf_of(page.text)})
    assert r.status_code == 303 and r.headers["location"] == "/console/login"
    again = httpx.get(console.url + "/console/queue", cookies={"baomi_session": token})
    assert again.status_code == 303  # the old cookie no longer works: the session is gone


def test_secure_cookie_behind_https_proxy(console):
    name, _ = console.account("auditor")
    c = console.client()
    page = c.get("/console/login", headers={"X-Forwarded-Proto": "https"})
    assert "secure" in page.headers["set-cookie"].lower()
    token = csrf_of(page.text)  # httpx keeps a Secure cookie from http URLs: send it by hand
    r = httpx.post(console.url + "/console/login", data={"name": name, "password": PASSWORD, "csrf": token},
                   headers={"X-Forwarded-Proto": "https", "Cookie": f"baomi_login_csrf={token}"})
    assert r.status_code == 303
    assert any("baomi_session=" in h and "secure" in h.lower() for h in r.headers.get_list("set-cookie"))


def test_wrong_password_and_lockout_give_one_generic_message(console):
    name, _ = console.account("reviewer")
    r = console.login(name, "wrong password!")
    assert r.status_code == 401 and "用户名或密码错误，或账户已被锁定" in r.text
    assert "baomi_session" not in r.headers.get("set-cookie", "")
    unknown = console.login(unique("nobody"), "wrong password!")
    assert unknown.status_code == 401 and unknown.text.count("用户名或密码错误") == 1
    for _ in range(MAX_FAILED_LOGINS - 1):
        console.login(name, "wrong password!")
    locked = console.login(name)  # the right password, but locked now
    assert locked.status_code == 401 and "用户名或密码错误，或账户已被锁定" in locked.text


def test_login_form_needs_its_csrf_token(console):
    name, _ = console.account("reviewer")
    c = console.client()
    c.get("/console/login")
    assert c.post("/console/login", data={"name": name, "password": PASSWORD}).status_code == 403
    r = c.post("/console/login", data={"name": name, "password": PASSWORD, "csrf": "x" * 43})
    assert r.status_code == 403 and "baomi_session" not in r.headers.get("set-cookie", "")
    # a token from another browser (cookie) does not match
    other = console.client()
    token = csrf_of(other.get("/console/login").text)
    assert c.post("/console/login", data={"name": name, "password": PASSWORD, "csrf": token}).status_code == 403


def test_posts_without_or_with_a_wrong_csrf_token_are_refused(console):
    c, _ = console.session("reviewer")
    incident = console.record(client=unique("c"))
    for data in ({"action": "confirm"}, {"action": "confirm", "csrf": "forged"}, {"action": "confirm", "csrf": ""}):
        r = c.post(f"/console/incidents/{incident}/act", data=data)
        assert r.status_code == 403 and "CSRF" in r.text
    r = c.post("/console/logout", data={"csrf": "forged"})
    assert r.status_code == 403
    assert console.incidents.actions(incident) == []
    assert c.get("/console/queue").status_code == 200  # still logged in


def test_a_disabled_reviewer_is_logged_out_at_once(console):
    c, name = console.session("reviewer")
    assert c.get("/console/queue").status_code == 200
    console.reviewers.remove(name)
    assert c.get("/console/queue").status_code == 303


def test_an_expired_session_is_refused(console):
    name, reviewer = console.account("reviewer")
    sessions = SessionStore(console.settings.store_url)
    try:
        token, _ = sessions.create(reviewer.id, timedelta(seconds=-1))
    finally:
        sessions.close()
    r = httpx.get(console.url + "/console/queue", cookies={"baomi_session": token})
    assert r.status_code == 303


def test_security_headers(console):
    c, _ = console.session("reviewer")
    for path in ("/console/queue", "/console/login", "/console/nope"):
        r = c.get(path)
        h = r.headers
        assert h["content-security-policy"].startswith("default-src 'self'")
        assert h["x-frame-options"] == "DENY" and h["referrer-policy"] == "no-referrer"
        assert h["cache-control"] == "no-store" and h["x-content-type-options"] == "nosniff"
    assert c.get("/console/nope").status_code == 404
    css = c.get("/console/static/console.css")
    assert css.status_code == 200 and "mark" in css.text


def test_no_external_assets_and_no_script(console):
    c, _ = console.session("admin")
    for path in ("/console/queue", "/console/dashboard", "/console/reviewers", "/console/proposals",
                 "/console/audit", "/console/login"):
        html = c.get(path).text
        assert "<script" not in html and "http://" not in html and "https://" not in html.replace(
            "https://api.openai.com", "")
        assert ' style="' not in html  # CSP forbids inline style


def test_login_returns_to_the_page_asked_for(console):
    name, _ = console.account("reviewer")
    c = console.client()
    first = c.get("/console/dashboard?days=7")
    login_url = first.headers["location"]
    page = c.get(login_url)
    assert 'name="next" value="/console/dashboard?days=7"' in page.text
    r = c.post("/console/login", data={"name": name, "password": PASSWORD, "csrf": csrf_of(page.text),
                                       "next": "/console/dashboard?days=7"})
    assert r.headers["location"] == "/console/dashboard?days=7"


def test_an_oversized_or_odd_form_is_a_4xx(console):
    c, _ = console.session("reviewer")
    token = csrf_of(c.get("/console/queue").text)
    incident = console.record(client=unique("c"))
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "comment", "comment": "x" * 70_000})
    assert r.status_code == 413
    r = c.post(f"/console/incidents/{incident}/act", json={"csrf": token, "action": "comment", "comment": "x"})
    assert r.status_code == 403  # not a form: no token found
    r = c.post(f"/console/incidents/{incident}/act", data={"csrf": token, "action": "comment", "comment": "y" * 3000})
    assert r.status_code == 400 and "comment" in r.text
    r = c.post(f"/console/incidents/{incident}/act", files={"f": ("a.txt", b"x")}, data={"csrf": token})
    assert 400 <= r.status_code < 500
    assert console.incidents.actions(incident) == []
