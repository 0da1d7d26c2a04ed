"""Property tests (hypothesis) for proxy.text.normalize."""
from __future__ import annotations

import contextlib
from typing import Iterator

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from proxy.text.normalize import Normalized, normalize

SETTINGS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

CJK = "机密绝秘内部资料年月长期启用前公开保存收回注意我们今天去他你是否特急国家文件份号第条"
TRAD = "機絕絶祕袐內資料長啓啟開閱後収囘宻秊級國們"
STARS = "★☆✩✪✫✭✯⭐⋆✱✲✳✴✵✶❋⁎∗﹡＊٭"
INVISIBLE = (
    "\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f\u202a\u202e\u2066\u2069\ufe0f\ufe00\u180e"
    "\U000e0041\U000e0100\u3164"
)
FULLWIDTH = "０１２３４５６７８９ＡＢＣＸｙｚ，：；（）！？＊－　"
SPACES = " \t\u3000\u00a0\n"
ASCII = "abcXYZ0123456789 .,-_*/|#:;'\"()[]{}"
OTHER = "①⑩㊙⽤…—–・·、。“”《》\u0301\u20e3𠮷😀ﬁ²¼"
ALPHABET = CJK + TRAD + STARS + INVISIBLE + FULLWIDTH + SPACES + ASCII + OTHER

random_text = st.text(alphabet=st.sampled_from(ALPHABET), max_size=80)


def check_map(n: Normalized) -> None:
    if n.starts is None or n.ends is None:
        assert n.starts is None and n.ends is None
        assert len(n.text) == len(n.original)
        return
    assert len(n.starts) == len(n.ends) == len(n.text)
    for i in range(len(n.text)):
        assert 0 <= n.starts[i] < n.ends[i] <= len(n.original)
        if i:
            assert n.starts[i - 1] <= n.starts[i]
            assert n.ends[i - 1] <= n.ends[i]


@SETTINGS
@given(random_text)
def test_offset_map_invariants(text: str) -> None:
    n = normalize(text)
    assert n.original == text
    check_map(n)


@SETTINGS
@given(random_text, st.data())
def test_to_original_contains_every_source(text: str, data: st.DataObject) -> None:
    n = normalize(text)
    assume(len(n.text) > 0)
    i = data.draw(st.integers(0, len(n.text) - 1))
    j = data.draw(st.integers(i + 1, len(n.text)))
    a, b = n.to_original(i, j)
    assert 0 <= a < b <= len(text)
    if n.starts is not None and n.ends is not None:
        for k in range(i, j):
            assert a <= n.starts[k] and n.ends[k] <= b


# --------------------------------------------------------------------------------------- disguised markings

MARKINGS = ["机密★5年", "绝密★启用前", "秘密★10年", "秘密★长期", "机密★20年", "内部资料"]
VARIANT_OF = {
    "机": "機", "绝": "絕絶", "秘": "祕袐", "密": "宻", "内": "內", "资": "資", "长": "長镸⻑",
    "启": "啓啟", "年": "秊", "★": STARS.replace("★", ""),
}
FULLWIDTH_DIGIT = {str(d): chr(0xFF10 + d) for d in range(10)}
# gaps between two characters of a marking: nothing, invisibles, spaces, and (between two ideographs)
# the separators people type between the characters of a word
invisible_gap = st.text(alphabet=st.sampled_from(INVISIBLE), min_size=1, max_size=3)
space_gap = st.sampled_from([" ", "  ", "\u3000", "\t", " \u200b ", "\u3000\u3000"])
word_gap = st.sampled_from(["-", "_", ".", "·", "\n", "/", "|", " - ", "*", "，", "\u00b7"])


def is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


@st.composite
def disguised(draw: st.DrawFn) -> tuple[str, str]:
    marking = draw(st.sampled_from(MARKINGS))
    out: list[str] = []
    for i, ch in enumerate(marking):
        if i:
            kinds = [st.just(""), invisible_gap, space_gap]
            if is_han(marking[i - 1]) and is_han(ch) and marking[i - 1 : i + 1] != "期":
                kinds.append(word_gap)
            out.append(draw(st.one_of(*kinds)))
        form = ch
        if ch in VARIANT_OF and draw(st.booleans()):
            form = draw(st.sampled_from(VARIANT_OF[ch]))
        elif ch in FULLWIDTH_DIGIT and draw(st.booleans()):
            form = FULLWIDTH_DIGIT[ch]
        out.append(form)
    return marking, "".join(out)


surrounding = st.text(alphabet=st.sampled_from(CJK + ASCII + FULLWIDTH + "\n。，"), max_size=30)


