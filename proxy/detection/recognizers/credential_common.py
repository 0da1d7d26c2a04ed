"""Shared machinery of the credential recognizers (``credential_*.py``): a small presidio base class, the
label / separator / value reader, and the checks that tell a real-looking secret VALUE from a variable
name, a reference, a placeholder or a documentation example.

Every credential recognizer is a :class:`CredentialRecognizer`: ``RULES`` (data) name literal-prefixed
regexes and the literal TRIGGERS that gate them (a rule whose triggers are absent from the text costs
nothing); ``judge`` turns a match into :class:`Hit` objects. Regexes run through
``proxy.detection.bounded`` (timeouts, fail closed); Python loops over inspected text are capped.

``why`` strings are fixed reasons: they never contain any part of the inspected text, so a finding can be
logged without leaking the secret it found.

Case-insensitive rules (``fold=True``) run a case-sensitive literal-first regex on the lower-cased text
(same offsets: :func:`lowered` keeps the length), which the ``regex`` module searches ~10x faster than an
``(?i)`` alternation; values are then read from the original text, where case matters.

Triggers: one Aho-Corasick pass (pyahocorasick) over the lower-cased text finds which triggers of all
credential rules occur; the result is shared by the recognizers of one ``analyze`` call through a one-slot
cache that keeps no copy of the text. A rule runs only if one of its triggers occurred.
"""
from __future__ import annotations

import base64
import binascii
import math
import operator
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar

import regex
from presidio_analyzer import LocalRecognizer, RecognizerResult

from proxy.detection import bounded
from proxy.detection.errors import InspectionError, RegexTimeout

LANGUAGE = "zh"
CATEGORY = "credential"
CATEGORY_KEY = "category"
WHY_KEY = "why"

# entities (all of category ``credential``)
API_KEY = "API_KEY"  # provider-format key or a random value under an api-key / token label
ACCESS_KEY_ID = "ACCESS_KEY_ID"  # cloud access key id (LTAI…, AKIA…, AKID…): the public half of a pair
ACCESS_KEY_SECRET = "ACCESS_KEY_SECRET"  # the secret half of a cloud access key pair
SECRET = "SECRET"  # a random value under a secret / signing-key / 密钥 label
JWT = "JWT"
PRIVATE_KEY = "PRIVATE_KEY"
PASSWORD = "PASSWORD"
CONNECTION_STRING_PASSWORD = "CONNECTION_STRING_PASSWORD"


@dataclass(frozen=True, slots=True)
class Rule:
    """One pattern family. ``pattern`` should start with a literal (fast search)."""

    name: str
    pattern: str
    triggers: tuple[str, ...] = ()  # the rule runs only if one of these substrings occurs
    fold: bool = False  # pattern and triggers apply to the lower-cased text
    flags: int = 0
    dense: int = 0  # minimum plausible spacing of real candidates (0: the recognizer's DENSE_SPACING)


@dataclass(frozen=True, slots=True)
class Hit:
    start: int
    end: int
    score: float
    why: str
    entity: str | None = None  # None: the recognizer's main entity


# ----------------------------------------------------------------------------------------------------------
# per-text helpers

#: (id, length, hash) of the last text scanned for triggers, and the triggers found; the text itself is not
#: kept (no copy of inspected text outlives the call)
_found_cache: tuple[tuple[int, int, int], frozenset[str]] | None = None
#: every trigger of every credential rule (lower case), and one Aho-Corasick automaton over them
_TRIGGERS: set[str] = set()
_automaton: tuple[Any, int] | None = None
_lock = threading.Lock()


def lowered(text: str) -> str:
    """``text.lower()`` with the same length. U+0130 (İ) is the only character whose lower case is two
    code points; it becomes a plain ``i`` so that offsets stay exact."""
    if "\u0130" in text:
        text = text.replace("\u0130", "i")
    return text.lower()


def register_triggers(triggers: Iterable[str]) -> None:
    """Add rule triggers to the shared automaton (rebuilt lazily on the next scan)."""
    global _automaton, _found_cache
    with _lock:
        new = {t.lower() for t in triggers} - _TRIGGERS
        if new:
            _TRIGGERS.update(new)
            _automaton = None
            _found_cache = None


def _build() -> tuple[Any, int]:
    """A fresh automaton over the registered triggers, and how many there are."""
    import ahocorasick

    with _lock:
        words = sorted(_TRIGGERS)
    a = ahocorasick.Automaton()
    for t in words:
        a.add_word(t, t)
    a.make_automaton()
    return a, len(words)


def triggers_in(text: str) -> frozenset[str]:
    """The registered triggers (lower case) that occur in ``text`` case-insensitively: one C pass over the
    lower-cased text, shared by all credential recognizers of an ``analyze`` call (one-slot cache keyed by
    the text's identity, length and hash)."""
    global _found_cache, _automaton
    key = (id(text), len(text), hash(text))
    c = _found_cache
    if c is not None and c[0] == key:
        return c[1]
    built = _automaton
    if built is None:
        built = _automaton = _build()
    auto, total = built
    low = lowered(text)
    found: set[str] = set()
    if total:
        for i, (_, t) in enumerate(auto.iter(low)):
            found.add(t)
            if not i % 4096:
                bounded.check("credential.triggers")
                if len(found) == total:
                    break
    out = frozenset(found)
    _found_cache = (key, out)
    return out


