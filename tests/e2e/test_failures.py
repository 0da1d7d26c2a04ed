"""Bad input, failing inspection and failing upstreams: the right status, never a 500, server stays healthy."""
from __future__ import annotations

import socket
import threading
import time

import httpx
import openai
import pytest

from proxy.bench.double import Recorder, create_double
from proxy.bench.servers import ServerThread

CHAT = "/v1/chat/completions"
OK_BODY = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "你好"}]}


def assert_openai_error(r: httpx.Response, status: int, code: str) -> dict:
    assert r.status_code == status, r.text
    err = r.json()["error"]
    assert set(err) == {"message", "type", "code", "param"}
    assert err["code"] == code
    assert "Traceback" not in r.text
    assert " / " in err["message"]  # Chinese, then English
    return err


def assert_healthy(gateway) -> None:
    assert httpx.get(gateway.url + "/healthz").status_code == 200
    r = httpx.post(gateway.url + CHAT, json=OK_BODY, timeout=30)
    assert r.status_code == 200, r.text


@pytest.mark.parametrize("body,code,param", [
    (b"{not json", "invalid_json", None),
    (b"", "invalid_json", None),
    (b"\xff\xfe{}", "invalid_json", None),
    (b'{"model": "a", "model": "b", "messages": []}', "invalid_json", "model"),
    (b"[1, 2]", "invalid_field", "(body)"),
    (b'{"messages": []}', "invalid_field", "model"),
    (b'{"model": "m"}', "invalid_field", "messages"),
    (b'{"model": "m", "messages": "hi"}', "invalid_field", "messages"),
    (b'{"model": "m", "messages": [{"role": "user", "content": 5}]}', "invalid_field", "messages[0].content"),
    (b'{"model": "m", "messages": [{"role": "user", "content": [{"type": "text"}]}]}', "invalid_field",
     "messages[0].content[0].text"),
    (b'{"model": "m", "messages": [], "stream": "yes"}', "invalid_field", "stream"),
])
def test_malformed_and_wrong_shape(gateway, upstream_log, body, code, param):
    r = httpx.post(gateway.url + CHAT, content=body, headers={"content-type": "application/json"})
    err = assert_openai_error(r, 400, code)
    assert err["param"] == param
    assert upstream_log.requests == []


def test_wrong_content_type(gateway, upstream_log):
    r = httpx.post(gateway.url + CHAT, content=b"model=x", headers={"content-type": "application/x-www-form-urlencoded"})
    assert_openai_error(r, 415, "unsupported_media_type")
    assert upstream_log.requests == []


def test_oversize_body(start_gateway, double, upstream_log):
    gw = start_gateway(double.url + "/v1", max_body_bytes=4096)
    big = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "字" * 5000}]}
    assert_openai_error(httpx.post(gw.url + CHAT, json=big), 413, "payload_too_large")
    # also when the client does not announce the length (chunked upload)
    chunks = iter([b'{"model": "m", "messages": [{"role": "user", "content": "', b"x" * 8000, b'"}]}'])
    r = httpx.post(gw.url + CHAT, content=chunks, headers={"content-type": "application/json"})
    assert_openai_error(r, 413, "payload_too_large")
    assert upstream_log.requests == []
    assert_healthy(gw)


