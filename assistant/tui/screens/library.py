"""The library: the documents and their metadata, and the filter the chat applies
(one document, a span of years, a document type), shown in the header while active."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, DataTable, Footer, Header, Input, Label, Select

from assistant import DocumentMeta, DocumentType, SearchFilter
from assistant.tui.bindings import translate_tree
from assistant.tui.strings import Strings

if TYPE_CHECKING:
    from assistant.tui.app import CommitteeApp


def describe_filter(flt: SearchFilter | None, metas: list[DocumentMeta],
                    strings: Strings) -> str:
    """The header's words for a filter ("全部文件" when there is none)."""
    if flt is None or flt.empty:
        return strings["no_filter"]
    parts: list[str] = []
    if flt.doc_id:
        parts.append(next((m.label for m in metas if m.id == flt.doc_id), flt.doc_id))
    a, b = flt.year_from, flt.year_to
    if a and b:
        parts.append(strings.f("filter_year", a=a) if a == b else
                     strings.f("filter_years", a=a, b=b))
    elif a or b:
        parts.append(strings.f("filter_from", a=a) if a else strings.f("filter_to", b=b))
    if flt.doc_type:
        parts.append(strings[f"type_{flt.doc_type}"])
    return strings.f("filter_label", what=" · ".join(parts))


def _year(text: str) -> int | None:
    text = text.strip()
    if not text:
        return None
    if not (text.isdigit() and len(text) == 4):
        raise ValueError(text)
    return int(text)


class LibraryScreen(Screen[SearchFilter | None | bool]):
    """Dismisses with the new filter, None to clear it, or False when cancelled."""

    CSS_PATH = "../styles/library.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "dismiss(False)", "key_back", key_display="Esc"),
        Binding("space", "choose_document", "key_toggle", key_display="Space"),
        Binding("ctrl+s", "apply", "key_apply", priority=True),
        Binding("ctrl+r", "clear", "key_clear_filter", priority=True),
    ]

    class Loaded(Message):
        def __init__(self, metas: list[DocumentMeta]) -> None:
            super().__init__()
            self.metas = metas

    class LoadFailed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    class Named(Message):
        """The documents that name a state or organisation (None: every document)."""

        def __init__(self, doc_ids: list[str] | None) -> None:
            super().__init__()
            self.doc_ids = doc_ids

    def __init__(self, current: SearchFilter | None) -> None:
        super().__init__()
        self.current = current
        self.chosen: str | None = current.doc_id if current else None
        self.metas: list[DocumentMeta] = []
        self._all: list[DocumentMeta] = []

    @property
    def committee(self) -> CommitteeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        s = self.committee.strings
        cur = self.current
        yield Header()
        yield Label(f"{s['library_title']} — {s['library_help']}", id="library-help")
        yield DataTable(id="documents", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="library-filters"):
            yield Input(placeholder=s["library_name"], id="library-name")
            yield Input(str(cur.year_from) if cur and cur.year_from else "",
                        placeholder=s["library_year_from"], id="year-from", max_length=4)
            yield Input(str(cur.year_to) if cur and cur.year_to else "",
                        placeholder=s["library_year_to"], id="year-to", max_length=4)
            yield Select([(s[f"type_{t.value}"], t.value) for t in DocumentType],
                         prompt=s["library_any_type"], id="doc-type",
                         value=cur.doc_type if cur and cur.doc_type else Select.NULL)
            yield Button(s["library_apply"], id="apply", variant="primary")
            yield Button(s["library_clear"], id="clear")
        yield Footer()

    def on_mount(self) -> None:
        s = self.committee.strings
        translate_tree(self, s)
        table = self.query_one(DataTable)
        for key in ("chosen", "symbol", "date", "type", "title"):
            table.add_column(s[f"library_col_{key}"], key=key)
        table.focus()
        self.load()

    @work(exclusive=True, group="library", thread=True)
    def load(self) -> None:
        try:
            self.post_message(self.Loaded(self.committee.assistant.documents()))
        except Exception as exc:
            self.post_message(self.LoadFailed(exc))

    @on(Loaded)
    def _loaded(self, event: Loaded) -> None:
        self._all = sorted(event.metas, key=lambda m: (m.date is None, m.date), reverse=True)
        self._show(self._all)

    @on(Input.Submitted, "#library-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        """A state or organisation, in Chinese or English: only the documents naming it."""
        event.stop()
        self.find_named(event.value.strip())

    @work(exclusive=True, group="library-name", thread=True)
    def find_named(self, name: str) -> None:
        try:
            self.post_message(self.Named(
                self.committee.assistant.documents_naming(name) if name else None))
        except Exception as exc:  # an English name the glossary lacks: say so
            self.post_message(self.LoadFailed(exc))

    @on(Named)
    def _named(self, event: Named) -> None:
        wanted = event.doc_ids
        self._show([m for m in self._all if wanted is None or m.id in wanted])
        self.query_one(DataTable).focus()

    def _show(self, metas: list[DocumentMeta]) -> None:
        s = self.committee.strings
        self.metas = metas
        table = self.query_one(DataTable)
        table.clear()
        rows = [("✓" if meta.id == self.chosen else "", meta.symbol or "—",
                 str(meta.date or "—"), s[f"type_{meta.doc_type.value}"], meta.title)
                for meta in self.metas]
        self._fit_titles(table, rows)
        for meta, row in zip(self.metas, rows, strict=True):
            table.add_row(*row, key=meta.id, height=None)

    @staticmethod
    def _fit_titles(table: DataTable[str], rows: list[tuple[str, ...]]) -> None:
        """Titles wrap, whole, in the room the other columns leave: cut at the right edge,
        the 2018 and 2022 reviews looked alike (they differ only at the end)."""
        columns = list(table.ordered_columns)
        pad = 2 * table.cell_padding
        others = sum(max([cell_len(str(column.label)), *(cell_len(r[i]) for r in rows)]) + pad
                     for i, column in enumerate(columns[:-1]))
        room = table.scrollable_content_region.width - others - pad - table.scrollbar_size_vertical
        title = columns[-1]
        title.auto_width = False
        title.width = max(20, room)

    @on(LoadFailed)
    def _load_failed(self, event: LoadFailed) -> None:
        self.committee.report_error(event.error)

    def _row_id(self) -> str | None:
        table = self.query_one(DataTable)
        if not self.metas or table.cursor_row < 0:
            return None
        return self.metas[table.cursor_row].id

    def action_choose_document(self) -> None:
        row = self._row_id()
        if row is None or self.focused is not self.query_one(DataTable):
            return
        self.chosen = None if self.chosen == row else row
        table = self.query_one(DataTable)
        for meta in self.metas:
            table.update_cell(meta.id, "chosen", "✓" if meta.id == self.chosen else "")

    @on(DataTable.RowSelected)
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on a document: filter to it straight away."""
        event.stop()
        self.chosen = str(event.row_key.value)
        self.action_apply()

    @on(Button.Pressed, "#apply")
    def action_apply(self) -> None:
        try:
            year_from = _year(self.query_one("#year-from", Input).value)
            year_to = _year(self.query_one("#year-to", Input).value)
        except ValueError:
            self.notify(self.committee.strings["bad_year"], severity="error")
            return
        kind = self.query_one("#doc-type", Select).value
        flt = SearchFilter(doc_id=self.chosen, year_from=year_from, year_to=year_to,
                           doc_type=kind if isinstance(kind, str) else None,
                           part=None, kind=None)
        self.dismiss(None if flt.empty else flt)

    @on(Button.Pressed, "#clear")
    def action_clear(self) -> None:
        self.dismiss(None)
