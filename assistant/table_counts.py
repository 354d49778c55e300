"""Questions a whole table answers: how many of its rows are of a kind, and which.

"How many of the annex's events were held in Colombo?", "附件十九中列出了几次同行审议活动？":
no sentence states the figure; the table does, by its rows. The table is the one the
retrieved rows come from, in the annex the question names: a count it does not place in a
table is a sentence's to give ("参加了32次外联活动"). A row is counted when it holds
something of every term group of the question that tells rows apart: a group met by some
rows and not others ("科伦坡", "2022年", "同行审议"); what every row holds, or none, or the
table's own title (unless a category column prints it), describes the table and filters
nothing. Every counted row is cited, so the count can be checked against them.

Only tables of things (events, experts, documents) are counted: in a table of figures
(treaty parties by year, shares by measure) a count question asks for a cell, which the
reader takes from the row (`facts.column_fact`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from assistant.facts import Fact, asked_units
from assistant.question import QuestionAnalysis, QuestionType
from index.lexicon import only_verb
from index.passages import Passage
from index.query_scope import QueryScope
from index.text import fold
from index.units import Unit, units_of

_ASKS_COUNT = re.compile(r"多少|几|\bhow many\b|\bnumber of\b", re.IGNORECASE)
_CELL = re.compile(r"\s{2,}")
# A cell that is a figure ("145", "85% (+9%)", "1,284"): a row of such cells is a row of data.
_FIGURE_CELL = re.compile(r"[\d,.]+\s*%?(?:\s*\([+\-−–]?\s*[\d.]+\s*%?\))?")
BEST = 5  # how many of the best passages may name the table
MIN_ROWS = 2  # a count of one row asks about that row, not the table


def table_of(passage: Passage) -> str | None:
    """The table a row passage belongs to (its block), None for any other passage."""
    return passage.block_ids[0] if passage.kind == "table" and passage.block_ids else None


def counted_rows(analysis: QuestionAnalysis, passages: Sequence[Passage],
                 tables: dict[str, list[Passage]], scope: QueryScope | None
                 ) -> tuple[Fact, list[Unit]] | None:
    """The number of rows of the table asked about that the question's terms single out,
    and those rows; None when the question is no count of a table's rows."""
    if analysis.qtype is not QuestionType.NUMBER or not _ASKS_COUNT.search(analysis.text):
        return None
    table = _table_asked(passages[:BEST], scope) or _named_table(passages, tables, scope)
    if table is None or table not in tables:
        return None
    rows = [unit for p in tables[table] for unit in units_of(p, 0)]
    if len(rows) < MIN_ROWS or _of_figures(rows):
        return None
    texts = [fold(unit.quote) for unit in rows]
    described = fold(tables[table][0].context)
    groups = _term_groups(analysis)
    if not any(any(form in described for form in forms) for forms in groups):
        return None  # the question counts something else than what the table lists
    # Cells that repeat down a column are categories ("安全理事会决议" of annex XXII).
    cells = Counter(fold(c) for unit in rows for c in _CELL.split(unit.quote))
    categories = [c for c, n in cells.items() if n >= MIN_ROWS]
    kept = []
    for forms in _row_filters(analysis):
        if any(form in described for form in forms) and not any(
                form in category for form in forms for category in categories):
            continue  # what the table's title says all its rows are
        hits = sum(1 for text in texts if any(form in text for form in forms))
        if 0 < hits < len(rows):
            kept.append(forms)
    if not kept:
        return None
    matched = [unit for unit, text in zip(rows, texts, strict=True)
               if all(any(form in text for form in forms) for forms in kept)]
    if len(matched) < MIN_ROWS:
        return None
    unit = asked_units(analysis.text)[:1]
    return Fact(zh=f"{len(matched)}{unit}", en=str(len(matched)),
                cites=tuple(range(1, len(matched) + 1))), matched


def _table_asked(best: Sequence[Passage], scope: QueryScope | None) -> str | None:
    """The table of the best passages in the part the question names ("Annex XVIII",
    "附件二十"): a count the question does not place in a table is a sentence's to give."""
    return next((table for p in best if (table := table_of(p)) and scope is not None
                 and scope.parts and scope.in_parts(p.part, p.locator)), None)


def _named_table(passages: Sequence[Passage], tables: dict[str, list[Passage]],
                 scope: QueryScope | None) -> str | None:
    """The one table in the part the question names, of a document among those found."""
    if scope is None or not scope.parts:
        return None
    documents = {p.doc_id for p in passages}
    named = [table for table, rows in tables.items() if rows[0].doc_id in documents
             and scope.in_parts(rows[0].part, rows[0].locator)]
    return named[0] if len(named) == 1 else None


def _of_figures(rows: Sequence[Unit]) -> bool:
    """Whether the table's rows carry figures in their cells (a table of data)."""
    with_figures = sum(1 for unit in rows
                       if any(_FIGURE_CELL.fullmatch(c) for c in _CELL.split(unit.quote)[1:]))
    return with_figures * 2 > len(rows)


def _term_groups(analysis: QuestionAnalysis) -> list[list[str]]:
    """What the question names, each as the forms the records may print it in: its Chinese
    terms, its glossary entries and the translations of its English words."""
    groups = [[t] for t in analysis.terms if len(t) > 1 and not t.isdigit()]
    groups += [list(g) for g in (*analysis.groups, *analysis.translations) if g]
    return [[fold(f) for f in forms if f] for forms in groups]


def _row_filters(analysis: QuestionAnalysis) -> list[list[str]]:
    """What may single out rows: the question's Chinese terms (not verbs) and glossary entries, an
    English name (capitalised inside the question: "Colombo"; a common word's dictionary
    senses are too loose to pick rows), and a year named alone (a span of years bounds the
    table rather than picking rows)."""
    groups = [[t] for t in analysis.terms if len(t) > 1 and not t.isdigit()
              and not only_verb(t)]  # "举行" says what was done, not which rows
    groups += [list(g) for g in analysis.groups if g]
    groups += [list(g) for g in analysis.translations
               if g and re.search(rf"(?<!^)\b{re.escape(g[-1][:1].upper() + g[-1][1:])}\b",
                                  analysis.text)]
    if len(analysis.years) == 1:
        groups.append([f"{analysis.years[0]}年", f"{analysis.years[0]}"])
    return [[fold(f) for f in forms if f] for forms in groups]
