"""``baomi policy check|schema`` and what ``baomi scan`` says about the policy; the entity list cannot drift."""
from __future__ import annotations

import json

import pytest

from proxy.cli import main
from proxy.policy.schema import BUILTIN_CATEGORIES, BUILTIN_ENTITIES

from ._support import DEFAULT, ORG, POLICIES, line_of, marked_line, write

SCHEMA_FILE = POLICIES / "policy.schema.json"
PERSONAL = "收件人：刘建华，手机 13912345678"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ── policy check ─────────────────────────────────────────────────────────────────────────────────────

def test_check_default(capsys):
    code, out, err = run(capsys, "policy", "check", str(DEFAULT))
    assert code == 0 and err == ""
    assert out.startswith(f"OK: {DEFAULT} ") and "6 rules" in out


def test_check_default_and_org(capsys):
    code, out, err = run(capsys, "policy", "check", str(DEFAULT), str(ORG))
    assert code == 0 and err == ""
    assert out.startswith(f"OK: {DEFAULT}, {ORG} ")
    assert "3 own recognizers" in out and "3 scopes" in out


def test_check_uses_the_configured_policy(capsys, monkeypatch, tmp_path):
    bad = write(tmp_path, "bad.yaml", "version: 1\ncategories:\n  credential: {action: blok}   #<\n")
    monkeypatch.setenv("BAOMI_POLICY", str(bad))
    code, out, err = run(capsys, "policy", "check")
    assert code == 1 and out == ""
    assert err.startswith(f"{bad}:{marked_line(bad)}: ")
    monkeypatch.setenv("BAOMI_POLICY", str(DEFAULT))
    assert run(capsys, "policy", "check")[0] == 0


def test_check_broken_file_lists_every_problem_with_its_line(capsys, tmp_path):
    bad = write(tmp_path, "bad.yaml", """
        version: 1
        categories:
          secret_marking: {action: deny}       #action
          credential: {action: block, threshold: 1.5}   #threshold
          personal_data: {action: redact, treshold: 0.5}   #typo
        """)
    code, out, err = run(capsys, "policy", "check", str(DEFAULT), str(bad))
    assert code == 1 and out == ""
    lines = err.splitlines()
    for marker in ("#action", "#threshold", "#typo"):
        prefix = f"{bad}:{marked_line(bad, marker)}: "
        assert sum(line.startswith(prefix) for line in lines) == 1, (marker, err)
    assert "3 error(s)" in lines[-1]
    assert len(lines) == 4


def test_check_cross_file_problem(capsys, tmp_path):
    """org.yaml alone: its recognizers' categories have rules only in default.yaml."""
    code, _out, err = run(capsys, "policy", "check", str(ORG))
    assert code == 1
    assert f"{ORG}:{line_of(ORG, '- name: staff_list')}: recognizers.staff_list: no rule" in err


def test_check_directory(capsys, tmp_path):
    conf = tmp_path / "conf.d"
    conf.mkdir()
    write(conf, "00-base.yaml", DEFAULT.read_text(encoding="utf-8"))
    code, out, _ = run(capsys, "policy", "check", str(conf))
    assert code == 0 and out.startswith(f"OK: {conf / '00-base.yaml'} ")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run(capsys, "policy", "check", str(empty))
    assert code == 1 and err.startswith(f"{empty}: ")


# ── policy schema ────────────────────────────────────────────────────────────────────────────────────

def test_schema_matches_the_committed_file(capsys):
    code, out, _ = run(capsys, "policy", "schema")
    assert code == 0
    printed = json.loads(out)
    committed = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    assert printed == committed, (
        "policies/policy.schema.json is stale; regenerate it with: "
        "baomi policy schema > policies/policy.schema.json")
    assert out == SCHEMA_FILE.read_text(encoding="utf-8"), (
        "policies/policy.schema.json is not formatted as printed; regenerate it with: "
        "baomi policy schema > policies/policy.schema.json")


def test_schema_describes_the_policy_file(capsys):
    _code, out, _ = run(capsys, "policy", "schema")
    schema = json.loads(out)
    assert schema["additionalProperties"] is False  # unknown keys are errors for editors too
    assert set(schema["properties"]) == {"version", "categories", "entities", "allow_list", "recognizers",
                                         "restore", "groups", "messages", "uploads", "scopes"}


