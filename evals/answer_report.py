"""The answer-evaluation report: configurations side by side, by language and kind, a chart
(accuracy and citation precision by kind and configuration; latency distribution)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from evals.answers import ANSWER_CONFIGS, AnswerResult
from evals.gold import GoldItem

_PCT = ("accuracy", "overall_correct", "refusal_rate", "false_refusal_rate",
        "citation_precision", "citation_recall", "followup_accuracy")
OURS = "hybrid"


def _row(name: str, values: Sequence[str]) -> str:
    return "| " + " | ".join([name, *values]) + " |"


def groups_markdown(summaries: Mapping[str, Mapping[str, Mapping[str, Any]]],
                    retrieval: Mapping[str, Mapping[str, Any]],
                    items: Mapping[str, Sequence[GoldItem]], meta: Mapping[str, Any]) -> str:
    """The groups side by side (the product's figures), then each configuration's accuracy
    and Recall@5 per group, then the test group by how its questions are asked."""
    groups = list(summaries)
    lines = [f"# Answer evaluation {meta.get('date', '')}", "",
             "Groups: `test` (the frozen test set, written from the records), `reworded` "
             "(training questions reworded), `added` (questions on documents the shipped "
             "records do not contain, indexed beside them), `training` (evals/gold, which the "
             "answerer was developed on). Accuracy is over answerable items; refusal over "
             "unanswerable ones.", "", "## The product (hybrid) by group", ""]
    header = ["group", "n", "accuracy", "zh", "en", "refusal", "false refusal",
              "citation precision", "citation recall", "follow-ups", "Recall@5", "p95 ms"]
    lines += [_row(header[0], header[1:]), "|" + "---|" * len(header)]
    for g in groups:
        ours = summaries[g].get(OURS)
        if ours is None:
            continue
        m, by_lang = ours["overall"], ours["by_lang"]
        r5 = retrieval.get(g, {}).get("summaries", {}).get(OURS, {}).get("overall", {})
        lines.append(_row(g, [
            str(m["n"]), _pct(m["accuracy"]),
            *(_pct(by_lang[lang]["accuracy"]) if lang in by_lang else "—" for lang in ("zh", "en")),
            _pct(m["refusal_rate"]), _pct(m["false_refusal_rate"]),
            _pct(m["citation_precision"]), _pct(m["citation_recall"]),
            _pct(m["followup_accuracy"]), _pct(r5.get("recall@5", 0.0)),
            f"{m['latency_p95_ms']:.1f}"]))
    configs = [c for c in ANSWER_CONFIGS if any(c in summaries[g] for g in groups)]
    lines += ["", "## Configurations by group: accuracy % / citation precision % / Recall@5 %",
              "", _row("group", configs), "|" + "---|" * (len(configs) + 1)]
    for g in groups:
        cells = []
        for c in configs:
            s = summaries[g].get(c)
            r5 = retrieval.get(g, {}).get("summaries", {}).get(c, {}).get("overall", {})
            cells.append("—" if s is None else
                         f"{_pct(s['overall']['accuracy'])} / "
                         f"{_pct(s['overall']['citation_precision'])} / "
                         f"{_pct(r5.get('recall@5', 0.0))}")
        lines.append(_row(g, cells))
    return "\n".join(lines) + "\n"


def by_style(results: Sequence[AnswerResult], items: Sequence[GoldItem]
             ) -> dict[str, tuple[int, int]]:
    """(correct, n) for each style tag; an item counts under each of its tags."""
    style = {i.id: i.style or ["untagged"] for i in items}
    out: dict[str, tuple[int, int]] = {}
    for r in results:
        for tag in style.get(r.id, ["untagged"]):
            correct, n = out.get(tag, (0, 0))
            out[tag] = (correct + r.correct, n + 1)
    return dict(sorted(out.items()))


def _pct(value: float) -> str:
    return f"{value * 100:.1f}"


def answers_markdown(summaries: Mapping[str, Mapping[str, Any]],
                     results: Mapping[str, Sequence[AnswerResult]],
                     meta: Mapping[str, Any], title: str = "Answer evaluation",
                     items: Sequence[GoldItem] = ()) -> str:
    configs = [c for c in ANSWER_CONFIGS if c in summaries]
    header = _row("metric", configs)
    rule = "|" + "---|" * (len(configs) + 1)
    lines = [f"# {title} {meta.get('date', '')}", "",
             f"Gold items: {meta.get('gold_items')} from {len(meta.get('gold_files', []))} "
             "file(s). `hybrid` is the product (extractive answerer over hybrid retrieval); "
             "`bm25` and `dense` are the same answerer over one retrieval side; "
             "`langchain_baseline` answers with its top chunk (1000/200 splits, Chroma dense).",
             "", "## Overall", "", header, rule]
    overall = {c: summaries[c]["overall"] for c in configs}
    for metric in _PCT:
        lines.append(_row(f"{metric} %", [f"{overall[c][metric] * 100:.1f}" for c in configs]))
    ours = overall.get(OURS, {}).get("accuracy", 0.0) or 1e-9
    lines.append(_row("accuracy / ours",
                      [f"{overall[c]['accuracy'] / ours:.2f}" for c in configs]))
    for metric in ("latency_p50_ms", "latency_p95_ms"):
        lines.append(_row(metric.replace("_ms", " ms"),
                          [f"{overall[c][metric]:.1f}" for c in configs]))
    for group, title in (("by_lang", "language"), ("by_kind", "kind")):
        lines += ["", f"## Accuracy % / citation precision % by {title}", "", header, rule]
        keys = sorted({k for c in configs for k in summaries[c][group]})
        for key in keys:
            cells = []
            for c in configs:
                m = summaries[c][group].get(key)
                if m is None:
                    cells.append("—")
                elif not m["answerable"]:  # nothing to be accurate about: refusals count
                    cells.append(f"refused {m['refusal_rate'] * 100:.1f}")
                else:
                    cells.append(f"{m['accuracy'] * 100:.1f} / "
                                 f"{m['citation_precision'] * 100:.1f}")
            n = next((summaries[c][group][key]["n"] for c in configs
                      if key in summaries[c][group]), 0)
            lines.append(_row(f"{key} (n={n})", cells))
    if items and OURS in results and any(i.style for i in items):
        lines += ["", "## Ours: correct / n by how the question is asked "
                  "(unanswerable items count when refused)", "", "| style | correct | n | % |",
                  "|---|---|---|---|"]
        for tag, (correct, n) in by_style(results[OURS], items).items():
            lines.append(f"| {tag} | {correct} | {n} | {correct / n * 100:.1f} |")
    wrong = [r for r in results.get(OURS, []) if not r.correct][:25]
    if wrong:
        lines += ["", "## Ours: wrong answers (first 25)", "",
                  "| id | supported | missing | answer |", "|---|---|---|---|"]
        for r in wrong:
            text = " ".join(r.text.split())[:120].replace("|", "/")
            lines.append(f"| {r.id} | {r.supported} | {'; '.join(r.missing)[:60]} | {text} |")
    return "\n".join(lines) + "\n"


def answers_chart(summaries: Mapping[str, Mapping[str, Any]],
                  results: Mapping[str, Sequence[AnswerResult]], path: Path) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    configs = [c for c in ANSWER_CONFIGS if c in summaries]
    kinds = sorted({k for c in configs for k in summaries[c]["by_kind"]})
    fig, axes = plt.subplots(3, 1, figsize=(max(7, len(kinds) * 1.3), 10))
    width = 0.8 / max(1, len(configs))
    for ax, metric in zip(axes[:2], ("accuracy", "citation_precision"), strict=True):
        for i, config in enumerate(configs):
            values = [summaries[config]["by_kind"].get(k, {}).get(metric, 0.0) * 100
                      for k in kinds]
            ax.bar([x + i * width for x in range(len(kinds))], values, width, label=config)
        ax.set_xticks([x + width * (len(configs) - 1) / 2 for x in range(len(kinds))], kinds)
        ax.set_ylim(0, 100)
        ax.set_ylabel(f"{metric} (%)")
        ax.legend(fontsize=7)
    for config in configs:
        ms = sorted(r.ms for r in results.get(config, []))
        if ms:
            axes[2].plot(ms, [i / len(ms) for i in range(1, len(ms) + 1)], label=config)
    axes[2].set_xscale("log")
    axes[2].set_xlabel("answer latency (ms, log scale)")
    axes[2].set_ylabel("share of questions")
    axes[2].legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
