"""Where every claim of a draft comes from: the records read once, and the numbered citations.

`Corpus` reads what drafting needs from the `Assistant` (documents, their table rows, the
prose passages) once per draft. `SourceBook` hands out citation numbers: a structured
record is cited by the annex row it was read from (the row as printed is the passage and
the quote), a sentence by its passage, and a count by exactly the rows it counts. The same
source cited twice gets the same number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, TypeVar

from assistant.answers import Citation
from index.models import Block, BlockKind, Document, DocumentMeta, TableRow
from index.passages import Passage
from index.records import CommitteeDocument, Record, RecordBase
from index.zh_dates import parse_date

if TYPE_CHECKING:
    from assistant.api import Assistant

PROSE_KINDS = ("paragraph", "footnote")
R = TypeVar("R", bound=RecordBase)
_AS_OF = re.compile(r"(?:截至|至)(\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)")
_CARRIES = re.compile(r"（转递(?P<what>.+)）\s*$")


class Corpus:
    """The ingested records as drafting reads them (loaded lazily, once)."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant
        self.metas: dict[str, DocumentMeta] = {m.id: m for m in assistant.documents()}
        self._documents: dict[str, Document] = {}
        self._rows: dict[str, tuple[Block, TableRow]] | None = None
        self._prose: list[Passage] | None = None
        self._symbols: dict[str, str | None] = {}

    def document(self, doc_id: str) -> Document:
        if doc_id not in self._documents:
            self._documents[doc_id] = self.assistant.document(doc_id)
        return self._documents[doc_id]

    def records(self, model: type[R], *, state: str | None = None,
                years: tuple[int, int] | None = None) -> list[R]:
        """The records of one type, typed (filtered by state name and by a span of years
        as `Assistant.records` filters them)."""
        record_type = str(model.model_fields["record_type"].default)
        found = self.assistant.records(
            record_type, state=state,
            date_from=dt.date(years[0], 1, 1) if years else None,
            date_to=dt.date(years[1], 12, 31) if years else None)
        return [r for r in found if isinstance(r, model)]

    def row(self, row_id: str) -> tuple[Block, TableRow]:
        """The table and row a record was read from."""
        if self._rows is None:
            self._rows = {row.id: (table, row) for doc_id in self.metas
                          for table in self.document(doc_id).tables() for row in table.rows}
        return self._rows[row_id]

    def as_of(self, record: Record) -> dt.date | None:
        """The date an annex says its list is current to ("截至2022年6月2日", "2016年4月25日
        至2022年6月2日"), else the document's date."""
        table, _ = self.row(record.row_id)
        matches = list(_AS_OF.finditer(table.title or ""))
        found = parse_date(matches[-1].group(1)) if matches else None
        return found or self.metas[record.doc_id].date

    def prose(self) -> list[Passage]:
        """Every paragraph and footnote passage, oldest document first, in reading order."""
        if self._prose is None:
            passages = [p for p in self.assistant.retriever().passages.values()
                        if p.kind in PROSE_KINDS]
            order = {block.id: block.seq for doc_id in self.metas
                     for block in self.document(doc_id).blocks
                     if block.kind is not BlockKind.TABLE}
            self._prose = sorted(passages, key=lambda p: (
                p.date or "", p.doc_id, order.get(p.block_ids[0], 0) if p.block_ids else 0,
                p.id))
        return self._prose

    def covers(self, doc_id: str) -> tuple[int, int] | None:
        """The years a document reports on, where its type says: an annual review its
        year ("2018年审查报告"), the Chair's annual briefing (and a statement on it) given
        in the first half of a year the year before. None: read years from the text."""
        meta = self.metas.get(doc_id)
        if meta is None or meta.date is None:
            return None
        kind = meta.doc_type.value
        if kind == "annual_review":
            match = re.search(r"(\d{4})年审查", meta.title)
            year = int(match.group(1)) if match else meta.date.year
            return year, year
        if kind in ("briefing", "statement") and meta.date.month <= 6:
            return meta.date.year - 1, meta.date.year - 1
        return meta.date.year, meta.date.year

    def title(self, doc_id: str) -> str:
        meta = self.metas.get(doc_id)
        return meta.title if meta else ""

    def short_title(self, doc_id: str) -> str:
        """What a covering letter transmits ("第1540(2004)号决议执行情况2022年全面审查的最后
        文件"), which names the document better than the letter's long title."""
        title = self.title(doc_id)
        match = _CARRIES.search(title)
        return match.group("what") if match else title

    def symbol(self, doc_id: str) -> str | None:
        """The document's symbol: as it prints it, else as the list of the Committee's
        documents in another record gives it (the one row of that list dated the day the
        document is: annex XXII of the 2022 review lists the 2018 review as S/2018/1178)."""
        if doc_id not in self._symbols:
            meta = self.metas.get(doc_id)
            symbol = meta.symbol if meta else None
            if meta is not None and symbol is None and meta.date is not None:
                listed = {r.symbol for r in self.records(CommitteeDocument)
                          if r.date == meta.date and r.symbol and r.doc_id != doc_id
                          and r.symbol.startswith("S/")}
                symbol = listed.pop() if len(listed) == 1 else None
            self._symbols[doc_id] = symbol
        return self._symbols[doc_id]

    def label(self, doc_id: str) -> str:
        """How a citation names the document: its symbol, else its date and type."""
        meta = self.metas.get(doc_id)
        return self.symbol(doc_id) or (meta.label if meta else doc_id)

    def doc_date(self, doc_id: str) -> dt.date | None:
        meta = self.metas.get(doc_id)
        return meta.date if meta else None