def match_at(rx: regex.Pattern, text: str, pos: int, where: str, endpos: int | None = None) -> regex.Match | None:
    """``rx.match`` anchored at ``pos`` with the inspection timeout (fail closed)."""
    try:
        if endpos is None:
            return rx.match(text, pos, timeout=bounded.timeout(where))
        return rx.match(text, pos, endpos, timeout=bounded.timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def search_in(rx: regex.Pattern, text: str, pos: int, endpos: int, where: str) -> regex.Match | None:
    try:
        return rx.search(text, pos, endpos, timeout=bounded.timeout(where))
    except TimeoutError as exc:
        raise RegexTimeout(f"regex timed out in {where}") from exc


def line_bounds(text: str, start: int, end: int, cap: int = 400) -> tuple[int, int]:
    """Start and end of the line around ``[start, end)``, each at most ``cap`` characters away."""
    lo = max(0, start - cap)
    nl = text.rfind("\n", lo, start)
    ls = nl + 1 if nl >= 0 else lo
    hi = min(len(text), end + cap)
    nl = text.find("\n", end, hi)
    le = nl if nl >= 0 else hi
    return ls, le


# ----------------------------------------------------------------------------------------------------------
# the base class


class CredentialRecognizer(LocalRecognizer):
    #: entity -> category; the first entity is the main one
    ENTITY_CATEGORIES: ClassVar[dict[str, str]] = {}
    RULES: ClassVar[tuple[Rule, ...]] = ()
    #: results below this score are not reported
    MIN_SCORE: ClassVar[float] = 0.3
    #: once this many clear findings (score >= STRONG) are in, the text is decided: stop (bounds work)
    STRONG: ClassVar[float] = 0.85
    MAX_STRONG: ClassVar[int] = 64
    #: degenerate input (``password=`` repeated): more than DENSE_AFTER candidates of one rule at more than
    #: one per DENSE_SPACING characters, or more than MAX_CANDIDATES in all, fails closed at once instead of
    #: at the regex timeout
    DENSE_AFTER: ClassVar[int] = 2_000
    DENSE_SPACING: ClassVar[int] = 16
    MAX_CANDIDATES: ClassVar[int] = 50_000

    def __init__(self, name: str | None = None, supported_language: str = LANGUAGE) -> None:
        self._compiled = [(r, bounded.compile(r.pattern, r.flags)) for r in self.RULES]
        #: lower-cased trigger -> indices of the rules it enables; rules without triggers always run
        self._by_trigger: dict[str, tuple[int, ...]] = {}
        for i, r in enumerate(self.RULES):
            for t in {t.lower() for t in r.triggers}:
                self._by_trigger[t] = (*self._by_trigger.get(t, ()), i)
        self._triggers = frozenset(self._by_trigger)
        self._always = tuple(i for i, r in enumerate(self.RULES) if not r.triggers)
        register_triggers(self._triggers)
        super().__init__(supported_entities=list(self.ENTITY_CATEGORIES), name=name,
                         supported_language=supported_language)

    @property
    def entity(self) -> str:
        return next(iter(self.ENTITY_CATEGORIES))

    def load(self) -> None:  # patterns are compiled in __init__
        pass

    def judge(self, text: str, m: regex.Match, rule: Rule) -> Iterable[Hit] | Hit | None:
        """Default: dispatch to ``self._<rule name>(text, m)``."""
        return getattr(self, "_" + rule.name)(text, m)

    def analyze(self, text: str, entities: list[str] | None = None, nlp_artifacts: Any = None,
                **_: Any) -> list[RecognizerResult]:
        if not text:
            return []
        best: dict[tuple[int, int, str], Hit] = {}
        strong = 0
        present = triggers_in(text) & self._triggers
        active = set(self._always)
        for t in present:
            active.update(self._by_trigger[t])
        low: str | None = None
        for i in sorted(active):
            rule, rx = self._compiled[i]
            if rule.fold and low is None:
                low = lowered(text)
            hay = low if rule.fold else text
            where = f"{self.name}.{rule.name}"
            spacing = rule.dense or self.DENSE_SPACING
            for k, m in enumerate(bounded.finditer(rx, hay, where)):
                if k >= self.DENSE_AFTER and (k * spacing > m.end() or k >= self.MAX_CANDIDATES):
                    raise InspectionError(f"too many candidates in {where}")
                out = self.judge(text, m, rule)
                if out is None:
                    continue
                for hit in (out,) if isinstance(out, Hit) else out:
                    if hit.score < self.MIN_SCORE or hit.end <= hit.start:
                        continue
                    entity = hit.entity or self.entity
                    key = (hit.start, hit.end, entity)
                    old = best.get(key)
                    if old is None or hit.score > old.score:
                        best[key] = hit
                        if hit.score >= self.STRONG and (old is None or old.score < self.STRONG):
                            strong += 1
                if strong >= self.MAX_STRONG:
                    return self._results(best)
        return self._results(best)

    def _results(self, best: dict[tuple[int, int, str], Hit]) -> list[RecognizerResult]:
        return [RecognizerResult(
            entity_type=entity, start=s, end=e, score=round(h.score, 3),
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                CATEGORY_KEY: self.ENTITY_CATEGORIES[entity],
                WHY_KEY: h.why,
            }) for (s, e, entity), h in sorted(best.items())]


# ----------------------------------------------------------------------------------------------------------
# value checks

_MASK_CHARS = set("*•●·xX#?._-~ ")
_WRAPS = (("<", ">"), ("{", "}"), ("[", "]"), ("(", ")"), ("%", "%"), ("@", "@"), ("__", "__"), ("＜", "＞"),
          ("*", "*"), ("|", "|"))
