"""`committee-assistant eval` / `make eval`: answers and retrieval on gold files, side by side
with the baselines, written to evals/reports/ (Markdown, JSON, PNG)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant.api import Assistant
from evals.gold import GoldItem, default_gold_files, load_gold


def run_eval(gold_files: Sequence[Path], configs: Sequence[str], console: Console,
             out_dir: Path | None = None) -> int:
    """Writes to `out_dir` (default evals/reports/)."""
    from evals.answer_report import answers_chart, answers_markdown
    from evals.answers import ANSWER_CONFIGS, evaluate_answers, summarize_answers
    from evals.report import REPORTS_DIR, write_report

    out_dir = out_dir or REPORTS_DIR

    files = list(gold_files) or default_gold_files()
    items = load_gold(files)
    configs = [c for c in (configs or ANSWER_CONFIGS) if c in ANSWER_CONFIGS]
    assistant = Assistant.open()
    console.print(f"index: {assistant.settings.index.dir}", style="dim")
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console) as progress:
        task = progress.add_task("answers", total=len(items) * len(configs))
        results = evaluate_answers(assistant, items, configs,
                                   tick=lambda: progress.advance(task))
    retrieval_path = run_retrieval(assistant, items, configs, console, files, out_dir)
    assistant.close()
    summaries = {c: summarize_answers(r) for c, r in results.items()}
    meta = {"date": dt.date.today().isoformat(), "gold_files": [str(f) for f in files],
            "gold_items": len(items)}
    markdown = answers_markdown(summaries, results, meta)
    payload = {"meta": meta, "summaries": summaries,
               "items": {c: [vars(r) | {"text": r.text[:300]} for r in rs]
                         for c, rs in results.items()}}
    path = write_report("answers", markdown, payload, out_dir)
    chart = answers_chart(summaries, results, out_dir / "answers-by-kind.png")
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
    with Progress(TextColumn("[progress.description]{task.description}"), BarColumn(),
                  MofNCompleteColumn(), TimeElapsedColumn(), console=console) as progress:
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
