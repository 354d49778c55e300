"""Quotable units of a passage: the sentences of a paragraph, the rows of a table.

An answer quotes a unit and cites it with the most precise locator there is: a paragraph's
own locator, or for a row the row's locator ("S/2022/899 附件三 第6行") and the row's text
as the cited passage, rather than the group of rows it was searched in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.passages import Passage

# A sentence ends at 。！？ (or a line end); the end mark stays with its sentence.
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]?")
# A record passage line: "国家报告（S/2022/899 附件一 第37行）：37. 科摩罗  2018年5月18日".
_RECORD_LINE = re.compile(r"^(?P<label>[^（\n]+)（(?P<locator>[^）\n]+)）：(?P<row>.+)$")
_MIN_SENTENCE = 4
_CLOSED = re.compile(r"[。；：！？.;:!?]$")


@dataclass
class Unit:
    """A sentence or row: `quote` is an exact substring of `source`, the text a citation
    shows as its passage."""

    passage: Passage
    rank: int
    quote: str
    source: str
    locator: str
    label: str = ""
    heading: bool = False
    span: tuple[int, int] = (0, 0)
    tokens: set[str] = field(default_factory=set)

    @property
    def meaning(self) -> str:
        """What the unit says, read on its own: a row with what its table or record is
        (a row of dates means nothing without "national reports"), a sentence as it is.
        The text the index embeds for it (`index.unit_vectors`)."""
        if self.label:
            return f"{self.label}\n{self.quote}"
        if self.passage.kind == "table" and self.passage.context:
            return f"{self.passage.context}\n{self.quote}"
        return self.quote

    def extended(self, following: Unit) -> Unit:
        """This sentence and the one after it, as one quote (same passage)."""
        start, end = self.span[0], following.span[1]
        return Unit(self.passage, self.rank, self.source[start:end].strip(), self.source,
                    self.locator, self.label, self.heading, (start, end), self.tokens)


def units_of(passage: Passage, rank: int) -> list[Unit]:
    if passage.kind == "record":
        return _record_units(passage, rank)
    if passage.kind == "table":
        return _row_units(passage, rank)
    units: list[Unit] = []
    for match in _SENTENCE.finditer(passage.text):
        quote = match.group(0).strip()
        if len(quote) < _MIN_SENTENCE:
            continue
        # A line with no closing punctuation at the top of a passage is its heading.
        heading = not units and not _CLOSED.search(quote) and "\n" in passage.text
        unit = Unit(passage, rank, quote, passage.text, passage.locator, heading=heading,
                    span=(match.start(), match.end()))
        if units and units[-1].quote.endswith(("：", ":")):
            # "中方愿提出以下建议：" says nothing without what follows it.
            units[-1] = units[-1].extended(unit)
        units.append(unit)
    return units


def following(unit: Unit, units: list[Unit]) -> Unit | None:
    """The next sentence of the same passage, if any."""
    for other in units:
        if other.passage.id == unit.passage.id and other.span[0] >= unit.span[1] \
                and other.span != (0, 0):
            return other
    return None


def _row_units(passage: Passage, rank: int) -> list[Unit]:
    lines = passage.text.split("\n")
    if len(lines) == len(passage.row_locators):  # each row cites itself, as the index named it
        return [Unit(passage, rank, line, line, locator)
                for line, locator in zip(lines, passage.row_locators, strict=True) if line.strip()]
    base = passage.locator.rsplit(" 第", 1)[0]
    if len(lines) != len(passage.numbers):
        return [Unit(passage, rank, line, line, passage.locator) for line in lines if line]
    return [Unit(passage, rank, line, line, f"{base} 第{number}行")
            for line, number in zip(lines, passage.numbers, strict=True) if line.strip()]


def _record_units(passage: Passage, rank: int) -> list[Unit]:
    units = []
    for line in passage.text.split("\n")[1:]:
        match = _RECORD_LINE.match(line)
        if match:
            row = match.group("row")
            units.append(Unit(passage, rank, row, row, match.group("locator"),
                              label=match.group("label")))
    return units
