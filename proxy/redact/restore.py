"""Restoration: put the original values back where the upstream answer uses placeholders (〔人名1〕 -> 张三).

Only placeholders this request issued (the keys of ``mapping``) are replaced; a look-alike such as 〔人名9〕
that the gateway never issued stays as written, and text without placeholders comes out identical.

Two flavours of insertion:

* plain text (``text``): the placeholder is replaced by the original value as is;
* JSON text (``json_text``, tool-call ``arguments``): the placeholder sits inside a JSON string literal, so
  the value goes in JSON-escaped (``json.dumps(v, ensure_ascii=False)[1:-1]``) — an address ``A "B" 路``
  must not break the arguments. Inside JSON text the placeholder may itself be written with escapes
  (``\\u3014\\u4eba\\u540d1\\u3015``, as ``ensure_ascii`` tool parsers emit it); the JSON matcher reads
  escapes as the characters they stand for, so such placeholders are restored in place and everything
  else in the text (formatting, other escapes) is kept byte for byte — no parse and re-dump needed.

For streaming, ``split_text`` / ``split_json`` tell where a text could end in the middle of a placeholder
(a proper prefix of an issued one, ``…〔人``), so the caller can hold that tail back (see ``sse``).
"""
from __future__ import annotations

import json
import re
from typing import Any

OPEN, CLOSE = "\u3014", "\u3015"  # 〔 〕
_OPEN_ESC, _CLOSE_ESC = "\\u3014", "\\u3015"
_OPEN_BYTES, _OPEN_ESC_BYTES = OPEN.encode(), _OPEN_ESC.encode()

#: one unit of JSON text, from a unit boundary: a \uXXXX escape, an escape cut off at the very end of the
#: text, any other escape, a lone backslash at the end, or a single character
_UNIT = re.compile(r"\\u[0-9a-fA-F]{4}|\\u[0-9a-fA-F]{0,3}\Z|\\.|\\\Z|.", re.S)


def _check(key: str) -> None:
    inner = key[1:-1]
    if len(key) < 3 or key[0] != OPEN or key[-1] != CLOSE or OPEN in inner or CLOSE in inner:
        raise ValueError(f"not a placeholder: {key!r}")


