"""The organisation's own policy layer (policies/examples/org.yaml) through a running gateway."""
from __future__ import annotations

import httpx
import openai
import pytest

from tests.conftest import REPO

ORG = f"{REPO / 'policies' / 'default.yaml'}:{REPO / 'policies' / 'examples' / 'org.yaml'}"


@pytest.fixture(scope="module")
def org_gateway(double, start_gateway):
    return start_gateway(double.url + "/v1", policy=ORG)


@pytest.fixture(scope="module")
def org_client(org_gateway):
    return openai.OpenAI(base_url=org_gateway.url + "/v1", api_key="k", max_retries=0, timeout=30)


def test_code_name_blocked_with_the_organisations_message(org_client, upstream_log):
    with pytest.raises(openai.PermissionDeniedError) as info:
        org_client.chat.completions.create(model="gpt-4o-mini", messages=[
            {"role": "user", "content": "把天 穹 計 劃第三阶段的安排整理成表格"}])  # disguised code name
    msg = info.value.message
    assert info.value.body["code"] == "content_blocked"
    assert "8123" in msg and "project" in msg and info.value.response.headers["x-baomi-incident"] in msg
    assert "天穹" not in msg and upstream_log.requests == []


def test_staff_list_name_is_pseudonymised_and_restored(org_client, upstream_log):
    text = "请给欧阳明远写一封感谢信，感谢欧阳明远在项目中的付出。"  # no label: found by the staff list
    r = org_client.chat.completions.create(model="echo", messages=[{"role": "user", "content": text}])
    assert r.choices[0].message.content == text
    sent = upstream_log.requests[0].body.decode()
    assert "欧阳明远" not in sent and sent.count("〔人名1〕") == 2


def test_allow_listed_hotline_and_allowed_email_pass_unchanged(org_gateway, upstream_log):
    body = '{"model":"echo","messages":[{"role":"user","content":"热线 400-800-1234，邮箱 a.b@corp.example"}]}'
    r = httpx.post(org_gateway.url + "/v1/chat/completions", content=body.encode(),
                   headers={"content-type": "application/json"})
    assert r.status_code == 200
    assert upstream_log.requests[0].body == body.encode()


def test_own_pattern_recognizer_blocks(org_client, upstream_log):
    with pytest.raises(openai.PermissionDeniedError):
        org_client.chat.completions.create(model="gpt-4o-mini", messages=[
            {"role": "user", "content": "工单 OA-2026-001234 的处理意见请帮我润色"}])
    assert upstream_log.requests == []


def test_inspect_returns_the_redacted_text(org_gateway):
    d = httpx.post(org_gateway.url + "/v1/inspect", json={"text": "联系人：刘建华，手机 13912345678"}).json()
    assert d["action"] == "redact"
    assert d["redacted"] == "联系人：〔人名1〕，手机 〔手机号1〕"
    assert d["decided_by"]["rule"] == "categories.personal_data"
    assert d["decided_by"]["where"].startswith(str(REPO / "policies" / "default.yaml") + ":")
