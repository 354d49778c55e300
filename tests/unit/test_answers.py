"""The extractive answerer on the real records: direct answers, citations, refusals, follow-ups.

Each behaviour is stated with several phrasings of our own (paraphrases, English and
Chinese, another word order, a keyword form), none of them a question of `evals/`: the gold
questions are what the answerer was developed on, so a test that asked them would only
check that it remembers them. A phrasing the reader still gets wrong is a strict xfail
naming what it gets wrong (issue 18), never a rewording until it passes.
"""

from __future__ import annotations

from typing import Any

import pytest

from assistant.answers import Answer
from assistant.api import Assistant
from index.errors import QuestionError


def bug(*values: Any, reason: str) -> Any:
    """A phrasing the reader gets wrong today: it must keep failing until issue 18 is fixed."""
    return pytest.param(*values, marks=pytest.mark.xfail(
        strict=True, reason=f"the reader {reason}: issue 18"))


def assert_grounded(answer: Answer) -> None:
    """Every marker has a citation whose quote is really in its passage, and back."""
    for citation in answer.citations:
        assert citation.quote and citation.quote in citation.passage, citation
        assert f"[{citation.n}]" in answer.text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


def assert_leads_with(answer: Answer, lead: str) -> None:
    """The answer's first line gives `lead` (the direct answer), and it is grounded."""
    assert answer.text.splitlines()[0].startswith(lead), answer.text
    assert_grounded(answer)


# Keyword forms: what a user types into a search box rather than a question.
KEYWORDS_QUOTED = "quotes the passage instead of leading with what is asked when the " \
                  "question is a string of keywords"


@pytest.mark.parametrize(("question", "lead"), [
    ("委员会在 2019 年一共收到几份新援助请求？", "**12份**"),
    ("2019年新提出的援助请求有几份？", "**12份**"),
    ("How many fresh requests for assistance did the Committee get in 2019?", "**12**"),
    bug("新援助请求 2019 年 数量", "**12份**", reason=KEYWORDS_QUOTED),
])
def test_count_question_gets_the_figure_first_with_the_paragraph(
        shared_index: Assistant, question: str, lead: str):
    answer = shared_index.ask(question)
    assert answer.supported
    assert answer.text.splitlines()[0].startswith(lead), answer.text
    first = answer.citations[0]
    assert first.locator == "S/2020/347 附件 第6段"
    assert first.symbol == "S/2020/347" and first.date == "2020-04-29"
    assert "12份新的援助请求" in first.quote
    assert_grounded(answer)


@pytest.mark.parametrize("question", [
    "On what date did Botswana hand in its voluntary national implementation action plan?",
    "What date does annex III give for Botswana's national implementation action plan?",
    bug("Botswana national action plan: submission date?", reason=KEYWORDS_QUOTED),
])
def test_english_question_gets_english_framing_and_chinese_quote(shared_index: Assistant,
                                                                 question: str):
    answer = shared_index.ask(question)
    assert answer.supported and answer.language == "en"
    assert answer.text.startswith("**22 April 2022**"), answer.text
    row = answer.citations[0]
    assert row.locator == "S/2022/899 附件三 第6行"
    assert "博茨瓦纳" in row.quote and "2022年4月22日" in row.quote
    assert "博茨瓦纳 (Botswana)" in answer.text  # names in both languages
    assert "annex III, row 6" in answer.text
    assert_grounded(answer)


@pytest.mark.parametrize(("question", "refusal"), [
    ("印度的国家执行行动计划是哪天提交给委员会的？", "所提供的委员会记录中没有"),
    ("印度 自愿国家执行行动计划 提交日期", "所提供的委员会记录中没有"),
    ("When did India give the Committee its national implementation action plan?",
     "The committee records provided do not answer"),
])
def test_silent_records_give_a_plain_refusal_and_nearest_passages(
        shared_index: Assistant, question: str, refusal: str):
    answer = shared_index.ask(question)
    assert not answer.supported
    assert answer.citations == []
    assert answer.text.startswith(refusal), answer.text
    assert answer.see_also and all(c.quote in c.passage for c in answer.see_also)


@pytest.mark.parametrize("question", [
    "Egypt's voluntary national action plan: when was it submitted?",
    "On what date did Egypt hand in a national implementation action plan?",
    "When was Egypt's national implementation action plan submitted to the 1540 Committee?",
])
def test_a_state_the_annex_does_not_list_is_not_answered_from_another_annex(
        shared_index: Assistant, question: str):
    # Annex I lists Egypt's national reports; annex III (action plans) does not list Egypt.
    answer = shared_index.ask(question)
    assert not answer.supported and answer.citations == []
    assert "annex III does not list Egypt" in answer.text
    assert [c.locator for c in answer.see_also] == ["S/2022/899 附件一 第51行"]


@pytest.mark.parametrize("question", [
    "信托基金里的自愿捐款一共有多少钱？",
    "How much money in voluntary contributions does the trust fund hold?",
    "信托基金 自愿捐款 金额",
])
def test_an_amount_of_money_is_not_answered_by_a_count(shared_index: Assistant,
                                                       question: str):
    # "该信托基金掌握10个会员国……的捐款" counts donors; the records give no sum of money.
    assert not shared_index.ask(question).supported


@pytest.mark.parametrize(("question", "lead"), [
    ("有几个会员国给信托基金捐了款？", "**10个**"),
    ("How many member States have contributed to the trust fund?", "**10**"),
    bug("向信托基金捐款的会员国 数目", "**10个**", reason=KEYWORDS_QUOTED),
])
def test_the_donors_to_the_trust_fund_are_counted(shared_index: Assistant, question: str,
                                                  lead: str):
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert answer.citations[0].locator == "S/2022/899 附件 第114段"


NUMBER_OF_NOTHING = "answers a count with a number that counts nothing asked (the year of " \
                    "resolution 1540 (2004), the 193 matrices) when no passage counts it"


@pytest.mark.parametrize("question", [
    "How many people visited the 1540 Committee's website in 2020?",
    bug("What was the number of hits on the Committee website during 2020?",
        reason=NUMBER_OF_NOTHING),
    bug("1540 Committee website visits 2020",
        reason="quotes an unrelated annex row for a keyword question nothing in the "
               "records answers"),
])
def test_english_refusal_when_a_key_word_is_nowhere_in_the_records(shared_index: Assistant,
                                                                   question: str):
    answer = shared_index.ask(question)
    assert not answer.supported
    assert answer.text.startswith("The committee records provided do not answer"), answer.text


@pytest.mark.parametrize(("question", "lead"), [
    ("第十四个工作方案的期间是从何时到何时？", "**2015年2月1日至2016年1月31日**"),
    ("Over what period does the fourteenth programme of work of the Committee run?",
     "**1 February 2015 to 31 January 2016**"),
    bug("委员会第十四个工作方案的执行期是哪段时间？", "**2015年2月1日至2016年1月31日**",
        reason="cites the paragraph on working groups, not the one giving the period, when "
               "the period is called 执行期"),
    bug("Which months does the Committee's fourteenth programme of work span?",
        "**1 February 2015 to 31 January 2016**",
        reason="quotes the span instead of leading with it when asked which months"),
    bug("第十四个工作方案 涵盖期间", "**2015年2月1日至2016年1月31日**", reason=KEYWORDS_QUOTED),
    bug("fourteenth programme of work period", "**1 February 2015 to 31 January 2016**",
        reason=KEYWORDS_QUOTED),
])
def test_period_question_gets_the_span(shared_index: Assistant, question: str, lead: str):
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert answer.citations[0].locator == "2015-01-30 工作方案 附件 第1段"


