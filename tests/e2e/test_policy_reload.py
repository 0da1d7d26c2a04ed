"""Hot reload through a running gateway: good -> broken -> good while requests flow.

A broken file must never loosen enforcement: every request carrying the organisation's code name is
refused from the moment the strict policy is in force, through every broken edit, until the end.
"""
from __future__ import annotations

import shutil
import threading
import time

import httpx
import openai
import pytest

from tests.conftest import REPO

STRICT = """
categories:
  project: {action: block, threshold: 0.6}
recognizers:
  - name: project_codenames
    entity: PROJECT_CODE
    category: project
    keywords: [天穹计划]
"""
BROKEN = [
    "categories:\n  project: {action: block\n",                     # YAML syntax
    "categories:\n  project: {action: blok}\n",                     # bad action
    STRICT.replace("keywords", "keywrods"),                          # unknown key
    "categories:\n  project: {action: block}\n",                     # category nobody produces
]
CODE_NAME_PROMPT = "请把天穹计划的进度写成一段周报。"


def _wait(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def _ready(gw) -> dict:
    return httpx.get(gw.url + "/readyz").json()


@pytest.fixture
def policy_dir(tmp_path):
    d = tmp_path / "policies.d"
    d.mkdir()
    shutil.copy(REPO / "policies" / "default.yaml", d / "00-default.yaml")
    return d


def test_reload_good_broken_good_while_requests_flow(double, start_gateway, policy_dir, upstream_log):
    gw = start_gateway(double.url + "/v1", policy=str(policy_dir), policy_reload_interval=0.1)
    c = openai.OpenAI(base_url=gw.url + "/v1", api_key="k", max_retries=0, timeout=30)

    # before: the code name is just text
    c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": CODE_NAME_PROMPT}])
    assert len(upstream_log.requests) == 1

    org = policy_dir / "50-org.yaml"
    org.write_text(STRICT, encoding="utf-8")
    _wait(lambda: any("50-org.yaml" in s for s in _ready(gw)["policy"]["sources"]))
    upstream_log.clear()

    outcomes: list[int] = []
    stop = threading.Event()

    def traffic() -> None:
        with httpx.Client(base_url=gw.url, timeout=30) as h:
            while not stop.is_set():
                r = h.post("/v1/chat/completions", json={
                    "model": "gpt-4o-mini", "messages": [{"role": "user", "content": CODE_NAME_PROMPT}]})
                outcomes.append(r.status_code)

    worker = threading.Thread(target=traffic)
    worker.start()
    try:
        for broken in BROKEN:
            org.write_text(broken, encoding="utf-8")
            _wait(lambda: _ready(gw)["policy"]["error"] is not None)
            state = _ready(gw)
            assert state["status"] == "degraded" and "50-org.yaml" in state["policy"]["error"]
            org.write_text(STRICT + f"# edit {len(outcomes)}\n", encoding="utf-8")
            _wait(lambda: _ready(gw)["policy"]["error"] is None)
            assert _ready(gw)["status"] == "ready"
        n_before = len(outcomes)
        _wait(lambda: len(outcomes) > n_before + 3)
    finally:
        stop.set()
        worker.join()
    assert len(outcomes) > 10
    assert set(outcomes) == {403}, "a request was let through while the policy was reloading"
    assert not any("天穹计划" in r.body.decode() for r in upstream_log.requests)


def test_deleted_policy_file_keeps_last_good(double, start_gateway, tmp_path, upstream_log):
    policy = tmp_path / "only.yaml"
    shutil.copy(REPO / "policies" / "default.yaml", policy)
    gw = start_gateway(double.url + "/v1", policy=str(policy), policy_reload_interval=0.1)
    policy.unlink()
    _wait(lambda: _ready(gw)["policy"]["error"] is not None)
    assert "not found" in _ready(gw)["policy"]["error"]
    r = httpx.post(gw.url + "/v1/chat/completions", json={
        "model": "gpt-4o-mini", "messages": [{"role": "user", "content": "机密★1年\n关于某项工作的通知\n各单位："}]})
    assert r.status_code == 403 and upstream_log.requests == []


def test_no_request_field_or_header_selects_the_policy(gateway, upstream_log):
    """Headers and unknown fields naming a policy are ignored; the block still happens."""
    r = httpx.post(gateway.url + "/v1/chat/completions",
                   headers={"X-Baomi-Policy": "allow-all", "X-Baomi-Bypass": "1", "X-Baomi-Client": "admin"},
                   json={"model": "gpt-4o-mini", "policy": {"categories": {}}, "baomi": {"restore": False},
                         "messages": [{"role": "user", "content": "机密★1年\n关于某项工作的通知\n各单位："}]})
    assert r.status_code == 403 and upstream_log.requests == []
