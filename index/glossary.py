"""The bilingual glossary: UN member states, and the organisations, bodies and terms of the records.

Users ask in English about Chinese records. Dense embeddings alone find the right passage for
under a third of English questions, and BM25 over Chinese finds nothing for English words, so
an English query is expanded with the Chinese forms of the names and terms it contains before
both searches. The same table gives names in both languages in answers, and it generates the
jieba user dictionary that keeps those Chinese names whole in the BM25 index.

The tables are ``data/glossary/*.tsv`` (tab-separated, one header row, ``#`` comments):
``zh``, ``en``, ``aliases_en``, ``aliases_zh`` (aliases separated by ``;``) and ``kind``.
Run ``python -m index.glossary`` after editing them to regenerate ``data/jieba_userdict.txt``.
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from index.errors import AssistantError
from index.lexicon import stem

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_GLOSSARY_DIR = ROOT / "data" / "glossary"
DEFAULT_JIEBA_DICT = ROOT / "data" / "jieba_userdict.txt"
GLOSSARY_FILES = ("states.tsv", "terms.tsv", "places.tsv")
COLUMNS = ("zh", "en", "aliases_en", "aliases_zh", "kind")

Kind = Literal["member_state", "observer_state", "organization", "body", "programme", "term",
               "instrument", "place"]

# English forms that get singular/plural variants ("points of contact", "action plans").
_INFLECTED_KINDS = frozenset({"body", "programme", "term"})
# What "which department …?", "which organizations …?" ask for: a name of these kinds.
_NAMED_BODIES = frozenset({"organization", "body"})
# Acronyms that are also English words match only in capitals: "US" but not "us".
_WORDLIKE_ACRONYMS = frozenset({"who", "car", "imo", "cis", "aid"})
_PREPOSITIONS = frozenset({"of", "for", "on", "in", "to", "against", "from"})
_IRREGULAR_PLURALS = {"matrix": "matrices", "analysis": "analyses", "chairman": "chairmen"}
_EN_TOKEN = re.compile(r"[A-Za-z0-9]+")
_CJK_WORD = re.compile(r"[\u3400-\u9fff]{2,}")
_BRACKETS = re.compile(r"[()（）、，,〈〉《》]")

# jieba: a user word's frequency is at least this, and never below jieba's own for that word,
# so the user dictionary keeps names whole without demoting common words.
JIEBA_MIN_FREQ = 5000
_JIEBA_TAGS = {"member_state": "ns", "observer_state": "ns", "organization": "nt", "body": "nt",
               "programme": "nz", "instrument": "nz", "term": "n", "place": "ns"}


class GlossaryError(AssistantError):
    """A glossary table is missing or has a malformed row (the message names file and line)."""


class GlossaryEntry(BaseModel):
    """One name or term in its official Chinese and English forms, with the short forms used."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    zh: str = Field(min_length=1, description="Official UN Chinese form, as in the records.")
    en: str = Field(min_length=1, description="Official UN English form.")
    aliases_en: list[str] = Field(default_factory=list)
    aliases_zh: list[str] = Field(default_factory=list)
    kind: Kind

    @field_validator("zh", "en")
    @classmethod
    def _strip(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("must not be empty")
        return value

    @property
    def is_state(self) -> bool:
        return self.kind in ("member_state", "observer_state")

    @property
    def english_forms(self) -> list[str]:
        return [self.en, *self.aliases_en]

    @property
    def chinese_forms(self) -> list[str]:
        return [self.zh, *self.aliases_zh]


class ExpandedQuery(BaseModel):
    """A query plus the Chinese forms of the names and terms found in it."""

    model_config = ConfigDict(extra="forbid")

    original: str
    added_zh: list[str] = Field(default_factory=list)
    text: str = Field(description="original + ' ' + the added Chinese forms; what to search.")
    matched: list[str] = Field(default_factory=list, description="Canonical en of each match.")


class _Key(NamedTuple):
    entry: int
    exact: str | None  # the capitalised form a word-like acronym must appear in; else None


def _fold(text: str) -> str:
    """Accents off and quotes straightened, so 'Côte d’Ivoire' meets 'Cote d'Ivoire'."""
    text = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def _first_and_last(name: str) -> set[str]:
    words = re.findall(r"[a-z]+", name.lower())
    return {words[0], words[-1]} if words else set()


def _tokens(text: str) -> list[str]:
    """English word tokens: hyphens, apostrophes and punctuation separate ('non-State')."""
    return _EN_TOKEN.findall(_fold(text))


def _zh_norm(text: str) -> str:
    """NFKC (full-width brackets to ASCII) without spaces: how Chinese forms are compared."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def _plural(word: str) -> str | None:
    lower = word.lower()
    if lower in _IRREGULAR_PLURALS:
        return _IRREGULAR_PLURALS[lower]
    if lower.endswith("s") or not lower.isalpha() or word.isupper():
        return None
    if lower.endswith("y") and lower[-2:-1] not in tuple("aeiou"):
        return word[:-1] + "ies"
    if lower.endswith(("x", "ch", "sh", "z")):
        return word + "es"
    return word + "s"


def _inflections(tokens: list[str]) -> list[list[str]]:
    """Plural of the head noun: the word before the first preposition, else the last word."""
    head = len(tokens) - 1
    for i, tok in enumerate(tokens[1:], start=1):
        if tok.lower() in _PREPOSITIONS:
            head = i - 1
            break
    plural = _plural(tokens[head])
    return [[*tokens[:head], plural, *tokens[head + 1:]]] if plural else []


def _exact_form(form: str, tokens: list[str]) -> str | None:
    letters = "".join(tokens)
    if letters.isupper() and (len(letters) <= 2 or letters.lower() in _WORDLIKE_ACRONYMS):
        return " ".join(tokens)
    return None


def _split_aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split(";") if a.strip()]


def read_table(path: Path) -> Iterator[tuple[int, GlossaryEntry]]:
    """(line number, entry) for each row of one TSV table; GlossaryError names file and line."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise GlossaryError(f"{path}: cannot read the glossary table ({exc})") from exc
    header: list[str] | None = None
    for lineno, line in enumerate(lines, start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [c.strip() for c in line.split("\t")]
        if header is None:
            unknown = [c for c in cells if c not in COLUMNS]
            if unknown or "zh" not in cells or "en" not in cells or len(set(cells)) != len(cells):
                raise GlossaryError(f"{path}:{lineno}: bad header {cells}; expected tab-separated "
                                    f"columns among {list(COLUMNS)}, including zh and en")
            header = cells
            continue
        if len(cells) != len(header):
            raise GlossaryError(f"{path}:{lineno}: {len(cells)} tab-separated fields, expected "
                                f"{len(header)} ({', '.join(header)})")
        row: dict[str, object] = dict(zip(header, cells, strict=True))
        for col in ("aliases_en", "aliases_zh"):
            if col in row:
                row[col] = _split_aliases(str(row[col]))
        try:
            yield lineno, GlossaryEntry.model_validate(row)
        except ValidationError as exc:
            problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}"
                                 for e in exc.errors())
            raise GlossaryError(f"{path}:{lineno}: {problems}") from exc
    if header is None:
        raise GlossaryError(f"{path}: empty glossary table (no header row)")


