"""Engine benchmark: ``baomi bench --engine`` (or ``python -m proxy.detection.bench``).

In one run, on the same texts (ordinary Chinese writing, and secret-like material, 2,000 and 8,000
characters): presidio's built-in recognizers alone (``AnalyzerEngine`` with the offline ``no_op`` NLP
engine: e-mail, IP, credit card, IBAN, URL, phone, … — the baseline a plain presidio gateway pays) against
baomi's whole engine (normalization, every recognizer, the document scorers). Also the share of each
stage, engine start-up time and the memory the engine holds. Numbers depend on the machine: read the
ratios.
"""
from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from typing import Any, Callable

ORDINARY = (
    "根据学院工作安排，现将本学期教学检查有关事项通知如下：一、检查时间为第十周至第十二周；二、检查内容包括教学进度、"
    "课堂教学质量、作业批改和实验教学情况；三、请各系部认真组织自查，并于检查结束后一周内提交总结报告。"
    "今年以来，我们坚持以人民为中心的发展思想，统筹推进各项工作，群众满意度稳步提升。在公共服务方面，新建社区服务中心"
    "十二个，改造老旧小区四十余个。周末的读书会上，大家分享了各自喜欢的小说，有人推荐了一本关于航海的游记。\n")
SECRET_LIKE = (
    "000123\n机密★5年\n特急\n\n东川市纪律检查委员会文件\n东纪发〔2025〕7号\n\n关于对某局副局长立案审查的请示\n"
    "市委：\n经初步核实，该同志涉嫌违纪问题线索清楚，拟予立案审查调查，谈话笔录及处理意见另附。联系人：王晓东，"
    "电话 13912345678。\n此件发至县处级。\n")


def _text(base: str, n: int) -> str:
    """A document of n characters: a secret-like head once, then ordinary body text (like a real 公文),
    or ordinary text throughout."""
    body = ORDINARY * (n // len(ORDINARY) + 1)
    return (base + body)[:n] if base is SECRET_LIKE else body[:n]


def timed(fn: Callable[[], Any], n: int) -> tuple[float, float]:
    for _ in range(5):
        fn()
    times = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    times.sort()
    return statistics.median(times) * 1000, times[min(len(times) - 1, int(0.99 * len(times)))] * 1000


def presidio_builtin_engine() -> Any:
    """presidio's predefined recognizers with the no_op NLP engine: what presidio does out of the box."""
    from proxy.detection.offline import prepare_offline

    prepare_offline()
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    nlp = NlpEngineProvider(nlp_configuration={
        "nlp_engine_name": "no_op", "models": [{"lang_code": "en", "model_name": "no_op"}]}).create_engine()
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(languages=["en"], nlp_engine=nlp)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp, supported_languages=["en"])


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(n: int = 200) -> list[str]:
    from proxy.detection.engine import DetectionEngine
    from proxy.text.normalize import normalize

    out: list[str] = []
    gc.collect()
    rss0 = _rss_mb()
    t0 = time.perf_counter()
    engine = DetectionEngine()
    engine.analyze(SECRET_LIKE)  # first call loads lexicons and tables
    startup = time.perf_counter() - t0
    out.append(f"baomi engine start-up (construction + first analyze): {startup * 1000:.0f} ms; "
               f"peak RSS growth {_rss_mb() - rss0:.0f} MB (process peak {_rss_mb():.0f} MB)")
    presidio = presidio_builtin_engine()
    out.append(f"{'text':<22}{'presidio built-ins':>20}{'baomi engine':>16}{'ratio':>8}{'baomi p99':>11}"
               f"{'normalize':>11}")
    for label, base in (("ordinary", ORDINARY), ("secret-like", SECRET_LIKE)):
        for size in (2000, 8000):
            text = _text(base, size)
            p_med, _ = timed(lambda: presidio.analyze(text, language="en"), n)
            b_med, b_p99 = timed(lambda: engine.analyze(text), n)
            norm_med, _ = timed(lambda: normalize(text), n)
            out.append(f"{label + f' {size} chars':<22}{p_med:>17.2f} ms{b_med:>13.2f} ms{b_med / p_med:>8.2f}"
                       f"{b_p99:>8.2f} ms{norm_med:>8.2f} ms")
    text = _text(ORDINARY, 2000)
    canon = normalize(text).text
    out.append("per recognizer, ordinary 2,000 chars (median ms):")
    for rec in engine.recognizers:
        med, _ = timed(lambda: rec.analyze(canon, rec.supported_entities, None), n)
        out.append(f"    {rec.name:<34}{med:.3f}")
    return out


def main(argv: list[str] | None = None) -> int:
    print("\n".join(run()))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
