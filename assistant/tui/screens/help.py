"""F1: every key binding of the UI, where it works and what it does."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Label

from assistant.tui.bindings import help_rows
from assistant.tui.screens.chat import ChatScreen
from assistant.tui.screens.drafting import DraftingScreen
from assistant.tui.screens.library import LibraryScreen
from assistant.tui.screens.viewer import DocumentScreen
from assistant.tui.widgets.document_view import DocumentBody
from assistant.tui.widgets.history import HistorySidebar
from assistant.tui.widgets.question_input import QuestionInput
from assistant.tui.widgets.transcript import Transcript

if TYPE_CHECKING:
    from assistant.tui.app import CommitteeApp


class HelpScreen(ModalScreen[None]):
    CSS_PATH = "../styles/modal.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,q", "dismiss", show=False)]

    def rows(self) -> list[tuple[str, str, str]]:
        app: CommitteeApp = self.app  # type: ignore[assignment]
        s = app.strings
        out = help_rows("where_everywhere", [*type(app).BINDINGS,
                                             Binding("ctrl+p", "", "key_palette")], s)
        out += help_rows("where_chat", [*QuestionInput.BINDINGS, *ChatScreen.BINDINGS,
                                        *Transcript.BINDINGS], s)
        out += help_rows("where_history", [Binding("enter", "", "key_history"),
                                           *HistorySidebar.BINDINGS], s)
        out += help_rows("where_viewer", [*DocumentScreen.BINDINGS, *DocumentBody.BINDINGS], s)
        out += help_rows("where_library", LibraryScreen.BINDINGS, s)
        out += help_rows("where_drafting", DraftingScreen.BINDINGS, s)
        return out

    def compose(self) -> ComposeResult:
        s = self.app.strings  # type: ignore[attr-defined]
        with Vertical(classes="modal-box"):
            yield Label(f"{s['help_title']} (Esc)", classes="modal-title")
            yield DataTable(id="keys", cursor_type="row", zebra_stripes=True)

    def on_mount(self) -> None:
        s = self.app.strings  # type: ignore[attr-defined]
        table = self.query_one(DataTable)
        table.add_columns(s["help_key"], s["help_action"], s["help_where"])
        table.add_rows(self.rows())
        table.focus()
