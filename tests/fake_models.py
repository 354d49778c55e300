"""LangChain's fake chat model, dressed for the tests: one that records what it was sent,
and one whose server is gone."""

from __future__ import annotations

from typing import Any

from langchain_core.language_models import FakeListChatModel
from langchain_core.messages import BaseMessage


class Recording(FakeListChatModel):
    """A fake model that also keeps the messages it was sent."""

    seen: list[list[BaseMessage]]

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.seen.append(messages)
        return super()._call(messages, *args, **kwargs)


class Failing(FakeListChatModel):
    """A fake model whose server is gone: every call raises `error`."""

    error: Exception

    def _call(self, *args: Any, **kwargs: Any) -> str:
        raise self.error
