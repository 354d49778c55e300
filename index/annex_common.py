"""What every annex-table layout shares: the parsed-table models and the line-level tools.

The lines handed to a layout are physical lines of a PDF extraction with their trailing
whitespace kept: a line that ends with whitespace ends a text run, one that does not wraps on
to the next. In tables every cell fragment ends with a space, so layouts also read content
(dates, row numbers, display width) to tell a wrapped cell from a new one.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from index.text import fold, join_wrapped, normalize_spacing


class ParsedRow(BaseModel):
    """One table row, wrapped fragments rejoined; several values in a cell one per line."""

    model_config = ConfigDict(extra="forbid")

    number: int = Field(description="Printed row number, or 1-based position when unnumbered.")
    cells: list[str]


class ParsedTable(BaseModel):
    """An annex table: its column headings, its rows, and the notes printed under it."""

    model_config = ConfigDict(extra="forbid")

    header: list[str]
    rows: list[ParsedRow]
    notes: list[str] = Field(default_factory=list, description="Footnotes, label kept: 'a ...'.")



# A Chinese date as printed: "2022 年 4 月 22 日", "2016年5月12-13日".
DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
DATE_START = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*(?:月|和|$)")
ROW_NUMBER = re.compile(r"^\s*(\d{1,3})\s*\.\s*(.*)$")
YEAR_CELL = re.compile(r"^(\d{4})(?:\s*[(（].*[)）])?$")
# A table footnote ("a 本栏中……") or a note paragraph ("简称：……", "缩略语：……").
NOTE_LABEL = re.compile(r"^\s*([a-z])\s+(?=\S)")
NOTE_OPENER = re.compile(r"^\s*(?:缩略语|简称|注|资料来源)\s*[：:]")
# A footnote mark printed after a cell's text: "格林纳达 a", "裁军事务厅 d".
TRAILING_MARK = re.compile(r"(?<=\S)\s+([a-h])\s*$")
GROUP_COLUMN = "类别"  # the column added for group sub-headings, which print no heading


def ends_run(line: str) -> bool:
    """True when the extractor closed a text run at the end of this line."""
    return bool(line) and line[-1].isspace()


def is_note_start(line: str) -> bool:
    return bool(NOTE_LABEL.match(line) or NOTE_OPENER.match(line))


# The title of a small table of figures: "……援助请求汇总表", "……国家数目(按区域分列)".
_SUMMARY_TITLE = re.compile(r"(?:表|分列\))(?:\([^()]*(?:\([^()]*\))?[^()]*\))?$")


def split_trailing(notes: list[str]) -> tuple[list[str], list[list[str]]]:
    """The notes under a table, and what is printed after them that is no note: small
    tables of figures, each a title and its lines (附件四's summaries of the requests by
    paragraph, by type and by region, which print no tab and no column a parser can trust).

    The trailing text starts at the first title after a labelled note ("c ……"); each later
    title starts another summary.
    """
    labelled = False
    for i, note in enumerate(notes):
        if NOTE_LABEL.match(note):
            labelled = True
        elif labelled and not NOTE_OPENER.match(note) and _SUMMARY_TITLE.search(note):
            groups: list[list[str]] = []
            for line in notes[i:]:
                if _SUMMARY_TITLE.search(line) or not groups:
                    groups.append([line])
                else:
                    groups[-1].append(line)
            return notes[:i], groups
    return notes, []


def clean(text: str) -> str:
    """One cell's text in its canonical spacing."""
    return normalize_spacing(text)


def join_fragments(fragments: Iterable[str]) -> str:
    """Rejoin the wrapped fragments of one cell."""
    out = ""
    for fragment in fragments:
        fragment = fragment.strip()
        if fragment:
            out = join_wrapped(out, fragment) if out else fragment
    return clean(out)


