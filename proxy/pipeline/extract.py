"""extract: the payload's text as Segments (structured fields first, then every other string)."""
from __future__ import annotations

from proxy.flow import Flow, Segment
from proxy.wire.endpoints import Endpoint, extract_payload


def extract(flow: Flow, endpoint: Endpoint) -> None:
    flow.segments, flow.model, flow.stream = extract_payload(endpoint, flow.payload)


def extract_url(flow: Flow, path: str, query: str) -> None:
    """A request without a body still sends its path and query string out: inspect them too."""
    flow.segments = [Segment(path="(url)", text=f"{path}?{query}" if query else path, role="url")]
