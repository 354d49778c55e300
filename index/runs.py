"""Physical lines → runs: the logical lines (paragraphs, headings, footnotes, table rows) that
a PDF extraction broke over several lines and interleaved with page furniture.

Two extraction styles are recognised from the text itself:

* **trailing-space**: the extractor ends every text run with whitespace, so a line without
  it continues on the next line (000–003 and their PDF/DOCX renditions);
* **plain**: no such signal (one paragraph per line, or a PDF that rewrapped such lines).
  A run ends at a blank line and before a line that opens a new block. Where blank lines
  separate the paragraphs (the text puts one after each, or a PDF reader marks the space
  between paragraphs with one), that is all; where they do not, a run also ends at
  sentence-final punctuation and at a short line.

Page furniture (`furniture_mask`) is dropped in both; a run that opens right after some
(the first text on a page) says so, for a parser looking for a lost annex marker.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from index.text import (
    CJK_CHAR,
    FOOTNOTE_SEPARATOR,
    furniture_mask,
    join_wrapped,
    to_chinese_numeral,
)

# What opens a new block whatever the style: the annex marker, numbered paragraphs,
# section headings, lettered sub-paragraphs (and, in the plain style, list items).
PART_MARKER = re.compile(r"^\s*(?:附\s*件\s*([一二三四五六七八九十]*)|Annex(?:\s+([IVXL]{1,6}))?)\s*$")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}


def part_label(marker: re.Match[str]) -> str:
    """The part a marker opens, as the parser labels parts: 附件, 附件三 ("Annex III")."""
    if marker.group(2):
        values = [_ROMAN[c] for c in marker.group(2)]
        number = sum(-v if k + 1 < len(values) and v < values[k + 1] else v
                     for k, v in enumerate(values))
        return f"附件{to_chinese_numeral(number)}"
    return f"附件{marker.group(1) or ''}"
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*\.\s*(?=\S)")
SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+|[A-Z]|[IVX]+)\s*[.．、]\s*\S")
SUB = re.compile(r"^\s*(?:\(([a-z]{1,3}|[ivx]{1,4})\)|（([a-z]{1,3})）|([㈠-㈩]))\s*")
BULLET = re.compile(r"^\s*[-*•●▪]\s+\S")  # a list item, as Markdown or a DOCX list prints it
FOOTNOTE_LABEL = re.compile(r"^\s*([1-9]\d?|[a-z]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(?=\S)")
_SENTENCE_END = re.compile(r"[。；：！？:;!?]['’”」』)）\]】¹²³⁴⁵⁶⁷⁸⁹⁰\s]*$")
_BLANK_SHARE = 0.15  # of text lines followed by a blank line, for blank lines to mark breaks


@dataclass
class Run:
    """One logical line: its physical lines rejoined, and where it came from."""

    text: str
    first_line: int
    footnote_zone: bool = False
    lines: list[str] = field(default_factory=list)
    page_start: bool = False  # page furniture came right before it

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.text


def detect_trailing_style(lines: list[str], furniture: list[bool] | None = None) -> bool:
    """True when the extractor marks run ends with trailing whitespace."""
    furniture = furniture if furniture is not None else furniture_mask(lines)
    content = [line for line, f in zip(lines, furniture, strict=True) if line.strip() and not f]
    if len(content) < 4:
        return False
    ending = sum(1 for line in content if line[-1].isspace())
    if not 0.1 <= ending / len(content) <= 0.9:
        return False
    # English wraps at a space, which a PDF keeps at the line's end: there a trailing space
    # is a word wrap, not the end of a run.
    sample = "".join(content[:200])
    return len(CJK_CHAR.findall(sample)) * 3 >= sum(ch.isascii() and ch.isalpha() for ch in sample)


def blank_separated(lines: list[str], furniture: list[bool]) -> bool:
    """True when blank lines mark the paragraph breaks: a good share of the text lines are
    followed by one (a text written one paragraph per line, or a PDF whose reader marks the
    space between paragraphs)."""
    content = [k for k, line in enumerate(lines) if line.strip() and not furniture[k]]
    if len(content) < 4:
        return False
    followed = sum(1 for k in content if k + 1 < len(lines) and not lines[k + 1].strip())
    return followed / len(content) >= _BLANK_SHARE


def split_runs(lines: Iterable[str]) -> list[Run]:
    """Rejoin hard-wrapped lines into runs, dropping page furniture."""
    physical = [line.replace("\ufeff", "").rstrip("\r\n") for line in lines]
    furniture = furniture_mask(physical)
    if detect_trailing_style(physical, furniture):
        return _trailing_runs(physical, furniture)
    return _plain_runs(physical, furniture)


def _opens_block(line: str) -> bool:
    return bool(PART_MARKER.match(line) or NUMBERED.match(line) or SECTION.match(line)
                or SUB.match(line) or BULLET.match(line) or FOOTNOTE_SEPARATOR.match(line))


def _trailing_runs(physical: list[str], furniture: list[bool]) -> list[Run]:
    runs: list[Run] = []
    open_run: Run | None = None  # a run still waiting for its continuation
    suspended: Run | None = None  # a body run interrupted by a page's footnotes
    in_footnotes = False
    after_furniture = False
    for i, line in enumerate(physical):
        if not line.strip():
            continue
        if FOOTNOTE_SEPARATOR.match(line):
            in_footnotes = True
            if open_run is not None and not open_run.footnote_zone:
                suspended, open_run = open_run, None
            continue
        if furniture[i]:
            after_furniture = True
            continue
        if PART_MARKER.match(line):
            open_run = suspended = None
            in_footnotes = False
        if in_footnotes and open_run is None and not FOOTNOTE_LABEL.match(line):
            in_footnotes = False  # the page's footnotes are over: body text resumes
            if suspended is not None:
                open_run, suspended = suspended, None
        if open_run is None:
            open_run = Run("", i, footnote_zone=in_footnotes, page_start=after_furniture)
            runs.append(open_run)
        after_furniture = False
        open_run.text = join_wrapped(open_run.text, line) if open_run.text else _first(line)
        open_run.lines.append(line)
        if line[-1].isspace():
            open_run = None
    return [run for run in runs if run.text]


def _plain_runs(physical: list[str], furniture: list[bool]) -> list[Run]:
    lengths = sorted(len(line.strip()) for line in physical if line.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    by_blanks = blank_separated(physical, furniture)
    runs: list[Run] = []
    open_run: Run | None = None
    in_footnotes = False
    after_furniture = False
    for i, line in enumerate(physical):
        if not line.strip():
            open_run = None
            continue
        if FOOTNOTE_SEPARATOR.match(line):
            in_footnotes, open_run = True, None
            continue
        if furniture[i]:
            after_furniture = True
            continue
        if open_run is not None and (_opens_block(line) or "\t" in line):
            open_run = None
        if in_footnotes and open_run is None and not FOOTNOTE_LABEL.match(line):
            in_footnotes = False
        if open_run is None:
            open_run = Run("", i, footnote_zone=in_footnotes, page_start=after_furniture)
            runs.append(open_run)
        after_furniture = False
        open_run.text = join_wrapped(open_run.text, line) if open_run.text else _first(line)
        open_run.lines.append(line)
        stripped = line.strip()
        ends = "\t" in line or bool(PART_MARKER.match(line))
        if not by_blanks:  # no blank lines to go by: read the line's end
            ends = ends or bool(_SENTENCE_END.search(stripped)) or len(stripped) < 0.75 * full
        if ends:
            open_run = None
    return [run for run in runs if run.text]


def _first(line: str) -> str:
    """A run's first line, stripped; a table row keeps its empty trailing cells."""
    return line.strip(" \u3000\r\n") if "\t" in line else line.strip()
