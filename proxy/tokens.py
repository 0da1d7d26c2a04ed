"""Prompt token counting with tiktoken, offline.

tiktoken downloads its BPE files on first use. baomi ships the two files it needs in
``proxy/data/tiktoken/`` under the names tiktoken's cache uses (sha1 of the source URL) and points
``TIKTOKEN_CACHE_DIR`` there; tiktoken verifies each file's sha256 before using it. Provenance:
``proxy/data/tiktoken/PROVENANCE.md``.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

BPE_DIR = Path(__file__).parent / "data" / "tiktoken"

# models that predate o200k_base; everything else (gpt-4o, o-series, gpt-4.1, gpt-5 ...) uses o200k_base
_CL100K_PREFIXES = ("gpt-4-", "gpt-4", "gpt-3.5", "text-embedding-3", "text-embedding-ada")
_O200K_PREFIXES = ("gpt-4o", "gpt-4.1", "gpt-4.5", "o1", "o3", "o4", "gpt-5", "chatgpt-4o")


def configure_offline() -> None:
    """Point tiktoken at the shipped BPE files (called from create_app / cli, never at import)."""
    os.environ["TIKTOKEN_CACHE_DIR"] = str(BPE_DIR)


def encoding_name(model: str | None) -> str:
    m = (model or "").lower()
    if m.startswith(_O200K_PREFIXES):
        return "o200k_base"
    if m.startswith(_CL100K_PREFIXES):
        return "cl100k_base"
    return "o200k_base"


@lru_cache(maxsize=4)
def _encoding(name: str):
    import tiktoken

    configure_offline()
    return tiktoken.get_encoding(name)


def warm_up() -> None:
    for name in ("o200k_base", "cl100k_base"):
        _encoding(name)


def count_tokens(text: str, model: str | None = None) -> int:
    if not text:
        return 0
    return len(_encoding(encoding_name(model)).encode_ordinary(text))
