"""The credential recognizers inside the DetectionEngine: the development corpus, a held-out set of our own
prompts (other providers, languages, code styles, wrappers and evasions), offsets into the original text,
reasons that never carry the secret, and 1 MB adversarial inputs (return or fail closed).

Per-category numbers are printed even without ``-s``. Every secret below is a random string made for the
tests.
"""
from __future__ import annotations

import json
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from proxy.detection.engine import DetectionEngine
from proxy.detection.errors import InspectionError
from proxy.detection.recognizers import default_recognizers
from proxy.detection.recognizers.credential_connection_string import ConnectionStringRecognizer
from proxy.detection.recognizers.credential_jwt import JwtRecognizer
from proxy.detection.recognizers.credential_password import PasswordRecognizer
from proxy.detection.recognizers.credential_private_key import PrivateKeyRecognizer
from proxy.detection.recognizers.credential_provider_keys import ProviderKeyRecognizer
from proxy.detection.recognizers.credential_secret import LabelledSecretRecognizer
from proxy.flow import Finding
from proxy.text.normalize import Normalized

CORPUS = Path(__file__).resolve().parents[2].parent / "shared/corpus/dev.jsonl"
THRESHOLD = 0.5
CREDENTIAL = "credential"
MUST_FIND = ("credential", "english_credential")
MUST_PASS = ("code_benign", "benign_writing", "english_benign", "about_secrecy", "public_doc", "pii", "english_pii")


def credential_recognizers() -> list:
    return [ProviderKeyRecognizer(), JwtRecognizer(), PrivateKeyRecognizer(), ConnectionStringRecognizer(),
            PasswordRecognizer(), LabelledSecretRecognizer()]


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(recognizers=default_recognizers() + credential_recognizers())


def credential_findings(engine: DetectionEngine, text: str) -> list[Finding]:
    return [f for f in engine.analyze(text) if f.category == CREDENTIAL and f.score >= THRESHOLD]


