"""Questions a whole table answers: how many of its rows are of a kind, and which; which
row is first, last, earliest, latest, highest or lowest.

"How many of the annex's events were in Vienna?", "附件十八里在日内瓦办了几场?":
no sentence states the figure; the table does, by its rows. The table is the one the
retrieved rows come from, in the annex the question names: a count it does not place in a
table is a sentence's to give ("参加了32次外联活动"). A row is counted when it holds
something of every term group of the question that tells rows apart: a group met by some
rows and not others ("维也纳", "2022年", a category); what every row holds, or none, or the
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

from assistant.facts import Fact, asked_units, chinese_date, english_date, headings_named
from assistant.question import QuestionAnalysis, QuestionType
from index.lexicon import only_verb
from index.passages import Passage
from index.query_scope import QueryScope
from index.text import fold
from index.units import Unit, units_of
from index.zh_dates import dates_in

_ASKS_COUNT = re.compile(r"多少|几|\bhow many\b|\bnumber of\b", re.IGNORECASE)
_CELL = re.compile(r"\s{2,}")
# A cell that is a figure ("145", "85% (+9%)", "1,284"): a row of such cells is a row of data.
_FIGURE_CELL = re.compile(r"[\d,.]+\s*%?(?:\s*\([+\-−–]?\s*[\d.]+\s*%?\))?")
BEST = 5  # how many of the best passages may name the table
# The words that point at the table itself ("附件所列的……"): they pick no rows.
_NAMING_THE_TABLE = frozenset(("附件", "附文", "附表", "列出", "所列", "列表"))
_YEAR_FORM = re.compile(r"(?:19|20)\d{2}年?")
# A table named without its number: "附文", "附表", "the appendix", "the annex".
_NAMES_A_TABLE = re.compile(r"附文|附表|附录|附件(?![一二三四五六七八九十])|\b(?:appendix|"
                            r"enclosure|annex(?!\s+[IVXLC\d]))\b", re.IGNORECASE)
MIN_ROWS = 2  # a count of one row asks about that row, not the table
_SUPERLATIVES = [
    ("first", re.compile(r"第一(?:项|个|次|场)|首(?:项|个)|\bfirst (?:event|entry|item|row|"
                         r"one)\b|\blisted first\b", re.IGNORECASE)),
    ("last", re.compile(r"最后(?:一)?(?:项|个|次|场)|\blast (?:event|entry|item|row|one)\b"
                        r"|\blisted last\b", re.IGNORECASE)),
    ("earliest", re.compile(r"最早|\bearliest\b", re.IGNORECASE)),
    ("latest", re.compile(r"最晚|最迟|\blatest\b|\bmost recent\b", re.IGNORECASE)),
    ("highest", re.compile(r"最高|最多|最大|\bhighest\b|\blargest\b|\bbiggest\b|\bmost\b",
                           re.IGNORECASE)),
    ("lowest", re.compile(r"最低|最少|最小|\blowest\b|\bsmallest\b|\bleast\b",
                          re.IGNORECASE)),
]
# Asked which rose or fell most: ranked by the change printed beside each figure.
_ASKS_CHANGE = re.compile(r"增幅|降幅|增加|增长|上升|下降|减少|变化|\bincreas|\brise\b|\brose\b"
                          r"|\bgrew\b|\bgain|\bfell\b|\bfall|\bdrop|\bdeclin|\bdecreas|"
                          r"\bchange", re.IGNORECASE)
_ASKS_FALL = re.compile(r"降幅|下降|减少|\bfell\b|\bfall|\bdrop|\bdeclin|\bdecreas", re.IGNORECASE)


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
    found = _rows_asked(analysis, passages, tables, scope)
    if found is None:
        return None
    rows, matched = found
    described = fold(rows[0].passage.context)
    categories = _categories(rows)
    if not any(any(form in described for form in forms) or _is_category(forms, categories)
               for forms in _term_groups(analysis)):
        return None  # it counts something else than what the table lists or sorts
    if _of_figures(rows) or matched is None or len(matched) < MIN_ROWS:
        return None
    unit = asked_units(analysis.text)[:1]
    return Fact(zh=f"{len(matched)}{unit}", en=str(len(matched)),
                cites=tuple(range(1, len(matched) + 1))), matched


def extreme_row(analysis: QuestionAnalysis, passages: Sequence[Passage],
                tables: dict[str, list[Passage]], scope: QueryScope | None
                ) -> tuple[Fact | None, list[Unit]] | None:
    """The row a superlative asks for, among the rows the question's terms single out (all
    of them when none do): the first or last listed, the earliest or latest dated (with its
    date), the highest or lowest figure in the column the question names (or the change
    printed beside it, when it asks which rose or fell most). None when the question has no
    superlative, names no table, or the rows do not carry what it ranks by."""
    asked = _superlative(analysis.text)
    if asked is None:
        return None
    found = _rows_asked(analysis, passages, tables, scope)
    if found is None:
        return None
    rows, matched = found
    rows = matched or rows
    if asked in ("first", "last"):
        return None, [rows[0] if asked == "first" else rows[-1]]
    if asked in ("earliest", "latest"):
        dated = [(day, unit) for unit in rows
                 for day in dates_in(unit.quote, unit.passage.year)]
        if not dated:
            return None
        day, unit = (min if asked == "earliest" else max)(dated, key=lambda d: d[0])
        return Fact(zh=chinese_date(day), en=english_date(day)), [unit]
    header = tables[table_of(rows[0].passage) or ""][0].context.split("\n")[-1].split(" | ")
    named = headings_named(header, analysis)
    column = named[0] if len(named) == 1 else None
    change = bool(_ASKS_CHANGE.search(analysis.text))
    valued = [(value, unit) for unit in rows
              if (value := _figure(unit.quote, column, change)) is not None]
    if len(valued) < MIN_ROWS:
        return None
    if change and _ASKS_FALL.search(analysis.text):
        asked = "lowest" if asked == "highest" else "highest"
    _, unit = (max if asked == "highest" else min)(valued, key=lambda v: v[0])
    return None, [unit]


def _rows_asked(analysis: QuestionAnalysis, passages: Sequence[Passage],
                tables: dict[str, list[Passage]], scope: QueryScope | None
                ) -> tuple[list[Unit], list[Unit] | None] | None:
    """The rows of the table the question names, and those its terms single out (None:
    no term tells rows apart)."""
    table = _table_asked(passages[:BEST], scope) or _named_table(passages, tables, scope) \
        or _unnumbered_table(analysis, passages[:BEST])
    if table is None or table not in tables:
        return None
    rows = [unit for p in tables[table] for unit in units_of(p, 0)]
    if len(rows) < MIN_ROWS:
        return None
    texts = [fold(unit.quote) for unit in rows]
    # A table of dated rows is dated by its first cell: an event of 2020 on "2021年及其后
    # 的规划" is no event of 2021.
    firsts = [fold(_CELL.split(unit.quote.strip())[0]) for unit in rows]
    dated = all(_YEAR_FORM.search(first) for first in firsts)
    described = fold(tables[table][0].context)
    categories = _categories(rows)
    kept = []
    for forms in _row_filters(analysis):
        year = all(_YEAR_FORM.fullmatch(form) for form in forms)
        if any(form in described for form in forms) and not _is_category(forms, categories) \
                and not year:
            # What the table's title says all its rows are, unless it is most of a
            # category cell ("应邀访问各国a"; not the 活动 of "其他国别活动"). A year is
            # not: the title's period spans years, and a year picks the rows dated in it.
            continue
        kept.append((forms, firsts if year and dated else texts))
    kept = [(forms, where) for forms, where in kept
            if 0 < sum(1 for text in where if any(form in text for form in forms)) < len(rows)]
    if not kept:
        return rows, None
    return rows, [unit for i, unit in enumerate(rows)
                  if all(any(form in where[i] for form in forms) for forms, where in kept)]


def _categories(rows: list[Unit]) -> list[str]:
    """Cells that repeat down a column: categories ("安全理事会决议" of annex XXII)."""
    cells = Counter(fold(c) for unit in rows for c in _CELL.split(unit.quote))
    return [c for c, n in cells.items() if n >= MIN_ROWS]


def _is_category(forms: list[str], categories: list[str]) -> bool:
    """Whether a term is most of a category cell ("应邀访问各国" of "应邀访问各国a")."""
    return any(form in category and 2 * len(form) > len(category)
               for form in forms for category in categories)


def _superlative(text: str) -> str | None:
    for name, pattern in _SUPERLATIVES:
        if pattern.search(text):
            return name
    return None


def _figure(row: str, column: int | None, change: bool) -> float | None:
    """The figure of a row's cell in `column` (the only figure cell when None), or the
    change printed beside it in brackets ("85% (+9%)")."""
    cells = _CELL.split(row.strip())
    figures = [i for i, c in enumerate(cells) if i and _FIGURE_CELL.fullmatch(c)]
    if column is None:
        if len(figures) != 1:
            return None
        column = figures[0]
    if column not in figures:
        return None
    numbers = re.findall(r"[+\-−–]?\d[\d,]*(?:\.\d+)?", cells[column])
    if change:
        if len(numbers) < 2:
            return None
        return float(numbers[1].replace("−", "-").replace("–", "-").replace(",", ""))
    return float(numbers[0].replace(",", ""))


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


def _unnumbered_table(analysis: QuestionAnalysis, best: Sequence[Passage]) -> str | None:
    """"附文里……", "the meetings in the appendix": a table named without a number is
    the table of the best passages found."""
    if not _NAMES_A_TABLE.search(analysis.text):
        return None
    return next((table for p in best if (table := table_of(p))), None)


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
    return [[fold(f) for f in forms if f] for forms in groups
            if not _NAMING_THE_TABLE.issuperset(forms)]
