"""Word, Excel and PowerPoint files (.docx/.xlsx/.pptx), read from their XML parts directly.

The libraries that build these files read them too narrowly for inspection: python-docx's ``paragraphs`` skips
tables, headers, footers, text boxes, comments and footnotes; openpyxl drops comments' threads and drawings;
python-pptx has no simple "all text" either. But that is exactly where markings such as ``机密★5年`` or
``内部资料 注意保存`` live (a header line, a table cell, the speaker notes). So each package is opened with the
shared safe ZIP reader and its XML is streamed with ``iterparse``: the well-known parts are read in reading order
with useful ``where`` labels (``body``, ``header1``, ``sheet 预算``, ``slide 3 notes``), then *every other* XML
part (charts, SmartArt, drawings, document properties, custom XML) is swept for text as well, pictures go to OCR
and embedded files (an .xlsx inside a .docx) are read as documents of their own. Element names are matched by
local name, so the "strict" OOXML namespaces work as well as the transitional ones.
"""
from __future__ import annotations

import io
import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from xml.parsers import expat

from .archive import adopt, corrupt, open_zip, read_member
from .model import Budget, Extraction, ImagePart, TextPart, Unreadable
from .sniff import image_size, is_image

_R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
RUN_TEXT = frozenset({"t", "delText", "instrText"})  # run text, tracked deletions, field codes: all are sent
COMMENT_BLOCKS = frozenset({"p", "comment", "cm", "threadedComment"})
# Parts without user content (formatting, themes, bookkeeping), never swept.
_NOISE = re.compile(r"(^|/)(_rels/.*|\[Content_Types\]\.xml|theme/.*|styles\.xml|stylesWithEffects\.xml|"
                    r"fontTable\.xml|settings\.xml|webSettings\.xml|numbering\.xml|calcChain\.xml|"
                    r"tableStyles\.xml|presProps\.xml|viewProps\.xml|itemProps\d*\.xml)$")
MIN_SIDE, MIN_AREA = 16, 64 * 64  # smaller pictures are bullets and icons, not worth an OCR slot


