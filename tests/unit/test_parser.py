"""The shipped records become clean, addressable paragraphs, footnotes and tables."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from index import annex_charts, footnotes
from index.models import BlockKind, Document, DocumentType
from index.parser import parse_file, parse_lines
from index.text import fold, furniture_mask, join_wrapped

FURNITURE_IN_TEXT = re.compile(r"https?://|undocs\.org|\d{2}-\d{5}|_{5,}")


def numbered(doc: Document, part: str = "附件") -> list[int]:
    return [b.number for b in doc.paragraphs()
            if b.part == part and b.number is not None and b.sub is None]


def test_comprehensive_review_paragraphs_1_to_196_each_once_in_order(corpus_docs):
    assert numbered(corpus_docs["001"]) == list(range(1, 197))


def test_programme_of_work_and_2018_review_numbering(corpus_docs):
    assert numbered(corpus_docs["002"]) == list(range(1, 14))
    assert numbered(corpus_docs["004"]) == list(range(1, 66))


def test_paragraph_text_is_complete_and_clean(corpus_docs):
    para26 = corpus_docs["001"].numbered(26)[0]
    assert para26.locator == "S/2022/899 附件 第26段"
    assert para26.text.startswith("自2016年以来，全体会员国中的40%(77个)")
    assert para26.text.endswith("97个国家提交了两次以上报告。")  # the footnote mark 4 is gone
    # A paragraph broken by a page of footnotes and hyperlinks is rejoined whole.
    para1 = corpus_docs["001"].numbered(1)[0]
    assert "2016年12月15日核准了第2325(2016)号决议" in para1.text
    for doc in corpus_docs.values():
        for block in doc.blocks:
            assert not FURNITURE_IN_TEXT.search(block.text.replace("www.un.org", "")), block


def test_hard_wrapped_numbers_and_chinese_are_rejoined(corpus_docs):
    letter = corpus_docs["001"].blocks[1]
    assert "依照安理会第1977(2011)号决议第3段的规定" in letter.text
    assert "第1540(2004)号决议执行情况2022年全面审查" in letter.text


def test_unnumbered_documents_split_into_their_real_paragraphs(corpus_docs):
    briefing = [b for b in corpus_docs["000"].paragraphs() if b.part == "附件"]
    assert len(briefing) == 23
    fifth = briefing[4]
    assert fifth.locator == "S/2020/347 附件 第5段"
    assert fifth.text.startswith("协助向会员国提供援助是最重要的工具之一。")
    statement = [b for b in corpus_docs["003"].paragraphs() if b.part == "附件"]
    assert [b.text for b in statement].count("主席先生，") == 4
    assert statement[-1].text == "谢谢主席先生。"


def test_sub_paragraphs_keep_their_letters(corpus_docs):
    subs = [b.sub for b in corpus_docs["002"].numbered(9)]
    assert subs == [None, "(a)", "(b)", "(c)", "(d)", "(e)", "(f)", "(g)", "(h)", "(i)"]
    roman = [b.sub for b in corpus_docs["002"].numbered(11) if b.sub and not b.sub.startswith("(")]
    assert roman == ["㈠", "㈡", "㈢"]
    assert corpus_docs["002"].numbered(9)[1].locator.endswith("附件 第9段(a)")


def test_footnotes_are_linked_to_the_paragraph_that_calls_them(corpus_docs):
    doc = corpus_docs["001"]
    notes = {b.label: b for b in doc.blocks if b.kind is BlockKind.FOOTNOTE and b.part == "附件"}
    assert sorted(notes, key=lambda x: (len(x), x))[:10] == [
        "1", "2", "3", "4", "5", "6", "7", "8", "9", "a"]
    para26 = doc.numbered(26)[0]
    assert para26.footnotes == [notes["4"].id]
    assert notes["4"].called_by == para26.id
    assert notes["4"].text.startswith("自2004年以来，1个会员国提交了8份报告")
    # In the 2018 review the marks are superscripts.
    review = corpus_docs["004"]
    note = next(b for b in review.blocks if b.kind is BlockKind.FOOTNOTE)
    assert review.numbered(2)[0].footnotes == [note.id]
    assert "¹" not in review.numbered(2)[0].text


def test_counts_that_look_like_marks_are_kept(corpus_docs):
    summary = next(b for b in corpus_docs["001"].paragraphs() if b.text.startswith("自2016年以来，77"))
    assert "77个国家(40%)" in summary.text


def test_document_metadata(corpus_docs):
    expected = {
        "000": ("S/2020/347", "2020-04-29", DocumentType.BRIEFING),
        "001": ("S/2022/899", "2022-11-29", DocumentType.COMPREHENSIVE_REVIEW),
        "002": (None, "2015-01-30", DocumentType.PROGRAMME_OF_WORK),
        "003": (None, "2020-05-05", DocumentType.STATEMENT),
        "004": (None, "2018-12-28", DocumentType.ANNUAL_REVIEW),
    }
    for key, (symbol, date, doc_type) in expected.items():
        meta = corpus_docs[key].meta
        assert (meta.symbol, str(meta.date), meta.doc_type) == (symbol, date, doc_type), key
        assert meta.original_file.startswith(key)
    assert corpus_docs["003"].meta.author == "中国常驻联合国代表团"
    assert corpus_docs["004"].meta.original_language == "en"


def test_detection_without_the_metadata_file(corpus_files):
    for key in ("000", "002", "003", "004"):
        doc = parse_file(corpus_files[key])
        assert doc.meta.doc_type in {DocumentType.BRIEFING, DocumentType.PROGRAMME_OF_WORK,
                                     DocumentType.STATEMENT, DocumentType.ANNUAL_REVIEW}, key
    assert parse_file(corpus_files["001"]).meta.doc_type is DocumentType.COMPREHENSIVE_REVIEW


def test_block_ids_are_stable_and_unique(corpus_files, corpus_docs):
    again = parse_file(corpus_files["001"])
    ids = [b.id for b in again.blocks]
    assert len(ids) == len(set(ids))
    assert ids == [b.id for b in corpus_docs["001"].blocks]


# -- no content character is lost ------------------------------------------------------

def rendered(doc: Document) -> str:
    """Everything the parser kept, folded: prose, footnotes, table titles, headers, rows."""
    pieces: list[str] = []
    part = ""
    for block in doc.blocks:
        if block.part != part:
            part = block.part
            pieces.append(part)  # the annex marker
        if block.kind is BlockKind.TABLE:
            pieces += [block.title or "", "".join(block.header)]
            pieces += [f"{row.number}." + "".join(row.cells) for row in block.rows]
        elif block.kind is BlockKind.FOOTNOTE:
            pieces.append((block.label or "") + block.text)
        else:
            prefix = f"{block.number}." if block.number is not None and not block.sub else ""
            pieces.append(prefix + (block.sub or "") + block.text)
    return fold("\n".join(pieces))


def lost_lines(lines: list[str], doc: Document) -> list[str]:
    """Input lines (not furniture) whose characters do not all appear, in order, in the
    output. A resolved footnote mark is the only thing a line may lose; a chart read as a
    table keeps no axis ticks."""
    out = rendered(doc)
    missing = []
    for line, furniture in zip(lines, furniture_mask(lines), strict=True):
        if not line.strip() or furniture or annex_charts.is_axis(line):
            continue
        marked = footnotes.mark_candidates(line)
        plain = fold(footnotes.strip_placeholders(marked))
        without_marks = fold(footnotes.resolve(marked, known=set("123456789abcdefgh") | {
            str(n) for n in range(10, 40)})[0])
        if plain not in out and without_marks not in out:
            missing.append(line)
    return missing


@pytest.mark.parametrize("key", ["000", "001", "002", "003", "004"])
def test_no_content_character_is_lost(key, corpus_files, corpus_docs):
    lines = corpus_files[key].read_text(encoding="utf-8").split("\n")
    masthead = {"安全理事会", "Distr.: General", "28 December 2018", "Chinese",
                "Original: French"}
    lines = [line for line in lines if line.strip() not in masthead]
    assert lost_lines(lines, corpus_docs[key]) == []


_WORDS = st.text(alphabet="委员会各国执行决议援助请求联络人报告提交国家年月日的和在，", min_size=1,
                 max_size=30)
_PARAGRAPH = st.lists(st.one_of(_WORDS, st.integers(0, 3000).map(str)), min_size=1,
                      max_size=12).map(lambda parts: "".join(parts) + "。")


@given(paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=8),
       width=st.integers(8, 40), furniture_every=st.integers(3, 9))
@settings(max_examples=60, deadline=None)
def test_generated_hard_wrapped_text_loses_nothing(paragraphs, width, furniture_every):
    """Hard-wrap generated paragraphs the way the PDF extractions are wrapped (a trailing
    space ends a paragraph, a blank line after each line), interleave page furniture, and
    check every paragraph comes back whole."""
    lines: list[str] = []
    for paragraph in paragraphs:
        pieces = [paragraph[i:i + width] for i in range(0, len(paragraph), width)]
        for j, piece in enumerate(pieces):
            lines += [(" " if j == 0 else "") + piece + (" " if j == len(pieces) - 1 else ""), ""]
            if len(lines) % furniture_every == 0:
                lines += ["https://undocs.org/ch/S/RES/1540(2004)", "", "3/4 20-06309 ", ""]
    doc = parse_lines(lines, original_file="generated.txt")
    out = rendered(doc)
    for paragraph in paragraphs:
        assert fold(paragraph) in out


@given(paragraphs=st.lists(_PARAGRAPH, min_size=2, max_size=8), data=st.data())
@settings(max_examples=60, deadline=None)
def test_paragraphs_cut_by_page_breaks_come_back_whole(paragraphs, data):
    """One numbered paragraph per line (the 2018 review's style), some cut in two by a page
    break, some of them with the page's footnote between the halves."""
    lines = ["一. 引言", ""]
    for number, paragraph in enumerate(paragraphs, start=1):
        cut = data.draw(st.integers(0, len(paragraph) - 1))
        if cut <= 1:  # this one is whole
            lines += [f"{number}. {paragraph}", ""]
            continue
        head, tail = f"{number}. {paragraph[:cut]}", paragraph[cut:]
        if data.draw(st.booleans()):  # the page ends with a footnote the head calls
            label = "¹²³⁴⁵⁶⁷⁸⁹"[number % 9]
            lines += [head + label, "", f"{label} 脚注的文字。", ""]
        else:
            lines += [head, ""]
        lines += [tail, ""]
    doc = parse_lines(lines, original_file="generated.txt")
    assert [b.number for b in doc.paragraphs()] == list(range(1, len(paragraphs) + 1))
    for number, paragraph in enumerate(paragraphs, start=1):
        assert fold(doc.numbered(number)[0].text) == fold(paragraph)


_URL = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789/-.?=", min_size=30,
               max_size=120).map(lambda rest: "https://documents.un.org/" + rest)


