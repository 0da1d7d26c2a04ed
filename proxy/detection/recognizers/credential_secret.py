"""Secrets next to their label, whatever the vendor: API keys, tokens, client / app secrets, cloud
SecretKeys and AccessKey secrets, signing keys, 密钥 / 秘钥 / 令牌 / 授权码, ``Authorization: Bearer …`` /
``Basic …`` headers and docker ``"auth"`` entries, in env files, YAML, JSON, INI, XML, code, tables and
prose (``ALIBABA_CLOUD_ACCESS_KEY_SECRET=…``, ``"client_secret": "…"``, ``SecretKey：…``,
``API Key | …``, ``百度 SECRET_KEY = '…'``).

The label tells what kind of secret it is; the VALUE must look machine-generated
(``credential_values.looks_random``): variable names, references (``os.environ[…]``,
``process.env.JWT_SECRET``, ``${X}``, ``{{ secrets.X }}``), placeholders and phrases
(``your-api-key-here``, ``change-this-in-production``) are not reported. Vendor secrets whose length is
fixed (Aliyun AccessKey secret 30, AWS secret access key 40, Tencent / Baidu SecretKey 32, Baidu API Key
24) score 0.9-0.95 next to their label; other random values under a secret label 0.85; a bare ``key`` /
``sk`` label is weaker evidence (0.6). Values that are JWTs, PEM blocks or passwords are the other
recognizers'.
"""
from __future__ import annotations

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.credential_assign import (
    NOT_CODE, Assignment, Value, label_start, label_tokens, literal_value, read_assignment)
from proxy.detection.recognizers.credential_base import (
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, API_KEY, CATEGORY, PASSWORD, PRIVATE_KEY, SECRET, CredentialRecognizer, Hit, Rule)
from proxy.detection.recognizers.credential_context import table_column
from proxy.detection.recognizers.credential_jwt import jwt_header
from proxy.detection.recognizers.credential_values import (
    char_classes, decode_b64, documented_example, entropy, hex_only, identifier_like, looks_random, password_strength,
    pathlike, placeholder, reference, uuid_like, wordy)

#: a qualifier right before the stem that makes the label something else than a secret
_NOT_SECRET = frozenset({
    "public", "publishable", "primary", "foreign", "sort", "partition", "range", "hash", "cache", "idempotency",
    "csrf", "xsrf", "max", "min", "num", "next", "page", "continuation", "cancellation", "sync", "pagination",
    "row", "dict", "map", "lookup", "group", "routing", "row", "unique", "composite", "index", "translation",
    "i18n", "label", "field", "column", "json", "yaml", "env", "registry", "kind", "type", "has", "no", "is",
    "get", "set", "with", "hot", "short", "shortcut", "keyboard", "press", "api_version", "k8s", "mono",
    "ssh", "gpg", "pgp", "verify", "verifying", "verification", "certificate", "cert", "ca",
})
#: qualifiers of ``key`` that make it a secret label (``api_key``, ``signing_key`` …)
_KEY_QUALIFIERS = frozenset({
    "api", "app", "secret", "access", "private", "master", "signing", "sign", "encryption", "encrypt", "aes",
    "hmac", "jwt", "license", "subscription", "service", "server", "admin", "auth", "client", "consumer",
    "webhook", "session", "cookie", "crypto", "cipher", "des", "sm", "rsa", "openai", "anthropic", "deepseek",
    "dashscope", "moonshot", "qianfan", "zhipu", "baidu", "azure", "google", "gemini", "maps", "stripe",
    "sendgrid", "mailgun", "twilio", "amap", "gaode", "tencent", "aliyun", "alibaba", "oss", "cos", "bos", "obs",
    "wechat", "weixin", "dingtalk", "feishu", "lark", "llm", "model", "bot", "ak", "user", "account", "partner",
    "merchant", "mch", "pay", "payment", "sdk", "dev", "developer", "prod", "live", "root", "shared", "storage",
})
#: concatenated label endings (one token after camel / separator splitting: ``APIKEY``, ``appkey``)
_COMPOUNDS = (
    ("secretaccesskey", ACCESS_KEY_SECRET), ("accesskeysecret", ACCESS_KEY_SECRET), ("aksecret", ACCESS_KEY_SECRET),
    ("secretkey", SECRET), ("apikey", API_KEY), ("appkey", API_KEY), ("apisecret", SECRET), ("appsecret", SECRET),
    ("clientsecret", SECRET), ("accesstoken", API_KEY), ("authtoken", API_KEY), ("apitoken", API_KEY),
    ("privatekey", PRIVATE_KEY), ("masterkey", SECRET), ("signkey", SECRET), ("signingkey", SECRET),
    ("encryptionkey", SECRET), ("accesskeyid", ACCESS_KEY_ID), ("accesskey", ACCESS_KEY_ID),
)
_VENDOR_WORDS = ("aliyun", "alibaba", "tencent", "qcloud", "baidu", "bce", "qianfan", "aws", "amazon", "huawei",
                 "volc", "oss", "cos", "bos", "obs", "s3", "minio", "qiniu", "ksyun", "阿里", "腾讯", "百度", "华为",
                 "火山", "七牛", "云")
