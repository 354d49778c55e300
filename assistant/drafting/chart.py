"""The draft's chart as PNG bytes: a figure across documents (lines) or counts per year (bars).

Drawn on a bare matplotlib `Figure` (no pyplot: no display and no global backend is
touched), and matplotlib is imported only when a chart is drawn. Chinese labels need a CJK
font: Noto Sans SC ships as a Python package (pylopdf-fonts-zh-cn) and is registered with
matplotlib when the first chart is drawn, so a machine with no CJK font installed (and no
font cache to reset) draws Chinese, and the chart speaks the note's language. Only were
that package missing and no system CJK font found would the chart fall back to English
labels rather than empty boxes.
"""

from __future__ import annotations

import functools
import io
from typing import TYPE_CHECKING

from assistant.drafting.models import ChartSeries

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

_CJK_FONTS = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "WenQuanYi Micro Hei",
              "WenQuanYi Zen Hei", "SimHei", "Microsoft YaHei", "PingFang SC", "Heiti SC")


@functools.cache
def cjk_font() -> str | None:
    """The name of a font with Chinese glyphs: the bundled Noto Sans SC, registered with
    matplotlib's font manager for this process, else an installed one, else None."""
    from matplotlib import font_manager

    try:
        from pylopdf_fonts_zh_cn import sans_path

        bundled = str(sans_path())
        font_manager.fontManager.addfont(bundled)
        return str(font_manager.FontProperties(fname=bundled).get_name())
    except (ImportError, OSError, RuntimeError, ValueError):
        pass  # not installed, or unreadable: look for a system font
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_FONTS if name in installed), None)


def draw(style: str, title: str, series: list[ChartSeries], *, title_en: str = "",
         names_en: list[str] | None = None, y_label: str = "") -> bytes:
    """The chart as PNG. `title_en`/`names_en` replace Chinese labels only when no CJK
    font can be had."""
    import matplotlib

    with matplotlib.rc_context(_rc()):  # type: ignore[arg-type]
        fig = figure(style, title, series, title_en=title_en, names_en=names_en,
                     y_label=y_label)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def _rc() -> dict[str, object]:
    rc: dict[str, object] = {"axes.unicode_minus": False}
    font = cjk_font()
    if font:
        rc["font.family"] = [font, "DejaVu Sans"]
    return rc


def figure(style: str, title: str, series: list[ChartSeries], *, title_en: str = "",
           names_en: list[str] | None = None, y_label: str = "") -> Figure:
    """The chart as a matplotlib figure (what `draw` renders; tests read its axes)."""
    import matplotlib
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    names = [s.name for s in series]
    if cjk_font() is None and names_en:
        title, names = title_en or title, names_en
    with matplotlib.rc_context(_rc()):  # type: ignore[arg-type]
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
    return fig


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
    """Grouped bars, one group per label (a year unless the points name another). Years
    sit on a true time axis: 2008 and 2013 are five years apart, not neighbours."""
    points = sorted((p for s in series for p in s.points), key=lambda p: p.as_of)
    labels = list(dict.fromkeys(p.label or str(p.as_of.year) for p in points))
    yearly = bool(labels) and all(label.isdigit() and len(label) == 4 for label in labels)
    positions = [int(label) for label in labels] if yearly else list(range(len(labels)))
    width = 0.8 / max(len(series), 1)
    for i, (s, name) in enumerate(zip(series, names, strict=True)):
        values = {p.label or str(p.as_of.year): p.value for p in s.points}
        xs = [x - 0.4 + width * (i + 0.5) for x in positions]
        bars = ax.bar(xs, [values.get(label, 0) for label in labels], width=width, label=name)
        ax.bar_label(bars, labels=[str(values[label]) if label in values else ""
                                   for label in labels], fontsize=7)
    ax.set_xticks(positions, labels, fontsize=8)
    if yearly:
        ax.set_xticks(range(positions[0], positions[-1] + 1), minor=True)
        ax.set_xlim(positions[0] - 0.7, positions[-1] + 0.7)
