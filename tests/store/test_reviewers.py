"""Reviewers: argon2 hashes, verification, lockout with an injected clock, soft removal, and the CLI."""
from __future__ import annotations

import io
import json
from datetime import datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from proxy.cli import main
from proxy.store.reviewers import LOCKOUT, MAX_FAILED_LOGINS, ReviewerError, ReviewerStore
from proxy.store.schema import reviewers

FAST = dict(time_cost=1, memory_cost=8, parallelism=1)  # argon2 at its cheapest: tests only
PASSWORD = "correct horse battery staple"


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 3, 1, 9, tzinfo=timezone.utc)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def people(db_url, clock):
    s = ReviewerStore(db_url, hasher=PasswordHasher(**FAST), clock=clock)
    yield s
    s.close()


def stored_hash(store: ReviewerStore, name: str) -> str:
    with store.engine.connect() as conn:
        return conn.execute(sa.select(reviewers.c.password_hash).where(reviewers.c.name == name)).scalar_one()


def test_argon2_hash_stored_not_the_password(people):
    r = people.add("李审核", "reviewer", PASSWORD)
    h = stored_hash(people, "李审核")
    assert h.startswith("$argon2id$") and PASSWORD not in h
    assert r.role == "reviewer" and r.failed_logins == 0 and r.locked_until is None
    people.add("other", "reviewer", PASSWORD)
    assert stored_hash(people, "other") != h  # salted


def test_add_validates(people):
    people.add("admin", "admin", PASSWORD)
    with pytest.raises(ReviewerError, match="already exists"):
        people.add("admin", "auditor", PASSWORD)
    with pytest.raises(ReviewerError, match="unknown role"):
        people.add("x", "root", PASSWORD)
    with pytest.raises(ReviewerError, match="at least 10"):
        people.add("x", "reviewer", "short")
    with pytest.raises(ReviewerError, match="empty"):
        people.add("x", "reviewer", "")
    for bad in ("", " padded", "tab\tname", "x" * 101):
        with pytest.raises(ReviewerError, match="invalid reviewer name"):
            people.add(bad, "reviewer", PASSWORD)


def test_verify(people):
    added = people.add("li", "auditor", PASSWORD)
    assert people.verify("li", PASSWORD) == added
    assert people.verify("li", PASSWORD + "x") is None
    assert people.verify("nobody", PASSWORD) is None
    assert people.verify("li", "") is None
    assert people.get(added.id).failed_logins == 2 and people.get(added.id + 100) is None


def test_unknown_locked_and_disabled_names_still_cost_one_hash_verification(db_url, clock):
    class Counting(PasswordHasher):
        calls = 0

        def verify(self, hash, password):  # noqa: A002 - argon2's own parameter name
            Counting.calls += 1
            return super().verify(hash, password)

    store = ReviewerStore(db_url, hasher=Counting(**FAST), clock=clock)
    try:
        store.add("li", "reviewer", PASSWORD)
        for name, password in [("nobody", PASSWORD), ("li", "wrong password!")] + [("li", "x")] * 4 + [("li", PASSWORD)]:
            before = Counting.calls
            assert store.verify(name, password) is None  # the last one: li is locked by then
            assert Counting.calls == before + 1
    finally:
        store.close()


def test_lockout_after_five_failures_and_unlock_after_the_period(people, clock):
    people.add("li", "reviewer", PASSWORD)
    for n in range(MAX_FAILED_LOGINS - 1):
        assert people.verify("li", "wrong password!") is None
    assert people.list()[0].failed_logins == MAX_FAILED_LOGINS - 1
    assert people.verify("li", PASSWORD) is not None  # success resets the count
    for n in range(MAX_FAILED_LOGINS):
        assert people.verify("li", "wrong password!") is None
    locked = people.list()[0]
    assert locked.locked_until == clock.now + LOCKOUT
    assert people.verify("li", PASSWORD) is None  # locked: even the right password fails
    clock.now += LOCKOUT - timedelta(seconds=1)
    assert people.verify("li", PASSWORD) is None
    clock.now += timedelta(seconds=2)
    ok = people.verify("li", PASSWORD)
    assert ok is not None and ok.failed_logins == 0 and ok.locked_until is None


