"""`python -m evals retrieval|bench|bench-llm|scale|reliability`: run an evaluation, print its tables,
write its reports."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from assistant import paths
from evals.gold import GoldError, default_gold_files, load_gold
from evals.retrieval import CONFIGS

# Scales `make bench` runs: 100× (about 80,000 passages) is an explicit --scaling 1,10,100.
DEFAULT_SCALING = "1,10"


def _progress(console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    TimeElapsedColumn(), console=console, transient=True)


def cmd_retrieval(args: argparse.Namespace, console: Console) -> int:
    from assistant.api import Assistant
    from evals.run import run_retrieval

    if args.home:
        os.environ[paths.HOME_ENV] = str(args.home)
    files = args.gold or default_gold_files()
    items = load_gold(files)
    with Assistant.open() as assistant:
        console.print(f"index: {assistant.settings.index.dir}", style="dim")
        path = run_retrieval(assistant, items, args.config or list(CONFIGS), console, files)
    console.print(f"wrote {path}, {path.with_suffix('.json')}", style="dim")
    return 0


def cmd_bench(args: argparse.Namespace, console: Console) -> int:
    from evals.bench import (
        LATENCY_PASSES,
        background_markdown,
        run_bench,
        run_scaling,
        scaling_chart,
        scaling_markdown,
    )
    from evals.report import REPORTS_DIR, bench_markdown, write_report

    items = load_gold(args.gold or default_gold_files())
    scales: list[int] = args.scaling
    with _progress(console) as progress:
        progress.add_task("cold build (empty embedding cache)", total=None)
        task = progress.add_task("search latency", total=len(items) * len(LATENCY_PASSES))
        result = run_bench(items, home=args.home, tick=lambda: progress.advance(task))
    date = dt.date.today().isoformat()
    markdown = bench_markdown(result, date) + "\n" + background_markdown(result)
    payload: dict[str, object] = {"date": date, **result}
    chart = None
    if scales:
        with _progress(console) as progress:
            progress.add_task(f"scaling {', '.join(f'{s}×' for s in scales)}: build, then "
                              "search", total=None)
            task = progress.add_task("scaled search latency", total=len(items) * len(scales))
            points = run_scaling([i.retrieval_query() for i in items], scales,
                                 embedding_cache=Path(str(result["home"])) / "index" / "cache",
                                 tick=lambda: progress.advance(task))
        markdown += "\n" + scaling_markdown(points)
        payload["scaling"] = points
        chart = scaling_chart(points, REPORTS_DIR / "scaling.png")
    path = write_report("bench", markdown, payload)
    console.print(markdown, markup=False, highlight=False)
    console.print(f"wrote {path}, {path.with_suffix('.json')}" + (f", {chart}" if chart else ""),
                  style="dim")
    return 0


def cmd_bench_llm(args: argparse.Namespace, console: Console) -> int:
    from evals.bench_llm import run_bench_llm

    run_bench_llm(args.output or ["auto"], args.limit, args.seed, console)
    return 0


def cmd_reliability(args: argparse.Namespace, console: Console) -> int:
    from evals.reliability import run_reliability

    path = run_reliability(args.seconds, args.threads, args.processes, args.embedding_cache,
                           lambda line: console.print(line, style="dim", markup=False))
    console.print(path.read_text(encoding="utf-8"), markup=False, highlight=False)
    console.print(f"wrote {path}, {path.with_suffix('.json')}", style="dim")
    return 0


def cmd_scale(args: argparse.Namespace, console: Console) -> int:
    """Scaling points alone, with the vectors embedded or on a Chroma server started here."""
    import tempfile
    from contextlib import nullcontext

    from evals.bench import run_scaling, scaling_markdown
    from evals.chroma_server import running_chroma
    from evals.report import write_report

    items = load_gold(args.gold or default_gold_files())
    work = Path(tempfile.mkdtemp(prefix="committee-scale-"))
    served = running_chroma(work / "chroma") if args.vectors == "server" else nullcontext()
    with served as server, _progress(console) as progress:
        task = progress.add_task(f"{args.vectors}: build, then search",
                                 total=len(items) * len(args.copies))
        points = run_scaling([i.retrieval_query() for i in items], args.copies, work=work,
                             embedding_cache=args.embedding_cache,
                             tick=lambda: progress.advance(task), server=server)
    markdown = scaling_markdown(points)
    path = write_report(f"scale-{args.vectors}", markdown,
                        {"date": dt.date.today().isoformat(), "scaling": points})
    console.print(markdown, markup=False, highlight=False)
    console.print(f"wrote {path}, {path.with_suffix('.json')}", style="dim")
    return 0


def _scales(text: str) -> list[int]:
    """`1,10,100` → [1, 10, 100]; `none` or `0` → [] (no scaling run)."""
    if text.strip().lower() in ("", "none", "0"):
        return []
    try:
        scales = [int(part) for part in text.split(",")]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a list like 1,10,100") from None
    if any(s < 1 for s in scales):
        raise argparse.ArgumentTypeError("each scale is a number of copies, at least 1")
    return scales


def cmd_train(args: argparse.Namespace, console: Console) -> int:
    from evals.train_ranker import train

    train(console)
    return 0


def cmd_check(args: argparse.Namespace, console: Console) -> int:
    from evals.testset import check

    found = check(args.files)
    for line in found:
        console.print(line, markup=False, highlight=False)
    console.print(f"{len(found)} problems in {', '.join(map(str, args.files))}")
    return 1 if found else 0


def cmd_passages(args: argparse.Namespace, console: Console) -> int:
    from evals.testset import dump_passages

    for path in dump_passages(args.out, args.files or None):
        console.print(str(path), markup=False, highlight=False)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m evals", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    retrieval = sub.add_parser("retrieval", help="retrieval metrics per configuration")
    retrieval.add_argument("--gold", type=Path, nargs="+", help="gold JSONL files (default: all)")
    retrieval.add_argument("--config", choices=CONFIGS, nargs="+", help="default: all")
    retrieval.add_argument("--home", type=Path,
                           help=f"assistant home for the index (default: ${paths.HOME_ENV})")
    bench = sub.add_parser("bench", help="cold build, rebuild, latency, memory, size")
    bench.add_argument("--gold", type=Path, nargs="+", help="queries for latency (default: all)")
    bench.add_argument("--home", type=Path, help="empty folder for the cold build (default: temp)")
    bench.add_argument("--scaling", type=_scales, default=_scales(DEFAULT_SCALING),
                       metavar="1,10,100",
                       help="copies of the shipped records to index and search, after the main "
                            f"benchmark (default: {DEFAULT_SCALING}; none: skip)")
    bench_llm = sub.add_parser("bench-llm", help="the test set through the configured LLM: "
                                                 "accuracy, fallbacks by cause, latency")
    bench_llm.add_argument("--output", nargs="+", choices=["auto", "json_schema", "json_object",
                                                           "prompt"],
                           help="answer.llm.output values to compare, each a run (default: auto)")
    bench_llm.add_argument("--limit", type=int, metavar="N",
                           help="ask a sample of N questions (default: all 504)")
    bench_llm.add_argument("--seed", type=int, default=21, help="which sample (default: 21)")
    scale = sub.add_parser("scale", help="search latency and memory of replicated corpora, "
                                         "vectors embedded or on a Chroma server")
    scale.add_argument("--copies", type=_scales, default=[1, 10, 100], metavar="1,10,100")
    scale.add_argument("--vectors", choices=["embedded", "server"], default="server")
    scale.add_argument("--gold", type=Path, nargs="+", help="queries (default: all)")
    scale.add_argument("--embedding-cache", type=Path,
                       help="an embedding cache that already holds the corpus (skips embedding)")
    reliability = sub.add_parser("reliability", help="load, faults and bad input: the "
                                                     "reliability table")
    reliability.add_argument("--seconds", type=float, default=60)
    reliability.add_argument("--threads", type=int, default=8)
    reliability.add_argument("--processes", type=int, default=4)
    reliability.add_argument("--embedding-cache", type=Path,
                             help="an embedding cache that already holds the corpus")
    sub.add_parser("train", help="learn the evidence ranker from the training set "
                                 "(writes assistant/ranker.json)")
    check = sub.add_parser("check", help="every evidence snippet is in a passage of its source")
    check.add_argument("files", type=Path, nargs="+")
    passages = sub.add_parser("passages", help="write every document's passages as text files")
    passages.add_argument("out", type=Path)
    passages.add_argument("files", type=Path, nargs="*",
                          help="documents (default: the shipped records and the test set's)")
    args = parser.parse_args(argv)
    console = Console()
    commands = {"retrieval": cmd_retrieval, "bench": cmd_bench, "bench-llm": cmd_bench_llm,
                "scale": cmd_scale,
                "reliability": cmd_reliability, "check": cmd_check, "passages": cmd_passages,
                "train": cmd_train}
    try:
        return commands[args.command](args, console)
    except GoldError as exc:
        console.print(f"gold set error: {exc}", style="red", markup=False)
        return 2


if __name__ == "__main__":
    sys.exit(main())
