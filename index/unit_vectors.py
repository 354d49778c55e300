"""The vectors of every quotable unit (sentence or row) of the index, so the reader can
tell how close a unit is to a question in meaning and not only in shared words: a
paraphrase ("go-between" for 牵线搭桥), or an English question on a Chinese record.

A build embeds each distinct unit once, through the embedding cache (a rebuild embeds only
sentences it has not seen), and writes the vectors beside the passages of its generation:
`units.npy` (float32, unit length) and `units.sha` (the SHA-256 of each unit's text, in the
same order). A generation without them (built before they existed, or while vectors were
off) reads as having none: the reader then ranks without closeness.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from index.passages import Passage
from index.units import units_of

if TYPE_CHECKING:
    import numpy as np

    from index.embeddings import CachedEmbeddings

VECTORS_FILE = "units.npy"
KEYS_FILE = "units.sha"
_DIGEST = 32
_BATCH = 128


def _sha(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


def unit_texts(passages: Iterable[Passage]) -> list[str]:
    """The distinct texts the units of `passages` are embedded by, in a stable order."""
    return sorted({unit.meaning for passage in passages for unit in units_of(passage, 0)})


class UnitVectors:
    """Unit text → vector, for one index generation."""

    def __init__(self, keys: Sequence[bytes], matrix: np.ndarray) -> None:
        self._row = {key: i for i, key in enumerate(keys)}
        self._matrix = matrix

    def __len__(self) -> int:
        return len(self._row)

    @classmethod
    def embed(cls, texts: Sequence[str], embeddings: CachedEmbeddings,
              progress: Callable[[int, int], None] | None = None) -> UnitVectors:
        import numpy as np

        parts = []
        for start in range(0, len(texts), _BATCH):
            parts.append(embeddings.embed_array(texts[start:start + _BATCH], "passage"))
            if progress:
                progress(min(start + _BATCH, len(texts)), len(texts))
        dimension = embeddings.dimension or 0
        matrix = np.vstack(parts) if parts else np.empty((0, dimension), dtype=np.float32)
        return cls([_sha(t) for t in texts], _unit_length(matrix))

    def save(self, folder: Path) -> None:
        """Into a generation's folder, before the generation is made current."""
        import numpy as np

        (folder / KEYS_FILE).write_bytes(b"".join(sorted(self._row, key=self._row.__getitem__)))
        np.save(folder / VECTORS_FILE, self._matrix, allow_pickle=False)

    @classmethod
    def load(cls, folder: Path) -> UnitVectors | None:
        """The generation's unit vectors, or None when it has none (or they do not match
        their keys: a generation is written whole or not at all, so that is damage)."""
        import numpy as np

        try:
            raw = (folder / KEYS_FILE).read_bytes()
            matrix = np.load(folder / VECTORS_FILE, allow_pickle=False)
        except (OSError, ValueError):
            return None
        keys = [raw[i:i + _DIGEST] for i in range(0, len(raw), _DIGEST)]
        if len(raw) % _DIGEST or matrix.ndim != 2 or matrix.shape[0] != len(keys):
            return None
        return cls(keys, matrix)

    def closeness(self, query: Sequence[float], texts: Iterable[str]) -> dict[str, float]:
        """Cosine similarity of the query vector to each of `texts` the index holds."""
        import numpy as np

        # In a fixed order: the last bits of a product depend on the rows beside it, and
        # `make train` must write the same ranker in every process.
        found = {t: row for t in sorted(set(texts))
                 if (row := self._row.get(_sha(t))) is not None}
        if not found:
            return {}
        q = np.asarray(query, dtype=np.float32)
        q = q / (np.linalg.norm(q) or 1.0)
        values = self._matrix[list(found.values())] @ q
        return {t: float(v) for t, v in zip(found, values, strict=True)}


def _unit_length(matrix: np.ndarray) -> np.ndarray:
    import numpy as np

    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return (matrix / np.where(norms == 0, 1, norms)).astype(np.float32)
