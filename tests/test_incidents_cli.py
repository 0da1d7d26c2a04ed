"""`baomi incidents list / show / export`: metadata without the key; evidence only for a reviewer who logs in,
and every such view recorded; export walks every matching row page by page."""
from __future__ import annotations

import csv
import io
import json
from datetime import datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from proxy import cli_store, incidents_cli
from proxy.cli import main
from proxy.settings import Settings
from proxy.store import incidents as incidents_mod
from proxy.store.incidents import IncidentRecord, IncidentStore, new_ticket
from proxy.store.keys import load_evidence_key
from proxy.store.migrate import upgrade
from proxy.store.reviewers import ReviewerStore
from proxy.store.schema import incidents as incidents_table
from tests.store.conftest import pg_schema

SECRET = "绝密★斑马计划 ZEBRA-7331"
PASSWORDS = {"alice": "alice-password-1", "audrey": "audrey-password-1", "adam": "adam-password-1"}
CHEAP = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("BAOMI_EVIDENCE_KEY", "BAOMI_EVIDENCE_KEY_FILE", "BAOMI_DATABASE_URL", "BAOMI_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


INCIDENTS = [  # oldest first; ids sort like their times
    IncidentRecord(id="bm-d", ts=at("2024-04-30T23:59:59+08:00"), client="anonymous", decision="block",
                   endpoint="/v1/chat/completions", categories=["credentials"], status="false_positive"),
    IncidentRecord(id="bm-a", ts=at("2024-05-01T09:00:00+08:00"), client="研发部-laptop", department="研发部",
                   decision="block", endpoint="/v1/chat/completions", model="gpt-4o",
                   upstream="https://api.openai.com/v1", categories=["secret_marking"],
                   rule_ids=["categories.secret_marking"], recognizers=["CnClassificationRecognizer"]),
    IncidentRecord(id="bm-b", ts=at("2024-05-01T23:30:00+08:00"), client="财务-pc", department="财务部",
                   decision="hold", ticket=new_ticket(), endpoint="/v1/responses",
                   upstream="https://api.deepseek.com/v1", categories=["personal_data"]),
    IncidentRecord(id="bm-c", ts=at("2024-05-02T00:10:00+08:00"), client="anonymous", decision="block",
                   endpoint="/v1/chat/completions", categories=["personal_data", "secret_marking"],
                   status="confirmed"),
]


@pytest.fixture
def state(tmp_path):
    """A data dir as the server leaves it (database, key) with four incidents and three console accounts."""
    settings = Settings.load(env={}, data_dir=str(tmp_path))
    upgrade(settings.store_url)
    store = IncidentStore(settings.store_url, load_evidence_key(settings, env={}))
    for r in INCIDENTS:
        text = SECRET if r.id == "bm-a" else f"evidence of {r.id}"
        store.record(r, {"document": text, "evidence": [{"entity": "X", "text": text}]})
    store.close()
    reviewers = ReviewerStore(settings.store_url, hasher=CHEAP)
    ids = {name: reviewers.add(name, role, PASSWORDS[name]).id
           for name, role in (("alice", "reviewer"), ("audrey", "auditor"), ("adam", "admin"))}
    reviewers.close()
    return str(tmp_path), settings, ids


def run(capsys, *argv: str, stdin: str | None = None, monkeypatch=None) -> tuple[int, str, str]:
    if stdin is not None:
        monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse: usage errors exit 2
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def ids_of(capsys, data_dir: str, *filters: str) -> list[str]:
    code, out, err = run(capsys, "incidents", "list", "--data-dir", data_dir, "--json", *filters)
    assert code == 0, err
    return [r["id"] for r in json.loads(out)]


def bulk(url: str, records: list[IncidentRecord]) -> None:
    """Many incidents in one transaction (as ``IncidentStore.record`` writes them, without evidence)."""
    rows = []
    for r in records:
        row = r.to_json()
        row.update(ts=r.ts, categories=json.dumps(r.categories), rule_ids=json.dumps(r.rule_ids),
                   recognizers=json.dumps(r.recognizers), evidence=None, evidence_purged_at=None)
        rows.append(row)
    engine = sa.create_engine(url)
    with engine.begin() as conn:
        conn.execute(incidents_table.insert(), rows)
    engine.dispose()


def many(n: int) -> list[IncidentRecord]:
    """``n`` incidents, seven to a timestamp, so pages end in the middle of equal times (keyset on ts, id)."""
    base = at("2024-03-01T12:00:00+08:00")
    return [IncidentRecord(id=f"bm-many-{i:05d}", ts=base - timedelta(seconds=i // 7), client=f"client-{i % 3}",
                           decision="hold" if i % 5 == 0 else "block", endpoint="/v1/chat/completions",
                           categories=["personal_data", "credentials"] if i % 2 else ["secret_marking"],
                           ticket=f"hold-many-{i}" if i % 5 == 0 else None)
            for i in range(n)]


def newest_first(records: list[IncidentRecord]) -> list[str]:
    return [r.id for r in sorted(records, key=lambda r: (r.ts, r.id), reverse=True)]


# --- list -----------------------------------------------------------------------------------------------

def test_list_table_newest_first_without_evidence(state, capsys):
    data_dir, _, _ = state
    code, out, err = run(capsys, "incidents", "list", "--data-dir", data_dir)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split() == list(incidents_cli.COLUMNS)
    assert [line.split()[0] for line in lines[1:]] == ["bm-c", "bm-b", "bm-a", "bm-d"]
    a = next(line for line in lines if line.startswith("bm-a"))
    assert "2024-05-01T09:00:00+08:00" in a and "研发部-laptop" in a and "secret_marking" in a
    # East-Asian width: the column after the (partly Chinese) client column starts at the same screen column
    starts = {cli_store.width(line[:line.index("/v1/")]) for line in lines[1:]}
    assert len(starts) == 1
    assert "斑马" not in out and "ZEBRA" not in out and "evidence of" not in out


def test_list_does_not_need_the_key(state, capsys):
    data_dir, settings, _ = state
    (settings.data_path / "evidence.key").unlink()
    assert ids_of(capsys, data_dir, "--limit", "1") == ["bm-c"]


def test_list_filters(state, capsys):
    data_dir, _, _ = state
    # dates are whole days at UTC+08:00; --until DATE includes that day
    assert ids_of(capsys, data_dir, "--since", "2024-05-01", "--until", "2024-05-01") == ["bm-b", "bm-a"]
    assert ids_of(capsys, data_dir, "--until", "2024-04-30") == ["bm-d"]
    # an explicit offset is honoured: 16:00Z is 00:00 on 2 May at UTC+08:00
    assert ids_of(capsys, data_dir, "--since", "2024-05-01T16:00:00+00:00") == ["bm-c"]
    assert ids_of(capsys, data_dir, "--since", "2024-05-01T16:00Z") == ["bm-c"]
    # a time without offset is UTC+08:00; --since inclusive, --until exclusive
    assert ids_of(capsys, data_dir, "--since", "2024-05-01 09:00") == ["bm-c", "bm-b", "bm-a"]
    assert ids_of(capsys, data_dir, "--until", "2024-05-01T09:00") == ["bm-d"]
    assert ids_of(capsys, data_dir, "--category", "secret_marking") == ["bm-c", "bm-a"]
    assert ids_of(capsys, data_dir, "--client", "anonymous") == ["bm-c", "bm-d"]
    assert ids_of(capsys, data_dir, "--department", "研发部") == ["bm-a"]
    assert ids_of(capsys, data_dir, "--upstream", "https://api.deepseek.com/v1") == ["bm-b"]
    assert ids_of(capsys, data_dir, "--decision", "hold") == ["bm-b"]
    assert ids_of(capsys, data_dir, "--status", "confirmed") == ["bm-c"]
    assert ids_of(capsys, data_dir, "--decision", "block", "--category", "personal_data") == ["bm-c"]
    assert ids_of(capsys, data_dir, "--limit", "2") == ["bm-c", "bm-b"]
    assert ids_of(capsys, data_dir, "--client", "nobody") == []


def test_list_json_is_metadata(state, capsys):
    data_dir, _, _ = state
    code, out, _ = run(capsys, "incidents", "list", "--data-dir", data_dir, "--json", "--department", "研发部")
    (row,) = json.loads(out)
    assert row["id"] == "bm-a" and row["client"] == "研发部-laptop" and row["categories"] == ["secret_marking"]
    assert row["ts"] == "2024-05-01T01:00:00+00:00" and "evidence" not in row
    assert "研发部" in out  # readable Chinese, not \u escapes


def test_list_empty_and_more_hint(state, capsys):
    data_dir, _, _ = state
    code, out, err = run(capsys, "incidents", "list", "--data-dir", data_dir, "--client", "nobody")
    assert code == 0 and "没有匹配的事件" in out and "no matching incidents" in out
    code, out, err = run(capsys, "incidents", "list", "--data-dir", data_dir, "--limit", "3")
    assert code == 0 and len(out.splitlines()) == 4 and "showing the newest 3" in err


@pytest.mark.parametrize("argv, words", [
    (["--since", "yesterday"], ["--since", "无效的日期或时间", "invalid date or time", "yesterday"]),
    (["--until", "2024-02-30"], ["--until", "无效的日期或时间", "2024-02-30"]),
    (["--since", "2024-05-01T25:00"], ["--since", "invalid date or time"]),
    (["--status", "closed"], ["无效的状态", "open, confirmed"]),
    (["--decision", "allow"], ["无效的决定", "block, hold"]),
    (["--limit", "0"], ["正整数", "positive whole number"]),
])
def test_bad_filters_are_usage_errors(state, capsys, argv, words):
    data_dir, _, _ = state
    for command in (["list"], ["export"]):
        code, out, err = run(capsys, "incidents", *command, "--data-dir", data_dir, *argv)
        if argv[0] == "--limit" and command == ["export"]:
            continue  # export has no --limit: every matching row
        assert code == 2 and out == "" and "Traceback" not in err
        for w in words:
            assert w in err


def test_empty_time_range_is_refused(state, capsys):
    data_dir, _, _ = state
    code, out, err = run(capsys, "incidents", "list", "--data-dir", data_dir,
                         "--since", "2024-05-02", "--until", "2024-05-01T12:00")
    assert code == 2 and out == "" and "--since 必须早于 --until" in err and "must be before" in err


def test_missing_state_is_reported_not_created(tmp_path, capsys):
    empty = tmp_path / "elsewhere"
    for argv in (["list"], ["show", "bm-a"], ["export", "--output", str(tmp_path / "out.csv")]):
        code, out, err = run(capsys, "incidents", *argv, "--data-dir", str(empty))
        assert code == 1 and out == "" and "不存在" in err and "no database" in err
    assert not empty.exists() and not (tmp_path / "out.csv").exists()


def test_uninitialised_database_is_a_message(tmp_path, capsys):
    db = tmp_path / "empty.db"
    db.touch()
    code, out, err = run(capsys, "incidents", "list", "--database-url", f"sqlite:///{db}")
    assert code == 1 and "无法读取数据库" in err and "no such table" in err and "Traceback" not in err


def test_control_characters_are_not_sent_to_the_terminal(state, capsys):
    data_dir, settings, _ = state
    bulk(settings.store_url, [IncidentRecord(id="bm-esc", client="x", decision="block", endpoint="/v1/x",
                                             model="gpt\x1b[2J\nrm -rf", ts=at("2024-01-01T00:00:00+08:00"))])
    code, out, _ = run(capsys, "incidents", "list", "--data-dir", data_dir, "--client", "x")
    assert "\x1b" not in out and "gpt\\x1b[2J\\nrm -rf" in out and len(out.splitlines()) == 2
    code, out, _ = run(capsys, "incidents", "show", "bm-esc", "--data-dir", data_dir)
    assert "\x1b" not in out and "gpt\\x1b[2J\\nrm -rf" in out


# --- show -----------------------------------------------------------------------------------------------

def test_show_metadata_history_and_views_without_the_key(state, capsys):
    data_dir, settings, ids = state
    store = IncidentStore(settings.store_url, load_evidence_key(settings, env={}))
    store.act("bm-a", ids["alice"], "confirm", "确认泄密")
    store.view_evidence("bm-a", ids["audrey"])
    store.close()
    (settings.data_path / "evidence.key").unlink()  # metadata needs no key
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir)
    assert code == 0 and err == ""
    assert "bm-a" in out and "confirmed" in out and "研发部-laptop" in out and "CnClassificationRecognizer" in out
    assert "alice  confirm  确认泄密" in out
    views = out.split("evidence views:")[1]
    assert "audrey" in views and "alice" not in views
    assert "stored (encrypted)" in out
    assert "斑马" not in out and "ZEBRA" not in out

    code, out, _ = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--json")
    doc = json.loads(out)
    assert doc["incident"]["status"] == "confirmed" and doc["evidence_stored"] is True and "evidence" not in doc
    assert [(a["reviewer"], a["action"], a["comment"]) for a in doc["actions"]] == [("alice", "confirm", "确认泄密")]
    assert [v["reviewer"] for v in doc["evidence_views"]] == ["audrey"]


def test_show_unknown_incident(state, capsys):
    data_dir, _, _ = state
    code, out, err = run(capsys, "incidents", "show", "bm-nope", "--data-dir", data_dir)
    assert code == 1 and out == "" and "未找到事件 bm-nope" in err and "no incident bm-nope" in err


def test_evidence_needs_a_reviewer(state, capsys, monkeypatch):
    data_dir, settings, _ = state
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence")
    assert code == 2 and out == "" and "--reviewer NAME --password-stdin" in err and "查看证据" in err
    # without --password-stdin and no terminal: refused, never a password in argv
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                         "--reviewer", "alice", stdin=PASSWORDS["alice"] + "\n", monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "--password-stdin" in err
    assert _views(settings, "bm-a") == []


def test_evidence_for_a_reviewer_is_recorded(state, capsys, monkeypatch):
    data_dir, settings, ids = state
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                         "--reviewer", "alice", "--password-stdin", stdin=PASSWORDS["alice"] + "\n",
                         monkeypatch=monkeypatch)
    assert code == 0 and err == ""
    assert SECRET in out and "this view has been recorded" in out
    assert _views(settings, "bm-a") == [ids["alice"]]
    assert "alice" in out.split("evidence views:")[1]  # the view just made is listed

    # any role may view, e.g. an auditor; --reviewer alone implies --evidence; --json carries the evidence
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--json",
                         "--reviewer", "audrey", "--password-stdin", stdin=PASSWORDS["audrey"] + "\r\nrest",
                         monkeypatch=monkeypatch)
    doc = json.loads(out)
    assert code == 0 and doc["evidence"]["document"] == SECRET
    assert [v["reviewer"] for v in doc["evidence_views"]] == ["alice", "audrey"]
    assert _views(settings, "bm-a") == [ids["alice"], ids["audrey"]]


