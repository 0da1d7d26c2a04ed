"""Image bytes -> one RGB ``PIL.Image`` that OCR can read, refusing anything that cannot be read safely.

Why each step:

- **Size before pixels.** ``Image.open`` parses only the header, so the declared width x height is checked
  against ``limits.max_image_pixels`` before a single pixel is decoded: a 50,000 x 50,000 PNG of a few KB
  (a pixel bomb) would otherwise allocate 7.5 GB. PIL's own guard (``Image.MAX_IMAGE_PIXELS``) is set to the
  same limit and its ``DecompressionBombWarning``/``Error`` become ``Unreadable("bomb")`` too.
- **Only the formats staff actually send** (PNG, JPEG/MPO, WebP, GIF, BMP, TIFF): PIL is asked to try only
  these plugins, so an exotic or unknown container is ``unknown_type`` instead of reaching a rarely used
  decoder. Animated GIF/WebP/APNG: the first frame, which is what AI services look at. A multi-page TIFF
  (a fax or scanner batch) is refused: pages 2+ could not be inspected.
- **EXIF orientation** is applied: a phone photo stored sideways must be read the way a person sees it.
- **Transparency** is flattened onto a background that contrasts with the drawn pixels (dark text on white,
  light text on black); dropping the alpha channel can turn text invisible for OCR but not for the AI model.
"""
from __future__ import annotations

import base64
import binascii
import io
import re
import warnings

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from proxy.uploads.model import Limits, Unreadable

#: PIL openers tried (the JPEG opener also yields MPO, the format of many phone-camera pictures)
FORMATS = ("PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF")
# A bomb warning anywhere in the process is an error; decode_image also checks the size itself, because
# test runners and other code may reset warning filters.
warnings.simplefilter("error", Image.DecompressionBombWarning)

_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, KeyError, ZeroDivisionError,
                  MemoryError, RuntimeError)


def _bomb(w: int, h: int, limit: int) -> Unreadable:
    return Unreadable("bomb", f"图片尺寸 {w}×{h} 超过 {limit:,} 像素上限",
                      f"the image declares {w}x{h} pixels, more than the limit of {limit:,}")


def _corrupt() -> Unreadable:
    return Unreadable("corrupt", "图片已损坏，无法读取", "the image is damaged and cannot be read")


def decode_image(data: bytes, limits: Limits) -> Image.Image:
    """Decode ``data`` to an RGB image (first frame, EXIF orientation applied) or raise ``Unreadable``."""
    if len(data) > limits.max_file_bytes:
        raise Unreadable("too_large", f"图片超过 {limits.max_file_bytes // (1024 * 1024)} MB 上限",
                         f"the image exceeds the limit of {limits.max_file_bytes // (1024 * 1024)} MB")
    Image.MAX_IMAGE_PIXELS = limits.max_image_pixels  # PIL errors at 2x this on its own; we refuse at 1x
    try:
        img = Image.open(io.BytesIO(data), formats=FORMATS)  # header only
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unreadable("bomb", "图片像素数超过上限", "the image declares more pixels than allowed") from None
    except UnidentifiedImageError:
        raise Unreadable("unknown_type", "无法识别的图片格式", "not an image format that can be inspected") from None
    except _DECODE_ERRORS:
        raise _corrupt() from None
    w, h = img.size
    if w <= 0 or h <= 0:
        raise _corrupt()
    if w * h > limits.max_image_pixels:
        raise _bomb(w, h, limits.max_image_pixels)
    try:
        if img.format == "TIFF" and getattr(img, "n_frames", 1) > 1:
            raise Unreadable("too_many", "多页 TIFF 图片无法逐页检查", "a multi-page TIFF cannot be inspected page by page")
        if getattr(img, "is_animated", False):
            img.seek(0)
        img.load()
        if img.size[0] * img.size[1] > limits.max_image_pixels:  # a frame larger than the declared canvas
            raise _bomb(*img.size, limits.max_image_pixels)
        img = _oriented(img)
        return _to_rgb(img)
    except Unreadable:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Unreadable("bomb", "图片像素数超过上限", "the image declares more pixels than allowed") from None
    except _DECODE_ERRORS:
        raise _corrupt() from None


def _oriented(img: Image.Image) -> Image.Image:
    """Apply the EXIF orientation tag; a damaged EXIF block leaves the image as stored (still readable)."""
    try:
        return ImageOps.exif_transpose(img) or img
    except Exception:  # noqa: BLE001 - EXIF is metadata; the pixels are still there
        return img


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):  # 16-bit / float scans: stretch to 8 bits
        a = np.asarray(img, dtype=np.float64)
        lo, hi = float(a.min()), float(a.max())
        a = (a - lo) * (255.0 / (hi - lo)) if hi > lo else np.zeros_like(a)
        return Image.fromarray(a.astype(np.uint8), "L").convert("RGB")
    has_alpha = img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (img.mode == "P" and "transparency" in img.info)
    if not has_alpha:
        return img.convert("RGB")
    rgba = img.convert("RGBA")
    arr = np.asarray(rgba)
    alpha = arr[..., 3]
    drawn = alpha > 127
    # light content on transparency (dark-mode screenshots, white text) goes on black, everything else on white
    light = drawn.any() and float(arr[..., :3][drawn].mean()) > 160
    background = Image.new("RGBA", rgba.size, (0, 0, 0, 255) if light else (255, 255, 255, 255))
    return Image.alpha_composite(background, rgba).convert("RGB")


_DATA_URL = re.compile(r"data:(?P<mime>[a-z0-9!#$&^_.+-]+/[a-z0-9!#$&^_.+-]+)?(?P<params>(?:;[^;,]*)*?)"
                       r";base64,", re.IGNORECASE)
_WS = re.compile(r"[ \t\r\n]+")
_MAX_BYTES = Limits().max_file_bytes


def parse_data_url(url: str, max_bytes: int = _MAX_BYTES) -> tuple[str, bytes]:
    """``data:image/png;base64,...`` -> (``image/png``, bytes). Strict: base64 only (alphabet and padding
    checked; line breaks tolerated), a size cap checked on the encoded length before decoding."""
    if not isinstance(url, str):
        raise Unreadable("corrupt", "数据 URL 无效", "the data URL is not valid")
    url = url.strip()
    m = _DATA_URL.match(url)
    if not m:
        raise Unreadable("corrupt", "数据 URL 无效（只接受 base64 编码）",
                         "the data URL is not valid (only base64 data URLs are accepted)")
    payload = url[m.end():]
    if len(payload) > (max_bytes + 2) // 3 * 4 * 1.05 + 1024:  # encoded length bounds the decoded size
        raise Unreadable("too_large", f"内容超过 {max_bytes // (1024 * 1024)} MB 上限",
                         f"the data exceeds the limit of {max_bytes // (1024 * 1024)} MB")
    payload = _WS.sub("", payload)
    try:
        data = base64.b64decode(payload.encode("ascii"), validate=True)
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise Unreadable("corrupt", "数据 URL 的 base64 内容无效", "the data URL's base64 content is not valid") from None
    if not data:
        raise Unreadable("corrupt", "数据 URL 没有内容", "the data URL is empty")
    if len(data) > max_bytes:
        raise Unreadable("too_large", f"内容超过 {max_bytes // (1024 * 1024)} MB 上限",
                         f"the data exceeds the limit of {max_bytes // (1024 * 1024)} MB")
    return (m.group("mime") or "text/plain").lower(), data
