"""Postal addresses: Chinese (省/市/区/县/镇/街道 … 路/街/巷 N号 … 小区 N栋 N单元 N室) and English street addresses.

Chinese addresses are found from an ANCHOR that prose rarely contains: a road word followed by a house number
(``学府路88号``, ``江南大道1688号``) or a building number (``3幢``, ``5号楼``, ``7栋``). From there the span grows
left over the place-name run before the road (administrative units 江屿省澜州市西湖区…, stopping at verbs and
particles: 住在, 位于, 地址：) and right over community, building, unit, floor and room
(``翠园小区3幢2单元501室``), so one span covers "the first administrative unit to the house number".

Scores: a road address with a residential part (小区/公寓/栋/单元/室 …) 0.85; building + room alone
(``7栋1203室``) 0.6 (0.75 after 住/我家/业主 …); a road address without residential part counts after a
personal label (住址, 家住, 收货地址, 房屋坐落 …, 0.75) or in a text about a person (0.55); otherwise it is
probably an organisation's address (0.45, below the redaction threshold), and after 办公地址 / 活动地点 /
举行 … it is kept at 0.4. Place names alone (北京市, 在深圳工作) have no anchor and are never reported.

English: ``123 Main Street, Apt 4B, Springfield, IL 62704``; ``42 Calle de la Luna, Valencia 46001, Spain``;
``Via Roma 12``; ``Hauptstraße 5``; ``Room 501, Building 3, No. 88 Xuefu Road`` (0.7, 0.85 next to
address words).
"""
from __future__ import annotations

from collections.abc import Iterator

from proxy.detection import bounded
from proxy.detection.recognizers.pii_common import (NA, Hit, PiiRecognizer, ascii_view, bounded_loop, is_han,
                                                    iter_matches)

_CN_NUM = "0-9一二三四五六七八九十百零〇两"
#: a road word and a house number (the match starts at the road word's LAST character, see _anchors)
ROAD_ANCHOR = bounded.compile(rf"[道街路巷弄同段村](?<=道|大街|路|街|巷|弄|胡同|段|村)[{_CN_NUM}]{{1,6}}(?:-\d{{1,4}})?号(?:院|楼)?")
#: a building number (the match starts at the counter word; the digits are before it)
BUILDING_ANCHOR = bounded.compile(r"[栋幢座楼院](?<=(?<![0-9])\d{1,4}(?:号楼|栋|幢|座|号院))")
_SP = r"[ \t]?"
COMMUNITY = bounded.compile(
    rf"{_SP}(?:[A-Za-z]{{1,8}})?\p{{Han}}{{1,12}}(?:小区|花园|公寓|家园|新村|社区|大厦|广场|苑|园|庭|府|城|村|里|坊|公馆|山庄|大院|宿舍|中心|"
    r"名都|华府|雅居|楼)(?=[ \t]?(?:[\dA-Z]|[,，。;；\s)）]|$))")
BUILDING = bounded.compile(rf"{_SP}(?:附\d{{1,3}}号{_SP})?(?:\d{{1,4}}|[A-Z])(?:号楼|栋|幢|座|号院|区|期)")
UNIT = bounded.compile(rf"{_SP}(?:\d{{1,3}}|[一二三四五六七八九十]{{1,2}})单元")
FLOOR = bounded.compile(rf"{_SP}\d{{1,2}}(?:层|楼)(?!\d)")
ROOM = bounded.compile(rf"{_SP}(?:\d{{1,5}}(?:室|房|户|号房?)|\d{{3,4}}(?![\d号栋幢]))")
DASHED = bounded.compile(rf"{_SP}\d{{1,3}}-\d{{1,2}}-\d{{3,4}}(?:室)?{NA}")

#: characters that end the place-name run before a road (verbs, particles, pronouns)
STOP = frozenset("在住于是到至的与了往去来我你他她们请将把址落着过对给让被就也还又已要能应需为有这那其及或但而并且您")
ADMIN = bounded.compile(r"省|自治区|特别行政区|市|自治州|地区|盟|区|县|旗|镇|乡|街道|村")
PERSONAL = bounded.compile(
    r"住址|家住|住在|现住|居住|家庭地址|家庭住址|收货地址|收件地址|送货地址|寄件地址|户籍|籍贯|坐落|房屋|我家|租住|"
    r"寄到|寄往|寄至|送到|送至|业主|(?i:address|residing|resides|lives? at)")
