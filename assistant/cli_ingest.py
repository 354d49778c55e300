"""Adding and removing records: `ingest` and `remove`.

    committee-assistant ingest res_1673.docx --symbol "S/RES/1673 (2006)" --type resolution
    committee-assistant remove S/RES/1673(2006)

`ingest` prints, for each document, what it detected from the text, which fields it
guessed (a type from what a letter transmits, a date from the masthead) and which it could
not find, so a user knows what to give with the options or a FILE.meta.toml sidecar.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from assistant.api import Assistant
from assistant.cli_output import print_table
from assistant.settings import load_settings
from index.ingest import IngestReport
from index.metadata import MetadataOverride
from index.models import META_FIELDS, DocumentMeta, DocumentType

console = Console()
errors = Console(stderr=True)

_TYPES = ", ".join(t.value for t in DocumentType)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders of records.")],
    force: Annotated[bool, typer.Option(help="Re-parse files even when unchanged.")] = False,
    symbol: Annotated[str | None, typer.Option(help="UN symbol, e.g. 'S/RES/1673 (2006)'.")] = None,
    doc_type: Annotated[str | None, typer.Option("--type", help=f"One of: {_TYPES}.")] = None,
    date: Annotated[str | None, typer.Option(
        help="Date of adoption, of the letter or of the meeting: YYYY-MM-DD.")] = None,
    title: Annotated[str | None, typer.Option(help="The document's title.")] = None,
    author: Annotated[str | None, typer.Option(help="Sender: the Chair, a Permanent Mission ...")
                      ] = None,
    language: Annotated[str | None, typer.Option(help="Language of the text: zh or en.")] = None,
) -> None:
    """Parse records into documents, paragraphs, tables and structured records. The options
    fill or override what one file's text shows."""
    metadata = _metadata(symbol=symbol, doc_type=doc_type, date=date, title=title,
                         author=author, language=language)
    with Assistant(load_settings()) as assistant, Progress(
        TextColumn("[progress.description]{task.description}"), BarColumn(),
        MofNCompleteColumn(), TimeElapsedColumn(), console=errors, transient=True,
    ) as bar:
        task = bar.add_task("ingesting", total=None)

        def advance(path: Path, i: int, total: int) -> None:
            bar.update(task, total=total, completed=i - 1, description=path.name)

        report = assistant.ingest(paths, force=force, progress=advance, metadata=metadata)
        bar.update(task, completed=len(report.documents) + len(report.failures))
    print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def remove(
    doc: Annotated[str, typer.Argument(help="Symbol (S/2022/899), id or file name.")],
) -> None:
    """Take a document out of the index with its paragraphs, records, passages and vectors."""
    with Assistant(load_settings()) as assistant:
        meta, stats = assistant.remove(doc)
    console.print(f"Removed {meta.symbol or meta.id} ({meta.original_file}); the index now "
                  f"holds {stats.documents} documents, {stats.passages} passages.",
                  highlight=False)


def _metadata(**given: str | None) -> MetadataOverride | None:
    values = {name: value for name, value in given.items() if value is not None}
    if not values:
        return None
    if "date" in values:
        try:
            dt.date.fromisoformat(str(values["date"]))
        except ValueError as exc:
            raise typer.BadParameter(f"{values['date']!r} is not a date; use YYYY-MM-DD",
                                     param_hint="--date") from exc
    if "doc_type" in values and values["doc_type"] not in {t.value for t in DocumentType}:
        raise typer.BadParameter(f"{values['doc_type']!r} is not a type; use one of: {_TYPES}",
                                 param_hint="--type")
    return MetadataOverride.model_validate(values)


def print_report(report: IngestReport) -> None:
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
    print_table(table, console)
    for doc in report.documents:
        if not doc.unchanged:
            console.print(detection_line(doc.meta), highlight=False, soft_wrap=True)
    blocks = sum(d.paragraphs + d.tables + d.footnotes for d in report.documents)
    records = sum(d.records for d in report.documents)
    console.print(f"{len(report.documents)} documents, {blocks} blocks, {records} records, "
                  f"{len(report.failures)} failed")
    for failure in report.failures:
        errors.print(f"[red]failed[/red] {failure.path}: {failure.problem}", highlight=False)


def detection_line(meta: DocumentMeta) -> str:
    """"S_RES_2788_2025_zh.txt: detected type=resolution, date=2025-11-14 ...; guessed
    symbol=...; not found: author (give it with --author)"."""
    groups: dict[str, list[str]] = {"text": [], "guessed": [], "given": []}
    for name in META_FIELDS:
        how = meta.provenance.get(name)
        if how:
            value = getattr(meta, name)
            shown = value.value if isinstance(value, DocumentType) else value
            groups[how].append(f"{name}={shown}")
    pieces = [f"{label} {', '.join(groups[key])}" for key, label in
              (("text", "detected"), ("guessed", "guessed"), ("given", "given"))
              if groups[key]]
    missing = meta.missing()
    if missing:
        options = " ".join(f"--{'type' if m == 'doc_type' else m}" for m in missing)
        pieces.append(f"not found: {', '.join(missing)} (give them with {options})")
    return f"{meta.original_file}: " + "; ".join(pieces)