def test_wrong_password_or_locked_shows_nothing(state, capsys, monkeypatch):
    data_dir, settings, _ = state
    messages = set()
    for name, password in [("alice", "not-the-password"), ("nobody", "whatever-password")] + \
            [("alice", "wrong-again-1")] * 4 + [("alice", PASSWORDS["alice"])]:  # 5 failures lock alice
        code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                             "--reviewer", name, "--password-stdin", stdin=password + "\n", monkeypatch=monkeypatch)
        assert code == 1 and out == "" and SECRET not in err
        messages.add(err)
    assert messages == {f"baomi: {cli_store.BAD_LOGIN}\n"}  # one generic message for all of them
    assert "密码错误" in cli_store.BAD_LOGIN and "wrong reviewer name or password" in cli_store.BAD_LOGIN
    assert _views(settings, "bm-a") == []
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                         "--reviewer", "alice", "--password-stdin", stdin="\n", monkeypatch=monkeypatch)
    assert code == 1 and "no password" in err


def test_evidence_needs_the_key_and_never_creates_one(state, capsys, monkeypatch):
    data_dir, settings, _ = state
    key = settings.data_path / "evidence.key"
    key.unlink()
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                         "--reviewer", "alice", "--password-stdin", stdin=PASSWORDS["alice"] + "\n",
                         monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "evidence key file" in err and not key.exists()
    monkeypatch.setenv("BAOMI_EVIDENCE_KEY", "A" * 43 + "=")  # a valid key, but not the one that sealed it
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                         "--reviewer", "alice", "--password-stdin", stdin=PASSWORDS["alice"] + "\n",
                         monkeypatch=monkeypatch)
    assert code == 1 and out == "" and "wrong key" in err
    assert _views(settings, "bm-a") == []  # nothing shown, nothing recorded


