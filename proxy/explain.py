"""Human-readable reasons for a decision (``baomi scan --explain``)."""
from __future__ import annotations

from typing import Any

from proxy.flow import Decision
from proxy.pipeline.enforce import CATEGORY_LABELS

_ACTION_ZH = {"allow": "放行", "redact": "脱敏后放行", "block": "拦截", "hold": "暂扣待审"}


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


def explain(ident: Any, text: str, decision: Decision) -> str:
    out = [f"{ident}: {decision.action.upper()} ({_ACTION_ZH.get(decision.action, decision.action)})"]
    if decision.error_code:
        out.append(f"  inspection failed / 检查失败: {decision.error_code}")
    if decision.decided_by:
        out.append(f"  decided by / 决定规则: {decision.decided_by} ({decision.decided_where})")
    for rule in decision.rule_ids:
        out.append(f"  rule / 规则: {rule}")
    for cat in decision.categories:
        zh, en = CATEGORY_LABELS.get(cat, (cat, cat))
        out.append(f"  category / 类别: {cat} — {zh} / {en}")
    if not decision.findings:
        out.append("  no findings / 未发现可疑内容")
    for f in decision.findings:
        line, col = _line_col(text, f.start)
        snippet = text[f.start:f.end].replace("\n", "⏎")
        out.append(f"  - {f.entity} score={f.score:.2f} at {line}:{col} [{f.start},{f.end}) "
                   f"«{snippet}» by {f.recognizer}" + (f": {f.why}" if f.why else ""))
    if decision.redacted is not None:
        out.append("  redacted / 脱敏后: " + decision.redacted.replace("\n", "⏎"))
    return "\n".join(out)

