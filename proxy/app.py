"""create_app: wiring only. The lifespan owns the httpx client, the engine, the policy and the store."""
from __future__ import annotations

import logging
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

import httpx
from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from proxy import tokens
from proxy.console import ConsoleState, mount_console
from proxy.errors import BaomiError, NotFound, internal_error
from proxy.inspect_api import inspect_text
from proxy.pipeline.run import handle
from proxy.policy.loader import load_policy
from proxy.policy.watch import PolicyWatcher
from proxy.runtime import Detector, Runtime
from proxy.settings import Settings
from proxy.store.audit import AuditStore
from proxy.store.incidents import IncidentStore
from proxy.store.keys import load_evidence_key
from proxy.store.migrate import upgrade as upgrade_store
from proxy.store.retention import RetentionTask
from proxy.uploads.ocr import shared_engine
from proxy.upstream.client import build_client
from proxy.wire.ocr_routes import parse_routes

log = logging.getLogger("baomi")


def default_engine() -> Detector:
    from proxy.detection.engine import DetectionEngine

    return DetectionEngine()


def create_app(settings: Settings | None = None, *, upstream_transport: httpx.AsyncBaseTransport | None = None,
               store: AuditStore | None = None, engine: Detector | None = None, ocr: Any = None) -> FastAPI:
    settings = settings or Settings.load()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        tokens.configure_offline()
        tokens.warm_up()
        own_store = store is None
        settings.data_path.mkdir(parents=True, exist_ok=True)
        upgrade_store(settings.store_url)  # the schema, before any store opens (safe with concurrent starts)
        key = load_evidence_key(settings)
        rt = Runtime(
            settings=settings,
            engine=engine or default_engine(),
            policy=load_policy(settings.policy),
            store=store or AuditStore(settings.store_url),
            http=build_client(settings, upstream_transport),
            executor=ThreadPoolExecutor(max_workers=settings.inspect_workers, thread_name_prefix="baomi-inspect"),
            incidents=IncidentStore(settings.store_url, key),
            ocr=ocr or shared_engine(),  # one per process; its models load on the first image
            ocr_executor=ThreadPoolExecutor(max_workers=settings.ocr_workers, thread_name_prefix="baomi-ocr",
                                            initializer=background_priority),
            ocr_routes=parse_routes(settings.ocr_routes),
        )
        app.state.engine_ready = _warm_up(rt)
        app.state.rt = rt
        app.state.console = ConsoleState.open(settings)  # review console: reviewers and sessions
        watcher = PolicyWatcher(rt, settings.policy, settings.policy_reload_interval)
        app.state.policy_watcher = watcher
        watcher.start()
        retention = RetentionTask(rt.incidents, settings.evidence_retention_days)
        retention.start()
        try:
            yield
        finally:
            await watcher.stop()
            await retention.stop()
            rt.incidents.close()
            app.state.console.close()
            await rt.http.aclose()
            rt.executor.shutdown(wait=False, cancel_futures=True)
            rt.ocr_executor.shutdown(wait=False, cancel_futures=True)
            if own_store:
                rt.store.close()
            else:
                rt.store.flush()

    app = FastAPI(title="baomi", version="0.1.0", lifespan=lifespan, docs_url=None, redoc_url=None,
                  openapi_url=None)

    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz")
    async def readyz(request: Request) -> Response:
        rt: Runtime | None = getattr(request.app.state, "rt", None)
        checks = {"engine": rt is not None and bool(getattr(request.app.state, "engine_ready", False)),
                  "policy": rt is not None and rt.policy is not None,
                  "store": rt is not None and rt.store.ping()}
        ok = all(checks.values())
        body: dict[str, Any] = {"status": "ready" if ok else "not_ready", "checks": checks}
        if rt is not None:
            # a broken policy file does not stop the gateway (the last good policy is enforced), but it is
            # shown here until fixed: status "degraded", still 200 so replicas stay in service
            body["policy"] = {"sources": list(rt.policy.sources), "loaded_at": rt.policy_loaded_at,
                              "error": rt.policy_error}
            if ok and rt.policy_error:
                body["status"] = "degraded"
        return JSONResponse(body, status_code=200 if ok else 503)

    @app.post("/v1/inspect")
    async def inspect(request: Request) -> Response:
        return await inspect_text(request, request.app.state.rt)

    mount_console(app)  # /console: the review console (its header middleware sits inside GatewayRoute)
    app.add_middleware(GatewayRoute)

    @app.exception_handler(BaomiError)
    async def baomi_error(_request: Request, exc: BaomiError) -> Response:
        return _render(exc)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            return _render(NotFound(f"没有这个地址：{request.url.path}", f"no such URL: {request.url.path}"))
        err = BaomiError(str(exc.detail), str(exc.detail))
        err.status = exc.status_code
        return _render(err)

    @app.exception_handler(Exception)
    async def unexpected(_request: Request, exc: Exception) -> Response:
        log.error("unexpected %s while handling a request", type(exc).__name__)
        return _render(internal_error())

    return app


class GatewayRoute:
    """Pure ASGI: every ``/v1/*`` request except ``/v1/inspect``, and every ``/ocr/*`` request (OCR-service
    routes), goes straight into the pipeline.

    The gateway path is the hot path and handles all its own errors, so it skips FastAPI's routing,
    dependency solving and exception layers (measured: part of the per-request overhead). Everything else
    (health, inspect, later the console) is ordinary FastAPI.
    """

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path == "/v1/inspect" or not path.startswith(("/v1/", "/ocr/")):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        rt = scope["app"].state.rt
        response = await (handle(request, rt, ocr=True) if path.startswith("/ocr/") else handle(request, rt))
        await response(scope, receive, send)


def background_priority() -> None:
    """Run upload reading (OCR above all) at a lower CPU priority than the event loop and text inspection.

    Linux nice values are per thread and inherited by threads created later, so onnxruntime's own worker
    threads, created when the OCR models load inside this pool, inherit it too: a text request never waits
    behind a page being read, while OCR still gets every idle cycle.
    """
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)
    except (AttributeError, OSError):  # not Linux, or not permitted: OCR simply runs at normal priority
        pass


def _warm_up(rt: Runtime) -> bool:
    """Compile and cache what the engine needs before the first request. A failing engine does not stop
    the server: /readyz reports it and every request fails closed."""
    try:
        rt.engine.analyze("warm-up 预热：机密★1年 内部资料 TOP SECRET")
        return True
    except Exception as exc:
        log.error("detection engine failed its warm-up (%s): requests will be blocked", type(exc).__name__)
        return False


def _render(exc: BaomiError) -> Response:
    status, body, headers = exc.render()
    return Response(body, status_code=status, headers=headers, media_type="application/json")


def app_factory() -> Any:
    """For ``uvicorn proxy.app:app_factory --factory``: settings from the environment."""
    return create_app(Settings.load())
