"""Local OCR: one RapidOCR (PP-OCRv6 small, onnxruntime) per process, offline, serialised, tuned for 2 cores.

Why it is configured this way (measured on the 2-core target with the five corpus pages, 1240 x 1754):

- **Offline**: the three bundled model files are passed by path (``Det/Rec/Cls.model_path``). RapidOCR only
  downloads when it has no path, so nothing can be fetched at run time; a missing file is an error at load.
- **Speed**: defaults spend ~2.9 s per page (about 5.9 s of CPU), 2/3 of it in detection, because the
  detector's ``limit_type: min`` feeds it the full 1240 x 1754 page. ``limit_type: max`` with 960 px cuts
  detection 4x; recognition still reads crops of the full-resolution page (up to ``max_side_len`` 2000), so
  small characters keep their pixels. Two intra-op threads match the machine. The angle classifier (0/180
  degrees per line, for upside-down photos) costs ~3 % and stays on. Result: ~1.2-1.4 s per page (~2.4 s CPU).
  Recognition now dominates and grows with the amount of text (a dense page costs more than a sparse one).
- **Thread safety**: ``RapidOCR.__call__`` mutates its own settings and two cores gain nothing from parallel
  inference, so calls are serialised by a lock; the model loads lazily, once, under the same lock.
- **Quiet**: RapidOCR logs INFO lines per model load and warnings for blank images; its logger is set to ERROR.
- **Upside-down pages** (a scan fed the wrong way round): the angle classifier turns each line, so the text is
  right but the lines would come bottom-to-top and the marking would end up last. The per-line angles are kept,
  and when most lines were turned the reading order is computed on the upright page (``upside_down``).
"""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

DET_SIDE = 960       # longest side of the detector's input
MAX_SIDE = 2000      # longest side of the page recognition crops are cut from
THREADS = 2          # onnxruntime intra-op threads (a 2-core machine)
MODEL_FILES = {"Det": "PP-OCRv6_det_small.onnx", "Rec": "PP-OCRv6_rec_small.onnx",
               "Cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx"}


@dataclass(frozen=True, slots=True)
class OcrLine:
    text: str
    box: tuple[int, int, int, int]  # x0, y0, x1, y1 in pixels of the image given to ``read``
    score: float


@dataclass(slots=True)
class OcrResult:
    lines: list[OcrLine] = field(default_factory=list)
    width: int = 0
    height: int = 0
    ms: float = 0.0
    #: most lines were read rotated by 180 degrees (a page scanned or photographed upside down): ``lines`` are
    #: in the page's reading order, their boxes still in the pixels of the image as given
    upside_down: bool = False

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


class OcrUnavailable(RuntimeError):
    """The OCR models cannot be loaded (missing files, broken install): images must then be refused."""