def test_set_password_lifts_lockout_and_remove_disables(people):
    people.add("li", "reviewer", PASSWORD)
    for _ in range(MAX_FAILED_LOGINS):
        people.verify("li", "wrong password!")
    people.set_password("li", "another long password")
    assert people.verify("li", PASSWORD) is None
    li = people.verify("li", "another long password")
    assert li is not None
    with pytest.raises(ReviewerError, match="at least 10"):
        people.set_password("li", "short")
    people.remove("li")
    assert people.verify("li", "another long password") is None and people.get(li.id) is None
    assert people.list() == [] and [r.name for r in people.list(include_disabled=True)] == ["li"]
    with pytest.raises(ReviewerError, match="no reviewer"):
        people.remove("li")
    with pytest.raises(ReviewerError, match="no reviewer"):
        people.set_password("ghost", PASSWORD)


def test_weaker_hash_is_upgraded_on_login(db_url, clock):
    weak = ReviewerStore(db_url, hasher=PasswordHasher(**FAST), clock=clock)
    weak.add("li", "reviewer", PASSWORD)
    weak.close()
    stronger = ReviewerStore(db_url, hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1))
    try:
        assert stronger.verify("li", PASSWORD) is not None
        assert "t=2" in stored_hash(stronger, "li") and stronger.verify("li", PASSWORD) is not None
    finally:
        stronger.close()


# -- CLI -------------------------------------------------------------------------------------------


@pytest.fixture
def cli_env(monkeypatch, tmp_path):
    for name in ("BAOMI_DATABASE_URL", "BAOMI_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("proxy.store.reviewers.PasswordHasher", lambda: PasswordHasher(**FAST))
    return str(tmp_path / "var")


def run(capsys, monkeypatch, stdin: str, *argv: str) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_add_and_list(cli_env, capsys, monkeypatch):
    data_dir = cli_env
    code, out, err = run(capsys, monkeypatch, PASSWORD + "\n", "reviewers", "add", "王审核", "--role", "admin",
                         "--password-stdin", "--data-dir", data_dir)
    assert code == 0 and "added admin 王审核" in out and err == ""
    assert PASSWORD not in out
    store = ReviewerStore(f"sqlite:///{data_dir}/baomi.db", hasher=PasswordHasher(**FAST))
    try:
        assert store.verify("王审核", PASSWORD) is not None  # the newline is not part of the password
    finally:
        store.close()
    code, out, _ = run(capsys, monkeypatch, "", "reviewers", "list", "--data-dir", data_dir, "--json")
    rows = json.loads(out)
    assert code == 0 and [(r["name"], r["role"]) for r in rows] == [("王审核", "admin")]
    code, out, _ = run(capsys, monkeypatch, "", "reviewers", "list", "--data-dir", data_dir)
    assert code == 0 and out.startswith("王审核\tadmin\t")
    code, _, err = run(capsys, monkeypatch, PASSWORD, "reviewers", "add", "王审核", "--role", "reviewer",
                       "--password-stdin", "--data-dir", data_dir)
    assert code == 1 and "already exists" in err


def test_cli_refuses_weak_or_missing_passwords(cli_env, capsys, monkeypatch, tmp_path):
    for stdin in ("", "\n", "short\n"):
        code, _, err = run(capsys, monkeypatch, stdin, "reviewers", "add", "li", "--role", "reviewer",
                           "--password-stdin", "--data-dir", cli_env)
        assert code == 1 and ("empty" in err or "at least 10" in err)
    code, _, err = run(capsys, monkeypatch, PASSWORD, "reviewers", "add", "li", "--role", "reviewer",
                       "--data-dir", cli_env)  # stdin is not a terminal and --password-stdin is missing
    assert code == 1 and "--password-stdin" in err
    assert not (tmp_path / "var").exists()  # nothing created for a refused add
    with pytest.raises(SystemExit):
        main(["reviewers", "add", "li", "--role", "root", "--password-stdin"])
    code, _, err = run(capsys, monkeypatch, "", "reviewers", "list", "--data-dir", str(tmp_path / "none"))
    assert code == 1 and "no database" in err
