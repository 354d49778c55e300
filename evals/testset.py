"""The test set's files, and the check every question must pass before it is frozen.

`python -m evals check FILE ...` reads question files and reports, for each item, an
evidence snippet that no passage of its source documents contains (after `fold`), or a
source file that is neither a shipped record nor a test-set document. `python -m evals
passages DIR` writes every document's passages as the index cuts them, one text file a
document, so that whoever writes questions can copy evidence from what is searched.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from pathlib import Path

from evals.gold import GoldItem, load_gold
from index.loaders import open_source
from index.metadata import METADATA_FILE, load_overrides
from index.parser import parse_lines
from index.passages import Chunker, Passage
from index.text import fold

ROOT = Path(__file__).resolve().parent.parent
CORPUS_DIR = ROOT / "data" / "corpus"
TEST_DIR = Path(__file__).resolve().parent / "test"
DOCUMENTS_DIR = TEST_DIR / "documents"
# The groups `eval` reports, test set first; the training set is evals/gold.
GROUPS = {"test": TEST_DIR / "test.jsonl", "reworded": TEST_DIR / "reworded.jsonl",
          "added": TEST_DIR / "added.jsonl"}


def source_path(name: str) -> Path | None:
    for folder in (CORPUS_DIR, DOCUMENTS_DIR):
        if (folder / name).is_file():
            return folder / name
    return None


def added_documents() -> list[Path]:
    """The documents written for the test set, which the shipped records do not contain."""
    return sorted(p for p in DOCUMENTS_DIR.glob("*") if p.is_file() and p.name != "README.md")


@functools.cache
def passages_of(path: Path) -> tuple[Passage, ...]:
    source = open_source(path)
    entry = load_overrides(path.parent.parent / METADATA_FILE).get(path.name)
    document = parse_lines(source.lines(), original_file=path.name, source_format=source.format,
                           sha256=source.sha256,
                           overrides=entry.model_dump(exclude_none=True) if entry else None)
    return tuple(Chunker().passages(document))


def problems(items: Iterable[GoldItem]) -> list[str]:
    """What is wrong with each item, one line each; empty when all are sound."""
    found: list[str] = []
    for item in items:
        paths = [source_path(name) for name in item.source]
        for name, path in zip(item.source, paths, strict=True):
            if path is None:
                found.append(f"{item.id}: source {name!r} is not in data/corpus or "
                             f"{DOCUMENTS_DIR.relative_to(ROOT)}")
        texts = [fold(p.text) for path in paths if path for p in passages_of(path)]
        for snippet in item.evidence:
            if not any(fold(snippet) in text for text in texts):
                found.append(f"{item.id}: no passage of {item.source} contains {snippet!r}")
        if item.answerable and not item.must_include:
            found.append(f"{item.id}: answerable, but must_include is empty")
        if item.answerable and not item.evidence:
            found.append(f"{item.id}: answerable, but no evidence")
    return found


def check(files: Sequence[Path]) -> list[str]:
    return problems(load_gold(files))


def dump_passages(out_dir: Path, paths: Sequence[Path] | None = None) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in paths or [*sorted(CORPUS_DIR.glob("*.txt")), *added_documents()]:
        target = out_dir / f"{path.name}.passages.txt"
        target.write_text("".join(f"=== {p.locator}\n{p.text}\n\n" for p in passages_of(path)),
                          encoding="utf-8")
        written.append(target)
    return written
