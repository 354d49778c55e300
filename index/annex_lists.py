"""The regular annex layouts: numbered lists of names, names with dates, count matrices, the
year-by-year matrix of working-group coordinators, and the grouped list of documents.

Each function takes the table's lines with the title and the printed header already taken
off (repeated page headers removed) and returns rows and notes; `annex_tables` picks the
layout and supplies the header.
"""

from __future__ import annotations

import re

from index.annex_common import (
    DATE,
    ROW_NUMBER,
    ParsedRow,
    clean,
    collect_notes,
    ends_run,
    group_runs,
    is_group_heading,
    is_note_start,
    join_fragments,
    split_cells,
)
from index.models import CELL_SEPARATOR

Rows = list[ParsedRow]
Notes = list[str]

# A name is cut mid-word when its fragment ends with a conjunction ("波斯尼亚和").
_OPEN_NAME = re.compile(r"[和及、与/]\s*$")


def state_dates(lines: list[str]) -> tuple[Rows, Notes]:
    """Numbered rows "6. 博茨瓦纳 2022 年 4 月 22 日", further dates of the same state on the
    lines below, a state name wrapped over lines before its first date."""
    rows: Rows = []
    name: list[str] = []
    dates: list[str] = []
    number = 0

    def close() -> None:
        if name or dates:
            rows.append(ParsedRow(number=number, cells=[join_fragments(name),
                                                        CELL_SEPARATOR.join(dates)]))

    for i, line in enumerate(lines):
        numbered = ROW_NUMBER.match(line)
        if numbered and not is_note_start(line):
            close()
            number, name, dates = int(numbered.group(1)), [], []
            rest = numbered.group(2)
        elif rows or name or dates:
            rest = line
        else:
            return [], []
        found = list(DATE.finditer(rest))
        text = rest[: found[0].start()] if found else rest
        tail = rest[found[-1].end():] if found else ""
        if (text.strip() and (dates or is_note_start(line))) or tail.strip():
            close()
            return rows, collect_notes(lines[i:])  # what follows the table: its notes
        if text.strip():
            name.append(text)
        dates += [clean(match.group(0)) for match in found]
    close()
    return rows, []


def numbered_names(lines: list[str]) -> tuple[Rows, Notes]:
    """Numbered rows holding one name each: "1. 乍得"."""
    rows: Rows = []
    fragments: list[str] = []
    number = 0
    for i, line in enumerate(lines):
        numbered = ROW_NUMBER.match(line)
        if numbered and not is_note_start(line):
            if fragments:
                rows.append(ParsedRow(number=number, cells=[join_fragments(fragments)]))
            number, fragments = int(numbered.group(1)), [numbered.group(2)]
            continue
        wrapped = fragments and (not ends_run(lines[i - 1]) or _OPEN_NAME.search(fragments[-1]))
        if not wrapped or is_note_start(line):
            if fragments:
                rows.append(ParsedRow(number=number, cells=[join_fragments(fragments)]))
            return rows, collect_notes(lines[i:])
        fragments.append(line)
    if fragments:
        rows.append(ParsedRow(number=number, cells=[join_fragments(fragments)]))
    return rows, []


def counts(lines: list[str], columns: int) -> tuple[Rows, Notes, bool]:
    """A label followed by one count per column ("《不扩散核武器条约》 190 191 191"), with
    group sub-headings ("其他") between rows. Returns rows, notes, whether groups occur; a
    row's last cell is its group."""
    numbers = re.compile(rf"^(.*?)\s+((?:\d+\s+){{{columns - 1}}}\d+)\s*$")
    rows: Rows = []
    pending: list[str] = []
    group = ""
    grouped = False
    empty: list[str] = []  # sub-headings no row came under: kept as notes
    for i, line in enumerate(lines):
        match = numbers.match(line)
        if match and not is_note_start(line):
            label = join_fragments([*pending, match.group(1)])
            rows.append(ParsedRow(number=len(rows) + 1,
                                  cells=[label, *match.group(2).split(), group]))
            pending = []
            if empty and empty[-1] == group:
                empty.pop()  # the row's own group
        elif is_note_start(line) and not pending:
            return rows, empty + collect_notes(lines[i:]), grouped
        elif is_group_heading(line) and not pending:
            group, grouped = clean(line), True
            empty.append(group)
        else:
            pending.append(line)
    return rows, empty + collect_notes(pending), grouped


def coordinators(lines: list[str], columns: int) -> tuple[Rows, Notes]:
    """Rows "2 法国 法国 ……" with one name per year column; a name too long for its
    column wraps on to a line of its own ("美利坚" / "合众国"), and the extractor may print
    a wrapped column before the other cells of the row."""
    rows: Rows = []
    block: list[str] = []
    number = 0
    row_start = re.compile(r"^\s*(\d{1,2})\s+(\S.*)$")
    for i, line in enumerate(lines):
        start = row_start.match(line)
        if start:
            if block:
                rows.append(ParsedRow(number=number, cells=[str(number),
                                                            *_matrix_cells(block, columns)]))
            number, block = int(start.group(1)), [start.group(2)]
        elif block and not is_note_start(line):
            block.append(line)
        else:
            if block:
                rows.append(ParsedRow(number=number, cells=[str(number),
                                                            *_matrix_cells(block, columns)]))
            return rows, collect_notes(lines[i:])
    if block:
        rows.append(ParsedRow(number=number, cells=[str(number), *_matrix_cells(block, columns)]))
    return rows, []


