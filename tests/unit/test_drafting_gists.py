"""English notes say each sentence of the records as an English sentence, and every place
the outreach annexes print in English.

The drafter has no translation model: what it says is read from the sentence's parts
(dates, States, organisations, places, counts, verbs). These tests take sentences of the
shipped records of different shapes (a dated event at a place, a list of States each with
its date, a count of what States submitted, a recommendation) and check what a reader of
the note sees: who acts and what they did, the date with its year, the place and the
figures in English, no Chinese outside the quoted source, and no State of the sentence
dropped when the line is about it.
"""

from __future__ import annotations

import re

import pytest

from assistant.drafting import clause_english, gist
from index.glossary import Glossary, default_glossary
from index.records import OutreachEvent

CJK = re.compile(r"[\u4e00-\u9fff]")
PEER_REVIEWS = ("此外，自2016年以来，委员会应会员国的请求为同行审议提供了支持，并收到了巴拉圭和乌拉圭"
                "(2020年3月24日)、多米尼加共和国和巴拿马(2020年1月7日)、哥伦比亚和智利(2018年2月26日)"
                "以及白俄罗斯、吉尔吉斯斯坦和塔吉克斯坦(2018年1月25日)提交的关于此类审议结果的报告。")


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return default_glossary()


@pytest.mark.parametrize(("text", "year", "wanted"), [
    # a dated event at a place, with its sponsor
    ("2018年6月28日至30日，在吉尔吉斯斯坦伊塞克湖地区，专家组参加了白俄罗斯支助的吉尔吉斯斯坦与塔吉"
     "克斯坦之间的同行审议会议。", None,
     ["28–30 June 2018", "group of experts took part in", "peer review", "Kyrgyzstan",
      "Tajikistan", "Issyk-Kul", "supported by Belarus"]),
    # a month without its year takes the year the document reports on
    ("6月，专家们出席了在白俄罗斯支助下在伊塞克湖举行的涉及吉尔吉斯斯坦和塔吉克斯坦的同行审议。", 2018,
     ["June 2018", "experts attended", "peer review", "Issyk-Kul", "Belarus"]),
    # States acting, with what they submitted
    ("加拿大、吉尔吉斯斯坦、塞尔维亚和乌兹别克斯坦均已提交第二次国家执行行动计划。", None,
     ["Canada, Kyrgyzstan, Serbia and Uzbekistan", "submitted",
      "second national implementation action plan"]),
    # counts of who and of what
    ("迄今为止，38个会员国已提交了46份国家行动计划。", None,
     ["38 Member States", "submitted", "46 national implementation action plans"]),
    # a recommendation: "should", and the partner of the verb
    ("委员会应继续与尚未提交第一次报告的会员国互动协作。", None,
     ["The Committee should continue to engage with Member States"]),
    # years of a period, and the States worked with
    ("委员会还参加了2020年和2021年期间举办的若干虚拟国家讲习班(例如与博茨瓦纳、多米尼加共和国、"
     "蒙古和巴拿马举办的讲习班)。", None,
     ["In 2020 and 2021", "the Committee also took part in", "workshop", "Botswana",
      "Mongolia", "Panama"]),
])
def test_a_record_sentence_reads_as_an_english_sentence(
        glossary: Glossary, text: str, year: int | None, wanted: list[str]) -> None:
    english = clause_english.sentence(text, glossary, year)
    assert english is not None, text
    assert not CJK.search(english), english
    assert not english[0].islower() and english.endswith("."), english
    for part in wanted:
        assert part in english, (part, english)


def test_a_list_of_states_each_with_its_date_keeps_the_state_a_line_is_about(
        glossary: Glossary) -> None:
    for state, en, date in (("吉尔吉斯斯坦", "Kyrgyzstan", "25 January 2018"),
                            ("巴拿马", "Panama", "7 January 2020"),
                            ("智利", "Chile", "26 February 2018")):
        english = clause_english.sentence(PEER_REVIEWS, glossary, keep=(state,))
        assert english is not None
        at = english.index(en)
        assert date in english[at:], (en, english)  # the State with its own date
        assert "received reports submitted by" in english


def test_a_sentence_with_no_verb_the_vocabulary_knows_gets_no_sentence(
        glossary: Glossary) -> None:
    assert clause_english.sentence("附件十八所列活动。", glossary) is None


def test_every_place_the_outreach_annexes_print_is_named_in_english(
        glossary: Glossary, shared_index) -> None:  # type: ignore[no-untyped-def]
    places = {r.place for r in shared_index.records("outreach_events")
              if isinstance(r, OutreachEvent) and r.place}
    assert len(places) > 90
    for printed in places:
        english = gist.place(printed, glossary)
        assert not CJK.search(english), (printed, english)
    # As the UN writes them, State after the place in it.
    assert gist.place("科威特城", glossary) == "Kuwait City"
    assert gist.place("布里奇敦", glossary) == "Bridgetown"
    assert gist.place("吉尔吉斯斯坦伊塞克湖", glossary) == "Issyk-Kul, Kyrgyzstan"
    assert gist.place("混合会议，南非约翰内斯堡", glossary) == \
        "Johannesburg, South Africa (hybrid meeting)"
    assert gist.place("法国和瑞士", glossary) == "France and Switzerland"


def test_places_stay_out_of_the_names_questions_are_read_for(glossary: Glossary) -> None:
    """A place named in a question is no State or term the answer must hold, and the
    BM25 segmenter's dictionary is unchanged by the places table."""
    assert glossary.places is not None and glossary.lookup("科威特城") is None
    assert glossary.places.lookup("科威特城") is not None
    assert not any(entry.kind == "place" for entry in glossary.entries)
    assert "布里奇敦" not in glossary.terms_for_jieba()