#: whole values that are placeholders, type names, literals or the label word itself (lower case)
PLACEHOLDER_VALUES = frozenset("""
password passwd pass pwd passphrase secret secrets token key apikey api_key api-key secret_key secretkey
access_key accesskey client_secret changeme change_me change-me changeit change-it default none null nil
undefined true false yes no on off string str int bool boolean bytes text required optional empty blank
na n/a tbd tbc todo fixme xxx xxxx xxxxx xxxxxx value val your_password yourpassword your-password
my_password mypassword my-password your_secret your_token your_api_key your_key your-api-key your-key
secret_here password_here mysecret mytoken sample demo dummy fake mock placeholder redacted hidden masked
removed omitted unknown env environment vault sops encrypted ask prompt input same see below above here
""".split())
_PLACEHOLDER_PARTS = (
    "your", "xxxx", "example", "placeholder", "changeme", "change_me", "change-me", "changeit",
    "replace", "redacted", "dummy", "insert", "fixme", "todo", "_here", "-here", " here", "here_", "sample",
    "enter_", "enter-", "keyhere", "tokenhere",
    "secret_key_here", "填入", "填写", "你的", "您的", "请输入", "此处", "示例", "替换", "****", "……", "...",
    "•••", "●●●",
)
#: well-known default / example passwords: not a leak of a real secret (scored below the threshold)
COMMON_PASSWORDS = frozenset("""
123456 1234567 12345678 123456789 1234567890 123123 111111 000000 888888 666666 654321 112233 121212
password password1 password123 passw0rd p@ssw0rd p@ssword admin admin123 admin@123 admin888 root root123
toor qwerty qwerty123 abc123 abc123456 a123456 123456a 1q2w3e4r 1qaz2wsx letmein welcome test test123
guest iloveyou secret secret123 tiger scott oracle postgres mysql sa demo user user123 pass pass123
changeme default12 hunter2 foobar 88888888 11111111 00000000 987654321 qwe123 asd123 aa123456 abcdef
""".split())
#: values published as examples in vendors' documentation
DOC_EXAMPLES = frozenset({
    "AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "ASIAIOSFODNN7EXAMPLE",
    "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c", "4twFt5NiznN84AWoo1d7KO1T_yoc0Z6XOpOVswacPZg",
    # OAuth RFC 5849 / 6749 / 6750 examples
    "2YotnFZFEjr1zCsicMWpAA", "tGzv3JOkF0XG5Qx2TlKWIA", "mF_9.B5f-4.1JqM", "czZCaGRSa3F0MzpnWDFmQmF0M2JW",
    "SplxlOBeZQQYbYS6WxSbIA", "s6BhdRkqt3", "gX1fBat3bV", "hh5s93j4hdidpola", "nnch734d00sl2jdk",
    "kllo9940pd9333jh", "0685bd9184jfhq22", "ad180jjd733klru7", "dkf30dsf30s0fd",
})


def char_classes(v: str) -> int:
    """How many of lower case, upper case, digits and other characters ``v`` contains."""
    other = not all(map(str.isalnum, v))
    return any(map(str.islower, v)) + any(map(str.isupper, v)) + any(map(str.isdigit, v)) + other


def entropy(v: str) -> float:
    """Shannon entropy in bits per character."""
    if not v:
        return 0.0
    n = len(v)
    return math.log2(n) - sum(c * math.log2(c) for c in Counter(v).values()) / n


def masked(v: str) -> bool:
    """``******``, ``xxxxxx``, ``••••``, ``sk-...``: a value hidden or elided on purpose."""
    if not v:
        return True
    if sum(map(_MASK_CHARS.__contains__, v)) * 2 >= len(v):
        return True
    return "***" in v or "..." in v or "…" in v or "•••" in v


def longest_run(v: str) -> int:
    """Longest run of one repeated character or of consecutive ascending/descending characters."""
    best = run_same = run_up = run_down = 1
    for a, b in zip(v, v[1:]):
        run_same = run_same + 1 if a == b else 1
        run_up = run_up + 1 if ord(b) - ord(a) == 1 else 1
        run_down = run_down + 1 if ord(a) - ord(b) == 1 else 1
        best = max(best, run_same, run_up, run_down)
    return best if v else 0


def has_run(v: str, k: int) -> bool:
    """``v`` holds ``k`` equal characters in a row or ``k`` consecutive code points (``abcdef``,
    ``654321``): typed filler, not a generated value."""
    if len(v) < k:
        return False
    o = list(map(ord, v[:4096]))
    steps = bytes(map((0xFF).__and__, map(operator.sub, o[1:], o)))  # code point differences, mod 256
    n = k - 1
    return b"\x00" * n in steps or b"\x01" * n in steps or b"\xff" * n in steps


def wrapped(v: str) -> bool:
    return any(v.startswith(a) and v.endswith(b) and len(v) > len(a) + len(b) - 1 for a, b in _WRAPS)


def placeholder(v: str) -> bool:
    """A template value, elision or label-like word rather than a secret."""
    low = v.lower()
    if low in PLACEHOLDER_VALUES or masked(v) or wrapped(v):
        return True
    if v.startswith(("<", "＜", "{", "[", "(", ":", "#{", "%(", "ENC(", "!vault", "vault:", "arn:", "ref+", "op://",
                     "{cipher}", "AQICAH")):
        return True
    if any(map(low.__contains__, _PLACEHOLDER_PARTS)):
        return True
    if low.startswith(("sk-xxx", "xxx", "test_", "fake", "mock", "dummy")) or low.endswith("xxx"):
        return True
    return False


_REFERENCE_PARTS = ("environ", "getenv", "process.env", "env(", "env.", "secrets.", "vault:", "vault.", "vault(",
                    "vault/", "config.", "settings.", "conf.", "credentials.", "keyring", "getpass", "read_secret",
                    "secretmanager", "kms.", "import.meta.env")


def reference(v: str) -> bool:
    """A reference to a value held elsewhere: ``$VAR``, ``${VAR}``, ``%VAR%``, ``{{ secrets.X }}``,
    ``os.environ[...]``, ``process.env.X``, ``getenv(...)``, ``config.get(...)``."""
    if v.startswith(("$", "{{", "#{", "@{", "%(")) or (v.startswith("%") and v.endswith("%") and len(v) > 2):
        return True
    return any(map(v.lower().__contains__, _REFERENCE_PARTS))


def env_name(v: str) -> bool:
    """``DB_PASSWORD``, ``OPENAI_API_KEY``: the NAME of an environment variable (upper case, underscores)."""
    return len(v) >= 3 and v.replace("_", "").isalpha() and v.isupper() and ("_" in v or len(v) <= 12)


