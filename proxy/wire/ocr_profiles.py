"""Request-shape profiles: where the images, documents, URLs and text sit in a non-OpenAI OCR request.

``items_for`` turns a request for a pass-through route (``/ocr/<route>/<rest>``) into ``Item``s for the
pipeline: decoded files, URLs the service would fetch (policy decides; never fetched here) and text.
A body that cannot be read completely raises ``ProfileError`` (400): bytes baomi has not seen are never
forwarded. A vendor profile reads its documented fields first (strict base64, whatever the file type),
then the generic reading takes every other field, so an unknown or new field cannot slip through.

Documented formats the field names were checked against:
- baidu: POST aip.baidubce.com/rest/2.0/ocr/v1/general_basic (accurate_basic, general ...)?access_token=
  form-urlencoded; ``image``/``pdf_file``/``ofd_file`` = urlencoded base64, ``url``; options such as
  ``pdf_file_num``, ``language_type``.  https://ai.baidu.com/ai-doc/OCR/zk3h7xz52
  https://cloud.baidu.com/doc/OCR/s/vk3h7y58v  https://ai.baidu.com/ai-doc/OCR/Ek3h7y961 (iOCR)
- tencent: API 3.0 POST ocr.tencentcloudapi.com, JSON, X-TC-Action: GeneralBasicOCR ...; ``ImageBase64``/
  ``ImageUrl`` (+ ``IsPdf``, ``PdfPageNumber``, ``LanguageType``), ``FileBase64``/``FileUrl``
  (ReconstructDocument); signature v1 sends the same fields form-urlencoded or as a GET query.
  https://www.tencentcloud.com/document/product/1005/37315  https://cloud.tencent.com/document/api/866/119452
  https://cloud.tencent.com/document/product/1130/46710 (JSON / form / multipart bodies)
- aliyun: ocr-api 2021-07-07 RecognizeGeneral ...: the image is the raw body (SDK: application/octet-stream)
  or ``Url`` in the query; V2 (RPC) signing puts AccessKeyId, Signature ... in the query.
  https://help.aliyun.com/document_detail/442250.htm  https://help.aliyun.com/document_detail/25490.htm
"""
from __future__ import annotations

import base64
import binascii
import email.message
import email.utils
import json
import re
from dataclasses import dataclass
from typing import Any, Literal, Mapping
from urllib.parse import parse_qsl, unquote, unquote_to_bytes

from python_multipart.multipart import MultipartParser, parse_options_header

from proxy.errors import BadRequest

MAX_ITEMS = 10_000  # far beyond any OCR call; stops a body of a million tiny fields from grinding
_IDENT = re.compile(r"[A-Za-z_$][A-Za-z0-9_.$-]{0,63}\Z")  # keys like this carry no text of their own
_URL = re.compile(r"https?://\S+\Z", re.I)
_B64 = re.compile(r"[A-Za-z0-9+/]{20,}={0,2}\Z")
_DATA_URL = re.compile(r"data:[^,;]*((?:;[^,;]*)*),", re.I)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")  # control bytes: a body with them is binary
_TOKEN = re.compile(r"[A-Za-z0-9._~+/=:%-]{1,512}\Z")  # the shape of a signature, token or key id
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "png"), (b"\xff\xd8\xff", "jpeg"), (b"GIF87a", "gif"), (b"GIF89a", "gif"),
          (b"II*\x00", "tiff"), (b"MM\x00*", "tiff"), (b"%PDF-", "pdf"), (b"PK\x03\x04", "zip"),
          (b"PK\x05\x06", "zip"))  # zip: also DOCX/XLSX/PPTX and OFD


@dataclass(slots=True)
class Item:
    where: str  # path | query.Url | form.image | json.a[0].b | multipart.file | body; "#2" on repeats
    kind: Literal["file", "text", "url"]
    data: bytes | None = None
    text: str | None = None
    filename: str | None = None


