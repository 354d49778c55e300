"""Metadata filters on searches: by document, symbol, year range, type, part or kind.

Its own module, apart from the retriever, so that the API and the UI can name filters
without importing what searches (LangChain's retriever base, the stores).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from index.passages import Passage


class SearchFilter(BaseModel):
    """Metadata filters; every field given must match."""

    model_config = ConfigDict(extra="forbid")

    doc_id: str | None = None
    symbol: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    doc_type: str | None = None
    part: str | None = Field(None, description="Part label, e.g. 附件三.")
    kind: str | None = Field(None, description="paragraph | footnote | table | record")

    def matches(self, p: Passage) -> bool:
        return (
            (self.doc_id is None or p.doc_id == self.doc_id)
            and (self.symbol is None or p.symbol == self.symbol)
            and (self.year_from is None or (p.year is not None and p.year >= self.year_from))
            and (self.year_to is None or (p.year is not None and p.year <= self.year_to))
            and (self.doc_type is None or p.doc_type == self.doc_type)
            and (self.part is None or p.part == self.part)
            and (self.kind is None or p.kind == self.kind)
        )

    def where(self) -> dict[str, Any] | None:
        """The same filter as a Chroma `where` clause."""
        clauses: list[dict[str, Any]] = []
        for key in ("doc_id", "symbol", "doc_type", "part", "kind"):
            value = getattr(self, key)
            if value is not None:
                clauses.append({key: value})
        if self.year_from is not None:
            clauses.append({"year": {"$gte": self.year_from}})
        if self.year_to is not None:
            clauses.append({"year": {"$lte": self.year_to}})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    @property
    def empty(self) -> bool:
        return self.where() is None
