"""The draft's chart as PNG bytes: a figure across documents (lines) or counts per year (bars).

Drawn on a bare matplotlib `Figure` (no pyplot: no display and no global backend is
touched), and matplotlib is imported only when a chart is drawn. Chinese labels need a CJK
font; where none is installed the chart is labelled in English instead of empty boxes.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING

from assistant.drafting.models import ChartSeries

if TYPE_CHECKING:
    from matplotlib.axes import Axes

_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
              "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC")


@functools.cache
def cjk_font() -> str | None:
    """The name of an installed font that has Chinese glyphs, if any."""
    from matplotlib import font_manager

    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), None)


def draw(style: str, title: str, series: list[ChartSeries], *, title_en: str = "",
         names_en: list[str] | None = None, y_label: str = "") -> bytes:
    """The chart as PNG. `title_en`/`names_en` replace Chinese labels when no CJK font is
    installed."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    font = cjk_font()
    names = [s.name for s in series]
    if font is None and names_en:
        title, names = title_en or title, names_en
    rc: dict[str, object] = {"axes.unicode_minus": False}
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    with matplotlib.rc_context(rc):  # type: ignore[arg-type]
        fig = Figure(figsize=(7.5, 3.8), dpi=150, layout="constrained")
        ax = fig.add_subplot()
        if style == "line":
            _lines(ax, series, names)
        else:
            _bars(ax, series, names)
        ax.set_title(title, fontsize=11)
        if y_label:
            ax.set_ylabel(y_label)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", alpha=0.3)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_ylim(0, ax.get_ylim()[1] * 1.12)  # room for the value labels
        fig.legend(loc="outside lower center", ncols=min(len(series), 3), fontsize=8,
                   frameon=False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _lines(ax: Axes, series: list[ChartSeries], names: list[str]) -> None:
    for s, name in zip(series, names, strict=True):
        # A value the records date by its year only ("2016年的94个") sits mid-year.
        xs = [p.as_of.year + 0.5 if p.label == str(p.as_of.year)
              else p.as_of.year + (p.as_of.timetuple().tm_yday - 1) / 366 for p in s.points]
        ys = [p.value for p in s.points]
        ax.plot(xs, ys, marker="o", label=name)
        for x, y in zip(xs, ys, strict=True):
            ax.annotate(str(y), (x, y), textcoords="offset points", xytext=(0, 5),
                        ha="center", fontsize=7)
    years = sorted({p.as_of.year for s in series for p in s.points})
    if years:
        ax.set_xticks(range(years[0], years[-1] + 2))
        ax.set_xlim(years[0] - 0.3, years[-1] + 1.3)


def _bars(ax: Axes, series: list[ChartSeries], names: list[str]) -> None:
    """Grouped bars, one group per label (a year unless the points name another)."""
    points = sorted((p for s in series for p in s.points), key=lambda p: p.as_of)
    labels = list(dict.fromkeys(p.label or str(p.as_of.year) for p in points))
    width = 0.8 / max(len(series), 1)
    for i, (s, name) in enumerate(zip(series, names, strict=True)):
        values = {p.label or str(p.as_of.year): p.value for p in s.points}
        xs = [x - 0.4 + width * (i + 0.5) for x in range(len(labels))]
        bars = ax.bar(xs, [values.get(label, 0) for label in labels], width=width, label=name)
        ax.bar_label(bars, labels=[str(values[label]) if label in values else ""
                                   for label in labels], fontsize=7)
    ax.set_xticks(range(len(labels)), labels, fontsize=8)
