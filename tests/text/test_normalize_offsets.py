"""Exact offset-map checks and table invariants for proxy.text.normalize."""
from __future__ import annotations

import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from proxy.text import chardata
from proxy.text.chartable import SCAN_RANGES
from proxy.text.normalize import Normalized, char_table, normalize

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO.parent / "shared" / "corpus" / "dev.jsonl"


def spans(n: Normalized) -> list[tuple[int, int]]:
    assert n.starts is not None and n.ends is not None
    return list(zip(n.starts, n.ends))


def test_removed_invisible_keeps_neighbours_exact() -> None:
    n = normalize("绝\u200b密")
    assert n.text == "绝密"
    assert spans(n) == [(0, 1), (2, 3)]
    assert n.to_original(0, 2) == (0, 3)


def test_expansion_maps_every_output_char_to_the_source() -> None:
    n = normalize("⑩年")
    assert n.text == "10年"
    assert spans(n) == [(0, 1), (0, 1), (1, 2)]
    assert n.to_original(0, 1) == (0, 1)
    assert n.to_original(1, 3) == (0, 2)


def test_one_to_one_changes_keep_identity_map() -> None:
    n = normalize("ＡＢ機密☆５年")
    assert n.text == "AB机密★5年"
    assert n.starts is None and n.ends is None
    assert n.to_original(2, 7) == (2, 7)


def test_collapsed_separators() -> None:
    n = normalize("机 密")
    assert n.text == "机密"
    assert spans(n) == [(0, 1), (2, 3)]


def test_english_word_gap_keeps_one_space() -> None:
    n = normalize("T O P  S E C R E T")
    assert n.text == "TOP SECRET"
    assert n.starts == (0, 2, 4, 5, 7, 9, 11, 13, 15, 17)
    assert n.ends == tuple(s + 1 for s in n.starts)


def test_asterisk_becomes_star_in_place() -> None:
    n = normalize("秘 密 * 1 年")
    assert n.text == "秘密★1年"
    assert spans(n) == [(0, 1), (2, 3), (4, 5), (6, 7), (8, 9)]


def test_marking_in_document_maps_back_over_the_disguise() -> None:
    original = "前言\n机\u200b 密 ☆ ５ 年\n正文"
    n = normalize(original)
    assert n.text == "前言\n机密★5年\n正文"
    i = n.text.index("机密★5年")
    a, b = n.to_original(i, i + 5)
    assert original[a:b] == "机\u200b 密 ☆ ５ 年"


def test_empty_span_semantics() -> None:
    n = normalize("绝\u200b密")
    assert n.to_original(1, 1) == (2, 2)
    assert n.to_original(2, 2) == (3, 3)  # at the end: len(original)
    ident = normalize("abc")
    assert ident.to_original(1, 1) == (1, 1)


def test_identity_object_for_ascii() -> None:
    n = normalize("plain ascii")
    assert n == Normalized("plain ascii", "plain ascii")


# ---------------------------------------------------------------------------------------------- table invariants


def test_table_is_closed() -> None:
    table = char_table().table
    for k, v in table.items():
        assert v.translate(table) == v, (hex(k), v)


def test_marking_characters_are_fixed_points() -> None:
    table = char_table().table
    for ch in "绝密机秘级内部资料期限年月长启用前公开保存收回注意阅后不得翻印★0123456789·-~/":
        assert ord(ch) not in table, ch


def test_scan_ranges_cover_all_of_unicode() -> None:
    """The table build skips big blocks; make sure they hold nothing it would need."""
    scanned = [False] * 0x110000
    for lo, hi in SCAN_RANGES:
        for cp in range(lo, hi):
            scanned[cp] = True
    category = unicodedata.category
    missed = [
        cp
        for cp in range(0x110000)
        if not scanned[cp]
        and (category(chr(cp)) in ("Cf", "Mn", "Me") or not unicodedata.is_normalized("NFKC", chr(cp)))
    ]
    assert missed == []


def test_opencc_table_is_used() -> None:
    ts = chardata.traditional_to_simplified()
    assert len(ts) > 3000
    assert ts["國"] == "国" and ts["機"] == "机"
    assert all(len(k) == 1 and len(v) == 1 for k, v in ts.items())


def test_import_builds_nothing() -> None:
    code = (
        "import proxy.text.normalize as n, proxy.text.chardata as c\n"
        "import proxy.text.joins as j, proxy.text.chains as ch\n"
        "assert n.char_table.cache_info().currsize == 0\n"
        "assert c.traditional_to_simplified.cache_info().currsize == 0\n"
        "assert j._rules.cache_info().currsize == 0 and ch._patterns.cache_info().currsize == 0\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO)


def test_dev_corpus_offsets_are_valid() -> None:
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        text = json.loads(line)["text"]
        n = normalize(text)
        if n.starts is None:
            assert len(n.text) == len(text)
            continue
        assert len(n.starts) == len(n.ends) == len(n.text)  # type: ignore[arg-type]
        for i, (s, e) in enumerate(zip(n.starts, n.ends)):  # type: ignore[arg-type]
            assert 0 <= s < e <= len(text)
            if i:
                assert n.starts[i - 1] <= s and n.ends[i - 1] <= e  # type: ignore[index]
