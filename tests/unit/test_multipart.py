"""A question that asks two things gets both, each cited to its own quote, in the order
asked, even when no one sentence holds them together."""

from __future__ import annotations

import re

import pytest

from assistant.api import Assistant


@pytest.mark.parametrize("question", [
    "2019年委员会收到几份新的援助请求？截至2020年通报时，有多少个会员国指定了国家联络人？",
    "By the Chair's 2020 briefing, how many Member States had designated a national point of "
    "contact? How many new assistance requests came in during 2019?",
    "2020年主席通报：指定了国家联络人的会员国有多少个？2019年的新援助请求又有几份？",
])
def test_each_part_of_a_two_part_question_is_answered_and_cited(shared_index: Assistant,
                                                                question: str):
    answer = shared_index.ask(question)
    assert answer.supported
    assert re.search(r"(?<!\d)12(?!\d)", answer.text) and re.search(r"(?<!\d)119(?!\d)",
                                                                      answer.text)
    quotes = " ".join(c.quote for c in answer.citations)
    assert "12份新的援助请求" in quotes and "119个会员国" in quotes
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    for c in answer.citations:
        assert c.quote in c.passage and f"[{c.n}]" in answer.text
