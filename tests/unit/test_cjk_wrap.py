"""Chinese text wraps between characters, never inside a figure or a Latin word: what the
terminal UI and the CLI's printed answers show (`assistant.cjk_wrap`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from rich._wrap import divide_line
from rich.cells import cell_len
from rich.console import Console
from rich.markdown import Markdown

from assistant import cjk_wrap

ROOT = Path(__file__).resolve().parents[2]
LINES = [line.strip() for path in sorted((ROOT / "data" / "corpus").glob("*.txt"))
         for line in path.read_text(encoding="utf-8").splitlines()
         if re.search(r"\d{3}", line) and len(line.strip()) > 30]


def cut_figures(line: str, width: int) -> list[str]:
    """Where a wrap at `width` puts a line break between two digits, but inside a run of
    Latin letters and digits longer than the width (a web address), which must fold."""
    runs = [m.span() for m in re.finditer(r"[^\s\u3000-\u9fff\uff00-\uffef]+", line)
            if cell_len(m.group(0)) > width]
    return [f"{line[max(0, at - 6):at]} / {line[at:at + 6]}" for at in divide_line(line, width)
            if line[at - 1].isdigit() and line[at].isdigit()
            and not any(start < at < end for start, end in runs)]


@pytest.fixture
def installed() -> Iterator[None]:
    cjk_wrap.install()
    yield
    cjk_wrap.uninstall()


def test_rich_alone_cuts_figures_of_the_records() -> None:
    """What the UI did before: the test below would pass for nothing if nothing was cut."""
    cjk_wrap.install()
    cjk_wrap.uninstall()
    assert any(cut_figures(line, width) for line in LINES for width in (30, 44, 60))


@pytest.mark.parametrize("width", [20, 30, 44, 60, 72])
def test_no_figure_of_the_records_is_cut_and_every_character_stays(
        installed: None, width: int) -> None:
    for line in LINES:
        assert cut_figures(line, width) == [], line
        offsets = divide_line(line, width)
        pieces = [line[a:b] for a, b in zip([0, *offsets], [*offsets, len(line)], strict=True)]
        assert "".join(pieces) == line
        assert all(cell_len(piece.rstrip()) <= width or " " not in piece.strip()
                   for piece in pieces), "only a run longer than the width overflows"


def test_a_printed_answer_keeps_its_figures_whole(installed: None) -> None:
    console = Console(width=36, record=True, color_system=None)
    console.print(Markdown("**137个** [1]\n\n> 委员会主席于2018年5月致信剩余12个尚未提交报告的国家，"
                           "鼓励它们根据第1540(2004)号决议提交初次报告，共收到137个答复。"))
    text = console.export_text()
    lines = text.splitlines()
    assert not [(a, b) for a, b in pairwise(lines)
                if a.rstrip()[-1:].isdigit() and b.lstrip(" ▌")[:1].isdigit()], lines
    assert "1540(2004)号" in text
