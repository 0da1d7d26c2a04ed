"""``baomi bench --ocr``: text requests while OCR runs on other requests, against text requests alone.

One run, three processes on loopback (the upstream double, baomi, this load generator). Phase 1: the
2,000-character text prompt, one client, nothing else. Phase 2: the same, while two other clients keep
sending page images (a corpus page as a chat ``image_url`` data URL) so the OCR pool is never idle. The
report gives the text requests' median and p99 in both phases and the OCR throughput: OCR runs in its own
pool off the event loop, so text requests should wait only for CPU, not for OCR to finish.
"""
from __future__ import annotations

import asyncio
import base64
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from proxy.bench.run import _DoubleFactory, _GatewayFactory, prompt
from proxy.bench.servers import ServerProcess

PAGE = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "images" / "dev_img_04.png"


def _page_body(page: Path) -> bytes:
    url = "data:image/png;base64," + base64.b64encode(page.read_bytes()).decode()
    return json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": [
        {"type": "text", "text": "识别图片文字"}, {"type": "image_url", "image_url": {"url": url}}]}]}).encode()


async def _text_latencies(client: httpx.AsyncClient, url: str, body: bytes, n: int,
                          min_seconds: float = 0.0) -> list[float]:
    """``n`` text requests one after another, continuing until ``min_seconds`` have passed."""
    out = []
    start = time.perf_counter()
    while len(out) < n or time.perf_counter() - start < min_seconds:
        t0 = time.perf_counter()
        r = await client.post(url, content=body, headers={"content-type": "application/json"})
        out.append(time.perf_counter() - t0)
        if r.status_code != 200:
            raise RuntimeError(f"text request failed: HTTP {r.status_code}")
    return out


async def _phase(base: str, text_body: bytes, page_body: bytes | None, n: int, ocr_clients: int) -> dict[str, Any]:
    url = base + "/v1/chat/completions"
    stop = asyncio.Event()
    pages: list[float] = []

    async def ocr_loop(client: httpx.AsyncClient) -> None:
        while not stop.is_set():
            t0 = time.perf_counter()
            r = await client.post(url, content=page_body, headers={"content-type": "application/json"})
            if r.status_code != 200:
                raise RuntimeError(f"image request failed: HTTP {r.status_code}")
            pages.append(time.perf_counter() - t0)

    async with httpx.AsyncClient(timeout=300) as client:
        await _text_latencies(client, url, text_body, 10)  # warm up
        loops = [asyncio.create_task(ocr_loop(client)) for _ in range(ocr_clients if page_body else 0)]
        if loops:
            await asyncio.sleep(3.0)  # let OCR get going
        t0 = time.perf_counter()
        lat = await _text_latencies(client, url, text_body, n, min_seconds=20.0 if loops else 0.0)
        wall = time.perf_counter() - t0
        stop.set()
        await asyncio.gather(*loops)
    xs = sorted(lat)
    return {"median_ms": statistics.median(lat) * 1000, "p99_ms": xs[int(0.99 * (len(xs) - 1))] * 1000,
            "pages": len(pages), "page_s": statistics.median(pages) if pages else None, "wall_s": wall}


def run(requests: int = 200, page: Path = PAGE) -> dict[str, Any]:
    text_body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": prompt(2000)}]},
                           ensure_ascii=False).encode()
    page_body = _page_body(page)
    with ServerProcess(_DoubleFactory()) as double, \
            ServerProcess(_GatewayFactory(double.url + "/v1", tempfile.mkdtemp(prefix="baomi-bench-ocr-"))) as gw:
        asyncio.run(_phase(gw.url, text_body, page_body, 1, 1))  # load the OCR models first
        alone = asyncio.run(_phase(gw.url, text_body, None, requests, 0))
        busy = asyncio.run(_phase(gw.url, text_body, page_body, requests, 2))
    return {"requests": requests, "alone": alone, "with_ocr": busy}


def report(d: dict[str, Any]) -> str:
    a, b = d["alone"], d["with_ocr"]
    return "\n".join([
        f"baomi bench --ocr: 2,000-character text requests (1 client, at least {d['requests']}; 20 s with OCR), "
        f"alone and while 2 other "
        f"clients keep baomi's OCR busy with page images",
        f"{'text requests':<24}{'median ms':>11}{'p99 ms':>9}",
        f"{'alone':<24}{a['median_ms']:>11.2f}{a['p99_ms']:>9.2f}",
        f"{'while OCR runs':<24}{b['median_ms']:>11.2f}{b['p99_ms']:>9.2f}",
        f"ratio while OCR runs: median {b['median_ms'] / a['median_ms']:.2f}x, p99 {b['p99_ms'] / a['p99_ms']:.2f}x; "
        f"OCR meanwhile: {b['pages']} pages in {b['wall_s']:.1f} s (median {b['page_s'] or 0:.2f} s per page "
        f"request, queueing included)",
    ])
