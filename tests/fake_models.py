"""LangChain's fake chat model, dressed for the tests: one that records what it was sent,
and one whose server is gone. The LLM backend streams every request (so that giving up
cancels it), so each fake behaves the same whether it is invoked or streamed."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from langchain_core.language_models import FakeListChatModel
from langchain_core.messages import BaseMessage
from langchain_core.outputs import ChatGenerationChunk
from pydantic import Field


class Recording(FakeListChatModel):
    """A fake model that also keeps the messages it was sent (and the request's options)."""

    seen: list[list[BaseMessage]]
    options: list[dict[str, Any]] = Field(default_factory=list)

    def _call(self, messages: list[BaseMessage], *args: Any, **kwargs: Any) -> str:
        self.seen.append(messages)
        self.options.append(kwargs)
        return super()._call(messages, *args, **kwargs)

    def _stream(self, messages: list[BaseMessage], *args: Any, **kwargs: Any
                ) -> Iterator[ChatGenerationChunk]:
        self.seen.append(messages)
        self.options.append(kwargs)
        yield from super()._stream(messages, *args, **kwargs)


class Failing(FakeListChatModel):
    """A fake model whose server is gone: every call raises `error`."""

    error: Exception
    calls: int = 0

    def _call(self, *args: Any, **kwargs: Any) -> str:
        self.calls += 1
        raise self.error

    def _stream(self, *args: Any, **kwargs: Any) -> Iterator[ChatGenerationChunk]:
        self.calls += 1
        raise self.error
