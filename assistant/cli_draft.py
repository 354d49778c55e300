"""The drafting commands: `draft briefing` and `draft outreach`, written to .md, .docx or .json.

    committee-assistant draft briefing --state 博茨瓦纳 --lang en --out note.docx
    committee-assistant draft outreach --year 2019 --out summary.md
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from assistant.settings import load_settings

if TYPE_CHECKING:  # drafting is imported by the commands that draft
    from assistant.api import Assistant
    from assistant.drafting import Draft

console = Console()
errors = Console(stderr=True)

draft_app = typer.Typer(help="Draft briefing notes and outreach summaries, every sentence "
                             "sourced (.md, .docx or .json).", no_args_is_help=True)

LangOption = Annotated[str, typer.Option("--lang", help="Language of the note: zh or en.")]
OutOption = Annotated[Path, typer.Option("--out", help="File to write: .md, .docx or .json.")]
StateOption = Annotated[str | None, typer.Option(
    help="A State, in Chinese or English (博茨瓦纳, Kyrgyzstan).")]
LLMOption = Annotated[bool | None, typer.Option(
    "--llm/--no-llm", help="Have the chat model of answer.llm reword the prose, every line "
                           "checked against its sources (default: as answer.backend says).")]


@draft_app.command("briefing")
def briefing(
    out: OutOption,
    topic: Annotated[str | None, typer.Option(
        help="A topic: 援助, 联络人, 国家执行行动计划, 全面审查 …")] = None,
    state: StateOption = None,
    period: Annotated[str | None, typer.Option(
        help="Years covered, e.g. 2018-2022 (or one year).")] = None,
    lang: LangOption = "zh",
    llm: LLMOption = None,
) -> None:
    """A briefing note on a State, a topic or a period."""
    from assistant.drafting import draft_briefing, export, parse_period

    with _assistant() as assistant:
        draft = draft_briefing(assistant, topic=topic, state=state,
                               period=parse_period(period), language=lang, llm=llm)
    _written(draft, export(draft, out))


@draft_app.command("outreach")
def outreach(
    out: OutOption,
    year: Annotated[int | None, typer.Option(help="One year, e.g. 2019.")] = None,
    period: Annotated[str | None, typer.Option(help="Years, e.g. 2016-2019.")] = None,
    region: Annotated[str | None, typer.Option(help="Region named in the events, e.g. 非洲.")]
    = None,
    org: Annotated[str | None, typer.Option(
        "--org", help="Organisation, in Chinese or English (欧安组织, OSCE).")] = None,
    state: StateOption = None,
    lang: LangOption = "zh",
    llm: LLMOption = None,
) -> None:
    """An outreach summary: events, counts per year and type, highlights."""
    from assistant.drafting import draft_outreach_summary, export, parse_period

    with _assistant() as assistant:
        draft = draft_outreach_summary(assistant, year=year, period=parse_period(period),
                                       region=region, organisation=org, state=state,
                                       language=lang, llm=llm)
    _written(draft, export(draft, out))


def _assistant() -> AbstractContextManager[Assistant]:
    """The assistant, its index built on first use (tests replace this)."""
    from assistant.api import Assistant

    return Assistant.open(load_settings())


def _written(draft: Draft, path: Path) -> None:
    """One line: what was drafted, how much of it, who worded it and where it went; then
    the notes for the editor (why the model's wording was not used, say)."""
    lines = sum(1 for _ in draft.lines()) + sum(1 for _ in draft.rows())
    found = "" if draft.found else " (the records hold nothing on this: the note says so)"
    worded = ""
    if draft.rewording is not None:
        worded = (f", {draft.rewording.rewritten} of {draft.rewording.offered} prose lines "
                  f"reworded by {draft.rewording.model}")
    console.print(f"{draft.title}: {len(draft.sections)} sections, {lines} lines and rows, "
                  f"{len(draft.citations)} sources{worded}{found} → {path}", highlight=False,
                  soft_wrap=True)
    for note in draft.notes:
        errors.print(note, highlight=False, soft_wrap=True, markup=False)
