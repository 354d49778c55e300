"""The question box: Enter sends, Shift+Enter (or Ctrl+J) starts a new line, Up and Down
recall earlier questions from the first and last line.

A text area rather than a one-line input, so that a long question wraps where it can be
read and a question with several parts can be laid out on several lines. Terminals send
Shift+Enter as its own key only with the kitty keyboard protocol; elsewhere it arrives as
Enter, and Ctrl+J (a plain line feed in every terminal) is the new line that always works.

Enter is read in the box's own key handler, never as a priority binding: a priority
binding runs as the app receives the key, while the characters before it are still
waiting in the box's queue, so a question arriving with its Enter in one burst (a paste,
a fast typist, tmux send-keys) was sent cut to the characters the box had inserted so far.
Read here, Enter comes after every character typed before it.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import TextArea


class QuestionInput(TextArea):
    DEFAULT_CSS = """
    QuestionInput { height: auto; min-height: 3; max-height: 7; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        # Listed for the help screen; `_on_key` acts on them, in the order typed.
        Binding("enter", "submit", "key_send", show=False),
        Binding("shift+enter,ctrl+j", "newline", "key_newline", show=False),
        Binding("up", "recall(-1)", "key_recall", show=False, key_display="↑"),
        Binding("down", "recall(1)", show=False),
    ]

    class Submitted(Message):
        """Enter: the question as typed (the chat screen trims it, sends it, clears the box)."""

        def __init__(self, question_input: QuestionInput, value: str) -> None:
            super().__init__()
            self.question_input = question_input
            self.value = value

        @property
        def control(self) -> QuestionInput:
            return self.question_input

    def __init__(self, *, placeholder: str = "", id: str | None = None) -> None:
        super().__init__(placeholder=placeholder, id=id, soft_wrap=True, tab_behavior="focus",
                         show_line_numbers=False, highlight_cursor_line=False)
        self.questions: list[str] = []
        self._cursor: int | None = None
        self._draft = ""

    @property
    def value(self) -> str:
        return self.text

    @value.setter
    def value(self, text: str) -> None:
        """Replace the text, with the cursor at its end (where typing goes on)."""
        self.load_text(text)
        self.move_cursor(self.document.end)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # A text area redoes on Ctrl+Y, the chat's key for copying the answer: without
        # redo here (undo, Ctrl+Z, stays) the key reaches the chat screen.
        return action != "redo" and super().check_action(action, parameters)

    _KEY_ACTIONS: ClassVar[dict[str, str]] = {
        "enter": "submit", "shift+enter": "newline", "ctrl+j": "newline"}

    async def _on_key(self, event: events.Key) -> None:
        # Textual calls the text area's own handler after this one (down the MRO) unless
        # the default is prevented: other keys are typed there.
        action = self._KEY_ACTIONS.get(event.key)
        if action is None or self.read_only:
            return
        event.stop()
        event.prevent_default()
        if action == "submit":
            self.action_submit()
        else:
            self.action_newline()

    async def _on_paste(self, event: events.Paste) -> None:
        """A pasted question that ends with its line break is sent, as if its Enter had
        been typed after it; line breaks inside it stay, as new lines of the question."""
        text = event.text.replace("\r\n", "\n").replace("\r", "\n")
        if not text.endswith("\n") or self.read_only:
            return  # the text area's own handler pastes it
        event.stop()
        event.prevent_default()
        start, end = self.selection
        self.replace(text.rstrip("\n"), start, end, maintain_selection_offset=False)
        self.action_submit()

    def action_submit(self) -> None:
        self.post_message(self.Submitted(self, self.text))

    def action_newline(self) -> None:
        start, end = self.selection
        self.replace("\n", start, end, maintain_selection_offset=False)

    def remember(self, question: str) -> None:
        if not self.questions or self.questions[-1] != question:
            self.questions.append(question)
        self._cursor = None

    def action_recall(self, step: int) -> None:
        """Walk back (-1) or forward (+1) through the questions asked, shell-style, once
        the cursor is on the first (or last) line; within the text, move the cursor."""
        here = self.cursor_location
        on_edge = self.navigator.is_first_wrapped_line(here) if step < 0 \
            else self.navigator.is_last_wrapped_line(here)
        if not on_edge and step < 0:
            self.action_cursor_up()
            return
        if not on_edge:
            self.action_cursor_down()
            return
        if not self.questions:
            return
        if self._cursor is None:
            if step > 0:
                return
            self._draft = self.value
            self._cursor = len(self.questions)
        self._cursor += step
        if self._cursor >= len(self.questions):
            self._cursor = None
            self.value = self._draft
        else:
            self._cursor = max(self._cursor, 0)
            self.value = self.questions[self._cursor]
