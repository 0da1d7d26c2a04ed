"""Read a policy file. Errors name the file and say what is wrong; nothing here is lenient."""
from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from proxy.policy.schema import Policy


class PolicyError(Exception):
    pass


def load_policy(path: str | Path) -> Policy:
    p = Path(path)
    try:
        raw = yaml.safe_load(p.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise PolicyError(f"{p}: policy file not found / 找不到策略文件") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f":{mark.line + 1}" if mark is not None else ""
        raise PolicyError(f"{p}{where}: not valid YAML / YAML 格式错误: {getattr(exc, 'problem', exc)}") from None
    try:
        return Policy.model_validate(raw or {})
    except ValidationError as exc:
        msgs = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise PolicyError(f"{p}: invalid policy / 策略无效: {msgs}") from None