PERSON_TEXT = bounded.compile(r"收件人|收货人|寄件人|姓名|本人|我家|我住|个人简历|业主|租客|租户|房东|身份证|手机")
ORG = bounded.compile(r"办公地址|单位地址|学校地址|公司地址|会址|地点|举办|举行|召开|报名|咨询|(?i:venue|office)")

# English
_W = r"(?:\p{Lu}[\p{L}'.\-]*+(?![0-9])|\d{1,3}(?:st|nd|rd|th)(?![A-Za-z0-9]))"
_TYPE = (r"(?:Street|St|Road|Rd|Avenue|Ave|Boulevard|Blvd|Lane|Ln|Drive|Dr|Court|Ct|Way|Place|Pl|Square|Sq|"
         r"Terrace|Close|Crescent|Highway|Hwy|Parkway|Pkwy|Circle|Cir|Trail|Row|Walk|Alley|Gardens)\.?(?![A-Za-z])")
_PTYPE = (r"(?:Calle|Rue|Via|Viale|Avenida|Rua|Piazza|Plaza|Carrer|Paseo|Passeig|Strada|Largo|Praça|Travessa|"
          r"Ulica|Corso|Avenue|Boulevard)")
_PART = r"(?:de|del|de la|des|du|di|da|do|dos|das|la|le|les|el|los|las|van|von|der|den|" + _W + ")"
_UNIT_EN = r"(?:Room|Rm|Flat|Apt|Apartment|Unit|Suite|Ste|Building|Bldg|Block|Floor|Fl)\.?[ \t]*[\dA-Z][\w\-]*"
_POST = r"(?:\d{4,6}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?[ \t]*\d[A-Z]{2})"
_TAIL = (rf"(?:,?[ \t]*(?:{_UNIT_EN}|#[ \t]*[\w\-]+))?"
         rf"(?:,[ \t]*(?!(?:and|or|to|the|from|for|with|which|who|where|but|in|on|at)\b)"
         rf"(?:{_W}(?:[ \t]+{_W}){{0,3}}(?:[ \t]+{_POST})?|{_POST}(?:[ \t]+{_W}(?:[ \t]+{_W}){{0,2}})?)){{0,3}}")
#: where an English street address may start: a house number followed by a capitalised word
EN_NUMBER = bounded.compile(r"\d(?<![0-9A-Za-z]\d)\d{0,4}[A-Za-z]?(?:-\d{1,5})?,?[ \t]+(?=\p{Lu})")
#: the address from its house number: ``123 Main Street …`` or ``42 Calle de la Luna …``
EN_FROM_NUMBER = bounded.compile(
    rf"(?P<num>\d{{1,5}})[A-Za-z]?(?:-\d{{1,5}})?,?[ \t]+(?:(?:(?:{_W})[ \t]+){{1,4}}?{_TYPE}|"
    rf"{_PTYPE}(?:[ \t]+{_PART}){{1,5}}){_TAIL}")
#: unit / building / No. parts written before the house number (``Room 501, Building 3, No. 88 …``)
EN_UNITS_BEFORE = bounded.compile(rf"(?:{_UNIT_EN},?[ \t]+)*(?:No\.[ \t]*)?$")
#: forms without a leading house number: ``Via Roma 12``, ``Hauptstraße 5``, ``P.O. Box 1234``
EN_OTHER = bounded.compile(
    rf"(?<![A-Za-z]){_PTYPE}(?:[ \t]+{_PART}){{1,4}},?[ \t]+\d{{1,5}}[a-z]?{NA}{_TAIL}|"
    rf"(?<![A-Za-z])\p{{Lu}}\p{{Ll}}+(?:straße|strasse|str\.|weg|gasse|platz|allee|damm)[ \t]+\d{{1,4}}[a-z]?{NA}"
    rf"{_TAIL}|"
    rf"(?<![A-Za-z])P\.?[ \t]?O\.?[ \t]+Box[ \t]+\d{{1,6}}{_TAIL}")
