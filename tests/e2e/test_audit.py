"""Every flow leaves one metadata record; the prompt text is never stored or logged."""
from __future__ import annotations

import json
from pathlib import Path

import httpx

SECRET_LINE = "机密★5年"
SECRET_BODY = "关于北岭基地扩建的请示"


def test_flows_are_audited_without_text(gateway, upstream_log, caplog):
    caplog.set_level("DEBUG")
    ok = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "帮我写一段新年致辞，大约两百字。"}]}
    bad = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": f"{SECRET_LINE}\n{SECRET_BODY}\n正文"}]}
    r1 = httpx.post(gateway.url + "/v1/chat/completions", json=ok)
    r2 = httpx.post(gateway.url + "/v1/chat/completions", json=bad)
    r3 = httpx.post(gateway.url + "/v1/chat/completions", content=b"{oops", headers={"content-type": "application/json"})
    assert (r1.status_code, r2.status_code, r3.status_code) == (200, 403, 400)

    store = gateway.server.config.app.state.rt.store  # type: ignore[attr-defined]
    rows = {r["id"]: r for r in store.recent(50)}
    incident = r2.headers["x-baomi-incident"]
    blocked = rows[incident]
    assert blocked["decision"] == "block"
    assert json.loads(blocked["categories"]) == ["secret_marking"]
    assert json.loads(blocked["rule_ids"]) == ["categories.secret_marking"]
    assert blocked["client"] == "anonymous" and blocked["model"] == "gpt-4o-mini"
    assert blocked["endpoint"] == "/v1/chat/completions" and blocked["status"] == 403
    assert blocked["prompt_tokens"] > 5 and blocked["inspect_ms"] >= 0
    allowed = [r for r in rows.values() if r["decision"] == "allow" and r["status"] == 200]
    assert allowed and allowed[0]["upstream"].endswith("/v1") and allowed[0]["prompt_tokens"] > 5
    assert any(r["decision"] == "invalid" and r["error_code"] == "invalid_json" for r in rows.values())

    # the database file and the logs never hold the prompt
    db = Path(gateway.settings.data_dir) / "baomi.db"  # type: ignore[attr-defined]
    raw = b"".join(p.read_bytes() for p in db.parent.glob("baomi.db*"))
    for text in (SECRET_LINE, SECRET_BODY):
        assert text.encode() not in raw
        assert text not in caplog.text
