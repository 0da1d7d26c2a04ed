"""Offline configuration for presidio and its dependencies. Call before presidio is first imported.

presidio-analyzer imports ``tldextract``, whose default extractor would fetch the public-suffix list from
the network on first use; with ``TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS=""`` it uses the snapshot bundled with
the package. The Hugging Face switches keep any transformers-based component from reaching a hub. Values an
administrator has set explicitly are kept (``setdefault``).
"""
from __future__ import annotations

import os

OFFLINE_ENV: dict[str, str] = {
    "TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": "",
    "HF_HUB_OFFLINE": "1",
    "TRANSFORMERS_OFFLINE": "1",
    # presidio's own PatternRecognizer reads this at import (default 60 s per pattern, and on timeout it
    # SKIPS the pattern): keep it short for any plain presidio recognizer an organisation adds
    "REGEX_TIMEOUT_SECONDS": "1",
}


def prepare_offline() -> None:
    """Idempotent; safe to call from several threads (it only sets defaults in ``os.environ``)."""
    for key, value in OFFLINE_ENV.items():
        os.environ.setdefault(key, value)
