"""The objects that travel through the pipeline: one request is one Flow.

receive -> extract (Segments) -> detect (Findings) -> decide (Decision) -> enforce/forward -> audit.
Everything here is plain data; the stages in ``proxy.pipeline`` fill it in, in order.
"""
from __future__ import annotations

import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

Action = Literal["allow", "redact", "block", "hold"]
#: severity order used when several rules apply: the strictest wins
ACTION_ORDER: dict[str, int] = {"allow": 0, "redact": 1, "hold": 2, "block": 3}


@dataclass(frozen=True, slots=True)
class Segment:
    """One piece of client-controlled text and where it sits in the payload.

    ``path`` is a JSON-path-like address (``messages[2].content[0].text``) so that a later stage can
    rewrite exactly that place; ``role`` is the chat role or a kind such as ``tool_definition``.
    """

    path: str
    text: str
    role: str | None = None


@dataclass(frozen=True, slots=True)
class Attachment:
    """An image or file carried in the payload (``proxy.wire.attachments``), read by ``pipeline.uploads``.

    ``path`` is the payload path of the string that holds it (the sweep leaves that string to the readers);
    ``source`` is ``data`` (inline: a data URL or bare base64), ``url`` (remote http(s): never fetched) or
    ``id`` (a file already with the provider).
    """

    path: str
    kind: str  # image | file
    source: str  # data | url | id
    value: str
    filename: str | None = None
    #: the bytes themselves when they arrived raw (a multipart file part) rather than as base64 text
    data: bytes | None = field(default=None, repr=False)


@dataclass(slots=True)
class Finding:
    """One piece of evidence. Offsets are code points of the text that was analysed (the original)."""

    entity: str
    start: int
    end: int
    score: float
    recognizer: str
    category: str
    why: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "entity": self.entity,
            "start": self.start,
            "end": self.end,
            "score": round(self.score, 4),
            "recognizer": self.recognizer,
            "category": self.category,
            "why": self.why,
        }


def category_scores(findings, threshold: float = 0.0) -> dict[str, float]:
    """Highest score per category, for categories whose best finding reaches ``threshold``."""
    best: dict[str, float] = {}
    for f in findings:
        if f.score >= threshold and f.score > best.get(f.category, 0.0):
            best[f.category] = f.score
    return best


@dataclass(slots=True)
class Decision:
    action: Action
    categories: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rule_ids: list[str] = field(default_factory=list)
    redacted: str | None = None
    #: set when the decision was forced by a failure of inspection itself (fail closed)
    error_code: str | None = None
    #: the rule that set the action (id such as ``categories.secret_marking``) and where it is written
    decided_by: str | None = None
    decided_where: str | None = None
    #: findings to pseudonymise (their rule says ``redact``); used only when the action is ``redact``
    redact: list[Finding] = field(default_factory=list)

    def to_json(self, id: Any = None) -> dict[str, Any]:
        """The stable decision JSON of ``/v1/inspect`` and ``baomi scan`` (fields are only ever added)."""
        out: dict[str, Any] = {
            "id": id,
            "action": self.action,
            "categories": list(self.categories),
            "findings": [f.to_json() for f in self.findings],
            "redacted": self.redacted,
        }
        out["rule_ids"] = list(self.rule_ids)
        out["scores"] = {c: round(v, 4) for c, v in sorted(category_scores(self.findings).items())}
        out["decided_by"] = ({"rule": self.decided_by, "where": self.decided_where}
                             if self.decided_by else None)
        if self.error_code:
            out["error_code"] = self.error_code
        return out


def new_flow_id() -> str:
    """Incident / flow id: sortable by time, unguessable."""
    return f"bm-{int(time.time()):x}-{secrets.token_hex(6)}"


@dataclass(slots=True)
class Flow:
    """State of one request through the gateway."""

    id: str
    endpoint: str
    method: str
    client: str = "anonymous"
    content_type: str | None = None
    #: the URL's query string (an OCR-service route may carry inspected content there)
    query: str = ""
    started: float = field(default_factory=time.perf_counter)
    received_at: float = field(default_factory=time.time)
    body: bytes = b""
    payload: Any = None
    model: str | None = None
    stream: bool = False
    segments: list[Segment] = field(default_factory=list)
    decision: Decision | None = None
    inspect_ms: float = 0.0
    #: the inspected text as one document; kept in memory only (the audit counts its tokens)
    document: str | None = None
    upstream: str | None = None
    status: int | None = None
    #: the policy rules in force for this request (``proxy.policy.compiled.Effective``), resolved ONCE from
    #: the policy current when the request arrived: a reload mid-request cannot change them
    policy: Any = None
    #: restores pseudonyms in the answer (``proxy.redact.restore.Restorer``); in memory only, never logged
    restorer: Any = None
    #: the ticket of a held request
    ticket: str | None = None
    #: the incident is already stored (a hold stores its own, with the ticket, before answering)
    incident_recorded: bool = False
    #: images and files in the payload, and what reading them found beyond text (visual cues per segment)
    attachments: list[Attachment] = field(default_factory=list)
    #: False when the payload cannot be rewritten (multipart uploads, OCR-service bodies): no pseudonymising
    rewritable: bool = True
    visual: list[tuple[int, Any]] = field(default_factory=list)
