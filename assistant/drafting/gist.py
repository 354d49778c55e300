"""What a Chinese sentence of the records says, in the English words the records allow.

An English note cannot print a Chinese quotation as its bullet, and the drafter has no
language model to translate one. What it can say in English is what the sentence names:
its dates (a month the sentence gives without its year takes the year its document reports
on), the States, organisations and committee terms the glossary translates, the figures it
counts with the glossary's word for what they count, and the places CC-CEDICT names. The
gist is the bullet; the Chinese sentence is printed beneath it as the cited source.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass

from assistant.facts import MONTHS_EN, english_date
from index.glossary import Glossary, GlossaryEntry
from index.lexicon import proper_names

_FULL_DATE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})(?:\s*[-–至]\s*\d{1,2})?\s*日")
_YEAR_MONTH = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月(?!\s*\d{1,2}\s*日)")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
# "6月，专家们……": a month the sentence gives without its year.
_BARE_MONTH = re.compile(r"(?<![年\d])(\d{1,2})\s*月")
# A count and the word after its measure word: "38个会员国", "46份国家行动计划", "56%".
_COUNT = re.compile(r"(?<![\d年月第(（])(\d[\d,]*)\s*(个|份|项|次|名|%)")
# Kinds of glossary entry a gist names as a party, and as what the sentence is about.
_PARTIES = ("state", "organization", "body")
_SUBJECTS = ("term", "programme", "instrument", "kind")
# Terms too general to say what one sentence is about.
_GENERAL = frozenset(("决议", "执行情况", "会员国", "委员会", "合作", "审查", "第1540(2004)号决议",
                      "安全理事会第1540(2004)号决议所设委员会"))
MAX_TERMS, MAX_PARTIES, MAX_FIGURES = 4, 6, 3


@dataclass
class Gist:
    """The English parts of one sentence."""

    when: str
    terms: list[str]
    parties: list[str]
    figures: list[str]

    @property
    def empty(self) -> bool:
        return not (self.terms or self.parties or self.figures)


def short_name(entry: GlossaryEntry) -> str:
    """The name a table cell can hold: an acronym the glossary gives ("OSCE"), else the
    English name."""
    acronyms = [a for a in entry.english_forms if re.fullmatch(r"[A-Z][A-Z0-9-]{1,9}", a)]
    return acronyms[0] if acronyms and len(entry.en) > 24 else entry.en


def plural(term: str) -> str:
    """'point of contact' → 'points of contact', 'Member State' → 'Member States'."""
    head, sep, tail = term.partition(" of ")
    if head.endswith(("s", "ry")) and not head.endswith("ss"):
        return term if head.endswith("s") else f"{head[:-1]}ies{sep}{tail}"
    return f"{head}s{sep}{tail}"


def read(text: str, glossary: Glossary, year: int | None = None,
         skip: tuple[str, ...] = (), keep: tuple[str, ...] = ()) -> Gist:
    """The gist of `text`: `year` is the year its document reports on (for a month printed
    without one); names in `skip` (the note's own State) are left out of the parties, names
    in `keep` (the State a chronology row is about) are never cut from a long list."""
    terms: list[str] = []
    parties: list[str] = []
    for _, entry in glossary.find_chinese(text):
        if entry.zh in skip or entry.zh in _GENERAL:
            continue
        if entry.kind in _PARTIES or entry.is_state:
            name = short_name(entry)
            if name not in parties:
                parties.append(name)
        elif entry.kind in _SUBJECTS and entry.en not in terms:
            terms.append(entry.en)
    kept = [short_name(e) for _, e in glossary.find_chinese(text) if e.zh in keep]
    shown = [p for p in parties if p in kept]
    shown += [p for p in parties if p not in shown][:max(MAX_PARTIES - len(shown), 0)]
    return Gist(when=when(text, year), terms=terms[:MAX_TERMS],
                parties=[p for p in parties if p in shown],
                figures=figures(text, glossary)[:MAX_FIGURES])


def when(text: str, year: int | None = None) -> str:
    """The dates a sentence gives, in English, each with its year."""
    found: list[tuple[int, str]] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match[str]) -> bool:
        return not any(a <= match.start() < b for a, b in taken)

    for match in _FULL_DATE.finditer(text):
        try:
            day = dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            continue
        found.append((match.start(), english_date(day)))
        taken.append(match.span())
    for match in _YEAR_MONTH.finditer(text):
        if free(match) and 1 <= int(match.group(2)) <= 12:
            found.append((match.start(), f"{MONTHS_EN[int(match.group(2)) - 1]} "
                                         f"{match.group(1)}"))
            taken.append(match.span())
    for match in _YEAR.finditer(text):
        if free(match):
            found.append((match.start(), match.group(1)))
            taken.append(match.span())
    if year is not None:
        for match in _BARE_MONTH.finditer(text):
            if free(match) and 1 <= int(match.group(1)) <= 12:
                found.append((match.start(), f"{MONTHS_EN[int(match.group(1)) - 1]} {year}"))
    shown = list(dict.fromkeys(text for _, text in sorted(found)))
    if len(shown) > 3:
        shown = [shown[0], shown[-1]]
        return f"{shown[0]} to {shown[1]}"
    return ", ".join(shown)


def bare_month_year(text: str, year: int | None) -> int | None:
    """The year to print before a sentence that gives a month but no year ("6月，…")."""
    if year is None or _YEAR.search(text) or _YEAR_MONTH.search(text) or \
            _FULL_DATE.search(text):
        return None
    return year if _BARE_MONTH.search(text) else None


def figures(text: str, glossary: Glossary) -> list[str]:
    """Counts with what they count, where the glossary names it: "38 Member States"."""
    out = []
    for match in _COUNT.finditer(text):
        number, unit = match.group(1), match.group(2)
        if unit == "%":
            out.append(f"{number}%")
            continue
        after = text[match.end():match.end() + 12]
        found = glossary.find_chinese(after)
        noun = next((e for form, e in found if after.startswith(form)), None)
        if noun is None:
            continue  # a bare count says nothing without what it counts
        name = noun.en if noun.is_state or noun.kind in _PARTIES else \
            (plural(noun.en) if number != "1" else noun.en)
        out.append(f"{number} {name}")
    return list(dict.fromkeys(out))


def place(text: str, glossary: Glossary) -> str:
    """A place as an outreach annex prints it ("吉尔吉斯斯坦伊塞克湖", "维也纳(视频会议)",
    "混合会议，南非约翰内斯堡", "法国和瑞士"), in English: places from the glossary's places
    table, States from the glossary, else CC-CEDICT; as printed where a part is unknown."""
    notes = [n for n in re.findall(r"[(（]([^)）]*)[)）]", text)]
    cleaned = re.sub(r"[(（][^)）]*[)）]", "", text).strip(" ，,、")
    if not cleaned:
        return text
    parts = [p for p in re.split(r"[，,]", cleaned) if p.strip()]
    english: list[str] = []
    for part in [*parts, *notes]:
        whole = _site(part, glossary)
        sites = [whole] if whole else [_site(one, glossary)
                                       for one in re.split(r"和|、", part) if one.strip()]
        if any(site is None for site in sites):
            return text
        english.append(" and ".join(s for s in sites if s))
    # A city first, the form of the meeting ("hybrid meeting") after it in brackets.
    english.sort(key=lambda name: name[:1].islower())
    first, *rest = english
    return f"{first} ({', '.join(rest)})" if rest else first


def _site(text: str, glossary: Glossary) -> str | None:
    """One place: a city or site, a State, or a State and the place in it ("Issyk-Kul,
    Kyrgyzstan"); None where a part is neither in the glossary nor CC-CEDICT."""
    whole = _known(text, glossary)
    if whole:
        return whole
    for cut in range(len(text) - 1, 0, -1):  # the longest known name first
        head, tail = _known(text[:cut], glossary), _known(text[cut:], glossary)
        if head and tail:
            state = glossary.lookup(text[:cut])
            return f"{tail}, {head}" if state is not None and state.is_state else \
                f"{head}, {tail}"
    return None


def _known(text: str, glossary: Glossary) -> str | None:
    places = glossary.places
    entry = places.lookup(text) if places is not None else None
    if entry is not None:
        return entry.en
    entry = glossary.lookup(text)
    if entry is not None and (entry.is_state or entry.kind in _PARTIES):
        return short_name(entry)
    return _proper(text)


def _proper(word: str) -> str | None:
    return _names().get(word)


@functools.cache
def _names() -> dict[str, str]:
    return proper_names()