START_FOR_END = "gives the start of a span when asked when it ends"


@pytest.mark.parametrize(("question", "lead"), [
    ("第十四个工作方案所述期间至何时结束？", "**2016年1月31日**"),
    bug("第十四个工作方案到哪天为止？", "**2016年1月31日**", reason=START_FOR_END),
    bug("When does the fourteenth programme of work end?", "**31 January 2016**",
        reason=START_FOR_END),
    bug("第十四个工作方案 截止日期", "**2016年1月31日**", reason=START_FOR_END),
])
def test_until_question_gets_the_end_of_the_span(shared_index: Assistant, question: str,
                                                 lead: str):
    assert_leads_with(shared_index.ask(question), lead)


@pytest.mark.parametrize("question", [
    "委员会第十五个工作方案涵盖什么期间？",
    "fifteenth programme of work period",
    bug("Which period does the 15th programme of work of the Committee cover?",
        reason="reads no ordinal in '15th' and answers with the fourteenth programme's period"),
])
def test_a_programme_of_work_the_records_do_not_hold_is_refused(shared_index: Assistant,
                                                                question: str):
    # The records hold the fourteenth programme of work, not the fifteenth.
    assert not shared_index.ask(question).supported


WIESBADEN_EVENTS = "takes the number of events with industry (两次) for a number of participants"


@pytest.mark.parametrize("question", [
    bug("How many industry representatives took part in the Wiesbaden regional conference held "
        "in New Delhi in 2018?", reason=WIESBADEN_EVENTS),
    "2018 年在新德里举行的威斯巴登区域会议有多少名业界代表参加？",
    bug("Wiesbaden conference New Delhi 2018 number of industry participants",
        reason=WIESBADEN_EVENTS),
])
def test_a_count_of_something_else_does_not_answer_how_many(shared_index: Assistant,
                                                            question: str):
    # The 2018 review counts events with industry (两次) and dates them ("4月10日至17日"):
    # neither is a number of participants.
    assert not shared_index.ask(question).supported


@pytest.mark.parametrize("question", [
    "Whose signature is on the letter that transmitted the 2018 review?",
    "Who signed the cover letter of the 2018 annual review?",
    "转递 2018 年审查报告的信由谁签署？",
    bug("2018 年审查报告的转递信是谁签的？",
        reason="cites the letter's opening sentence before the signature that answers"),
])
def test_who_signed_a_letter_is_answered_from_its_signature(shared_index: Assistant,
                                                            question: str):
    answer = shared_index.ask(question)
    assert answer.supported, question
    first = answer.citations[0]
    assert "萨查·塞尔吉奥·略伦蒂·索利斯(签名)" in first.quote
    # The signature is cited with the letter it closes.
    assert first.locator == "S/2018/1178 信函 第1–3段"
    assert "随函转递" in first.passage
    assert_grounded(answer)


@pytest.mark.parametrize("question", [
    "转递 2020 年主席通报的委员会主席叫什么名字？",
    "2020 年主席通报是哪位主席转递的？",
    "Who was the Committee Chair that transmitted the 2020 briefing?",
])
def test_a_name_asked_is_answered_by_a_sentence_that_names_a_person(shared_index: Assistant,
                                                                    question: str):
    named = shared_index.ask(question)
    assert named.supported
    assert "迪安·特里安夏·查尼(签名)" in named.citations[0].quote
    assert_grounded(named)


NO_PERSON = "answers 'who' with a sentence that names no person"


@pytest.mark.parametrize("question", [
    "What is the name of the Africa regional coordinator the Office for Disarmament Affairs "
    "appointed in March 2021?",
    bug("Who is the regional coordinator for Africa that UNODA appointed in March 2021?",
        reason=NO_PERSON),
    bug("裁军事务厅 2021 年 3 月任命的非洲区域协调员是谁？", reason=NO_PERSON),
])
def test_a_name_is_not_answered_by_a_sentence_that_names_nobody(shared_index: Assistant,
                                                                question: str):
    # The review says when the Office appointed its coordinator for Africa, not who it was.
    assert not shared_index.ask(question).supported


ANNEX_VIII_ZH = "does not read annex VIII's IAEA row when a Chinese question counts its " \
                "members with 几个 or without a question word"


@pytest.mark.parametrize(("question", "lead", "field", "cited"), [
    # Annex VIII: one row per treaty, one column per year (2011, 2016, 2022).
    pytest.param("How many member States did the IAEA have in 2022 according to annex VIII?", "**175**",
        "locator", "S/2022/899 附件八"),
    bug("根据附件八，2022 年国际原子能机构共有几个成员国？", "**175**", "locator", "S/2022/899 附件八",
        reason=ANNEX_VIII_ZH),
    ("2022 年原子能机构成员国数目（附件八）", "**175**", "locator", "S/2022/899 附件八"),
    # The row prints the convention's full title; the question its short name.
    ("How many States were party to the Chemical Weapons Convention in 2011 and 2022, per "
     "Annex VIII?", "**2011: 188; 2022: 193**", "locator", "S/2022/899 附件八"),
    # A statement numbers its points "一是……二是……三是……": the last says how many.
    ("中方在 2020 年发言中就全面审议提了几条建议？", "**三点**", "quote", "三是"),
    ("中国发言 全面审议 建议 几点", "**三点**", "quote", "三是"),
    ("How many suggestions did China make on the comprehensive review in its 2020 "
     "statement?", "**3**", "quote", "三是"),
    bug("How many proposals for the comprehensive review did China put forward in 2020?",
        "**3**", "quote", "三是", reason=NUMBER_OF_NOTHING),
])
def test_a_figure_read_from_a_table_column_or_a_list_of_points(
        shared_index: Assistant, question: str, lead: str, field: str, cited: str):
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert getattr(answer.citations[0], field).startswith(cited)


