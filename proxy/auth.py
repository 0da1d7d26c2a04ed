"""Who is calling. Client keys arrive in a later issue; this is the seam they plug into.

Today every caller is ``anonymous``; ``cli serve`` refuses a non-loopback bind without keys unless
``--allow-anonymous`` is given. The client's own ``Authorization`` header is never forwarded upstream.
"""
from __future__ import annotations

from starlette.requests import Request

ANONYMOUS = "anonymous"


def client_of(request: Request) -> str:
    return ANONYMOUS


def can_start(host_is_loopback: bool, allow_anonymous: bool, keys_configured: bool = False) -> bool:
    return host_is_loopback or allow_anonymous or keys_configured
