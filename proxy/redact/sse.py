"""Streaming restoration of an SSE answer (chat.completions, legacy completions, /v1/responses).

Bytes arrive split anywhere (mid event, mid UTF-8 character), so they are buffered until an event is
complete (blank line). Three ideas keep the result exact and the stream fast:

* **Fast path.** While nothing is held back, an event whose bytes contain neither 〔 nor ``\\u3014`` cannot
  hold a placeholder: its original bytes go out without being parsed. (The one exception: an event with
  ``arguments`` and an escaped backslash, because a JSON-escaped placeholder inside tool arguments can be
  cut between two deltas right after its backslash.) An event that turns out unchanged also goes out as
  its original bytes, so a stream without placeholders is byte-identical.
* **Carry.** A placeholder may be split across deltas (``你好〔人`` + ``名1〕，``). Each text "channel" (one
  choice's content, one tool call's arguments, one responses item part ...) keeps a carry: a delta is
  restored together with the carry before it, and a tail that is a proper prefix of an issued placeholder
  is held back until the next delta of the same channel. Tails are decided on the upstream text *before*
  replacement, so an original value is never scanned again.
* **Flush.** When a channel ends (chat: ``finish_reason``; responses: the item's ``*.done``; ``[DONE]``;
  ``close()``) its carry was not a placeholder after all and is sent unchanged, before the ending event, in
  a synthetic event shaped like the channel's last delta event (same envelope, delta = the carry).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any, Callable

from proxy.redact.restore import Restorer

_EVENT_END = re.compile(rb"\r?\n\r?\n")
_LINE = re.compile(r"\r\n|\r|\n")
_CHAT_TEXT = ("content", "reasoning_content", "reasoning", "refusal")
#: responses delta events: type -> (JSON text?, the field that names the part within the item)
_RS_DELTA: dict[str, tuple[bool, str | None]] = {
    "response.output_text.delta": (False, "content_index"),
    "response.refusal.delta": (False, "content_index"),
    "response.reasoning_text.delta": (False, "content_index"),
    "response.reasoning_summary_text.delta": (False, "summary_index"),
    "response.audio.transcript.delta": (False, None),
    "response.custom_tool_call_input.delta": (False, None),
    "response.code_interpreter_call_code.delta": (False, None),
    "response.function_call_arguments.delta": (True, None),
    "response.mcp_call_arguments.delta": (True, None),
}
_RS_END = ("response.completed", "response.incomplete", "response.failed", "response.done")


def _dumps(obj: Any) -> str:
    s = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (upstream sent \ud800) is not UTF-8: keep it escaped
        s = json.dumps(obj, separators=(",", ":"))
    return s


@dataclass(slots=True)
class _Event:
    """What a synthetic event copies from the event it imitates: the ``event:`` lines and the line style."""
    event_lines: list[str]
    eol: str
    data_prefix: str

    def render(self, obj: Any) -> bytes:
        lines = [*self.event_lines, self.data_prefix + _dumps(obj)]
        return (self.eol.join(lines) + self.eol + self.eol).encode()


class StreamRestorer:
    """Restores one SSE response: ``feed`` the upstream bytes as they come, ``close`` at the end."""

    def __init__(self, restorer: Restorer) -> None:
        self._r = restorer
        self._buf = bytearray()
        self._scan = 0  # where to resume looking for the end of the buffered event
        self._carry: dict[tuple, str] = {}  # channel -> held-back text (insertion order = flush order)
        self._shape: dict[tuple, tuple[_Event, Callable[[str], Any]]] = {}  # channel -> how to re-emit it
        self._final = False

    def feed(self, chunk: bytes) -> bytes:
        """Bytes from upstream, split anywhere; returns what can be sent to the client now (maybe b"")."""
        if (not self._buf and not self._carry and chunk.endswith(b"\n\n") and b"\xe3\x80\x94" not in chunk
                and b"\\u3014" not in chunk and not (b"\\\\" in chunk and b"arguments" in chunk)):
            return chunk  # whole events, nothing pending, no placeholder possible: relay without splitting
        self._buf += chunk
        out, start = [], 0
        while (m := _EVENT_END.search(self._buf, max(self._scan, start))) is not None:
            out.append(self._event(bytes(self._buf[start:m.end()]), m.group()))
            start = self._scan = m.end()
        del self._buf[:start]
        self._scan = max(0, len(self._buf) - 3)  # a terminator may have begun in the last 3 bytes
        return b"".join(out)

    def close(self) -> bytes:
        """End of stream: flush held-back text, then whatever partial event upstream left behind."""
        self._final = True
        out = self._flush(lambda key: True)
        if self._buf:
            rest, self._buf = bytes(self._buf), bytearray()
            out += self._event(rest, b"")
        return out

    # -- one event ----------------------------------------------------------------------------------

    def _event(self, raw: bytes, term: bytes) -> bytes:
        if (not self._carry and b"\xe3\x80\x94" not in raw and b"\\u3014" not in raw
                and not (b"\\\\" in raw and b"arguments" in raw)):
            return raw  # fast path: no placeholder can be in here, none is pending
        try:
            lines = _LINE.split(raw[:len(raw) - len(term)].decode("utf-8"))
        except UnicodeDecodeError:
            return raw
        data_at = [i for i, line in enumerate(lines) if line.startswith("data:") or line == "data"]
        if not data_at:
            return raw
        payload = "\n".join(lines[i][6:] if lines[i].startswith("data: ") else lines[i][5:] for i in data_at)
        if payload.strip() == "[DONE]":
            return self._flush(lambda key: True) + raw
        try:
            obj = json.loads(payload)
        except ValueError:
            return raw
        ev = _Event([line for line in lines if line.startswith("event:")], "\r\n" if b"\r" in term else "\n",
                    "data: " if lines[data_at[0]].startswith("data: ") else "data:")
        before: list[bytes] = []
        new = self._dispatch(obj, ev, before)
        flushed = b"".join(before)
        if not flushed and new == obj:
            return raw
        drop = set(data_at[1:])
        lines = [ev.data_prefix + _dumps(new) if i == data_at[0] else line
                 for i, line in enumerate(lines) if i not in drop]
        return flushed + (ev.eol.join(lines) + ev.eol + ev.eol).encode()

    def _dispatch(self, obj: Any, ev: _Event, before: list[bytes]) -> Any:
        if isinstance(obj, dict):
            kind = obj.get("type")
            if isinstance(kind, str) and kind.startswith("response."):
                return self._responses(obj, kind, ev, before)
            choices = obj.get("choices")
            if isinstance(choices, list):
                if obj.get("object") == "chat.completion.chunk" or any(
                        isinstance(c, dict) and isinstance(c.get("delta"), dict) for c in choices):
                    return self._choices(obj, ev, before, chat=True)
                if obj.get("object") == "text_completion":
                    return self._choices(obj, ev, before, chat=False)
        return self._r.value(obj)

    # -- channels -----------------------------------------------------------------------------------

    def _push(self, key: tuple, text: str, as_json: bool, final: bool, ev: _Event,
              make: Callable[[str], Any]) -> str:
        """Restore ``text`` as the next delta of channel ``key``; hold back a placeholder prefix at its end."""
        t = self._carry.pop(key, "") + text
        self._shape.pop(key, None)
        cut = len(t) if final or self._final else (self._r.split_json(t) if as_json else self._r.split_text(t))
        if cut < len(t):
            self._carry[key] = t[cut:]
            self._shape[key] = (ev, make)
        return self._r.json_text(t[:cut]) if as_json else self._r.text(t[:cut])

    def _flush(self, which: Callable[[tuple], bool]) -> bytes:
        """Send the held-back text of the channels ``which`` selects, unchanged, as synthetic delta events."""
        out = []
        for key in [k for k in self._carry if which(k)]:
            carry = self._carry.pop(key)
            ev, make = self._shape.pop(key)
            out.append(ev.render(make(carry)))
        return b"".join(out)

    def _choices(self, obj: dict, ev: _Event, before: list[bytes], chat: bool) -> dict:
        """A chat.completion.chunk (``delta`` per choice) or a legacy text_completion chunk (``text``)."""
        choices = []
        for pos, ch in enumerate(obj["choices"]):
            if not isinstance(ch, dict) or (chat and not isinstance(ch.get("delta"), dict)):
                choices.append(self._r.value(ch))
                continue
            idx = ch.get("index", pos)
            idx = idx if isinstance(idx, (int, str)) else pos
            final = ch.get("finish_reason") is not None

            def make(part: Any, idx: Any = idx, ch: dict = ch) -> dict:
                c: dict[str, Any] = {"index": idx, "delta": part} if chat else {"index": idx, "text": part}
                c.update({k: None for k in ("logprobs", "finish_reason") if k in ch})
                return {k: ([c] if k == "choices" else v) for k, v in obj.items()}

            new = {}
            for k, v in ch.items():
                if not chat and k == "text" and isinstance(v, str):
                    new[k] = self._push(("cmp", idx), v, False, final, ev, make)
                elif chat and k == "delta":
                    new[k] = self._delta(idx, v, final, ev, make)
                else:
                    new[k] = self._r.value(v)
            choices.append(new)
            if final:  # channels of this choice that got no text in its last chunk
                before.append(self._flush(lambda key, idx=idx: key[0] in ("chat", "cmp") and key[1] == idx))
        return {k: (choices if k == "choices" else self._r.value(v)) for k, v in obj.items()}

    def _delta(self, idx: Any, delta: dict, final: bool, ev: _Event, make: Callable[[Any], dict]) -> dict:
        new: dict[str, Any] = {}
        for k, v in delta.items():
            if k in _CHAT_TEXT and isinstance(v, str):
                new[k] = self._push(("chat", idx, k), v, False, final, ev, lambda c, k=k: make({k: c}))
            elif k == "tool_calls" and isinstance(v, list):
                new[k] = [self._tool_call(idx, pos, tc, final, ev, make) for pos, tc in enumerate(v)]
            elif k == "function_call" and isinstance(v, dict):
                new[k] = self._function(v, ("chat", idx, "function_call"), final, ev,
                                        lambda c: make({"function_call": {"arguments": c}}))
            else:
                new[k] = self._r.value(v)
        return new

    def _tool_call(self, idx: Any, pos: int, tc: Any, final: bool, ev: _Event, make: Callable) -> Any:
        if not isinstance(tc, dict):
            return self._r.value(tc)
        tix = tc.get("index", pos)
        tix = tix if isinstance(tix, (int, str)) else pos
        return {k: (self._function(v, ("chat", idx, "tool", tix), final, ev,
                                   lambda c: make({"tool_calls": [{"index": tix, "function": {"arguments": c}}]}))
                    if k == "function" and isinstance(v, dict) else self._r.value(v))
                for k, v in tc.items()}

    def _function(self, fn: dict, key: tuple, final: bool, ev: _Event, make: Callable) -> dict:
        return {k: (self._push(key, v, True, final, ev, make) if k == "arguments" and isinstance(v, str)
                    else self._r.value(v)) for k, v in fn.items()}

    def _responses(self, obj: dict, kind: str, ev: _Event, before: list[bytes]) -> dict:
        """/v1/responses: ``*.delta`` events are channels; every other event carries complete text."""
        spec = _RS_DELTA.get(kind)
        if spec is not None and isinstance(obj.get("delta"), str):
            as_json, part = spec
            key = ("rs", kind, obj.get("item_id"), obj.get(part) if part else None)

            def make(carry: str) -> dict:
                return {k: (carry if k == "delta" else [] if k == "logprobs" else v) for k, v in obj.items()}

            return {k: (self._push(key, v, as_json, False, ev, make) if k == "delta" else self._r.value(v))
                    for k, v in obj.items()}
        item = obj.get("item_id")
        if kind.endswith(".done") and kind[:-5] + ".delta" in _RS_DELTA:
            part = _RS_DELTA[kind[:-5] + ".delta"][1]
            here = ("rs", kind[:-5] + ".delta", item, obj.get(part) if part else None)
            before.append(self._flush(lambda key: key == here))
        if kind.endswith(".done") and item is not None:
            before.append(self._flush(lambda key: key[0] == "rs" and key[2] == item))
        if kind == "response.output_item.done" and isinstance(obj.get("item"), dict):
            done = obj["item"].get("id")
            before.append(self._flush(lambda key: key[0] == "rs" and key[2] == done))
        if kind in _RS_END:
            before.append(self._flush(lambda key: True))
        return self._r.value(obj)