class ProfileError(BadRequest):
    """The request is malformed or unreadable for its profile: answer 400, never forward."""
    code = "invalid_ocr_request"

    def __init__(self, zh: str, en: str, where: str | None = None) -> None:
        super().__init__(f"OCR 请求无法检查（{zh}），请求未转发。请修正请求后重试",
                         f"the OCR request cannot be inspected ({en}), so it was not forwarded. "
                         f"Fix the request and retry", param=where)


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    files: frozenset[str] = frozenset()  # top-level fields holding base64 of an image/PDF/OFD
    urls: frozenset[str] = frozenset()   # top-level fields holding a URL the service downloads
    # Query/form auth parameters. Inspected as text they would trip the credential detectors on every
    # call, so they are skipped, but only while they look like a token (_TOKEN): prose is still read.
    credentials: frozenset[str] = frozenset()


PROFILES: dict[str, Profile] = {p.name: p for p in (
    Profile("baidu", frozenset({"image", "pdf_file", "ofd_file"}), frozenset({"url"}),
            frozenset({"access_token"})),
    Profile("tencent", frozenset({"ImageBase64", "FileBase64"}), frozenset({"ImageUrl", "FileUrl"}),
            frozenset({"SecretId", "Signature", "Token"})),
    Profile("aliyun", frozenset(), frozenset({"Url"}),
            frozenset({"AccessKeyId", "Signature", "SignatureNonce", "SecurityToken"})),
    Profile("generic"),
)}


def sniff(data: bytes) -> str | None:
    """The file type a signature announces; None if it is none of the types OCR services take."""
    for magic, kind in _MAGIC:
        if data.startswith(magic):
            return kind
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[:2] == b"BM" and int.from_bytes(data[14:18], "little") in (12, 40, 52, 56, 64, 108, 124):
        return "bmp"  # "BM" alone is too common a start: require a real DIB header size
    return None


def items_for(profile: str, method: str, path: str, query: str, headers: Mapping[str, str],
              body: bytes) -> list[Item]:
    """Everything in the request that leaves the network: the rest path, the query, then the body.

    ``method`` does not change the reading (a GET's query and a POST's form are read alike); headers are
    consulted only for Content-Type and Content-Encoding.
    """
    spec = PROFILES.get(profile)
    if spec is None:
        raise ValueError(f"unknown OCR profile {profile!r}")  # routes are validated when loaded
    out = _Items(spec)
    if path.strip("/"):
        out.add(Item("path", "text", text=unquote(path)))
    for k, v in _form(query, "query"):
        out.field("query", k, v)
    hdr = {k.lower(): v for k, v in headers.items()}
    if hdr.get("content-encoding", "").strip().lower() not in ("", "identity"):
        raise ProfileError("请求体经过压缩", "the body is compressed (Content-Encoding)", "body")
    if body:
        out.body(hdr.get("content-type", ""), body)
    return out.items