def test_purged_evidence_is_said_and_not_recorded(state, capsys, monkeypatch):
    data_dir, settings, _ = state
    store = IncidentStore(settings.store_url, None)
    assert store.purge_evidence(older_than_days=1) == 4
    store.close()
    code, out, err = run(capsys, "incidents", "show", "bm-a", "--data-dir", data_dir, "--evidence",
                         "--reviewer", "alice", "--password-stdin", stdin=PASSWORDS["alice"] + "\n",
                         monkeypatch=monkeypatch)
    assert code == 0 and "purged" in out and "no view recorded" in out and SECRET not in out
    assert _views(settings, "bm-a") == []


def _views(settings: Settings, incident_id: str) -> list[int]:
    store = IncidentStore(settings.store_url, None)
    try:
        return [v["reviewer_id"] for v in store.views(incident_id)]
    finally:
        store.close()


# --- export ---------------------------------------------------------------------------------------------

def _count_queries(monkeypatch) -> list[int]:
    calls: list[int] = []
    real = incidents_mod.IncidentStore.query

    def query(self, **kw):
        found = real(self, **kw)
        calls.append(len(found))
        return found

    monkeypatch.setattr(incidents_mod.IncidentStore, "query", query)
    return calls


def test_export_csv_every_row_across_pages(state, capsys, monkeypatch):
    data_dir, settings, _ = state
    rows = many(2500)
    bulk(settings.store_url, rows)
    calls = _count_queries(monkeypatch)
    code, out, err = run(capsys, "incidents", "export", "--data-dir", data_dir, "--format", "csv")
    assert code == 0 and err == ""
    assert calls == [1000, 1000, 504]  # keyset pages, not one huge query
    parsed = list(csv.DictReader(io.StringIO(out)))
    assert list(parsed[0]) == list(incidents_cli.FIELDS)
    assert [r["id"] for r in parsed] == newest_first(rows + INCIDENTS)  # each once, newest first
    c = next(r for r in parsed if r["id"] == "bm-c")
    assert c["categories"].split(";") == ["personal_data", "secret_marking"] and c["status"] == "confirmed"
    assert c["ts"] == "2024-05-01T16:10:00+00:00" and c["ticket"] == "" and c["model"] == ""
    b = next(r for r in parsed if r["id"] == "bm-b")
    assert b["ticket"].startswith("hold-") and b["client"] == "财务-pc"
    assert "斑马" not in out and "ZEBRA" not in out and "evidence of" not in out


