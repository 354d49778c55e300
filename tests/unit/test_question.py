"""Reading English questions against Chinese records: translations, what is counted, ordinals,
and how much of an expanded query the dense side embeds."""

from __future__ import annotations

import pytest

from assistant.facts import asked_units
from assistant.followups import resolve
from assistant.question import QuestionType, analyse, ordinals, premise_of
from index.glossary import default_glossary
from index.lexicon import EnglishLexicon
from index.passages import count_tokens
from index.retriever import DENSE_QUERY_TOKENS, _dense_query


@pytest.fixture(scope="module")
def lexicon() -> EnglishLexicon:
    return EnglishLexicon.for_vocabulary(["协调", "提交", "访问", "参与者"])


@pytest.mark.parametrize(("word", "chinese"), [
    ("coordinated", "协调"), ("coordination", "协调"), ("submitted", "提交"),
    ("visits", "访问"), ("participants", "参与者"),
])
def test_inflected_english_words_find_their_chinese(lexicon: EnglishLexicon, word: str,
                                                     chinese: str) -> None:
    assert chinese in lexicon.chinese(word)


@pytest.mark.parametrize(("word", "chinese"), [
    ("Geneva", "日内瓦"),  # "Geneva, Switzerland": a one-word name
    ("language", "中文"),  # "Chinese language": the noun after a one-word name
])
def test_a_name_in_the_dictionary_translates_its_word(word: str, chinese: str) -> None:
    assert chinese in EnglishLexicon.for_vocabulary(["日内瓦", "中文"]).chinese(word)


def test_the_words_of_a_longer_name_translate_nothing() -> None:
    # "United States" must not make "states" mean 美国.
    assert "美国" not in EnglishLexicon.for_vocabulary(["美国"]).chinese("states")


@pytest.mark.parametrize("question", [
    "Which department does the Committee's Secretary come from?",
    "From which department is the Secretary of the Committee drawn?",
    "Secretary of the 1540 Committee: which department?",
    pytest.param("Which UN department supplies the Secretary of the 1540 Committee?",
                 marks=pytest.mark.xfail(strict=True, reason=(
                     "the reader does not yet translate 'department' after 'UN': issue 18"))),
])
def test_which_department_is_met_by_the_name_of_a_department(question: str) -> None:
    lexicon = EnglishLexicon.for_vocabulary(["部门", "秘书"])
    analysis = analyse(question, default_glossary(), lexicon)
    department = next(g for g in analysis.translations if "部门" in g)
    assert "政治和建设和平事务部" in department  # Department of Political and Peacebuilding Affairs
    assert "裁军事务厅" not in department  # an Office, not a Department


@pytest.mark.parametrize(("question", "premise"), [
    ("The 2018 review says Raphael Prenat (France) coordinated the Group of Experts. According "
     "to S/2022/899, when did his service end?",
     "The 2018 review says Raphael Prenat (France) coordinated the Group of Experts. "),
    ("2018 年审查报告提到法国的 Raphael Prenat 担任专家组协调员。根据 S/2022/899，他任职到什么时候？",
     "2018 年审查报告提到法国的 Raphael Prenat 担任专家组协调员。"),
    ("The Chair's 2020 briefing mentions a visit to Kuwait at its invitation. When and where "
     "did that visit take place, per annex XIX of S/2022/899?",
     "The Chair's 2020 briefing mentions a visit to Kuwait at its invitation. "),
    ("2020 年主席通报说委员会应邀访问过科威特，附件十九记载的访问日期和地点是什么？",
     "2020 年主席通报说委员会应邀访问过科威特，"),
    # A time or a source before the question is part of it, not a premise.
    ("在 2022 年全面审查的报告期内，委员会开了几次正式会议？", ""),
    ("During the period of the 2022 review, how many formal meetings did the Committee hold?",
     ""),
    ("According to S/2022/899, by how much has the global implementation rate increased?", ""),
    ("按照 2018 年审查报告，委员会访问了哪些国家？", ""),
    ("中方发言中第三点建议要求什么？", ""),
])
def test_what_a_question_takes_as_given(question: str, premise: str) -> None:
    assert premise_of(question) == premise


@pytest.mark.parametrize(("question", "asked"), [
    ("The 2018 review says Raphael Prenat (France) coordinated the Group of Experts. According "
     "to S/2022/899, when did his service end?",
     "According to S/2022/899, when did his service end?"),
    ("2018 年审查报告提到法国的 Raphael Prenat 担任专家组协调员。根据 S/2022/899，他任职到什么时候？",
     "根据 S/2022/899，他任职到什么时候？"),
    ("The Chair's 2020 briefing mentions a visit to Kuwait at its invitation. When and where "
     "did that visit take place, per annex XIX of S/2022/899?",
     "When and where did that visit take place, per annex XIX of S/2022/899?"),
])
def test_a_premise_is_the_context_even_in_a_conversation(question: str, asked: str) -> None:
    # "he" or "that visit" points into the premise, not at the previous question.
    resolved = resolve(question, ["有多少个会员国在 2022 年的公开磋商上发言？"], default_glossary())
    assert resolved.question == asked
    assert resolved.context == premise_of(question) and resolved.context
    assert resolved.search == question


@pytest.mark.parametrize(("question", "units"), [
    ("委员会 2019 年收到的新援助请求有多少份？", "份"),
    ("How many informal meetings did the Committee hold in 2018?", "次场届"),
    ("How many activities organized by UNODC did the Committee take part in?", "次场届项"),
    ("How many new assistance requests did the Committee receive in 2019?", "份项封篇"),
    ("How many of the 193 member States had reported by then?", "个国家"),
    ("How many participants from industry attended?", "名位人个"),
    ("How many new members of the Group of Experts took up their duties?", "个国家名位人"),
    ("What share of the measures were in place?", ""),
])
def test_what_a_count_question_counts(question: str, units: str) -> None:
    assert asked_units(question) == units


@pytest.mark.parametrize(("question", "expected"), [
    ("What period did the fourteenth programme of work cover?", ["第十四"]),
    ("第十九个工作方案的文件编号是什么？", ["第十九"]),
    ("What was the symbol of the nineteenth programme of work?", ["第十九"]),
    ("第十六个工作方案何时印发？", ["第十六"]),
    ("Which States submitted their first reports?", []),  # the records say 第一次报告
    ("中方发言中第三点建议要求什么？", []),  # the records say 三是
    ("When was the twenty-first programme of work adopted?", ["第二十一"]),
    ("Which period does the thirtieth programme of work cover?", ["第三十"]),
    ("Who chaired the Committee during its Twenty-Sixth programme?", ["第二十六"]),
])
def test_ordinals_as_the_records_write_them(question: str, expected: list[str]) -> None:
    assert ordinals(question) == expected


@pytest.mark.parametrize(("number", "english"), [
    (4, "fourth"), (14, "fourteenth"), (20, "twentieth"), (25, "twenty-fifth"),
    (30, "thirtieth"), (42, "forty-second"),
])
def test_an_ordinal_as_an_english_record_writes_it(number: int, english: str) -> None:
    from index.query_scope import english_ordinal

    assert english_ordinal(number) == english


def test_dense_query_keeps_the_question_and_what_fits_of_the_expansion() -> None:
    question = "How many new assistance requests did the Committee receive in 2019?"
    added = " ".join(["援助请求", "委员会", "请求", "收到"] * 20)
    text = _dense_query(question, f"{question} {added}")
    assert text.startswith(question) and "援助请求" in text
    assert count_tokens(text) <= DENSE_QUERY_TOKENS
    long_question = "委员会" * 60  # never cut, however long
    assert _dense_query(long_question, f"{long_question} 援助") == long_question


@pytest.mark.parametrize(("question", "language"), [
    ("Up to what date was Lü Xiaodong (吕晓东) a member of the Group of Experts?", "en"),
    ("When did the Chinese expert 吕晓东 (Lü Xiaodong) leave the Group of Experts?", "en"),
    ("Ambassador 钱宁, thanked in China's 2020 statement, is from which country?", "en"),
    ("S/2022/899 中，非洲集团采取的措施占可能措施的比例是多少？", "zh"),
    ("OP2 的法律措施占多大比例？", "zh"),
])
def test_the_language_is_the_one_most_of_the_question_is_in(question: str, language: str) -> None:
    assert analyse(question).language == language


@pytest.mark.parametrize("question", [
    "在审查期间另外提供了联络人的组织有哪些？",
    "Which organizations provided points of contact during the review period?",
    "报告所述期间委员会访问了哪些国家？",
])
def test_a_time_frame_does_not_make_a_list_question_ask_for_a_date(question: str) -> None:
    assert analyse(question).qtype is QuestionType.LIST


@pytest.mark.parametrize("question", [
    "2019 年哪几个国家提交了国家行动计划？",
    "委员会在哪几个方面加强了与国际组织的合作？",
    "专家组报告提出了哪几项建议？",
])
def test_which_several_asks_which_not_how_many(question: str) -> None:
    assert analyse(question).qtype is QuestionType.LIST


@pytest.mark.parametrize("question", [
    "海关一共扣留了几批可疑货物？",
    "那次演习动用了几艘船？",
    "委员会当年举办了几场讲习班？",
    "截至 2022 年，委员会收到了几份报告？",
])
def test_a_count_in_any_measure_word_is_a_number_question(question: str) -> None:
    assert analyse(question).qtype is QuestionType.NUMBER


@pytest.mark.parametrize("question", [
    "第十四个工作方案的期间是从何时到何时？",
    "Over what period does the fourteenth programme of work of the Committee run?",
    pytest.param("委员会第十四个工作方案的执行期是哪段时间？", marks=pytest.mark.xfail(
        strict=True, reason="the reader does not yet read 哪段时间 as asking for a period: "
                            "issue 18")),
])
def test_a_period_asked_for_is_a_date_question(question: str) -> None:
    assert analyse(question).qtype is QuestionType.DATE


