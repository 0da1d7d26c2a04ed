"""Helpers for the policy tests: write policy files, find marked lines, collect load problems."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from proxy.policy.loader import PolicyError, load_policy

REPO = Path(__file__).resolve().parents[2]
POLICIES = REPO / "policies"
DEFAULT = POLICIES / "default.yaml"
ORG = POLICIES / "examples" / "org.yaml"
#: put this at the end of the line an error must name
MARK = "#<"


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def marked_line(path: Path, marker: str = MARK) -> int:
    """1-based number of the one line of ``path`` carrying ``marker``."""
    hits = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if marker in line]
    assert len(hits) == 1, f"{path} must mark exactly one line with {marker!r}, found {hits}"
    return hits[0]


def line_of(path: Path, needle: str) -> int:
    """1-based number of the first line of ``path`` containing ``needle``."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in {path}")


def problems(spec) -> list[str]:
    with pytest.raises(PolicyError) as info:
        load_policy(spec)
    assert info.value.problems, "a PolicyError must carry its problems"
    assert str(info.value) == "\n".join(info.value.problems)
    return info.value.problems


def load(tmp_path: Path, text: str, name: str = "policy.yaml"):
    """Write ``text`` as one policy file and load it; returns (policy, path)."""
    path = write(tmp_path, name, text)
    return load_policy(path), path
