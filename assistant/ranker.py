"""The evidence ranker: a logistic model over general features of a sentence or row (how
much of the question it and its passage hold, how high its passage ranked, whether it holds
the kind of thing asked, whether the question's year, state and document constraints are
met), learned from the training questions by `make train` (`evals/train_ranker.py`), with
its refusal threshold chosen on the same data. Its file says what it measured."""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict

RANKER_FILE = Path(__file__).resolve().parent / "ranker.json"


class Ranker(BaseModel):
    model_config = ConfigDict(extra="forbid")

    features: list[str]
    # Each feature is standardised ((x - mean) / scale) before its weight applies.
    means: list[float]
    scales: list[float]
    weights: list[float]
    bias: float
    # The probability below which the best unit does not answer: chosen on the training
    # questions' cross-validated predictions.
    threshold: float
    # What training measured, for the record (cross-validated, grouped by question).
    measured: dict[str, float] = {}

    def probability(self, values: Mapping[str, float]) -> float:
        z = self.bias + sum(w * (values.get(name, 0.0) - m) / s for name, m, s, w in zip(
            self.features, self.means, self.scales, self.weights, strict=True))
        return 1 / (1 + math.exp(-z))


@functools.cache
def shipped_ranker() -> Ranker | None:
    """The ranker `make train` wrote, or None before one is trained."""
    if not RANKER_FILE.is_file():
        return None
    return Ranker.model_validate_json(RANKER_FILE.read_text(encoding="utf-8"))
