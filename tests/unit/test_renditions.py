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


PDF_004 = pytest.param("004", "pdf", marks=pytest.mark.xfail(strict=True, reason=(
    "known gap: the PDF rewraps 004's one-paragraph-per-line text and the plain-style "
    "run splitter does not yet rejoin every paragraph")))
PDF_RECORDS = pytest.param("pdf", marks=pytest.mark.xfail(strict=True, reason=(
    "known gap: in the PDF, long hyperlink lines (…pdf?OpenElement) wrap, and the wrapped "
    "tail is not recognised as furniture; it lands in one 附件二十二 row (796 of 797 match)")))


@pytest.mark.parametrize(("key", "fmt"), [
    *((key, fmt) for key in ("000", "001", "002", "003", "004") for fmt in ("docx", "pdf")
      if (key, fmt) != ("004", "pdf")),
    PDF_004,
])
def test_rendition_parses_like_the_text(key, fmt, rendition, corpus_files, corpus_docs):
    doc = parse_rendition(rendition(corpus_files[key], fmt), key, corpus_files)
    original = corpus_docs[key]
    assert doc.meta.symbol == original.meta.symbol
    assert units(doc) == units(original)


@pytest.mark.parametrize("fmt", ["docx", PDF_RECORDS])
def test_rendition_gives_the_same_records(fmt, rendition, corpus_files, corpus_docs):
    doc = parse_rendition(rendition(corpus_files["001"], fmt), "001", corpus_files)

    def comparable(document: Document) -> list[str]:
        return [r.model_dump_json(exclude={"doc_id", "row_id"}) for r in extract_records(document)]

    assert comparable(doc) == comparable(corpus_docs["001"])