class Restorer:
    """Restores the placeholders of one request; ``mapping`` is placeholder (``〔人名1〕``) -> original."""

    def __init__(self, mapping: dict[str, str]) -> None:
        for key in mapping:
            _check(key)
        self._map = dict(mapping)
        self._escaped = {k: json.dumps(v, ensure_ascii=False)[1:-1] for k, v in self._map.items()}
        #: longest placeholder length (characters)
        self.max_len: int = max(map(len, self._map), default=0)
        #: every proper prefix of an issued placeholder: what a stream may have to hold back
        self._prefixes = frozenset(k[:i] for k in self._map for i in range(1, len(k)))
        n = max(self.max_len - 2, 1)
        # any bracketed run that could be a placeholder; the dict decides whether it is one of ours
        self._plain = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]{{1,{n}}}{CLOSE}")
        # the same in JSON text, where each character may be a \uXXXX escape. A match starts only at the
        # start of a backslash run and eats its pairs first, so ``\\u3014`` (a backslash, then "u3014") is
        # never read as a bracket, without having to visit every other escape in the text
        inner = r'(?:[^\\"\x00-\x1f' + OPEN + CLOSE + r"]|\\u(?!301[45])[0-9a-fA-F]{4})"
        self._json = re.compile(
            rf"(?<!\\)(?P<bs>(?:\\\\)*)(?:{OPEN}|\\u3014)(?P<inner>{inner}{{1,{2 * n}}})(?:{CLOSE}|\\u3015)")

    # -- whole texts --------------------------------------------------------------------------------

    def text(self, s: str) -> str:
        """``s`` with every issued placeholder replaced by its original value."""
        if not self._map or OPEN not in s:
            return s
        return self._plain.sub(self._plain_sub, s)

    def json_text(self, s: str) -> str:
        """``s`` is JSON text (tool-call ``arguments``): insert the originals JSON-escaped.

        Placeholders written literally or with ``\\uXXXX`` escapes (or a mix) are both found; the rest of
        ``s`` is untouched, so valid JSON stays valid JSON and its formatting is kept.
        """
        if not self._map or (OPEN not in s and _OPEN_ESC not in s):
            return s
        return self._json.sub(self._json_sub, s)

    def value(self, obj: Any) -> Any:
        """A copy of the parsed JSON value ``obj`` with every string restored (keys too).

        Strings under a key named ``arguments`` are JSON text and restored with :meth:`json_text`.
        """
        if isinstance(obj, str):
            return self.text(obj)
        if isinstance(obj, list):
            return [self.value(v) for v in obj]
        if isinstance(obj, dict):
            return {self.text(k) if isinstance(k, str) else k:
                    self.json_text(v) if k == "arguments" and isinstance(v, str) else self.value(v)
                    for k, v in obj.items()}
        return obj

    def body(self, body: bytes, content_type: str) -> bytes:
        """A whole (non-stream) response body, restored; the very same ``body`` object if nothing changed.

        JSON is parsed, restored with :meth:`value` and re-serialized compactly. A body that claims to be
        JSON but does not parse (NDJSON, a cut-off body) is restored as JSON text (:meth:`json_text`), so
        inserted quotes stay escaped; any other body as UTF-8 text. Bytes that are not UTF-8 pass unchanged.
        """
        if not self._map or (_OPEN_BYTES not in body and _OPEN_ESC_BYTES not in body):
            return body
        is_json = "json" in content_type.lower()
        if is_json:
            try:
                obj = json.loads(body)
            except ValueError:  # includes UnicodeDecodeError
                pass
            else:
                new = self.value(obj)
                if new == obj:
                    return body
                try:
                    return json.dumps(new, ensure_ascii=False, separators=(",", ":")).encode()
                except UnicodeEncodeError:  # a lone surrogate (upstream sent \ud800) cannot be UTF-8
                    return json.dumps(new, separators=(",", ":")).encode()
        try:
            s = body.decode("utf-8")
        except UnicodeDecodeError:
            return body
        out = self.json_text(s) if is_json else self.text(s)
        return body if out == s else out.encode()

    # -- stream fragments ---------------------------------------------------------------------------

    def split_text(self, t: str) -> int:
        """Where to cut ``t`` so that ``t[cut:]`` is the proper placeholder prefix it ends with (or ``len(t)``).

        Issued placeholders contain no inner bracket, so only the last 〔 can start such a prefix, and a
        prefix has no 〕: no complete placeholder crosses the cut, ``t[:cut]`` can be restored on its own.
        """
        if not self._map:
            return len(t)
        p = t.rfind(OPEN, max(0, len(t) - self.max_len + 1))
        return p if p >= 0 and t[p:] in self._prefixes else len(t)

    def split_json(self, t: str) -> int:
        """Like :meth:`split_text` for a fragment of JSON text, where characters may be ``\\uXXXX`` escapes.

        Held back: a tail that decodes to a proper placeholder prefix (possibly ending in a cut-off escape
        such as ``\\u30``), or else just a cut-off escape (a lone ``\\`` decides how the next fragment reads).
        """
        if "\\" not in t:
            return self.split_text(t)
        if not self._map:
            return len(t)
        # start reading a window at the end; a position inside an escape is moved back to the start of the
        # backslash run before it (such a run always starts on a unit boundary)
        p = max(0, len(t) - 12 * self.max_len - 6)
        b = t.rfind("\\", 0, p)
        if b >= p - 5 and b >= 0:
            p = len(t[:b + 1].rstrip("\\"))
        units = list(_UNIT.finditer(t, p))
        end = len(units)
        cut_off = end > 0 and (units[-1].group() == "\\" or
                               (units[-1].group().startswith("\\u") and len(units[-1].group()) < 6))
        if cut_off:
            end -= 1
        for i in range(end - 1, max(-1, end - 2 * self.max_len - 1), -1):
            u = units[i].group()
            if u == CLOSE or u.lower() == _CLOSE_ESC:
                break
            if u == OPEN or u.lower() == _OPEN_ESC:
                try:
                    decoded = json.loads('"' + "".join(x.group() for x in units[i:end]) + '"')
                except ValueError:
                    break
                if decoded in self._prefixes:
                    return units[i].start()
                break
        return units[end].start() if cut_off else len(t)

    # -- helpers ------------------------------------------------------------------------------------

    def _plain_sub(self, m: re.Match[str]) -> str:
        return self._map.get(m.group(), m.group())

    def _json_sub(self, m: re.Match[str]) -> str:
        try:
            label = json.loads('"' + m.group("inner") + '"')
        except ValueError:
            return m.group()
        found = self._escaped.get(OPEN + label + CLOSE)
        return m.group() if found is None else m.group("bs") + found
