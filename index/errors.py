"""The project's exception family. Every message says what went wrong and what to do.

The family lives in `index` (the lowest layer) and is re-exported by `assistant`, so that
callers catch `AssistantError` whichever layer raised it.
"""

from __future__ import annotations

from pathlib import Path


class AssistantError(Exception):
    """Base of every error the assistant reports to a user."""


class IngestError(AssistantError):
    """A file could not be read as a committee record."""

    def __init__(self, path: Path | str, problem: str) -> None:
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class IndexStoreError(AssistantError):
    """The index on disk is missing, locked, or was built by another version."""


class IndexDamagedError(IndexStoreError):
    """A file of the index is damaged (a truncated SQLite file, a broken vector segment):
    detected when the index is opened, repaired by `committee-assistant index rebuild`."""

    def __init__(self, what: Path | str, detail: str) -> None:
        self.what = str(what)
        detail = (detail.strip().splitlines() or ["unreadable"])[0][:200]
        super().__init__(
            f"{what} is damaged ({detail}): run `committee-assistant index rebuild` to "
            "rebuild the index from its records (saved conversations are kept), then start "
            "the assistant again")


class SettingsError(AssistantError):
    """The config file or an environment variable holds something the assistant cannot use."""


class RecordQueryError(AssistantError):
    """A records query named an unknown record type or an invalid filter."""


class BackendError(AssistantError):
    """An external backend (embedding server, Chroma server, LLM) failed."""


class QuestionError(AssistantError):
    """A question that cannot be asked as given (empty, or unusable after cleaning)."""


class PromptError(AssistantError):
    """A prompt file in `prompts/` is missing, malformed, or rendered with the wrong values."""


class DraftError(AssistantError):
    """A briefing note or outreach summary cannot be drafted as asked (an unknown name, a
    bad period, an export format that does not exist)."""
