"""`python -m assistant.tui` opens the UI (as `committee-assistant` with no arguments does)."""

from assistant.tui import run

run()