class OcrEngine:
    """``read(img) -> OcrResult``. Use :func:`shared_engine` for the per-process instance."""

    def __init__(self, *, det_side: int | None = DET_SIDE, max_side: int = MAX_SIDE, threads: int | None = THREADS,
                 use_cls: bool = True, min_score: float = 0.5) -> None:
        """``det_side``/``threads`` None: RapidOCR's own defaults (detector fed the page at full size, all
        cores) -- kept for ``bench_ocr --defaults``, the before/after comparison."""
        self._params = {"Global.log_level": "error", "Global.use_cls": use_cls, "Global.text_score": min_score,
                        "Global.max_side_len": max_side}
        if det_side is not None:
            self._params.update({"Det.limit_type": "max", "Det.limit_side_len": det_side})
        if threads is not None:
            self._params.update({"EngineConfig.onnxruntime.intra_op_num_threads": threads,
                                 "EngineConfig.onnxruntime.inter_op_num_threads": 1})
        self._max_side = max_side
        self._lock = threading.Lock()
        self._ocr = None
        self._angles: list[bool] = []

    def _load(self):
        if self._ocr is None:
            try:
                import rapidocr
                from rapidocr import RapidOCR
            except Exception as exc:  # noqa: BLE001
                raise OcrUnavailable("rapidocr cannot be imported") from exc
            models = Path(rapidocr.__file__).resolve().parent / "models"
            params = dict(self._params)
            for task, name in MODEL_FILES.items():
                path = models / name
                if not path.is_file():
                    raise OcrUnavailable(f"OCR model file missing: {path}")
                params[f"{task}.model_path"] = str(path)
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            ocr = RapidOCR(params=params)
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            for load in (ocr._load_det_model, ocr._load_cls_model, ocr._load_rec_model):
                load()  # all three sessions now, not lazily inside the first request
            classify = ocr.cls_and_rotate

            def recording(crops):  # RapidOCR's output drops the per-line angles; keep them (under self._lock)
                out = classify(crops)
                self._angles = [("180" in str(label)) and score > 0.9 for label, score in (out[1].cls_res or [])]
                return out
            ocr.cls_and_rotate = recording
            self._ocr = ocr
        return self._ocr

    def warm_up(self) -> None:
        with self._lock:
            self._load()

    def read(self, img: Image.Image | np.ndarray) -> OcrResult:
        """OCR an RGB PIL image (or an RGB uint8 array). Lines come in reading order; boxes are in the given
        image's pixels. A PIL image larger than ``max_side`` is shrunk in PIL first (RapidOCR would shrink it
        anyway; converting a 12-megapixel photo to numpy first costs ~0.1 s and 70 MB)."""
        scale = 1.0
        if isinstance(img, Image.Image):
            w, h = img.size
            img = img.convert("RGB") if img.mode != "RGB" else img
            if max(w, h) > self._max_side:
                scale = self._max_side / max(w, h)
                img = img.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
            arr = np.asarray(img)
        else:
            arr = np.asarray(img)
            h, w = arr.shape[:2]
        if arr.ndim != 3 or arr.shape[2] != 3 or arr.dtype != np.uint8:
            raise ValueError("OcrEngine.read expects an RGB image")
        bgr = np.ascontiguousarray(arr[:, :, ::-1])
        with self._lock:
            ocr = self._load()
            self._angles = []
            t0 = time.perf_counter()
            out = ocr(bgr)
            ms = (time.perf_counter() - t0) * 1000.0
            flipped = len(self._angles) >= 3 and sum(self._angles) > len(self._angles) / 2
        items = []
        boxes = getattr(out, "boxes", None)
        for box, text, score in zip(boxes if boxes is not None else [], getattr(out, "txts", None) or (),
                                    getattr(out, "scores", None) or ()):
            pts = np.asarray(box, dtype=float).reshape(-1, 2) / scale
            x0, y0 = pts.min(axis=0)
            x1, y1 = pts.max(axis=0)
            line = OcrLine(str(text), (int(max(0, x0)), int(max(0, y0)), int(min(w, x1)), int(min(h, y1))),
                           float(score))
            items.append((line, _quad_height(pts)))
        if not flipped:
            return OcrResult(reading_order(items), w, h, ms)
        turned = [(OcrLine(ln.text, flip_box(ln.box, w, h), ln.score), hh) for ln, hh in items]
        order = reading_order(turned)
        return OcrResult([OcrLine(ln.text, flip_box(ln.box, w, h), ln.score) for ln in order], w, h, ms, True)


def flip_box(box: tuple[int, int, int, int], w: int, h: int) -> tuple[int, int, int, int]:
    """The box in the image turned by 180 degrees."""
    return (w - box[2], h - box[3], w - box[0], h - box[1])


def _quad_height(pts: np.ndarray) -> float:
    """The text height of a detected quadrilateral (its short side), unlike the axis-aligned box's height
    which a tilted photo inflates."""
    if len(pts) != 4:
        return float(pts[:, 1].max() - pts[:, 1].min())
    side = [float(np.linalg.norm(pts[i] - pts[(i + 1) % 4])) for i in range(4)]
    return max(1.0, min((side[0] + side[2]) / 2, (side[1] + side[3]) / 2))


def reading_order(items: list[tuple[OcrLine, float]]) -> list[OcrLine]:
    """Top-to-bottom rows, left-to-right inside a row. ``items`` are (line, text height). A line joins the
    current row when its vertical centre lies within half a text height of the row's centre."""
    rows: list[list[tuple[OcrLine, float]]] = []
    for line, height in sorted(items, key=lambda it: (it[0].box[1] + it[0].box[3]) / 2):
        cy = (line.box[1] + line.box[3]) / 2
        if rows:
            row = rows[-1]
            rcy = sum((ln.box[1] + ln.box[3]) / 2 for ln, _ in row) / len(row)
            if abs(cy - rcy) <= min([height] + [hh for _, hh in row]) / 2:
                row.append((line, height))
                continue
        rows.append([(line, height)])
    return [ln for row in rows for ln, _ in sorted(row, key=lambda it: it[0].box[0])]


_shared: OcrEngine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> OcrEngine:
    """The process's OcrEngine (created on first use; the models load on the first ``read``/``warm_up``)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = OcrEngine()
        return _shared
