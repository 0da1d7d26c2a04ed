"""Blocked and held requests become incidents with sealed evidence; evidence is purged after retention."""
from __future__ import annotations

import asyncio
import os
import time

import openai
import pytest

from proxy.store.incidents import IncidentStore
from proxy.store.keys import load_evidence_key
from proxy.store.retention import RetentionTask
from tests.conftest import REPO

MARKED = "机密★5年\n东川市应急管理局\n关于重点目标防护方案的报告\n各区应急管理局：\n现将防护方案印发给你们。"


def _store(gw) -> IncidentStore:
    return IncidentStore(gw.settings.store_url, load_evidence_key(gw.settings))


def _blocked(gw, text: str) -> openai.PermissionDeniedError:
    c = openai.OpenAI(base_url=gw.url + "/v1", api_key="k", max_retries=0, timeout=30)
    with pytest.raises(openai.PermissionDeniedError) as info:
        c.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": text}])
    return info.value


def test_a_block_is_an_incident_with_sealed_evidence(double, start_gateway, upstream_log):
    gw = start_gateway(double.url + "/v1")
    err = _blocked(gw, MARKED)
    incident_id = err.response.headers["x-baomi-incident"]
    store = _store(gw)
    try:
        record, ev = store.get(incident_id)
        assert record.decision == "block" and record.status == "open"
        assert "secret_marking" in record.categories and record.recognizers
        assert record.model == "gpt-4o-mini" and record.client == "anonymous"
        assert MARKED in ev["document"] and any(e["text"].startswith("机密") for e in ev["evidence"])
    finally:
        store.close()
    for name in os.listdir(gw.settings.data_dir):
        if name.startswith("baomi.db"):
            raw = open(os.path.join(gw.settings.data_dir, name), "rb").read()
            assert "东川市应急管理局".encode() not in raw  # sealed at rest
    assert upstream_log.requests == []


def test_a_hold_is_an_incident_with_its_ticket(double, start_gateway, tmp_path, upstream_log):
    extra = tmp_path / "hold.yaml"
    extra.write_text("categories:\n  personal_data: {action: hold}\n", encoding="utf-8")
    gw = start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{extra}")
    err = _blocked(gw, "收件人：刘建华，手机 13912345678")
    store = _store(gw)
    try:
        record, _ = store.get(err.response.headers["x-baomi-incident"])
        assert record.decision == "hold" and record.status == "held"
        assert record.ticket == err.response.headers["x-baomi-ticket"]
    finally:
        store.close()


def test_evidence_is_purged_after_the_retention_period(double, start_gateway, upstream_log):
    gw = start_gateway(double.url + "/v1", evidence_retention_days=1 / 86400)  # one second
    incident_id = _blocked(gw, MARKED).response.headers["x-baomi-incident"]
    time.sleep(1.2)
    store = _store(gw)
    try:
        assert asyncio.run(RetentionTask(store, gw.settings.evidence_retention_days).purge_once()) >= 1
        record, ev = store.get(incident_id)
        assert ev is None and record.evidence_purged_at is not None
        assert record.categories  # metadata stays
    finally:
        store.close()
