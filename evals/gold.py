"""The gold question set: one pydantic model, so a typo in a JSONL file fails loudly."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

GOLD_DIR = Path(__file__).resolve().parent / "gold"


class GoldError(ValueError):
    """A gold file line that is not valid JSON or does not match GoldItem."""


class GoldItem(BaseModel):
    """One question with what a correct answer must contain and where its evidence is."""

    model_config = ConfigDict(extra="forbid")

    id: str
    question: str
    lang: Literal["zh", "en"]
    kind: str
    answerable: bool
    must_include: list[str]
    evidence: list[str]
    history: list[str]
    source: list[str]
    # The test set's items (evals/test/) also say which fact they ask, so that every
    # phrasing of one fact stays in one split, how they are phrased, and, for a rewording,
    # which training item it rewords.
    fact: str | None = None
    style: list[str] = []
    rewords: str | None = None

    def retrieval_query(self) -> str:
        """Question for retrieval; follow-ups get their history prepended (a weak baseline)."""
        return "\n".join([*self.history, self.question])


def default_gold_files() -> list[Path]:
    return sorted(GOLD_DIR.glob("*.jsonl"))


def load_gold(paths: Iterable[Path]) -> list[GoldItem]:
    """Read every JSONL file; raise GoldError naming file and line on the first bad line."""
    items: list[GoldItem] = []
    seen: dict[str, str] = {}
    for path in paths:
        with Path(path).open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                where = f"{path}:{number}"
                try:
                    item = GoldItem.model_validate(json.loads(line))
                except json.JSONDecodeError as exc:
                    raise GoldError(f"{where}: not valid JSON: {exc}") from exc
                except ValidationError as exc:
                    raise GoldError(f"{where}: {exc}") from exc
                if item.id in seen:
                    raise GoldError(f"{where}: duplicate id {item.id!r} (first in {seen[item.id]})")
                seen[item.id] = where
                items.append(item)
    return items
