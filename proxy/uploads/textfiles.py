"""Text formats: plain text, Markdown, CSV, JSON and HTML.

Plain text, Markdown and CSV are inspected whole, exactly as sent. JSON is split into its strings with their
paths (the same walk the gateway applies to request bodies), so a finding can say *where* in the file it is.
HTML is reduced to what a reader — or a model — gets out of it: the visible text, but also comments, ``alt`` /
``title`` attributes and ``<meta content>``, because text hidden from the browser is still sent to the AI service.
Only ``<script>`` and ``<style>`` bodies are left out (code, not prose).
"""
from __future__ import annotations

import json
from html.parser import HTMLParser

from ..wire.sweep import strings
from .model import Budget, Extraction, TextPart
from .sniff import decode_text, unknown_type

_SKIP = {"script", "style"}
_ATTRS = {"alt", "title", "placeholder", "aria-label", "label", "summary", "abbr"}
_BLOCKS = {"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "section",
           "article", "header", "footer", "blockquote", "pre", "dt", "dd", "title", "option", "hr"}


class _HtmlText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.visible: list[str] = []
        self.comments: list[str] = []
        self.attributes: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self._skipping += 1
        if tag in _BLOCKS:
            self.visible.append("\n")
        for name, value in attrs:  # input values include type="hidden" ones: hidden is still sent
            if value and value.strip() and (name in _ATTRS or name == "value" or (name == "content" and tag == "meta")):
                self.attributes.append(value.strip())

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP and self._skipping:
            self._skipping -= 1
        if tag in _BLOCKS:
            self.visible.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.visible.append(data)

    def handle_comment(self, data: str) -> None:
        if data.strip():
            self.comments.append(data.strip())


def _html(text: str) -> list[TextPart]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.visible).splitlines())
    parts = [TextPart("text", "\n".join(line for line in lines if line))]
    if parser.comments:
        parts.append(TextPart("comments", "\n".join(parser.comments)))
    if parser.attributes:
        parts.append(TextPart("attributes", "\n".join(parser.attributes)))
    return parts


def _json(text: str) -> list[TextPart] | None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    return [TextPart(path or "text", s) for path, s in strings(value)]


def extract_text(data: bytes, kind: str, budget: Budget) -> Extraction:
    """``kind`` is what ``sniff`` said: text | csv | json | html. JSON that does not parse is read as plain text."""
    text = decode_text(data)
    if text is None:
        raise unknown_type()
    budget.add_text(len(data))
    parts: list[TextPart] | None = None
    if kind == "html":
        parts = _html(text)
    elif kind == "json":
        parts = _json(text)
    if parts is None:
        parts = [TextPart("text", text)]
    return Extraction(kind=kind, texts=[p for p in parts if p.text.strip()])
