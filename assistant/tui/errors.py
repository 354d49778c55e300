"""What an error tells a delegate in the UI: the message plus what to do about it."""

from __future__ import annotations

from assistant import AssistantError, BackendError, IndexStoreError, QuestionError
from assistant.tui.strings import Strings


def describe_error(exc: BaseException, strings: Strings) -> str:
    """One notification's text; never a traceback."""
    if isinstance(exc, IndexStoreError):
        return strings.f("error_index", error=exc)
    if isinstance(exc, BackendError):
        return strings.f("error_backend", error=exc)
    if isinstance(exc, QuestionError):
        return strings.f("error_question", error=exc)
    if isinstance(exc, AssistantError):
        return strings.f("error_other", error=exc)
    if isinstance(exc, OSError):
        return strings.f("error_files", error=f"{type(exc).__name__}: {exc}")
    return strings.f("error_other", error=f"{type(exc).__name__}: {exc}")
