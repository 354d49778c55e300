"""The BM25 tokeniser keeps the committee's references whole, and the index finds them."""

from __future__ import annotations

from pathlib import Path

import bm25s
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.errors import IndexStoreError
from index.lexical import (
    DEFAULT_USER_DICT,
    LexicalIndex,
    LexicalSettings,
    Tokenizer,
    get_tokenizer,
)
from index.text import is_furniture, normalize_spacing

ROOT = Path(__file__).resolve().parents[2]

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
USER_TERMS = ["联络人", "国家执行行动计划", "援助请求", "全面审查"]


@pytest.fixture(scope="module")
def user_dict(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("jieba") / "userdict.txt"
    path.write_text("".join(f"{term} 100 n\n" for term in USER_TERMS), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def plain() -> Tokenizer:
    """No user dictionary: the tests of the pre-tokeniser must not depend on one."""
    return get_tokenizer(None)


def paragraphs(name: str) -> list[str]:
    """Crude paragraphs of a hard-wrapped record: a line ending in a space ends one."""
    out, current = [], []
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or is_furniture(line):
            continue
        current.append(line.strip())
        if line.endswith(" "):
            out.append(normalize_spacing("".join(current)))
            current = []
    return out


@pytest.fixture(scope="module")
def passages() -> dict[str, str]:
    texts = paragraphs("000_47e0968d6e4399d1.txt") + paragraphs("003_853b19a56df238b9.txt")[:6]
    return {f"p{i:02d}": text for i, text in enumerate(texts)}


@pytest.fixture(scope="module")
def index(passages: dict[str, str], user_dict: Path) -> LexicalIndex:
    idx = LexicalIndex(LexicalSettings(user_dict=user_dict))
    idx.build(list(passages), list(passages.values()))
    return idx


# --- tokeniser ---------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "whole", "parts"), [
    ("见S/2020/347号文件", "s/2020/347", ["347"]),
    ("S/RES/1540(2004)", "s/res/1540(2004)", ["1540(2004)", "1540"]),
    ("S/AC.44/2021/3", "s/ac.44/2021/3", ["ac.44", "2021"]),
    ("第1540(2004)号决议", "1540(2004)", ["1540"]),
    ("第2325(2016)号决议第5段", "2325(2016)", ["2325", "5段", "5"]),
    ("委员会收到了12份新的援助请求", "12份", ["12"]),
    ("56%的国家", "56%", ["56"]),
])
def test_references_whole_and_in_parts(plain: Tokenizer, text: str, whole: str,
                                       parts: list[str]) -> None:
    tokens = plain(text)
    assert whole in tokens
    assert set(parts) <= set(tokens)


def test_resolution_year_alone_is_not_a_token(plain: Tokenizer) -> None:
    """'2016年' must not match every mention of resolution 2325(2016)."""
    assert "2016" not in plain("第2325(2016)号决议")


@pytest.mark.parametrize(("a", "b"), [
    ("2019 年", "2019年"),
    ("第 1540 （2004）号决议", "第1540(2004)号决议"),
    ("第\n1540(2004)号决议", "第1540(2004)号决议"),
    ("２０１９年", "2019年"),
    ("2022年4月22日", "2022 年 4 月 22 日"),
    ("2022年4月22日", "2022-04-22"),
    ("Ｓ／２０２０／３４７", "S/2020/347"),
    ("States REPORTS", "state report"),
])
def test_renderings_match(plain: Tokenizer, a: str, b: str) -> None:
    assert plain(a) == plain(b)


def test_dates_have_canonical_tokens(plain: Tokenizer) -> None:
    tokens = plain("2022年4月22日")
    assert {"2022-04-22", "2022-04", "2022年", "2022", "4月"} <= set(tokens)
    assert {"2019年", "2019"} <= set(plain("自2019年以来"))


@pytest.mark.parametrize(("english", "chinese"), [
    ("notes that 47 States had done so by 31 January 2027", "2027年1月31日"),
    ("adopted on March 9, 2027, at its 10112th meeting", "2027年3月9日"),
    ("the workshop held in Santiago on 5 November 2019", "2019年11月5日"),
    ("a report submitted in May 2025", "2025年5月"),
])
def test_an_english_date_has_the_tokens_of_the_same_chinese_date(
        plain: Tokenizer, english: str, chinese: str) -> None:
    dated = [t for t in plain(chinese) if t[:4].isdigit()]
    assert set(dated) <= set(plain(english))


