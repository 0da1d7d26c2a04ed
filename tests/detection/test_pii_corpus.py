"""Personal data on the development corpus (../shared/corpus/dev.jsonl), through the whole engine.

- ``pii`` / ``english_pii``: redact entity recall >= 0.95 (every occurrence of every listed entity text lies
  inside a personal_data finding with score >= 0.5); per-entity-type recall is printed.
- allow categories: at most 3% of the items get a personal_data finding >= 0.5 (the offending ids are
  printed). The corpus is synthetic and small: the tables of the test_pii_* files hold our own material.
"""
from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from proxy.detection.engine import DetectionEngine

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpus/dev.jsonl"
THRESHOLD = 0.5
PII = ("pii", "english_pii")
ALLOW = ("about_secrecy", "public_doc", "benign_writing", "code_benign", "english_benign", "english_about_secrecy")


def pii_recognizers() -> list:
    from proxy.detection.recognizers.pii_address import AddressRecognizer
    from proxy.detection.recognizers.pii_bank_card import BankCardRecognizer
    from proxy.detection.recognizers.pii_email import EmailRecognizer
    from proxy.detection.recognizers.pii_id_number import CnIdNumberRecognizer
    from proxy.detection.recognizers.pii_person_name import PersonNameRecognizer
    from proxy.detection.recognizers.pii_phone import PhoneNumberRecognizer

    return [CnIdNumberRecognizer(), PhoneNumberRecognizer(), BankCardRecognizer(), EmailRecognizer(),
            PersonNameRecognizer(), AddressRecognizer()]


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    if not CORPUS.exists():
        pytest.fail(f"development corpus not found at {CORPUS} (it ships in ../shared/corpus beside the repo)")
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    from proxy.detection.recognizers import default_recognizers

    names = {type(r).__name__ for r in default_recognizers()}
    extra = [r for r in pii_recognizers() if type(r).__name__ not in names]  # once registered, not twice
    return DetectionEngine(recognizers=default_recognizers() + extra)


def _personal(engine: DetectionEngine, text: str) -> list:
    return [f for f in engine.analyze(text) if f.category == "personal_data" and f.score >= THRESHOLD]


def test_redact_entity_recall(rows, engine, capsys) -> None:
    total: Counter[str] = Counter()
    found: Counter[str] = Counter()
    missed: list[str] = []
    for row in rows:
        if row["category"] not in PII:
            continue
        findings = _personal(engine, row["text"])
        for ent in row["entities"]:
            needle, i = ent["text"], row["text"].find(ent["text"])
            while i >= 0:
                total[ent["type"]] += 1
                if any(f.start <= i and i + len(needle) <= f.end for f in findings):
                    found[ent["type"]] += 1
                else:
                    missed.append(f"{row['id']}:{ent['type']}")
                i = row["text"].find(needle, i + 1)
    lines = ["", "personal data: redact entity recall per type (score >= 0.5)"]
    for t in sorted(total):
        lines.append(f"  {t:12s} {found[t]:3d}/{total[t]:<3d} {found[t] / total[t]:.2f}")
    recall = sum(found.values()) / max(1, sum(total.values()))
    lines.append(f"  {'all':12s} {sum(found.values()):3d}/{sum(total.values()):<3d} {recall:.2f}"
                 + (f"   missed: {', '.join(missed)}" if missed else ""))
    with capsys.disabled():
        print("\n".join(lines))
    assert total, "no pii items in the corpus"
    assert recall >= 0.95, missed


def test_allow_categories_get_no_personal_data(rows, engine, capsys) -> None:
    items = [r for r in rows if r["category"] in ALLOW]
    offending = [r["id"] for r in items if _personal(engine, r["text"])]
    rate = len(offending) / max(1, len(items))
    with capsys.disabled():
        print(f"\npersonal data findings (>= 0.5) in allow categories: {len(offending)}/{len(items)} "
              f"{' '.join(offending)}")
    assert rate <= 0.03, offending
