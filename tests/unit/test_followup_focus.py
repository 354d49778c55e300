"""A follow-up that swaps the year of the question before it ("那2024年呢？", "And in 2024?")
is answered by the sentence about that year, even where the record, having named the
country and what is counted once, says less around it ("2024年查验的货物为615批") than the
sentence about the year asked before. The document is our own (tests/data/followups)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.api import Assistant

NOTE = Path(__file__).resolve().parents[1] / "data" / "followups" / "Peru_note_verbale_2026_zh.txt"


@pytest.fixture(scope="module")
def with_note(shared_index: Assistant, tmp_path_factory: pytest.TempPathFactory):
    from index_fixture import shared_with

    assistant = shared_with(shared_index, tmp_path_factory.mktemp("followups") / "index", [NOTE])
    yield assistant
    assistant.close()


@pytest.mark.parametrize(("first", "first_fact", "follow", "fact"), [
    ("2025年秘鲁海关查验了多少批涉及两用物项的货物？", "842", "那2024年呢？", "615"),
    ("秘鲁海关2025年一共查验了几批两用物项货物？", "842", "2023年的呢？", "508"),
    ("How many dual-use shipments did Peru's customs inspect in 2025?", "842", "and 2023?",
     "508"),
    ("How many shipments involving dual-use items did Peruvian customs inspect in 2025?",
     "842", "What about 2024?", "615"),
    ("2025年秘鲁面向企业举办了多少次出口管制宣传活动？", "14", "那么2024年呢？", "9"),
])
def test_a_follow_up_on_another_year_quotes_that_years_sentence(
        with_note: Assistant, first: str, first_fact: str, follow: str, fact: str):
    assert first_fact in with_note.ask(first).text.split("\n")[0]
    answer = with_note.ask(follow, history=[first])
    assert answer.supported, answer.text
    lead = answer.text.split("\n")[0]
    assert fact in lead and first_fact not in lead, answer.text
    year = next(y for y in ("2023", "2024") if y in follow)
    assert year in answer.citations[0].quote
