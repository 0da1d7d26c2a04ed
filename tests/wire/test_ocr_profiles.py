"""OCR request-shape profiles: every image, document, URL and string of a request becomes an item.

The bodies follow the vendors' documented formats (see the module docstring of ``ocr_profiles``).
"""
from __future__ import annotations

import base64
import json
import struct
from urllib.parse import urlencode

import pytest

from proxy.errors import BadRequest
from proxy.wire.ocr_profiles import PROFILES, Item, ProfileError, items_for, sniff

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00\x00\x00\x10" * 2 + b"\x08\x02\x00\x00\x00" + b"\x00" * 32
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01" + b"\x00" * 40 + b"\xff\xd9"
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
OFD = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + b"OFD.xml" + b"\x00" * 30
BMP = b"BM" + struct.pack("<IHHI", 70, 0, 0, 54) + struct.pack("<I", 40) + b"\x00" * 48
SECRET = "机密★10年 内部资料"
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
JSON = {"Content-Type": "application/json; charset=utf-8"}


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def run(profile: str, body: bytes = b"", headers: dict | None = None, query: str = "",
        path: str = "/", method: str = "POST") -> dict[str, Item]:
    return {i.where: i for i in items_for(profile, method, path, query, headers or {}, body)}


def multipart(parts: list[tuple[str, str | None, str | None, bytes]], boundary: str = "----baomiXyZ") \
        -> tuple[bytes, dict[str, str]]:
    out = b""
    for name, filename, ctype, data in parts:
        disp = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename is not None else "")
        out += f"--{boundary}\r\nContent-Disposition: {disp}\r\n".encode()
        out += f"Content-Type: {ctype}\r\n".encode() if ctype else b""
        out += b"\r\n" + data + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return out, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


# --- baidu: form-urlencoded, access_token in the query ------------------------------------------------
def test_baidu_general_basic_urlencoded_base64_image() -> None:
    body = urlencode({"image": b64(PNG), "language_type": "CHN_ENG", "detect_direction": "true"}).encode()
    items = run("baidu", body, FORM, query="access_token=24.6c5e1ff107f0e8bcef8c46d3424a0e78.2592000."
                "1485570332.282335-8574074", path="/rest/2.0/ocr/v1/general_basic")
    assert items["form.image"] == Item("form.image", "file", data=PNG)
    assert items["form.language_type"].text == "CHN_ENG"
    assert items["path"].text == "/rest/2.0/ocr/v1/general_basic"
    assert "query.access_token" not in items  # a credential, not content


def test_baidu_pdf_ofd_and_url_fields() -> None:
    body = urlencode({"pdf_file": b64(PDF), "pdf_file_num": "2", "ofd_file": b64(OFD),
                      "url": "https://bj.bcebos.com/scan/合同.jpg"}).encode()
    items = run("baidu", body, FORM)
    assert items["form.pdf_file"].data == PDF and items["form.ofd_file"].data == OFD
    assert items["form.pdf_file_num"] == Item("form.pdf_file_num", "text", text="2")
    assert items["form.url"] == Item("form.url", "url", text="https://bj.bcebos.com/scan/合同.jpg")


def test_baidu_documented_field_is_decoded_whatever_the_file_type() -> None:
    unknown = b"\x00\x01 not a known signature"
    items = run("baidu", urlencode({"image": b64(unknown)}).encode(), FORM)
    assert items["form.image"].data == unknown


def test_baidu_image_with_data_url_header_is_tolerated() -> None:
    items = run("baidu", urlencode({"image": "data:image/jpeg;base64," + b64(JPEG)}).encode(), FORM)
    assert items["form.image"].data == JPEG


def test_baidu_base64_not_urlencoded_is_refused() -> None:
    raw = b64(b"\xfb\xef\xbe" * 30)  # base64 full of '+', sent without urlencoding: '+' becomes ' '
    assert "+" in raw
    with pytest.raises(ProfileError) as e:
        run("baidu", b"image=" + raw.encode(), FORM)
    assert e.value.param == "form.image" and "base64" in e.value.en
    assert isinstance(e.value, BadRequest) and e.value.status == 400