class SourceBook:
    """The numbered citations of one draft."""

    def __init__(self, corpus: Corpus, title: Callable[[str], str] | None = None) -> None:
        self.corpus = corpus
        self.title = title or corpus.short_title
        self.citations: list[Citation] = []
        self._numbers: dict[tuple[str, str], int] = {}

    def cite(self, doc_id: str, locator: str, quote: str, passage: str) -> int:
        """The number of this quote from this passage (a new one the first time)."""
        key = (locator, quote)
        if key in self._numbers:
            return self._numbers[key]
        if not quote or quote not in passage:
            raise ValueError(f"quote not in passage {locator}: {quote[:40]!r}")
        meta = self.corpus.metas.get(doc_id)
        symbol = self.corpus.symbol(doc_id)
        if meta is not None and symbol and not meta.symbol and locator.startswith(meta.label):
            locator = symbol + locator[len(meta.label):]
        n = len(self.citations) + 1
        self.citations.append(Citation(
            n=n, doc_id=doc_id, symbol=symbol,
            title=self.title(doc_id) if meta else "",
            date=meta.date.isoformat() if meta and meta.date else None,
            locator=locator, quote=quote, passage=passage))
        self._numbers[key] = n
        return n

    def record(self, record: Record) -> int:
        """A record, cited by the annex row it was read from, quoted whole as printed."""
        table, row = self.corpus.row(record.row_id)
        line = table.row_line(row)
        return self.cite(record.doc_id, row.locator, line, line)

    def rows(self, records: Sequence[Record]) -> list[int]:
        """Records that a count or a summary rests on: one citation per row when they are
        few, else one citation holding exactly the rows counted (per document)."""
        if len(records) <= 4:
            return list(dict.fromkeys(self.record(r) for r in records))
        by_table: dict[str, list[tuple[Record, Block, TableRow]]] = {}
        for record in records:
            table, row = self.corpus.row(record.row_id)
            by_table.setdefault(table.id, []).append((record, table, row))
        numbers = []
        for found in by_table.values():
            lines, locators = [], []
            for _, table, row in sorted(found, key=lambda item: item[2].number):
                if table.row_line(row) not in lines:
                    lines.append(table.row_line(row))
                    locators.append(row.locator)
            text = "\n".join(lines)
            numbers.append(self.cite(found[0][0].doc_id, _row_span(locators), text, text))
        return list(dict.fromkeys(numbers))

    def table(self, doc_id: str, table: Block) -> int:
        """A whole annex table, quoted by its title: what a claim that the annex does not
        list something rests on (the passage holds every row)."""
        text = table.full_text
        quote = table.title or text.split("\n", 1)[0]
        return self.cite(doc_id, f"{self.corpus.label(doc_id)} {table.part}", quote, text)

    def sentence(self, passage: Passage, quote: str) -> int:
        return self.cite(passage.doc_id, passage.locator, quote, passage.text)


def _row_span(locators: Iterable[str]) -> str:
    """'S/2022/899 附件十八 第131行' … → 'S/2022/899 附件十八 第131–183行（53行）'."""
    found = list(locators)
    pattern = re.compile(r"^(?P<base>.*) 第(?P<n>\d+)行$")
    matches = [pattern.match(loc) for loc in found]
    if not all(matches) or len({m.group("base") for m in matches if m}) != 1:
        return "；".join(found)
    numbers = [int(m.group("n")) for m in matches if m]
    base = matches[0].group("base") if matches[0] else ""
    return f"{base} 第{min(numbers)}–{max(numbers)}行（{len(numbers)}行）"
