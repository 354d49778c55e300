"""The gold question set is sound: written from the records, balanced, and checkable."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from assistant.api import Assistant
from evals.gold import GoldError, default_gold_files, load_gold
from index.text import fold

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
KINDS = {"number", "date", "who", "list", "what", "table", "cross_doc", "unanswerable",
         "followup"}


@pytest.fixture(scope="module")
def gold():
    return load_gold(default_gold_files())


def test_gold_set_is_large_balanced_and_covers_every_kind_and_document(gold):
    assert len(gold) >= 200
    langs = Counter(item.lang for item in gold)
    assert langs["en"] / len(gold) >= 0.30
    assert sum(not item.answerable for item in gold) >= 20
    assert sum(bool(item.history) for item in gold) >= 20
    assert {item.kind for item in gold} >= KINDS
    sources = {name for item in gold for name in item.source}
    assert {path.name for path in CORPUS.glob("*.txt")} <= sources


def test_every_evidence_snippet_is_in_the_records(gold):
    corpus = {path.name: fold(path.read_text(encoding="utf-8"))
              for path in CORPUS.glob("*.txt")}
    missing = [(item.id, snippet) for item in gold for snippet in item.evidence
               if not any(fold(snippet) in text for text in corpus.values())]
    assert missing == []


def test_answerable_items_have_evidence_and_facts(gold):
    for item in gold:
        if item.answerable:
            assert item.must_include and item.evidence, item.id
        else:
            assert not item.must_include, item.id


def test_every_evidence_snippet_lies_inside_one_passage(gold, shared_index: Assistant):
    """Chunking keeps each answer's words together, so a citation can quote them."""
    passages = [fold(p.text) for p in shared_index.retriever().passages.values()]
    missing = [(item.id, snippet) for item in gold for snippet in item.evidence
               if not any(fold(snippet) in text for text in passages)]
    assert missing == []


def test_a_malformed_gold_line_names_its_file_and_line(tmp_path: Path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x", "question": "q"}\n', encoding="utf-8")
    with pytest.raises(GoldError, match=r"bad\.jsonl:1"):
        load_gold([bad])
