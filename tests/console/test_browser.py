"""The console in a real browser (Debian's chromium through Playwright; no JavaScript needed by the pages):
log in, filter the queue, open a held request and see its highlights, release it, and the member of staff
collects the answer with the official openai SDK. Also CSRF and roles from the browser's side."""
from __future__ import annotations

import os
import re
from typing import Iterator

import httpx
import openai
import pytest

from tests.console.conftest import PASSWORD, PERSONAL, unique

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = "/usr/bin/chromium"
pytestmark = pytest.mark.skipif(not os.path.exists(CHROMIUM), reason="needs Debian chromium (make test installs it)")


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@pytest.fixture
def new_page(browser):
    contexts = []

    def make():
        ctx = browser.new_context(locale="zh-CN")
        contexts.append(ctx)
        return ctx.new_page()

    yield make
    for ctx in contexts:
        ctx.close()


def login(page, console, role: str) -> str:
    name, _ = console.account(role)
    page.goto(console.url + "/console/queue")
    assert "/console/login" in page.url  # sent to the login page first
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    assert page.url.endswith("/console/queue")
    return name


def hold(console, text: str = PERSONAL) -> tuple[openai.OpenAI, str, str]:
    """A held request through the gateway: (client, incident id, ticket)."""
    api = openai.OpenAI(base_url=console.url + "/v1", api_key="k", max_retries=0, timeout=30)
    with pytest.raises(openai.PermissionDeniedError) as info:
        api.chat.completions.create(model="echo", messages=[{"role": "user", "content": text}])
    assert info.value.body["code"] == "held_for_review"
    headers = info.value.response.headers
    return api, headers["x-baomi-incident"], headers["x-baomi-ticket"]


def test_review_and_release_a_held_request_then_collect_the_answer(console, new_page):
    api, incident, ticket = hold(console)
    page = new_page()
    name = login(page, console, "reviewer")

    # filter the queue: held requests only
    page.select_option("select[name=status]", "held")
    page.select_option("select[name=category]", "personal_data")
    page.click("form.filters button[type=submit]")
    assert "status=held" in page.url and "category=personal_data" in page.url
    statuses = page.locator("table.queue tbody td:nth-child(4)").all_inner_texts()
    assert statuses and set(statuses) == {"待放行"}

    # open the incident: the findings are highlighted
    page.click(f'a[href="/console/incidents/{incident}"]')
    marks = page.locator("pre.document mark").all_inner_texts()
    assert "刘建华" in marks and "13912345678" in marks
    assert page.locator("pre.document mark.cat-personal_data").count() >= 2
    assert name in page.locator("#views").inner_text()  # the view is recorded and shown
    assert ticket in page.content()

    # while held, the member of staff is told to wait
    with pytest.raises(openai.PermissionDeniedError) as info:
        api.chat.completions.create(model="echo", messages=[{"role": "user", "content": PERSONAL}],
                                    extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.body["code"] == "hold_pending"

    page.click("button[value=release]")
    assert page.locator("#status").inner_text() == "已放行"
    assert "放行" in page.locator("#history").inner_text()

    status = httpx.get(f"{console.url}/v1/holds/{ticket}", timeout=30).json()
    assert status["ticket"] == ticket and status["status"] == "released"
    answer = api.chat.completions.create(model="echo", messages=[{"role": "user", "content": PERSONAL}],
                                         extra_headers={"X-Baomi-Ticket": ticket})
    assert answer.choices[0].message.content == PERSONAL  # forwarded as the reviewer saw it


def test_a_confirmed_hold_is_rejected(console, new_page):
    api, incident, ticket = hold(console, "请转告：收件人：王晓明，手机 13812345678")
    page = new_page()
    login(page, console, "admin")
    page.goto(f"{console.url}/console/incidents/{incident}")
    page.click("button[value=confirm]")
    assert page.locator("#status").inner_text() == "已确认"
    with pytest.raises(openai.PermissionDeniedError) as info:
        api.chat.completions.create(model="echo", messages=[{"role": "user", "content": "请转告：收件人：王晓明，手机 13812345678"}],
                                    extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.body["code"] == "hold_rejected"


def test_a_tampered_csrf_token_is_refused(console, new_page):
    incident = console.record(client=unique("c"))
    page = new_page()
    login(page, console, "reviewer")
    page.goto(f"{console.url}/console/incidents/{incident}")
    page.locator("form.act input[name=csrf]").evaluate("el => { el.value = el.value.slice(0, -2) + 'xx'; }")
    page.click("button[value=confirm]")
    assert "CSRF" in page.content() and "表单校验失败" in page.content()
    assert console.incidents.actions(incident) == []


def test_an_auditor_sees_no_release_button_and_a_forged_post_is_refused(console, new_page):
    _, incident, _ = hold(console, "联系人：赵丽娟，电话 13698765432")
    page = new_page()
    login(page, console, "auditor")
    page.goto(f"{console.url}/console/incidents/{incident}")
    assert page.locator("button[value=release]").count() == 0 and page.locator("form.act").count() == 0
    assert "13698765432" in page.locator("pre.document").inner_text()  # may read
    token = page.locator("input[name=csrf]").first.get_attribute("value")  # the logout form's valid token
    with page.expect_navigation():
        page.evaluate("""([url, token]) => {
            const f = document.createElement('form');
            f.method = 'post'; f.action = url;
            for (const [k, v] of [['csrf', token], ['action', 'release']]) {
                const i = document.createElement('input'); i.type = 'hidden'; i.name = k; i.value = v;
                f.appendChild(i);
            }
            document.body.appendChild(f); f.submit();
        }""", [f"/console/incidents/{incident}/act", token])
    assert "403" in page.title() and "无权" in page.content()
    assert console.incidents.actions(incident) == []


def test_language_switch(console, new_page):
    page = new_page()
    login(page, console, "reviewer")
    page.click("a.lang")
    assert page.locator("h1").inner_text() == "Incident queue"
    page.goto(console.url + "/console/dashboard")
    assert page.locator("h1").inner_text() == "Dashboard"  # remembered
    assert page.locator("svg.chart").count() >= 1
    assert re.search(r"lang=zh", page.locator("a.lang").get_attribute("href"))
