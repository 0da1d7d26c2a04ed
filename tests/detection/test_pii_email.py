"""EmailRecognizer: standard addresses (also glued to Chinese text and full-width) and disguised spellings;
not placeholders, decorators, ``look at example.com`` or hashtags."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.pii_email import EmailRecognizer

from .test_pii_support import check_row, engine_for

E = "EMAIL_ADDRESS"

ROWS = [
    ("我的邮箱是liuyang1990@163.com，有事发邮件", E, "liuyang1990@163.com"),
    ("请发送至xu.meng@dept.lanzhou-med.example.cn。", E, "xu.meng@dept.lanzhou-med.example.cn"),
    ("Email: o'neil.k+news@mail.example.org", E, "o'neil.k+news@mail.example.org"),
    ("联系：ｚｈａｏｍｉｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", E, "ｚｈａｏｍｉｎ＠ｅｘａｍｐｌｅ．ｃｏｍ"),  # full-width
    ("反馈邮箱 feedback_team@qinghe.example.edu.cn（工作日回复）", E, "feedback_team@qinghe.example.edu.cn"),
    # disguised
    ("邮箱：chen.jing[at]zju.example[dot]edu[dot]cn", E, "chen.jing[at]zju.example[dot]edu[dot]cn"),
    ("发到 wang_lei(at)example.com 就行", E, "wang_lei(at)example.com"),
    ("mail me: hu.bo {at} example {dot} org", E, "hu.bo {at} example {dot} org"),
    ("Write to maria at example dot com for details.", E, "maria at example dot com"),
    ("联系邮箱 sunqian艾特qq点com", E, "sunqian艾特qq点com"),
    ("邮箱：gaofei#126.com（#换成@）", E, "gaofei#126.com"),
    ("email: tom AT example.org", E, "tom AT example.org"),
    ("简历请投 hr-li【at】example.cn", E, "hr-li【at】example.cn"),
    # negatives
    ("示例：user@example.com", None, None),
    ("请将 your_email@example.com 替换为你的邮箱", None, None),
    ("git clone git@github.com:org/repo.git", None, None),
    ("@app.route('/login')", None, None),
    ("Look at example.com for the schedule.", None, None),
    ("#周末去哪儿# 话题 abc#def.com", None, None),
    ("matrix = a @ b.T", None, None),
    ("在 2024@年会 上发言", None, None),
    ("noreply@qinghe.example.edu.cn 自动发送，请勿回复", None, None),
]


@pytest.mark.parametrize("text,entity,span", ROWS)
def test_table(text: str, entity: str | None, span: str | None) -> None:
    check_row(engine_for(EmailRecognizer), text, entity, span)


def test_whole_disguised_form_is_one_span() -> None:
    text = "地址 a.b[at]c[dot]cn 谢谢"
    spans = [text[f.start:f.end] for f in engine_for(EmailRecognizer).analyze(text)]
    assert spans == ["a.b[at]c[dot]cn"]
