"""The question line: Enter sends (Input.Submitted), Up and Down recall earlier questions."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class QuestionInput(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "recall(-1)", "key_recall", show=False, key_display="↑"),
        Binding("down", "recall(1)", show=False),
    ]

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.questions: list[str] = []
        self._cursor: int | None = None
        self._draft = ""

    def remember(self, question: str) -> None:
        if not self.questions or self.questions[-1] != question:
            self.questions.append(question)
        self._cursor = None

    def action_recall(self, step: int) -> None:
        """Walk back (-1) or forward (+1) through the questions asked, shell-style."""
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
        self.cursor_position = len(self.value)
