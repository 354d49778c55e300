"""An English record a user adds is read in English: the words of an English question meet
it as printed, whether or not the Chinese records have a translation for them, and a Chinese
question meets it through the English words that translate its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant

RESOLUTION = Path(__file__).resolve().parents[1] / "data" / "documents" / "S_RES_2901_2027_en.txt"


@pytest.fixture(scope="module")
def with_resolution(shared_index: Assistant, tmp_path_factory: pytest.TempPathFactory):
    from index_fixture import shared_with

    assistant = shared_with(shared_index, tmp_path_factory.mktemp("english") / "index", [RESOLUTION])
    yield assistant
    assistant.close()


@pytest.mark.parametrize(("question", "fact"), [
    ("By what date must the Committee hold its dedicated meeting on maritime transfer "
     "controls under resolution 2901 (2027)?", "30 September 2027"),
    ("Resolution 2901 (2027): how many States had designated a maritime point of contact by "
     "31 January 2027?", "47"),
    ("Under which chapter of the Charter did the Council act in resolution 2901 (2027)?",
     "Chapter VII"),
    # The resolution prints none of these Chinese words: "海上" meets "maritime", "指定"
    # "designate", "2027年1月31日" "31 January 2027", in retrieval and in the reader alike.
    ("第2901(2027)号决议要求委员会在哪一天之前就海上转让管制举行专门会议？", "30 September 2027"),
    ("按照2901号决议，截至2027年1月31日有多少个国家指定了海上联络人？", "47"),
    ("据2901号决议，截至2027年1月底已有多少个会员国提交了第一次国家报告？", "189"),
    ("第2901(2027)号决议对非国家行为体可能利用什么船只表示关切？", "uncrewed vessels"),
    ("2901号决议是哪一天通过的？", "9 March 2027"),
    pytest.param("安理会通过第2901(2027)号决议时是依据《宪章》第几章采取行动的？", "VII",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the reader finds no English word for 第几章 (chapter) and quotes the "
                     "resolution's title: issue 18"))),
])
def test_an_english_resolution_answers_questions_in_either_language(
        with_resolution: Assistant, question: str, fact: str):
    answer = with_resolution.ask(question)
    assert answer.supported, answer.text
    assert fact in answer.text
    assert any((c.symbol and "2901" in c.symbol) or "2901" in c.locator
               for c in answer.citations), [c.locator for c in answer.citations]


@pytest.mark.parametrize(("inflected", "chinese"), [
    ("sought", "寻求"), ("held", "举行"), ("took", "采取"), ("largest", "巨大"),
    ("matrices", "矩阵"),
])
def test_an_irregular_english_form_meets_the_dictionary_through_its_lemma(inflected: str,
                                                                            chinese: str):
    from index.lexicon import EnglishLexicon

    # The stem of "sought" is not that of "seek": the lemma is.
    lexicon = EnglishLexicon.for_vocabulary([chinese])
    assert chinese in lexicon.chinese(inflected)


@pytest.mark.parametrize(("british", "chinese"), [
    ("programme", "方案"), ("centre", "中心"), ("defence", "国防"), ("organisation", "组织"),
])
def test_british_spellings_meet_the_dictionarys_american_ones(british: str, chinese: str):
    from index.lexicon import EnglishLexicon

    # An English question in the UN's spelling finds the Chinese word, and a Chinese word
    # finds an English record that prints the British spelling.
    lexicon = EnglishLexicon.for_vocabulary([chinese, british])
    assert chinese in lexicon.chinese(british)
    assert british in lexicon.english(chinese)
