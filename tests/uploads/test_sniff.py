"""Kind by magic bytes, not by name; refusals for legacy Office, password-protected Office and unknown binaries."""
from __future__ import annotations

import io
import os
import zipfile

import pytest
from PIL import Image

from proxy.uploads.model import Unreadable
from proxy.uploads.sniff import decode_text, image_size, is_image, sniff


def _zip(names: list[str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name in names:
            zf.writestr(name, "<x/>")
    return buf.getvalue()


def _image(fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (80, 80), "white").save(buf, fmt)
    return buf.getvalue()


def _cfb(extra: bytes = b"") -> bytes:
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + extra + os.urandom(1024)


@pytest.mark.parametrize("names, kind", [
    (["[Content_Types].xml", "word/document.xml"], "docx"),
    (["[Content_Types].xml", "xl/workbook.xml"], "xlsx"),
    (["[Content_Types].xml", "ppt/presentation.xml"], "pptx"),
    (["a.txt", "b/c.pdf"], "zip"),
])
def test_zip_containers_by_their_members(names, kind):
    assert sniff(_zip(names), "whatever.txt") == kind  # the name never wins over the bytes


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"])
def test_images(fmt):
    data = _image(fmt)
    assert sniff(data, "report.pdf") == "image"
    assert image_size(data) == (80, 80)


def test_pdf_magic_even_with_junk_before_it():
    assert sniff(b"%PDF-1.7\n...", None) == "pdf"
    assert sniff(b"\0\0junk%PDF-1.4\n1 0 obj<<>>endobj", "x.txt") == "pdf"
    # a text file that merely mentions the header stays text
    assert sniff("关于 %PDF-1.7 的说明".encode(), "notes.md") == "text"


def test_text_flavours_by_extension():
    data = "机密★5年".encode()
    assert sniff(data, "a.txt") == "text"
    assert sniff(data, "a.md") == "text"
    assert sniff(data, "dir/a.CSV") == "csv"
    assert sniff(b'{"a": 1}', "a.json") == "json"
    assert sniff(b"<p>x</p>", "a.htm") == "html"
    assert sniff(b"<!DOCTYPE html><p>x</p>", None) == "html"
    assert sniff(b"BM is a company", None) == "text"  # "BM" alone is not a bitmap


def test_text_encodings():
    text = "内部资料 注意保存\n第二行"
    assert decode_text(text.encode("utf-8")) == text
    assert decode_text(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
    assert decode_text(text.encode("utf-16")) == text  # with BOM
    assert decode_text(text.encode("gb18030")) == text
    assert decode_text(b"\x00\x01\x02binary") is None


def test_unknown_binary_is_refused_with_the_accepted_formats():
    with pytest.raises(Unreadable) as err:
        sniff(bytes(range(256)) * 8 + os.urandom(4096), "data.bin")
    assert err.value.code == "unknown_type"
    assert "PDF" in err.value.zh and ".docx" in err.value.en


def test_legacy_office_asks_for_ooxml_or_pdf():
    with pytest.raises(Unreadable) as err:
        sniff(_cfb(), "old.doc")
    assert err.value.code == "unknown_type"
    assert ".docx" in err.value.zh and "PDF" in err.value.en


def test_password_protected_office_is_encrypted():
    data = _cfb("EncryptionInfo".encode("utf-16-le") + b"\0" * 10 + "EncryptedPackage".encode("utf-16-le"))
    with pytest.raises(Unreadable) as err:
        sniff(data, "secret.docx")
    assert err.value.code == "encrypted"
    assert "密码" in err.value.zh and "password" in err.value.en


def test_is_image_needs_a_real_signature():
    assert not is_image(b"RIFF\0\0\0\0WAVE")
    assert is_image(_image("WEBP"))


def test_utf8_cut_mid_character_is_still_text():
    data = ("内部资料 注意保存。" * 200).encode()[:-1]
    assert sniff(data, "a.txt") == "text"
    assert "内部资料" in decode_text(data)
