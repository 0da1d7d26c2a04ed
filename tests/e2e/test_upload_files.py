"""Generated files of every kind through POST /v1/files: each gets its decision, nothing blocked or
unreadable reaches the upstream double, and every limit refuses with a reason."""
from __future__ import annotations

import io
import zipfile

import httpx
import pytest

from tests.conftest import CORPUS

MARK = "机密★5年"
BODY = "关于重点目标防护方案的报告\n各区应急管理局：\n现将防护方案印发给你们，请认真贯彻执行。"
PUBLIC = "关于举办春季运动会的通知\n各学院：\n学校定于四月举办春季运动会，欢迎师生踊跃报名。"


def pdf(lines: list[str]) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont("STSong-Light", 14)
    for i, line in enumerate(lines):
        c.drawString(72, 760 - 24 * i, line)
    c.save()
    return buf.getvalue()


def image_pdf(png: bytes) -> bytes:
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    c.drawImage(ImageReader(io.BytesIO(png)), 0, 0, width=595, height=842)
    c.save()
    return buf.getvalue()


def docx(*, header: str = "", table: str = "", body: str = BODY) -> bytes:
    import docx as d

    doc = d.Document()
    for line in body.split("\n"):
        doc.add_paragraph(line)
    if header:
        doc.sections[0].header.paragraphs[0].text = header
    if table:
        doc.add_table(rows=1, cols=1).cell(0, 0).text = table
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def xlsx_comment() -> bytes:
    import openpyxl
    from openpyxl.comments import Comment

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "2025年预算调整"
    ws["A1"].comment = Comment("内部资料 注意保存", "财务处")
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def pptx_notes() -> bytes:
    from pptx import Presentation

    p = Presentation()
    s = p.slides.add_slide(p.slide_layouts[1])
    s.shapes.title.text = "年度工作汇报"
    s.notes_slide.notes_text_frame.text = f"{MARK}\n{BODY}"
    buf = io.BytesIO()
    p.save(buf)
    return buf.getvalue()


def zipped(name: str, data: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return buf.getvalue()


def zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        with z.open("zeros.txt", "w") as f:
            chunk = bytes(1 << 20)
            for _ in range(30):
                f.write(chunk)
    return buf.getvalue()


def pixel_bomb() -> bytes:
    """A PNG whose header declares 60,000 x 60,000 pixels (never decoded, so never allocated)."""
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 60000, 60000, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + \
        chunk(b"IEND", b"")


def encrypted_pdf() -> bytes:
    from pypdf import PdfReader, PdfWriter

    w = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf(["普通文本"]))))
    w.encrypt("owner-and-user")
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


CASES = {
    "cjk_pdf_marked": ("a.pdf", lambda: pdf([MARK, *BODY.split("\n")]), "block"),
    "cjk_pdf_public": ("b.pdf", lambda: pdf(PUBLIC.split("\n")), "allow"),
    "docx_table_only": ("c.docx", lambda: docx(table=MARK), "block"),
    "docx_header_only": ("d.docx", lambda: docx(header=MARK), "block"),
    "docx_public": ("e.docx", lambda: docx(body=PUBLIC), "allow"),
    "xlsx_comment": ("f.xlsx", xlsx_comment, "block"),
    "pptx_notes_only": ("g.pptx", pptx_notes, "block"),
    "zip_of_marked_docx": ("h.zip", lambda: zipped("方案.docx", docx(header=MARK)), "block"),
    "image_only_pdf": ("i.pdf", lambda: image_pdf((CORPUS / "images" / "dev_img_01.png").read_bytes()), "block"),
    "encrypted_pdf": ("j.pdf", encrypted_pdf, "not_inspectable"),
    "zip_bomb": ("k.zip", zip_bomb, "not_inspectable"),
    "pixel_bomb": ("l.png", pixel_bomb, "not_inspectable"),
    "unknown_binary": ("m.bin", lambda: bytes(range(256)) * 64, "not_inspectable"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_generated_file_gets_its_decision(gateway, upstream_log, case):
    name, make, expected = CASES[case]
    r = httpx.post(gateway.url + "/v1/files", files={"file": (name, make())}, data={"purpose": "assistants"},
                   timeout=120)
    if expected == "allow":
        assert r.status_code == 200, r.text
        assert len(upstream_log.requests) == 1
        return
    assert r.status_code == 403, r.text
    code = r.json()["error"]["code"]
    assert code == ("content_blocked" if expected == "block" else "not_inspectable")
    assert upstream_log.requests == []


def test_the_time_limit_refuses_with_a_reason(double, start_gateway, upstream_log):
    gw = start_gateway(double.url + "/v1", upload_timeout=0.000001)
    r = httpx.post(gw.url + "/v1/files", files={"file": ("a.docx", docx(body=PUBLIC))}, data={"purpose": "x"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_inspectable"
    assert "超时" in r.json()["error"]["message"]
    assert upstream_log.requests == []


def test_file_size_limit_is_configurable(double, start_gateway, upstream_log):
    gw = start_gateway(double.url + "/v1", upload_max_file_bytes=10_000)
    r = httpx.post(gw.url + "/v1/files", files={"file": ("a.docx", docx(body=PUBLIC * 50))}, data={"purpose": "x"})
    assert r.status_code == 403 and "MB" in r.json()["error"]["message"]
    assert upstream_log.requests == []
