"""Provider-format API keys and cloud access keys: a data table of formats with a distinctive prefix
(OpenAI ``sk-proj-…``, Anthropic ``sk-ant-api03-…``, DeepSeek / DashScope / Moonshot ``sk-…``, GitHub
``ghp_…``, AWS ``AKIA…``, Aliyun ``LTAI…``, Tencent Cloud ``AKID…``, Volcengine ``AKLT…``, Baidu Qianfan
``bce-v3/ALTAK-…``, Slack ``xox?-…``, Google ``AIza…``, Stripe ``sk_live_…``, chat-bot webhooks …).

The prefix finds a candidate; the body must look machine-generated (length, character classes, entropy,
no long runs, no placeholder words): ``sk-xxxxxxxx``, ``sk-your-api-key-here`` and ``sk-...`` are not
keys. Values the vendors publish as documentation examples (``AKIAIOSFODNN7EXAMPLE``) score 0.4.

A cloud access key id is the public half of a pair; a random token of the vendor's secret shape shortly
after it (``LTAI… qsR6…``, a CSV row ``AKIA…,wJal…``) is reported as the secret (ACCESS_KEY_SECRET) even
without a label. Labelled secrets (``AccessKeySecret=…``) are LabelledSecretRecognizer's.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import regex

from proxy.detection import bounded
from proxy.detection.recognizers.credential_base import (
    ACCESS_KEY_ID, ACCESS_KEY_SECRET, API_KEY, CATEGORY, CredentialRecognizer, Hit, Rule, search_in)
from proxy.detection.recognizers.credential_values import (
    documented_example, entropy, has_run, hex_only, looks_random, placeholder)


@dataclass(frozen=True, slots=True)
class KeyFormat:
    name: str
    pattern: str  # literal-first; group ``body`` is the random part
    trigger: str | tuple[str, ...]
    why: str
    score: float = 0.95
    entity: str = API_KEY
    max_body: int = 400
    check: str = "random"  # random | upper (base32 upper case) | hex | any
    #: secret shape that may follow this access key id without a label (pairing), as a regex
    pair: str | None = None
    #: report only the ``body`` group (a webhook URL's token), not the whole match
    body_only: bool = False


_B = r"(?<![A-Za-z0-9_\-])"  # left boundary of a token
_E = r"(?![A-Za-z0-9_\-])"  # right boundary

FORMATS: tuple[KeyFormat, ...] = (
    KeyFormat("anthropic", _B + r"sk-ant-(?:api|admin|sid|oat)\d{2}-(?P<body>[A-Za-z0-9_\-]{20,}+)",
              "sk-ant-", "Anthropic API key format"),
    KeyFormat("openai_scoped", _B + r"sk-(?:proj|svcacct|admin|None)-(?P<body>[A-Za-z0-9_\-]{20,}+)",
              ("sk-proj-", "sk-svcacct-", "sk-admin-", "sk-None-"), "OpenAI project / service-account key format"),
    KeyFormat("sk", _B + r"sk-(?!ant-|proj-|svcacct-|admin-|None-)(?P<body>[A-Za-z0-9_\-]{20,}+)",
              "sk-", "sk- API key format (OpenAI, DeepSeek, DashScope, Moonshot and other compatible providers)",
              score=0.9),
    KeyFormat("aliyun_id", _B + r"LTAI(?P<body>[A-Za-z0-9]{12,20}+)" + _E, "LTAI", "Aliyun AccessKey ID format",
              score=0.9, entity=ACCESS_KEY_ID, pair=r"[A-Za-z0-9]{30}"),
    KeyFormat("aliyun_sts", _B + r"STS\.(?P<body>[A-Za-z0-9]{20,}+)" + _E, "STS.", "Aliyun STS AccessKey ID format",
              score=0.85, entity=ACCESS_KEY_ID, max_body=64, pair=r"[A-Za-z0-9]{30,50}"),
    KeyFormat("tencent_id", _B + r"AKID(?P<body>[A-Za-z0-9]{32,36}+)" + _E, "AKID", "Tencent Cloud SecretId format",
              score=0.9, entity=ACCESS_KEY_ID, pair=r"[A-Za-z0-9]{32}"),
    KeyFormat("aws_id", _B + r"AKIA(?P<body>[A-Z0-9]{16})" + _E, "AKIA",
              "AWS access key id format", score=0.9, entity=ACCESS_KEY_ID, check="upper",
              pair=r"[A-Za-z0-9/+]{40}"),
    KeyFormat("aws_sts_id", _B + r"ASIA(?P<body>[A-Z0-9]{16})" + _E, "ASIA",
              "AWS temporary access key id format", score=0.9, entity=ACCESS_KEY_ID, check="upper",
              pair=r"[A-Za-z0-9/+]{40}"),
    KeyFormat("volc_id", _B + r"AKLT(?P<body>[A-Za-z0-9_\-]{20,}+)" + _E, "AKLT",
              "Volcengine access key id format", score=0.9, entity=ACCESS_KEY_ID, max_body=80,
              pair=r"[A-Za-z0-9/+=]{40,64}"),
    KeyFormat("baidu_qianfan", _B + r"(?:bce-v3/)?ALTAK-(?P<body>[A-Za-z0-9]{16,}+(?:/[A-Za-z0-9]{16,}+)?)" + _E,
              "ALTAK-", "Baidu AI Cloud (Qianfan) key format", score=0.9),
    KeyFormat("github", r"(?<![A-Za-z0-9_])gh[pousr]_(?P<body>[A-Za-z0-9]{30,}+)" + _E,
              ("ghp_", "gho_", "ghu_", "ghs_", "ghr_"), "GitHub token format", max_body=80),
    KeyFormat("github_pat", r"github_pat_(?P<body>[A-Za-z0-9_]{40,}+)" + _E, "github_pat_",
              "GitHub fine-grained token format"),
    KeyFormat("gitlab", _B + r"gl(?:pat|rt|dt|ptt|cbt|ft|soat|oas)-(?P<body>[A-Za-z0-9_\-]{20,}+)" + _E,
              ("glpat-", "glrt-", "gldt-", "glptt-", "glcbt-", "glft-", "glsoat-", "gloas-"), "GitLab token format"),
    KeyFormat("slack", _B + r"xox[abposr]-(?P<body>[A-Za-z0-9\-]{10,}+)" + _E, "xox", "Slack token format",
              score=0.9, check="digits"),
    KeyFormat("slack_webhook", r"hooks\.slack\.com/services/(?P<body>T[A-Za-z0-9]{6,}+/B[A-Za-z0-9]{6,}+/"
              r"[A-Za-z0-9]{16,}+)", "hooks.slack.com", "Slack webhook URL with its token", score=0.9,
              body_only=True),
    KeyFormat("wecom_webhook", r"qyapi\.weixin\.qq\.com/cgi-bin/webhook/send\?key=(?P<body>[A-Za-z0-9\-]{20,}+)",
              "qyapi.weixin.qq.com", "WeCom bot webhook with its key", score=0.85, check="any", body_only=True),
    KeyFormat("dingtalk_webhook", r"oapi\.dingtalk\.com/robot/send\?access_token=(?P<body>[A-Za-z0-9]{32,}+)",
              "oapi.dingtalk.com", "DingTalk bot webhook with its access token", score=0.85, check="any",
              body_only=True),
    KeyFormat("feishu_webhook", r"open\.(?:feishu\.cn|larksuite\.com)/open-apis/bot/v2/hook/"
              r"(?P<body>[A-Za-z0-9\-]{20,}+)", ("open.feishu.cn", "open.larksuite.com"),
              "Feishu / Lark bot webhook with its token", score=0.85, check="any", body_only=True),
    KeyFormat("google", r"AIza(?P<body>[A-Za-z0-9_\-]{35})" + _E, "AIza", "Google API key format", score=0.9),
    KeyFormat("google_oauth", r"GOCSPX-(?P<body>[A-Za-z0-9_\-]{24,}+)" + _E, "GOCSPX-",
              "Google OAuth client secret format"),
    KeyFormat("stripe_live", _B + r"(?:sk|rk)_live_(?P<body>[A-Za-z0-9]{20,}+)" + _E, "_live_",
              "Stripe live secret key format"),
    KeyFormat("stripe_test", _B + r"(?:sk|rk)_test_(?P<body>[A-Za-z0-9]{20,}+)" + _E, "_test_",
              "Stripe test-mode secret key format", score=0.6),
    KeyFormat("stripe_webhook", r"(?<![A-Za-z0-9_])whsec_(?P<body>[A-Za-z0-9]{24,}+)" + _E, "whsec_",
              "webhook signing secret format (Stripe / Svix)", score=0.9),
    KeyFormat("huggingface", r"(?<![A-Za-z0-9_])hf_(?P<body>[A-Za-z0-9]{30,}+)" + _E, "hf_",
              "Hugging Face token format", score=0.9, max_body=60),
    KeyFormat("npm", r"(?<![A-Za-z0-9_])npm_(?P<body>[A-Za-z0-9]{36})" + _E, "npm_", "npm token format",
              score=0.9),
    KeyFormat("pypi", r"pypi-AgEIcHlwaS5vcmc(?P<body>[A-Za-z0-9_\-]{40,}+)", "pypi-AgEI", "PyPI token format"),
    KeyFormat("sendgrid", r"SG\.(?P<body>[A-Za-z0-9_\-]{22}\.[A-Za-z0-9_\-]{43})" + _E, "SG.",
              "SendGrid API key format"),
    KeyFormat("groq", r"(?<![A-Za-z0-9_])gsk_(?P<body>[A-Za-z0-9]{40,}+)" + _E, "gsk_", "Groq API key format",
              score=0.9),
    KeyFormat("xai", _B + r"xai-(?P<body>[A-Za-z0-9]{60,}+)" + _E, "xai-", "xAI API key format", score=0.9),
    KeyFormat("replicate", r"(?<![A-Za-z0-9_])r8_(?P<body>[A-Za-z0-9]{30,}+)" + _E, "r8_",
              "Replicate API token format", score=0.9),
    KeyFormat("perplexity", _B + r"pplx-(?P<body>[A-Za-z0-9]{40,}+)" + _E, "pplx-", "Perplexity API key format",
              score=0.9),
    KeyFormat("telegram", r":AA(?<=(?<![0-9])[0-9]{8,10}:AA)(?P<body>[A-Za-z0-9_\-]{33})" + _E, ":AA",
              "Telegram bot token format", score=0.9),
    KeyFormat("shopify", r"(?<![A-Za-z0-9_])shp(?:at|ss|ca|pa)_(?P<body>[a-fA-F0-9]{32})" + _E, "shp",
              "Shopify access token format", score=0.9, check="hex"),
    KeyFormat("databricks", r"(?<![A-Za-z0-9_])dapi(?P<body>[a-f0-9]{32})(?:-\d)?" + _E, "dapi",
              "Databricks token format", score=0.85, check="hex"),
    KeyFormat("azure_storage", r"AccountKey=(?P<body>[A-Za-z0-9+/]{80,}+={0,2})", "AccountKey=",
              "Azure storage account key", entity=ACCESS_KEY_SECRET),
)

#: how far after an access key id a secret of the pair is looked for
PAIR_WINDOW = 200
_PAIR_TOKEN = bounded.compile(r"(?<![A-Za-z0-9/+_\-])[A-Za-z0-9/+=]{30,64}+(?![A-Za-z0-9/+=_\-])")


class ProviderKeyRecognizer(CredentialRecognizer):
    ENTITY_CATEGORIES = {API_KEY: CATEGORY, ACCESS_KEY_ID: CATEGORY, ACCESS_KEY_SECRET: CATEGORY}
    RULES = tuple(Rule(f.name, f.pattern, (f.trigger,) if isinstance(f.trigger, str) else f.trigger)
                  for f in FORMATS)
    _FORMATS = {f.name: f for f in FORMATS}
    DENSE_SPACING = 32  # keys are 20+ characters: thousands of them closer than this are not a real paste
    _PAIRS = {f.name: bounded.compile(f.pair) for f in FORMATS if f.pair}

    def judge(self, text: str, m: regex.Match, rule: Rule) -> Iterable[Hit] | Hit | None:
        f = self._FORMATS[rule.name]
        body = m.group("body")
        if len(body) > f.max_body:
            return None
        whole = m.group()
        if documented_example(whole) or documented_example(body):
            return Hit(m.start(), m.end(), 0.4, "provider key format, vendor documentation example", f.entity)
        if not self._body_ok(body, f.check):
            return None
        start, end = m.span("body") if f.body_only else m.span()
        hit = Hit(start, end, f.score, f.why, f.entity)
        if f.pair is None:
            return hit
        return [hit, *self._pair(text, m, f)]

    @staticmethod
    def _body_ok(body: str, check: str) -> bool:
        if placeholder(body):
            return False
        if check == "any":
            return not has_run(body, 8)
        if check == "upper":
            return not has_run(body, 6) and entropy(body) >= 3.0
        if check == "hex":
            return hex_only(body) and not has_run(body, 6) and entropy(body) >= 3.0
        if check == "digits":
            return any(map(str.isdigit, body)) and not has_run(body, 8) and entropy(body) >= 3.0
        core = body.replace("-", "").replace("_", "")
        return looks_random(core, min_len=min(16, len(core)), min_entropy=3.0)

    def _pair(self, text: str, m: regex.Match, f: KeyFormat) -> list[Hit]:
        """A random token of the vendor's secret shape within a few lines after the key id."""
        end = min(len(text), m.end() + PAIR_WINDOW)
        nl = m.end()
        for _ in range(4):  # at most three lines on
            nl = text.find("\n", nl, end)
            if nl < 0:
                break
            nl += 1
        else:
            end = nl - 1
        shape = self._PAIRS[f.name]
        pos = m.end()
        where = f"{self.name}.{f.name}.pair"
        while pos < end:
            t = search_in(_PAIR_TOKEN, text, pos, end, where)
            if t is None:
                break
            pos = t.end()
            tok = t.group()
            if bounded.fullmatch(shape, tok, where) is None or documented_example(tok):
                continue
            if not looks_random(tok, min_len=30, min_entropy=3.5):
                continue
            return [Hit(t.start(), t.end(), 0.85, "random value next to a cloud access key id", ACCESS_KEY_SECRET)]
        return []
