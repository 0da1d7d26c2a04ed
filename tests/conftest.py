"""Shared, expensive fixtures: one detection engine, one upstream double and one gateway per session."""
from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Iterator

import pytest

from proxy.bench.double import Recorder, create_double
from proxy.bench.servers import ServerThread
from proxy.settings import Settings

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session", autouse=True)
def _offline_env() -> None:
    # tests never reach the network; make sure nothing even tries
    os.environ["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    os.environ["HF_HUB_OFFLINE"] = "1"


@pytest.fixture(scope="session")
def engine():
    from proxy.detection.engine import DetectionEngine

    return DetectionEngine()


@pytest.fixture(scope="session")
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture(scope="session")
def double(recorder: Recorder) -> Iterator[ServerThread]:
    with ServerThread(create_double(recorder)) as server:
        yield server


def make_settings(upstream: str, **overrides: Any) -> Settings:
    data_dir = tempfile.mkdtemp(prefix="baomi-test-")
    values = {"upstream_url": upstream, "data_dir": data_dir, "upstream_api_key": "sk-upstream-test",
              "policy": str(REPO / "policies" / "default.yaml")}
    values.update(overrides)
    return Settings.load(env={}, **values)


@pytest.fixture(scope="session")
def start_gateway(engine) -> Iterator[Callable[..., ServerThread]]:
    """Start an extra gateway with its own settings (and optionally its own engine)."""
    from proxy.app import create_app

    started: list[ServerThread] = []

    def start(upstream: str, *, engine_override=None, **overrides: Any) -> ServerThread:
        settings = make_settings(upstream, **overrides)
        server = ServerThread(create_app(settings, engine=engine_override or engine))
        server.start()
        server.settings = settings  # type: ignore[attr-defined]
        started.append(server)
        return server

    yield start
    for s in started:
        s.stop()


@pytest.fixture(scope="session")
def gateway(double: ServerThread, start_gateway) -> ServerThread:
    return start_gateway(double.url + "/v1")


@pytest.fixture
def upstream_log(recorder: Recorder) -> Recorder:
    recorder.clear()
    return recorder


@pytest.fixture
def client(gateway: ServerThread):
    import openai

    return openai.OpenAI(base_url=gateway.url + "/v1", api_key="client-own-key", max_retries=0, timeout=30)
