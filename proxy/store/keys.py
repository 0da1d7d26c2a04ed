"""Where the evidence key comes from, and how it is created safely on first run.

Order: ``BAOMI_EVIDENCE_KEY`` (base64 of 32 bytes; for deployments that inject secrets through the
environment), else the file named by the ``evidence_key_file`` setting, else ``<data_dir>/evidence.key``.

The file is created with ``O_CREAT | O_EXCL`` and mode 0600, so two processes starting at once cannot
both write a key (the loser reads the winner's), and the key is never readable by others even for a
moment. An existing file that group or others can read is refused, as ssh refuses a private key: a
key that has leaked is not a key. No message here ever contains key material.
"""
from __future__ import annotations

import base64
import binascii
import os
import secrets
import stat
import time
from pathlib import Path
from typing import Mapping

from proxy.settings import ENV_PREFIX, Settings

KEY_BYTES = 32
ENV_VAR = ENV_PREFIX + "EVIDENCE_KEY"
#: how long to wait for a key file another process has just created but not yet written
_RACE_WAIT = 2.0


class EvidenceKeyError(ValueError):
    """The evidence key is missing, malformed or not private. The message never includes the key."""


def key_path(settings: Settings) -> Path:
    return Path(settings.evidence_key_file) if settings.evidence_key_file else settings.data_path / "evidence.key"


def load_evidence_key(settings: Settings, env: Mapping[str, str] | None = None, *, create: bool = True) -> bytes:
    """The 32-byte AES-256-GCM key for held evidence.

    ``create=False`` is for readers (``baomi holds show``): a fresh key could not open anything stored
    under the old one, so a missing file is an error there, not a reason to make a new key.
    """
    env = os.environ if env is None else env
    raw = env.get(ENV_VAR)
    if raw:
        return _decode(raw, f"{ENV_VAR} 必须是 {KEY_BYTES} 字节随机数的 base64 编码 / {ENV_VAR} must be the "
                            f"base64 encoding of exactly {KEY_BYTES} random bytes")
    path = key_path(settings)
    if not path.exists():
        if not create:
            raise EvidenceKeyError(f"证据密钥文件 {path} 不存在 / the evidence key file {path} does not exist "
                                   f"(check --data-dir, {ENV_PREFIX}EVIDENCE_KEY_FILE or {ENV_VAR})")
        key = _create(path)
        if key is not None:
            return key
    return _read(path)


def _decode(text: str, message: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise EvidenceKeyError(message) from None
    if len(key) != KEY_BYTES:
        raise EvidenceKeyError(message)
    return key


def _create(path: Path) -> bytes | None:
    """Write a new key; None if another process created the file first (then read theirs)."""
    if not path.parent.exists():
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return None
    key = secrets.token_bytes(KEY_BYTES)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(base64.b64encode(key) + b"\n")
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        path.unlink(missing_ok=True)  # never leave an empty key file behind that would block every start
        raise
    return key


def _read(path: Path) -> bytes:
    deadline = time.monotonic() + _RACE_WAIT
    while True:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as exc:
            raise EvidenceKeyError(f"无法读取证据密钥文件 {path} / cannot read the evidence key file {path}: "
                                   f"{exc.strerror}") from None
        with os.fdopen(fd, "rb") as f:
            _check_private(path, os.fstat(f.fileno()))  # fstat: the file we read is the file we checked
            data = f.read()
        if data.strip() or time.monotonic() > deadline:
            break
        time.sleep(0.02)  # created by a concurrent first run that has not written yet
    return _decode(data.decode("ascii", "replace"),
                   f"证据密钥文件 {path} 内容无效（应为 {KEY_BYTES} 字节的 base64） / the evidence key file "
                   f"{path} is not valid (expected base64 of {KEY_BYTES} bytes)")


def _check_private(path: Path, st: os.stat_result) -> None:
    if os.name == "nt":  # POSIX mode bits mean nothing there; NTFS ACLs are the operator's job
        return
    mode = stat.S_IMODE(st.st_mode)
    if mode & 0o077:
        raise EvidenceKeyError(f"证据密钥文件 {path} 的权限 {mode:04o} 过宽，组或其他用户可以访问；请执行 chmod 600 {path} / "
                               f"the evidence key file {path} has permissions {mode:04o}: group or others have "
                               f"access to it. Run `chmod 600 {path}` (and consider the key leaked if others did).")
