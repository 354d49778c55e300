"""Build and search benchmarks: what a user waits for, and what the index costs in memory/disk.

Cold means a fresh home with an empty embedding cache, so every passage is embedded (model
load included). Run it in its own process: peak RSS is the process-wide high-water mark.
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from assistant import paths
from assistant.api import CommitteeAssistant
from assistant.settings import Settings
from evals.gold import GoldItem
from evals.retrieval import OUR_MODES, percentile

Tick = Callable[[], None]


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def peak_rss_bytes() -> int:
    """Process high-water mark; ru_maxrss is KiB on Linux and bytes on macOS."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if platform.system() == "Darwin" else peak * 1024


def run_bench(items: Sequence[GoldItem], home: Path | None = None,
              tick: Tick | None = None) -> dict[str, object]:
    """Cold build, no-change rebuild, then k=10 search latency per mode over the gold queries."""
    home = home or Path(tempfile.mkdtemp(prefix="committee-bench-"))
    if (home / "index").exists() and any((home / "index").iterdir()):
        raise ValueError(f"{home} already holds an index: a cold build needs an empty home")
    previous = os.environ.get(paths.HOME_ENV)
    os.environ[paths.HOME_ENV] = str(home)
    try:
        assistant = CommitteeAssistant(Settings())
        start = time.perf_counter()
        _, cold = assistant.build_index()
        cold_wall = time.perf_counter() - start
        start = time.perf_counter()
        _, warm = assistant.build_index()
        rebuild_wall = time.perf_counter() - start
        queries = [i.retrieval_query() for i in items]
        latency: dict[str, dict[str, float]] = {}
        for mode in OUR_MODES:
            assistant.search(queries[0], k=10, mode=mode)  # warm-up: load the retriever
            times = []
            for query in queries:
                t0 = time.perf_counter()
                assistant.search(query, k=10, mode=mode)
                times.append((time.perf_counter() - t0) * 1000)
                if tick:
                    tick()
            latency[mode] = {"p50": statistics.median(times), "p95": percentile(times, 95),
                             "n": len(times)}
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
