"""The document viewer: opens at the cited paragraph or row with the quote highlighted;
Up/Down move through paragraphs, / finds text, Esc goes back to the chat."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, Label

from assistant import Citation, Document
from assistant.tui.bindings import translate_tree
from assistant.tui.locate import locate, units
from assistant.tui.widgets.document_view import DocumentBody

if TYPE_CHECKING:
    from assistant.tui.app import CommitteeApp


class DocumentScreen(Screen[None]):
    CSS_PATH = "../styles/viewer.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "key_back", key_display="Esc"),
        Binding("slash", "search", "key_search", key_display="/"),
        Binding("y", "copy_quote", "key_copy_quote"),
    ]

    class Loaded(Message):
        def __init__(self, document: Document) -> None:
            super().__init__()
            self.document = document

    class LoadFailed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self, citation: Citation) -> None:
        super().__init__()
        self.citation = citation
        self.document: Document | None = None

    @property
    def committee(self) -> CommitteeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        s = self.committee.strings
        yield Header()
        yield Label(self.citation.locator, id="viewer-title", markup=False)
        yield DocumentBody(id="document")
        yield Input(placeholder=s["viewer_search"], id="viewer-search", classes="-hidden")
        yield Label(s["viewer_loading"], id="viewer-status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        translate_tree(self, self.committee.strings)
        self.query_one(DocumentBody).focus()
        self.load(self.citation.doc_id)

    @work(exclusive=True, group="document", thread=True)
    def load(self, doc_id: str) -> None:
        try:
            self.post_message(self.Loaded(self.committee.assistant.document(doc_id)))
        except Exception as exc:
            self.post_message(self.LoadFailed(exc))

    @on(Loaded)
    async def _loaded(self, event: Loaded) -> None:
        self.document = event.document
        meta = event.document.meta
        self.query_one("#viewer-title", Label).update(f"{meta.label}  {meta.title}")
        found = units(event.document)
        target = locate(found, self.citation.locator, self.citation.quote)
        await self.query_one(DocumentBody).show(found, meta.label, target,
                                                self.citation.quote)

    @on(LoadFailed)
    def _load_failed(self, event: LoadFailed) -> None:
        self.committee.report_error(event.error)
        self.dismiss()

    @on(DocumentBody.Moved)
    def _moved(self, event: DocumentBody.Moved) -> None:
        self.query_one("#viewer-status", Label).update(event.unit.locator)

    @on(DocumentBody.Matched)
    def _matched(self, event: DocumentBody.Matched) -> None:
        s = self.committee.strings
        if event.count == 0:
            self.notify(s.f("viewer_no_match", text=event.text), severity="warning")
        else:
            status = self.query_one("#viewer-status", Label)
            body = self.query_one(DocumentBody)
            where = body.views[body.current].unit.locator
            status.update(f"{where}   {s.f('viewer_match', i=event.index, n=event.count)}")

    def action_search(self) -> None:
        box = self.query_one("#viewer-search", Input)
        box.remove_class("-hidden")
        box.focus()

    @on(Input.Submitted, "#viewer-search")
    def _search(self, event: Input.Submitted) -> None:
        event.stop()
        self.query_one(DocumentBody).find(event.value.strip())

    def action_back(self) -> None:
        box = self.query_one("#viewer-search", Input)
        if self.focused is box:
            box.add_class("-hidden")
            self.query_one(DocumentBody).focus()
        else:
            self.dismiss()

    def action_copy_quote(self) -> None:
        self.app.copy_to_clipboard(self.citation.quote)
        self.notify(self.committee.strings["copied_quote"])