def test_credential_that_is_not_token_shaped_is_inspected() -> None:
    items = run("baidu", query=urlencode({"access_token": SECRET}))
    assert items["query.access_token"].text == SECRET


def test_field_unknown_to_the_profile_is_still_returned() -> None:
    body = urlencode({"image": b64(PNG), "备注": SECRET, "attachment": b64(PDF)}).encode()
    items = run("baidu", body, FORM)
    assert items["form.备注"].text == SECRET and items["form.备注#key"].text == "备注"
    assert items["form.attachment"] == Item("form.attachment", "file", data=PDF)


def test_repeated_fields_are_all_returned() -> None:
    items = run("baidu", b"image=" + b64(PNG).encode() + b"&image=" + b64(JPEG).encode(), FORM)
    assert items["form.image"].data == PNG and items["form.image#2"].data == JPEG


# --- tencent: API 3.0 JSON body; v1 signature as a form ------------------------------------------------
def test_tencent_general_basic_json() -> None:
    body = json.dumps({"ImageBase64": b64(JPEG), "ImageUrl": "https://ocr-demo-1254418846.cos."
                       "ap-guangzhou.myqcloud.com/general/GeneralBasicOCR/GeneralBasicOCR1.jpg",
                       "LanguageType": "zh", "IsPdf": False, "PdfPageNumber": 1, "IsWords": True}).encode()
    items = run("tencent", body, {**JSON, "X-TC-Action": "GeneralBasicOCR", "X-TC-Version": "2018-11-19"})
    assert items["json.ImageBase64"] == Item("json.ImageBase64", "file", data=JPEG)
    assert items["json.ImageUrl"].kind == "url"
    assert items["json.LanguageType"].text == "zh"
    assert set(items) == {"json.ImageBase64", "json.ImageUrl", "json.LanguageType"}  # small numbers/bools


def test_tencent_reconstruct_document_file_fields() -> None:
    body = json.dumps({"FileType": "PDF", "FileBase64": b64(PDF), "FileStartPageNumber": 1}).encode()
    items = run("tencent", body, JSON)
    assert items["json.FileBase64"].data == PDF and items["json.FileType"].text == "PDF"


def test_tencent_bad_base64_is_refused() -> None:
    with pytest.raises(ProfileError) as e:
        run("tencent", json.dumps({"ImageBase64": "this is not base64!"}).encode(), JSON)
    assert e.value.param == "json.ImageBase64"


def test_tencent_fallback_walks_every_other_field() -> None:
    body = json.dumps({"ImageUrl": "https://example.com/a.png", "ItemNames": ["姓名", SECRET],
                       "Config": {"Backup": b64(PNG), "IdNumber": 110101199003074518}}).encode()
    items = run("tencent", body, JSON)
    assert items["json.ItemNames[1]"].text == SECRET
    assert items["json.Config.Backup"].data == PNG
    assert items["json.Config.IdNumber"].text == "110101199003074518"


def test_tencent_v1_form_skips_signature_parameters() -> None:
    body = urlencode({"Action": "GeneralAccurateOCR", "Version": "2018-11-19", "Region": "ap-guangzhou",
                      "Timestamp": "1529223702", "Nonce": "13029", "SecretId": "AKIDz8krbsJ5yKBZQpn74WFk",
                      "Signature": "mysignature/Jh+u5Wbo=", "ImageBase64": b64(PNG)}).encode()
    items = run("tencent", body, FORM)
    assert items["form.ImageBase64"].data == PNG and items["form.Action"].text == "GeneralAccurateOCR"
    assert "form.SecretId" not in items and "form.Signature" not in items


