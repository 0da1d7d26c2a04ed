"""Every setting declared once: name, type, default and help.

Each setting can come from (in rising precedence) its default, the environment variable
``BAOMI_<NAME>`` and a command-line flag. The README's settings table is checked against this list by
a test, so a new setting cannot go undocumented.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

ENV_PREFIX = "BAOMI_"


def _s(default: Any, help: str, *, secret: bool = False) -> Any:
    return field(default=default, metadata={"help": help, "secret": secret})


@dataclass(frozen=True, slots=True)
class Settings:
    host: str = _s("127.0.0.1", "Address to bind. A non-loopback address needs client keys or --allow-anonymous.")
    port: int = _s(8787, "TCP port to listen on.")
    upstream_url: str = _s("https://api.openai.com/v1", "Base URL of the OpenAI-compatible upstream (ends with /v1).")
    upstream_api_key: str = _s("", "Key baomi sends upstream as `Authorization: Bearer`. Clients never see it.", secret=True)
    data_dir: str = _s("./var", "Directory for the embedded SQLite audit database and other state.")
    database_url: str = _s("", "SQLAlchemy URL of the audit store; empty means SQLite at <data_dir>/baomi.db.")
    policy: str = _s("policies/default.yaml", "Policy: a YAML file, a directory of them (merged in name order) or "
                     "several joined by `:`. Watched: a change is swapped in; a broken file keeps the last good one.")
    policy_reload_interval: float = _s(2.0, "Seconds between checks of the policy files for changes; 0 turns "
                                       "hot reload off.")
    allow_anonymous: bool = _s(False, "Accept clients without a key even on a non-loopback bind.")
    max_body_bytes: int = _s(20 * 1024 * 1024, "Largest request body accepted; larger bodies get 413.")
    inspect_timeout: float = _s(10.0, "Seconds inspection of one request may take before it fails closed.")
    inspect_workers: int = _s(2, "Worker threads that run inspection off the event loop.")
    upstream_connect_timeout: float = _s(10.0, "Seconds to connect to the upstream (then 502).")
    upstream_read_timeout: float = _s(600.0, "Seconds to wait for the next upstream byte (then 504).")
    upstream_transport: str = _s("fast", "HTTP client for the upstream: fast (baomi's asyncio + httptools HTTP/1.1 "
                                 "transport) or httpx (httpx's default httpcore transport, e.g. for HTTP proxies)")
    evidence_key_file: str = _s("", "Key file for evidence encryption (AES-256-GCM); default <data_dir>/evidence.key, "
                                "created 0600 on first run; BAOMI_EVIDENCE_KEY (base64 of 32 bytes) takes precedence.")
    upload_max_file_bytes: int = _s(20 * 1024 * 1024, "Largest single file or decoded image accepted for "
                                    "inspection; larger ones are refused (not forwarded).")
    upload_max_image_pixels: int = _s(40_000_000, "Largest image (width x height) decoded for OCR; larger ones "
                                      "are refused (pixel bombs).")
    upload_max_pages: int = _s(200, "Most PDF pages / slides / sheets read from one file; longer files are "
                               "refused.")
    upload_max_depth: int = _s(3, "Deepest nesting of archives inside archives; deeper ones are refused.")
    upload_max_archive_ratio: float = _s(100.0, "Largest uncompressed/compressed size ratio of an archive "
                                         "member; higher ones are refused as zip bombs.")
    upload_max_members: int = _s(10000, "Most files inside one archive (counted recursively).")
    upload_max_extracted_bytes: int = _s(50 * 1024 * 1024, "Most bytes decompressed or extracted per request.")
    upload_max_images: int = _s(50, "Most images read by OCR per request (images in prompts, scanned pages, "
                                "pictures in documents).")
    upload_timeout: float = _s(120.0, "Seconds that extraction and OCR of one request may take before it "
                               "fails closed.")
    ocr_workers: int = _s(1, "Threads that run OCR (each keeps both cores busy through onnxruntime; "
                          "requests beyond them queue).")
    evidence_retention_days: float = _s(90.0, "Days the evidence of blocked and held requests is kept (encrypted); "
                                        "then it is purged and only the metadata stays. 0 keeps it forever.")
    ocr_routes: str = _s("", "OCR-service pass-through routes, `name=profile@base_url` separated by `;` (profiles: "
                         "baidu, tencent, aliyun, generic); `/ocr/<name>/...` is inspected, then forwarded there.")
    console_session_hours: float = _s(12.0, "Hours a review-console login lasts (from the login; no sliding renewal).")
    console_cookie_secure: str = _s("auto", "Secure flag of the console's cookies: auto (when the request is https or "
                                    "X-Forwarded-Proto says https), true or false.")
    log_level: str = _s("info", "Log level: debug, info, warning, error. No level ever logs prompt text.")

    @classmethod
    def fields(cls) -> tuple[dataclasses.Field, ...]:
        return dataclasses.fields(cls)

    @classmethod
    def load(cls, env: Mapping[str, str] | None = None, **overrides: Any) -> "Settings":
        """Defaults, then ``BAOMI_*`` environment variables, then explicit overrides (CLI flags)."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for f in cls.fields():
            raw = env.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw != "":
                values[f.name] = _coerce(f, raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)

    @property
    def data_path(self) -> Path:
        return Path(self.data_dir)

    @property
    def store_url(self) -> str:
        return self.database_url or f"sqlite:///{(self.data_path / 'baomi.db').as_posix()}"

    @property
    def loopback(self) -> bool:
        if self.host == "localhost":
            return True
        try:
            return ipaddress.ip_address(self.host).is_loopback
        except ValueError:
            return False


def _coerce(f: dataclasses.Field, raw: str) -> Any:
    kind = f.type if isinstance(f.type, type) else {"str": str, "int": int, "float": float,
                                                      "bool": bool}[str(f.type)]
    if kind is bool:
        low = raw.strip().lower()
        if low in {"1", "true", "yes", "on"}:
            return True
        if low in {"0", "false", "no", "off"}:
            return False
        raise ValueError(f"{ENV_PREFIX}{f.name.upper()} must be true or false, not {raw!r}")
    try:
        return kind(raw)
    except ValueError:
        raise ValueError(f"{ENV_PREFIX}{f.name.upper()} must be {kind.__name__}, not {raw!r}") from None
