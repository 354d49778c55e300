"""The evidence ranker: two logistic models over general features of a sentence or row (how
much of the question it and its passage hold, how close it is in meaning, how high its
passage ranked, whether it holds the kind of thing asked, whether the question's year, state
and document constraints are met), learned from the training questions by `make train`
(`evals/train_ranker.py`): one orders a question's units, the other gives the probability
that the best of them answers, refused below a threshold chosen on the same data. Its file
says what it measured."""

from __future__ import annotations

import functools
import logging
import math
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

RANKER_FILE = Path(__file__).resolve().parent / "ranker.json"
log = logging.getLogger(__name__)


class Ranker(BaseModel):
    model_config = ConfigDict(extra="forbid")

    features: list[str]
    # Each feature is standardised ((x - mean) / scale) before its weight applies.
    means: list[float]
    scales: list[float]
    # Orders a question's units (fitted on pairs of units of one question).
    order_weights: list[float]
    # The probability that a unit answers (fitted on every unit): decides refusal.
    weights: list[float]
    bias: float
    # The probability below which the best unit does not answer: chosen on the training
    # questions' cross-validated predictions.
    threshold: float
    # What training measured, for the record (cross-validated, grouped by question).
    measured: dict[str, float] = {}

    def order(self, values: Mapping[str, float]) -> float:
        """The unit's place among its question's units: higher is better."""
        return self._linear(values, self.order_weights)

    def probability(self, values: Mapping[str, float]) -> float:
        return 1 / (1 + math.exp(-(self.bias + self._linear(values, self.weights))))

    def _linear(self, values: Mapping[str, float], weights: list[float]) -> float:
        """A feature missing from `values` (closeness, when the index has no unit vectors)
        reads as its mean: it moves the result neither way."""
        return sum(w * (values.get(name, m) - m) / s for name, m, s, w in zip(
            self.features, self.means, self.scales, weights, strict=True))


@functools.cache
def shipped_ranker() -> Ranker | None:
    """The ranker `make train` wrote; None before one is trained, or when the file was
    written by another version of the ranker (a warning says so; `make train` mends it)."""
    if not RANKER_FILE.is_file():
        return None
    try:
        return Ranker.model_validate_json(RANKER_FILE.read_text(encoding="utf-8"))
    except ValidationError as exc:
        log.warning("%s does not fit this version of the ranker (%s): answering with the "
                    "hand-set scores until `make train` is run", RANKER_FILE,
                    exc.errors()[0]["msg"])
        return None
