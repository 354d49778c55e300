"""A document as the viewer shows it: one line per heading, paragraph, footnote or table
row, a cursor on the current one, the cited quote and search matches highlighted."""

from __future__ import annotations

import asyncio
from typing import ClassVar

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Static

from assistant.tui.locate import Unit

WINDOW = 24  # units mounted on each side of the one the viewer opens at, before it shows
BATCH = 20  # units mounted at a time after that, doubling up to MAX_BATCH
MAX_BATCH = 160


class UnitView(Static):
    COMPONENT_CLASSES: ClassVar[set[str]] = {"unit--quote", "unit--match", "unit--locator"}
    DEFAULT_CSS = """
    UnitView { padding: 0 1; margin: 0 0 1 0; }
    UnitView.-row { margin: 0; }
    UnitView.-heading, UnitView.-table { text-style: bold; color: $accent; }
    UnitView.-footnote { color: $text-muted; }
    UnitView.-current { background: $boost; border-left: tall $accent; }
    UnitView.-cited { border-left: tall $warning; }
    UnitView > .unit--quote { background: $warning 40%; text-style: bold; }
    UnitView > .unit--match { background: $success 40%; text-style: underline; }
    UnitView > .unit--locator { color: $text-muted; }
    """

    def __init__(self, unit: Unit, short_locator: str) -> None:
        super().__init__(classes=f"-{unit.kind}")
        self.unit = unit
        self.short_locator = short_locator
        self.quote = ""
        self.match = ""

    def render(self) -> Text:
        text = Text()
        if self.unit.kind in ("paragraph", "footnote"):
            text.append(self.short_locator + "\n",
                        style=self.get_component_rich_style("unit--locator"))
        body = Text(self.unit.text)
        if self.quote:
            body.highlight_words([self.quote], self.get_component_rich_style("unit--quote"))
        if self.match:
            body.highlight_words([self.match], self.get_component_rich_style("unit--match"),
                                 case_sensitive=False)
        return text + body