@given(paragraphs=st.lists(_PARAGRAPH, min_size=1, max_size=6),
       urls=st.lists(_URL, min_size=1, max_size=4), margin=st.integers(48, 90))
@settings(max_examples=60, deadline=None)
def test_wrapped_hyperlink_lines_are_dropped_whole(paragraphs, urls, margin):
    """A page narrower than its hyperlink lines wraps them: the tails go with the links,
    and the paragraphs around them come back whole, without a character of the links."""
    pieces = [[url[i:i + margin] for i in range(0, len(url), margin)] for url in urls]
    # A tail is told by its letters ("OpenElement"): a run of digits alone could be content.
    assume(all(any(ch.isalpha() for ch in tail) for url in pieces for tail in url[1:]))
    lines: list[str] = []
    for paragraph in paragraphs:
        lines += [f" {paragraph} ", ""]
        for url in pieces:
            lines += url
    assert sum(furniture_mask(lines)) == sum(map(len, pieces)) * len(paragraphs)
    doc = parse_lines(lines, original_file="generated.txt")
    out = rendered(doc)
    for paragraph in paragraphs:
        assert fold(paragraph) in out
    assert "documents.un.org" not in out and not any(
        fold(url[margin:margin + 20]) in out for url in urls if len(url) > margin + 20)