def identifier_like(v: str) -> bool:
    """``db_password``, ``dbPassword``, ``DB_PASS``, ``secret_value2``: a program identifier, not a value.
    Letters with at most a trailing number, in one of the usual naming styles."""
    core = v.rstrip("0123456789")
    if not core or not (core[0].isalpha() or core[0] == "_"):
        return False
    if not all(ch.isascii() and (ch.isalpha() or ch == "_") for ch in core):
        return False
    if core.islower() or core.isupper():
        return True
    # camelCase / PascalCase: every capital starts a word of >= 2 letters
    caps = [i for i, ch in enumerate(core) if ch.isupper()]
    return all(i + 2 <= len(core) and core[i + 1].islower() for i in caps)


def expression(v: str) -> bool:
    """Unquoted code: a call, subscript or attribute path (``self.password``, ``getpass()``, ``args.pw``)."""
    head = 0
    n = len(v)
    while head < n and (v[head].isalnum() or v[head] in "_$"):
        head += 1
    if head == 0 or not (v[0].isalpha() or v[0] in "_$"):
        return False
    if head == n:
        return False
    nxt = v[head]
    if nxt in "([":
        return True
    if nxt == "." and head + 1 < n and (v[head + 1].isalpha() or v[head + 1] == "_"):
        # attribute path: every dotted part an identifier (a password like "Abc.12x!" is not)
        parts = v.split(".")
        return all(p and (p[0].isalpha() or p[0] == "_") and all(c.isalnum() or c in "_()[]'\"" for c in p)
                   for p in parts)
    return False


def pathlike(v: str) -> bool:
    low = v.lower()
    if low.startswith(("/", "./", "../", "~/", "file:", "http://", "https://", "s3://", "gs://")):
        return True
    if len(v) > 2 and v[1] == ":" and v[2] in "\\/":
        return True
    return low.endswith((".pem", ".key", ".json", ".txt", ".yaml", ".yml", ".env", ".p12", ".pfx", ".crt",
                         ".jks", ".keystore", ".ppk", ".pub", ".conf", ".cfg", ".ini", ".properties", ".gpg"))


def wordy(v: str) -> bool:
    """Words joined by ``-``, ``_``, ``.`` or spaces, no digits (``change-this-in-production``,
    ``my secret key``): a phrase, not a random value."""
    if any(map(str.isdigit, v)):
        return False
    parts = v.replace("-", " ").replace("_", " ").replace(".", " ").replace("/", " ").split()
    if not parts or not all(p.isalpha() for p in parts):
        return False
    if len(parts) >= 2:
        return True
    p = parts[0]
    return p.islower() or p.isupper() or (p[0].isupper() and p[1:].islower())


_SCHEMES = ("AES", "SHA", "RSA", "SM2", "SM3", "SM4", "DES", "3DES", "MD5", "WPA", "WPA2", "WPA3", "WEP", "PSK",
            "HMAC", "PBKDF2", "BCRYPT", "ARGON2", "UTF", "BASE64", "ECC", "ECDSA", "TLS", "SSL", "GBK", "ASCII")


def scheme_name(v: str) -> bool:
    """``AES-256``, ``SHA-256``, ``WPA2-PSK``, ``SM4``: the name of an algorithm or encoding, which prose
    about passwords mentions ("密码为AES-256加密存储") but which is not itself a password."""
    first = v.upper().replace("_", "-").split("-")[0]
    return first in _SCHEMES or first.rstrip("0123456789") in _SCHEMES


_HEX = frozenset("0123456789abcdefABCDEF")


def hex_only(v: str) -> bool:
    return _HEX.issuperset(v)


def uuid_like(v: str) -> bool:
    p = v.split("-")
    return len(p) == 5 and [len(x) for x in p] == [8, 4, 4, 4, 12] and all(hex_only(x) for x in p)


def documented_example(v: str) -> bool:
    return v in DOC_EXAMPLES or "EXAMPLE" in v


_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-+/=.~:!@#$%^&*()")


def looks_random(v: str, min_len: int = 16, min_entropy: float = 3.0) -> bool:
    """A machine-generated token: long enough, token characters only, mixed classes (or hex), high
    entropy, no long runs, not a phrase, not a placeholder."""
    n = len(v)
    if n < min_len or n > 4096:
        return False
    if not _TOKEN_CHARS.issuperset(v):
        return False
    if placeholder(v) or wordy(v) or env_name(v):
        return False
    if sum(map(str.isalnum, v)) * 5 < n * 3:  # mostly punctuation
        return False
    has_digit = any(map(str.isdigit, v))
    if not has_digit:
        has_lower = any(map(str.islower, v))
        has_upper = any(map(str.isupper, v))
        if not (has_lower and has_upper):
            return False  # single-case letters only: a word or a name
        # mixed-case letters only (camelCaseIdentifierNames): require many case switches
        switches = sum(1 for a, b in zip(v, v[1:]) if a.isalpha() and b.isalpha() and a.islower() != b.islower())
        if switches * 4 < n:
            return False
    if has_run(v, 6) or (not hex_only(v) and compound_name(v)):
        return False
    return entropy(v) >= min(min_entropy, math.log2(n) - 0.5)


def compound_name(v: str) -> bool:
    """``CnWorkSecretRecognizer``, ``AES256GcmEncryptor``, ``base64UrlEncoder``: words glued in a naming
    style (chunks of four characters or more on average, the longer ones pronounceable) - a program name,
    not a generated value (random base62 chunks average under two characters)."""
    chunks = _words(v[:512])
    if not chunks or sum(map(len, chunks)) < 4 * len(chunks):
        return False
    words = [c for c in chunks if c.isalpha() and len(c) >= 3]
    return bool(words) and sum(1 for w in words if any(map("aeiouAEIOU".__contains__, w))) >= 0.8 * len(words)


