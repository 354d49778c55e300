"""Sentences of the body text that a draft quotes: the ones naming a state or a topic, the
ones that say something is pending or recommended, and a check that no two say the same.

Names are matched through the glossary's longest-match reading, so a note on 几内亚 does
not pick up 几内亚比绍 or 赤道几内亚.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.drafting.sources import Corpus
from index.glossary import Glossary, GlossaryEntry
from index.models import BlockKind
from index.passages import Passage
from index.text import fold
from index.units import units_of

_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
_COMPLETE = re.compile(r"[。；！？;][”’\"')）)]*$")
_OPENING_YEAR = re.compile(r"^(\d{4})\s*年[，,]")
_FIGURE = re.compile(r"\d+\s*[个份项次名%]")
# What the records say is still to be done, or should be.
_PENDING = re.compile(r"尚未|仍(?:在|处于|需|须|有待)|有待|正在|起草阶段|草稿|将继续|建议|鼓励|需要"
                      r"|应(?:继续|当|考虑|加强|鼓励|与|在|向|根据|探|支持|更新|加以|对|确保|指示)"
                      r"|应(?=[\u4e00-\u9fff]{1,6}[，。])|可(?:考虑|进一步|继续|拟订|以|根据)")
# Headings of the parts where the records recommend or look ahead.
_FORWARD_HEADING = re.compile(r"建议|结束语|今后|未来|前进")
_LEVEL = re.compile(r"^(?:[A-Z]\.|[一二三四五六七八九十]+\.)")
_NON_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class Sentence:
    """A quotable sentence of a prose passage."""

    passage: Passage
    quote: str

    @property
    def date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.passage.date) if self.passage.date else None


def sentences(passage: Passage) -> list[Sentence]:
    return [Sentence(passage, u.quote) for u in units_of(passage, 0) if not u.heading]


def names_entry(text: str, entry: GlossaryEntry, glossary: Glossary) -> bool:
    """The text names this entry (in any of its Chinese forms, as a whole name)."""
    return any(found is entry or found.zh == entry.zh
               for _, found in glossary.find_chinese(text))


def naming(corpus: Corpus, glossary: Glossary, entry: GlossaryEntry | None,
           name: str) -> list[Sentence]:
    """Every body-text sentence that names the state (oldest document first)."""
    out: list[Sentence] = []
    for passage in corpus.prose():
        if name not in passage.text and (entry is None or not any(
                form in passage.text for form in entry.chinese_forms)):
            continue
        for sentence in sentences(passage):
            hit = names_entry(sentence.quote, entry, glossary) if entry is not None \
                else name in sentence.quote
            if hit:
                out.append(sentence)
    return out


def about(corpus: Corpus, forms: Sequence[str]) -> list[Sentence]:
    """Every body-text sentence holding one of the topic's Chinese forms."""
    folded = [fold(f) for f in forms if f]
    out: list[Sentence] = []
    for passage in corpus.prose():
        text = fold(passage.text)
        if not any(f in text for f in folded):
            continue
        out.extend(s for s in sentences(passage) if any(f in fold(s.quote) for f in folded))
    return out


def complete(sentence: Sentence) -> bool:
    """A whole sentence, not a caption or a heading that lost its line break."""
    return bool(_COMPLETE.search(sentence.quote))


def pending(sentence: Sentence) -> bool:
    return bool(_PENDING.search(sentence.quote))


def forward_blocks(corpus: Corpus) -> set[str]:
    """Ids of the blocks under a heading that recommends or looks ahead ("B.建议",
    "三.结束语"), up to the next heading of the same or a higher level."""
    out: set[str] = set()
    for doc_id in corpus.metas:
        opened: int | None = None
        for block in corpus.document(doc_id).blocks:
            if block.kind is BlockKind.HEADING:
                text = block.text.strip()
                if _FORWARD_HEADING.search(text):
                    opened = _rank(text)
                    continue
                if opened is not None and _rank(text) <= opened:
                    opened = None
            if opened is not None and block.kind is not BlockKind.TABLE:
                out.add(block.id)
    return out


