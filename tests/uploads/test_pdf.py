"""PDF: CJK text layer per page, encryption refused, scans handed to OCR, limits."""
from __future__ import annotations

import io

import pytest
from PIL import Image, ImageDraw
from pypdf import PdfReader, PdfWriter
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

from proxy.uploads.documents import extract_document
from proxy.uploads.model import Budget, Limits, Unreadable

MARK = "机密★5年"
pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))  # reportlab's built-in CJK font, no font file needed


def make_pdf(pages: list[str], images: dict[int, list[Image.Image]] | None = None) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    for number, text in enumerate(pages, start=1):
        c.setFont("STSong-Light", 14)
        for i, line in enumerate(text.splitlines()):
            c.drawString(72, 760 - 20 * i, line)
        for k, img in enumerate((images or {}).get(number, [])):
            c.drawImage(ImageReader(img), 72, 100 + 250 * k, img.width, img.height)
        c.showPage()
    c.save()
    return buf.getvalue()


def scan(width: int = 400, height: int = 200) -> Image.Image:
    img = Image.new("RGB", (width, height), "white")
    ImageDraw.Draw(img).rectangle((10, 10, width - 10, height // 2), fill="black")
    return img


def _read(data: bytes, limits: Limits | None = None):
    return extract_document(data, "doc.pdf", Budget(limits or Limits()))


def _refused(data: bytes, limits: Limits | None = None) -> Unreadable:
    with pytest.raises(Unreadable) as err:
        _read(data, limits)
    return err.value


def test_cjk_text_per_page():
    ex = _read(make_pdf(["关于加强管理的通知", f"{MARK}\n内部资料 注意保存"]))
    assert ex.kind == "pdf" and ex.pages == 2
    pages = {p.where: p.text for p in ex.texts}
    assert "关于加强管理的通知" in pages["page 1"]
    assert MARK in pages["page 2"] and "内部资料 注意保存" in pages["page 2"]
    assert ex.images == []  # pages with a text layer are not sent to OCR


def test_image_only_page_goes_to_ocr_and_tiny_images_are_skipped():
    ex = _read(make_pdf(["", "有文字的一页，图片不送识别，文字足够长足够长足够长"],
                        {1: [scan(), scan(20, 20)], 2: [scan()]}))
    assert [t.where for t in ex.texts if t.where.startswith("page")] == ["page 2"]
    assert [i.where for i in ex.images] == ["page 1 image 1"]
    assert Image.open(io.BytesIO(ex.images[0].data)).size == (400, 200)


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_encrypted_pdf_is_refused_even_with_empty_user_password(user_password):
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf([MARK]))))
    writer.encrypt(user_password=user_password, owner_password="owner")
    buf = io.BytesIO()
    writer.write(buf)
    err = _refused(buf.getvalue())
    assert err.code == "encrypted" and "去除密码" in err.zh and "remove the password" in err.en


def test_too_many_pages():
    err = _refused(make_pdf(["a", "b", "c"]), Limits(max_pages=2))
    assert err.code == "too_large" and "2" in err.zh


def test_corrupt_pdf():
    assert _refused(b"%PDF-1.7\n" + b"\x00garbage" * 100).code == "corrupt"


def test_pypdf_decompression_is_bounded_by_the_budget():
    # one page whose compressed content stream inflates far beyond the (tiny) extraction budget
    text = "\n".join(["内部资料 注意保存 " * 4] * 35)
    data = make_pdf([text] * 3)
    assert _read(data).texts  # fine with the default limits
    err = _refused(data, Limits(max_extracted_bytes=2_000))
    assert err.code == "too_large" and "解压" in err.zh  # refused by pypdf's own zlib limit, set from the Budget


def test_annotations_properties_and_attachments():
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf(["正文内容"]))))
    writer.add_metadata({"/Title": "内部资料 注意保存"})
    writer.add_attachment("附件.txt", f"附件里写着{MARK}".encode())
    from pypdf.annotations import Text

    writer.add_annotation(0, Text(rect=(50, 550, 200, 650), text="批注：绝密"))
    buf = io.BytesIO()
    writer.write(buf)
    parts = {p.where: p.text for p in _read(buf.getvalue()).texts}
    assert "内部资料 注意保存" in parts["properties"].splitlines()
    assert MARK in parts["attachments/附件.txt"]
    assert "批注：绝密" in parts["page 1 annotations"]
