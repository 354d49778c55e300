"""Runs → a structured `Document`: parts, headings, numbered paragraphs, sub-paragraphs,
footnotes linked to their callers, and tables with rows.

The parser knows the layout of UN documents (a covering letter, then 附件 / 附件一 ...
(`annex_parts`); numbered paragraphs ``17.``; sections ``三. 执行情况`` and ``A. 报告``;
sub-paragraphs ``(a)`` and ``㈠``), not any particular document: whatever it cannot place is
kept as a plain paragraph, so no text is ever dropped. Prose that opens no block of its own
after a numbered paragraph is more of that paragraph where a page break cut it off (see
`_Builder._continues`). Annex tables go to `annex_tables`; tables inside running text to
`annex_tabbed`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from index import annex_tabbed, footnotes, locators
from index.annex_common import ParsedTable, split_trailing
from index.annex_parts import SIGNATURE, Part, split_parts
from index.annex_tables import parse_table
from index.metadata import detect_metadata
from index.models import Block, BlockKind, Document, DocumentMeta, DocumentType, TableRow
from index.runs import FOOTNOTE_LABEL, NUMBERED, SECTION, SUB, Run, split_runs
from index.text import furniture_mask, join_wrapped, normalize_spacing

_SHORT = 60  # a run this short without final punctuation reads as a heading
SIGNATURE_LINE = 40  # the lines of a signature block are shorter than this
_TERMINAL = re.compile(r"[。；：，！？.;:,!?)）\]][”’\"]*\s*$")  # closing quotes after it
# Where a sentence may end: final punctuation, then closing quotes, brackets or call marks.
_SENTENCE_END = re.compile(
    rf"[。；：！？.;:!?](?:\s|['’”」』)）\]】]|{footnotes.OPEN}[^{footnotes.CLOSE}]*{footnotes.CLOSE})*$")
_MASTHEAD = re.compile(
    r"^\s*(?:安全理事会|Distr\.:.*|\d{1,2} \w+ \d{4}|Chinese|English|French|Original:.*"
    # "United Nations      S/2026/468", "安全理事会      Distr.: General", "2025年11月14日"
    r"|(?:United Nations|联合国|Security Council|安全理事会)(?:\s{2,}|\u3000+)\S.*"
    r"|[SA]/(?:[A-Z0-9.]+/)*\d{4}/\d+"  # the symbol alone, as a DOCX masthead prints it
    r"|\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日)\s*$"
)
# A resolution's heading, its adoption line, and the line that opens its preamble (the
# subject of every paragraph after it): headings, not paragraphs of a letter.
_COUNCIL = re.compile(r"^\s*(?:The Security Council,|安全理事会，|Resolution \d+\s*\(\d{4}\)|"
                      r"Adopted by the Security Council at its .*|第\d+\s*\(\d{4}\)号决议|"
                      r"安全理事会于.+次会议通过)\s*$")
_YEAR_END = re.compile(r"\s*\(\d{4}\)$")  # "... resolution 1540 (2004)": an English title


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


class _Builder:
    def __init__(self, meta: DocumentMeta) -> None:
        self.meta = meta
        self.blocks: list[Block] = []
        self.ids: set[str] = set()
        self.counters: dict[tuple[str, ...], int] = {}

    # -- parts ---------------------------------------------------------------------
    def build(self, lines: list[str]) -> Document:
        for part in split_parts(split_runs(lines)):
            self._build_part(part)
        self._link_footnotes()
        self._assign_locators()
        return Document(meta=self.meta, blocks=self.blocks)

    def _build_part(self, part: Part) -> None:
        runs = part.runs
        title_runs = 0
        # A table row is never a title: taken for one, it would leave the table's first row
        # as its header, and the rows repeating that row dropped as repeated headers.
        if not part.label and runs and not runs[0].is_table_row \
                and self._reads_as_title(runs[0].text):
            title_runs = 1
            self._add(BlockKind.HEADING, part, _clean(runs[0].text), section=None)
        if part.label and not runs[0].is_table_row:
            title_runs = 1
            self._add(BlockKind.HEADING, part, _clean(runs[0].text), section=None)
            if part.label != "附件":
                table = self._try_annex_table(part)
                if table:
                    return
        self._build_prose(part, _merge_signatures(runs[title_runs:]))

    def _try_annex_table(self, part: Part) -> bool:
        title = _clean(footnotes.strip_placeholders(part.runs[0].text))
        after_title = part.raw_lines[len(part.runs[0].lines):]
        lines = [
            footnotes.strip_placeholders(line)
            for line, furniture in zip(after_title, furniture_mask(after_title), strict=True)
            if line.strip() and not furniture
        ]
        parsed = parse_table(title, lines) if lines else None
        if parsed is None:
            return False
        block = self._add_table(part, parsed, section=title, title=title)
        # Rows print their numbers when the first row's number opens a line ("1. 阿富汗"; a
        # list cut from an earlier page may start at "3.").
        printed = re.compile(rf"^\s*{parsed.rows[0].number}\s*\.")
        block.numbered_rows = any(printed.match(line) for line in lines)
        notes, summaries = split_trailing(parsed.notes)
        for note in notes:
            label = FOOTNOTE_LABEL.match(note)
            self._add(BlockKind.FOOTNOTE, part, note[label.end():] if label else note,
                      section=title, label=label.group(1) if label else None,
                      called_by=block.id)
        for title, *body in summaries:  # headed prose, numbered 第1段, 第2段 … in the annex
            self._add(BlockKind.HEADING, part, title, section=title)
            if body:
                self._add(BlockKind.PARAGRAPH, part, "\n".join(body), section=None)
        return True

    # -- prose ---------------------------------------------------------------------
    def _build_prose(self, part: Part, runs: list[Run]) -> None:
        section: str | None = None
        last_number = 0
        current_number: int | None = None
        numbered_block: Block | None = None  # the numbered (sub-)paragraph being read
        run_lines = [run.lines for run in runs]
        i = 0
        while i < len(runs):
            run = runs[i]
            text = run.text
            if run.is_table_row:
                i = self._build_tab_table(part, runs, i, section)
                current_number = numbered_block = None
                continue
            if extent := annex_tabbed.untabbed_extent(run_lines, i):
                lines = [line for r in run_lines[i:i + extent] for line in r]
                table = annex_tabbed.untabbed_table(
                    [footnotes.strip_placeholders(line) for line in lines])
                self._add_table(part, table, section=section, title=section)
                current_number = numbered_block = None
                i += extent
                continue
            if run.footnote_zone or self._is_loose_footnote(run):
                label = FOOTNOTE_LABEL.match(text)
                self._add(BlockKind.FOOTNOTE, part, text[label.end():] if label else text,
                          section=section, label=label.group(1) if label else None)
                i += 1
                continue
            numbered = NUMBERED.match(text)
            if numbered and self._numbered_heading(text[numbered.end():], runs[i + 1:i + 2],
                                                   int(numbered.group(1))):
                # "1. Introduction" over "1. The Government of Chile submits ...": a
                # numbered section, not paragraph 1.
                section = _clean(footnotes.strip_placeholders(text))
                self._add(BlockKind.HEADING, part, section, section=section)
                current_number = numbered_block = None
            elif self.meta.doc_type is DocumentType.RESOLUTION and _COUNCIL.match(text):
                self._add(BlockKind.HEADING, part, _clean(text), section=section)
            elif numbered and _plausible_next(int(numbered.group(1)), last_number):
                last_number = current_number = int(numbered.group(1))
                numbered_block = self._add(BlockKind.PARAGRAPH, part, text[numbered.end():],
                                           section=section, number=current_number)
            elif (sub := SUB.match(text)) and current_number is not None:
                letter = next(g for g in sub.groups() if g)
                printed = letter if letter in "㈠㈡㈢㈣㈤㈥㈦㈧㈨㈩" else f"({letter})"
                numbered_block = self._add(BlockKind.PARAGRAPH, part, text[sub.end():],
                                           section=section, number=current_number, sub=printed)
            elif numbered_block is not None and self._continues(numbered_block, text):
                numbered_block.text = join_wrapped(numbered_block.text, text)
            elif SECTION.match(text) or self._reads_as_heading(text):
                section = _clean(footnotes.strip_placeholders(text))
                self._add(BlockKind.HEADING, part, section, section=section)
                current_number = numbered_block = None
            else:
                self._add(BlockKind.PARAGRAPH, part, text, section=section)
                current_number = numbered_block = None
            i += 1

    def _numbered_heading(self, rest: str, following: list[Run], number: int) -> bool:
        """A short numbered line without final punctuation followed by a paragraph that
        prints the same number is a numbered section heading."""
        if not following or not self._reads_as_heading(rest):
            return False
        after = NUMBERED.match(following[0].text)
        return after is not None and int(after.group(1)) == number

    def _continues(self, block: Block, text: str) -> bool:
        """Whether unnumbered prose after a numbered paragraph or sub-paragraph is more of
        it: the rest of a sentence a page break cut (a page's footnotes may come between),
        or, right after it, a sentence that opens no block of its own (the text a page
        break or a list of sub-paragraphs left on a line of its own)."""
        if SECTION.match(text):
            return False
        if not _SENTENCE_END.search(block.text):
            return True  # however short: the heading test would take "对话、" for a heading
        return self.blocks[-1] is block and bool(_SENTENCE_END.search(text))

    def _reads_as_title(self, text: str) -> bool:
        clean = self._unyeared(_clean(footnotes.strip_placeholders(text)))
        return len(clean) <= 2 * _SHORT and not _TERMINAL.search(clean)

    def _reads_as_heading(self, text: str) -> bool:
        clean = self._unyeared(_clean(footnotes.strip_placeholders(text)))
        limit = 2 * _SHORT if self.meta.language == "en" else _SHORT  # words, not characters
        return len(clean) <= limit and not _TERMINAL.search(clean) \
            and not clean.startswith(("[", "(Signed)"))

    def _unyeared(self, text: str) -> str:
        """An English title may end with a resolution's year: "... resolution 1540 (2004)"."""
        return _YEAR_END.sub("", text) if self.meta.language == "en" else text

    def _is_loose_footnote(self, run: Run) -> bool:
        """A footnote printed without a separator line: its label was called earlier."""
        label = FOOTNOTE_LABEL.match(run.text)
        if not label:
            return False
        wanted = footnotes.canonical_label(label.group(1))
        return any(wanted in footnotes.candidate_labels(b.text) for b in self.blocks[-12:])

    def _build_tab_table(self, part: Part, runs: list[Run], start: int,
                         section: str | None) -> int:
        """Consecutive tab-separated runs form a table (see `annex_tabbed.tab_table`)."""
        end = start
        while end < len(runs) and runs[end].is_table_row:
            end += 1
        table = annex_tabbed.tab_table([run.text for run in runs[start:end]])
        self._add_table(part, table, section=section, title=section)
        return end

    def _add_table(self, part: Part, table: ParsedTable, *, section: str | None,
                   title: str | None) -> Block:
        block = self._add(BlockKind.TABLE, part, "", section=section, title=title,
                          header=table.header)
        ids: set[str] = set()
        for row in table.rows:
            # A printed number may repeat ("1" again in a note read as a row): ids may not.
            row_id, k = f"{block.id}/r{row.number}", 2
            while row_id in ids:
                row_id, k = f"{block.id}/r{row.number}.{k}", k + 1
            ids.add(row_id)
            block.rows.append(TableRow(id=row_id, number=row.number, cells=row.cells,
                                       locator=""))
        return block

    # -- blocks --------------------------------------------------------------------
    def _where(self, part: Part | str) -> str:
        label = part.label if isinstance(part, Part) else part
        has_annexes = any(b.part for b in self.blocks)
        return locators.where(self.meta.label, label, self.meta.language,
                              has_annexes=has_annexes)

    def _add(self, kind: BlockKind, part: Part, text: str, *, section: str | None,
             number: int | None = None, sub: str | None = None, label: str | None = None,
             title: str | None = None, header: list[str] | None = None,
             called_by: str | None = None) -> Block:
        key: tuple[str, ...] = (part.label, kind.value)
        if kind is BlockKind.PARAGRAPH and number is None:
            key = (part.label, kind.value, section or "")
        self.counters[key] = ordinal = self.counters.get(key, 0) + 1
        block = Block(
            id=self._block_id(kind, part, number, sub, ordinal, label),
            doc_id=self.meta.id, kind=kind, seq=len(self.blocks), part=part.label,
            section=section, number=number, ordinal=ordinal, sub=sub,
            label=footnotes.canonical_label(label) if label else None,
            text=text, locator="", title=title, header=header or [], called_by=called_by,
            numbered_rows=False,
        )
        self.blocks.append(block)
        return block

    def _block_id(self, kind: BlockKind, part: Part, number: int | None, sub: str | None,
                  ordinal: int, label: str | None) -> str:
        slug = part.slug
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
        language = self.meta.language
        preamble = self._preamble()
        for block in self.blocks:
            where = self._where(block.part)
            if block.kind is BlockKind.PARAGRAPH:
                if block.number is not None:
                    block.locator = locators.paragraph(where, block.number, language,
                                                       sub=block.sub)
                elif block.id in preamble:
                    block.locator = locators.paragraph(where, preamble[block.id], language,
                                                       preambular=True)
                elif block.section and block.part in numbered_parts:
                    block.locator = locators.paragraph(where, block.ordinal, language,
                                                       section=block.section)
                else:
                    block.locator = locators.paragraph(where, block.ordinal, language)
            elif block.kind is BlockKind.FOOTNOTE:
                block.locator = locators.other(where, "footnote", block.label or block.ordinal,
                                               language)
            elif block.kind is BlockKind.TABLE:
                several = tables[block.part] > 1
                block.locator = locators.other(where, "table", block.ordinal, language) \
                    if several else where
                for row in block.rows:
                    row.locator = locators.row(block.locator, row.number, language)
            else:
                block.locator = locators.other(where, "heading", block.ordinal, language)

    def _preamble(self) -> dict[str, int]:
        """A resolution's preambular paragraphs (the unnumbered ones before its first
        numbered paragraph), by block id, numbered from 1."""
        if self.meta.doc_type is not DocumentType.RESOLUTION:
            return {}
        found: dict[str, int] = {}
        for block in self.blocks:
            if block.number is not None:
                break
            if block.kind is BlockKind.PARAGRAPH and not block.part:
                found[block.id] = len(found) + 1
        return found

    # -- footnotes -----------------------------------------------------------------
    def _link_footnotes(self) -> None:
        """Resolve call marks: link each to the next footnote with its label, and put back
        the candidates that were only numbers."""
        notes = [b for b in self.blocks if b.kind is BlockKind.FOOTNOTE and b.label]
        for block in self.blocks:
            if block.kind is BlockKind.FOOTNOTE:
                block.text = _clean(footnotes.strip_placeholders(block.text))
                continue
            # A call mark precedes its note (printed at the foot of the page): a number
            # with no note of that label still to come is content ("交7" + "0。").
            ahead = {n.label for n in notes if n.seq > block.seq and n.called_by is None
                     and n.label}
            text, called = footnotes.resolve(block.text, ahead)
            block.text = _clean(text)
            for label in called:
                note = next((n for n in notes if n.label == label and n.seq > block.seq
                             and n.called_by is None), None)
                if note is not None:
                    block.footnotes.append(note.id)
                    note.called_by = note.called_by or block.id
            if block.kind is BlockKind.TABLE:
                block.header = [footnotes.strip_placeholders(c) for c in block.header]
                for row in block.rows:
                    row.cells = [_clean(footnotes.strip_placeholders(c)) for c in row.cells]


def _merge_signatures(runs: list[Run]) -> list[Run]:
    """Fold a signature block (short lines ending in "(签名)") into one run."""
    out: list[Run] = []
    for run in runs:
        if SIGNATURE.search(run.text):
            pieces = [run]
            while out and len(pieces) < 5 and len(out[-1].text) <= SIGNATURE_LINE \
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


def _clean(text: str) -> str:
    return normalize_spacing(text)
