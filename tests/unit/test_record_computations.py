"""Computed over the annex rows: which of two states came first (or last), and how many
rows of a kind are dated in a year, each row cited."""

from __future__ import annotations

import re

import pytest

from assistant.api import Assistant


@pytest.mark.parametrize("question", [
    "Which of the two reported first to the 1540 Committee, Chile or Peru?",
    "智利和秘鲁，谁先向委员会提交了国家报告？",
    "Peru vs Chile: which submitted its first national report earlier?",
])
def test_the_state_that_reported_first_leads_with_both_rows_cited(shared_index: Assistant,
                                                                   question: str):
    answer = shared_index.ask(question)
    assert answer.supported and answer.backend == "records"
    lead = answer.text.splitlines()[0]
    assert re.search(r"智利|Chile", lead) and re.search(r"2004年10月27日|27 October 2004", lead)
    assert {"智利", "秘鲁"} <= {s for c in answer.citations for s in ("智利", "秘鲁")
                                if s in c.quote}


@pytest.mark.parametrize("question", [
    "How many States submitted a voluntary national action plan in 2022?",
    "2022年共有几个国家提交了国家执行行动计划？",
    "In 2022, how many States submitted their NAP to the Committee?",
])
def test_rows_dated_in_a_year_are_counted_and_each_cited(shared_index: Assistant,
                                                         question: str):
    answer = shared_index.ask(question)
    assert answer.supported
    assert answer.text.startswith("**3")
    quoted = " ".join(c.quote for c in answer.citations)
    assert all(state in quoted for state in ("博茨瓦纳", "吉尔吉斯斯坦", "蒙古"))


@pytest.mark.parametrize("question", [
    "How many States have submitted national reports since 2004?",
    "2016年以来有多少个国家提交了行动计划？",
    "How many action plans had been submitted before 2020?",
])
def test_a_span_of_years_is_not_counted_as_the_rows_of_one_year(shared_index: Assistant,
                                                                 question: str):
    answer = shared_index.ask(question)
    # Whatever answers it, it is not a count of the rows dated in the year named.
    assert answer.backend != "records" or len(answer.citations) <= 1


@pytest.mark.parametrize(("question", "lead", "rows"), [
    ("附件十八里 2021 年的活动一共有几项？", "**18项**", 18),
    ("How many Annex XVIII events took place in 2017?", "**51**", 51),
    ("How many of the events in Annex XIX were peer reviews?", "**9**", 9),
    ("附件十九中有几次同行审议？", "**9次**", 9),
])
def test_an_annexs_rows_are_counted_by_their_date_or_category(shared_index: Assistant,
                                                               question: str, lead: str,
                                                               rows: int):
    """A year counts the rows dated in it (not a 2020 event on planning for 2021); a
    category picks the rows that print it, though the table's title does not name it; the
    words that point at the annex ("附件……列出") pick no rows."""
    answer = shared_index.ask(question)
    assert answer.text.startswith(lead), answer.text[:200]
    assert len(answer.citations) == rows


@pytest.mark.parametrize(("question", "lead", "rows"), [
    ("附文列出的活动中，有几项在维也纳？", "**4项**", 4),
    ("附文中有几项活动的类别是“联合访问会员国”？", "**3项**", 3),
    ("附文里属于“其他区域活动”的有几项？", "**8项**", 8),
])
def test_a_table_named_without_its_number_is_counted(shared_index: Assistant, question: str,
                                                     lead: str, rows: int):
    """"附文" (the 2018 review's appendix) names a table without a number: the table the
    question finds; a category in quotation marks is matched whole ("其他区域活动", not
    every row with 区域 or 活动)."""
    answer = shared_index.ask(question)
    assert answer.text.startswith(lead), answer.text[:200]
    assert len(answer.citations) == rows
    assert all(c.locator.startswith("S/2018/1178") for c in answer.citations)
