"""Images and files through the running gateway: what is blocked never reaches the upstream double.

The corpus page images go in as chat ``image_url`` data URLs (and one as a responses ``input_image``);
generated documents go in as chat ``file`` parts and through ``POST /v1/files``; OCR-service routes carry
them in their own request shapes. OCR is real (rapidocr, bundled models), one engine per test session.
"""
from __future__ import annotations

import base64
import io
import json
import urllib.parse

import httpx
import openai
import pytest

from tests.conftest import CORPUS, REPO
from tests.e2e.test_upload_files import docx as _docx

IMAGES = CORPUS / "images"
T = 120  # OCR of a page takes seconds, more on a loaded machine (and at low CPU priority by design)
CHAT = "/v1/chat/completions"


def labels() -> list[dict]:
    path = IMAGES / "labels.jsonl"
    if not path.exists():
        pytest.fail(f"corpus images not found at {IMAGES} (they ship in ../shared/corpus beside the repo)")
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def data_url(path) -> str:
    mime = "image/png" if path.suffix == ".png" else "image/jpeg"
    return f"data:{mime};base64," + base64.b64encode(path.read_bytes()).decode()


def image_message(url: str, text: str = "请识别图片中的文字") -> list[dict]:
    return [{"role": "user", "content": [{"type": "text", "text": text},
                                         {"type": "image_url", "image_url": {"url": url}}]}]


@pytest.mark.parametrize("label", labels(), ids=lambda lab: lab["file"])
def test_corpus_pages_get_their_labelled_decision(client, upstream_log, label):
    call = lambda: client.chat.completions.create(model="gpt-4o-mini",  # noqa: E731
                                                  messages=image_message(data_url(IMAGES / label["file"])))
    if label["expected"] == "block":
        with pytest.raises(openai.PermissionDeniedError) as info:
            call()
        assert info.value.body["code"] == "content_blocked"
        assert upstream_log.requests == []
    else:
        call()
        assert len(upstream_log.requests) == 1


def test_responses_input_image(client, upstream_log):
    secret = next(lab for lab in labels() if lab["expected"] == "block")
    with pytest.raises(openai.PermissionDeniedError):
        client.responses.create(model="gpt-4o-mini", input=[{"role": "user", "content": [
            {"type": "input_text", "text": "这张图写了什么？"},
            {"type": "input_image", "image_url": data_url(IMAGES / secret["file"])}]}])
    assert upstream_log.requests == []


def test_remote_image_url_is_refused_by_default(gateway, upstream_log):
    r = httpx.post(gateway.url + CHAT, json={"model": "m", "messages": image_message("http://127.0.0.1:1/a.png")},
                   timeout=T)
    assert r.status_code == 403 and r.json()["error"]["code"] == "remote_url_not_inspected"
    assert "上传" in r.json()["error"]["message"]
    assert upstream_log.requests == []


def test_remote_image_url_allowed_by_policy_is_forwarded_unfetched(double, start_gateway, tmp_path, upstream_log):
    extra = tmp_path / "remote.yaml"
    extra.write_text("uploads: {remote_urls: allow}\n", encoding="utf-8")
    gw = start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{extra}")
    r = httpx.post(gw.url + CHAT, json={"model": "m", "messages": image_message("http://127.0.0.1:9/a.png")},
                   timeout=T)
    assert r.status_code == 200 and len(upstream_log.requests) == 1


def test_files_endpoint_blocks_a_marking_only_in_the_header(gateway, upstream_log):
    data = _docx(header="机密★5年", body="关于某项目的工作方案\n一、总体要求")
    r = httpx.post(gateway.url + "/v1/files", files={"file": ("方案.docx", data)}, data={"purpose": "assistants"},
                   timeout=T)
    assert r.status_code == 403 and r.json()["error"]["code"] == "content_blocked"
    assert upstream_log.requests == []


def test_files_endpoint_forwards_a_clean_file_byte_identical(gateway, upstream_log):
    data = _docx(body="春季运动会的通知：请各班做好准备。")
    req = httpx.Request("POST", gateway.url + "/v1/files", files={"file": ("通知.docx", data)},
                        data={"purpose": "assistants"})
    body = req.read()
    r = httpx.post(gateway.url + "/v1/files", content=body, headers={"content-type": req.headers["content-type"]},
                   timeout=T)
    assert r.status_code == 200
    assert upstream_log.requests[0].body == body


