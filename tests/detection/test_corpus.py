"""The development corpus (../shared/corpus/dev.jsonl) and a held-out set of our own texts.

Marking categories must be found (recall >= 0.95); allow categories must produce no marking finding at the
blocking threshold (false-positive rate 0). Evasion / OCR categories depend on the normalizer as well: their
recall is printed and held to a floor below what the recognizers reach on their own (identity normalizer).
Per-category numbers are printed even without ``-s``.
"""
from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest

from proxy.detection.categories import MARKING_CATEGORIES, categorize
from proxy.detection.engine import DetectionEngine
from proxy.text.normalize import Normalized

CORPUS = Path(__file__).parents[2].parent / "shared/corpus/dev.jsonl"
THRESHOLD = 0.5
MUST_FIND = ("marking", "marking_internal", "english_marking")
DISGUISED = ("marking_evasion", "ocr_noise")
ALLOW = ("about_secrecy", "public_doc", "benign_writing", "code_benign", "english_benign", "english_about_secrecy")
#: floors for DISGUISED: the recognizers alone (identity normalizer) find 9/9 and 3/3 today; margin for
#: normalizer changes and for corpus revisions that add items whose marking is entirely destroyed
DISGUISED_FLOOR = 0.75


def _identity(text: str) -> Normalized:
    return Normalized(original=text, text=text)


def _marks(engine: DetectionEngine, text: str) -> bool:
    return bool(set(categorize(engine.analyze(text), THRESHOLD)) & MARKING_CATEGORIES)


def _carries_marking(row: dict) -> bool:
    """Disguised items whose text still carries (part of) a marking; the rest are for content scorers."""
    import regex

    return bool(regex.search(r"[密宻★☆*＊■]|内\s*部|(?i:secret|confidential|fouo)", row["text"][:200]))


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    if not CORPUS.exists():
        pytest.fail(f"development corpus not found at {CORPUS} (it ships in ../shared/corpus beside the repo)")
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def results(rows: list[dict]) -> dict[str, dict[str, list[str]]]:
    engines = {"default": DetectionEngine(), "identity": DetectionEngine(normalizer=_identity)}
    out: dict[str, dict[str, list[str]]] = {}
    for name, engine in engines.items():
        hits: dict[str, list[str]] = defaultdict(list)
        for row in rows:
            if _marks(engine, row["text"]):
                hits[row["category"]].append(row["id"])
        out[name] = hits
    return out


def _count(rows: list[dict], category: str, pred=lambda r: True) -> list[dict]:
    return [r for r in rows if r["category"] == category and pred(r)]


def test_print_per_category(rows, results, capsys) -> None:
    cats = sorted({r["category"] for r in rows})
    lines = ["", "marking findings (score >= 0.5) per corpus category   [default normalizer | identity]"]
    for c in cats:
        n = len(_count(rows, c))
        d, i = len(results["default"].get(c, [])), len(results["identity"].get(c, []))
        lines.append(f"  {c:24s} {d:3d}/{n:<3d} | {i:3d}/{n:<3d}")
    with capsys.disabled():
        print("\n".join(lines))


@pytest.mark.parametrize("category", MUST_FIND)
def test_marking_recall(rows, results, category: str) -> None:
    items = _count(rows, category)
    found = set(results["default"].get(category, []))
    missed = [r["id"] for r in items if r["id"] not in found]
    assert len(found) / len(items) >= 0.95, f"missed {missed}"


@pytest.mark.parametrize("category", DISGUISED)
@pytest.mark.parametrize("engine_name", ["default", "identity"])
def test_disguised_recall(rows, results, category: str, engine_name: str, capsys) -> None:
    items = _count(rows, category, _carries_marking)
    found = [i for i in results[engine_name].get(category, []) if i in {r["id"] for r in items}]
    recall = len(found) / len(items)
    with capsys.disabled():
        print(f"\n  {category} recall with {engine_name} normalizer: {len(found)}/{len(items)} = {recall:.2f}"
              f" (items carrying a marking; {len(_count(rows, category)) - len(items)} without)")
    assert recall >= DISGUISED_FLOOR


@pytest.mark.parametrize("category", ALLOW)
def test_no_false_positive_on_allow_categories(rows, results, category: str) -> None:
    assert _count(rows, category)
    for engine_name in ("default", "identity"):
        assert results[engine_name].get(category, []) == [], f"{engine_name}: false positives"


# -- our own texts: other organisations, wording, layouts (generalisation check) --------------------------

OWN_MARKINGS = [
    "000731\n机密★10年\n\n西岭省发展和改革委员会文件\n西发改〔2025〕88号\n关于西岭新区电网规划调整的请示",
    "秘密★3年\n西岭市审计局\n2024年度市属国企经营性亏损审计发现问题汇总",
    "帮我写个摘要。\n\n秘密 ★ 2 年\n中共西岭市委政法委员会\n关于近期涉稳情况的通报",
    "Please help me translate this into English:\n机密★5年\n西岭市人民政府办公厅\n关于港口安保升级的紧急通知",
    " " * 40 + "秘密\n西岭市教育局\n关于高考命题人员封闭管理的安排",
    "密级：绝密\n签发人：王某\n西岭军分区\n关于民兵应急分队调整的报告",
    "工作秘密★2年\n西岭市信访局\n重点信访人员稳控台账",
    "阅后即焚\n关于西岭大学校长人选的初步考虑",
    "（内部资料，注意保存）\n西岭市统计局2025年上半年经济运行分析",
    "SECRET//NOFORN\nSUBJECT: Harbour defence exercise\n1. (S//NF) The exercise begins on 3 March.\nSECRET//NOFORN",
    "OFFICIAL-SENSITIVE\nRisk register – Westridge Council procurement",
    "帮我润色一下：机密★3年 西岭市公安局关于开展“雷霆”专项行动的通知 各分局：……",
    "機密★伍年\n西嶺省國防動員辦公室",
]

OWN_MENTIONS = [
    "保密教育课件第三讲：密级怎么标？绝密、机密、秘密后面加★，再写保密期限，比如秘密★1年。",
    "新闻：西岭市一干部因将标有“机密★10年”字样的文件带回家中被处分。",
    "问：一份文件右上角写着“秘密★3年”，这是什么意思？答：表示该文件为秘密级国家秘密，保密期限3年。",
    "西岭市人民政府关于公布2018年到期解密文件的通告\n1. 关于防汛工作的通知（原密级：机密★5年，现已解密）",
    "请问“内部资料 注意保存”和“秘密★1年”哪个保密等级更高？",
    "秘密花园主题婚礼策划方案\n一、场地布置：以绿植和花艺为主。",
    "Our company's internal use only policy says drafts must not be shared; can you explain it simply?",
    "In the film, the agent opens a folder stamped TOP SECRET and finds a map.",
    "研究生入学考试试题属于绝密级国家秘密，考生不得携带试题离开考场。",
    "机密级、秘密级文件应当存放在保密柜中，绝密级文件应当存放在保险柜中。",
    "密级标识规范\n绝密★30年\n机密★20年\n秘密★10年",
    "这个礼物你先帮我保密，别告诉他。",
]


@pytest.fixture(scope="module")
def default_engine() -> DetectionEngine:
    return DetectionEngine()


@pytest.mark.parametrize("text", OWN_MARKINGS)
def test_own_markings(default_engine: DetectionEngine, text: str) -> None:
    assert _marks(default_engine, text)


@pytest.mark.parametrize("text", OWN_MENTIONS)
def test_own_mentions(default_engine: DetectionEngine, text: str) -> None:
    assert not _marks(default_engine, text)
