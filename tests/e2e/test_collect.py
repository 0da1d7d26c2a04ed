"""Collecting a held request with its ticket: pending, released (plain, streamed, multipart), rejected, changed,
purged, someone else's; and `GET /v1/holds/{ticket}`. Real HTTP, the official SDK, the upstream double."""
from __future__ import annotations

import httpx
import openai
import pytest
from argon2 import PasswordHasher

from proxy.store.incidents import IncidentStore
from proxy.store.keys import load_evidence_key
from proxy.store.reviewers import ReviewerStore
from tests.conftest import REPO

HOLD_PERSONAL = "categories:\n  personal_data: {action: hold, threshold: 0.5}\n"
TEXT = "请帮我给客户写一封道歉信，收件人：刘建华，手机 13912345678。"


@pytest.fixture(scope="module")
def gw(double, start_gateway, tmp_path_factory):
    extra = tmp_path_factory.mktemp("collect") / "hold.yaml"
    extra.write_text(HOLD_PERSONAL, encoding="utf-8")
    return start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{extra}")


@pytest.fixture(scope="module")
def desk(gw):
    """The reviewer's side: the store and one reviewer (what the console does, without the browser)."""
    store = IncidentStore(gw.settings.store_url, load_evidence_key(gw.settings))
    people = ReviewerStore(gw.settings.store_url, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    reviewer = people.add("审核员-collect", "reviewer", "correct horse battery")
    people.close()
    yield store, reviewer.id
    store.close()


def sdk(gw) -> openai.OpenAI:
    return openai.OpenAI(base_url=gw.url + "/v1", api_key="k", max_retries=0, timeout=30)


def held_ticket(gw, **kw) -> tuple[str, str]:
    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}], **kw)
    assert info.value.body["code"] == "held_for_review"
    return info.value.response.headers["x-baomi-ticket"], info.value.response.headers["x-baomi-incident"]


def status_of(gw, ticket: str) -> httpx.Response:
    return httpx.get(f"{gw.url}/v1/holds/{ticket}", timeout=10)


def test_pending_then_released_then_collected(gw, desk, upstream_log):
    store, reviewer = desk
    ticket, incident = held_ticket(gw)
    assert status_of(gw, ticket).json()["status"] == "held"
    assert status_of(gw, ticket).json()["incident"] == incident
    ticketed = {"X-Baomi-Ticket": ticket}

    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                        extra_headers=ticketed)
    assert info.value.body["code"] == "hold_pending" and ticket in info.value.message
    assert upstream_log.requests == []

    store.act(incident, reviewer, "release", "客户要求，已核实")
    assert status_of(gw, ticket).json()["status"] == "released"

    with pytest.raises(openai.APIStatusError) as info:  # a released ticket does not release other content
        sdk(gw).chat.completions.create(model="gpt-4o-mini", extra_headers=ticketed,
                                        messages=[{"role": "user", "content": TEXT + "另外附上身份证号。"}])
    assert info.value.status_code == 409 and info.value.body["code"] == "ticket_mismatch"
    assert upstream_log.requests == []

    raw = sdk(gw).chat.completions.with_raw_response.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}], extra_headers=ticketed)
    answer = raw.parse()
    assert answer.choices[0].message.content
    assert raw.headers["x-baomi-ticket"] == ticket and raw.headers["x-baomi-incident"] == incident
    assert len(upstream_log.requests) == 1
    sent = upstream_log.requests[0]
    assert sent.json()["messages"][0]["content"] == TEXT  # exactly what the reviewer released
    assert "x-baomi-ticket" not in sent.headers  # baomi's own header is not passed on

    # collecting again (a dropped connection) works; each collection is audited as a release
    sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                    extra_headers=ticketed)
    assert len(upstream_log.requests) == 2
    rt = gw.server.config.app.state.rt
    rt.store.flush()
    assert sum(1 for r in rt.store.recent() if r["decision"] == "release") >= 2


def test_streamed_request_is_collected_as_a_stream(gw, desk, upstream_log):
    store, reviewer = desk
    ticket, incident = held_ticket(gw, stream=True)
    store.act(incident, reviewer, "release")
    stream = sdk(gw).chat.completions.create(model="gpt-4o-mini", stream=True, extra_headers={"X-Baomi-Ticket": ticket},
                                             messages=[{"role": "user", "content": TEXT}])
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text and len(upstream_log.requests) == 1


def test_rejected_hold_is_never_sent(gw, desk, upstream_log):
    store, reviewer = desk
    ticket, incident = held_ticket(gw)
    store.act(incident, reviewer, "confirm")
    assert status_of(gw, ticket).json()["status"] == "rejected"
    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                        extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.body["code"] == "hold_rejected"
    assert upstream_log.requests == []


