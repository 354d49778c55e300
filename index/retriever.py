"""Hybrid retrieval: BM25 and dense rankings fused by reciprocal rank fusion.

BM25 finds exact figures, symbols and names; dense embeddings find paraphrases and carry
English questions to Chinese text. English questions are first expanded with the Chinese
forms of the names and terms they contain (the bilingual glossary), which is what lets
BM25 take part in them at all.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from index.derived import kept
from index.errors import IndexDamagedError, IndexStoreError
from index.exact_vectors import ExactVectors
from index.glossary import Glossary
from index.lexical import LexicalIndex, get_tokenizer, tokenize
from index.lexicon import LEXICON_VERSION, EnglishLexicon
from index.models import DocumentMeta
from index.passages import Passage, count_tokens
from index.query_scope import QueryScope, enumeration_items, ordinals, scope_of
from index.search_filter import SearchFilter
from index.search_index import SearchIndex, _dedupe_ids, load_passages
from index.text import SYMBOL_PATTERN, fold, is_chinese
from index.unit_vectors import UnitVectors
from index.units import units_of
from index.vectors import VectorStore

# An English word with more translations than this is too vague to add to a search.
MAX_TRANSLATIONS = 7
# A name form longer than this is a full title, searched besides the short form asked.
FULL_TITLE = 8
# The dense side embeds the question and as much of its expansion as fits in this many
# (tiktoken) tokens: embedding costs about 0.7 ms a token on 2 cores, and the words added
# last are the vaguest. (The lexical side searches the whole expansion.) Hybrid Recall@5 on
# English gold questions by budget (2026-11-24): 32 → 0.888, 40 → 0.896, 48 → 0.896,
# 56 → 0.888, 64 → 0.873: beyond 48 the vaguest words blur the vector.
DENSE_QUERY_TOKENS = 48
# Passages whose own vector is looked up when a generation is opened (`_check_vectors`).
SELF_CHECK_SAMPLES = 12
# References a delegate expects matched exactly: document symbols and resolutions.
_REFERENCE = re.compile(rf"{SYMBOL_PATTERN}|\d{{3,4}}\(\d{{4}}\)")


class HybridRetriever:
    """Hybrid search over one generation of the search index.

    `search()` returns our `Passage` objects with the score from each side;
    `as_langchain()` is the same search as a LangChain retriever (`invoke()` returns
    LangChain documents). It is no LangChain class itself: LangChain's retriever base takes
    0.8 s to import, which a one-shot `ask` would pay for nothing.
    """

    def __init__(self, k: int = 10, mode: str = "hybrid",
                 filter: SearchFilter | None = None) -> None:
        self.k = k
        self.mode = mode  # hybrid | bm25 | dense
        self.filter = filter or SearchFilter()
        self._index: SearchIndex
        self._passages: dict[str, Passage]
        self._folded: dict[str, str] = {}  # passage id → fold(text), as searches need them
        self._lexical: LexicalIndex
        self._vectors: VectorStore
        self._exact: ExactVectors | None = None
        self._glossary: Glossary | None = None
        self._metas: list[DocumentMeta] = []
        self._lexicon: EnglishLexicon | None = None
        self._by_doc: dict[str, list[Passage]] = {}
        self._doc_texts: dict[str, str] = {}
        self._doc_names: dict[str, str] = {}
        self._doc_title_tokens: dict[str, frozenset[str]] = {}
        self._generation: str | None = ""
        self._folder: Path | None = None  # its generation's folder (None: in memory)
        self._keywords_only = False
        self._units: UnitVectors | None = None  # every sentence's and row's vector
        self._english_passages = False  # English words of a Chinese query find them

    def as_langchain(self) -> Any:
        """This search as a LangChain `BaseRetriever` (`index.langchain_retriever`)."""
        from index.langchain_retriever import LangChainRetriever

        return LangChainRetriever(searcher=self)

    @classmethod
    def open(cls, index: SearchIndex, glossary: Glossary | None = None,
             metas: list[DocumentMeta] | None = None, **fields: Any) -> HybridRetriever:
        manifest = index.manifest()
        if manifest is None:
            raise IndexStoreError(
                "the search index is empty: run `committee-assistant index build`")
        folder = index.generation_dir(manifest)
        retriever = cls(**fields)
        retriever._index = index
        retriever._generation = folder.name
        retriever._folder = folder
        try:
            retriever._passages = {p.id: p for p in load_passages(folder)}
        except (OSError, ValueError) as exc:
            raise IndexDamagedError(folder / "passages.jsonl", str(exc)) from exc
        retriever._english_passages = any(p.language == "en"
                                          for p in retriever._passages.values())
        for passage in retriever._passages.values():
            retriever._by_doc.setdefault(passage.doc_id, []).append(passage)
        try:
            retriever._lexical = LexicalIndex(index.settings.lexical).load(folder / "bm25")
        except Exception as exc:  # bm25s and numpy raise many kinds on a damaged file
            raise IndexDamagedError(folder / "bm25", f"{type(exc).__name__}: {exc}") from exc
        retriever._exact = retriever._exact_vectors(index, manifest.passages)
        index.check_compatible(manifest, vectors=retriever._exact is None)
        if retriever._exact is None:
            retriever._vectors = index.vector_store(manifest.collection)
            retriever._check_vectors(index)
        retriever._units = UnitVectors.load(folder)
        retriever._glossary = glossary
        retriever._metas = list(metas or [])
        return retriever

    @classmethod
    def keywords_only(cls, index: SearchIndex, passages: list[Passage],
                      glossary: Glossary | None = None,
                      metas: list[DocumentMeta] | None = None) -> HybridRetriever:
        """BM25 alone over `passages`, indexed in memory (seconds), for answering while a
        build embeds them (minutes on a fresh clone): every search is a BM25 search,
        whatever mode is asked. Its `generation` is the one in use when it was made (None
        before the first build), so the API moves to the new one once the build is done."""
        retriever = cls(mode="bm25")
        retriever._index = index
        retriever._generation = index.current()
        retriever._keywords_only = True
        retriever._passages = {p.id: p for p in _dedupe_ids(passages)}
        retriever._english_passages = any(p.language == "en"
                                          for p in retriever._passages.values())
        for passage in retriever._passages.values():
            retriever._by_doc.setdefault(passage.doc_id, []).append(passage)
        retriever._lexical = LexicalIndex(index.settings.lexical)
        retriever._lexical.build(list(retriever._passages),
                                 [p.search_text for p in retriever._passages.values()])
        retriever._glossary = glossary
        retriever._metas = list(metas or [])
        return retriever

    @property
    def keywords_only_search(self) -> bool:
        """True for a `keywords_only` retriever: no vectors take part."""
        return self._keywords_only

    def _exact_vectors(self, index: SearchIndex, passages: int) -> ExactVectors | None:
        """The passages' vectors from the embedding cache, searched without Chroma, for an
        embedded index small enough (`vectors.exact_max`); None: Chroma searches."""
        if index.settings.vectors.mode != "embedded" or passages > index.settings.vectors.exact_max:
            return None
        ids = list(self._passages)
        return ExactVectors.from_cache(index.embeddings, ids,
                                       [self._passages[pid].search_text for pid in ids])

    def _check_vectors(self, index: SearchIndex, samples: int = SELF_CHECK_SAMPLES) -> None:
        """Passages spread over the collection must find their own vector first.

        A vector segment cut short or overwritten does not always fail loudly: Chroma may
        answer from what is left, silently wrong. Each check is a cached embedding and one
        vector query (a few milliseconds in all).
        """
        ids = sorted(self._passages)
        if not ids:
            return
        picked = [self._passages[ids[i * len(ids) // samples]]
                  for i in range(min(samples, len(ids)))]
        vectors = index.embeddings.embed_documents([p.search_text for p in picked])
        found = sum(1 for vector in vectors  # the store's own errors: `vectors_failure`
                    if (hits := self._vectors.search(vector, 1)) and hits[0][1] >= 0.995)
        if found < 0.75 * len(picked):
            index.drop_client()
            raise IndexDamagedError(
                f"vector collection {self._vectors.name}",
                f"only {found} of {len(picked)} passages find their own vector")

    @property
    def generation(self) -> str | None:
        """The index generation this retriever reads (`SearchIndex.current()` names the
        one in use)."""
        return self._generation

    @property
    def passages(self) -> dict[str, Passage]:
        return self._passages

    def closeness(self, question: str, passages: Sequence[Passage]) -> dict[str, float]:
        """How close in meaning each unit of `passages` is to the question (cosine of their
        e5 vectors), keyed by `Unit.meaning`; empty when the index has no unit vectors."""
        if not self._units:
            return {}
        vector = self._index.embeddings.embed_query(question)
        return self._units.closeness(
            vector, (unit.meaning for p in passages for unit in units_of(p, 0)))

    @property
    def lexicon(self) -> EnglishLexicon:
        """English words → the Chinese words of these passages (derived once per
        generation, `index.derived`)."""
        if self._lexicon is None:
            def derive() -> dict[str, Any]:
                lexicon = EnglishLexicon.for_vocabulary(self._lexical.vocabulary())
                # English words only bridge a Chinese question to English passages: an
                # index of Chinese ones (with a stray "Add." or "BWC") keeps none, and a
                # question then never reads the dictionary's senses (0.3 s).
                return {"mapping": {word: sorted(chinese)
                                    for word, chinese in sorted(lexicon.mapping.items())},
                        "english": lexicon.english_tokens if self._english_passages else []}

            key = f"{LEXICON_VERSION}/{self._lexical.tokenizer_id}"
            saved = kept(self._kept("lexicon.json"), key, derive)
            self._lexicon = EnglishLexicon(
                {w: set(c) for w, c in saved["mapping"].items()}, vocabulary=saved["english"])
        return self._lexicon

    def _kept(self, name: str) -> Path | None:
        return self._folder / name if self._folder is not None else None

    def document_frequencies(self) -> tuple[dict[str, int], int]:
        """In how many passages each search token occurs (as `tokenize` cuts them), and
        how many passages there are: the extractive reader's word weights (derived once
        per generation, `index.derived`)."""
        def derive() -> list[object]:
            counts: Counter[str] = Counter()
            for passage in self._passages.values():
                counts.update(set(tokenize(passage.search_text)))
            return [dict(sorted(counts.items())), len(self._passages)]

        counts, total = kept(self._kept("document_frequencies.json"),
                             f"1/{get_tokenizer().id}", derive)
        return counts, total  # type: ignore[return-value]

    def expand(self, query: str) -> str:
        """The query plus the Chinese forms of its names and terms (glossary), the way the
        records number the points it names ("三是" for "第三点"), for the other English words
        their translations that occur in the records, and last the full titles of the
        instruments and bodies it names (a table prints "《关于禁止发展、生产和储存细菌(生物)
        及毒素武器和销毁此种武器的公约》" where a question says 《生物武器公约》)."""
        expanded = self._glossary.expand_query(query) if self._glossary else None
        text = expanded.text if expanded else query
        items = enumeration_items(query)
        if items:
            text = f"{text} {' '.join(items)}"
        if not is_chinese(query):
            covered = " ".join(expanded.matched).lower() if expanded else ""
            groups, _ = self.lexicon.translate(query, covered)
            words = [w for g in groups if len(g) <= MAX_TRANSLATIONS for w in g]
        elif self._english_passages:
            # A Chinese question meets an English record through the English words that
            # translate its words ("出口" → export).
            words = [w for t in dict.fromkeys(tokenize(query))
                     if len(forms := self.lexicon.english(t)) <= MAX_TRANSLATIONS
                     for w in sorted(forms)]
        else:
            words = []
        if words:
            text = f"{text} {' '.join(words)}"
        titles = self._full_titles(text)
        return f"{text} {' '.join(titles)}" if titles else text

    def _full_titles(self, text: str) -> list[str]:
        """The long forms (over FULL_TITLE characters) of the names in `text`, states
        aside, that it does not already hold."""
        if self._glossary is None:
            return []
        found: list[str] = []
        for _, entry in self._glossary.find_chinese(text):
            found += [form for form in entry.chinese_forms if not entry.is_state
                      and len(form) > FULL_TITLE and form not in text and form not in found]
        return found

    def search(self, query: str, k: int | None = None,
               filter: SearchFilter | None = None, mode: str | None = None) -> list[Passage]:
        k = k or self.k
        mode = "bm25" if self._keywords_only else mode or self.mode
        flt = filter or self.filter
        settings = self._index.settings
        expanded = self.expand(query)
        n = max(settings.candidates, k)
        bm25: list[tuple[str, float]] = []
        dense: list[tuple[str, float]] = []
        if mode in ("hybrid", "bm25"):
            allowed = None if flt.empty else {
                pid for pid, p in self._passages.items() if flt.matches(p)}
            bm25 = self._lexical.search(expanded, k=n, allowed=allowed)
        if mode in ("hybrid", "dense"):
            vector = self._index.embeddings.embed_query(_dense_query(query, expanded))
            if self._exact is not None:
                mask = None if flt.empty else np.fromiter(
                    (flt.matches(p) for p in self._passages.values()), dtype=bool,
                    count=len(self._passages))
                dense = self._exact.search(vector, n, mask)
            else:
                dense = self._vectors.search(vector, n, flt.where())
        rankings = [(bm25, settings.bm25_weight), (dense, settings.dense_weight)]
        scope = self.scope(query)
        scoped = self._in_scope(scope, flt) if mode == "hybrid" else set()
        if scoped:
            # The documents, annexes and paragraphs the question names: their best lexical
            # matches join the fusion as a third ranking. Inside a document, the words that
            # name it ("the Chair's 2020 briefing") are in every passage's title and rank
            # nothing: the passage that answers is the one matching the rest.
            naming = frozenset(t for doc_id in scope.documents for t in self._title_tokens(doc_id))
            rankings.append((self._lexical.search(expanded, k=n, allowed=scoped, exclude=naming),
                             settings.scope_weight))
        fused = _rrf(rankings, settings.rrf_k)
        anchors = self.anchors(query)
        if anchors:
            # Passages naming every symbol, resolution and state asked about come first.
            inside = _asks_inside(query, anchors)
            satisfied = {pid: self._satisfied(pid, anchors, inside) for pid, _ in fused}
            fused.sort(key=lambda item: satisfied[item[0]], reverse=True)
        bm25_scores, dense_scores = dict(bm25), dict(dense)
        results: list[Passage] = []
        seen: list[str] = []
        for pid, score in fused:
            passage = self._passages.get(pid)
            if passage is None:
                continue
            key = self._folded_text(pid)
            if any(_near_duplicate(key, other) for other in seen):
                continue
            seen.append(key)
            results.append(passage.model_copy(update={
                "score": score, "bm25_score": bm25_scores.get(pid),
                "dense_score": dense_scores.get(pid)}))
            if len(results) >= k:
                break
        return results

    def _folded_text(self, pid: str) -> str:
        folded = self._folded.get(pid)
        if folded is None:
            folded = self._folded[pid] = fold(self._passages[pid].text)
        return folded

    def scope(self, query: str) -> QueryScope:
        """What the question names (`scope_of`), less the documents it names by type only
        whose text lacks the ordinal asked: "第十九个工作方案" is not the fourteenth programme,
        whose text says "第十四个工作方案" (the nineteenth is listed in another document)."""
        scope = scope_of(query, self._metas, self._glossary)
        asked = ordinals(query)
        if not asked or not scope.documents:
            return scope
        kept = {doc_id: strength for doc_id, strength in scope.documents.items()
                if strength >= 3 or any(o in self._document_text(doc_id) for o in asked)}
        return scope.model_copy(update={"documents": kept})

    def _document_text(self, doc_id: str) -> str:
        text = self._doc_texts.get(doc_id)
        if text is None:
            text = self._doc_texts[doc_id] = "\n".join(
                p.text for p in self._by_doc.get(doc_id, []))
        return text

    def _in_scope(self, scope: QueryScope, flt: SearchFilter) -> set[str]:
        """Passages inside the scope; a paragraph or annex not found is dropped from it."""
        if scope.empty:
            return set()
        pool = [p for doc_id in scope.documents for p in self._by_doc.get(doc_id, [])] \
            if scope.documents else self._passages.values()
        unfiltered = flt.empty
        candidates = [p for p in pool if unfiltered or flt.matches(p)]
        if scope.parts:
            narrowed = [p for p in candidates if scope.in_parts(p.part, p.locator)]
            candidates = narrowed or candidates
        if scope.paragraphs:
            narrowed = [p for p in candidates if scope.at_paragraphs(p.numbers, p.kind)]
            candidates = narrowed or candidates
        if len(candidates) == len(self._passages):
            return set()
        return {p.id for p in candidates}

    def anchors(self, query: str) -> list[list[str]]:
        """What the passage must name: each anchor is a list of equivalent forms."""
        folded = fold(query)
        found: list[list[str]] = [[ref] for ref in dict.fromkeys(_REFERENCE.findall(folded))]
        if self._glossary is not None:
            for entry in self._glossary.find(query):
                forms = [fold(f) for f in entry.chinese_forms if "(" not in f]
                if entry.is_state and forms and forms not in found:
                    found.append(forms)
        return found

    def _satisfied(self, pid: str, anchors: list[list[str]], inside: bool) -> int:
        """Anchors the passage names. With `inside` (the question asks about something in
        them, not just where a symbol is cited), its document naming one by its symbol,
        title or author counts too: a paragraph of S/2022/899 rarely prints "S/2022/899",
        nor one of China's statement "中国"."""
        passage = self._passages.get(pid)
        text = self._folded_text(pid) if pid in self._passages else ""
        if inside and passage is not None:
            text = f"{text} {self._document_names(passage)}"
        return sum(1 for forms in anchors if any(form in text for form in forms))

    def _meta(self, doc_id: str) -> DocumentMeta | None:
        return next((m for m in self._metas if m.id == doc_id), None)

    def _title_tokens(self, doc_id: str) -> frozenset[str]:
        tokens = self._doc_title_tokens.get(doc_id)
        if tokens is None:
            meta = self._meta(doc_id)
            title = f"{meta.symbol or ''} {meta.title}" if meta else ""
            tokens = self._doc_title_tokens[doc_id] = frozenset(tokenize(fold(title)))
        return tokens

    def _document_names(self, passage: Passage) -> str:
        names = self._doc_names.get(passage.doc_id)
        if names is None:
            meta = self._meta(passage.doc_id)
            parts = [passage.symbol or ""] + ([meta.title, meta.author or ""] if meta else [])
            names = self._doc_names[passage.doc_id] = fold(" ".join(parts))
        return names


def _asks_inside(query: str, anchors: list[list[str]]) -> bool:
    """Whether the question says more than its anchors: "S/2020/347" alone asks where the
    symbol is cited; "S/2022/899 中，非洲集团……" asks about something inside it."""
    rest = fold(query)
    for form in sorted((f for forms in anchors for f in forms), key=len, reverse=True):
        rest = rest.replace(form, "")
    return bool(re.search(r"[\w\u4e00-\u9fff]{2,}", rest))


def _dense_query(query: str, expanded: str) -> str:
    """The question, then the words its expansion added while they fit DENSE_QUERY_TOKENS
    (the question itself is never cut)."""
    text = query
    for word in expanded.removeprefix(query).split():
        if count_tokens(f"{text} {word}") > DENSE_QUERY_TOKENS:
            break
        text = f"{text} {word}"
    return text


def _rrf(rankings: list[tuple[list[tuple[str, float]], float]], k: int) -> list[tuple[str, float]]:
    scores: dict[str, float] = {}
    for ranking, weight in rankings:
        for rank, (pid, _) in enumerate(ranking, start=1):
            scores[pid] = scores.get(pid, 0.0) + weight / (k + rank)
    return sorted(scores.items(), key=lambda item: item[1], reverse=True)


def _near_duplicate(a: str, b: str) -> bool:
    """Same text, or one passage's text wholly inside the other's."""
    if a == b:
        return True
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return len(shorter) > 40 and shorter in longer
