"""Adversarial inputs for proxy.text.normalize: 1 MB texts built to hit every rule as often as possible.

Each must come back, within a deadline of now + 0.2 s, either as a well-formed ``Normalized`` or as a
``NormalizeTimeout``.  The times are printed (run with ``-s`` or see the summary at the end); nothing asserts a
wall-clock time.  tests/text/bench_normalize.py times the same inputs without a deadline.
"""
from __future__ import annotations

import operator
import time

import pytest

from proxy.text.normalize import Normalized, NormalizeTimeout, char_table, normalize

MB = 1_000_000


def fill(unit: str, n: int = MB) -> str:
    return (unit * (n // len(unit) + 1))[:n]


ADVERSARIAL = {
    "stars": fill("\u2605"),
    "look-alike stars": fill("\u2606\u2729\u272a\u2b50\u22c6\u2731\u274b\u204e\u2217\ufe61\uff0a\u066d\U0001f31f"),
    "one look-alike star": fill("\u2606"),
    "spaces": fill(" "),
    "ideographic spaces": fill("\u3000"),
    "mixed blanks": fill(" \t\u3000\u00a0\n"),
    "CJK + space": fill("\u673a "),
    "CJK + dash": fill("\u673a-"),
    "CJK + newline": fill("\u673a\n"),
    "CJK + CRLF": fill("\u673a\r\n"),
    "CJK + tab": fill("\u673a\t"),
    "CJK + asterisk": fill("\u673a*"),
    "CJK + spaced asterisk": fill("\u673a * 5 "),
    "CJK + middle dot": fill("\u673a\u00b7"),
    "CJK + comma": fill("\u673a\uff0c"),
    "CJK + enumeration comma": fill("\u673a\u3001"),
    "spaced marking lines": fill("\u673a \u5bc6 \u2605 5 \u5e74\n"),
    "tiny chains": fill("\u673a \u5bc6\u3002"),
    "tiny chains with digits": fill("\u673a 1 \u5bc6\u3002"),
    "zero-width between CJK": fill("\u673a\u200b"),
    "zero-width between ASCII": fill("a\u200b"),
    "invisibles between CJK": fill("\u5bc6\u200c\u2060\ufeff\u00ad"),
    "full/half-width letters": fill("\uff21a"),
    "full/half-width digits": fill("\uff155"),
    "full/half-width brackets": fill("\uff08("),
    "marking + separator": fill("\u673a\u5bc6-"),
    "split marking": fill("\u673a-\u5bc6 "),
    "split marking, stars": fill("\u673a.\u2605\u2605\u2605\u5bc6"),
    "split marking, comma": fill("\u673a\uff0c\u5bc6"),
    "split marking, asterisk": fill("\u673a*\u5bc6*"),
    "marking with star": fill("\u7edd-\u5bc6\u2605\u542f\u7528\u524d "),
    "English letter-spaced": fill("A "),
    "English word gaps": fill("S E C R E T  "),
    "English dots": fill("S.E.C."),
    "English dashes": fill("T-O-P-"),
    "digit + period": fill("5 \u5e74"),
    "digit + newline + period": fill("5\n\u5e74"),
    "star + spaced number": fill("\u26051 0 "),
    "combining marks": fill("\u673a\u0301"),
    "one long mark run": "\u673a" + fill("\u0301", MB - 1),
    "expanding characters": fill("\u2469"),
    "ordinary prose": fill(
        "\u4e3a\u8fdb\u4e00\u6b65\u505a\u597d\u4eca\u5e74\u7684\u9632\u6c5b\u6297\u65f1\u5de5\u4f5c\uff0c"
        "\u5e02\u6c34\u52a1\u5c40\u4e8e6\u67083\u65e5\u53ec\u5f00\u4e13\u9898\u4f1a\u8bae\u3002\n"
    ),
}

_times: dict[str, tuple[float, str]] = {}


def check_normalized(n: Normalized, text: str) -> None:
    assert n.original is text
    if n.starts is None or n.ends is None:
        assert n.starts is None and n.ends is None
        assert len(n.text) == len(text)
        return
    starts, ends = n.starts, n.ends
    assert len(starts) == len(ends) == len(n.text)
    if starts:
        assert 0 <= starts[0] and ends[-1] <= len(text)
        assert all(map(operator.lt, starts, ends))
        assert all(map(operator.le, starts, starts[1:]))
        assert all(map(operator.le, ends, ends[1:]))


@pytest.fixture(scope="module", autouse=True)
def _warm_table() -> None:
    char_table()  # the first-use table build is not part of any input's time


@pytest.mark.parametrize("name", list(ADVERSARIAL))
def test_adversarial_input_returns_or_times_out(name: str) -> None:
    text = ADVERSARIAL[name]
    assert len(text) == MB
    start = time.monotonic()
    try:
        n = normalize(text, deadline=start + 0.2)
    except NormalizeTimeout:
        _times[name] = (time.monotonic() - start, "timeout")
        return
    _times[name] = (time.monotonic() - start, "ok")
    check_normalized(n, text)


def test_deadline_in_the_past_raises() -> None:
    with pytest.raises(NormalizeTimeout):
        normalize("\u673a \u5bc6", deadline=time.monotonic() - 1)
    assert issubclass(NormalizeTimeout, Exception)


def test_far_deadline_changes_nothing() -> None:
    texts = ["\u673a \u5bc6 \u2605 5 \u5e74", "T O P  S E C R E T", "\u673a.\u2605\u2605\u2605\u5bc6", "plain"]
    for text in texts:
        assert normalize(text, deadline=time.monotonic() + 60) == normalize(text)


def test_long_runs_are_joined() -> None:
    assert normalize(fill("\u673a ", 200_000)).text == "\u673a" * 100_000 + " "  # (a space at the end stays)
    lines = normalize(fill("\u673a \u5bc6 \u2605 5 \u5e74\n", 120_000)).text
    assert lines == "\u673a\u5bc6\u26055\u5e74\n" * 12_000
    assert normalize(fill("A ", 200_000)).text == "A" * 100_000 + " "
    assert normalize(fill("\u2605", 200_000)).text == "\u2605" * 200_000


def test_print_times(capsys: pytest.CaptureFixture[str]) -> None:
    lines = [f"  {name:28s} {secs * 1000:7.1f} ms  {outcome}" for name, (secs, outcome) in _times.items()]
    with capsys.disabled():
        print("\nnormalize on 1 MB adversarial inputs (deadline now + 0.2 s):\n" + "\n".join(lines))
