"""The policy as the gateway uses it: immutable, resolved per request context (client, upstream, model).

Precedence (README "Policy"): the base rules, then every matching scope in this order — scopes selected by
upstream, then by group, then by client, then by model (the more specific selector applies later and wins);
scopes of the same level apply in file order. A scope replaces the rules it names and adds its allow-list.

Scopes selected by model are different: the model name is chosen by the request, and no request may loosen
its own policy. Their rules are ADDED next to the rules already in force and the strictest triggered rule
wins, so such a scope can only tighten; they cannot carry an allow-list (the schema refuses it).
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

from proxy.flow import ACTION_ORDER

LEVELS = ("upstreams", "groups", "clients", "models")


@dataclass(frozen=True, slots=True)
class RuleRef:
    action: str
    threshold: float
    id: str      # e.g. categories.secret_marking or scopes.legal.entities.PERSON_NAME
    where: str   # file:line


@dataclass(frozen=True, slots=True)
class Context:
    client: str = "anonymous"
    upstream: str = ""
    model: str | None = None


@dataclass(frozen=True, slots=True)
class Effective:
    """The rules in force for one request."""

    categories: dict[str, tuple[RuleRef, ...]]
    entities: dict[str, tuple[RuleRef, ...]]
    extra: tuple[Any, ...]   # recognizers + allow-lists for the engine
    restore: bool
    messages: Any
    scopes: tuple[str, ...]  # names of the scopes that applied
    remote_urls: str = "block"

    def rules_for(self, entity: str, category: str) -> tuple[RuleRef, ...]:
        return self.entities.get(entity) or self.categories.get(category, ())


@dataclass(frozen=True, slots=True)
class CompiledScope:
    name: str
    level: int
    clients: frozenset[str]
    groups: frozenset[str]
    upstreams: tuple[str, ...]
    models: tuple[str, ...]
    categories: dict[str, RuleRef]
    entities: dict[str, RuleRef]
    allow: Any | None
    restore: bool | None

    def matches(self, ctx: Context, groups: frozenset[str]) -> bool:
        if self.clients and ctx.client not in self.clients:
            return False
        if self.groups and not (self.groups & groups):
            return False
        if self.upstreams and not any(_upstream_match(u, ctx.upstream) for u in self.upstreams):
            return False
        if self.models and not any(_model_match(m, ctx.model) for m in self.models):
            return False
        return True


def _upstream_match(pattern: str, upstream: str) -> bool:
    return pattern.rstrip("/") == upstream.rstrip("/")


def _model_match(pattern: str, model: str | None) -> bool:
    """Case-insensitive: upstreams often accept any casing, and a tightening scope must not be sidestepped
    by writing ``O1-mini`` for ``o1*``."""
    if model is None:
        return False
    pattern, model = pattern.casefold(), model.casefold()
    return model.startswith(pattern[:-1]) if pattern.endswith("*") else model == pattern


@dataclass
class Policy:
    categories: dict[str, RuleRef]
    entities: dict[str, RuleRef]
    entity_categories: dict[str, str]
    recognizers: tuple[Any, ...]
    allow: Any | None
    restore: bool
    remote_urls: str
    groups: dict[str, frozenset[str]]   # client -> groups
    messages: Any
    scopes: tuple[CompiledScope, ...]
    sources: tuple[str, ...]
    _cache: dict[Context, Effective] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def resolve(self, ctx: Context | None = None) -> Effective:
        ctx = ctx or Context()
        hit = self._cache.get(ctx)
        if hit is not None:
            return hit
        eff = self._resolve(ctx)
        with self._lock:
            if len(self._cache) > 4096:
                self._cache.clear()
            self._cache[ctx] = eff
        return eff

    def _resolve(self, ctx: Context) -> Effective:
        cats = {k: (r,) for k, r in self.categories.items()}
        ents = {k: (r,) for k, r in self.entities.items()}
        allow = [self.allow] if self.allow else []
        restore = self.restore
        applied: list[str] = []
        groups = self.groups.get(ctx.client, frozenset())
        for scope in self.scopes:  # already in precedence order
            if not scope.matches(ctx, groups):
                continue
            applied.append(scope.name)
            if scope.models:
                for k, r in scope.categories.items():
                    cats[k] = cats.get(k, ()) + (r,)
                    # an entity with rules of its own must not shadow the tightening of its category
                    for e in [e for e in ents if self.entity_categories.get(e) == k]:
                        ents[e] = ents[e] + (r,)
                for k, r in scope.entities.items():
                    base = ents.get(k) or cats.get(self.entity_categories.get(k, ""), ())
                    ents[k] = base + (r,)
            else:
                cats.update({k: (r,) for k, r in scope.categories.items()})
                ents.update({k: (r,) for k, r in scope.entities.items()})
                if scope.allow:
                    allow.append(scope.allow)
            if scope.restore is not None:
                restore = scope.restore
        return Effective(categories=cats, entities=ents, extra=tuple(self.recognizers) + tuple(allow),
                         restore=restore, messages=self.messages, scopes=tuple(applied),
                         remote_urls=self.remote_urls)


def strictest(rules: tuple[RuleRef, ...], score: float) -> RuleRef | None:
    """The triggered rule with the strictest action (first in order on a tie), or None."""
    best: RuleRef | None = None
    for r in rules:
        if score >= r.threshold and (best is None or ACTION_ORDER[r.action] > ACTION_ORDER[best.action]):
            best = r
    return best