#: words that make a password value a test fixture or an example rather than a real secret
_TEST_WORDS = ("test", "demo", "example", "sample", "dummy", "fake", "mock", "password", "passw0rd", "p@ssw0rd",
               "p@ssword", "secret", "changeit", "qwerty", "letmein", "foobar")
_FILLER_WORDS = ("pass", "pwd", "admin", "user", "root", "abc", "xyz", "my", "new", "old")


def _is_number(v: str) -> bool:
    """``13.2075304714``, ``-0.5``, ``1e-3``, ``1,024.00``: a number with a point or exponent."""
    core = v.lstrip("+-").replace(",", "")
    if not any(ch in core for ch in ".eE"):
        return False
    try:
        float(core)
    except ValueError:
        return False
    return True


def password_strength(v: str) -> tuple[float, str]:
    """Score of ``v`` as a password value found next to a password label, and a fixed reason."""
    n = len(v)
    if n < 4:
        return 0.0, "too short for a password"
    if n > 128:
        return 0.0, "too long for a password"
    if not v.isascii():
        return 0.0, "not a typed password (non-ASCII text)"  # "请输入密码", "忘记密码？" in UI strings
    if placeholder(v) or reference(v) or pathlike(v):
        return 0.0, "placeholder or reference"
    if scheme_name(v):
        return 0.3, "name of an algorithm or encoding"
    if v.lower() in COMMON_PASSWORDS:
        return 0.4, "well-known default password"
    if documented_example(v):
        return 0.4, "documentation example value"
    low = v.lower()
    if any(map(low.__contains__, _TEST_WORDS)):
        rest = low
        for w in _TEST_WORDS + _FILLER_WORDS:
            rest = rest.replace(w, "")
        if sum(map(str.isalpha, rest)) <= 1:  # "test123", "Password@2024", "demo_pass1"; not "Jw#2024test"
            return 0.45, "test or example value"
    if _is_number(v):
        return 0.3, "a number"
    at = v.find("@")
    tld = v.rsplit(".", 1)[-1]
    if 2 <= at < len(v) - 4 and "." in v[at:] and v[at + 1:].replace(".", "").replace("-", "").isalnum() \
            and tld.isalpha() and len(tld) >= 2:
        return 0.45, "an e-mail address"  # anonymous FTP convention, or a misplaced user name
    if v.isdigit():
        if longest_run(v) >= max(4, n - 1) or len(set(v)) <= 2:
            return 0.35, "trivial digit sequence"
        return (0.6, "numeric password or PIN next to a password label") if n >= 6 else \
            (0.4, "short number next to a password label")
    classes = char_classes(v)
    if wordy(v) or (" " in v and wordy("".join(ch for ch in v if ch.isalpha() or ch == " "))):
        return 0.45, "a plain word or phrase"
    if v.isalpha():
        switches = sum(1 for a, b in zip(v, v[1:]) if a.islower() != b.islower())
        if n >= 8 and switches >= 4 and not compound_name(v):
            return 0.6, "mixed-case letters next to a password label"
        return 0.45, "a plain word"
    if wordy(v.rstrip("!?.,;:)")):
        return 0.45, "a plain word"  # "echoed!"
    if n < 6:
        return (0.45, "short mixed value next to a password label") if classes >= 3 else (0.4, "short value")
    if classes >= 3 or (classes == 2 and n >= 8):
        return 0.85, "password label with a real-looking value"
    return 0.75, "password label with a value"


def decode_b64(s: str, urlsafe: bool = False) -> bytes | None:
    s = s.strip().rstrip("=")
    if not s or len(s) > 8192:
        return None
    s += "=" * (-len(s) % 4)
    try:
        return base64.urlsafe_b64decode(s) if urlsafe else base64.b64decode(s, validate=True)
    except (binascii.Error, ValueError):
        return None


# ----------------------------------------------------------------------------------------------------------
# label + separator + value

QUOTES = "\"'`"
#: characters that end an unquoted value
_STOP = set(" \t\r\n\"'`,;&<>()]}|")
MAX_VALUE = 256


@dataclass(frozen=True, slots=True)
class Value:
    start: int
    end: int
    text: str
    quoted: bool
    call: bool = False  # unquoted and followed by "(" or "[": a call or subscript in code


def _run_of(stop: str) -> regex.Pattern:
    return bounded.compile("[%s]{0,%d}" % ("".join(regex.escape(chr(c)) for c in range(0x21, 0x7F)
                                                   if chr(c) not in stop), MAX_VALUE + 1))


#: how far an unquoted value runs: in code (``f(password=pw, …)``, URL queries) it stops at
#: ``,;&<>()]}|``; on a config line of its own (``DB_PASSWORD=Qh&19!x,y``) only whitespace and quotes end
#: it; in prose (``密码：Ab&12，…``) sentence punctuation and HTML entities (``&quot;``) do
_UNQUOTED = {"code": _run_of("".join(_STOP)), "config": _run_of(" \t\r\n\"'`"),
             "prose": _run_of(" \t\r\n\"'`,;<>()]}|")}
_ENTITIES = ("&quot;", "&amp;", "&lt;", "&gt;", "&nbsp;", "&#")
#: what may precede a label at the start of a config line
_LINE_PREFIXES = frozenset({"", "export", "set", "setx", "env", "arg", "declare", "readonly", "local", "-", "*", "#",
                            "//", ";"})


