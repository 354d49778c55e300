"""An English record a user adds is read in English: the words of an English question meet
it as printed, whether or not the Chinese records have a translation for them."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant

RESOLUTION = Path(__file__).resolve().parents[1] / "data" / "documents" / "S_RES_2901_2027_en.txt"


@pytest.fixture(scope="module")
def with_resolution(shared_index: Assistant, tmp_path_factory: pytest.TempPathFactory):
    import shutil

    from index_fixture import settings_for

    index_dir = tmp_path_factory.mktemp("english") / "index"
    shutil.copytree(shared_index.settings.index.dir, index_dir)
    assistant = Assistant(settings_for(index_dir, shared_index.settings.index.embedding_cache))
    report, _ = assistant.build_index([RESOLUTION])
    assert report is not None and report.ok, report
    yield assistant
    assistant.close()


@pytest.mark.parametrize(("question", "fact"), [
    ("By what date must the Committee hold its dedicated meeting on maritime transfer "
     "controls under resolution 2901 (2027)?", "30 September 2027"),
    ("Resolution 2901 (2027): how many States had designated a maritime point of contact by "
     "31 January 2027?", "47"),
    ("Under which chapter of the Charter did the Council act in resolution 2901 (2027)?",
     "Chapter VII"),
])
def test_an_english_resolution_answers_english_questions_in_its_words(
        with_resolution: Assistant, question: str, fact: str):
    answer = with_resolution.ask(question)
    assert answer.supported, answer.text
    assert fact in answer.text
    assert any((c.symbol and "2901" in c.symbol) or "2901" in c.locator
               for c in answer.citations), [c.locator for c in answer.citations]