class _Items:
    def __init__(self, spec: Profile) -> None:
        self.spec, self.items, self._seen = spec, [], {}

    def add(self, item: Item) -> None:
        n = self._seen[item.where] = self._seen.get(item.where, 0) + 1
        if n > 1:
            item.where = f"{item.where}#{n}"  # a repeated field: every copy is inspected, each named
        if len(self.items) >= MAX_ITEMS:
            raise ProfileError("字段过多", f"more than {MAX_ITEMS} fields", item.where)
        self.items.append(item)

    def field(self, section: str, name: str, value: str) -> None:
        """A top-level named field: its documented meaning if the profile has one, else ``value``."""
        where = f"{section}.{name}"
        if not _IDENT.match(name):
            self.add(Item(f"{where}#key", "text", text=name))
        if name in self.spec.credentials and section in ("query", "form") and _TOKEN.match(value):
            return
        if name in self.spec.files and value:
            data = _data_url(value, where) if _DATA_URL.match(value) else _b64(value, where)
            self.add(Item(where, "file", data=data))
        elif name in self.spec.urls and value and not _DATA_URL.match(value):
            self.add(Item(where, "url", text=value))
        else:
            self.value(where, value)

    def value(self, where: str, s: str, depth: int = 0) -> None:
        """Generic reading of one string: data URL or base64 file, URL, embedded JSON, or text."""
        if not s:
            return
        if _DATA_URL.match(s):
            self.add(Item(where, "file", data=_data_url(s, where)))
        elif _URL.match(s):
            self.add(Item(where, "url", text=s))
        elif _B64.match(flat := s.replace("\r", "").replace("\n", "")) and (data := _b64_file(flat)):
            self.add(Item(where, "file", data=data))  # line-wrapped (MIME) base64 is still a file
        elif depth < 3 and s.lstrip()[:1] in ("{", "[") and (obj := _loads(s, None)) is not None:
            self.json(obj, f"{where}#json", depth + 1)
        else:
            self.add(Item(where, "text", text=s))

    def json(self, obj: Any, base: str, depth: int = 0) -> None:
        """Every string, non-identifier key and long number in a JSON value, by path. The profile's
        documented fields count only at the top level of a JSON body."""
        documented = self.spec.files | self.spec.urls
        stack: list[tuple[str, Any]] = [(base, obj)]
        while stack:
            p, v = stack.pop()
            if isinstance(v, dict):
                for k, child in reversed(v.items()):
                    stack.append((f"{p}.{k}", child))
                    if not _IDENT.match(k):
                        self.add(Item(f"{p}.{k}#key", "text", text=k))
            elif isinstance(v, list):
                stack.extend((f"{p}[{i}]", v[i]) for i in range(len(v) - 1, -1, -1))
            elif isinstance(v, str) and base == "json" and p[5:] in documented:  # json.<top-level name>
                self.field("json", p[5:], v)
            elif isinstance(v, str):
                self.value(p, v, depth)
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and abs(v) >= 100_000:
                self.add(Item(p, "text", text=str(v)))  # ID, phone and card numbers come as numbers too

    def body(self, content_type: str, body: bytes) -> None:
        raw, params = parse_options_header(content_type)
        ctype = raw.decode("latin-1").lower()
        if ctype == "multipart/form-data":
            return self.multipart(body, params.get(b"boundary", b""))
        if ctype == "application/x-www-form-urlencoded":
            for k, v in _form(body, "body"):
                self.field("form", k, v)
            return
        if ctype == "application/json" or ctype.endswith("+json") or (
                not ctype and body.lstrip()[:1] in (b"{", b"[")):
            return self.json(_loads(body, "body"), "json")
        if sniff(body) or ctype.startswith("image/") or ctype in ("application/pdf", "application/ofd"):
            return self.add(Item("body", "file", data=body))
        try:  # anything else must be text: text/*, XML, or an unlabelled body that decodes cleanly
            text: str | None = body.decode(params.get(b"charset", b"utf-8").decode("latin-1"))
        except (LookupError, UnicodeDecodeError):
            text = None
        if ctype == "application/octet-stream" or text is None or (
                not ctype.startswith("text/") and ctype != "application/xml" and _CONTROL.search(text[:4096])):
            raise ProfileError("请求体是无法识别的二进制数据或编码错误", f"a body of type {ctype or 'unknown'} that "
                               "is neither an image, PDF or document nor text in its charset", "body")
        self.value("body", text)

    def multipart(self, body: bytes, boundary: bytes) -> None:
        """multipart/form-data: file parts become files, other parts go through ``field``. The parts
        together hold at most the body's bytes once more; headers are capped by the parser."""
        if not boundary or not body.rstrip(b"\r\n").endswith(b"--" + boundary + b"--"):
            raise ProfileError("multipart 缺少边界或不完整", "multipart body without boundary, "
                               "truncated, or with data after the closing boundary", "body")
        parts: list[tuple[list[tuple[bytes, bytes]], bytearray]] = []
        hf, hv, ended = bytearray(), bytearray(), []
        parser = MultipartParser(boundary, {
            "on_part_begin": lambda: parts.append(([], bytearray())),
            "on_header_end": lambda: (parts[-1][0].append((bytes(hf), bytes(hv))), hf.clear(), hv.clear()),
            "on_header_field": lambda d, s, e: hf.extend(d[s:e]),
            "on_header_value": lambda d, s, e: hv.extend(d[s:e]),
            "on_part_data": lambda d, s, e: parts[-1][1].extend(d[s:e]), "on_end": lambda: ended.append(1),
        }, max_header_count=16)
        try:
            parser.write(body)
            parser.finalize()
        except ValueError:  # python_multipart's parse errors are ValueErrors
            ended.clear()
        if not ended:
            raise ProfileError("multipart 格式错误", "malformed multipart body", "body")
        for headers, data in parts:
            self._part({k.decode("latin-1").lower(): v.decode("utf-8", "replace") for k, v in headers},
                       bytes(data))

    def _part(self, headers: dict[str, str], data: bytes) -> None:
        if headers.get("content-transfer-encoding", "binary").strip().lower() not in ("7bit", "8bit", "binary"):
            raise ProfileError("multipart 分段使用了传输编码", "a part uses Content-Transfer-Encoding", "body")
        msg = email.message.Message()
        msg["content-disposition"] = headers.get("content-disposition", "form-data")
        name = email.utils.collapse_rfc2231_value(msg.get_param("name", "", "content-disposition")) or "_"
        filename, ctype = msg.get_filename(), headers.get("content-type", "").split(";")[0].strip().lower()
        if filename is None and ctype == "application/json":
            return self.json(_loads(data, f"multipart.{name}"), f"multipart.{name}")
        if filename is None and (not ctype or ctype.startswith("text/")):
            try:
                return self.field("multipart", name, data.decode("utf-8"))
            except UnicodeDecodeError:
                pass  # not text after all: inspect it as a file
        self.add(Item(f"multipart.{name}", "file", data=data, filename=filename or None))


