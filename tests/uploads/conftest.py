"""One OCR engine per test session (loading the models costs ~1 s; a page ~1-2 s), and the corpus pages read once."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def ocr():
    from proxy.uploads.ocr import shared_engine

    return shared_engine()


@pytest.fixture(scope="session")
def corpus_pages(ocr) -> dict:
    """file name -> (label row, RGB image, OcrResult) for the labelled corpus page images."""
    rows = [json.loads(line) for line in (CORPUS / "images" / "labels.jsonl").read_text("utf-8").splitlines() if line]
    pages = {}
    for row in rows:
        img = Image.open(CORPUS / "images" / row["file"]).convert("RGB")
        pages[row["file"]] = (row, img, ocr.read(img))
    return pages
