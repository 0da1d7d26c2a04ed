"""What the pipeline stages share for the life of the app: built in ``create_app``'s lifespan."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Protocol

import httpx

from proxy.flow import Finding
from proxy.policy.schema import Policy
from proxy.settings import Settings
from proxy.store.audit import AuditStore


class Detector(Protocol):
    def analyze(self, text: str) -> list[Finding]: ...


@dataclass(slots=True)
class Runtime:
    settings: Settings
    engine: Detector
    policy: Policy
    store: AuditStore
    http: httpx.AsyncClient
    executor: ThreadPoolExecutor