def test_export_filters_json_and_file(state, capsys, tmp_path):
    data_dir, settings, _ = state
    rows = many(2500)
    bulk(settings.store_url, rows)
    target = tmp_path / "holds.json"
    code, out, err = run(capsys, "incidents", "export", "--data-dir", data_dir, "--format", "json",
                         "--decision", "hold", "--until", "2024-04-01", "--client", "client-0",
                         "--output", str(target))
    expected = newest_first([r for r in rows if r.decision == "hold" and r.client == "client-0"])
    assert code == 0 and out == "" and f"exported {len(expected)} incidents" in err and "已导出" in err
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert [r["id"] for r in doc] == expected and len(expected) > 100
    assert set(doc[0]) == set(incidents_cli.FIELDS)
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".holds.json")] == []  # no temp left

    code, out, _ = run(capsys, "incidents", "export", "--data-dir", data_dir, "--format", "jsonl",
                       "--category", "secret_marking", "--since", "2024-05-01")
    assert [json.loads(line)["id"] for line in out.splitlines()] == ["bm-c", "bm-a"]
    code, out, _ = run(capsys, "incidents", "export", "--data-dir", data_dir, "--format", "json",
                       "--client", "nobody")
    assert code == 0 and json.loads(out) == []
    code, out, _ = run(capsys, "incidents", "export", "--data-dir", data_dir, "--client", "nobody")
    assert code == 0 and out.strip() == ",".join(incidents_cli.FIELDS)


