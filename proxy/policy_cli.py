"""``baomi policy check [FILES]`` and ``baomi policy schema``: what administrators run before deploying.

``check`` loads the files exactly as the server would (same merge, same cross-checks) and prints every
problem as ``file:line: message``; it exits 1 on any problem, so it can guard a CI pipeline or a
pre-commit hook. ``schema`` prints the JSON Schema of a policy file for editors (``policies/policy.schema.json``
is the same, committed).
"""
from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from proxy.settings import Settings


def add_parser(sub: Any) -> None:
    p = sub.add_parser("policy", help="check policy files; print the policy JSON Schema")
    ps = p.add_subparsers(dest="policy_command", required=True)
    c = ps.add_parser("check", help="validate policy files as the server would load them (exit 1 on errors)")
    c.add_argument("files", nargs="*", help="files or directories, merged in the order given "
                                            "(default: the configured policy, BAOMI_POLICY)")
    c.set_defaults(func=_check)
    s = ps.add_parser("schema", help="print the JSON Schema of a policy file")
    s.set_defaults(func=_schema)


def _check(args: argparse.Namespace) -> int:
    from proxy.policy.loader import PolicyError, load_policy

    spec = args.files or Settings.load().policy
    try:
        policy = load_policy(spec)
    except PolicyError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"baomi: 策略有 {len(exc.problems)} 处错误 / the policy has {len(exc.problems)} error(s)", file=sys.stderr)
        return 1
    rules = len(policy.categories) + len(policy.entities)
    print(f"OK: {', '.join(policy.sources)} — {rules} rules, {len(policy.recognizers)} own recognizers, "
          f"{len(policy.scopes)} scopes / 策略有效")
    return 0


def schema() -> dict[str, Any]:
    from proxy.policy.schema import PolicyFile

    out = PolicyFile.model_json_schema()
    out["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    out["title"] = "baomi policy file"
    return out


def _schema(_args: argparse.Namespace) -> int:
    print(json.dumps(schema(), ensure_ascii=False, indent=2))
    return 0
