"""enforce: turn a non-allow decision into the answer the client gets (never the secret itself)."""
from __future__ import annotations

from proxy.errors import ContentBlocked, Refused
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


def refusal(decision: Decision, incident: str) -> Refused:
    """A block (and, until redaction and review land, any non-allow action) as a 403."""
    zh, en = labels(decision.categories)
    cats = ", ".join(decision.categories)
    if decision.action == "redact":
        # pseudonymisation is not wired into forwarding yet: refuse rather than send personal data out
        return ContentBlocked(
            f"请求未发送给外部 AI 服务：内容含有{zh}（{cats}），而本网关尚未启用自动脱敏。请删除或替换姓名、"
            f"身份证号、电话等个人信息后重试；如有疑问请联系管理员并提供事件编号 {incident}",
            f"Not sent to the external AI service: the request contains {en} ({cats}) and automatic "
            f"pseudonymisation is not enabled on this gateway yet. Remove or replace names, ID numbers, phone "
            f"numbers and similar details and try again; questions: contact your administrator with incident "
            f"id {incident}",
            headers={"X-Baomi-Incident": incident},
        )
    return ContentBlocked(
        f"请求已拦截，未发送给外部 AI 服务：内容含有{zh}（{cats}）。请删除涉密或内部内容后重试，"
        f"不要把涉密、内部材料发给外部 AI 服务；如认为是误判，请联系保密管理员并提供事件编号 {incident}",
        f"Blocked, nothing was sent to the external AI service: the request contains {en} ({cats}). "
        f"Remove classified or internal material and try again; if you believe this is a mistake, "
        f"contact your security office with incident id {incident}",
        headers={"X-Baomi-Incident": incident},
    )
