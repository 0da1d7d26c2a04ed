"""`baomi holds list` shows metadata only; `baomi holds show` prints evidence only to a reviewer who logs in
(and records the view); `baomi holds release / reject` are a reviewer's or an admin's, never an auditor's."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest
from argon2 import PasswordHasher

from proxy.cli import main
from proxy.settings import Settings
from proxy.store.incidents import IncidentRecord, IncidentStore, new_ticket
from proxy.store.keys import load_evidence_key
from proxy.store.migrate import upgrade
from proxy.store.reviewers import ReviewerStore

SECRET = "绝密★斑马计划 ZEBRA-7331"
PASSWORDS = {"alice": "alice-password-1", "audrey": "audrey-password-1", "adam": "adam-password-1"}
CST = timezone(timedelta(hours=8))


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("BAOMI_EVIDENCE_KEY", "BAOMI_EVIDENCE_KEY_FILE", "BAOMI_DATABASE_URL", "BAOMI_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def held(tmp_path):
    """A data dir as the server leaves it: a database with two holds and the key beside it."""
    settings = Settings.load(env={}, data_dir=str(tmp_path))
    upgrade(settings.store_url)
    store = IncidentStore(settings.store_url, load_evidence_key(settings, env={}))
    now = datetime.now(timezone.utc)
    old = IncidentRecord(ticket=new_ticket(), id="bm-1-aaa", ts=now - timedelta(seconds=60), client="anonymous",
                         endpoint="/v1/responses", model=None, decision="hold", status="released")
    new = IncidentRecord(ticket=new_ticket(), id="bm-2-bbb", ts=now, client="研发部-laptop", decision="hold",
                         endpoint="/v1/chat/completions", model="gpt-4o", categories=["secret_marking"],
                         rule_ids=["secret_marking.hold"])
    store.record(old, {"text": "old"})
    store.record(new, {"segments": [{"path": "messages[0].content", "text": SECRET}]})
    store.close()
    reviewers = ReviewerStore(settings.store_url, hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    for name, role in (("alice", "reviewer"), ("audrey", "auditor"), ("adam", "admin")):
        reviewers.add(name, role, PASSWORDS[name])
    reviewers.close()
    return str(tmp_path), old, new


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def history(data_dir: str, incident_id: str) -> tuple[str, list, list]:
    """(status, actions, views) as stored."""
    settings = Settings.load(env={}, data_dir=data_dir)
    store = IncidentStore(settings.store_url, None)
    try:
        (record,) = [r for r in store.query(decision="hold") if r.id == incident_id]
        return record.status, store.actions(incident_id), store.views(incident_id)
    finally:
        store.close()


def test_list_table(held, capsys):
    data_dir, old, new = held
    code, out, err = run(capsys, "holds", "list", "--data-dir", data_dir)
    assert code == 0 and err == ""
    header, first, second = out.splitlines()
    assert header.split() == ["ticket", "time", "client", "endpoint", "model", "categories", "status"]
    assert first.split()[0] == new.ticket and "研发部-laptop" in first and "secret_marking" in first
    assert second.split()[0] == old.ticket and "released" in second
    assert "斑马" not in out and "ZEBRA" not in out


def test_list_json_status_limit(held, capsys):
    data_dir, old, new = held
    code, out, _ = run(capsys, "holds", "list", "--data-dir", data_dir, "--json")
    rows = json.loads(out)
    assert code == 0 and [r["ticket"] for r in rows] == [new.ticket, old.ticket]
    assert rows[0]["client"] == "研发部-laptop" and "evidence" not in rows[0]
    assert rows[0]["time"] == new.ts.astimezone(CST).isoformat(timespec="seconds")
    code, out, _ = run(capsys, "holds", "list", "--data-dir", data_dir, "--json", "--status", "released")
    assert [r["ticket"] for r in json.loads(out)] == [old.ticket]
    code, out, _ = run(capsys, "holds", "list", "--data-dir", data_dir, "--json", "--limit", "1")
    assert [r["ticket"] for r in json.loads(out)] == [new.ticket]
    code, out, _ = run(capsys, "holds", "list", "--data-dir", data_dir, "--status", "rejected")
    assert code == 0 and "no held requests" in out


def test_database_url_option(held, capsys):
    data_dir, _, new = held
    code, out, _ = run(capsys, "holds", "list", "--data-dir", "/nonexistent",
                       "--database-url", f"sqlite:///{data_dir}/baomi.db", "--json")
    assert code == 0 and json.loads(out)[0]["ticket"] == new.ticket


def test_list_limit_must_be_positive(held, capsys):
    data_dir, _, _ = held
    code, out, err = run(capsys, "holds", "list", "--data-dir", data_dir, "--limit", "0")
    assert code == 2 and out == "" and "正整数" in err and "positive" in err


def test_show_without_a_reviewer_has_no_evidence(held, capsys):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir)
    doc = json.loads(out)
    assert code == 0 and "evidence" not in doc
    assert doc["ticket"] == new.ticket and doc["status"] == "held" and doc["categories"] == ["secret_marking"]
    assert doc["actions"] == [] and doc["evidence_views"] == [] and "stored" in doc["evidence_state"]
    assert "斑马" not in out and "ZEBRA" not in out
    assert "--reviewer NAME --password-stdin" in err and "未显示证据" in err
    assert history(data_dir, new.id)[2] == []


def test_show_prints_evidence_to_a_reviewer_and_records_the_view(held, capsys, monkeypatch):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir, "--reviewer", "audrey",
                         "--password-stdin", stdin=PASSWORDS["audrey"] + "\n", monkeypatch=monkeypatch)
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["evidence"]["segments"][0]["text"] == SECRET
    assert SECRET in out  # ensure_ascii=False: readable Chinese, not \u escapes
    assert [v["reviewer"] for v in doc["evidence_views"]] == ["audrey"]
    views = history(data_dir, new.id)[2]
    assert len(views) == 1


def test_show_evidence_needs_the_password(held, capsys, monkeypatch):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir, "--evidence")
    assert code == 2 and out == "" and "--reviewer" in err
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir, "--reviewer", "alice",
                         "--password-stdin", stdin="wrong-password\n", monkeypatch=monkeypatch)
    assert code == 1 and out == "" and SECRET not in err
    assert "密码错误" in err and "wrong reviewer name or password" in err
    assert history(data_dir, new.id)[2] == []


def test_show_unknown_ticket(held, capsys):
    data_dir, _, _ = held
    code, out, err = run(capsys, "holds", "show", "hold-unknown", "--data-dir", data_dir)
    assert code == 1 and out == ""
    assert "未找到" in err and "no held request" in err and "hold-unknown" in err


def test_show_with_the_wrong_key(held, capsys, monkeypatch):
    data_dir, _, new = held
    monkeypatch.setenv("BAOMI_EVIDENCE_KEY", "A" * 43 + "=")
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir, "--reviewer", "alice",
                         "--password-stdin", stdin=PASSWORDS["alice"] + "\n", monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "wrong key" in err
    assert history(data_dir, new.id)[2] == []


def test_release_changes_status_and_records_the_action(held, capsys, monkeypatch):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "release", new.ticket, "--data-dir", data_dir, "--reviewer", "alice",
                         "--password-stdin", "--comment", "客户同意", stdin=PASSWORDS["alice"] + "\n",
                         monkeypatch=monkeypatch)
    assert code == 0 and err == ""
    assert "已放行" in out and "released" in out
    assert f"X-Baomi-Ticket: {new.ticket}" in out and f"GET /v1/holds/{new.ticket}" in out
    status, actions, views = history(data_dir, new.id)
    assert status == "released" and views == []  # releasing shows no evidence
    assert [(a["action"], a["comment"]) for a in actions] == [("release", "客户同意")]
    code, out, _ = run(capsys, "holds", "list", "--data-dir", data_dir, "--json", "--status", "released")
    assert new.ticket in [r["ticket"] for r in json.loads(out)]
    # a second release is refused with the store's reason
    code, out, err = run(capsys, "holds", "release", new.ticket, "--data-dir", data_dir, "--reviewer", "adam",
                         "--password-stdin", stdin=PASSWORDS["adam"] + "\n", monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "cannot release an incident that is released" in err
    assert len(history(data_dir, new.id)[1]) == 1


def test_auditor_cannot_release_or_reject(held, capsys, monkeypatch):
    data_dir, _, new = held
    for verb, words in (("release", "审计员不能放行 / an auditor cannot release"),
                        ("reject", "审计员不能驳回 / an auditor cannot reject")):
        code, out, err = run(capsys, "holds", verb, new.ticket, "--data-dir", data_dir, "--reviewer", "audrey",
                             "--password-stdin", stdin=PASSWORDS["audrey"] + "\n", monkeypatch=monkeypatch)
        assert code == 1 and out == "" and words in err
    assert history(data_dir, new.id)[:2] == ("held", [])


def test_release_needs_the_right_password(held, capsys, monkeypatch):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "release", new.ticket, "--data-dir", data_dir, "--reviewer", "alice",
                         "--password-stdin", stdin="wrong-password\n", monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "密码错误" in err and "wrong reviewer name or password" in err
    code, out, err = run(capsys, "holds", "release", new.ticket, "--data-dir", data_dir)
    assert code == 2 and "--reviewer" in err  # argparse: the reviewer is required
    code, out, err = run(capsys, "holds", "release", "hold-unknown", "--data-dir", data_dir, "--reviewer", "alice",
                         "--password-stdin", stdin=PASSWORDS["alice"] + "\n", monkeypatch=monkeypatch)
    assert code == 1 and "no held request with ticket hold-unknown" in err
    assert history(data_dir, new.id)[:2] == ("held", [])


def test_reject_is_final(held, capsys, monkeypatch):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "reject", new.ticket, "--data-dir", data_dir, "--reviewer", "adam",
                         "--password-stdin", stdin=PASSWORDS["adam"] + "\n", monkeypatch=monkeypatch)
    assert code == 0 and "已驳回" in out and "rejected" in out and "never be forwarded" in out
    status, actions, _ = history(data_dir, new.id)
    assert status == "confirmed" and [a["action"] for a in actions] == ["confirm"]
    code, out, _ = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir)
    assert json.loads(out)["status"] == "rejected"
    code, out, err = run(capsys, "holds", "release", new.ticket, "--data-dir", data_dir, "--reviewer", "alice",
                         "--password-stdin", stdin=PASSWORDS["alice"] + "\n", monkeypatch=monkeypatch)
    assert code == 1 and "cannot release" in err


def test_missing_state_is_reported_not_created(tmp_path, capsys, monkeypatch):
    empty = tmp_path / "elsewhere"
    code, out, err = run(capsys, "holds", "list", "--data-dir", str(empty))
    assert code == 1 and "no database" in err and "不存在" in err
    code, out, err = run(capsys, "holds", "show", "hold-x", "--data-dir", str(empty))
    assert code == 1 and "no database" in err
    code, out, err = run(capsys, "holds", "show", "hold-x", "--data-dir", str(empty), "--reviewer", "alice",
                         "--password-stdin", stdin="x\n", monkeypatch=monkeypatch)
    assert code == 1 and "evidence key file" in err
    code, out, err = run(capsys, "holds", "release", "hold-x", "--data-dir", str(empty), "--reviewer", "alice",
                         "--password-stdin", stdin="x\n", monkeypatch=monkeypatch)
    assert code == 1 and "no database" in err
    assert not empty.exists()
