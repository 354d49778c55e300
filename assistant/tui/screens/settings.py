"""F2: answer backend, UI language and theme, for this run."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Select

if TYPE_CHECKING:
    from assistant.tui.app import CommitteeApp


class SettingsScreen(ModalScreen[None]):
    CSS_PATH = "../styles/modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "dismiss", show=False)]

    @property
    def committee(self) -> CommitteeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        app = self.committee
        s = app.strings
        with Vertical(classes="modal-box"):
            yield Label(s["settings_title"], classes="modal-title")
            yield Label(s["settings_backend"])
            yield Select([(s["settings_backend_extractive"], "extractive"),
                          (s["settings_backend_llm"], "llm")],
                         value=app.assistant.settings.answer.backend, allow_blank=False,
                         id="backend")
            yield Label(s["settings_language"])
            yield Select([("中文", "zh"), ("English", "en")], value=s.language,
                         allow_blank=False, id="language")
            yield Label(s["settings_theme"])
            yield Select([(name, name) for name in sorted(app.available_themes)],
                         value=app.theme, allow_blank=False, id="theme")
            yield Label(s["settings_note"], classes="modal-note", markup=False)
            with Horizontal(classes="buttons"):
                yield Button(s["cancel"], id="cancel")
                yield Button(s["save"], id="save", variant="primary")

    @on(Button.Pressed, "#cancel")
    def _cancel(self) -> None:
        self.dismiss()

    @on(Button.Pressed, "#save")
    def _save(self) -> None:
        app = self.committee
        backend = self.query_one("#backend", Select).value
        language = self.query_one("#language", Select).value
        theme = self.query_one("#theme", Select).value
        # The Assistant reads its backend on every question, so the next one uses it.
        app.assistant.settings.answer.backend = backend  # type: ignore[assignment]
        app.settings.answer.backend = backend  # type: ignore[assignment]
        if isinstance(theme, str):
            app.theme = theme
            app.settings.ui.theme = theme
        if isinstance(language, str) and language != app.strings.language:
            app.apply_language(language)
        self.dismiss()
