"""DOCX/XLSX/PPTX read from their XML: markings hidden in tables, headers, text boxes, comments, notes."""
from __future__ import annotations

import io
import zipfile

import docx
import openpyxl
import pptx
import pytest
from docx.oxml import parse_xml
from openpyxl.comments import Comment
from PIL import Image

from proxy.uploads.documents import extract_document
from proxy.uploads.model import Budget, Limits, Unreadable
from proxy.uploads.ooxml import _sheet

MARK = "机密★5年"
_TEXTBOX = ('<w:r xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
            'xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:40pt"><v:textbox>'
            '<w:txbxContent><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></w:r>')


def png(width: int = 120, height: int = 80) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buf, "PNG")
    return buf.getvalue()


def make_docx(*, body: str = "普通正文", table: str = "", header: str = "", textbox: str = "", comment: str = "",
              picture: bool = False) -> bytes:
    d = docx.Document()
    p = d.add_paragraph(body)
    if table:
        t = d.add_table(rows=2, cols=2)
        t.cell(0, 0).text = "项目"
        t.cell(1, 1).text = table
    if header:
        d.sections[0].header.paragraphs[0].text = header
    if textbox:
        d.add_paragraph("正文段落")._p.append(parse_xml(_TEXTBOX.format(textbox)))
    if comment:
        d.add_comment(p.runs, text=comment, author="审阅人")
    if picture:
        d.add_picture(io.BytesIO(png()))
        d.add_picture(io.BytesIO(png(8, 8)))  # an icon: not worth OCR
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def with_members(data: bytes, members: dict[str, bytes]) -> bytes:
    """A copy of the package ``data`` with extra (or replaced) members."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in members:
                dst.writestr(info, src.read(info))
        for name, blob in members.items():
            dst.writestr(name, blob)
    return out.getvalue()


def _read(data: bytes, name: str = "file"):
    return extract_document(data, name, Budget(Limits()))


def _where(ex, needle: str) -> list[str]:
    return [p.where for p in ex.texts if needle in p.text]


@pytest.mark.parametrize("place, where", [("table", "body"), ("header", "header1"), ("textbox", "body"),
                                          ("comment", "comments")])
def test_docx_marking_hidden_in_one_place(place, where):
    ex = _read(make_docx(**{place: MARK}), "a.docx")
    assert ex.kind == "docx"
    assert _where(ex, MARK) == [where]
    assert "普通正文" in next(p.text for p in ex.texts if p.where == "body")


def test_docx_text_box_keeps_its_own_line():
    ex = _read(make_docx(textbox=MARK), "a.docx")
    body = next(p.text for p in ex.texts if p.where == "body").splitlines()
    assert MARK in body and "正文段落" in body


def test_docx_pictures_go_to_ocr_and_properties_are_read():
    data = make_docx(picture=True)
    d = docx.Document(io.BytesIO(data))
    d.core_properties.keywords = "内部资料 注意保存"
    buf = io.BytesIO()
    d.save(buf)
    ex = _read(buf.getvalue(), "a.docx")
    assert [i.where for i in ex.images] == ["word/media/image1.png"]
    assert _where(ex, "内部资料 注意保存") == ["docProps/core"]


def test_xlsx_cells_comments_sheets_and_print_headers():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "预算"
    ws["B7"] = "普通单元格"
    ws["C7"] = 12345
    ws["A1"].comment = Comment(MARK, "审阅人")
    ws.oddHeader.center.text = "内部资料"
    hidden = wb.create_sheet("附表")
    hidden["A1"] = "注意保存"
    hidden.sheet_state = "hidden"
    buf = io.BytesIO()
    wb.save(buf)
    ex = _read(buf.getvalue(), "a.xlsx")
    assert ex.kind == "xlsx" and ex.pages == 2
    assert _where(ex, MARK) == ["sheet 预算 comments"]
    assert "普通单元格\t12345" in next(p.text for p in ex.texts if p.where == "sheet 预算")
    assert _where(ex, "内部资料") == ["sheet 预算"]
    assert _where(ex, "注意保存") == ["sheet 附表"]


def test_xlsx_inline_strings_and_cached_formula_values():
    xml = (b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
           b'<row r="1"><c r="A1" t="inlineStr"><is><r><t>\xe6\x9c\xba</t></r><r><t>\xe5\xaf\x86</t></r></is></c>'
           b'<c r="B1" t="str"><f>"x"&amp;"y"</f><v>xy</v></c><c r="C1" t="s"><v>1</v></c></row>'
           b'</sheetData></worksheet>')
    assert _sheet(xml, ["零", "一"]) == "机密\txy\t一"


def test_pptx_marking_only_in_speaker_notes():
    prs = pptx.Presentation()
    for title in ("第一页", "第二页"):
        slide = prs.slides.add_slide(prs.slide_layouts[5])
        slide.shapes.title.text = title
    prs.slides[1].notes_slide.notes_text_frame.text = f"讲稿：{MARK}"
    prs.slides[0].shapes.add_picture(io.BytesIO(png()), 0, 0)
    buf = io.BytesIO()
    prs.save(buf)
    ex = _read(buf.getvalue(), "deck.pptx")
    assert ex.kind == "pptx" and ex.pages == 2
    assert _where(ex, MARK) == ["slide 2 notes"]
    assert _where(ex, "第一页") == ["slide 1"] and _where(ex, "第二页") == ["slide 2"]
    assert [i.where for i in ex.images] == ["ppt/media/image1.png"]


def test_embedded_workbook_is_read_and_legacy_objects_are_refused():
    wb = openpyxl.Workbook()
    wb.active["A1"] = MARK
    inner = io.BytesIO()
    wb.save(inner)
    name = "word/embeddings/Microsoft_Excel_Worksheet.xlsx"
    ex = _read(with_members(make_docx(), {name: inner.getvalue()}), "a.docx")
    assert _where(ex, MARK) == [f"{name}/sheet Sheet"]
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600)
    with pytest.raises(Unreadable) as err:
        _read(with_members(make_docx(), {"word/embeddings/oleObject1.bin": ole}), "a.docx")
    assert err.value.code == "unknown_type" and "嵌入" in err.value.zh


@pytest.mark.parametrize("xml", [b"<w:document", b'<!DOCTYPE d [<!ENTITY a "aaaa">]><d>&a;</d>'])
def test_malformed_or_dtd_xml_is_corrupt(xml):
    with pytest.raises(Unreadable) as err:
        _read(with_members(make_docx(), {"word/document.xml": xml}), "a.docx")
    assert err.value.code == "corrupt"


def test_other_parts_are_swept_with_runs_kept_whole():
    smartart = ('<dgm:dataModel xmlns:dgm="d" xmlns:a="a"><dgm:ptLst><dgm:pt><dgm:t><a:p><a:r><a:t>机密</a:t></a:r>'
                '<a:r><a:t>★5年</a:t></a:r></a:p></dgm:t></dgm:pt></dgm:ptLst></dgm:dataModel>').encode()
    chart = b'<c:chart xmlns:c="c"><c:v>12</c:v><c:v>34</c:v></c:chart>'
    ex = _read(with_members(make_docx(), {"word/diagrams/data1.xml": smartart, "word/charts/chart1.xml": chart,
                                          "word/theme/theme1.xml": f"<t>{MARK}</t>".encode()}), "a.docx")
    assert _where(ex, MARK) == ["word/diagrams/data1"]  # themes are formatting: not swept
    assert next(p.text for p in ex.texts if p.where == "word/charts/chart1") == "12\n34"


def test_pictures_are_counted_against_the_image_budget():
    two = with_members(make_docx(picture=True), {"word/media/image9.png": png()})
    budget = Budget(Limits())
    ex = extract_document(two, "a.docx", budget)
    assert budget.images == len(ex.images) == 2  # already counted: callers must not count again
    with pytest.raises(Unreadable) as err:
        extract_document(two, "a.docx", Budget(Limits(max_images=1)))
    assert err.value.code == "too_many"
