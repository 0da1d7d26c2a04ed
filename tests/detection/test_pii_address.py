"""AddressRecognizer: Chinese postal addresses as one span (first administrative unit to the room), building
and room alone, English street addresses; not place names, organisation addresses, 公文 numbers."""
from __future__ import annotations

import pytest

from proxy.detection.recognizers.pii_address import AddressRecognizer

from .test_pii_support import check_row, engine_for

E = "ADDRESS"

ROWS = [
    ("收货地址：四川省成都市武侯区人民南路四段27号芳草小区6栋2单元301室", E,
     "四川省成都市武侯区人民南路四段27号芳草小区6栋2单元301室"),
    ("我家住在成都市武侯区浆洗街道磨子桥社区一环路南三段24号附1号4栋3单元502", E,
     "成都市武侯区浆洗街道磨子桥社区一环路南三段24号附1号4栋3单元502"),
    ("寄到：广东省深圳市南山区科技园南路18号创业大厦B座1203室", E, "广东省深圳市南山区科技园南路18号创业大厦B座1203室"),
    ("家庭住址：湖北省宜昌市西陵区夷陵大道116号", E, "湖北省宜昌市西陵区夷陵大道116号"),
    ("现住址 北京市海淀区中关村大街27号院3号楼1单元702", E, "北京市海淀区中关村大街27号院3号楼1单元702"),
    ("户籍地址：河南省信阳市平桥区明港镇李家村28号", E, "河南省信阳市平桥区明港镇李家村28号"),
    ("上海市徐汇区漕溪北路595弄12号1402室，请放门卫", E, "上海市徐汇区漕溪北路595弄12号1402室"),
    ("房东在杭州市拱墅区湖墅南路188号金都华府5幢1003室", E, "杭州市拱墅区湖墅南路188号金都华府5幢1003室"),
    ("我是12栋2104室的业主", E, "12栋2104室"),
    ("住在碧桂园小区3栋502室", E, "碧桂园小区3栋502室"),
    ("Ship to: 1600 Amphitheatre Parkway, Mountain View, CA 94043", E,
     "1600 Amphitheatre Parkway, Mountain View, CA 94043"),
    ("Her address is 221B Baker Street, London NW1 6XE.", E, "221B Baker Street, London NW1 6XE"),
    ("I live at 77 Rue de Rivoli, 75001 Paris.", E, "77 Rue de Rivoli, 75001 Paris"),
    ("Mail it to Anna Schmidt, Hauptstraße 5, 10115 Berlin", E, "Hauptstraße 5, 10115 Berlin"),
    ("Room 501, Building 3, No. 88 Xuefu Road, Lanzhou", E, "Room 501, Building 3, No. 88 Xuefu Road, Lanzhou"),
    ("Apt 4B, 350 Fifth Avenue, New York, NY 10118", E, "Apt 4B, 350 Fifth Avenue, New York, NY 10118"),
    ("Send it to 123 Main Street, Apt 4B, Springfield, IL 62704 by Friday.", E,
     "123 Main Street, Apt 4B, Springfield, IL 62704"),
    ("The office is at 500 W 5th St, Suite 300, Austin, TX 78701.", E, "500 W 5th St, Suite 300, Austin, TX 78701"),
    ("She lives at 12 Oak Lane.", E, "12 Oak Lane"),
    ("地址：北京市朝阳区建国路88号SOHO现代城A座2201", E, "北京市朝阳区建国路88号SOHO现代城A座2201"),
    ("我住在重庆市渝北区龙溪街道金龙路1号龙湖花园5-2-301", E, "重庆市渝北区龙溪街道金龙路1号龙湖花园5-2-301"),
    # negatives
    ("京政发〔2024〕12号", None, None),
    ("根据澜政办发[2023]45号文件精神，共受理143件。", None, None),
    ("他在深圳工作，北京市是首都，我们去了上海市浦东新区。", None, None),
    ("学校地址：澜州市学院路1号", None, None),  # an organisation's address (below the threshold)
    ("活动地点：市民中心广场3号厅", None, None),
    ("会议室在行政楼204室", None, None),
    ("第3号楼正在施工，请绕行", None, None),
    ("地铁2号线学院路站下车", None, None),
    ("这条路12号以后封闭施工", None, None),
    ("In 2023 Main Street festival drew crowds.", None, None),
    ("Section 3 Road Safety", None, None),
    ("We met at 10 am on Monday.", None, None),
]


@pytest.mark.parametrize("text,entity,span", ROWS)
def test_table(text: str, entity: str | None, span: str | None) -> None:
    check_row(engine_for(AddressRecognizer), text, entity, span)
