"""Errors reach the delegate as notifications saying what to do, never as a traceback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from index_fixture import settings_for
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.outputs import ChatGenerationChunk
from pilot_helpers import ask, notifications, ready, until

from assistant import Assistant, Settings
from assistant.tui import make_app
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.widgets.transcript import AnswerView, PendingView

pytestmark = pytest.mark.anyio


class Unreachable(FakeListChatModel):
    """A chat model whose server is gone, whether asked for a reply or a stream of one."""

    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise ConnectionError("[Errno 111] Connection refused")

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        raise ConnectionError("[Errno 111] Connection refused")


def _errors(app) -> list[str]:
    return [message for severity, message in notifications(app) if severity == "error"]


async def test_empty_question_is_a_notification(chinese_app):
    app = chinese_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("space", "enter")
        await until(pilot, lambda: _errors(app), what="the notification")
        assert "question is empty" in _errors(app)[0]
        assert not app.screen.query(PendingView) and isinstance(app.screen, ChatScreen)


async def test_missing_records_say_what_to_do(tmp_path: Path):
    settings = settings_for(tmp_path / "index")
    settings.index.corpus = tmp_path / "no-records-here"
    settings.ui.language = "en"
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        errors = _errors(app)
        assert any("no-records-here" in e and "index.corpus" in e for e in errors)
        assert any("holds no document" in e for e in errors)
        view = await ask(pilot, "How many assistance requests?")
        assert not view.answer.supported


async def test_unusable_index_folder_is_a_notification(tmp_path: Path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("")
    settings = settings_for(blocker / "index")
    app = make_app(settings)
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        assert _errors(app), "opening the index failed visibly"
        await pilot.press(*"援助", "enter")
        await until(pilot, lambda: len(_errors(app)) >= 2, what="the second notification")
        assert isinstance(app.screen, ChatScreen)


async def test_unreachable_llm_falls_back_and_says_so(shared_index: Assistant):
    settings = settings_for(shared_index.settings.index.dir,
                            shared_index.settings.index.embedding_cache_dir)
    settings.answer.backend = "llm"
    with Assistant(settings, chat_model=Unreachable(responses=[])) as assistant:
        app = make_app(settings, assistant)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            view = await ask(pilot, "委员会 2019 年收到的新援助请求有多少份？")
            assert "12份" in view.answer.text, "the extractive answer is shown instead"
            warnings = [m for s, m in notifications(app) if s == "warning"]
            assert any("unreachable" in w for w in warnings)


async def test_llm_that_cannot_be_set_up_is_an_error_with_the_way_out(shared_index):
    settings: Settings = shared_index.settings.model_copy(deep=True)
    settings.answer.backend = "llm"
    settings.answer.llm.model = "no-such-provider:model"
    settings.ui.language = "en"
    with Assistant(settings) as assistant:
        app = make_app(settings, assistant)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press(*"aid requests", "enter")
            await until(pilot, lambda: _errors(app), what="the notification")
            assert "switch to extractive" in _errors(app)[0]
            assert not app.screen.query(AnswerView)
