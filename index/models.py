"""The vocabulary of the index: documents, their blocks, and the records inside them.

Every addressable unit carries a stable `id` (unchanged when the same file is ingested
again) and a human `locator` such as ``S/2022/899 附件 第26段`` that an answer can cite.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class DocumentType(StrEnum):
    """What kind of committee record a document is, in the committee's own terms."""

    RESOLUTION = "resolution"
    PRESIDENTIAL_STATEMENT = "presidential_statement"
    COMPREHENSIVE_REVIEW = "comprehensive_review"
    ANNUAL_REVIEW = "annual_review"
    BRIEFING = "briefing"
    PROGRAMME_OF_WORK = "programme_of_work"
    NATIONAL_REPORT = "national_report"
    STATEMENT = "statement"
    NOTE_VERBALE = "note_verbale"
    LETTER = "letter"
    PRESS_RELEASE = "press_release"
    OTHER = "other"


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    FOOTNOTE = "footnote"
    TABLE = "table"


SourceFormat = Literal["txt", "md", "html", "pdf", "docx"]
# Where a metadata field came from: printed in the text, inferred from its wording or layout
# (a type from what the letter transmits, a date from the masthead), or given by the user.
# Where a field's value came from: printed in the text, guessed from its wording or layout,
# given by the user (documents.toml, a sidecar, options), or listed for it by another
# record (the 2018 review prints no symbol; annex XXII of S/2022/899 lists S/2018/1178).
Provenance = Literal["text", "guessed", "given", "record"]
META_FIELDS = ("doc_type", "symbol", "date", "title", "author", "language")


class DocumentMeta(BaseModel):
    """What is known about a document as a whole: detected from its text or given in data/."""

    model_config = ConfigDict(extra="forbid")

    id: str = Field(description="Stable id: the original file's stem unless metadata says otherwise.")
    symbol: str | None = Field(None, description="UN document symbol, e.g. S/2022/899; None if unknown.")
    date: dt.date | None = None
    doc_type: DocumentType = DocumentType.OTHER
    title: str = ""
    language: str = "zh"
    original_language: str | None = Field(None, description="Language of the original, if a translation.")
    author: str | None = Field(None, description="Sender: the Chair, a Permanent Mission ...")
    original_file: str = Field(description="File name the document was ingested from.")
    source_format: SourceFormat = "txt"
    sha256: str = Field("", description="Hash of the source file's bytes; a change means re-ingest.")
    parser_version: int = Field(0, description="Version of the parser that read it; a newer "
                                               "parser re-reads the file.")
    provenance: dict[str, Provenance] = Field(
        default_factory=dict, description="Field name → where its value came from; a field "
        "left out was not found.")

    @property
    def fingerprint(self) -> str:
        """What the search index compares to know a document must be re-chunked (a symbol
        another record gives changes its locators, not its file)."""
        listed = f"/{self.symbol}" if self.provenance.get("symbol") == "record" else ""
        return f"{self.sha256}/p{self.parser_version}{listed}"

    @property
    def label(self) -> str:
        """How a citation names the document: its symbol, else its date and type."""
        if self.symbol:
            return self.symbol
        when = self.date.isoformat() if self.date else self.id
        if self.language == "en":
            return f"{when} {self.doc_type.value.replace('_', ' ')}"
        return f"{when} {DOC_TYPE_LABELS_ZH.get(self.doc_type, '文件')}"

    def missing(self) -> list[str]:
        """The fields neither the text nor the user gave."""
        return [name for name in META_FIELDS if name not in self.provenance]


DOC_TYPE_LABELS_ZH: dict[DocumentType, str] = {
    DocumentType.RESOLUTION: "决议",
    DocumentType.PRESIDENTIAL_STATEMENT: "主席声明",
    DocumentType.NATIONAL_REPORT: "国家报告",
    DocumentType.NOTE_VERBALE: "普通照会",
    DocumentType.PRESS_RELEASE: "新闻稿",
    DocumentType.COMPREHENSIVE_REVIEW: "全面审查",
    DocumentType.ANNUAL_REVIEW: "年度审查",
    DocumentType.BRIEFING: "主席通报",
    DocumentType.PROGRAMME_OF_WORK: "工作方案",
    DocumentType.STATEMENT: "发言",
    DocumentType.LETTER: "信",
    DocumentType.OTHER: "文件",
}


