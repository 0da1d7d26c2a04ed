"""CnClassificationRecognizer: 国家秘密 markings found; mentions of them not (recognizer alone, raw text)."""
from __future__ import annotations

import pytest

from ._support import check_table_row, recognizer

E = "CN_CLASSIFICATION_MARKING"

MARKINGS = [
    # 密级★保密期限 in a 版头
    ("000123\n机密★5年\n特急\n\n某省人民政府文件\n某政发〔2024〕12号", "机密★5年"),
    ("绝密★启用前\n\n2025年某市中考数学试卷", "绝密★启用前"),
    ("秘密★2026年6月30日\n关于重点项目预审意见的汇总", "秘密★2026年6月30日"),
    ("秘密★6个月\n某市财政局\n关于下达专项资金的通知", "秘密★6个月"),
    ("绝密★长期\n某型装备试验数据", "绝密★长期"),
    ("机密★十年\n某县人民政府", "机密★十年"),
    ("绝密★20年\u3000\u3000第003份\n关于海上试验安排的请示", "绝密★20年"),
    ("绝密★考试结束前\n2025年公务员录用考试《申论》试题", "绝密★考试结束前"),
    # light disguise the recognizer tolerates by itself
    ("秘密 ★ l 年\n某大学党委组织部", "秘密 ★ l 年"),
    ("机宻★5午\n\n某省公安厅", "机宻★5午"),
    ("机*密★2年\n中共某县委组织部", "机*密★2年"),
    ("机\u200b密\u200b★5年\n省委第三巡视组", "机\u200b密\u200b★5年"),
    ("秘密☆1年\n某大学学生处", "秘密☆1年"),
    ("機密★10年\n\n某省国防动员办公室", "機密★10年"),
    ("机密 5年\n关于安保方案的报告", "机密 5年"),  # ★ lost by OCR
    ("【机密★5年】\n关于港口安保的通知", "机密★5年"),
    # pasted inline after a prompt
    ("帮我润色：机密★3年 某市公安局关于开展专项行动的通知 各分局：……", "机密★3年"),
    ("请把这份材料改成讲话稿：\n\n机密★5年\n各分局、各警种：本届博览会期间……", "机密★5年"),
    # the level word alone (older layouts, top-right), or as a bracketed tag
    ("机密\n中共某区委办公室\n关于调整区管干部的请示", "机密"),
    ("\u3000" * 16 + "秘密\n某市教育局\n关于高考命题人员封闭管理的安排", "秘密"),
    ("【绝密】\n关于某项目的情况报告", "绝密"),
    # residual ★+period with the level deleted or blacked out
    ("★5年\n\n中共某市委组织部\n关于干部个人事项查核结果的报告", "★5年"),
    ("■■■■★■年\n中共某学院纪律检查委员会\n审查调查报告", "■■■■★■年"),
    # 密级 fields (发文稿纸, 签报) and prose self-declarations
    ("发文稿纸\n签发：\n密级：秘密\u3000\u3000紧急程度：平急\n标题：关于开展专项检查的通知", "密级：秘密"),
    ("签报\n密 级：机密\n报送：分管副市长", "密 级：机密"),
    ("保密等级：绝密\n关于某事项的报告", "保密等级：绝密"),
    ("本件密级为机密级，保密期限五年，请妥善保管。\n关于大桥检测异常的专报", "本件密级为机密"),
    ("以下内容属于机密，请帮我总结：\n一、……", "以下内容属于机密"),
]

MENTIONS = [
    "他看到1份机密级文件，随手拍照发到了群里。",
    "涉密公文应当标注密级和保密期限，例如“机密★5年”，一般用3号黑体字。",
    "国家秘密的密级分为绝密、机密、秘密三级。",
    "工作秘密与国家秘密有什么区别？实践中常标注“内部”等字样。",
    "某局干部将一份标有“秘密★1年”的文件拍照，受到处分。",
    "据悉，该文件被标注为机密★20年。",
    "问：机密★5年中的“5年”指什么？",
    "题目：下列标注正确的是（\u3000）\nA．机密★5年\u3000B．机密5年★",
    "1. 绝密★启用前的试卷应当放入保密柜。",
    "公文格式：份号、密级和保密期限（如：机密★5年）、紧急程度等。",
    "考生须知：试题在启用前属于绝密级国家秘密。",
    "1. 关于汛期水库调度工作的通知（原密级：秘密，已解密）",
    "机密★10年\u3000关于2014年防汛工作的通知（已解密）",
    "密级标志示例：\n绝密★30年\n机密★20年\n秘密★10年",
    "机密★10年\n表示该文件属于机密级，保密期限为10年。",
    "文件密级：绝密/机密/秘密（请勾选）",
    "该文件密级为秘密的，保密期限一般不超过10年。",
    "本文件不属于国家秘密，可以公开。",
    "本报告是机密级文件管理工作的总结。",
    "信封正面赫然印着：\n绝密\n他倒吸一口凉气。",
    "秘密\n我有一个秘密\n藏在心底\n不告诉你",
    "档案馆里那只写着“机密”二字的旧纸袋。",
    "一名年轻的特工奉命窃取一份绝密图纸。",
    "江屿省青年书法家协会秘书处通知：征稿截止时间延长。",
    "泄露国家机密是严重的违法行为。",
    "某科技公司诉前员工侵犯商业秘密案一审宣判。",
    "祖传秘制红烧肉做法：五花肉切块焯水。",
    "top secret (绝密), secret (机密) and confidential (秘密)",
]


@pytest.mark.parametrize("text,span", MARKINGS)
def test_marking_found(text: str, span: str) -> None:
    check_table_row(recognizer("CnClassificationRecognizer"), text, E, span)


@pytest.mark.parametrize("text", MENTIONS)
def test_mention_not_reported(text: str) -> None:
    check_table_row(recognizer("CnClassificationRecognizer"), text, None, None)


def test_scores_order_forms() -> None:
    rec = recognizer("CnClassificationRecognizer")

    def best(text: str) -> float:
        return max((r.score for r in rec.analyze(text)), default=0.0)

    full = best("000123\n机密★5年\n特急\n\n某省人民政府文件\n某政发〔2024〕12号")
    inline = best("帮我润色：机密★3年 关于某事的通知")
    bare_no_doc = best("秘密\n今天天气很好，我们去公园。")
    assert full >= 0.95 > inline >= 0.5 > bare_no_doc
