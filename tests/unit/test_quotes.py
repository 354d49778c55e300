"""Finding a model's quote in its passage: the ways real models copy a record are forgiven,
a changed figure or name never is, and what is stored is always the record's own words.

The passages are paragraphs of S/2020/347 (data/corpus/000_*.txt) and an English sentence
of the kind the committee's English records hold.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from assistant.grounding import ModelReply, RejectedReply, ground
from assistant.quotes import fold, locate_quote
from index.passages import Passage

PARA_4 = ("去年，委员会重点关注了国家执行情况最新信息，包括关注尚未提交第一次报告的国家。"
          "我以主席的身份会见了会员国常驻代表，鼓励他们提交更新报告，并鼓励尚未提交第一次报告的"
          "国家提交第一次报告。2019年，委员会收到了2份第一次报告，使提交第一次报告的国家数目达到"
          "184个。委员会还收到了28份更新报告，这是自2015年以来最高的年度数字。")
PARA_6 = ("2019年，委员会收到了12份新的援助请求，迄今已向8个国家提供了援助。迄今为止，已有46个"
          "国家和14个国际、区域和次区域组织向委员会通报了援助方案。")
PDF_SPACED = "2019 年，委员会收到了 12 份新的援助请求（见附件三），其中 5 份来自非洲国家。"
ENGLISH = ("In 2019, the Committee received 12 new requests for assistance from Member States, "
           "and France and Germany offered assistance programmes to the Committee.")


@pytest.mark.parametrize(("quote", "passage", "expected"), [
    # as written
    ("委员会收到了12份新的援助请求", PARA_6, "委员会收到了12份新的援助请求"),
    # half-width comma for the record's full-width one, and spaces the record lacks
    ("2019 年,委员会收到了 12 份新的援助请求", PARA_6, "2019年，委员会收到了12份新的援助请求"),
    # full-width digits (NFKC)
    ("委员会收到了１２份新的援助请求", PARA_6, "委员会收到了12份新的援助请求"),
    # the record's PDF spaces dropped, its full-width brackets written half-width
    ("委员会收到了12份新的援助请求(见附件三)", PDF_SPACED, "委员会收到了 12 份新的援助请求（见附件三）"),
    # ideographic full stop as a period, straight quotes for curly ones
    ("委员会还收到了28份更新报告,这是自2015年以来最高的年度数字.", PARA_4,
     "委员会还收到了28份更新报告，这是自2015年以来最高的年度数字"),
    # shortened with "…" (and with "..."): the record's span from the first part to the last
    ("2019年，委员会收到了12份……已向8个国家提供了援助", PARA_6,
     "2019年，委员会收到了12份新的援助请求，迄今已向8个国家提供了援助"),
    ("委员会收到了2份第一次报告...国家数目达到184个", PARA_4,
     "委员会收到了2份第一次报告，使提交第一次报告的国家数目达到184个"),
    # a dropped enumeration comma, a conjunction changed: near-exact
    ("已有46个国家和14个国际区域和次区域组织", PARA_6, "已有46个国家和14个国际、区域和次区域组织"),
    ("迄今为止，已有46个国家与14个国际、区域和次区域组织向委员会通报", PARA_6,
     "迄今为止，已有46个国家和14个国际、区域和次区域组织向委员会通报"),
    # English: a word dropped, the rest as written
    ("the Committee received 12 requests for assistance from Member States", ENGLISH,
     "the Committee received 12 new requests for assistance from Member States"),
], ids=["exact", "width-and-spaces", "nfkc-digits", "pdf-spaces-brackets", "stops", "ellipsis",
        "three-dots", "dropped-comma", "conjunction", "english-word-dropped"])
def test_quote_copied_the_way_models_copy_is_found_as_the_records_own_words(
        quote: str, passage: str, expected: str) -> None:
    found = locate_quote(quote, passage)
    assert found == expected
    assert found in passage


@pytest.mark.parametrize(("quote", "passage"), [
    ("委员会收到了15份新的援助请求", PARA_6),                       # a changed figure
    ("2018年，委员会收到了12份新的援助请求", PARA_6),               # a changed year
    ("迄今为止，已有46个国家和15个国际、区域和次区域组织向委员会通报", PARA_6),  # one digit
    ("迄今为止，已有四十六个国家和14个国际、区域和次区域组织", PARA_6),  # figure as numerals
    ("委员会收到了十二份新的援助请求，迄今已向8个国家提供了援助", PARA_6),
    ("委员会收到了12份新的援助请求，迄今已向18个国家提供了援助", PARA_6),  # digit inserted
    ("委员会还收到了28份更新报告，这是自2015年以来最低的年度数字", PARA_4),  # 最高 -> 最低
    ("委员会收到了12份援助请求，迄今已向8个国家提供了援助", PARA_6),  # a word dropped
    ("the Committee received 12 new requests for assistance from Member States, and Spain",
     ENGLISH),                                                       # a changed name
    ("and France and Italy offered assistance programmes to the Committee", ENGLISH),
    ("the Committee received 13 new requests for assistance from Member States", ENGLISH),
    ("委员会收到了12份新的援助请求……已向9个国家提供了援助", PARA_6),  # a part is wrong
    ("已向8个国家提供了援助……委员会收到了12份新的援助请求", PARA_6),  # parts out of order
    ("2019年…数字", PARA_4),                                         # parts too short to prove
    ("去年，委员会……这是自2015年以来最高的年度数字", PARA_4),     # parts a passage apart
    ("援助", PARA_6),                                                # too short
    ("委员会已于2020年解散", PARA_6),                                # not there at all
], ids=["figure", "year", "one-digit", "numerals-for-digits", "digits-for-numerals",
        "digit-inserted", "antonym", "word-dropped", "latin-name", "latin-name-2", "english-figure",
        "ellipsis-wrong-part", "ellipsis-out-of-order", "ellipsis-short-parts", "ellipsis-far",
        "too-short", "absent"])
def test_quote_that_changes_what_the_record_says_is_not_found(quote: str, passage: str) -> None:
    assert locate_quote(quote, passage) is None


def test_chinese_state_names_are_never_near_each_other() -> None:
    passage = "法国和德国向委员会通报了其援助方案，并表示愿意应请求提供援助。"
    assert locate_quote("法国与德国向委员会通报了援助方案，并表示愿意应请求提供援助", passage)
    assert locate_quote("法国和英国向委员会通报了其援助方案，并表示愿意应请求提供援助", passage) is None
    assert locate_quote("法国向委员会通报了其援助方案，并表示愿意应请求提供援助", passage) is None


def test_fold_maps_every_character_back_to_the_record() -> None:
    text = "２０１９ 年，“委员会” ﬁle e\u0301"
    folded, where = fold(text)
    assert folded == '2019年,"委员会"fileé'
    assert len(where) == len(folded) and where == sorted(where)


# -- the property: no quote that is not the passage's own span -----------------------------
PASSAGES = [PARA_4, PARA_6, PDF_SPACED, ENGLISH]
EDITS = st.lists(st.tuples(st.sampled_from(["delete", "insert", "replace"]), st.floats(0, 1),
                           st.sampled_from(list("0123456789十二，。、,. …的了和与ABCxyz國国"))),
                 max_size=4)


def edited(text: str, start: float, length: float, edits: list[tuple[str, float, str]]) -> str:
    a = int(start * len(text))
    quote = text[a:a + max(1, int(length * (len(text) - a)))]
    for op, where, ch in edits:
        i = int(where * len(quote))
        if op == "delete" and quote:
            quote = quote[:i] + quote[i + 1:]
        elif op == "insert":
            quote = quote[:i] + ch + quote[i:]
        elif quote:
            quote = quote[:i] + ch + quote[i + 1:]
    return quote


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(PASSAGES), st.floats(0, 1), st.floats(0, 1), EDITS)
def test_whatever_a_quote_says_the_match_is_a_span_of_its_passage(
        passage: str, start: float, length: float, edits: list[tuple[str, float, str]]) -> None:
    quote = edited(passage, start, length, edits)
    found = locate_quote(quote, passage)
    if found is not None:
        assert found in passage and found.strip() == found
        digits = [c for c in fold(quote)[0] if c.isdigit()]
        assert digits == [c for c in fold(found)[0] if c.isdigit()] or "…" in quote \
            or "..." in fold(quote)[0], "a near match never changes a figure"


def para(n: int, text: str) -> Passage:
    return Passage(id=f"000_47e0968d6e4399d1/annex/u{n}", doc_id="000_47e0968d6e4399d1",
                   symbol="S/2020/347", doc_label="S/2020/347", date="2020-04-29", year=2020,
                   doc_type="briefing", part="附件", kind="paragraph",
                   locator=f"S/2020/347 附件 第{n}段", text=text)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.floats(0, 1), st.floats(0, 1), EDITS),
                min_size=1, max_size=3))
def test_no_grounded_answer_carries_a_quote_that_is_not_a_span_of_its_passage(
        citations: list[tuple[int, float, float, list[tuple[str, float, str]]]]) -> None:
    passages = [para(4, PARA_4), para(6, PARA_6), para(9, PDF_SPACED)]
    raw = {"answer": "委员会收到了报告 " + "".join(f"[{n}]" for n in range(1, len(citations) + 1)),
           "supported": True,
           "citations": [{"n": n, "passage": p + 1, "quote": edited(passages[p].text, s, ln, e)}
                         for n, (p, s, ln, e) in enumerate(citations, start=1)]}
    try:
        grounded = ground(ModelReply.model_validate_json(json.dumps(raw)), passages,
                          question="委员会收到了多少份报告？", title_of=lambda p: p.doc_label)
    except RejectedReply:
        return
    assert grounded.citations
    for c in grounded.citations:
        assert c.verified() and c.quote in c.passage


@pytest.mark.parametrize(("quote", "tolerant"), [
    (PARA_4[:30], False),
    ("“" + PARA_4[:30] + "”", False),  # quotation marks around it are no change
    (PARA_4[:30].replace("，", ",").replace("(", "（"), True),
    (PARA_4[:12] + "……" + PARA_4[20:34], True),
])
def test_a_citation_says_whether_its_quote_needed_the_tolerant_match(quote: str,
                                                                     tolerant: bool) -> None:
    raw = {"answer": "委员会收到了报告 [1]", "supported": True,
           "citations": [{"n": 1, "passage": 1, "quote": quote}]}
    grounded = ground(ModelReply.model_validate_json(json.dumps(raw)), [para(4, PARA_4)],
                      question="委员会收到了多少份报告？", title_of=lambda p: p.doc_label)
    assert [c.tolerant for c in grounded.citations] == [tolerant]
    assert grounded.citations[0].quote in PARA_4
