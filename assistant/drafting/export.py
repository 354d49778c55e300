"""Writing a draft out: Markdown (through `prompts/draft_markdown.md`), DOCX or JSON, by the
file's suffix.

Markdown and DOCX read the same `NoteView`: lines with their [n] markers, tables with a
sources column, and one line per source (locator, document title, date, and the words
quoted), so both exports say exactly the same thing.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.answers import Citation
from assistant.drafting.models import Draft, DraftLine
from assistant.drafting.wording import Voice
from assistant.prompts import load_prompt
from index.errors import DraftError

SUFFIXES = (".md", ".docx", ".json")
_PART_OF = re.compile(r"\s*[(（]\d+/\d+[)）]$")
QUOTE_LIMIT = 120
_LABELS = {
    "zh": {"sources": "来源", "notes": "编辑须知", "source_column": "来源",
           "meta": "日期：{date}　｜　根据委员会记录自动起草（不使用语言模型），请核对后使用",
           "meta_llm": "日期：{date}　｜　根据委员会记录自动起草，语言模型（{model}）改写了"
                       "{rewritten}行文字，每行均已与所引来源核对；表格和来源未经改动，请核对后使用"},
    "en": {"sources": "Sources", "notes": "Notes for the editor", "source_column": "Sources",
           "meta": "Date: {date} | Drafted from the Committee's records without a language "
                   "model; check before use",
           "meta_llm": "Date: {date} | Drafted from the Committee's records; a language model "
                       "({model}) reworded {rewritten} lines, each checked against the sources "
                       "it cites; tables and sources as drafted; check before use"},
}


class TableView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    caption: str
    columns: list[str]
    rows: list[list[str]]
    markers: list[list[int]] = Field(default_factory=list, description="Per row, its sources.")


class SectionView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    key: str
    heading: str
    paragraphs: list[str]
    bullets: list[str]
    paragraph_quotes: list[str] = Field(default_factory=list, description="Per paragraph, "
                                        "the Chinese text of the records beneath it ('' if none).")
    bullet_quotes: list[str] = Field(default_factory=list, description="Per bullet, likewise.")
    tables: list[TableView]
    chart: bool = Field(default=False, description="The chart goes at the end of this section.")


class SourceView(BaseModel):
    model_config = ConfigDict(extra="forbid")

    n: int
    where: str = Field(description="Locator, document title and date.")
    quote: str = Field(description="The words quoted, shortened for the list.")
    text: str = Field(description="The whole entry as printed, marker first.")


class NoteView(BaseModel):
    """A draft laid out for export: every marker, cell and source as it will be printed."""

    model_config = ConfigDict(extra="forbid")

    title: str
    meta: str
    sections: list[SectionView]
    sources_heading: str
    source_entries: list[SourceView]
    notes_heading: str
    notes: list[str]
    chart: str | None = Field(default=None, description="Where the chart image is, for Markdown.")
    chart_title: str = ""

    @property
    def sources(self) -> list[str]:
        return [_escape(s.text) for s in self.source_entries]


def note_view(draft: Draft, chart_path: str | None = None) -> NoteView:
    labels = _LABELS[draft.language]
    voice = Voice(draft.language)
    chart_section = next((s.key for s in draft.sections if s.key in ("key_figures", "counts")),
                         draft.sections[-1].key if draft.sections else "")
    sections = []
    for section in draft.sections:
        # A caption that says again what the heading says is left out: headings appear once.
        tables = [TableView(caption="" if t.caption == section.heading else t.caption,
                            columns=[*t.columns, labels["source_column"]],
                            rows=[[*r.cells, _markers(r.citations)] for r in t.rows],
                            markers=[r.citations for r in t.rows])
                  for t in section.tables]
        sections.append(SectionView(
            key=section.key, heading=section.heading,
            paragraphs=[_line(p, draft.language) for p in section.paragraphs],
            bullets=[_line(b, draft.language) for b in section.bullets], tables=tables,
            paragraph_quotes=[p.quote or "" for p in section.paragraphs],
            bullet_quotes=[b.quote or "" for b in section.bullets],
            chart=draft.chart is not None and section.key == chart_section))
    meta = labels["meta"].format(date=voice.date(draft.date))
    if draft.backend == "llm" and draft.rewording is not None:
        meta = labels["meta_llm"].format(date=voice.date(draft.date),
                                         model=draft.rewording.model,
                                         rewritten=draft.rewording.rewritten)
    return NoteView(
        title=draft.title, meta=meta,
        sections=sections, sources_heading=labels["sources"],
        source_entries=[_source(c, voice) for c in draft.citations],
        notes_heading=labels["notes"], notes=draft.notes, chart=chart_path,
        chart_title=draft.chart.title if draft.chart else "")


def _line(line: DraftLine, language: str) -> str:
    """Chinese sets the marker right after the full stop; English after a space."""
    gap = " " if language == "en" else ""
    return f"{line.text}{gap}{_markers(line.citations)}".strip()


def _markers(numbers: list[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _source(citation: Citation, voice: Voice) -> SourceView:
    when = voice.date(dt.date.fromisoformat(citation.date)) if citation.date else ""
    # "(1/2)": the part of a long paragraph a passage holds, which the reader needs not.
    where = voice.locator(_PART_OF.sub("", citation.locator))
    title = citation.title
    if voice.en:
        text = ", ".join(part for part in (where, f"“{title}”" if title else "", when) if part)
    else:
        text = where + (f"，《{title}》" if title else "") + (f"，{when}" if when else "")
    quote = citation.quote.replace("\n", " / ")
    if len(quote) > QUOTE_LIMIT:
        quote = quote[:QUOTE_LIMIT - 1] + "…"
    entry = f"[{citation.n}] {text}: “{quote}”" if voice.en else \
        f"[{citation.n}] {text}：“{quote}”"
    return SourceView(n=citation.n, where=text, quote=quote, text=entry)


def _escape(text: str) -> str:
    return text.replace("|", "\\|")


def markdown(draft: Draft, chart_path: str | None = None) -> str:
    view = note_view(draft, chart_path)
    for section in view.sections:
        for table in section.tables:
            table.rows = [[_cell(c) for c in row] for row in table.rows]
    return load_prompt("draft_markdown").render(note=view)


def _cell(text: str) -> str:
    return _escape(text).replace("\n", "；")


def export(draft: Draft, path: Path | str) -> Path:
    """Write the draft to `path` as its suffix says (.md, .docx, .json). A Markdown note's
    chart is written beside it as `<name>.chart.png`. Returns the path written."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DraftError(f"{path}: cannot export a draft as {suffix or 'a file without a suffix'}"
                         f"; use one of {', '.join(SUFFIXES)}")
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".json":
        path.write_text(draft.model_dump_json(indent=2), encoding="utf-8")
    elif suffix == ".docx":
        from assistant.drafting.docx_export import write_docx

        write_docx(draft, note_view(draft), path)
    else:
        chart_path = None
        if draft.chart is not None:
            image = path.with_name(f"{path.stem}.chart.png")
            image.write_bytes(draft.chart.png)
            chart_path = image.name
        path.write_text(markdown(draft, chart_path), encoding="utf-8")
    return path

