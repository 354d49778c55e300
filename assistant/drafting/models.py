"""What a draft is: sections of lines and tables, each line and row backed by citations.

A `Draft` is the contract the exporters (Markdown, DOCX, JSON), the CLI and the TUI read.
Text never carries its own [n] markers: a line or row lists the numbers of the citations
that back it, and each exporter prints them its own way. `Draft.model_dump_json()` is what
`export(draft, "note.json")` writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from assistant.answers import Citation

DraftKind = Literal["briefing", "outreach"]
Language = Literal["zh", "en"]
SectionKey = Literal[
    "purpose", "key_points", "background", "chronology", "key_figures", "mentions",
    "open_issues", "events", "counts", "highlights", "not_found",
]


class DraftLine(BaseModel):
    """A paragraph or bullet. Framing lines (what the note is for) carry no citation;
    every other line carries at least one."""

    model_config = ConfigDict(extra="forbid")

    text: str
    citations: list[int] = Field(default_factory=list,
                                 description="Numbers of the citations that back the line.")
    framing: bool = Field(default=False, description="The note's own framing, not a claim about "
                                             "the records: needs no citation.")
    quote: str | None = Field(default=None, description="In an English note, the Chinese "
                              "sentence of the records the line gives the gist of: printed "
                              "beneath the line as its cited source.")


class DraftRow(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cells: list[str]
    citations: list[int] = Field(default_factory=list)


class DraftTable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caption: str
    columns: list[str]
    rows: list[DraftRow] = Field(default_factory=list)


class DraftSection(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: SectionKey = Field(description="What the section is, whatever the language.")
    heading: str
    paragraphs: list[DraftLine] = Field(default_factory=list)
    bullets: list[DraftLine] = Field(default_factory=list)
    tables: list[DraftTable] = Field(default_factory=list)


class ChartPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    as_of: dt.date = Field(description="The date the value holds at (a year's end for a "
                                       "count per year).")
    label: str = Field(default="", description="The bar's label (a year, a month) for counts.")
    value: int
    citations: list[int] = Field(default_factory=list)


class ChartSeries(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    points: list[ChartPoint]


class DraftChart(BaseModel):
    """The key-figures chart: the PNG, and the cited points it was drawn from."""

    model_config = ConfigDict(extra="forbid", ser_json_bytes="base64", val_json_bytes="base64")

    title: str
    style: Literal["line", "bars"] = Field(description="line: a figure across documents; "
                                                       "bars: counts per year.")
    png: bytes = Field(description="The chart as PNG (base64 in JSON).")
    series: list[ChartSeries] = Field(default_factory=list)


class DraftSubject(BaseModel):
    """What the draft was asked to cover, as resolved."""

    model_config = ConfigDict(extra="forbid")

    topic: str | None = None
    state: str | None = Field(default=None, description="The state's Chinese name as the records print it.")
    state_en: str | None = Field(default=None, description="Its English name, where the glossary has it.")
    period: tuple[int, int] | None = None
    region: str | None = None
    organisation: str | None = None


class Rewording(BaseModel):
    """What a language model did to a draft's prose (key points, background, open issues,
    highlights, purpose): tables, chronology, figures and sources are never offered to it."""

    model_config = ConfigDict(extra="forbid")

    model: str = Field(description="The chat model asked, e.g. 'ollama:qwen2.5:7b'.")
    offered: int = Field(description="Prose lines offered to the model.")
    rewritten: int = Field(description="Lines now in the model's wording, each of which "
                                       "passed the source checks.")
    rejected: list[str] = Field(default_factory=list,
                                description="Lines whose rewording failed a check (kept as "
                                            "drafted), each with why.")

    @property
    def kept(self) -> int:
        """Lines in the drafter's wording: not reworded by the model, or reworded wrongly."""
        return self.offered - self.rewritten


class Draft(BaseModel):
    """A briefing note or outreach summary whose every claim keeps its source."""

    model_config = ConfigDict(extra="forbid")

    kind: DraftKind
    title: str
    date: dt.date = Field(description="Date of the note.")
    language: Language
    subject: DraftSubject = Field(default_factory=lambda: DraftSubject())
    found: bool = Field(default=True, description="False when the records hold nothing on the "
                                          "subject: the draft then says so and no more.")
    sections: list[DraftSection] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    chart: DraftChart | None = None
    notes: list[str] = Field(default_factory=list,
                             description="What the drafter wants the editor to know.")
    backend: Literal["extractive", "llm"] = Field(
        default="extractive", description="extractive: every word from the drafter; llm: a "
                                          "language model reworded some prose lines (see "
                                          "`rewording`).")
    rewording: Rewording | None = Field(
        default=None, description="What the language model changed; None when no model "
                                  "was asked or its reply could not be used (`notes` says why).")

    def section(self, key: SectionKey) -> DraftSection | None:
        return next((s for s in self.sections if s.key == key), None)

    def citation(self, n: int) -> Citation:
        return self.citations[n - 1]

    def lines(self) -> Iterator[DraftLine]:
        for section in self.sections:
            yield from section.paragraphs
            yield from section.bullets

    def rows(self) -> Iterator[DraftRow]:
        for section in self.sections:
            for table in section.tables:
                yield from table.rows

    def unbacked(self) -> list[str]:
        """Lines and rows that claim something without a verified citation (empty for a
        sound draft): what tests and the LLM path check before a draft is returned."""
        bad: list[str] = []
        numbers = range(1, len(self.citations) + 1)
        for line in self.lines():
            if line.framing:
                continue
            if not line.citations or any(n not in numbers or not self.citation(n).verified()
                                         for n in line.citations):
                bad.append(line.text)
        for row in self.rows():
            if not row.citations or any(n not in numbers or not self.citation(n).verified()
                                        for n in row.citations):
                bad.append(" | ".join(row.cells))
        return bad
