"""YAML with line numbers: parse a policy file into plain data plus where each value sits.

PyYAML's ``safe_load`` forgets positions and silently keeps the LAST of two equal keys; for a policy both
are wrong (an error must name its line; a duplicated ``personal_data:`` could quietly replace a stricter
rule). Here the node tree is composed and converted by hand: every mapping key and sequence item records
its line, and a duplicate key is an error.
"""
from __future__ import annotations

from typing import Any

import yaml

Loc = tuple[Any, ...]


class YamlError(Exception):
    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse(text: str) -> tuple[Any, dict[Loc, int]]:
    """``(data, lines)`` where ``lines[loc]`` is the 1-based line of the value at ``loc``."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise YamlError(mark.line + 1 if mark is not None else None, f"not valid YAML / YAML 格式错误: {problem}") \
            from None
    lines: dict[Loc, int] = {}
    if node is None:
        return None, lines
    return _convert(node, (), lines), lines


def _convert(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> Any:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlError(key_node.start_mark.line + 1, "YAML merge keys (<<) are not supported in policies")
            key = _scalar(key_node)
            if isinstance(key, (dict, list)):
                raise YamlError(key_node.start_mark.line + 1, "a key must be a plain value")
            if key in out:
                raise YamlError(key_node.start_mark.line + 1,
                                f"duplicate key {key!r} / 重复的键 {key!r} (the second would silently replace the first)")
            out[key] = _convert(value_node, loc + (key,), lines)
            lines[loc + (key,)] = key_node.start_mark.line + 1
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_convert(item, loc + (i,), lines) for i, item in enumerate(node.value)]
    return _scalar(node)


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return _convert(node, (), {})
    return _construct(node)


_CONSTRUCTOR = yaml.SafeLoader("")


def _construct(node: yaml.ScalarNode) -> Any:
    """Resolve a scalar with PyYAML's safe rules (int, float, bool, null, str; no custom tags)."""
    return _CONSTRUCTOR.construct_object(node, deep=True)


def line_of(lines: dict[Loc, int], loc: Loc) -> int | None:
    """Line of the deepest known prefix of ``loc`` (pydantic error locations go deeper than YAML keys)."""
    for n in range(len(loc), -1, -1):
        if loc[:n] in lines:
            return lines[loc[:n]]
    return None
