"""Visual evidence of a 公文 page that survives a covered or cut-off marking.

Staff photograph a page after putting a black box over 机密★5年; OCR then reads no marking, but the page still
shows what it is: the red 发文机关标志 (红头) in large red characters, the red separator rule (红线) under the
发文字号, the 6-digit 份号 of a numbered copy, and the black box itself sitting exactly where the marking goes.

``visual_cues`` finds these on a copy downscaled to 800 px (a few ms) with numpy/opencv, using the OCR result
for what pixels cannot say (where the text block starts, how tall ordinary text is, what a line reads).
Colour and darkness thresholds are relative (redness = red minus the larger of green/blue; darkness relative
to the paper's median brightness) so uneven light, a colour cast and JPEG blur in phone photos still work.
A dark region touching the image edge is the background around a photographed page, never a cover.

``cue_findings`` turns cues into Findings (entity ``CN_VISUAL_EVIDENCE``, recognizer ``visual``). A public
公文 has a red header and rule too, so those alone stay below the default block threshold (0.45); a 份号
above the red header means a numbered, controlled copy (0.75); a cover box in the marking area of a page that
shows 公文 evidence is a hidden 密级 (``secret_marking`` 0.8), elsewhere only a hint (0.4).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from proxy.flow import Finding
from proxy.uploads.ocr import OcrResult, flip_box

WORK_SIDE = 800
ENTITY = "CN_VISUAL_EVIDENCE"
_LOOKALIKE = str.maketrans({"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1", "i": "1"})
_SERIAL = re.compile(r"\d{6}")
_DOC_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}\s*[〔\[【(（［{<《]\s*(?:19|20)\d{2}\s*[〕\]】)）］}>》]\s*\d{1,4}\s*号")


@dataclass(frozen=True, slots=True)
class Cue:
    kind: str                          # red_header | red_rule | covered_marking | serial_number | doc_number
    score: float                       # confidence in the cue itself (0..1)
    why: str
    box: tuple[int, int, int, int]     # x0, y0, x1, y1 in pixels of the analysed image


def visual_cues(img: Image.Image | np.ndarray, ocr: OcrResult) -> list[Cue]:
    """Cues found on ``img``; ``ocr`` is the OcrResult of that same image (boxes in its pixels). A page that
    OCR found upside down is analysed upright; cue boxes are always in the pixels of ``img`` as given."""
    small, f = _downscaled(img)
    H, W = small.shape[:2]
    turn = ocr.upside_down
    if turn:
        small = np.ascontiguousarray(small[::-1, ::-1])

    def up(x0, y0, x1, y1):  # upright working copy -> caller's pixels
        x0, y0, x1, y1 = flip_box((x0, y0, x1, y1), W, H) if turn else (x0, y0, x1, y1)
        return (int(x0 / f), int(y0 / f), int(x1 / f), int(y1 / f))

    lines = [(ln.text, tuple(v * f for v in (flip_box(ln.box, ocr.width, ocr.height) if turn else ln.box)))
             for ln in ocr.lines] if ocr.width else []
    heights = sorted(b[3] - b[1] for t, b in lines if len(t.strip()) >= 2)
    text_h = heights[len(heights) // 4] if heights else H * 0.018    # ordinary text height (tilt-robust)
    lefts = sorted(b[0] for t, b in lines if len(t.strip()) >= 4)
    text_left = lefts[len(lefts) // 5] if lefts else W * 0.13         # the text block's left margin
    cues: list[Cue] = []

    r, g, b = (small[..., i].astype(np.int16) for i in range(3))
    excess = r - np.maximum(g, b)
    red = ((excess > np.maximum(45, 0.35 * r)) & (np.abs(g - b) < 0.6 * excess)).astype(np.uint8)

    header = _red_header(red, W, H, text_h, lines)
    if header is not None:
        cues.append(Cue("red_header", 0.9, "a band of large red characters in the top part of the page "
                        "(发文机关标志, 红头)", up(*header)))
    rule = _red_rule(red, W, H)
    if rule is not None:
        cues.append(Cue("red_rule", 0.85, "a long thin red horizontal line across the text width (红线)",
                        up(*rule)))
    top = header[1] if header is not None else H * 0.3            # the marking area ends at the header
    for text, bx in lines:
        digits = re.sub(r"\s+", "", text.translate(_LOOKALIKE))
        if _SERIAL.fullmatch(digits) and sum(c.isdigit() for c in text) >= 4 and bx[3] <= top + text_h * 0.5 \
                and (header is not None or bx[0] < W * 0.5):
            cues.append(Cue("serial_number", 0.8, "a 6-digit copy number (份号) above the header", up(*bx)))
            break
    for text, bx in lines:
        if _DOC_NUMBER.search(text) and bx[1] < H * 0.6:
            cues.append(Cue("doc_number", 0.7, "a 发文字号 line (机关代字〔年份〕序号号)", up(*bx)))
            break
    cover = _cover_box(small, W, H, text_h, text_left, header, lines)
    if cover is not None:
        cues.append(Cue("covered_marking", 0.85, "a solid dark box in the top-left marking area (份号/密级 position)"
                        + (" above the red header" if header is not None else ""), up(*cover)))
    return cues


def _downscaled(img: Image.Image | np.ndarray) -> tuple[np.ndarray, float]:
    """RGB array with the long side at most WORK_SIDE, and the scale factor. A PIL image is first shrunk by an
    integer factor in PIL (converting a 12-megapixel photo to numpy first would cost ~90 ms)."""
    if isinstance(img, Image.Image):
        W0, H0 = img.size
        f = min(1.0, WORK_SIDE / max(W0, H0, 1))
        k = int(1 / f)
        img = img.convert("RGB") if img.mode != "RGB" else img
        arr = np.asarray(img.reduce(k) if k >= 2 else img)
    else:
        arr = np.asarray(img)
        H0, W0 = arr.shape[:2]
        f = min(1.0, WORK_SIDE / max(W0, H0, 1))
    size = (max(1, round(W0 * f)), max(1, round(H0 * f)))
    if (arr.shape[1], arr.shape[0]) != size:
        arr = cv2.resize(arr, size, interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(arr[..., :3]), f


def _red_header(red, W, H, text_h, lines):
    """Largest band of red glyphs in the top 45%: wide, a few % of the page tall, strokes (not a solid bar)."""
    band = red[: int(H * 0.45)]
    if band.sum() < W * H * 0.002:
        return None
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(W * 0.04)) | 1, max(3, int(H * 0.012)) | 1))
    closed = cv2.morphologyEx(band, cv2.MORPH_CLOSE, k)
    n, _, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=8)
    best = None
    for i in range(1, n):
        x, y, w, h, _ = stats[i]
        if w < W * 0.3 or not (H * 0.015 <= h <= H * 0.14):
            continue
        fill = band[y:y + h, x:x + w].mean()
        if not 0.08 <= fill <= 0.7:                 # glyph strokes, not a solid red banner
            continue
        inside = [b for _, b in lines if b[1] >= y - h * 0.3 and b[3] <= y + h * 1.3 and b[0] < x + w and b[2] > x]
        if inside and max(b[3] - b[1] for b in inside) < text_h * 1.5:
            continue                               # OCR reads ordinary-size red text here, not a 红头
        if best is None or w * h > best[2] * best[3]:
            best = (x, y, w, h)
    return None if best is None else (best[0], best[1], best[0] + best[2], best[1] + best[3])


def _red_rule(red, W, H):
    """A long, thin, nearly horizontal red stroke (tolerates a few degrees of tilt)."""
    k = cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, int(W * 0.01)) | 1, 1))
    mask = cv2.morphologyEx(red[: int(H * 0.7)], cv2.MORPH_CLOSE, k)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    for i in np.argsort(-stats[1:, cv2.CC_STAT_WIDTH]) + 1:
        x, y, w, h, area = stats[i]
        if w < W * 0.45:
            break
        ys, xs = np.nonzero(labels[y:y + h, x:x + w] == i)
        (_, _), (a, b), _ = cv2.minAreaRect(np.column_stack([xs, ys]).astype(np.float32))
        length, thick = max(a, b), max(1.0, min(a, b))
        if length >= W * 0.45 and thick <= max(3.0, H * 0.008) and h <= W * 0.1 and area >= 0.5 * length * thick:
            return (x, y, x + w, y + h)
    return None


def _cover_box(small, W, H, text_h, text_left, header, lines):
    """A solid dark rectangle where 份号/密级 sit: near the text's left margin, above the header (or, without a
    red header, in the top 30% above lines of OCR text), surrounded by paper, not touching the image edge
    (a photo's background), not itself text, about one to four text lines tall."""
    gray = cv2.cvtColor(small, cv2.COLOR_RGB2GRAY)
    chroma = small.max(axis=2).astype(np.int16) - small.min(axis=2)
    paper = float(np.median(gray[H // 4: 3 * H // 4, W // 4: 3 * W // 4]))
    dark = (gray < min(90.0, paper * 0.45)).astype(np.uint8)
    k = max(3, int(round(text_h * 0.35))) | 1   # odd: an even kernel shifts the opening by a pixel
    solid = cv2.morphologyEx(dark, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(solid, connectivity=8)
    limit = header[1] if header is not None else H * 0.3
    edge = max(2, int(min(W, H) * 0.01))
    for i in range(1, n):
        x, y, w, h, area = stats[i]
        if x <= edge or y <= edge or x + w >= W - edge or y + h >= H - edge:
            continue                                # photo background / frame
        if y + h > limit + text_h * 0.5 or abs(x - text_left) > W * 0.08 or x + w > W * 0.55:
            continue                                # not in the marking area
        if not (text_h * 0.6 <= h <= text_h * 5.5 and text_h * 1.5 <= w <= W * 0.45 and w / h >= 0.7):
            continue
        if header is None and sum(1 for _, b in lines if b[1] > y + h and abs(b[0] - x) < W * 0.1) < 2:
            continue                                # without a 红头: must head a block of text lines
        contours, _ = cv2.findContours((labels[y:y + h, x:x + w] == i).astype(np.uint8), cv2.RETR_EXTERNAL,
                                       cv2.CHAIN_APPROX_SIMPLE)
        (_, _), (a, b), _ = cv2.minAreaRect(max(contours, key=cv2.contourArea))
        if area < 0.85 * a * b or float(gray[y:y + h, x:x + w][labels[y:y + h, x:x + w] == i].std()) > 30:
            continue                                # not a solid filled rectangle
        m = max(2, int(h * 0.5))
        ring = np.ones((min(H, y + h + m) - max(0, y - m), min(W, x + w + m) - max(0, x - m)), bool)
        ring[y - max(0, y - m): y - max(0, y - m) + h, x - max(0, x - m): x - max(0, x - m) + w] = False
        sl = (slice(max(0, y - m), y + h + m), slice(max(0, x - m), x + w + m))
        if ((gray[sl] > paper * 0.7) & (chroma[sl] < 70))[ring].mean() < 0.6:
            continue                                # not lying on paper (a window, a car, an avatar on a photo)
        if any(_overlap((x, y, x + w, y + h), b) > 0.3 for _, b in lines):
            continue                                # OCR reads text there: it is not covering anything
        return (x, y, x + w, y + h)
    return None


def _overlap(a, b) -> float:
    """Share of box ``b`` lying inside box ``a``."""
    iw = min(a[2], b[2]) - max(a[0], b[0])
    ih = min(a[3], b[3]) - max(a[1], b[1])
    area = max(1e-6, (b[2] - b[0]) * (b[3] - b[1]))
    return max(0.0, iw) * max(0.0, ih) / area


def cue_findings(cues: list[Cue], start: int, end: int) -> list[Finding]:
    """Findings over ``[start, end)`` (the image's OCR text in the request document)."""
    kinds = {c.kind for c in cues}
    head, rule, serial = "red_header" in kinds, "red_rule" in kinds, "serial_number" in kinds
    score = 0.75 if serial and head else 0.6 if serial and rule else 0.45 if head and rule \
        else 0.35 if head else 0.3 if serial else 0.0
    out: list[Finding] = []
    if score:
        seen = [n for k, n in (("red_header", "red header band (红头)"), ("red_rule", "red separator rule (红线)"),
                               ("serial_number", "6-digit copy number (份号)")) if k in kinds]
        out.append(Finding(ENTITY, start, end, score, "visual", "official_document",
                           "image shows 公文 layout: " + " + ".join(seen)
                           + ("; a numbered copy" if serial and (head or rule) else "")))
    if "covered_marking" in kinds:
        context = [n for k, n in (("red_header", "red header"), ("serial_number", "份号"),
                                  ("doc_number", "发文字号")) if k in kinds]
        out.append(Finding(ENTITY, start, end, 0.8 if context else 0.4, "visual", "secret_marking",
                           "a solid dark box covers the marking area (where 份号/密级 sit)"
                           + (" of a page with " + ", ".join(context) if context else "; no other 公文 evidence")))
    return out
