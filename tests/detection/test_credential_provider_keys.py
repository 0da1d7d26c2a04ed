"""ProviderKeyRecognizer: provider-format keys and cloud access keys (values, not names or placeholders).

All key values in this file are random strings made for the tests; none is a real credential.
"""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.credential_provider_keys import ProviderKeyRecognizer

from ._support import check_table_row

REC = ProviderKeyRecognizer()
K, ID, SEC = "API_KEY", "ACCESS_KEY_ID", "ACCESS_KEY_SECRET"
TENCENT_CRED = ('cred = credential.Credential("AKID8agayiw7JWXsPFX17Tl9CUDR7teepFS0", '
                '"sT6n0tp8sGwwcSDppHFNiz4uYOstY54v")')

POSITIVES = [
    # OpenAI / Anthropic / OpenAI-compatible Chinese providers
    ('client = OpenAI(api_key="sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz")', K,
     "sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz"),
    ("OPENAI_API_KEY=sk-svcacct-epUloUJZg6Sb6UJzGdvIE3RXr8kir7MXU46um1Jw", K,
     "sk-svcacct-epUloUJZg6Sb6UJzGdvIE3RXr8kir7MXU46um1Jw"),
    ("export ANTHROPIC_API_KEY=sk-ant-api03-nouYWrpLIrlrnTiXkEOyfRt6XUAXTHTXotkHJOZAqytwfwnw4lVJFKrXrX5iF9njv22jD"
     "VHymRrHhBQqjxRHMRKcDOojCAA", K, "sk-ant-api03-nouYWrpLIrlrnTiXkEOyfRt6XUAXTHTX"),
    ("DeepSeek 的 key 是 sk-c7a79d248258a3eba8fe73919f3f73cc，帮我写个调用示例", K, "sk-c7a79d248258a3eba8fe73919f3f73cc"),
    ("通义千问 DASHSCOPE_API_KEY：sk-eiY9eyIcXsiXb00PivIzM2s070aVhM6wyVb2B5L0QMlnONWn", K,
     "sk-eiY9eyIcXsiXb00PivIzM2s070aVhM6wyVb2B5L0QMlnONWn"),
    # cloud access key ids, and a secret of the pair without its own label
    ("ALIBABA_CLOUD_ACCESS_KEY_ID=LTAIBw87WzCnnjqS5OF1ksrK", ID, "LTAIBw87WzCnnjqS5OF1ksrK"),
    ("阿里云账号 LTAITd4IGnNSm7nvEclN / OpNurSfKalkVjrYkgs2cuaEVS869iI", SEC, "OpNurSfKalkVjrYkgs2cuaEVS869iI"),
    ("AccessKey ID,AccessKey Secret\nLTAIBw87WzCnnjqS5OF1ksrK,OpNurSfKalkVjrYkgs2cuaEVS869iI", SEC,
     "OpNurSfKalkVjrYkgs2cuaEVS869iI"),
    (TENCENT_CRED, ID, "AKID8agayiw7JWXsPFX17Tl9CUDR7teepFS0"),
    (TENCENT_CRED, SEC, "sT6n0tp8sGwwcSDppHFNiz4uYOstY54v"),
    ("[default]\naws_access_key_id = AKIAUUGQQ7LXWQ5G6A5Q\n"
     "aws_secret_access_key = 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", ID, "AKIAUUGQQ7LXWQ5G6A5Q"),
    ("User,Access key ID,Secret access key\nci-bot,AKIAUUGQQ7LXWQ5G6A5Q,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", SEC,
     "Ykz/PpQKPuB3Ly1leAs87YZK22w0v8/N6W8cSS6o"),
    ("VOLC_ACCESSKEY=AKLTzw18lQEhASX7DGqe6X0CQGK2mSAO1DnH1uNHydQx", ID, "AKLTzw18lQEhASX7DGqe6X0CQGK2mSAO1DnH1uNHydQx"),
    ("千帆 key：bce-v3/ALTAK-wmkuZgET033hIzJ4RBZcz/c4945da337fff17f917c05ee9d2de0dc97659e47", K,
     "bce-v3/ALTAK-wmkuZgET033hIzJ4RBZcz/c4945da337fff17f917c05ee9d2de0dc97659e47"),
    # code hosting, chat, SaaS
    ("  GH_TOKEN: ghp_IsnoG01csMpRArco04XVqwXbIZV6opkQVmrd", K, "ghp_IsnoG01csMpRArco04XVqwXbIZV6opkQVmrd"),
    ("git remote set-url origin https://x-access-token:ghs_x5E1uPO6tQeRH3MBgcI2op3dpgb6StGfYzs3@github.com/o/r.git", K,
     "ghs_x5E1uPO6tQeRH3MBgcI2op3dpgb6StGfYzs3"),
    ("token = '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'", K,
     "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"),
    ("GITLAB_TOKEN=glpat-53Vg2Lo696uvKF5ATYOw", K, "glpat-53Vg2Lo696uvKF5ATYOw"),
    ("This is my GitLab runner token, is it expired? glrt-7S3HGYktLFIbFjpggskc", K, "glrt-7S3HGYktLFIbFjpggskc"),
    ("SLACK_BOT_TOKEN=xoxb-703356424258-9934466302980-3W01j42iKLdbgNd0CNPQLVTC", K,
     "xoxb-703356424258-9934466302980-3W01j42iKLdbgNd0CNPQLVTC"),
    ('<script src="https://maps.googleapis.com/maps/api/js?key=AIzaNyHGQt_D2x8krOZVhtGQitBLfOgWxtNMPsY"></script>', K,
     "AIzaNyHGQt_D2x8krOZVhtGQitBLfOgWxtNMPsY"),
    ("Stripe::setApiKey('sk_live_k5GAm9KymyQGWCFEZfLJX5iNrZgI7JqDyYFFsbtc');", K,
     "sk_live_k5GAm9KymyQGWCFEZfLJX5iNrZgI7JqDyYFFsbtc"),
    ("huggingface-cli login --token hf_cO0l9Zd4b4Vtec03VGPsXkEKNTUVXFU6GS", K, "hf_cO0l9Zd4b4Vtec03VGPsXkEKNTUVXFU6GS"),
    ("GROQ_API_KEY=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", K,
     "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"),
    ("//registry.npmjs.org/:_authToken=npm_J8wofb9yXXfavIncQCHjhMQwq8trJ15vL3Na", K,
     "npm_J8wofb9yXXfavIncQCHjhMQwq8trJ15vL3Na"),
    # chat-bot webhooks: the token is reported, not the URL
    ("告警机器人 https://oapi.dingtalk.com/robot/send?access_token="
     "6e49883bed485b4f1a3c2083ebf5aba6efcb3de68fa27528b691487aeac9aabd", K,
     "6e49883bed485b4f1a3c2083ebf5aba6efcb3de68fa27528b691487aeac9aabd"),
    ("webhook: https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=5b1e0c7a-93f2-4d1b-8c6e-2f7a9d3e4b10", K,
     "5b1e0c7a-93f2-4d1b-8c6e-2f7a9d3e4b10"),
    ("DefaultEndpointsProtocol=https;AccountName=oastore;AccountKey=" + "Xq7bLm2PvR9tWz4kNc8YdF6gJs1QeAbC/d+E5fHg" * 2
     + "Qw==;EndpointSuffix=core.windows.net", SEC, "Xq7bLm2PvR9tWz4kNc8YdF6g"),
]

