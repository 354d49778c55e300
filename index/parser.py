"""Runs → a structured `Document`: parts, headings, numbered paragraphs, sub-paragraphs,
footnotes linked to their callers, and tables with rows.

The parser knows the layout of UN documents (a covering letter, then 附件 / 附件一 ...;
numbered paragraphs ``17.``; sections ``三. 执行情况`` and ``A. 报告``; sub-paragraphs
``(a)`` and ``㈠``), not any particular document: whatever it cannot place is kept as a
plain paragraph, so no text is ever dropped.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from index import footnotes
from index.annex_tables import parse_table
from index.metadata import detect_metadata
from index.models import Block, BlockKind, Document, DocumentMeta, TableRow
from index.runs import (
    FOOTNOTE_LABEL,
    NUMBERED,
    PART_MARKER,
    SECTION,
    SUB,
    Run,
    split_runs,
)
from index.text import is_furniture, normalize_spacing

_SHORT = 60  # a run this short without final punctuation reads as a heading
_SIGNATURE_LINE = 40  # the lines of a signature block are shorter than this
_SIGNATURE = re.compile(r"[(（]签名[)）]\s*$")
_NUMBERED_ROW = re.compile(r"^\s*1\s*\.\s*\S")
_ANNEX_OF = re.compile(r"的附件\s*$")
_TERMINAL = re.compile(r"[。；：，！？.;:,!?)）\]]\s*$")
_MASTHEAD = re.compile(
    r"^\s*(?:安全理事会|Distr\.:.*|\d{1,2} \w+ \d{4}|Chinese|English|French|Original:.*)\s*$"
)


def parse_file(path: Path, meta_overrides: dict[str, object] | None = None) -> Document:
    """Parse a shipped-format text file (convenience for tests and scripts)."""
    from index.loaders import open_source  # loaders pull in PDF/DOCX libraries

    source = open_source(path)
    return parse_lines(
        source.lines(), original_file=path.name, source_format=source.format,
        sha256=source.sha256, overrides=meta_overrides,
    )


def parse_lines(
    lines: Iterable[str],
    *,
    original_file: str,
    source_format: str = "txt",
    sha256: str = "",
    overrides: dict[str, object] | None = None,
) -> Document:
    physical = list(lines)
    meta = detect_metadata(physical, original_file=original_file, overrides=overrides)
    meta = meta.model_copy(update={"source_format": source_format, "sha256": sha256})
    body = _drop_masthead(physical)
    marked = [footnotes.mark_candidates(line) for line in body]
    return _Builder(meta).build(marked)


def _drop_masthead(lines: list[str]) -> list[str]:
    """Blank the masthead lines a UN document opens with (``Distr.: General`` ...)."""
    out = list(lines)
    for i, line in enumerate(out):
        if not line.strip():
            continue
        if not _MASTHEAD.match(line):
            break
        out[i] = ""
    return out


@dataclass
class _Part:
    label: str  # '' for the covering letter
    runs: list[Run] = field(default_factory=list)
    raw_lines: list[str] = field(default_factory=list)


class _Builder:
    def __init__(self, meta: DocumentMeta) -> None:
        self.meta = meta
        self.blocks: list[Block] = []
        self.ids: set[str] = set()
        self.counters: dict[tuple[str, ...], int] = {}

    # -- parts ---------------------------------------------------------------------
    def build(self, lines: list[str]) -> Document:
        parts = self._split_parts(lines)
        for part in parts:
            self._build_part(part)
        self._link_footnotes()
        self._assign_locators()
        return Document(meta=self.meta, blocks=self.blocks)

    def _split_parts(self, lines: list[str]) -> list[_Part]:
        """Cut the text at annex markers; each part keeps its runs and raw lines."""
        parts = [_Part("")]
        signed = False
        for run in split_runs(lines):
            marker = PART_MARKER.match(run.text)
            if marker:
                parts.append(_Part(f"附件{marker.group(1)}"))
                signed = False
                continue
            if _ANNEX_OF.search(run.text) and len(run.text) < 80 and parts[-1].label == "":
                # "……普通照会的附件": an annex announced by its heading.
                parts.append(_Part("附件"))
            elif signed and parts[-1].label == "":
                # What follows the letter's signature is what it transmits.
                parts.append(_Part("附件"))
            signed = bool(_SIGNATURE.search(run.text))
            parts[-1].runs.append(run)
            parts[-1].raw_lines.extend(run.lines)
        return [part for part in parts if part.runs]

    def _build_part(self, part: _Part) -> None:
        runs = part.runs
        title_runs = 0
        if not part.label and runs and self._reads_as_title(runs[0].text):
            title_runs = 1
            self._add(BlockKind.HEADING, part, _clean(runs[0].text), section=None)
        if part.label:
            title_runs = 1
            self._add(BlockKind.HEADING, part, _clean(runs[0].text), section=None)
            if part.label != "附件":
                table = self._try_annex_table(part)
                if table:
                    return
        self._build_prose(part, _merge_signatures(runs[title_runs:]))

    def _try_annex_table(self, part: _Part) -> bool:
        title = _clean(part.runs[0].text)
        after_title = part.raw_lines[len(part.runs[0].lines):]
        lines = [
            footnotes.strip_placeholders(line) for line in after_title
            if line.strip() and not is_furniture(line)
        ]
        parsed = parse_table(title, lines) if lines else None
        if parsed is None:
            return False
        block = self._add(BlockKind.TABLE, part, "", section=title, title=title,
                          header=parsed.header)
        block.numbered_rows = any(_NUMBERED_ROW.match(line) for line in lines)
        block.rows = [
            TableRow(
                id=f"{block.id}/r{row.number}",
                number=row.number,
                cells=row.cells,
                locator="",
            )
            for row in parsed.rows
        ]
        for note in parsed.notes:
            label = FOOTNOTE_LABEL.match(note)
            self._add(BlockKind.FOOTNOTE, part, note[label.end():] if label else note,
                      section=title, label=label.group(1) if label else None,
                      called_by=block.id)
        return True

    # -- prose ---------------------------------------------------------------------
    def _build_prose(self, part: _Part, runs: list[Run]) -> None:
        section: str | None = None
        last_number = 0
        current_number: int | None = None
        i = 0
        while i < len(runs):
            run = runs[i]
            text = run.text
            if run.is_table_row:
                i = self._build_tab_table(part, runs, i, section)
                continue
            if run.footnote_zone or self._is_loose_footnote(run):
                label = FOOTNOTE_LABEL.match(text)
                self._add(BlockKind.FOOTNOTE, part, text[label.end():] if label else text,
                          section=section, label=label.group(1) if label else None)
                i += 1
                continue
            numbered = NUMBERED.match(text)
            if numbered and _plausible_next(int(numbered.group(1)), last_number):
                last_number = current_number = int(numbered.group(1))
                self._add(BlockKind.PARAGRAPH, part, text[numbered.end():], section=section,
                          number=current_number)
            elif (sub := SUB.match(text)) and current_number is not None:
                letter = next(g for g in sub.groups() if g)
                printed = letter if letter in "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩" else f"({letter})"
                self._add(BlockKind.PARAGRAPH, part, text[sub.end():], section=section,
                          number=current_number, sub=printed)
            elif SECTION.match(text) or self._reads_as_heading(text):
                section = _clean(footnotes.strip_placeholders(text))
                self._add(BlockKind.HEADING, part, section, section=section)
                current_number = None
            else:
                self._add(BlockKind.PARAGRAPH, part, text, section=section)
                current_number = None
            i += 1

    def _reads_as_title(self, text: str) -> bool:
        clean = _clean(footnotes.strip_placeholders(text))
        return len(clean) <= 2 * _SHORT and not _TERMINAL.search(clean)

    def _reads_as_heading(self, text: str) -> bool:
        clean = _clean(footnotes.strip_placeholders(text))
        return len(clean) <= _SHORT and not _TERMINAL.search(clean) and not clean.startswith("[")

    def _is_loose_footnote(self, run: Run) -> bool:
        """A footnote printed without a separator line: its label was called earlier."""
        label = FOOTNOTE_LABEL.match(run.text)
        if not label:
            return False
        wanted = footnotes.canonical_label(label.group(1))
        return any(wanted in footnotes.candidate_labels(b.text) for b in self.blocks[-12:])

    def _build_tab_table(self, part: _Part, runs: list[Run], start: int,
                         section: str | None) -> int:
        """Consecutive tab-separated runs form a table; a repeated header row is dropped."""
        end = start
        while end < len(runs) and runs[end].is_table_row:
            end += 1
        header = [_clean(cell) for cell in runs[start].text.split("\t")]
        block = self._add(BlockKind.TABLE, part, "", section=section, title=section,
                          header=header)
        for run in runs[start + 1:end]:
            cells = [_clean(cell) for cell in run.text.split("\t")]
            if cells == header:
                continue
            n = len(block.rows) + 1
            block.rows.append(TableRow(
                id=f"{block.id}/r{n}", number=n, cells=cells,
                locator="",
            ))
        return end

    # -- blocks --------------------------------------------------------------------
    def _where(self, part: _Part | str) -> str:
        label = part.label if isinstance(part, _Part) else part
        return f"{self.meta.label} {label or '信函'}"

    def _add(self, kind: BlockKind, part: _Part, text: str, *, section: str | None,
             number: int | None = None, sub: str | None = None, label: str | None = None,
             title: str | None = None, header: list[str] | None = None,
             called_by: str | None = None) -> Block:
        key: tuple[str, ...] = (part.label, kind.value)
        if kind is BlockKind.PARAGRAPH and number is None:
            key = (part.label, kind.value, section or "")
        self.counters[key] = ordinal = self.counters.get(key, 0) + 1
        block = Block(
            id=self._block_id(kind, part.label, number, sub, ordinal, label),
            doc_id=self.meta.id, kind=kind, seq=len(self.blocks), part=part.label,
            section=section, number=number, ordinal=ordinal, sub=sub,
            label=footnotes.canonical_label(label) if label else None,
            text=text, locator="", title=title, header=header or [], called_by=called_by,
        )
        self.blocks.append(block)
        return block

    def _block_id(self, kind: BlockKind, part: str, number: int | None, sub: str | None,
                  ordinal: int, label: str | None) -> str:
        slug = _part_slug(part)
        if kind is BlockKind.PARAGRAPH and number is not None:
            local = f"p{number}" + (f"-{sub.strip('()')}" if sub else "")
        elif kind is BlockKind.FOOTNOTE and label:
            local = f"fn{footnotes.canonical_label(label)}"
        else:
            local = f"{kind.value[0]}{ordinal}"
            if kind is BlockKind.PARAGRAPH:
                local = f"u{ordinal}-{len(self.blocks)}"
        base = f"{self.meta.id}/{slug}/{local}"
        candidate, k = base, 2
        while candidate in self.ids:
            candidate, k = f"{base}.{k}", k + 1
        self.ids.add(candidate)
        return candidate

    def _assign_locators(self) -> None:
        """Locators need the whole part: whether it numbers its paragraphs, how many
        tables it holds."""
        numbered_parts = {b.part for b in self.blocks if b.number is not None}
        tables: dict[str, int] = {}
        for b in self.blocks:
            if b.kind is BlockKind.TABLE:
                tables[b.part] = tables.get(b.part, 0) + 1
        for block in self.blocks:
            where = self._where(block.part)
            if block.kind is BlockKind.PARAGRAPH:
                if block.number is not None:
                    block.locator = f"{where} 第{block.number}段{block.sub or ''}"
                elif block.section and block.part in numbered_parts:
                    block.locator = f"{where} {block.section[:20]} 第{block.ordinal}段"
                else:
                    block.locator = f"{where} 第{block.ordinal}段"
            elif block.kind is BlockKind.FOOTNOTE:
                block.locator = f"{where} 脚注{block.label or block.ordinal}"
            elif block.kind is BlockKind.TABLE:
                several = tables[block.part] > 1
                block.locator = f"{where} 表{block.ordinal}" if several else where
                prefix = f"表{block.ordinal} " if several else ""
                for row in block.rows:
                    row.locator = f"{where} {prefix}第{row.number}行"
            else:
                block.locator = f"{where} 标题{block.ordinal}"

    # -- footnotes -----------------------------------------------------------------
    def _link_footnotes(self) -> None:
        """Resolve call marks: link each to the next footnote with its label, and put back
        the candidates that were only numbers."""
        notes = [b for b in self.blocks if b.kind is BlockKind.FOOTNOTE and b.label]
        known = {b.label for b in notes if b.label}
        for block in self.blocks:
            if block.kind is BlockKind.FOOTNOTE:
                block.text = _clean(footnotes.strip_placeholders(block.text))
                continue
            text, called = footnotes.resolve(block.text, known)
            block.text = _clean(text)
            for label in called:
                note = next((n for n in notes if n.label == label and n.seq > block.seq
                             and n.called_by is None), None)
                if note is None:
                    note = next((n for n in notes if n.label == label), None)
                if note is not None:
                    block.footnotes.append(note.id)
                    note.called_by = note.called_by or block.id
            if block.kind is BlockKind.TABLE:
                for row in block.rows:
                    row.cells = [_clean(footnotes.strip_placeholders(c)) for c in row.cells]


def _merge_signatures(runs: list[Run]) -> list[Run]:
    """Fold a signature block (short lines ending in "(签名)") into one run."""
    out: list[Run] = []
    for run in runs:
        if _SIGNATURE.search(run.text):
            pieces = [run]
            while out and len(pieces) < 5 and len(out[-1].text) <= _SIGNATURE_LINE \
                    and not _TERMINAL.search(out[-1].text) and not NUMBERED.match(out[-1].text):
                pieces.insert(0, out.pop())
            merged = Run(" ".join(p.text.strip() for p in pieces), pieces[0].first_line,
                         lines=[line for p in pieces for line in p.lines])
            out.append(merged)
        else:
            out.append(run)
    return out


def _plausible_next(number: int, last: int) -> bool:
    """Numbered paragraphs run on; a jump backwards or far ahead is a figure, not a number."""
    return last < number <= last + 3 or (number == 1 and last == 0)


def _part_slug(label: str) -> str:
    if not label:
        return "letter"
    if label == "附件":
        return "annex"
    return f"annex-{_chinese_numeral(label[2:])}"


_DIGITS = {c: i for i, c in enumerate("一二三四五六七八九", start=1)}


def _chinese_numeral(text: str) -> int:
    """一 → 1, 十八 → 18, 二十二 → 22."""
    if "十" not in text:
        return _DIGITS.get(text, 0)
    tens, _, ones = text.partition("十")
    return (_DIGITS.get(tens, 1) if tens else 1) * 10 + _DIGITS.get(ones, 0)


def _clean(text: str) -> str:
    return normalize_spacing(text)
