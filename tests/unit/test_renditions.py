"""A PDF or DOCX made from a shipped record gives the same paragraphs, locators and records."""

from __future__ import annotations

import pytest

from index.metadata import METADATA_FILE, load_overrides
from index.models import Document
from index.parser import parse_file
from index.records import extract_records
from index.text import fold


def units(doc: Document) -> list[tuple[str, str]]:
    """What a citation relies on: each paragraph's locator and its text."""
    return [(b.locator, fold(b.text)) for b in doc.paragraphs()]


def parse_rendition(path, original, corpus_files):
    overrides = load_overrides(corpus_files[original].parent.parent / METADATA_FILE)
    entry = overrides.get(corpus_files[original].name)
    doc = parse_file(path, entry.model_dump(exclude_none=True) if entry else None)
    return doc


@pytest.mark.parametrize(("key", "fmt"), [
    (key, fmt) for key in ("000", "001", "002", "003", "004") for fmt in ("docx", "pdf")
])
def test_rendition_parses_like_the_text(key, fmt, rendition, corpus_files, corpus_docs):
    doc = parse_rendition(rendition(corpus_files[key], fmt), key, corpus_files)
    original = corpus_docs[key]
    assert doc.meta.symbol == original.meta.symbol
    assert units(doc) == units(original)


@pytest.mark.parametrize("fmt", ["docx", "pdf"])
def test_rendition_gives_the_same_records(fmt, rendition, corpus_files, corpus_docs):
    doc = parse_rendition(rendition(corpus_files["001"], fmt), "001", corpus_files)

    def comparable(document: Document) -> list[str]:
        return [r.model_dump_json(exclude={"doc_id", "row_id"}) for r in extract_records(document)]

    assert comparable(doc) == comparable(corpus_docs["001"])


def test_pdf_of_the_2018_review_keeps_its_outreach_table(rendition, corpus_files, corpus_docs):
    """The PDF's text layer loses the table's tabs and wraps its rows: the table is found by
    its header repeated on each page, every event comes back once under its group, and the
    paragraph after it (the abbreviations) stays a paragraph."""
    doc = parse_rendition(rendition(corpus_files["004"], "pdf"), "004", corpus_files)
    [table] = doc.tables()
    [original] = corpus_docs["004"].tables()
    assert table.header == original.header
    assert [(row.cells[0], row.cells[-1]) for row in table.rows] == [
        (row.cells[0], row.cells[-1]) for row in original.rows]
    # Where the PDF left a space between the cells, they come back as the text has them.
    same = [row for row, text in zip(table.rows, original.rows, strict=True)
            if row.cells == text.cells]
    assert len(same) >= len(table.rows) // 2
    assert doc.paragraphs()[-1].text.startswith("简称：原子能机构")
