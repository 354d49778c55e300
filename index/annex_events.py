"""Outreach events (附件十八, 附件十九): "日期和地点 | 标题 | 组织者 | 参与者" with the place
printed under the date, or "日期 | 标题 | 地点 | 组织者" with group sub-headings between rows.

Runs are assigned to columns by a small search that prefers one run per column, the
organiser column holding the footnote mark of 裁军事务厅 ("c"/"d"), and a double trailing
space marking an empty column after the last filled one. Limit, which no rule can lift
without the PDF's coordinates: a cell the author broke by hand ("裁军和不扩散问题" /
"暑期班", "俄罗斯联邦" / "加里宁格勒") is placed by preference, and can land one column off.
"""

from __future__ import annotations

import itertools
import re

from index.annex_common import ParsedRow, collect_notes, join_fragments, width
from index.annex_runs import PAREN_ONLY, Run, cell_runs, split_rows, take_date

Rows = list[ParsedRow]
Notes = list[str]

_OPEN_END = re.compile(r"[、/\-–和]$")
_SHORT_TITLE = 8  # no event title is this short: "暑期班" is the end of one

_HEADING_TRAILING = 3  # a sub-heading row prints its empty cells as spaces
_EXTRA_RUN = {"place": 1.0, "title": 1.0, "organisers": 2.5, "participants": 2.5}
_REQUIRED = {"title", "organisers", "place"}


def outreach_events(lines: list[str], header: list[str]) -> tuple[Rows, Notes, bool] | None:
    """Events "日期和地点 | 标题 | 组织者 | 参与者" (the place printed under the date) or
    "日期 | 标题 | 地点 | 组织者", with group sub-headings between them. Returns rows, notes
    and whether a group column was added (the last cell)."""
    place_with_date = "地点" in header[0]
    columns = (["place"] if place_with_date else []) + [_column(name) for name in header[1:]]
    if "place" not in columns or "title" not in columns:
        return None
    heading_trailing = max(_HEADING_TRAILING, len(header) - 1)
    items, note_lines = split_rows(lines, heading_trailing)
    has_headings = any(kind == "heading" for kind, _ in items)
    rows: Rows = []
    group, grouped = "", False
    empty: list[str] = []  # sub-headings no row came under: kept as notes
    for kind, raw in items:
        if kind == "heading":
            group, grouped = join_fragments(raw), True
            empty.append(group)
            continue
        if empty and empty[-1] == group:
            empty.pop()  # the row's own group
        date, rest_of_line, tail = take_date(raw)
        head = [rest_of_line] if rest_of_line.strip() else []
        if place_with_date and head:
            head = [head[0].lstrip().lstrip("，,")] if head[0].strip(" ，,") else []
        runs = cell_runs(head + tail)
        if runs and head and not place_with_date:
            runs[0].split_start = True  # the title starts beside the date
        given = place_with_date and bool(head)
        cells, next_group = assign_columns(runs, columns, place_given=given,
                                           headings=has_headings)
        if place_with_date:
            place = cells.pop(0)
            cells = [f"{date}，{place}" if place else date, *cells]
        else:
            cells = [date, *cells]
        rows.append(ParsedRow(number=len(rows) + 1, cells=[*cells, group]))
        if next_group:
            group, grouped = next_group, True
            empty.append(group)
    if not grouped:
        rows = [ParsedRow(number=r.number, cells=r.cells[:-1]) for r in rows]
    return rows, empty + collect_notes(note_lines), grouped


def _column(name: str) -> str:
    if "地点" in name:
        return "place"
    if "标题" in name:
        return "title"
    if "参与" in name:
        return "participants"
    return "organisers"


def merge_open_runs(runs: list[Run]) -> list[Run]:
    """Join a run cut after "、" or "/" to the next, and a parenthesised aside ("(主席视频
    致辞)") to the text it introduces: hand-made line breaks inside one cell."""
    out: list[Run] = []
    for run in runs:
        prev = out[-1] if out else None
        if prev and not run.split_start and (_OPEN_END.search(prev.text)
                                             or PAREN_ONLY.match(prev.text)):
            prev.fragments += run.fragments
            prev.trailing = run.trailing
        else:
            out.append(Run(list(run.fragments), run.split_start, run.trailing))
    return out


def assign_columns(runs: list[Run], columns: list[str], *, place_given: bool = False,
                   headings: bool = False) -> tuple[list[str], str]:
    """Give each column a consecutive share of the runs, choosing the split with the lowest
    penalty; in a table with group sub-headings the last run may instead be the next group's
    sub-heading. Returns one text per column and that sub-heading ('' if none)."""
    runs = merge_open_runs(runs)
    best: tuple[float, list[int], bool] | None = None
    n = len(runs)
    for heading in (False, True):
        if heading and not (headings and _can_be_heading(runs)):
            continue
        m = n - 1 if heading else n
        for cuts in itertools.combinations_with_replacement(range(m + 1), len(columns) - 1):
            bounds = [0, *cuts, m]
            score = _score(runs, columns, bounds, place_given) + (1.5 if heading else 0.0)
            if best is None or score < best[0]:
                best = (score, bounds, heading)
    if best is None:
        return [""] * len(columns), ""
    _, bounds, heading = best
    cells = [join_fragments(f for run in runs[bounds[c]:bounds[c + 1]] for f in run.fragments)
             for c in range(len(columns))]
    return cells, (runs[-1].text if heading else "")


def _can_be_heading(runs: list[Run]) -> bool:
    last = runs[-1] if runs else None
    return bool(last and len(runs) > 2 and len(last.fragments) == 1 and not last.split_start
                and "、" not in last.text and not last.marked)


def _score(runs: list[Run], columns: list[str], bounds: list[int], place_given: bool) -> float:
    score = 0.0
    for c, name in enumerate(columns):
        share = runs[bounds[c]:bounds[c + 1]]
        if not share:
            if name in _REQUIRED and not (name == "place" and place_given):
                score += 4.0
            continue
        score += _EXTRA_RUN[name] * (len(share) - 1)
        score += 5.0 * sum(1 for run in share[1:] if run.split_start)
        marked = any(run.marked for run in share)
        if name == "place" and any(ch in run.text for run in share for ch in "、，"):
            score += 1.5  # a place is one name; lists belong to the organiser columns
        if name == "title":
            if len(share) > 1 and share[0].place_like:
                score += 0.5  # rather the second line of a place ("俄罗斯联邦" / "加里宁格勒")
            if width("".join(run.text for run in share)) < _SHORT_TITLE:
                score += 1.0
        if name == "organisers" and marked:
            score -= 1.5
        elif marked:
            score += 1.5
        if share[-1].trailing >= 2:  # the extractor's mark of an empty column after this one
            following = bounds[c + 1] < bounds[-1]
            if c == len(columns) - 1 or following:
                score += 2.0
    return score
