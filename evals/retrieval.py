"""Retrieval metrics per configuration, so a change to chunking or fusion shows up as numbers.

A retrieved passage is relevant when its text (folded: NFKC, whitespace removed) contains
any of the item's evidence snippets. Only answerable items with evidence are scored.
"""

from __future__ import annotations

import contextlib
import hashlib
import math
import statistics
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.api import Assistant
from evals.gold import GoldItem
from index.text import fold

K_MAX = 10
RECALL_KS = (1, 5, 10)
OUR_MODES = ("hybrid", "bm25", "dense")
BASELINE = "langchain_baseline"
CONFIGS = (*OUR_MODES, BASELINE)


@dataclass(frozen=True)
class Hit:
    """One retrieved passage: the text judged for relevance and a label for humans."""

    text: str
    label: str


Searcher = Callable[[str, int], list[Hit]]
Tick = Callable[[], None]


@dataclass
class ItemResult:
    """Where (if at all) the first relevant passage came for one question."""

    id: str
    lang: str
    kind: str
    question: str
    rank: int | None
    seconds: float
    top1: str = ""


@dataclass
class Metrics:
    n: int = 0
    recall: dict[int, float] = field(default_factory=dict)
    mrr: float = 0.0
    ndcg10: float = 0.0

    def as_dict(self) -> dict[str, float | int]:
        out: dict[str, float | int] = {"n": self.n}
        out.update({f"recall@{k}": v for k, v in self.recall.items()})
        out.update({"mrr": self.mrr, "ndcg@10": self.ndcg10})
        return out


def is_relevant(text: str, evidence: Sequence[str]) -> bool:
    folded = fold(text)
    return any(fold(snippet) in folded for snippet in evidence if fold(snippet))


def first_relevant(hits: Sequence[Hit], evidence: Sequence[str]) -> int | None:
    for rank, hit in enumerate(hits, start=1):
        if is_relevant(hit.text, evidence):
            return rank
    return None


def metrics(results: Sequence[ItemResult]) -> Metrics:
    """Recall@k, MRR@10 and nDCG@10 with binary relevance and an ideal DCG of 1."""
    n = len(results)
    if not n:
        return Metrics()
    ranks = [r.rank for r in results]
    return Metrics(
        n=n,
        recall={k: sum(1 for r in ranks if r is not None and r <= k) / n for k in RECALL_KS},
        mrr=sum(1 / r for r in ranks if r is not None and r <= K_MAX) / n,
        ndcg10=sum(1 / math.log2(r + 1) for r in ranks if r is not None and r <= K_MAX) / n,
    )


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile, so p95 of a small sample is an observed value."""
    if not values:
        return 0.0
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[index]


def summarize(results: Sequence[ItemResult]) -> dict[str, object]:
    """Overall, per-language and per-kind metrics plus latency for one configuration."""
    by_lang: dict[str, list[ItemResult]] = {}
    by_kind: dict[str, list[ItemResult]] = {}
    for r in results:
        by_lang.setdefault(r.lang, []).append(r)
        by_kind.setdefault(r.kind, []).append(r)
    latencies = [r.seconds * 1000 for r in results]
    return {
        "overall": metrics(results).as_dict(),
        "by_lang": {k: metrics(v).as_dict() for k, v in sorted(by_lang.items())},
        "by_kind": {k: metrics(v).as_dict() for k, v in sorted(by_kind.items())},
        "latency_ms": {"p50": statistics.median(latencies) if latencies else 0.0,
                       "p95": percentile(latencies, 95)},
    }


def scored_items(items: Iterable[GoldItem]) -> list[GoldItem]:
    return [i for i in items if i.answerable and i.evidence]


def run_config(searcher: Searcher, items: Sequence[GoldItem],
               tick: Tick | None = None) -> list[ItemResult]:
    results = []
    for item in items:
        start = time.perf_counter()
        hits = searcher(item.retrieval_query(), K_MAX)
        seconds = time.perf_counter() - start
        top1 = f"[{hits[0].label}] {hits[0].text[:160]}" if hits else "(nothing)"
        results.append(ItemResult(item.id, item.lang, item.kind, item.question,
                                  first_relevant(hits, item.evidence), seconds,
                                  " ".join(top1.split())))
        if tick:
            tick()
    return results


def our_searcher(assistant: Assistant, mode: str) -> Searcher:
    def search(query: str, k: int) -> list[Hit]:
        return [Hit(p.text, p.locator) for p in assistant.search(query, k=k, mode=mode)]
    return search


def langchain_baseline(assistant: Assistant, persist_dir: Path | None = None
                       ) -> Searcher:
    """The tutorial setup: 1000/200 character splits of the cleaned text in Chroma, dense only.

    It shares our cached E5 embeddings so the comparison isolates chunking and ranking.
    Its "answer" would use the top 4; recall is measured up to k=10 for comparability.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings
    from langchain_chroma import Chroma
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    from index.embeddings import make_embeddings

    embeddings = make_embeddings(assistant.settings.search.embeddings,
                                 assistant.settings.index.embedding_cache_dir)
    splitter = RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200)
    texts: list[str] = []
    metadatas: list[dict[str, str | int]] = []
    for meta in assistant.documents():
        document = assistant.document(meta.id)
        full = "\n".join(block.full_text for block in document.blocks)
        for n, chunk in enumerate(splitter.split_text(full)):
            texts.append(chunk)
            metadatas.append({"doc": meta.label, "chunk": n})
    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    client = (chromadb.PersistentClient(path=str(persist_dir), settings=chroma_settings)
              if persist_dir else chromadb.EphemeralClient(settings=chroma_settings))
    # One collection per index: an ephemeral client is shared by the whole process, and the
    # evaluation builds a baseline for each index it asks.
    name = "langchain_baseline_" + hashlib.sha1(
        str(assistant.settings.index.dir).encode()).hexdigest()[:10]
    with contextlib.suppress(Exception):  # absent on first use; chroma's error type varies
        client.delete_collection(name)
    store = Chroma(collection_name=name, client=client,
                   embedding_function=embeddings)  # type: ignore[arg-type]  # duck-typed
    store.add_texts(texts, metadatas=metadatas)

    def search(query: str, k: int) -> list[Hit]:
        docs = store.similarity_search(query, k=k)
        return [Hit(d.page_content, f"{d.metadata.get('doc')} chunk {d.metadata.get('chunk')}")
                for d in docs]
    return search


def evaluate(assistant: Assistant, items: Sequence[GoldItem],
             configs: Sequence[str] = CONFIGS, tick: Tick | None = None,
             baseline_dir: Path | None = None, baseline: Searcher | None = None
             ) -> dict[str, list[ItemResult]]:
    """Run every configuration over the same scored items (index must be built)."""
    out: dict[str, list[ItemResult]] = {}
    for config in configs:
        searcher = ((baseline or langchain_baseline(assistant, baseline_dir))
                    if config == BASELINE else our_searcher(assistant, config))
        out[config] = run_config(searcher, items, tick)
    return out
