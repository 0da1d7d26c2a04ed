"""OfficialDocumentScorer through the whole engine: weak 公文 structure + non-public content (or a redacted
marking / a 份号) is a strong ``official_document`` finding; structure alone stays weak; a public 公文 is
discounted."""
from __future__ import annotations

from pathlib import Path

import pytest

from proxy.detection.engine import DetectionEngine
from proxy.detection.recognizers import default_recognizers
from proxy.detection.recognizers.cn_official_structure import CnOfficialStructureRecognizer
from proxy.detection.scorers.nonpublic import NonpublicContentScorer
from proxy.detection.scorers.official_document import OfficialDocumentScorer
from proxy.policy.evaluate import evaluate
from proxy.policy.loader import load_policy

POLICY = Path(__file__).resolve().parents[2] / "policies" / "default.yaml"


@pytest.fixture(scope="module")
def engine() -> DetectionEngine:
    return DetectionEngine(recognizers=default_recognizers() + [CnOfficialStructureRecognizer()],
                           scorers=[NonpublicContentScorer(), OfficialDocumentScorer()])


@pytest.fixture(scope="module")
def policy():
    return load_policy(POLICY)


def official(engine: DetectionEngine, text: str) -> float:
    return max((f.score for f in engine.analyze(text) if f.category == "official_document"), default=0.0)


# a public 公文: full frame, nothing non-public
PUBLIC_FRAME = ("西港市人民政府办公室文件\n西政办发〔2025〕9号\n关于印发西港市2025年全民健身活动方案的通知\n"
                "各区人民政府，市政府各部门：\n现将《西港市2025年全民健身活动方案》印发给你们，请认真贯彻执行。\n"
                "附件：西港市2025年全民健身活动方案\n西港市人民政府办公室\n2025年2月10日\n"
                "抄送：市委办公室，市人大常委会办公室。\n西港市人民政府办公室　　2025年2月11日印发")

STRONG = [
    # 份号 + frame, body harmless-looking: the marking line was cut off a numbered copy
    "000417\n\n西岭市发展和改革委员会文件\n西发改〔2025〕31号\n关于某项目有关情况的报告\n市政府：\n现将有关情况报告如下。",
    # an empty 密级 field on a form + a 发文字号
    "发文稿纸\n密级：＿＿＿＿　　紧急程度：\n拟稿：王某　　核稿：李某\n文号：西组发〔2025〕12号\n标题：关于调整干部的通知",
    # a blacked-out head line + frame
    "■■■■■\n\n西岭市公安局文件\n西公发〔2025〕7号\n关于开展专项行动的通知\n各分局：",
    # frame + non-public content that is only moderately strong on its own
    "西岭县委组织部\n西组〔2025〕8号\n关于调整乡镇领导班子的建议\n县委：\n经部务会研究，拟将桃坪镇党委书记调整为县农业农村局局长，"
    "由县发改局副局长段文博接任。\n妥否，请批示。",
    # restricted distribution + frame
    "西岭市人民政府文件\n西政发〔2025〕2号\n关于某专项工作的通知\n（此件发至县团级）\n各县人民政府：",
]

WEAK = [
    PUBLIC_FRAME,
    # a public 公文 that says so
    PUBLIC_FRAME + "\n（此件公开发布）",
    # an ordinary notice with a number and a contact line
    "关于召开安全生产工作会议的通知\n东安办〔2025〕3号\n各乡镇、各部门：\n定于3月5日召开会议。\n（联系人：周某，电话：0571-85001234）",
    # a lesson about the 版头 (it talks about 份号 and 密级 without being one)
    "公文格式培训讲义\n1. 份号：涉密公文应当标注份号，一般用6位阿拉伯数字。\n2. 密级和保密期限：例如“机密★5年”。\n3. 紧急程度：特急、加急。",
]


@pytest.mark.parametrize("text", STRONG)
def test_structure_with_more_evidence_blocks(engine: DetectionEngine, policy, text: str) -> None:
    assert official(engine, text) >= 0.7
    assert evaluate(engine.analyze(text), policy).action == "block"


@pytest.mark.parametrize("text", WEAK)
def test_structure_alone_stays_weak(engine: DetectionEngine, policy, text: str) -> None:
    assert official(engine, text) < 0.7
    # structure alone never blocks (a contact phone in the footer may still be pseudonymised)
    assert evaluate(engine.analyze(text), policy).action in ("allow", "redact")


def test_public_release_marker_caps_a_numbered_copy(engine: DetectionEngine) -> None:
    text = STRONG[0] + "\n（此件主动公开）"
    assert official(engine, text) <= OfficialDocumentScorer.PUBLIC_CAP


def test_why_names_kinds_not_text(engine: DetectionEngine) -> None:
    text = STRONG[3]
    [f] = [f for f in engine.analyze(text) if f.entity == "CN_OFFICIAL_DOCUMENT"]
    assert "公文 structure" in f.why and "non-public content" in f.why
    for word in ("桃坪", "段文博", "部务会", "西组"):
        assert word not in f.why
    assert 0 <= f.start < f.end <= len(text)


def test_combiner_without_structure_returns_nothing() -> None:
    assert OfficialDocumentScorer().score("任何文字", []) == []
