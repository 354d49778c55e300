"""Line breaks for Chinese text: between characters, never inside a number or a Latin word.

Rich, and Textual (which wraps with Rich's `divide_line`), break lines at spaces only and
fold a longer run by cells. A Chinese sentence has no spaces, so it was cut wherever the
width ran out, inside a figure as often as not: "137个" became "13" at the end of one line
and "7个" at the start of the next, "2019年" became "201" and "9年". Here each Chinese
character is a word of its own, a run of digits or Latin letters is one word (with the
character after a figure, its measure word or 年; "1540(2004)号" whole), opening brackets
stay with what follows
and closing punctuation with what precedes, as Chinese typesetting keeps them.

`install()` puts this word splitter in Rich's place, for the process: the terminal UI
(`make_app`) and the CLI's printed answers call it. Rich and Textual are pinned
(requirements.lock); a test wraps every answer and quote of the evaluation sets at several
widths and fails if a number is cut again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

_CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u9fff\uf900-\ufaff\uff00-\uffef"
_OPENING = "（《「『【〈〔“‘([{"
_CLOSING = "，。、；：！？）》」』】〉〕”’％…,.;:!?)\\]}%"
_WORD = re.compile(
    rf"\s*[{_OPENING}]*"
    rf"(?:[^\s{_CJK}{_OPENING}][^\s{_CJK}]*[{_CJK}]?|[{_CJK}])"
    rf"[{_CLOSING}]*\s*")
_ANY = re.compile(r"\s*\S\s*")  # what the pattern above leaves: one character


def words(text: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, word) of each word of `text`, its trailing spaces included: Rich's
    `rich._wrap.words`, with Chinese characters as words."""
    position = 0
    while (match := _WORD.match(text, position) or _ANY.match(text, position)) is not None:
        start, position = match.span()
        yield start, position, match.group(0)


_RICH_WORDS: list[object] = []  # Rich's own splitter, kept by the first `install()`


def install() -> None:
    """Wrap every line Rich or Textual lays out in this process with `words`."""
    import rich._wrap

    if not _RICH_WORDS and rich._wrap.words is not words:
        _RICH_WORDS.append(rich._wrap.words)
    rich._wrap.words = words  # type: ignore[assignment]


def uninstall() -> None:
    """Rich's own line breaks again (tests compare the two)."""
    import rich._wrap

    if _RICH_WORDS:
        rich._wrap.words = _RICH_WORDS[0]  # type: ignore[assignment]
