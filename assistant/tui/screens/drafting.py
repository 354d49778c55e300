"""F4: draft a briefing note or an outreach summary from the records, preview it with its
sources, and export it (.md or .docx)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Markdown, Select

from assistant.drafting import (
    Draft,
    draft_briefing,
    draft_outreach_summary,
    export,
    markdown,
    parse_period,
)
from assistant.tui.bindings import translate_tree

if TYPE_CHECKING:
    from assistant.tui.app import CommitteeApp


class DraftingScreen(Screen[None]):
    CSS_PATH = "../styles/drafting.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "app.pop_screen", "key_back", key_display="Esc"),
        Binding("ctrl+r", "preview", "key_preview", priority=True),
        Binding("ctrl+e", "export", "key_export", priority=True),
    ]

    class Drafted(Message):
        def __init__(self, draft: Draft, text: str) -> None:
            super().__init__()
            self.draft, self.text = draft, text

    class Exported(Message):
        def __init__(self, path: Path) -> None:
            super().__init__()
            self.path = path

    class Failed(Message):
        def __init__(self, error: BaseException) -> None:
            super().__init__()
            self.error = error

    def __init__(self) -> None:
        super().__init__()
        self.draft: Draft | None = None

    @property
    def committee(self) -> CommitteeApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        s = self.committee.strings
        yield Header()
        with Horizontal(id="draft-form"):
            yield Select([(s["draft_briefing"], "briefing"), (s["draft_outreach"], "outreach")],
                         value="briefing", allow_blank=False, id="draft-kind")
            yield Input(placeholder=s["draft_state"], id="draft-state")
            yield Input(placeholder=s["draft_topic"], id="draft-topic")
            yield Input(placeholder=s["draft_period"], id="draft-period")
            yield Select([("中文", "zh"), ("English", "en")], value=s.language,
                         allow_blank=False, id="draft-language")
            yield Button(s["draft_preview"], id="draft-preview", variant="primary")
        with VerticalScroll(id="draft-preview-pane"):
            yield Markdown(s["draft_help"], id="draft-text")
        with Horizontal(id="draft-export"):
            default = Path.cwd() / f"draft-{dt.date.today():%Y%m%d}.md"
            yield Label(s["draft_export_to"])
            yield Input(str(default), id="draft-path")
            yield Button(s["draft_export"], id="draft-export-button")
        yield Footer()

    def on_mount(self) -> None:
        translate_tree(self, self.committee.strings)
        self.query_one("#draft-state", Input).focus()

    def _value(self, selector: str) -> str | None:
        return self.query_one(selector, Input).value.strip() or None

    @on(Button.Pressed, "#draft-preview")
    @on(Input.Submitted, "#draft-state, #draft-topic, #draft-period")
    def action_preview(self) -> None:
        kind = self.query_one("#draft-kind", Select).value
        language = self.query_one("#draft-language", Select).value
        self.query_one("#draft-text", Markdown).update(self.committee.strings["draft_working"])
        self.make_draft(str(kind), self._value("#draft-state"), self._value("#draft-topic"),
                        self._value("#draft-period"), str(language))

    @work(exclusive=True, group="draft", thread=True)
    def make_draft(self, kind: str, state: str | None, topic: str | None,
                   period_text: str | None, language: str) -> None:
        try:
            assistant = self.committee.assistant
            period = parse_period(period_text)
            if kind == "outreach":
                draft = draft_outreach_summary(assistant, period=period, state=state,
                                               language=language)
            else:
                draft = draft_briefing(assistant, state=state, topic=topic, period=period,
                                       language=language)
            self.post_message(self.Drafted(draft, markdown(draft)))
        except Exception as exc:
            self.post_message(self.Failed(exc))

    @on(Drafted)
    def _drafted(self, event: Drafted) -> None:
        self.draft = event.draft
        self.query_one("#draft-text", Markdown).update(event.text)
        self.query_one("#draft-preview-pane").scroll_home(animate=False)

    @on(Button.Pressed, "#draft-export-button")
    @on(Input.Submitted, "#draft-path")
    def action_export(self) -> None:
        if self.draft is None:
            self.notify(self.committee.strings["draft_none"], severity="warning")
            return
        self.write(self.draft, Path(self.query_one("#draft-path", Input).value).expanduser())

    @work(exclusive=True, group="draft-export", thread=True)
    def write(self, draft: Draft, path: Path) -> None:
        try:
            self.post_message(self.Exported(export(draft, path)))
        except Exception as exc:  # a bad suffix, an unwritable folder: say so
            self.post_message(self.Failed(exc))

    @on(Exported)
    def _exported(self, event: Exported) -> None:
        self.notify(self.committee.strings.f("draft_exported", path=event.path))

    @on(Failed)
    def _failed(self, event: Failed) -> None:
        self.query_one("#draft-text", Markdown).update(self.committee.strings["draft_help"])
        self.committee.report_error(event.error)
