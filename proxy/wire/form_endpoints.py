"""OpenAI endpoints that carry files as multipart/form-data: what is inspected in them.

``POST /v1/files`` (``file`` + ``purpose``), ``POST /v1/images/edits`` and ``/v1/images/variations``
(``image`` / ``image[]`` / ``mask`` + ``prompt``). Every file part is read by the upload readers, every text
field is inspected as text. The body is forwarded exactly as received: files cannot be pseudonymised, so a
``redact`` decision on such a request is refused instead.

Audio (``/v1/audio/transcriptions``, ``/translations``) cannot be inspected (no local speech recognition),
and ``/v1/uploads`` (multi-part resumable uploads: each request holds only a slice of a file) cannot be
inspected as a whole: both are refused with a message saying what to use instead.
"""
from __future__ import annotations

from proxy.errors import NotInspectable
from proxy.flow import Attachment, Segment
from proxy.wire.endpoints import Extracted
from proxy.wire.forms import parse_multipart

FORM_ENDPOINTS = frozenset({"/v1/files", "/v1/images/edits", "/v1/images/variations"})


def refused_upload_endpoint(path: str) -> NotInspectable | None:
    if path in ("/v1/audio/transcriptions", "/v1/audio/translations"):
        return NotInspectable("baomi 无法检查音频内容，请求未转发。请改为发送文字",
                              "baomi cannot inspect audio, so the request was not forwarded. Send text instead",
                              code="not_inspectable")
    if path == "/v1/uploads" or path.startswith("/v1/uploads/"):
        return NotInspectable("分片上传（/v1/uploads）无法整体检查，请求未转发。请改用 /v1/files 上传整个文件",
                              "multi-part uploads (/v1/uploads) cannot be inspected as a whole, so the request "
                              "was not forwarded. Upload the whole file with /v1/files instead",
                              code="not_inspectable")
    return None


def extract_form(content_type: str, body: bytes) -> Extracted:
    fields, files = parse_multipart(content_type, body)
    segments = [Segment(path=f"form.{name}", text=value, role="user") for name, value in fields.items() if value]
    attachments = [Attachment(path=f"form.{name}", kind="image" if name.startswith(("image", "mask")) else "file",
                              source="data", value="", filename=filename, data=data)
                   for name, (filename, data) in files.items()]
    model = fields.get("model")
    return Extracted(segments, model or "", False, attachments)
