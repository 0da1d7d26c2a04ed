"""ZIP: recursion with where paths, and every way an archive can be made unreadable or expensive."""
from __future__ import annotations

import io
import os
import struct
import zipfile

import openpyxl
import pytest

from proxy.uploads.documents import extract_document
from proxy.uploads.model import Budget, Limits, Unreadable

from .test_ooxml import make_docx, png, with_members

MARK = "机密★5年"


def make_zip(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, blob in members.items():
            zf.writestr(name, blob)
    return buf.getvalue()


def _read(data: bytes, limits: Limits | None = None, name: str = "archive.zip"):
    return extract_document(data, name, Budget(limits or Limits()))


def _refused(data: bytes, limits: Limits | None = None) -> Unreadable:
    with pytest.raises(Unreadable) as err:
        _read(data, limits)
    return err.value


def _where(ex, needle: str) -> list[str]:
    return [p.where for p in ex.texts if needle in p.text]


def test_members_are_read_as_documents_with_their_paths():
    inner = make_zip({"dir/报告.docx": make_docx(header=MARK), "说明.txt": "内部资料 注意保存".encode()})
    data = make_zip({"inner.zip": inner, "scan.png": png(), "__MACOSX/._scan.png": os.urandom(200)})
    ex = _read(data, name="outer.zip")
    assert ex.kind == "zip"
    assert _where(ex, MARK) == ["outer.zip/inner.zip/dir/报告.docx/header1"]
    assert _where(ex, "内部资料 注意保存") == ["outer.zip/inner.zip/说明.txt"]
    assert [i.where for i in ex.images] == ["outer.zip/scan.png"]


def test_nesting_deeper_than_the_limit_is_refused():
    wb = openpyxl.Workbook()
    wb.active["A1"] = MARK
    sheet = io.BytesIO()
    wb.save(sheet)
    report = with_members(make_docx(), {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": sheet.getvalue()})
    three = make_zip({"z1.zip": make_zip({"z2.zip": make_zip({"r.docx": make_docx(table=MARK)})})})
    assert _where(_read(three), MARK) == ["archive.zip/z1.zip/z2.zip/r.docx/body"]  # depth 3: still read
    four = make_zip({"z1.zip": make_zip({"z2.zip": make_zip({"r.docx": report})})})  # the sheet is depth 4
    err = _refused(four)
    assert err.code == "too_deep" and "3" in err.zh


def test_encrypted_member_is_refused():
    data = bytearray(make_zip({"secret.txt": MARK.encode()}, zipfile.ZIP_STORED))
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 6] |= 0x1  # general purpose flag bit 0: encrypted
    data[central + 8] |= 0x1
    err = _refused(bytes(data))
    assert err.code == "encrypted" and "去除密码" in err.zh and "remove the password" in err.en


def test_zip_bomb_is_refused_by_ratio():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf, zf.open("zeros.txt", "w") as fh:
        chunk = bytes(1024 * 1024)
        for _ in range(20):
            fh.write(chunk)
    assert len(buf.getvalue()) < 100_000
    assert _refused(buf.getvalue()).code == "bomb"


def test_small_compressible_members_are_not_bombs():
    ex = _read(make_zip({"a.txt": b"a" * 500_000 + MARK.encode()}))  # ratio ~1000, but only 500 KB
    assert _where(ex, MARK) == ["archive.zip/a.txt"]


def test_header_that_understates_the_size_is_not_trusted():
    data = bytearray(make_zip({"a.txt": b"x" * 3_000_000}))
    central, local = data.find(b"PK\x01\x02"), data.find(b"PK\x03\x04")
    struct.pack_into("<I", data, central + 24, 1000)  # claims 1,000 bytes uncompressed
    struct.pack_into("<I", data, local + 22, 1000)
    assert _refused(bytes(data)).code == "corrupt"  # reading stops at the claim and the CRC does not match


def test_extracted_bytes_over_budget():
    text = os.urandom(150_000).hex().encode()  # ordinary ratio, but 300 KB
    assert _refused(make_zip({"a.txt": text}), Limits(max_extracted_bytes=100_000)).code == "too_large"


def test_too_many_members_counts_nested_archives():
    flat = make_zip({f"{i}.txt": b"x" for i in range(6)})
    assert _refused(flat, Limits(max_members=5)).code == "too_many"
    nested = make_zip({"a.txt": b"x", "b.txt": b"x", "in.zip": make_zip({f"{i}.txt": b"x" for i in range(3)})})
    assert _refused(nested, Limits(max_members=5)).code == "too_many"
    assert len(_read(nested, Limits(max_members=6)).texts) == 5


def test_unknown_member_makes_the_archive_unreadable():
    err = _refused(make_zip({"a.txt": b"ok", "tool.exe": b"MZ" + bytes(range(256)) * 4}))
    assert err.code == "unknown_type"


def test_corrupt_archives():
    good = make_zip({"a.txt": MARK.encode() * 100})
    assert _refused(good[: len(good) // 2]).code == "corrupt"
    assert _refused(b"PK\x03\x04" + os.urandom(300)).code == "corrupt"


def test_gbk_member_names_from_chinese_windows():
    data = make_zip({"XXXX.txt": MARK.encode()}, zipfile.ZIP_STORED)
    data = data.replace(b"XXXX.txt", "报告.txt".encode("gbk"))  # same length, no UTF-8 flag
    assert _where(_read(data), MARK) == ["archive.zip/报告.txt"]


def test_file_size_limit():
    assert _refused(b"a" * 2000, Limits(max_file_bytes=1000)).code == "too_large"


def test_random_bytes_and_legacy_doc_at_top_level():
    assert _refused(os.urandom(5000)).code == "unknown_type"
    err = _refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    assert err.code == "unknown_type" and ".docx" in err.en
