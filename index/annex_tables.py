"""Annex tables of the committee's comprehensive reviews, read back from a PDF extraction.

`parse_table` recognises a layout from the table's printed header and title wording (never
from a document id), so a later review printed in the same format parses the same way:

========================  ==========================================  =====================
header / first line        layout                                      e.g. (S/2022/899)
========================  ==========================================  =====================
国家 …日期 / "1. 名称 日期"  numbered state, its dates below it            附件一, 附件三
"1. 名称"                  numbered list of names                      附件二, 五, 六
条约 2011 2016 2022        label and one count per year                附件八
工作组 2016 … 2022         one coordinator per group and year          附件二十一
标题 日期 参考              documents under group sub-headings          附件二十二
日期 … 援助请求 …          assistance requests (`annex_assistance`)    附件四
日期(和地点) 标题 …         outreach events (see `annex_events`)        附件十八, 十九
any other header           one row per line, cells side by side        附件二十 (姓名 国别)
values, axis, labels       a bar chart: a row per category             附件九–十五, 十七
                           (`annex_charts`)
========================  ==========================================  =====================

Anything else (附件七; a chart whose extraction lost a bar, 附件十六) returns None and is
kept as prose. Repeated page headers and a chart's axis ticks are dropped; every other
character ends up in a cell or a note.
"""

from __future__ import annotations

import re

from index import annex_assistance, annex_charts, annex_events, annex_lists
from index.annex_common import (
    DATE,
    GROUP_COLUMN,
    ROW_NUMBER,
    YEAR_CELL,
    ParsedRow,
    ParsedTable,
    clean,
    drop_repeated,
    header_cells,
    is_note_start,
)

__all__ = ["ParsedRow", "ParsedTable", "parse_table"]



def parse_table(title: str, lines: list[str]) -> ParsedTable | None:
    """Parse an annex's lines (after its title; blank and furniture lines removed, trailing
    whitespace kept) as a table, or return None when no known layout fits."""
    lines = [line for line in lines if line.strip()]
    if not lines:
        return None
    if chart := annex_charts.chart_table(lines):
        return chart
    if ROW_NUMBER.match(lines[0]):
        return _numbered(title, lines)
    header_at = _header_index(lines)
    if header_at is None:
        return None
    printed = lines[: header_at + 1]
    header = header_cells(lines[header_at])
    if header[0].startswith("日期") and "援助请求" in "".join(header):
        rows, notes = annex_assistance.assistance_requests(lines[header_at + 1:], printed)
        table = _table(header, rows, notes)
    else:
        table = _by_header(header, drop_repeated(lines[header_at + 1:], printed))
    if table is not None and header_at:
        # A heading over the columns ("缔约国数目"): kept as the table's first note.
        table.notes = [clean(line) for line in lines[:header_at]] + table.notes
    return table


def _header_index(lines: list[str]) -> int | None:
    """Where the column headings are: the first line, or the second under a spanning
    heading ("缔约国数目" over "条约 2011 2016 2022")."""
    for k in range(min(2, len(lines))):
        cells = header_cells(lines[k])
        if len(cells) >= 2 and not DATE.search(lines[k]) and not is_note_start(lines[k]):
            return k
    return None


def _numbered(title: str, lines: list[str]) -> ParsedTable | None:
    """Tables printed without a header: numbered names, with or without dates."""
    if any(DATE.search(line) for line in lines[:3]):
        rows, notes = annex_lists.state_dates(lines)
        header = ["国家", "日期"]
    else:
        rows, notes = annex_lists.numbered_names(lines)
        header = ["组织" if "组织" in title and "会员国" not in title else "会员国"]
    return ParsedTable(header=header, rows=rows, notes=notes) if rows else None


def _by_header(header: list[str], body: list[str]) -> ParsedTable | None:
    first, rest = header[0], header[1:]
    years = all(YEAR_CELL.match(cell.replace(" ", "")) for cell in rest)
    joined = "".join(header)
    if first == "国家" and len(header) == 2 and "日期" in header[1]:
        rows, notes = annex_lists.state_dates(body)
        return _table(header, rows, notes)
    if years and first == "工作组":
        rows, notes = annex_lists.coordinators(body, len(rest))
        return _table(header, rows, notes)
    if years:
        rows, notes, grouped = annex_lists.counts(body, len(rest))
        heads = header
        if grouped:
            return _table([*heads, GROUP_COLUMN], rows, notes)
        return _table(heads, [_drop_last(row) for row in rows], notes)
    if re.fullmatch(r"标题日期参考", joined):
        rows, notes = annex_lists.documents(body)
        return _table([*header, GROUP_COLUMN], rows, notes)
    if first.startswith("日期") and "标题" in joined:
        layout = annex_events.outreach_events(body, header)
        if layout is None:
            return None
        rows, notes, grouped = layout
        if grouped:
            return _table([*header, GROUP_COLUMN], rows, notes)
        return _table(header, rows, notes)
    plain = annex_lists.side_by_side(body, len(header))
    return _table(header, *plain) if plain else None


def _drop_last(row: ParsedRow) -> ParsedRow:
    return ParsedRow(number=row.number, cells=row.cells[:-1])


def _table(header: list[str], rows: list[ParsedRow], notes: list[str]) -> ParsedTable | None:
    return ParsedTable(header=header, rows=rows, notes=notes) if rows else None
