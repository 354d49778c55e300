"""Build and search benchmarks: what a user waits for, and what the index costs in memory/disk.

Cold means a fresh home with an empty embedding cache, so every passage is embedded (model
load included). Run it in its own process: peak RSS is the process-wide high-water mark.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import psutil

from assistant import paths
from assistant.api import Assistant
from assistant.settings import IndexSettings, Settings
from evals.chroma_server import ChromaServer
from evals.gold import GoldItem
from evals.retrieval import percentile
from index.metadata import METADATA_FILE, load_overrides

Tick = Callable[[], None]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_rss_bytes() -> int:
    """Process high-water mark; ru_maxrss is KiB on Linux and bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if platform.system() == "Darwin" else peak * 1024


# Latency passes, in this order: the first embeds every query (what a new question costs),
# the later ones find each query's vector in the embedding cache (the search alone).
LATENCY_PASSES = (
    ("hybrid", "hybrid"),
    ("hybrid (query vector cached)", "hybrid"),
    ("bm25", "bm25"),
    ("dense (query vector cached)", "dense"),
)


def _busy_seconds() -> float | None:
    """CPU seconds all processes have been busy since boot (Linux), or None."""
    try:
        with open("/proc/stat", encoding="ascii") as stat:
            ticks = [int(x) for x in stat.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(ticks) - ticks[3] - ticks[4]) / os.sysconf("SC_CLK_TCK")


def background_load(busy_before: float | None, own_before: float, wall_before: float) -> float | None:
    """Share of the machine's cores that other processes kept busy since the `*_before`
    readings: the bench machine is shared, and a busy core slows every figure."""
    busy_now = _busy_seconds()
    if busy_before is None or busy_now is None:
        return None
    own = sum(os.times()[:2]) - own_before
    wall = time.monotonic() - wall_before
    return max(0.0, (busy_now - busy_before - own) / (wall * (os.cpu_count() or 1)))


def run_bench(items: Sequence[GoldItem], home: Path | None = None,
              tick: Tick | None = None) -> dict[str, object]:
    """Cold build, no-change rebuild, then k=10 search latency per pass over the gold queries."""
    home = home or Path(tempfile.mkdtemp(prefix="committee-bench-"))
    if (home / "index").exists() and any((home / "index").iterdir()):
        raise ValueError(f"{home} already holds an index: a cold build needs an empty home")
    previous = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    try:
        assistant = Assistant(Settings())
        start = time.perf_counter()
        _, cold = assistant.build_index()
        cold_wall = time.perf_counter() - start
        start = time.perf_counter()
        _, warm = assistant.build_index()
        rebuild_wall = time.perf_counter() - start
        queries = [i.retrieval_query() for i in items]
        assistant.search("联络人 warm-up", k=10)  # opens the retriever; not a gold query
        latency: dict[str, dict[str, float]] = {}
        readings = (_busy_seconds(), sum(os.times()[:2]), time.monotonic())
        for label, mode in LATENCY_PASSES:
            times = []
            for query in queries:
                t0 = time.perf_counter()
                assistant.search(query, k=10, mode=mode)
                times.append((time.perf_counter() - t0) * 1000)
                if tick:
                    tick()
            latency[label] = {"p50": statistics.median(times), "p95": percentile(times, 95),
                              "n": len(times)}
        background = background_load(*readings)
        result: dict[str, object] = {
            "home": str(home),
            "documents": cold.documents,
            "passages": cold.passages,
            "cold_build_s": cold_wall,
            "cold_index_s": cold.seconds,
            "embedded": cold.embedded,
            "embeddings_per_s": cold.embeddings_per_second,
            "rebuild_s": rebuild_wall,
            "rebuild_unchanged": warm.unchanged,
            "rebuild_embedded": warm.embedded,
            "search_latency_ms": latency,
            "background_load": background,
            "peak_rss_mb": peak_rss_bytes() / 2**20,
            "search_index_mb": assistant.index_size() / 2**20,
            "home_total_mb": dir_size(home) / 2**20,
            "embedding_cache_mb": dir_size(home / "index" / "cache") / 2**20,
            "cpu": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
        }
        assistant.close()
        return result
    finally:
        if previous is None:
            os.environ.pop(paths.HOME_ENV, None)
        else:
            os.environ[paths.HOME_ENV] = previous


