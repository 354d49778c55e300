"""A user adds records with what the text does not show given as options, sees what was
detected, and takes a document out again in one step, crash-safe."""

from __future__ import annotations

from pathlib import Path

import pytest
from index_fixture import network_blocked, settings_for

from assistant.api import Assistant
from assistant.cli_ingest import detection_line
from index.ingest import REMOVING_FILE
from index.metadata import MetadataOverride
from index.models import DocumentType

DOCS = Path(__file__).resolve().parents[1] / "data" / "documents"
RESOLUTION = DOCS / "S_RES_2901_2027_en.txt"
REPORT = DOCS / "Viet_Nam_national_report_2026_zh.html"


@pytest.fixture
def assistant(tmp_path: Path):
    with Assistant(settings_for(tmp_path / "index", tmp_path / "cache")) as assistant, \
            network_blocked():
        report, _ = assistant.build_index([RESOLUTION, REPORT])
        assert report is not None and report.ok, report
        yield assistant


def doc_ids(assistant: Assistant) -> set[str]:
    return {p.doc_id for p in assistant.search("maritime 越南 出口许可 transfer", k=50)}


def test_remove_takes_out_the_document_its_passages_and_records(assistant: Assistant):
    assert doc_ids(assistant) == {RESOLUTION.stem, REPORT.stem}
    assert assistant._ingestor.records_for(REPORT.stem) >= 0
    meta, stats = assistant.remove("S/AC.44/2026/7")
    assert meta.id == REPORT.stem
    assert [m.id for m in assistant.documents()] == [RESOLUTION.stem]
    assert assistant._ingestor.records.query(None, doc_id=REPORT.stem) == []
    assert doc_ids(assistant) == {RESOLUTION.stem}
    assert stats.removed == [REPORT.stem]
    assert all(p.name != REPORT.name for p in assistant._ingestor.sources())


def test_an_interrupted_removal_is_finished_by_the_next_build(assistant: Assistant):
    assistant._ingestor.begin_removal(RESOLUTION.name)  # then the process dies
    assert (assistant.settings.index.dir / REMOVING_FILE).exists()
    with Assistant(assistant.settings) as again:
        again.build_index()
        assert doc_ids(again) == {REPORT.stem}
        assert not (again.settings.index.dir / REMOVING_FILE).exists()


def test_removing_an_unknown_document_names_the_known_ones(assistant: Assistant):
    with pytest.raises(Exception, match=r"no document 'S/2099/1'.*S/RES/2901"):
        assistant.remove("S/2099/1")


def test_options_fill_what_the_text_does_not_show(assistant: Assistant):
    given = MetadataOverride(author="Permanent Mission of Viet Nam", doc_type=DocumentType.OTHER)
    report = assistant.ingest([REPORT], metadata=given)
    meta = report.documents[0].meta
    assert (meta.author, meta.doc_type) == ("Permanent Mission of Viet Nam", DocumentType.OTHER)
    assert meta.symbol == "S/AC.44/2026/7"  # still read from the text
    line = detection_line(meta)
    assert "detected" in line and "symbol=S/AC.44/2026/7" in line
    assert "given doc_type=other, author=Permanent Mission of Viet Nam" in line


def test_options_with_several_files_are_refused_in_one_line(assistant: Assistant):
    report = assistant.ingest([RESOLUTION, REPORT], metadata=MetadataOverride(symbol="S/1"))
    assert not report.documents and len(report.failures) == 1
    assert "describe one document" in report.failures[0].problem


def test_a_sidecar_beside_the_file_fills_its_fields(tmp_path: Path, assistant: Assistant):
    folder = tmp_path / "records"
    folder.mkdir()
    copy = folder / "press.txt"
    copy.write_text((DOCS / "SC_16720_press_release_en.txt").read_text(encoding="utf-8"),
                    encoding="utf-8")
    (folder / "press.txt.meta.toml").write_text('author = "Department of Global '
                                                  'Communications"\n', encoding="utf-8")
    report = assistant.ingest([folder])  # the folder: the sidecar is not a record
    assert report.ok and len(report.documents) == 1
    meta = report.documents[0].meta
    assert meta.author == "Department of Global Communications"
    assert meta.provenance["author"] == "given" and meta.missing() == []


def test_what_could_not_be_found_is_said_with_the_option_that_gives_it():
    from index.parser import parse_file

    meta = parse_file(DOCS / "SC_16720_press_release_en.txt").meta
    assert detection_line(meta).endswith("not found: author (give them with --author)")
