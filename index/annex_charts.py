"""A bar chart read back as the table it draws.

A PDF extraction of a clustered bar chart prints, in order: the bars' values (one series
after another, each in the order of the categories), the axis ticks ("0% 20% … 100%"), the
category labels one per line, then the legend's series names on one line, and any note:

    85% (+9%)          ← series 1, category 1
    …                  ← series 1, categories 2..n, then series 2, categories 1..n
    0% 20% 40% 60% 80% 100%
    制造               ← category 1
    …
    立法 执行           ← the series
    括号数字系较2015年加(+)减(-)情况

Read as prose, a question about one bar meets a run of figures and the axis ("100%"). Read
as a table, each category is a row with one cell per series, so "制造 立法" is a row and a
column. The reading is taken only when the counts agree exactly (values = categories ×
series); a chart whose extraction lost a bar or a label stays prose.
"""

from __future__ import annotations

import re

from index.annex_common import ParsedRow, ParsedTable, clean

# "85%", "85% (+9%)", "27% (-3%)": a bar's value, with its change in brackets.
_VALUE = re.compile(r"\d+(?:\.\d+)?\s*%(?:\s*[(（]\s*[+\-−–]?\s*\d+(?:\.\d+)?\s*%\s*[)）])?")
# "0% 20% 40% 60% 80% 100%": the value axis, three ticks or more.
_AXIS = re.compile(r"(?:\d+(?:\.\d+)?\s*%\s*){3,}")


def is_axis(line: str) -> bool:
    """A value axis ("0% 20% 40% 60% 80% 100%"): chart furniture, which no cell keeps."""
    return _AXIS.fullmatch(line.strip()) is not None


def chart_table(lines: list[str]) -> ParsedTable | None:
    """The chart in `lines` (an annex's lines after its title) as a table: a row per
    category, a column per series; None when the lines are no chart of this layout. Lines
    before the values (the chart's subtitles) and after the legend (its notes) are notes."""
    stripped = [line.strip() for line in lines if line.strip()]
    first = next((k for k, line in enumerate(stripped) if _VALUE.fullmatch(line)), None)
    if first is None:
        return None
    end = first
    while end < len(stripped) and _VALUE.fullmatch(stripped[end]):
        end += 1
    if end >= len(stripped) or not is_axis(stripped[end]):
        return None
    values = stripped[first:end]
    after = stripped[end + 1:]
    for legend_at in range(1, len(after)):
        series = after[legend_at].split()
        categories = after[:legend_at]
        if len(categories) * len(series) == len(values) \
                and not any(_VALUE.search(line) for line in categories):
            rows = [ParsedRow(number=k + 1, cells=[clean(label)] + [
                        clean(values[s * len(categories) + k]) for s in range(len(series))])
                    for k, label in enumerate(categories)]
            notes = [clean(line) for line in stripped[:first] + after[legend_at + 1:]]
            return ParsedTable(header=["", *series], rows=rows, notes=notes)
    return None
