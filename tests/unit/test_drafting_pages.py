"""Drafts a staff member can send, read as pages: every export rendered DOCX → PDF (by
LibreOffice) → PNG, and what a reader of those pages relies on checked on the shipped
records, for several States, topics and years.

An English note speaks English on every line, with the Chinese sentence it rests on beneath
as its source; table cells are whole clauses, not cut-off fragments or table debris; counts
add up; every dated line carries its year; headings appear once; sources give symbol, title
in the note's language, paragraph and date; tables fit the page with no header word broken;
an outreach summary groups its events and says where two documents' figures come from.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

import docx
import pypdfium2 as pdfium
import pytest
from renditions import RenditionError, render

from assistant.api import Assistant
from assistant.drafting import Draft, draft_briefing, draft_outreach_summary, export

TODAY = dt.date(2025, 1, 15)
CJK = re.compile(r"[\u4e00-\u9fff]")
MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
          "December")
MONTH_WITHOUT_YEAR = re.compile(rf"\b(?:{MONTHS})\b(?!\s+\d{{4}})(?![–-]\d)")
BARE_MONTH_ZH = re.compile(r"(?<![年\d])\d{1,2}\s*月")
CLAUSE_END = "，；。：！？"
SENTENCE_END = re.compile(r"[。；！？;][”’\"')）)]*$")


@pytest.fixture(scope="module")
def notes(shared_index: Assistant) -> dict[str, Draft]:
    a = shared_index
    return {
        "kyrgyzstan_en": draft_briefing(a, state="Kyrgyzstan", language="en", today=TODAY),
        "botswana_en": draft_briefing(a, state="Botswana", language="en", today=TODAY),
        "mongolia_en": draft_briefing(a, state="Mongolia", language="en", today=TODAY),
        "kyrgyzstan_zh": draft_briefing(a, state="吉尔吉斯斯坦", today=TODAY),
        "belarus_zh": draft_briefing(a, state="白俄罗斯", today=TODAY),
        "panama_zh": draft_briefing(a, state="巴拿马", today=TODAY),
        "contacts_en": draft_briefing(a, topic="联络人", language="en", today=TODAY),
        "outreach_2019_en": draft_outreach_summary(a, year=2019, language="en", today=TODAY),
        "outreach_2018_en": draft_outreach_summary(a, year=2018, language="en", today=TODAY),
        "outreach_2016_2017_en": draft_outreach_summary(a, period=(2016, 2017), language="en",
                                                        today=TODAY),
        "outreach_2019_zh": draft_outreach_summary(a, year=2019, today=TODAY),
    }


ENGLISH = [n for n in ("kyrgyzstan_en", "botswana_en", "mongolia_en", "contacts_en",
                       "outreach_2019_en", "outreach_2018_en", "outreach_2016_2017_en")]
STATES_ZH = ["kyrgyzstan_zh", "belarus_zh", "panama_zh"]
STATES = ["kyrgyzstan_en", "botswana_en", "mongolia_en", *STATES_ZH]
OUTREACH = ["outreach_2019_en", "outreach_2018_en", "outreach_2016_2017_en", "outreach_2019_zh"]
ALL = [*ENGLISH, *STATES_ZH, "outreach_2019_zh"]


# -- English on every line ---------------------------------------------------------------------
@pytest.mark.parametrize("name", ENGLISH)
def test_an_english_note_gives_each_record_sentence_as_english_with_the_chinese_beneath(
        notes: dict[str, Draft], name: str) -> None:
    draft = notes[name]
    quoted = [line for line in draft.lines() if line.quote]
    assert quoted, "an English note built on sentences of the records"
    for line in quoted:
        assert not CJK.search(line.text), line.text
        assert any(draft.citation(n).quote == line.quote for n in line.citations)
    # Apart from a few place names no dictionary has, every line is English.
    text = " ".join(line.text for line in draft.lines())
    prose = re.sub(r"“[^”]*”", "", text)
    assert len(CJK.findall(prose)) <= 0.03 * len(prose), prose


@pytest.mark.parametrize("name", ENGLISH)
def test_english_sources_give_symbol_english_title_paragraph_and_date(
        notes: dict[str, Draft], name: str) -> None:
    for citation in notes[name].citations:
        assert citation.title and not CJK.search(citation.title), citation.title
        assert citation.date
        assert citation.locator.startswith("S/") == bool(citation.symbol)
        assert re.search(r"第\d+(?:[–-]\d+)?[段行]|附件", citation.locator), citation.locator
    symbols = {c.symbol for c in notes[name].citations}
    # The 2018 review prints no symbol; annex XXII of the 2022 review lists it.
    if any(c.doc_id.startswith("004_") for c in notes[name].citations):
        assert "S/2018/1178" in symbols


# -- whole clauses, no debris ------------------------------------------------------------------
@pytest.mark.parametrize("name", STATES_ZH)
def test_chronology_rows_are_whole_clauses_of_their_sentence(
        notes: dict[str, Draft], name: str) -> None:
    draft = notes[name]
    rows = draft.section("chronology").tables[0].rows  # type: ignore[union-attr]
    from_sentences = 0
    for row in rows:
        event = row.cells[1]
        assert "…" not in event, event
        quote = draft.citation(row.citations[0]).quote
        if event in quote:  # a clause of a body-text sentence
            from_sentences += 1
            at = quote.index(event)
            assert at == 0 or quote[at - 1] in CLAUSE_END, (event, quote)
            end = at + len(event)
            assert end == len(quote) or quote[end] in CLAUSE_END, (event, quote)
    assert rows


@pytest.mark.parametrize("name", STATES)
def test_mentions_are_whole_sentences_not_table_debris(notes: dict[str, Draft],
                                                       name: str) -> None:
    draft = notes[name]
    for key in ("mentions", "background", "key_points", "open_issues"):
        section = draft.section(key)  # type: ignore[arg-type]
        for line in [*section.bullets, *section.paragraphs] if section else []:
            for n in line.citations:
                citation = draft.citation(n)
                if "段" in citation.locator:  # a sentence of the body text
                    assert SENTENCE_END.search(citation.quote), citation.quote


# -- counts, years, headings -------------------------------------------------------------------
@pytest.mark.parametrize("name", [*STATES[:3], *OUTREACH[:3]])
def test_counts_by_kind_add_up_to_the_total(notes: dict[str, Draft], name: str) -> None:
    lines = [line.text for line in notes[name].lines()]
    totals = [line for line in lines if re.search(r"\d+ outreach events.*including", line)]
    assert totals
    for line in totals:
        total = int(re.search(r"(\d+) outreach events", line).group(1))  # type: ignore[union-attr]
        parts = line.split("including", 1)[1]
        assert sum(int(n) for n in re.findall(r"\((\d+)\)", parts)) == total, line


@pytest.mark.parametrize("name", OUTREACH)
def test_the_events_table_groups_every_event_once(notes: dict[str, Draft],
                                                  name: str) -> None:
    draft = notes[name]
    table = draft.section("events").tables[0]  # type: ignore[union-attr]
    per_year = draft.section("counts").tables[0]  # type: ignore[union-attr]
    total = sum(int(row.cells[1]) for row in per_year.rows)
    assert sum(int(row.cells[1]) for row in table.rows) == total
    assert len(table.rows) == len({row.cells[0] for row in table.rows}) < total


@pytest.mark.parametrize("name", ALL)
def test_every_dated_line_carries_its_year(notes: dict[str, Draft], name: str) -> None:
    draft = notes[name]
    for line in draft.lines():
        if draft.language == "en":
            assert not MONTH_WITHOUT_YEAR.search(line.text), line.text
        elif BARE_MONTH_ZH.search(line.text):
            assert re.search(r"\d{4}\s*年", line.text), line.text
    for row in draft.rows():
        if draft.language == "en":
            assert not MONTH_WITHOUT_YEAR.search(" ".join(row.cells)), row.cells


def test_outreach_figures_of_two_documents_are_reconciled(notes: dict[str, Draft]) -> None:
    for name, words in (("outreach_2019_en", ("53", "59", "S/2020/347")),
                        ("outreach_2019_zh", ("53项", "59项", "S/2020/347"))):
        draft = notes[name]
        lines = [line for line in draft.section("highlights").bullets  # type: ignore[union-attr]
                 if all(w in line.text for w in words)]
        assert len(lines) == 1, name
        cited = {draft.citation(n).locator for n in lines[0].citations}
        assert any(loc.startswith("S/2020/347") for loc in cited)
        assert any("附件十八" in loc for loc in cited)


# -- as pages ----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def pages(notes: dict[str, Draft], tmp_path_factory: pytest.TempPathFactory
          ) -> dict[str, tuple[Path, list[str], int]]:
    """Each note as DOCX, its PDF and PNGs of every page: (docx, text of each page, pages)."""
    out = tmp_path_factory.mktemp("pages")
    rendered = {}
    for name in ALL:
        path = export(notes[name], out / f"{name}.docx")
        try:
            pdf_path = render(path, "pdf", out / "pdf", profile_dir=out / "lo", timeout=900)
        except RenditionError as exc:
            pytest.fail(str(exc))
        pdf = pdfium.PdfDocument(str(pdf_path))
        texts = []
        for i in range(len(pdf)):
            page = pdf[i]
            image = page.render(scale=1).to_pil()
            image.save(out / f"{name}-p{i + 1}.png")
            assert image.getbbox() is not None  # something is drawn
            texts.append(page.get_textpage().get_text_range())
        rendered[name] = (path, texts, len(pdf))
        pdf.close()
    return rendered


@pytest.mark.parametrize("name", ALL)
def test_no_table_header_word_is_broken_across_lines(
        pages: dict[str, tuple[Path, list[str], int]], name: str) -> None:
    path, texts, _ = pages[name]
    document = docx.Document(str(path))
    headers = {cell.text for table in document.tables for cell in table.rows[0].cells}
    assert headers
    lines = [re.sub(r"\s+", " ", line).strip() for text in texts for line in text.splitlines()]
    flat = [line.replace(" ", "") for line in lines]
    for header in headers:
        if CJK.search(header):  # a Chinese header on one line, whole
            assert any(header.replace(" ", "") in line for line in flat), header
            continue
        for word in re.findall(r"[A-Za-z][A-Za-z-]+", header):
            assert any(re.search(rf"(?<![A-Za-z]){re.escape(word)}(?![A-Za-z])", line)
                       for line in lines), (word, header)
            for first, second in itertools.pairwise(lines):
                for k in range(1, len(word)):
                    assert not (first.endswith(word[:k]) and second.startswith(word[k:])
                                and second[len(word) - k:len(word) - k + 1] in ("", " ")), \
                        (word, first, second)


@pytest.mark.parametrize("name", ALL)
def test_each_heading_appears_once_and_no_quote_is_slanted(
        pages: dict[str, tuple[Path, list[str], int]], name: str) -> None:
    path, _, _ = pages[name]
    document = docx.Document(str(path))
    headings = [p.text for p in document.paragraphs
                if p.style.name.startswith("Heading") or p.style.name == "Caption"]
    assert len(headings) == len(set(headings)), headings
    for paragraph in document.paragraphs:
        for run in paragraph.runs:
            if CJK.search(run.text):
                assert not run.italic and not (run.italic is None and paragraph.style.font.italic)


@pytest.mark.parametrize("name", OUTREACH)
def test_an_outreach_summary_fits_a_few_pages(
        pages: dict[str, tuple[Path, list[str], int]], name: str) -> None:
    _, _, count = pages[name]
    assert count <= 8, count  # a year of events listed one per row ran to 24


# -- a chronology row about a State names it ----------------------------------------------------
@pytest.mark.parametrize("name", ["kyrgyzstan_en", "botswana_en", "mongolia_en"])
def test_an_english_chronology_row_about_the_state_names_it_and_its_place_in_english(
        notes: dict[str, Draft], name: str) -> None:
    draft = notes[name]
    state_zh, state_en = draft.subject.state, draft.subject.state_en
    assert state_zh and state_en
    rows = draft.section("chronology").tables[0].rows  # type: ignore[union-attr]
    from_sentences = 0
    for row in rows:
        assert not CJK.search(" ".join(row.cells)), row.cells  # places too
        quote = draft.citation(row.citations[0]).quote or ""
        if state_zh in quote and "段" in draft.citation(row.citations[0]).locator:
            from_sentences += 1
            assert state_en in row.cells[1], (row.cells, quote)
    if name == "kyrgyzstan_en":  # the peer-review sentence listing nine States
        assert from_sentences
