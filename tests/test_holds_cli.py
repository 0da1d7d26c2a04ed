"""`baomi holds list` shows metadata only; `baomi holds show` is the one place evidence is printed."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from proxy.cli import main
from proxy.settings import Settings
from proxy.store.incidents import IncidentRecord, IncidentStore, new_ticket
from proxy.store.keys import load_evidence_key
from proxy.store.migrate import upgrade

SECRET = "绝密★斑马计划 ZEBRA-7331"


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
    return str(tmp_path), old, new


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


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
    assert rows[0]["time"] == new.ts.astimezone().isoformat(timespec="seconds")
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


def test_show_prints_record_and_evidence(held, capsys):
    data_dir, _, new = held
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir)
    doc = json.loads(out)
    assert code == 0 and err == ""
    assert doc["ticket"] == new.ticket and doc["status"] == "held" and doc["categories"] == ["secret_marking"]
    assert doc["evidence"]["segments"][0]["text"] == SECRET
    assert SECRET in out  # ensure_ascii=False: readable Chinese, not \u escapes


def test_show_unknown_ticket(held, capsys):
    data_dir, _, _ = held
    code, out, err = run(capsys, "holds", "show", "hold-unknown", "--data-dir", data_dir)
    assert code == 1 and out == ""
    assert "未找到" in err and "no held request" in err and "hold-unknown" in err


def test_show_with_the_wrong_key(held, capsys, monkeypatch):
    data_dir, _, new = held
    monkeypatch.setenv("BAOMI_EVIDENCE_KEY", "A" * 43 + "=")
    code, out, err = run(capsys, "holds", "show", new.ticket, "--data-dir", data_dir)
    assert code == 1 and out == "" and "wrong key" in err


def test_missing_state_is_reported_not_created(tmp_path, capsys):
    empty = tmp_path / "elsewhere"
    code, out, err = run(capsys, "holds", "list", "--data-dir", str(empty))
    assert code == 1 and "no database" in err and "不存在" in err
    code, out, err = run(capsys, "holds", "show", "hold-x", "--data-dir", str(empty))
    assert code == 1 and "evidence key file" in err
    assert not empty.exists()
