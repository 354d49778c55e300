"""How the gold set scores an answer: facts found as whole figures, and a wrong direct
answer is wrong whatever its quote holds."""

from __future__ import annotations

import pytest

from evals.answers import missing_facts, wrong_lead


@pytest.mark.parametrize(("text", "must", "missing"), [
    # "22" is not in the symbol "S/2022/899", nor "8" in "18".
    ("**8** — *S/2022/899 附件六 第8行*", ["22"], ["22"]),
    ("共有18个", ["8"], ["8"]),
    ("共22个组织", ["22"], []),
    ("在……185个国家中，61个国家只提交了第一次报告", ["61"], []),
    ("共44 004项可能措施", ["44004|44,004"], []),
    ("提高约16%", ["6%|6 percent"], ["6%|6 percent"]),
    ("S/2020/347号文件", ["S/2020/347"], []),
])
def test_a_figure_counts_only_as_a_whole_figure(text: str, must: list[str],
                                                 missing: list[str]) -> None:
    assert missing_facts(text, must) == missing


def test_a_direct_answer_must_be_one_of_the_facts_asked() -> None:
    # The quote holds 23, but the answer states 17.
    text = "**17次** [1]\n\n> 委员会举行了23次正式会议、17次非正式会议 [1]"
    assert missing_facts(text, ["23"]) == []
    assert wrong_lead(text, ["23"]) == "17次"
    assert wrong_lead(text.replace("**17次**", "**23次**"), ["23"]) is None
    # Two things asked: stating either is stating one of them.
    assert wrong_lead("**2020年12月；190个** [1]", ["2020年12月", "190"]) is None
    # No direct answer, nothing to contradict.
    assert wrong_lead("记录显示：\n\n> ……23次正式会议 [1]", ["23"]) is None
