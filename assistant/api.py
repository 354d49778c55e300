"""The assistant's public API: what the CLI, the TUI and a Python user all call."""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from assistant import multipart, paths
from assistant.answers import Answer, Citation, Timings
from assistant.chairs import answer_about_chair
from assistant.conversations import (
    Conversation,
    ConversationError,
    ConversationInfo,
    ConversationStore,
    final_answer,
)
from assistant.extractive import ExtractiveAnswerer
from assistant.followups import resolve
from assistant.question import (
    MAX_QUESTION_CHARS,
    analyse,
    clean_question,
    focus_of,
    in_records_script,
    question_parts,
)
from assistant.ranker import shipped_ranker
from assistant.reading import Reading
from assistant.record_answers import answer_document_date, answer_from_records
from assistant.settings import Settings
from index.errors import IndexStoreError, QuestionError, RecordQueryError
from index.glossary import Glossary
from index.ingest import PARSER_VERSION, Ingestor, IngestReport, Progress
from index.metadata import MetadataOverride
from index.models import Block, Document, DocumentMeta, TableRow
from index.passages import CHUNKER_VERSION, Chunker, Passage
from index.record_passages import record_passages
from index.records import Record
from index.search_filter import SearchFilter
from index.search_index import BuildProgress, BuildStats, Manifest, SearchIndex
from index.text import fold

if TYPE_CHECKING:  # drafting and the LLM backend are imported where they are used
    from langchain_core.language_models import BaseChatModel

    from assistant.drafting import Draft
    from assistant.llm import LLMAnswerer
    from assistant.llm_check import LLMCheck
    from index.retriever import HybridRetriever


# A citation of a table row ("S/2022/899 附件一 第51行").
_TABLE_ROW = re.compile(r"第\d+(?:[–-]\d+)?行$")
_HAN = re.compile(r"[\u3400-\u9fff]")  # a name in Chinese (else it must be in the glossary)


def _dated(answer: Answer, metas: dict[str, DocumentMeta]) -> Answer:
    """Every citation with its document's date: a table row's too (the records' answers
    cite rows without one)."""
    def dated(citation: Citation) -> Citation:
        meta = metas.get(citation.doc_id)
        if citation.date or meta is None or meta.date is None:
            return citation
        return citation.model_copy(update={"date": meta.date.isoformat()})

    return answer.model_copy(update={"citations": [dated(c) for c in answer.citations],
                                     "see_also": [dated(c) for c in answer.see_also]})


