"""The structure of one clause of a Chinese record sentence: who acts, the verb, what it
acts on, its dates, places, counts and mood, read with the glossary and the vocabulary of
`prompts/gist_words.toml`. Saying it as an English sentence is `clause_english`'s work.

There is no parser. A sentence is split into clauses at ，；。 outside brackets; in each,
the glossary's States, organisations, terms and places and the vocabulary's subject words
are found as `Name`s (each with the count before it and the bracketed date after it), and
the clause's main verb is the last verb the vocabulary knows that does not describe a noun:
a verb followed by 的 before the next verb ("尚未提交报告的会员国") is a modifier. The
names before the verb act (unless a preposition makes them its object, its partner, its
place or its sponsor); the names after it are what it acts on.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from assistant import paths
from assistant.drafting import gist
from index.errors import PromptError
from index.glossary import Glossary, GlossaryEntry

WORDS_FILE = "gist_words.toml"
_ORDINALS = {"一": "first", "二": "second", "三": "third", "四": "fourth", "五": "fifth",
             "六": "sixth", "1": "first", "2": "second", "3": "third", "4": "fourth"}
_ORDINAL = re.compile(r"第([一二三四五六1-6])(?:次|份|个)$")
_COUNT_BEFORE = re.compile(r"(\d[\d,]*)\s*[个份项次名场批]$|(若干|多个|一些|各)$")
_BRACKET_DATE = re.compile(r"^[(（]([^()（）]*\d{4}\s*年[^()（）]*)[)）]")
_SINCE = re.compile(r"自\s*(\d{4})\s*年(?:\s*(\d{1,2})\s*月)?以来")
_RANGE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日?\s*[至到-]\s*"
                    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日")
# What a word just before a name makes of it.
_ROLES = {"对": "of", "与": "with", "同": "with", "和": "with", "在": "in", "由": "by",
          "为": "for", "向": "to", "给": "to", "从": "from"}
_SUPPORT = re.compile(r"^(?:的)?(?:支助|支持|资助|赞助)")
_LIST_JOIN = re.compile(r"^[、和及与]|^以及")


class GistWords(BaseModel):
    """`prompts/gist_words.toml`."""

    model_config = ConfigDict(extra="forbid")

    description: str
    subjects: dict[str, str]
    verbs: dict[str, str]
    moods: dict[str, str]
    nouns: dict[str, str]


@functools.cache
def load_words(directory: Path | None = None) -> GistWords:
    path = (directory or paths.shipped_prompts()) / WORDS_FILE
    try:
        words = GistWords.model_validate(tomllib.loads(path.read_text(encoding="utf-8")))
    except OSError as exc:
        raise PromptError(f"{path}: cannot read the gist vocabulary ({exc.strerror})") from exc
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise PromptError(f"{path}: {exc}") from exc
    for zh, forms in words.verbs.items():
        if len(forms.split("|")) != 3:
            raise PromptError(f"{path}: verb {zh!r} needs 'base | past | participle'")
    return words


@dataclass
class Name:
    """A State, organisation, body, subject word or place, as found in a clause."""

    at: int
    end: int
    en: str
    kind: str  # "party", "term", "place", "subject"
    zh: str = ""
    count: str = ""
    date: str = ""


@dataclass
class Clause:
    text: str
    names: list[Name] = field(default_factory=list)
    verb: tuple[int, int, str] | None = None  # start, end, Chinese verb


def split(text: str) -> list[str]:
    """The clauses of a sentence: its parts between ，；。：！？ outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "(（"
        depth -= char in ")）" and depth > 0
        if char in "，；。：！？;" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def read(text: str, glossary: Glossary, words: GistWords) -> Clause:
    """The clause's names, in order, and its main verb (None when it has none)."""
    clause = Clause(text)
    taken = [False] * len(text)

    def add(at: int, form: str, name: Name | None) -> None:
        if name is None or any(taken[at:at + len(form)]):
            return
        for i in range(at, at + len(form)):
            taken[i] = True
        clause.names.append(name)

    places = glossary.places
    for finder, kind in ((places, "place"), (glossary, "")):
        if finder is None:
            continue
        for form, entry in finder.find_chinese(text):
            for at in _positions(text, form):
                if _straddles(text, at + len(form), glossary):
                    continue
                add(at, form, _name(at, form, entry, kind, words))
    for zh, en in sorted(words.subjects.items(), key=lambda kv: -len(kv[0])):
        for at in _positions(text, zh):
            add(at, zh, Name(at, at + len(zh), en, "subject", zh))
    clause.names.sort(key=lambda n: n.at)
    for name in clause.names:
        _count_and_date(text, name)
    clause.verb = _main_verb(text, taken, words)
    return clause


