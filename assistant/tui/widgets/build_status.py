"""The index build's progress, shown above the question box while the chat stays usable.

A build on a fresh clone embeds for minutes; meanwhile answers come from keyword search
(`Assistant.answer_while_building`), and this line says so until the build is done.
"""

from __future__ import annotations

import time

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, ProgressBar

from assistant.tui.strings import Strings


class BuildStatus(Vertical):
    """Hidden until a build reports progress; `finish()` hides it again."""

    DEFAULT_CSS = """
    BuildStatus { height: auto; padding: 0 1; background: $boost; display: none; }
    BuildStatus.-building { display: block; }
    BuildStatus #build-line { height: auto; }
    BuildStatus #build-bar Bar { width: 20; }
    BuildStatus #build-stage { width: 1fr; height: auto; margin-left: 1; }
    BuildStatus #build-mode { width: 100%; color: $warning; }
    BuildStatus #build-mode.-hidden { display: none; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._stage = ""
        self._stage_started = time.perf_counter()
        self.keywords_only = False

    @property
    def strings(self) -> Strings:
        return self.app.strings  # type: ignore[attr-defined, no-any-return]

    def compose(self) -> ComposeResult:
        with Horizontal(id="build-line"):  # the bar with its percentage, then the words
            yield ProgressBar(id="build-bar", show_eta=False, show_percentage=True)
            yield Label(self.strings["build_checking"], id="build-stage")
        yield Label(self.strings["build_keywords"], id="build-mode", classes="-hidden")

    def show_progress(self, stage: str, done: int, total: int, name: str = "") -> None:
        if stage != self._stage:
            self._stage, self._stage_started = stage, time.perf_counter()
        self.add_class("-building")
        key = "build_ingest" if stage == "ingest" else f"build_stage_{stage}"
        text = self.strings.f(key, name=name, done=done, total=total) \
            if key in ("build_ingest", "build_stage_chunking", "build_stage_embedding",
                       "build_stage_sentences") \
            else f"{stage} {done}/{total}"
        elapsed = time.perf_counter() - self._stage_started
        if 0 < done < total and elapsed > 1:
            seconds = round(elapsed / done * (total - done))
            text = f"{text}  {self.strings.f('build_eta', seconds=seconds)}"
        self.query_one("#build-stage", Label).update(text)
        self.query_one("#build-bar", ProgressBar).update(total=total, progress=done)

    def show_keywords_only(self) -> None:
        """Answers come from keyword search until the build is done."""
        self.keywords_only = True
        self.add_class("-building")
        self.query_one("#build-mode", Label).remove_class("-hidden")

    def finish(self) -> None:
        self.keywords_only = False
        self.remove_class("-building")
        self.query_one("#build-mode", Label).add_class("-hidden")

    def relabel(self) -> None:
        self.query_one("#build-mode", Label).update(self.strings["build_keywords"])
