"""A fresh clone: the UI opens at once, answers from keyword search while the index embeds
its passages (minutes with the real model), shows the build's progress, and says when
answers switch to hybrid search. Every wait is on the app's state, never on time."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path

import pytest
from pilot_helpers import ask, notifications, screen_text, until

from assistant import Assistant
from assistant.settings import IndexSettings, Settings
from assistant.tui import make_app
from assistant.tui.widgets.build_status import BuildStatus
from index.embeddings import CachedEmbeddings

pytestmark = pytest.mark.anyio

QUESTION = "委员会 2019 年收到的新援助请求有多少份？"


class GatedEmbeddings:
    """Embeds its first batch, then waits for the test to open the gate: the build stays
    in its embedding stage for as long as the test needs."""

    model_id = "gated-hash:1"

    def __init__(self) -> None:
        self.gate = threading.Event()
        self.batches = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.batches += 1
        if self.batches > 1:
            self.gate.wait(timeout=600)
        return [self.embed_query(text) for text in texts]

    def embed_query(self, text: str) -> list[float]:
        digest = hashlib.sha256(text.encode("utf-8")).digest()
        return [b / 255 - 0.5 for b in digest] + [1.0]


def fresh_assistant(tmp_path: Path) -> tuple[Assistant, GatedEmbeddings]:
    """An assistant on an empty home (nothing ingested, no index), whose build embeds with
    `GatedEmbeddings` instead of the model (the API has no seam for that: a test's one)."""
    settings = Settings(index=IndexSettings(dir=tmp_path / "index"))
    settings.ui.language = "en"
    assistant = Assistant(settings)
    embedder = GatedEmbeddings()
    assistant._search_index._embeddings = CachedEmbeddings(embedder, tmp_path / "cache")
    return assistant, embedder


async def test_a_fresh_clone_answers_from_keywords_while_embedding_then_switches_to_hybrid(
        tmp_path: Path) -> None:
    assistant, embedder = fresh_assistant(tmp_path)
    app = make_app(assistant.settings, assistant)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            status = app.screen.query_one(BuildStatus)
            await until(pilot, lambda: app.ready, what="keyword answers")
            assert assistant.search_mode == "bm25" and status.keywords_only
            await until(pilot, lambda: embedder.batches > 1, what="the embedding stage")
            await until(pilot, lambda: "Embedding (64/" in screen_text(app),
                        what="the embedding progress")
            assert "keyword search (BM25)" in screen_text(app)

            view = await ask(pilot, QUESTION)  # the build is still waiting at the gate
            assert embedder.batches == 2 and not embedder.gate.is_set()
            assert view.answer.supported and "12" in view.answer.text
            assert assistant.search_mode == "bm25"

            embedder.gate.set()
            await until(pilot, lambda: not status.has_class("-building"),
                        what="the build to finish")
            assert assistant.search_mode == "hybrid" and not status.keywords_only
            assert any("answers now come from hybrid search" in message
                       for _, message in notifications(app))
            view = await ask(pilot, "And in 2018?")
            assert view.answer.supported
            assert assistant.retriever().generation == "g1"
    finally:
        embedder.gate.set()
        assistant.close()
