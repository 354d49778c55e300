"""`make train` (= `python -m evals train`): learn the evidence ranker from the training set.

Every training question is read as the assistant reads it (`Assistant.read`, history asked
turn by turn); each sentence or row of its retrieved passages is one example, labelled by
whether it holds one of the question's evidence snippets (unanswerable questions: none
does). A logistic model over the units' features is fitted with cross-validation grouped by
question (a question's units never sit on both sides of a split), and compared with the
hand-set scoring it replaces on the same folds: how often the best unit of an answerable
question holds its evidence (top-1), and, at the refusal threshold, how many answerable
questions are refused and unanswerable ones answered. The threshold is the highest that
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
            "constraints_ok", "in_scope", "heading", "lacks_rarest"]
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
                                 reading.titles, reading.context_terms)
        if not scored:
            continue
        X = np.array([[s.features[f] for f in FEATURES] for s in scored])
        y = np.array([item.answerable and holds_evidence(s.unit.quote, item.evidence)
                      for s in scored], dtype=int)
        strict = answerer.strict(reading.analysis)
        eligible = np.array([s.constraints_ok and (s.type_ok or not strict) for s in scored])
        questions.append(Question(item, X, y, eligible,
                                  any(answerer.supports(s, reading.analysis) for s in scored)))
    return questions


def _fit(X: np.ndarray, y: np.ndarray, c: float):
    from sklearn.linear_model import LogisticRegression

    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, solver="lbfgs")
    model.fit((X - mean) / scale, y)
    return model, mean, scale


def cross_validated(questions: list[Question], c: float) -> list[np.ndarray]:
    """Each question's units' probabilities from a model that did not see it."""
    from sklearn.model_selection import GroupKFold

    groups = np.arange(len(questions))
    out: list[np.ndarray] = [np.array([])] * len(questions)
    for train, test in GroupKFold(n_splits=FOLDS).split(groups, groups=groups):
        X = np.vstack([questions[i].X for i in train])
        y = np.concatenate([questions[i].y for i in train])
        model, mean, scale = _fit(X, y, c)
        for i in test:
            out[i] = model.predict_proba((questions[i].X - mean) / scale)[:, 1]
    return out


def _best(probabilities: np.ndarray, q: Question) -> tuple[int | None, float]:
    if not q.eligible.any():
        return None, 0.0
    masked = np.where(q.eligible, probabilities, -1.0)
    i = int(masked.argmax())
    return i, float(masked[i])


def figures(questions: list[Question], probabilities: list[np.ndarray],
            threshold: float) -> dict[str, float]:
    answerable = [(q, p) for q, p in zip(questions, probabilities, strict=True)
                  if q.item.answerable and q.y.any()]
    unanswerable = [(q, p) for q, p in zip(questions, probabilities, strict=True)
                    if not q.item.answerable]
    top1 = [q.y[i] for q, p in answerable if (i := _best(p, q)[0]) is not None]
    refused = sum(_best(p, q)[1] < threshold for q, p in answerable)
    return {
        "top1": float(sum(top1) / len(answerable)) if answerable else 0.0,
        "false_refusal": refused / len(answerable) if answerable else 0.0,
        "refusal": (sum(_best(p, q)[1] < threshold for q, p in unanswerable)
                    / len(unanswerable)) if unanswerable else 0.0,
    }


def choose_threshold(questions: list[Question], probabilities: list[np.ndarray]) -> float:
    """The highest threshold whose false refusal stays at or below MAX_FALSE_REFUSAL."""
    bests = sorted(_best(p, q)[1] for q, p in zip(questions, probabilities, strict=True)
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
        questions = read_questions(assistant, items)
    console.print(f"{len(questions)} questions, {sum(len(q.y) for q in questions)} units, "
                  f"{sum(int(q.y.sum()) for q in questions)} holding evidence")
    best_c, best = C_GRID[0], (-1.0, 0.0)
    for c in C_GRID:
        probabilities = cross_validated(questions, c)
        threshold = choose_threshold(questions, probabilities)
        measured = figures(questions, probabilities, threshold)
        console.print(f"C={c}: cross-validated {measured} at threshold {threshold:.3f}")
        if (measured["top1"], measured["refusal"]) > best:
            best_c, best = c, (measured["top1"], measured["refusal"])
    probabilities = cross_validated(questions, best_c)
    threshold = choose_threshold(questions, probabilities)
    measured = figures(questions, probabilities, threshold)
    hand = hand_figures(questions)
    console.print(f"hand-set scoring on the same questions: {hand}")
    X = np.vstack([q.X for q in questions])
    y = np.concatenate([q.y for q in questions])
    model, mean, scale = _fit(X, y, best_c)
    ranker = Ranker(features=FEATURES, means=mean.tolist(), scales=scale.tolist(),
                    weights=model.coef_[0].tolist(), bias=float(model.intercept_[0]),
                    threshold=threshold,
                    measured={"C": best_c, "questions": len(questions),
                              **{f"cv_{k}": round(v, 4) for k, v in measured.items()},
                              **{f"hand_{k}": round(v, 4) for k, v in hand.items()}})
    RANKER_FILE.write_text(ranker.model_dump_json(indent=2) + "\n", encoding="utf-8")
    console.print(f"wrote {RANKER_FILE}: C={best_c}, threshold {threshold:.3f}, "
                  f"cross-validated {measured}")
    return ranker
