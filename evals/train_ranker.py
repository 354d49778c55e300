"""`make train` (= `python -m evals train`): learn the evidence ranker from the training set.

Every training question is read as the assistant reads it (`Assistant.read`, history asked
turn by turn); each sentence or row of its retrieved passages is one example, labelled by
whether it holds one of the question's evidence snippets (unanswerable questions: none
does). Two logistic models over the units' features are fitted with cross-validation
grouped by question (a question's units never sit on both sides of a split): one on pairs
of units of a question, which orders them, and one on every unit, whose probability for the
best unit decides refusal. They are compared with the hand-set scoring on the same folds:
how often the best unit of an answerable question holds its evidence (top-1), and, at the
refusal threshold, how many answerable questions are refused and unanswerable ones
answered. The threshold is the highest that
keeps false refusal at or below `MAX_FALSE_REFUSAL` on the cross-validated predictions.
The model is written to `assistant/ranker.json` with those figures; training is
deterministic (no sampling; the solver is exact).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rich.console import Console

from assistant.api import Assistant
from assistant.ranker import RANKER_FILE, Ranker
from evals.answers import conversation_so_far
from evals.gold import GoldItem, default_gold_files, load_gold
from evals.groups import open_eval_index
from index.text import fold

FEATURES = ["own_coverage", "coverage", "passage_coverage", "passage_rank", "dense",
            "type_bonus", "type_ok", "conversation", "proximity", "listing",
            "constraints_ok", "in_scope", "heading", "lacks_rarest", "closeness",
            "closeness_gap"]
MAX_FALSE_REFUSAL = 0.05
FOLDS = 5
# L2 strength, chosen by the same grouped cross-validation from these.
C_GRID = (0.01, 0.1, 1.0, 10.0)


@dataclass
class Question:
    item: GoldItem
    X: np.ndarray  # one row a unit, in the order the hand-set scoring ranked them
    y: np.ndarray
    eligible: np.ndarray  # units whose constraints (and type, when strict) are met
    hand_supported: bool


def holds_evidence(quote: str, evidence: Sequence[str]) -> bool:
    """The unit holds a snippet, or is part of one (a snippet may span two sentences)."""
    q = fold(quote)
    for snippet in evidence:
        s = fold(snippet)
        if s and (s in q or (len(q) >= 8 and q in s)
                  or (len(s) >= 16 and (s[:12] in q or s[-12:] in q))):
            return True
    return False


def read_questions(assistant: Assistant, items: Sequence[GoldItem]) -> list[Question]:
    answerer = assistant._answerer()
    questions = []
    for item in items:
        history, replies = conversation_so_far(item, assistant)
        reading = assistant.read(item.question, history=history, replies=replies)
        scored = answerer.scored(reading.analysis, reading.passages, reading.scope,
                                 reading.titles, reading.context_terms,
                                 closeness=reading.closeness)
        if not scored:
            continue
        # A feature a unit lacks (closeness, without unit vectors) is filled with the
        # feature's mean before fitting (`_filled`), as the ranker reads it.
        X = np.array([[s.features.get(f, np.nan) for f in FEATURES] for s in scored])
        y = np.array([item.answerable and holds_evidence(s.unit.quote, item.evidence)
                      for s in scored], dtype=int)
        strict = answerer.strict(reading.analysis)
        eligible = np.array([s.constraints_ok and (s.type_ok or not strict) for s in scored])
        questions.append(Question(item, X, y, eligible,
                                  any(answerer.supports(s, reading.analysis) for s in scored)))
    return questions


def _filled(questions: list[Question]) -> list[Question]:
    means = np.nanmean(np.vstack([q.X for q in questions]), axis=0)
    for q in questions:
        q.X = np.where(np.isnan(q.X), means, q.X)
    return questions


@dataclass
class Model:
    """The two linear models over the standardised features: `order` ranks a question's
    units (fitted on pairs of units of one question), `probability` says whether the best
    of them answers (fitted on every unit)."""

    mean: np.ndarray
    scale: np.ndarray
    order_weights: np.ndarray
    weights: np.ndarray
    bias: float

    def order(self, X: np.ndarray) -> np.ndarray:
        return ((X - self.mean) / self.scale) @ self.order_weights

    def probability(self, X: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-(((X - self.mean) / self.scale) @ self.weights + self.bias)))


def fit(questions: Sequence[Question], order_c: float, probability_c: float) -> Model:
    from sklearn.linear_model import LogisticRegression

    X = np.vstack([q.X for q in questions])
    y = np.concatenate([q.y for q in questions])
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    pointwise = LogisticRegression(C=probability_c, max_iter=2000, solver="lbfgs")
    pointwise.fit((X - mean) / scale, y)
    # Every unit holding the evidence against every eligible unit that does not, both ways
    # round: what tells the right sentence from its neighbours within one question, which
    # the pointwise model (where most negatives are easy) learns poorly.
    pairs = [((q.X[p] - q.X[n]) / scale) for q in questions
             for p in np.flatnonzero(q.y) for n in np.flatnonzero((q.y == 0) & q.eligible)]
    D = np.array(pairs)
    pairwise = LogisticRegression(C=order_c, max_iter=2000, solver="lbfgs",
                                  fit_intercept=False)
    pairwise.fit(np.vstack([D, -D]), np.concatenate([np.ones(len(D)), np.zeros(len(D))]))
    return Model(mean, scale, pairwise.coef_[0], pointwise.coef_[0],
                 float(pointwise.intercept_[0]))


@dataclass
class Predicted:
    """A question's best eligible unit under a model that did not see the question."""

    right: bool  # it holds the evidence
    probability: float  # 0 when no unit is eligible


