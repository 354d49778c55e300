"""The `committee-assistant` command line. Errors become one clear line and an exit code."""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant import cli_chat, cli_draft, cli_ingest
from assistant.api import Assistant
from assistant.cli_llm import llm_app
from assistant.cli_output import print_json, print_table
from assistant.rebuild import rebuild_index
from assistant.records_view import record_table
from assistant.settings import load_settings
from index.errors import AssistantError
from index.ingest import Progress as IngestProgress
from index.search_filter import SearchFilter
from index.search_index import BuildProgress

app = typer.Typer(help="Cited answers over the records of the 1540 Committee. With no "
                       "command, opens the terminal UI.",
                  invoke_without_command=True, add_completion=False,
                  pretty_exceptions_enable=False)
console = Console()
errors = Console(stderr=True)


@app.callback()
def _no_command(ctx: typer.Context) -> None:
    """With no command, open the terminal UI (it builds the index first if needed)."""
    if ctx.invoked_subcommand is None:
        from assistant.tui import run

        run()


def _open() -> Assistant:
    return Assistant(load_settings())


JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (UTF-8) instead.")]


@app.command()
def docs(as_json: JsonOption = False) -> None:
    """List the ingested documents."""
    with _open() as assistant:
        metas = assistant.documents()
    if as_json:
        print_json([meta.model_dump(mode="json") for meta in metas])
        return
    if not metas:
        console.print("No documents yet: run `committee-assistant ingest data/corpus`.")
        return
    table = Table(title="Documents")
    for column in ("id", "symbol", "date", "type", "title", "file"):
        # Titles fold rather than end in "…": the 2018 and 2022 reviews differ at the end.
        table.add_column(column, overflow="fold", no_wrap=column in {"id", "symbol", "date"})
    for meta in metas:
        table.add_row(meta.id, meta.symbol or "—", str(meta.date or "—"), meta.doc_type.value,
                      meta.title, meta.original_file)
    print_table(table, console)


@app.command()
def show(
    doc: Annotated[str, typer.Argument(help="Symbol (S/2022/899), id or file name.")],
    para: Annotated[int | None, typer.Option(help="Numbered paragraph to print.")] = None,
) -> None:
    """Print a document, or one of its numbered paragraphs, as clean text with locators."""
    with _open() as assistant:
        blocks = assistant.paragraph(doc, para) if para else assistant.document(doc).blocks
    for block in blocks:
        console.print(f"[bold]{block.locator}[/bold]", highlight=False)
        console.print(block.full_text, highlight=False, soft_wrap=True)
        console.print()


@app.command()
def records(
    record_type: Annotated[str, typer.Argument(help="e.g. national_reports, action_plans.")],
    state: Annotated[str | None, typer.Option(
        help="State or organisation, in Chinese or English.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
    as_json: JsonOption = False,
) -> None:
    """Query the structured records extracted from the annex tables. A state or
    organisation may be named in Chinese or English (博茨瓦纳, Botswana, OAS)."""
    with _open() as assistant:
        found = assistant.records(record_type, state=state, date_from=_date(date_from),
                                  date_to=_date(date_to))
    if as_json:
        print_json([record.model_dump(mode="json") for record in found])
        return
    if not found:
        console.print(f"No {record_type} records match.")
        return
    print_table(record_table(record_type, found), console)
    console.print(f"{len(found)} records")


@contextmanager
def _progress() -> Iterator[tuple[IngestProgress, BuildProgress]]:
    """A progress bar on stderr for ingesting and building, and its two callbacks."""
    with Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[rate]}"),
        console=errors, transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=None, rate="")
        started = time.perf_counter()

        def ingesting(path: Path, i: int, total: int) -> None:
            bar.update(task, total=total, completed=i - 1, description=f"ingest {path.name}")

        def building(stage: str, done: int, total: int) -> None:
            rate = f"{done / (time.perf_counter() - started):.0f} passages/s" \
                if stage == "embedding" else ""
            bar.update(task, total=total, completed=done, description=stage, rate=rate)

        yield ingesting, building


index_app = typer.Typer(help="Build, inspect or remove the search index.", no_args_is_help=True)
app.add_typer(index_app, name="index")


@index_app.command("build")
def index_build(
    paths: Annotated[list[Path] | None, typer.Argument(help="Records to ingest first.")] = None,
) -> None:
    """Ingest records (the shipped ones if none yet) and bring the search index up to date."""
    with _open() as assistant, _progress() as (ingesting, building):
        report, stats = assistant.build_index(paths or [], progress=ingesting,
                                              build_progress=building)
    if report is not None:
        cli_ingest.print_report(report)
    if stats.unchanged:
        console.print(f"Index up to date: {stats.documents} documents, {stats.passages} "
                      f"passages ({stats.seconds:.1f} s).")
    else:
        console.print(
            f"Index built: {stats.documents} documents, {stats.passages} passages, "
            f"{stats.embedded} new embeddings ({stats.embeddings_per_second:.1f}/s), "
            f"changed {len(stats.changed)}, removed {len(stats.removed)}, {stats.seconds:.1f} s.")
    if report is not None and not report.ok:
        raise typer.Exit(1)