def test_unreadable_images_and_token_ids_are_not_forwarded_uninspected(gateway, upstream_log):
    img = {"model": "m", "messages": [{"role": "user", "content": [
        {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]}]}  # a truncated PNG
    err = assert_openai_error(httpx.post(gateway.url + CHAT, json=img), 403, "not_inspectable")
    assert err["param"] == "messages[0].content[0].image_url.url"
    toks = {"model": "m", "prompt": [1734, 2323]}
    assert_openai_error(httpx.post(gateway.url + "/v1/completions", json=toks), 403, "not_inspectable")
    assert upstream_log.requests == []


def test_unknown_endpoint_with_body_refused(gateway, upstream_log):
    r = httpx.post(gateway.url + "/v1/audio/speech", json={"model": "tts-1", "input": "机密★5年"})
    assert_openai_error(r, 404, "endpoint_not_inspected")
    r = httpx.post(gateway.url + "/v1/chat/completions/extra", json=OK_BODY)
    assert r.status_code == 404
    assert upstream_log.requests == []


class Exploding:
    def analyze(self, text):
        raise RuntimeError("detector bug: " + text)  # the text must not leak into the answer or logs


class Sleeping:
    def analyze(self, text):
        time.sleep(3)
        return []


@pytest.mark.parametrize("engine_override", [Exploding(), Sleeping()], ids=["raises", "times-out"])
def test_fail_closed(start_gateway, double, upstream_log, caplog, engine_override):
    gw = start_gateway(double.url + "/v1", engine_override=engine_override, inspect_timeout=0.5)
    secret = "绝密★启用前 试卷正文"
    r = httpx.post(gw.url + CHAT, json={"model": "m", "messages": [{"role": "user", "content": secret}]})
    err = assert_openai_error(r, 403, "inspection_failed")
    assert r.headers["x-baomi-incident"] in err["message"]
    assert "试卷正文" not in r.text and "试卷正文" not in caplog.text
    assert upstream_log.requests == []
    d = httpx.post(gw.url + "/v1/inspect", json={"text": secret}).json()
    assert d["action"] == "block" and d["error_code"] == "inspection_failed"


def test_upstream_down_is_502(start_gateway, client):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]
    gw = start_gateway(f"http://127.0.0.1:{dead_port}/v1", upstream_connect_timeout=2.0)
    assert_openai_error(httpx.post(gw.url + CHAT, json=OK_BODY), 502, "upstream_unreachable")
    assert httpx.get(gw.url + "/healthz").status_code == 200


def test_upstream_timeout_is_504(start_gateway, double, upstream_log):
    gw = start_gateway(double.url + "/v1", upstream_read_timeout=0.5)
    body = {**OK_BODY, "model": "slow-3"}
    assert_openai_error(httpx.post(gw.url + CHAT, json=body, timeout=30), 504, "upstream_timeout")
    c = openai.OpenAI(base_url=gw.url + "/v1", api_key="k", max_retries=0)
    with pytest.raises(openai.APIStatusError) as info:
        c.chat.completions.create(model="slow-3", messages=[{"role": "user", "content": "hi"}])
    assert info.value.status_code == 504
    assert_healthy(gw)


def test_client_disconnect_mid_stream_closes_upstream(gateway, upstream_log):
    body = {"model": "drip-0.2", "stream": True, "messages": [{"role": "user", "content": "讲个长故事"}]}
    with httpx.stream("POST", gateway.url + CHAT, json=body, timeout=30) as r:
        assert r.status_code == 200
        first = next(r.iter_raw())
        assert first.startswith(b"data: ")
    # the client is gone: baomi must close its upstream stream, so the double sees the abort
    deadline = time.monotonic() + 10
    while upstream_log.aborted_streams < 1 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert upstream_log.aborted_streams == 1
    assert_healthy(gateway)


def test_concurrent_requests_stay_correct(gateway, upstream_log):
    errors: list[str] = []

    def one(i: int) -> None:
        text = "机密★5年\n正文" if i % 2 else "普通文字"
        r = httpx.post(gateway.url + CHAT, json={"model": "m", "messages": [{"role": "user", "content": text}]},
                       timeout=60)
        if r.status_code != (403 if i % 2 else 200):
            errors.append(f"{i}: {r.status_code}")

    threads = [threading.Thread(target=one, args=(i,)) for i in range(24)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert len(upstream_log.requests) == 12
    assert all("机密" not in b.decode() for b in upstream_log.bodies())


def test_broken_engine_is_not_ready(start_gateway, double):
    gw = start_gateway(double.url + "/v1", engine_override=Exploding())
    r = httpx.get(gw.url + "/readyz")
    assert r.status_code == 503 and r.json()["checks"]["engine"] is False
