"""What a question asks about a document itself: its symbol, or the date it bears.

"主席那封通报信的落款日期", "Which symbol does the 2018 review carry?": the answer is
the document's own metadata, which its sentences rarely state about themselves. It is given
only for the one document the question names most strongly (`index.query_scope`), and only
with a quote that prints it: for the date, the document's own line that carries it (a
letter's date line); for the symbol, the line of any record that prints it (annex XXII of
S/2022/899 lists the reviews' symbols). A question naming an annex asks about what the annex
lists, not about the document holding it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable

from assistant.facts import Fact, chinese_date, english_date
from assistant.question import QuestionAnalysis
from index.passages import Passage
from index.query_scope import QueryScope
from index.text import fold
from index.units import Unit, units_of

_ASKS_SYMBOL = re.compile(r"文号|文件编号|文件号|文档编号|\bsymbol\b|\bdocument number\b",
                          re.IGNORECASE)
# A resolution's adoption is its text's to say ("于……通过"), and what else is adopted
# (a programme, a decision) is an event the reader finds.
_ISSUED_ZH = r"(?:印发|发出|写|签署|转递|发布|送交)"
_ISSUED_EN = r"(?:issued|dated|written|signed|sent|transmitted|published)"
_ASKS_DATE = re.compile(
    rf"(?:哪天|哪一天|何时|什么时候|哪个日期).{{0,4}}{_ISSUED_ZH}|{_ISSUED_ZH}的?(?:日期|时间)"
    rf"|\bwhen was (?:it|the [\w' -]{{1,60}}?) {_ISSUED_EN}\b"
    rf"|\bwhat (?:date|day) (?:was|is|did|does) [\w' -]{{1,60}}?\b{_ISSUED_EN}\b"
    rf"|\bwhat date does [\w' -]{{1,60}}? bear\b", re.IGNORECASE)


def document_fact(analysis: QuestionAnalysis, scope: QueryScope | None,
                  by_document: dict[str, list[Passage]]) -> tuple[Fact, Unit] | None:
    """The symbol or date the question asks of the document it names, with the unit that
    prints it; None when it asks something else, names no one document, or no line prints
    the answer."""
    asks_symbol = bool(_ASKS_SYMBOL.search(analysis.text))
    if not asks_symbol and not _ASKS_DATE.search(analysis.text):
        return None
    if scope is not None and scope.parts:
        return None
    document = _named_document(scope)
    if document is None or document not in by_document:
        return None
    own = by_document[document]
    if asks_symbol:
        symbol = own[0].symbol
        if not symbol:
            return None
        printed = fold(symbol)
        unit = _first_unit(own, lambda u: printed in fold(u.quote)) or _first_unit(
            (p for d, ps in by_document.items() if d != document for p in ps),
            lambda u: printed in fold(u.quote))
        return (Fact(zh=symbol, en=symbol), unit) if unit else None
    day = _date(own[0].date)
    if day is None:
        return None
    forms = {fold(chinese_date(day)), fold(english_date(day)),
             fold(f"{day.strftime('%B')} {day.day}, {day.year}")}
    unit = _first_unit(own, lambda u: any(form in fold(u.quote) for form in forms))
    return (Fact(zh=chinese_date(day), en=english_date(day)), unit) if unit else None


def _named_document(scope: QueryScope | None) -> str | None:
    if scope is None or not scope.documents:
        return None
    best = max(scope.documents.values())
    named = [d for d, strength in scope.documents.items() if strength == best]
    return named[0] if len(named) == 1 else None


def _first_unit(passages: Iterable[Passage], holds: Callable[[Unit], bool]) -> Unit | None:
    for passage in passages:
        for unit in units_of(passage, 0):
            if holds(unit):
                return unit
    return None


def _date(iso: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(iso) if iso else None
    except ValueError:
        return None
