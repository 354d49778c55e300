"""The terminal UI: ask, read the sources, follow up, all from the keyboard.

Nothing outside this package imports Textual; this package calls only the public API
in `assistant/__init__.py`.
"""

from assistant.tui.app import CommitteeApp, make_app

__all__ = ["CommitteeApp", "make_app", "run"]


def run() -> None:
    """Open the UI with the settings from the config file and environment."""
    from assistant.settings import load_settings

    make_app(load_settings()).run()
