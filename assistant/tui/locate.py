"""Where a citation points inside its document: the paragraph or table row to scroll to.

Pure functions over the `Document` model (no Textual), so the viewer's rule for finding
the cited unit is tested on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant import BlockKind, Document

_SPLIT = re.compile(r"\s*\(\d+/\d+\)$")
_ROW_RANGE = re.compile(r"^(?P<base>.*) 第(?P<a>\d+)[–-](?P<b>\d+)行$")


@dataclass(frozen=True)
class Unit:
    """One line of the viewer: a heading, paragraph, footnote, table title or table row."""

    kind: str
    locator: str
    text: str


def _plain(text: str) -> str:
    return "".join(text.split())


def units(document: Document) -> list[Unit]:
    out: list[Unit] = []
    for block in document.blocks:
        if block.kind is BlockKind.TABLE:
            # An annex's heading is often its table's title too: print it once.
            shown = out[-1].text if out and out[-1].kind == "heading" else None
            title = block.title if block.title and _plain(block.title) != _plain(shown or "") else ""
            head = "\n".join(t for t in (title, "  ".join(block.header)) if t)
            out.append(Unit("table", block.locator, head))
            out += [Unit("row", row.locator, block.row_line(row)) for row in block.rows]
        else:
            out.append(Unit(block.kind.value, block.locator, block.text))
    return out


def _candidates(found: list[Unit], locator: str) -> list[int]:
    """Indexes of the units the locator names: itself, a split passage's paragraph
    ("第34段 (1/2)"), or every row of a row range ("附件一 第1–9行")."""
    base = _SPLIT.sub("", locator)
    exact = [i for i, u in enumerate(found) if u.locator == base]
    if exact:
        return exact
    span = _ROW_RANGE.match(base)
    if span:
        wanted = {f"{span['base']} 第{n}行" for n in range(int(span["a"]), int(span["b"]) + 1)}
        return [i for i, u in enumerate(found) if u.locator in wanted]
    return [i for i, u in enumerate(found) if u.locator.startswith(base)]


def locate(found: list[Unit], locator: str, quote: str) -> int | None:
    """The unit to show: among those the locator names, the first holding the quote (or
    its first line); else the first named; else any unit holding the quote."""
    named = _candidates(found, locator)
    probes = [p for p in (quote, quote.splitlines()[0] if quote else "") if p]
    for probe in probes:
        for i in named:
            if probe in found[i].text:
                return i
    if named:
        return named[0]
    for probe in probes:
        for i, unit in enumerate(found):
            if probe in unit.text:
                return i
    return None
