"""The ``baomi`` command (also ``python -m proxy``): serve, scan, bench."""
from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path
from typing import Any, Iterator, Sequence

from proxy import holds_cli, incidents_cli, policy_cli, reviewers_cli
from proxy.settings import Settings


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from proxy import auth
    from proxy.app import create_app

    settings = Settings.load(host=args.host, port=args.port, upstream_url=args.upstream,
                             data_dir=args.data_dir, policy=args.policy,
                             allow_anonymous=True if args.allow_anonymous else None)
    if not auth.can_start(settings.loopback, settings.allow_anonymous):
        print(f"baomi: 拒绝启动：绑定到非本机地址 {settings.host} 时必须配置客户端密钥，或明确加上 --allow-anonymous。\n"
              f"baomi: refusing to start: binding to the non-loopback address {settings.host} without client "
              f"keys would let anyone on the network use the upstream key. Configure client keys or pass "
              f"--allow-anonymous (or BAOMI_ALLOW_ANONYMOUS=true).", file=sys.stderr)
        return 2
    _check_policy(settings.policy)
    _check_evidence_key(settings)
    _check_ocr_routes(settings)
    _check_console(settings)
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    uvicorn.run(create_app(settings), host=settings.host, port=settings.port, log_level=settings.log_level,
                access_log=False, server_header=False)
    return 0


def _check_policy(path: str) -> None:
    from proxy.policy.loader import PolicyError, load_policy

    try:
        load_policy(path)
    except PolicyError as exc:
        raise SystemExit(f"baomi: {exc}") from None


def _check_evidence_key(settings: Settings) -> None:
    """Create or read the evidence key now: a bad key must stop the start with a message, not a traceback."""
    from proxy.store.keys import EvidenceKeyError, load_evidence_key

    try:
        load_evidence_key(settings)
    except (EvidenceKeyError, OSError) as exc:
        raise SystemExit(f"baomi: {exc}") from None


def _check_console(settings: Settings) -> None:
    from proxy.console.auth import settings_problem

    problem = settings_problem(settings)
    if problem:
        raise SystemExit(f"baomi: {problem}")


def _check_ocr_routes(settings: Settings) -> None:
    from proxy.wire.ocr_routes import RouteConfigError, parse_routes

    try:
        parse_routes(settings.ocr_routes)
    except RouteConfigError as exc:
        raise SystemExit(f"baomi: BAOMI_OCR_ROUTES: {exc}") from None