NEGATIVES = [
    "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "export OPENAI_API_KEY=sk-...",
    "api_key = 'sk-your-openai-api-key-here'",
    "OPENAI_API_KEY=sk-proj-XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX",
    "Keys look like sk-proj-… or sk-ant-api03-…; never paste them here.",
    "sk-learn and task-queue are internal project names",
    "pip install scikit-learn-intelex",
    "AWS access key ids start with AKIA (long-term) or ASIA (temporary).",
    "aws_access_key_id = AKIAIOSFODNN7EXAMPLE",  # AWS's documentation example: low score only
    "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "GH_TOKEN: ${{ secrets.GITHUB_TOKEN }}",
    "token: ghp_<your token>",
    "commit 3f9a7c2e81d64b5f9e0a1c7d2b8e4f60a1b2c3d4",
    "request id 5b1e0c7a-93f2-4d1b-8c6e-2f7a9d3e4b10",
    "md5: 5f4dcc3b5aa765d61d8327deb882cf99",
    "LTAI 是阿里云 AccessKey ID 的前缀，AKID 是腾讯云 SecretId 的前缀。",
    "Use https://oapi.dingtalk.com/robot/send?access_token=YOUR_ACCESS_TOKEN for alerts.",
    "xoxb-your-bot-token",
    "stripe test key sk_test_xxxxxxxxxxxxxxxxxxxxxxxx",
    "请在 https://platform.openai.com/api-keys 页面创建 key",
]


@pytest.mark.parametrize("text,entity,span", POSITIVES)
def test_key_found(text: str, entity: str, span: str) -> None:
    check_table_row(REC, text, entity, span)


@pytest.mark.parametrize("text", NEGATIVES)
def test_not_a_key(text: str) -> None:
    check_table_row(REC, text, None, None)


def test_documentation_example_is_reported_low() -> None:
    text = "aws_access_key_id = AKIAIOSFODNN7EXAMPLE"
    [r] = REC.analyze(text)
    assert 0.3 <= r.score < 0.5 and "documentation" in r.recognition_metadata["why"]


def test_scores_and_spans() -> None:
    text = "key: sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz."
    [r] = REC.analyze(text)
    assert r.score >= 0.9
    assert text[r.start:r.end] == "sk-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz"
    assert r.recognition_metadata["category"] == "credential"


def test_glued_prefix_is_not_a_key() -> None:
    # a key body must start at a token boundary
    assert not REC.analyze("mask-proj-pLWZCd7bTm19IVp53dwoYzg9YBeBkbFsDdy8XuYHBr1CS1tz")
