"""enforce: turn a non-allow decision into the answer the client gets (never the secret itself)."""
from __future__ import annotations

from proxy.errors import ContentBlocked, HeldForReview, Refused
from proxy.flow import Decision

#: what each category means, for the person who was blocked (Chinese, English)
CATEGORY_LABELS: dict[str, tuple[str, str]] = {
    "secret_marking": ("国家秘密密级标志", "a national-secret classification marking"),
    "internal_marking": ("内部/工作秘密标志", "an internal / work-secret marking"),
    "official_document": ("非公开公文版式", "the layout of a non-public official document"),
    "nonpublic_content": ("非公开内容", "non-public content"),
    "credential": ("密钥、令牌或口令", "a credential (key, token or password)"),
    "personal_data": ("个人信息", "personal data"),
}


def labels(categories: list[str]) -> tuple[str, str]:
    pairs = [CATEGORY_LABELS.get(c, (c, c)) for c in categories] or [("受限内容", "restricted content")]
    return "、".join(p[0] for p in pairs), "; ".join(p[1] for p in pairs)


def _custom(template, decision: Decision, incident: str, ticket: str = "") -> tuple[str, str] | None:
    """The policy's own wording (``messages:``), filled in; None if the policy has none."""
    if template is None:
        return None
    zh, en = labels(decision.categories)
    codes = ", ".join(decision.categories)
    fill = {"incident": incident, "ticket": ticket, "category_codes": codes}
    return (template.zh.format(categories=zh, **fill), template.en.format(categories=en, **fill))


def refusal(decision: Decision, incident: str, messages: dict | None = None) -> Refused:
    """A block as a 403 that says why (categories, never the text) and what to do."""
    zh, en = labels(decision.categories)
    cats = ", ".join(decision.categories)
    custom = _custom((messages or {}).get("block"), decision, incident)
    if custom is not None:
        return ContentBlocked(*custom, headers={"X-Baomi-Incident": incident})
    return ContentBlocked(
        f"请求已拦截，未发送给外部 AI 服务：内容含有{zh}（{cats}）。请删除涉密或内部内容后重试，"
        f"不要把涉密、内部材料发给外部 AI 服务；如认为是误判，请联系保密管理员并提供事件编号 {incident}",
        f"Blocked, nothing was sent to the external AI service: the request contains {en} ({cats}). "
        f"Remove classified or internal material and try again; if you believe this is a mistake, "
        f"contact your security office with incident id {incident}",
        headers={"X-Baomi-Incident": incident},
    )


def held(decision: Decision, incident: str, ticket: str, messages: dict | None = None) -> Refused:
    """A hold as a 403 ``held_for_review`` with the ticket (body and ``X-Baomi-Ticket`` header)."""
    zh, en = labels(decision.categories)
    cats = ", ".join(decision.categories)
    headers = {"X-Baomi-Incident": incident, "X-Baomi-Ticket": ticket}
    custom = _custom((messages or {}).get("hold"), decision, incident, ticket)
    if custom is not None:
        return HeldForReview(*custom, headers=headers)
    return HeldForReview(
        f"请求已暂扣，等待保密管理员审核，尚未发送给外部 AI 服务：内容含有{zh}（{cats}）。"
        f"审核编号 {ticket}，查询或加急时请提供此编号",
        f"Held for review, not yet sent to the external AI service: the request contains {en} ({cats}). "
        f"Ticket {ticket}: quote it when you ask your security office about it",
        headers=headers,
    )
