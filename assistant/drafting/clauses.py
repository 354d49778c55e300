"""A Chinese sentence of the records as a plain English sentence: who did what, when,
where, with what figures, read from the sentence's own structure.

There is no translation model. What the drafter can read is the sentence's parts: its
dates (`gist.when`), the States, organisations and terms the glossary translates, the
places of `Glossary.places`, its counts, and the verbs and mood words of
`prompts/gist_words.toml`. Each clause (split at ，；。 outside brackets) is read in order:
the names before its main verb act (unless a preposition makes them its object, its
partner, its place or its sponsor), the verb says what they did, the terms and names after
it are what they did it to. A verb followed by 的 before the next verb describes a noun
("尚未提交报告的会员国") and is not the clause's verb. A clause with no verb the vocabulary
knows is left out; a sentence none of whose clauses has one gets None, and the caller
falls back to naming what the sentence is about.
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
_PURPOSE = re.compile(r"^(?:以便|以期|从而|旨在|以)")
_ASIDE = re.compile(r"^(?:包括|例如|比如|如|其中)")
# English nouns of these endings take no article: "provided assistance".
_MASS = ("ance", "tion", "ment", "ity", "ure", "sty", "ice", "ics")
MAX_NAMES, MAX_CLAUSES = 6, 3


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


def sentence(text: str, glossary: Glossary, year: int | None = None,
             keep: tuple[str, ...] = (), *, fragment: bool = False) -> str | None:
    """The English sentence for `text`; `keep` are Chinese names (the note's State) a long
    list never drops. None when no clause has a verb the vocabulary knows. A `fragment`
    (one clause of a sentence, for a table cell) may lack its subject: "Received reports
    submitted by …"."""
    words = load_words()
    out: list[str] = []
    subject, mood, carried = "", "", ""
    for part in _clauses(text):
        if _PURPOSE.match(part):
            break  # "以便……": what it is for, which the verbs here cannot say
        if _ASIDE.match(part):
            continue  # "包括与……": examples of what the clause before said
        clause = _read(carried + part, glossary, words)
        if clause.verb is None:  # a date or place opening the clause after it
            carried = "" if out else f"{carried}{part}，"
            continue
        carried = ""
        english, subject, mood = _render(clause, words, year, keep, subject, mood,
                                         fragment)
        if english:
            out.append(english)
        if len(out) == MAX_CLAUSES:
            break
    if not out:
        return None
    text_en = "; ".join(out)
    return text_en[0].upper() + text_en[1:] + "."


def _clauses(text: str) -> list[str]:
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char in "(（"
        depth -= char in ")）" and depth > 0
        if char in "，；。：！？;" and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _read(text: str, glossary: Glossary, words: GistWords) -> Clause:
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
    if done:  # "收到了……提交的报告": the verb marked done is the clause's
        return done[0]
    free = []
    for n, (start, end, zh) in enumerate(found):
        following = found[n + 1][0] if n + 1 < len(found) else len(text)
        if "的" not in text[end:following] and text[start - 1:start] != "的":
            free.append((start, end, zh))
    # Modifiers come before the noun they describe, so the verb of the clause is the last
    # one that does not describe a noun ("与已决定邀请……的各国接触" is engage with).
    return free[-1] if free else None


def _render(clause: Clause, words: GistWords, year: int | None, keep: tuple[str, ...],
            previous: str, previous_mood: str,
            fragment: bool = False) -> tuple[str, str, str]:
    """The clause in English, its subject and its mood (for the next clause that has no
    subject of its own); an empty text for a clause whose verb has nothing to act on."""
    assert clause.verb is not None
    text = clause.text
    v_start, v_end, v_zh = clause.verb
    roles: dict[str, list[Name]] = {}
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
            return "", previous, previous_mood
        elif not role:
            role = "subject" if first.at < v_start else "object"
        roles.setdefault(role, []).extend(group)
    subject_names = [n for n in roles.pop("subject", []) if n.kind != "term"]
    subject = _list(subject_names, keep) if subject_names else previous
    after_subject = subject_names[-1].end if subject_names else 0
    span = re.sub(r"应[^，。]{0,16}?的请求", "", text[after_subject:v_start])
    opened = min((span.find(w) for w in _ROLES if w in span), default=len(span))
    mood = _mood(span[:opened] or span, words) or ("" if subject_names else previous_mood)
    base, past, participle = (f.strip() for f in words.verbs[v_zh].split("|"))
    plural = len(subject_names) > 1 or any(n.count for n in subject_names) or \
        subject.endswith("States")
    if mood.startswith(("should", "will", "may")):
        verb = f"{mood} {base}"
    elif "not" in mood:
        verb = f"{'have' if plural else 'has'} {mood} {participle}"
    else:
        verb = f"{mood} {past}".strip()
    objects = [n for n in roles.pop("object", []) if n.at >= v_end]
    what, by = _head(text, v_end, objects, words, keep)
    parties = [n for n in objects if n.kind != "term" and n.at >= _last_de(text, v_end)]
    if what.endswith(_list(parties, keep)) and parties:
        parties = []
    if base.endswith(" with") and roles.get("with") and not what:
        what = _list(roles.pop("with"), keep)
    of = roles.pop("of", [])
    if not what and parties:
        what, parties = _list(parties, keep), []
    elif not what and of:
        what, of = _list(of, keep), []
    if not what or not (subject or fragment):  # nobody acting, or nothing acted on
        return "", subject, mood
    pieces = [f"{subject} {verb}" if subject else verb, what]
    if of:
        pieces.append(f"of {_list(of, keep)}")
    if parties:
        pieces.append(f"involving {_list(parties, keep)}")
    for role in ("with", "for", "to", "from", "at the request of", "by"):
        if roles.get(role):
            pieces.append(f"{role} {_list(roles[role], keep)}")
    pieces.extend(by)
    if any(n.kind == "place" for n in roles.get("in", [])):
        pieces.append(f"in {_place(roles['in'])}")
    if roles.get("supported by"):
        pieces.append(f"supported by {_list(roles['supported by'], keep)}")
    when = _when(text, year)
    english = " ".join(p for p in pieces if p)
    if when:
        english = f"{when}, {english}" if not subject or (subject == previous and previous) \
            else f"{english} {when}" if when.startswith(("since", "to date")) \
            else f"{when}, {english}"
    return english, subject, mood


def _last_de(text: str, start: int) -> int:
    """Where the head of the noun phrase after `start` begins: after its last 的 outside
    brackets (start itself when there is none)."""
    depth, at = 0, start
    for i in range(start, len(text)):
        depth += text[i] in "(（"
        depth -= text[i] in ")）" and depth > 0
        if text[i] == "的" and depth == 0:
            at = i + 1
    return at


def _head(text: str, v_end: int, objects: list[Name], words: GistWords,
          keep: tuple[str, ...]) -> tuple[str, list[str]]:
    """What the verb acts on: the head of the noun phrase after it (a Chinese noun phrase
    ends with its head), and what its modifiers say in English: "关于X的" is "on X", "A提交
    的" is "submitted by A"."""
    head_at = _last_de(text, v_end)
    terms = [n for n in objects if n.kind == "term" and n.at >= head_at]
    head = _terms(terms) or _noun(text[head_at:], words)
    by: list[str] = []
    if head_at == v_end:
        return head, by
    modifier = [n for n in objects if n.at < head_at]
    about = [n for n in modifier if n.kind == "term" and "关于" in text[v_end:n.at]]
    if about:
        by.append(f"on {' and '.join(n.en for n in about)}")
    owners = [n for n in modifier if n.kind == "term" and n not in about]
    if owners and head and not any(v in text[owners[-1].end:head_at] for v in words.verbs):
        head = f"the {head} of {gist.plural(owners[-1].en)}"
    makers = [n for n in modifier if n.kind == "party"]
    if makers:
        verb = next((zh for zh in sorted(words.verbs, key=len, reverse=True)
                     if zh in text[makers[-1].end:head_at]), None)
        participle = words.verbs[verb].split("|")[2].strip() if verb else ""
        if participle and " " not in participle:
            by.insert(0, f"{participle} by {_list(makers, keep)}")
        else:
            by.insert(0, f"involving {_list(makers, keep)}")
    return head, by


def _strip_moods(text: str, words: GistWords) -> str:
    for zh in sorted(words.moods, key=len, reverse=True):
        text = text.removeprefix(zh)
    return text.lstrip("并且已经都也那些")


def _noun(after_verb: str, words: GistWords) -> str:
    """The last noun of the vocabulary the clause prints after its verb (a Chinese noun
    phrase ends with its head: "关于此类审议结果的报告" is reports)."""
    found = [(after_verb.rfind(zh), en) for zh, en in words.nouns.items() if zh in after_verb]
    return max(found)[1] if found else ""


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


def _mood(before_verb: str, words: GistWords) -> str:
    tail = before_verb
    found = []
    for zh, _en in sorted(words.moods.items(), key=lambda kv: -len(kv[0])):
        if zh in tail and not any(zh in f for f in found):
            found.append(zh)
    moods = [words.moods[zh] for zh in sorted(found, key=tail.find)]
    return " ".join(moods)


def _terms(terms: list[Name]) -> str:
    shown: list[str] = []
    unique = list({t.en: t for t in terms}.values())
    for term in unique[:2]:
        en = term.en
        if (term.count and term.count[0].isdigit() and term.count != "1") or \
                term.count in ("several", "some", "all"):
            en = f"{term.count} {gist.plural(en)}"
        elif term.count:
            en = f"a {term.count} {en}"
        elif en[:1].islower() and not en.endswith(_MASS):
            en = f"{'an' if en[0] in 'aeiou' else 'a'} {en}"
        shown.append(en)
    return " and ".join(shown)


def _list(names: list[Name], keep: tuple[str, ...]) -> str:
    """Names as a list, each group's date after it; a long list keeps its first names and
    those in `keep`, and says how many it leaves out."""
    dated: list[list[Name]] = [[]]
    for name in names:
        dated[-1].append(name)
        if name.date:
            dated.append([])
    dated = [g for g in dated if g]
    shown = dated
    if len(names) > MAX_NAMES:
        room, shown = MAX_NAMES, []
        mine = [g for g in dated if any(n.zh in keep for n in g)]
        for group in dated:
            if group in mine or sum(map(len, shown)) + len(group) <= room - \
                    sum(len(g) for g in mine if g not in shown):
                shown.append(group if len(group) <= room or group not in mine else
                             [n for n in group if n.zh in keep])
    parts = [_and([_one(n) for n in group]) + (f" ({group[-1].date})" if group[-1].date
                                               else "") for group in shown]
    rest = len(names) - sum(map(len, shown))
    if rest:
        parts.append(f"{rest} others")
    return _and(parts)


def _and(parts: list[str]) -> str:
    if len(parts) <= 2:
        return " and ".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def _one(name: Name) -> str:
    if not name.count or not name.count[0].isdigit():
        return name.en
    many = name.count != "1" and (name.kind != "party" or name.en.endswith("State"))
    return f"{name.count} {gist.plural(name.en) if many else name.en}"


def _place(names: list[Name]) -> str:
    places = [n.en for n in names if n.kind == "place"]
    states = [n.en for n in names if n.kind != "place"]
    return ", ".join(places + states)


def _when(text: str, year: int | None) -> str:
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
