"""Bounded regular-expression execution: every regex over inspected text runs with a timeout.

Prompts are attacker-controlled, so every pattern runs through the ``regex`` module with ``timeout=``.
:func:`inspection_budget` (entered by the engine around one ``analyze`` call) sets, for the current thread
or task, a per-call timeout and an overall deadline; each call gets ``min(per_call, time left)``. A timeout
becomes :class:`~proxy.detection.errors.RegexTimeout` (an ``InspectionError``): the caller fails closed.

Note: ``regex``'s timeout for ``finditer`` covers the whole iteration, including the time the caller spends
between matches, so a recognizer's Python post-processing of matches is bounded by the same clock.
"""
from __future__ import annotations

import contextvars
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import regex

from proxy.detection.errors import RegexTimeout

DEFAULT_REGEX_TIMEOUT = 0.5


@dataclass(frozen=True, slots=True)
class _Budget:
    per_call: float
    deadline: float | None  # time.monotonic() value, or None for no overall limit


_budget: contextvars.ContextVar[_Budget] = contextvars.ContextVar(
    "baomi_inspection_budget", default=_Budget(DEFAULT_REGEX_TIMEOUT, None))


@contextmanager
def inspection_budget(per_call: float = DEFAULT_REGEX_TIMEOUT, total: float | None = None) -> Iterator[None]:
    """Limit regex time for the enclosed block: ``per_call`` seconds per call, ``total`` seconds overall."""
    deadline = time.monotonic() + total if total is not None else None
    token = _budget.set(_Budget(per_call, deadline))
    try:
        yield
    finally:
        _budget.reset(token)


def timeout(where: str = "") -> float:
    """Seconds the next regex call may take; raises if the overall budget is already used up."""
    b = _budget.get()
    if b.deadline is None:
        return b.per_call
    left = b.deadline - time.monotonic()
    if left <= 0:
        raise RegexTimeout(f"inspection budget exhausted{' at ' + where if where else ''}")
    return min(b.per_call, left)


def check(where: str = "") -> None:
    """Raise if the overall budget is used up (for loops that do not call a regex)."""
    timeout(where)


def compile(pattern: str, flags: int = 0) -> regex.Pattern:  # noqa: A001 - mirrors regex.compile
    return regex.compile(pattern, flags)


def finditer(rx: regex.Pattern, text: str, where: str, pos: int = 0, endpos: int | None = None
             ) -> Iterator[regex.Match]:
    try:
        if endpos is None:
            yield from rx.finditer(text, pos, timeout=timeout(where))
        else:
            yield from rx.finditer(text, pos, endpos, timeout=timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def search(rx: regex.Pattern, text: str, where: str) -> regex.Match | None:
    try:
        return rx.search(text, timeout=timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def match(rx: regex.Pattern, text: str, where: str) -> regex.Match | None:
    try:
        return rx.match(text, timeout=timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def fullmatch(rx: regex.Pattern, text: str, where: str) -> regex.Match | None:
    try:
        return rx.fullmatch(text, timeout=timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc
