"""A Chinese sentence of the records as a plain English sentence: who did what, when,
where, with what figures. `sentence` is the entry point.

There is no translation model. `clause_reading` reads each clause's structure (its names,
their roles, its verb, mood and dates); this module says it in English: the verb's form for
its mood and subject, articles and plurals, lists of names (with their dates, shortened
when long), and the phrases that follow the object in a fixed order. A clause with no verb
the vocabulary knows is left out; a sentence none of whose clauses has one gets None, and
the caller falls back to naming what the sentence is about.
"""

from __future__ import annotations

import re

from assistant.drafting import clause_reading, gist
from assistant.drafting.clause_reading import Clause, GistWords, Name
from index.glossary import Glossary

_PURPOSE = re.compile(r"^(?:以便|以期|从而|旨在|以)")
_ASIDE = re.compile(r"^(?:包括|例如|比如|如|其中)")
# English nouns of these endings take no article: "provided assistance".
_MASS = ("ance", "tion", "ment", "ity", "ure", "sty", "ice", "ics")
MAX_NAMES, MAX_CLAUSES = 6, 3


def sentence(text: str, glossary: Glossary, year: int | None = None,
             keep: tuple[str, ...] = (), *, fragment: bool = False) -> str | None:
    """The English sentence for `text`; `keep` are Chinese names (the note's State) a long
    list never drops. None when no clause has a verb the vocabulary knows. A `fragment`
    (one clause of a sentence, for a table cell) may lack its subject: "Received reports
    submitted by …"."""
    words = clause_reading.load_words()
    out: list[str] = []
    subject, mood, carried = "", "", ""
    for part in clause_reading.split(text):
        if _PURPOSE.match(part):
            break  # "以便……": what it is for, which the verbs here cannot say
        if _ASIDE.match(part):
            continue  # "包括与……": examples of what the clause before said
        clause = clause_reading.read(carried + part, glossary, words)
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


def _render(clause: Clause, words: GistWords, year: int | None, keep: tuple[str, ...],
            previous: str, previous_mood: str,
            fragment: bool = False) -> tuple[str, str, str]:
    """The clause in English, its subject and its mood (for the next clause that has no
    subject of its own); an empty text for a clause whose verb has nothing to act on."""
    assert clause.verb is not None
    text = clause.text
    _, v_end, v_zh = clause.verb
    roles = clause_reading.roles(clause, words)
    if roles is None:  # the clause's structure is beyond the reading
        return "", previous, previous_mood
    subject_names = [n for n in roles.pop("subject", []) if n.kind != "term"]
    subject = _list(subject_names, keep) if subject_names else previous
    after_subject = subject_names[-1].end if subject_names else 0
    mood = clause_reading.mood(clause, after_subject, words) or \
        ("" if subject_names else previous_mood)
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
    head_at = clause_reading.head_start(text, v_end)
    parties = [n for n in objects if n.kind != "term" and n.at >= head_at]
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
    when = clause_reading.when(text, year)
    english = " ".join(p for p in pieces if p)
    if when:
        english = f"{when}, {english}" if not subject or (subject == previous and previous) \
            else f"{english} {when}" if when.startswith(("since", "to date")) \
            else f"{when}, {english}"
    return english, subject, mood


def _head(text: str, v_end: int, objects: list[Name], words: GistWords,
          keep: tuple[str, ...]) -> tuple[str, list[str]]:
    """What the verb acts on: the head of the noun phrase after it (a Chinese noun phrase
    ends with its head), and what its modifiers say in English: "关于X的" is "on X", "A提交
    的" is "submitted by A"."""
    head_at = clause_reading.head_start(text, v_end)
    terms = [n for n in objects if n.kind == "term" and n.at >= head_at]
    head = _terms(terms) or clause_reading.noun(text[head_at:], words)
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
