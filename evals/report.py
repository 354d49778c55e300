"""Markdown/JSON reports (and a chart) so runs can be compared side by side over time."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.retrieval import CONFIGS, ItemResult, summarize

REPORTS_DIR = Path(__file__).resolve().parent / "reports"
HYBRID = "hybrid"


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def worst_missed(results: Sequence[ItemResult], lang: str, n: int = 10) -> list[ItemResult]:
    """Misses first (in gold order), then the latest first-relevant ranks."""
    pool = [r for r in results if r.lang == lang and (r.rank is None or r.rank > 1)]
    pool.sort(key=lambda r: -(r.rank or 10**6))
    return pool[:n]


def retrieval_markdown(summaries: Mapping[str, Mapping[str, Any]],
                       results: Mapping[str, Sequence[ItemResult]],
                       meta: Mapping[str, Any]) -> str:
    """Configurations side by side: overall, by language, by kind, then hybrid's worst misses."""
    configs = [c for c in CONFIGS if c in summaries]
    overall = {c: summaries[c]["overall"] for c in configs}
    hybrid_r5 = overall.get(HYBRID, {}).get("recall@5", 0.0)
    rows = []
    for key, label in [("recall@1", "Recall@1 %"), ("recall@5", "Recall@5 %"),
                       ("recall@10", "Recall@10 %"), ("mrr", "MRR %"), ("ndcg@10", "nDCG@10 %")]:
        rows.append([label] + [_pct(overall[c][key]) for c in configs])
    rows.append(["R@5 / hybrid"] + [
        f"{overall[c]['recall@5'] / hybrid_r5:.2f}" if hybrid_r5 else "n/a" for c in configs])
    for q in ("p50", "p95"):
        rows.append([f"latency {q} ms"] + [f"{summaries[c]['latency_ms'][q]:.1f}"
                                           for c in configs])
    lines = [f"# Retrieval evaluation {meta['date']}", "",
             f"Scored items: {meta['items']} answerable with evidence (of {meta['gold_items']} "
             f"in {len(meta['gold_files'])} gold files). Relevant = passage text contains an "
             "evidence snippet after fold(). Follow-ups are retrieved with history + question "
             "concatenated (known-weak baseline). Latency includes embedding the query unless "
             "the embedding cache already holds it (a repeated run); `make bench` times "
             "searches with new queries.", ""]
    lines += ["## Overall", "", *_table(["metric", *configs], rows), ""]
    for group, title in [("by_lang", "Recall@5 % by language"), ("by_kind", "Recall@5 % by kind")]:
        keys = sorted({k for c in configs for k in summaries[c][group]})
        group_rows = [[f"{k} (n={summaries[configs[0]][group][k]['n']})"]
                      + [_pct(summaries[c][group].get(k, {}).get("recall@5", 0.0))
                         for c in configs] for k in keys]
        lines += [f"## {title}", "", *_table([group[3:], *configs], group_rows), ""]
    if HYBRID in results:
        for lang in ("en", "zh"):
            worst = worst_missed(results[HYBRID], lang)
            worst_rows = [[r.id, r.question.replace("|", "/"), str(r.rank or "miss"),
                           r.top1.replace("|", "/")] for r in worst]
            lines += [f"## Hybrid: worst-ranked {lang} questions", "",
                      *_table(["id", "question", "rank", "hybrid top-1"], worst_rows), ""]
    return "\n".join(lines) + "\n"


def bench_markdown(bench: Mapping[str, Any], date: str) -> str:
    rows = [
        ["documents / passages", f"{bench['documents']} / {bench['passages']}"],
        ["cold full build (empty cache, wall)", f"{bench['cold_build_s']:.1f} s"],
        ["  of which search-index build", f"{bench['cold_index_s']:.1f} s"],
        ["embedded passages", str(bench["embedded"])],
        ["embeddings/s (cold)", f"{bench['embeddings_per_s']:.1f}"],
        ["rebuild, no change", f"{bench['rebuild_s']:.2f} s (unchanged="
         f"{bench['rebuild_unchanged']}, embedded={bench['rebuild_embedded']})"],
    ]
    for mode, lat in bench["search_latency_ms"].items():
        rows.append([f"search {mode} k=10 p50 / p95",
                     f"{lat['p50']:.1f} / {lat['p95']:.1f} ms (n={lat['n']})"])
    rows += [
        ["peak RSS", f"{bench['peak_rss_mb']:.0f} MiB"],
        ["search index size", f"{bench['search_index_mb']:.1f} MiB"],
        ["embedding cache size", f"{bench['embedding_cache_mb']:.1f} MiB"],
        ["home folder total", f"{bench['home_total_mb']:.1f} MiB"],
        ["machine", f"{bench['cpu']}, {bench['cpus']} CPUs"],
    ]
    return "\n".join([f"# Benchmark {date}", "", *_table(["measure", "value"], rows)]) + "\n"


def recall_chart(summaries: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """Grouped bars of Recall@5 by kind and configuration."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = [c for c in CONFIGS if c in summaries]
    kinds = sorted({k for c in configs for k in summaries[c]["by_kind"]})
    width = 0.8 / max(1, len(configs))
    fig, ax = plt.subplots(figsize=(max(6, len(kinds) * 1.3), 4))
    for i, config in enumerate(configs):
        values = [summaries[config]["by_kind"].get(k, {}).get("recall@5", 0.0) * 100
                  for k in kinds]
        ax.bar([x + i * width for x in range(len(kinds))], values, width, label=config)
    ax.set_xticks([x + width * (len(configs) - 1) / 2 for x in range(len(kinds))], kinds)
    ax.set_ylabel("Recall@5 (%)")
    ax.set_ylim(0, 100)
    ax.legend(fontsize=8)
    ax.set_title("Recall@5 by question kind")
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)
    return path


def write_report(name: str, markdown: str, payload: Mapping[str, Any],
                 out_dir: Path = REPORTS_DIR) -> Path:
    """Write <name>-<date>.md/.json and copy the Markdown to latest-<name>.md."""
    out_dir.mkdir(parents=True, exist_ok=True)
    date = dt.date.today().isoformat()
    md_path = out_dir / f"{name}-{date}.md"
    md_path.write_text(markdown, encoding="utf-8")
    (out_dir / f"{name}-{date}.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=2, default=str), encoding="utf-8")
    shutil.copyfile(md_path, out_dir / f"latest-{name}.md")
    return md_path


def retrieval_payload(results: Mapping[str, Sequence[ItemResult]],
                      meta: Mapping[str, Any]) -> dict[str, Any]:
    summaries = {c: summarize(r) for c, r in results.items()}
    items = {c: [vars(r) for r in rs] for c, rs in results.items()}
    return {"meta": dict(meta), "summaries": summaries, "items": items}