# -- scaling: the shipped records replicated 1×, 10×, 100× ------------------------------------

SCALES = (1, 10, 100)


def replicate_corpus(source: Path, metadata_file: Path, target: Path, copies: int) -> int:
    """Write `copies` of every record in `source` into `target`; returns the file count.

    Copy 0 keeps its name; copy i is `<stem>-r<i>` (a new file name, so a new document id),
    with the shipped metadata in a documents.toml beside it. The text stays byte for byte
    the same, so every passage is found in the embedding cache and nothing is embedded.
    """
    overrides = load_overrides(metadata_file)
    files = sorted(p for p in source.iterdir() if p.is_file() and p.name != METADATA_FILE)
    target.mkdir(parents=True, exist_ok=True)
    tables: list[str] = []
    for i in range(copies):
        for path in files:
            name = path.name if i == 0 else f"{path.stem}-r{i:03d}{path.suffix}"
            shutil.copyfile(path, target / name)
            entry = overrides.get(path.name)
            if entry is not None:
                values = entry.model_dump(mode="json", exclude_none=True, exclude={"id"})
                tables.append("\n".join([f"[{json.dumps(name)}]", *(
                    f"{key} = {json.dumps(str(value), ensure_ascii=False)}"
                    for key, value in values.items())]))
    (target / METADATA_FILE).write_text("\n\n".join(tables) + "\n", encoding="utf-8")
    return len(files) * copies


def scaling_point(copies: int, work: Path, queries: Sequence[str], embedding_cache: Path,
                  tick: Tick | None = None, server: ChromaServer | None = None
                  ) -> dict[str, Any]:
    """Build the index of the corpus replicated `copies` times, then time k=10 hybrid search.

    Each query is searched once untimed, then timed: the timed pass finds its query vector
    in the embedding cache, so the figures are the search itself (embedding one query costs
    the same at every size; the main benchmark measures it). The replicas are duplicates,
    so near-duplicate removal leaves fewer than k results (at 100×, two for the median
    gold query); the work before it still grows with the corpus.
    """
    folder = work / f"x{copies}"
    corpus = folder / "records"
    files = replicate_corpus(paths.shipped_corpus(), paths.shipped_metadata(), corpus, copies)
    settings = Settings(index=IndexSettings(dir=folder / "index", corpus=corpus,
                                            embedding_cache=embedding_cache))
    if server is not None:  # the vectors on a Chroma server, the rest in the folder
        settings.search.vectors = server.vectors()
    with Assistant(settings) as assistant:
        start = time.perf_counter()
        report, stats = assistant.build_index([corpus])
        build_s = time.perf_counter() - start
        if report is None or not report.ok:
            raise RuntimeError(f"ingesting the {copies}× corpus failed: {report}")
        start = time.perf_counter()
        assistant.search(queries[0], k=10)  # opens the retriever: passages, BM25, Chroma
        open_s = time.perf_counter() - start
        for query in queries:
            assistant.search(query, k=10)  # caches the (glossary-expanded) query's vector
        times = []
        readings = (_busy_seconds(), sum(os.times()[:2]), time.monotonic())
        for query in queries:
            t0 = time.perf_counter()
            assistant.search(query, k=10)
            times.append((time.perf_counter() - t0) * 1000)
            if tick:
                tick()
        background = background_load(*readings)
        search_bytes = assistant.index_size()
        index_bytes = dir_size(folder / "index")
        client_rss = psutil.Process().memory_info().rss
        if server is not None:
            assistant.clear_index()  # the server's collections go with the folder
    return {
        "copies": copies, "documents": stats.documents, "files": files,
        "passages": stats.passages, "embedded": stats.embedded, "build_s": build_s,
        "open_s": open_s, "p50_ms": statistics.median(times), "p95_ms": percentile(times, 95),
        "n": len(times), "search_index_bytes": search_bytes,
        "index_bytes": index_bytes, "background_load": background,
        "vectors": "server" if server else "embedded", "client_rss_bytes": client_rss,
        "server_rss_bytes": server.rss_bytes() if server else None,
    }


