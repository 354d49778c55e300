"""What the answer stages read a question with: the question as resolved in its
conversation, its analysis, the passages retrieved for it and the documents it names.

`Assistant.read` makes one; the answer (records, document facts, the extractive reader or
the LLM) and the ranker's training (`evals/train_ranker.py`) read the same one, so the
ranker learns from exactly the evidence it will score.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from assistant.followups import Resolved
from assistant.question import QuestionAnalysis
from index.models import DocumentMeta
from index.passages import Passage
from index.query_scope import QueryScope


@dataclass
class Reading:
    resolved: Resolved
    # The question as analysed, and with the premise it opens with, if any.
    analysis: QuestionAnalysis
    whole: QuestionAnalysis
    whole_question: str
    # Terms of the conversation's earlier turns: they help rank, and are not required.
    context_terms: list[str]
    passages: list[Passage]
    scope: QueryScope
    metas: dict[str, DocumentMeta]
    # How close in meaning each unit of the passages is to the question (`Unit.meaning` →
    # cosine); empty when the index has no unit vectors or the search used no vectors.
    closeness: dict[str, float] = field(default_factory=dict)

    @property
    def titles(self) -> dict[str, str]:
        return {doc_id: meta.title for doc_id, meta in self.metas.items()}
