"""An LLM's answer appears as it is written, and the UI stays usable however slow it is."""

from __future__ import annotations

import itertools
import json
import re
import threading
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import pytest
from index_fixture import settings_for
from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from pilot_helpers import notifications, ready, screen_text, until
from textual.widgets import Label

from assistant import Assistant
from assistant.llm import LLMSettings
from assistant.tui import make_app
from assistant.tui.screens.help import HelpScreen
from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.transcript import AnswerView, PendingView, QuestionView, Transcript

if TYPE_CHECKING:
    from llm_server import Server

pytestmark = pytest.mark.anyio

QUESTION = "委员会 2019 年收到的新援助请求有多少份？"
FACT = "委员会收到了12份新的援助请求"
ANSWER = f"2019年，{FACT}，迄今已向8个国家提供了援助 [1]。"


class Writer(FakeListChatModel):
    """Writes, a character every `sleep` seconds (as a model streams tokens), a reply that
    quotes the retrieved passage holding FACT. With a `gate`, it stops after its first
    words until the test opens the gate: the model is "still writing" for as long as the
    test needs, however slow the machine."""

    gate: Any = None
    """A threading.Event the stream waits on after its first words, or None."""

    def _stream(self, messages: list[BaseMessage], *args: Any,
                **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        prompt = messages[-1].text
        cited = next(int(n) for n, text in re.findall(
            r'<passage n="(\d+)"[^>]*>\n(.*?)\n</passage>', prompt, re.S) if FACT in text)
        self.responses, self.i = [json.dumps(
            {"answer": ANSWER, "supported": True,
             "citations": [{"n": 1, "passage": cited, "quote": FACT}]}, ensure_ascii=False)], 0
        for written, chunk in enumerate(super()._stream(messages, *args, **kwargs)):
            if self.gate is not None and written == 20:  # into the answer's first words
                self.gate.wait(timeout=600)
            yield chunk


def _llm_app(shared_index: Assistant, model: Writer | None = None, *,
             llm: LLMSettings | None = None):
    """The app over the shared index with the LLM backend: `model` injected, or the real
    chat model `llm` names."""
    settings = settings_for(shared_index.settings.index.dir,
                            shared_index.settings.index.embedding_cache_dir)
    settings.answer.backend = "llm"
    if llm is not None:
        settings.answer.llm = llm
    settings.ui.language = "zh"
    assistant = Assistant(settings, chat_model=model)
    return assistant, make_app(settings, assistant)


async def _ask_watching(pilot, timeout: float = 120.0,
                        watch: Callable[[], None] | None = None) -> list[str]:
    """Ask QUESTION and wait for its answer; the previews shown while it was written
    (`watch` is called at each)."""
    app = pilot.app
    app.screen.query_one(QuestionInput).value = QUESTION
    await pilot.press("enter")
    transcript = app.screen.query_one(Transcript)
    previews: list[str] = []

    def answered() -> bool:
        if transcript.pending is not None and transcript.pending.preview:
            previews.append(transcript.pending.preview)
            if watch is not None:
                watch()
        return bool(app.screen.query(AnswerView))

    await until(pilot, answered, timeout=timeout, what="the answer")
    return previews


async def test_llm_answer_is_shown_as_it_is_written_then_replaced_by_the_checked_one(
        shared_index: Assistant):
    assistant, app = _llm_app(shared_index, Writer(responses=[], sleep=0.03))
    with assistant:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            on_screen: list[bool] = []
            previews = await _ask_watching(
                pilot, watch=lambda: on_screen.append("2019年，委员会收到" in screen_text(app)))
            assert len(set(previews)) > 3, "the text grew piece by piece"
            assert all(ANSWER.startswith(p) for p in previews)
            assert any(on_screen), "in the transcript before the checked answer"
            [view] = app.screen.query(AnswerView)
            assert view.answer.backend.startswith("llm:") and view.answer.supported
            assert view.answer.text == ANSWER
            assert FACT in view.answer.citations[0].quote and view.answer.citations[0].verified()
            assert not app.screen.query(PendingView), "the preview gave way to the answer"
            assert "S/2020/347 附件 第6段" in screen_text(app), "with its sources beside it"
            [turn] = app.screen.conversation.turns  # type: ignore[attr-defined]
            assert turn.answer.text == ANSWER, "the conversation keeps the checked answer"


async def test_slow_model_never_freezes_the_ui(shared_index: Assistant):
    gate = threading.Event()  # the model writes a few words, then waits for the test
    assistant, app = _llm_app(shared_index, Writer(responses=[], sleep=0.02, gate=gate))
    with assistant:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            box = app.screen.query_one(QuestionInput)
            box.value = QUESTION
            await pilot.press("enter")
            transcript = app.screen.query_one(Transcript)
            await until(pilot, lambda: transcript.pending and transcript.pending.preview,
                        what="the first words")
            await pilot.press(*"那2018年呢")
            assert box.value == "那2018年呢", "typing goes on while the model writes"
            await pilot.press("f1")
            assert isinstance(app.screen, HelpScreen), "and so do the other keys"
            await pilot.press("escape")
            await pilot.press("enter")
            assert len(app.screen.query(QuestionView)) == 2, "the next question waits its turn"
            assert len(app.screen.query(PendingView)) == 2 and not app.screen.query(AnswerView)
            gate.set()
            await until(pilot, lambda: app.screen.query(AnswerView), what="the first answer")


@pytest.mark.llm_server
async def test_against_a_real_model_server_the_answer_streams_then_is_checked_or_falls_back(
        shared_index: Assistant, llm_server: Server):
    """Gemma 3 270M on llama.cpp's server (tests/llm_server.py): whatever the tiny model
    writes, the chat ends with an answer whose citations check out, or with the extractive
    answer and one line saying why, on screen, within the timeout."""
    timeout_s = 120.0
    assistant, app = _llm_app(shared_index, llm=LLMSettings(
        model="openai:gemma", base_url=llm_server.url, timeout_s=timeout_s))
    with assistant:
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            previews = await _ask_watching(pilot, timeout=timeout_s + 60)
            [view] = app.screen.query(AnswerView)
            answer = view.answer
            assert not app.screen.query(PendingView), "the preview gave way to the answer"
            assert all(b.startswith(a) for a, b in itertools.pairwise(previews)), \
                "the preview only grows"
            if answer.backend.startswith("llm:"):
                assert answer.citations and all(c.verified() for c in answer.citations)
            else:
                assert answer.fallback is not None
                [reason] = [n for n in answer.notes if n.startswith(("LLM ", "no passages"))]
                assert "\n" not in reason
                shown = [str(label.content) for label in view.query(".note").results(Label)]
                assert reason in shown, "the reason is under the answer"
                assert ("warning", reason) in notifications(app), "and said aloud"
    assert llm_server.wait_idle(within_s=120) < 120, "nothing is left generating"
