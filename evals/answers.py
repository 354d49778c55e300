"""Answer metrics: accuracy, refusals, citation precision and recall, follow-ups, latency.

* An answer is correct when every `must_include` element has one of its `|` alternatives in
  the answer text (both folded: NFKC, whitespace removed, case ignored; a figure such as
  "22" only as a whole figure, not inside "S/2022/899") and the answer is marked
  supported, and its direct answer (the bold figure, date or name it opens with), if it
  gives one, states one of those facts; an unanswerable item is correct when the answer is
  not supported.
* A citation is precise when its passage contains one of the item's evidence snippets.
* Citation recall: answerable items (with evidence) with at least one precise citation.

Configurations: ours (extractive answerer over hybrid retrieval), the same answerer over BM25
only and dense only, and the LangChain tutorial setup whose answer is its top chunk.
"""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.answers import Answer, Citation
from assistant.api import Assistant
from evals.gold import GoldItem
from evals.retrieval import BASELINE, Searcher, is_relevant, langchain_baseline, percentile
from index.text import fold

ANSWER_CONFIGS = ("hybrid", "bm25", "dense", BASELINE)
Asker = Callable[[GoldItem], Answer]
Tick = Callable[[], None]


@dataclass
class AnswerResult:
    id: str
    lang: str
    kind: str
    answerable: bool
    supported: bool
    correct: bool
    citations: int
    precise_citations: int
    has_evidence: bool
    ms: float
    text: str = ""
    missing: list[str] = field(default_factory=list)


def _norm(text: str) -> str:
    return fold(text).casefold()


# A figure asked for ("22", "6%", "2,242") is found only as a whole figure: "22" is not in
# "S/2022/899", nor "8" in "18".
_FIGURE = re.compile(r"[\d.,]*\d%?")
# The direct answer an answer opens with: "**12份** [1]".
_LEAD = re.compile(r"\*\*(.+?)\*\*")


def _found(alternative: str, folded: str) -> bool:
    if _FIGURE.fullmatch(alternative):
        whole = rf"(?<!\d)(?<!\d[.,]){re.escape(alternative)}(?!\d|[.,]\d)"
        return re.search(whole, folded) is not None
    return alternative in folded


def missing_facts(text: str, must_include: Sequence[str]) -> list[str]:
    """The must_include elements with no alternative in the text."""
    folded = _norm(text)
    return [element for element in must_include
            if not any(_found(_norm(alt), folded) for alt in element.split("|") if _norm(alt))]


def wrong_lead(text: str, must_include: Sequence[str]) -> str | None:
    """The answer's direct answer (its bold opening, "**17次**") when it states none of the
    facts asked for: a wrong figure is not made right by a quote that holds the right one."""
    lead = _LEAD.match(text)
    if lead is None or len(missing_facts(lead.group(1), must_include)) < len(must_include):
        return None
    return lead.group(1)


def score(item: GoldItem, answer: Answer, ms: float) -> AnswerResult:
    missing = missing_facts(answer.text, item.must_include) if item.answerable else []
    if item.answerable and (lead := wrong_lead(answer.text, item.must_include)):
        missing.append(f"stated answer {lead!r}")
    precise = sum(1 for c in answer.citations if is_relevant(c.passage, item.evidence))
    correct = (answer.supported and not missing) if item.answerable else not answer.supported
    return AnswerResult(item.id, item.lang, item.kind, item.answerable, answer.supported,
                        correct, len(answer.citations), precise, bool(item.evidence), ms,
                        answer.text, missing)


def conversation_so_far(item: GoldItem, assistant: Assistant,
                        mode: str = "hybrid") -> tuple[list[str], list[str]]:
    """The item's earlier turns asked one by one, as the chat does: each question as
    resolved, and the answer it got (a reference such as "它" may point into it)."""
    history: list[str] = []
    replies: list[str] = []
    for question in item.history:
        answer = assistant.ask(question, history=history, replies=replies, mode=mode)
        history.append(answer.resolved_question or answer.question)
        replies.append(answer.text)
    return history, replies


