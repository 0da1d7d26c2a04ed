"""decide: apply the policy to the findings."""
from __future__ import annotations

from proxy.flow import Decision, Finding, Flow
from proxy.policy.evaluate import evaluate
from proxy.runtime import Runtime


def decide(flow: Flow, findings: list[Finding], rt: Runtime) -> Decision:
    flow.decision = evaluate(findings, rt.policy)
    return flow.decision
