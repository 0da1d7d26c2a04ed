"""decide: findings + the rules in force -> Decision. A pure function: same inputs, same decision.

Per finding: the rules of its entity if the policy names that entity, else the rules of its category; the
strictest rule whose threshold the score reaches applies. The request gets the strictest action of all its
findings (allow < redact < hold < block), and ``decided_by`` names the rule that set it. Findings lying
entirely inside an allow-listed span are dropped first.
"""
from __future__ import annotations

from proxy.flow import ACTION_ORDER, Decision, Finding
from proxy.policy.compiled import Effective, Policy, RuleRef, strictest
from proxy.policy.recognizers import ALLOW_ENTITY


def split_allowed(findings: list[Finding]) -> tuple[list[Finding], int]:
    """Findings outside every allow-listed span, and how many were dropped."""
    spans = [(f.start, f.end) for f in findings if f.entity == ALLOW_ENTITY]
    rest = [f for f in findings if f.entity != ALLOW_ENTITY]
    if not spans:
        return rest, 0
    kept = [f for f in rest if not any(s <= f.start and f.end <= e for s, e in spans)]
    return kept, len(rest) - len(kept)


def evaluate(findings: list[Finding], eff: Effective | Policy) -> Decision:
    """``eff``: the rules for this request (a whole Policy means its base rules, no scope)."""
    if isinstance(eff, Policy):
        eff = eff.resolve()
    findings, _dropped = split_allowed(findings)
    triggered: list[tuple[Finding, RuleRef]] = []
    for f in findings:
        rule = strictest(eff.rules_for(f.entity, f.category), f.score)
        if rule is not None and rule.action != "allow":
            triggered.append((f, rule))
    if not triggered:
        return Decision(action="allow", findings=list(findings))
    decisive = max(triggered, key=lambda fr: ACTION_ORDER[fr[1].action])[1]  # first of the strictest
    rule_ids = list(dict.fromkeys(r.id for _, r in triggered))
    categories = sorted({f.category for f, _ in triggered})
    return Decision(action=decisive.action,  # type: ignore[arg-type]
                    categories=categories, findings=[f for f, _ in triggered], rule_ids=rule_ids,
                    decided_by=decisive.id, decided_where=decisive.where,
                    redact=[f for f, r in triggered if r.action == "redact"])


def decide_text(engine, policy: Policy, text: str, ctx=None) -> Decision:
    """Detect and decide one text (scan, eval, /v1/inspect): the policy's own recognizers run too."""
    eff = policy.resolve(ctx)
    findings = engine.analyze(text, extra=eff.extra) if eff.extra else engine.analyze(text)
    return evaluate(findings, eff)
