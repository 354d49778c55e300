"""The `committee-assistant` command line. Errors become one clear line and an exit code."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.api import CommitteeAssistant
from assistant.records_view import record_table
from assistant.settings import Settings
from index.errors import AssistantError
from index.ingest import IngestReport

app = typer.Typer(help="Cited answers over the records of the 1540 Committee.",
                  no_args_is_help=True, add_completion=False,
                  pretty_exceptions_enable=False)
console = Console()
errors = Console(stderr=True)


def _open() -> CommitteeAssistant:
    return CommitteeAssistant(Settings())


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of records.")],
    force: Annotated[bool, typer.Option(help="Re-parse files even when unchanged.")] = False,
) -> None:
    """Parse records into documents, paragraphs, tables and structured records."""
    with _open() as assistant, Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=errors, transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=None)

        def advance(path: Path, i: int, total: int) -> None:
            bar.update(task, total=total, completed=i - 1, description=path.name)

        report = assistant.ingest(paths, force=force, progress=advance)
        bar.update(task, completed=len(report.documents) + len(report.failures))
    _print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def _print_report(report: IngestReport) -> None:
    table = Table(title="Ingested documents")
    for column in ("document", "date", "type", "paragraphs", "numbered", "tables", "rows",
                   "footnotes", "records", ""):
        table.add_column(column, justify="right" if column in
                         {"paragraphs", "numbered", "tables", "rows", "footnotes", "records"}
                         else "left")
    for doc in report.documents:
        meta = doc.meta
        table.add_row(meta.symbol or meta.id, str(meta.date or ""), meta.doc_type.value,
                      str(doc.paragraphs), str(doc.numbered_paragraphs), str(doc.tables),
                      str(doc.table_rows), str(doc.footnotes), str(doc.records),
                      "unchanged" if doc.unchanged else "")
    console.print(table)
    blocks = sum(d.paragraphs + d.tables + d.footnotes for d in report.documents)
    records = sum(d.records for d in report.documents)
    console.print(f"{len(report.documents)} documents, {blocks} blocks, {records} records, "
                  f"{len(report.failures)} failed")
    for failure in report.failures:
        errors.print(f"[red]failed[/red] {failure.path}: {failure.problem}", highlight=False)


@app.command()
def docs() -> None:
    """List the ingested documents."""
    with _open() as assistant:
        metas = assistant.documents()
    if not metas:
        console.print("No documents yet: run `committee-assistant ingest data/corpus`.")
        return
    table = Table(title="Documents")
    for column in ("id", "symbol", "date", "type", "title", "file"):
        table.add_column(column)
    for meta in metas:
        table.add_row(meta.id, meta.symbol or "—", str(meta.date or "—"), meta.doc_type.value,
                      meta.title, meta.original_file)
    console.print(table)


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
    state: Annotated[str | None, typer.Option(help="State or organisation name.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="YYYY-MM-DD")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="YYYY-MM-DD")] = None,
) -> None:
    """Query the structured records extracted from the annex tables."""
    with _open() as assistant:
        found = assistant.records(record_type, state=state, date_from=_date(date_from),
                                  date_to=_date(date_to))
    if not found:
        console.print(f"No {record_type} records match.")
        return
    console.print(record_table(record_type, found))
    console.print(f"{len(found)} records")


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
