"""decide: resolve the rules in force for this request, then apply them to the findings."""
from __future__ import annotations

from proxy.flow import Decision, Finding, Flow
from proxy.policy.compiled import Context, Effective
from proxy.policy.evaluate import evaluate
from proxy.runtime import Runtime


def resolve(flow: Flow, rt: Runtime) -> Effective:
    """Pick the rules for this client / upstream / model from the CURRENT policy, once per request.

    ``rt.policy`` is read exactly once here; a hot reload swaps that reference, never the objects a running
    request already holds. Only the client's identity (from its key), the configured upstream and the model
    select scopes; no header or field can name, weaken or switch off a policy.
    """
    flow.policy = rt.policy.resolve(Context(client=flow.client, upstream=rt.settings.upstream_url,
                                            model=flow.model if isinstance(flow.model, str) else None))
    return flow.policy


def decide(flow: Flow, findings: list[Finding], rt: Runtime) -> Decision:
    eff = flow.policy if flow.policy is not None else resolve(flow, rt)
    flow.decision = evaluate(findings, eff)
    return flow.decision