def _straddles(text: str, end: int, glossary: Glossary) -> bool:
    """A name whose last character starts a term with the next one is a misreading:
    the 大会 of 扩大会议 is no General Assembly, it is 会议 (a meeting)."""
    pair = text[end - 1:end + 1]
    entry = glossary.lookup(pair) if len(pair) == 2 else None
    return entry is not None and not entry.is_state and entry.kind == "term"


def _positions(text: str, form: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(form), text)]


def _name(at: int, form: str, entry: GlossaryEntry, kind: str,
          words: GistWords) -> Name | None:
    if kind == "place" and entry.en[:1].islower():
        return None  # "虚拟" of 虚拟国家讲习班 says how a meeting met, not where
    if kind == "place":
        return Name(at, at + len(form), entry.en, "place", entry.zh)
    if entry.zh in words.subjects:
        return Name(at, at + len(form), words.subjects[entry.zh], "subject", entry.zh)
    party = entry.is_state or entry.kind in ("organization", "body")
    return Name(at, at + len(form), gist.short_name(entry) if party else entry.en,
                "party" if party else "term", entry.zh)


def _count_and_date(text: str, name: Name) -> None:
    before = text[max(0, name.at - 8):name.at]
    if (m := _COUNT_BEFORE.search(before)) is not None:
        name.count = m.group(1) or {"若干": "several", "多个": "several", "一些": "some",
                                    "各": "all"}[m.group(2)]
    elif (m := _ORDINAL.search(before)) is not None:
        name.count = _ORDINALS[m.group(1)]
    if (m := _BRACKET_DATE.match(text[name.end:])) is not None:
        name.date = gist.when(m.group(1))
        name.end += m.end()


def _main_verb(text: str, taken: list[bool], words: GistWords) -> tuple[int, int, str] | None:
    found: list[tuple[int, int, str]] = []
    depth = 0
    for i, char in enumerate(text):
        depth += char in "(（"
        depth -= char in ")）" and depth > 0
        if depth or taken[i]:
            continue
        for zh in sorted(words.verbs, key=len, reverse=True):
            if text.startswith(zh, i) and not any(taken[i:i + len(zh)]):
                found.append((i, i + len(zh), zh))
                break
    done = [v for v in found if text.startswith("了", v[1])]
    if done:  # "举办了……组织的讲习班": the verb marked done is the clause's
        return done[0]
    free = []
    for n, (start, end, zh) in enumerate(found):
        following = found[n + 1][0] if n + 1 < len(found) else len(text)
        if "的" not in text[end:following] and text[start - 1:start] != "的":
            free.append((start, end, zh))
    # Modifiers come before the noun they describe, so the verb of the clause is the last
    # one that does not describe a noun ("与已决定邀请……的各国接触" is engage with).
    return free[-1] if free else None


def roles(clause: Clause, words: GistWords) -> dict[str, list[Name]] | None:
    """The clause's names by what they do: "subject", "object", or the English preposition
    that introduces them ("with", "in", "supported by" …). None when a name's preposition
    is lost and the clause's structure is beyond this reading."""
    assert clause.verb is not None
    text = clause.text
    v_start = clause.verb[0]
    found: dict[str, list[Name]] = {}
    groups = _groups(text, clause.names)
    for n, group in enumerate(groups):
        first, last = group[0], group[-1]
        if first.kind == "term" and first.at < v_start and \
                not text[:first.at].endswith(tuple(_ROLES)):
            continue  # a term before the verb describes a name; the verb does not act on it
        before = [g for g in groups[:n] if g[0].kind != "term"]
        lead = text[before[-1][-1].end if before else 0:first.at]
        opening = _strip_moods(lead, words)
        role = next((r for w, r in _ROLES.items()
                     if opening.startswith(w) or lead.endswith(w)), "")
        if role and first.at > v_start and not lead.endswith(tuple(_ROLES)):
            role = ""  # a preposition before the verb opens no phrase after it
        if first.kind == "place":
            role = "in"
        elif _SUPPORT.match(text[last.end:]) or (lead.endswith("由") and \
                _SUPPORT.search(text[last.end:last.end + 6])):
            role = "supported by"
        elif re.search(r"应\s*$", lead) and text[last.end:].startswith("的请求"):
            role = "at the request of"
        elif not role and first.at < v_start and n and lead.endswith("的"):
            # The head of a phrase whose preposition this reading lost: the clause's
            # structure is beyond it, and a wrong sentence is worse than none.
            return None
        elif not role:
            role = "subject" if first.at < v_start else "object"
        found.setdefault(role, []).extend(group)
    return found