class Assistant:
    """One index directory and everything that can be asked of it."""

    @classmethod
    def open(cls, settings: Settings | None = None) -> Assistant:
        """Settings from the config file and environment; the index is built on first use
        (ingesting the shipped records if nothing is ingested yet)."""
        assistant = cls(settings)
        assistant.build_index(check_vectors=False)
        return assistant

    def __init__(self, settings: Settings | None = None,
                 chat_model: BaseChatModel | None = None) -> None:
        """`chat_model` replaces the model the LLM settings name (tests pass a fake one)."""
        self.settings = settings or Settings()
        self._chat_model = chat_model
        self._llm: LLMAnswerer | None = None
        self._extractive: ExtractiveAnswerer | None = None
        self._conversations: ConversationStore | None = None
        self._ingestor = Ingestor(self.settings.index.dir, self.settings.index.metadata_file)
        self._search_index = SearchIndex(self.settings.index.dir / "search", self.settings.search,
                                         cache_dir=self.settings.index.embedding_cache_dir)
        self._retriever: HybridRetriever | None = None
        self._glossary: Glossary | None = None

    def close(self) -> None:
        self._ingestor.close()
        if self._conversations is not None:
            self._conversations.close()
            self._conversations = None

    def __enter__(self) -> Assistant:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- building ------------------------------------------------------------------
    def ingest(self, paths: Iterable[Path], *, force: bool = False,
               progress: Progress | None = None,
               metadata: MetadataOverride | None = None) -> IngestReport:
        """`metadata` fills or overrides what one file's text shows (its type, symbol ...)."""
        return self._ingestor.ingest(paths, force=force, progress=progress, metadata=metadata)

    def ensure_corpus(self, progress: Progress | None = None) -> IngestReport | None:
        """Ingest the shipped records when the index holds no document yet, or holds
        documents read by an older parser (unchanged files read by this one are skipped)."""
        metas = self.documents()
        if metas and all(m.parser_version == PARSER_VERSION for m in metas):
            if any(not m.symbol for m in metas):  # ingested before symbols from records
                self._ingestor.symbols_from_records()
            return None
        return self.ingest([self.settings.index.corpus], progress=progress)

    def build_index(self, paths: Iterable[Path] = (), *, progress: Progress | None = None,
                    build_progress: BuildProgress | None = None, check_vectors: bool = True
                    ) -> tuple[IngestReport | None, BuildStats]:
        """Ingest `paths` (or the shipped records, if nothing is ingested yet), then bring
        the search index in line with the documents. `check_vectors=False` trusts the
        manifest when the index is searched from the cached vectors (a small embedded
        one), so that opening it does not open the vector store (1.5 s): `open()` and the
        UI; `index build` checks the store too."""
        paths = list(paths)
        report = self.ingest(paths, progress=progress) if paths else \
            self.ensure_corpus(progress=progress)
        unchanged = None if check_vectors or self._ingestor.pending_removals() else \
            self._search_index.unchanged(self._fingerprints())
        return report, unchanged or self._sync_search_index(build_progress)

    def remove(self, name: str, *, build_progress: BuildProgress | None = None
               ) -> tuple[DocumentMeta, BuildStats]:
        """Take a document (symbol, id or file name) out of the index: its paragraphs,
        records, passages and vectors. Crash-safe: the removal is recorded first, and an
        interrupted one is finished by the next removal or build."""
        meta = self._ingestor.begin_removal(name)
        stats = self._sync_search_index(build_progress)
        self._ingestor.end_removals()
        return meta, stats

    def _sync_search_index(self, build_progress: BuildProgress | None) -> BuildStats:
        """Bring the search index in line with the stored documents (finishing any
        interrupted removal first)."""
        removing = self._ingestor.resume_removals()
        store = self._ingestor.documents
        metas = {m.id: m for m in store.documents()}
        documents = self._fingerprints()
        chunker = Chunker(self.settings.search.chunk_tokens, self.settings.search.rows_per_group)

        def records() -> list[Passage]:
            loaded = {doc_id: store.load(doc_id) for doc_id in metas}
            return record_passages(self._ingestor.records.query(None), loaded)

        stats = self._search_index.build(
            documents, lambda doc_id: chunker.passages(store.load(doc_id)), records,
            progress=build_progress)
        if removing:
            self._ingestor.end_removals()
        self._retriever = None
        self._extractive = None
        return stats

    def answer_while_building(self) -> bool:
        """Before a build that must change the index (a fresh clone's: minutes of
        embedding): answer from BM25 over the documents as stored now, indexed in memory in
        seconds, until the build is done; then answers are hybrid again by themselves.
        True when answers are now keyword-only (`search_mode`); False when the index
        already matches the documents or nothing is ingested."""
        manifest = self._search_index.manifest()
        metas = self.documents()
        if not metas or (manifest is not None and manifest.documents == self._fingerprints()):
            return False
        from index.retriever import HybridRetriever

        store = self._ingestor.documents
        chunker = Chunker(self.settings.search.chunk_tokens, self.settings.search.rows_per_group)
        loaded = {meta.id: store.load(meta.id) for meta in metas}
        passages = [p for doc in loaded.values() for p in chunker.passages(doc)]
        passages += record_passages(self._ingestor.records.query(None), loaded)
        self._retriever = HybridRetriever.keywords_only(self._search_index, passages,
                                                        self.glossary, metas=metas)
        self._extractive = None
        return True

    @property
    def search_mode(self) -> str:
        """"bm25" while answers come from keywords alone (`answer_while_building`), else
        "hybrid" (keywords and vectors)."""
        retriever = self._retriever
        return "bm25" if retriever is not None and retriever.keywords_only_search and \
            retriever.generation == self._search_index.current() else "hybrid"

    def _fingerprints(self) -> dict[str, str]:
        """Document id → what the search index must have been built from."""
        return {meta.id: f"{meta.fingerprint}/c{CHUNKER_VERSION}" for meta in self.documents()}

    def index_manifest(self) -> Manifest | None:
        return self._search_index.manifest()

    def index_size(self) -> int:
        return self._search_index.size_bytes()

    def clear_index(self) -> None:
        """Remove the search index and the ingested documents and records."""
        self.close()
        self._search_index.clear()
        for name in ("documents.sqlite", "records.sqlite"):
            for path in self.settings.index.dir.glob(name + "*"):
                path.unlink()
        self._ingestor = Ingestor(self.settings.index.dir, self.settings.index.metadata_file)
        self._retriever = None

    @property
    def glossary(self) -> Glossary:
        if self._glossary is None:
            self._glossary = Glossary.load(self.settings.index.glossary)
        return self._glossary

    def retriever(self) -> HybridRetriever:
        """The retriever over the generation in use; after a rebuild (by this process or
        another) the next call opens the new one."""
        if self._retriever is not None and \
                self._retriever.generation != self._search_index.current():
            self._retriever = None
            self._extractive = None
        if self._retriever is None:
            from index.retriever import HybridRetriever

            self._retriever = HybridRetriever.open(self._search_index, self.glossary,
                                                   metas=self.documents())
        return self._retriever

    def warm_up(self) -> None:
        """Load what the first question needs (retriever, query embedder, extractive
        answerer), so that a UI can do it while the delegate is still typing."""
        self.search("联络人", k=1)
        self._answerer()

    def search(self, query: str, *, k: int = 10, filter: SearchFilter | None = None,
               mode: str = "hybrid") -> list[Passage]:
        """Ranked passages for a question, with locators and the score from each side
        (traditional characters and full-width digits read as the records print them)."""
        return self.retriever().search(in_records_script(query), k=k, filter=filter, mode=mode)

    # -- answering -----------------------------------------------------------------
    def ask(self, question: str, filters: SearchFilter | dict[str, object] | None = None,
            *, history: Sequence[str] = (), replies: Sequence[str] = (),
            mode: str = "hybrid") -> Answer:
        """A cited answer. `history` holds earlier questions of the conversation (as
        resolved), oldest first, so that follow-ups are understood, and `replies` the
        answers given to them (read by the LLM backend); `mode` (hybrid, bm25, dense) is
        the retrieval the answer is drawn from."""
        return final_answer(self._answer(question, filters, history, replies, mode,
                                         stream=False))

    def ask_stream(self, question: str,
                   filters: SearchFilter | dict[str, object] | None = None, *,
                   history: Sequence[str] = (), replies: Sequence[str] = (),
                   mode: str = "hybrid") -> Iterator[str | Answer]:
        """`ask`, with the answer's words as the LLM writes them: pieces of its answer text
        (a preview, not yet checked), then the checked `Answer`, always the last item. The
        extractive and records answers come whole, as that one item."""
        return self._answer(question, filters, history, replies, mode, stream=True)

    def _answer(self, question: str, filters: SearchFilter | dict[str, object] | None,
                history: Sequence[str], replies: Sequence[str], mode: str, *,
                stream: bool, continues: bool = False) -> Iterator[str | Answer]:
        """`continues`: the question is a later part of one the delegate asked ("……有几个？
        到2019年还剩几个？"), about what the part before it is about."""
        started = time.perf_counter()
        question_asked = clean_question(question)
        if not question_asked:
            raise QuestionError("the question is empty: type a question about the records")
        if len(question_asked) > MAX_QUESTION_CHARS:
            raise QuestionError(
                f"the question is {len(question_asked):,} characters long; ask it in at most "
                f"{MAX_QUESTION_CHARS:,} (one question at a time works best)")
        # Traditional characters and full-width digits read as the records print them.
        question = in_records_script(question_asked)
        llm = self._llm_answerer()
        if llm is not None and history:
            pairs = list(zip(history, [*replies, *[""] * len(history)], strict=False))
            question = llm.condense(pairs, question)
        reading = self.read(question, filters, history=history, replies=replies, mode=mode,
                            continues=continues)
        retrieved = time.perf_counter()
        answerer = self._answerer()
        resolved, analysis, whole = reading.resolved, reading.analysis, reading.whole
        whole_question, passages, scope = reading.whole_question, reading.passages, reading.scope
        metas, titles, context_terms = reading.metas, reading.titles, reading.context_terms

        def extractive() -> Answer:
            return answerer.answer(analysis, passages, scope, titles, extra_terms=context_terms,
                                   closeness=reading.closeness)

        # The state that speaks in a document the question names ("China's statement")
        # is not what the question asks about.
        speakers = " ".join(f"{m.author or ''}{m.title}" for m in metas.values()
                            if m.id in scope.documents)
        asked = whole.model_copy(update={"states": [
            forms for forms in whole.states if not any(f in speakers for f in forms)]})

        def label_of(doc_id: str) -> str:
            return metas[doc_id].label if doc_id in metas else doc_id

        row_of = self._row_finder()  # loads each document once for all the answers below
        records = answer_from_records(
            asked, lambda record_type: self.records(record_type), row_of, label_of,
            annexes=scope.parts, glossary=self.glossary, documents=sorted(scope.documents))
        if records is None or not records.supported:
            # Who chaired, from where, when (the chairs' record, cited to its paragraph);
            # when a document named by its symbol was issued (its row of annex XXII).
            records = answer_about_chair(
                whole, self.records("chairs"), self._passage_of, metas, self.glossary) or \
                answer_document_date(whole, self.records("documents"), row_of, label_of,
                                     self.glossary, sorted(scope.documents)) or records
        if records is not None and records.supported:
            answer = records
        elif llm is not None and stream:
            for item in llm.answer_stream(whole_question, passages,
                                          language=analysis.language, fallback=extractive):
                if isinstance(item, str):
                    yield item
                else:
                    answer = item
        elif llm is not None:
            answer = llm.answer(whole_question, passages, language=analysis.language,
                                fallback=extractive)
        else:
            answer = extractive()
            if records is not None and (not answer.supported or all(
                    _TABLE_ROW.search(c.locator) for c in answer.citations)):
                # "The annex does not list Egypt" says more than "nothing found", and more
                # than rows of another annex: Egypt's national reports are no action plan.
                answer = records.model_copy(update={
                    "see_also": answer.see_also or answer.citations})
            if not answer.supported:
                # No sentence says it: how many rows of that kind, or which, are dated in the
                # years asked, computed from the rows themselves.
                counted = answer_from_records(
                    asked, lambda record_type: self.records(record_type), row_of, label_of,
                    annexes=scope.parts, glossary=self.glossary,
                    documents=sorted(scope.documents), by_year=True)
                answer = counted if counted is not None and counted.supported else answer
        if llm is None and (not multipart.AS_WHOLE_UNLESS_REFUSED or not answer.supported):
            parts = question_parts(resolved.question)
            if len(parts) > 1:
                answer = self._answer_each(parts, filters, history, mode, analysis.language,
                                           answer)
        done = time.perf_counter()
        # "Understood as …" only for a question read differently from how it was typed.
        rewritten = resolved.is_followup or question != question_asked
        understood = resolved.question if rewritten and \
            fold(resolved.question).casefold() != fold(question_asked).casefold() else None
        yield _dated(answer, metas).model_copy(update={
            "question": question_asked,
            "resolved_question": understood,
            "timings": Timings(retrieve_ms=(retrieved - started) * 1000,
                               answer_ms=(done - retrieved) * 1000,
                               total_ms=(done - started) * 1000),
        })

    def _answer_each(self, parts: Sequence[str], filters: SearchFilter | dict[str, object] | None,
                     history: Sequence[str], mode: str, language: str, whole: Answer) -> Answer:
        """Each part of a several-part question answered on its own, the earlier parts
        its conversation; the whole question's answer when no part is answered."""
        answers: list[Answer] = []
        earlier = list(history)
        for part in parts:
            answer = final_answer(self._answer(part, filters, earlier, (), mode, stream=False,
                                               continues=bool(answers)))
            if answers and (computed := multipart.difference_of_earlier(
                    analyse(part, self.glossary, self._answerer().lexicon), answers[-1],
                    self.glossary)):
                answer = computed
            answers.append(answer)
            earlier.append(answer.resolved_question or part)
        if not any(a.supported for a in answers):
            return whole
        return multipart.joined(whole.question, answers, language)

    def read(self, question: str, filters: SearchFilter | dict[str, object] | None = None, *,
             history: Sequence[str] = (), replies: Sequence[str] = (),
             mode: str = "hybrid", continues: bool = False) -> Reading:
        """The question resolved in its conversation, analysed, and the passages retrieved
        for it: what every answer stage reads."""
        resolved = resolve(in_records_script(clean_question(question)), list(history),
                           self.glossary, list(replies), continues=continues)
        flt = filters if isinstance(filters, SearchFilter) or filters is None else \
            SearchFilter.model_validate(filters)
        retriever = self.retriever()
        passages = retriever.search(resolved.search, k=self.settings.answer.k, filter=flt,
                                    mode=mode)
        lexicon = self._answerer().lexicon
        analysis = analyse(resolved.question, self.glossary, lexicon)
        # The records are read from the whole question, premise included (a question that
        # opens with what it takes as given: "X did Y in 2018. When exactly?").
        whole_question = resolved.premise + resolved.question
        whole = analyse(whole_question, self.glossary, lexicon) if resolved.premise \
            else analysis
        if resolved.premise:
            # What a premise names ("The note reports a seminar in Quito. Who ran it?") is
            # what the answer is about; the constraints are the question's own.
            analysis = analysis.model_copy(update={
                "terms": whole.terms, "groups": whole.groups,
                "translations": whole.translations, "untranslated": whole.untranslated})
        if resolved.focus:
            analysis = analysis.model_copy(update={
                "focus": focus_of(resolved.focus, self.glossary, lexicon)})
        context = analyse(resolved.context, self.glossary) if resolved.context else None
        if context and not analysis.states and context.states:
            # A follow-up that names no state ("and the last of them?") is about the state
            # of the turn before it.
            analysis = analysis.model_copy(update={
                "states": context.states,
                "groups": analysis.groups + [g for g in context.groups if g in context.states]})
        return Reading(resolved=resolved, analysis=analysis, whole=whole,
                       whole_question=whole_question,
                       context_terms=context.terms if context else [], passages=passages,
                       scope=retriever.scope(resolved.search),
                       metas={m.id: m for m in self.documents()},
                       closeness=retriever.closeness(whole_question, passages)
                       if mode != "bm25" else {})

    def _passage_of(self, doc_id: str, locator: str) -> Passage | None:
        """The indexed passage of a document at a locator (a paragraph's first part)."""
        return next((p for p in self.retriever().passages.values() if p.doc_id == doc_id
                     and (p.locator == locator or p.locator.startswith(f"{locator} ("))), None)

    def _row_finder(self) -> Callable[[str, str], tuple[Block, TableRow] | None]:
        """Finds the table and row a record was read from; each document is loaded and
        indexed once per finder, however many of its rows an answer lists."""
        rows: dict[str, dict[str, tuple[Block, TableRow]]] = {}

        def find(doc_id: str, row_id: str) -> tuple[Block, TableRow] | None:
            if doc_id not in rows:
                rows[doc_id] = self.document(doc_id).rows_by_id()
            return rows[doc_id].get(row_id)

        return find

    def _llm_answerer(self) -> LLMAnswerer | None:
        """The LLM backend when the settings ask for it (built once)."""
        if self.settings.answer.backend != "llm":
            return None
        if self._llm is None:
            from assistant.llm import LLMAnswerer

            titles = {m.id: m.title for m in self.documents()}
            self._llm = LLMAnswerer(self.settings.answer.llm, self._chat_model, titles=titles)
        return self._llm

    def _answerer(self) -> ExtractiveAnswerer:
        if self._extractive is None:
            retriever = self.retriever()
            self._extractive = ExtractiveAnswerer(
                retriever.passages.values(), self.glossary, retriever.lexicon,
                min_coverage=self.settings.answer.min_coverage, ranker=shipped_ranker(),
                document_frequencies=retriever.document_frequencies())
        return self._extractive

    # -- drafting -----------------------------------------------------------------
    def draft_briefing(self, *, topic: str | None = None, state: str | None = None,
                       period: tuple[int, int] | None = None, language: str = "zh",
                       today: dt.date | None = None,
                       llm: BaseChatModel | bool | None = None) -> Draft:
        """A briefing note on a topic, a state or a period, every line cited; its prose
        reworded by the chat model when `llm` (default: `answer.backend`) says so."""
        from assistant import drafting

        return drafting.draft_briefing(self, topic=topic, state=state, period=period,
                                       language=language, today=today, llm=llm)

    def draft_outreach_summary(self, *, year: int | None = None,
                               period: tuple[int, int] | None = None, region: str | None = None,
                               organisation: str | None = None, state: str | None = None,
                               language: str = "zh", today: dt.date | None = None,
                               llm: BaseChatModel | bool | None = None) -> Draft:
        """The outreach events of a year, period, region, organisation or state, cited."""
        from assistant import drafting

        return drafting.draft_outreach_summary(self, year=year, period=period, region=region,
                                               organisation=organisation, state=state,
                                               language=language, today=today, llm=llm)

    def drafting_model(self) -> BaseChatModel:
        """The chat model that rewords drafts: the one this assistant was given, else the
        one `answer.llm` names (`BackendError` when it cannot be set up)."""
        if self._chat_model is not None:
            return self._chat_model
        llm = self._llm_answerer()
        if llm is not None:
            return llm.chat_model
        from assistant.llm import make_chat_model

        return make_chat_model(self.settings.answer.llm)

    def check_llm(self, question: str | None = None) -> LLMCheck:
        """One question through the model `answer.llm` names, end to end, whatever
        `answer.backend` says: latency, tokens, whether the reply parsed and verified, and
        what to do about each failure (`committee-assistant llm check`)."""
        from assistant.llm_check import CHECK_QUESTION, check_llm

        question = question or CHECK_QUESTION
        passages = self.search(question, k=self.settings.answer.k)
        language = "zh" if re.search(r"[\u3400-\u9fff]", question) else "en"
        titles = {meta.id: meta.title for meta in self.documents()}
        return check_llm(self.settings.answer.llm, passages, question=question, language=language,
                         chat_model=self._chat_model, titles=titles)

    # -- conversations --------------------------------------------------------------
    @property
    def conversation_store(self) -> ConversationStore:
        if self._conversations is None:
            self._conversations = ConversationStore(paths.conversations_file())
        return self._conversations

    def conversation(self, conversation_id: str | None = None) -> Conversation:
        """A new conversation, or the saved one with this id (resumed where it stopped)."""
        store = self.conversation_store
        if conversation_id is None:
            conversation_id = store.create()
        elif not store.exists(conversation_id):
            raise ConversationError(
                f"no conversation {conversation_id!r}: `committee-assistant conversations` "
                "lists them")
        return Conversation(self, conversation_id)

    def conversations(self) -> list[ConversationInfo]:
        return self.conversation_store.list()

    # -- reading -------------------------------------------------------------------
    def documents(self) -> list[DocumentMeta]:
        return self._ingestor.documents.documents()

    def document(self, name: str) -> Document:
        """A document by symbol (S/2022/899), id or original file name."""
        return self._ingestor.documents.load(name)

    def paragraph(self, name: str, number: int, part: str | None = None) -> list[Block]:
        """A numbered paragraph with its sub-paragraphs (body text before covering letter)."""
        document = self.document(name)
        found = document.numbered(number)
        if part is not None:
            found = [b for b in found if b.part == part]
        elif found:
            first_part = found[0].part
            found = [b for b in found if b.part == first_part]
        if not found:
            numbers = sorted({b.number for b in document.paragraphs() if b.number})
            span = f"1–{numbers[-1]}" if numbers else "none: its paragraphs are unnumbered"
            raise IndexStoreError(
                f"{document.meta.label} has no paragraph {number} (numbered paragraphs: {span})"
            )
        return found

    def records(self, record_type: str, *, state: str | None = None,
                date_from: dt.date | None = None, date_to: dt.date | None = None,
                text: str | None = None) -> list[Record]:
        """Records of one type. `state` is a state or organisation named in Chinese or
        English, by its official name or a short form ("Botswana", "OAS", "博茨瓦纳"),
        or part of a Chinese name ("几内亚" finds the three Guineas)."""
        return self._ingestor.records.query(record_type, state=self.state_forms(state),
                                            date_from=date_from, date_to=date_to, text=text)

    def documents_naming(self, name: str) -> list[str]:
        """The ids of the documents that name a state or organisation, by any of its
        names ("Botswana", "OAS", "博茨瓦纳"), in their text or their records."""
        forms = self.state_forms(name) or []
        folded = [fold(form) for form in forms]
        named = {r.doc_id for r in self._ingestor.records.query(None, state=forms)}
        named |= {p.doc_id for p in self.retriever().passages.values()
                  if p.doc_id not in named and any(f in fold(p.text) for f in folded)}
        return [meta.id for meta in self.documents() if meta.id in named]

    def state_forms(self, name: str | None) -> list[str] | None:
        """The Chinese forms the records write a named state or organisation in (the
        glossary's official form and its short forms), for any of its names."""
        if name is None or not name.strip():
            return None
        entry = self.glossary.named(name.strip())
        if entry is not None:
            return entry.chinese_forms
        if not _HAN.search(name):
            raise RecordQueryError(
                f"no state or organisation is called {name.strip()!r} in the glossary "
                f"({self.settings.index.glossary}): give its name as the United Nations "
                "writes it (e.g. Botswana, OAS) or in Chinese")
        return [name.strip()]

    def record_counts(self) -> dict[str, int]:
        return dict(self._ingestor.records.counts())

    def record_types(self) -> list[str]:
        return list(self._ingestor.records.record_types())
