"""JSON Web Tokens (JWS ``header.payload.signature`` and JWE with five parts): three or more base64url
parts whose first part decodes to a JSON object with ``"alg"`` (or ``"enc"``).

A bearer token is a credential whatever its claims say: a signed token scores 0.9. An unsigned token
(``alg: none``, empty signature) is weaker evidence (0.55), and the example token of jwt.io's
documentation (``sub 1234567890``, ``John Doe``) scores 0.4. Tokens whose header does not decode are
not reported here (LabelledSecretRecognizer still reports a random value after ``Bearer``).
"""
from __future__ import annotations

import json

import regex

from proxy.detection.recognizers.credential_base import CATEGORY, JWT, CredentialRecognizer, Hit, Rule
from proxy.detection.recognizers.credential_values import DOC_EXAMPLES, decode_b64

_PATTERN = (r"(?<![A-Za-z0-9_\-.])eyJ(?P<h>[A-Za-z0-9_\-]{6,}+)={0,2}\.(?P<p>[A-Za-z0-9_\-]{2,}+)={0,2}"
            r"\.(?P<s>[A-Za-z0-9_\-]*+)={0,2}(?P<more>(?:\.[A-Za-z0-9_\-]++){0,2})")
MAX_PART = 8192


def _json(part: str) -> dict | None:
    if len(part) > MAX_PART:
        return None
    raw = decode_b64(part, urlsafe=True)
    if raw is None:
        return None
    try:
        obj = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return None
    return obj if isinstance(obj, dict) else None


def jwt_header(token: str) -> dict | None:
    """The decoded header of ``token`` if it is JWT-shaped, else None."""
    head = token.split(".", 1)[0]
    h = _json(head)
    if h is None or not ("alg" in h or "enc" in h):
        return None
    return h


class JwtRecognizer(CredentialRecognizer):
    ENTITY_CATEGORIES = {JWT: CATEGORY}
    RULES = (Rule("jwt", _PATTERN, ("eyJ",)),)

    def _jwt(self, text: str, m: regex.Match) -> Hit | None:
        header = _json("eyJ" + m.group("h"))
        if header is None or not ("alg" in header or "enc" in header):
            return None
        sig = m.group("s")
        if sig in DOC_EXAMPLES:
            return Hit(m.start(), m.end(), 0.4, "JSON Web Token from documentation examples")
        payload = _json(m.group("p"))
        if payload is not None and payload.get("sub") == "1234567890" and payload.get("name") == "John Doe":
            return Hit(m.start(), m.end(), 0.4, "JSON Web Token from documentation examples")
        if m.group("more"):
            return Hit(m.start(), m.end(), 0.9, "encrypted JSON Web Token (JWE)")
        if not sig:
            if str(header.get("alg", "")).lower() == "none":
                return Hit(m.start(), m.end(), 0.55, "unsigned JSON Web Token (alg none)")
            return Hit(m.start(), m.end(), 0.6, "JSON Web Token without its signature")
        if len(sig) < 16:
            return Hit(m.start(), m.end(), 0.7, "JSON Web Token with a truncated signature")
        return Hit(m.start(), m.end(), 0.9, "signed JSON Web Token (bearer credential)")
