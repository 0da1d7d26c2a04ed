"""Attacker-shaped 1 MB prompts finish in bounded time and never let a marking through."""
from __future__ import annotations

import httpx
import pytest

MB = 1_000_000
PADDINGS = {
    "stars": "★" * MB,
    "spaces": " " * MB,
    "digits": "1234567890" * (MB // 10),
    "brackets": "〔2024〕" * (MB // 6),
    "near-markings": "机密 机 密★ 秘密级 内部 " * (MB // 16),
    "spaced-cjk": "机 密 ★ 5 年 " * (MB // 12),
}
MARKED_TAIL = "\n\n机密★5年\n关于某型装备部署的通知\n各单位：现将有关事项通知如下。"


@pytest.mark.parametrize("name", sorted(PADDINGS))
def test_marking_after_adversarial_padding_is_never_forwarded(gateway, upstream_log, name):
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": PADDINGS[name] + MARKED_TAIL}]}
    r = httpx.post(gateway.url + "/v1/chat/completions", json=body, timeout=120)
    assert r.status_code == 403, r.text[:300]
    assert r.json()["error"]["code"] in ("content_blocked", "inspection_failed")
    assert upstream_log.requests == []


def test_adversarial_padding_alone_gets_an_answer_in_bounded_time(gateway, upstream_log):
    # no marking: either inspected and forwarded, or refused as uninspectable; never a hang or a 500
    body = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": PADDINGS["spaced-cjk"]}]}
    r = httpx.post(gateway.url + "/v1/chat/completions", json=body, timeout=120)
    assert r.status_code in (200, 403), r.text[:300]
    if r.status_code == 403:
        assert r.json()["error"]["code"] in ("content_blocked", "inspection_failed")