def test_hyperlink_tails_and_what_is_not_one():
    lines = [
        "https://documents-dds-ny.un.org/doc/UNDOC/GEN/N16/442/57/PDF/N1644257.pdf?",
        "OpenElement",
        "https://undocs.org/ch/S/RES/1540(2004)",
        "a",  # a short hyperlink never wraps: this is a footnote label
        "http://www.un.org/en/sc/1540/resolutions-committee-reports-and-SC-briefings/",
        "www.un.org/en/sc/1540/ ",  # an address of its own is content (a table cell)
        "委员会主席在外联活动上的发言 ",
    ]
    assert furniture_mask(lines) == [True, True, True, False, True, False, False]
    # A web address that is content is rejoined without a space.
    assert join_wrapped("见 https://documents.un.org/N16.pdf?", "OpenElement") == (
        "见 https://documents.un.org/N16.pdf?OpenElement")
    assert join_wrapped("see www.un.org/en/sc", "1540/documents.pdf") == (
        "see www.un.org/en/sc1540/documents.pdf")
    assert join_wrapped("see the", "committee") == "see the committee"


def test_2018_review_paragraphs_broken_by_pages_come_back_whole(corpus_docs):
    review = corpus_docs["004"]
    para32 = review.numbered(32)
    assert [b.sub for b in para32] == [None, "(a)", "(b)", "(c)", "(d)"]
    # "……6 月在摩洛哥举行的禁" / "化武器组织……": cut in the middle of a word by a page.
    assert "6月在摩洛哥举行的禁化武器组织非洲国家当局区域会议" in para32[1].text
    assert para32[2].text.endswith("“第四届非洲新型传染病和生物安保会议”。")
    assert [b.sub for b in review.numbered(33)] == [None, "(a)", "(b)", "(c)", "(d)", "(e)",
                                                    "(f)"]
    # Paragraph 6 is cut by the page's footnote ¹ ("……在外联、对话、" / "援助和合作……").
    assert "在外联、对话、援助和合作方面作出的努力。" in review.numbered(6)[0].text
    # The sentence after a list of sub-paragraphs stays with its paragraph.
    assert review.numbered(19)[-1].text.endswith("委员会将这些回应转达有关国家，以便其采取行动直接"
                                                "与提供方联系，接受其援助。")
    annex = [b for b in review.paragraphs() if b.part == "附件"]
    assert [b.text for b in annex if b.number is None] == [
        "[原件：英文]", next(b.text for b in annex if b.text.startswith("简称："))]


