"""visual: what images showed beyond their text (a red 公文 header, a covered marking, a 份号) as Findings.

The upload readers record visual cues per image segment (``flow.visual``); here they become findings over
that segment's span in the request's one document, next to the engine's findings, before the policy decides.
"""
from __future__ import annotations

from proxy.flow import Finding, Flow
from proxy.pipeline.detect import segment_offsets


def visual_findings(flow: Flow) -> list[Finding]:
    if not flow.visual:
        return []
    from proxy.uploads.visual import cue_findings

    starts = segment_offsets(flow.segments)
    out: list[Finding] = []
    for index, cues in flow.visual:
        start = starts[index]
        out += cue_findings(cues, start, start + len(flow.segments[index].text))
    return out
