"""Chinese dates as the committee prints them, read into `datetime.date`.

Handles "2022 年 4 月 22 日", ranges whose later end omits what it shares with the earlier one
("2016年5月12-13日", "2016年6月28日-7月1日", "4 月 25 日至 12 月 31 日" with the year
given), and lists ("2021年4月26日、28日和30日", "2021年7月13和15日"). Never guesses: a day
without a known year and month yields nothing.
"""

from __future__ import annotations

import datetime as dt
import re

_TOKEN = re.compile(r"(\d{1,4})\s*([年月日号])?")
_FULL = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]")


def parse_date(text: str) -> dt.date | None:
    """The first complete date in the text ("2022 年 4 月 22 日"), or None."""
    for match in _FULL.finditer(text):
        try:
            return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
    return None


def dates_in(text: str, year: int | None = None) -> list[dt.date]:
    """Every day named in the text, in order, each taking the year and month last printed
    before it (`year` stands for a year printed elsewhere)."""
    tokens = [(int(m.group(1)), m.group(2)) for m in _TOKEN.finditer(text)]
    units = _infer_units(tokens)
    month: int | None = None
    out: list[dt.date] = []
    for (value, _), unit in zip(tokens, units, strict=True):
        if unit == "年":
            year, month = value, None
        elif unit == "月":
            month = value
        elif unit == "日" and year is not None and month is not None:
            try:
                out.append(dt.date(year, month, value))
            except ValueError:
                continue
    return out


def date_span(text: str, year: int | None = None) -> tuple[dt.date, dt.date] | None:
    """First and last day named in the text: the span of an event or a term of office."""
    days = dates_in(text, year)
    return (days[0], days[-1]) if days else None


def _infer_units(tokens: list[tuple[int, str | None]]) -> list[str | None]:
    """A number printed without its unit takes the unit of the next number that has one
    ("12-13日": 12 is a day too); a four-digit number alone is a year."""
    units: list[str | None] = []
    for k, (value, unit) in enumerate(tokens):
        if unit == "号":
            unit = "日"
        if unit is None:
            if value >= 1000:
                unit = "年"
            else:
                unit = next((u for _, u in tokens[k + 1:] if u), None)
                unit = "日" if unit == "号" else unit
        units.append(unit)
    return units