@pytest.mark.parametrize("question", [
    "中方发言的第三点建议，要求慎重地提出什么？",
    "中方 第三点建议 慎重提出",
    "中方发言中第三点建议讲的是什么？",
])
def test_a_numbered_point_is_met_by_the_way_statements_number_them(question: str) -> None:
    analysis = analyse(question)
    assert ["三是"] in analysis.groups
    assert not {"第三", "三点", "第三点"} & set(analysis.terms)


@pytest.mark.parametrize(("question", "fragment"), [
    ("根据附件八，2022 年国际原子能机构共有几个成员国？", "附件八"),
    ("附件八里《化学武器公约》2011 年有多少个缔约国？", "八里"),
    ("附件二十一中 2022 年第一工作组由谁协调？", "一中"),
])
def test_an_annex_named_is_where_to_look_not_a_term(question: str, fragment: str) -> None:
    analysis = analyse(question)
    assert fragment not in analysis.terms and "附件" not in analysis.terms


def test_a_romanised_name_glossed_in_chinese_is_looked_for_in_chinese() -> None:
    analysis = analyse("Until when did Lü Xiaodong (吕晓东) serve on the Group of Experts?")
    assert "吕晓东" in analysis.terms
    assert "xiaodong" not in analysis.untranslated and "lü" not in analysis.terms


@pytest.mark.parametrize(("follow_up", "previous", "resolved"), [
    ("What about chemical weapons?",
     "What share of the legal measures on nuclear weapons are in place?",
     "What share of the legal measures on chemical weapons are in place?"),
    # What is counted, or the thing of the same kind, is what a new noun replaces.
    ("那国际和区域组织呢？", "有多少个会员国在 2022 年的公开磋商上发言？",
     "有多少个国际和区域组织在 2022 年的公开磋商上发言？"),
    ("更新报告呢？", "2019 年有多少个国家提交了第一次报告？", "2019 年有多少个国家提交了更新报告？"),
    ("国际组织呢？", "2019 年有多少个国家提交了第一次报告？", "2019 年有多少个国际组织提交了第一次报告？"),
    # A question of its own is not a term swapped in.
    ("And with which regional organizations did it cooperate closely?",
     "Which countries did the Committee visit at their invitation?",
     "Which countries did the Committee visit at their invitation? with which regional "
     "organizations did it cooperate closely"),
])
def test_an_elliptic_follow_up_swaps_the_term_it_names(follow_up: str, previous: str,
                                                        resolved: str) -> None:
    assert resolve(follow_up, [previous], default_glossary()).question == resolved


@pytest.mark.parametrize(("question", "qtype"), [
    ("给我几条中方关于援助的要点", QuestionType.WHAT),
    ("列出几条委员会网站更新的要点", QuestionType.WHAT),
    ("我要准备简报：2019年委员会收到了几份第一次报告？", QuestionType.NUMBER),
])
def test_a_few_points_asked_for_is_no_count(question: str, qtype: QuestionType):
    assert analyse(question).qtype is qtype


@pytest.mark.parametrize(("question", "qtype"), [
    ("Did the number of visits rise in 2019?", QuestionType.YES_NO),
    ("Has the share of States with control lists grown since 2016?", QuestionType.YES_NO),
    ("How did the number of reports in 2019 compare with 2018?", QuestionType.WHAT),
    ("Did more States report in 2019, and how many did?", QuestionType.NUMBER),
])
def test_whether_a_figure_changed_is_no_count_unless_how_many_is_asked(
        question: str, qtype: QuestionType):
    assert analyse(question).qtype is qtype


@pytest.mark.parametrize(("question", "years", "symbols"), [
    ("缔约国 2011 2016 2022", [2011, 2016, 2022], []),
    ("S/PRST/2024/6 points of contact designated", [], ["S/PRST/2024/6"]),
    ("根据 S/RES/2788 (2025) 第2段，2026年要做什么？", [2026], ["S/RES/2788"]),
    ("２０１９ 和 ２０２０ 的数字", [2019, 2020], []),
])
def test_years_and_symbols_typed_with_spaces_are_read_apart(question: str, years: list[int],
                                                           symbols: list[str]):
    analysis = analyse(question)
    assert analysis.years == years
    assert analysis.symbols == symbols


@pytest.mark.parametrize(("question", "parts"), [
    ("When and where did the visit take place?", 1),
    ("Where and when was the ceremony held, and who organised it?", 2),
    ("Who and which organisations attended?", 1),
])
def test_question_words_joined_by_and_ask_one_part(question: str, parts: int):
    from assistant.question import question_parts

    assert len(question_parts(question)) == parts


@pytest.mark.parametrize(("question", "name"), [
    ("附文里属于“其他区域活动”的有几项？", "其他区域活动"),
    ("类别为「联合访问会员国」的活动有哪些？", "联合访问会员国"),
    ('标题为"国家圆桌会议"的活动在哪里举行？', "国家圆桌会议"),
])
def test_a_name_in_quotation_marks_is_one_term(question: str, name: str):
    analysis = analyse(question)
    assert [name] in analysis.groups
    assert not any(t in name for t in analysis.terms)
