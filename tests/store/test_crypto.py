"""seal / open_sealed: AES-256-GCM with a version byte; the ticket binds a blob to its row."""
from __future__ import annotations

import os

import pytest

from proxy.store.crypto import NONCE_BYTES, VERSION, SealError, open_sealed, seal

KEY = os.urandom(32)
AAD = b"hold-0190000000-0123456789abcdef"
PLAIN = "机密★ 南川市 项目预算 4,200 万".encode()


def test_round_trip_with_version_prefix_and_fresh_nonce():
    a, b = seal(KEY, PLAIN, AAD), seal(KEY, PLAIN, AAD)
    assert a[0] == VERSION and len(a) == 1 + NONCE_BYTES + len(PLAIN) + 16
    assert a != b and a[1:1 + NONCE_BYTES] != b[1:1 + NONCE_BYTES]
    assert PLAIN not in a
    assert open_sealed(KEY, a, AAD) == PLAIN == open_sealed(KEY, b, AAD)
    assert open_sealed(KEY, seal(KEY, b"", b""), b"") == b""


@pytest.mark.parametrize("where", [1, NONCE_BYTES + 1, -1, -17])
def test_tampering_fails(where):
    blob = bytearray(seal(KEY, PLAIN, AAD))
    blob[where] ^= 0x01
    with pytest.raises(SealError, match="tampered"):
        open_sealed(KEY, bytes(blob), AAD)


def test_wrong_aad_and_wrong_key_fail():
    blob = seal(KEY, PLAIN, AAD)
    with pytest.raises(SealError, match="another ticket"):
        open_sealed(KEY, blob, AAD + b"x")
    with pytest.raises(SealError, match="wrong key"):
        open_sealed(os.urandom(32), blob, AAD)


def test_version_truncation_and_key_size():
    blob = seal(KEY, PLAIN, AAD)
    with pytest.raises(SealError, match="version 2"):
        open_sealed(KEY, bytes([2]) + blob[1:], AAD)
    with pytest.raises(SealError, match="truncated"):
        open_sealed(KEY, blob[:20], AAD)
    for bad in (os.urandom(16), os.urandom(31), b""):
        with pytest.raises(SealError, match="32 bytes"):
            seal(bad, PLAIN, AAD)