_EMPTY = {"—", "-", "–", "－"}


def _matrix_cells(block: list[str], columns: int) -> list[str]:
    """Distribute a row's name fragments over its columns.

    Fragments are joined across a line break when the later fragment stands alone on its
    line, neither is an empty-cell dash, and the earlier one does not already end a name
    (a name ending in 国 is whole: 法国, 共和国, 合众国). Joins are made left to right until
    the row has as many cells as columns.
    """
    lines = [line.split() for line in block if line.split()]
    tokens: list[str] = [token for line in lines for token in line]
    excess = len(tokens) - columns
    joins: set[int] = set()  # index of a token joined to the token before it
    index = 0
    for k, line in enumerate(lines):
        if k and excess > 0 and len(line) == 1:
            before, after = tokens[index - 1], line[0]
            if before not in _EMPTY and after not in _EMPTY and not before.endswith("国"):
                joins.add(index)
                excess -= 1
        index += len(line)
    cells: list[str] = []
    for j, token in enumerate(tokens):
        if j in joins:
            cells[-1] += token
        else:
            cells.append(token)
    if len(cells) > columns:  # cannot place them: keep every name, in the last cell
        cells = [*cells[: columns - 1], " ".join(cells[columns - 1:])]
    cells += [""] * (columns - len(cells))
    return [clean(cell) for cell in cells]


_DOCUMENT_LINE = re.compile(
    r"^(?P<title>.*?)\s*(?P<date>\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s+"
    r"(?P<ref>[A-Z][A-Za-z]*/\S+)\s*$"
)
_REFERENCE = re.compile(r"^[\x21-\x7e]+$")  # an address or symbol: printable ASCII, no space
_REFERENCE_ADDRESS = re.compile(r"^(?:https?://|www\.)")
_CONTINUES = re.compile(r"[，、(（/-]\s*$")


def documents(lines: list[str]) -> tuple[Rows, Notes]:
    """Rows "标题 日期 参考" under group sub-headings ("安全理事会决议"); a long title wraps
    over lines before the line carrying its date and symbol; a web page's reference is an
    address on the line(s) after its title. The last column is the group; a sub-heading no
    row came under is kept as a note."""
    rows: Rows = []
    group = ""
    empty: list[str] = []  # sub-headings no row came under
    pending: list[list[str]] = []  # text runs not yet placed

    def add(title: str, date: str, reference: str) -> None:
        if empty and empty[-1] == group:
            empty.pop()  # the row's own group
        rows.append(ParsedRow(number=len(rows) + 1, cells=[title, date, reference, group]))

    def heading(text: str) -> str:
        empty.append(text)
        return text

    def flush_groups(group: str) -> str:
        """Runs left over before a row are the group sub-headings above it; the last one
        is the row's group."""
        while pending:
            group = heading(join_fragments(pending.pop(0)))
        return group

    runs = _merge_continued(group_runs(lines))
    i = 0
    while i < len(runs):
        run = runs[i]
        joined = " ".join(line.strip() for line in run)
        if is_note_start(run[0]) and not pending:
            return rows, empty + collect_notes([line for r in runs[i:] for line in r])
        match = _DOCUMENT_LINE.match(joined) if len(run) == 1 else None
        if match:
            if match.group("title").strip():
                group = flush_groups(group)
                add(clean(match.group("title")), clean(match.group("date")), match.group("ref"))
            else:
                title = pending.pop() if pending else []
                group = flush_groups(group)
                add(join_fragments(title), clean(match.group("date")), match.group("ref"))
        elif _REFERENCE.match(joined.replace(" ", "")) and pending:
            reference = [joined.replace(" ", "")]
            while i + 1 < len(runs) and _REFERENCE.match("".join(runs[i + 1]).replace(" ", "")):
                i += 1
                reference.append("".join(runs[i]).replace(" ", ""))
            title = pending.pop()
            if not pending and rows and not _REFERENCE_ADDRESS.match(rows[-1].cells[2]):
                group = ""  # web pages after documents: not part of the documents' group
            group = flush_groups(group)
            add(join_fragments(title), "", "".join(reference))
        elif is_group_heading(run[-1]) and not pending:
            group = heading(clean(joined))
        else:
            pending.append(run)
        i += 1
    for run in pending:  # titles whose reference did not come through
        add(join_fragments(run), "", "")
    return rows, empty


def side_by_side(lines: list[str], columns: int) -> tuple[Rows, Notes] | None:
    """The plainest layout ("姓名 国别" over "田中喜和子 日本"): one row per text run, its
    cells side by side on the line. None unless every run before the notes splits into
    exactly `columns` cells, so a chart or free text is never forced into a table."""
    end = next((k for k, line in enumerate(lines) if is_note_start(line)), len(lines))
    rows: Rows = []
    for run in group_runs(lines[:end]):
        cells = split_cells(" ".join(line.strip() for line in run))
        if len(cells) != columns:
            return None
        rows.append(ParsedRow(number=len(rows) + 1, cells=[clean(cell) for cell in cells]))
    return (rows, collect_notes(lines[end:])) if len(rows) >= 2 else None


def _merge_continued(runs: list[list[str]]) -> list[list[str]]:
    """A run that ends with "，" or "/" goes on in the next one ("第十六个工作方案，")."""
    out: list[list[str]] = []
    for run in runs:
        if out and _CONTINUES.search(out[-1][-1]) and not DATE.match(run[0].strip()):
            out[-1] = [*out[-1], *run]
        else:
            out.append(list(run))
    return out
