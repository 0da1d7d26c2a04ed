"""audit: one metadata record per flow (never prompt text). Queued; the writer thread does the I/O."""
from __future__ import annotations

from proxy.flow import Flow
from proxy.runtime import Runtime
from proxy.store.audit import AuditRecord


def audit(flow: Flow, rt: Runtime, *, decision: str | None = None, error_code: str | None = None) -> None:
    d = flow.decision
    rt.store.record(AuditRecord(
        id=flow.id, client=flow.client, endpoint=flow.endpoint, method=flow.method,
        decision=decision or (d.action if d else "error"), model=flow.model, upstream=flow.upstream,
        categories=list(d.categories) if d else [], rule_ids=list(d.rule_ids) if d else [],
        error_code=error_code or (d.error_code if d else None), status=flow.status, stream=flow.stream,
        inspect_ms=round(flow.inspect_ms, 3), count_text=flow.document,
    ))
