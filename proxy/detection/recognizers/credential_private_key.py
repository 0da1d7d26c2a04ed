"""Private keys: PEM blocks (``-----BEGIN [RSA|EC|DSA|OPENSSH|ENCRYPTED|PGP] PRIVATE KEY[ BLOCK]-----``),
also truncated, pasted on one line or inside a JSON string with ``\\n`` escapes (cloud service-account
files); PuTTY ``.ppk`` files; and base64 key bodies whose header was cut off, recognised by the DER
structure every such key starts with (PKCS#1 ``MII…IBAAK…``, PKCS#8 ``MII…IBADANBgkqhkiG9w0BAQEFAAS…``,
SEC1 EC ``MHcCAQEEI…``, OpenSSH ``b3BlbnNzaC1rZXktdjE…``).

A header with a key body of at least 64 base64 characters scores 0.95, a body of 16-63 characters (a
truncated paste) 0.85; a header alone or followed by ``...`` / a placeholder is documentation (0.45).
"""
from __future__ import annotations

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.credential_base import CATEGORY, PRIVATE_KEY, CredentialRecognizer, Hit, Rule
from proxy.detection.recognizers.credential_values import entropy, has_run

_B64 = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=")
MAX_BODY = 16_000
_HEADER_FIELD = bounded.compile(r"(?:Proc-Type|DEK-Info|Comment|Version|Hash|Charset)[ \t]*:[^\n\\]{0,200}")
_END = bounded.compile(r"-{3,6}[ \t]*END[ \t]+(?:[A-Z0-9]+[ \t]+){0,3}PRIVATE[ \t]+KEY(?:[ \t]+BLOCK)?[ \t]*-{3,6}")
_PRIVATE_LINES = bounded.compile(r"Private-Lines:[ \t]*\d{1,4}")


def read_body(text: str, pos: int, where: str) -> tuple[int, int, bool]:
    """Base64 body starting at ``pos``: (base64 characters, end offset of the body, END marker seen).
    Skips whitespace, literal ``\\n`` / ``\\r`` escapes and armour header fields."""
    n = min(len(text), pos + MAX_BODY)
    count = 0
    i = pos
    last = pos
    chars: list[str] = []
    while i < n:
        ch = text[i]
        if count == 0 and ch.isalpha():  # armour headers come before the body
            f = bounded.match(_HEADER_FIELD, text[i:i + 220], where)
            if f is not None:
                i += f.end()
                continue
        if ch in _B64:
            count += 1
            if len(chars) < 512:
                chars.append(ch)
            i += 1
            last = i
            continue
        if ch in " \t\r\n":
            i += 1
            continue
        if ch == "\\" and i + 1 < n and text[i + 1] in "nr":
            i += 2
            continue
        if ch == "-":
            e = bounded.match(_END, text[i:i + 80], where)
            if e is not None:
                return _weigh(count, chars), i + e.end(), True
        break
    return _weigh(count, chars), last, False


def _weigh(count: int, chars: list[str]) -> int:
    """Base64 count, or 0 if the body is a filler (``AAAA…``, ``xxxx``) rather than key material."""
    sample = "".join(chars)
    if count and (has_run(sample, 12) or (len(sample) >= 16 and entropy(sample) < (3.0 if len(sample) < 40
                                                                                         else 4.0))):
        return 0
    return count


class PrivateKeyRecognizer(CredentialRecognizer):
    ENTITY_CATEGORIES = {PRIVATE_KEY: CATEGORY}
    DENSE_SPACING = 64  # a key block is hundreds of characters long
    RULES = (
        Rule("pem", r"-{3,6}[ \t]*begin[ \t]+(?:[a-z0-9]+[ \t]+){0,3}private[ \t]+key(?:[ \t]+block)?[ \t]*-{3,6}",
             ("private key",), fold=True),
        Rule("putty", r"PuTTY-User-Key-File-\d{1,2}:", ("PuTTY-User-Key-File",)),
        # base64 DER bodies without their header
        Rule("der", r"(?:MII[A-Za-z0-9+/]{2}[AQgw]IB(?:AAK[BC]|ADANBgkqhkiG9w0BAQEFAAS[BC])|"
                    r"MIG[A-Za-z0-9+/]AgEAMBMGByqGSM49AgEG|MHcCAQEEI|MIGkAgEBBDA|MC4CAQAwBQYDK2VwBCIEI|"
                    r"b3BlbnNzaC1rZXktdjE)",
             ("IBAAK", "IBADANBgkqhkiG9w0BAQEFAAS", "AgEAMBMGByqGSM49AgEG", "MHcCAQEEI", "MIGkAgEBBDA",
              "MC4CAQAwBQYDK2VwBCIEI", "b3BlbnNzaC1rZXktdjE")),
    )

    def _pem(self, text: str, m: regex.Match) -> Hit | None:
        header = text[m.start():m.end()].upper()
        count, end, closed = read_body(text, m.end(), f"{self.name}.pem")
        span_end = end if (closed or count) else m.end()
        if count >= 64:
            why = ("encrypted private key block" if "ENCRYPTED" in header or "ENCRYPTED" in text[m.end():m.end() + 80]
                   else "private key block")
            return Hit(m.start(), span_end, 0.9 if "ENCRYPTED" in why else 0.95, why)
        if count >= 16:
            return Hit(m.start(), span_end, 0.85, "truncated private key block")
        return Hit(m.start(), span_end, 0.45, "private-key header without key material")

    def _putty(self, text: str, m: regex.Match) -> Hit | None:
        window = text[m.end():m.end() + 6000]
        pl = bounded.search(_PRIVATE_LINES, window, f"{self.name}.putty")
        if pl is None:
            return Hit(m.start(), m.end(), 0.45, "PuTTY key file header without private lines")
        start = m.end() + pl.end()
        count, end, _ = read_body(text, start, f"{self.name}.putty")
        if count >= 16:
            return Hit(m.start(), end, 0.95, "PuTTY private key file")
        return Hit(m.start(), max(end, start), 0.45, "PuTTY key file without key material")

    def _der(self, text: str, m: regex.Match) -> Hit | None:
        before = text[m.start() - 1] if m.start() else ""
        if before and before != "=" and before in _B64 and text[max(0, m.start() - 2):m.start()] != "\\n":
            return None  # inside a longer base64 run: not the start of a key
        count, end, _ = read_body(text, m.start(), f"{self.name}.der")
        if count >= 64:
            return Hit(m.start(), end, 0.9, "private key material (base64 DER) without its header")
        if count >= 32:
            return Hit(m.start(), end, 0.6, "start of private key material (base64 DER)")
        return None
