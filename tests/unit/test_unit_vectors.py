"""The meaning of every sentence and row, embedded at build time: how close a unit is to a
question even where they share few words, and an index without those vectors still answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from stubs import hash_vector

from assistant.api import Assistant
from assistant.ranker import Ranker
from index.embeddings import CachedEmbeddings
from index.passages import Passage
from index.unit_vectors import KEYS_FILE, VECTORS_FILE, UnitVectors, unit_texts
from index.units import units_of

TEXTS = ["委员会收到了九项新的援助请求。", "专家组访问了三个国家。", "网站得到定期更新。"]


class _Stub:
    """Deterministic vectors: equal texts, equal vectors."""

    model_id = "stub:unit-vectors"
    dimension = 16

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [hash_vector(t, dim=16) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return hash_vector(text, dim=16)


def _embeddings(tmp_path: Path) -> CachedEmbeddings:
    return CachedEmbeddings(_Stub(), tmp_path / "cache")  # type: ignore[arg-type]


def test_saved_vectors_read_back_and_a_text_is_closest_to_itself(tmp_path: Path) -> None:
    with _embeddings(tmp_path) as embeddings:
        UnitVectors.embed(TEXTS, embeddings).save(tmp_path)
    vectors = UnitVectors.load(tmp_path)
    assert vectors is not None and len(vectors) == len(TEXTS)
    for text in TEXTS:
        closeness = vectors.closeness(hash_vector(text, dim=16), [*TEXTS, "不在索引里的句子。"])
        assert set(closeness) == set(TEXTS)  # a text the index never embedded has none
        assert max(closeness, key=closeness.__getitem__) == text
        assert closeness[text] == pytest.approx(1.0, abs=1e-5)


@pytest.mark.parametrize("damage", ["missing", "truncated keys", "vectors of another length"])
def test_missing_or_damaged_unit_vectors_read_as_none(tmp_path: Path, damage: str) -> None:
    with _embeddings(tmp_path) as embeddings:
        UnitVectors.embed(TEXTS, embeddings).save(tmp_path)
    if damage == "missing":
        (tmp_path / VECTORS_FILE).unlink()
    elif damage == "truncated keys":
        keys = tmp_path / KEYS_FILE
        keys.write_bytes(keys.read_bytes()[:-5])
    else:
        keys = tmp_path / KEYS_FILE
        keys.write_bytes(keys.read_bytes()[:64])  # two keys for three vectors
    assert UnitVectors.load(tmp_path) is None


def test_a_row_is_embedded_with_what_its_table_is() -> None:
    table = Passage(id="d/t1", doc_id="d", doc_label="d", doc_type="other", part="附件一",
                    kind="table", locator="d 附件一 第1–2行",
                    text="1. 阿尔巴尼亚  2005年1月1日\n2. 安哥拉  2006年2月2日",
                    context="提交国家报告的会员国\n国家 | 报告日期")
    paragraph = Passage(id="d/p1", doc_id="d", doc_label="d", doc_type="other", part="正文",
                        kind="paragraph", locator="d 第1段",
                        text="委员会收到了九项新的援助请求。专家组访问了三个国家。")
    texts = unit_texts([table, paragraph])
    assert "提交国家报告的会员国\n国家 | 报告日期\n1. 阿尔巴尼亚  2005年1月1日" in texts
    assert "专家组访问了三个国家。" in texts
    assert len(texts) == len({u.meaning for p in (table, paragraph) for u in units_of(p, 0)})


def test_a_feature_the_index_cannot_give_moves_the_probability_neither_way() -> None:
    ranker = Ranker(features=["coverage", "closeness"], means=[0.3, 0.8], scales=[0.2, 0.05],
                    order_weights=[1.0, 2.0], weights=[1.5, 3.0], bias=-2.0, threshold=0.1)
    for coverage in (0.1, 0.4, 0.9):
        without = {"coverage": coverage}
        at_mean = {"coverage": coverage, "closeness": 0.8}
        assert ranker.probability(without) == pytest.approx(ranker.probability(at_mean))
        assert ranker.order(without) == pytest.approx(ranker.order(at_mean))
        assert ranker.probability({**without, "closeness": 0.9}) > ranker.probability(without)


@pytest.mark.parametrize("question", [
    "国家联络人对委员会和各国的联系有什么意义？",
    "为什么说国家联络人很重要？",
    "联络人在委员会与会员国交流中起什么作用？",
    "Why do national points of contact matter for the Committee's exchanges with States?",
])
def test_the_sentence_that_answers_a_paraphrase_is_the_closest(shared_index: Assistant,
                                                                question: str) -> None:
    reading = shared_index.read(question)
    units = {u.meaning for p in reading.passages for u in units_of(p, 0)}
    assert set(reading.closeness) == units  # the build embedded every unit it can quote
    closest = max(reading.closeness, key=reading.closeness.__getitem__)
    assert closest == "国家联络人对于促进委员会与各国之间的沟通非常重要。"


def test_an_index_without_unit_vectors_still_answers(copied_home: Path) -> None:
    for generation in (copied_home / "index" / "search").glob("g*"):
        (generation / VECTORS_FILE).unlink(missing_ok=True)
    with Assistant() as assistant:
        reading = assistant.read("2019 年委员会收到了多少份新的援助请求？")
        assert reading.closeness == {}
        answer = assistant.ask("How many new requests for assistance came in during 2019?")
    assert answer.supported and answer.text.startswith("**12**")


def test_the_shipped_ranker_reads_the_features_training_gives() -> None:
    from assistant.ranker import shipped_ranker
    from evals.train_ranker import FEATURES

    ranker = shipped_ranker()
    assert ranker is not None and ranker.features == FEATURES
    assert 0 < ranker.threshold < 1