def width(text: str) -> int:
    """Display width: ideographs and full-width forms count two, everything else one."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
               for ch in text if not ch.isspace())


def split_cells(line: str) -> list[str]:
    """Split one physical line into cells at the spaces between two ideographs.

    Spaces next to digits or Latin letters are spacing, not cell breaks; a footnote mark
    ("裁军事务厅 d") stays with the cell before it; a letter-spaced stretch ("协 助 起 草")
    is one cell.
    """
    tokens = line.split()
    spread = _letter_spaced_tokens(tokens)
    cells: list[str] = []
    current = ""
    for k, token in enumerate(tokens):
        if not current:
            current = token
            continue
        if len(token) == 1 and token.isascii() and token.islower():
            current = f"{current} {token}"  # a footnote mark
            continue
        if re.search(r"\s[a-h]$", current):
            new_cell = token[0] not in "/、"
        elif k in spread and k - 1 in spread:
            new_cell = False
        else:
            new_cell = _wide(current[-1]) and _wide(token[0]) and token[0] not in "/、，)）"
        if new_cell:
            cells.append(current)
            current = token
        else:
            current = f"{current} {token}"
    if current:
        cells.append(current)
    return cells


def _letter_spaced_tokens(tokens: list[str]) -> set[int]:
    """Indexes of tokens inside a letter-spaced stretch: three or more single ideographs in
    a row, with the digits and punctuation between them."""
    single = [len(t) == 1 and _wide(t) for t in tokens]
    spread: set[int] = set()
    k = 0
    while k < len(tokens):
        if not single[k]:
            k += 1
            continue
        j = k
        while j + 1 < len(tokens) and (single[j + 1] or not _wide(tokens[j + 1][0])):
            j += 1
        while j > k and not single[j]:
            j -= 1
        if sum(single[k: j + 1]) >= 3:
            spread.update(range(k, j + 1))
        k = j + 1
    return spread


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in "WF"


def header_cells(line: str) -> list[str]:
    """Column headings of a header line: split at spaces, keeping "2016(自 5 月起)" and a
    heading's footnote mark ("参与者 b") together."""
    cells: list[str] = []
    depth = 0
    for token in line.split():
        mark = len(token) == 1 and token.isascii() and token.islower()
        if cells and (depth > 0 or mark):
            cells[-1] = f"{cells[-1]} {token}"
        else:
            cells.append(token)
        depth += token.count("(") + token.count("（") - token.count(")") - token.count("）")
    return [_clean_heading(cell) for cell in cells]


def _clean_heading(cell: str) -> str:
    mark = TRAILING_MARK.search(cell)
    if mark:
        return f"{clean(cell[:mark.start()])} {mark.group(1)}"
    return clean(cell)


def same_line(a: str, b: str) -> bool:
    """Equality up to spacing and full-width forms: how a repeated page header is spotted."""
    return fold(a) == fold(b)


def drop_repeated(lines: list[str], header_lines: list[str]) -> list[str]:
    """Remove every repetition of the header lines (tables repeat them on each page)."""
    keys = {fold(line) for line in header_lines if line.strip()}
    return [line for line in lines if fold(line) not in keys]


def group_runs(lines: Iterable[str]) -> list[list[str]]:
    """Group physical lines into text runs by the trailing-whitespace signal."""
    runs: list[list[str]] = []
    open_run: list[str] | None = None
    for line in lines:
        if open_run is None:
            open_run = []
            runs.append(open_run)
        open_run.append(line)
        if ends_run(line):
            open_run = None
    return runs


def collect_notes(lines: list[str]) -> list[str]:
    """The notes under a table, one per run; a footnote keeps its label ("a 本栏……"), and
    cells printed side by side on a line stay apart ("吕晓东 中国")."""
    notes: list[str] = []
    for run in group_runs(lines):
        raw = " ".join(line.strip() for line in run)
        label = NOTE_LABEL.match(raw)
        if label:
            run = [run[0].strip()[1:], *run[1:]]
        text = ""
        for line in run:
            cells = " ".join(clean(cell) for cell in split_cells(line))
            text = join_wrapped(text, cells) if text else cells
        text = text.strip()
        if label:
            text = f"{label.group(1)} {text}"
        if not text:
            continue
        if notes and not label and notes[-1].endswith(("：", ":")):
            notes[-1] = notes[-1] + text  # "其他材料提交方：" + what follows it
        else:
            notes.append(text)
    return notes


def is_group_heading(line: str) -> bool:
    """A sub-heading row of a table: text in the first column, the other cells empty, which
    the extractor prints as two or more trailing spaces."""
    stripped = line.rstrip()
    return bool(stripped) and len(line) - len(stripped) >= 2 and not DATE.search(stripped)