def test_an_annex_whose_marker_was_lost_is_found_by_its_title():
    """附件一, then 附件三: the page that opens with a title after 附件一's text is 附件二."""
    page_end = ["https://undocs.org/ch/S/RES/1540(2004)"]
    lines = [
        " 附件一 ", "", "  第一个附件的标题 ", "", "第一个附件的内容。 ", "", *page_end,
        "  第二个附件的标题 ", "", "第二个附件的内容。 ", "", *page_end,
        " 附件三 ", "", "  第三个附件的标题 ", "", "第三个附件的内容。 ",
    ]
    doc = parse_lines(lines, original_file="generated.txt")
    titles = [(b.part, b.text) for b in doc.blocks if b.kind is BlockKind.HEADING]
    assert titles == [("附件一", "第一个附件的标题"), ("附件二", "第二个附件的标题"),
                      ("附件三", "第三个附件的标题")]
    # Without the gap, a page that opens with a title stays in its annex.
    doc = parse_lines([line.replace("附件三", "附件二") for line in lines],
                      original_file="generated.txt")
    assert [b.part for b in doc.blocks if b.kind is BlockKind.HEADING] == [
        "附件一", "附件一", "附件二"]


def test_one_paragraph_per_line_style(tmp_path: Path):
    text = "一. 引言\n\n1. 第一段内容，没有折行。¹\n\n2. 第二段。\n\n¹ 脚注文字。\n"
    doc = parse_lines(text.split("\n"), original_file="x.txt")
    assert [b.number for b in doc.paragraphs()] == [1, 2]
    assert doc.numbered(1)[0].footnotes


def test_blank_lines_mark_the_paragraphs_when_the_text_has_them():
    """Markdown, or a PDF whose reader marks the space between paragraphs: lines run on to
    the next blank line, even past a full stop at the end of a line; list items stay apart."""
    text = ("这一段的第一行在句号处折行。\n这一段还没有结束。\n\n第二段只有一行。\n\n"
            "- 第一项；\n- 第二项。\n")
    doc = parse_lines(text.split("\n"), original_file="notes.md")
    assert [b.text for b in doc.paragraphs()] == [
        "这一段的第一行在句号处折行。这一段还没有结束。", "第二段只有一行。", "-第一项；", "-第二项。"]
