"""`hold`: the request is kept (evidence encrypted at rest), the client gets 403 held_for_review + ticket."""
from __future__ import annotations

import io
import json
import os
import stat

import openai
import pytest
from argon2 import PasswordHasher

from proxy.cli import main
from proxy.store.reviewers import ReviewerStore
from tests.conftest import REPO

HOLD_PERSONAL = "categories:\n  personal_data: {action: hold, threshold: 0.5}\n"
TEXT = "请帮我给客户写一封道歉信，收件人：刘建华，手机 13912345678。"


@pytest.fixture(scope="module")
def hold_gateway(double, start_gateway, tmp_path_factory):
    extra = tmp_path_factory.mktemp("hold") / "hold.yaml"
    extra.write_text(HOLD_PERSONAL, encoding="utf-8")
    return start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{extra}")


def test_held_request_is_refused_with_a_ticket_and_stored_encrypted(hold_gateway, upstream_log, capsys,
                                                                     monkeypatch):
    c = openai.OpenAI(base_url=hold_gateway.url + "/v1", api_key="k", max_retries=0, timeout=30)
    with pytest.raises(openai.PermissionDeniedError) as info:
        c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}])
    err = info.value
    assert err.body["code"] == "held_for_review"
    ticket = err.response.headers["x-baomi-ticket"]
    assert ticket.startswith("hold-") and ticket in err.message
    assert err.response.headers["x-baomi-incident"]
    assert "刘建华" not in err.message and "13912345678" not in err.message
    assert upstream_log.requests == []

    data_dir = hold_gateway.settings.data_dir
    key_file = os.path.join(data_dir, "evidence.key")
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600

    # at rest: no plaintext anywhere in the database files
    for name in os.listdir(data_dir):
        if name.startswith("baomi.db"):
            raw = open(os.path.join(data_dir, name), "rb").read()
            assert "刘建华".encode() not in raw and b"13912345678" not in raw

    assert main(["holds", "list", "--data-dir", data_dir, "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["ticket"] for r in rows] == [ticket]
    assert rows[0]["categories"] == ["personal_data"] and rows[0]["status"] == "held"

    assert main(["holds", "show", ticket, "--data-dir", data_dir]) == 0
    assert "evidence" not in json.loads(capsys.readouterr().out)  # metadata only without a reviewer

    reviewers = ReviewerStore(hold_gateway.settings.store_url,
                              hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    reviewers.add("e2e-reviewer", "reviewer", "e2e-password-1")
    reviewers.close()
    monkeypatch.setattr("sys.stdin", io.StringIO("e2e-password-1\n"))
    assert main(["holds", "show", ticket, "--data-dir", data_dir, "--reviewer", "e2e-reviewer",
                 "--password-stdin"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [v["reviewer"] for v in shown["evidence_views"]] == ["e2e-reviewer"]  # the view is recorded
    assert "刘建华" in shown["evidence"]["document"]
    assert {e["text"] for e in shown["evidence"]["evidence"]} >= {"刘建华", "13912345678"}
    assert json.loads(shown["evidence"]["request"]["body"])["messages"][0]["content"] == TEXT


def test_block_wins_over_hold(hold_gateway, upstream_log):
    c = openai.OpenAI(base_url=hold_gateway.url + "/v1", api_key="k", max_retries=0, timeout=30)
    with pytest.raises(openai.PermissionDeniedError) as info:
        c.chat.completions.create(model="gpt-4o-mini", messages=[
            {"role": "user", "content": "机密★1年\n关于某项工作的通知\n各单位：\n" + TEXT}])
    assert info.value.body["code"] == "content_blocked"
    assert upstream_log.requests == []


def test_hold_that_cannot_be_stored_is_still_not_forwarded(hold_gateway, upstream_log, monkeypatch, caplog):
    rt = hold_gateway.server.config.app.state.rt

    def broken_record(record, evidence):
        raise OSError("disk full")

    monkeypatch.setattr(rt.incidents, "record", broken_record)
    c = openai.OpenAI(base_url=hold_gateway.url + "/v1", api_key="k", max_retries=0, timeout=30)
    with caplog.at_level("INFO"):
        with pytest.raises(openai.PermissionDeniedError) as info:
            c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": TEXT}])
    assert info.value.body["code"] == "inspection_failed"
    assert "x-baomi-ticket" not in info.value.response.headers
    assert upstream_log.requests == []
    assert "刘建华" not in caplog.text and "13912345678" not in caplog.text