#: an English address has one of these (checked with ``in`` before any English pattern runs)
_EN_GATE = ("St", "Rd", "Road", "Ave", "Blvd", "Boulevard", "Lane", "Ln", "Dr", "Ct", "Court", "Way", "Pl", "Sq",
            "Terrace", "Close", "Crescent", "Hwy", "Highway", "Pkwy", "Parkway", "Cir", "Trail", "Row", "Walk",
            "Alley", "Gardens", "Calle", "Rue", "Via", "Avenida", "Rua", "Piazza", "Plaza", "Carrer", "Paseo",
            "Passeig", "Strada", "Largo", "Praça", "Travessa", "Ulica", "Corso", "stra", "weg", "gasse", "platz",
            "allee", "damm", "Box")
_EN_OTHER_GATE = ("Calle", "Rue", "Via", "Avenida", "Rua", "Piazza", "Plaza", "Carrer", "Paseo", "Passeig", "Strada",
                  "Largo", "Praça", "Travessa", "Ulica", "Corso", "Avenue", "Boulevard", "stra", "weg", "gasse",
                  "platz", "allee", "damm", "Box")
EN_CONTEXT = bounded.compile(r"(?i:address|residing|resides|live at|lives at|living at|located at|ship to|"
                             r"deliver to|mail to|send to|home|住址|地址)")


