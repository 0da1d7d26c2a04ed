"""Shared vocabulary of the upload readers: limits, what they return, and why something cannot be read.

Everything that cannot be inspected is refused, never forwarded: an encrypted PDF or ZIP, an unknown binary,
anything over a limit. ``Unreadable`` says why in Chinese and English (never quoting the content) with a
machine code, so the gateway can answer 403 ``not_inspectable`` with a useful message.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Limits:
    """Every limit is configurable (``BAOMI_UPLOAD_*`` settings) and tested."""

    max_file_bytes: int = 20 * 1024 * 1024        # one file or one decoded data URL
    max_image_pixels: int = 40_000_000             # width x height of one image (pixel bombs)
    max_pages: int = 200                           # PDF pages / slides / sheets read
    max_depth: int = 3                             # archives inside archives
    max_archive_ratio: float = 100.0               # uncompressed / compressed size of an archive member
    max_members: int = 10000                       # files inside one archive (recursively)
    max_extracted_bytes: int = 50 * 1024 * 1024    # total bytes decompressed / text extracted per request
    max_images: int = 50                           # images handed to OCR per request
    timeout: float = 120.0                         # seconds for all extraction + OCR of one request


class Unreadable(Exception):
    """A payload that cannot be inspected, so it must not be forwarded."""

    def __init__(self, code: str, zh: str, en: str) -> None:
        super().__init__(en)
        self.code = code  # encrypted | unknown_type | too_large | too_deep | bomb | corrupt | timeout | too_many
        self.zh = zh
        self.en = en


@dataclass(slots=True)
class TextPart:
    """Text found in a file. ``where`` is human-readable and stable: ``page 3``, ``sheet 预算!B7``,
    ``slide 2 notes``, ``header1``, ``a.zip/报告.docx/table 1``."""

    where: str
    text: str


@dataclass(slots=True)
class ImagePart:
    """An image found inside a file (a scanned PDF page, a picture in a DOCX), to be read by OCR."""

    where: str
    data: bytes


@dataclass(slots=True)
class Extraction:
    kind: str                                   # pdf | docx | xlsx | pptx | text | html | json | csv | zip | image
    texts: list[TextPart] = field(default_factory=list)
    images: list[ImagePart] = field(default_factory=list)
    pages: int = 0


@dataclass(slots=True)
class Budget:
    """What one request may still consume: extracted bytes, images, and time (checked by the readers)."""

    limits: Limits
    deadline: float = 0.0
    extracted: int = 0
    images: int = 0
    members: int = 0

    def __post_init__(self) -> None:
        if not self.deadline:
            self.deadline = time.monotonic() + self.limits.timeout

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise Unreadable("timeout", "文件内容提取超时", "extracting the upload's content took too long")

    def add_text(self, n: int) -> None:
        self.extracted += n
        if self.extracted > self.limits.max_extracted_bytes:
            raise Unreadable("too_large", f"提取出的内容超过 {self.limits.max_extracted_bytes // (1024 * 1024)} MB 上限",
                             f"the extracted content exceeds the limit of "
                             f"{self.limits.max_extracted_bytes // (1024 * 1024)} MB")
        self.check_time()

    def add_image(self) -> None:
        self.images += 1
        if self.images > self.limits.max_images:
            raise Unreadable("too_many", f"图片超过 {self.limits.max_images} 张上限",
                             f"more than {self.limits.max_images} images to read")


def limits_from(settings) -> Limits:
    """The ``BAOMI_UPLOAD_*`` settings as Limits."""
    return Limits(max_file_bytes=settings.upload_max_file_bytes, max_image_pixels=settings.upload_max_image_pixels,
                  max_pages=settings.upload_max_pages, max_depth=settings.upload_max_depth,
                  max_archive_ratio=settings.upload_max_archive_ratio, max_members=settings.upload_max_members,
                  max_extracted_bytes=settings.upload_max_extracted_bytes, max_images=settings.upload_max_images,
                  timeout=settings.upload_timeout)
