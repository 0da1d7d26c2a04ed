"""CnOfficialStructureRecognizer: 公文 structure elements are found, weakly; mentions and prose are not elements.

Table rows are ``(text, element, expected span text or None)``; the recognizer runs on the normalized text (as
in the engine), and the expected span is compared on that text.
"""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.cn_official_structure import (CATEGORY, ELEMENTS, ENTITY, MAX_PER_ELEMENT,
                                                               CnOfficialStructureRecognizer)
from proxy.text.normalize import normalize


@pytest.fixture(scope="module")
def rec() -> CnOfficialStructureRecognizer:
    return CnOfficialStructureRecognizer()


def spans(rec: CnOfficialStructureRecognizer, text: str, element: str) -> list[str]:
    canon = normalize(text).text
    return [canon[r.start:r.end] for r in rec.analyze(canon) if r.recognition_metadata["element"] == element]


def n(text: str) -> str:
    return normalize(text).text


TABLE = [
    # 发文字号 with every bracket people and OCR produce
    ("西政发〔2025〕9号", "doc_number", "西政发〔2025〕9号"),
    ("西政发[2025]9号", "doc_number", "西政发[2025]9号"),
    ("西政发【2025】9号", "doc_number", "西政发【2025】9号"),
    ("西政发(2025)9号", "doc_number", "西政发(2025)9号"),
    ("西政发（2025）9号", "doc_number", n("西政发（2025）9号")),
    ("西政发［2025］9号", "doc_number", n("西政发［2025］9号")),
    ("西政发｛2025｝9号", "doc_number", n("西政发｛2025｝9号")),
    ("西政发〈2025〉9号", "doc_number", "西政发〈2025〉9号"),
    ("西政发<2025>9号", "doc_number", "西政发<2025>9号"),
    ("西政发2025 9号", "doc_number", "西政发2025 9号"),  # brackets missing
    ("西政发2025-9号", "doc_number", "西政发2025-9号"),
    ("西政发 〔 2025 〕 9 号", "doc_number", n("西政发 〔 2025 〕 9 号")),
    ("西政发〔2025〕第9号", "doc_number", "西政发〔2025〕第9号"),
    ("西政发2025第9号", "doc_number", "西政发2025第9号"),
    ("发文字号：西组发〔2025〕3号", "doc_number", n("发文字号：西组发〔2025〕3号")),
    ("澜纪发〔2024〕21号　　签发人：王某", "doc_number", "澜纪发〔2024〕21号"),
    ("根据《关于加强管理的通知》（国办发〔2023〕5号）要求，现通知如下。", "doc_number", None),  # a citation
    ("会议于2024年7号楼召开", "doc_number", None),
    # 份号
    ("000123\n机密★5年", "copy_number", "000123"),
    ("O00086\n机宻★5午", "copy_number", "O00086"),  # OCR read 0 as O
    ("份号：000019\n密级：", "copy_number", n("份号：000019")),
    ("第003份\n关于试验安排的请示", "copy_number", "第003份"),
    ("202401\n关于调整课表的通知", "copy_number", None),  # a year-month, not a copy number
    ("123456\n帮我看看这个验证码", "copy_number", None),
    ("第一段\n第二段\n第三段\n第四段\n第五段\n第六段\n第七段\n第八段\n第九段\n000123", "copy_number", None),  # not the head
    # 签发人, 紧急程度
    ("签发人：王某", "signer", n("签发人：")),
    ("000312\n加急\n\n中共某市纪律检查委员会", "urgency", "加急"),
    ("特急", "urgency", "特急"),
    ("紧急程度：特急", "urgency", n("紧急程度：特急")),
    ("这件事情十分紧急，请尽快处理，我们很着急。", "urgency", None),
    # 主送 / 抄送 / 印发 / 共印
    ("主送：市委办公室", "addressee", n("主送：")),
    ("关于某事项的请示\n\n市委：\n经研究……", "addressee", n("市委：")),
    ("各设区市人民政府，省政府各部门：", "addressee", n("各设区市人民政府，省政府各部门：")),
    ("同志们：", "addressee", None),
    ("抄送：市纪委办公室。", "cc", n("抄送：")),
    ("抄报：省政府办公厅", "cc", n("抄报：")),
    ("澜州市纪委办公室　　　　2024年6月3日印发", "issue_line", n("澜州市纪委办公室　　　　2024年6月3日印发")),
    ("通知已于2024年6月3日印发各单位。", "issue_line", None),
    ("（共印6份）", "print_run", n("（共印6份")),
    ("共印二十份", "print_run", "共印二十份"),
    ("印数：20", "print_run", n("印数：20")),
    # 此件发至
    ("（此件发至各乡镇党委、县直各单位主要负责同志）", "distribution", "此件发至"),
    ("发至县团级", "distribution", "发至县团级"),
    # 发文稿纸 / 签报 fields, blank 密级
    ("发文稿纸", "form_header", "发文稿纸"),
    ("某局签报", "form_header", "某局签报"),
    ("拟稿：张三　　核稿：李四", "form_field", n("拟稿：")),
    ("会签：", "form_field", n("会签：")),
    ("密级：__________", "blank_classification", n("密级：__________")),
    ("密级：", "blank_classification", n("密级：")),
    ("密级：■■", "blank_classification", n("密级：■■")),
    ("密级：【已删除】", "blank_classification", n("密级：【已删除】")),
    ("密级：　　　　紧急程度：平急", "blank_classification", n("密级：　　　　")),
    ("密级：公开", "blank_classification", None),
    ("2. 密级和保密期限：涉密公文应当根据涉密程度标注", "blank_classification", None),  # a lesson
    ("3. 紧急程度：紧急公文应当分别标注“特急”“加急”。", "form_field", None),
    # a blacked-out head line
    ("■■■■\n中共某学院纪律检查委员会", "redacted_head", "■■■■"),
    ("■■■■★■年", "redacted_head", None),  # the residual marking is the classification recognizer's
    # 附件, contact footer, 请示 closing, 发文机关标志, title, draft tag, minutes, public release
    ("附件：1. 名单", "attachment", n("附件：")),
    ("（联系人：王某，电话：12345678）", "contact", n("（联系人：王某，电话")),
    ("当否，请批示。", "request_closing", n("当否，请批示")),
    ("妥否，请审示", "request_closing", n("妥否，请审示")),
    ("西岭市人民政府文件", "issuer_header", "西岭市人民政府文件"),
    ("关于调整部分科级领导干部的建议方案（讨论稿）", "draft", n("（讨论稿）")),
    ("关于调整部分科级领导干部的建议方案", "title", "关于调整部分科级领导干部的建议方案"),
    ("〔2024〕第15次", "minutes", "〔2024〕第15次"),
    ("出席：市委书记", "minutes", n("出席：")),
    ("（此件公开发布）", "public_release", "此件公开发布"),
    ("（此件主动公开）", "public_release", "此件主动公开"),
    ("公开方式：依申请公开", "public_release", n("公开方式：依申请公开")),
    ("密级：公开", "public_release", n("密级：公开")),
]


