"""Which figure of a sentence answers a count: never one that names something (the 1540 of
"1540委员会", a resolution's or decree's number, a paragraph, an ordinal), unless the
question asks which one ("第几次"), when only those answer it (an English question's
"at which meeting" is not yet read as asking a number), whether printed in figures or in
Chinese numerals ("第六次"), and never a date the question gives ("6月"). The sentences are
our own, in the records' style."""

from __future__ import annotations

import pytest

from assistant.facts import direct_fact
from assistant.question import analyse


@pytest.mark.parametrize(("sentence", "question", "count"), [
    ("欢迎已有57个会员国向1540委员会提交了执行报告，", "有多少个会员国提交了执行报告？", "57个"),
    ("请1540委员会将审议一项请求的时限定为90天；", "审议一项请求的时限是多少天？", "90"),
    ("The 1540 Committee received 23 requests in the period.",
     "How many requests did the Committee receive?", "23"),
    ("依照第2325号决议第4段，委员会举办了16次讲习班。", "委员会举办了几次讲习班？", "16次"),
    ("Under paragraph 5 (b) of resolution 2325, 31 States replied.",
     "How many States replied?", "31"),
    ("Decree No. 74 lists 412 controlled items.", "How many items does the decree list?",
     "412"),
])
def test_a_count_is_never_a_figure_that_names_something(sentence: str, question: str,
                                                        count: str):
    fact = direct_fact(sentence, analyse(question))
    assert fact is not None and fact.zh == count


@pytest.mark.parametrize(("sentence", "question", "which"), [
    ("委员会在第142次正式会议上通过了该方案，共有15个成员出席。", "委员会在第几次会议上通过了方案？",
     "142"),
    ("该报告于第37届会议期间提交，附有12份附件。", "报告是在第几届会议期间提交的？", "37"),
    ("The Committee adopted the programme at its 88th formal meeting, with 15 members "
     "present.", "委员会是在第几次正式会议上通过该方案的？", "88"),
    ("专家们出席了3月在日内瓦举行的第九次缔约国会议。", "3月在日内瓦举行的是第几次缔约国会议？", "9"),
    ("该国于2019年举办了第二届区域讲习班，共有40人参加。", "2019年举办的是第几届区域讲习班？", "2"),
    ("11月在达喀尔召开的第十二次协调会议通过了路线图。", "11月在达喀尔召开的协调会议是第几次？", "12"),
])
def test_which_one_is_answered_by_the_ordinal(sentence: str, question: str, which: str):
    fact = direct_fact(sentence, analyse(question))
    assert fact is not None and fact.en == which


@pytest.mark.parametrize(("sentence", "question", "zh", "en"), [
    ("委员会应在2015年年中之前确定审查的范围。", "审查范围要在什么时候之前确定？", "2015年年中", "mid-2015"),
    ("该国计划于2026年底前完成评估。", "By when will the assessment be finished?", "2026年底",
     "the end of 2026"),
    ("讲习班将在2019年上半年举办。", "讲习班什么时候举办？", "2019年上半年",
     "the first half of 2019"),
])
def test_a_part_of_a_year_answers_when(sentence: str, question: str, zh: str, en: str):
    fact = direct_fact(sentence, analyse(question))
    assert fact is not None and (fact.zh, fact.en) == (zh, en)