class DocumentBody(VerticalScroll, can_focus=True):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "move(1)", "key_next_para"),
        Binding("up,k", "move(-1)", "key_prev_para"),
        Binding("n", "next_match(1)", "key_next_match"),
        Binding("N", "next_match(-1)", "key_prev_match"),
    ]

    class Moved(Message):
        def __init__(self, unit: Unit) -> None:
            super().__init__()
            self.unit = unit

    class Matched(Message):
        def __init__(self, text: str, index: int, count: int) -> None:
            super().__init__()
            self.text, self.index, self.count = text, index, count

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.views: list[UnitView] = []
        self.current = 0
        self.matches: list[int] = []
        self.match_text = ""
        self._match_at = -1
        self._centring = False
        self._keeper: Timer | None = None
        self._first = self._last = 0  # the views mounted so far: [_first, _last)
        self._pending: tuple[int, bool] | None = None  # a `go` to a view not mounted yet

    async def show(self, units: list[Unit], symbol_prefix: str, target: int | None,
                   quote: str) -> None:
        await self.remove_children()
        self.views = [UnitView(u, u.locator.removeprefix(symbol_prefix).strip())
                      for u in units]
        if target is not None:
            cited = self.views[target]
            cited.quote = quote
            cited.add_class("-cited")
        # The units around the cited one first: a widget each, S/2022/899's 1,091 took
        # seconds to mount and lay out, all that time under "Opening the document…". The
        # rest follow a batch at a time (`_mount_rest`), between the delegate's keys.
        start = target or 0
        self._first = max(0, start - WINDOW)
        self._last = min(len(self.views), start + WINDOW + 1)
        await self.mount_all(self.views[self._first:self._last])
        self._centring = True
        self.call_after_refresh(self.go, start, center=True)
        # A paragraph's wrapped height can change without the body being resized (its
        # text is laid out later on a busy machine): the cited one is kept centred until
        # the delegate moves, checked ten times a second.
        if self._keeper is None:
            self._keeper = self.set_interval(0.1, self._centre)
        self.run_worker(self._mount_rest(), group="document-rest", exclusive=True)

    async def _mount_rest(self) -> None:
        """Mount the units outside the first window, after it and before it, a batch at a
        time; the unit in view stays where it is as units are mounted above it."""
        views = self.views
        size = BATCH
        await self._refreshed()  # the first window is shown, at the cited unit
        await self._refreshed()
        while self._last < len(views) or self._first > 0:
            size = min(size * 2, MAX_BATCH)  # each batch lays out all mounted so far again
            if self._last < len(views):
                batch = views[self._last:self._last + size]
                await self.mount_all(batch)
                self._last += len(batch)
            if self._first > 0:
                batch = views[max(0, self._first - size):self._first]
                anchor = views[self.current]
                offset = anchor.virtual_region.y - self.scroll_y
                await self.mount_all(batch, before=views[self._first])
                self._first -= len(batch)
                self.call_after_refresh(self._hold, anchor, offset)
            if self._pending is not None and views[self._pending[0]].is_mounted:
                index, center = self._pending
                self._pending = None
                self.call_after_refresh(self.go, index, center=center)
            await self._refreshed()  # the screen is painted and keys are read in between

    def _refreshed(self) -> asyncio.Future[None]:
        """Done after the next refresh of the layout."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

        def refreshed() -> None:
            if not done.done():
                done.set_result(None)

        self.call_after_refresh(refreshed)
        return done

    def _hold(self, anchor: UnitView, offset: float) -> None:
        """Scroll so that `anchor` is `offset` lines below the top, as before a mount."""
        if not self._centring:
            self.scroll_to(y=anchor.virtual_region.y - offset, animate=False)

    def on_resize(self) -> None:
        """The body's height and the wrapped heights of the paragraphs settle after the
        first centring (sooner or later, as the machine is idle or busy): the paragraph
        the viewer opened at is centred again on each new layout, until the delegate
        moves. Otherwise it could end up at the top or off centre, by chance."""
        if self._centring:
            self.call_after_refresh(self._centre)

    def _centre(self) -> None:
        if self._centring and self.views and not self.centred:
            self.scroll_to_widget(self.views[self.current], animate=False, center=True)

    @property
    def centred(self) -> bool:
        """The current unit is in the middle of the view (or as near as the ends allow)."""
        if not self.views:
            return False
        region = self.views[self.current].virtual_region
        height = self.scrollable_content_region.height
        wanted = region.y + region.height / 2 - height / 2
        wanted = max(0, min(self.max_scroll_y, wanted))
        return abs(self.scroll_offset.y - wanted) <= 1

    def go(self, index: int, *, center: bool = False) -> None:
        if not self.views:
            return
        index = max(0, min(len(self.views) - 1, index))
        if not self.views[index].is_mounted:  # not mounted yet: as soon as it is
            self._pending = (index, center)
            return
        self.views[self.current].remove_class("-current")
        self.current = index
        view = self.views[index]
        view.add_class("-current")
        self.scroll_to_widget(view, animate=False, center=center)
        self.post_message(self.Moved(view.unit))

    def action_move(self, step: int) -> None:
        self._centring = False
        self.go(self.current + step)

    def find(self, text: str) -> None:
        """Highlight every unit holding `text` and go to the first after the cursor."""
        if text != self.match_text:
            for i in self.matches:
                self.views[i].match = ""
                self.views[i].refresh()
            folded = text.casefold()
            self.matches = [i for i, v in enumerate(self.views)
                            if text and folded in v.unit.text.casefold()]
            self.match_text = text
            for i in self.matches:
                self.views[i].match = text
                self.views[i].refresh()
            self._match_at = -1
            after = [k for k, i in enumerate(self.matches) if i >= self.current]
            self._match_at = (after[0] if after else 0) - 1
        self.action_next_match(1)

    def action_next_match(self, step: int) -> None:
        self._centring = False
        if not self.matches:
            self.post_message(self.Matched(self.match_text, 0, 0))
            return
        self._match_at = (self._match_at + step) % len(self.matches)
        self.go(self.matches[self._match_at], center=True)
        self.post_message(self.Matched(self.match_text, self._match_at + 1, len(self.matches)))
