"""Drafting: briefing notes and outreach summaries whose every claim keeps its source.

    from assistant.drafting import draft_briefing, draft_outreach_summary, export
    note = draft_briefing(assistant, state="博茨瓦纳", language="en")
    export(note, "note.docx")

The default drafter needs no language model: it writes from the structured records and
quotes the records' own sentences, so the same request always gives the same note. With the
LLM backend (or `llm=` a chat model) a model rewords the prose lines, each kept only if it
passes the answers' citation checks (`reword`); tables, figures and sources stay as drafted.
"""

from assistant.drafting.briefing import draft_briefing, parse_period
from assistant.drafting.export import export, markdown
from assistant.drafting.figures import FigureSeries, FigureValue, key_figures_timeline
from assistant.drafting.models import (
    ChartPoint,
    ChartSeries,
    Draft,
    DraftChart,
    DraftLine,
    DraftRow,
    DraftSection,
    DraftSubject,
    DraftTable,
    Rewording,
)
from assistant.drafting.outreach import draft_outreach_summary

__all__ = [
    "ChartPoint",
    "ChartSeries",
    "Draft",
    "DraftChart",
    "DraftLine",
    "DraftRow",
    "DraftSection",
    "DraftSubject",
    "DraftTable",
    "FigureSeries",
    "FigureValue",
    "Rewording",
    "draft_briefing",
    "draft_outreach_summary",
    "export",
    "key_figures_timeline",
    "markdown",
    "parse_period",
]
