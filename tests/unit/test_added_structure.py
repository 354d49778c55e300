"""An added document is cut as it numbers itself: a resolution's preambular and operative
paragraphs with their sub-paragraphs, an English letter's annex, a report's numbered
sections and tables, with locators in the document's own language."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.models import BlockKind, Document
from index.parser import parse_file
from index.passages import Chunker
from index.units import units_of

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "tests" / "data" / "documents"
TEST_SET = ROOT / "evals" / "test" / "documents"


@pytest.fixture(scope="module")
def docs() -> dict[str, Document]:
    files = [*OURS.glob("*.*"), *TEST_SET.glob("*.*")]
    return {path.stem: parse_file(path) for path in files if not path.name.endswith(".toml")}


def locators(doc: Document, kind: BlockKind = BlockKind.PARAGRAPH) -> list[str]:
    return [b.locator for b in doc.blocks if b.kind is kind]


def test_a_resolution_has_headings_a_preamble_and_operative_paragraphs(docs):
    res = docs["S_RES_2788_2025_zh"]
    headings = [b.text for b in res.blocks if b.kind is BlockKind.HEADING]
    assert headings == ["第2788(2025)号决议", "安全理事会于2025年11月14日第9987次会议通过", "安全理事会，"]
    paragraphs = locators(res)
    assert paragraphs[:2] == ["S/RES/2788 (2025) 序言部分第1段", "S/RES/2788 (2025) 序言部分第2段"]
    assert "S/RES/2788 (2025) 第3段(c)" in paragraphs
    assert not any("信函" in locator for locator in paragraphs)  # no covering letter
    operative = [b.number for b in res.paragraphs() if b.number and not b.sub]
    assert operative == list(range(1, 9))
    assert res.numbered(2)[0].text.startswith("请秘书长将协助1540委员会的专家小组人数")


def test_an_english_resolution_numbers_its_sub_paragraphs(docs):
    res = docs["S_RES_2901_2027_en"]
    assert [b.sub for b in res.numbered(2)] == [None, "(a)", "(b)", "(c)"]
    assert res.numbered(2)[2].locator == "S/RES/2901 (2027), paragraph 2 (b)"
    preamble = [b for b in res.paragraphs() if "preambular" in b.locator]
    assert len(preamble) == 4 and preamble[-1].text.startswith("Acting under Chapter VII")


def test_an_english_letter_locates_its_annex_paragraphs_as_the_annex(docs):
    letter = docs["S_2026_468_Chair_letter_programme_of_work_en"]
    third = letter.numbered(3)[0]
    assert third.locator == "S/2026/468 annex, paragraph 3"
    assert third.part == "附件"
    assert locators(letter)[0] == "S/2026/468 letter, paragraph 1"
    passages = Chunker().passages(letter)
    assert all(p.language == "en" for p in passages)
    assert passages[0].locator == "S/2026/468 letter, paragraphs 1–4"  # signed with its letter


def test_a_note_verbale_as_pdf_keeps_its_annex_paragraphs_whole(docs):
    note = docs["Mongolia_note_verbale_2026_en"]
    annex = [b for b in note.paragraphs() if b.part == "附件"]
    assert [b.number for b in annex] == [1, 2, 3]
    assert annex[1].text == ("The General Customs Administration trained 118 officers in the "
                             "identification of strategic goods during 2025, in 7 courses held "
                             "in Ulaanbaatar and Zamyn-Uud.")
    assert annex[1].locator == "2026-02-03 note verbale annex, paragraph 2"


def test_a_report_numbers_its_sections_apart_from_its_paragraphs(docs):
    report = docs["S_AC44_2025_4_Chile_national_report_en"]
    headings = [b.text for b in report.blocks if b.kind is BlockKind.HEADING]
    assert "1. Introduction" in headings and "6. National point of contact" in headings
    numbers = [b.number for b in report.paragraphs() if b.number]
    assert numbers == list(range(1, 14))
    assert report.numbered(1)[0].text.startswith("The Government of Chile submits")


def test_table_rows_keep_their_headers_and_cite_themselves(docs):
    report = docs["S_AC44_2025_4_Chile_national_report_en"]
    table = report.tables()[1]
    assert table.header == ["Year", "Applications received", "Licences granted",
                            "Licences denied"]
    assert table.rows[2].cells == ["2022", "301", "288", "8"]
    assert table.rows[2].locator == "S/AC.44/2025/4, table 2, row 3"
    passage = next(p for p in Chunker().passages(report) if p.block_ids == [table.id])
    assert "Applications received" in passage.search_text
    units = units_of(passage, 1)
    assert (units[2].quote, units[2].locator) == ("2022  301  288  8",
                                                  "S/AC.44/2025/4, table 2, row 3")
    review = docs["S_2027_1012_annual_review_en"]
    assert review.tables()[0].header == ["Year", "First reports", "Updated reports"]
    assert review.tables()[0].rows[2].locator == "S/2027/1012 annex, row 3"
    assert [b.sub for b in review.numbered(3)] == [None, "(a)", "(b)"]


def test_a_chinese_presidential_statement_keeps_its_last_quoted_paragraph(docs):
    prst = docs["S_PRST_2026_3_zh"]
    assert locators(prst)[-1] == "S/PRST/2026/3 第5段"
    assert prst.paragraphs()[-1].text.endswith("执行情况。”")


def test_a_question_naming_an_added_resolution_is_scoped_to_it(docs, corpus_docs):
    from index.query_scope import scope_of

    metas = [doc.meta for doc in [*docs.values(), *corpus_docs.values()]]
    resolution = "S_RES_2788_2025_zh"
    for question in ("第2788(2025)号决议第2段规定了什么？", "S/RES/2788(2025) paragraph 2",
                     "Under resolution 2788 (2025), how many experts are there? paragraph 2"):
        scope = scope_of(question, metas)
        assert list(scope.documents) == [resolution], question
        assert scope.paragraphs == [2], question
    # Resolution 1540 (2004), named in nearly every question, is not the added resolution.
    assert scope_of("第1540(2004)号决议第3段", metas).documents == {}
    prst = scope_of("What did the 2024 presidential statement say?", metas)
    assert list(prst.documents) == ["S_PRST_2024_6_en"]
    # A national report is named with its State; "国家报告" alone asks about all of them.
    assert scope_of("2019年有多少国家提交了国家报告？", metas).documents == {}
    assert list(scope_of("Chile's national report, table 2", metas).documents) == [
        "S_AC44_2025_4_Chile_national_report_en"]
