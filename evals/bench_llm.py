"""`make bench-llm` (`python -m evals bench-llm`): the frozen test set through the LLM backend,
against whatever model `answer.llm` names, scored as `committee-assistant eval` scores answers.

It prints, for each way of holding the model to the answer's JSON (`answer.llm.output`):
accuracy, refusal, false refusal and citation precision (evals.answers' own metrics), how
often the model's answer was used, the fallback rate by cause (malformed reply, rejected
citations, timeout, unreachable or failing server), and latency p50/p95 of whole answers
(retrieval included). `--limit N` asks a sample of N questions (the same N for the same
`--seed`), so that a small model on a CPU can be measured in minutes; a report goes to
evals/reports/llm-<date>.md/.json and latest-llm.md.

The model server must be running: this measures a model, it starts none.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, get_args

from rich.console import Console

from assistant.answers import Answer, LLMFallback
from assistant.settings import Settings
from evals.answers import AnswerResult, answer_metrics, our_asker, run_answers
from evals.gold import GoldItem, load_gold
from evals.groups import default_groups, open_eval_index
from evals.retrieval import is_relevant

CAUSES: tuple[str, ...] = get_args(LLMFallback)


def sample(items: Sequence[GoldItem], limit: int | None, seed: int) -> list[GoldItem]:
    """`limit` items drawn with `seed`, in the test set's order; all of them without a limit."""
    if limit is None or limit >= len(items):
        return list(items)
    chosen = set(random.Random(seed).sample(range(len(items)), limit))
    return [item for i, item in enumerate(items) if i in chosen]


def llm_figures(results: Sequence[AnswerResult], answers: Sequence[Answer],
                evidence: Sequence[Sequence[str]] = ()) -> dict[str, Any]:
    """The eval's answer metrics, and what became of each request to the model; with each
    item's `evidence`, how many of the model's citations needed the tolerant quote match
    and how many of those cite a passage holding the evidence (the eval's "precise")."""
    n = len(answers)
    causes: Counter[str] = Counter(a.fallback for a in answers if a.fallback is not None)
    tolerant = [(c, snippets) for a, snippets in zip(answers, evidence, strict=False)
                if a.backend.startswith("llm:") for c in a.citations if c.tolerant]
    return {
        "tolerant_citations": len(tolerant),
        "tolerant_precise": sum(is_relevant(c.passage, snippets) for c, snippets in tolerant),
        **answer_metrics(results),
        "model_answered": sum(a.backend.startswith("llm:") for a in answers) / n if n else 0.0,
        "fallback": {cause: causes[cause] / n if n else 0.0 for cause in CAUSES},
        "fallback_counts": {cause: causes[cause] for cause in CAUSES},
        "model_citations": sum(len(a.citations) for a in answers if a.backend.startswith("llm:")),
        "max_latency_ms": max((r.ms for r in results), default=0.0),
    }


def bench_output(base: Settings, output: str, items: Sequence[GoldItem],
                 say: Callable[[str], None]) -> dict[str, Any]:
    """The items asked with `answer.llm.output = output`; figures and per-item outcomes."""
    llm = base.answer.llm.model_copy(update={"output": output})
    settings = base.model_copy(update={"answer": base.answer.model_copy(
        update={"backend": "llm", "llm": llm})})
    answers: list[Answer] = []
    with open_eval_index((), settings) as assistant:
        ask = our_asker(assistant, "hybrid")

        def asked(item: GoldItem) -> Answer:
            started = time.perf_counter()
            answer = ask(item)
            answers.append(answer)
            outcome = "model" if answer.backend.startswith("llm:") else answer.fallback
            say(f"{output} {len(answers)}/{len(items)} {item.id}: {outcome} "
                f"({time.perf_counter() - started:.1f} s)")
            return answer

        results = run_answers(asked, items)
    return {"figures": llm_figures(results, answers, [item.evidence for item in items]),
            "items": [{"id": r.id, "correct": r.correct, "backend": a.backend,
                       "fallback": a.fallback, "ms": round(r.ms), "notes": a.notes,
                       "text": a.text[:300]} for r, a in zip(results, answers, strict=True)]}


def markdown(runs: dict[str, dict[str, Any]], meta: dict[str, Any]) -> str:
    lines = [f"# LLM backend on the test set ({meta['date']})", "",
             f"Model `{meta['model']}` at `{meta['base_url']}`, max_tokens {meta['max_tokens']}, "
             f"timeout {meta['timeout_s']:g} s; {meta['items']} of {meta['test_items']} test "
             f"questions (seed {meta['seed']}), {meta['answerable']} answerable; latency is the "
             "whole answer, retrieval included.", "",
             "| output | accuracy | refusal | false refusal | citation precision | model answer "
             "used | fallback: " + " | ".join(CAUSES) + " | p50 s | p95 s | max s |",
             "|---" * (9 + len(CAUSES)) + "|"]
    for output, run in runs.items():
        f = run["figures"]
        # no unanswerable question in the sample: no refusal rate to speak of
        refusal = f"{f['refusal_rate']:.2f}" if f["n"] > f["answerable"] else "–"
        lines.append(
            f"| {output} | {f['accuracy']:.3f} | {refusal} | "
            f"{f['false_refusal_rate']:.3f} | {f['citation_precision']:.3f} | "
            f"{f['model_answered']:.2f} | "
            + " | ".join(f"{f['fallback'][c]:.2f}" for c in CAUSES)
            + f" | {f['latency_p50_ms'] / 1000:.1f} | {f['latency_p95_ms'] / 1000:.1f} | "
              f"{f['max_latency_ms'] / 1000:.1f} |")
    lines += [""] + [f"{output}: {run['figures']['tolerant_citations']} of the model's "
                     "citations needed the tolerant quote match, "
                     f"{run['figures']['tolerant_precise']} of them citing the evidence."
                     for output, run in runs.items()]
    lines += ["", "Fallback rates are shares of all questions asked; `rejected`: the reply's "
              "citations did not check out against their passages; `malformed`: no answer JSON "
              "(or cut at max_tokens). Scores are `committee-assistant eval`'s (evals/answers.py).",
              ""]
    return "\n".join(lines)


def run_bench_llm(outputs: Sequence[str], limit: int | None, seed: int, console: Console,
                  out_dir: Path | None = None, settings: Settings | None = None) -> Path:
    from evals.report import REPORTS_DIR, write_report

    base = settings or Settings()
    [group] = default_groups(["test"])
    every = load_gold(group.files)
    items = sample(every, limit, seed)
    runs: dict[str, dict[str, Any]] = {}
    for output in outputs:
        runs[output] = bench_output(base, output, items,
                                    lambda line: console.print(line, style="dim", markup=False))
    llm = base.answer.llm
    meta = {"date": dt.date.today().isoformat(), "model": llm.model,
            "base_url": llm.base_url or "(provider default)", "max_tokens": llm.max_tokens,
            "timeout_s": llm.timeout_s, "seed": seed, "items": len(items),
            "test_items": len(every), "answerable": sum(i.answerable for i in items),
            "outputs": list(outputs)}
    text = markdown(runs, meta)
    path = write_report("llm", text, {"meta": meta, "runs": runs}, out_dir or REPORTS_DIR)
    console.print(text, markup=False, highlight=False)
    console.print(f"wrote {path}, {path.with_suffix('.json')}", style="dim")
    return path