@pytest.mark.parametrize(("question", "lead"), [
    # "23次正式会议、17次非正式会议": the figure is the one before what is counted.
    ("在 2022 年全面审查的报告期内，委员会开了几次正式会议？", "**23次**"),
    ("How many formal meetings did the Committee hold during the period covered by the "
     "2022 review?", "**23**"),
    # Not the "1540" of a footnote's web address (www.un.org/en/sc/1540/index.shtml).
    ("2022 年公开磋商中有多少个会员国作了发言？", "**60个**"),
    ("有多少个会员国在 2022 年的公开磋商上发言？", "**60个**"),
    bug("How many member States took the floor at the 2022 open consultations?", "**60**",
        reason="does not match 'took the floor' to 作了发言 and refuses"),
    # "124个国家表示支持……比2016年的85个": not the figure of a year not asked about.
    ("到 2022 年 6 月 2 日，支持《放射源进出口导则》附编的国家有几个？", "**124个**"),
    ("How many States had expressed support for the supplementary guidance on the import and "
     "export of radioactive sources as of 2 June 2022?", "**124**"),
    # "共44 004项可能采取的措施": thousands printed with a space.
    ("What is the total number of possible measures covered by the matrices updated in 2019 "
     "and 2020?", "**44,004**"),
    ("2019–2020 年更新的汇总表一共涵盖多少项可能采取的措施？", "**44 004项**"),
    # Two things asked, each answered; "193" is the question's own figure.
    bug("委员会哪个月审完了全部 193 个汇总表，又公布了几个更新后的汇总表？", "**2020年12月；190个**",
        reason="answers only the second of two questions when the first asks 哪个月"),
    # "根据第2572(2021)号决议……延长至2022年2月28日，后又根据第2622(2022)号决议延长至
    # 2022年11月30日": the date of the resolution named.
    ("根据第 2622(2022)号决议，委员会任务期限延至何日？", "**2022年11月30日**"),
    ("Until what date did resolution 2622 (2022) extend the Committee's mandate?",
     "**30 November 2022**"),
    # Two years, two documents: 2015's figure in the 2015 programme of work, 2022's in the
    # review, where "从2016年的17个减至8个" leaves 8 (17 is 2016's, the 9 that reported are
    # not what remains).
    bug("尚未提交第一次报告的会员国，在 2015 年工作方案中有几个，2022 年全面审查时又剩几个？",
        "**20个；8个** [1] [2]",
        reason="takes the 61 States that submitted only a first report for the 8 that have "
               "submitted none"),
    # One figure asked of two documents: each document's, oldest first, each cited.
    bug("Between the 2018 review and the 2020 Chair's briefing, how did the count of States "
        "with 1540 points of contact change?", "**106; 119** [1] [2]",
        reason="quotes a sentence on points of contact instead of each document's figure "
               "when asked how the count changed"),
    # "2019年10月29-30日": the days of the visit, not just its month.
    bug("On which dates did the Committee visit the Solomon Islands at their invitation, and "
        "where?", "**29–30 October 2019**",
        reason="quotes annex XIX's row instead of leading with the dates when asked 'on "
               "which dates'"),
    # Annex XXI asked the other way: the years whose cell names the state.
    ("In which years did Peru coordinate working group 1 according to Annex XXI?",
     "**2018, 2019**"),
    # Annex XXI: one column per year; the cell of the year asked.
    ("In 2022, which country coordinated the first working group, according to annex XXI?",
     "**Brazil**"),
    ("Annex XXI: coordinator of working group 1 in 2022", "**Brazil**"),
])
def test_the_figure_date_or_name_of_what_is_asked(shared_index: Assistant, question: str,
                                                  lead: str):
    assert_leads_with(shared_index.ask(question), lead)


SPLIT_WHOLE = "splits a question one annex row answers whole and answers its second part " \
              "from the extractive reader (backend records+extractive)"
NOT_REPORTED = ["S/2022/899 附件二 第3行", "S/2022/899 附件五 第42行", "S/2022/899 附件二 第5行",
                "S/2022/899 附件五 第53行", "S/2022/899 附件二 第7行", "S/2022/899 附件五 第80行"]


@pytest.mark.parametrize(("question", "lead", "locators"), [
    # States in annex II and annex V: each cited to its row in both.
    ("截至 2022 年 6 月 2 日，哪些会员国还没有提交国家报告却已经提交了联络人？",
     "**3个：斯威士兰、几内亚、毛里塔尼亚** [1] [3] [5]", NOT_REPORTED),
    ("Which States that had not submitted a national report by 2 June 2022 had nonetheless "
     "named a point of contact?", "**3: Eswatini, Guinea, Mauritania** [1] [3] [5]",
     NOT_REPORTED),
    # The organisations' points of contact are annex VI: its last row counts them.
    ("附件六里有几个国际、区域和次区域组织提交了联络人？", "**22**", ["S/2022/899 附件六 第22行"]),
    ("How many international, regional and subregional organizations in annex VI have "
     "provided points of contact?", "**22**", ["S/2022/899 附件六 第22行"]),
    # The earliest of the annex's dates, and whose it is.
    bug("附件三中哪个国家最早提交了自愿国家执行行动计划？是哪天？", "**美利坚合众国，2007年4月20日**",
        ["S/2022/899 附件三 第36行"], reason=SPLIT_WHOLE),
    bug("Which State in annex III was the first to submit a voluntary national implementation "
        "action plan, and when?", "**United States of America, 20 April 2007**",
        ["S/2022/899 附件三 第36行"], reason=SPLIT_WHOLE),
])
def test_records_answer_across_annexes_and_at_the_end_of_a_list(
        shared_index: Assistant, question: str, lead: str, locators: list[str]):
    answer = shared_index.ask(question)
    assert answer.backend == "records"
    assert_leads_with(answer, lead)
    assert [c.locator for c in answer.citations] == locators


@pytest.mark.parametrize("question", [
    "Per the 2018 review, which organizations answered Iraq's request for assistance?",
    "根据 2018 年审查报告，哪些组织回应了伊拉克的援助请求？",
    "2018 review: organizations that responded to Iraq's assistance request",
])
def test_records_of_one_document_do_not_answer_for_another(shared_index: Assistant,
                                                           question: str):
    # S/2022/899's annex IV lists Iraq's request; the 2018 review says who responded.
    answer = shared_index.ask(question)
    assert answer.backend == "extractive"
    assert answer.citations[0].locator == "S/2018/1178 附件 第19段"
    assert "世界海关组织" in answer.citations[0].quote



@pytest.mark.parametrize(("question", "quoted"), [
    # The sentence that introduces the list is quoted with it, and nothing else.
    ("哪些国家在 2018 年提出了新的援助请求？", ["9项新的援助请求", "这些请求来自巴林、布隆迪"]),
    pytest.param("Which States made new requests for assistance in 2018?",
        ["9项新的援助请求", "这些请求来自巴林、布隆迪"]),
    # "除访问马里外": the sentence listing the other states, not a row about Mali.
    ("2018 年，除马里以外委员会还访问了哪些国家？", ["巴林、赤道几内亚、圭亚那、秘鲁、苏里南和赞比亚"]),
    pytest.param("Apart from Mali, which countries did the Committee visit in 2018?",
        ["巴林、赤道几内亚、圭亚那、秘鲁、苏里南和赞比亚"]),
    # "这是全球的第三次同行审查" says it of the sentence before it: quoted together.
    bug("What did the 2018 review say was special about the peer review between Chile and "
        "Colombia, globally and in its region?", ["智利和哥伦比亚", "西半球的第一次审查"],
        reason="quotes the sentence on the briefing without the one after it saying the review "
               "was the third globally and the first in the hemisphere"),
    # What the question sets aside (the core theme) is not what it asks for.
    bug("除了会员国执行情况这个核心主题，全面审查还要涉及哪三个主题？", ["其他三个主题", "外联"],
        reason="quotes the sentence naming the core theme the question sets aside"),
    bug("Besides the core theme of implementation by member States, which three other themes "
        "will the comprehensive review address?", ["其他三个主题", "外联"],
        reason="refuses when the three themes are asked for in English"),
    # Two questions, one sentence that answers both.
    bug("In which area do member States most often request assistance, and what comes next?",
        ["能力建设和技术援助", "其次是设备"],
        reason="quotes the summary's sentence naming only the first area, not the one that "
               "also gives the second"),
    bug("会员国提出援助请求最多的是哪个领域？排第二的是什么？", ["能力建设和技术援助", "其次是设备"],
        reason="quotes the summary's sentence and another paragraph, not the one sentence "
               "that gives both the first and the second area"),
])
def test_one_quote_when_one_sentence_answers(shared_index: Assistant, question: str,
                                             quoted: list[str]):
    answer = shared_index.ask(question)
    assert len(answer.citations) == 1, answer.text
    assert all(words in answer.citations[0].quote for words in quoted)
    assert_grounded(answer)