# A cell that holds several values (a state's report dates, several requests) keeps them one
# per line, as the annex prints them: no character the document lacks is added.
CELL_SEPARATOR = "\n"


class TableRow(BaseModel):
    """One row of an annex table, with wrapped cells already rejoined."""

    model_config = ConfigDict(extra="forbid")

    id: str
    number: int = Field(description="The row's printed number, or its position when rows are unnumbered.")
    cells: list[str]
    locator: str

    @property
    def text(self) -> str:
        return " ".join(cell.replace(CELL_SEPARATOR, " ") for cell in self.cells if cell)

    def values(self, column: int) -> list[str]:
        """The values of one cell (several when the annex lists several under one row)."""
        cell = self.cells[column] if column < len(self.cells) else ""
        return [value for value in cell.split(CELL_SEPARATOR) if value]


class Block(BaseModel):
    """One addressable unit of a document, in reading order."""

    model_config = ConfigDict(extra="forbid")

    id: str
    doc_id: str
    kind: BlockKind
    seq: int = Field(description="Position in the document, 0-based.")
    part: str = Field(description="Part label: '' for the covering letter, '附件', '附件三' ...")
    section: str | None = Field(None, description="The heading this block falls under.")
    number: int | None = Field(None, description="Printed paragraph number, e.g. 26.")
    ordinal: int = Field(description="1-based position among blocks of this kind in this part.")
    sub: str | None = Field(None, description="Sub-paragraph letter as printed: '(a)', '㈠'.")
    label: str | None = Field(None, description="Footnote mark as printed: '1', 'a', '¹'.")
    text: str = ""
    locator: str
    footnotes: list[str] = Field(default_factory=list, description="Ids of footnotes this block calls.")
    called_by: str | None = Field(None, description="For a footnote: id of the block that calls it.")
    title: str | None = Field(None, description="For a table: its annex title.")
    header: list[str] = Field(default_factory=list, description="For a table: column headings.")
    rows: list[TableRow] = Field(default_factory=list)
    numbered_rows: bool = Field(False, description="For a table: whether rows print numbers.")

    @property
    def full_text(self) -> str:
        """The block as one readable string (a table's rows one per line)."""
        if self.kind is BlockKind.TABLE:
            lines = [self.title or "", " | ".join(self.header)]
            lines += [self.row_line(row) for row in self.rows]
            return "\n".join(line for line in lines if line)
        return self.text


    def row_line(self, row: TableRow) -> str:
        """A row as printed: its number (where the table numbers rows) and its cells,
        separated by whitespace only, so the line quotes the document verbatim."""
        cells = "  ".join(cell.replace(CELL_SEPARATOR, " ") for cell in row.cells if cell)
        return f"{row.number}. {cells}" if self.numbered_rows else cells


class Document(BaseModel):
    model_config = ConfigDict(extra="forbid")

    meta: DocumentMeta
    blocks: list[Block] = Field(default_factory=list)

    @property
    def id(self) -> str:
        return self.meta.id

    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.kind is BlockKind.PARAGRAPH]

    def numbered(self, number: int) -> list[Block]:
        """A numbered paragraph and its sub-paragraphs, in order."""
        return [b for b in self.paragraphs() if b.number == number]

    def tables(self) -> list[Block]:
        return [b for b in self.blocks if b.kind is BlockKind.TABLE]

    def rows_by_id(self) -> dict[str, tuple[Block, TableRow]]:
        """Every table row by its id, with its table (records cite rows by id)."""
        return {row.id: (table, row) for table in self.tables() for row in table.rows}
