"""PersonNameRecognizer: Chinese names next to labels, titles, verbs of speech and contact data; English and
pinyin names after titles and labels. Not: masked names, a surname with a title only, common words that
start with a surname character, places, organisations, public / historical figures."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.pii_person_name import PersonNameRecognizer

from .test_pii_support import check_row, engine_for

E = "PERSON_NAME"

ROWS = [
    # labels
    ("姓名：邓雅琴　性别：女　民族：汉", E, "邓雅琴"),
    ("收货人：欧阳明月，电话见订单", E, "欧阳明月"),
    ("申请人 司马云飞 承诺所填信息真实", E, "司马云飞"),
    ("户名江海涛，开户行农业银行", E, "江海涛"),
    ("乙方（承租人）：上官婉儿", E, "上官婉儿"),
    ("经办人签字：雷鸣", E, "雷鸣"),
    ("紧急联系人：黄小平（父亲）", E, "黄小平"),
    ("我叫邱梓萱，今年读大二。", E, "邱梓萱"),
    ("学生：田甜，三年级二班", E, "田甜"),
    ("患者：蒙思琪，女，42岁，主诉头痛三天。", E, "蒙思琪"),
    # titles and roles before / after
    ("请转告王建国同志，明天上午九点开会。", E, "王建国"),
    ("请把材料交给韦丽娟老师和覃志强老师。", E, "韦丽娟"),
    ("请把材料交给韦丽娟老师和覃志强老师。", E, "覃志强"),
    ("感谢快递员师傅严俊峰冒雨送件。", E, "严俊峰"),
    ("主持人：校党委副书记 石宏伟", E, "石宏伟"),
    ("本周由戴文博副局长带队检查。", E, "戴文博"),
    ("据许晓燕介绍，项目已于上月验收。", E, "许晓燕"),
    ("会上，潘志远表示将加快进度。", E, "潘志远"),
    # next to contact data
    ("值班安排：周一 钟雨菲 13305718899", E, "钟雨菲"),
    ("联系廖俊杰，电话0571-88982231", E, "廖俊杰"),
    ("白雪晴 xueqing.bai@example.com", E, "白雪晴"),
    ("他的同事赵凯（男，35岁）也在现场。", E, "赵凯"),
    # chat logs, signature blocks, letters, tables, lists
    ("孟凡宇：明天几点集合？\n常乐：八点，校门口\n孟凡宇：好的", E, "孟凡宇"),
    ("祁少华 | 招生办公室 主任\n电话：0931-8912345", E, "祁少华"),
    ("此致\n敬礼！\n\n范文婷\n2024年9月1日", E, "范文婷"),
    ("序号 姓名 部门 电话\n1 姜宇航 办公室 13800138000\n2 龙海燕 财务处 13900139000", E, "龙海燕"),
    ("获奖名单：贺嘉怡、聂子轩、汤思远", E, "聂子轩"),
    # English
    ("Please contact Mr. James O'Brien about the invoice.", E, "Mr. James O'Brien"),
    ("Dear Prof. Nakamura,", E, "Prof. Nakamura"),
    ("Contact: Anna Schmidt, room 204", E, "Anna Schmidt"),
    ("Dear Olivia,\nThank you for your letter.", E, "Olivia"),
    ("Best regards,\nDaniel Fischer\nAdmissions Office", E, "Daniel Fischer"),
    ("Passenger: Zhao Yufei, passport E12345678", E, "Zhao Yufei"),
    ("Please ask Huang Zitao to call 13698765432.", E, "Huang Zitao"),
    # not personal data
    ("张某某违规收受礼品，李某受到警告，王××已被处分，赵**说明情况。", None, None),
    ("X某同志反映问题属实。", None, None),
    ("班主任蔡老师请家长配合，严女士已回复。", None, None),
    ("高度重视安全生产，王国维的境界说影响深远。", None, None),
    ("张开双臂迎接新学期，周末去黄金海岸，方法很重要。", None, None),
    ("他在深圳工作，北京市是首都，江苏省教育厅发布通知。", None, None),
    ("鲁迅说过：其实地上本没有路。", None, None),
    ("毛泽东同志指出，没有调查就没有发言权。", None, None),
    ("苏轼在《赤壁赋》中写道，清风徐来。", None, None),
    ("各位老师、同学们：大家好！", None, None),
    ("时间：2024年6月11日\n地点：三楼会议室\n方法：问卷调查", None, None),
    ("安全：定期检查\n质量：严格把关", None, None),
    ("人民代表大会第四次会议胜利闭幕", None, None),
    ("本文认为，高校应当加强管理。", None, None),
    ("林业局局长表示将加大投入。", None, None),
    ("申请人应当在截止日期前提交材料。", None, None),
    ("负责人：各学院分管领导", None, None),
    ("联系人：区政府办公室", None, None),
    ("例如：张三，身份证号码略；李四同理。", None, None),
    ("教授级高级工程师评审通知", None, None),
    ("主讲人：某知名高校教育学部教授", None, None),
    ("Dear Sir or Madam,", None, None),
    ("Best regards,\nInternational Office", None, None),
    ("He Long and Sun Yat-sen were historical figures.", None, None),
    ("To: All staff", None, None),
]


@pytest.mark.parametrize("text,entity,span", ROWS)
def test_table(text: str, entity: str | None, span: str | None) -> None:
    check_row(engine_for(PersonNameRecognizer), text, entity, span)


def test_every_speaker_line_is_covered() -> None:
    text = "刘洋：钱我先垫了\n群友A：收到\n刘洋：卡号发群里了"
    spans = [text[f.start:f.end] for f in engine_for(PersonNameRecognizer).analyze(text) if f.score >= 0.5]
    assert spans == ["刘洋", "刘洋"]


def test_name_boundary_inside_running_text() -> None:
    text = "感谢物业维修师傅邵国栋上周帮我修好了水管"
    spans = [text[f.start:f.end] for f in engine_for(PersonNameRecognizer).analyze(text) if f.score >= 0.5]
    assert spans == ["邵国栋"]