def _form(text: str | bytes, where: str) -> list[tuple[str, str]]:
    try:
        s = text.decode("utf-8") if isinstance(text, bytes) else text
        return parse_qsl(s, keep_blank_values=True, errors="strict", max_num_fields=MAX_ITEMS)
    except ValueError:  # UnicodeDecodeError too
        raise ProfileError("表单编码无效", "invalid urlencoded data or not UTF-8", where) from None


def _b64(value: str, where: str) -> bytes:
    try:
        return base64.b64decode(value, validate=True)
    except ValueError:  # binascii.Error too
        raise ProfileError(f"字段 {where} 不是有效的 base64，是否忘了 urlencode",
                           f"field {where} is not valid base64; was it urlencoded?", where) from None


def _b64_file(s: str) -> bytes | None:
    """The decoded bytes if ``s`` is strict base64 of a known file type (sniffed from a prefix first)."""
    try:
        if sniff(base64.b64decode(s[:64] if len(s) > 64 else s, validate=True)):
            return base64.b64decode(s, validate=True)
    except binascii.Error:
        pass
    return None


def _data_url(s: str, where: str) -> bytes:
    m = _DATA_URL.match(s)
    assert m is not None
    return _b64(s[m.end():], where) if ";base64" in m.group(1).lower() else unquote_to_bytes(s[m.end():])


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    if len({k for k, _ in pairs}) != len(pairs):
        raise ValueError("duplicate key")  # the service may read another copy than baomi inspected
    return dict(pairs)


def _loads(data: str | bytes, where: str | None) -> Any:
    try:
        return json.loads(data, object_pairs_hook=_unique_keys)
    except (ValueError, RecursionError):
        if where is None:
            return None
        raise ProfileError("JSON 无效或含重复键", "invalid JSON or a duplicate key", where) from None

