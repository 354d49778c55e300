"""Figures the records give only as parts: a difference of two figures, computed and shown.

"从2016年的26份增加到2022年的46份" answers "how many more plans were there in 2022 than in
2016?" only once 46 − 26 is worked out. The computation is stated with its operands, each
of them quoted from the records, so a reader can check it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal

from assistant.facts import YEAR, Fact, asked_units, without_names
from assistant.question import years_named

# A question asking by how much two figures differ, in either language.
ASKS_DIFFERENCE = re.compile(
    r"多了?多少|少了?多少|多了?几|少了?几|(?:增加|减少|增长|下降|变化)了?多少|"
    r"相差|差多少|差距|差额|多出|"
    r"\bhow (?:many|much) (?:more|fewer|less)\b|\bdifference\b|\bby how (?:many|much)\b|"
    r"\bhow (?:many|much) (?:did|has|have|had)\b[^?]{0,60}?"
    r"\b(?:grow|rise|increase|fall|drop|decline|decrease|change)|"
    r"\bgap\b|\bhow much (?:higher|lower|larger|smaller|bigger)\b",
    re.IGNORECASE)
# A figure with what it counts: "46份", "137 个", "28%", "2,242"; not a year, a resolution
# number or a figure inside a symbol ("S/2022/899").
_FIGURE = re.compile(
    r"(?<![\d./])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\d/])\s*(%|[个份项次名位场届封篇人国])?")
_NOT_A_FIGURE = re.compile(r"^\s*(?:年|\(|（|号|月|日)")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_CLAUSE_END = re.compile(r"[,;，；。]")
# A figure printed as a change is itself the difference: "增加约6%", "an increase of 43".
_CHANGE_BEFORE = re.compile(r"(?:增加|减少|增长|下降|上升|提高|降低|多|少)了?约?\s*$|"
                            r"(?:increase|decrease|rise|fall|drop|growth) of (?:about )?$|"
                            r"\bby (?:about )?$", re.IGNORECASE)


def _figures(quote: str, units: str) -> list[tuple[Decimal, str, bool, int]]:
    """(value, what it counts, printed as a change, where) for each figure of the quote. An
    English quote counts without measure words: its bare figures answer a "几项"."""
    out = []
    if not _CJK.search(quote):
        units = ""
    # What names rather than counts ("resolution 1540", "1540 Committee") is no figure.
    for m in _FIGURE.finditer(without_names(quote)):
        value, unit = m.group(1), m.group(2) or ""
        after = quote[m.end(1):m.end(1) + 2]
        if _NOT_A_FIGURE.match(after) or (YEAR.fullmatch(value) and unit != "%"):
            continue
        if units and unit not in units and not (unit == "%" and "%" in units):
            continue
        change = bool(_CHANGE_BEFORE.search(quote[max(0, m.start() - 20):m.start()]))
        out.append((Decimal(value.replace(",", "")), unit, change, m.start()))
    return out


def _of_years(figures: list[tuple[Decimal, str, bool, int]], quote: str,
              years: list[int]) -> list[tuple[Decimal, str, bool, int]]:
    """Of more than two figures, the one nearest each year the question compares, when each
    year has its own ("received 19 … in 2023, compared with 12 in 2022, and … 9 …")."""
    printed = [(year, m.start()) for year in years
               if (m := re.search(rf"(?<!\d){year}(?!\d)", quote))]
    if len(printed) != 2 or len(figures) <= 2:
        return figures
    chosen = []
    for _, place in printed:  # the figure of the clause where the year is first printed
        clause = [f for f in figures if not _CLAUSE_END.search(
            quote[min(f[3], place):max(f[3], place)])]
        if not clause:
            return figures
        chosen.append(min(clause, key=lambda f: abs(f[3] - place)))
    return chosen if chosen[0] is not chosen[1] else figures


def difference(question: str, quotes: Sequence[str], found: Fact | None = None) -> Fact | None:
    """The difference of the two figures the quotes give for what the question counts (or,
    when the answer already found one figure in each of two quotes, of those two), or None:
    when a quote prints the change itself, when there are more or fewer than two figures of
    one kind, or when the question asks no difference."""
    if not ASKS_DIFFERENCE.search(question):
        return None
    units = asked_units(question)
    parts = found.zh.split("；") if found is not None else []
    if len(parts) == 2:
        figures = [f for part in parts for f in _figures(part, units)]
    elif len(quotes) == 1:
        figures = _of_years(_figures(quotes[0], units), quotes[0], years_named(question))
    else:
        figures = [f for quote in quotes for f in _figures(quote, units)]
    if any(change for _, _, change, _ in figures):
        return None
    kinds = {unit for _, unit, _, _ in figures}
    values = list(dict.fromkeys(value for value, _, _, _ in figures))
    if len(values) != 2 or len(kinds) != 1:
        return None
    unit = kinds.pop()
    high, low = max(values), min(values)
    en = unit if unit == "%" else ""  # measure words are Chinese; a percentage is not
    return Fact(zh=f"{high - low}{unit}（{high}{unit} − {low}{unit}）",
                en=f"{high - low}{en} ({high}{en} − {low}{en})",
                cites=tuple(range(1, len(quotes) + 1)))
