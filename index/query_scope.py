"""What part of the records a question points at: documents, annexes, paragraph numbers.

Delegates name their sources the way the committee does: "China's statement", "the 2018
review", "第十四个工作方案", "Annex XXII", "第 92 段". The retriever gives passages inside the
named scope a boost (never a hard filter: a cross-document question names two documents).

Documents are recognised from their own metadata (type, year, symbol, author), so a newly
ingested programme of work or briefing is found the same way as the shipped ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel, ConfigDict, Field

from index.glossary import Glossary
from index.models import DocumentMeta, DocumentType
from index.text import fold, to_chinese_numeral

# How questions name each type of document, in Chinese and English (matched case-blind).
TYPE_WORDS: dict[DocumentType, tuple[str, ...]] = {
    # "2022 年审查" is the comprehensive review of that year: the year decides between the
    # two kinds of review, as "review" does in English.
    DocumentType.COMPREHENSIVE_REVIEW: ("全面审查", "最后文件", "审查", "comprehensive review",
                                        "final document", "review"),
    DocumentType.ANNUAL_REVIEW: ("审查报告", "年度审查", "年审查", "annual review", "review"),
    DocumentType.BRIEFING: ("通报", "briefing"),
    DocumentType.PROGRAMME_OF_WORK: ("工作方案", "programme of work", "program of work",
                                     "work programme"),
    DocumentType.STATEMENT: ("发言", "普通照会", "statement", "note verbale"),
    DocumentType.PRESIDENTIAL_STATEMENT: ("主席声明", "主席的声明", "presidential statement",
                                          "statement by the president"),
    DocumentType.NOTE_VERBALE: ("普通照会", "照会", "note verbale"),
    DocumentType.NATIONAL_REPORT: ("国家报告", "national report"),
    DocumentType.PRESS_RELEASE: ("新闻稿", "press release"),
}
# Nearly every question names resolution 1540 (2004), and many ask about national reports in
# general: a resolution is named by its number only, a national report with its State.
_NAMED_WITH_AUTHOR = {DocumentType.NATIONAL_REPORT}
# "S/RES/2788 (2025)" as questions name it: "第2788(2025)号决议", "resolution 2788 (2025)",
# "S/RES/2788(2025)" (matched on the folded question, where spaces are gone).
_RES_SYMBOL = re.compile(r"^S/RES/(\d{1,4}) \((\d{4})\)$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_ZH_ANNEX = re.compile(r"附件([一二三四五六七八九十]{1,3})")
_EN_ANNEX = re.compile(r"\bannex\s+([IVXL]{1,6}|\d{1,2})\b", re.IGNORECASE)
# "第 21 段" of a document, not "第2325(2016)号决议第5段" (a resolution's paragraph).
_ZH_PARA = re.compile(r"(?<!决议)第\s*(\d{1,3})\s*(?:\([a-z]\))?\s*段")
_RES_PARA = re.compile(r"号决议\s*第\s*(\d{1,3})\s*(?:\([a-z]\))?\s*段")
_EN_PARA = re.compile(r"\b(?:paragraph|para\.?)\s*(\d{1,3})\b", re.IGNORECASE)
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50}
# "第十四个工作方案", "第七届会议": the one of a series a question names. ("第三点" and
# "the first report" are left alone: the records say "三是" and "第一次报告".)
_ORDINAL_ZH = re.compile(r"(第[一二三四五六七八九十]+)[个届]")
_ORDINALS_EN = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth",
                "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth",
                "sixteenth", "seventeenth", "eighteenth", "nineteenth")
_TENS_EN = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")


def english_ordinal(number: int) -> str:
    """4 → "fourth", 25 → "twenty-fifth", 30 → "thirtieth" (1–99): how an English record
    writes an ordinal."""
    if number < 20:
        return _ORDINALS_EN[number - 1]
    tens, ones = divmod(number, 10)
    if ones == 0:
        return f"{_TENS_EN[tens - 2][:-1]}ieth"
    return f"{_TENS_EN[tens - 2]}-{_ORDINALS_EN[ones - 1]}"


_ORDINAL_NUMBERS_EN = {english_ordinal(n): n for n in range(4, 100)}
_ZH_DIGITS = "〇一二三四五六七八九"
_ENUM_ZH = re.compile(r"第([一二三四五六七八九])(?:点|项|条)")
_ENUM_WORDS_EN = _ORDINALS_EN[:9]
ENUM_EN = re.compile(rf"\b({'|'.join(_ENUM_WORDS_EN)})\s+(?:suggestion|point|proposal|"
                      r"recommendation|priority|element)s?\b", re.IGNORECASE)
# From "fourth": "first", "second" and "third" name far more than a numbered document.
ORDINAL_EN = re.compile(
    rf"\b({'|'.join(sorted(_ORDINAL_NUMBERS_EN, key=len, reverse=True))})\b", re.IGNORECASE)


class QueryScope(BaseModel):
    """Documents (with how strongly they are named), annex labels and paragraph numbers."""

    model_config = ConfigDict(extra="forbid")

    documents: dict[str, int] = Field(default_factory=dict,
                                      description="Document id → strength of the mention.")
    parts: list[str] = Field(default_factory=list, description="Annex labels, e.g. 附件二十二.")
    paragraphs: list[int] = Field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.documents or self.parts or self.paragraphs)

    def in_parts(self, part: str, locator: str) -> bool:
        """Printed in one of the annexes named (true when none is): its own part, or (a
        record, which quotes rows of several annexes) a row its locator names."""
        return not self.parts or part in self.parts or \
            any(f"{label} " in locator for label in self.parts)

    def at_paragraphs(self, numbers: list[int], kind: str) -> bool:
        """One of the paragraphs named (true when none is); a table's numbers are its rows',
        not paragraphs."""
        return not self.paragraphs or (kind != "table" and bool(set(numbers) & set(self.paragraphs)))


def roman_to_int(text: str) -> int:
    values = [_ROMAN[c] for c in text.upper()]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
               for i, v in enumerate(values))


def annex_labels(query: str) -> list[str]:
    labels = [f"附件{m.group(1)}" for m in _ZH_ANNEX.finditer(query)]
    for match in _EN_ANNEX.finditer(query):
        token = match.group(1)
        n = int(token) if token.isdigit() else roman_to_int(token)
        if 0 < n < 100:
            labels.append(f"附件{to_chinese_numeral(n)}")
    return list(dict.fromkeys(labels))


def without_places(text: str) -> str:
    """The question with the annexes and paragraphs it names blanked out: they say where to
    look, not what the answer says ("附件八中" left in would even give jieba "八中")."""
    for pattern in (_ZH_ANNEX, _EN_ANNEX, _ZH_PARA, _EN_PARA):
        text = pattern.sub(" ", text)
    return text


def paragraph_numbers(query: str) -> list[int]:
    found = [int(m.group(1)) for m in _ZH_PARA.finditer(query)]
    found += [int(m.group(1)) for m in _EN_PARA.finditer(query)]
    return list(dict.fromkeys(found))


def ordinals(text: str) -> list[str]:
    """The ordinals a question names, as the records write them: ["第十四"]."""
    found = _ORDINAL_ZH.findall(text)
    for word in ORDINAL_EN.findall(text):
        found.append(f"第{to_chinese_numeral(_ORDINAL_NUMBERS_EN[word.lower()])}")
    return list(dict.fromkeys(found))


def enumeration_items(text: str) -> list[str]:
    """How Chinese statements number the points of a list, for the points a question names:
    "第三点建议" and "the third suggestion" → ["三是"], as in "一是……二是……三是……"."""
    numbers = [_ZH_DIGITS.index(m) for m in _ENUM_ZH.findall(text)]
    numbers += [_ENUM_WORDS_EN.index(m.lower()) + 1 for m in ENUM_EN.findall(text)]
    return list(dict.fromkeys(f"{_ZH_DIGITS[n]}是" for n in numbers))


def document_mentions(query: str, metas: Iterable[DocumentMeta],
                      glossary: Glossary | None = None) -> dict[str, int]:
    """Documents the question names, with the strongest mentions only.

    A document is named by its symbol, or by a word for its type ("工作方案", "briefing"),
    made stronger by its year or its author's state appearing in the question.
    """
    lowered = query.lower()
    folded = fold(query)
    years = set(_YEAR.findall(folded))
    states = _states(query, glossary)
    scores: dict[str, int] = {}
    for meta in metas:
        score = 0
        if meta.symbol and (meta.symbol in folded or _names_resolution(meta.symbol, folded)):
            score += 3
        words = TYPE_WORDS.get(meta.doc_type, ())
        if meta.doc_type in _NAMED_WITH_AUTHOR and not (
                meta.author and meta.author.lower() in lowered):
            words = ()
        if any(word in lowered for word in words):
            score += 1
            if meta.date and str(meta.date.year) in years:
                score += 1
            author = f"{meta.author or ''}{meta.title}"
            if any(state in author for state in states):
                score += 1
        if score:
            scores[meta.id] = score
    if not scores:
        return {}
    best = max(scores.values())
    return {doc_id: score for doc_id, score in scores.items() if score == best or score >= 3}


def _names_resolution(symbol: str, folded: str) -> bool:
    """Whether the question names this resolution: by number and year in any form, or by
    its number beside the word for resolution."""
    match = _RES_SYMBOL.match(symbol)
    if not match:
        return False
    number, year = match.groups()
    with_year = re.search(rf"(?<!\d){number}\({year}\)", folded) is not None and \
        re.search(r"决议|resolution|S/RES/", folded, re.IGNORECASE) is not None
    # "2901号决议", "resolution 2901": the number alone, next to the word for resolution.
    alone = re.search(rf"(?<!\d){number}号决议|resolution\s*(?:no\.?)?\s*{number}(?!\d)",
                      folded, re.IGNORECASE) is not None
    return with_year or alone


def _states(query: str, glossary: Glossary | None) -> list[str]:
    if glossary is None:
        return []
    return [form for entry in glossary.find(query) if entry.is_state
            for form in entry.chinese_forms]


def scope_of(query: str, metas: Iterable[DocumentMeta],
             glossary: Glossary | None = None) -> QueryScope:
    metas = list(metas)
    documents = document_mentions(query, metas, glossary)
    paragraphs = paragraph_numbers(query)
    named = {m.id: m for m in metas if m.id in documents}
    if any(m.doc_type is DocumentType.RESOLUTION and documents[m.id] >= 3
           for m in named.values()):
        # "第2788(2025)号决议第2段": the paragraph of a resolution the index holds.
        paragraphs += [int(m.group(1)) for m in _RES_PARA.finditer(query)
                       if int(m.group(1)) not in paragraphs]
    return QueryScope(documents=documents, parts=annex_labels(query), paragraphs=paragraphs)
