"""The sources panel: each citation of the selected answer, its quote highlighted inside
the passage it comes from. Enter or a click opens it (the screen handles `Chosen`)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.events import Click
from textual.message import Message
from textual.widgets import Label, Static

from assistant import Answer, Citation


def highlighted(passage: str, quote: str, style: object) -> Text:
    """The passage with every occurrence of the quote styled."""
    text = Text(passage)
    if quote:
        text.highlight_words([quote], style=style)  # type: ignore[arg-type]
    return text


class CitationCard(Static, can_focus=True):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"citation--quote", "citation--head", "citation--date"}
    DEFAULT_CSS = """
    CitationCard { padding: 0 1; margin: 0 0 1 0; border-left: tall $panel; }
    CitationCard:focus { border-left: tall $accent; background: $boost; }
    CitationCard > .citation--quote { background: $warning 40%; text-style: bold; }
    CitationCard > .citation--head { text-style: bold; color: $accent; }
    CitationCard > .citation--date { color: $text-muted; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [Binding("enter", "choose", show=False)]

    class Chosen(Message):
        def __init__(self, citation: Citation) -> None:
            super().__init__()
            self.citation = citation

    def __init__(self, citation: Citation, *, numbered: bool = True) -> None:
        super().__init__()
        self.citation = citation
        self.numbered = numbered

    def render(self) -> Text:
        c = self.citation
        head = Text()
        if self.numbered:
            head.append(f"[{c.n}] ", style=self.get_component_rich_style("citation--head"))
        head.append(c.locator, style=self.get_component_rich_style("citation--head"))
        if c.date:
            head.append(f"  {c.date}", style=self.get_component_rich_style("citation--date"))
        body = highlighted(c.passage, c.quote, self.get_component_rich_style("citation--quote"))
        return Text("\n").join([head, body])

    def action_choose(self) -> None:
        self.post_message(self.Chosen(self.citation))

    @on(Click)
    def _clicked(self) -> None:
        self.action_choose()


class SourcesPanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    SourcesPanel > Label { width: 1fr; }  /* wrap within the panel, never cut at its edge */
    SourcesPanel > .sources-title { text-style: bold; padding: 0 1; margin-bottom: 1; }
    SourcesPanel > .sources-empty { color: $text-muted; padding: 0 1; }
    SourcesPanel > .see-also { color: $warning; padding: 0 1; }
    """

    def show(self, answer: Answer | None, *, title: str, empty: str, see_also: str) -> None:
        self.remove_children()
        widgets: list[Static] = [Label(title, classes="sources-title")]
        if answer is None:
            widgets.append(Label(empty, classes="sources-empty"))
        else:
            widgets += [CitationCard(c) for c in answer.citations]
            if answer.see_also:
                widgets.append(Label(see_also, classes="see-also"))
                widgets += [CitationCard(c, numbered=False) for c in answer.see_also]
        self.mount_all(widgets)
        self.scroll_home(animate=False)

    @property
    def cards(self) -> list[CitationCard]:
        return list(self.query(CitationCard))
