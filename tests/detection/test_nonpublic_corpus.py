"""The development corpus through the whole engine (every registered recognizer, plus the 公文 structure
recognizer and the non-public content scorers) and the default policy.

Measured on the items that are not credentials or personal data (those categories belong to other components):
block recall >= 0.97, allow items blocked <= 3%, no public/about-secrecy item blocked, and every item of the
categories this component is responsible for (公文 structure, non-public content, excerpts, English content)
blocked. The numbers and the misclassified ids are printed even without ``-s``.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from proxy import evaluation
from proxy.policy.evaluate import evaluate
from proxy.policy.loader import load_policy

from .test_nonpublic_own import build_engine

CORPUS = Path(__file__).parents[2].parent / "shared/corpus/dev.jsonl"
POLICY = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"
OTHERS = ("credential", "english_credential", "pii", "english_pii")
NEVER_BLOCK = ("about_secrecy", "public_doc", "english_about_secrecy")
MINE = ("official_doc_structure", "excerpt_in_prompt", "english_content")
RECALL_FLOOR = 0.97
BLOCKED_ALLOW_CEILING = 0.03


@pytest.fixture(scope="module")
def report() -> dict:
    if not CORPUS.exists():
        pytest.fail(f"development corpus not found at {CORPUS} (it ships in ../shared/corpus beside the repo)")
    items = [i for i in evaluation.load(CORPUS) if i.category not in OTHERS]
    engine, policy = build_engine(), load_policy(POLICY)
    by_text: dict[str, str] = {}

    def decide(text: str):
        d = evaluate(engine.analyze(text), policy)
        by_text[text] = d.action
        return d

    r = evaluation.evaluate_corpus(items, decide)
    r["items_list"] = items
    r["actions"] = {i.id: by_text[i.text] for i in items}
    return r


def _blocked_allow(r: dict) -> list[str]:
    return [i.id for i in r["items_list"] if i.expected == "allow" and r["actions"][i.id] in ("block", "hold")]


def test_print_numbers(report: dict, capsys) -> None:
    blocked_allow = _blocked_allow(report)
    n_allow = sum(1 for i in report["items_list"] if i.expected == "allow")
    lines = ["", f"  corpus without {', '.join(OTHERS)}: {report['items']} items",
             f"  block recall {report['block_recall']:.3f}; allow items blocked "
             f"{len(blocked_allow)}/{n_allow}; allow items not allowed (any action) "
             f"{report['allow_false_positive_rate']:.3f}; public/about-secrecy blocked: "
             f"{', '.join(report['never_block_blocked']) or 'none'}"]
    for w in report["misclassified"]:
        lines.append(f"    {w['id']} [{w['category']}] expected {w['expected']} got {w['got']} {w['categories']}")
    with capsys.disabled():
        print("\n".join(lines))


def test_block_recall(report: dict) -> None:
    missed = [w["id"] for w in report["misclassified"] if w["expected"] == "block"]
    assert report["block_recall"] >= RECALL_FLOOR, f"missed {missed}"


def test_allow_items_are_not_blocked(report: dict) -> None:
    blocked = _blocked_allow(report)
    n_allow = sum(1 for i in report["items_list"] if i.expected == "allow")
    assert len(blocked) / n_allow <= BLOCKED_ALLOW_CEILING, f"blocked {blocked}"


def test_public_and_about_secrecy_never_blocked(report: dict) -> None:
    assert report["never_block_blocked"] == []


@pytest.mark.parametrize("category", MINE + ("content_*",))
def test_my_categories_pass(report: dict, category: str) -> None:
    if category.endswith("*"):
        items = [i for i in report["items_list"] if i.category.startswith(category[:-1])]
    else:
        items = [i for i in report["items_list"] if i.category == category]
    assert items
    missed = [i.id for i in items if report["actions"][i.id] != "block"]
    assert not missed, f"not blocked: {missed}"