def test_a_month_name_without_a_year_is_only_a_word(plain: Tokenizer) -> None:
    assert not any(t.startswith("20") for t in plain("it may meet in May or June"))


def test_punctuation_and_stop_words_dropped(plain: Tokenizer) -> None:
    tokens = plain("各国的报告。（a）——“联络人”；the report, of States!")
    assert tokens
    assert all(any(ch.isalnum() for ch in t) for t in tokens)
    assert not {"的", "the", "of", "。", "（", "“"} & set(tokens)


def test_user_dict_keeps_committee_terms_whole(user_dict: Path, plain: Tokenizer) -> None:
    text = "鼓励各国自愿编制国家执行行动计划"
    assert "国家执行行动计划" not in plain(text)
    tokens = get_tokenizer(user_dict)(text)
    assert "国家执行行动计划" in tokens
    assert {"国家", "计划"} <= set(tokens)  # search mode still yields the shorter words


def test_missing_user_dict_is_ignored(tmp_path: Path) -> None:
    tk = get_tokenizer(tmp_path / "absent.txt")
    assert tk.user_dict is None
    assert "dict-none" in tk.id


def test_jieba_dictionary_is_read_on_the_first_cut_into_the_cache_dir(tmp_path: Path) -> None:
    tokenizer = Tokenizer(None, cache_dir=tmp_path / "cache")
    assert tokenizer.id and not (tmp_path / "cache").exists()  # making one reads nothing
    assert tokenizer("联络人名单") == ["联络", "联络人", "名单"]
    assert len(list((tmp_path / "cache").glob("jieba-*.sqlite"))) == 1


def test_the_dictionary_table_cuts_every_record_as_jieba_does(tmp_path: Path) -> None:
    """Words fetched one at a time, then the whole table once look-ups pass its limit: the
    records are cut as jieba cuts them with its dictionary in memory, user words included."""
    import jieba

    from index import jieba_dict

    reference = jieba.Tokenizer()
    reference.tmp_dir = str(tmp_path / "jieba")
    reference.initialize()
    reference.load_userdict(str(DEFAULT_USER_DICT))
    tokenizer = Tokenizer(DEFAULT_USER_DICT, cache_dir=tmp_path / "cache")
    lines = [line for path in sorted((ROOT / "data" / "corpus").glob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    table = tokenizer._segmenter().FREQ
    for line in lines:
        assert list(tokenizer._segmenter().cut_for_search(line)) == \
            list(reference.cut_for_search(line)), line
    assert table._complete and table._lookups > jieba_dict.LOAD_ALL_AFTER
    assert tokenizer._segmenter().total == reference.total


def test_a_damaged_dictionary_table_is_written_again(tmp_path: Path) -> None:
    first = Tokenizer(None, cache_dir=tmp_path / "cache")
    expected = first("委员会收到了援助请求")
    [table] = (tmp_path / "cache").glob("jieba-*.sqlite")
    table.write_bytes(b"not a database" * 100)
    assert Tokenizer(None, cache_dir=tmp_path / "cache")("委员会收到了援助请求") == expected


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_tokenize_total(text: str) -> None:
    for token in get_tokenizer(None)(text):
        assert token
        assert token == token.strip()
        assert not any(ch.isspace() for ch in token)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(
    ["S/2020/347", "1540(2004)", "（2004）", "2019 年", "12份", "56%", "联络人", "，", " ",
     "\n", "援助", "a", "States", "-", "2022-04-22", "第", "5", "段", "/", "％", "."]
)).map("".join))
def test_tokenize_total_on_reference_soup(text: str) -> None:
    for token in get_tokenizer(None)(text):
        assert token and not any(ch.isspace() for ch in token)


# --- index -------------------------------------------------------------------------------

@pytest.mark.parametrize(("query", "must_contain"), [
    ("S/2020/347", ["S/2020/347"]),
    ("援助请求 2019", ["援助请求", "2019年"]),
    ("联络人", ["联络人"]),
    ("国家执行行动计划", ["国家执行行动计划"]),
    ("委员会收到了多少份新的援助请求？", ["12份新的援助请求"]),
    ("第2325(2016)号决议第5段", ["第2325(2016)号决议执行部分第5段"]),
])
def test_search_finds_the_paragraph(index: LexicalIndex, passages: dict[str, str], query: str,
                                    must_contain: list[str]) -> None:
    hits = index.search(query, k=5)
    assert hits
    top = passages[hits[0][0]]
    assert all(s in top for s in must_contain), top
    assert [s for _, s in hits] == sorted((s for _, s in hits), reverse=True)


