"""Visual cues of a 公文 page (红头, 红线, 份号, a black box over the marking) and the Findings they give.

The page renderers here are also used by ``test_ocr`` for pages that are NOT in the corpus.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from proxy.uploads.ocr import OcrLine, OcrResult
from proxy.uploads.visual import ENTITY, Cue, cue_findings, visual_cues

FONT = Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")
RED = (206, 18, 28)


def font(size: int) -> ImageFont.FreeTypeFont:
    if not FONT.is_file():
        pytest.fail(f"CJK font {FONT} not installed: `make test` installs it (Debian package fonts-wqy-zenhei)")
    return ImageFont.truetype(str(FONT), size)


def official_page(org: str, doc_no: str, title: str, body: list[str], *, serial: str | None = None,
                  marking: str | None = None, urgency: str | None = None, cover: str | None = None,
                  public: bool = False, width: int = 1240) -> Image.Image:
    """A GB/T 9704-like page: 份号/密级/紧急程度 top-left, red 发文机关标志, 发文字号, red rule, title, body.
    ``cover``: "marking" puts a black box over the 密级 line, "all" over every line of the marking block."""
    s = width / 1240
    W, H = width, int(width * 1.4145)
    img = Image.new("RGB", (W, H), "white")
    d = ImageDraw.Draw(img)
    L, R, f30 = int(165 * s), int(1075 * s), font(int(30 * s))
    top, step = int(160 * s), int(48 * s)
    head = [t for t in (serial, marking, urgency) if t]
    for i, t in enumerate(head):
        d.text((L, top + i * step), t, fill="black", font=f30)
    if cover:
        y0 = top + step if serial and cover == "marking" else top
        y1 = top + step * (len(head) if cover == "all" else 2 if serial else 1)
        d.rectangle([L - int(8 * s), y0 - int(6 * s), L + int(165 * s), y1 - int(6 * s)], fill=(8, 8, 8))
    fh = font(int(82 * s))
    if d.textlength(org, font=fh) > R - L:
        fh = font(int(82 * s * (R - L) / d.textlength(org, font=fh)))
    d.text(((W - d.textlength(org, font=fh)) / 2, int(360 * s)), org, fill=RED, font=fh, stroke_width=1,
           stroke_fill=RED)
    d.text(((W - d.textlength(doc_no, font=f30)) / 2, int(485 * s)), doc_no, fill="black", font=f30)
    d.rectangle([L, int(535 * s), R, int(540 * s)], fill=RED)
    ft = font(int(38 * s))
    d.text(((W - d.textlength(title, font=ft)) / 2, int(590 * s)), title, fill="black", font=ft)
    y = int(680 * s)
    for para in body:
        line = "" if para.endswith("：") else "\u3000\u3000"
        for ch in para:
            if d.textlength(line + ch, font=f30) > R - L:
                d.text((L, y), line, fill="black", font=f30)
                y, line = y + int(52 * s), ""
            line += ch
        d.text((L, y), line, fill="black", font=f30)
        y += int(52 * s)
    for t in (org.removesuffix("文件"), "2025年3月18日"):
        d.text((R - d.textlength(t, font=f30) - int(40 * s), y + int(40 * s)), t, fill="black", font=f30)
        y += int(52 * s)
    if public:
        d.text((L + int(60 * s), y + int(70 * s)), "（此件公开发布）", fill="black", font=f30)
    return img


def photo_like(img: Image.Image, angle: float = 3.0, quality: int = 50, seed: int = 1) -> Image.Image:
    """A phone photo of ``img``: on a dark desk, rotated, blurred, uneven light with a colour cast, noise, JPEG."""
    rng = np.random.default_rng(seed)
    desk = (62, 68, 52)
    canvas = Image.new("RGB", (int(img.width * 1.12), int(img.height * 1.08)), desk)
    page = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=desk)
    canvas.paste(page, ((canvas.width - page.width) // 2, (canvas.height - page.height) // 2))
    a = np.asarray(canvas.filter(ImageFilter.GaussianBlur(1.3))).astype(np.float32)
    yy, xx = np.mgrid[0:a.shape[0], 0:a.shape[1]]
    light = 1.02 - 0.18 * xx / a.shape[1] - 0.30 * yy / a.shape[0]
    a = a * light[..., None] * np.array([0.97, 0.95, 0.88]) + rng.normal(0, 4, a.shape)
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8))
    out = out.resize((img.width, int(img.width * a.shape[0] / a.shape[1])))
    buf = io.BytesIO()
    out.save(buf, "JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("RGB")


def chat_screenshot(messages: list[tuple[bool, str]], width: int = 750, height: int = 1334) -> Image.Image:
    """A chat-app screenshot: title bar with a red unread badge, dark square avatars on the left, bubbles."""
    img = Image.new("RGB", (width, height), (237, 237, 237))
    d = ImageDraw.Draw(img)
    f = font(30)
    d.rectangle([0, 0, width, 130], fill=(247, 247, 247))
    d.text((width / 2 - 60, 70), "周末小分队", fill="black", font=f)
    d.ellipse([20, 70, 56, 106], fill=(230, 60, 60))
    d.text((29, 72), "3", fill="white", font=font(26))
    y = 170
    for mine, text in messages:
        rows = [text[i:i + 14] for i in range(0, len(text), 14)]
        bw, bh = max(d.textlength(t, font=f) for t in rows) + 40, 52 * len(rows) + 24
        ax = width - 100 if mine else 20
        d.rectangle([ax, y, ax + 80, y + 80], fill=(90, 140, 200) if mine else (40, 40, 48))
        x0 = ax - 20 - bw if mine else ax + 100
        d.rounded_rectangle([x0, y, x0 + bw, y + bh], 10, fill=(149, 236, 105) if mine else "white")
        for i, t in enumerate(rows):
            d.text((x0 + 20, y + 12 + 52 * i), t, fill="black", font=f)
        y += max(bh, 80) + 40
    return img


def kinds(cues: list[Cue]) -> set[str]:
    return {c.kind for c in cues}


# ── the corpus pages (OCR'd once per session) ───────────────────────────────────────────────────────────

def test_corpus_cues(corpus_pages):
    found = {name: kinds(visual_cues(img, result)) for name, (_, img, result) in corpus_pages.items()}
    assert {"red_header", "red_rule", "serial_number"} <= found["dev_img_01.png"]
    assert {"covered_marking", "serial_number", "red_header"} <= found["dev_img_02.png"]   # marking blacked out
    assert {"red_header", "serial_number"} <= found["dev_img_03.jpg"]                      # phone photo
    for public in ("dev_img_04.png", "dev_img_05.jpg"):
        assert "red_header" in found[public]
        assert not {"serial_number", "covered_marking"} & found[public], public
    for name in ("dev_img_01.png", "dev_img_03.jpg", "dev_img_04.png", "dev_img_05.jpg"):
        assert "covered_marking" not in found[name], name       # incl. the dark desk around the photos


def test_corpus_cue_boxes_are_where_the_marks_are(corpus_pages):
    _, img, result = corpus_pages["dev_img_02.png"]
    cues = {c.kind: c for c in visual_cues(img, result)}
    x0, y0, x1, y1 = cues["covered_marking"].box           # the black box is at about (157, 195)-(312, 242)
    assert abs(x0 - 157) < 12 and abs(y0 - 195) < 12 and abs(x1 - 312) < 12 and abs(y1 - 242) < 12
    assert cues["serial_number"].box[3] <= y0 + 5 < cues["red_header"].box[1]


# ── cue_findings: the scores the policy sees ────────────────────────────────────────────────────────────

def _cue(kind: str) -> Cue:
    return Cue(kind, 0.9, kind, (0, 0, 1, 1))


@pytest.mark.parametrize("cue_kinds, expected", [
    ([], {}),
    (["red_rule"], {}),
    (["red_header"], {"official_document": 0.35}),
    (["red_header", "red_rule"], {"official_document": 0.45}),                      # public documents too
    (["red_header", "red_rule", "serial_number"], {"official_document": 0.75}),     # a numbered copy
    (["red_header", "serial_number"], {"official_document": 0.75}),
    (["serial_number"], {"official_document": 0.3}),
    (["covered_marking"], {"secret_marking": 0.4}),
    (["covered_marking", "doc_number"], {"secret_marking": 0.8}),
    (["covered_marking", "red_header", "red_rule"], {"official_document": 0.45, "secret_marking": 0.8}),
    (["covered_marking", "serial_number"], {"official_document": 0.3, "secret_marking": 0.8}),
])
def test_cue_findings_scores(cue_kinds, expected):
    findings = cue_findings([_cue(k) for k in cue_kinds], 10, 250)
    assert {f.category: f.score for f in findings} == expected
    for f in findings:
        assert (f.entity, f.start, f.end, f.recognizer) == (ENTITY, 10, 250, "visual") and f.why


# ── what must NOT look like a secret page ───────────────────────────────────────────────────────────────

def _lines(*rows: tuple[str, tuple[int, int, int, int]]) -> list[OcrLine]:
    return [OcrLine(t, b, 0.99) for t, b in rows]


def test_chat_screenshot_gives_nothing():
    img = chat_screenshot([(False, "周末一起去爬山吗？天气预报说周六是晴天"), (True, "好呀，几点出发？"),
                           (False, "123456"), (True, "收到，我再叫上小王")])
    ocr = OcrResult(_lines(("3", (29, 72, 45, 100)), ("周末小分队", (315, 70, 465, 104)),
                           ("周末一起去爬山吗？天气预报说", (140, 182, 560, 220)), ("123456", (140, 470, 260, 506)),
                           ("好呀，几点出发？", (370, 350, 610, 388))), 750, 1334)
    cues = visual_cues(img, ocr)
    assert not {"covered_marking", "red_header", "red_rule"} & kinds(cues)    # dark avatars, red badge
    assert all(f.score < 0.5 for f in cue_findings(cues, 0, 10))


def test_slide_with_red_banner_and_logo_is_not_a_red_header_or_cover():
    img = Image.new("RGB", (1280, 720), "white")
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, 1280, 130], fill=(200, 20, 30))                         # solid red title banner
    d.text((80, 35), "2025年工作总结与展望", fill="white", font=font(56))
    d.rectangle([60, 170, 200, 240], fill=(20, 20, 20))                        # a dark logo block
    d.text((220, 180), "汇报人：市场部", fill="black", font=font(40))
    for i, t in enumerate(["一、全年销售额同比增长12%", "二、新开拓客户86家", "三、明年重点是华东市场"]):
        d.text((100, 300 + 90 * i), t, fill="black", font=font(40))
    ocr = OcrResult(_lines(("2025年工作总结与展望", (80, 35, 680, 100)), ("汇报人：市场部", (220, 180, 500, 225)),
                           ("一、全年销售额同比增长12%", (100, 300, 620, 345))), 1280, 720)
    cues = visual_cues(img, ocr)
    assert "red_header" not in kinds(cues)
    assert all(f.score < 0.5 for f in cue_findings(cues, 0, 10))


def test_ordinary_photo_gives_nothing():
    rng = np.random.default_rng(7)
    h, w = 1500, 2000
    yy = np.linspace(0, 1, h)[:, None, None]
    a = (np.array([120, 170, 230]) * (1 - yy) + np.array([70, 110, 60]) * yy) * np.ones((h, w, 3))
    a[900:1200, 300:1100] = (30, 30, 35)                     # a dark car
    a[150:260, 180:420] = (15, 15, 18)                       # a dark window up left
    a[300:360, 1300:1700] = (210, 30, 40)                    # a red sign
    a[:, :60] = (10, 10, 10)                                 # vignette / dark frame
    img = Image.fromarray(np.clip(a + rng.normal(0, 6, a.shape), 0, 255).astype(np.uint8))
    cues = visual_cues(img, OcrResult([], w, h))
    assert not {"covered_marking", "serial_number", "red_header"} & kinds(cues)
    assert cue_findings(cues, 0, 0) == []


def test_public_notice_and_its_photo_have_no_cover_or_serial():
    page = official_page("南屏市文化和旅游局文件", "南文旅发〔2025〕21号", "关于举办2025年南屏市民文化节的通知",
                         ["各区文化和旅游局：", "定于2025年5月至10月举办南屏市民文化节。"], public=True)
    for img in (page, photo_like(page)):
        cues = visual_cues(img, OcrResult([], *img.size))
        assert "red_header" in kinds(cues)
        assert not {"covered_marking", "serial_number"} & kinds(cues)


def test_covered_marking_on_clean_photographed_and_black_and_white_pages():
    page = official_page("西岭区住房和城乡建设局文件", "西建发〔2025〕11号", "关于开展老旧小区改造项目进度核查的通知",
                         ["各街道办事处：", "请于4月10日前报送改造项目进度表。"], serial="000031",
                         marking="机密★5年", urgency="特急", cover="all")
    for img in (page, photo_like(page, angle=-2.5, seed=3)):       # the red header places the marking area
        assert "covered_marking" in kinds(visual_cues(img, OcrResult([], *img.size)))
    gray = page.convert("L").convert("RGB")                        # a photocopy: no red, so text must follow
    assert not kinds(visual_cues(gray, OcrResult([], *gray.size)))
    body = _lines(("西建发〔2025〕11号", (480, 485, 760, 522)), ("各街道办事处：", (165, 680, 390, 716)),
                  ("请于4月10日前报送改造项目进度表。", (165, 732, 700, 768)))
    cues = visual_cues(gray, OcrResult(body, *gray.size))
    assert {"covered_marking", "doc_number"} <= kinds(cues)
    assert {f.category: f.score for f in cue_findings(cues, 0, 1)} == {"secret_marking": 0.8}


def test_cues_accept_numpy_arrays_and_large_photos():
    page = official_page("东川市审计局文件", "东审发〔2025〕3号", "关于审计工作的报告", ["市人民政府："],
                         serial="000094", marking="机密★5年", cover="marking")
    big = page.resize((3000, 4243))
    for img in (big, np.asarray(big)):
        cues = visual_cues(img, OcrResult([], 3000, 4243))
        assert {"red_header", "red_rule", "covered_marking"} <= kinds(cues)
        box = next(c.box for c in cues if c.kind == "covered_marking")
        assert box[0] < 3000 * 0.2 and box[3] < 4243 * 0.2                    # in the caller's pixels
