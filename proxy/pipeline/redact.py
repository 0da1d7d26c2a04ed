"""redact: pseudonymise the payload at the exact places its text came from, and prepare restoration.

The same value gets the same placeholder everywhere in the request (also in earlier turns of the
conversation); placeholders that already occur in the request are never issued. The payload is re-encoded
only when something was replaced; the placeholder -> value mapping lives in the Flow (memory) and dies
with the request.
"""
from __future__ import annotations

import json
import logging

from proxy.flow import Decision, Flow
from proxy.pipeline.detect import inspection_failed
from proxy.redact.restore import Restorer
from proxy.redact.rewrite import RedactionError, redact_payload
from proxy.redact.vault import Vault

log = logging.getLogger("baomi.redact")


def pseudonymise(flow: Flow, decision: Decision) -> bytes:
    """The request body to forward, with every finding to redact replaced. Fails closed."""
    vault = Vault()
    vault.reserve(flow.document or "")
    try:
        replaced = redact_payload(flow.payload, flow.segments, decision.redact, vault)
    except RedactionError as exc:
        log.error("flow %s: redaction failed (%s); blocked", flow.id, type(exc).__name__)
        raise inspection_failed(flow.id) from None
    if not replaced:  # nothing to replace after all: forward the client's bytes unchanged
        return flow.body
    if flow.policy is None or flow.policy.restore:
        flow.restorer = Restorer(vault.mapping())
    return json.dumps(flow.payload, ensure_ascii=False, separators=(",", ":")).encode()
