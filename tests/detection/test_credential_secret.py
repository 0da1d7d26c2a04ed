"""LabelledSecretRecognizer: random-looking values under API-key / token / secret / 密钥 labels and in
Authorization headers; names, references, placeholders, phrases and hashes are not reported.
Every value below is a random string made for the tests."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.credential_secret import LabelledSecretRecognizer, classify

from ._support import check_table_row

REC = LabelledSecretRecognizer()
K, S, AKS, PW = "API_KEY", "SECRET", "ACCESS_KEY_SECRET", "PASSWORD"

POSITIVES = [
    # cloud secrets next to their labels (fixed vendor lengths)
    ("ALIBABA_CLOUD_ACCESS_KEY_SECRET=OpNurSfKalkVjrYkgs2cuaEVS869iI", AKS, "OpNurSfKalkVjrYkgs2cuaEVS869iI"),
    ("阿里云 AccessKey Secret：OpNurSfKalkVjrYkgs2cuaEVS869iI", AKS, "OpNurSfKalkVjrYkgs2cuaEVS869iI"),
    ('client = AcsClient("LTAIBw87WzCnnjqS5OF1ksrK", accessKeySecret="OpNurSfKalkVjrYkgs2cuaEVS869iI")', AKS,
     "OpNurSfKalkVjrYkgs2cuaEVS869iI"),
    ("TENCENTCLOUD_SECRET_KEY=sT6n0tp8sGwwcSDppHFNiz4uYOstY54v", AKS, "sT6n0tp8sGwwcSDppHFNiz4uYOstY54v"),
    ("腾讯云 SecretId: AKID8agayiw7JWXsPFX17Tl9CUDR7teepFS0\nSecretKey: sT6n0tp8sGwwcSDppHFNiz4uYOstY54v", AKS,
     "sT6n0tp8sGwwcSDppHFNiz4uYOstY54v"),
    ('# 百度语音\nAPI_KEY = "IGgSvyxR30VaWLwUYDiMbGpW"\nSECRET_KEY = "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"', K,
     "IGgSvyxR30VaWLwUYDiMbGpW"),
    ('# 百度语音\nAPI_KEY = "IGgSvyxR30VaWLwUYDiMbGpW"\nSECRET_KEY = "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"', AKS,
     "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("aws_secret_access_key = Ykz/PpQKPuB3Ly1leAs87YZK22w0v8/N6W8cSS6o", AKS,
     "Ykz/PpQKPuB3Ly1leAs87YZK22w0v8/N6W8cSS6o"),
    ("七牛云 SK: WyFnUpZ4KramB3ISRZnhmr6LECeeCf3AKHOQbeln", AKS, "WyFnUpZ4KramB3ISRZnhmr6LECeeCf3AKHOQbeln"),
    # app secrets, signing keys, tokens
    ("AppID：wx8a7b6c5d4e3f2a1b，AppSecret：3f9a7c2e81d64b5f9e0a1c7d2b8e4f60", S, "3f9a7c2e81d64b5f9e0a1c7d2b8e4f60"),
    ('"client_secret": "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"', S, "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("JWT_SECRET=9fK2xLm7Qp3Rt8Vb1Nz6Wc4Yd0Hg5Js", S, "9fK2xLm7Qp3Rt8Vb1Nz6Wc4Yd0Hg5Js"),
    ("SECRET_KEY = 'django-insecure-8f!x2^k9@q#m3$zl7w&v0p(r)t+y=u4n5b6c'", S, "django-insecure-8f!x2^k9@q#m3"),
    ("app.config['SECRET_KEY'] = 'WyFnUpZ4KramB3ISRZnhmr6LECeeCf3A'", S, "WyFnUpZ4KramB3ISRZnhmr6LECeeCf3A"),
    ("encryption_key: 6e49883bed485b4f1a3c2083ebf5aba6efcb3de68fa27528b691487aeac9aabd", S,
     "6e49883bed485b4f1a3c2083ebf5aba6efcb3de68fa27528b691487aeac9aabd"),
    ("ARK_API_KEY=3f9a7c2e-81d6-4b5f-9e0a-1c7d2b8e4f60", K, "3f9a7c2e-81d6-4b5f-9e0a-1c7d2b8e4f60"),
    ("AZURE_OPENAI_API_KEY=3f9a7c2e81d64b5f9e0a1c7d2b8e4f60", K, "3f9a7c2e81d64b5f9e0a1c7d2b8e4f60"),
    ("headers = {'X-API-Key': 'IGgSvyxR30VaWLwUYDiMbGpW'}", K, "IGgSvyxR30VaWLwUYDiMbGpW"),
    ("https://api.example.cn/v1/data?api_key=IGgSvyxR30VaWLwUYDiMbGpW&page=2", K, "IGgSvyxR30VaWLwUYDiMbGpW"),
    ("<apiKey>fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm</apiKey>", K, "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("TELEGRAM_BOT_TOKEN: fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm", K, "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("the client secret is WyFnUpZ4KramB3ISRZnhmr6LECeeCf3A", S, "WyFnUpZ4KramB3ISRZnhmr6LECeeCf3A"),
    # Chinese labels
    ("接口密钥：fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm", S, "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("访问令牌是 IGgSvyxR30VaWLwUYDiMbGpW", K, "IGgSvyxR30VaWLwUYDiMbGpW"),
    ("QQ邮箱SMTP授权码：xkdjfhgqpwoeirut", S, "xkdjfhgqpwoeirut"),
    ("| 应用 | 密钥 |\n|---|---|\n| 统一身份认证 | fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm |", S,
     "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    # Authorization headers
    ("Authorization: Bearer 7f3a9c2e81d64b5f9e0a1c7d2b8e4f60a1b2", K, "7f3a9c2e81d64b5f9e0a1c7d2b8e4f60a1b2"),
    ("curl -H 'Authorization: token WyFnUpZ4KramB3ISRZnhmr6LECeeCf3AKHOQbeln' https://git.example.cn/api", K,
     "WyFnUpZ4KramB3ISRZnhmr6LECeeCf3AKHOQbeln"),
    ('curl -H "Authorization: Basic YWRtaW46UzNjcjN0IXgy" https://api.example.cn', PW, "YWRtaW46UzNjcjN0IXgy"),
    ('{"auths": {"registry.example.cn": {"auth": "Y2k6RGs5I2ZmTG0ycQ=="}}}', PW, "Y2k6RGs5I2ZmTG0ycQ=="),
    ('location /api/ {\n    proxy_set_header Authorization "Basic b3BzOk5naW54QDIwMjQh";\n}', PW,
     "b3BzOk5naW54QDIwMjQh"),
    ("邮件服务器 smtp.qq.com 端口 465 账号 12345678@qq.com 授权码 ojvpxkdnbqwemzra", S, "ojvpxkdnbqwemzra"),
    ("企业微信 corpsecret=Xq7bLm2PvR9tWz4kNc8YdF6gJs1QeAbCdEfGhIjKlMn", S, "Xq7bLm2PvR9tWz4kNc8YdF6gJs1QeAbCdEfGhIjKlMn"),
    ("minio:\n  endpoint: http://10.0.0.12:9000\n  accessKey: lzsf-admin\n"
     "  secretKey: WyFnUpZ4KramB3ISRZnhmr6LECeeCf3A",
     AKS, "WyFnUpZ4KramB3ISRZnhmr6LECeeCf3A"),
    ("Jenkins 凭据：用户名 deploy，API Token 11a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7", K, "11a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7"),
    ("智谱 API：Authorization: Bearer 3f9a7c2e81d64b5f9e0a1c7d2b8e4f60.Xq7bLm2PvR9tWz4k", K,
     "3f9a7c2e81d64b5f9e0a1c7d2b8e4f60.Xq7bLm2PvR9tWz4k"),
]

NEGATIVES = [
    'client_secret = os.environ["CLIENT_SECRET"]',
    'client_secret = os.environ.get("OA_CLIENT_SECRET")  # 从环境变量读取，切勿硬编码',
    "const secretKey = process.env.JWT_SECRET;",
    "api_key = os.getenv('OPENAI_API_KEY')",
    "SECRET_KEY = get_random_secret_key()",
    "token = response.json()['access_token']",
    "apiKey: ''",
    "api_key: <YOUR_KEY>",
    "api_key = 'YOUR_API_KEY'",
    "OPENAI_API_KEY=your-api-key-here",
    "SECRET_KEY=REPLACE_ME",
    "SECRET_KEY = 'change-this-in-production'",
    "app.secret_key = 'dev'",
    "token: xxxxxxxxxxxxxxxxxxxx",
    'secret: "{{ .Values.secret }}"',
    "GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
    "key: app.kubernetes.io/name",
    "for key, value in settings.items():",
    "cache[key] = value",
    "kind: Secret\nmetadata:\n  name: oa-db-secret\ntype: Opaque",
    "valueFrom:\n  secretKeyRef:\n    name: db\n    key: password",
    'primary_key = "user_id"',
    'public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHq7bLm2PvR9tWz4kNc8YdF6gJs1QeAbCdEfGhIj"',
    'csrf_token = "a8f5f167f44f4964e6c998dee827110c"',
    'cache_key = "d41d8cd98f00b204e9800998ecf8427e"',
    'key = "d41d8cd98f00b204e9800998ecf8427e"',
    "tokens = ['hello', 'world']\nmax_tokens = 1024",
    "next_page_token: CAUQAA",
    "token = tokenizer.encode(text)",
    "The API key is stored in the keychain.",
    "Set the `SECRET_KEY` environment variable to a long random string.",
    "Bearer token authentication is described in RFC 6750.",
    "Authorization: Bearer $TOKEN",
    "Authorization: Bearer <token>",
    "-H 'Authorization: Bearer ${ACCESS_TOKEN}'",
    "The Authorization header must contain a Basic credential.",
    "密钥管理应当遵循国家密码管理局的有关规定。",
    "密钥：请联系管理员获取",
    "授权码：请在邮箱设置中开启",
    "每个 token 的价格是多少？上下文长度 128k token 够用吗",
    "令牌桶算法（token bucket）用于限流",
    "commit 3f9a7c2e81d64b5f9e0a1c7d2b8e4f60a1b2c3d4",
    "sha256: 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "task: build\ndisk: /dev/sda1\nask: why",
    "monkey = 'George'",
    "private_key: ./certs/server.key",
    "ssh_key_path: ~/.ssh/id_ed25519",
    "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "basic information about the course",
    "Use HTTP Basic authentication (RFC 7617) for the legacy endpoint.",
    "i18n = {'secretKey': '密钥', 'apiKey': 'API 密钥'}",
    '<meta name="csrf-token" content="a8f5f167f44f4964e6c998dee827110c">',
    '<assemblyIdentity name="Microsoft.VC90.CRT" publicKeyToken="1fc8b3b9a1e18e3b"></assemblyIdentity>',
    "[`EVP_BytesToKey`]: https://www.openssl.org/docs/man3.0/man3/EVP_BytesToKey.html",
    '"proxy.detection.recognizers.cn_work_secret:CnWorkSecretRecognizer",',
    "def resolve(api_key: _AzureApiKeyT | None, token: str | None): ...",
    "token = b64encode(userpass).decode()",
    "the ``\"$user\"`` token is **removed** from the search path",
    "HTTP/1.1 200 OK\n\n{\"access_token\":\"2YotnFZFEjr1zCsicMWpAA\",\"token_type\":\"example\"}",
]


@pytest.mark.parametrize("text,entity,span", POSITIVES)
def test_secret_found(text: str, entity: str, span: str) -> None:
    check_table_row(REC, text, entity, span)


@pytest.mark.parametrize("text", NEGATIVES)
def test_no_secret_reported(text: str) -> None:
    check_table_row(REC, text, None, None)


@pytest.mark.parametrize("label,expected", [
    (["alibaba", "cloud", "access", "key", "secret"], ("ACCESS_KEY_SECRET", True)),
    (["client", "secret"], ("SECRET", True)),
    (["openai", "api", "key"], ("API_KEY", True)),
    (["jwt", "signing", "key"], ("SECRET", True)),
    (["apikey"], ("API_KEY", True)),
    (["gh", "token"], ("API_KEY", True)),
    (["key"], ("API_KEY", False)),
    (["public", "key"], None),
    (["csrf", "token"], None),
    (["monkey"], None),
])
def test_label_classification(label: list[str], expected: tuple[str, bool] | None) -> None:
    assert classify(label) == expected


def test_vendor_secret_scores_high() -> None:
    [r] = REC.analyze("ALIBABA_CLOUD_ACCESS_KEY_SECRET=OpNurSfKalkVjrYkgs2cuaEVS869iI")
    assert r.score >= 0.9 and "OpNur" not in r.recognition_metadata["why"]
