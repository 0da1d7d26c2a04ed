"""Merge policy files (in order) and check what only the whole can tell.

Merge rules (README "Policy"): ``categories``, ``entities``, ``groups`` and ``messages`` merge key by key,
a later file replacing an earlier file's entry; ``allow_list`` entries, ``recognizers`` and ``scopes`` are
collected from all files; ``restore`` takes the last value given (default: on).

Checks after the merge, each reported with file and line: a rule for a category or entity that nothing
produces (a typo would silently match nothing), a recognizer whose findings no rule covers (they would be
allowed), a scope naming an undefined group, duplicate recognizer or scope names, unreadable dictionaries.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from proxy.policy.compiled import LEVELS, CompiledScope, Policy, RuleRef
from proxy.policy.loader import PolicyError
from proxy.policy.recognizers import compile_allow_list, compile_recognizer
from proxy.policy.schema import BUILTIN_CATEGORIES, BUILTIN_ENTITIES, PolicyFile, Rule
from proxy.policy.yamlsrc import Loc, line_of

File = tuple[Path, PolicyFile, dict[Loc, int]]


def _where(path: Path, lines: dict[Loc, int], loc: Loc) -> str:
    line = line_of(lines, loc)
    return f"{path}:{line}" if line else str(path)


def merge(files: list[File]) -> Policy:
    problems: list[str] = []
    categories: dict[str, RuleRef] = {}
    entities: dict[str, RuleRef] = {}
    groups: dict[str, tuple[str, ...]] = {}
    messages: dict[str, Any] = {}
    phrases: list[str] = []
    regexes: list[str] = []
    recognizers: list[Any] = []
    specs: dict[str, tuple[Any, str]] = {}
    scopes: list[tuple[Any, Path, dict[Loc, int], int]] = []
    restore = True
    remote_urls = "block"

    for path, pf, lines in files:
        for name, rule in pf.categories.items():
            categories[name] = _ref(rule, f"categories.{name}", _where(path, lines, ("categories", name)))
        for name, rule in pf.entities.items():
            entities[name] = _ref(rule, f"entities.{name}", _where(path, lines, ("entities", name)))
        groups.update(pf.groups)
        for key in ("block", "hold"):
            if getattr(pf.messages, key) is not None:
                messages[key] = getattr(pf.messages, key)
        phrases.extend(pf.allow_list.phrases)
        regexes.extend(pf.allow_list.regexes)
        if pf.restore is not None:
            restore = pf.restore
        if pf.uploads is not None:
            remote_urls = pf.uploads.remote_urls
        for i, spec in enumerate(pf.recognizers):
            where = _where(path, lines, ("recognizers", i))
            if spec.name in specs:
                problems.append(f"{where}: recognizers: name {spec.name!r} already used at {specs[spec.name][1]}")
                continue
            specs[spec.name] = (spec, where)
            try:
                recognizers.append(compile_recognizer(spec, path.parent))
            except (OSError, UnicodeDecodeError) as exc:
                problems.append(f"{_where(path, lines, ('recognizers', i, 'dictionary'))}: recognizers.{spec.name}: "
                                f"dictionary {spec.dictionary!r} cannot be read ({type(exc).__name__}) / 词典文件无法读取")
            except ValueError as exc:
                problems.append(f"{_where(path, lines, ('recognizers', i, 'dictionary'))}: recognizers.{spec.name}: "
                                f"{exc}")
        for i, scope in enumerate(pf.scopes):
            scopes.append((scope, path, lines, i))

    known_categories = set(BUILTIN_CATEGORIES) | {s.category for s, _ in specs.values()}
    entity_categories = dict(BUILTIN_ENTITIES) | {s.entity: s.category for s, _ in specs.values()}
    problems += _check_rules(categories, entities, known_categories, entity_categories)
    for spec, where in specs.values():
        if spec.entity not in entities and spec.category not in categories:
            problems.append(f"{where}: recognizers.{spec.name}: no rule for its category {spec.category!r} or "
                            f"entity {spec.entity!r}, so its findings would be allowed; add one under "
                            f"`categories` / 没有适用的规则")

    compiled_scopes: list[CompiledScope] = []
    seen_scopes: dict[str, str] = {}
    for scope, path, lines, i in scopes:
        where = _where(path, lines, ("scopes", i))
        if scope.name in seen_scopes:
            problems.append(f"{where}: scopes: name {scope.name!r} already used at {seen_scopes[scope.name]}")
            continue
        seen_scopes[scope.name] = where
        for n, g in enumerate(scope.when.groups):
            if g not in groups:
                problems.append(f"{_where(path, lines, ('scopes', i, 'when', 'groups', n))}: scopes.{scope.name}: "
                                f"group {g!r} is not defined under `groups`")
        prefix = f"scopes.{scope.name}"
        cats = {k: _ref(r, f"{prefix}.categories.{k}", _where(path, lines, ("scopes", i, "categories", k)))
                for k, r in scope.categories.items()}
        ents = {k: _ref(r, f"{prefix}.entities.{k}", _where(path, lines, ("scopes", i, "entities", k)))
                for k, r in scope.entities.items()}
        problems += _check_rules(cats, ents, known_categories, entity_categories)
        level = max(n for n, key in enumerate(LEVELS) if getattr(scope.when, key))
        allow = scope.allow_list
        compiled_scopes.append(CompiledScope(
            name=scope.name, level=level, clients=frozenset(scope.when.clients),
            groups=frozenset(scope.when.groups), upstreams=scope.when.upstreams, models=scope.when.models,
            categories=cats, entities=ents,
            allow=compile_allow_list(f"allow_list:{scope.name}", allow.phrases, allow.regexes) if allow else None,
            restore=scope.restore))
    if problems:
        raise PolicyError(problems)

    members: dict[str, set[str]] = {}
    for group, clients in groups.items():
        for c in clients:
            members.setdefault(c, set()).add(group)
    compiled_scopes.sort(key=lambda s: s.level)  # stable: file order within a level
    return Policy(
        categories=categories, entities=entities, entity_categories=entity_categories,
        recognizers=tuple(recognizers), allow=compile_allow_list("allow_list", tuple(phrases), tuple(regexes)),
        restore=restore, remote_urls=remote_urls, groups={c: frozenset(g) for c, g in members.items()},
        messages=messages,
        scopes=tuple(compiled_scopes), sources=tuple(str(p) for p, _, _ in files))


def _ref(rule: Rule, rule_id: str, where: str) -> RuleRef:
    return RuleRef(action=rule.action, threshold=rule.threshold, id=rule_id, where=where)


def _check_rules(categories: dict[str, RuleRef], entities: dict[str, RuleRef], known_categories: set[str],
                 entity_categories: dict[str, str]) -> list[str]:
    problems = []
    for name, ref in categories.items():
        if name not in known_categories:
            problems.append(f"{ref.where}: {ref.id}: unknown category (a typo?); known: "
                            f"{', '.join(sorted(known_categories))} / 未知类别")
    for name, ref in entities.items():
        if name not in entity_categories:
            problems.append(f"{ref.where}: {ref.id}: unknown entity (a typo?); known: "
                            f"{', '.join(sorted(entity_categories))} / 未知实体")
    return problems
