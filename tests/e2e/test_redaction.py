"""Pseudonymisation round trip through real HTTP: the official openai SDK -> baomi -> the upstream double.

The double (model ``echo`` / ``echo-tool``) answers with the text it received, so the client must see its
own original values again, while the upstream's log must never hold one of them. Streams are cut two or
three characters per event by the double, so every placeholder is split across events.
"""
from __future__ import annotations

import json

import httpx
import pytest

NAME, PHONE, ID, EMAIL = "刘建华", "13912345678", "11010519491231002X", "liu.jh@example.com"
TEXT = (f"请帮我给客户写一封道歉信，收件人：{NAME}，手机 {PHONE}，身份证号 {ID}，邮箱 {EMAIL}。"
        f"信的末尾再写一次{NAME}的手机号码。")
ORIGINALS = (NAME, PHONE, ID, EMAIL)


def _upstream_never_saw_originals(upstream_log) -> str:
    assert len(upstream_log.requests) == 1
    sent = upstream_log.requests[0].body.decode("utf-8")
    for value in ORIGINALS:
        assert value not in sent
    assert "〔人名1〕" in sent and "〔手机号1〕" in sent and "〔身份证号1〕" in sent and "〔邮箱1〕" in sent
    return sent


def test_chat_plain_round_trip(client, upstream_log):
    r = client.chat.completions.create(model="echo", messages=[{"role": "user", "content": TEXT}])
    assert r.choices[0].message.content == TEXT
    sent = _upstream_never_saw_originals(upstream_log)
    assert sent.count("〔人名1〕") == 2  # the same value gets the same placeholder


def test_chat_stream_round_trip(client, upstream_log):
    stream = client.chat.completions.create(model="echo", stream=True,
                                            messages=[{"role": "user", "content": TEXT}])
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == TEXT
    _upstream_never_saw_originals(upstream_log)


@pytest.mark.parametrize("stream", [False, True])
def test_chat_tool_call_arguments_restored(client, upstream_log, stream):
    kwargs = dict(model="echo-tool", messages=[{"role": "user", "content": TEXT}])
    if stream:
        args = ""
        for chunk in client.chat.completions.create(stream=True, **kwargs):
            for call in (chunk.choices[0].delta.tool_calls or []) if chunk.choices else []:
                args += call.function.arguments or ""
    else:
        args = client.chat.completions.create(**kwargs).choices[0].message.tool_calls[0].function.arguments
    assert json.loads(args) == {"text": TEXT}
    _upstream_never_saw_originals(upstream_log)


def test_responses_plain_and_stream(client, upstream_log):
    r = client.responses.create(model="echo", input=TEXT)
    assert r.output_text == TEXT
    _upstream_never_saw_originals(upstream_log)
    upstream_log.clear()
    deltas = []
    final = None
    for event in client.responses.create(model="echo", input=TEXT, stream=True):
        if event.type == "response.output_text.delta":
            deltas.append(event.delta)
        if event.type == "response.completed":
            final = event.response
    assert "".join(deltas) == TEXT
    assert final is not None and final.output_text == TEXT
    _upstream_never_saw_originals(upstream_log)


def test_responses_function_call_stream(client, upstream_log):
    args, done_args, item_args = "", None, None
    for event in client.responses.create(model="echo-tool", input=TEXT, stream=True):
        if event.type == "response.function_call_arguments.delta":
            args += event.delta
        elif event.type == "response.function_call_arguments.done":
            done_args = event.arguments
        elif event.type == "response.output_item.done":
            item_args = event.item.arguments
    assert json.loads(args) == json.loads(done_args) == json.loads(item_args) == {"text": TEXT}
    _upstream_never_saw_originals(upstream_log)


def test_completions_stream(client, upstream_log):
    text = "".join(c.choices[0].text for c in client.completions.create(model="echo", prompt=TEXT, stream=True))
    assert text == TEXT
    _upstream_never_saw_originals(upstream_log)


def test_history_gets_the_same_placeholders(client, upstream_log):
    client.chat.completions.create(model="echo", messages=[
        {"role": "user", "content": f"联系人：{NAME}，电话 {PHONE}"},
        {"role": "assistant", "content": f"好的，我会联系{NAME}（{PHONE}）。"},
        {"role": "user", "content": f"再给{NAME}发一条短信，号码还是{PHONE}"},
    ])
    sent = json.loads(upstream_log.requests[0].body)
    bodies = [m["content"] for m in sent["messages"]]
    assert all(NAME not in b and PHONE not in b for b in bodies)
    assert all("〔手机号1〕" in b for b in bodies)
    assert "〔人名1〕" in bodies[0] and "〔人名1〕" in bodies[1]


def test_placeholder_typed_by_the_user_is_not_reused(client, upstream_log):
    text = f"模板里的〔人名1〕要换成真实姓名。收件人：{NAME}"
    r = client.chat.completions.create(model="echo", messages=[{"role": "user", "content": text}])
    assert r.choices[0].message.content == text  # the user's own 〔人名1〕 is not turned into 刘建华
    sent = upstream_log.requests[0].body.decode()
    assert NAME not in sent and "〔人名2〕" in sent


def test_text_without_personal_data_is_forwarded_byte_identical(gateway, upstream_log):
    body = ('{"model":"echo",  "messages":[{"role":"user","content":"帮我写一段关于春天的短文\\u3002"}],'
            '"temperature":0.3}').encode()
    r = httpx.post(gateway.url + "/v1/chat/completions", content=body,
                   headers={"content-type": "application/json", "authorization": "Bearer k"})
    assert r.status_code == 200
    assert upstream_log.requests[0].body == body


def test_redacted_request_has_no_original_even_in_other_fields(client, upstream_log):
    client.chat.completions.create(model="echo", messages=[{"role": "user", "content": "写一封信"}],
                                   extra_body={"metadata": {"note": f"联系人：{NAME}，手机 {PHONE}"}})
    sent = upstream_log.requests[0].body.decode()
    assert NAME not in sent and PHONE not in sent


def test_restore_can_be_switched_off(double, start_gateway, tmp_path):
    import openai

    from tests.conftest import REPO

    policy = tmp_path / "no-restore.yaml"
    policy.write_text("restore: false\n", encoding="utf-8")
    gw = start_gateway(double.url + "/v1", policy=f"{REPO / 'policies' / 'default.yaml'}:{policy}")
    c = openai.OpenAI(base_url=gw.url + "/v1", api_key="k", max_retries=0, timeout=30)
    out = c.chat.completions.create(model="echo", messages=[{"role": "user", "content": TEXT}])
    content = out.choices[0].message.content
    assert NAME not in content and "〔人名1〕" in content


def test_mapping_is_never_logged_or_stored(gateway, client, upstream_log, caplog):
    import os

    with caplog.at_level("DEBUG"):
        stream = client.chat.completions.create(model="echo", stream=True,
                                                messages=[{"role": "user", "content": TEXT}])
        assert "".join(c.choices[0].delta.content or "" for c in stream if c.choices) == TEXT
    for value in ORIGINALS:
        assert value not in caplog.text
    gateway.server.config.app.state.rt.store.flush()
    data_dir = gateway.settings.data_dir
    for name in os.listdir(data_dir):
        if name.startswith("baomi.db"):
            raw = open(os.path.join(data_dir, name), "rb").read()
            assert NAME.encode() not in raw and PHONE.encode() not in raw and "〔人名1〕".encode() not in raw
