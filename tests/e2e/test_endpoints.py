"""Ordinary writing passes through baomi to the upstream, with the official openai SDK as the client."""
from __future__ import annotations

import json

import httpx

PROMPT = "请帮我润色下面这段话：今年我们部门组织了三次业务培训，参训人数明显增加，群众满意度稳步提升。"


def test_chat_plain_reaches_upstream_unchanged(client, upstream_log):
    r = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
    assert r.choices[0].message.content == "好的，这是一段测试回答。"
    [got] = upstream_log.requests
    assert got.path == "/v1/chat/completions"
    assert got.json()["messages"][0]["content"] == PROMPT


def test_upstream_key_replaces_client_key(client, upstream_log):
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    [got] = upstream_log.requests
    assert got.headers["authorization"] == "Bearer sk-upstream-test"
    assert "client-own-key" not in json.dumps(got.headers)


def test_chat_stream_events_relayed(client, upstream_log):
    stream = client.chat.completions.create(model="events-7", stream=True,
                                            messages=[{"role": "user", "content": PROMPT}])
    pieces = [c.choices[0].delta.content for c in stream if c.choices and c.choices[0].delta.content]
    assert pieces == ["好的", "，", "这是", "一段", "测试", "回答", "。"]
    assert upstream_log.requests[0].json()["stream"] is True


def test_responses_plain_and_stream(client, upstream_log):
    r = client.responses.create(model="gpt-4o-mini", input=PROMPT, instructions="你是写作助手")
    assert r.output_text == "好的，这是一段测试回答。"
    events = [e.type for e in client.responses.create(model="events-3", input=PROMPT, stream=True)]
    assert events[0] == "response.created" and events[-1] == "response.completed"
    assert events.count("response.output_text.delta") == 3
    assert [q.path for q in upstream_log.requests] == ["/v1/responses", "/v1/responses"]


def test_embeddings_completions_models(client, upstream_log):
    e = client.embeddings.create(model="text-embedding-3-small", input=["第一段", "第二段"])
    assert [d.index for d in e.data] == [0, 1]
    c = client.completions.create(model="gpt-3.5-turbo-instruct", prompt="从前有座山")
    assert c.choices[0].text
    assert [m.id for m in client.models.list()] == ["gpt-4o-mini"]
    assert [q.path for q in upstream_log.requests] == ["/v1/embeddings", "/v1/completions", "/v1/models"]


def test_body_forwarded_byte_identical(gateway, upstream_log):
    body = json.dumps({"model": "gpt-4o-mini", "messages": [{"role": "user", "content": PROMPT}],
                       "temperature": 0.3}, ensure_ascii=False).encode()
    r = httpx.post(gateway.url + "/v1/chat/completions", content=body,
                   headers={"content-type": "application/json"})
    assert r.status_code == 200
    assert upstream_log.requests[0].body == body


def test_upstream_error_passes_back_unchanged(client, upstream_log):
    import openai
    import pytest

    with pytest.raises(openai.InternalServerError) as info:
        client.chat.completions.create(model="fail-500", messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 500
    assert info.value.body["code"] == "upstream_boom"


def test_health_and_ready(gateway):
    assert httpx.get(gateway.url + "/healthz").json() == {"status": "ok"}
    ready = httpx.get(gateway.url + "/readyz")
    assert ready.status_code == 200
    assert ready.json()["checks"] == {"engine": True, "policy": True, "store": True}
