"""What kind of file this is, decided by its bytes, not its name.

A file's name and its declared content type are chosen by the sender, so a ``.txt`` that is really a ZIP, or a
``.png`` that is really a PDF, must still be read as what it is. Magic bytes decide the format; the extension only
chooses between text flavours (plain, markdown, CSV, JSON, HTML), which all look alike at the byte level. Anything
that is neither a known format nor decodable text is refused: a gateway that cannot read a file must not forward it.
"""
from __future__ import annotations

import io
import zipfile

from .model import Unreadable

ACCEPTED_ZH = ("PDF、Word(.docx)、Excel(.xlsx)、PowerPoint(.pptx)、ZIP、图片(PNG/JPEG/GIF/BMP/TIFF/WEBP)"
               "及纯文本(txt/md/csv/json/html)")
ACCEPTED_EN = ("PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), ZIP, images (PNG/JPEG/GIF/BMP/TIFF/WEBP) "
               "and plain text (txt/md/csv/json/html)")

_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_TEXT_FLAVOURS = {"md": "text", "markdown": "text", "txt": "text", "text": "text", "log": "text",
                  "csv": "csv", "tsv": "csv", "json": "json", "html": "html", "htm": "html", "xhtml": "html"}
# C0 controls other than tab, LF, VT, FF, CR and ESC never occur in real text files (NUL marks binary data).
_CONTROLS = {c for c in range(32) if c not in (9, 10, 11, 12, 13, 27)} | {0x7F}


def is_image(data: bytes) -> bool:
    """Raster formats the OCR step can open."""
    if data.startswith(_IMAGE_MAGIC):
        return True
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return True
    # "BM" alone is too weak (text can start with it): also require the reserved zeros and a known DIB size.
    return (data[:2] == b"BM" and len(data) >= 18 and data[6:10] == b"\0\0\0\0"
            and int.from_bytes(data[14:18], "little") in (12, 40, 52, 56, 64, 108, 124))


def image_size(data: bytes) -> tuple[int, int] | None:
    """Width and height from the image header only (no pixel decoding), or None if PIL cannot tell."""
    try:
        from PIL import Image

        with Image.open(io.BytesIO(data)) as img:
            return img.size
    except Exception:  # noqa: BLE001 - an unreadable header just means "unknown size"
        return None


def decode_text(data: bytes) -> str | None:
    """The bytes as text (UTF-8 with or without BOM, UTF-16 with BOM, GB18030), or None if they are not text.

    GB18030 is the last resort because it accepts most byte sequences; the control-character check is what keeps
    random binary data from passing as Chinese text.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        candidates = ("utf-8-sig",)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ("utf-16",)
    else:
        candidates = ("utf-8", "gb18030")
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_like_text(text):
            return text
    if candidates[0] == "utf-8":  # UTF-8 with a few broken bytes (a file cut mid-character) is still text
        text = data.decode("utf-8", errors="replace")
        if text.count("\ufffd") <= len(text) // 1000 and _looks_like_text(text):
            return text
    return None


def _looks_like_text(text: str) -> bool:
    if "\x00" in text:
        return False
    sample = text[:65536]
    bad = sum(1 for ch in sample if ord(ch) in _CONTROLS)
    return bad <= len(sample) // 1000


def _extension(filename: str | None) -> str:
    name = (filename or "").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return "zip"  # the archive reader reports it as corrupt
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        return "pptx"
    return "zip"


def legacy_office() -> Unreadable:
    return Unreadable("unknown_type",
                      "不支持旧版 Office 格式(.doc/.xls/.ppt)，请另存为 .docx/.xlsx/.pptx 或 PDF 后再上传",
                      "legacy Office files (.doc/.xls/.ppt) are not supported: save as .docx/.xlsx/.pptx or PDF "
                      "and upload again")


def unknown_type() -> Unreadable:
    return Unreadable("unknown_type", f"无法识别的文件类型，无法检查内容；支持的格式：{ACCEPTED_ZH}",
                      f"unrecognised file type, its content cannot be inspected; accepted formats: {ACCEPTED_EN}")


def sniff(data: bytes, filename: str | None) -> str:
    """The kind of ``data``: pdf | docx | xlsx | pptx | zip | image | text | csv | json | html.

    Raises Unreadable for legacy Office files (unknown_type), password-protected Office files (encrypted) and
    unrecognised binaries (unknown_type).
    """
    head = data[:1024]
    # PDF readers accept junk before the header, so must we (but a text file merely mentioning it is text).
    if data.startswith(b"%PDF-") or (b"%PDF-" in head and b"endobj" in data):
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _zip_kind(data)
    if is_image(data):
        return "image"
    if data.startswith(_OLE2):
        # A password-protected .docx/.xlsx/.pptx is an OLE2 container holding "EncryptionInfo" and
        # "EncryptedPackage" streams (directory entry names are UTF-16LE).
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise Unreadable("encrypted", "Office 文件设有密码，无法检查内容；请去除密码后再上传",
                             "the Office file is password-protected and cannot be inspected; remove the password "
                             "and upload again")
        raise legacy_office()
    if decode_text(data) is not None:
        flavour = _TEXT_FLAVOURS.get(_extension(filename))
        if flavour:
            return flavour
        if head.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            return "html"
        return "text"
    raise unknown_type()