_BAIDU_WORDS = ("baidu", "百度", "bce", "qianfan", "千帆", "文心", "wenxin", "ernie", "aip")
#: fixed-length vendor secrets: (label ending, value shape, entity, score, why, context words or None)
VENDOR_VALUES = (
    ("secretaccesskey", r"[A-Za-z0-9/+]{40}", ACCESS_KEY_SECRET, 0.95, "AWS secret access key next to its label",
     None),
    ("accesskeysecret", r"[A-Za-z0-9]{30}", ACCESS_KEY_SECRET, 0.95, "Aliyun AccessKey secret next to its label",
     None),
    ("secretkey", r"[A-Za-z0-9]{32}", ACCESS_KEY_SECRET, 0.9,
     "cloud SecretKey (Tencent Cloud / Baidu format) next to its label", _VENDOR_WORDS),
    ("apikey", r"[A-Za-z0-9]{24}", API_KEY, 0.9, "Baidu API Key format next to its label", _BAIDU_WORDS),
)
_VENDOR_RX = tuple((end, bounded.compile(shape), entity, score, why, ctx)
                   for end, shape, entity, score, why, ctx in VENDOR_VALUES)
#: header words that accompany a secret column in a table (AccessKey ID,AccessKey Secret / 应用 | 密钥)
_TABLE_WORDS = ("id", "app", "name", "user", "account", "project", "service", "key", "应用", "名称", "系统", "账号",
                "项目", "服务", "平台")
#: words that make a value a label, a description or an example rather than a secret
_LABEL_WORDS = ("password", "secret", "token", "apikey", "api_key", "example", "sample", "dummy")
_CJK_LABELS = {"密钥": SECRET, "秘钥": SECRET, "私钥": PRIVATE_KEY, "令牌": API_KEY, "授权码": SECRET}
_WHY = {
    API_KEY: "API key or token value next to its label",
    SECRET: "secret value next to its label",
    ACCESS_KEY_SECRET: "cloud access key secret next to its label",
    ACCESS_KEY_ID: "access key id next to its label",
    PRIVATE_KEY: "private key material next to its label",
}
#: a label stem followed by something that can start a value
_AFTER = (r"(?=[\"'`\]]{0,2}(?:[ \t]*[=:：＝|>]|[ \t]+(?:is|was|value)[ \t]|[ \t]*(?:是|为|已)|[ \t]+[a-z0-9+/_\-]{16}))"
          + NOT_CODE)
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-.~+/=")


def classify(tokens: list[str]) -> tuple[str, bool] | None:
    """(entity, strong) of a label given its tokens, or None if the label is not a secret label."""
    if not tokens:
        return None
    last = tokens[-1]
    prev = tokens[-2] if len(tokens) > 1 else ""
    norm = "".join(tokens)
    if prev in _NOT_SECRET or last in _NOT_SECRET or "public" in tokens or "publishable" in tokens:
        return None
    if "access" in tokens and "secret" in tokens:
        return ACCESS_KEY_SECRET, True
    if last == "sk":
        return ACCESS_KEY_SECRET, len(tokens) > 1
    if last == "secret":
        return SECRET, True
    if last == "token":
        return API_KEY, True
    if last == "auth":
        return (PASSWORD, True) if len(tokens) <= 2 else None
    for end, entity in _COMPOUNDS:
        if norm.endswith(end) and (len(last) >= len(end) or last in ("key", "secret", "token", "id")):
            if entity == ACCESS_KEY_ID:
                return ACCESS_KEY_ID, False
            return entity, True
    if last == "key":
        if prev == "secret" or prev == "private":
            return (SECRET if prev == "secret" else PRIVATE_KEY), True
        if prev in _KEY_QUALIFIERS:
            return (API_KEY if prev in ("api", "app") else SECRET), True
        return API_KEY, False
    if norm.endswith(("secret", "token")) and len(last) > 6:
        return (SECRET if norm.endswith("secret") else API_KEY), True
    return None


def _heads_column(text: str, end: int) -> bool:
    """The label ending at ``end`` is followed (after quotes / asterisks / spaces) by a cell delimiter or
    the end of its line: it may head a table column."""
    i = end
    lim = min(len(text), end + 8)
    while i < lim and text[i] in "\"'*` ":
        i += 1
    return i >= len(text) or text[i] in "|,\t\r\n"


