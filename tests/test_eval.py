"""`baomi eval` on the development corpus: the engine's quality thresholds (issue 3)."""
from __future__ import annotations

import json

import pytest

from pathlib import Path

from proxy.cli import main

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "corpus" / "dev.jsonl"


@pytest.fixture(scope="module")
def result(engine):
    if not DEV.exists():
        pytest.fail(f"development corpus not found at {DEV} (it ships in ../shared/corpus beside the repo)")
    import contextlib
    import io
    from unittest import mock

    out = io.StringIO()
    with mock.patch("proxy.app.default_engine", lambda: engine), contextlib.redirect_stdout(out):
        assert main(["eval", str(DEV), "--json", "--policy", str(REPO / "policies/default.yaml")]) == 0
    return json.loads(out.getvalue())


def test_thresholds(result):
    print(json.dumps({k: result[k] for k in ("block_recall", "allow_false_positive_rate",
                                               "redact_entity_recall", "confusion")}, ensure_ascii=False))
    for w in result["misclassified"]:
        print("misclassified:", w["id"], w["category"], w["expected"], "->", w["got"])
    assert result["items"] == 124
    assert result["block_recall"] >= 0.97
    assert result["allow_false_positive_rate"] <= 0.03
    assert result["redact_entity_recall"] >= 0.95
    assert result["never_block_blocked"] == []
    for cat in ("about_secrecy", "public_doc"):
        assert result["per_category"][cat]["accuracy"] == 1.0


def test_report_shape(result):
    assert set(result["confusion"]) == {"block", "redact", "allow"}
    assert result["ms_per_1000_chars"]["median"] > 0
    assert all({"id", "expected", "got", "reasons"} <= set(w) for w in result["misclassified"])
