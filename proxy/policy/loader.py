"""Read policy files. Errors name the file and line and say what is wrong; nothing here is lenient.

``BAOMI_POLICY`` (``--policy``) names a file, a directory (its ``*.yaml`` / ``*.yml`` files in name order,
like ``conf.d``: ``00-base.yaml``, ``50-org.yaml``) or several of these separated by ``:`` (``os.pathsep``).
The files merge in that order (``proxy.policy.merge``).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from pydantic import ValidationError

from proxy.policy.compiled import Policy
from proxy.policy.schema import PolicyFile
from proxy.policy.yamlsrc import Loc, YamlError, line_of, parse


class PolicyError(Exception):
    """One or more problems, each ``file:line: message``."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def _items(spec: str | Path | Sequence[str | Path]) -> list[str | Path]:
    if isinstance(spec, Path):
        return [spec]
    return spec.split(os.pathsep) if isinstance(spec, str) else list(spec)


def policy_paths(spec: str | Path | Sequence[str | Path]) -> list[Path]:
    items = _items(spec)
    out: list[Path] = []
    for item in items:
        if item == "":
            continue
        p = Path(item)
        if p.is_dir():
            found = sorted(q for q in p.iterdir() if q.suffix in (".yaml", ".yml") and q.is_file())
            if not found:
                raise PolicyError([f"{p}: directory holds no *.yaml policy files / 目录中没有策略文件"])
            out.extend(found)
        else:
            out.append(p)
    if not out:
        raise PolicyError(["no policy file given / 未指定策略文件"])
    return out


def read_file(path: Path) -> tuple[PolicyFile, dict[Loc, int]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PolicyError([f"{path}: policy file not found / 找不到策略文件"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError([f"{path}: cannot read ({type(exc).__name__}) / 无法读取策略文件"]) from None
    try:
        raw, lines = parse(text)
    except YamlError as exc:
        where = f":{exc.line}" if exc.line else ""
        raise PolicyError([f"{path}{where}: {exc.message}"]) from None
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise PolicyError([f"{path}:1: a policy file must be a mapping (key: value) / 策略文件应为键值映射"])
    try:
        return PolicyFile.model_validate(raw), lines
    except ValidationError as exc:
        problems = []
        for e in exc.errors():
            loc = tuple(e["loc"])
            line = line_of(lines, loc)
            where = f":{line}" if line else ""
            field = ".".join(str(x) for x in loc) or "(top level)"
            problems.append(f"{path}{where}: {field}: {_human(e)}")
        raise PolicyError(problems) from None


def _human(e: dict) -> str:
    kind = e.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key (a typo?) / 未知的键（拼写错误？）"
    if kind == "literal_error":
        return f"{e['msg']} / 取值无效"
    if kind == "missing":
        return "required / 必填"
    msg = str(e.get("msg", ""))
    return msg.removeprefix("Value error, ")


def load_policy(spec: str | Path | Sequence[str | Path]) -> Policy:
    from proxy.policy.merge import merge

    files = []
    problems: list[str] = []
    for path in policy_paths(spec):
        try:
            pf, lines = read_file(path)
        except PolicyError as exc:
            problems.extend(exc.problems)
            continue
        files.append((path, pf, lines))
    if problems:
        raise PolicyError(problems)
    return merge(files)


def watched_files(spec: str | Path | Sequence[str | Path]) -> list[Path]:
    """Files whose change means "reload": the policy files, their directories' listings, dictionaries."""
    out = []
    for item in _items(spec):
        if item:
            out.append(Path(item))
    try:
        for path in policy_paths(spec):
            out.append(path)
            try:
                pf, _ = read_file(path)
            except PolicyError:
                continue
            out.extend(path.parent / r.dictionary for r in pf.recognizers if r.dictionary)
    except PolicyError:
        pass
    return out
