"""The conversation pane: questions, and answers rendered as Markdown with [n] markers.

Focusing an answer (Up/Down, or a click) selects it: the screen shows its sources. While
an LLM writes, its words stream into the pending answer; the checked answer replaces them.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.events import Focus
from textual.message import Message
from textual.widgets import Label, LoadingIndicator, Markdown, Static
from textual.widgets.markdown import MarkdownStream

from assistant import Answer


class QuestionView(Static):
    DEFAULT_CSS = """
    QuestionView { margin: 1 0 0 0; padding: 0 1; background: $boost; text-style: bold; }
    """

    def __init__(self, question: str) -> None:
        super().__init__(question, markup=False)  # "[ui]" typed is "[ui]" shown


class PendingView(Vertical):
    """A question's answer to come: "thinking", then the model's words as they arrive (a
    preview, unchecked: the answer view replaces this one when the answer is complete)."""

    DEFAULT_CSS = """
    PendingView { height: auto; min-height: 3; }
    PendingView LoadingIndicator { height: 1; }
    PendingView Label { color: $text-muted; padding: 0 1; }
    PendingView .preview { margin: 0; padding: 0 1; border-left: tall $panel; }
    """

    def __init__(self, text: str) -> None:
        super().__init__()
        self._text = text
        self._stream: MarkdownStream | None = None
        self.preview = ""
        """The streamed text so far."""

    def compose(self) -> ComposeResult:
        yield LoadingIndicator()
        yield Label(self._text, markup=False)

    async def write(self, text: str) -> None:
        """More of the answer. Markdown's own stream batches pieces that come faster than
        they can be laid out, so a fast model never backs up the UI."""
        if self._stream is None:
            preview = Markdown(classes="preview")
            await self.mount(preview, before=0)
            self.query_one(Label).display = False
            self._stream = Markdown.get_stream(preview)
        self.preview += text
        await self._stream.write(text)

    async def on_unmount(self) -> None:
        if self._stream is not None:
            await self._stream.stop()


class AnswerView(Vertical, can_focus=True):
    """One answer. A `supported=False` answer carries a visible marker."""

    DEFAULT_CSS = """
    AnswerView { height: auto; padding: 0 1; border-left: tall $panel; }
    AnswerView:focus { border-left: tall $accent; background: $boost; }
    AnswerView .unsupported { color: $warning; text-style: bold; }
    AnswerView .understood { color: $text-muted; }
    AnswerView .note { color: $text-muted; text-style: italic; }
    AnswerView Markdown { margin: 0; padding: 0; }
    """

    class Selected(Message):
        def __init__(self, view: AnswerView) -> None:
            super().__init__()
            self.view = view

    def __init__(self, answer: Answer, *, not_supported: str, understood_as: str) -> None:
        super().__init__()
        self.answer = answer
        self._not_supported = not_supported
        self._understood_as = understood_as

    def compose(self) -> ComposeResult:
        if not self.answer.supported:
            yield Label(self._not_supported, classes="unsupported")
        if self.answer.resolved_question:
            yield Label(self._understood_as, classes="understood", markup=False)
        yield Markdown(self.answer.text)
        for note in self.answer.notes:
            yield Label(note, classes="note", markup=False)

    def relabel(self, *, not_supported: str, understood_as: str) -> None:
        """The UI language changed: the labels this view wrote (the answer stays)."""
        self._not_supported, self._understood_as = not_supported, understood_as
        for label in self.query(".unsupported").results(Label):
            label.update(not_supported)
        for label in self.query(".understood").results(Label):
            label.update(understood_as)

    @on(Focus)
    def _selected(self) -> None:
        self.post_message(self.Selected(self))


class Transcript(VerticalScroll, can_focus=False):
    BINDINGS: ClassVar[list[BindingType]] = [
        # Arrows only: a letter typed here starts a question (the chat sends it to the box).
        Binding("up", "step(-1)", "key_prev_answer", show=False),
        Binding("down", "step(1)", "key_next_answer", show=False),
    ]

    @property
    def answers(self) -> list[AnswerView]:
        return list(self.query(AnswerView))

    def add_question(self, question: str, pending_text: str) -> None:
        self.mount(QuestionView(question))
        self.mount(PendingView(pending_text))
        self.scroll_end(animate=False)

    @property
    def pending(self) -> PendingView | None:
        """The answer being prepared (questions typed meanwhile wait behind it)."""
        return next(iter(self.query(PendingView)), None)

    async def stream(self, text: str) -> None:
        pending = self.pending
        if pending is None:  # the conversation was left meanwhile
            return
        following = self.is_vertical_scroll_end
        await pending.write(text)
        if following:  # unless the delegate scrolled up to read
            self.call_after_refresh(self.scroll_end, animate=False)

    def add_answer(self, view: AnswerView) -> None:
        pending = self.pending
        if pending is None:
            self.mount(view)
        else:
            self.mount(view, after=pending)
            pending.remove()
        self.call_after_refresh(self.scroll_end, animate=False)

    def drop_pending(self) -> None:
        if self.pending is not None:
            self.pending.remove()

    def action_step(self, step: int) -> None:
        answers = self.answers
        if not answers:
            return
        focused = self.screen.focused
        index = answers.index(focused) if focused in answers else len(answers)
        target = answers[max(0, min(len(answers) - 1, index + step))]
        target.focus()
        self.scroll_to_widget(target, animate=False)