def read_value(text: str, pos: int, *, xml: bool = False, mode: str = "code") -> Value | None:
    """The value starting at ``pos``: a quoted string (same line), an XML element's text, or an unquoted
    run of printable ASCII up to whitespace / non-ASCII and, depending on ``mode`` (code, config, prose),
    some punctuation. None if absent or too long."""
    n = len(text)
    if pos >= n:
        return None
    c = text[pos]
    # Python string prefixes: b"…", r'…', u"…"
    if c in "bruBRU" and pos + 1 < n and text[pos + 1] in "\"'":
        pos += 1
        c = text[pos]
    if xml:
        lim = min(n, pos + MAX_VALUE + 1)
        lt, nl = text.find("<", pos, lim), text.find("\n", pos, lim)
        ends = [e for e in (lt, nl) if e >= 0]
        if not ends:
            return None if lim < n else _strip_value(text, pos, n)
        return _strip_value(text, pos, min(ends))
    if c in QUOTES:
        if text.startswith(c * 3, pos):  # triple quotes: not a one-line value
            return None
        lim = min(n, pos + 1 + MAX_VALUE + 1)
        end = text.find(c, pos + 1, lim)
        while end > 0 and text[end - 1] == "\\":  # escaped quote
            end = text.find(c, end + 1, lim)
        if end < 0:
            return None
        nl = text.find("\n", pos + 1, end)
        if nl >= 0:
            return None
        return Value(pos + 1, end, text[pos + 1:end], True)
    m = match_at(_UNQUOTED[mode], text, pos, "credential.value", min(n, pos + MAX_VALUE + 1))
    end = m.end() if m is not None else pos
    if end - pos > MAX_VALUE:
        return None  # runs on: not a value of its own
    if mode == "prose" and "&" in text[pos:end]:
        cut = [i for i in (text.find(e, pos, end + len(e)) for e in _ENTITIES) if 0 <= i < end]
        end = min(cut) if cut else end
    call = end < n and text[end] in "(["
    # trailing sentence punctuation
    while end > pos and text[end - 1] in ".:":
        end -= 1
    if end == pos:
        return None
    return Value(pos, end, text[pos:end], False, call)


def _strip_value(text: str, start: int, end: int) -> Value | None:
    raw = text[start:end]
    stripped = raw.strip()
    if not stripped:
        return None
    s = start + (len(raw) - len(raw.lstrip()))
    return Value(s, s + len(stripped), stripped, True)


def _words(v: str) -> list[str]:
    """Split into naming-style chunks: ``[A-Z]?[a-z]+``, ``[A-Z]+`` (not followed by lower case), ``[0-9]+``;
    other characters separate (``AccessKeySecret`` -> Access Key Secret, ``APIKey2`` -> API Key 2)."""
    out: list[str] = []
    start = -1
    kind = ""
    for i, ch in enumerate(v):
        if not ch.isascii() or not ch.isalnum():
            k = ""
        elif ch.isdigit():
            k = "d"
        elif ch.islower():
            k = "l"
        else:
            k = "u"
        if k and kind and (k == kind or (kind == "u" and k == "l")):
            if kind == "u" and k == "l" and i - start > 1:  # "APIKey": "API" + "Key"
                out.append(v[start:i - 1])
                start = i - 1
            kind = k
            continue
        if kind:
            out.append(v[start:i])
        start, kind = (i, k) if k else (-1, "")
    if kind:
        out.append(v[start:])
    return out


def label_tokens(label: str) -> list[str]:
    """``ALIBABA_CLOUD_ACCESS_KEY_SECRET`` / ``accessKeySecret`` / ``AccessKey Secret`` ->
    ``['alibaba', 'cloud', 'access', 'key', 'secret']`` (lower case; digits and CJK dropped)."""
    return [w.lower() for w in _words(label[-96:]) if not w[0].isdigit()]


_LABEL_BACK = bounded.compile(r"(?r)[A-Za-z0-9_.\-]*")


def label_start(text: str, stem_start: int, max_len: int = 64, words: int = 3) -> int:
    """Start of the label that ends with the stem at ``stem_start``: identifier characters (``_-.``
    included) and up to ``words`` preceding space-separated ASCII words (``AccessKey Secret``,
    ``Secret Access Key``, ``the client secret``)."""
    lo = max(0, stem_start - max_len)
    m = match_at(_LABEL_BACK, text, lo, "credential.label_start", stem_start)
    i = m.start() if m is not None else stem_start
    for _ in range(words):
        if i - 2 < lo or text[i - 1] != " " or not (text[i - 2].isascii() and text[i - 2].isalpha()):
            break
        j = i - 1
        while j > lo and text[j - 1].isascii() and text[j - 1].isalpha():
            j -= 1
        if j > 0 and (text[j - 1].isascii() and (text[j - 1].isalnum() or text[j - 1] in "_-.")):
            break
        i = j
    return i


#: appended to a label stem of a fold rule (lower-cased text): not followed by an assignment of plain code
#: (``= os.environ[…]``, ``: r.json()``, ``= ${X}``, ``: {{ … }}``, ``= <…>``), which no value check would
#: accept anyway; rejecting it in the regex keeps code-heavy prompts cheap
NOT_CODE = (r"(?![\"'`\]]{0,2}[ \t]*(?:=|:|=>|:=)[ \t]*(?:[a-z_$][\w$]*(?:\.[a-z_$]|\(|\[)|\$\{|\{\{|<[a-z/!]|"
            r"%\(|\$[a-z_]))")

#: the separator between a label and its value, matched at the end of the label's stem
SEPARATOR = bounded.compile(
    r"(?P<close>[\"'`\]]{0,2})"
    r"(?:"
    r"(?P<op>[ \t]*(?:=>|:=|==|=(?!=)|:(?![:/=])|：|＝|->)[ \t]*)"
    r"|(?P<attr>(?<=[\"'])[ \t]+(?i:value)[ \t]*=[ \t]*)"
    r"|(?P<pair>(?<=[\"'])[ \t]*,[ \t]*(?=[\"']))"
    r"|(?P<call>\([ \t]*(?=[\"']))"
    r"|(?P<is>[ \t]+(?:is|was)(?:[ \t]+(?:now|still|set[ \t]+to|changed[ \t]+to))?[ \t]*:?[ \t]+)"
    r"|(?P<cjk>[ \t]*(?:我们|我|你们|你|他们|他|她|刚刚|刚|今天|昨天|已经|已被|都|也|就|统一|暂时|目前|现在|临时|默认|"
    r"一律|均|已|被){0,3}"
    r"(?:是|为|改成了|改成|改为|设为|设置为|设置成|设成|换成了|换成|变成了|变成|更改为|修改为|重置为|更新为)"
    r"[ \t]*[:：]?[ \t]*)"
    r"|(?P<pipe>[ \t]*\|[ \t]*)"
    r"|(?P<ws>[ \t]+)"
    r"|(?P<glued>(?=[!-~]))"
    r")"
)


