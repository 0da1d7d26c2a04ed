"""OCR + visual cues + the real detection engine and default policy give each page image its decision.

Corpus pages (labelled) and pages rendered here that are NOT in the corpus: the product is measured on
material we do not have. About ten images are OCR'd in all (~1-2 s each on 2 cores).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from proxy.policy.evaluate import evaluate
from proxy.policy.loader import load_policy
from proxy.uploads.ocr import OcrEngine, OcrResult, shared_engine
from proxy.uploads.visual import cue_findings, visual_cues

from .test_visual import chat_screenshot, official_page, photo_like


@pytest.fixture(scope="module")
def policy():
    return load_policy(str(Path(__file__).resolve().parents[2] / "policies" / "default.yaml"))


def decide(engine, policy, img: Image.Image, result: OcrResult, prefix: str = ""):
    """As the gateway does it: the OCR text sits in the request document at [start, end); cue findings span it."""
    text = result.text
    doc = prefix + text
    findings = engine.analyze(doc) + cue_findings(visual_cues(img, result), len(prefix), len(doc))
    return evaluate(findings, policy)


def test_engine_is_shared_and_results_are_well_formed(ocr, corpus_pages):
    assert shared_engine() is ocr
    _, img, result = corpus_pages["dev_img_01.png"]
    assert (result.width, result.height) == img.size and result.ms > 0
    assert result.lines and all(0 <= ln.box[0] < ln.box[2] <= result.width and 0 <= ln.box[1] < ln.box[3]
                                <= result.height and 0.5 <= ln.score <= 1.0 for ln in result.lines)
    tops = [(ln.box[1] + ln.box[3]) / 2 for ln in result.lines]
    assert tops == sorted(tops)                                   # reading order, top to bottom
    assert [ln.text for ln in result.lines[:3]] == ["000136", "机密★5年", "特急"]
    assert "澜政发〔2024〕19号" in result.text


def test_photographed_page_reads_its_marking_and_keeps_line_order(corpus_pages):
    _, _, result = corpus_pages["dev_img_03.jpg"]                   # rotated, blurred, uneven light, JPEG 54
    assert "秘密★1年" in result.text
    text = result.text
    assert text.index("各考察组要于10月15日前完成考察") < text.index("考察对象本人及其他人员透露考察情况")


def test_blank_and_tiny_images_give_no_lines(ocr):
    assert ocr.read(Image.new("RGB", (600, 800), "white")).lines == []
    assert ocr.read(np.full((5, 5, 3), 255, np.uint8)).lines == []
    with pytest.raises(ValueError):
        ocr.read(np.zeros((10, 10), np.uint8))


def test_corpus_decisions(engine, policy, corpus_pages):
    outcomes = {name: (row["expected"], decide(engine, policy, img, result, "请帮我总结这张图片：\n").action)
                for name, (row, img, result) in corpus_pages.items()}
    accuracy = sum(exp == got for exp, got in outcomes.values()) / len(outcomes)
    assert len(outcomes) == 5 and accuracy == 1.0, outcomes


SECRET = dict(org="江临县农业农村局文件", doc_no="江农发〔2025〕7号", title="关于耕地保护专项督查问题线索的报告",
              body=["县委、县政府：", "根据县委部署，专项督查组对全县耕地保护情况开展了督查，发现违法占用耕地问题线索"
                    "12条，涉及3个乡镇。", "督查中发现，个别乡镇干部存在瞒报、漏报问题，拟移交县纪委监委处理。"],
              serial="000217", marking="秘密★10年", urgency="加急")
COVERED = dict(org="西岭区住房和城乡建设局文件", doc_no="西建发〔2025〕11号", title="关于开展老旧小区改造项目进度核查的通知",
               body=["各街道办事处，局属各单位：", "为推进老旧小区改造工作，现就项目进度核查有关事项通知如下。",
                     "一、请各街道于4月10日前报送改造项目进度表。", "二、局工程科将会同各街道开展现场核查。"],
               serial="000031", marking="机密★5年", urgency="特急", cover="all")
PUBLIC = dict(org="南屏市文化和旅游局文件", doc_no="南文旅发〔2025〕21号", title="关于举办2025年南屏市民文化节的通知",
              body=["各区文化和旅游局，局属各单位：", "为丰富市民文化生活，定于2025年5月至10月举办南屏市民文化节，"
                    "现将有关事项通知如下。", "一、活动内容包括广场文艺演出、非遗展示和全民阅读等。"], public=True)
CHAT = [(False, "周末一起去爬山吗？天气预报说周六是晴天"), (True, "好呀，几点出发？"),
        (False, "早上八点在地铁站集合，记得带水和午饭"), (True, "收到，我再叫上小王")]


@pytest.fixture(scope="module")
def rendered(ocr):
    """name -> (expected, image, OcrResult) for pages that are not in the corpus."""
    pages = {
        "secret 秘密★10年": ("block", official_page(**SECRET)),
        "marking blacked out": ("block", official_page(**COVERED)),
        "public notice": ("allow", official_page(**PUBLIC)),
        "chat screenshot": ("allow", chat_screenshot(CHAT)),
        "photo of the secret page": ("block", photo_like(official_page(**SECRET), angle=3.0, quality=50)),
        "photo of the blacked-out page": ("block", photo_like(official_page(**COVERED), angle=-2.5, seed=3)),
    }
    return {name: (exp, img, ocr.read(img)) for name, (exp, img) in pages.items()}


def test_rendered_page_decisions(engine, policy, rendered):
    outcomes = {name: (exp, decide(engine, policy, img, result).action)
                for name, (exp, img, result) in rendered.items()}
    assert all(exp == got for exp, got in outcomes.values()), outcomes


def test_rendered_pages_read_and_cues(policy, rendered):
    for name in ("secret 秘密★10年", "photo of the secret page"):
        _, img, result = rendered[name]
        assert "秘密★10年" in result.text and "000217" in result.text, name
        assert {"red_header", "serial_number"} <= {c.kind for c in visual_cues(img, result)}, name
    for name in ("marking blacked out", "photo of the blacked-out page"):
        _, img, result = rendered[name]
        assert "机密" not in result.text and "000031" not in result.text, name
        cues = visual_cues(img, result)
        assert {"red_header", "covered_marking"} <= {c.kind for c in cues}, name
        # the box alone decides here: the visible text is an ordinary work notice
        assert evaluate(cue_findings(cues, 0, len(result.text)), policy).action == "block", name
    for name in ("public notice", "chat screenshot"):
        _, img, result = rendered[name]
        assert not {"serial_number", "covered_marking"} & {c.kind for c in visual_cues(img, result)}, name


def test_untuned_engine_is_configurable_and_separate():
    engine = OcrEngine(det_side=None, threads=None)
    assert engine is not shared_engine()
    assert "Det.limit_side_len" not in engine._params          # RapidOCR's defaults, for bench_ocr --defaults


def test_models_load_offline(monkeypatch):
    import socket

    def no_network(*args, **kwargs):
        raise AssertionError("OCR tried to use the network")
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    engine = OcrEngine()
    engine.warm_up()
    assert engine.read(Image.new("RGB", (200, 100), "white")).lines == []


def test_missing_model_file_is_an_error_not_a_download(monkeypatch):
    from proxy.uploads import ocr as ocr_module

    monkeypatch.setitem(ocr_module.MODEL_FILES, "Rec", "no-such-model.onnx")
    with pytest.raises(ocr_module.OcrUnavailable):
        OcrEngine().warm_up()


def test_upside_down_scan_reads_in_page_order(engine, policy, ocr, corpus_pages):
    _, img, _ = corpus_pages["dev_img_02.png"]
    turned = img.rotate(180)
    result = ocr.read(turned)
    assert result.upside_down and result.lines[0].text == "000052"
    cues = {c.kind: c for c in visual_cues(turned, result)}
    assert {"red_header", "serial_number", "covered_marking"} <= set(cues)
    assert cues["covered_marking"].box[1] > turned.height * 0.8          # boxes stay in the turned image's pixels
    assert decide(engine, policy, turned, result).action == "block"
