"""redact: pseudonymise the payload at the exact places its text came from, and prepare restoration.

The same value gets the same placeholder everywhere in the request (also in earlier turns of the
conversation); placeholders that already occur in the request are never issued. The payload is re-encoded
only when something was replaced; the placeholder -> value mapping lives in the Flow (memory) and dies
with the request.
"""
from __future__ import annotations

import json
import logging

from proxy.errors import ContentBlocked
from proxy.flow import Decision, Flow
from proxy.pipeline.detect import inspection_failed, segment_offsets
from proxy.pipeline.enforce import labels
from proxy.redact.restore import Restorer
from proxy.redact.rewrite import RedactionError, redact_payload
from proxy.redact.vault import Vault

log = logging.getLogger("baomi.redact")


def pseudonymise(flow: Flow, decision: Decision) -> bytes:
    """The request body to forward, with every finding to redact replaced. Fails closed."""
    vault = Vault()
    vault.reserve(flow.document or "")
    try:
        # the payload's own text only: uploads were refused above if they hold a value (redacts_uploads)
        segments = [seg for seg in flow.segments if seg.role not in ("upload", "image")]
        replaced = redact_payload(flow.payload, segments, decision.redact, vault)
    except RedactionError as exc:
        log.error("flow %s: redaction failed (%s); blocked", flow.id, type(exc).__name__)
        raise inspection_failed(flow.id) from None
    if not replaced:  # nothing to replace after all: forward the client's bytes unchanged
        return flow.body
    if flow.policy is None or flow.policy.restore:
        flow.restorer = Restorer(vault.mapping())
    return json.dumps(flow.payload, ensure_ascii=False, separators=(",", ":")).encode()


def redacts_uploads(flow: Flow, decision: Decision) -> bool:
    """Does a finding to pseudonymise lie in text read from an image or a file? Those bytes cannot be
    rewritten, so such a request is refused rather than forwarded with the personal data inside."""
    uploads = [(start, seg.text) for seg, start in zip(flow.segments, segment_offsets(flow.segments))
               if seg.role in ("upload", "image")]
    if not uploads:
        return False
    doc = flow.document or ""
    values = {doc[f.start:f.end] for f in decision.redact} - {""}
    return any(s < f.end and f.start < s + len(text) for f in decision.redact for s, text in uploads) or any(
        v in text for v in values for _, text in uploads)  # the same value, unfound, inside a file


def upload_personal_data(decision: Decision, incident: str) -> ContentBlocked:
    zh, en = labels(decision.categories)
    return ContentBlocked(
        f"请求未发送：上传的图片或文件中含有{zh}，文件内容无法自动脱敏。请先删除或遮盖其中的姓名、身份证号、电话等"
        f"信息后重试；如有疑问请联系管理员并提供事件编号 {incident}",
        f"Not sent: an uploaded image or file contains {en}, which cannot be pseudonymised inside a file. "
        f"Remove or cover names, ID numbers, phone numbers and similar details and try again; questions: "
        f"contact your administrator with incident id {incident}",
        headers={"X-Baomi-Incident": incident})
