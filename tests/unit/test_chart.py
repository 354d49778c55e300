"""Charts draw Chinese on any machine (the font ships as a package), in the note's
language, with years on a true time axis."""

from __future__ import annotations

import datetime as dt
import warnings

from assistant.drafting.chart import cjk_font, draw, figure
from assistant.drafting.models import ChartPoint, ChartSeries


def _yearly(name: str, years: dict[int, int]) -> ChartSeries:
    return ChartSeries(name=name, points=[ChartPoint(as_of=dt.date(y, 12, 31), value=n)
                                          for y, n in years.items()])


def test_the_bundled_font_draws_chinese_without_missing_glyphs():
    """Month labels came out as "1□ 2□ …" where no CJK font was installed."""
    assert cjk_font() == "Noto Sans SC", "registered from the package, not the system"
    months = ChartSeries(name="活动", points=[
        ChartPoint(as_of=dt.date(2019, m, 1), value=m % 4, label=f"{m}月") for m in range(1, 13)])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = draw("bars", "2019年各月外联活动", [months], title_en="Outreach events by month",
                   names_en=["Events"])
    assert png.startswith(b"\x89PNG")
    assert not [w for w in caught if "missing from" in str(w.message)], \
        [str(w.message) for w in caught]


def test_chart_text_is_in_the_notes_language():
    fig = figure("bars", "吉尔吉斯斯坦：各年记录事项", [_yearly("国家报告", {2004: 1, 2006: 1})],
                 title_en="Kyrgyzstan: recorded items by year", names_en=["National reports"])
    ax = fig.axes[0]
    assert ax.get_title() == "吉尔吉斯斯坦：各年记录事项"
    assert [t.get_text() for t in fig.legends[0].get_texts()] == ["国家报告"]


def test_years_sit_on_a_time_axis():
    """2008 next to 2013 on a category axis hid the five years between them."""
    fig = figure("bars", "各年", [_yearly("报告", {2008: 2, 2013: 1, 2014: 3})])
    ax = fig.axes[0]
    centres = sorted(bar.get_x() + bar.get_width() / 2 for bar in ax.patches)
    assert centres == [2008, 2013, 2014]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["2008", "2013", "2014"]
