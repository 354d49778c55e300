"""The hybrid search as a LangChain retriever, for LangChain chains and agents.

Its own module so that only a caller that wants LangChain imports it (its retriever base
takes 0.8 s to import on two cores).
"""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document as LCDocument
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict


class LangChainRetriever(BaseRetriever):
    """`invoke(query)` → the passages of `HybridRetriever.search` as LangChain documents."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    searcher: Any  # a HybridRetriever (not imported here, to keep the modules apart)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[LCDocument]:
        return [
            LCDocument(page_content=p.text, id=p.id,
                       metadata={"locator": p.locator, "doc_id": p.doc_id, "score": p.score})
            for p in self.searcher.search(query)
        ]
