"""An English national report a user adds is read as its own words say: a table's column is
named by the words of its heading in any form ("licences were denied" names "Licences
denied"), its row of a year is the row that prints the year, the State whose report it is
is the State of every table and paragraph in it, an English sentence's figure counts what
follows it, and its locators print once. The report is the test set's added document
(evals/test/documents); the questions are ours."""

from __future__ import annotations

import pytest

from assistant.api import Assistant
from assistant.render import english_locator


@pytest.mark.parametrize(("question", "lead"), [
    ("In Chile's export licence table, how many applications were received in 2021?",
     "**248**"),
    ("Per Chile's national report, how many dual-use export licences were denied in 2023?",
     "**6**"),
    ("According to Chile's report, how many export licence applications were received in "
     "2020?", "**212**"),
])
def test_a_column_of_an_english_table_is_named_by_its_headings_words(
        added_index: Assistant, question: str, lead: str):
    answer = added_index.ask(question)
    assert answer.text.startswith(lead), answer.text
    assert "S/AC.44/2025/4" in answer.citations[0].locator


@pytest.mark.parametrize("question", [
    "How many radiation portal monitors did Chile install?",
    "How many radiation portal monitors are at Chile's ports?",
    "How many portal monitors has Chile's customs service installed?",
])
def test_an_english_figure_counts_what_follows_it(added_index: Assistant, question: str):
    """The report gives 1,870 inspections beside the monitors, and no count of monitors."""
    answer = added_index.ask(question)
    assert "1,870" not in answer.text.split("\n")[0], answer.text


@pytest.mark.parametrize(("locator", "shown"), [
    ("S/AC.44/2025/4, table 2, row 3", "S/AC.44/2025/4, table 2, row 3"),
    ("S/AC.44/2025/4, paragraph 8", "S/AC.44/2025/4, paragraph 8"),
    ("S/RES/2901 (2027), preambular paragraph 2", "S/RES/2901 (2027), preambular paragraph 2"),
    ("S/2022/899 附件三 第6行", "S/2022/899, annex III, row 6"),
    ("S/2018/1178 信函 第1段", "S/2018/1178, covering letter, para. 1"),
])
def test_an_english_locator_is_shown_as_it_is(locator: str, shown: str):
    assert english_locator(locator) == shown
