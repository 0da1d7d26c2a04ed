"""The organisation's own recognizers and allow-lists, run inside the engine (the session fixture) on normalized
text, decided by the policy through ``decide_text``."""
from __future__ import annotations

import itertools

import pytest

from proxy.policy.evaluate import decide_text
from proxy.policy.loader import load_policy

from ._support import DEFAULT, write

STAFF = "# 员工名单 (invented)\n\n林小北\n葛晴川\t0.9\n#覃一舟\n  \n"


@pytest.fixture(scope="module")
def policy(tmp_path_factory):
    d = tmp_path_factory.mktemp("own")
    write(d, "staff.txt", STAFF)
    path = write(d, "policy.yaml", r"""
        version: 1
        categories:
          secret_marking: {action: block, threshold: 0.5}
          personal_data: {action: redact, threshold: 0.5}
          project: {action: block, threshold: 0.7}
        recognizers:
          - name: codenames
            entity: PROJECT_CODE
            category: project
            keywords: [天穹计划, 青鳥工程, Ｓｋｙｖａｕｌｔ, ABC]    # traditional / full-width terms are normalized too
          - name: staff
            entity: PERSON_NAME
            category: personal_data
            dictionary: staff.txt
            score: 0.8
          - name: tickets
            entity: OA_TICKET
            category: project
            patterns: [{pattern: 'OA-\d{4}-\d{6}', score: 0.75}]
          - name: weak_terms
            entity: PROJECT_HINT
            category: project
            combine: sum
            keywords: {雷鸣: 0.4, 霜降行动: 0.4}
          - name: weak_each
            entity: PROJECT_WEAK
            category: project
            keywords: {北辰: 0.4, 南极星: 0.4}
        allow_list:
          phrases: [天穹计划公开报道, "13800138000", "机密★"]
          regexes: ['[a-z]+@gov-public\.cn']
        """)
    return load_policy(path)


def spans(decision, text, entity=None):
    return [text[f.start:f.end] for f in decision.findings if entity is None or f.entity == entity]


@pytest.mark.parametrize("text, span", [
    ("天穹计划下周评审", "天穹计划"),
    ("天 穹 计 划下周评审", "天 穹 计 划"),          # spaces between CJK characters
    ("天\u200b穹\u200b计划下周评审", "天\u200b穹\u200b计划"),  # zero-width characters
    ("天穹計劃下周評審", "天穹計劃"),                # traditional characters
    ("青鸟工程", "青鸟工程"),                        # the term was written in traditional characters
    ("青 鳥 工 程", "青 鳥 工 程"),
    ("the skyvault roadmap", "skyvault"),           # case-insensitive; the term was full-width
    ("THE SKYVAULT ROADMAP", "SKYVAULT"),
    ("ＳＫＹＶＡＵＬＴ", "ＳＫＹＶＡＵＬＴ"),            # full-width text
    ("项目ABC启动", "ABC"),                          # CJK neighbours need no word boundary
    ("abc-2 ready", "abc"),
])
def test_keyword_found_even_when_disguised(engine, policy, text, span):
    d = decide_text(engine, policy, text)
    assert d.action == "block" and d.decided_by == "categories.project"
    assert spans(d, text, "PROJECT_CODE") == [span]
    assert d.findings[0].recognizer == "codenames"


@pytest.mark.parametrize("text", ["ABCD", "XABC", "ABC_1", "ABC1", "SKY VAULT", "天穹", "计划"])
def test_ascii_keyword_needs_word_boundaries(engine, policy, text):
    d = decide_text(engine, policy, text)
    assert spans(d, text, "PROJECT_CODE") == [] and d.action == "allow"


def test_dictionary_weights_and_comments(engine, policy):
    text = "材料已经交给林小北了，这份报告由葛晴川整理，上午和覃一舟开会"
    d = decide_text(engine, policy, text)
    by_name = {text[f.start:f.end]: f for f in d.findings if f.recognizer == "staff"}
    assert set(by_name) == {"林小北", "葛晴川"}          # 覃一舟 is commented out
    assert by_name["林小北"].score == pytest.approx(0.8)  # the recognizer's score
    assert by_name["葛晴川"].score == pytest.approx(0.9)  # its own weight


def test_staff_list_finds_bare_names_and_they_are_redacted(engine, policy):
    text = "材料已经交给林小北了"
    without = decide_text(engine, load_policy(DEFAULT), text)
    assert without.action == "allow" and spans(without, text, "PERSON_NAME") == []  # no label, no list: missed
    d = decide_text(engine, policy, text)
    assert d.action == "redact" and d.decided_by == "categories.personal_data"
    [f] = d.redact
    assert (text[f.start:f.end], f.entity, f.category) == ("林小北", "PERSON_NAME", "personal_data")


