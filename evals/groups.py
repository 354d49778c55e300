"""The question groups `eval` reports side by side, and the index each is asked of.

The test set (`evals/test/`) comes first: it was written from the records, not from the
answerer, and is frozen. `reworded` rewords training questions; `added` asks about documents
the shipped records do not contain, so its index holds those documents too. `training` is
`evals/gold`, the set the answerer was developed on: its figures flatter it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant import paths
from assistant.api import Assistant
from assistant.settings import IndexSettings, Settings
from evals.gold import default_gold_files
from evals.testset import TEST_DIR, added_documents

GROUP_NAMES = ("test", "reworded", "added", "training")


@dataclass(frozen=True)
class Group:
    name: str
    files: tuple[Path, ...]
    # Documents the group's index holds beside the shipped records.
    documents: tuple[Path, ...] = field(default=())


def default_groups(names: Sequence[str] = GROUP_NAMES) -> list[Group]:
    every = {
        "test": Group("test", tuple(sorted(TEST_DIR.glob("test_*.jsonl")))),
        "reworded": Group("reworded", (TEST_DIR / "reworded.jsonl",)),
        "added": Group("added", (TEST_DIR / "added.jsonl",), tuple(added_documents())),
        "training": Group("training", tuple(default_gold_files())),
    }
    return [every[name] for name in GROUP_NAMES if name in names
            and every[name].files and all(f.is_file() for f in every[name].files)]


def eval_settings(documents: Sequence[Path], base: Settings | None = None) -> Settings:
    """An index of its own for the evaluation, so that what a user has ingested does not
    move the figures; its embedding cache is the user's index's, so nothing embeds twice."""
    base = base or Settings()
    name = "shipped" if not documents else "with-added"
    index = IndexSettings(dir=paths.home() / "eval" / name,
                          embedding_cache=base.index.embedding_cache_dir)
    return base.model_copy(update={"index": index})


def open_eval_index(documents: Sequence[Path], base: Settings | None = None) -> Assistant:
    """The shipped records (and `documents`), ingested and indexed; unchanged files cost
    nothing on a second run."""
    assistant = Assistant(eval_settings(documents, base))
    assistant.build_index()
    if documents:
        report, _ = assistant.build_index(documents)
        if report is not None and not report.ok:
            raise RuntimeError(f"the test set's documents did not ingest: {report.failures}")
    return assistant