def test_shipped_files_point_at_the_schema():
    assert DEFAULT.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=policy.schema.json")
    assert ORG.read_text(encoding="utf-8").startswith("# yaml-language-server: $schema=../policy.schema.json")


# ── the policy's entity list is the engine's ─────────────────────────────────────────────────────────

def test_builtin_entities_are_what_the_engine_produces(engine):
    from proxy.detection.scorers import default_scorers

    produced: dict[str, str] = {}
    for rec in engine.recognizers:
        declared = dict(getattr(rec, "ENTITY_CATEGORIES", {}) or {})
        assert set(rec.supported_entities) <= set(declared), (
            f"{rec.name} supports entities without a category: {set(rec.supported_entities) - set(declared)}")
        for entity, category in declared.items():
            assert produced.setdefault(entity, category) == category, f"{entity} has two categories"
    for scorer in default_scorers():
        assert produced.setdefault(scorer.ENTITY, scorer.CATEGORY) == scorer.CATEGORY
    assert BUILTIN_ENTITIES == produced, (
        "proxy/policy/schema.py BUILTIN_ENTITIES differs from the engine's recognizers and scorers: "
        f"missing {sorted(set(produced) - set(BUILTIN_ENTITIES))}, "
        f"extra {sorted(set(BUILTIN_ENTITIES) - set(produced))}")
    assert set(BUILTIN_CATEGORIES) == set(produced.values())


def test_default_yaml_documents_every_entity():
    text = DEFAULT.read_text(encoding="utf-8")
    missing = [e for e in BUILTIN_ENTITIES if e not in text]
    assert not missing, f"policies/default.yaml does not list the entities {missing}"


# ── scan ─────────────────────────────────────────────────────────────────────────────────────────────

@pytest.fixture
def scan(capsys, engine, monkeypatch, tmp_path):
    monkeypatch.setattr("proxy.app.default_engine", lambda: engine)  # one engine per test session

    def go(text: str, *args: str, policy: str = str(DEFAULT)) -> str:
        f = tmp_path / "in.txt"
        f.write_text(text, encoding="utf-8")
        code, out, _ = run(capsys, "scan", str(f), "--policy", policy, *args)
        assert code == 0
        return out
    return go


def test_scan_explain_names_the_deciding_rule_and_its_line(scan):
    out = scan(PERSONAL, "--explain")
    assert "REDACT" in out
    where = f"{DEFAULT}:{line_of(DEFAULT, '  personal_data:')}"
    assert f"decided by / 决定规则: categories.personal_data ({where})" in out


def test_scan_explain_with_an_own_recognizer(scan):
    import os

    out = scan("天穹计划第二阶段", "--explain", policy=f"{DEFAULT}{os.pathsep}{ORG}")
    assert f"decided by / 决定规则: categories.project ({ORG}:{line_of(ORG, '  project:')})" in out
    assert "project_codenames" in out


def test_scan_json_redacts_with_placeholders(scan):
    [line] = scan(PERSONAL).splitlines()
    d = json.loads(line)
    assert d["action"] == "redact"
    assert d["decided_by"] == {"rule": "categories.personal_data",
                               "where": f"{DEFAULT}:{line_of(DEFAULT, '  personal_data:')}"}
    red = d["redacted"]
    assert isinstance(red, str) and red.startswith("收件人：") and "手机" in red
    assert "刘建华" not in red and "13912345678" not in red
    assert "〔" in red and "〕" in red and red.count("〔") == 2
    assert {f["entity"] for f in d["findings"]} == {"PERSON_NAME", "PHONE_NUMBER"}


def test_scan_json_block_has_no_redacted_text(scan):
    d = json.loads(scan("机密★5年\n关于加强防范的通知"))
    assert d["action"] == "block" and d["redacted"] is None
    assert d["decided_by"]["rule"] == "categories.secret_marking"


def test_scan_refuses_a_broken_policy(scan, tmp_path):
    bad = write(tmp_path, "bad.yaml", "version: 1\ncategories: {credential: {action: blok}}\n")
    with pytest.raises(SystemExit, match=rf"{bad}:2: "):
        scan(PERSONAL, policy=str(bad))
