"""Runs → parts: the covering letter, then what it transmits (附件) or its numbered annexes
(附件一 ... 附件二十二), each with its runs.

An annex opens at its marker line; an unmarked annex at the heading that announces it
("……普通照会的附件") or after the letter's signature. Annexes are numbered in sequence, so a
marker that skips a number means the extraction lost the marker in between: that annex is
cut from the end of the one before it, at the last page that opens with a title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from index import footnotes
from index.runs import FOOTNOTE_LABEL, PART_MARKER, Run, part_label
from index.text import chinese_numeral, normalize_spacing, to_chinese_numeral

SIGNATURE = re.compile(r"[(（]签名[)）]\s*$")
_ANNEX_OF = re.compile(r"的附件\s*$|^\s*Annex to the (?:letter|note verbale)\b")
_ANNOUNCEMENT = 160  # characters: an annex's announcing heading is short
_TITLE = 120  # characters: an annex title is at most this long, without final punctuation
_TERMINAL = re.compile(r"[。；：，！？.;:,!?)）\]]\s*$")


@dataclass
class Part:
    label: str  # '' for the covering letter
    runs: list[Run] = field(default_factory=list)

    @property
    def raw_lines(self) -> list[str]:
        return [line for run in self.runs for line in run.lines]

    @property
    def number(self) -> int | None:
        """The annex's number (附件十九 → 19); None for the letter and an unnumbered 附件."""
        return (chinese_numeral(self.label[2:]) or None) if self.label else None

    @property
    def slug(self) -> str:
        """The part in block ids: letter, annex, annex-3."""
        if not self.label:
            return "letter"
        return "annex" if self.label == "附件" else f"annex-{chinese_numeral(self.label[2:])}"


def split_parts(runs: list[Run]) -> list[Part]:
    """Cut the runs at annex markers; a marker line itself is dropped."""
    parts = [Part("")]
    signed = False
    for run in runs:
        marker = PART_MARKER.match(run.text)
        if marker:
            label = part_label(marker)
            lost = _lost_annex(parts[-1], chinese_numeral(label[2:]))
            if lost is not None:
                parts.append(lost)
            parts.append(Part(label))
            signed = False
            continue
        if _ANNEX_OF.search(run.text) and len(run.text) < _ANNOUNCEMENT \
                and parts[-1].label == "":
            # "……普通照会的附件": an annex announced by its heading.
            parts.append(Part("附件"))
        elif signed and parts[-1].label == "":
            # What follows the letter's signature is what it transmits.
            parts.append(Part("附件"))
        signed = bool(SIGNATURE.search(run.text))
        parts[-1].runs.append(run)
    return [part for part in parts if part.runs]


def _lost_annex(part: Part, marked: int) -> Part | None:
    """The annex between `part` and the one marked `marked`, if its marker was lost: it
    starts on a new page with its title, so it is the last run of `part` (never its own
    title, never its last run) that opens a page and reads as a title."""
    number = part.number
    if number is None or marked != number + 2:
        return None
    for k in range(len(part.runs) - 2, 0, -1):
        run = part.runs[k]
        if run.page_start and not run.footnote_zone and not run.is_table_row \
                and _reads_as_title(run.text):
            lost = Part(f"附件{to_chinese_numeral(number + 1)}", part.runs[k:])
            del part.runs[k:]
            return lost
    return None


def _reads_as_title(text: str) -> bool:
    clean = normalize_spacing(footnotes.strip_placeholders(text))
    return len(clean) <= _TITLE and not _TERMINAL.search(clean) \
        and not FOOTNOTE_LABEL.match(clean)