PACIFIC_ROWS = "cites annex XVIII's rows on other seminars, not the Chair's paragraph naming " \
               "who held the Pacific one, when the question is in English"


@pytest.mark.parametrize("question", [
    "2020 年主席通报中，在裁军事务厅支持下为太平洋区域举办区域议会研讨会的是哪些机构？",
    "According to the Chair's 2020 briefing, who organized the Pacific regional "
    "parliamentary seminar supported by UNODA?",
    bug("Pacific regional parliamentary seminar 2020 briefing organizers", reason=PACIFIC_ROWS),
])
def test_a_row_followed_by_sentences_begins_no_list_of_rows(shared_index: Assistant,
                                                            question: str):
    # An annex XVIII row may rank first; the Chair's paragraph says who held the seminar,
    # and the answer does not go on into a list of rows.
    answer = shared_index.ask(question)
    assert 1 <= len(answer.citations) <= 2, answer.text
    assert any("各国议会联盟和新西兰议会" in c.quote for c in answer.citations)
    assert_grounded(answer)


@pytest.mark.parametrize("question", [
    "根据 2022 年全面审查，1540 委员会的秘书由哪个部门提供？",
    bug("Which department does the Secretary of the Committee come from, according to "
        "S/2022/899?", reason="cites annex VI's row on a 'security sector programme' (安全部门方案) "
                              "for 'department'"),
    bug("Per the 2022 review, which UN department supplies the 1540 Committee's Secretary?",
        reason="cites a paragraph on the Inter-Parliamentary Union when the Secretary is "
               "'supplied'"),
])
def test_which_department_is_answered_by_the_sentence_naming_one(shared_index: Assistant,
                                                                 question: str):
    # The records never say "部门": the Department is named (政治和建设和平事务部).
    answer = shared_index.ask(question)
    assert answer.citations[0].locator == "S/2022/899 附件 第6段"
    assert "政治和建设和平事务部" in answer.citations[0].quote
    assert_grounded(answer)


@pytest.mark.parametrize(("question", "lead"), [
    # Named in another document, found in the chairs' paragraph of S/2022/899.
    bug("Ambassador 钱宁, thanked in China's 2020 statement for his briefing: which country "
        "does he represent, and when did he chair the Committee?",
        "**钱宁 (Indonesia), 1 January 2019 to 31 December 2020** [1]",
        reason="answers with the date of China's note when a chair named in another "
               "document is asked about"),
    # The Chair of the year of the review that Chair transmitted.
    ("签署 2018 年审查报告转递信的那位主席，任期从哪天到哪天？",
     "**萨查·塞尔吉奥·略伦蒂·索利斯（多民族玻利维亚国），2017年1月1日至2018年12月31日** [1]"),
    ("What were the dates of the term of the Chair who transmitted the 2018 review?",
     "**萨查·塞尔吉奥·略伦蒂·索利斯 (Bolivia (Plurinational State of)), 1 January 2017 to "
     "31 December 2018** [1]"),
    # The list opens with the reporting period, not with this Chair's term.
    ("Who chaired the 1540 Committee in 2016?",
     "**罗曼·奥亚尔孙·马切西 (Spain), 25 April 2016 (start of the reporting period) to "
     "31 December 2016** [1]"),
    bug("谁在 2016 年担任 1540 委员会主席？", "**罗曼·奥亚尔孙·马切西",
        reason="refuses a Chinese question on who chaired in a year"),
    bug("1540 Committee chair 2016",
        "**罗曼·奥亚尔孙·马切西 (Spain), 25 April 2016 (start of the reporting period) to "
        "31 December 2016** [1]",
        reason="quotes annex XXII's row of a 2016 letter for a keyword question on the chair"),
])
def test_a_chairs_term_and_country_come_from_the_chairs_record(
        shared_index: Assistant, question: str, lead: str):
    answer = shared_index.ask(question)
    assert answer.backend == "records"
    assert_leads_with(answer, lead)
    assert [c.locator for c in answer.citations] == ["S/2022/899 附件 第4段"]
    assert answer.citations[0].title.startswith("2022年11月29日安全理事会第1540(2004)号决议")


ZH_PREMISE_LOST = "takes the 法国 of a Chinese premise for the subject and answers with the " \
                  "date of France's first national report"


@pytest.mark.parametrize(("question", "lead", "locator"), [
    # The premise names the expert; what is asked is read on its own, its year (2018)
    # being the review's, not the year asked.
    ("The 2018 review says Raphael Prenat (France) coordinated the Group of Experts. According "
     "to S/2022/899, when did his service end?", "**31 December 2019**",
     "S/2022/899 附件二十 第10行"),
    bug("2018 年审查报告提到法国的 Raphael Prenat 担任专家组协调员。根据 S/2022/899，他任职到什么时候？",
        "**2019年12月31日**", "S/2022/899 附件二十 第10行", reason=ZH_PREMISE_LOST),
    ("The Chair's 2020 briefing mentions a visit to Kuwait at its invitation. When and where "
     "did that visit take place, per annex XIX of S/2022/899?", "**12–13 June 2019",
     "S/2022/899 附件十九 第20行"),
    ("2020 年主席通报说委员会应邀访问过科威特。附件十九记载这次访问是在什么时候、什么地方？",
     "**2019年6月", "S/2022/899 附件十九 第20行"),
])
def test_a_premise_is_context_for_the_question_after_it(shared_index: Assistant, question: str,
                                                        lead: str, locator: str):
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert answer.citations[0].locator == locator


@pytest.mark.parametrize(("question", "backend", "lead", "locator"), [
    # Named by its symbol: the date annex XXII gives it, cited to its row.
    ("On what date was resolution 2325 (2016) adopted?", "records", "**15 December 2016**",
     "S/2022/899 附件二十二 第7行"),
    ("第 2325(2016)号决议是哪天通过的？", "records", "**2016年12月15日**",
     "S/2022/899 附件二十二 第7行"),
    ("On what date was the seventeenth programme of work (S/2018/340) issued?", "records",
     "**13 April 2018**", "S/2022/899 附件二十二 第18行"),
    ("S/2018/340 号文件（第十七个工作方案）何时印发？", "records", "**2018年4月13日**",
     "S/2022/899 附件二十二 第18行"),
    # "according to the 2018 review": from the review, not from the annex of another document.
    ("According to the 2018 review, when was resolution 2325 (2016) adopted?", "extractive",
     "**15 December 2016**", "S/2018/1178 附件 第1段"),
    bug("2018 年审查报告说第 2325(2016)号决议在哪一天获得通过？", "extractive", "**2016年12月15日**",
        "S/2018/1178 附件 第1段",
        reason="answers from annex XXII of S/2022/899 when a Chinese question names the 2018 "
               "review as its source without 根据"),
])
def test_when_a_document_named_by_its_symbol_was_issued(
        shared_index: Assistant, question: str, backend: str, lead: str, locator: str):
    answer = shared_index.ask(question)
    assert answer.backend == backend
    assert_leads_with(answer, lead)
    assert [c.locator for c in answer.citations] == [locator]


