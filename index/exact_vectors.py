"""The dense side of a small index without Chroma: exact cosine over the passages' vectors.

Opening the embedded Chroma store took about 1.5 s of a one-shot `ask` on two cores
(importing chromadb, starting its client, and rebuilding the HNSW graph from its log, as
Chroma does for a collection under 1,000 vectors in every process), to search a few hundred
vectors. The vectors of a generation's passages are all in the embedding cache, where the
build put them, keyed by their text: read from there (milliseconds), one matrix product
searches them exactly. Chroma searches them with a beam (`vectors.HNSW`) wide enough to be
close to exhaustive, so the two agree: on the 868 training, test and reworded questions
(2026-12-07) every answer was the same and so was every top-10 of passages (a test compares
the training questions' rankings). The embedded store stays what builds write and what an
index over `vectors.exact_max` passages, or on a Chroma server, is searched with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # numpy is imported where vectors are searched, not by the settings
    import numpy as np

    from index.embeddings import CachedEmbeddings


class ExactVectors:
    """Unit vectors of passages, in the generation's order, searched by cosine similarity."""

    def __init__(self, ids: list[str], matrix: np.ndarray) -> None:
        import numpy as np

        self.ids = ids
        norms = np.linalg.norm(matrix, axis=1, keepdims=True).astype(np.float32)
        self.matrix = (matrix / np.where(norms > 0, norms, 1)).astype(np.float32)

    @classmethod
    def from_cache(cls, embeddings: CachedEmbeddings, ids: list[str],
                   texts: list[str]) -> ExactVectors | None:
        """The cached vectors of `texts` (one per id), or None when the cache lacks any
        (another cache folder, or it was deleted): then Chroma searches."""
        matrix = embeddings.cached_array(texts, "passage")
        return None if matrix is None else cls(ids, matrix)

    def search(self, vector: list[float], k: int,
               allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Ids with cosine similarity, best first (ties in the generation's order);
        `allowed` is a mask over the rows (the passages a filter keeps)."""
        import numpy as np

        query = np.asarray(vector, dtype=np.float32)
        norm = np.float32(np.linalg.norm(query))
        query = query / norm if norm > 0 else query
        distance = np.float32(1) - self.matrix @ query  # as Chroma's cosine space gives it
        rows = np.arange(len(self.ids)) if allowed is None else np.flatnonzero(allowed)
        order = rows[np.argsort(distance[rows], kind="stable")][:k]
        return [(self.ids[i], 1.0 - float(distance[i])) for i in order]
