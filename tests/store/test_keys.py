"""The evidence key: created private on first run, reused, env first, never echoed, refused if shared."""
from __future__ import annotations

import base64
import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from proxy.settings import Settings
from proxy.store.keys import ENV_VAR, EvidenceKeyError, key_path, load_evidence_key


def settings(tmp_path, **kw) -> Settings:
    return Settings.load(env={}, data_dir=str(tmp_path / "state" / "var"), **kw)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_created_0600_on_first_run_and_reused(tmp_path):
    s = settings(tmp_path)
    key = load_evidence_key(s, env={})
    path = tmp_path / "state" / "var" / "evidence.key"
    assert key_path(s) == path and len(key) == 32
    assert mode(path) == 0o600
    assert mode(path.parent) == 0o700  # created by us, private
    assert base64.b64decode(path.read_text().strip()) == key
    assert load_evidence_key(s, env={}) == key


def test_settings_key_file_is_used(tmp_path):
    s = settings(tmp_path, evidence_key_file=str(tmp_path / "keys" / "ev.key"))
    key = load_evidence_key(s, env={})
    assert (tmp_path / "keys" / "ev.key").is_file() and not (tmp_path / "state").exists()
    assert load_evidence_key(s, env={}) == key


def test_env_key_takes_precedence_and_creates_nothing(tmp_path):
    s = settings(tmp_path)
    raw = os.urandom(32)
    assert load_evidence_key(s, env={ENV_VAR: base64.b64encode(raw).decode() + "\n"}) == raw
    assert not key_path(s).exists()


@pytest.mark.parametrize("value", ["hunter2-not-base64-SECRETVALUE!!", base64.b64encode(b"SECRETVALUE-16by").decode(),
                                   base64.b64encode(b"S" * 33).decode()])
def test_bad_env_key_names_the_variable_never_the_value(tmp_path, value):
    with pytest.raises(EvidenceKeyError) as exc:
        load_evidence_key(settings(tmp_path), env={ENV_VAR: value})
    msg = str(exc.value)
    assert ENV_VAR in msg and "32" in msg
    assert value not in msg and "SECRETVALUE" not in msg
    assert exc.value.__cause__ is None and (exc.value.__context__ is None or exc.value.__suppress_context__)


@pytest.mark.parametrize("bad_mode", [0o640, 0o604, 0o620])
def test_shared_key_file_is_refused(tmp_path, bad_mode):
    s = settings(tmp_path)
    load_evidence_key(s, env={})
    path = key_path(s)
    content = path.read_text().strip()
    os.chmod(path, bad_mode)
    with pytest.raises(EvidenceKeyError, match="chmod 600") as exc:
        load_evidence_key(s, env={})
    assert str(path) in str(exc.value) and content not in str(exc.value)
    os.chmod(path, 0o600)
    assert load_evidence_key(s, env={})


def test_invalid_key_file_content(tmp_path):
    s = settings(tmp_path)
    path = key_path(s)
    path.parent.mkdir(parents=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, 0o600)
    os.write(fd, b"TOPSECRET-not-a-key\n")
    os.close(fd)
    with pytest.raises(EvidenceKeyError, match="not valid") as exc:
        load_evidence_key(s, env={})
    assert "TOPSECRET" not in str(exc.value)


def test_missing_file_without_create(tmp_path):
    s = settings(tmp_path)
    with pytest.raises(EvidenceKeyError, match="does not exist"):
        load_evidence_key(s, env={}, create=False)
    assert not key_path(s).exists()


def test_concurrent_first_runs_agree_on_one_key(tmp_path):
    s = settings(tmp_path)
    with ThreadPoolExecutor(8) as pool:
        keys = set(pool.map(lambda _: load_evidence_key(s, env={}), range(16)))
    assert len(keys) == 1


def test_reads_a_key_another_process_is_still_writing(tmp_path):
    s = settings(tmp_path)
    path = key_path(s)
    path.parent.mkdir(parents=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # the other process's empty file
    raw = os.urandom(32)
    timer = threading.Timer(0.2, lambda: path.write_bytes(base64.b64encode(raw)))
    timer.start()
    try:
        assert load_evidence_key(s, env={}) == raw
    finally:
        timer.join()
