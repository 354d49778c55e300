"""`make bench-llm`'s arithmetic: the eval's own scores, and each fallback counted under its
cause, on answers made up here (no model, no index)."""

from __future__ import annotations

from assistant.answers import Answer, Citation
from evals.answers import score
from evals.bench_llm import llm_figures, sample
from evals.gold import GoldItem

QUOTE = "2019年，委员会收到了12份新的援助请求"
PASSAGE = f"{QUOTE}，迄今已向8个国家提供了援助。"


def item(n: int, answerable: bool = True) -> GoldItem:
    return GoldItem(id=f"q{n}", question="2019 年收到多少份新的援助请求？", lang="zh",
                    kind="count", answerable=answerable, must_include=["12"],
                    evidence=[QUOTE], history=[], source=["000.txt"])


def model_answer(tolerant: bool = False, passage: str = PASSAGE) -> Answer:
    return Answer(question="q", text=f"**12份** [1] {QUOTE}", supported=True,
                  backend="llm:openai:gemma", citations=[Citation(
                      n=1, doc_id="d", locator="S/2020/347 附件 第6段", quote=passage[:10],
                      passage=passage, tolerant=tolerant)])


def fallback(cause: str, supported: bool = False) -> Answer:
    return Answer(question="q", text="**12份** [1]" if supported else "没有找到",
                  supported=supported, fallback=cause)  # type: ignore[arg-type]


def test_fallbacks_are_counted_by_cause_beside_the_evals_own_scores() -> None:
    answers = [model_answer(), fallback("rejected"), fallback("rejected"),
               fallback("malformed"), fallback("timeout", supported=True)]
    items = [item(n) for n in range(len(answers))]
    results = [score(i, a, ms) for i, a, ms in zip(items, answers, [1000, 2000, 3000, 4000,
                                                                     60_000], strict=True)]
    figures = llm_figures(results, answers)

    assert figures["model_answered"] == 0.2
    assert figures["fallback_counts"] == {"no_passages": 0, "unreachable": 0, "timeout": 1,
                                          "failed": 0, "malformed": 1, "rejected": 2}
    assert figures["fallback"]["rejected"] == 0.4
    assert figures["accuracy"] == 0.4  # the model's answer, and the timeout's fallback
    assert figures["citation_precision"] == 1.0 and figures["model_citations"] == 1
    assert figures["latency_p50_ms"] == 3000 and figures["max_latency_ms"] == 60_000


def test_a_sample_is_the_same_for_the_same_seed_and_keeps_the_sets_order() -> None:
    items = [item(n) for n in range(50)]
    first = sample(items, 10, seed=21)
    assert first == sample(items, 10, seed=21) and len(first) == 10
    assert [i.id for i in first] == sorted((i.id for i in first), key=lambda s: int(s[1:]))
    assert sample(items, 10, seed=22) != first
    assert sample(items, None, seed=21) == items == sample(items, 80, seed=21)


def test_citations_found_by_the_tolerant_match_are_counted_with_how_many_cite_the_evidence(
        ) -> None:
    other = "2018年，委员会收到了9份新的援助请求。"
    answers = [model_answer(tolerant=True), model_answer(tolerant=True, passage=other),
               model_answer(), fallback("rejected")]
    items = [item(n) for n in range(len(answers))]
    results = [score(i, a, 1000) for i, a in zip(items, answers, strict=True)]
    figures = llm_figures(results, answers, [i.evidence for i in items])
    assert figures["tolerant_citations"] == 2 and figures["tolerant_precise"] == 1
    assert llm_figures(results, answers)["tolerant_citations"] == 0  # no evidence given
