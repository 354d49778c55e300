"""`committee-assistant llm check`: is the configured model usable, and how fast?"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console

from assistant.api import Assistant
from assistant.settings import load_settings

if TYPE_CHECKING:  # the LLM backend is imported by `llm check` alone
    from assistant.llm_check import LLMCheck

console = Console()
llm_app = typer.Typer(help="The chat model of the LLM backend (answer.llm).", no_args_is_help=True)


def _assistant() -> Assistant:
    return Assistant.open(load_settings())


@llm_app.command("check")
def check(
    question: Annotated[str | None, typer.Option(
        help="The question to send (default: one the shipped records answer).")] = None,
) -> None:
    """Send one question end to end to the configured model; exit 1 if its reply is unusable."""
    with _assistant() as assistant:
        report = assistant.check_llm(question)
    for line in report_lines(report):
        console.print(line, highlight=False, soft_wrap=True)
    raise typer.Exit(0 if report.ok else 1)


def report_lines(report: LLMCheck) -> list[str]:
    """The report as the command prints it: one fact a line, then one line per failure."""
    def seconds(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f} s"

    tokens = "-" if report.tokens is None else str(report.tokens)
    if report.finish == "length":
        tokens += " (stopped at answer.llm.max_tokens)"
    lines = [
        f"model      {report.model} at {report.endpoint}",
        f"output     {report.output}",
        f"question   {report.question}",
        f"latency    {seconds(report.latency_s)} (first token {seconds(report.first_token_s)})",
        f"tokens     {tokens}" + ("" if report.prompt_tokens is None
                                  else f", prompt {report.prompt_tokens}"),
        f"parsed     {'yes' if report.parsed else 'no'}",
        f"verified   {report.verified} of {report.citations} citations",
    ]
    if report.answer:
        lines.append(f"answer     {' '.join(report.answer.split())[:200]}")
    lines += [f"[red]✗ {kind}[/red]: {fix}" for kind, fix in report.problems]
    if report.ok:
        lines.append("[green]✓ the model's answers can be used (answer.backend = \"llm\")[/green]")
    return lines