@pytest.mark.parametrize("question", [
    "Who chaired the 1540 Committee in 2023?",
    "2023 年 1540 委员会主席是谁？",
    "Who will chair the 1540 Committee in 2024?",
])
def test_no_chair_is_named_past_the_date_of_the_record(shared_index: Assistant, question: str):
    # "自2021年1月1日起" was true on 29 November 2022, the date of S/2022/899.
    assert not shared_index.ask(question).supported


@pytest.mark.parametrize(("question", "country"), [
    ("From 2016 to 2022, which country coordinated the Committee's working group 2?", "France"),
    bug("working group 2 coordinator country 2016-2022", "France",
        reason="quotes annex XXI's row 1 for a keyword question naming working group 2 (since "
               "the ranker was refitted with sentence closeness)"),
    bug("2016 年至 2022 年，1540 委员会第二工作组由哪个国家协调？", "法国",
        reason="does not read 第二工作组 as annex XXI's row 2 and quotes an annex XVIII row"),
])
def test_which_country_is_answered_by_a_row_that_names_one(shared_index: Assistant,
                                                           question: str, country: str):
    # "working group 2" is not the "2" of 2016 or 2022; annex XVIII's "工作组" row names no
    # state.
    answer = shared_index.ask(question)
    assert answer.citations[0].locator == "S/2022/899 附件二十一 第2行"
    assert country in answer.text.splitlines()[0]


@pytest.mark.parametrize(("question", "lead"), [
    ("According to the 2015 programme of work, how often must the Committee be updated on "
     "requests for and offers of assistance?", "**at least once a quarter**"),
    bug("按照工作方案，委员会至少多久要收到一次关于援助请求和援助提供情况的最新资料？",
        "**不少于每季度一次**",
        reason="refuses 'how often' asked as 多久……一次"),
    bug("How frequently, at minimum, is the Committee to be updated on assistance requests and "
        "offers under the 2015 programme of work?", "**at least once a quarter**",
        reason="quotes the first part of the paragraph, not item (g) with the rate, when "
               "asked 'how frequently'"),
    bug("援助请求和援助提供 最新资料 频率", "**不少于每季度一次**",
        reason="quotes the 2018 review's quarterly updates instead of the programme of "
               "work's rate for a keyword question"),
])
def test_how_often_gets_the_rate(shared_index: Assistant, question: str, lead: str):
    assert_leads_with(shared_index.ask(question), lead)


@pytest.mark.parametrize("question", [
    "During the 2018 reporting period, how many new Group of Experts members began their "
    "duties?",
    "2018 年审查所述期间，有几名新的专家组成员开始履职？",
    "How many new experts joined the Group of Experts in the period of the 2018 review?",
])
def test_a_sentence_without_a_year_speaks_of_its_documents_year(shared_index: Assistant,
                                                                question: str):
    # "此外，有六名专家组新成员在本报告所述期间履职。": the 2018 review names no year there.
    answer = shared_index.ask(question)
    assert answer.supported
    assert "六名专家组新成员" in answer.citations[0].quote
    assert_grounded(answer)


@pytest.mark.parametrize("question", [
    "Up to what date was Lü Xiaodong (吕晓东) a member of the Group of Experts?",
    "When did the Chinese expert 吕晓东 (Lü Xiaodong) leave the Group of Experts?",
    ("Lü Xiaodong (吕晓东) Group of Experts: serving until when?"),
])
def test_an_english_question_quoting_a_chinese_name_is_english(shared_index: Assistant,
                                                               question: str):
    answer = shared_index.ask(question)
    assert answer.language == "en"
    # The name is searched in the form the records print: annex XX's row for him.
    shown = answer.citations or answer.see_also
    assert any("吕晓东  中国，至2017年10月28日" in c.quote for c in shown)


@pytest.mark.parametrize("question", [
    "中方发言的第三点建议，要求慎重地提出什么？",
    "What does the third suggestion in China's 2020 statement say should be proposed with "
    "caution?",
    "中方 第三点建议 慎重提出",
])
def test_the_point_of_a_statement_asked_by_its_number(shared_index: Assistant, question: str):
    # China's statement numbers its suggestions "一是……二是……三是……".
    answer = shared_index.ask(question)
    assert answer.citations[0].quote.startswith("三是")
    assert "慎重提出关于加强决议执行新措施的建议" in answer.citations[0].quote
    assert_grounded(answer)


LEFTOVER_WORDS = "keeps the follow-up's leftover words in the question it resolves"


@pytest.mark.parametrize(("first", "first_lead", "follow", "resolved", "lead"), [
    ("2018 年委员会收到几项新的援助请求？", "**9项**", "2017 年呢？",
     "2017 年委员会收到几项新的援助请求？", "**3项**"),
    bug("2018 年委员会收到几项新的援助请求？", "**9项**", "2017 年又是多少？",
        "2017 年委员会收到几项新的援助请求？", "**3项**",
        reason="does not carry the question over when the follow-up asks 又是多少"),
    bug("各国在 2018 年一共提交了几项新的援助请求？", "**9项**", "2017 年的呢？",
        "各国在 2017 年一共提交了几项新的援助请求？", "**3项**", reason=LEFTOVER_WORDS),
    bug("How many new assistance requests did States submit to the Committee in 2018?", "**9**",
        "And for 2017?",
        "How many new assistance requests did States submit to the Committee in 2017?", "**3**",
        reason="answers 6 from a sentence on the 2017 assistance template"),
    ("委员会 2019 年收到的新援助请求有多少份？", "**12份**", "那 2018 年呢？",
     "委员会 2018 年收到的新援助请求有多少份？", "**9项**"),
])
def test_follow_up_replaces_the_year(shared_index: Assistant, first: str, first_lead: str,
                                     follow: str, resolved: str, lead: str):
    assert_leads_with(shared_index.ask(first), first_lead)
    answer = shared_index.ask(follow, history=[first])
    assert answer.resolved_question == resolved
    assert answer.supported
    assert_leads_with(answer, lead)


@pytest.mark.parametrize(("first", "follow", "resolved"), [
    ("在 S/2022/899 中，西欧和其他国家集团采取了可能措施的百分之几？", "那么非洲集团呢？",
     "在 S/2022/899 中，非洲集团采取了可能措施的百分之几？"),
    ("S/2022/899 中西欧和其他国家集团采取的措施比例是多少？", "那非洲集团呢？",
     "S/2022/899 中非洲集团采取的措施比例是多少？"),
    ("In S/2022/899, what share of the possible measures had the Western European and Other "
     "States Group taken?", "What about the African Group?",
     "In S/2022/899, what share of the possible measures had the African Group taken?"),
    bug("S/2022/899 里西欧和其他国家集团采取措施的比例是多少？", "非洲集团的比例呢？",
        "S/2022/899 里非洲集团采取措施的比例是多少？", reason=LEFTOVER_WORDS),
])
def test_follow_up_replaces_a_term_of_the_same_kind(shared_index: Assistant, first: str,
                                                    follow: str, resolved: str):
    answer = shared_index.ask(follow, history=[first])
    assert answer.resolved_question == resolved
    assert_leads_with(answer, "**38%**")