class AddressRecognizer(PiiRecognizer):
    ENTITY = "ADDRESS"

    def find(self, text: str) -> Iterator[Hit]:
        if any(c in text for c in "路街道巷弄同段村栋幢座楼院"):
            yield from self._chinese(text)
        view = ascii_view(text)
        if any(c in view for c in "0123456789") and any(w in view for w in _EN_GATE):
            yield from self._english(text, view)

    def _anchors(self, text: str) -> Iterator[tuple[int, int, bool]]:
        """(start, end, is_road) of every anchor, in text order."""
        found: list[tuple[int, int, bool]] = []
        for m in iter_matches(ROAD_ANCHOR, text, "pii_address.road"):
            s = m.start()
            if text[s - 1:s + 1] in ("大道", "大街", "胡同"):
                s -= 1
            found.append((s, m.end(), True))
        if any(c in text for c in "栋幢座") or "号楼" in text or "号院" in text:
            for m in iter_matches(BUILDING_ANCHOR, text, "pii_address.building_anchor"):
                s = m.start()
                if text[s - 1] == "号":
                    s -= 1
                while s > 0 and text[s - 1].isdigit():
                    s -= 1
                found.append((s, m.end(), False))
        found.sort()
        return iter(found)

    def _chinese(self, text: str) -> Iterator[Hit]:
        done = 0
        person_text: bool | None = None
        for a_start, a_end, road in bounded_loop(self._anchors(text), "pii_address.anchors"):
            if a_start < done:
                continue
            start = self._left(text, a_start, road)
            pos = a_end
            parts = {"road": road, "building": not road}
            for name, rx in (("community", COMMUNITY), ("building", BUILDING), ("unit", UNIT), ("floor", FLOOR),
                             ("room", ROOM)):
                if name == "building" and parts["building"]:
                    continue
                r = bounded.match(rx, text[pos:pos + 40], f"pii_address.{name}")
                if r is not None:
                    pos += r.end()
                    parts[name] = True
            if not parts.get("room"):
                r = bounded.match(DASHED, text[pos:pos + 16], "pii_address.dashed")
                if r is not None:
                    pos += r.end()
                    parts["room"] = True
            end = pos
            while end > start and text[end - 1] in " \t":
                end -= 1
            prefix = text[start:a_start]
            admin = bool(bounded.search(ADMIN, prefix, "pii_address.admin"))
            residential = any(parts.get(k) for k in ("unit", "room")) or (
                parts.get("community") and bounded.search(_RESIDENTIAL, text[a_end:end], "pii_address.res"))
            personal = bool(bounded.search(PERSONAL, text[max(0, start - 12):start], "pii_address.personal"))
            org = bool(bounded.search(ORG, text[max(0, start - 12):start], "pii_address.org"))
            if road:
                if residential or (parts.get("building") and parts.get("room")):
                    score, why = 0.85, "street address with building/unit/room"
                elif personal:
                    score, why = 0.75, "street address after a personal address label"
                else:
                    if person_text is None:
                        person_text = bool(bounded.search(PERSON_TEXT, text, "pii_address.person_text"))
                    if person_text and admin and not org:
                        score, why = 0.55, "street address with administrative units in a text about a person"
                    else:
                        score, why = (0.4, "street address of a venue or office") if org else (
                            0.45, "street address (probably an organisation's)")
                if org and not residential:
                    score = min(score, 0.4)
            else:
                if not parts.get("room"):
                    continue  # 3号楼 alone is a building, not an address
                if start < a_start and (admin or parts.get("community")):
                    score, why = 0.8, "place, building and room"
                else:
                    score, why = (0.75, "building and room after a personal cue") if personal or bounded.search(
                        _HOME, text[max(0, start - 8):start], "pii_address.home") else (0.6, "building and room")
            done = end
            yield Hit(start, end, score, why)

    @staticmethod
    def _left(text: str, anchor: int, road: bool) -> int:
        """Start of the place-name run before the anchor (administrative units and the road name)."""
        lo = max(0, anchor - 30)
        s = anchor
        while s > lo and ((is_han(text[s - 1]) and text[s - 1] not in STOP) or text[s - 1] in _DIGITS_DASH):
            s -= 1
        while s < anchor and text[s] in _DIGITS_DASH:  # 漕溪北路595弄: digits inside, never at the start
            s += 1
        if not road:  # before a building number: only a community / place name counts
            run = text[s:anchor]
            if not run or not bounded.search(_BEFORE_BUILDING, run, "pii_address.before_building"):
                return anchor
        return s

    def _english(self, text: str, view: str) -> Iterator[Hit]:
        spans: list[tuple[int, int, str]] = []
        for a in iter_matches(EN_NUMBER, text, "pii_address.en_number"):
            s = a.start()
            m = bounded.match(EN_FROM_NUMBER, text[s:s + 240], "pii_address.en_street")
            if m is None:
                continue
            units = bounded.search(EN_UNITS_BEFORE, text[max(0, s - 80):s], "pii_address.en_units")
            start = s - (len(units.group(0)) if units is not None else 0)
            spans.append((start, s + m.end(), m.group("num") or ""))
        if any(w in view for w in _EN_OTHER_GATE):
            for m in iter_matches(EN_OTHER, text, "pii_address.en_other"):
                spans.append((m.start(), m.end(), ""))
        done = 0
        for s, e, num in sorted(spans):
            if s < done:
                continue
            while e > s and text[e - 1] in " \t,":
                e -= 1
            if text[e - 1] == "." and text[max(s, e - 5):e - 1].rsplit(" ", 1)[-1] not in _EN_ABBREVIATIONS:
                e -= 1  # a sentence's full stop, not the dot of St. / Rd.
            done = e
            ctx = bool(bounded.search(EN_CONTEXT, text[max(0, s - 40):s], "pii_address.en_context"))
            year_like = len(num) == 4 and num[:2] in ("19", "20")
            score = 0.85 if ctx else (0.4 if year_like else 0.7)
            yield Hit(s, e, score, "street address" + (" after an address word" if ctx else ""))


_DIGITS_DASH = frozenset("0123456789-")
_EN_ABBREVIATIONS = frozenset("St Rd Ave Blvd Ln Dr Ct Pl Sq Hwy Pkwy Cir Apt Ste Rm Fl No".split())
_RESIDENTIAL = bounded.compile(r"小区|公寓|家园|新村|苑|花园|庭|府|村|宿舍|栋|幢|号楼|单元|室")
_BEFORE_BUILDING = bounded.compile(
    r"(?:小区|花园|公寓|家园|新村|社区|苑|园|庭|府|城|村|里|坊|公馆|山庄|大院|宿舍|大厦)$")
_HOME = bounded.compile(r"我是|我家|住在|家住|业主|住户|租住|住")