def cross_validated(questions: list[Question], order_c: float,
                    probability_c: float) -> list[Predicted]:
    from sklearn.model_selection import GroupKFold

    groups = np.arange(len(questions))
    out: list[Predicted] = [Predicted(False, 0.0)] * len(questions)
    for train, test in GroupKFold(n_splits=FOLDS).split(groups, groups=groups):
        model = fit([questions[i] for i in train], order_c, probability_c)
        for i in test:
            out[i] = predicted(model, questions[i])
    return out


def predicted(model: Model, q: Question) -> Predicted:
    if not q.eligible.any():
        return Predicted(False, 0.0)
    i = int(np.where(q.eligible, model.order(q.X), -np.inf).argmax())
    return Predicted(bool(q.y[i]), float(model.probability(q.X[i:i + 1])[0]))


def figures(questions: list[Question], predictions: list[Predicted],
            threshold: float) -> dict[str, float]:
    answerable = [p for q, p in zip(questions, predictions, strict=True)
                  if q.item.answerable and q.y.any()]
    unanswerable = [p for q, p in zip(questions, predictions, strict=True)
                    if not q.item.answerable]
    return {
        "top1": sum(p.right for p in answerable) / len(answerable) if answerable else 0.0,
        "false_refusal": (sum(p.probability < threshold for p in answerable)
                          / len(answerable)) if answerable else 0.0,
        "refusal": (sum(p.probability < threshold for p in unanswerable)
                    / len(unanswerable)) if unanswerable else 0.0,
    }


def choose_threshold(questions: list[Question], predictions: list[Predicted]) -> float:
    """The highest threshold whose false refusal stays at or below MAX_FALSE_REFUSAL."""
    bests = sorted(p.probability for q, p in zip(questions, predictions, strict=True)
                   if q.item.answerable and q.y.any())
    allowed = int(MAX_FALSE_REFUSAL * len(bests))
    return float(bests[allowed]) if bests else 0.5


def hand_figures(questions: list[Question]) -> dict[str, float]:
    """The hand-set scoring on the same questions: its rank order is the units' order."""
    answerable = [q for q in questions if q.item.answerable and q.y.any()]
    unanswerable = [q for q in questions if not q.item.answerable]
    top1 = [q.y[int(np.argmax(q.eligible))] if q.eligible.any() else 0 for q in answerable]
    return {"top1": float(sum(top1) / len(answerable)),
            "false_refusal": sum(not q.hand_supported for q in answerable) / len(answerable),
            "refusal": sum(not q.hand_supported for q in unanswerable) / len(unanswerable)}


def train(console: Console, items: Sequence[GoldItem] | None = None) -> Ranker:
    items = list(items or load_gold(default_gold_files()))
    with open_eval_index(()) as assistant:
        assistant._answerer().ranker = None  # read with the hand-set scoring's order
        questions = _filled(read_questions(assistant, items))
    console.print(f"{len(questions)} questions, {sum(len(q.y) for q in questions)} units, "
                  f"{sum(int(q.y.sum()) for q in questions)} holding evidence")
    # The order's strength by how often the best unit is right; then the probability's by
    # how many unanswerable questions it refuses at false refusal <= MAX_FALSE_REFUSAL.
    order_c = max(C_GRID, key=lambda c: figures(
        questions, cross_validated(questions, c, C_GRID[0]), 0.0)["top1"])
    best_c, best = C_GRID[0], -1.0
    for c in C_GRID:
        predictions = cross_validated(questions, order_c, c)
        threshold = choose_threshold(questions, predictions)
        measured = figures(questions, predictions, threshold)
        console.print(f"order C={order_c}, probability C={c}: cross-validated {measured} "
                      f"at threshold {threshold:.3f}")
        if measured["refusal"] > best:
            best_c, best = c, measured["refusal"]
    predictions = cross_validated(questions, order_c, best_c)
    threshold = choose_threshold(questions, predictions)
    measured = figures(questions, predictions, threshold)
    hand = hand_figures(questions)
    console.print(f"hand-set scoring on the same questions: {hand}")
    model = fit(questions, order_c, best_c)
    ranker = Ranker(features=FEATURES, means=model.mean.tolist(), scales=model.scale.tolist(),
                    order_weights=model.order_weights.tolist(),
                    weights=model.weights.tolist(), bias=model.bias, threshold=threshold,
                    measured={"order_C": order_c, "C": best_c, "questions": len(questions),
                              **{f"cv_{k}": round(v, 4) for k, v in measured.items()},
                              **{f"hand_{k}": round(v, 4) for k, v in hand.items()}})
    RANKER_FILE.write_text(ranker.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {RANKER_FILE}: order C={order_c}, C={best_c}, threshold "
                  f"{threshold:.3f}, "
                  f"cross-validated {measured}")
    return ranker