def test_pattern_recognizer(engine, policy):
    for text, span in [("请查工单 OA-2024-123456 的进度", "OA-2024-123456"),
                       ("工单ＯＡ－２０２４－１２３４５６", "ＯＡ－２０２４－１２３４５６")]:
        d = decide_text(engine, policy, text)
        assert d.action == "block" and spans(d, text, "OA_TICKET") == [span]
        assert d.findings[0].score == pytest.approx(0.75)
    assert decide_text(engine, policy, "工单 OA-24-1234").action == "allow"


@pytest.mark.parametrize("text, action", [
    ("下周的雷鸣安排", "allow"),                       # 0.4 < 0.7
    ("雷鸣：霜降行动照常", "block"),                    # 0.4 + 0.4 = 0.8
    ("雷鸣，雷鸣，雷鸣", "allow"),                      # the same term thrice is one term
    ("雷鸣，雷 鸣", "allow"),                           # ... also when disguised
    ("雷 鸣 与霜降行动", "block"),
    ("北辰和南极星", "allow"),                          # combine: each -> every hit scores 0.4
])
def test_combine_sum(engine, policy, text, action):
    d = decide_text(engine, policy, text)
    assert d.action == action, [(f.entity, f.score) for f in d.findings]
    if action == "block":
        assert {round(f.score, 6) for f in d.findings if f.recognizer == "weak_terms"} == {0.8}


def test_large_dictionary(engine, tmp_path):
    surnames = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许"
    given = "子涵浩宇欣怡梓萱俊杰雨桐思远嘉明"
    names = ["".join(t) for t in itertools.product(surnames, given, given)][:5000]
    assert len(set(names)) == 5000
    write(tmp_path, "big.txt", "\n".join(names) + "\n")
    path = write(tmp_path, "p.yaml", """
        version: 1
        categories: {personal_data: {action: redact, threshold: 0.5}}
        recognizers:
          - name: big
            entity: STAFF_NAME
            category: personal_data
            dictionary: big.txt
        """)
    policy = load_policy(path)
    assert policy.recognizers[0].terms.size == 5000
    filler = "会议在下午三点开始请大家准时参加。"
    assert not set(filler) & set(surnames + given)
    wanted = [names[0], names[1234], names[4999]]
    parts = [filler * 40, wanted[0], filler * 40, wanted[1], filler * 30, wanted[2], filler * 8]
    text = "".join(parts)
    assert len(text) >= 2000
    d = decide_text(engine, policy, text)
    assert d.action == "redact"
    assert [text[f.start:f.end] for f in d.redact if f.recognizer == "big"] == wanted


def test_allow_list_phrase_drops_only_findings_inside_it(engine, policy):
    text = "客服电话 13800138000，联系人手机 13912345678"
    d = decide_text(engine, policy, text)
    assert d.action == "redact"
    assert [text[f.start:f.end] for f in d.redact] == ["13912345678"]
    assert "13800138000" not in spans(d, text)


def test_allow_list_phrase_drops_a_code_name_only_in_that_context(engine, policy):
    assert decide_text(engine, policy, "见天穹计划公开报道").action == "allow"
    text = "见天穹计划公开报道，另：天穹计划内部进度延后"
    d = decide_text(engine, policy, text)
    assert d.action == "block"
    assert [f.start for f in d.findings] == [text.rindex("天穹计划")]


def test_allow_list_regex(engine, policy):
    text = "请发到 li@gov-public.cn 或 wang@corp.cn"
    d = decide_text(engine, policy, text)
    assert d.action == "redact"
    assert [text[f.start:f.end] for f in d.redact] == ["wang@corp.cn"]


def test_allow_list_is_matched_on_normalized_text(engine, policy):
    text = "客服电话 １３８００１３８０００"   # full-width digits
    assert decide_text(engine, policy, text).action == "allow"


def test_allow_list_does_not_drop_a_marking_it_only_overlaps(engine, policy):
    text = "机密★5年\n关于加强防范的通知"   # the allow-list has "机密★", the marking is "机密★5年"
    d = decide_text(engine, policy, text)
    assert d.action == "block" and d.decided_by == "categories.secret_marking"
    assert spans(d, text, "CN_CLASSIFICATION_MARKING") == ["机密★5年"]


def test_allow_list_findings_never_reach_the_decision(engine, policy):
    text = "客服电话 13800138000"
    d = decide_text(engine, policy, text)
    assert d.action == "allow" and d.findings == []


def test_policy_recognizers_do_not_leak_into_other_policies(engine, policy):
    """Own recognizers run only with the policy that defines them (the engine is shared)."""
    assert decide_text(engine, policy, "天穹计划").action == "block"
    assert decide_text(engine, load_policy(DEFAULT), "天穹计划").action == "allow"
    assert engine.analyze("天穹计划") == []