def _inputs(args: argparse.Namespace) -> Iterator[tuple[Any, str]]:
    raw = sys.stdin.read() if args.file == "-" else Path(args.file).read_text(encoding="utf-8")
    if not args.jsonl:
        yield args.file, raw
        return
    for n, line in enumerate(raw.splitlines(), 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
            text = obj["text"]
            if not isinstance(text, str):
                raise TypeError
        except (ValueError, KeyError, TypeError):
            raise SystemExit(f"baomi: {args.file}:{n}: expected a JSON object with a string field 'text' / "
                             f"第 {n} 行应为含字符串字段 text 的 JSON 对象") from None
        yield obj.get("id", n), text


def _scan(args: argparse.Namespace) -> int:
    from proxy.app import default_engine
    from proxy.explain import explain
    from proxy.policy.evaluate import decide_text
    from proxy.policy.loader import PolicyError, load_policy
    from proxy.redact.rewrite import redact_text
    from proxy.redact.vault import Vault

    try:
        policy = load_policy(args.policy)
    except PolicyError as exc:
        raise SystemExit(f"baomi: {exc}") from None
    if args.file != "-" and not args.jsonl:
        from proxy.scan_file import is_document

        try:
            data = Path(args.file).read_bytes()
        except OSError as exc:
            raise SystemExit(f"baomi: cannot read {args.file}: {exc.strerror}") from None
        if is_document(args.file, data):
            return _scan_document(args, data, policy)
    try:
        inputs = list(_inputs(args))
    except OSError as exc:
        raise SystemExit(f"baomi: cannot read {args.file}: {exc.strerror}") from None
    engine = default_engine()
    worst = 0
    for ident, text in inputs:
        decision = decide_text(engine, policy, text)
        if decision.action == "redact":
            decision.redacted = redact_text(text, decision.redact, Vault())
        if args.explain:
            print(explain(ident, text, decision))
        else:
            print(json.dumps(decision.to_json(id=ident), ensure_ascii=False))
        worst = max(worst, 0 if decision.action == "allow" else 1)
    return worst if args.exit_code else 0


def _scan_document(args: argparse.Namespace, data: bytes, policy: Any) -> int:
    from proxy.app import default_engine
    from proxy.explain import explain
    from proxy.inspect_api import decision_json
    from proxy.scan_file import scan_document

    decision, flow = scan_document(args.file, data, default_engine(), policy, None)
    if args.explain:
        print(explain(args.file, flow.document or "", decision))
        for seg in flow.segments:
            print(f"  read / 读取: {seg.path} ({seg.role}, {len(seg.text)} chars)")
    else:
        print(json.dumps(decision_json(decision, flow, args.file), ensure_ascii=False))
    return (0 if decision.action == "allow" else 1) if args.exit_code else 0


def _eval(args: argparse.Namespace) -> int:
    from proxy import evaluation
    from proxy.app import default_engine
    from proxy.policy.evaluate import decide_text
    from proxy.policy.loader import PolicyError, load_policy

    try:
        policy = load_policy(args.policy)
        items = evaluation.load(args.file)
    except (PolicyError, ValueError, OSError) as exc:
        raise SystemExit(f"baomi: {exc}") from None
    engine = default_engine()
    result = evaluation.evaluate_corpus(items, lambda text: decide_text(engine, policy, text))
    print(json.dumps(result, ensure_ascii=False, indent=2) if args.json else evaluation.report(result))
    return 0


def _bench(args: argparse.Namespace) -> int:
    if args.engine:
        from proxy.detection.bench import main as engine_bench

        return engine_bench([])
    from proxy.bench.run import main as bench_main

    return bench_main(args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="baomi", description="保密 baomi: inspecting OpenAI-compatible gateway")
    sub = p.add_subparsers(dest="command", required=True)
    defaults = Settings()

    s = sub.add_parser("serve", help="start the gateway")
    s.add_argument("--host", default=None, help=f"address to bind (default {defaults.host})")
    s.add_argument("--port", type=int, default=None, help=f"port (default {defaults.port})")
    s.add_argument("--upstream", default=None, metavar="URL", help=f"upstream base URL (default {defaults.upstream_url})")
    s.add_argument("--data-dir", default=None, help=f"state directory (default {defaults.data_dir})")
    s.add_argument("--policy", default=None, help=f"policy file (default {defaults.policy})")
    s.add_argument("--allow-anonymous", action="store_true", help="accept clients without keys on a non-loopback bind")
    s.set_defaults(func=_serve)

    c = sub.add_parser("scan", help="print the decision JSON for a text file, a document or an image "
                                    "(or JSONL with id/text)")
    c.add_argument("file", help="text file, document (PDF, DOCX, XLSX, PPTX, ZIP …) or image; - for standard input")
    c.add_argument("--jsonl", action="store_true", help="one JSON object per line with 'id' and 'text'")
    c.add_argument("--explain", action="store_true", help="human-readable reasons instead of JSON")
    c.add_argument("--policy", default=Settings.load().policy, help="policy file")
    c.add_argument("--exit-code", action="store_true", help="exit 1 if any input is not allowed")
    c.set_defaults(func=_scan)

    e = sub.add_parser("eval", help="block recall, false positives, entity recall and speed on a labelled JSONL corpus")
    e.add_argument("file", help="corpus JSONL (id, text, expected, category, entities)")
    e.add_argument("--json", action="store_true", help="machine-readable output")
    e.add_argument("--policy", default=Settings.load().policy, help="policy file")
    e.set_defaults(func=_eval)

    b = sub.add_parser("bench", help="latency and throughput: direct-to-double vs through baomi")
    b.add_argument("--requests", type=int, default=400, help="requests per scenario")
    b.add_argument("--chars", type=int, default=2000, help="prompt length in Chinese characters")
    b.add_argument("--events", type=int, default=200, help="SSE events per streamed answer")
    b.add_argument("--json", action="store_true", help="machine-readable output")
    b.add_argument("--engine", action="store_true",
                   help="benchmark the detection engine alone against presidio's built-in recognizers")
    b.add_argument("--store", action="store_true",
                   help="review-queue queries with 100,000 incidents on SQLite and PostgreSQL")
    b.add_argument("--extract", action="store_true",
                   help="document extraction time per MB for each format, and peak memory")
    b.add_argument("--ocr", action="store_true",
                   help="text requests while OCR runs on other requests, against text requests alone")
    b.add_argument("--redact", action="store_true",
                   help="what pseudonymisation + restoration add (20 entities, ~2,000-event stream) vs the allow path")
    b.set_defaults(func=_bench)

    holds_cli.add_parser(sub)
    incidents_cli.add_parser(sub)
    policy_cli.add_parser(sub)
    reviewers_cli.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return int(args.func(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
