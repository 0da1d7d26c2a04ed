"""detect: run the engine over the request's text, off the event loop, with a deadline. Fail closed.

All segments of one request are read as ONE document (joined by newlines, in payload order): a marking
in one message and the body in the next are one document.
"""
from __future__ import annotations

import asyncio
import logging
import time

from proxy.errors import InspectionFailed
from proxy.flow import Finding, Flow, Segment
from proxy.runtime import Runtime

log = logging.getLogger("baomi.detect")


def document(segments: list[Segment]) -> str:
    return "\n".join(s.text for s in segments)


def segment_offsets(segments: list[Segment]) -> list[int]:
    """Where each segment starts in ``document(segments)``."""
    out, pos = [], 0
    for seg in segments:
        out.append(pos)
        pos += len(seg.text) + 1
    return out


def where_of(segments: list[Segment], offset: int) -> str | None:
    """The path of the segment that holds document offset ``offset`` (e.g. ``...file_data#page 3``)."""
    import bisect

    starts = segment_offsets(segments)
    i = bisect.bisect_right(starts, offset) - 1
    return segments[i].path if 0 <= i < len(segments) else None


def _inspect(rt: Runtime, text: str, extra: tuple) -> tuple[list[Finding], float]:
    t0 = time.perf_counter()
    if not text:
        findings = []
    elif extra:  # the policy's own recognizers and allow-lists
        findings = rt.engine.analyze(text, extra=extra)
    else:
        findings = rt.engine.analyze(text)
    return findings, (time.perf_counter() - t0) * 1000


def inspection_failed(flow_id: str) -> InspectionFailed:
    return InspectionFailed(
        f"内容检查未能完成，为安全起见请求未转发。请稍后重试；若持续出现，请联系保密管理员并提供事件编号 {flow_id}",
        f"inspection could not complete, so the request was not forwarded (fail closed). Retry later; "
        f"if it persists, contact your security office with incident id {flow_id}",
        headers={"X-Baomi-Incident": flow_id},
    )


async def detect(flow: Flow, rt: Runtime) -> list[Finding]:
    text = document(flow.segments)
    extra = flow.policy.extra if flow.policy is not None else ()
    loop = asyncio.get_running_loop()
    try:
        findings, ms = await asyncio.wait_for(
            loop.run_in_executor(rt.executor, _inspect, rt, text, extra),
            timeout=rt.settings.inspect_timeout)
    except asyncio.TimeoutError:
        log.warning("flow %s: inspection timed out after %.1fs; blocked", flow.id, rt.settings.inspect_timeout)
        raise inspection_failed(flow.id) from None
    except Exception as exc:
        # the exception text may quote the input: log its type only
        log.error("flow %s: inspection failed (%s); blocked", flow.id, type(exc).__name__)
        raise inspection_failed(flow.id) from None
    flow.document = text  # for the audit's token count; never stored
    flow.inspect_ms = ms
    return findings
