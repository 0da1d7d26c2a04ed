"""PDF: the text layer page by page, plus the page images of scans (for OCR), with pypdf.

Encryption is refused outright, even when only an owner password is set and pypdf could decrypt with the empty
user password: "protected" PDFs are exactly the ones staff should not be sending out, and one rule is easier to
explain than two. A page with (almost) no text layer is most likely a scan, so its images go to OCR; pages with a
real text layer do not, to keep within the per-request image budget.

pypdf decompresses streams itself. Its limits (``pypdf.Configuration``, new in pypdf 6.18; the old module
constants in ``pypdf.filters`` are deprecated and process-global) are set per call from what is left of the
request's Budget, through the context-local ``apply_configuration`` so concurrent requests in other threads are
unaffected. An older pypdf keeps its fixed 75 MB per-stream limits. Beyond that the Budget is checked after every
page. Annotations (sticky notes, form values), document properties and attached
files are read too: hidden text is still content.
"""
from __future__ import annotations

import contextlib
import dataclasses
import io
from typing import Any

from .archive import adopt
from .model import Budget, Extraction, ImagePart, TextPart, Unreadable

SCAN_THRESHOLD = 20     # fewer non-space characters than this on a page: treat it as a scan
MIN_IMAGE_SIDE = 16     # thinner images are rules and borders
MIN_IMAGE_AREA = 64 * 64


def _encrypted() -> Unreadable:
    return Unreadable("encrypted", "PDF 文件已加密（设有密码或权限保护），无法检查内容；请去除密码后再上传",
                      "the PDF is encrypted (password or permission protection) and cannot be inspected; "
                      "remove the password and upload again")


def _corrupt() -> Unreadable:
    return Unreadable("corrupt", "PDF 文件已损坏或格式不正确，无法检查内容；请重新导出 PDF 后再上传",
                      "the PDF is damaged or malformed and cannot be inspected; export it again and upload")


def _bounded(budget: Budget) -> contextlib.AbstractContextManager:
    """pypdf's decompression limits for this call: what is left of the Budget, per stream."""
    try:
        from pypdf import Configuration, apply_configuration
    except ImportError:  # pypdf < 6.18
        return contextlib.nullcontext()
    left = max(1, budget.limits.max_extracted_bytes - budget.extracted)
    wanted = {name: left for name in ("zlib_maximum_output_length", "lzw_maximum_output_length",
                                      "run_length_maximum_output_length", "jbig2_maximum_output_length",
                                      "brotli_maximum_output_length", "array_based_stream_maximum_output_length",
                                      "image_maximum_buffer_size")}
    wanted["maximum_declared_stream_length"] = budget.limits.max_file_bytes
    known = {f.name for f in dataclasses.fields(Configuration)}  # the set grows between pypdf releases
    return apply_configuration(**{k: v for k, v in wanted.items() if k in known})


def _xobject_size(page: Any, key: Any) -> tuple[int, int] | None:
    """Width and height of an image XObject from its dictionary, before anything is decoded."""
    path = [key] if isinstance(key, str) else list(key)
    if path[-1].startswith("~"):  # inline image: small by construction, pypdf parsed it already
        return None
    obj = page
    try:
        for name in path:
            obj = obj["/Resources"].get_object()["/XObject"].get_object()[name].get_object()
        return int(obj["/Width"]), int(obj["/Height"])
    except Exception:  # noqa: BLE001 - unknown size: decode and look at the result instead
        return None


def _decode(page: Any, key: Any) -> Any:
    """The image as pypdf's ImageFile; a scan that cannot be decoded (e.g. JBIG2 without the ``jbig2dec`` tool)
    cannot be OCRed, so the PDF is refused with a message saying so rather than "damaged"."""
    from pypdf.errors import LimitReachedError

    try:
        return page.images[key]
    except LimitReachedError:
        raise
    except Exception:  # noqa: BLE001
        raise Unreadable("unknown_type", "PDF 中的扫描图片无法解码，无法识别其中文字；请重新扫描或导出为普通 PDF 后再上传",
                         "a scanned image in the PDF cannot be decoded, so its text cannot be read; scan or export "
                         "it again as an ordinary PDF and upload") from None


def _page_images(page: Any, number: int, budget: Budget) -> list[ImagePart]:
    out: list[ImagePart] = []
    for k, key in enumerate(page.images.keys(), start=1):
        size, image = _xobject_size(page, key), None
        if size is None:
            image = _decode(page, key)
            size = image.image.size
        w, h = size
        if w * h > budget.limits.max_image_pixels:
            raise Unreadable("too_large", "PDF 中的图片像素过多，无法检查；请降低分辨率后再上传",
                             "an image in the PDF has too many pixels to inspect; lower its resolution and "
                             "upload again")
        if min(w, h) < MIN_IMAGE_SIDE or w * h < MIN_IMAGE_AREA:
            continue
        data = (image or _decode(page, key)).data
        budget.add_image()
        budget.add_text(len(data))
        out.append(ImagePart(f"page {number} image {k}", data))
    return out


def _annotations(page: Any) -> str:
    texts = []
    for annot in page.get("/Annots") or []:
        annot = annot.get_object()
        for field in ("/Contents", "/T", "/V", "/RC"):
            value = annot.get(field)
            if isinstance(value, str) and value.strip():
                texts.append(value.strip())
    return "\n".join(texts)


def _properties(reader: Any) -> str:
    meta = reader.metadata or {}
    return "\n".join(str(v).strip() for k, v in meta.items()
                     if k in ("/Title", "/Subject", "/Keywords", "/Author", "/Creator") and str(v).strip())


def _read(reader: Any, budget: Budget, depth: int) -> Extraction:
    if reader.is_encrypted or "/Encrypt" in reader.trailer:
        raise _encrypted()
    count = len(reader.pages)
    if count > budget.limits.max_pages:
        raise Unreadable("too_large", f"PDF 超过 {budget.limits.max_pages} 页上限，无法检查；请拆分后再上传",
                         f"the PDF has more than {budget.limits.max_pages} pages and cannot be inspected; "
                         f"split it and upload again")
    out = Extraction(kind="pdf", pages=count)
    if props := _properties(reader):
        out.texts.append(TextPart("properties", props))
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        budget.add_text(len(text.encode("utf-8")))
        if text.strip():
            out.texts.append(TextPart(f"page {number}", text))
        if notes := _annotations(page):
            out.texts.append(TextPart(f"page {number} annotations", notes))
        if sum(not ch.isspace() for ch in text) < SCAN_THRESHOLD:
            out.images.extend(_page_images(page, number, budget))
        budget.check_time()
    for name, blobs in (reader.attachments or {}).items():
        from .documents import extract_document  # documents dispatches to us: import late

        for blob in blobs:
            adopt(out, extract_document(blob, name, budget, depth + 1), name, "attachments/")
    return out


def extract_pdf(data: bytes, budget: Budget, depth: int = 0) -> Extraction:
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError

    try:
        with _bounded(budget):
            return _read(PdfReader(io.BytesIO(data), strict=False), budget, depth)
    except Unreadable:
        raise
    except LimitReachedError:
        raise Unreadable("too_large", "PDF 内部数据解压后超过上限，无法检查；请拆分或重新导出后再上传",
                         "data inside the PDF decompresses beyond the limit and cannot be inspected; "
                         "split or re-export it and upload again") from None
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on malformed input
        raise _corrupt() from None