class LabelledSecretRecognizer(CredentialRecognizer):
    ENTITY_CATEGORIES = {SECRET: CATEGORY, API_KEY: CATEGORY, ACCESS_KEY_SECRET: CATEGORY, ACCESS_KEY_ID: CATEGORY,
                         PRIVATE_KEY: CATEGORY, PASSWORD: CATEGORY}
    RULES = (
        Rule("label", r"secret" + _AFTER, ("secret",), fold=True),
        Rule("label", r"token" + _AFTER, ("token",), fold=True),
        Rule("label", r"key" + _AFTER, ("key",), fold=True),
        Rule("label", r"sk(?<![a-z0-9]sk)" + _AFTER, ("sk=", "sk:", "sk\"", "sk'", "sk ", "sk|", "sk\t"), fold=True),
        Rule("label", r"auth(?<![a-z0-9]auth)" + _AFTER, ("auth",), fold=True),
        *(Rule("cjk", w, (w,)) for w in ("密钥", "秘钥", "私钥", "令牌", "授权码")),
        # a header and its token take 30+ characters: thousands of them closer than that are degenerate input
        Rule("bearer", r"(?<![a-z0-9_])bearer[ \t]+", ("bearer",), fold=True, dense=32),
        Rule("authorization", r"authorization[\"'`]?(?:[ \t]*[:=][ \t]*[\"'`]?[ \t]*"
                              r"(?:(?P<scheme>basic|token|apikey)[ \t]+)?|[ \t]+[\"'`]?(?P<scheme2>basic|token)[ \t]+)",
             ("authorization",), fold=True, dense=32),
        Rule("basic_auth", r"(?<![a-z0-9_])basic[ \t]+(?=[a-z0-9+/]{8})", ("basic ",), fold=True, dense=32),
    )

    # -- labels ----------------------------------------------------------------------------------------------

    def _label(self, text: str, m: regex.Match) -> Hit | list[Hit] | None:
        if _heads_column(text, m.end()):
            cls = classify(label_tokens(text[label_start(text, m.start()):m.end()]))
            column = self._column(text, m.start(), m.end(), cls[0]) if cls and cls[1] else []
            if column:
                return column
        a = read_assignment(text, m.start(), m.end(), f"{self.name}.label", min_len=8)
        if a is None or not literal_value(a):
            return None
        tokens = label_tokens(a.label)
        cls = classify(tokens)
        if cls is None:
            return None
        return self._assigned(text, a, *cls, tokens=tokens)

    def _cjk(self, text: str, m: regex.Match) -> Hit | list[Hit] | None:
        entity = _CJK_LABELS[m.group()]
        tokens = label_tokens(text[max(0, m.start() - 24):m.start()].rsplit("\n", 1)[-1])
        if entity == SECRET and ("access" in tokens or "访问" in text[max(0, m.start() - 4):m.start()]):
            entity = ACCESS_KEY_SECRET  # AccessKey 密钥, 访问密钥
        if _heads_column(text, m.end()):
            column = self._column(text, m.start(), m.end(), entity)
            if column:
                return column
        a = read_assignment(text, m.start(), m.end(), f"{self.name}.cjk", cjk_label=True, min_len=8)
        if a is None or not literal_value(a):
            return None
        return self._assigned(text, a, entity, True, authcode=m.group() == "授权码", tokens=tokens)

    @staticmethod
    def _column(text: str, start: int, end: int, entity: str) -> list[Hit]:
        """A secret column of a table (``AccessKey ID,AccessKey Secret`` CSV, ``| 应用 | 密钥 |``)."""
        if entity == PRIVATE_KEY:
            return []
        return [Hit(v.start, v.end, 0.8, "random value in a secret column of a table", entity)
                for v in table_column(text, start, end, _TABLE_WORDS)
                if not documented_example(v.text) and looks_random(v.text, 16)]

    def _assigned(self, text: str, a: Assignment, entity: str, strong: bool, *, authcode: bool = False,
                  tokens: list[str]) -> Hit | None:
        v = a.value
        val = v.text
        if val.startswith("eyJ") and jwt_header(val) is not None:
            return None  # JwtRecognizer's
        if val.startswith("-----"):
            return None  # PrivateKeyRecognizer's
        if entity == PASSWORD:
            return self._basic(v)
        if documented_example(val):
            return Hit(v.start, v.end, 0.4, "documentation example value", entity)
        weak_sep = a.sep in ("ws", "pipe", "glued")
        if weak_sep and not strong:
            return None
        norm = "".join(tokens)
        for end, shape, ent, score, why, ctx in _VENDOR_RX:
            if norm.endswith(end) and bounded.fullmatch(shape, val, f"{self.name}.vendor") is not None \
                    and looks_random(val, min_len=16, min_entropy=3.3):
                if ctx is None or self._near(text, a.label_start, ctx):
                    return Hit(v.start, v.end, score - (0.05 if weak_sep else 0.0), why, ent)
        score, why = self._value_score(val, entity, strong, authcode)
        if score <= 0:
            return None
        if weak_sep:  # a label followed by a value without a separator
            if score < 0.75:
                return None
            score = min(score - 0.05, 0.8)
        return Hit(v.start, v.end, score, why, entity)

    @staticmethod
    def _value_score(val: str, entity: str, strong: bool, authcode: bool) -> tuple[float, str]:
        n = len(val)
        if n > 1024 or any(ch.isspace() for ch in val):
            return 0.0, ""
        if entity == PRIVATE_KEY:
            return (0.85, _WHY[PRIVATE_KEY]) if n >= 40 and looks_random(val, 40, 4.0) else (0.0, "")
        low = val.lower()
        if placeholder(val) or reference(val) or pathlike(val) or any(w in low for w in _LABEL_WORDS):
            return 0.0, ""
        if not strong:
            if n >= 20 and not hex_only(val) and looks_random(val, 20, 3.5):
                return 0.6, "random value under a generic key label"
            return 0.0, ""
        if uuid_like(val):
            return 0.7, "UUID-shaped value next to a secret label"
        if looks_random(val, 16):
            return 0.85, _WHY[entity]
        if authcode and 16 <= n <= 32 and val.isalpha() and entropy(val) >= 3.3:
            return 0.75, "mail client authorization code next to its label"
        if 8 <= n < 16 and any(map(str.isdigit, val)) and any(map(str.isalpha, val)) and not identifier_like(val) \
                and entropy(val) >= 2.5 and all(ch in _TOKEN_CHARS or ch in "!@#$%^&*" for ch in val):
            return 0.45, "short value next to a secret label"
        return 0.0, ""

    @staticmethod
    def _near(text: str, pos: int, words: tuple[str, ...]) -> bool:
        window = text[max(0, pos - 300):pos + 64].lower()
        return any(w in window for w in words)

    # -- HTTP authorization --------------------------------------------------------------------------------------

    def _basic(self, v: Value) -> Hit | None:
        """``Basic dXNlcjpwYXNz`` / docker ``"auth": "…"``: base64 of ``user:password``."""
        raw = decode_b64(v.text)
        if raw is None:
            if looks_random(v.text, 20, 3.5):
                return Hit(v.start, v.end, 0.6, "random value under an auth label", API_KEY)
            return None
        try:
            plain = raw.decode("utf-8")
        except UnicodeDecodeError:
            return None
        user, colon, pw = plain.partition(":")
        if not colon or not user or not pw or not plain.isprintable():
            return None
        score, why = password_strength(pw)
        if score <= 0:
            return None
        if score >= 0.6:
            score, why = 0.85, "HTTP Basic credentials (base64 of user:password)"
        return Hit(v.start, v.end, score, why, PASSWORD)

    def _bearer(self, text: str, m: regex.Match) -> Hit | None:
        v = self._token(text, m.end())
        if v is None or (v.text.startswith("eyJ") and jwt_header(v.text) is not None):
            return None
        core = v.text.rstrip("=")
        if placeholder(core) or not looks_random(core, 16):
            return None
        return Hit(v.start, v.end, 0.85, "bearer token", API_KEY)

    def _basic_auth(self, text: str, m: regex.Match) -> Hit | None:
        if text[max(0, m.start() - 24):m.start()].lower().rstrip(" \t\"'`:=").endswith("authorization"):
            return None  # the authorization rule's
        v = self._token(text, m.end(), min_len=8)
        if v is None:
            return None
        hit = self._basic(v)
        return hit if hit is not None and hit.entity == PASSWORD else None

    def _authorization(self, text: str, m: regex.Match) -> Hit | None:
        scheme = m.group("scheme") or m.group("scheme2")
        after = m.end()
        if scheme is None and text[after:after + 7].lower().startswith("bearer"):
            return None  # the bearer rule's
        v = self._token(text, after)
        if v is None:
            return None
        if scheme == "basic":
            return self._basic(v)
        if v.text.startswith("eyJ") and jwt_header(v.text) is not None:
            return None
        if placeholder(v.text) or not looks_random(v.text.rstrip("="), 16):
            return None
        return Hit(v.start, v.end, 0.85, "token in an Authorization header", API_KEY)

    @staticmethod
    def _token(text: str, pos: int, min_len: int = 16) -> Value | None:
        if pos < len(text) and text[pos] in "$<{%":
            return None  # $TOKEN, <token>, {{token}}
        end = pos
        lim = min(len(text), pos + 4097)
        while end < lim and text[end] in _TOKEN_CHARS:
            end += 1
        if end >= lim and end < len(text):
            return None
        while end > pos and text[end - 1] == ".":
            end -= 1
        if end - pos < min_len:
            return None
        return Value(pos, end, text[pos:end], False)