def _fast_op(text: str, pos: int) -> int | None:
    """The common ``label = value`` / ``"label": value`` separator without a regex: offset of the value,
    or None (then SEPARATOR decides)."""
    n = len(text)
    i = pos
    k = 0
    while i < n and k < 2 and text[i] in "\"'`]":
        i += 1
        k += 1
    while i < n and text[i] in " \t":
        i += 1
    if i >= n or text[i] not in "=:":
        return None
    nxt = text[i + 1] if i + 1 < n else ""
    if text[i] == "=":
        if nxt in "=>":
            return None
    elif nxt in ":/=":
        return None
    i += 1
    while i < n and text[i] in " \t":
        i += 1
    return i


#: first characters of what may follow a Chinese label before its value (connector words, separators, ASCII)
_CJK_NEXT = frozenset("是为改设换变更修重我你他她刚今昨已都也就统暂目现临默一均被：:=＝|") | frozenset(
    chr(c) for c in range(0x21, 0x7F) if chr(c) not in ",.;!?()[]{}<>\"'`")


def _may_follow_cjk_label(text: str, pos: int) -> bool:
    """Cheap pre-check before SEPARATOR for a Chinese label: "密码,请…", "令牌(token)" cannot be followed
    by a value."""
    n = len(text)
    while pos < n and text[pos] in " \t":
        pos += 1
    return pos < n and text[pos] in _CJK_NEXT


_BARE_LABELS = frozenset({"password", "passwd", "pwd", "secret", "token", "apikey", "api_key", "secretkey",
                          "secret_key", "accesskey", "access_key", "accesskeysecret"})


@dataclass(frozen=True, slots=True)
class Assignment:
    label: str  # raw label text (identifier and leading words)
    label_start: int
    sep: str  # op | attr | pair | call | is | cjk | pipe | ws | glued | xml
    value: Value
    code_arg: bool  # label is a keyword argument / object key inside code: ``f(password=pw)``
    cjk: bool = False  # a Chinese label (密码, 密钥 …): what follows is prose or a form field, not code


def read_assignment(text: str, stem_start: int, stem_end: int, where: str, *,
                    cjk_label: bool = False, min_len: int = 1) -> Assignment | None:
    """``label <sep> value`` with the label ending at ``stem_end``. Returns None when no separator or no
    value (of at least ``min_len`` characters) follows, when the value is plainly code (a call, an
    attribute path, a reference: decided before the label is read, the common case in code), or when the
    label is part of a reference (``${DB_PASSWORD}``, ``%API_KEY%``)."""
    if text.startswith(">", stem_end) and stem_start > 0:  # <password>…</password>
        ls = label_start(text, stem_start)
        if ls == 0 or text[ls - 1] != "<":
            return None
        v = read_value(text, stem_end + 1, xml=True)
        if v is None or len(v.text) < min_len or not text[v.end:v.end + 40].lstrip().startswith("</"):
            return None  # not "<password>@host" in a URL template
        return Assignment(text[ls:stem_end], ls, "xml", v, False, cjk_label)
    fast = _fast_op(text, stem_end)
    if fast is not None:
        sep, vpos = "op", fast
    elif cjk_label and not _may_follow_cjk_label(text, stem_end):
        return None
    else:
        m = match_at(SEPARATOR, text, stem_end, where, min(len(text), stem_end + 40))
        if m is None:
            return None
        sep, vpos = m.lastgroup or "", m.end()
        if sep == "glued" and (m.group("close") or not cjk_label):
            return None
    v = read_value(text, vpos)
    if v is None:
        return None
    if len(v.text) < min_len and (v.quoted or v.end >= len(text) or text[v.end] in " \t\r\n\"'`"):
        return None  # too short, and no other reading of the line makes it longer
    if v.quoted:
        if reference(v.text):
            return None
    elif v.call or reference(v.text) or expression(v.text) or (not cjk_label and env_name(v.text)):
        return None
    # the label, only for values that may be literals
    if cjk_label:
        ls = label_start(text, stem_start, max_len=24, words=1) if stem_start else 0
    else:
        ls = label_start(text, stem_start)
    before = text[ls - 1] if ls > 0 else ""
    if before == "%" or (before == "{" and ls > 1 and text[ls - 2] in "${"):
        return None  # %DB_PASSWORD%, ${DB_PASSWORD:-…}, {{DB_PASSWORD}}
    if sep == "call":  # setPassword("…"), .password("…") builders; not hashPassword("…"), getenv("…")
        _, dot, last = text[ls:stem_end].rpartition(".")
        if not (last.lower().startswith(("set", "with", "put")) or (dot and last.lower() in _BARE_LABELS)):
            return None
    if sep == "pair" and (cjk_label or before not in QUOTES):
        return None  # "password", "…" pairs need a quoted ASCII label
    if not v.quoted:  # re-read an unquoted value with the stops of its context
        if cjk_label or sep in ("is", "cjk", "ws", "glued", "pipe"):
            mode = "prose"
        else:
            lstart = text.rfind("\n", max(0, ls - 80), ls) + 1 or max(0, ls - 80)
            mode = "config" if sep == "op" and text[lstart:ls].strip().lower() in _LINE_PREFIXES else "code"
        if mode != "code":
            v = read_value(text, vpos, mode=mode) or v
        if len(v.text) < min_len:
            return None
    # code argument / object key context: the character before the label
    k = ls - 1
    while k >= 0 and text[k] in " \t":
        k -= 1
    code_arg = k >= 0 and text[k] in "(,"
    return Assignment(text[ls:stem_end], ls, sep, v, code_arg, cjk_label)