def _rank(heading: str) -> int:
    """How high a heading stands: 0 for "三.", 1 for "B.", 2 for "1." or unnumbered."""
    match = _LEVEL.match(heading)
    if not match:
        return 2
    return 1 if match.group(0)[0].isascii() else 0


def is_forward(sentence: Sentence, blocks: set[str]) -> bool:
    return any(block_id in blocks for block_id in sentence.passage.block_ids)


def date_for(text: str, anchor: str, *, fallback_year: bool = False) -> dt.date | None:
    """The date a sentence gives for what it says of `anchor` (a state, a topic): a full
    date printed within a few characters after it ("吉尔吉斯斯坦和塔吉克斯坦(2018年1月25
    日)"), else the year opening the sentence ("2018年，巴林……指定了联络人"), else (with
    `fallback_year`) the year printed nearest to it. A year-only date is given as 31
    December. A long list of names dated "自2016年以来" dates nothing for any one of them."""
    at = text.find(anchor) if anchor else 0
    if at < 0:
        return None
    day, _ = nearest_date(text[at:at + 40], "")
    if day is not None:
        return day
    opening = _OPENING_YEAR.match(text)
    if opening:
        return dt.date(int(opening.group(1)), 12, 31)
    if fallback_year:
        _, year = nearest_date(text, anchor)
        return dt.date(year, 12, 31) if year else None
    return None


def nearest_date(text: str, anchor: str) -> tuple[dt.date | None, int | None]:
    """The full date (or, failing that, the year) printed nearest after `anchor` in the
    text, else nearest before it: what a dated sentence dates for the name it mentions."""
    at = text.find(anchor) if anchor else 0
    at = max(at, 0)
    best: tuple[int, dt.date] | None = None
    for match in _FULL_DATE.finditer(text):
        try:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
        distance = match.start() - at if match.start() >= at else 2 * (at - match.end())
        if best is None or distance < best[0]:
            best = (distance, day)
    if best is not None and best[0] <= 60:
        return best[1], best[1].year
    years = [(abs(m.start() - at), int(m.group(1))) for m in _YEAR.finditer(text)]
    if years:
        return None, min(years)[1]
    return None, None


def years_in(text: str) -> list[int]:
    return [int(y) for y in _YEAR.findall(text)]


def in_period(sentence: Sentence, period: tuple[int, int] | None,
              corpus: Corpus | None = None) -> bool:
    """A sentence belongs to a period when a year it names, or else a year its document
    reports on (or its document's year), falls inside it."""
    if period is None:
        return True
    years = years_in(sentence.quote)
    if not years:
        covered = corpus.covers(sentence.passage.doc_id) if corpus else None
        if covered:
            years = list(range(covered[0], covered[1] + 1))
        elif sentence.date:
            years = [sentence.date.year]
    return any(period[0] <= y <= period[1] for y in years)


def has_figure(text: str) -> bool:
    return bool(_FIGURE.search(text) or _FULL_DATE.search(text))


class Distinct:
    """Remembers what a draft has said; `new` is False for a text saying the same thing
    again: the same folded characters, one inside the other, or most of their character
    pairs shared (Jaccard ≥ `threshold`, or nearly all of the shorter one's pairs when the
    two are of a similar length)."""

    def __init__(self, threshold: float = 0.6) -> None:
        self.threshold = threshold
        self._seen: list[tuple[str, set[str]]] = []

    def new(self, text: str) -> bool:
        key = _NON_WORD.sub("", fold(text))
        pairs = {key[i:i + 2] for i in range(len(key) - 1)}
        for seen, seen_pairs in self._seen:
            if key == seen or (key and key in seen) or (seen and seen in key):
                return False
            if pairs and seen_pairs:
                shared = len(pairs & seen_pairs)
                smaller, larger = sorted((len(pairs), len(seen_pairs)))
                if shared / len(pairs | seen_pairs) >= self.threshold or \
                        (shared / smaller >= 0.9 and smaller / larger >= 0.5):
                    return False
        self._seen.append((key, pairs))
        return True

    def extend(self, texts: Iterable[str]) -> None:
        for text in texts:
            self.new(text)
