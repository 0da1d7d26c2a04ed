"""decode_image: the formats staff send, pixel bombs refused from the header, EXIF orientation, transparency;
parse_data_url: strict base64 with a size cap."""
from __future__ import annotations

import base64
import io
import struct
import zlib

import pytest
from PIL import Image, ImageFile

from proxy.uploads.images import decode_image, parse_data_url
from proxy.uploads.model import Limits, Unreadable

LIMITS = Limits()


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def _marked(size=(120, 80)) -> Image.Image:
    """White image with a red square in the top-left corner (to check orientation and colours)."""
    img = Image.new("RGB", size, "white")
    img.paste((255, 0, 0), (0, 0, 20, 20))
    return img


@pytest.mark.parametrize("fmt, kw", [("PNG", {}), ("JPEG", {"quality": 95}), ("WEBP", {"lossless": True}),
                                     ("GIF", {}), ("BMP", {}), ("TIFF", {})])
def test_each_format_decodes_to_rgb(fmt, kw):
    img = decode_image(_encode(_marked(), fmt, **kw), LIMITS)
    assert img.mode == "RGB" and img.size == (120, 80)
    r, g, b = img.getpixel((5, 5))
    assert r > 200 and g < 60 and b < 60
    assert min(img.getpixel((100, 60))) > 200


def test_animated_gif_gives_its_first_frame():
    frames = [Image.new("RGB", (60, 40), c) for c in ("blue", "yellow", "green")]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:], duration=100)
    r, g, b = decode_image(buf.getvalue(), LIMITS).getpixel((10, 10))
    assert b > 200 and r < 60


def test_multipage_tiff_is_refused():
    pages = [Image.new("RGB", (60, 40), "white") for _ in range(2)]
    buf = io.BytesIO()
    pages[0].save(buf, "TIFF", save_all=True, append_images=pages[1:])
    with pytest.raises(Unreadable) as exc:
        decode_image(buf.getvalue(), LIMITS)
    assert exc.value.code == "too_many"


def test_other_modes_become_rgb():
    assert decode_image(_encode(Image.new("CMYK", (30, 30), (0, 0, 0, 0)), "JPEG"), LIMITS).mode == "RGB"
    assert decode_image(_encode(Image.new("I;16", (30, 30), 40000), "PNG"), LIMITS).mode == "RGB"
    assert decode_image(_encode(Image.new("1", (30, 30), 1), "BMP"), LIMITS).mode == "RGB"


def test_transparency_is_flattened_so_text_stays_visible():
    dark_text = Image.new("RGBA", (40, 40), (0, 0, 0, 0))
    dark_text.paste((0, 0, 0, 255), (10, 10, 30, 30))
    img = decode_image(_encode(dark_text, "PNG"), LIMITS)
    assert img.getpixel((2, 2)) == (255, 255, 255) and img.getpixel((20, 20)) == (0, 0, 0)
    light_text = Image.new("RGBA", (40, 40), (255, 255, 255, 0))
    light_text.paste((255, 255, 255, 255), (10, 10, 30, 30))
    img = decode_image(_encode(light_text, "PNG"), LIMITS)
    assert img.getpixel((2, 2)) == (0, 0, 0) and img.getpixel((20, 20)) == (255, 255, 255)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG declaring width x height with a tiny (invalid) IDAT: never allocate the pixels."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def test_pixel_bomb_refused_from_the_header_without_decoding(monkeypatch):
    def no_decoding(self):
        raise AssertionError("pixels were decoded")
    monkeypatch.setattr(ImageFile.ImageFile, "load", no_decoding)
    data = _png_header_only(50_000, 50_000)
    assert len(data) < 200
    with pytest.raises(Unreadable) as exc:
        decode_image(data, LIMITS)
    assert exc.value.code == "bomb"
    assert "50000" in exc.value.en or "pixels" in exc.value.en


