"""Reading English questions against Chinese records: translations, what is counted, ordinals,
and how much of an expanded query the dense side embeds."""

from __future__ import annotations

import pytest

from assistant.facts import asked_units
from assistant.question import ordinals
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


@pytest.mark.parametrize(("question", "units"), [
    ("2019 年委员会收到了多少份新的援助请求？", "份"),
    ("How many informal meetings did the Committee hold in 2018?", "次场届"),
    ("How many new assistance requests did the Committee receive in 2019?", "份项封篇"),
    ("How many of the 193 member States had reported by then?", "个国家"),
    ("How many participants from industry attended?", "名位人个"),
    ("What share of the measures were in place?", ""),
])
def test_what_a_count_question_counts(question: str, units: str) -> None:
    assert asked_units(question) == units


@pytest.mark.parametrize(("question", "expected"), [
    ("What period did the fourteenth programme of work cover?", ["第十四"]),
    ("第十九个工作方案的文件编号是什么？", ["第十九"]),
    ("Which States submitted their first reports?", []),  # the records say 第一次报告
    ("中方发言中第三点建议要求什么？", []),  # the records say 三是
])
def test_ordinals_as_the_records_write_them(question: str, expected: list[str]) -> None:
    assert ordinals(question) == expected


def test_dense_query_keeps_the_question_and_what_fits_of_the_expansion() -> None:
    question = "How many new assistance requests did the Committee receive in 2019?"
    added = " ".join(["援助请求", "委员会", "请求", "收到"] * 20)
    text = _dense_query(question, f"{question} {added}")
    assert text.startswith(question) and "援助请求" in text
    assert count_tokens(text) <= DENSE_QUERY_TOKENS
    long_question = "委员会" * 60  # never cut, however long
    assert _dense_query(long_question, f"{long_question} 援助") == long_question
