"""Category aggregation: the per-category evidence the gateway's policy decides on.

Categories used by the engine (issue 3 adds the rest of the policy's list):
``secret_marking`` (国家秘密 / classification markings) and ``internal_marking`` (工作秘密 / internal /
control markings); both are blocked by the default policy.
"""
from __future__ import annotations

from collections.abc import Iterable

from proxy.flow import Finding, category_scores

SECRET_MARKING = "secret_marking"
INTERNAL_MARKING = "internal_marking"
MARKING_CATEGORIES = frozenset({SECRET_MARKING, INTERNAL_MARKING})


def categorize(findings: Iterable[Finding], threshold: float = 0.5) -> dict[str, float]:
    """Highest score per category, for categories whose best finding reaches ``threshold``."""
    return category_scores(findings, threshold)