@SETTINGS
@given(surrounding, disguised(), surrounding)
def test_disguised_marking_is_found_and_maps_back(before: str, md: tuple[str, str], after: str) -> None:
    marking, disguise = md
    # keep the marking a separate token, as in a document
    original = before + "\n" + disguise + "\n" + after
    n = normalize(original)
    check_map(n)
    assert marking in n.text, (original, n.text)
    i = n.text.index(marking)
    a, b = n.to_original(i, i + len(marking))
    first = len(before) + 1
    last = first + len(disguise)
    assert a <= first and last <= b, (original, n.text, (a, b), (first, last))
    # and the span does not run away: it stays on the marking's line
    assert "\n" not in original[a:b] or "\n" in disguise


glued = st.text(alphabet=st.sampled_from(CJK + ASCII), max_size=30)


@SETTINGS
@given(glued, disguised(), glued)
def test_disguised_marking_glued_to_text(before: str, md: tuple[str, str], after: str) -> None:
    marking, disguise = md
    original = before + disguise + after
    n = normalize(original)
    assert marking in n.text, (original, n.text)
    a, b = n.to_original(n.text.index(marking), n.text.index(marking) + len(marking))
    assert a <= len(before) and len(before) + len(disguise) <= b or marking in normalize(before).text


# --------------------------------------------------------------------------------------- idempotence

ordinary_text = st.text(
    alphabet=st.sampled_from(CJK + TRAD + FULLWIDTH + ASCII + " \n★、。…—"), max_size=80
)


@SETTINGS
@given(ordinary_text)
def test_idempotent(text: str) -> None:
    once = normalize(text).text
    assert normalize(once).text == once


# --------------------------------------------------------------------------------------- local passes == full passes

SEGMENTY = st.text(alphabet=st.sampled_from("机密绝秘内部资料年长期启用前我们12★*☆ \u3000\n.-_,、。！(ab\u200bⅫ⑩"), max_size=40)


def _reference(text: str) -> tuple[str, tuple[int, ...] | None]:
    """normalize() with every context pass run over the whole text (what the local passes must equal)."""
    from proxy.text import chartable, edits, joins
    from proxy.text import normalize as N

    if text.isascii():
        return normalize(text).text, normalize(text).starts
    t, offsets, has_marks = chartable.translate(chartable.char_table(), text)
    starts, ends = offsets if offsets is not None else (None, None)
    if has_marks:
        t, starts, ends, _ = edits.apply(t, starts, ends, joins.mark_edits(t))
    for _ in range(N._MAX_PASSES):
        ed = joins.context_edits(t)
        if not ed:
            break
        t, starts, ends, _ = edits.apply(t, starts, ends, ed)
    return t, (tuple(starts) if starts is not None else None)


@SETTINGS
@given(SEGMENTY)
def test_local_passes_equal_full_passes(text: str) -> None:
    n = normalize(text)
    ref_text, ref_starts = _reference(text)
    assert n.text == ref_text
    assert n.starts == ref_starts


# -------------------------------------------------------------------------------- bulk paths == small-text paths

# Long or dense texts take other code paths (one scan per rule instead of tries at the gate's candidates, one
# str.translate, chains handled together with masks, edits applied with compress); short random texts with
# the thresholds at zero must give exactly what the default paths give.
BULK_THRESHOLDS = {
    ("joins", "_SPARSE_LIMIT"): -1,
    ("chartable", "_MANY_RUNS"): -1,
    ("edits", "LOCAL_LIMIT"): -1,
    ("chains", "_WINDOW_GAP"): 1,
    ("chains", "_MANY_STARS"): -1,
}
DENSE = st.lists(
    st.sampled_from(["\u673a", "\u5bc6", "\u5e74", "5", "12", "\u2605", "*", " ", " * ", "-", "\n", "\u3002",
                     "\uff0c", "\u200b", "\u2469", "\u0301", "A", "\u673a\u5bc6", "\U00020001"]),
    max_size=40,
).map("".join)


CHAIN_TOKENS = ["\u673a", "\u5bc6", "\u5e74", "5", "12", "12345", "\u2605", "\u673a\u5bc6", "A", "\uff15"]
CHAIN_SEPS = ["*", "*", " ", "-", "\n", " * ", "**", "*\n", "", "\u3002", "\uff0c"]
CHAINS = st.lists(st.tuples(st.sampled_from(CHAIN_TOKENS), st.sampled_from(CHAIN_SEPS)), max_size=16).map(
    lambda pairs: "".join(a + b for a, b in pairs)
)


@contextlib.contextmanager
def bulk_paths() -> Iterator[None]:
    from proxy.text import chains, chartable, edits, joins

    modules = {"joins": joins, "chartable": chartable, "edits": edits, "chains": chains}
    saved = {key: getattr(modules[key[0]], key[1]) for key in BULK_THRESHOLDS}
    try:
        for (mod, name), value in BULK_THRESHOLDS.items():
            setattr(modules[mod], name, value)
        yield
    finally:
        for (mod, name), value in saved.items():
            setattr(modules[mod], name, value)


@SETTINGS
@given(st.one_of(SEGMENTY, DENSE, CHAINS, random_text))
def test_bulk_paths_equal_default_paths(text: str) -> None:
    expected = normalize(text)
    with bulk_paths():
        assert normalize(text) == expected
