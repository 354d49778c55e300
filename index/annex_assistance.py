"""Assistance requests (附件四): "日期 | 请求援助的国家 | 援助请求 | 应请求提供的援助".

Each request and each provider prints as a run of its own, and on each page a row's
providers follow its requests. Limits: the providers are recognised as the short names
(organisations by their suffix, states by their shortness) that end a page's part of a row,
so a short request without punctuation just before them could be taken for one; a request
cut by a page break is rejoined only when its last line was full.
"""

from __future__ import annotations

import re

from index.annex_common import (
    ParsedRow,
    clean,
    collect_notes,
    is_note_start,
    same_line,
    width,
)
from index.annex_runs import PAREN_ONLY, Run, cell_runs, opens_row, take_date
from index.models import CELL_SEPARATOR

Rows = list[ParsedRow]
Notes = list[str]

_PROVIDER_SUFFIX = re.compile(
    r"(?:组织|机构|办公室|集团|制度|股|署|中心|联盟|委员会|秘书处|银行|共同体|论坛|倡议)$"
)
_PUNCTUATION = re.compile(r"[，。；：、()（）《》“”]")
_DATE_LABEL = re.compile(r"^(?P<state>\S+?)\s*(?P<label>[(（]\s*\d{4}\s*年[^)）]*[)）])\s*$")
_SHORT_NAME = 10  # display width: a state's name ("南非", "加拿大") is this short or shorter
_WRAP_TAIL = 6  # a request "ending" this short is the last line of the one before ("课程")


def assistance_requests(lines: list[str], header_lines: list[str]) -> tuple[Rows, Notes]:
    """Rows "日期 | 请求援助的国家 | 援助请求 | 应请求提供的援助": each request and each
    provider is a run of its own, and on each page a row's providers follow its requests."""
    end = next((i for i, line in enumerate(lines) if is_note_start(line)), len(lines))
    raw_rows: list[list[list[str]]] = []  # row → page segments → lines
    for line in lines[:end]:
        if any(same_line(line, h) for h in header_lines):
            if raw_rows:
                raw_rows[-1].append([])
        elif opens_row(line, raw_rows[-1][-1][-1] if raw_rows and raw_rows[-1][-1] else None):
            raw_rows.append([[line]])
        elif raw_rows:
            raw_rows[-1][-1].append(line)
    parsed = [_request_runs(segments) for segments in raw_rows]
    full = _full_width([run for _, _, pages in parsed for page in pages for run in page])
    rows: Rows = []
    for date, state, pages in parsed:
        requests: list[Run] = []
        providers: list[Run] = []
        for p, page in enumerate(pages):
            cut = _providers_from(page, full)
            for r, run in enumerate(page[:cut]):
                _add_request(requests, run, full, page_start=p > 0 and r == 0)
            providers += page[cut:]
        cells = [date, state, CELL_SEPARATOR.join(run.text for run in requests),
                 CELL_SEPARATOR.join(run.text for run in providers)]
        rows.append(ParsedRow(number=len(rows) + 1, cells=cells))
    return rows, collect_notes(lines[end:])


def _request_runs(segments: list[list[str]]) -> tuple[str, str, list[list[Run]]]:
    """A row's date, state and per-page runs (the state's own run removed)."""
    date, rest, tail = take_date(segments[0])
    pages = [cell_runs(([rest] if rest.strip() else []) + tail)]
    pages += [cell_runs(segment) for segment in segments[1:] if segment]
    first = pages[0]
    state = ""
    if first:
        run = first.pop(0)
        label = _DATE_LABEL.match(run.raw)
        if label:  # "蒙古国 (2020 年 5 月 6 日)": the label heads that date's requests
            first.insert(0, Run([label.group("label")], False, run.trailing))
            state = label.group("state")
        else:
            state = run.raw
        if re.search(r"[和及]$", state) and first and not first[0].split_start:
            state += first.pop(0).raw  # "圣文森特和" / "格林纳丁斯"
    return date, _clean_keep_mark(state), pages


def _clean_keep_mark(text: str) -> str:
    """Clean a cell but keep a trailing footnote mark apart ("格林纳达 a")."""
    mark = re.search(r"\s([a-h])$", text.strip())
    if mark:
        return f"{clean(text.strip()[:mark.start()])} {mark.group(1)}"
    return clean(text)


def _full_width(runs: list[Run]) -> int:
    """How wide a wrapped request line prints: from the lines that did wrap."""
    wrapped = sorted(width(f) for run in runs for f in run.fragments[:-1])
    return int(wrapped[len(wrapped) // 2] * 0.85) if wrapped else 0


def _name_like(run: Run, before: Run | None, full: int) -> bool:
    """A provider: a one-line name, an organisation's or a short one (a state's) that is not
    the wrapped end of the line before it."""
    text = re.sub(r"\s[a-h]$", "", run.raw.strip())
    if len(run.fragments) != 1 or _PUNCTUATION.search(text) or width(text) > 2 * 12:
        return False
    if _PROVIDER_SUFFIX.search(clean(text)):
        return True
    ended = before is None or width(before.fragments[-1]) < full
    return width(text) <= _SHORT_NAME and ended


def _providers_from(page: list[Run], full: int) -> int:
    """Index where the page's providers start: the longest tail of name-like runs."""
    cut = len(page)
    while cut > 0 and _name_like(page[cut - 1], page[cut - 2] if cut > 1 else None, full):
        cut -= 1
    if 0 < cut < len(page) and len(page[cut - 1].fragments) > 1:
        # A request cut by the page break runs on into the first provider's name.
        last = Run([page[cut - 1].fragments[-1]])
        if _PROVIDER_SUFFIX.search(clean(last.raw)) and _name_like(last, None, full):
            page[cut - 1].fragments.pop()
            page.insert(cut, last)
    return cut


def _add_request(requests: list[Run], run: Run, full: int, *, page_start: bool) -> None:
    """Append a request run, or join it to the one before when it only finishes it."""
    prev = requests[-1] if requests else None
    if prev is not None and (
        PAREN_ONLY.match(prev.text)  # a date label heads the request after it
        or (width(run.text) <= _WRAP_TAIL and not _PROVIDER_SUFFIX.search(run.text))
        or (page_start and width(prev.fragments[-1]) >= full)
    ):
        prev.fragments += run.fragments
        return
    requests.append(Run(list(run.fragments), run.split_start, run.trailing))
