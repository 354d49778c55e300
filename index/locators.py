"""How a locator names a place in a document, in the document's language: one place that
formats them, so nothing has to parse a locator back.

    S/2022/899 附件 第26段          S/2026/468 annex, paragraph 3
    S/2022/899 附件三 第6行          S/AC.44/2025/4 table 2, row 3
    S/RES/2788 (2025) 序言部分第2段   S/RES/2901 (2027) preambular paragraph 2

A Chinese covering letter is "信函"; a document with no annex (a resolution, a statement, a
report) has no part word at all: its title is not a covering letter.
"""

from __future__ import annotations

from index.text import chinese_numeral

_ROMAN = [(50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]


def roman(number: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while number >= value:
            out, number = out + letters, number - value
    return out


def part_name(part: str, language: str, *, has_annexes: bool) -> str:
    """'' (the letter), '附件', '附件三' as the document's language prints them."""
    if language != "en":
        return part or ("信函" if has_annexes else "")
    if not part:
        return "letter" if has_annexes else ""
    number = chinese_numeral(part[2:]) if len(part) > 2 else 0
    return f"annex {roman(number)}" if number else "annex"


def where(label: str, part: str, language: str, *, has_annexes: bool) -> str:
    name = part_name(part, language, has_annexes=has_annexes)
    return f"{label} {name}" if name else label


def paragraph(place: str, ordinal: int, language: str, *, sub: str | None = None,
              section: str | None = None, preambular: bool = False) -> str:
    if language == "en":
        what = "preambular paragraph" if preambular else "paragraph"
        within = f"{section[:40]}, " if section else ""
        return f"{place}, {within}{what} {ordinal}" + (f" {sub}" if sub else "")
    if preambular:
        return f"{place} 序言部分第{ordinal}段"
    within = f"{section[:20]} " if section else ""
    return f"{place} {within}第{ordinal}段{sub or ''}"


def other(place: str, kind: str, ordinal: int | str, language: str) -> str:
    """A footnote, heading or table: 脚注3 / footnote 3, 标题1 / heading 1, 表2 / table 2."""
    if language == "en":
        return f"{place}, {kind} {ordinal}"
    return f"{place} {_ZH_KIND[kind]}{ordinal}"


_ZH_KIND = {"footnote": "脚注", "heading": "标题", "table": "表"}


def row(table: str, number: int, language: str) -> str:
    """A table row: `table` is the table's own locator (or its part's, when alone)."""
    return f"{table}, row {number}" if language == "en" else f"{table} 第{number}行"


def rows(table: str, first: int, last: int, language: str) -> str:
    if first == last:
        return row(table, first, language)
    return f"{table}, rows {first}–{last}" if language == "en" else f"{table} 第{first}–{last}行"


def paragraphs(first: str, last_ordinal: int, language: str) -> str:
    """A span of consecutive paragraphs from the first one's locator: 第2–3段 / paragraphs 2–3."""
    if language == "en":
        head, _, number = first.rpartition(" ")
        return f"{head.removesuffix('paragraph')}paragraphs {number}–{last_ordinal}"
    return f"{first.removesuffix('段')}–{last_ordinal}段"
