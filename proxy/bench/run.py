"""``baomi bench``: direct-to-double against through-baomi, in one run, so the numbers are ratios.

Three processes on loopback: the upstream double, baomi (real uvicorn, real engine, SQLite audit) and
this load generator. For a ~2,000-character Chinese prompt, plain and streaming, at 1, 16 and 32
concurrent clients, it prints median and p99 latency, the milliseconds baomi adds, and requests per
second each way; then the added cost per streamed SSE event on a long answer.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import tempfile
import time
from dataclasses import dataclass
from typing import Any

import httpx

from proxy.bench.servers import ServerProcess

PARAGRAPH = ("今年以来，我们坚持以人民为中心的发展思想，统筹推进各项工作，群众满意度稳步提升。"
             "在公共服务方面，新建社区服务中心十二个，改造老旧小区四十余个，"
             "在产业发展方面，引进重点项目二十三个，带动就业三千余人。下一步，我们将继续加强作风建设。")


def prompt(chars: int) -> str:
    text = PARAGRAPH * (chars // len(PARAGRAPH) + 1)
    return "请帮我润色下面这篇总结：\n" + text[:chars]


class _DoubleFactory:
    def __call__(self) -> Any:
        from proxy.bench.double import Recorder, create_double
        return create_double(Recorder(record=False))


class _GatewayFactory:
    def __init__(self, upstream: str, data_dir: str, policy: str | None = None) -> None:
        self.upstream, self.data_dir, self.policy = upstream, data_dir, policy

    def __call__(self) -> Any:
        from proxy.app import create_app
        from proxy.settings import Settings
        return create_app(Settings.load(upstream_url=self.upstream, data_dir=self.data_dir,
                                        upstream_api_key="sk-bench", policy=self.policy))


@dataclass
class Result:
    target: str
    mode: str
    clients: int
    latencies: list[float]
    wall: float
    ttfb: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.latencies) * 1000

    @property
    def p99(self) -> float:
        xs = sorted(self.latencies)
        return xs[min(len(xs) - 1, int(round(0.99 * (len(xs) - 1))))] * 1000

    @property
    def rps(self) -> float:
        return len(self.latencies) / self.wall


async def _load(url: str, body: bytes, stream: bool, clients: int, total: int) -> tuple[list[float], list[float], float]:
    latencies: list[float] = []
    ttfb: list[float] = []
    remaining = total
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        async def worker() -> None:
            nonlocal remaining
            while remaining > 0:
                remaining -= 1
                t0 = time.perf_counter()
                async with client.stream("POST", url, content=body,
                                         headers={"content-type": "application/json"}) as r:
                    first = None
                    async for _ in r.aiter_raw():
                        if first is None:
                            first = time.perf_counter()
                    if r.status_code != 200:
                        raise RuntimeError(f"bench request failed: HTTP {r.status_code}")
                t1 = time.perf_counter()
                latencies.append(t1 - t0)
                ttfb.append((first or t1) - t0)

        # warm the connections and both servers first
        for _ in range(min(20, total)):
            async with client.stream("POST", url, content=body, headers={"content-type": "application/json"}) as r:
                await r.aread()
        start = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(clients)))
        wall = time.perf_counter() - start
    return latencies, ttfb, wall


def _body(text: str, stream: bool, events: int) -> bytes:
    return json.dumps({"model": f"events-{events}", "stream": stream,
                       "messages": [{"role": "user", "content": text}]}, ensure_ascii=False).encode()


def run(requests: int, chars: int, events: int) -> dict[str, Any]:
    text = prompt(chars)
    results: list[Result] = []
    per_event: dict[str, float] = {}
    with ServerProcess(_DoubleFactory()) as double, \
            ServerProcess(_GatewayFactory(double.url + "/v1", tempfile.mkdtemp(prefix="baomi-bench-"))) as gw:
        targets = {"direct": double.url, "baomi": gw.url}
        for mode in ("plain", "stream"):
            body = _body(text, mode == "stream", 20)
            for clients in (1, 16, 32):
                for name, base in targets.items():
                    lat, ttfb, wall = asyncio.run(_load(base + "/v1/chat/completions", body, mode == "stream",
                                                        clients, requests))
                    results.append(Result(name, mode, clients, lat, wall, ttfb))
        # cost per streamed event: a long answer, short prompt, one client
        long_body = _body("写一篇长文章", True, events)
        n = max(20, requests // 10)
        for name, base in targets.items():
            lat, _, _ = asyncio.run(_load(base + "/v1/chat/completions", long_body, True, 1, n))
            per_event[name] = statistics.median(lat) * 1000
    return {"results": results, "per_event": per_event, "events": events, "chars": len(text),
            "requests": requests}


def report(data: dict[str, Any]) -> str:
    rows = [f"baomi bench: {data['chars']}-character Chinese prompt, {data['requests']} requests per row, "
            f"loopback, direct-to-double vs through baomi",
            f"{'mode':<7}{'clients':>8}{'target':>8}{'median ms':>11}{'p99 ms':>9}{'req/s':>9}"
            f"{'added med':>11}{'added p99':>11}{'rps ratio':>11}"]
    by_key = {(r.mode, r.clients, r.target): r for r in data["results"]}
    for r in data["results"]:
        d = by_key[(r.mode, r.clients, "direct")]
        extra = ""
        if r.target == "baomi":
            extra = f"{r.median - d.median:>11.2f}{r.p99 - d.p99:>11.2f}{r.rps / d.rps:>11.2f}"
        rows.append(f"{r.mode:<7}{r.clients:>8}{r.target:>8}{r.median:>11.2f}{r.p99:>9.2f}{r.rps:>9.1f}{extra}")
    pe = data["per_event"]
    added = pe["baomi"] - pe["direct"]
    rows.append(f"stream of {data['events']} events: direct {pe['direct']:.2f} ms, through baomi "
                f"{pe['baomi']:.2f} ms, added {added:.2f} ms = {added / data['events']:.4f} ms per event")
    return "\n".join(rows)


def as_json(data: dict[str, Any]) -> str:
    return json.dumps({
        "chars": data["chars"], "requests": data["requests"], "events": data["events"],
        "per_event_ms": data["per_event"],
        "rows": [{"target": r.target, "mode": r.mode, "clients": r.clients, "median_ms": r.median,
                  "p99_ms": r.p99, "rps": r.rps} for r in data["results"]]}, indent=2)


def main(args: argparse.Namespace) -> int:
    if getattr(args, "store", False):
        from proxy.bench import store_bench

        d = store_bench.run()
        d["write_overhead"] = store_bench.write_overhead(args.requests)
        print(json.dumps(d, indent=2) if args.json else store_bench.report(d) + "\n\n"
              + store_bench.overhead_report(d["write_overhead"]))
        return 0
    if getattr(args, "extract", False):
        from proxy.bench import extract_bench

        rows = extract_bench.run()
        print(json.dumps(rows, indent=2) if args.json else extract_bench.report(rows))
        return 0
    if getattr(args, "ocr", False):
        from proxy.bench import ocr_bench

        d = ocr_bench.run(requests=max(20, args.requests // 4))
        print(json.dumps(d, indent=2) if args.json else ocr_bench.report(d))
        return 0
    if getattr(args, "redact", False):
        from proxy.bench import redact_bench

        d = redact_bench.run(requests=max(10, args.requests // 8), chars=args.chars)
        print(json.dumps(d, indent=2) if args.json else redact_bench.report(d))
        return 0
    data = run(args.requests, args.chars, args.events)
    print(as_json(data) if args.json else report(data))
    return 0
