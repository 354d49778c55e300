"""Ask, read the answer and its sources, follow up: what a delegate does first."""

from __future__ import annotations

import pytest
from pilot_helpers import ask, burst, notifications, ready, screen_text, until
from textual import events

from assistant.tui.screens.chat import ChatScreen
from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.sources import CitationCard, SourcesPanel
from assistant.tui.widgets.transcript import AnswerView, QuestionView

pytestmark = pytest.mark.anyio

QUESTION = "委员会 2019 年收到的新援助请求有多少份？"


async def test_question_gets_an_answer_with_its_sources_beside_it(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert isinstance(app.screen, ChatScreen)
        assert isinstance(app.focused, QuestionInput)
        view = await ask(pilot, QUESTION)
        assert view.answer.supported and "12份" in view.answer.text and "[1]" in view.answer.text
        cards = app.screen.query_one(SourcesPanel).cards
        assert cards[0].citation.locator == "S/2020/347 附件 第6段"
        quote = cards[0].citation.quote
        rendered = cards[0].render()
        quote_style = cards[0].get_component_rich_style("citation--quote")
        assert any(rendered.plain[span.start:span.end] == quote and span.style == quote_style
                   for span in rendered.spans), "the quote is highlighted inside its passage"
        text = screen_text(app)
        assert "12份" in text and "S/2020/347 附件 第6段" in text and "来源" in text
        assert app.focused is app.screen.query_one(QuestionInput), "ready for a follow-up"


async def test_follow_up_is_read_against_the_earlier_question(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        follow = await ask(pilot, "那 2018 年呢？")
        assert "9项" in follow.answer.text
        assert follow.answer.resolved_question and "2018" in follow.answer.resolved_question
        assert "理解为" in screen_text(app)
        first, second = app.screen.query(AnswerView)
        assert first.answer.conversation_id == second.answer.conversation_id
        cards = app.screen.query_one(SourcesPanel).cards
        assert "第18段" in cards[0].citation.locator, "the sources follow the latest answer"


async def test_selecting_an_earlier_answer_shows_its_sources(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        await ask(pilot, "那 2018 年呢？")
        await pilot.press("escape")  # to the latest answer
        await pilot.press("up")      # the one before it
        await until(pilot, lambda: app.screen.query(CitationCard).first().citation.locator
                    == "S/2020/347 附件 第6段", what="the earlier answer's sources")


async def test_up_recalls_earlier_questions(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        box = app.screen.query_one(QuestionInput)
        box.focus()
        await pilot.press("up")
        assert box.value == QUESTION
        await pilot.press("down")
        assert box.value == ""


@pytest.mark.parametrize("newline", ["shift+enter", "ctrl+j"])
async def test_new_line_within_a_question_and_enter_sends_it_whole(chinese_app, newline):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        box = app.screen.query_one(QuestionInput)
        one_line = box.outer_size.height
        await pilot.press(*"博茨瓦纳何时提交了", newline, *"国家执行行动计划")
        assert box.value == "博茨瓦纳何时提交了\n国家执行行动计划"
        assert not app.screen.query(QuestionView), "a new line does not send"
        assert box.outer_size.height == one_line + 1, "the box grows with its lines"
        await pilot.press("enter")
        await until(pilot, lambda: app.screen.query(AnswerView), what="the answer")
        [asked] = app.screen.query(QuestionView)
        [view] = app.screen.query(AnswerView)
        assert view.answer.question == "博茨瓦纳何时提交了\n国家执行行动计划"
        assert "博茨瓦纳何时提交了\n国家执行行动计划" in str(asked.render())
        assert box.value == "" and box.outer_size.height == one_line


async def test_up_moves_within_a_question_before_it_recalls_earlier_ones(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        box = app.screen.query_one(QuestionInput)
        await pilot.press(*"博茨瓦纳", "shift+enter", *"行动计划")
        await pilot.press("up")
        assert box.value == "博茨瓦纳\n行动计划" and box.cursor_location[0] == 0
        await pilot.press("up")
        assert box.value == QUESTION, "from the first line, Up recalls"
        await pilot.press("down")
        assert box.value == "博茨瓦纳\n行动计划", "and Down brings the draft back"


async def test_typed_chinese_question_reaches_the_assistant(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press(*"委员会2019年收到的新援助请求有多少份", "enter")
        await until(pilot, lambda: app.screen.query(AnswerView), what="the answer")
        assert "12份" in app.screen.query_one(AnswerView).answer.text


async def test_unanswerable_question_is_marked_and_offers_nearest_passages(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await ask(pilot, "委员会对火星殖民有什么看法？")
        assert not view.answer.supported
        text = screen_text(app)
        assert "⚠ 记录中没有找到答案" in text
        assert "最接近的段落" in text
        assert app.screen.query(CitationCard), "the see-also passages are listed"


async def test_copy_answer_and_quote(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        view = await ask(pilot, QUESTION)
        await pilot.press("ctrl+y")
        assert app.clipboard == view.answer.text
        await pilot.press("escape", "y")
        assert app.clipboard == view.answer.citations[0].quote


async def test_question_typed_while_the_index_is_prepared_is_answered_when_ready(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)  # the start-up check is over: it cannot set `ready` meanwhile
        app.ready = False  # as while a changed index is still being checked and warmed
        chat = app.screen
        box = app.screen.query_one(QuestionInput)
        box.value = QUESTION
        await pilot.press("enter")
        await until(pilot, lambda: chat._queue, what="the question queued")
        await pilot.pause()
        assert not chat.query(AnswerView), "held back until the index is ready"
        app.ready = True
        await until(pilot, lambda: app.screen.query(AnswerView), what="the queued answer")
        assert "12份" in app.screen.query_one(AnswerView).answer.text


async def test_question_arriving_with_its_enter_in_one_burst_is_asked_whole(chinese_app):
    """tmux send-keys "question" Enter, a paste or a fast typist, to the UI just opened:
    the whole question is asked, not its first character."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        burst(pilot, QUESTION, "enter")
        await until(pilot, lambda: app.screen.query(AnswerView), what="the answer")
        [asked] = app.screen.query(QuestionView)
        [view] = app.screen.query(AnswerView)
        assert view.answer.question == QUESTION and QUESTION in str(asked.render())
        assert "12份" in view.answer.text
        assert app.screen.query_one(QuestionInput).value == "", "nothing left behind"


async def test_pasted_question_with_its_line_break_is_asked_whole(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.screen.query_one(QuestionInput).post_message(events.Paste(QUESTION + "\r\n"))
        await until(pilot, lambda: app.screen.query(AnswerView), what="the answer")
        assert app.screen.query_one(AnswerView).answer.question == QUESTION
        await pilot.press("escape")  # a paste without a line break waits for Enter
        app.screen.query_one(QuestionInput).post_message(events.Paste("那 2018 年呢？"))
        await until(pilot, lambda: app.screen.query_one(QuestionInput).value)
        assert len(app.screen.query(AnswerView)) == 1
        assert app.focused is app.screen.query_one(QuestionInput)


async def test_typing_on_an_answer_goes_to_the_question_box(chinese_app):
    """Esc moves to the answers (1–9 open a source, y copies a quote); any other key
    typed there starts the next question, and the question already typed is kept."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await ask(pilot, QUESTION)
        box = app.screen.query_one(QuestionInput)
        await pilot.press(*"那 ")
        await pilot.press("escape")
        assert isinstance(app.focused, AnswerView) and box.value == "那 ", "Esc keeps it"
        burst(pilot, "2018 年呢？", "enter")
        await until(pilot, lambda: len(app.screen.query(AnswerView)) == 2, what="the answer")
        assert app.screen.query(AnswerView).last().answer.question == "那 2018 年呢？"
        assert "9项" in app.screen.query(AnswerView).last().answer.text
        assert not [n for n in notifications(app) if n[0] == "warning"], "no source 2 opened"


async def test_keys_typed_before_the_box_has_the_focus_are_kept(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        app.screen.set_focus(None)
        burst(pilot, "blah")
        await until(pilot, lambda: app.screen.query_one(QuestionInput).value == "blah",
                    what="the typed text in the box")
        assert app.focused is app.screen.query_one(QuestionInput)


@pytest.mark.parametrize("key", ["f1", "f2", "f4", "f3"])
async def test_back_from_any_screen_typing_goes_to_the_question_box(chinese_app, key):
    """Help (F1), settings (F2), drafting (F4) and the history (F3, closed again): after
    them, a question typed at once is asked whole."""
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        chat = app.screen
        await pilot.press(key)
        await until(pilot, lambda: app.screen is not chat or app.focused is not
                    chat.query_one(QuestionInput), what="the other screen or the history")
        await pilot.press(key if key == "f3" else "escape")
        await until(pilot, lambda: app.screen is chat, what="the chat")
        burst(pilot, QUESTION, "enter")
        await until(pilot, lambda: app.screen.query(AnswerView), what="the answer")
        assert app.screen.query_one(AnswerView).answer.question == QUESTION


@pytest.mark.parametrize("language", ["zh", "en"])
async def test_sources_placeholder_wraps_within_its_panel(chinese_app, language):
    """At 80 columns the placeholder was cut at the right edge."""
    app = chinese_app()
    app.apply_language(language)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        right = "".join(line.split("▏", 1)[1].strip() for line in screen_text(app).splitlines()
                        if "▏" in line)
        assert app.strings["no_sources"].replace(" ", "") in right.replace(" ", "")
