"""File bytes in, text parts and embedded images out: the one entry point of the document readers.

``extract_document`` checks the size and the nesting depth, decides the format from the bytes (``sniff``) and
hands over to the reader for that format. The readers call back into it for files inside files (ZIP members,
attachments of a PDF, objects embedded in a .docx) with ``depth + 1``, so every limit applies however deep the
nesting. Whatever cannot be read raises ``Unreadable``; nothing is ever skipped silently.

Every ``ImagePart`` in the result has already been counted with ``Budget.add_image`` (the readers count as they
find pictures, so a file with too many is refused before they are all decompressed): callers must not count
them again. Pixel limits are left to the image decoder that OCR uses.
"""
from __future__ import annotations

from .archive import extract_zip
from .model import Budget, Extraction, ImagePart, Unreadable
from .ooxml import extract_ooxml
from .pdf import extract_pdf
from .sniff import sniff
from .textfiles import extract_text


def extract_document(data: bytes, filename: str | None, budget: Budget, depth: int = 0) -> Extraction:
    """Text parts and images of one file. ``filename`` only tells text flavours apart (and names ZIPs)."""
    limits = budget.limits
    if depth > limits.max_depth:
        raise Unreadable("too_deep", f"压缩包或嵌入文件嵌套超过 {limits.max_depth} 层，无法检查；请解压后直接上传文件",
                         f"archives or embedded files are nested more than {limits.max_depth} levels deep and "
                         f"cannot be inspected; extract them and upload the files directly")
    if len(data) > limits.max_file_bytes:
        mb = limits.max_file_bytes / (1024 * 1024)
        raise Unreadable("too_large", f"文件超过 {mb:g} MB 上限，无法检查；请拆分或压缩后再上传",
                         f"the file exceeds the limit of {mb:g} MB and cannot be inspected; split or shrink it "
                         f"and upload again")
    budget.check_time()
    kind = sniff(data, filename)
    if kind == "pdf":
        return extract_pdf(data, budget, depth)
    if kind in ("docx", "xlsx", "pptx"):
        return extract_ooxml(data, kind, budget, depth)
    if kind == "zip":
        return extract_zip(data, filename, budget, depth)
    if kind == "image":
        budget.add_image()
        return Extraction(kind="image", images=[ImagePart("image", data)])
    return extract_text(data, kind, budget)
