"""The answering commands: `ask`, `chat` (a plain line-by-line REPL) and `conversations`."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from assistant import cjk_wrap
from assistant.answers import Answer
from assistant.api import Assistant
from assistant.cli_output import print_json
from assistant.settings import load_settings
from index.errors import AssistantError
from index.search_filter import SearchFilter

console = Console()
errors = Console(stderr=True)

Backend = Annotated[str | None, typer.Option(
    help="extractive (default, no model) or llm (the chat model in the settings).")]
DocOption = Annotated[str | None, typer.Option(
    "--doc", help="Only this document: symbol (S/2022/899), id or file name.")]
YearOption = Annotated[int | None, typer.Option(help="Only documents dated in this year.")]


def _assistant(backend: str | None) -> Assistant:
    settings = load_settings()
    if backend is not None:
        if backend not in ("extractive", "llm"):
            raise typer.BadParameter(f"{backend!r}: use extractive or llm")
        settings.answer.backend = backend  # type: ignore[assignment]
    return Assistant.open(settings)


def _filter(assistant: Assistant, doc: str | None, year: int | None) -> SearchFilter | None:
    if doc is None and year is None:
        return None
    doc_id = assistant.document(doc).meta.id if doc else None
    return SearchFilter(doc_id=doc_id, year_from=year, year_to=year)


def print_answer(answer: Answer) -> None:
    from rich.markdown import Markdown  # Markdown's parser only where an answer is printed

    cjk_wrap.install()  # a figure is never cut across two lines
    marker = "" if answer.supported else "[yellow]⚠ not in the records[/yellow]\n"
    if marker:
        console.print(marker, end="")
    console.print(Markdown(answer.text))
    for c in answer.citations:
        console.print(f"[bold][{c.n}][/bold] {c.locator}  [dim]{c.date or ''}[/dim]",
                      highlight=False)
        console.print(f"    “{c.quote}”", highlight=False, soft_wrap=True)
    for note in answer.notes:
        console.print(f"[dim]note: {note}[/dim]", highlight=False)


def ask(
    question: Annotated[str, typer.Argument(help="A question, in Chinese or English.")],
    json: Annotated[bool, typer.Option("--json", help="Print the Answer as JSON.")] = False,
    backend: Backend = None,
    doc: DocOption = None,
    year: YearOption = None,
    conversation: Annotated[str | None, typer.Option(
        help="Ask within this saved conversation (its id), so follow-ups work.")] = None,
) -> None:
    """Answer a question from the records, citing every source."""
    with _assistant(backend) as assistant:
        flt = _filter(assistant, doc, year)
        if conversation:
            answer = assistant.conversation(conversation).ask(question, flt)
        else:
            answer = assistant.ask(question, flt)
    if json:
        print_json(answer.model_dump_json(indent=2))
    else:
        print_answer(answer)


def chat(
    backend: Backend = None,
    doc: DocOption = None,
    year: YearOption = None,
    conversation: Annotated[str | None, typer.Option(
        help="Resume this saved conversation (its id).")] = None,
) -> None:
    """A plain question-and-answer loop; follow-ups refer to earlier turns. Ctrl+D ends."""
    with _assistant(backend) as assistant:
        flt = _filter(assistant, doc, year)
        conv = assistant.conversation(conversation)
        console.print(f"[dim]conversation {conv.id} — empty line or Ctrl+D to end[/dim]")
        while True:
            try:
                question = console.input("[bold]> [/bold]").strip()
            except (EOFError, KeyboardInterrupt):
                break
            if not question:
                break
            try:
                print_answer(conv.ask(question, flt))
            except AssistantError as exc:
                errors.print(f"[red]error:[/red] {exc}", highlight=False)
            console.print()


def conversations(
    delete: Annotated[str | None, typer.Option(help="Delete this conversation (its id).")] = None,
    rename: Annotated[tuple[str, str] | None, typer.Option(
        help="Rename: ID NEW-TITLE.")] = None,
) -> None:
    """List saved conversations (or delete / rename one)."""
    with Assistant(load_settings()) as assistant:
        store = assistant.conversation_store
        if delete:
            store.delete(delete)
            console.print(f"deleted {delete}")
            return
        if rename:
            store.rename(*rename)
            console.print(f"renamed {rename[0]}")
            return
        table = Table(title="Conversations")
        for column in ("id", "title", "turns", "updated"):
            table.add_column(column)
        for info in store.list():
            table.add_row(info.id, info.title, str(info.turns), info.updated)
        console.print(table)