def test_chat_file_part_with_marking_in_a_table(client, upstream_log):
    data = base64.b64encode(_docx(table="秘密★1年", body="2025年干部考察对象名单")).decode()
    with pytest.raises(openai.PermissionDeniedError):
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": [
            {"type": "text", "text": "总结这个文件"},
            {"type": "file", "file": {"filename": "名单.docx", "file_data": data}}]}])
    assert upstream_log.requests == []


def test_encrypted_pdf_is_not_inspectable(gateway, upstream_log):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    r = httpx.post(gateway.url + "/v1/files", files={"file": ("a.pdf", buf.getvalue())}, data={"purpose": "x"},
                   timeout=T)
    assert r.status_code == 403 and r.json()["error"]["code"] == "not_inspectable"
    assert "密码" in r.json()["error"]["message"] and r.json()["error"]["param"] == "form.file"
    assert upstream_log.requests == []


def test_personal_data_in_a_file_is_refused_not_forwarded(gateway, upstream_log):
    data = _docx(body="收件人：刘建华，手机 13912345678，请寄送合同。")
    r = httpx.post(gateway.url + "/v1/files", files={"file": ("合同.docx", data)}, data={"purpose": "x"}, timeout=T)
    assert r.status_code == 403 and "personal data" in r.json()["error"]["message"]
    assert upstream_log.requests == []


def test_inspect_accepts_a_file_and_says_where(gateway):
    data = _docx(header="内部资料 注意保存", body="预算调整方案")
    d = httpx.post(gateway.url + "/v1/inspect", files={"file": ("x.docx", data)}, timeout=T).json()
    assert d["action"] == "block"
    assert any(f["where"] and f["where"].startswith("file#header") for f in d["findings"])
    assert {s["kind"] for s in d["sources"]} == {"upload"}
    page = IMAGES / "dev_img_01.png"
    d = httpx.post(gateway.url + "/v1/inspect", json={"file_data": data_url(page)}, timeout=T).json()
    assert d["action"] == "block" and any(s["kind"] == "image" for s in d["sources"])


@pytest.fixture(scope="module")
def ocr_gateway(double, start_gateway):
    routes = (f"baidu=baidu@{double.url}/ocr-service/baidu;generic=generic@{double.url}/ocr-service/generic;"
              f"tencent=tencent@{double.url}/ocr-service/tencent")
    return start_gateway(double.url + "/v1", ocr_routes=routes)


def test_ocr_route_baidu_blocks_a_marked_page(ocr_gateway, upstream_log):
    secret = IMAGES / "dev_img_01.png"
    body = "image=" + urllib.parse.quote(base64.b64encode(secret.read_bytes()).decode())
    r = httpx.post(ocr_gateway.url + "/ocr/baidu/rest/2.0/ocr/v1/general_basic?access_token=24.abc",
                   content=body, headers={"content-type": "application/x-www-form-urlencoded"}, timeout=T)
    assert r.status_code == 403 and r.json()["error"]["code"] == "content_blocked"
    assert upstream_log.requests == []


def test_ocr_route_forwards_a_public_page_with_the_clients_own_credentials(ocr_gateway, upstream_log):
    public = IMAGES / "dev_img_04.png"
    body = json.dumps({"ImageBase64": base64.b64encode(public.read_bytes()).decode()}).encode()
    r = httpx.post(ocr_gateway.url + "/ocr/tencent/", content=body,
                   headers={"content-type": "application/json", "authorization": "TC3-HMAC-SHA256 Credential=x",
                            "x-tc-action": "GeneralBasicOCR"}, timeout=T)
    assert r.status_code == 200, r.text
    got = upstream_log.requests[0]
    assert got.path == "/ocr-service/tencent/" and got.body == body
    assert got.headers["authorization"] == "TC3-HMAC-SHA256 Credential=x" and got.headers["x-tc-action"]


def test_ocr_route_generic_multipart_and_unknown_route(ocr_gateway, upstream_log):
    secret = IMAGES / "dev_img_02.png"
    r = httpx.post(ocr_gateway.url + "/ocr/generic/predict", files={"img": ("p.png", secret.read_bytes())}, timeout=T)
    assert r.status_code == 403
    r = httpx.post(ocr_gateway.url + "/ocr/nope/x", content=b"{}", headers={"content-type": "application/json"},
                   timeout=T)
    assert r.status_code == 404 and r.json()["error"]["code"] == "unknown_ocr_route"
    assert upstream_log.requests == []