def _name(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _no_dtd(data: bytes) -> None:
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:  # OOXML never has a DTD; entities only serve attacks
        raise corrupt("Office 文件", "Office file")


def _parse(data: bytes):
    _no_dtd(data)
    return ET.iterparse(io.BytesIO(data), events=("start", "end"))


def sweep(data: bytes) -> str:
    """Every piece of character data in document order, plus ``v`` attributes (pivot caches keep their strings
    there): for parts whose structure is not known (charts, SmartArt, drawings, properties, custom XML).

    Inside a paragraph (``w:p``/``a:p``) the runs are joined as they are, elsewhere every element boundary is a
    line break, so chart values do not run together while a word split across runs stays whole. Plain expat
    rather than iterparse: iterparse reads ahead, so an element's tail may or may not be set at its end event.
    """
    _no_dtd(data)
    pieces: list[str] = []
    depth = [0]  # paragraphs currently open

    def start(name: str, attrs: dict[str, str]) -> None:
        local = name.rsplit(":", 1)[-1]
        if not depth[0] or "v" in attrs or local == "br":
            pieces.append("\n" + attrs.get("v", "") + "\n")
        if local == "p":
            depth[0] += 1

    def end(name: str) -> None:
        if name.rsplit(":", 1)[-1] == "p":
            depth[0] -= 1
        if not depth[0]:
            pieces.append("\n")

    parser = expat.ParserCreate()
    parser.CharacterDataHandler = pieces.append
    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        raise corrupt("Office 文件", "Office file") from None
    return "\n".join(line.strip() for line in "".join(pieces).splitlines() if line.strip())


def blocks(data: bytes, block: frozenset = frozenset({"p"}), tags: frozenset = RUN_TEXT) -> list[str]:
    """The text of every ``block`` element (paragraphs by default), in document order.

    Text of ``tags`` elements is concatenated (Word splits words across runs); ``tab``/``br`` become tab and
    newline. Nested blocks (a text box inside a paragraph) come out as blocks of their own.
    """
    out: list[str] = []
    stack: list[list[str]] = [[]]
    for event, elem in _parse(data):
        name = _name(elem.tag)
        if event == "start":
            if name in block:
                stack.append([])
            continue
        if name in tags:
            stack[-1].append(elem.text or "")
        elif name == "tab":
            stack[-1].append("\t")
        elif name in ("br", "cr"):
            stack[-1].append("\n")
        if name in block and len(stack) > 1:
            out.append("".join(stack.pop()).strip())
        elem.clear()
    out += ["".join(rest).strip() for rest in stack if "".join(rest).strip()]
    return out


def _elements(data: bytes | None, local: str) -> list[ET.Element]:
    return [e for ev, e in _parse(data) if ev == "end" and _name(e.tag) == local] if data else []


class _Package:
    """The parts of one OOXML file, each read at most once through the safe ZIP reader."""

    def __init__(self, zf: zipfile.ZipFile, budget: Budget) -> None:
        self.zf, self.budget, self.done = zf, budget, set()
        self.names = {i.filename for i in zf.infolist()}

    def read(self, name: str | zipfile.ZipInfo) -> bytes | None:
        if isinstance(name, str) and name not in self.names:
            return None
        info = self.zf.getinfo(name) if isinstance(name, str) else name  # duplicate names: read each entry
        self.done.add(info.header_offset)
        self.budget.check_time()
        return read_member(self.zf, info, self.budget)

    def rels(self, part: str) -> list[tuple[str, str, str]]:
        """(id, short type, target part) of ``part``'s internal relationships."""
        folder, base = posixpath.split(part)
        out = []
        for e in _elements(self.read(posixpath.join(folder, "_rels", base + ".rels")), "Relationship"):
            target = e.get("Target", "")
            if e.get("TargetMode") != "External" and target:
                path = target if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                out.append((e.get("Id", ""), e.get("Type", "").rsplit("/", 1)[-1], path.lstrip("/")))
        return out

    def add(self, out: Extraction, where: str, name: str | zipfile.ZipInfo, block: frozenset = frozenset({"p"}),
            tags: frozenset | None = RUN_TEXT) -> None:
        data = self.read(name)
        if not data:
            return
        text = sweep(data) if tags is None else "\n".join(b for b in blocks(data, block, tags) if b)
        if text:
            out.texts.append(TextPart(where, text))


def _too_many(budget: Budget, what: str, what_en: str) -> Unreadable:
    n = budget.limits.max_pages
    return Unreadable("too_large", f"{what}超过 {n} 个上限，无法检查；请拆分后再上传",
                      f"more than {n} {what_en}, too many to inspect; split the file and upload again")


def _docx(pkg: _Package, out: Extraction) -> None:
    pkg.add(out, "body", "word/document.xml")
    for kind in ("header", "footer"):
        for name in sorted(n for n in pkg.names if re.fullmatch(rf"word/{kind}\d*\.xml", n)):
            pkg.add(out, name[5:-4], name)
    for part in ("footnotes", "endnotes"):
        pkg.add(out, part, f"word/{part}.xml")
    pkg.add(out, "comments", "word/comments.xml", block=COMMENT_BLOCKS)


def _sheet(data: bytes, shared: list[str]) -> str:
    """Rows as lines, cells separated by tabs: shared strings resolved, inline strings, cached formula values,
    numbers; print headers and footers too."""
    rows, row, cell, kind = [], [], [], None
    for event, elem in _parse(data):
        name = _name(elem.tag)
        if event == "start":
            if name == "c":
                cell, kind = [], elem.get("t")
            continue
        if name in ("v", "t") and elem.text:
            cell.append(elem.text)
        elif name == "c":
            value = "".join(cell)
            if kind == "s" and value.strip().isdigit() and int(value) < len(shared):
                value = shared[int(value)]
            row.append(value)
        elif name == "row":
            if any(v.strip() for v in row):
                rows.append("\t".join(row).rstrip())
            row = []
        elif name.endswith(("Header", "Footer")) and (elem.text or "").strip():
            rows.append(elem.text)
        elem.clear()
    return "\n".join(rows)


def _xlsx(pkg: _Package, out: Extraction) -> None:
    data = pkg.read("xl/sharedStrings.xml")
    shared = blocks(data, frozenset({"si"}), frozenset({"t"})) if data else []
    targets = {rid: path for rid, _, path in pkg.rels("xl/workbook.xml")}
    workbook = pkg.read("xl/workbook.xml")
    sheets = [(e.get("name", ""), targets.get(e.get(_R_ID, ""))) for e in _elements(workbook, "sheet")]
    if len(sheets) > pkg.budget.limits.max_pages:
        raise _too_many(pkg.budget, "工作表", "sheets")
    for name, path in sheets:
        data = pkg.read(path) if path else None
        text = _sheet(data, shared) if data else ""
        if text:
            out.texts.append(TextPart(f"sheet {name}", text))
        for _, rel, target in pkg.rels(path) if path else ():
            if rel in ("comments", "threadedComment"):
                pkg.add(out, f"sheet {name} comments", target, block=COMMENT_BLOCKS, tags=RUN_TEXT | {"text"})
    out.pages = len(sheets)


def _pptx(pkg: _Package, out: Extraction) -> None:
    targets = {rid: path for rid, _, path in pkg.rels("ppt/presentation.xml")}
    ids = [e.get(_R_ID, "") for e in _elements(pkg.read("ppt/presentation.xml"), "sldId")]
    if len(ids) > pkg.budget.limits.max_pages:
        raise _too_many(pkg.budget, "幻灯片", "slides")
    for number, rid in enumerate(ids, start=1):
        path = targets.get(rid)
        if not path:
            continue
        pkg.add(out, f"slide {number}", path)
        for _, rel, target in pkg.rels(path):
            if rel == "notesSlide":
                pkg.add(out, f"slide {number} notes", target)
            elif rel.endswith("omments"):  # comments (legacy) and modern comments
                pkg.add(out, f"slide {number} comments", target, block=COMMENT_BLOCKS, tags=RUN_TEXT | {"text"})
    out.pages = len(ids)


def _embedded(pkg: _Package, out: Extraction, info: zipfile.ZipInfo, depth: int) -> None:
    from .documents import extract_document  # documents dispatches to us: import late

    try:
        inner = extract_document(pkg.read(info) or b"", info.filename, pkg.budget, depth + 1)
    except Unreadable as exc:
        if exc.code != "unknown_type":
            raise
        raise Unreadable("unknown_type", "文档中嵌入了无法检查的对象（如旧版 Office 对象、公式或绘图对象）；"
                         "请删除该对象或将其转为图片后再上传",
                         "the document embeds an object that cannot be inspected (a legacy Office object, equation "
                         "or drawing); remove it or convert it to a picture and upload again") from None
    adopt(out, inner, info.filename)


def _rest(pkg: _Package, out: Extraction, depth: int) -> None:
    """Everything not read yet: other XML parts swept for text, pictures, embedded files."""
    for info in pkg.zf.infolist():
        name = info.filename
        if info.is_dir() or info.header_offset in pkg.done:
            continue
        if "/embeddings/" in name:
            _embedded(pkg, out, info, depth)
        elif "/media/" in name:
            data = pkg.read(info) or b""
            size = image_size(data) if is_image(data) else None
            if size and min(size) >= MIN_SIDE and size[0] * size[1] >= MIN_AREA:
                pkg.budget.add_image()
                out.images.append(ImagePart(name, data))
        elif name.endswith(".xml") and not _NOISE.search(name):
            pkg.add(out, name[:-4], info, tags=None)


def extract_ooxml(data: bytes, kind: str, budget: Budget, depth: int = 0) -> Extraction:
    """``kind`` is docx | xlsx | pptx (from ``sniff``)."""
    out = Extraction(kind=kind)
    with open_zip(data, budget, count=False) as zf:
        pkg = _Package(zf, budget)
        try:
            {"docx": _docx, "xlsx": _xlsx, "pptx": _pptx}[kind](pkg, out)
            _rest(pkg, out, depth)
        except ET.ParseError:
            raise corrupt("Office 文件", "Office file") from None
    return out
