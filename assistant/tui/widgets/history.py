"""The sidebar of saved conversations: Enter resumes, r renames, Delete removes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Label, ListItem, ListView

from assistant import ConversationInfo


class ConversationItem(ListItem):
    def __init__(self, info: ConversationInfo, label: str) -> None:
        super().__init__(Label(label, markup=False))
        self.info = info


class HistorySidebar(Vertical):
    DEFAULT_CSS = """
    HistorySidebar { width: 32; border-right: vkey $panel; }
    HistorySidebar > .history-title { text-style: bold; padding: 0 1; }
    HistorySidebar > .history-empty { color: $text-muted; padding: 0 1; }
    HistorySidebar ListView { height: 1fr; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "rename", "key_rename"),
        Binding("delete,d", "delete", "key_delete"),
    ]

    class Resume(Message):
        def __init__(self, conversation_id: str) -> None:
            super().__init__()
            self.conversation_id = conversation_id

    class Rename(Message):
        def __init__(self, info: ConversationInfo) -> None:
            super().__init__()
            self.info = info

    class Delete(Message):
        def __init__(self, info: ConversationInfo) -> None:
            super().__init__()
            self.info = info

    def __init__(self, title: str, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._title = title

    def compose(self) -> ComposeResult:
        yield Label(self._title, classes="history-title", markup=False)
        yield ListView()

    def retitle(self, title: str) -> None:
        """The UI language changed."""
        self._title = title
        self.query_one(".history-title", Label).update(title)

    def show(self, infos: list[ConversationInfo], *, empty: str, untitled: str,
             turns: Callable[[int], str], current: str | None) -> None:
        view = self.query_one(ListView)
        view.clear()
        for label in self.query(".history-empty"):
            label.remove()
        if not infos:
            self.mount(Label(empty, classes="history-empty"), before=view)
            return
        items = [ConversationItem(info, f"{info.title or untitled}\n"
                                        f"{info.updated[:16].replace('T', ' ')} · "
                                        f"{turns(info.turns)}")
                 for info in infos]
        view.extend(items)
        for i, info in enumerate(infos):
            if info.id == current:
                view.index = i

    def focus_list(self) -> None:
        self.query_one(ListView).focus()

    def _selected_info(self) -> ConversationInfo | None:
        item = self.query_one(ListView).highlighted_child
        return item.info if isinstance(item, ConversationItem) else None

    @on(ListView.Selected)
    def _resume(self, event: ListView.Selected) -> None:
        event.stop()
        if isinstance(event.item, ConversationItem):
            self.post_message(self.Resume(event.item.info.id))

    def action_rename(self) -> None:
        info = self._selected_info()
        if info is not None:
            self.post_message(self.Rename(info))

    def action_delete(self) -> None:
        info = self._selected_info()
        if info is not None:
            self.post_message(self.Delete(info))
