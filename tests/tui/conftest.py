"""The UI is driven over the real records: one index for the session (`shared_index`)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from assistant import Assistant
from assistant.tui import CommitteeApp, make_app


@pytest.fixture
def anyio_backend() -> str:
    """Pilot tests are async; anyio's pytest plugin (anyio is a dependency) runs them."""
    return "asyncio"


@pytest.fixture
def chinese_app(shared_index: Assistant) -> Callable[[], CommitteeApp]:
    """A factory of apps over the shared index, with Chinese UI text whatever the locale
    (settings are copied, so a test that changes them leaves the others alone)."""

    def build() -> CommitteeApp:
        settings = shared_index.settings.model_copy(deep=True)
        settings.ui.language = "zh"
        app = make_app(settings, shared_index)
        app.animation_level = "none"  # scrolling lands at once: snapshots are deterministic
        return app

    return build
