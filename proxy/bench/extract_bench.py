"""``baomi bench --extract``: document extraction time per MB for each format, and peak memory.

Generates one file per format with ordinary Chinese prose (about 1-2 MB each; PDF, DOCX, XLSX, PPTX, TXT,
CSV, JSON, HTML and a ZIP of the DOCX), then times ``extract_document`` on each (median of several runs) and
reports milliseconds per MB of file and the peak of Python allocations during extraction (tracemalloc).
Needs the test extras (reportlab, python-docx, openpyxl, python-pptx) to write the files.
"""
from __future__ import annotations

import io
import json
import statistics
import time
import tracemalloc
import zipfile
from typing import Any, Callable

from proxy.bench.run import PARAGRAPH
from proxy.uploads.documents import extract_document
from proxy.uploads.model import Budget, Limits

LINE = PARAGRAPH[:60]


def para(i: int) -> str:
    """Varied prose (real documents do not repeat one paragraph: identical XML would look like a zip bomb)."""
    k = (i * 37) % len(PARAGRAPH)
    return f"{i}．" + PARAGRAPH[k:] + PARAGRAPH[:k] + str(i * 7919)


def _pdf(n: int) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for i in range(n):
        c.setFont("STSong-Light", 10)
        y = 800
        while y > 40:
            c.drawString(40, y, LINE[: 40])
            y -= 14
        c.showPage()
    c.save()
    return buf.getvalue()


def _docx(n: int) -> bytes:
    import docx

    d = docx.Document()
    for i in range(n):
        d.add_paragraph(para(i))
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _xlsx(n: int) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    for i in range(n):
        ws.append([para(i)[:60], i, f"备注{i}"])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _pptx(n: int) -> bytes:
    from pptx import Presentation

    p = Presentation()
    for i in range(n):
        s = p.slides.add_slide(p.slide_layouts[1])
        s.shapes.title.text = LINE[:20]
        s.placeholders[1].text = para(i)
        s.notes_slide.notes_text_frame.text = para(i + 1)
    buf = io.BytesIO()
    p.save(buf)
    return buf.getvalue()


def _zip(inner: bytes) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i in range(4):
            z.writestr(f"报告{i}.docx", inner)
    return buf.getvalue()


def samples() -> dict[str, tuple[str, Callable[[], bytes]]]:
    text = "\n".join(para(i) for i in range(4000))
    return {
        "pdf": ("a.pdf", lambda: _pdf(150)),
        "docx": ("a.docx", lambda: _docx(6000)),
        "xlsx": ("a.xlsx", lambda: _xlsx(20000)),
        "pptx": ("a.pptx", lambda: _pptx(300)),
        "txt": ("a.txt", lambda: text.encode()),
        "csv": ("a.csv", lambda: "\n".join(f"{i},{LINE}" for i in range(15000)).encode()),
        "json": ("a.json", lambda: json.dumps([{"id": i, "text": LINE} for i in range(12000)],
                                              ensure_ascii=False).encode()),
        "html": ("a.html", lambda: ("<html><body>" + "".join(f"<p>{LINE}</p>" for i in range(12000))
                                    + "</body></html>").encode()),
        "zip (4 docx)": ("a.zip", lambda: _zip(_docx(1500))),
    }


def run(repeat: int = 3) -> list[dict[str, Any]]:
    limits = Limits(max_file_bytes=200 * 1024 * 1024, max_extracted_bytes=500 * 1024 * 1024, max_pages=1000,
                    max_images=1000, timeout=600)
    rows = []
    for kind, (name, make) in samples().items():
        data = make()
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            ext = extract_document(data, name, Budget(limits))
            times.append(time.perf_counter() - t0)
        tracemalloc.start()
        extract_document(data, name, Budget(limits))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        mb = len(data) / (1024 * 1024)
        chars = sum(len(t.text) for t in ext.texts)
        rows.append({"format": kind, "mb": mb, "ms": statistics.median(times) * 1000,
                     "ms_per_mb": statistics.median(times) * 1000 / mb, "chars": chars,
                     "peak_mb": peak / (1024 * 1024)})
    return rows


def report(rows: list[dict[str, Any]]) -> str:
    out = ["baomi bench --extract: extract_document on generated files (median of 3)",
           f"{'format':<14}{'file MB':>9}{'ms':>10}{'ms per MB':>11}{'chars out':>11}{'ms/100k chars':>15}"
           f"{'peak MB':>9}"]
    for r in rows:
        out.append(f"{r['format']:<14}{r['mb']:>9.2f}{r['ms']:>10.1f}{r['ms_per_mb']:>11.1f}{r['chars']:>11}"
                   f"{r['ms'] / max(r['chars'], 1) * 100_000:>15.1f}{r['peak_mb']:>9.1f}")
    out.append("(compressed formats hold far more text per MB than plain text: read ms per 100k characters "
               "extracted alongside ms per MB of file; the PDF has 150 pages)")
    return "\n".join(out)