class Glossary:
    """The loaded tables, indexed for query expansion and name lookup in both directions.

    Places (kind ``place``, ``places.tsv``: the cities and sites the outreach annexes print)
    are held apart, in `places`, a glossary of their own: drafting names them in English,
    but a place is not a name a question asks about in the reader's sense (it would become
    a constraint every answer must meet) nor a word the BM25 index should keep whole.
    """

    def __init__(self, entries: Iterable[GlossaryEntry],
                 sources: Iterable[str] | None = None, *, places_apart: bool = True) -> None:
        entries = list(entries)
        where = list(sources) if sources is not None else [f"entry {i + 1}"
                                                           for i in range(len(entries))]
        placed = [i for i, e in enumerate(entries) if places_apart and e.kind == "place"]
        kept = sorted(set(range(len(entries))) - set(placed))
        self.places: Glossary | None = Glossary([entries[i] for i in placed],
                                                [where[i] for i in placed],
                                                places_apart=False) if placed else None
        self.entries: list[GlossaryEntry] = [entries[i] for i in kept]
        where = [where[i] for i in kept]
        self._en: dict[str, _Key] = {}
        self._en_first: dict[str, int] = {}  # first token -> longest key length starting with it
        self._zh: dict[str, int] = {}
        self._zh_first: dict[str, list[str]] = {}
        for i, entry in enumerate(self.entries):
            for form in entry.english_forms:
                self._add_en(i, form, where[i], inflect=entry.kind in _INFLECTED_KINDS)
            for form in entry.chinese_forms:
                self._add_zh(i, form, where[i])
        for forms in self._zh_first.values():
            forms.sort(key=len, reverse=True)

    @classmethod
    def load(cls, folder: Path = DEFAULT_GLOSSARY_DIR) -> Glossary:
        """Every ``*.tsv`` table in ``folder`` (states first, then terms, then the rest)."""
        folder = Path(folder)
        paths = sorted(folder.glob("*.tsv"),
                       key=lambda p: (GLOSSARY_FILES.index(p.name)
                                      if p.name in GLOSSARY_FILES else len(GLOSSARY_FILES), p.name))
        if not paths:
            raise GlossaryError(f"{folder}: no glossary tables (*.tsv) found")
        entries: list[GlossaryEntry] = []
        sources: list[str] = []
        for path in paths:
            for lineno, entry in read_table(path):
                entries.append(entry)
                sources.append(f"{path}:{lineno}")
        return cls(entries, sources)

    def _add_en(self, index: int, form: str, where: str, inflect: bool) -> None:
        tokens = _tokens(form)
        if not tokens:
            raise GlossaryError(f"{where}: English form {form!r} has no letters or digits")
        variants = [tokens] + (_inflections(tokens) if inflect else [])
        for toks in variants:
            key = " ".join(t.lower() for t in toks)
            old = self._en.get(key)
            if old is not None and old.entry != index:
                if toks is not tokens:
                    continue  # a generated plural never overrides a form someone wrote
                raise GlossaryError(f"{where}: English form {form!r} already names "
                                    f"{self.entries[old.entry].en!r}")
            self._en[key] = _Key(index, _exact_form(form, toks))
            self._en_first[toks[0].lower()] = max(self._en_first.get(toks[0].lower(), 0),
                                                  len(toks))

    def _add_zh(self, index: int, form: str, where: str) -> None:
        norm = _zh_norm(form)
        old = self._zh.get(norm)
        if old is not None and old != index:
            raise GlossaryError(f"{where}: Chinese form {form!r} already names "
                                f"{self.entries[old].zh!r}")
        if old is None:
            self._zh[norm] = index
            self._zh_first.setdefault(norm[0], []).append(norm)

    # -- lookup ---------------------------------------------------------------------------

    def headed_by(self, word: str) -> list[str]:
        """The Chinese forms of the organizations and bodies whose English name begins or
        ends with `word` (compared by stem): "department" → 政治和建设和平事务部 (Department
        of Political and Peacebuilding Affairs), "organization" → 世界卫生组织."""
        wanted = stem(word)
        return list(dict.fromkeys(
            form for entry in self.entries if entry.kind in _NAMED_BODIES
            and wanted in {stem(w) for w in _first_and_last(entry.en)}
            for form in entry.chinese_forms if "(" not in form))

    def find(self, text: str) -> list[GlossaryEntry]:
        """Entries named in ``text``, in English (first) or in Chinese."""
        return self.find_english(text) + [entry for _, entry in self.find_chinese(text)]

    def find_english(self, text: str) -> list[GlossaryEntry]:
        """Entries named in English in ``text``: leftmost, longest match first, no overlaps."""
        return [self.entries[i] for i in self._match_en(text)]

    def find_chinese(self, text: str) -> list[tuple[str, GlossaryEntry]]:
        """(form as found, entry) for each Chinese name or term in ``text``, longest first."""
        return [(form, self.entries[i]) for form, i in self._match_zh(text)]

    def _match_en(self, text: str) -> list[int]:
        toks = _tokens(text)
        low = [t.lower() for t in toks]
        found: list[int] = []
        i = 0
        while i < len(toks):
            longest = min(self._en_first.get(low[i], 0), len(toks) - i)
            for n in range(longest, 0, -1):
                hit = self._en.get(" ".join(low[i:i + n]))
                if hit is not None and (hit.exact is None or " ".join(toks[i:i + n]) == hit.exact):
                    found.append(hit.entry)
                    i += n
                    break
            else:
                i += 1
        return found

    def _match_zh(self, text: str) -> list[tuple[str, int]]:
        norm = _zh_norm(text)
        found: list[tuple[str, int]] = []
        i = 0
        while i < len(norm):
            for form in self._zh_first.get(norm[i], ()):
                if norm.startswith(form, i):
                    found.append((form, self._zh[form]))
                    i += len(form)
                    break
            else:
                i += 1
        return found

    def lookup(self, name: str) -> GlossaryEntry | None:
        """The entry one name (Chinese or English, canonical or alias) stands for."""
        index = self._zh.get(_zh_norm(name))
        if index is None:
            toks = _tokens(name)
            hit = self._en.get(" ".join(t.lower() for t in toks)) if toks else None
            if hit is not None and (hit.exact is None or " ".join(toks) == hit.exact):
                index = hit.entry
        return None if index is None else self.entries[index]

    def english_name(self, zh: str) -> str | None:
        """Official English form for a Chinese name or alias ('玻利维亚' -> 'Bolivia (...)')."""
        index = self._zh.get(_zh_norm(zh))
        return None if index is None else self.entries[index].en

    def named(self, name: str) -> GlossaryEntry | None:
        """The entry a name stands for, as `lookup` finds it, or with its English "the"
        dropped ("the Gambia", "the OAS")."""
        return self.lookup(name) or self.lookup(re.sub(r"(?i)^\s*the\s+", "", name))

    def chinese_name(self, en: str) -> str | None:
        """Official Chinese form for an English name or alias ('UK' -> '大不列颠及...')."""
        entry = self.named(en)
        return None if entry is None else entry.zh

    # -- query expansion ------------------------------------------------------------------

    def expand_query(self, text: str) -> ExpandedQuery:
        """Add the Chinese forms of the English names and terms in ``text``; for a Chinese
        alias ('玻利维亚') add the canonical form. Chinese already in the text is not repeated."""
        present = _zh_norm(text)
        added: list[str] = []
        matched: list[str] = []

        def add(form: str) -> None:
            if form not in added and _zh_norm(form) not in present:
                added.append(form)

        for i in self._match_en(text):
            entry = self.entries[i]
            matched.append(entry.en)
            add(entry.zh)
            for alias in entry.aliases_zh:
                if not _BRACKETS.search(alias):  # bracketed forms are for recognition only
                    add(alias)
        for form, i in self._match_zh(text):
            entry = self.entries[i]
            if form != _zh_norm(entry.zh):
                matched.append(entry.en)
                add(entry.zh)
        full = f"{text} {' '.join(added)}" if added else text
        return ExpandedQuery(original=text, added_zh=added, text=full, matched=matched)

    # -- jieba ----------------------------------------------------------------------------

    def terms_for_jieba(self) -> list[str]:
        """Every Chinese name, term and alias that jieba could keep whole: CJK only (the
        lexical pre-tokeniser takes digits and brackets out first), two characters or more."""
        out: dict[str, None] = {}
        for entry in self.entries:
            for form in entry.chinese_forms:
                norm = _zh_norm(form)
                if _CJK_WORD.fullmatch(norm):
                    out.setdefault(norm, None)
        return list(out)

    def jieba_lines(self) -> list[str]:
        """``word freq tag`` lines for the jieba user dictionary."""
        tags: dict[str, str] = {}
        for entry in self.entries:
            for form in entry.chinese_forms:
                tags.setdefault(_zh_norm(form), _JIEBA_TAGS[entry.kind])
        words = self.terms_for_jieba()
        base = _jieba_base_freqs(frozenset(words))
        return [f"{w} {max(JIEBA_MIN_FREQ, base.get(w, 0))} {tags[w]}" for w in words]


@lru_cache(maxsize=4)
def _jieba_base_freqs(words: frozenset[str]) -> dict[str, int]:
    """jieba's own frequencies for ``words`` (read from its main dictionary file)."""
    import jieba

    out: dict[str, int] = {}
    with jieba.get_dict_file() as handle:
        for raw in handle:
            parts = raw.decode("utf-8").split(" ")
            if len(parts) >= 2 and parts[0] in words:
                out[parts[0]] = int(parts[1])
    return out


def write_jieba_dict(path: Path = DEFAULT_JIEBA_DICT,
                     glossary: Glossary | None = None) -> Path:
    """Write the jieba user dictionary generated from the glossary (committed; a test checks
    it is up to date)."""
    glossary = glossary or Glossary.load()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(line + "\n" for line in glossary.jieba_lines()), encoding="utf-8")
    return path


@lru_cache(maxsize=1)
def default_glossary() -> Glossary:
    """The project's glossary (data/glossary), loaded once per process."""
    return Glossary.load(DEFAULT_GLOSSARY_DIR)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_JIEBA_DICT
    print(write_jieba_dict(target))
