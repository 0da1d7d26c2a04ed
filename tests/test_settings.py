"""Settings come from defaults, BAOMI_* variables and flags; every setting and command is documented."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from proxy.cli import build_parser
from proxy.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def test_defaults_match_the_issue():
    s = Settings.load(env={})
    assert (s.host, s.port, s.upstream_url, s.data_dir, s.policy) == (
        "127.0.0.1", 8787, "https://api.openai.com/v1", "./var", "policies/default.yaml")
    assert s.max_body_bytes == 20 * 1024 * 1024


def test_environment_then_flags():
    env = {"BAOMI_UPSTREAM_URL": "http://127.0.0.1:9/v1", "BAOMI_UPSTREAM_API_KEY": "sk-x", "BAOMI_PORT": "9000",
           "BAOMI_ALLOW_ANONYMOUS": "true", "BAOMI_INSPECT_TIMEOUT": "2.5"}
    s = Settings.load(env=env)
    assert (s.upstream_url, s.upstream_api_key, s.port, s.allow_anonymous, s.inspect_timeout) == (
        "http://127.0.0.1:9/v1", "sk-x", 9000, True, 2.5)
    assert Settings.load(env=env, port=9100).port == 9100
    with pytest.raises(ValueError, match="BAOMI_PORT"):
        Settings.load(env={"BAOMI_PORT": "eighty"})


def test_every_setting_is_documented_in_readme():
    for f in Settings.fields():
        assert f"`BAOMI_{f.name.upper()}`" in README, f"README lacks BAOMI_{f.name.upper()}"


def test_every_command_is_documented_in_readme():
    sub = next(a for a in build_parser()._actions if a.dest == "command")
    for name in sub.choices:
        assert re.search(rf"`baomi {name}\b", README), f"README lacks `baomi {name}`"


def test_loopback_detection():
    assert Settings.load(env={}).loopback
    assert Settings.load(env={}, host="::1").loopback
    assert not Settings.load(env={}, host="0.0.0.0").loopback


def test_non_loopback_without_keys_refuses_to_start(tmp_path):
    r = subprocess.run([sys.executable, "-m", "proxy", "serve", "--host", "0.0.0.0", "--data-dir", str(tmp_path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    assert "--allow-anonymous" in r.stderr and "拒绝启动" in r.stderr


def test_serve_refuses_a_key_file_others_can_read(tmp_path):
    key = tmp_path / "evidence.key"
    key.write_text("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n")
    key.chmod(0o644)
    env = {k: v for k, v in os.environ.items() if k != "BAOMI_EVIDENCE_KEY"}
    r = subprocess.run([sys.executable, "-m", "proxy", "serve", "--data-dir", str(tmp_path), "--port", "1"],
                       capture_output=True, text=True, timeout=60, env=env)
    assert r.returncode != 0
    assert "chmod 600" in r.stderr and "Traceback" not in r.stderr


def test_serve_refuses_a_broken_policy_with_file_and_line(tmp_path):
    policy = tmp_path / "p.yaml"
    policy.write_text("categories:\n  secret_marking: {action: blok}\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "proxy", "serve", "--data-dir", str(tmp_path), "--policy", str(policy),
                        "--port", "1"], capture_output=True, text=True, timeout=60)
    assert r.returncode != 0
    assert f"{policy}:2:" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("name, value, says", [("BAOMI_CONSOLE_COOKIE_SECURE", "maybe", "auto, true or false"),
                                               ("BAOMI_CONSOLE_SESSION_HOURS", "0", "must be positive")])
def test_serve_refuses_bad_console_settings_without_a_traceback(tmp_path, name, value, says):
    r = subprocess.run([sys.executable, "-m", "proxy", "serve", "--data-dir", str(tmp_path), "--port", "1"],
                       capture_output=True, text=True, timeout=60, env={**os.environ, name: value})
    assert r.returncode != 0
    assert says in r.stderr and name in r.stderr and "Traceback" not in r.stderr