def our_asker(assistant: Assistant, mode: str) -> Asker:
    def ask(item: GoldItem) -> Answer:
        history, replies = conversation_so_far(item, assistant, mode)
        return assistant.ask(item.question, history=history, replies=replies, mode=mode)
    return ask


def baseline_asker(searcher: Searcher) -> Asker:
    """Tutorial RAG: the answer is the top chunk, cited as a whole; never refuses."""
    def ask(item: GoldItem) -> Answer:
        hits = searcher(item.retrieval_query(), 4)
        if not hits:
            return Answer(question=item.question, text="", supported=False, backend=BASELINE)
        top = hits[0]
        citation = Citation(n=1, doc_id=top.label, locator=top.label, quote=top.text,
                            passage=top.text)
        return Answer(question=item.question, text=f"{top.text} [1]", supported=True,
                      citations=[citation], backend=BASELINE)
    return ask


def run_answers(asker: Asker, items: Sequence[GoldItem], tick: Tick | None = None
                ) -> list[AnswerResult]:
    results = []
    for item in items:
        start = time.perf_counter()
        answer = asker(item)
        # The answer's own time when it has one: a follow-up's earlier turns are not in it.
        ms = answer.timings.total_ms or (time.perf_counter() - start) * 1000
        results.append(score(item, answer, ms))
        if tick:
            tick()
    return results


def evaluate_answers(assistant: Assistant, items: Sequence[GoldItem],
                     configs: Sequence[str] = ANSWER_CONFIGS, tick: Tick | None = None,
                     baseline: Searcher | None = None) -> dict[str, list[AnswerResult]]:
    """`baseline`: the LangChain baseline's searcher when one is built already."""
    out = {}
    for config in configs:
        asker = baseline_asker(baseline or langchain_baseline(assistant)) \
            if config == BASELINE else our_asker(assistant, config)
        out[config] = run_answers(asker, items, tick)
    return out


def answer_metrics(results: Sequence[AnswerResult]) -> dict[str, float | int]:
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_evidence = [r for r in answerable if r.has_evidence]
    cited = sum(r.citations for r in with_evidence)
    followups = [r for r in results if r.kind == "followup"]
    latencies = [r.ms for r in results]

    def share(part: int, whole: int) -> float:
        return part / whole if whole else 0.0

    return {
        "n": len(results),
        "answerable": len(answerable),
        "accuracy": share(sum(r.correct for r in answerable), len(answerable)),
        "overall_correct": share(sum(r.correct for r in results), len(results)),
        "refusal_rate": share(sum(not r.supported for r in unanswerable), len(unanswerable)),
        "false_refusal_rate": share(sum(not r.supported for r in answerable), len(answerable)),
        "citation_precision": share(sum(r.precise_citations for r in with_evidence), cited),
        "citation_recall": share(sum(r.precise_citations > 0 for r in with_evidence),
                                 len(with_evidence)),
        "followup_accuracy": share(sum(r.correct for r in followups), len(followups)),
        "latency_p50_ms": statistics.median(latencies) if latencies else 0.0,
        "latency_p95_ms": percentile(latencies, 95),
    }


def summarize_answers(results: Sequence[AnswerResult]) -> dict[str, object]:
    by_lang: dict[str, list[AnswerResult]] = {}
    by_kind: dict[str, list[AnswerResult]] = {}
    for r in results:
        by_lang.setdefault(r.lang, []).append(r)
        by_kind.setdefault(r.kind, []).append(r)
    return {
        "overall": answer_metrics(results),
        "by_lang": {k: answer_metrics(v) for k, v in sorted(by_lang.items())},
        "by_kind": {k: answer_metrics(v) for k, v in sorted(by_kind.items())},
    }