# --- aliyun: raw binary body, Url in the query ----------------------------------------------------------
def test_aliyun_raw_binary_body() -> None:
    items = run("aliyun", JPEG, {"Content-Type": "application/octet-stream",
                                 "x-acs-action": "RecognizeGeneral", "x-acs-version": "2021-07-07"})
    assert list(items.values()) == [Item("body", "file", data=JPEG)]


def test_aliyun_url_query_and_rpc_signature() -> None:
    query = urlencode({"Action": "RecognizeGeneral", "Url": "https://img.alicdn.com/tfs/TB1Wo7eXAvoK1RjSZ"
                       "FDXXXY3pXa-2512-3509.jpg", "AccessKeyId": "LTAI5tExampleKeyId",
                       "Signature": "Pc5WB8gokVn0xfeu%2FZV%2BiNM1dgI%3D", "SignatureNonce": "15215528852396"})
    items = run("aliyun", query=query, method="POST")
    assert items["query.Url"].kind == "url" and items["query.Action"].text == "RecognizeGeneral"
    assert not {"query.AccessKeyId", "query.Signature", "query.SignatureNonce"} & set(items)


def test_raw_body_without_content_type_is_sniffed() -> None:
    assert run("aliyun", BMP)["body"].data == BMP


def test_unknown_binary_body_is_refused() -> None:
    for ctype in ("application/octet-stream", "application/x-unknown", ""):
        with pytest.raises(ProfileError) as e:
            run("aliyun", b"\x00\x01\x02garbage\xff", {"Content-Type": ctype} if ctype else {})
        assert "cannot be inspected" in e.value.en and e.value.param == "body"


# --- generic --------------------------------------------------------------------------------------------
def test_generic_multipart_two_files_and_a_text_field() -> None:
    tricky = PDF + b"\r\n------baomiXy\r\n--\r\n"  # CRLF and a near-boundary inside the file
    body, headers = multipart([("file", "扫描件.png", "image/png", PNG), ("attachment", "a.pdf",
                               "application/pdf", tricky), ("lang", None, None, SECRET.encode())])
    items = run("generic", body, headers, path="/predict/ocr_system")
    assert items["multipart.file"] == Item("multipart.file", "file", data=PNG, filename="扫描件.png")
    assert items["multipart.attachment"].data == tricky
    assert items["multipart.lang"] == Item("multipart.lang", "text", text=SECRET)


def test_multipart_text_fields_holding_files() -> None:
    body, headers = multipart([("image", None, None, b64(JPEG).encode()),
                               ("doc", None, "text/plain", ("data:application/pdf;base64," + b64(PDF)).encode()),
                               ("blob", None, "application/octet-stream", b"\x00raw"),
                               ("meta", None, "application/json", json.dumps({"note": SECRET}).encode())])
    items = run("generic", body, headers)
    assert items["multipart.image"].data == JPEG and items["multipart.doc"].data == PDF
    assert items["multipart.blob"] == Item("multipart.blob", "file", data=b"\x00raw")
    assert items["multipart.meta.note"].text == SECRET


def test_multipart_rfc2231_filename() -> None:
    body = (b'--b\r\nContent-Disposition: form-data; name="f"; filename*=UTF-8\'\'%E6%8A%A5%E5%91%8A.pdf\r\n'
            b"\r\n" + PDF + b"\r\n--b--\r\n")
    items = run("generic", body, {"Content-Type": "multipart/form-data; boundary=b"})
    assert items["multipart.f"].filename == "报告.pdf"


@pytest.mark.parametrize("mangle", [
    lambda b: b[:-20],                                     # truncated
    lambda b: b + b"trailing data",                        # data after the closing boundary
    lambda b: b"preamble\r\n" + b,                         # data before the first boundary
    lambda b: b.replace(b"Content-Type: image/png", b"Content-Transfer-Encoding: base64"),
])
def test_malformed_multipart_is_refused(mangle) -> None:
    body, headers = multipart([("file", "a.png", "image/png", PNG)])
    with pytest.raises(ProfileError):
        run("generic", mangle(body), headers)


