"""multipart/form-data bodies (file uploads): fields and files, parsed strictly from the bytes received.

The stdlib ``email`` parser reads MIME multipart exactly (binary parts included) and needs nothing else.
The body was already size-limited by ``receive``; a body that is not valid multipart is a 400, never
forwarded uninspected.
"""
from __future__ import annotations

from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP

from proxy.errors import BadRequest


def _bad(en: str) -> BadRequest:
    return BadRequest(f"multipart/form-data 请求体无效：{en}", f"invalid multipart/form-data body: {en}",
                      code="invalid_multipart")


def parse_multipart(content_type: str, body: bytes) -> tuple[dict[str, str], dict[str, tuple[str | None, bytes]]]:
    """``(fields, files)``: text fields by name, and file parts by name as ``(filename, bytes)``.

    A part with a filename (or a non-text content type) is a file; a repeated field name is an error (the
    upstream might read the other copy).
    """
    if "boundary=" not in content_type:
        raise _bad("no boundary in Content-Type")
    head = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", errors="replace")
    msg = BytesParser(policy=HTTP).parsebytes(head + body)
    if not msg.is_multipart() or msg.defects:
        raise _bad("malformed body")
    fields: dict[str, str] = {}
    files: dict[str, tuple[str | None, bytes]] = {}
    for part in msg.iter_parts():
        name, filename = _disposition(part)
        if name is None:
            raise _bad("a part has no name")
        if name in fields or name in files:
            raise _bad(f"field {name!r} appears twice")
        payload = part.get_payload(decode=True) or b""
        ctype = part.get_content_type()
        if filename is not None or not ctype.startswith("text/"):
            files[name] = (filename, payload)
        else:
            try:
                fields[name] = payload.decode(part.get_content_charset() or "utf-8")
            except (UnicodeDecodeError, LookupError):
                files[name] = (None, payload)
    return fields, files


def _disposition(part: Message) -> tuple[str | None, str | None]:
    if part.get_content_disposition() != "form-data":
        return None, None
    return part.get_param("name", header="content-disposition"), part.get_filename()
