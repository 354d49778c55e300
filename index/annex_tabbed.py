"""Tables printed in running text rather than as an annex of their own, such as the list of
outreach events appended to an annual review.

The text extraction (and a DOCX or HTML reader) gives each row as one line of tab-separated
cells. A row that fills only its first cell is a group sub-heading ("应邀访问各国"): it is
not an event but the category of the rows under it, kept as an added last column, as the
annex layouts do (`GROUP_COLUMN`).

A PDF's text layer loses the tabs, and wraps long rows over several lines. Such a table is
still recognised when its header line recurs at the top of a page (a table that spans pages
repeats it) and its rows open with a date: a row is a line that starts with a date plus the
lines it wraps onto; a short line after a complete row is a group sub-heading. Its cells
are split where the PDF left a space between two ideographs; a row whose cells cannot all be
told apart keeps the rest of its text in the second column, so no character is lost.
"""

from __future__ import annotations

import re

from index.annex_common import (
    GROUP_COLUMN,
    ParsedRow,
    ParsedTable,
    clean,
    is_note_start,
    split_cells,
    width,
)
from index.text import fold, join_wrapped

# A date that opens a row: "1月22日至23日", "2月27日至3月1日", "2016 年 4 月 13-14 日".
_ROW_DATE = re.compile(
    r"^\s*(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*\d{1,2}\s*日"
    r"(?:\s*(?:至|-|–)\s*(?:(?:\d{4}\s*年\s*)?\d{1,2}\s*月\s*)?\d{1,2}\s*日)?"
)
_NOT_A_HEADING = re.compile(r"[\d，。；：、,.;:!?！？()（）《》“”]")
_HEADING_CELL = 8  # characters: column headings are short words
_CUT = 0.8  # a line this close to the widest one in the table was cut at the margin
_SUBHEADING = 20  # characters: a group sub-heading is a short phrase


def tab_table(lines: list[str]) -> ParsedTable:
    """A tab-separated table: the first line is its header; repeated headers are dropped."""
    header = _cells(lines[0])
    rows: list[list[str]] = []
    groups: list[str] = []
    group = ""
    heading: tuple[list[str], str] | None = None  # a sub-heading no row has come under yet
    for line in lines[1:]:
        cells = _cells(line)
        if cells == header:
            continue
        if len(header) >= 3 and cells[0] and not any(cells[1:]):
            if heading is not None:  # nothing under it: it is kept as a row of its own
                rows.append(heading[0])
                groups.append(heading[1])
            heading = (cells, group)
            group = cells[0]  # "应邀访问各国": a sub-heading, its other cells empty
            continue
        heading = None
        rows.append(cells)
        groups.append(group)
    if heading is not None:
        rows.append(heading[0])
        groups.append(heading[1])
    return _table(header, rows, groups)


def _cells(line: str) -> list[str]:
    return [clean(cell) for cell in line.split("\t")]


def header_cells(line: str) -> list[str] | None:
    """The column headings of a header line printed without tabs, or None if the line does
    not read as one: three or more short words, no digits or punctuation."""
    cells = line.split()
    if 3 <= len(cells) <= 10 and all(
        len(cell) <= _HEADING_CELL and not _NOT_A_HEADING.search(cell) for cell in cells
    ):
        return cells
    return None


def untabbed_extent(runs: list[list[str]], start: int) -> int:
    """How many runs (each given by its physical lines) from `start` make up a table whose
    tabs were lost: 0 unless the first line of runs[start] is a header that recurs at the
    top of a later run and rows under it open with a date. The table then runs to the last
    repetition and on through the runs that carry its rows (a row, or the rest of a row a
    page break cut), up to a note ("简称：")."""
    if not runs[start] or header_cells(runs[start][0]) is None:
        return 0
    key = fold(runs[start][0])
    repeats = [k for k in range(start + 1, len(runs)) if runs[k] and fold(runs[k][0]) == key]
    if not repeats:
        return 0
    end = repeats[-1] + 1
    widest = max(width(line) for run in runs[start:end] for line in run)
    while end < len(runs) and runs[end] and not is_note_start(runs[end][0]):
        cut = width(runs[end - 1][-1]) >= _CUT * widest  # a row a page break cut in two
        if not (cut or _ROW_DATE.match(runs[end][0])):
            break
        end += 1
    lines = [line for run in runs[start:end] for line in run]
    if sum(1 for line in lines if _ROW_DATE.match(line)) < 2:
        return 0
    return end - start


def untabbed_table(lines: list[str]) -> ParsedTable:
    """The table `untabbed_extent` found, from its physical lines (the header first)."""
    key = fold(lines[0])
    header = [clean(cell) for cell in lines[0].split()]
    body = [line for line in lines[1:] if line.strip() and fold(line) != key]
    widest = max((width(line) for line in body), default=0)
    pieces: list[list[str]] = []
    groups: list[str] = []
    group = ""
    cut = False  # the line before reached the right margin: this one continues it
    for line in body:
        if _ROW_DATE.match(line):
            pieces.append([line])
            groups.append(group)
        elif pieces and cut:
            pieces[-1].append(line)
        elif _reads_as_subheading(line) or not pieces:
            group = clean(line)
        else:
            pieces[-1].append(line)
        cut = width(line) >= _CUT * widest
    rows = [_split_row(piece, len(header)) for piece in pieces]
    return _table(header, rows, groups)


def _reads_as_subheading(line: str) -> bool:
    text = line.strip()
    return len(text) <= _SUBHEADING and " " not in text and not _NOT_A_HEADING.search(text)


def _split_row(lines: list[str], columns: int) -> list[str]:
    text = ""
    for line in lines:  # spacing kept: the spaces between ideographs part the cells
        text = join_wrapped(text, line) if text else line.strip()
    date = _ROW_DATE.match(text)
    assert date is not None  # a row opens with its date
    rest = text[date.end():].strip()
    cells = [clean(cell) for cell in split_cells(rest)] if rest else []
    if len(cells) != columns - 1:
        cells = [clean(rest)] if rest else []
    cells = [clean(date.group(0)), *cells]
    return cells + [""] * (columns - len(cells))


def _table(header: list[str], rows: list[list[str]], groups: list[str]) -> ParsedTable:
    grouped = any(groups)
    if grouped:
        header = [*header, GROUP_COLUMN]
        rows = [[*cells, group] for cells, group in zip(rows, groups, strict=True)]
    return ParsedTable(header=header, rows=[
        ParsedRow(number=n, cells=cells) for n, cells in enumerate(rows, start=1)])