@index_app.command("rebuild")
def index_rebuild() -> None:
    """Rebuild the index from the files it was built from (the repair for a damaged index;
    the old one stays in use until the new one is complete)."""
    started = time.perf_counter()
    with _progress() as (ingesting, building):
        report, stats = rebuild_index(load_settings(), progress=ingesting,
                                      build_progress=building)
    if report is not None:
        cli_ingest.print_report(report)
    console.print(f"Index rebuilt: {stats.documents} documents, {stats.passages} passages, "
                  f"{stats.embedded} new embeddings, {time.perf_counter() - started:.1f} s.")
    if report is not None and not report.ok:
        raise typer.Exit(1)


@index_app.command("status")
def index_status() -> None:
    """Documents, passages, records, size and models of the index."""
    with _open() as assistant:
        manifest = assistant.index_manifest()
        metas = assistant.documents()
        record_counts = assistant.record_counts()
        size = assistant.index_size()
    console.print(f"documents: {len(metas)}")
    console.print(f"records: {sum(record_counts.values())} "
                  + ", ".join(f"{k} {v}" for k, v in sorted(record_counts.items())))
    if manifest is None:
        console.print("search index: not built (run `committee-assistant index build`)")
        return
    console.print(f"passages: {manifest.passages} (generation {manifest.generation}, "
                  f"built {manifest.built_at} in {manifest.seconds:.1f} s)")
    console.print(f"embedding model: {manifest.embedding_model}")
    console.print(f"tokenizer: {manifest.tokenizer}")
    console.print(f"size: {size / 1e6:.1f} MB")


@index_app.command("clear")
def index_clear() -> None:
    """Remove the index: documents, records, passages and vectors (not the embedding cache)."""
    with _open() as assistant:
        assistant.clear_index()
    console.print("Index cleared.")


config_app = typer.Typer(help="The settings in effect.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def config_show() -> None:
    """The settings in effect (defaults, config file, environment) as TOML; keys redacted."""
    console.print(load_settings().shown(), highlight=False, markup=False, end="")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help="A question or keywords, Chinese or English.")],
    k: Annotated[int, typer.Option("-k", help="How many passages.")] = 10,
    mode: Annotated[str, typer.Option(help="hybrid | bm25 | dense")] = "hybrid",
    doc: Annotated[str | None, typer.Option(help="Only this document (id).")] = None,
    symbol: Annotated[str | None, typer.Option(help="Only this symbol.")] = None,
    year_from: Annotated[int | None, typer.Option(help="Documents dated from this year.")] = None,
    year_to: Annotated[int | None, typer.Option(help="Documents dated up to this year.")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help="Document type.")] = None,
    part: Annotated[str | None, typer.Option(help="Part, e.g. 附件三.")] = None,
) -> None:
    """Ranked passages for a question, with locators and scores."""
    flt = SearchFilter(doc_id=doc, symbol=symbol, year_from=year_from, year_to=year_to,
                       doc_type=doc_type, part=part)
    with _open() as assistant:
        found = assistant.search(query, k=k, filter=flt, mode=mode)
    if not found:
        console.print("No passage matches.")
        return
    for rank, passage in enumerate(found, start=1):
        scores = f"fused {passage.score:.4f}"
        if passage.bm25_score is not None:
            scores += f"  bm25 {passage.bm25_score:.2f}"
        if passage.dense_score is not None:
            scores += f"  dense {passage.dense_score:.3f}"
        console.print(f"[bold]{rank}. {passage.locator}[/bold]  [dim]{scores}[/dim]",
                      highlight=False)
        console.print(passage.text, highlight=False, soft_wrap=True)
        console.print()


app.command()(cli_ingest.ingest)
app.command()(cli_ingest.remove)
app.command()(cli_chat.ask)
app.command()(cli_chat.chat)
app.command()(cli_chat.conversations)
app.add_typer(cli_draft.draft_app, name="draft")
app.add_typer(llm_app, name="llm")


@app.command("eval")
def evaluate(
    gold: Annotated[list[Path] | None, typer.Option(
        help="Question files in the gold format, scored as one group instead of the "
             "default groups; repeat the option for several.")] = None,
    group: Annotated[list[str] | None, typer.Option(
        help="Groups to score: test, reworded, added, training (default: all, test first).")
    ] = None,
    config: Annotated[list[str] | None, typer.Option(
        help="Configurations: hybrid, bm25, dense, langchain_baseline (default: all).")] = None,
    reports: Annotated[Path | None, typer.Option(
        help="Folder for the reports (default: evals/reports).")] = None,
) -> None:
    """Score answers and retrieval of the test set, the rewordings, the added documents and
    the training set, side by side with the baselines; write the reports and chart."""
    from evals.groups import GROUP_NAMES
    from evals.run import run_eval

    unknown = sorted(set(group or []) - set(GROUP_NAMES))
    if unknown:
        raise typer.BadParameter(f"unknown group {', '.join(unknown)}; "
                                 f"choose from {', '.join(GROUP_NAMES)}", param_hint="--group")
    raise typer.Exit(run_eval(gold or [], config or [], console, reports, group or []))


def _date(text: str | None) -> dt.date | None:
    if text is None:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r} is not a date; use YYYY-MM-DD") from exc


def main() -> None:
    try:
        app()
    except AssistantError as exc:
        errors.print(f"[red]error:[/red] {exc}", highlight=False)
        sys.exit(2)


if __name__ == "__main__":
    main()
