"""The progress screen shown while the index is built (first run, or changed records)."""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Center, Vertical
from textual.screen import Screen
from textual.widgets import Footer, Header, Label, ProgressBar

from assistant.tui.strings import Strings


class IndexScreen(Screen[None]):
    CSS_PATH = "../styles/index_build.tcss"

    def __init__(self) -> None:
        super().__init__()
        self._stage = ""
        self._stage_started = time.perf_counter()
        self._latest: tuple[str, int, int, str] | None = None

    @property
    def strings(self) -> Strings:
        return self.app.strings  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        yield Header()
        with Center(), Vertical(id="build-box"):
            yield Label(self.strings["build_title"], id="build-title")
            yield Label(self.strings["build_checking"], id="build-stage")
            yield ProgressBar(id="build-bar", show_eta=False)
            yield Label("", id="build-eta")
        yield Footer()

    def show_progress(self, stage: str, done: int, total: int, name: str = "") -> None:
        """Called for every progress report; the screen may not be composed yet."""
        if stage != self._stage:
            self._stage, self._stage_started = stage, time.perf_counter()
        self._latest = (stage, done, total, name)
        if self.is_mounted:
            self._show()

    def on_mount(self) -> None:
        if self._latest is not None:
            self._show()

    def _show(self) -> None:
        assert self._latest is not None
        stage, done, total, name = self._latest
        key = "build_ingest" if stage == "ingest" else f"build_stage_{stage}"
        text = self.strings.f(key, name=name, done=done, total=total) \
            if key in ("build_ingest", "build_stage_chunking", "build_stage_embedding",
                       "build_stage_sentences") \
            else f"{stage} {done}/{total}"
        self.query_one("#build-stage", Label).update(text)
        self.query_one("#build-bar", ProgressBar).update(total=total, progress=done)
        elapsed = time.perf_counter() - self._stage_started
        eta = ""
        if 0 < done < total and elapsed > 1:
            eta = self.strings.f("build_eta", seconds=round(elapsed / done * (total - done)))
        self.query_one("#build-eta", Label).update(eta)
