"""Which OpenAI endpoints baomi understands, and how each one's text is extracted."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from proxy.flow import Segment
from proxy.wire import chat, completions, responses
from proxy.wire.shape import JSON_MARK, expect, sweep


@dataclass(frozen=True, slots=True)
class Endpoint:
    path: str
    extract: Callable[[dict[str, Any]], list[Segment]]
    streams: bool


ENDPOINTS: dict[str, Endpoint] = {
    e.path: e
    for e in (
        Endpoint("/v1/chat/completions", chat.extract, streams=True),
        Endpoint("/v1/responses", responses.extract, streams=True),
        Endpoint("/v1/completions", completions.extract_completions, streams=True),
        Endpoint("/v1/embeddings", completions.extract_embeddings, streams=False),
    )
}


def extract_payload(endpoint: Endpoint, payload: Any) -> tuple[list[Segment], str, bool]:
    """Segments (structured fields in reading order, then every other string), model and stream flag."""
    expect(payload, dict, "(body)")
    model = expect(payload.get("model"), str, "model")
    stream = expect(payload.get("stream"), bool, "stream", required=False) or False
    segments = endpoint.extract(payload)
    claimed = {s.path.split(JSON_MARK, 1)[0] for s in segments}
    segments.extend(sweep(payload, claimed))
    return segments, model, bool(stream and endpoint.streams)
