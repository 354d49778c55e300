"""A draft as a Word document (python-docx): real headings, bulleted lists, tables with a
header row, the chart as an image, and the sources as a numbered endnote list.

python-docx cannot write Word footnotes, so each marker is a superscript "[n]" that points
into the numbered "Sources" list at the end: the endnote layout briefing notes commonly use.
Chinese text is set in a Chinese font (SimSun, which Word and LibreOffice substitute where
it is missing) and tagged zh-CN.
"""

from __future__ import annotations

import io
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt
from docx.text.paragraph import Paragraph

from assistant.drafting.export import NoteView, TableView
from assistant.drafting.models import Draft

EAST_ASIAN_FONT = "SimSun"
LATIN_FONT = "Calibri"


def write_docx(draft: Draft, view: NoteView, path: Path) -> None:
    document = new_document()
    _styles(document)
    document.core_properties.title = draft.title
    document.core_properties.subject = draft.kind
    document.core_properties.language = "zh-CN" if draft.language == "zh" else "en-GB"
    document.add_heading(view.title, level=0)
    meta = document.add_paragraph()
    meta.add_run(view.meta).italic = True
    for section, source in zip(view.sections, draft.sections, strict=True):
        document.add_heading(section.heading, level=1)
        for line in source.paragraphs:
            _marked(document.add_paragraph(), line.text, line.citations)
        for line in source.bullets:
            _marked(document.add_paragraph(style="List Bullet"), line.text, line.citations)
        for table in section.tables:
            _table(document, table)
        if section.chart and draft.chart is not None:
            document.add_picture(io.BytesIO(draft.chart.png), width=Inches(6.2))
            document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
            caption = document.add_paragraph(view.chart_title, style="Caption")
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if view.notes:
        document.add_heading(view.notes_heading, level=1)
        for note in view.notes:
            document.add_paragraph(note, style="List Bullet")
    if view.source_entries:
        document.add_heading(view.sources_heading, level=1)
        for entry in view.source_entries:
            paragraph = document.add_paragraph()
            paragraph.paragraph_format.left_indent = Inches(0.35)
            paragraph.paragraph_format.first_line_indent = Inches(-0.35)
            paragraph.paragraph_format.space_after = Pt(2)
            paragraph.add_run(f"[{entry.n}] ").bold = True
            paragraph.add_run(entry.where)
            paragraph.add_run(f": “{entry.quote}”" if draft.language == "en"
                              else f"：“{entry.quote}”").italic = True
    document.save(str(path))


def _marked(paragraph: Paragraph, text: str, citations: list[int]) -> None:
    """The text, then its markers as superscript."""
    paragraph.add_run(text)
    if citations:
        marker = paragraph.add_run("".join(f"[{n}]" for n in citations))
        marker.font.superscript = True


def _table(document: Document, view: TableView) -> None:
    caption = document.add_paragraph(view.caption, style="Caption")
    caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(view.columns))
    table.style = "Table Grid"
    header = table.rows[0].cells
    for cell, name in zip(header, view.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
    _repeat_header(table.rows[0])
    for values in view.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            cell.text = value
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    document.add_paragraph()


def _repeat_header(row: object) -> None:
    """The header row repeats on every page a long table runs over."""
    tr_pr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    flag = OxmlElement("w:tblHeader")
    flag.set(qn("w:val"), "true")
    tr_pr.append(flag)


def _styles(document: Document) -> None:
    """Fonts that hold Chinese, in every style the note uses."""
    for name in ("Normal", "Title", "Heading 1", "Caption", "List Bullet"):
        style = document.styles[name]
        style.font.name = LATIN_FONT if name == "Normal" else style.font.name
        r_pr = style.element.get_or_add_rPr()
        fonts = r_pr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            r_pr.append(fonts)
        fonts.set(qn("w:eastAsia"), EAST_ASIAN_FONT)
        lang = r_pr.find(qn("w:lang"))
        if lang is None:
            lang = OxmlElement("w:lang")
            r_pr.append(lang)
        lang.set(qn("w:eastAsia"), "zh-CN")
    document.styles["Normal"].font.size = Pt(10.5)
