"""`index rebuild`: a fresh index from the records' source files, swapped in whole.

The repair for a damaged index (`IndexDamagedError`). Nothing of the old index is read but
the list of files it was built from and, when it is sound, the embedding cache (so that a
rebuild costs minutes only when the cache is gone too). The new index is built in a
sibling folder and renamed into place only once complete: a rebuild killed half way leaves
the old index as it was, and the next rebuild starts again from scratch. Saved
conversations live outside the index folder and are never touched.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.api import Assistant
from assistant.settings import Settings
from index.durable import connect
from index.embeddings import CACHE_FILE
from index.errors import AssistantError, IndexStoreError
from index.ingest import SOURCES_FILE, IngestReport, Progress
from index.search_index import INDEX_ID_FILE, BuildProgress, BuildStats


def rebuild_index(settings: Settings, *, progress: Progress | None = None,
                  build_progress: BuildProgress | None = None
                  ) -> tuple[IngestReport | None, BuildStats]:
    index_dir = settings.index.dir
    staging = index_dir.with_name(index_dir.name + ".rebuild")
    retired = index_dir.with_name(index_dir.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    sources = _sources(index_dir, settings.index.corpus)
    cache = settings.index.embedding_cache_dir
    inside = settings.index.embedding_cache is None  # the default cache lives in the index
    if not _cache_sound(cache):
        cache = staging / "cache"
    staged = settings.model_copy(deep=True)
    staged.index.dir = staging
    staged.index.embedding_cache = cache
    # On a Chroma server the collections are named after the folder's id: keep it, so the
    # new build replaces the old index's collections instead of leaving them behind.
    index_id = index_dir / "search" / INDEX_ID_FILE
    if index_id.exists():
        (staging / "search").mkdir(parents=True)
        shutil.copy2(index_id, staging / "search" / INDEX_ID_FILE)
    with Assistant(staged) as fresh:
        report, stats = fresh.build_index(sources, progress=progress,
                                          build_progress=build_progress)
    if report is not None and not report.documents:
        raise IndexStoreError(f"no records could be read from {', '.join(map(str, sources))}; "
                              f"the old index is left in place")
    shutil.rmtree(retired, ignore_errors=True)
    if index_dir.exists():
        index_dir.rename(retired)
    staging.rename(index_dir)
    if inside and cache == settings.index.embedding_cache_dir and retired.exists():
        (retired / "cache").rename(index_dir / "cache")
    shutil.rmtree(retired, ignore_errors=True)
    return report, stats


def _sources(index_dir: Path, corpus: Path) -> list[Path]:
    """The files the old index was built from that still exist, else the shipped records."""
    try:
        listed = (index_dir / SOURCES_FILE).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        listed = []
    found = [Path(line) for line in listed if line.strip() and Path(line).is_file()]
    return found or [corpus]


def _cache_sound(cache: Path) -> bool:
    if not (cache / CACHE_FILE).exists():
        return True  # nothing to lose: it starts empty
    try:
        connect(cache / CACHE_FILE).close()
    except AssistantError:
        return False
    return True
