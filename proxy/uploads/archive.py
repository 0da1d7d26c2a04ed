"""Safe ZIP reading, shared by the ZIP reader and the OOXML (docx/xlsx/pptx) readers.

A ZIP is the classic way to make a small upload expensive: a member that inflates a thousandfold, a million
members, archives nested in archives, or encrypted members the gateway cannot look into. Every member is
therefore checked before it is read (encryption flag, compression ratio, remaining budget) and read in chunks
against both its declared size and the request's Budget; nothing is ever written to disk, so "zip slip" names are
harmless and are kept as they are in ``where``. An encrypted member is refused, never skipped: what the gateway
cannot read, it must not forward.
"""
from __future__ import annotations

import io
import zipfile

from .model import Budget, Extraction, ImagePart, TextPart, Unreadable

CHUNK = 1024 * 1024
# Members smaller than this cannot hurt however well they compress, while repetitive XML parts reach high ratios
# (a .docx of 3,000 identical paragraphs: 158:1); the streaming cap against the Budget still applies to them.
RATIO_FLOOR = 1024 * 1024
# Finder metadata that macOS adds to every archive; it is not document content and would otherwise make
# the whole archive "unknown type".
_METADATA = ("__MACOSX/", ".DS_Store")


def corrupt(what: str = "压缩包", what_en: str = "archive") -> Unreadable:
    return Unreadable("corrupt", f"{what}已损坏或格式不正确，无法检查内容；请重新生成后再上传",
                      f"the {what_en} is damaged or malformed and cannot be inspected; recreate it and upload again")


def encrypted() -> Unreadable:
    return Unreadable("encrypted", "压缩包或文档设有密码（加密），无法检查内容；请去除密码后再上传",
                      "the archive or document is password-protected (encrypted) and cannot be inspected; "
                      "remove the password and upload again")


def bomb() -> Unreadable:
    return Unreadable("bomb", "压缩包解压后异常膨胀（疑似压缩炸弹），已拒绝；请上传正常的文件",
                      "an archive member expands abnormally when decompressed (zip bomb) and was refused; "
                      "upload ordinary files instead")


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's name; Chinese Windows tools write GBK names without the UTF-8 flag (zipfile reads cp437)."""
    name = info.filename
    if not info.flag_bits & 0x800:
        try:
            name = name.encode("cp437").decode("gbk")
        except (UnicodeEncodeError, UnicodeDecodeError):
            pass
    return name


def open_zip(data: bytes, budget: Budget, *, count: bool) -> zipfile.ZipFile:
    """Open ``data`` as a ZIP and check its member count.

    ``count`` adds the members to the request-wide total (``Budget.members``, archives inside archives add up);
    OOXML containers only check their own size, their parts are not "files" the user sent.
    """
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = [i for i in zf.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError, NotImplementedError):
        raise corrupt() from None
    limit = budget.limits.max_members
    if count:
        budget.members += len(infos)
    if len(infos) > limit or budget.members > limit:
        zf.close()
        raise Unreadable("too_many", f"压缩包内文件超过 {limit} 个上限，无法全部检查；请拆分后再上传",
                         f"the archive holds more than {limit} files and cannot be fully inspected; "
                         f"split it and upload again")
    return zf


def read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: Budget) -> bytes:
    """The member's bytes, refusing encrypted members, bombs and anything over the Budget."""
    if info.flag_bits & 0x1:
        raise encrypted()
    size, packed = info.file_size, info.compress_size
    if size > RATIO_FLOOR and (packed <= 0 or size / packed > budget.limits.max_archive_ratio):
        raise bomb()
    if budget.extracted + size > budget.limits.max_extracted_bytes:
        budget.add_text(size)  # raises the standard too_large refusal before anything is inflated
    chunks: list[bytes] = []
    total = 0
    try:
        with zf.open(info) as fh:
            while chunk := fh.read(CHUNK):
                total += len(chunk)
                if total > size:  # zipfile stops at the declared size, but never rely on it
                    raise bomb()
                budget.add_text(len(chunk))
                chunks.append(chunk)
    except Unreadable:
        raise
    except Exception:  # bad CRC, truncated data, unsupported method (deflate64), zlib/lzma/bz2 errors
        raise corrupt() from None
    return b"".join(chunks)


def adopt(out: Extraction, inner: Extraction, name: str, prefix: str = "") -> None:
    """Add the parts of ``inner`` (read from member ``name``) to ``out`` as ``prefix + name/where``.

    Whole-file parts (``text``, ``image``) are labelled by the member alone; a nested ZIP already put its own
    name in front of its parts.
    """
    def label(where: str) -> str:
        if inner.kind == "zip":
            return prefix + where
        return prefix + (name if where in ("text", "image") else f"{name}/{where}")

    out.texts += [TextPart(label(p.where), p.text) for p in inner.texts]
    out.images += [ImagePart(label(p.where), p.data) for p in inner.images]


def extract_zip(data: bytes, filename: str | None, budget: Budget, depth: int) -> Extraction:
    """Every member, read as a document of its own at ``depth + 1``; ``where`` = ``archive.zip/inner/x.docx/header1``.

    One unreadable member makes the whole archive unreadable (the error propagates).
    """
    from .documents import extract_document  # documents dispatches to us: import late

    label = filename or "archive.zip"
    out = Extraction(kind="zip")
    with open_zip(data, budget, count=True) as zf:
        for info in zf.infolist():
            name = member_name(info)
            if info.is_dir() or name.startswith(_METADATA[0]) or name.rsplit("/", 1)[-1] == _METADATA[1]:
                continue
            budget.check_time()
            inner = extract_document(read_member(zf, info, budget), name, budget, depth + 1)
            adopt(out, inner, name, f"{label}/")
            out.pages += inner.pages
    return out
