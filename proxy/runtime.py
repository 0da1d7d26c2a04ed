"""What the pipeline stages share for the life of the app: built in ``create_app``'s lifespan."""
from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx

from proxy.flow import Finding
from proxy.policy.compiled import Policy
from proxy.settings import Settings
from proxy.store.audit import AuditStore


class Detector(Protocol):
    def analyze(self, text: str, extra: Any = ()) -> list[Finding]: ...


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Detector
    policy: Policy
    store: AuditStore
    http: httpx.AsyncClient
    executor: ThreadPoolExecutor
    #: every blocked or held request with its sealed evidence (a hold is an incident with a ticket)
    incidents: Any = None
    #: local OCR (``read(image) -> OcrResult``) and the pool that runs upload reading off the event loop
    ocr: Any = None
    ocr_executor: ThreadPoolExecutor | None = None
    #: OCR-service pass-through routes by name (``BAOMI_OCR_ROUTES``, parsed at start-up)
    ocr_routes: dict[str, Any] = field(default_factory=dict)
    #: the last load error of the policy files (None when the files in force are the files on disk)
    policy_error: str | None = None
    policy_loaded_at: float = field(default_factory=time.time)