def test_search_only_returns_matches(index: LexicalIndex) -> None:
    assert index.search("，。！") == []
    assert index.search("") == []
    assert index.search("xyzzy 未出现的词语甲乙丙") == []
    assert len(index.search("委员会", k=3)) == 3


def test_allowed_filter(index: LexicalIndex) -> None:
    best = index.search("联络人", k=len(index))
    assert len(best) >= 2
    allowed = {pid for pid, _ in best[1:]} | {"no-such-id"}
    filtered = index.search("联络人", k=10, allowed=allowed)
    assert filtered and {pid for pid, _ in filtered} <= allowed
    assert filtered == best[1:11]
    assert index.search("联络人", allowed=set()) == []


def test_save_load_round_trip(index: LexicalIndex, tmp_path: Path, user_dict: Path) -> None:
    folder = tmp_path / "bm25"
    index.save(folder)
    index.save(folder)  # over an existing index
    loaded = LexicalIndex(LexicalSettings(user_dict=user_dict, k1=2.0)).load(folder)
    assert len(loaded) == len(index)
    assert loaded.settings.k1 == index.settings.k1  # the saved parameters win
    assert loaded.tokenizer_id == index.tokenizer_id
    for query in ["S/2020/347", "援助请求 2019", "联络人"]:
        assert loaded.search(query) == index.search(query)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]


def test_interrupted_save_keeps_previous(index: LexicalIndex, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, user_dict: Path) -> None:
    folder = tmp_path / "bm25"
    index.save(folder)
    other = LexicalIndex(LexicalSettings(user_dict=user_dict))
    other.build(["x"], ["无关的文本"])

    def boom(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(bm25s.BM25, "save", boom)
    with pytest.raises(OSError):
        other.save(folder)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bm25"]
    assert len(LexicalIndex(LexicalSettings(user_dict=user_dict)).load(folder)) == len(index)


def test_load_missing_raises(tmp_path: Path) -> None:
    with pytest.raises(IndexStoreError, match="rebuild"):
        LexicalIndex(LexicalSettings(user_dict=None)).load(tmp_path / "nothing")


def test_build_validates_and_empty_index(tmp_path: Path) -> None:
    idx = LexicalIndex(LexicalSettings(user_dict=None))
    with pytest.raises(ValueError, match="unique"):
        idx.build(["a", "a"], ["x", "y"])
    with pytest.raises(ValueError):
        idx.build(["a"], ["x", "y"])
    idx.build([], [])
    assert len(idx) == 0 and idx.search("联络人") == []
    idx.save(tmp_path / "empty")
    assert len(LexicalIndex(LexicalSettings(user_dict=None)).load(tmp_path / "empty")) == 0


def test_bm25_plus_and_blank_passages() -> None:
    idx = LexicalIndex(LexicalSettings(user_dict=None, method="bm25+"))
    idx.build(["a", "b", "c"], ["国家联络人", "——", "委员会收到了12份报告"])
    assert [pid for pid, _ in idx.search("联络人")] == ["a"]
    assert [pid for pid, _ in idx.search("12份")] == ["c"]


@pytest.mark.parametrize("method", ["lucene", "bm25+"])
def test_a_saved_index_is_searched_without_bm25s_as_bm25s_scores_it(
        tmp_path: Path, method: str) -> None:
    """Searching reads the saved arrays itself (`index.bm25_reader`, no SciPy): every
    score equals bm25s's own, to the bit."""
    import numpy as np

    from index.bm25_reader import SavedBM25

    texts = [line for line in (ROOT / "data" / "corpus" / "000_47e0968d6e4399d1.txt")
             .read_text(encoding="utf-8").splitlines() if len(line.strip()) > 10]
    built = LexicalIndex(LexicalSettings(method=method))  # type: ignore[arg-type]
    built.build([f"p{i}" for i in range(len(texts))], texts)
    built.save(tmp_path / "bm25")
    theirs = bm25s.BM25.load(tmp_path / "bm25" / "bm25", show_progress=False)
    ours = SavedBM25.load(tmp_path / "bm25" / "bm25")
    for text in texts[::7]:
        ids = theirs.get_tokens_ids(built.tokenize(text))
        assert ids == ours.get_tokens_ids(built.tokenize(text))
        assert np.array_equal(theirs.get_scores_from_ids(ids), ours.get_scores_from_ids(ids))
    loaded = LexicalIndex().load(tmp_path / "bm25")
    assert loaded.search(texts[3], k=5) == built.search(texts[3], k=5)
