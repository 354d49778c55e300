"""Keys 1–9 open a citation in its document, at the cited paragraph or row, the quote
highlighted; the viewer moves by paragraph, finds text, and Esc goes back."""

from __future__ import annotations

from itertools import pairwise

import pytest
from pilot_helpers import ask, burst, notifications, ready, screen_text, until

from assistant.tui.locate import locate, units
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.viewer import DocumentScreen
from assistant.tui.widgets.document_view import DocumentBody, UnitView
from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.transcript import AnswerView

pytestmark = pytest.mark.anyio


def _visible(body: DocumentBody, view: UnitView) -> bool:
    top, bottom = body.scroll_offset.y, body.scroll_offset.y + body.scrollable_content_region.height
    region = view.virtual_region
    return region.y >= top and region.y + region.height <= bottom + 1


async def _open(pilot, n: int) -> DocumentBody:
    app = pilot.app
    await pilot.press("escape", str(n))
    await until(pilot, lambda: isinstance(app.screen, DocumentScreen), what="the viewer")
    body = app.screen.query_one(DocumentBody)
    await until(pilot, lambda: body.views and body.views[body.current].unit.locator
                and body.views[body.current].has_class("-current"), what="the document")
    await pilot.wait_for_scheduled_animations()
    return body


async def test_pressing_1_opens_the_cited_paragraph_with_the_quote_highlighted(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        answer = (await ask(pilot, "委员会 2019 年收到的新援助请求有多少份？")).answer
        body = await _open(pilot, 1)
        current = body.views[body.current]
        assert current.unit.locator == "S/2020/347 附件 第6段"
        assert current.quote == answer.citations[0].quote and current.has_class("-cited")
        rendered = current.render()
        style = current.get_component_rich_style("unit--quote")
        assert any(rendered.plain[s.start:s.end] == current.quote and s.style == style
                   for s in rendered.spans)
        assert _visible(body, current)
        text = screen_text(app)
        assert "12份新的援助请求" in text and "S/2020/347" in text
        await pilot.press("escape")
        assert isinstance(app.screen, ChatScreen)


async def test_after_the_viewer_a_question_typed_at_once_is_asked_whole(chinese_app):
    """Esc from the viewer, then "2019年…" and Enter in one burst: the question is asked;
    its digits do not open sources."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "博茨瓦纳何时提交了国家执行行动计划？")
        await _open(pilot, 1)
        await pilot.press("escape")
        chat = app.screen
        assert isinstance(chat, ChatScreen)
        await until(pilot, lambda: app.focused is chat.query_one(QuestionInput),
                    what="the question box focused")
        burst(pilot, "委员会 2019 年收到的新援助请求有多少份？", "enter")
        await until(pilot, lambda: len(chat.query(AnswerView)) == 2, what="the answer")
        assert app.screen is chat, "no source was opened"
        assert chat.query(AnswerView).last().answer.question == "委员会 2019 年收到的新援助请求有多少份？"
        assert not [n for n in notifications(app) if n[0] == "warning"]
        await pilot.press("escape", "1")  # Esc to the answer: 1 opens its source again
        await until(pilot, lambda: isinstance(app.screen, DocumentScreen), what="the viewer")


async def test_row_citation_scrolls_into_the_middle_of_an_annex_table(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        answer = (await ask(pilot, "博茨瓦纳何时提交了国家执行行动计划？")).answer
        cited = answer.citations[0]
        assert cited.locator == "S/2022/899 附件三 第6行"
        body = await _open(pilot, 1)  # a row far down a long document
        current = body.views[body.current]
        assert current.unit.kind == "row" and current.unit.locator == cited.locator
        assert body.scroll_offset.y > 100 and _visible(body, current)
        assert "博茨瓦纳  2022年4月22日" in screen_text(app)


async def test_a_long_document_shows_its_cited_row_first_and_the_rest_after(chinese_app):
    """S/2022/899 has 1,091 units, a widget each: mounting them all before showing any took
    seconds under "Opening the document…". The units around the cited row are mounted
    first; the rest follow in batches, above and below, in the document's order, and the
    cited row stays where it is shown."""
    from assistant.tui.widgets.document_view import WINDOW

    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "博茨瓦纳何时提交了国家执行行动计划？")
        body = await _open(pilot, 1)
        await until(pilot, lambda: all(v.is_mounted for v in body.views), what="every unit")
        assert list(body.children) == body.views and len(body.views) > 1000
        current = body.views[body.current]
        assert current.unit.locator == "S/2022/899 附件三 第6行" and _visible(body, current)

        document = app.assistant.document("S/2022/899")
        found = units(document)
        target = body.current
        await body.show(found, document.meta.label, target, current.quote)
        assert sum(v.is_mounted for v in body.views) == 2 * WINDOW + 1, "the window alone"
        await until(pilot, lambda: all(v.is_mounted for v in body.views) and body.centred,
                    what="the rest, the cited row centred")
        assert list(body.children) == body.views
        assert body.views[body.current].unit.locator == "S/2022/899 附件三 第6行"
        await pilot.press("slash", *"S/2018/1178", "enter")  # far below the window
        assert body.views[body.current].unit.locator.startswith("S/2022/899 附件二十二")


async def test_viewer_moves_by_paragraph_and_finds_text(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, "委员会 2019 年收到的新援助请求有多少份？")
        body = await _open(pilot, 1)
        await pilot.press("down")
        assert body.views[body.current].unit.locator == "S/2020/347 附件 第7段"
        await pilot.press("up", "up")
        assert body.views[body.current].unit.locator.startswith("S/2020/347 附件")
        await pilot.press("slash", *"国家联络人", "enter")
        found = body.views[body.current]
        assert "国家联络人" in found.unit.text and found.match == "国家联络人"
        first = body.current
        await pilot.press("escape", "n")  # Esc closes the search line; n: next match
        assert body.current > first and "国家联络人" in body.views[body.current].unit.text
        assert "第 2/" in screen_text(app)


def test_locate_handles_split_paragraphs_and_row_ranges(shared_index):
    doc = shared_index.document("S/2022/899")
    found = units(doc)
    split = locate(found, "S/2022/899 附件 第34段 (2/2)", "就生物武器而言")
    assert found[split].locator == "S/2022/899 附件 第34段"
    row = locate(found, "S/2022/899 附件一 第10–20行", "11. 阿")
    assert found[row].locator == "S/2022/899 附件一 第11行"
    assert locate(found, "S/2022/899 附件九十九 第1段", "no such words") is None


def test_an_annex_heading_that_titles_its_table_is_shown_once(shared_index):
    found = units(shared_index.document("S/2022/899"))
    at = next(i for i, u in enumerate(found) if u.locator.startswith("S/2022/899 附件三"))
    heading, table = found[at], found[at + 1]
    assert heading.kind == "heading" and "自愿国家执行行动计划" in heading.text
    assert table.kind == "table" and heading.text not in table.text and "国家" in table.text
    repeated = [u.locator for before, u in pairwise(found)
                if u.kind == "table" and before.kind == "heading" and before.text in u.text]
    assert repeated == [], "no table repeats the heading above it"
