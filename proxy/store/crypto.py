"""Sealing evidence at rest: AES-256-GCM with a random nonce and a version byte.

Held requests keep their evidence (the prompt parts that triggered the hold) so that a reviewer can
decide; that is exactly the material baomi exists to protect, so it is never stored in the clear.

Blob layout: ``version (1 byte) | nonce (12 bytes) | ciphertext + tag (16 bytes)``.

* The version byte lets a later key rotation or algorithm change read old rows. It is also part of
  the associated data, so it cannot be flipped without the tag failing.
* The caller's ``aad`` (the hold ticket) binds a blob to its row: copying one row's evidence into
  another row makes it fail to open instead of showing the wrong request to a reviewer.
* A random 96-bit nonce per seal is safe for far more seals than a gateway will ever make with one key.
"""
from __future__ import annotations

import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

VERSION = 1
KEY_BYTES = 32
NONCE_BYTES = 12
TAG_BYTES = 16
_HEADER = bytes([VERSION])


class SealError(Exception):
    """Evidence could not be sealed or opened (wrong key, tampered or foreign blob)."""


def _aead(key: bytes) -> AESGCM:
    if not isinstance(key, (bytes, bytearray)) or len(key) != KEY_BYTES:
        raise SealError(f"证据密钥必须是 {KEY_BYTES} 字节 / the evidence key must be {KEY_BYTES} bytes (AES-256)")
    return AESGCM(bytes(key))


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    """Encrypt and authenticate ``plaintext``; ``aad`` is authenticated but not stored."""
    nonce = os.urandom(NONCE_BYTES)
    return _HEADER + nonce + _aead(key).encrypt(nonce, plaintext, _HEADER + aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    """Decrypt a blob made by :func:`seal` with the same key and ``aad``; anything else raises SealError."""
    aead = _aead(key)
    blob = bytes(blob)
    if len(blob) < 1 + NONCE_BYTES + TAG_BYTES:
        raise SealError("证据数据不完整 / the sealed evidence is truncated")
    if blob[0] != VERSION:
        raise SealError(f"未知的证据加密版本 {blob[0]} / unknown evidence seal version {blob[0]}")
    nonce, body = blob[1:1 + NONCE_BYTES], blob[1 + NONCE_BYTES:]
    try:
        return aead.decrypt(nonce, body, blob[:1] + aad)
    except InvalidTag:
        raise SealError("证据无法解密：密钥不对、数据被篡改或不属于该工单 / the evidence cannot be decrypted: "
                        "wrong key, tampered data, or a blob that belongs to another ticket") from None