@pytest.mark.parametrize(("first", "follow", "resolved", "lead"), [
    pytest.param("According to annex XXI, who coordinated working group 1 in 2022?",
        "And working group 3?",
        "According to annex XXI, who coordinated working group 3 in 2022?", "**Kenya**"),
    bug("Which State coordinated working group 1 in 2022, per Annex XXI?",
        "What about working group 3 in the same year?",
        "Which State coordinated working group 3 in 2022, per Annex XXI?", "**Kenya**",
        reason=LEFTOVER_WORDS),
    bug("Per annex XXI, which State coordinated working group 1 in 2022?", "Working group 3?",
        "Per annex XXI, which State coordinated working group 3 in 2022?", "**Kenya**",
        reason="does not take a bare noun phrase with a number as a follow-up"),
    bug("根据附件二十一，2022 年第 1 工作组的协调国是哪个？", "那第 3 工作组呢？",
        "根据附件二十一，2022 年第 3 工作组的协调国是哪个？", "**肯尼亚**",
        reason="appends 第 3 工作组 instead of renumbering 第 1 工作组, and answers Brazil"),
])
def test_follow_up_renumbers_what_it_names(shared_index: Assistant, first: str, follow: str,
                                           resolved: str, lead: str):
    answer = shared_index.ask(follow, history=[first])
    assert answer.resolved_question == resolved
    assert_leads_with(answer, lead)


@pytest.mark.parametrize(("first", "follow", "where"), [
    # The place (全面审查摘要) says where; 联络人通知 is what is counted, and what the
    # follow-up replaces.
    ("在 2022 年全面审查的摘要里，联络人通知数目从 2016 年的多少增至多少？", "自愿国家执行行动计划呢？",
     "全面审查的摘要"),
    ("2022 年全面审查的摘要中，联络人通知从 2016 年的多少增加到了多少？", "那国家执行行动计划呢？",
     "全面审查的摘要"),
    bug("2022 年全面审查摘要说联络人通知从 2016 年的几份增加到几份？", "国家行动计划呢？", "全面审查摘要",
        reason="replaces the verb 增加 instead of the term counted"),
    bug("全面审查摘要中，2016 年到 2022 年联络人通知数目增加了多少？", "那国家执行行动计划的数目呢？",
        "全面审查摘要", reason="appends the follow-up instead of replacing 联络人通知"),
])
def test_follow_up_replaces_the_term_asked_about(shared_index: Assistant, first: str,
                                                 follow: str, where: str):
    answer = shared_index.ask(follow, history=[first])
    resolved = answer.resolved_question or ""
    assert where in resolved and "联络人" not in resolved
    assert "行动计划" in resolved
    assert "从2016年的26份增加到2022年的46份" in answer.citations[0].quote


@pytest.mark.parametrize(("first", "follow", "resolved"), [
    ("哪个国家于 2017 年 8 月 1 日向委员会请求援助？", "它请求了哪些援助？", "伯利兹请求了哪些援助？"),
    ("2017 年 8 月 1 日是哪个国家向委员会提出援助请求的？", "它请求了什么？", "伯利兹请求了什么？"),
    ("Which country submitted an assistance request to the Committee on 1 August 2017?",
     "What did it ask for?", "What did Belize ask for?"),
])
def test_a_reference_to_the_country_answered_names_it(shared_index: Assistant, first: str,
                                                      follow: str, resolved: str):
    conversation = shared_index.conversation()
    answer = conversation.ask(first)
    assert "伯利兹" in answer.citations[0].quote
    then = conversation.ask(follow)
    assert then.resolved_question == resolved
    assert "协助购置4架侦察机" in then.citations[0].quote
    assert_grounded(then)


@pytest.mark.parametrize(("first", "follow"), [
    ("What period does the Committee's fourteenth programme of work cover?", "Who transmitted it?"),
    ("委员会第十四个工作方案涵盖的是哪段时间？", "这个方案由谁转递给安理会？"),
    bug("第十四个工作方案的期间是从何时到何时？", "这份工作方案是谁转递的？",
        reason="cites the programme's first paragraph, not the signature of its letter"),
])
def test_who_transmitted_a_document_is_the_signature_of_its_letter(shared_index: Assistant,
                                                                   first: str, follow: str):
    answer = shared_index.ask(follow, history=[first])
    assert any("罗曼·奥亚尔顺·马切西(签名)" in c.quote for c in answer.citations)
    assert_grounded(answer)


@pytest.mark.parametrize("question", [
    "到 2022 年 6 月 2 日，还有哪些会员国没有提交报告？",
    "Which member States had still not submitted a report as of 2 June 2022?",
    bug("截至 2022 年 6 月 2 日 未提交报告的会员国",
        reason="quotes one row of annex II instead of listing all of it for a keyword question"),
])
def test_the_states_that_have_not_reported_are_all_of_annex_ii(shared_index: Assistant,
                                                               question: str):
    answer = shared_index.ask(question)
    assert answer.backend == "records"
    assert [c.locator for c in answer.citations] == [
        f"S/2022/899 附件二 第{n}行" for n in range(1, 9)]
    assert_grounded(answer)


@pytest.mark.parametrize(("first", "follow", "lead"), [
    # The symbol is no year asked about: Argentina's reports are counted in every year.
    pytest.param("According to annex I of S/2022/899, how many reports has Argentina submitted?",
        "When was the latest one?", "**10 July 2020**"),
    ("根据 S/2022/899 附件一，阿根廷一共提交了几份报告？", "最近一次是什么时候？", "**2020年7月10日**"),
    bug("How many national reports did Argentina submit, per annex I of S/2022/899?",
        "And when did it submit the most recent?", "**10 July 2020**",
        reason="appends the follow-up to the count question and answers the count again"),
])
def test_the_most_recent_of_a_states_dates(shared_index: Assistant, first: str, follow: str,
                                           lead: str):
    assert_leads_with(shared_index.ask(first), "**6**")
    assert_leads_with(shared_index.ask(follow, history=[first]), lead)


@pytest.mark.parametrize(("question", "lead"), [
    ("按照 2015 年工作方案，委员会每年要在什么时候之前向安理会提交年度工作方案？", "**5月底**"),
    bug("Under the 2015 programme of work, what is the yearly deadline for the Committee to "
        "submit its annual programme of work to the Security Council?", "**the end of May**",
        reason="quotes the sentence instead of leading with the time when asked for a "
               "'deadline'"),
    bug("annual programme of work submission deadline to the Security Council, 2015 programme "
        "of work", "**the end of May**", reason=KEYWORDS_QUOTED),
])
def test_a_time_of_every_year_is_no_date(shared_index: Assistant, question: str, lead: str):
    assert_leads_with(shared_index.ask(question), lead)


def test_conversation_is_saved_and_resumed(shared_index: Assistant):
    first = "On what date did Botswana hand in its voluntary national implementation action plan?"
    conversation = shared_index.conversation()
    conversation.ask(first)
    answer = conversation.ask("What about Mongolia?")
    assert answer.conversation_id == conversation.id
    assert "2022年4月25日" in answer.text or "25 April 2022" in answer.text
    resumed = shared_index.conversation(conversation.id)
    assert [t.question for t in resumed.turns] == [first, "What about Mongolia?"]
    assert any(info.id == conversation.id and info.turns == 2
               for info in shared_index.conversations())


def test_streamed_extractive_answer_comes_whole_and_the_turn_is_saved(shared_index: Assistant):
    question = "2018 年委员会收到几项新的援助请求？"
    [answer] = shared_index.ask_stream(question)  # no language model: nothing to preview
    assert isinstance(answer, Answer)
    assert answer.model_dump(exclude={"timings"}) == \
        shared_index.ask(question).model_dump(exclude={"timings"})
    conversation = shared_index.conversation()
    [first] = conversation.ask_stream(question)
    [then] = conversation.ask_stream("2017 年呢？")
    assert isinstance(then, Answer) and "3项" in then.text
    assert then.conversation_id == conversation.id
    assert [t.answer.text for t in conversation.turns] == [first.text, then.text]  # type: ignore[union-attr]


