"""Text runs of the free-text annex tables, whose rows start with a date and whose cells wrap
over many lines, printed column after column: a run ends where a line ends with whitespace,
or where a space between two ideographs separates two cells on one line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index.annex_common import (
    DATE_START,
    ends_run,
    is_note_start,
    join_fragments,
    split_cells,
    width,
)

DATE_CHARS = re.compile(r"^[\d\s年月日至和、\-–—]+")
DATE_OPEN = re.compile(r"(?:至|和|、|[-–—])\s*$")
MARK = re.compile(r"\s[c-h]\s*(?:/|$)")  # 裁军事务厅 c / d: the organiser column's marks
PAREN_ONLY = re.compile(r"^[(（][^()（）]*[)）]$")
PLACE_WIDTH = 16  # display width of the widest place name that fits one line


@dataclass
class Run:
    """One cell's text as printed: its fragments, and how it began and ended."""

    fragments: list[str] = field(default_factory=list)
    split_start: bool = False  # began after another cell on the same line
    trailing: int = 0  # whitespace after its last fragment

    @property
    def text(self) -> str:
        return join_fragments(self.fragments)

    @property
    def raw(self) -> str:
        """The fragments as printed, spacing kept (footnote marks stay apart)."""
        return " ".join(self.fragments)

    @property
    def marked(self) -> bool:
        return bool(MARK.search(self.raw))

    @property
    def place_like(self) -> bool:
        """One short line without punctuation: how a place name prints."""
        return (len(self.fragments) == 1 and width(self.text) <= PLACE_WIDTH
                and not re.search(r"[，、：；。“”《》]", self.text))


def cell_runs(lines: list[str]) -> list[Run]:
    """Cut lines into runs: at a line ending with whitespace and between cells of a line."""
    runs: list[Run] = []
    open_run: Run | None = None
    for line in lines:
        for k, cell in enumerate(split_cells(line)):
            if open_run is None or k > 0:
                open_run = Run(split_start=k > 0)
                runs.append(open_run)
            open_run.fragments.append(cell)
        if ends_run(line) and open_run is not None:
            open_run.trailing = len(line) - len(line.rstrip())
            open_run = None
    return runs


def take_date(lines: list[str]) -> tuple[str, str, list[str]]:
    """Split the date cell off the first lines of a row: "2017 年 2 月 20 日至" / "24 日".

    Returns the date as printed (clean), what follows it on its last line, and the lines
    after that line.
    """
    parts: list[str] = []
    for k, line in enumerate(lines):
        match = DATE_CHARS.match(line)
        if not match or (k and not re.search(r"日", match.group(0))):
            break
        parts.append(match.group(0))
        rest = line[match.end():]
        if rest.strip() or not DATE_OPEN.search(match.group(0)):
            tail = rest if rest.strip() else ""
            if not rest.strip() and not ends_run(line) and k + 1 < len(lines):
                return join_fragments(parts), "", lines[k + 1:]
            return join_fragments(parts), tail + (" " if ends_run(line) else ""), lines[k + 1:]
    return join_fragments(parts), "", lines[len(parts):]


def opens_row(line: str, previous: str | None) -> bool:
    """A date at the start of a line opens a row, unless it finishes the open date above it
    ("2020 年 5 月 6 日和" / "2020 年 8 月 20 日")."""
    if not DATE_START.match(line):
        return False
    if previous is None:
        return True
    date_only = DATE_CHARS.match(previous)
    return not (date_only and date_only.end() >= len(previous.rstrip())
                and DATE_OPEN.search(previous))


def split_rows(lines: list[str], heading_trailing: int | None = None
               ) -> tuple[list[tuple[str, list[str]]], list[str]]:
    """Rows start with a date at the start of a line; a line ending in at least
    `heading_trailing` spaces (its empty cells) is a group sub-heading; notes start at a
    footnote or an abbreviations paragraph. Returns ("row"|"heading", lines) items, notes."""
    end = next((i for i, line in enumerate(lines) if is_note_start(line)), len(lines))
    items: list[tuple[str, list[str]]] = []
    for line in lines[:end]:
        trailing = len(line) - len(line.rstrip())
        previous = items[-1][1][-1] if items else None
        if opens_row(line, previous):
            items.append(("row", [line]))
        elif heading_trailing is not None and trailing >= heading_trailing:
            items.append(("heading", [line]))
        elif items and items[-1][0] == "row":
            items[-1][1].append(line)
        else:
            items.append(("heading", [line]))
    return items, lines[end:]