@pytest.mark.filterwarnings("error::PIL.Image.DecompressionBombWarning")  # as set process-wide by images.py
def test_pixel_limit_is_the_configured_one():
    data = _encode(Image.new("RGB", (40, 40), "white"), "PNG")       # 1,600 pixels
    assert decode_image(data, Limits(max_image_pixels=1600)).size == (40, 40)
    with pytest.raises(Unreadable) as exc:
        decode_image(data, Limits(max_image_pixels=1599))
    assert exc.value.code == "bomb"
    with pytest.raises(Unreadable) as exc:                            # PIL's own guard (2x) agrees
        decode_image(data, Limits(max_image_pixels=500))
    assert exc.value.code == "bomb"
    with pytest.raises(Unreadable) as exc:
        decode_image(data, Limits(max_file_bytes=len(data) - 1))
    assert exc.value.code == "too_large"


def test_exif_orientation_is_applied():
    exif = Image.Exif()
    exif[0x0112] = 6  # stored landscape, shown rotated 90 degrees clockwise (a phone held upright)
    img = decode_image(_encode(_marked((120, 80)), "JPEG", exif=exif.tobytes(), quality=95), LIMITS)
    assert img.size == (80, 120)
    r, g, b = img.getpixel((75, 5))   # the top-left corner moved to the top-right
    assert r > 200 and g < 80


@pytest.mark.parametrize("data, code", [
    (b"", "unknown_type"),
    (b"%PDF-1.7\n" + b"0" * 100, "unknown_type"),
    (b"\x00\x01garbage" * 50, "unknown_type"),
])
def test_unknown_bytes(data, code):
    with pytest.raises(Unreadable) as exc:
        decode_image(data, LIMITS)
    assert exc.value.code == code and exc.value.zh and exc.value.en


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF"])
def test_truncated_image_is_corrupt(fmt):
    data = _encode(Image.effect_noise((300, 300), 60).convert("RGB"), fmt)
    with pytest.raises(Unreadable) as exc:
        decode_image(data[: len(data) // 2], LIMITS)
    assert exc.value.code == "corrupt"


PNG = _encode(Image.new("RGB", (4, 4), "white"), "PNG")
B64 = base64.b64encode(PNG).decode()


@pytest.mark.parametrize("url, mime", [
    (f"data:image/png;base64,{B64}", "image/png"),
    (f"DATA:Image/PNG;base64,{B64}", "image/png"),
    (f"data:image/png;name=a.png;base64,{B64}", "image/png"),
    ("data:image/png;base64," + "\n".join(B64[i:i + 20] for i in range(0, len(B64), 20)), "image/png"),
    (f"data:;base64,{B64}", "text/plain"),
])
def test_data_url(url, mime):
    assert parse_data_url(url) == (mime, PNG)


@pytest.mark.parametrize("url", [
    "https://example.com/a.png",
    f"data:image/png,{B64}",                                  # not base64
    "data:image/png;base64",                                  # no comma
    "data:image/png;base64,",                                 # empty
    f"data:image/png;base64,{B64[:-2]}",                      # broken padding
    f"data:image/png;base64,{B64[:10]}*{B64[10:]}",           # not in the alphabet
    "data:image/png;base64,ab-_" + "A" * 8,                   # URL-safe alphabet
])
def test_bad_data_url(url):
    with pytest.raises(Unreadable) as exc:
        parse_data_url(url)
    assert exc.value.code == "corrupt"


def test_data_url_size_cap_checked_before_decoding():
    with pytest.raises(Unreadable) as exc:
        parse_data_url("data:image/png;base64," + "A" * 4_000_000, max_bytes=1_000_000)
    assert exc.value.code == "too_large"
    with pytest.raises(Unreadable) as exc:
        parse_data_url(f"data:image/png;base64,{B64}", max_bytes=len(PNG) - 1)
    assert exc.value.code == "too_large"
    mime, data = parse_data_url(f"data:image/png;base64,{B64}", max_bytes=len(PNG))
    assert decode_image(data, LIMITS).size == (4, 4)
