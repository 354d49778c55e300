"""A saved bm25s index, read for searching without importing bm25s.

bm25s imports SciPy (0.4 s of a one-shot `ask` on two cores) although searching a saved
index needs only its arrays, its vocabulary and one sum per query term. This reads the files
`bm25s.BM25.save` writes and scores exactly as `BM25.get_scores_from_ids` does (numpy
backend: the same float32 additions in the same order; a test compares the two). Building
and saving still go through bm25s.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np

# bm25s's methods whose scores carry a floor for every query term a passage lacks.
_NONOCCURRENCE = ("bm25l", "bm25+")


class SavedBM25:
    """The part of `bm25s.BM25` that `LexicalIndex.search` reads, loaded from a save."""

    def __init__(self, vocab_dict: dict[str, int], scores: dict[str, Any], dtype: str,
                 int_dtype: str, nonoccurrence_array: np.ndarray | None) -> None:
        self.vocab_dict = vocab_dict
        self.scores = scores
        self.dtype = dtype
        self.int_dtype = int_dtype
        self.nonoccurrence_array = nonoccurrence_array

    @classmethod
    def load(cls, folder: Path) -> SavedBM25:
        params = json.loads((folder / "params.index.json").read_text(encoding="utf-8"))
        vocab = json.loads((folder / "vocab.index.json").read_text(encoding="utf-8"))
        scores = {name: np.load(folder / f"{name}.csc.index.npy", allow_pickle=False)
                  for name in ("data", "indices", "indptr")}
        scores["num_docs"] = params["num_docs"]
        nonoccurrence = None
        if params["method"] in _NONOCCURRENCE:
            nonoccurrence = np.load(folder / "nonoccurrence_array.index.npy",
                                    allow_pickle=False)
        return cls(vocab, scores, params.get("dtype", "float32"),
                   params.get("int_dtype", "int32"), nonoccurrence)

    def get_tokens_ids(self, query_tokens: list[str]) -> list[int]:
        return [self.vocab_dict[token] for token in query_tokens if token in self.vocab_dict]

    def get_scores_from_ids(self, query_tokens_ids: list[int]) -> np.ndarray:
        data, indices, indptr = (self.scores[k] for k in ("data", "indices", "indptr"))
        ids = np.asarray(query_tokens_ids, dtype=np.dtype(self.int_dtype))
        if int(ids.max(initial=0)) >= len(indptr) - 1:
            raise ValueError("a query token id is beyond the index's vocabulary")
        starts, ends = indptr[ids], indptr[ids + 1]
        scores = np.zeros(self.scores["num_docs"], dtype=np.dtype(self.dtype))
        for start, end in zip(starts, ends, strict=True):
            np.add.at(scores, indices[start:end], data[start:end])
        if self.nonoccurrence_array is not None:
            scores += self.nonoccurrence_array[ids].sum()
        return scores
