"""Physical lines → runs: the logical lines (paragraphs, headings, footnotes, table rows) that
a PDF extraction broke over several lines and interleaved with page furniture.

Two extraction styles are recognised from the text itself:

* **trailing-space**: the extractor ends every text run with whitespace, so a line without
  it continues on the next line (000–003 and their PDF/DOCX renditions);
* **plain**: no such signal (one paragraph per line, or a PDF that rewrapped such lines):
  a run ends at a blank line, at sentence-final punctuation, at a short line, or before a
  line that opens a new block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from index.text import FOOTNOTE_SEPARATOR, is_furniture, join_wrapped

# What opens a new block whatever the style: the annex marker, numbered paragraphs,
# section headings, lettered sub-paragraphs.
PART_MARKER = re.compile(r"^\s*附\s*件\s*([一二三四五六七八九十]*)\s*$")
NUMBERED = re.compile(r"^\s*(\d{1,3})\s*\.\s*(?=\S)")
SECTION = re.compile(r"^\s*(?:[一二三四五六七八九十]+|[A-Z]|[IVX]+)\s*[.．、]\s*\S")
SUB = re.compile(r"^\s*(?:\(([a-z]{1,3}|[ivx]{1,4})\)|（([a-z]{1,3})）|([㈠-㈩]))\s*")
FOOTNOTE_LABEL = re.compile(r"^\s*([1-9]\d?|[a-z]|[¹²³⁴⁵⁶⁷⁸⁹⁰]+)\s+(?=\S)")
_SENTENCE_END = re.compile(r"[。；：！？:;!?]['’”」』)）\]】¹²³⁴⁵⁶⁷⁸⁹⁰\s]*$")


@dataclass
class Run:
    """One logical line: its physical lines rejoined, and where it came from."""

    text: str
    first_line: int
    footnote_zone: bool = False
    lines: list[str] = field(default_factory=list)

    @property
    def is_table_row(self) -> bool:
        return "\t" in self.text


def detect_trailing_style(lines: list[str]) -> bool:
    """True when the extractor marks run ends with trailing whitespace."""
    content = [line for line in lines if line.strip() and not is_furniture(line)]
    if len(content) < 4:
        return False
    ending = sum(1 for line in content if line[-1].isspace())
    return 0.1 <= ending / len(content) <= 0.9


def split_runs(lines: Iterable[str]) -> list[Run]:
    """Rejoin hard-wrapped lines into runs, dropping page furniture."""
    physical = [line.replace("\ufeff", "").rstrip("\r\n") for line in lines]
    if detect_trailing_style(physical):
        return _trailing_runs(physical)
    return _plain_runs(physical)


def _opens_block(line: str) -> bool:
    return bool(PART_MARKER.match(line) or NUMBERED.match(line) or SECTION.match(line)
                or SUB.match(line) or FOOTNOTE_SEPARATOR.match(line))


def _trailing_runs(physical: list[str]) -> list[Run]:
    runs: list[Run] = []
    open_run: Run | None = None  # a run still waiting for its continuation
    suspended: Run | None = None  # a body run interrupted by a page's footnotes
    in_footnotes = False
    for i, line in enumerate(physical):
        if not line.strip():
            continue
        if FOOTNOTE_SEPARATOR.match(line):
            in_footnotes = True
            if open_run is not None and not open_run.footnote_zone:
                suspended, open_run = open_run, None
            continue
        if is_furniture(line):
            continue
        if PART_MARKER.match(line):
            open_run = suspended = None
            in_footnotes = False
        if in_footnotes and open_run is None and not FOOTNOTE_LABEL.match(line):
            in_footnotes = False  # the page's footnotes are over: body text resumes
            if suspended is not None:
                open_run, suspended = suspended, None
        if open_run is None:
            open_run = Run("", i, footnote_zone=in_footnotes)
            runs.append(open_run)
        open_run.text = join_wrapped(open_run.text, line) if open_run.text else line.strip()
        open_run.lines.append(line)
        if line[-1].isspace():
            open_run = None
    return [run for run in runs if run.text]


def _plain_runs(physical: list[str]) -> list[Run]:
    lengths = sorted(len(line.strip()) for line in physical if line.strip())
    full = lengths[int(len(lengths) * 0.9)] if lengths else 0
    runs: list[Run] = []
    open_run: Run | None = None
    in_footnotes = False
    for i, line in enumerate(physical):
        if not line.strip():
            open_run = None
            continue
        if FOOTNOTE_SEPARATOR.match(line):
            in_footnotes, open_run = True, None
            continue
        if is_furniture(line):
            continue
        if open_run is not None and (_opens_block(line) or "\t" in line):
            open_run = None
        if in_footnotes and open_run is None and not FOOTNOTE_LABEL.match(line):
            in_footnotes = False
        if open_run is None:
            open_run = Run("", i, footnote_zone=in_footnotes)
            runs.append(open_run)
        open_run.text = join_wrapped(open_run.text, line) if open_run.text else _first(line)
        open_run.lines.append(line)
        stripped = line.strip()
        if ("\t" in line or _SENTENCE_END.search(stripped) or len(stripped) < 0.75 * full
                or PART_MARKER.match(line)):
            open_run = None
    return [run for run in runs if run.text]


def _first(line: str) -> str:
    """A run's first line, stripped; a table row keeps its empty trailing cells."""
    return line.strip(" \u3000\r\n") if "\t" in line else line.strip()
