"""decide: findings + policy -> Decision. A pure function: same inputs, same decision."""
from __future__ import annotations

from proxy.flow import ACTION_ORDER, Decision, Finding, category_scores
from proxy.policy.schema import Policy


def evaluate(findings: list[Finding], policy: Policy) -> Decision:
    action = "allow"
    categories: list[str] = []
    rule_ids: list[str] = []
    for category, score in sorted(category_scores(findings).items()):
        rule = policy.categories.get(category)  # type: ignore[call-overload]
        if rule is None or score < rule.threshold or rule.action == "allow":
            continue
        categories.append(category)
        rule_ids.append(f"categories.{category}")
        if ACTION_ORDER[rule.action] > ACTION_ORDER[action]:
            action = rule.action
    relevant = [f for f in findings if f.category in categories] if categories else []
    return Decision(action=action, categories=categories, findings=relevant or list(findings),
                    rule_ids=rule_ids)
