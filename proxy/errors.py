"""The gateway's error hierarchy. One handler (``render``) turns any of them into an OpenAI-shaped body.

Every message is Chinese first, then English, and says what to do. No message ever contains the
inspected text: callers pass categories and field names, never content.
"""
from __future__ import annotations

import json
from typing import Any


class BaomiError(Exception):
    status: int = 400
    type: str = "invalid_request_error"
    code: str = "invalid_request"

    def __init__(self, zh: str, en: str, *, param: str | None = None,
                 headers: dict[str, str] | None = None, code: str | None = None) -> None:
        super().__init__(en)
        self.zh = zh
        self.en = en
        self.param = param
        self.headers = dict(headers or {})
        if code:
            self.code = code

    @property
    def message(self) -> str:
        return f"{self.zh} / {self.en}"

    def body(self) -> dict[str, Any]:
        return {"error": {"message": self.message, "type": self.type, "code": self.code,
                          "param": self.param}}

    def render(self) -> tuple[int, bytes, dict[str, str]]:
        data = json.dumps(self.body(), ensure_ascii=False).encode()
        return self.status, data, self.headers


# --- bad input: the client must change the request -------------------------------------------------
class BadRequest(BaomiError):
    status = 400
    code = "invalid_request"


class MalformedJSON(BadRequest):
    code = "invalid_json"


class WrongShape(BadRequest):
    """The JSON parsed but a field has the wrong type or is missing; ``param`` names the field."""
    code = "invalid_field"


class PayloadTooLarge(BaomiError):
    status = 413
    code = "payload_too_large"


class UnsupportedMediaType(BaomiError):
    status = 415
    code = "unsupported_media_type"


class NotFound(BaomiError):
    status = 404
    code = "unknown_url"


class MethodNotAllowed(BaomiError):
    status = 405
    code = "method_not_allowed"


class Unauthorized(BaomiError):
    status = 401
    type = "authentication_error"
    code = "invalid_client_key"


# --- refusals by policy ------------------------------------------------------------------------------
class Refused(BaomiError):
    """The request was understood and deliberately not forwarded."""
    status = 403
    type = "permission_error"


class ContentBlocked(Refused):
    code = "content_blocked"


class HeldForReview(Refused):
    """Kept for a reviewer; the client gets a ticket to ask about it (and, after release, to collect it)."""
    code = "held_for_review"


class HoldPending(Refused):
    """A ticket was presented for a hold that no reviewer has released yet."""
    code = "hold_pending"


class HoldRejected(Refused):
    """A ticket was presented for a hold that a reviewer confirmed: it will never be sent."""
    code = "hold_rejected"


class TicketMismatch(BaomiError):
    """A released ticket was presented with a request other than the one that was held."""
    status = 409
    code = "ticket_mismatch"


class HoldExpired(BaomiError):
    """The held request's evidence was purged (retention), so it can no longer be matched or sent."""
    status = 410
    code = "hold_expired"


class InspectionFailed(Refused):
    """Inspection raised or timed out: fail closed."""
    code = "inspection_failed"


class NotInspectable(Refused):
    """The request carries content baomi cannot read yet (an endpoint, images, token ids ...)."""
    code = "not_inspectable"


# --- upstream ----------------------------------------------------------------------------------------
class UpstreamError(BaomiError):
    type = "upstream_error"


class UpstreamUnreachable(UpstreamError):
    status = 502
    code = "upstream_unreachable"


class UpstreamTimeout(UpstreamError):
    status = 504
    code = "upstream_timeout"


class InternalError(BaomiError):
    status = 500
    type = "server_error"
    code = "internal_error"


def internal_error() -> InternalError:
    return InternalError("baomi 内部错误，请求未转发。请稍后重试，若持续出现请联系管理员",
                         "internal error in baomi; the request was not forwarded. Retry later or "
                         "contact your administrator")
