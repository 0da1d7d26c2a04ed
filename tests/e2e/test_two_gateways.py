"""Two gateway PROCESSES sharing one PostgreSQL (and one evidence key): each sees the other's incidents and
holds, a hold made on one is released by a reviewer on the other's console and collected on the first, and a
console session made on one is accepted by the other.

Real processes (``python -m proxy serve``), started at the same moment so that they also migrate the empty
schema concurrently; real HTTP on loopback; the official SDK for the member of staff.
"""
from __future__ import annotations

import base64
import os
import re
import socket
import subprocess
import sys
import time
from typing import Iterator

import httpx
import openai
import pytest
from argon2 import PasswordHasher

from proxy.console.auth import LOGIN_CSRF_COOKIE
from proxy.store.incidents import IncidentStore
from proxy.store.reviewers import ReviewerStore
from tests.conftest import REPO
from tests.store.conftest import pg_schema

TEXT = "请帮我给客户写一封道歉信，收件人：刘建华，手机 13912345678。"
MARKED = "机密★5年\n东川市应急管理局\n关于重点目标防护方案的报告\n各区应急管理局：\n现将防护方案印发给你们。"
KEY = os.urandom(32)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def pair(double, tmp_path_factory) -> Iterator[tuple[str, str, str]]:
    hold_policy = tmp_path_factory.mktemp("pair") / "hold.yaml"
    hold_policy.write_text("categories:\n  personal_data: {action: hold, threshold: 0.5}\n", encoding="utf-8")
    with pg_schema() as url:
        procs, urls = [], []
        for name in ("a", "b"):
            port = _port()
            env = {**os.environ, "BAOMI_DATABASE_URL": url, "BAOMI_EVIDENCE_KEY": base64.b64encode(KEY).decode(),
                   "BAOMI_POLICY": f"{REPO / 'policies' / 'default.yaml'}:{hold_policy}",
                   "BAOMI_POLICY_RELOAD_INTERVAL": "0", "BAOMI_LOG_LEVEL": "warning"}
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "proxy", "serve", "--port", str(port), "--upstream", double.url + "/v1",
                 "--data-dir", str(tmp_path_factory.mktemp(f"gw-{name}"))],
                cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT))
            urls.append(f"http://127.0.0.1:{port}")
        try:
            deadline = time.monotonic() + 180
            for proc, base in zip(procs, urls):
                while True:
                    try:
                        if httpx.get(base + "/readyz", timeout=5).status_code == 200:
                            break
                    except httpx.TransportError:
                        pass
                    assert proc.poll() is None and time.monotonic() < deadline, proc.stdout.read().decode()
                    time.sleep(0.3)
            yield url, urls[0], urls[1]
        finally:
            for proc in procs:
                proc.terminate()
            for proc in procs:
                proc.wait(30)


def sdk(base: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=base + "/v1", api_key="k", max_retries=0, timeout=60)


def console_login(base: str, db_url: str, name: str) -> httpx.Client:
    """A reviewer logged in to the console of gateway ``base`` (the account is in the shared database)."""
    people = ReviewerStore(db_url, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    people.add(name, "reviewer", "correct horse battery")
    people.close()
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/console/login")
    r = client.post("/console/login", data={"name": name, "password": "correct horse battery",
                                            "csrf": client.cookies.get(LOGIN_CSRF_COOKIE), "next": "/console/queue"})
    assert r.status_code == 303, r.text
    return client


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no csrf field on the page"
    return m.group(1)


def test_each_sees_the_others_incidents_holds_and_releases(pair, upstream_log):
    db_url, a, b = pair
    # a block on B is an incident in the shared store, readable with the shared key
    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(b).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": MARKED}])
    blocked = info.value.response.headers["x-baomi-incident"]
    store = IncidentStore(db_url, KEY)
    try:
        record, evidence = store.get(blocked)
        assert record.decision == "block" and MARKED in evidence["document"]
    finally:
        store.close()

    # a hold on A: B knows the ticket
    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(a).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}])
    ticket = info.value.response.headers["x-baomi-ticket"]
    incident = info.value.response.headers["x-baomi-incident"]
    assert httpx.get(f"{b}/v1/holds/{ticket}", timeout=10).json()["status"] == "held"

    # the reviewer works on B's console: A's hold is in its queue, and the release is made there
    reviewer = console_login(b, db_url, "审核员-pair")
    assert incident in reviewer.get("/console/queue", params={"status": "held"}).text
    detail = reviewer.get(f"/console/incidents/{incident}")
    assert detail.status_code == 200 and "<mark" in detail.text and "刘建华" in detail.text
    r = reviewer.post(f"/console/incidents/{incident}/act",
                      data={"action": "release", "comment": "核实无误", "csrf": csrf_of(detail.text)})
    assert r.status_code == 303
    assert httpx.get(f"{a}/v1/holds/{ticket}", timeout=10).json()["status"] == "released"

    # and a session made on B is accepted by A (sessions live in the shared database): B's block is there too
    session = dict(reviewer.cookies)
    with httpx.Client(base_url=a, timeout=30, cookies=session) as on_a:
        assert blocked in on_a.get("/console/queue").text
    reviewer.close()

    answer = sdk(a).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                            extra_headers={"X-Baomi-Ticket": ticket})  # collected on A
    assert answer.choices[0].message.content
    assert [r.json()["messages"][0]["content"] for r in upstream_log.requests] == [TEXT]