@pytest.mark.parametrize("question", ["", "   \n\t"])
def test_empty_question_is_refused_with_a_clear_error(shared_index: Assistant, question: str):
    with pytest.raises(QuestionError, match="empty"):
        shared_index.ask(question)


def test_answers_json_round_trips(shared_index: Assistant):
    answer = shared_index.ask("委员会 2019 年收到的新援助请求有多少份？")
    again = Answer.model_validate_json(answer.model_dump_json())
    assert again == answer
    assert again.timings.total_ms > 0 and again.backend == "extractive"


# A bar chart of S/2022/899 (annexes IX-XVII) is read as a table: a row per measure, a
# column per series (立法, 执行); the answer is the cell at the row found and the column named.
@pytest.mark.parametrize(("question", "lead", "row"), [
    ("附件十一中，生物武器 制造 的执行比例是多少？", "**67% (+12%)**", "制造"),
    ("附件十 化学武器 拥有 立法 比例", "**87% (+8%)**", "拥有"),
    ("根据附件十四，生物武器相关材料的运输衡算措施，立法和执行各占多少？",
     "**立法：41% (+7%)；执行：36% (+5%)**", "运输衡算措施"),
    ("附件十七里最终用户管制的执行比例是多少？", "**36% (+2%)**", "最终用户管制"),
    bug("In Annex IX, what share of States have enforcement measures on the transfer of "
        "nuclear weapons?", "**", "转移",
        reason="answers an English question on a chart from the body's paragraph on annex IX"),
])
def test_a_chart_is_answered_from_the_cell_of_the_row_and_column_asked(
        shared_index: Assistant, question: str, lead: str, row: str):
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert answer.citations[0].quote.startswith(row)


def _annex_rows(assistant: Assistant, annex: str) -> list[str]:
    """The rows of the shipped review's table in `annex`, in order."""
    from index.units import units_of

    passages = sorted((p for p in assistant.retriever().passages.values()
                       if p.kind == "table" and p.part == annex and p.symbol == "S/2022/899"),
                      key=lambda p: p.numbers)
    return [u.quote for p in passages for u in units_of(p, 0)]


def _rows_naming(assistant: Assistant, annex: str, named: list[str]) -> list[str]:
    """The rows of the shipped review's table in `annex` that print every one of `named`."""
    return [row for row in _annex_rows(assistant, annex) if all(n in row for n in named)]


# A count no sentence gives, of the rows of an annex the question names: every row that
# prints what the question names, each cited.
@pytest.mark.parametrize(("question", "annex", "named"), [
    ("附件十八中在日内瓦举行的活动有几项？", "附件十八", ["日内瓦"]),
    ("附件十八里，2017年在维也纳办了多少次活动？", "附件十八", ["维也纳", "2017年"]),
    ("How many events in Annex XVIII took place in Vienna in 2019?", "附件十八",
     ["维也纳", "2019年"]),
    ("附件三里2019年提交行动计划的国家有多少个？", "附件三", ["2019年"]),
])
def test_a_count_of_an_annex_is_every_row_naming_what_is_asked(
        shared_index: Assistant, question: str, annex: str, named: list[str]):
    rows = _rows_naming(shared_index, annex, named)
    assert len(rows) >= 2
    answer = shared_index.ask(question)
    assert_leads_with(answer, f"**{len(rows)}")
    assert sorted(c.quote for c in answer.citations) == sorted(rows)


@pytest.mark.parametrize("question", [
    "How many parties did the CPPNM have in 2022?",
    "2018年主席、委员会成员和专家一共参加了多少次外联活动？",
    "附件八中，2016年《生物武器公约》有多少个缔约国？",
])
def test_a_count_a_sentence_or_cell_gives_is_not_a_count_of_rows(shared_index: Assistant,
                                                                 question: str):
    answer = shared_index.ask(question)
    assert len(answer.citations) <= 2, answer.text


def _first_date(row: str) -> tuple[int, ...]:
    """The row's first full date; rows without one sort after every dated row."""
    import re

    day = re.search(r"(\d{4})年(\d{1,2})月(\d{1,2})", row.replace(" ", ""))
    return tuple(int(x) for x in day.groups()) if day else (9999,)


def _cell_figure(row: str, column: int) -> int:
    import re

    return int(re.match(r"\d+", re.split(r"\s{2,}", row.strip())[column]).group(0))


# A superlative over the rows of an annex the question names: the row it asks for, quoted.
@pytest.mark.parametrize(("question", "annex", "pick"), [
    ("附件十八列出的第一项活动是什么？", "附件十八", lambda rows: rows[0]),
    ("What is the last event Annex XIX lists?", "附件十九", lambda rows: rows[-1]),
    ("附件二十中最早离任的专家是谁？", "附件二十", lambda rows: min(rows, key=_first_date)),
    ("Which event in Annex XVIII was held latest?", "附件十八",
     lambda rows: max((r for r in rows if _first_date(r) < (9999,)), key=_first_date)),
    ("附件十四中执行比例最高的是哪一项？", "附件十四",
     lambda rows: max(rows, key=lambda r: _cell_figure(r, 2))),
    ("In Annex X, which activity has the lowest share of legislation?", "附件十",
     lambda rows: min(rows, key=lambda r: _cell_figure(r, 1))),
])
def test_a_superlative_over_an_annex_quotes_the_row_it_asks_for(
        shared_index: Assistant, question: str, annex: str, pick: Any):
    answer = shared_index.ask(question)
    assert answer.supported
    assert_grounded(answer)
    assert answer.citations[0].quote == pick(_annex_rows(shared_index, annex)), answer.text


# What a question asks of a document itself: the date it bears or its symbol, quoted from a
# line that prints it (its date line, or a record listing it).
@pytest.mark.parametrize(("question", "lead", "printed"), [
    ("主席2020年的通报信是什么时候发出的？", "**2020年4月29日**", "2020年4月29日"),
    ("中国代表团的普通照会是哪天发出的？", "**2020年5月5日**", "2020年5月5日"),
    ("When was the Chair's 2020 briefing letter dated?", "**29 April 2020**", "2020年4月29日"),
    ("Which UN symbol does the Committee's 2018 annual review carry?", "**S/2018/1178**",
     "S/2018/1178"),
    ("2018年审查报告的文件编号是多少？", "**S/2018/1178**", "S/2018/1178"),
])
def test_a_documents_own_date_or_symbol_is_its_metadata_quoted(
        shared_index: Assistant, question: str, lead: str, printed: str):
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert printed in answer.citations[0].quote


@pytest.mark.parametrize("question", [
    "2018年审查报告中，委员会主席是何时致函各国的？",
    "第1977(2011)号决议是哪天通过的？",
    "When did the Committee hold its open briefing mentioned in the 2018 review?",
])
def test_a_date_inside_a_document_is_not_the_documents_own(shared_index: Assistant,
                                                          question: str):
    answer = shared_index.ask(question)
    assert "2018年12月28日安全理事会" not in answer.text, answer.text