def _groups(text: str, names: list[Name]) -> list[list[Name]]:
    """Names printed as one list ("白俄罗斯、吉尔吉斯斯坦和塔吉克斯坦(2018年1月25日)"), or a
    State printed before its place ("吉尔吉斯斯坦伊塞克湖"), go together."""
    groups: list[list[Name]] = []
    for name in names:
        if name.kind == "term" and groups and groups[-1][-1].kind == "term":
            last = groups[-1][-1]
            if last.end == name.at:  # "同行审议会议": a peer review meeting
                last.en, last.end = f"{last.en} {name.en}", name.end
                last.count = last.count or name.count
            else:
                groups.append([name])
            continue
        if groups:
            last = groups[-1][-1]
            between = text[last.end:name.at]
            if last.kind != "term" and name.kind == "place" and not between:
                groups[-1].append(name)
                continue
            if last.kind == name.kind != "term" and _LIST_JOIN.match(between) and \
                    len(between) <= 2:
                groups[-1].append(name)
                continue
        groups.append([name])
    return groups


def mood(clause: Clause, after_subject: int, words: GistWords) -> str:
    """The English mood words ("should", "not yet" …) between the subject and the verb,
    before any preposition opens a phrase there."""
    assert clause.verb is not None
    span = re.sub(r"应[^，。]{0,16}?的请求", "", clause.text[after_subject:clause.verb[0]])
    opened = min((span.find(w) for w in _ROLES if w in span), default=len(span))
    tail = span[:opened] or span
    found: list[str] = []
    for zh, _en in sorted(words.moods.items(), key=lambda kv: -len(kv[0])):
        if zh in tail and not any(zh in f for f in found):
            found.append(zh)
    moods = [words.moods[zh] for zh in sorted(found, key=tail.find)]
    return " ".join(moods)


def _strip_moods(text: str, words: GistWords) -> str:
    for zh in sorted(words.moods, key=len, reverse=True):
        text = text.removeprefix(zh)
    return text.lstrip("并且已经都也那些")


def head_start(text: str, start: int) -> int:
    """Where the head of the noun phrase after `start` begins: after its last 的 outside
    brackets (start itself when there is none)."""
    depth, at = 0, start
    for i in range(start, len(text)):
        depth += text[i] in "(（"
        depth -= text[i] in ")）" and depth > 0
        if text[i] == "的" and depth == 0:
            at = i + 1
    return at


def noun(after_verb: str, words: GistWords) -> str:
    """The last noun of the vocabulary the clause prints after its verb (a Chinese noun
    phrase ends with its head: "关于此类审议结果的报告" is reports)."""
    found = [(after_verb.rfind(zh), en) for zh, en in words.nouns.items() if zh in after_verb]
    return max(found)[1] if found else ""


def when(text: str, year: int | None) -> str:
    """The clause's date as an English phrase: "since 2016", "on 28–30 June 2018",
    "in 2020 and 2021", "to date"; `year` is the year a month without one falls in."""
    plain = re.sub(r"[(（][^()（）]*[)）]", "", text)
    if (m := _SINCE.search(plain)) is not None:
        return f"since {m.group(1)}"
    if (m := _RANGE.search(plain)) is not None:
        y, m1, d1, m2, d2 = m.groups()
        month1 = gist.MONTHS_EN[int(m1) - 1]
        if m2 is None or m2 == m1:
            return f"on {d1}–{d2} {month1} {y}"
        return f"from {d1} {month1} to {d2} {gist.MONTHS_EN[int(m2) - 1]} {y}"
    found = gist.when(plain, year)
    if not found:
        return "to date" if "迄今" in plain else ""
    found = re.sub(r", (?=[^,]*$)", " and ", found)
    return f"on {found}" if re.match(r"\d{1,2} ", found) else f"in {found}"
