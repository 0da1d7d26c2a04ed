"""Which OpenAI endpoints baomi understands, and how each one's text is extracted."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from proxy.flow import Attachment, Segment
from proxy.wire import chat, completions, responses
from proxy.wire.attachments import chat_attachments, responses_attachments
from proxy.wire.shape import JSON_MARK, expect, sweep


def _none(payload: dict[str, Any]) -> list[Attachment]:
    return []


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    extract: Callable[[dict[str, Any]], list[Segment]]
    streams: bool
    attachments: Callable[[dict[str, Any]], list[Attachment]] = _none


ENDPOINTS: dict[str, Endpoint] = {
    e.path: e
    for e in (
        Endpoint("/v1/chat/completions", chat.extract, streams=True, attachments=chat_attachments),
        Endpoint("/v1/responses", responses.extract, streams=True, attachments=responses_attachments),
        Endpoint("/v1/completions", completions.extract_completions, streams=True),
        Endpoint("/v1/embeddings", completions.extract_embeddings, streams=False),
    )
}


@dataclass(slots=True)
class Extracted:
    segments: list[Segment]
    model: str
    stream: bool
    attachments: list[Attachment]


def extract_request(endpoint: Endpoint, payload: Any) -> Extracted:
    """Segments (structured fields in reading order, then every other string), model, stream flag, and the
    images / files the payload carries (their strings are left to the upload readers, not the sweep)."""
    expect(payload, dict, "(body)")
    model = expect(payload.get("model"), str, "model")
    stream = expect(payload.get("stream"), bool, "stream", required=False) or False
    segments = endpoint.extract(payload)
    attachments = endpoint.attachments(payload)
    claimed = {s.path.split(JSON_MARK, 1)[0] for s in segments} | {a.path for a in attachments}
    segments.extend(sweep(payload, claimed))
    return Extracted(segments, model, bool(stream and endpoint.streams), attachments)


def extract_payload(endpoint: Endpoint, payload: Any) -> tuple[list[Segment], str, bool]:
    e = extract_request(endpoint, payload)
    return e.segments, e.model, e.stream