def run_scaling(queries: Sequence[str], scales: Sequence[int] = SCALES,
                work: Path | None = None, embedding_cache: Path | None = None,
                tick: Tick | None = None, server: ChromaServer | None = None
                ) -> list[dict[str, Any]]:
    """One `scaling_point` per scale, in a fresh work folder, sharing one embedding cache;
    with `server`, the vectors live on that Chroma server.

    Give `embedding_cache` (e.g. the main benchmark's) to skip embedding the corpus once;
    without it the first scale embeds it. Each scale's folder is removed once measured.
    """
    work = work or Path(tempfile.mkdtemp(prefix="committee-scaling-"))
    cache = embedding_cache or work / "cache"
    points = []
    for copies in scales:
        points.append(scaling_point(copies, work, queries, cache, tick, server))
        shutil.rmtree(work / f"x{copies}", ignore_errors=True)
    return points


def scaling_markdown(points: Sequence[Mapping[str, Any]]) -> str:
    header = "| corpus | vectors | documents | passages | embedded | build s | open s | " \
             "index MiB | search MiB | hybrid k=10 p50 / p95 ms | RSS MiB assistant / server " \
             "| background load |"
    rows = [f"| {p['copies']}× | {p.get('vectors', 'embedded')} | {p['documents']} | "
            f"{p['passages']} | {p['embedded']} | {p['build_s']:.1f} | "
            f"{p['open_s']:.2f} | {p['index_bytes'] / 2**20:.1f} | "
            f"{p['search_index_bytes'] / 2**20:.1f} | "
            f"{p['p50_ms']:.1f} / {p['p95_ms']:.1f} (n={p['n']}) | {_rss(p)} | "
            f"{_share(p['background_load'])} |"
            for p in points]
    return "\n".join([
        "## Scaling: the shipped records replicated", "",
        "Build: ingest + index; embedded: passages the embedding cache did not hold. Open: "
        "first search (loads passages, BM25, Chroma). Latency: query vector cached, so this "
        "is the search itself; embedding a query is in the table above. Vectors: in the "
        "index folder's own Chroma (embedded) or on a `chroma run` server; RSS: resident "
        "memory of the assistant process after the searches, and of the server.", "",
        header, "|" + "---|" * 12, *rows, ""])


def _rss(point: Mapping[str, Any]) -> str:
    client, server = point.get("client_rss_bytes"), point.get("server_rss_bytes")
    if client is None:
        return "—"
    return f"{client / 2**20:.0f} / " + (f"{server / 2**20:.0f}" if server else "—")


def _share(value: object) -> str:
    return f"{value:.0%}" if isinstance(value, float) else "n/a"


def background_markdown(bench: Mapping[str, object]) -> str:
    """The machine is shared: how busy other processes kept it while latency was measured."""
    return (f"Background load during the latency passes: {_share(bench.get('background_load'))}"
            " of the machine's cores busy with other processes.\n")


def scaling_chart(points: Sequence[Mapping[str, Any]], path: Path) -> Path:
    """Latency (p50, p95) and index size against passages, both on log-log axes."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullFormatter, ScalarFormatter

    passages = [p["passages"] for p in points]
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    left.plot(passages, [p["p50_ms"] for p in points], "o-", label="p50")
    left.plot(passages, [p["p95_ms"] for p in points], "s--", label="p95")
    left.set_ylabel("hybrid search k=10 (ms, query vector cached)")
    right.plot(passages, [p["index_bytes"] / 2**20 for p in points], "o-", label="index folder")
    right.plot(passages, [p["search_index_bytes"] / 2**20 for p in points], "s--",
               label="search index (Chroma + BM25 + passages)")
    right.set_ylabel("size (MiB)")
    for ax in (left, right):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xticks(passages, [f"{p['passages']:,}\n({p['copies']}×)" for p in points])
        ax.xaxis.set_minor_formatter(NullFormatter())
        ax.yaxis.set_major_formatter(ScalarFormatter())
        ax.yaxis.set_minor_formatter(NullFormatter())
        ax.set_xlabel("passages (copies of the shipped records)")
        ax.legend(fontsize=8)
    fig.suptitle("Scaling: the shipped records replicated")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path
