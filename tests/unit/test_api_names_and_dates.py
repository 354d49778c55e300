"""The Python API as a user calls it: states and organisations by their English names,
citations dated, and "understood as" only for a question that was read differently."""

from __future__ import annotations

import pytest

from assistant import Assistant
from index.errors import RecordQueryError


def test_records_take_english_state_names(shared_index: Assistant):
    [plan] = shared_index.records("action_plans", state="Botswana")
    assert plan.state == "博茨瓦纳" and plan.locator == "S/2022/899 附件三 第6行"
    assert shared_index.records("action_plans", state="博茨瓦纳") == [plan]
    reports = shared_index.records("national_reports", state="Kyrgyzstan")
    assert [r.state for r in reports] == ["吉尔吉斯斯坦"]


def test_records_take_short_english_names_and_the(shared_index: Assistant):
    """An alias the glossary lists ("OAS") or a name with its "the" finds the same
    records as the Chinese name, short forms included."""
    by_zh = shared_index.records("outreach_events", state="美洲国家组织") + \
        shared_index.records("outreach_events", state="美洲组织")
    by_en = shared_index.records("outreach_events", state="the Organization of American States")
    assert by_en and {r.locator for r in by_en} == {r.locator for r in by_zh}
    assert shared_index.records("outreach_events", state="OAS") == by_en


def test_an_english_name_the_glossary_lacks_is_one_clear_error(shared_index: Assistant):
    with pytest.raises(RecordQueryError, match=r"Botswanna.*glossary"):
        shared_index.records("action_plans", state="Botswanna")


def test_a_table_row_citation_carries_its_documents_date(shared_index: Assistant):
    answer = shared_index.ask("博茨瓦纳何时提交了国家执行行动计划？")
    [cited] = [c for c in answer.citations if c.locator == "S/2022/899 附件三 第6行"]
    assert cited.date == "2022-11-29"
    assert all(c.date for c in answer.citations + answer.see_also)


def test_understood_as_only_for_a_question_read_differently(shared_index: Assistant):
    conversation = shared_index.conversation()
    conversation.ask("委员会 2019 年收到的新援助请求有多少份？")
    # Short, so read against the question before it (searched with it), but not rewritten.
    again = conversation.ask("国家联络人有多少？")
    assert again.resolved_question is None, "a question asked as typed is not 'understood as'"
    follow = conversation.ask("那 2019 年呢？")
    assert follow.resolved_question and "2019" in follow.resolved_question
