"""``baomi scan FILE`` for documents and images: the same readers as the gateway, then the same decision.

A file that is not plain UTF-8 text (PDF, DOCX, XLSX, PPTX, ZIP, an image …, recognised by its bytes) is read
with ``proxy.pipeline.uploads`` (local OCR included) and decided like an upload in a request; the decision JSON
gains ``sources`` (each page / sheet / slide / image read) and a ``where`` per finding.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from proxy.flow import Attachment, Decision, Flow
from proxy.pipeline.detect import document
from proxy.pipeline.uploads import add_segments, read_all
from proxy.policy.evaluate import evaluate
from proxy.settings import Settings
from proxy.uploads.model import Budget, Unreadable, limits_from

TEXT_SUFFIXES = {".txt", ".md", ".text", ""}


def is_document(path: str, data: bytes) -> bool:
    """Read as a document unless it is plain UTF-8 text with a text-like name (the old scan behaviour)."""
    if Path(path).suffix.lower() not in TEXT_SUFFIXES:
        return True
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False


def scan_document(path: str, data: bytes, engine: Any, policy: Any, ocr: Any) -> tuple[Decision, Flow]:
    from proxy.uploads.ocr import shared_engine
    from proxy.pipeline.visual import visual_findings

    flow = Flow(id=path, endpoint="scan", method="SCAN")
    att = Attachment(path="file", kind="file", source="data", value="", filename=Path(path).name, data=data)
    try:
        reads = read_all([(att, data)], Budget(limits_from(Settings.load())), ocr or shared_engine())
    except Unreadable as exc:
        return Decision(action="block", error_code=f"not_inspectable:{exc.code}"), flow
    add_segments(reads, flow.segments, flow.visual)
    eff = policy.resolve()
    text = document(flow.segments)
    found = (engine.analyze(text, extra=eff.extra) if eff.extra else engine.analyze(text)) if text else []
    flow.document = text
    return evaluate(found + visual_findings(flow), eff), flow
