"""uploads: read the images and files a request carries, so their text joins the request's one document.

Runs after extract and before detect. Inline data (data URLs, base64 file data) is decoded and read off the
event loop in the OCR pool, with one deadline for the whole request (``BAOMI_UPLOAD_TIMEOUT``): documents
give text parts (and embedded images), images go through local OCR and the visual cue detector. Each piece
becomes a Segment whose path is ``<payload path>#<where in the file>`` (e.g. ``messages[0].content[1].
image_url.url#image`` or ``...file_data#page 3``), so findings name where they were found.

Fail closed: anything that cannot be read — an encrypted PDF, an unknown binary, a bomb, a timeout — refuses
the request (403 ``not_inspectable``) with the reason. Remote URLs are never fetched by baomi (no SSRF): the
policy's ``uploads.remote_urls`` decides whether such a request may pass uninspected (default: block).
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from typing import Any

from proxy.errors import NotInspectable
from proxy.flow import Attachment, Flow, Segment
from proxy.runtime import Runtime
from proxy.uploads.images import parse_data_url
from proxy.uploads.model import Budget, Unreadable, limits_from

log = logging.getLogger("baomi.uploads")


@dataclass(slots=True)
class _Read:
    attachment: Attachment
    texts: list[tuple[str, str]] = field(default_factory=list)           # (where, text)
    images: list[tuple[str, str, Any]] = field(default_factory=list)     # (where, OCR text, cues)


def refusal(att: Attachment, exc: Unreadable) -> NotInspectable:
    what_zh, what_en = ("图片", "an image") if att.kind == "image" else ("文件", "a file")
    return NotInspectable(
        f"无法检查请求中的{what_zh}（{exc.zh}），为安全起见请求未转发。请改为发送可读取的内容，或联系管理员",
        f"baomi could not inspect {what_en} in the request ({exc.en}), so the request was not forwarded. "
        f"Send content that can be read, or contact your administrator",
        param=att.path, code="not_inspectable")


def remote_refusal(att: Attachment) -> NotInspectable:
    return NotInspectable(
        "请求中引用了网络地址上的图片或文件。baomi 不会代为下载检查，因此请求未转发。请直接上传图片或文件本身",
        "the request refers to an image or file by an http(s) URL. baomi does not fetch URLs to inspect them, "
        "so the request was not forwarded. Attach the image or file itself instead",
        param=att.path, code="remote_url_not_inspected")


def decode_inline(att: Attachment, max_bytes: int) -> tuple[bytes, str | None]:
    """Bytes of a data URL or bare base64 string (strict), and the declared media type if any."""
    if att.data is not None:
        if len(att.data) > max_bytes:
            raise Unreadable("too_large", f"超过 {max_bytes // (1024 * 1024)} MB 上限",
                             f"larger than the {max_bytes // (1024 * 1024)} MB limit")
        return att.data, None
    if att.value[:5].lower() == "data:":
        mime, data = parse_data_url(att.value, max_bytes)
        return data, mime
    _, data = parse_data_url("data:application/octet-stream;base64," + att.value, max_bytes)
    return data, None


def read_all(jobs: list[tuple[Attachment, bytes]], budget: Budget, ocr: Any) -> list[_Read]:
    """In the OCR pool: documents -> text parts and images; images -> OCR text and visual cues."""
    from proxy.uploads.documents import extract_document

    out = []
    for att, data in jobs:
        read = _Read(att)
        try:
            ext = extract_document(data, att.filename, budget)
            read.texts = [(t.where, t.text) for t in ext.texts if t.text.strip()]
            for img in ext.images:  # the readers counted them against the image budget
                read.images.append((img.where, *_ocr(img.data, budget, ocr)))
        except Unreadable as exc:
            exc.attachment = att  # type: ignore[attr-defined]
            raise
        out.append(read)
    return out


def _ocr(data: bytes, budget: Budget, ocr: Any) -> tuple[str, Any]:
    from proxy.uploads.images import decode_image
    from proxy.uploads.visual import visual_cues

    budget.check_time()
    img = decode_image(data, budget.limits)
    result = ocr.read(img)
    budget.add_text(sum(len(line.text) for line in result.lines))
    return "\n".join(line.text for line in result.lines), visual_cues(img, result)


async def read_uploads(flow: Flow, rt: Runtime) -> None:
    if not flow.attachments:
        return
    limits = limits_from(rt.settings)
    remote = getattr(flow.policy, "remote_urls", "block") if flow.policy is not None else "block"
    jobs: list[tuple[Attachment, bytes]] = []
    for att in flow.attachments:
        if att.source == "id":
            continue  # already with the provider: nothing new leaves with this request
        if att.source == "url":
            if remote == "allow":
                continue
            raise remote_refusal(att)
        try:
            data, _mime = decode_inline(att, limits.max_file_bytes)
        except Unreadable as exc:
            raise refusal(att, exc) from None
        jobs.append((att, data))
    if not jobs:
        return
    budget = Budget(limits)
    loop = asyncio.get_running_loop()
    try:
        reads = await asyncio.wait_for(loop.run_in_executor(rt.ocr_executor, read_all, jobs, budget, rt.ocr),
                                       timeout=limits.timeout + 1.0)
    except Unreadable as exc:
        raise refusal(getattr(exc, "attachment", jobs[0][0]), exc) from None
    except asyncio.TimeoutError:
        budget.deadline = 0.0  # tell the worker to stop at its next check
        raise refusal(jobs[0][0], Unreadable("timeout", "读取超时", "reading it took too long")) from None
    except Exception as exc:  # a reader bug: fail closed, log the type only
        log.error("flow %s: reading an upload failed (%s); blocked", flow.id, type(exc).__name__)
        raise refusal(jobs[0][0], Unreadable("corrupt", "读取失败", "reading it failed")) from None
    add_segments(reads, flow.segments, flow.visual)


def add_segments(reads: list[_Read], segments: list[Segment], visual: list[tuple[int, Any]]) -> None:
    """What was read, as Segments after the payload's own (paths ``<payload path>#<where>``)."""
    for read in reads:
        path = read.attachment.path
        for where, text in read.texts:
            segments.append(Segment(path=f"{path}#{where}", text=text, role="upload"))
        for where, text, cues in read.images:
            segments.append(Segment(path=f"{path}#{where}", text=text, role="image"))
            if cues:
                visual.append((len(segments) - 1, cues))


def upload_segment(segment: Segment) -> bool:
    return segment.role in ("upload", "image")
