"""`committee-assistant eval` / `make eval`: answers and retrieval of every question group
(test set first, then rewordings, added documents and the training set), each configuration
side by side with the baselines, written to evals/reports/ (Markdown, JSON, PNG)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from assistant.api import Assistant
from evals.gold import GoldItem, load_gold
from evals.groups import GROUP_NAMES, Group, default_groups, open_eval_index


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), console=console)


def run_eval(gold_files: Sequence[Path], configs: Sequence[str], console: Console,
             out_dir: Path | None = None, group_names: Sequence[str] = ()) -> int:
    """Score every group; `gold_files` replaces the groups with one group of those files.
    Writes to `out_dir` (default evals/reports/)."""
    from evals.answer_report import answers_chart, answers_markdown, groups_markdown
    from evals.answers import ANSWER_CONFIGS, evaluate_answers, summarize_answers
    from evals.report import REPORTS_DIR, retrieval_markdown, retrieval_payload, write_report
    from evals.retrieval import BASELINE, CONFIGS, evaluate, langchain_baseline, scored_items

    out_dir = out_dir or REPORTS_DIR
    groups = ([Group("custom", tuple(gold_files))] if gold_files
              else default_groups(group_names or GROUP_NAMES))
    answer_configs = [c for c in (configs or ANSWER_CONFIGS) if c in ANSWER_CONFIGS]
    retrieval_configs = [c for c in (configs or CONFIGS) if c in CONFIGS]
    indexes: dict[tuple[Path, ...], Assistant] = {}
    baselines: dict[tuple[Path, ...], Any] = {}
    answers: dict[str, dict[str, Any]] = {}
    retrieval: dict[str, dict[str, Any]] = {}
    items_of: dict[str, list[GoldItem]] = {}
    try:
        for group in groups:
            if group.documents not in indexes:
                console.print(f"indexing for {group.name}…", style="dim")
                indexes[group.documents] = open_eval_index(group.documents)
            assistant = indexes[group.documents]
            if BASELINE in answer_configs + retrieval_configs and group.documents not in baselines:
                baselines[group.documents] = langchain_baseline(assistant)
            items = items_of[group.name] = load_gold(group.files)
            scored = scored_items(items)
            with _progress(console) as progress:
                task = progress.add_task(group.name, total=len(items) * len(answer_configs)
                                         + len(scored) * len(retrieval_configs))

                def tick(task: TaskID = task) -> None:
                    progress.advance(task)

                answers[group.name] = evaluate_answers(assistant, items, answer_configs, tick,
                                                       baselines.get(group.documents))
                retrieval[group.name] = evaluate(assistant, scored, retrieval_configs, tick,
                                                 baseline=baselines.get(group.documents))
    finally:
        for assistant in indexes.values():
            assistant.close()

    date = dt.date.today().isoformat()
    summaries = {g: {c: summarize_answers(r) for c, r in answers[g].items()} for g in answers}
    retrieval_payloads = {g: retrieval_payload(retrieval[g], {"date": date}) for g in retrieval}
    meta = {"date": date, "groups": {g.name: [str(f) for f in g.files] for g in groups},
            "items": {g: len(items_of[g]) for g in items_of}}
    sections = [groups_markdown(summaries, retrieval_payloads, items_of, meta)]
    for group in groups:
        name = group.name
        sections.append(answers_markdown(summaries[name], answers[name], {
            "date": date, "gold_items": len(items_of[name]),
            "gold_files": [str(f) for f in group.files]}, title=f"Group `{name}`",
            items=items_of[name]))
    markdown = "\n".join(sections)
    payload = {"meta": meta, "summaries": summaries,
               "items": {g: {c: [vars(r) | {"text": r.text[:300]} for r in rs]
                             for c, rs in answers[g].items()} for g in answers}}
    path = write_report("answers", markdown, payload, out_dir)
    first = groups[0].name
    chart = answers_chart(summaries[first], answers[first], out_dir / "answers-by-kind.png")
    retrieval_md = "\n".join(
        retrieval_markdown(retrieval_payloads[g.name]["summaries"], retrieval[g.name], {
            "date": f"{date}, group `{g.name}`", "items": len(scored_items(items_of[g.name])),
            "gold_items": len(items_of[g.name]), "gold_files": [str(f) for f in g.files]})
        for g in groups)
    retrieval_path = write_report("retrieval", retrieval_md, retrieval_payloads, out_dir)
    console.print(markdown, markup=False, highlight=False)
    console.print(f"wrote {path}, {path.with_suffix('.json')}, {chart}, {retrieval_path}",
                  style="dim")
    return 0


def run_retrieval(assistant: Assistant, items: Sequence[GoldItem], configs: Sequence[str],
                  console: Console, gold_files: Sequence[Path] = (),
                  out_dir: Path | None = None) -> Path:
    """Recall@k, MRR and nDCG@10 per configuration; writes the retrieval report and chart."""
    from evals.report import (
        REPORTS_DIR,
        recall_chart,
        retrieval_markdown,
        retrieval_payload,
        write_report,
    )
    from evals.retrieval import CONFIGS, evaluate, scored_items

    scored = scored_items(items)
    configs = [c for c in (configs or CONFIGS) if c in CONFIGS]
    with _progress(console) as progress:
        task = progress.add_task("retrieval", total=len(scored) * len(configs))
        results = evaluate(assistant, scored, configs, tick=lambda: progress.advance(task))
    manifest = assistant.index_manifest()
    meta = {"date": dt.date.today().isoformat(), "gold_files": [str(f) for f in gold_files],
            "gold_items": len(items), "items": len(scored),
            "passages": manifest.passages if manifest else 0,
            "index_dir": str(assistant.settings.index.dir)}
    payload = retrieval_payload(results, meta)
    markdown = retrieval_markdown(payload["summaries"], results, meta)
    out_dir = out_dir or REPORTS_DIR
    path = write_report("retrieval", markdown, payload, out_dir)
    recall_chart(payload["summaries"], out_dir / "recall5-by-kind.png")
    console.print(markdown, markup=False, highlight=False)
    return path
