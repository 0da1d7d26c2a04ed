"""A small local OpenAI-compatible upstream double, for end-to-end tests and the benchmark.

It answers chat completions, completions, responses (plain and SSE), embeddings and models, and records
every request it receives, so a test can assert that nothing of a blocked request ever arrived.
Behaviour switches come from the request's ``model`` (the only field a test controls end to end):

- ``fail-500``: HTTP 500 with an OpenAI error body
- ``slow-<seconds>``: wait before answering (upstream timeout tests)
- ``drip-<seconds>``: stream one event every <seconds> (client-disconnect tests)
- ``events-<n>``: stream <n> content events (benchmark)
- ``echo``: answer with the text of the last user input (streams: two characters per event, so every
  placeholder of a pseudonymised request is split across events; ``echo-<n>``: n per event); ``echo-tool``: answer with a tool call
  whose JSON arguments carry that text (streamed three characters per event)
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response, StreamingResponse
from starlette.routing import Route


@dataclass
class Received:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class Recorder:
    requests: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: streams that ended early because the client went away
    aborted_streams: int = 0
    record: bool = True

    def add(self, r: Received) -> None:
        if self.record:
            with self.lock:
                self.requests.append(r)

    def bodies(self) -> list[bytes]:
        with self.lock:
            return [r.body for r in self.requests]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()
            self.aborted_streams = 0


def _knob(model: str, name: str) -> float | None:
    prefix = name + "-"
    if model.startswith(prefix):
        try:
            return float(model[len(prefix):])
        except ValueError:
            return None
    return None


def _sse(obj: Any) -> bytes:
    return b"data: " + json.dumps(obj, ensure_ascii=False, separators=(",", ":")).encode() + b"\n\n"


def _pieces(n: int) -> list[str]:
    words = ["好的", "，", "这是", "一段", "测试", "回答", "。"]
    return [words[i % len(words)] for i in range(n)]


def _last_text(payload: dict[str, Any]) -> str:
    """The last user-visible input text of a chat, responses or completions request."""
    value: Any = payload.get("messages") or payload.get("input") or payload.get("prompt") or ""
    if isinstance(value, list) and value:
        value = value[-1]
    if isinstance(value, dict):
        value = value.get("content", "")
    if isinstance(value, list):
        value = "".join(p.get("text", "") for p in value if isinstance(p, dict))
    return value if isinstance(value, str) else ""


def _split(text: str, size: int) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def create_double(recorder: Recorder | None = None) -> Starlette:
    rec = recorder if recorder is not None else Recorder()

    async def read(request: Request) -> tuple[dict[str, Any], str]:
        body = await request.body()
        rec.add(Received(request.method, request.url.path, dict(request.headers), body))
        payload = json.loads(body) if body else {}
        model = str(payload.get("model", "")) if isinstance(payload, dict) else ""
        slow = _knob(model, "slow")
        if slow:
            await asyncio.sleep(slow)
        return payload, model

    def error_500() -> Response:
        return JSONResponse({"error": {"message": "The server had an error while processing your request.",
                                       "type": "server_error", "param": None, "code": "upstream_boom"}},
                            status_code=500)

    async def stream(chunks, model: str) -> StreamingResponse:
        drip = _knob(model, "drip")

        async def gen():
            try:
                for c in chunks:
                    if drip:
                        await asyncio.sleep(drip)
                    yield c
            except asyncio.CancelledError:
                rec.aborted_streams += 1
                raise

        return StreamingResponse(gen(), media_type="text/event-stream")

    async def chat(request: Request) -> Response:
        payload, model = await read(request)
        if model == "fail-500":
            return error_500()
        n = int(_knob(model, "events") or 7)
        created = int(time.time())
        if model in ("echo", "echo-tool") or _knob(model, "echo"):
            return await chat_echo(payload, model, created)
        if payload.get("stream"):
            base = {"id": "chatcmpl-double", "object": "chat.completion.chunk", "created": created, "model": model}
            chunks = [_sse({**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                                 "finish_reason": None}]})]
            chunks += [_sse({**base, "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]})
                       for p in _pieces(n)]
            chunks.append(_sse({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}))
            chunks.append(b"data: [DONE]\n\n")
            return await stream(chunks, model)
        return JSONResponse({
            "id": "chatcmpl-double", "object": "chat.completion", "created": created, "model": model,
            "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(_pieces(n))},
                         "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 1, "completion_tokens": n, "total_tokens": n + 1}})

    async def chat_echo(payload: dict[str, Any], model: str, created: int) -> Response:
        text = _last_text(payload)
        args = json.dumps({"text": text}, ensure_ascii=False)
        call = {"id": "call_double", "type": "function", "function": {"name": "record", "arguments": args}}
        if not payload.get("stream"):
            message: dict[str, Any] = {"role": "assistant", "content": None if model == "echo-tool" else text}
            if model == "echo-tool":
                message["tool_calls"] = [call]
            return JSONResponse({"id": "chatcmpl-double", "object": "chat.completion", "created": created,
                                 "model": model, "choices": [{"index": 0, "message": message,
                                                              "finish_reason": "tool_calls" if model == "echo-tool"
                                                              else "stop"}]})
        base = {"id": "chatcmpl-double", "object": "chat.completion.chunk", "created": created, "model": model}

        def chunk(delta: dict[str, Any], finish: str | None = None) -> bytes:
            return _sse({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}]})

        if model != "echo-tool":
            chunks = [chunk({"role": "assistant", "content": ""})]
            chunks += [chunk({"content": piece}) for piece in _split(text, int(_knob(model, "echo") or 2))]
            chunks.append(chunk({}, "stop"))
        else:
            chunks = [chunk({"role": "assistant", "content": None, "tool_calls": [
                {"index": 0, "id": "call_double", "type": "function",
                 "function": {"name": "record", "arguments": ""}}]})]
            chunks += [chunk({"tool_calls": [{"index": 0, "function": {"arguments": piece}}]})
                       for piece in _split(args, 3)]
            chunks.append(chunk({}, "tool_calls"))
        chunks.append(b"data: [DONE]\n\n")
        return await stream(chunks, model)

    async def completions(request: Request) -> Response:
        payload, model = await read(request)
        if model == "fail-500":
            return error_500()
        text = _last_text(payload) if model == "echo" else "".join(_pieces(int(_knob(model, "events") or 7)))
        if payload.get("stream") and model == "echo":
            return await stream([_sse({"id": "cmpl-double", "object": "text_completion", "model": model,
                                       "choices": [{"index": 0, "text": piece, "finish_reason": None}]})
                                 for piece in _split(text, 2)] + [b"data: [DONE]\n\n"], model)
        if payload.get("stream"):
            return await stream([_sse({"id": "cmpl-double", "object": "text_completion", "model": model,
                                       "choices": [{"index": 0, "text": text, "finish_reason": "stop"}]}),
                                 b"data: [DONE]\n\n"], model)
        return JSONResponse({"id": "cmpl-double", "object": "text_completion", "created": int(time.time()),
                             "model": model, "choices": [{"index": 0, "text": text, "finish_reason": "stop",
                                                          "logprobs": None}]})

    def _response(model: str, text: str, status: str) -> dict[str, Any]:
        return {"id": "resp_double", "object": "response", "created_at": int(time.time()), "model": model,
                "status": status, "output": [] if status != "completed" else [
                    {"type": "message", "id": "msg_double", "status": "completed", "role": "assistant",
                     "content": [{"type": "output_text", "text": text, "annotations": []}]}],
                "parallel_tool_calls": True, "tool_choice": "auto", "tools": []}

    async def responses(request: Request) -> Response:
        payload, model = await read(request)
        if model == "fail-500":
            return error_500()
        pieces = _split(_last_text(payload), 2) if model == "echo" else _pieces(int(_knob(model, "events") or 7))
        if model == "echo-tool":
            return await responses_tool(payload, model)
        if payload.get("stream"):
            seq = iter(range(10_000))
            chunks = [_sse({"type": "response.created", "sequence_number": next(seq),
                            "response": _response(model, "", "in_progress")})]
            chunks += [_sse({"type": "response.output_text.delta", "sequence_number": next(seq),
                             "item_id": "msg_double", "output_index": 0, "content_index": 0, "delta": p})
                       for p in pieces]
            chunks.append(_sse({"type": "response.completed", "sequence_number": next(seq),
                                "response": _response(model, "".join(pieces), "completed")}))
            return await stream(chunks, model)
        return JSONResponse(_response(model, "".join(pieces), "completed"))

    async def responses_tool(payload: dict[str, Any], model: str) -> Response:
        args = json.dumps({"text": _last_text(payload)}, ensure_ascii=False)
        item = {"type": "function_call", "id": "fc_double", "call_id": "call_double", "name": "record",
                "arguments": args, "status": "completed"}
        done = {**_response(model, "", "completed"), "output": [item]}
        if not payload.get("stream"):
            return JSONResponse(done)
        seq = iter(range(10_000))
        chunks = [_sse({"type": "response.created", "sequence_number": next(seq),
                        "response": _response(model, "", "in_progress")}),
                  _sse({"type": "response.output_item.added", "sequence_number": next(seq), "output_index": 0,
                        "item": {**item, "arguments": "", "status": "in_progress"}})]
        chunks += [_sse({"type": "response.function_call_arguments.delta", "sequence_number": next(seq),
                         "item_id": "fc_double", "output_index": 0, "delta": piece}) for piece in _split(args, 3)]
        chunks += [_sse({"type": "response.function_call_arguments.done", "sequence_number": next(seq),
                         "item_id": "fc_double", "output_index": 0, "arguments": args}),
                   _sse({"type": "response.output_item.done", "sequence_number": next(seq), "output_index": 0,
                         "item": item}),
                   _sse({"type": "response.completed", "sequence_number": next(seq), "response": done})]
        return await stream(chunks, model)

    async def embeddings(request: Request) -> Response:
        payload, model = await read(request)
        inputs = payload.get("input")
        n = len(inputs) if isinstance(inputs, list) else 1
        return JSONResponse({"object": "list", "model": model, "usage": {"prompt_tokens": 1, "total_tokens": 1},
                             "data": [{"object": "embedding", "index": i, "embedding": [0.1, 0.2, 0.3]}
                                      for i in range(n)]})

    async def files(request: Request) -> Response:
        rec.add(Received(request.method, request.url.path, dict(request.headers), await request.body()))
        return JSONResponse({"id": "file-double", "object": "file", "bytes": 0, "created_at": int(time.time()),
                             "filename": "upload", "purpose": "assistants"})

    async def models(request: Request) -> Response:
        rec.add(Received(request.method, request.url.path, dict(request.headers), b""))
        return JSONResponse({"object": "list", "data": [
            {"id": "gpt-4o-mini", "object": "model", "created": 0, "owned_by": "double"}]})

    async def ocr_service(request: Request) -> Response:
        """Stands in for a cloud OCR API behind an /ocr/<name>/ route: records the request, answers JSON."""
        rec.add(Received(request.method, request.url.path, dict(request.headers), await request.body()))
        return JSONResponse({"words_result": [{"words": "识别结果"}], "path": request.url.path,
                             "query": request.url.query})

    app = Starlette(routes=[
        Route("/ocr-service/{rest:path}", ocr_service, methods=["POST", "GET"]),
        Route("/v1/chat/completions", chat, methods=["POST"]),
        Route("/v1/completions", completions, methods=["POST"]),
        Route("/v1/responses", responses, methods=["POST"]),
        Route("/v1/embeddings", embeddings, methods=["POST"]),
        Route("/v1/models", models, methods=["GET"]),
        Route("/v1/files", files, methods=["POST"]),
    ])
    app.state.recorder = rec
    return app
