"""The UI wraps Chinese between characters and keeps figures whole ("137个", never "13" at
a line's end and "7个" on the next): every widget lays out text with Textual's `Content`."""

from __future__ import annotations

from itertools import pairwise

import rich._wrap
from textual.content import Content

from assistant import Settings, cjk_wrap
from assistant.tui import make_app

LINE = ("委员会主席于2018年5月致信剩余12个尚未提交报告的国家，鼓励它们根据第1540(2004)号决议"
        "和2325(2016)号决议向委员会提交初次报告，共收到137个答复（2020年1月7日）。")


def test_the_app_lays_out_chinese_without_cutting_a_figure() -> None:
    cjk_wrap.install()
    cjk_wrap.uninstall()  # Rich's own line breaks, whichever app ran before
    assert rich._wrap.words is not cjk_wrap.words
    cut_before = [w for w in range(16, 60) if _cuts(Content(LINE).wrap(w))]
    make_app(Settings())
    assert cut_before, "Textual alone cuts figures of this line at some width"
    for width in range(16, 60):
        lines = Content(LINE).wrap(width)
        assert not _cuts(lines), (width, [line.plain for line in lines])
        assert "".join(line.plain for line in lines).replace(" ", "") == LINE


def _cuts(lines: list[Content]) -> list[tuple[str, str]]:
    return [(a.plain, b.plain) for a, b in pairwise(lines)
            if a.plain.rstrip()[-1:].isdigit() and b.plain.lstrip()[:1].isdigit()]
