"""Text formats: encodings, JSON strings with paths, HTML including what the browser hides."""
from __future__ import annotations

import json

from proxy.uploads.documents import extract_document
from proxy.uploads.model import Budget, Limits

MARK = "机密★5年"


def _read(data: bytes, name: str | None):
    return extract_document(data, name, Budget(Limits()))


def _where(ex, needle: str) -> list[str]:
    return [p.where for p in ex.texts if needle in p.text]


def test_utf16_with_bom():
    ex = _read(f"标题\n{MARK}\n".encode("utf-16"), "a.txt")
    assert ex.kind == "text" and _where(ex, MARK) == ["text"]


def test_gb18030():
    ex = _read(f"内部资料 注意保存，{MARK}".encode("gb18030"), "notes.md")
    assert _where(ex, "内部资料 注意保存") == ["text"]


def test_csv_as_is():
    ex = _read(f"名称,密级\n报告,{MARK}\n".encode("utf-8-sig"), "list.csv")
    assert ex.kind == "csv" and ex.texts[0].text.startswith("名称,密级") and MARK in ex.texts[0].text


def test_json_strings_with_paths():
    doc = {"title": "普通", "items": [{"level": MARK}], "密级标注": 1}
    ex = _read(json.dumps(doc, ensure_ascii=False).encode(), "data.json")
    assert ex.kind == "json"
    assert _where(ex, MARK) == ["items[0].level"]
    assert "密级标注" in [p.text for p in ex.texts]  # non-identifier keys count as text


def test_invalid_json_is_read_as_text():
    ex = _read(f'{{"a": "{MARK}",'.encode(), "broken.json")
    assert _where(ex, MARK) == ["text"]


def test_html_hidden_text_counts():
    html = f"""<html><head><title>通知</title><meta name="keywords" content="内部资料 注意保存">
    <style>.x{{color:red}}</style><script>var s = "脚本不算";</script></head>
    <body><p>正文&nbsp;第一段</p><!-- {MARK} --><img src="a.png" alt="绝密图片">
    <input type="hidden" value="隐藏值"></body></html>"""
    ex = _read(html.encode(), "page.html")
    assert ex.kind == "html"
    text = {p.where: p.text for p in ex.texts}
    assert "正文" in text["text"] and "通知" in text["text"]
    assert "脚本不算" not in "".join(text.values()) and "color" not in text["text"]
    assert MARK in text["comments"]
    assert {"内部资料 注意保存", "绝密图片", "隐藏值"} <= set(text["attributes"].splitlines())