@pytest.mark.parametrize("text,element,span", TABLE)
def test_structure_table(rec: CnOfficialStructureRecognizer, text: str, element: str, span: str | None) -> None:
    found = spans(rec, text, element)
    if span is None:
        assert not found, f"unexpected {element}: {found!r}"
    else:
        assert span in found, f"expected {element} {span!r}, got {found!r}"


def test_every_element_is_weak_and_categorised(rec: CnOfficialStructureRecognizer) -> None:
    doc = ("000312\n加急\n\n中共某市纪律检查委员会\n\n某纪发〔2024〕21号　　签发人：王某\n\n"
           "关于对某局原副局长采取留置措施的请示\n\n市委：\n经初步核实……\n当否，请批示。\n\n附件：1. 名单\n"
           "（联系人：王某，电话：12345678）\n抄送：省纪委。\n某市纪委办公室　　2024年6月3日印发\n（共印6份）")
    results = rec.analyze(normalize(doc).text)
    kinds = {r.recognition_metadata["element"] for r in results}
    assert {"copy_number", "urgency", "doc_number", "signer", "title", "addressee", "request_closing", "attachment",
            "contact", "cc", "issue_line", "print_run"} <= kinds
    for r in results:
        assert r.entity_type == ENTITY
        assert r.score < 0.5, "structure alone must never reach a blocking score"
        assert r.recognition_metadata["category"] == CATEGORY
        assert r.recognition_metadata["why"] == ELEMENTS[r.recognition_metadata["element"]][1]


def test_spans_point_into_the_text(rec: CnOfficialStructureRecognizer) -> None:
    text = "请帮我润色：\n\n　　000207\n\n某市公安局文件\n某公发〔2024〕88号\n各分局：\n"
    for r in rec.analyze(text):
        assert text[r.start:r.end].strip(), r
    assert "000207" in [text[r.start:r.end] for r in rec.analyze(text)]


def test_elements_are_capped(rec: CnOfficialStructureRecognizer) -> None:
    text = "某政发〔2024〕1号\n" * 500
    results = rec.analyze(text)
    assert len(results) == MAX_PER_ELEMENT


def test_empty_and_single_line(rec: CnOfficialStructureRecognizer) -> None:
    assert rec.analyze("") == []
    assert rec.analyze("\n\n\n") == []
    assert rec.analyze("你好") == []