def test_multipart_upload_is_collected_though_the_boundary_changes(gw, desk, upstream_log):
    store, reviewer = desk
    note = ("客户回访记录\n" + TEXT).encode("utf-8")
    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(gw).files.create(file=("note.txt", note, "text/plain"), purpose="assistants")
    assert info.value.body["code"] == "held_for_review"
    ticket = info.value.response.headers["x-baomi-ticket"]
    store.act(info.value.response.headers["x-baomi-incident"], reviewer, "release")
    with pytest.raises(openai.APIStatusError) as info:  # another file under the same ticket: refused
        sdk(gw).files.create(file=("note.txt", note + b"!", "text/plain"), purpose="assistants",
                             extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.body["code"] == "ticket_mismatch"
    sdk(gw).files.create(file=("note.txt", note, "text/plain"), purpose="assistants",
                         extra_headers={"X-Baomi-Ticket": ticket})
    assert len(upstream_log.requests) == 1 and note in upstream_log.requests[0].body


def test_bad_unknown_and_purged_tickets(gw, desk, upstream_log):
    store, reviewer = desk
    r = status_of(gw, "hold-nonsense")
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_ticket"
    r = status_of(gw, "hold-000000000000-0000000000000000")
    assert r.status_code == 404 and r.json()["error"]["code"] == "ticket_not_found"
    assert httpx.post(f"{gw.url}/v1/holds/hold-000000000000-0000000000000000", timeout=10).status_code == 405

    ticket, incident = held_ticket(gw)
    store.act(incident, reviewer, "release")
    purge_all = IncidentStore(gw.settings.store_url, None, clock=lambda: store._clock().replace(year=2999))
    assert purge_all.purge_evidence(older_than_days=1) >= 1
    purge_all.close()
    with pytest.raises(openai.APIStatusError) as info:
        sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                        extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.status_code == 410 and info.value.body["code"] == "hold_expired"
    assert upstream_log.requests == []


def test_another_clients_ticket_is_not_found(gw, desk, upstream_log, monkeypatch):
    """The ticket is bound to the client that was held (here the identity is faked: client keys are not
    configurable yet, so every caller is `anonymous`)."""
    from proxy import auth

    store, reviewer = desk
    ticket, incident = held_ticket(gw)
    store.act(incident, reviewer, "release")
    monkeypatch.setattr(auth, "client_of", lambda request: "someone-else")
    with pytest.raises(openai.NotFoundError) as info:
        sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                        extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.body["code"] == "ticket_not_found"
    assert status_of(gw, ticket).status_code == 404
    assert upstream_log.requests == []


def test_store_failure_fails_closed(gw, desk, upstream_log, monkeypatch):
    store, reviewer = desk
    ticket, incident = held_ticket(gw)
    store.act(incident, reviewer, "release")
    rt = gw.server.config.app.state.rt

    def broken(ticket):
        raise OSError("database gone")

    monkeypatch.setattr(rt.incidents, "by_ticket", broken)
    with pytest.raises(openai.PermissionDeniedError) as info:
        sdk(gw).chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}],
                                        extra_headers={"X-Baomi-Ticket": ticket})
    assert info.value.body["code"] == "inspection_failed"
    assert upstream_log.requests == []


def test_ocr_route_hold_is_collected_to_the_ocr_service(double, start_gateway, tmp_path, upstream_log):
    """An OCR-service route holds and collects like /v1: forwarded to the service, with the client's own
    headers and without baomi's X-Baomi-Ticket; a changed query string is a different request."""
    import json

    extra = tmp_path / "hold.yaml"
    extra.write_text(HOLD_PERSONAL, encoding="utf-8")
    gw = start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{extra}",
                       ocr_routes=f"tencent=tencent@{double.url}/ocr-service/tencent")
    body = json.dumps({"LanguageType": "zh", "Note": TEXT}, ensure_ascii=False).encode()
    headers = {"content-type": "application/json", "authorization": "TC3-HMAC-SHA256 Credential=x"}
    r = httpx.post(gw.url + "/ocr/tencent/?v=1", content=body, headers=headers, timeout=30)
    assert r.status_code == 403 and r.json()["error"]["code"] == "held_for_review"
    ticket = r.headers["x-baomi-ticket"]
    store = IncidentStore(gw.settings.store_url, load_evidence_key(gw.settings))
    people = ReviewerStore(gw.settings.store_url, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    try:
        store.act(r.headers["x-baomi-incident"], people.add("审核员-ocr", "admin", "correct horse battery").id,
                  "release")
    finally:
        store.close()
        people.close()
    ticketed = {**headers, "X-Baomi-Ticket": ticket}
    r = httpx.post(gw.url + "/ocr/tencent/?v=2", content=body, headers=ticketed, timeout=30)
    assert r.status_code == 409 and upstream_log.requests == []
    r = httpx.post(gw.url + "/ocr/tencent/?v=1", content=body, headers=ticketed, timeout=30)
    assert r.status_code == 200, r.text
    got = upstream_log.requests[0]
    assert got.path == "/ocr-service/tencent/" and got.body == body
    assert got.headers["authorization"] == "TC3-HMAC-SHA256 Credential=x" and "x-baomi-ticket" not in got.headers