def test_multipart_without_boundary_is_refused() -> None:
    body, _ = multipart([("a", None, None, b"x")])
    with pytest.raises(ProfileError):
        run("generic", body, {"Content-Type": "multipart/form-data"})


def test_json_data_url_nested_in_a_list() -> None:
    body = json.dumps({"requests": [{"images": ["https://example.com/p.jpg", "data:image/png;base64," + b64(PNG)],
                                     "prompt": SECRET}], "机密字段": "x"}).encode()
    items = run("generic", body, JSON)
    assert items["json.requests[0].images[1]"] == Item("json.requests[0].images[1]", "file", data=PNG)
    assert items["json.requests[0].images[0]"].kind == "url"
    assert items["json.requests[0].prompt"].text == SECRET
    assert items["json.机密字段#key"].text == "机密字段"


def test_json_long_base64_only_with_a_known_signature_is_a_file() -> None:
    wrapped = base64.encodebytes(PNG * 3).decode()  # MIME line breaks
    items = run("generic", json.dumps({"a": b64(b"just some bytes, no signature" * 3),
                                       "b": wrapped, "c": b64(BMP), "d": "BM" * 40}).encode(), JSON)
    assert items["json.a"].kind == "text" and items["json.d"].kind == "text"
    assert items["json.b"].data == PNG * 3 and items["json.c"].data == BMP


def test_json_string_holding_json_is_walked() -> None:
    inner = json.dumps({"pages": [{"img": b64(JPEG)}], "title": SECRET})
    items = run("generic", urlencode({"payload": inner}).encode(), FORM)
    assert items["form.payload#json.pages[0].img"].data == JPEG
    assert items["form.payload#json.title"].text == SECRET


def test_bad_data_url_base64_is_refused() -> None:
    with pytest.raises(ProfileError) as e:
        run("generic", json.dumps({"x": ["data:image/png;base64,@@@"]}).encode(), JSON)
    assert e.value.param == "json.x[0]"


@pytest.mark.parametrize("body", [b'{"a": 1, "a": 2}', b'{"a": ', b"[" * 100_000])
def test_bad_json_is_refused(body: bytes) -> None:
    with pytest.raises(ProfileError):
        run("generic", body, JSON)


def test_text_bodies() -> None:
    assert run("generic", SECRET.encode(), {"Content-Type": "text/plain; charset=utf-8"})["body"].text == SECRET
    assert run("generic", SECRET.encode(), {})["body"].text == SECRET
    assert run("generic", SECRET.encode("gb18030"), {"Content-Type": "text/plain; charset=gb18030"})[
        "body"].text == SECRET
    with pytest.raises(ProfileError):
        run("generic", SECRET.encode("gb18030"), {"Content-Type": "text/plain"})  # not UTF-8


def test_compressed_body_is_refused() -> None:
    with pytest.raises(ProfileError):
        run("generic", b"\x1f\x8b\x08\x00", {"Content-Type": "application/json", "Content-Encoding": "gzip"})


def test_get_with_query_only() -> None:
    items = run("generic", query="text=" + SECRET + "&src=https://example.com/a.png", method="GET")
    assert items["query.text"].text == SECRET and items["query.src"].kind == "url"


def test_sniff_and_profiles() -> None:
    assert [sniff(x) for x in (PNG, JPEG, PDF, OFD, BMP, b"GIF89a..", b"RIFF\0\0\0\0WEBPVP8 ", b"II*\0")] == [
        "png", "jpeg", "pdf", "zip", "bmp", "gif", "webp", "tiff"]
    assert sniff(b"BM but not a bitmap header") is None
    assert set(PROFILES) == {"baidu", "tencent", "aliyun", "generic"}
    with pytest.raises(ValueError):
        items_for("nope", "POST", "/", "", {}, b"")
