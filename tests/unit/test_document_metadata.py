"""Any committee document a user adds is known by what its text shows: its type, symbol,
date, title, sender and language, in Chinese or English, as text, HTML, PDF or DOCX.

The documents are the test set's five (evals/test/documents, read only) and six written for
these tests (tests/data/documents: invented facts, our own sentences)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from index.models import DocumentType
from index.parser import parse_file

ROOT = Path(__file__).resolve().parents[2]
OURS = ROOT / "tests" / "data" / "documents"
TEST_SET = ROOT / "evals" / "test" / "documents"

T = DocumentType
# file → (type, symbol, date, title, author, language); None where the text shows nothing.
EXPECTED: dict[Path, tuple[DocumentType, str | None, dt.date | None, str, str | None, str]] = {
    TEST_SET / "S_RES_2788_2025_zh.txt": (
        T.RESOLUTION, "S/RES/2788 (2025)", dt.date(2025, 11, 14), "第2788(2025)号决议",
        "安全理事会", "zh"),
    TEST_SET / "S_PRST_2024_6_en.txt": (
        T.PRESIDENTIAL_STATEMENT, "S/PRST/2024/6", dt.date(2024, 9, 18),
        "Statement by the President of the Security Council",
        "President of the Security Council", "en"),
    TEST_SET / "Kazakhstan_note_verbale_2025_zh.pdf": (
        T.NOTE_VERBALE, None, dt.date(2025, 5, 16),
        "2025年5月16日哈萨克斯坦常驻联合国代表团给安全理事会第1540(2004)号决议所设委员会主席的普通照会",
        "哈萨克斯坦常驻联合国代表团", "zh"),
    TEST_SET / "S_AC44_2025_4_Chile_national_report_en.docx": (
        T.NATIONAL_REPORT, "S/AC.44/2025/4", dt.date(2025, 3, 12),
        "Report of Chile on the implementation of Security Council resolution 1540 (2004)",
        "Chile", "en"),
    TEST_SET / "S_2026_468_Chair_letter_programme_of_work_en.txt": (
        T.PROGRAMME_OF_WORK, "S/2026/468", dt.date(2026, 5, 27),
        "Letter dated 27 May 2026 from the Chair of the Security Council Committee established "
        "pursuant to resolution 1540 (2004) addressed to the President of the Security Council",
        "Chair of the Security Council Committee established pursuant to resolution 1540 (2004)",
        "en"),
    OURS / "S_RES_2901_2027_en.txt": (
        T.RESOLUTION, "S/RES/2901 (2027)", dt.date(2027, 3, 9), "Resolution 2901 (2027)",
        "Security Council", "en"),
    OURS / "S_PRST_2026_3_zh.txt": (
        T.PRESIDENTIAL_STATEMENT, "S/PRST/2026/3", dt.date(2026, 6, 12), "安全理事会主席的声明",
        "安全理事会主席", "zh"),
    OURS / "Mongolia_note_verbale_2026_en.pdf": (
        T.NOTE_VERBALE, None, dt.date(2026, 2, 3),
        "Note verbale dated 3 February 2026 from the Permanent Mission of Mongolia to the "
        "United Nations addressed to the Chair of the Committee",
        "Permanent Mission of Mongolia to the United Nations", "en"),
    OURS / "S_2027_1012_annual_review_en.docx": (
        T.ANNUAL_REVIEW, "S/2027/1012", dt.date(2027, 12, 28),
        "Letter dated 28 December 2027 from the Chair of the Security Council Committee "
        "established pursuant to resolution 1540 (2004) addressed to the President of the "
        "Security Council",
        "Chair of the Security Council Committee established pursuant to resolution 1540 (2004)",
        "en"),
    OURS / "Viet_Nam_national_report_2026_zh.html": (
        T.NATIONAL_REPORT, "S/AC.44/2026/7", dt.date(2026, 4, 20),
        "越南关于执行安全理事会第1540(2004)号决议的国家报告", "越南", "zh"),
    OURS / "SC_16720_press_release_en.txt": (
        T.PRESS_RELEASE, "SC/16720", dt.date(2026, 10, 22),
        "Security Council 1540 Committee Holds Open Briefing on Emerging Technologies", None,
        "en"),
}
FIELDS = ("doc_type", "symbol", "date", "title", "author", "language")
CASES = [(path, name, value) for path, values in EXPECTED.items()
         for name, value in zip(FIELDS, values, strict=True)]


@pytest.fixture(scope="module")
def metas():
    return {path: parse_file(path).meta for path in EXPECTED}


def test_six_documents_of_our_own_three_in_english_with_a_pdf_and_a_docx():
    ours = [path for path in EXPECTED if path.parent == OURS]
    assert len(ours) >= 6
    assert sum(path.stem.endswith("_en") for path in ours) >= 3
    assert {".pdf", ".docx"} <= {path.suffix for path in ours}


@pytest.mark.parametrize(("path", "name", "value"), CASES,
                         ids=[f"{p.stem}-{n}" for p, n, _ in CASES])
def test_each_field_the_text_shows_is_detected(metas, path, name, value):
    meta = metas[path]
    assert getattr(meta, name) == value
    if value is None:
        assert name not in meta.provenance  # reported as not found, not guessed
    else:
        assert name in meta.provenance


def test_a_resolution_symbol_built_from_its_heading_is_marked_as_guessed(metas):
    meta = metas[TEST_SET / "S_RES_2788_2025_zh.txt"]
    assert meta.provenance["symbol"] == "text"  # the masthead prints it
    lines = (TEST_SET / "S_RES_2788_2025_zh.txt").read_text(encoding="utf-8").splitlines()
    from index.parser import parse_lines

    headless = parse_lines(lines[4:], original_file="res.txt").meta
    assert headless.symbol == "S/RES/2788 (2025)"
    assert headless.provenance["symbol"] == "guessed"
    assert headless.date == dt.date(2025, 11, 14)  # the adoption line, not the masthead


def test_options_override_what_the_text_shows():
    path = OURS / "SC_16720_press_release_en.txt"
    meta = parse_file(path, {"doc_type": "briefing", "author": "Committee secretariat"}).meta
    assert meta.doc_type is T.BRIEFING and meta.author == "Committee secretariat"
    assert meta.provenance["doc_type"] == meta.provenance["author"] == "given"
    assert meta.missing() == []


def test_a_symbol_another_record_lists_is_the_documents_symbol(tmp_path: Path) -> None:
    """The 2018 review prints no symbol; annex XXII of S/2022/899 lists S/2018/1178 for it,
    dated as it is: that is its symbol, and its locators use it, whichever of the two is
    ingested first. The 2015 programme of work and China's statement, which no record
    lists, keep none."""
    import shutil

    from index.ingest import Ingestor

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in (ROOT / "data" / "corpus").glob("*.txt"):
        shutil.copy(path, corpus / path.name)
    ingestor = Ingestor(tmp_path / "index", ROOT / "data" / "documents.toml")
    try:
        ingestor.ingest([corpus / "004_e98e36c478127a28.txt"])
        review = ingestor.documents.meta("004_e98e36c478127a28")
        assert review is not None and review.symbol is None
        unlisted = review.fingerprint
        ingestor.ingest([corpus])
        review = ingestor.documents.meta("004_e98e36c478127a28")
        assert review is not None and review.symbol == "S/2018/1178"
        assert review.provenance["symbol"] == "record" and review.fingerprint != unlisted
        blocks = ingestor.documents.load("S/2018/1178").blocks
        assert all(b.locator.startswith("S/2018/1178 ") for b in blocks)
        assert {m.id: m.symbol for m in ingestor.documents.documents()} == {
            "000_47e0968d6e4399d1": "S/2020/347", "001_f843830d9c5f1633": "S/2022/899",
            "002_773b16f04685a87e": None, "003_853b19a56df238b9": None,
            "004_e98e36c478127a28": "S/2018/1178"}
        assert ingestor.symbols_from_records() == [], "given once"
    finally:
        ingestor.close()