@pytest.mark.parametrize(("question", "lead"), [
    ("Of the outreach activities since 2016, how many involved academia?", "**4**"),
    ("How many of the Committee's outreach activities involved industry and professional "
     "associations?", "**10**"),
    ("Among the 226 outreach activities, how many were with parliamentarians?", "**6**"),
    ("How many of the 226 outreach activities were held with member States?", "**206**"),
])
def test_an_english_count_is_the_figure_of_what_follows_how_many(shared_index: Assistant,
                                                                   question: str, lead: str):
    """One sentence gives a figure for each kind of outreach activity; the set they are
    counted in (the outreach activities) names none of them, what follows "how many" does."""
    assert_leads_with(shared_index.ask(question), lead)


@pytest.mark.parametrize(("question", "quoted"), [
    ("The 2020 briefing says one regional training course for points of contact was held "
     "with CARICOM. With whom were the other two held?", "一次与非洲联盟合办"),
    ("The Chair's 2020 briefing mentions a training course for points of contact in Addis "
     "Ababa. Which organisation co-hosted it?", "一次与非洲联盟合办"),
    ("主席2020年通报提到与加勒比共同体合办了一次联络人培训班。另外两次是和谁合办的？", "一次与非洲联盟合办"),
    ("2018年审查报告提到专家组8月在卢萨卡参加了一个讲习班。它是和谁一起办的？", "赞比亚、委员会"),
])
def test_what_a_premise_names_is_what_the_answer_is_about(shared_index: Assistant,
                                                          question: str, quoted: str):
    """The question after a premise says little ("With whom …?"); the premise says what it
    is about, and the sentence that answers holds what the premise names."""
    answer = shared_index.ask(question)
    assert answer.supported, answer.text
    assert quoted in answer.citations[0].quote
    assert_grounded(answer)


@pytest.mark.parametrize(("question", "lead"), [
    ("自2004年以来，有多少个会员国提交了5份报告？", "**20个**"),
    ("How many member States have submitted 3 reports since 2004?", "**28**"),
    ("提交过2份报告的会员国一共有几个？", "**27个**"),
])
def test_a_count_is_the_figure_of_the_clause_with_the_figure_the_question_gives(
        shared_index: Assistant, question: str, lead: str):
    """A footnote gives, clause by clause, how many States submitted 8, 7, … 1 reports:
    the question's own figure says which clause answers."""
    assert_leads_with(shared_index.ask(question), lead)


@pytest.mark.parametrize(("question", "lead"), [
    ("Per the 2022 review, how many Latin American and Caribbean States are seeking "
     "assistance?", "**5**"),
    ("In the Latin American and Caribbean Group, how many member States sought assistance?",
     "**5**"),
    ("How many GRULAC member States are seeking assistance, according to the 2022 review?",
     "**5**"),
    bug("东欧集团有几个会员国寻求援助？", "**0**",
        reason="answers 5个 for a group whose figure is a bare 0 ('东欧集团为85%和0')"),
])
def test_a_groups_count_is_the_figure_after_its_name(shared_index: Assistant, question: str,
                                                     lead: str):
    """One sentence gives each regional group's share and count, the group named before
    its figures; the nearest figure before the name is the previous group's."""
    assert_leads_with(shared_index.ask(question), lead)


@pytest.mark.parametrize(("question", "subject", "at_least"), [
    ("给我几条关于2018年专家组参加的讲习班的要点", "讲习班", 3),
    ("Give me a few talking points on the Committee's cooperation with the Caribbean "
     "Community.", "加勒比共同体", 2),
    ("I need the key facts on the peer reviews Chile and Colombia held, for a briefing.",
     "同行审议", 3),
])
def test_a_request_for_briefing_points_gets_several_cited_points(
        shared_index: Assistant, question: str, subject: str, at_least: int):
    """Staff asking for material get the sentences and rows that bear on the subject, each
    cited once, not the one best sentence."""
    answer = shared_index.ask(question)
    assert answer.supported, answer.text
    quotes = [c.quote for c in answer.citations]
    assert len(set(quotes)) == len(quotes)
    assert sum(subject in q for q in quotes) >= at_least, quotes
    assert_grounded(answer)



@pytest.mark.parametrize(("question", "quoted"), [
    ("Has the number of press releases about the Committee changed since 2017?", "与2017年持平"),
    ("How did the number of member States answering matchmaking requests compare with the "
     "last review period?", "相比之下，上次审议期间有8个会员国"),
    ("Was the number of new assistance requests higher in 2018 than in 2017?",
     "明显高于2017收到的3项请求"),
])
def test_whether_a_number_changed_is_answered_by_the_comparison_not_one_figure(
        shared_index: Assistant, question: str, quoted: str):
    """'Did the number of … change?', 'How did it compare?': the sentence that compares,
    quoted, with no single figure stated as the answer."""
    answer = shared_index.ask(question)
    assert answer.supported, answer.text
    assert not answer.text.startswith("**"), answer.text
    assert quoted in answer.citations[0].quote
    assert_grounded(answer)


@pytest.mark.parametrize(("question", "lead"), [
    ("Chemical Weapons Convention parties 2011 2022", "**2011: 188; 2022: 193**"),
    ("制止核恐怖主义行为国际公约 缔约国 2011 2016 2022", "**2011年：77；2016年：104；2022年：118**"),
    ("核材料实物保护公约 2005年修正案 缔约国数 2011 2016 2022", "**2011年：52；2016年：103；2022年：129**"),
])
def test_a_keyword_query_naming_a_row_and_years_gets_its_cells(shared_index: Assistant,
                                                                question: str, lead: str):
    """Bare years typed one after another are years, and a row of figures under year
    columns answers a keyword query as it answers "how many"."""
    assert_leads_with(shared_index.ask(question), lead)


@pytest.mark.parametrize("question", [
    "2018年审查报告说委员会一共收到了多少份国家行动计划？2020年主席通报时又是多少份？",
    "How many States had named points of contact at the time of the 2018 review, and how many "
    "by the Chair's 2020 briefing?",
    "2018年有多少个会员国向委员会通报了联络人？2020年主席通报时呢，有多少？",
])
def test_a_later_part_is_about_what_the_part_before_it_is_about(shared_index: Assistant,
                                                                 question: str):
    """"……多少份？2020年主席通报时又是多少份？": the second part names only its document;
    what it counts is what the first part counts, so it is searched and read with it, in
    the document it names."""
    answer = shared_index.ask(question)
    assert answer.citations[0].locator.startswith("S/2018/1178")
    assert answer.citations[1].locator.startswith("S/2020/347"), \
        [c.locator for c in answer.citations]


@pytest.mark.parametrize(("question", "lead", "place"), [
    ("When and where did the Committee visit Lesotho at its invitation?", "**13–14 April 2016**",
     "马塞卢"),
    ("Where and when was the international student essay competition award ceremony held?",
     "**30 September 2016**", "剑桥"),
    ("When and where was the 2018 training course for OSCE national points of contact held?",
     "**4–7 September 2018**", "顿河畔罗斯托夫"),
])
def test_question_words_asked_together_are_one_question(shared_index: Assistant,
                                                        question: str, lead: str, place: str):
    """"When and where …?" asks two things of one event: the row that gives both, not a
    part "When" refused on its own."""
    answer = shared_index.ask(question)
    assert_leads_with(answer, lead)
    assert place in answer.citations[0].quote
    assert "do not answer" not in answer.text
