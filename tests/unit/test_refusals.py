"""A question the records do not answer is refused, and the refusal says which of the
things it names (a year, a state) no passage found mentions."""

from __future__ import annotations

import pytest

from assistant.api import Assistant


@pytest.mark.parametrize(("question", "absent"), [
    ("委员会 1990 年一共收到几份援助请求？", "1990年"),
    ("1998年有多少个国家向委员会提交了国家报告？", "1998年"),
    ("How many points of contact had been designated by 1999?", "1999"),
    ("What did the Committee's 2003 programme of work plan?", "2003"),
])
def test_a_year_no_record_covers_is_named_in_the_refusal(shared_index: Assistant, question: str,
                                                         absent: str):
    answer = shared_index.ask(question)
    assert not answer.supported and answer.citations == []
    assert absent in answer.text.split("\n")[0]