def literal_value(a: Assignment) -> bool:
    """Is the assigned value a literal (as opposed to a variable, call, reference)?"""
    v = a.value.text
    if a.value.quoted:
        return not (reference(v) or env_name(v))
    if a.value.call or reference(v) or expression(v):
        return False
    if a.cjk:
        return True
    if a.sep in ("op", "attr") and a.code_arg and identifier_like(v):
        return False  # f(password=pw), {password: password}
    if env_name(v) or (identifier_like(v) and a.sep == "op" and not any(map(str.isdigit, v))
                       and ("_" in v or v.islower())):
        return False  # password: db_password (a variable), PASSWORD=DB_PASSWORD
    return True


#: the context of a connection string: handled by ConnectionStringRecognizer, skipped by the others
_CONN_KEYS = bounded.compile(
    r"(?i)(?:^|[;\s\"'])(?:server|data[ \t]+source|host|hostname|addr|address|uid|user[ \t]*id|user|username|"
    r"database|initial[ \t]+catalog|driver|dsn|provider|port|sslmode|dbname)[ \t]*=")


_TOKEN_START = bounded.compile(r"(?r)[\s\"'`]")


def connection_context(text: str, start: int, where: str) -> str | None:
    """``url`` when ``start`` lies in a URL (``://`` or ``jdbc:`` earlier in the same whitespace-free
    token), ``keywords`` when it lies in a ``key=value;`` connection string (``Server=…;Pwd=…``)."""
    lo = max(0, start - 300)
    ws = search_in(_TOKEN_START, text, lo, start, where)
    token = text[ws.end() if ws is not None else lo:start]
    if "://" in token or "jdbc:" in token.lower():
        return "url"
    ls = text.rfind("\n", lo, start) + 1 or lo
    seg = text[ls:start]
    if ";" in seg or ";" in text[start:start + 200].split("\n", 1)[0]:
        if search_in(_CONN_KEYS, text, ls, start, where):
            return "keywords"
    return None


#: what follows a value that DESCRIBES passwords rather than giving one ("密码为8位以上字母数字组合")
DESCRIPTIVE_AFTER = ("加密", "算法", "格式", "方式", "位", "个字符", "字符", "以上", "以下", "组合", "存储", "开头", "结尾",
                     "规则", "策略", "要求")


def described(text: str, end: int) -> bool:
    """The value ending at ``end`` is followed by words that make it a description."""
    tail = text[end:end + 6].lstrip(" \t")
    return tail.startswith(DESCRIPTIVE_AFTER)


# ----------------------------------------------------------------------------------------------------------
# tables: a label heading a column (CSV, TSV, Markdown)

MAX_TABLE_ROWS = 20


MAX_TABLE_CELLS = 24
_CELL_PAD = " \t\r\"'*`"


def _cells(text: str, ls: int, le: int, delim: str) -> list[tuple[int, int]]:
    """(start, end) of every cell of the line ``[ls, le)``, stripped of spaces and quotes."""
    out = []
    pos = ls
    for part in text[ls:le].split(delim):
        core = part.strip(_CELL_PAD)
        a = pos + (len(part) - len(part.lstrip(_CELL_PAD))) if core else pos
        out.append((a, a + len(core)))
        pos += len(part) + 1
    return out


#: characters a header cell of a real table does not contain (code: ``key_password=self.key_password,``)
_NOT_HEADER = frozenset("=(){}[]:;<>")


def table_column(text: str, label_start: int, label_end: int, companions: tuple[str, ...]) -> list[Value]:
    """If the label is a whole header cell of a delimited table (CSV, TSV, Markdown) whose other header
    cells include one of ``companions`` (``user``, ``账号`` … for passwords), the values below it in its
    column. Argument lists and dict literals in code are not tables."""
    ls, le = line_bounds(text, label_start, label_end, cap=600)
    line = text[ls:le]
    delim = next((d for d in ("|", "\t", ",") if d in line), None)
    if delim is None or line.count(delim) > MAX_TABLE_CELLS or "\n" not in text[le:le + 1]:
        return []
    nxt = text.find("\n", le + 1, le + 1 + 4000)
    if delim not in text[le + 1:nxt if nxt >= 0 else le + 1 + 4000]:
        return []  # the next line is not a row of the same table
    header = _cells(text, ls, le, delim)
    if delim == "|":  # | a | b | has empty edge cells
        header = [c for k, c in enumerate(header) if c[0] < c[1] or 0 < k < len(header) - 1]
    if len(header) < 2 or any(a == b or b - a > 32 or _NOT_HEADER.intersection(text[a:b]) for a, b in header):
        return []
    idx = next((k for k, (a, b) in enumerate(header) if a <= label_start and b == label_end), None)
    if idx is None:
        return []
    if not any(any(w in text[a:b].lower() for w in companions) for k, (a, b) in enumerate(header) if k != idx):
        return []  # a table of accounts / keys names its other columns (user, 账号, AccessKey ID …)
    out: list[Value] = []
    pos = le + 1
    limit = min(len(text), le + 1 + 4000)
    rows = 0
    while pos < limit and rows < MAX_TABLE_ROWS:
        nl = text.find("\n", pos, limit)
        end = nl if nl >= 0 else limit
        row = text[pos:end]
        if delim not in row or row.count(delim) > MAX_TABLE_CELLS:
            break
        cells = _cells(text, pos, end, delim)
        if delim == "|":
            cells = [c for k, c in enumerate(cells) if c[0] < c[1] or 0 < k < len(cells) - 1]
        rows += 1
        if len(cells) == len(header):
            a, b = cells[idx]
            raw = text[a:b]
            if raw and not all(ch in "-:= " for ch in raw) and "=" not in raw and " " not in raw:
                out.append(Value(a, b, raw, False))
        if nl < 0:
            break
        pos = nl + 1
    return out
