"""OCR speed on real page images: ``python -m proxy.uploads.bench_ocr [--defaults] [--repeat N] [IMAGE ...]``.

Without arguments it reads the labelled corpus pages (``../shared/corpus/images``; ``labels.jsonl`` says which
are phone-photo-like). Prints JSON: seconds per page (best of ``--repeat`` runs, wall clock and CPU), the mean
for clean scans vs photo-like pages, model load time and the process's peak RSS. ``--defaults`` measures
RapidOCR's untuned configuration for the before/after comparison. On a shared (virtualised) 2-core machine the
wall clock varies with the neighbours' load: compare runs made back to back, and look at the CPU seconds too.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

from PIL import Image

from proxy.uploads.ocr import OcrEngine

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "images"


def _photo_like(path: Path) -> bool:
    labels = path.parent / "labels.jsonl"
    if labels.is_file():
        for line in labels.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                if row.get("file") == path.name:
                    return bool(row.get("photo_like"))
    return path.suffix.lower() in (".jpg", ".jpeg")


def measure_pages(paths, *, repeat: int = 3, engine: OcrEngine | None = None,
                  photo_like=None) -> dict:
    """OCR each page ``repeat`` times; ``photo_like(path) -> bool`` (default: corpus labels, else JPEG)."""
    engine = engine or OcrEngine()
    is_photo = photo_like or _photo_like
    t0 = time.perf_counter()
    engine.warm_up()
    load_s = time.perf_counter() - t0
    pages = []
    for p in map(Path, paths):
        img = Image.open(p).convert("RGB")
        walls, cpus, lines = [], [], 0
        for _ in range(max(1, repeat)):
            w, c = time.perf_counter(), time.process_time()
            result = engine.read(img)
            walls.append(time.perf_counter() - w)
            cpus.append(time.process_time() - c)
            lines = len(result.lines)
        pages.append({"file": p.name, "photo_like": is_photo(p), "size": list(img.size), "lines": lines,
                      "seconds": round(min(walls), 3), "cpu_seconds": round(min(cpus), 3)})

    def mean(key: str, photo: bool) -> float | None:
        vals = [pg[key] for pg in pages if pg["photo_like"] == photo]
        return round(statistics.mean(vals), 3) if vals else None

    return {"pages": pages, "load_seconds": round(load_s, 3),
            "clean_seconds_per_page": mean("seconds", False), "photo_seconds_per_page": mean("seconds", True),
            "clean_cpu_seconds_per_page": mean("cpu_seconds", False),
            "photo_cpu_seconds_per_page": mean("cpu_seconds", True),
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m proxy.uploads.bench_ocr", description=__doc__.splitlines()[0])
    ap.add_argument("images", nargs="*", help="page images (default: the corpus pages)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--defaults", action="store_true", help="RapidOCR's untuned defaults (for comparison)")
    args = ap.parse_args(argv)
    paths = args.images or sorted(p for p in CORPUS.glob("*") if p.suffix.lower() in (".png", ".jpg", ".jpeg"))
    if not paths:
        ap.error(f"no images given and none found in {CORPUS}")
    engine = OcrEngine(det_side=None, threads=None) if args.defaults else OcrEngine()
    report = measure_pages(paths, repeat=args.repeat, engine=engine)
    report["config"] = "rapidocr defaults" if args.defaults else "baomi tuned"
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