# ----------------------------------------------------------------------------------------------------------
# development corpus


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    if not CORPUS.exists():
        pytest.fail(f"development corpus not found at {CORPUS} (it ships in ../shared/corpus beside the repo)")
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def hits(engine: DetectionEngine, rows: list[dict]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        if credential_findings(engine, row["text"]):
            out[row["category"]].append(row["id"])
    return out


def test_print_corpus_numbers(rows: list[dict], hits: dict[str, list[str]], capsys) -> None:
    lines = ["", f"credential findings (score >= {THRESHOLD}) per corpus category"]
    for cat in sorted({r["category"] for r in rows}):
        n = sum(1 for r in rows if r["category"] == cat)
        mark = " (must find)" if cat in MUST_FIND else " (must pass)" if cat in MUST_PASS else ""
        lines.append(f"  {cat:24s} {len(hits.get(cat, [])):3d}/{n:<3d}{mark}")
    with capsys.disabled():
        print("\n".join(lines))


@pytest.mark.parametrize("category", MUST_FIND)
def test_corpus_credentials_found(rows: list[dict], hits: dict[str, list[str]], category: str) -> None:
    ids = {r["id"] for r in rows if r["category"] == category}
    missed = sorted(ids - set(hits.get(category, [])))
    assert not missed, f"credential not found in {missed}"


@pytest.mark.parametrize("category", MUST_PASS)
def test_corpus_allow_items_have_no_credential(hits: dict[str, list[str]], category: str) -> None:
    assert not hits.get(category), f"credential reported in {hits.get(category)}"


# ----------------------------------------------------------------------------------------------------------
# held-out prompts of our own: (text, the secret that must be covered)

OWN_POSITIVES = [
    ("帮我把这段 Python 改成异步的：\nimport openai\nclient = openai.OpenAI(api_key='sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeB"
     "kbFsDdy8XuYHBr1CS1tz')\nresp = client.chat.completions.create(model='gpt-4o', messages=msgs)",
     "sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz"),
    ("这个报错怎么解决？\nanthropic.AuthenticationError: invalid x-api-key\n我的 key：sk-ant-api03-nouYWrpLIrlrnTiXkEOyfRt6XUAX"
     "THTXotkHJOZAqytwfwnw4lVJFKrXrX5iF9njv22jDVHymRrHhBQqjxRHMRKcDOojCAA", "sk-ant-api03-nouYWrpLIrl"),
    ("Translate the comments into English:\n# 通义千问\nDASHSCOPE_API_KEY = \"sk-c7a79d248258a3eba8fe73919f3f73cc\"",
     "sk-c7a79d248258a3eba8fe73919f3f73cc"),
    ("OSS 上传一直 403，配置如下，帮忙看看：\nendpoint: oss-cn-hangzhou.aliyuncs.com\naccessKeyId: LTAITd4IGnNSm7nvEclN\n"
     "accessKeySecret: OpNurSfKalkVjrYkgs2cuaEVS869iI\nbucket: lz-archive", "OpNurSfKalkVjrYkgs2cuaEVS869iI"),
    ("const tencentcloud = require('tencentcloud-sdk-nodejs');\nconst client = new OcrClient({ credential: {\n"
     "  secretId: 'AKID8agayiw7JWXsPFX17Tl9CUDR7teepFS0',\n  secretKey: 'sT6n0tp8sGwwcSDppHFNiz4uYOstY54v' } });",
     "sT6n0tp8sGwwcSDppHFNiz4uYOstY54v"),
    ("百度 OCR 的 API Key 是 IGgSvyxR30VaWLwUYDiMbGpW，Secret Key 是 fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm，写个调用示例",
     "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("~/.aws/credentials\n[prod]\naws_access_key_id=AKIAUUGQQ7LXWQ5G6A5Q\naws_secret_access_key=Ykz/PpQKPuB3Ly1leAs87YZ"
     "K22w0v8/N6W8cSS6o\nregion=cn-north-1", "Ykz/PpQKPuB3Ly1leAs87YZK22w0v8/N6W8cSS6o"),
    ("- name: Push\n  run: git push https://oauth2:glpat-53Vg2Lo696uvKF5ATYOw@gitlab.example.cn/oa/site.git",
     "glpat-53Vg2Lo696uvKF5ATYOw"),
    ("jobs:\n  build:\n    env:\n      NPM_TOKEN: npm_J8wofb9yXXfavIncQCHjhMQwq8trJ15vL3Na",
     "npm_J8wofb9yXXfavIncQCHjhMQwq8trJ15vL3Na"),
    ("请润色这封邮件：各位老师，教务系统测试账号 test01，密码 Jw#2024test，请于周五前完成测试。",
     "Jw#2024test"),
    ("把下面的配置转成 YAML：\n[database]\nhost=10.20.1.8\nuser=hr_app\npasswd=Hr@pp2024!\n", "Hr@pp2024!"),
    ("Summarise this incident note: the shared admin password for the NAS is Nas!Qh2024 and it was posted in "
     "the group.",
     "Nas!Qh2024"),
    ("会议纪要：机房 KVM 管理口令改为 Kvm#7781qh，请值班人员知悉。", "Kvm#7781qh"),
    ("sqlalchemy.url = postgresql+psycopg2://etl:Et1!load2024@10.3.2.1:5432/dw", "Et1!load2024"),
    ("<connectionStrings>\n  <add name=\"hr\" connectionString=\"Data Source=db;Initial Catalog=HR;User ID=sa;"
     "Password=Hr$ql2024!\" />\n</connectionStrings>", "Hr$ql2024!"),
    ("帮我看看这个 token 过期没：eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL3Nzby5leGFtc"
     "GxlLmNuIiwic3ViIjoiMjAxOTAzNDUiLCJleHAiOjE3NjcyMjU2MDAsInJvbGVzIjpbImFkbWluIl19.Jm3kQ9vX2bLz7pR4tW8nC1yF6h"
     "D0sG5aE_"
     "u-oK3iM9qV7xZ2cB4nL8wT1rY6eH0j", "eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCIsImtpZCI6ImsxIn0"),
    ("ssh 连不上服务器，私钥如下：\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAA"
     "BAAAAMwAAAAtz\nc2gtZWQyNTUxOQAAACBB8pHeEIxsZr0WHLO77n8WfT5XRQ4Gjp4MlY0e5/85pzXA\n",
     "-----BEGIN OPENSSH PRIVATE KEY-----"),
    ("钉钉告警推送不出去：\nwebhook = 'https://oapi.dingtalk.com/robot/send?access_token=6e49883bed485b4f1a3c2083ebf5aba6"
     "efcb3de68fa27528b691487aeac9aabd'", "6e49883bed485b4f1a3c2083ebf5aba6efcb3de68fa27528b691487aeac9aabd"),
    ("微信小程序登录：appid=wx8a7b6c5d4e3f2a1b&secret=3f9a7c2e81d64b5f9e0a1c7d2b8e4f60&js_code=CODE",
     "3f9a7c2e81d64b5f9e0a1c7d2b8e4f60"),
    ("Please fix this Go code:\ndb, err := sql.Open(\"mysql\", \"svc:G0Dsn#pass@tcp(10.0.0.7:3306)/oa\")",
     "G0Dsn#pass"),
    ("| 服务 | 地址 | 账号 | 口令 |\n|---|---|---|---|\n| 堡垒机 | 10.1.1.1 | ops | Bl#2024ops |", "Bl#2024ops"),
    ("curl https://api.example.cn/v2/report -H 'X-Api-Key: fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm' -d @body.json",
     "fg7Szd2t51UzAjAh1fVvUz5tWleGDlpm"),
    ("import requests\nr = requests.get(url, auth=('admin', 'Rq#admin2024'), timeout=5)", "Rq#admin2024"),
    # evasions: full-width characters and zero-width spaces (normalized before detection)
    ("数据库密码：Ｑｈ＠２０２４！ｄｂ＃Ｐｒｏｄ７", "Ｑｈ＠２０２４！ｄｂ＃Ｐｒｏｄ７"),
    ("OPENAI_API_KEY＝sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz", "sk-proj-pLWZCd7bTm19IVp53dwoYzg9"),
    ("密\u200b码：Zw\u200b#2024\u200bmail", "Zw\u200b#2024\u200bmail"),
    ("GitHub 令牌 ghp_IsnoG01csMpRArco04XVqwXbIZV6opkQVmrd 请帮我检查权限", "ghp_IsnoG01csMpRArco04XVqwXbIZV6opkQVmrd"),
    ("stripe.api_key = \"sk_live_k5GAm9KymyQGWCFEZfLJX5iNrZgI7JqDyYFFsbtc\"",
     "sk_live_k5GAm9KymyQGWCFEZfLJX5iNrZgI7JqDyYFFsbtc"),
]

OWN_NEGATIVES = [
    "帮我写一段代码，从环境变量读取 OPENAI_API_KEY，不要把 key 写死在代码里：\nimport os\nkey = os.environ['OPENAI_API_KEY']",
    "请解释 .env 文件的作用，例如 DB_PASSWORD=your_password_here 这样的写法为什么不能提交到仓库。",
    "阿里云 AccessKey 泄露后应当立即在控制台禁用并轮换，AccessKey ID 以 LTAI 开头。",
    "忘记了统一身份认证的密码，怎么重置？学校说初始密码是身份证后六位。",
    "密码安全培训：密码应至少12位，包含大小写字母、数字和符号，不要在多个系统使用同一密码。",
    "The `Authorization: Bearer <token>` header carries the access token; never log it.",
    "JWTs look like xxxxx.yyyyy.zzzzz and are signed with a secret or a private key.",
    "helm install oa ./chart --set db.password=$DB_PASSWORD --set image.tag=1.4.2",
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: oa-db\nstringData:\n  password: ${OA_DB_PASSWORD}",
    "git log --oneline\n3f9a7c2 fix: token refresh\n"
    "8e4f60a feat: add SSO login (uuid 5b1e0c7a-93f2-4d1b-8c6e-2f7a9d3e4b10)",
    "我们的密码学课程第三周讲 RSA 私钥与公钥的生成。",
    "请把“请输入密码”翻译成英文。",
    "下面是登录页面的 HTML：<input type=\"password\" id=\"pwd\" placeholder=\"密码\">",
    "SELECT user, password_hash FROM users WHERE last_login < NOW() - INTERVAL '90 days';",
]


@pytest.mark.parametrize("text,secret", OWN_POSITIVES)
def test_own_prompts_found(engine: DetectionEngine, text: str, secret: str) -> None:
    found = credential_findings(engine, text)
    assert found, "no credential finding"
    s = text.index(secret)
    assert any(f.start <= s < f.end for f in found), [(f.entity, text[f.start:f.end]) for f in found]


@pytest.mark.parametrize("text", OWN_NEGATIVES)
def test_own_prompts_pass(engine: DetectionEngine, text: str) -> None:
    found = credential_findings(engine, text)
    assert not found, [(f.entity, f.score, text[f.start:f.end]) for f in found]


@pytest.mark.parametrize("text,secret", OWN_POSITIVES)
def test_reasons_never_contain_the_secret(engine: DetectionEngine, text: str, secret: str) -> None:
    for f in engine.analyze(text):
        if f.category != CREDENTIAL:
            continue
        value = text[f.start:f.end]
        assert f.why and value not in f.why and value[:6] not in f.why


def test_offsets_point_into_the_original_text(engine: DetectionEngine) -> None:
    text = "数据库密码：Ｑｈ＠２０２４！ｄｂ＃Ｐｒｏｄ７，端口 5432"
    [f] = credential_findings(engine, text)
    assert text[f.start:f.end] == "Ｑｈ＠２０２４！ｄｂ＃Ｐｒｏｄ７"
    assert f.entity == "PASSWORD" and f.score >= 0.75


def test_offsets_survive_characters_whose_lower_case_is_longer(engine: DetectionEngine) -> None:
    text = "İstanbul İzmir ofisi VPN 密码：Ist@2024vpn"  # U+0130 lower-cases to two code points
    [f] = credential_findings(engine, text)
    assert text[f.start:f.end] == "Ist@2024vpn"


# ----------------------------------------------------------------------------------------------------------
# attacker-controlled input: return or fail closed

N = 1_000_000
ADVERSARIAL = {
    "sk": "sk-" * (N // 3),
    "a": "a" * N,
    "password-eq": "password=" * (N // 9),
    "password-colon-space": "password: " * (N // 10),
    "mima": "密码：" * (N // 3),
    "key-eq": "key=" * (N // 4),
    "secret-is": "secret is " * (N // 10),
    "bearer": "Bearer " * (N // 7),
    "basic": "Authorization: Basic " * (N // 21),
    "begin": "-----BEGIN PRIVATE KEY-----\n" * (N // 28),
    "begin-long-body": "-----BEGIN PRIVATE KEY-----\n" + "QUJD" * (N // 4),
    "der": "MIIEpAIBAAKCAQEA" * (N // 16),
    "jwt": "eyJhbGciOiJIUzI1NiJ9." * (N // 21),
    "url": "a://b:c@" * (N // 8),
    "url-long-userinfo": "http://" + "u" * N + ":p@h",
    "ltai": "LTAI" * (N // 4),
    "akia-pair": ("AKIA" + "A2" * 8 + " ") * (N // 21),
    "table": ("密码|" * 50 + "\n") * (N // 150),
    "csv": "password," * (N // 9),
    "mysql": "mysql -p" * (N // 8),
    "base64": "QUJD" * (N // 4),
    "quotes": 'password="' * (N // 10),
}


def _identity(text: str) -> Normalized:
    return Normalized(original=text, text=text)


@pytest.fixture(scope="module")
def bounded_engine() -> DetectionEngine:
    # identity normalizer: this is about the recognizers' own bounds (the normalizer has its own tests)
    return DetectionEngine(recognizers=credential_recognizers(), normalizer=_identity, regex_timeout=0.5,
                           total_timeout=5.0, scorers=[])


@pytest.mark.parametrize("name", sorted(ADVERSARIAL))
def test_large_adversarial_input_returns_or_fails_closed(bounded_engine: DetectionEngine, name: str) -> None:
    try:
        findings = bounded_engine.analyze(ADVERSARIAL[name])
    except InspectionError as exc:
        assert ADVERSARIAL[name][:12] not in str(exc)
        return
    assert isinstance(findings, list)


def test_secret_after_a_long_prefix_is_still_found(bounded_engine: DetectionEngine) -> None:
    text = "字" * (N - 100) + "\nDB_PASSWORD=Qh@2024!db#Prod7\n"
    assert any(f.entity == "PASSWORD" and f.score >= 0.75 for f in bounded_engine.analyze(text))


# ----------------------------------------------------------------------------------------------------------
# properties: any text, any recognizer -> well-formed results (spans inside the text, fixed reasons)

_FRAGMENTS = ["password", "密码", "口令", "secret", "token", "api_key", "Authorization: ", "Bearer ", "Basic ", "sk-",
              "sk-proj-", "LTAI", "AKIA", "AKID", "ghp_", "eyJhbGciOiJIUzI1NiJ9", ".", "-----BEGIN PRIVATE KEY-----",
              "MIIEpAIBAAKCAQEA", "://", "@", ":", "=", "：", " is ", "是", '"', "'", "\n", "|", ",", ";", "${", "}",
              "mysql -p", "curl -u ", "<password>", "</password>", "Pwd=", "Server=db;", "jdbc:mysql://h/db?password="]
_TEXTS = st.lists(st.one_of(st.sampled_from(_FRAGMENTS), st.text(min_size=1, max_size=24)), max_size=30).map("".join)
_RECS = credential_recognizers()


@settings(max_examples=300, deadline=None)
@given(_TEXTS)
def test_results_are_well_formed(text: str) -> None:
    for rec in _RECS:
        for r in rec.analyze(text):
            assert 0 <= r.start < r.end <= len(text)
            assert 0.3 <= r.score <= 1.0
            meta = r.recognition_metadata
            assert meta["category"] == CREDENTIAL and meta["why"]
            value = text[r.start:r.end]
            assert len(value) < 4 or value not in meta["why"]


def test_analysis_is_thread_safe(engine: DetectionEngine) -> None:
    texts = [t for t, _ in OWN_POSITIVES] + OWN_NEGATIVES

    def key(text: str) -> tuple:
        return tuple((f.entity, f.start, f.end, f.score) for f in credential_findings(engine, text))

    expected = [key(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        for _ in range(3):
            assert list(pool.map(key, texts)) == expected
