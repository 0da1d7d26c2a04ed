"""Console fixtures: one gateway (default policy + personal data held) shared by the console tests, cheap
argon2 hashes for the accounts they create, and a logged-in httpx client per account.

Tests share the gateway's database, so each one isolates its rows by a client name of its own
(``unique("c")``) and filters the queue by it.
"""
from __future__ import annotations

import re
import uuid
from typing import Any, Iterator

import httpx
import pytest
from argon2 import PasswordHasher

from proxy.store.incidents import IncidentRecord, IncidentStore
from proxy.store.keys import load_evidence_key
from proxy.store.reviewers import ReviewerStore
from tests.conftest import REPO

HOLD_PERSONAL = "categories:\n  personal_data: {action: hold}\n"
MARKED = "机密★5年\n东川市应急管理局\n关于重点目标防护方案的报告\n各区应急管理局：\n现将防护方案印发给你们。"
PERSONAL = "收件人：刘建华，手机 13912345678"
PASSWORD = "correct horse battery"
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def csrf_of(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no csrf field on the page"
    return m.group(1)


class Console:
    """The gateway under test, with helpers to make accounts, incidents and logged-in clients."""

    def __init__(self, gw: Any) -> None:
        self.gw = gw
        self.url = gw.url
        self.settings = gw.settings
        self.reviewers = ReviewerStore(gw.settings.store_url, hasher=CHEAP)
        self.incidents = IncidentStore(gw.settings.store_url, load_evidence_key(gw.settings))
        self._clients: list[httpx.Client] = []

    def account(self, role: str) -> tuple[str, Any]:
        name = unique(role)
        return name, self.reviewers.add(name, role, PASSWORD)

    def client(self) -> httpx.Client:
        c = httpx.Client(base_url=self.url, timeout=30)
        self._clients.append(c)
        return c

    def login(self, name: str, password: str = PASSWORD, client: httpx.Client | None = None) -> httpx.Response:
        c = client or self.client()
        page = c.get("/console/login")
        return c.post("/console/login", data={"name": name, "password": password, "csrf": csrf_of(page.text)})

    def session(self, role: str) -> tuple[httpx.Client, str]:
        """A client logged in as a new account of ``role``; returns (client, name)."""
        name, _ = self.account(role)
        c = self.client()
        r = self.login(name, client=c)
        assert r.status_code == 303, r.text
        return c, name

    def record(self, *, client: str, decision: str = "block", document: str = MARKED,
               evidence: list[dict] | None = None, **kw: Any) -> str:
        incident_id = unique("bm")
        rec = IncidentRecord(id=incident_id, client=client, endpoint="/v1/chat/completions", decision=decision,
                             categories=kw.pop("categories", ["secret_marking"]),
                             recognizers=kw.pop("recognizers", ["CnClassificationRecognizer"]),
                             ticket=kw.pop("ticket", None) or (f"hold-test-{uuid.uuid4().hex}" if decision == "hold"
                                                               else None), **kw)
        if evidence is None:
            evidence = [{"entity": "CN_CLASSIFICATION_MARKING", "start": 0, "end": 5, "score": 0.98,
                         "recognizer": "CnClassificationRecognizer", "category": "secret_marking",
                         "why": "marking", "text": document[0:5]}]
        self.incidents.record(rec, {"request": {}, "document": document, "decision": {}, "evidence": evidence})
        return incident_id

    def close(self) -> None:
        for c in self._clients:
            c.close()
        self.reviewers.close()
        self.incidents.close()


@pytest.fixture(scope="package")
def console_gw(double, start_gateway, tmp_path_factory):
    extra = tmp_path_factory.mktemp("console-policy") / "hold.yaml"
    extra.write_text(HOLD_PERSONAL, encoding="utf-8")
    return start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{extra}")


@pytest.fixture(scope="package")
def console(console_gw) -> Iterator[Console]:
    c = Console(console_gw)
    yield c
    c.close()
