"""The library filters the chat to one document (shown in the header); saved
conversations are listed, resumed and continued."""

from __future__ import annotations

import pytest
from pilot_helpers import ask, burst, notifications, ready, screen_text, until

from assistant import SearchFilter
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.widgets.history import HistorySidebar
from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.transcript import AnswerView

pytestmark = pytest.mark.anyio


async def test_filter_by_document_restricts_answers_and_shows_in_the_header(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen)
                    and app.screen.metas, what="the library")
        library = app.screen
        assert "S/2022/899" in screen_text(app) and "全面审查" in screen_text(app)
        row = next(i for i, m in enumerate(library.metas) if m.symbol == "S/2022/899")
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, ChatScreen), what="the chat")
        doc_id = library.metas[row].id
        assert app.search_filter == SearchFilter(doc_id=doc_id)
        assert "筛选：S/2022/899" in screen_text(app)
        view = await ask(pilot, "委员会收到了多少份新的援助请求？")
        cited = view.answer.citations or view.answer.see_also
        assert cited and all(c.doc_id == doc_id for c in cited)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="the library")
        await pilot.press("ctrl+r")
        assert app.search_filter is None and "全部文件" in screen_text(app)


async def test_filter_by_years_and_type(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="the library")
        app.screen.query_one("#year-from").value = "2018"
        app.screen.query_one("#year-to").value = "2019"
        await pilot.press("ctrl+s")
        assert app.search_filter == SearchFilter(year_from=2018, year_to=2019)
        assert "2018–2019 年" in screen_text(app)
        view = await ask(pilot, "委员会收到了多少份新的援助请求？")
        assert all(c.date and c.date.startswith("2018") for c in view.answer.citations)


async def test_history_resumes_a_saved_conversation(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        first = await ask(pilot, "委员会 2019 年收到的新援助请求有多少份？")
        conversation_id = first.answer.conversation_id
        await pilot.press("ctrl+n")
        assert not app.screen.query(AnswerView)
        await pilot.press("f3")
        sidebar = app.screen.query_one(HistorySidebar)
        await until(pilot, lambda: sidebar.query("ConversationItem"), what="the history")
        items = list(sidebar.query("ConversationItem"))
        index = next(i for i, item in enumerate(items) if item.info.id == conversation_id)
        sidebar.query_one("ListView").index = index
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query(AnswerView), what="the resumed turns")
        assert "12份" in app.screen.query_one(AnswerView).answer.text
        assert "委员会 2019 年收到的新援助请求有多少份" in screen_text(app)
        follow = await ask(pilot, "那 2018 年呢？")
        assert follow.answer.conversation_id == conversation_id
        assert "9项" in follow.answer.text


async def test_history_renames_and_deletes(chinese_app, shared_index):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        answer = (await ask(pilot, "博茨瓦纳何时提交了国家执行行动计划？")).answer
        await pilot.press("f3")
        sidebar = app.screen.query_one(HistorySidebar)
        await until(pilot, lambda: sidebar.query("ConversationItem"), what="the history")
        items = list(sidebar.query("ConversationItem"))
        sidebar.query_one("ListView").index = next(
            i for i, item in enumerate(items) if item.info.id == answer.conversation_id)
        sidebar.query_one("ListView").focus()
        await pilot.press("r")
        await until(pilot, lambda: app.screen.query("#prompt-input"), what="the prompt")
        app.screen.query_one("#prompt-input").value = "博茨瓦纳行动计划"
        await pilot.press("enter")
        await until(pilot, lambda: any(i.title == "博茨瓦纳行动计划"
                                       for i in shared_index.conversations()), what="rename")
        await until(pilot, lambda: "博茨瓦纳行动计划" in screen_text(app), what="new title")
        await pilot.press("delete")
        await until(pilot, lambda: all(i.id != answer.conversation_id
                                       for i in shared_index.conversations()), what="delete")
        assert not app.screen.query(AnswerView), "deleting the open conversation clears it"


async def test_a_filter_applied_midway_keeps_the_question_and_typing_goes_on(chinese_app):
    """A question half typed, the library opened to filter by years: back in the chat the
    half is still there, and the rest typed at once (with its Enter) completes it."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        chat = app.screen
        await pilot.press(*"委员会收到了")
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen), what="the library")
        app.screen.query_one("#year-from").value = "2018"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: app.screen is chat, what="the chat")
        assert app.search_filter == SearchFilter(year_from=2018)
        burst(pilot, "多少份新的援助请求？", "enter")
        await until(pilot, lambda: chat.query(AnswerView), what="the answer")
        assert chat.query_one(AnswerView).answer.question == "委员会收到了多少份新的援助请求？"
        assert chat.query_one(QuestionInput).value == "" and app.focused is \
            chat.query_one(QuestionInput)


async def test_library_titles_are_whole(chinese_app):
    """Cut at the right edge, the 2018 review and the 2022 review looked alike: titles
    wrap within the screen instead."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen)
                    and app.screen.metas, what="the library")
        table = app.screen.query_one("#documents")
        await until(pilot, lambda: table.row_count == len(app.screen.metas)
                    and table.virtual_size.height > table.row_count + 1, what="the rows laid out")
        assert table.virtual_size.width <= table.scrollable_content_region.width
        flat = "".join(screen_text(app).split())  # a wrapped title reads on, line to line
        for meta in app.screen.metas:
            assert "".join(meta.title.split()) in flat, meta.title


async def test_library_lists_the_documents_naming_a_state_given_in_english(chinese_app,
                                                                          shared_index):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+l")
        await until(pilot, lambda: isinstance(app.screen, LibraryScreen)
                    and app.screen.metas, what="the library")
        library = app.screen
        every = len(library.metas)
        library.query_one("#library-name").focus()
        await pilot.press(*"Botswana", "enter")
        await until(pilot, lambda: len(library.metas) < every, what="the documents naming it")
        shown = {m.id for m in library.metas}
        assert shown == set(shared_index.documents_naming("博茨瓦纳"))
        assert "S/2022/899" in {m.symbol for m in library.metas}
        assert library.query_one("#documents").row_count == len(shown)
        library.query_one("#library-name").value = "Botswanna"
        library.query_one("#library-name").focus()
        await pilot.press("enter")
        await until(pilot, lambda: any(s == "error" for s, _ in notifications(app)),
                    what="the unknown name reported")
        assert {m.id for m in library.metas} == shown, "the list stays as it was"
