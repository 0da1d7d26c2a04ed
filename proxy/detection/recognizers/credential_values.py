"""Judging a credential VALUE (a plain string, already read from the text): is it a placeholder, an
elision, a reference to a value held elsewhere, a variable name or code, a path, a phrase, a documentation
example - or a real-looking secret? Character classes, entropy, runs, naming-style chunks
(:func:`split_words`), :func:`looks_random` for machine-generated tokens and :func:`password_strength` for
values under a password label. Pure functions of the value; reasons are fixed strings.
"""
from __future__ import annotations

import base64
import binascii
import math
import operator
from collections import Counter

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
    chunks = split_words(v[:512])
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


def split_words(v: str) -> list[str]:
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
