"""What an answer is: text with [n] markers, and the citations that back every marker.

These models are the contract evaluation tools and the UI read; `Answer.model_dump_json()`
is what `committee-assistant ask --json` prints.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from index.passages import Passage


class Citation(BaseModel):
    """One source: the passage an answer rests on and the exact words quoted from it."""

    model_config = ConfigDict(extra="forbid")

    n: int = Field(description="The marker number, [n] in the answer text.")
    doc_id: str
    symbol: str | None = None
    title: str = ""
    date: str | None = Field(None, description="Date of the document, ISO format.")
    locator: str = Field(description="e.g. 'S/2022/899 附件 第26段', 'S/2022/899 附件三 第6行'.")
    quote: str = Field(description="Exact substring of `passage`.")
    passage: str = Field(description="The full paragraph or table-row text.")
    tolerant: bool = Field(
        False, description="A model's quote found only by the tolerant match (width, NFKC "
                           "and spacing folded, parts around '…', a near match); `quote` is "
                           "the passage's own words either way.")

    @classmethod
    def from_passage(cls, n: int, passage: Passage, quote: str, title: str = "",
                     tolerant: bool = False) -> Citation:
        if quote not in passage.text:
            raise ValueError(f"quote not in passage {passage.locator}: {quote[:40]!r}")
        return cls(n=n, doc_id=passage.doc_id, symbol=passage.symbol, title=title,
                   date=passage.date, locator=passage.locator, quote=quote,
                   passage=passage.text, tolerant=tolerant)

    def verified(self) -> bool:
        """The quote is really in the passage (what every backend's output is checked for)."""
        return bool(self.quote) and self.quote in self.passage


class Timings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    retrieve_ms: float = 0.0
    answer_ms: float = 0.0
    total_ms: float = 0.0


# Why an LLM's answer gave way to the extractive one: no passages to show it; the server
# unreachable, too slow or failing; a reply that was no answer JSON, or whose citations
# did not check out.
LLMFallback = Literal["no_passages", "unreachable", "timeout", "failed", "malformed", "rejected"]


class Answer(BaseModel):
    """A grounded answer: Markdown text with [n] markers, each backed by a citation."""

    model_config = ConfigDict(extra="forbid")

    question: str
    text: str = Field(description="Markdown with [1] [2] markers.")
    supported: bool = Field(description="False when the records do not answer the question.")
    citations: list[Citation] = Field(default_factory=list)
    see_also: list[Citation] = Field(
        default_factory=list, description="Nearest passages, when the answer is not supported.")
    backend: str = "extractive"
    language: str = "zh"
    resolved_question: str | None = Field(
        None, description="The question as understood after resolving a follow-up.")
    conversation_id: str | None = None
    notes: list[str] = Field(default_factory=list,
                             description="What the assistant wants the reader to know, "
                                         "e.g. a fallback from the LLM backend.")
    fallback: LLMFallback | None = Field(
        default=None, description="Why the LLM backend's answer was not used, when this "
                                  "answer stands in for it (a note says so in words); None "
                                  "otherwise.")
    timings: Timings = Field(default_factory=Timings)
