"""A draft as a Word document (python-docx): real headings, bulleted lists, tables with a
header row, the chart as an image, and the sources as a numbered endnote list.

python-docx cannot write Word footnotes, so each marker is a superscript "[n]" that points
into the numbered "Sources" list at the end: the endnote layout briefing notes commonly use.
Chinese text is set in a Chinese font (SimSun, which Word and LibreOffice substitute where
it is missing) and tagged zh-CN, and never in italics (a slanted CJK face is a synthetic
oblique that reads badly). Each table's columns are sized so that its longest header word
fits whole and the rest of the width goes where the text is; a table whose columns cannot
fit a portrait page gets a landscape page of its own.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Inches, Pt, RGBColor
from docx.table import Table
from docx.text.paragraph import Paragraph

from assistant.drafting.export import NoteView, TableView
from assistant.drafting.models import Draft

EAST_ASIAN_FONT = "SimSun"
LATIN_FONT = "Calibri"
PAGE_WIDTH, PAGE_HEIGHT, MARGIN = Inches(8.27), Inches(11.69), Inches(0.9)  # A4
# Widths of one character at the table's type sizes, and the padding of a cell: what a
# header word needs to sit on one line.
LATIN_CHAR, CJK_CHAR, CELL_PAD = 0.085, 0.15, 0.2
SHORT_CELL = 22
_CJK = re.compile(r"[\u3000-\u9fff\uff00-\uffef]")


def write_docx(draft: Draft, view: NoteView, path: Path) -> None:
    document = new_document()
    _styles(document)
    _page(document.sections[0], landscape=False)
    document.core_properties.title = draft.title
    document.core_properties.subject = draft.kind
    document.core_properties.language = "zh-CN" if draft.language == "zh" else "en-GB"
    document.add_heading(view.title, level=0)
    meta = document.add_paragraph()
    meta.add_run(view.meta).italic = draft.language == "en"
    for section, source in zip(view.sections, draft.sections, strict=True):
        document.add_heading(section.heading, level=1)
        for line in source.paragraphs:
            _marked(document.add_paragraph(), line.text, line.citations)
            _quote(document, line.quote)
        for line in source.bullets:
            _marked(document.add_paragraph(style="List Bullet"), line.text, line.citations)
            _quote(document, line.quote)
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
                              else f"：“{entry.quote}”")
    document.save(str(path))


def _marked(paragraph: Paragraph, text: str, citations: list[int]) -> None:
    """The text, then its markers as superscript."""
    paragraph.add_run(text)
    if citations:
        marker = paragraph.add_run("".join(f"[{n}]" for n in citations))
        marker.font.superscript = True


def _quote(document: Document, quote: str | None) -> None:
    """The Chinese text of the records an English line gives the gist of, beneath it:
    indented, smaller and grey, upright."""
    if not quote:
        return
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.left_indent = Inches(0.5)
    paragraph.paragraph_format.space_after = Pt(6)
    run = paragraph.add_run(f"“{quote}”")
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x55, 0x55, 0x55)


def _table(document: Document, view: TableView) -> None:
    widths = _widths(view, _usable(landscape=False))
    landscape = widths is None
    if landscape:
        _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        widths = _widths(view, _usable(landscape=True)) or \
            [_usable(landscape=True) / len(view.columns)] * len(view.columns)
    if view.caption:
        caption = document.add_paragraph(view.caption, style="Caption")
        caption.paragraph_format.keep_with_next = True
    table = document.add_table(rows=1, cols=len(view.columns))
    table.style = "Table Grid"
    table.autofit = False
    header = table.rows[0].cells
    for cell, name in zip(header, view.columns, strict=True):
        cell.text = ""
        run = cell.paragraphs[0].add_run(name)
        run.bold = True
        run.font.size = Pt(9)
    _repeat_header(table.rows[0])
    source_column = len(view.columns) - 1
    for values in view.rows:
        cells = table.add_row().cells
        for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
            # Markers may wrap between one another, never inside "[12]".
            cell.text = value.replace("][", "]\u200b[") if i == source_column else value
            for paragraph in cell.paragraphs:
                for run in paragraph.runs:
                    run.font.size = Pt(9)
    _fix_widths(table, widths)
    if landscape:
        _page(document.add_section(WD_SECTION.NEW_PAGE), landscape=False)
    else:
        document.add_paragraph()


def _text_width(text: str) -> float:
    """Inches a run of text takes at 9 pt (CJK characters are about twice as wide)."""
    cjk = len(_CJK.findall(text))
    return cjk * CJK_CHAR + (len(text) - cjk) * LATIN_CHAR


def _words(text: str) -> list[str]:
    """What may not be broken across lines: Latin words and markers whole, CJK text may
    break between any two characters."""
    return [w for w in re.split(r"\s+|(?<=\])(?=\[)|(?<=[\u3000-\u9fff])|(?=[\u3000-\u9fff])",
                                text) if w]


def _widths(view: TableView, usable: float) -> list[float] | None:
    """Column widths in inches that fit `usable`: each column at least as wide as its
    longest header or cell word, the rest shared by how much text each column holds; None
    when even the narrowest widths do not fit."""
    columns = list(zip(*([view.columns, *view.rows]), strict=True))
    # A column of short cells (dates, figures) keeps each cell on one line.
    least = [max(_text_width(c) if len(c) <= SHORT_CELL else
                 max((_text_width(w) for w in _words(c)), default=0.0) for c in column)
             + CELL_PAD for column in columns]
    if sum(least) > usable:
        return None
    need = [max(sum(_text_width(cell) for cell in column[1:]) / max(len(column) - 1, 1), 0.1)
            for column in columns]
    spare = usable - sum(least)
    return [lo + spare * n / sum(need) for lo, n in zip(least, need, strict=True)]


def _usable(*, landscape: bool) -> float:
    width = PAGE_HEIGHT if landscape else PAGE_WIDTH
    return (width - 2 * MARGIN) / 914400  # EMU per inch


def _fix_widths(table: Table, widths: list[float]) -> None:
    """Fixed column widths that Word and LibreOffice both honour (the grid and each cell)."""
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Inches(width)
        for cell in column.cells:
            cell.width = Inches(width)


def _page(section: object, *, landscape: bool) -> None:
    """A4 with even margins, portrait or landscape."""
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
    section.page_width, section.page_height = (PAGE_HEIGHT, PAGE_WIDTH) if landscape \
        else (PAGE_WIDTH, PAGE_HEIGHT)  # type: ignore[attr-defined]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, MARGIN)


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
        style.font.italic = False  # Caption is italic by default: no slanted CJK type
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