def test_export_excel_csv(state, capsys, tmp_path):
    data_dir, settings, _ = state
    bulk(settings.store_url, [IncidentRecord(id="bm-xl", client='=HYPERLINK("http://evil")', decision="block",
                                             endpoint="/v1/x", model="-1+1", ts=at("2024-01-01T00:00:00+08:00"))])
    target = tmp_path / "x.csv"
    code, _, _ = run(capsys, "incidents", "export", "--data-dir", data_dir, "--excel", "--output", str(target),
                     "--until", "2024-01-01")
    raw = target.read_bytes()
    assert code == 0 and raw.startswith(b"\xef\xbb\xbf")
    (row,) = csv.DictReader(io.StringIO(raw.decode("utf-8-sig")))
    assert row["client"] == "'=HYPERLINK(\"http://evil\")" and row["model"] == "'-1+1"
    code, _, err = run(capsys, "incidents", "export", "--data-dir", data_dir, "--excel", "--format", "json")
    assert code == 1 and "--excel" in err


def test_postgresql_list_and_export(capsys, monkeypatch):
    with pg_schema() as url:
        upgrade(url)
        rows = many(2500)
        bulk(url, rows + INCIDENTS)
        code, out, err = run(capsys, "incidents", "list", "--database-url", url, "--json",
                             "--since", "2024-05-01", "--until", "2024-05-01")
        assert code == 0 and [r["id"] for r in json.loads(out)] == ["bm-b", "bm-a"]
        code, out, _ = run(capsys, "incidents", "list", "--database-url", url, "--category", "secret_marking",
                           "--limit", "5")
        assert [line.split()[0] for line in out.splitlines()[1:]] == newest_first(
            [r for r in rows + INCIDENTS if "secret_marking" in r.categories])[:5]
        calls = _count_queries(monkeypatch)
        code, out, err = run(capsys, "incidents", "export", "--database-url", url)
        assert code == 0 and calls == [1000, 1000, 504]
        parsed = list(csv.DictReader(io.StringIO(out)))
        assert [r["id"] for r in parsed] == newest_first(rows + INCIDENTS)
        assert next(r for r in parsed if r["id"] == "bm-a")["department"] == "研发部"


def test_statuses_match_the_store():
    assert incidents_cli.STATUSES == incidents_mod.STATUSES
    assert set(incidents_cli.FIELDS) == set(INCIDENTS[0].to_json())
