"""extract: the payload's text as Segments (structured fields first, then every other string)."""
from __future__ import annotations

from proxy.flow import Flow, Segment
from proxy.wire.endpoints import Endpoint, extract_request


def extract(flow: Flow, endpoint: Endpoint) -> None:
    e = extract_request(endpoint, flow.payload)
    flow.segments, flow.model, flow.stream, flow.attachments = e.segments, e.model, e.stream, e.attachments


def extract_url(flow: Flow, path: str, query: str) -> None:
    """A request without a body still sends its path and query string out: inspect them too."""
    flow.segments = [Segment(path="(url)", text=f"{path}?{query}" if query else path, role="url")]


def extract_multipart(flow: Flow, content_type: str) -> None:
    """A multipart upload: text fields as segments, file parts as attachments; forwarded as received."""
    from proxy.wire.form_endpoints import extract_form

    e = extract_form(content_type, flow.body)
    flow.segments, flow.model, flow.stream, flow.attachments = e.segments, e.model or None, False, e.attachments
    flow.rewritable = False
