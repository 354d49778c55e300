"""The glossary knows every state the records name, and expands English queries into Chinese."""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from index.glossary import (
    DEFAULT_GLOSSARY_DIR,
    DEFAULT_JIEBA_DICT,
    Glossary,
    GlossaryError,
    read_table,
)

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
REVIEW_2022 = CORPUS / "001_f843830d9c5f1633.txt"

# Printed in S/2022/899 annexes 一 and 五, including names the PDF wrapped over lines.
REPRESENTATIVE = [
    "阿富汗", "安提瓜和巴布达", "多民族玻利维亚国", "波斯尼亚和黑塞哥维那", "博茨瓦纳",
    "文莱达鲁萨兰国", "佛得角", "中非共和国", "中国", "刚果", "科特迪瓦", "捷克",
    "刚果民主共和国", "多米尼加共和国", "斯威士兰", "几内亚比绍", "伊朗(伊斯兰共和国)",
    "老挝人民民主共和国", "密克罗尼西亚联邦", "北马其顿", "大韩民国", "摩尔多瓦共和国",
    "俄罗斯联邦", "圣文森特和格林纳丁斯", "阿拉伯叙利亚共和国", "东帝汶", "土耳其",
    "大不列颠及北爱尔兰联合王国", "坦桑尼亚联合共和国", "美利坚合众国",
    "委内瑞拉玻利瓦尔共和国", "越南",
]


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load(DEFAULT_GLOSSARY_DIR)


def annex_states(annex: str, next_annex: str) -> list[str]:
    """The `N. name` rows of one annex of S/2022/899, wrapped names joined."""
    lines = REVIEW_2022.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == annex)
    end = next(i for i, line in enumerate(lines) if i > start and line.strip() == next_annex)
    names: list[str] = []
    i = start
    while i < end:
        m = re.match(r"^\s*(\d{1,3})\.\s*(\S.*?)\s*$", lines[i])
        i += 1
        if not m:
            continue
        assert int(m.group(1)) == len(names) + 1, f"numbering broken at line {i}: {lines[i - 1]}"
        name = re.split(r"\s*\d{4}\s*年", m.group(2))[0].strip()
        if name != m.group(2).strip():  # a report date follows on the same line: name complete
            names.append(name)
            continue
        while i < end:  # the PDF wrapped the name: join lines until a date or the next row
            nxt = lines[i].strip()
            if not nxt:
                i += 1
                continue
            furniture = nxt.startswith(("http", "附件", "国家", "S/"))
            if furniture or re.match(r"^\d", nxt) or "年" in nxt:
                break
            name += nxt
            i += 1
        names.append(name)
    return names


def test_all_member_states_and_observers(glossary: Glossary) -> None:
    members = [e for e in glossary.entries if e.kind == "member_state"]
    observers = {e.en for e in glossary.entries if e.kind == "observer_state"}
    assert len(members) == 193
    assert len({e.zh for e in members}) == len({e.en for e in members}) == 193
    assert observers == {"Holy See", "State of Palestine"}


@pytest.mark.parametrize(("annex", "next_annex", "count"),
                         [("附件一", "附件二", 185), ("附件五", "附件六", 137)])
def test_every_state_printed_in_the_annexes_is_known(glossary: Glossary, annex: str,
                                                     next_annex: str, count: int) -> None:
    names = annex_states(annex, next_annex)
    assert len(names) == count
    unknown = [n for n in names if (e := glossary.lookup(n)) is None or not e.is_state]
    assert unknown == []


@pytest.mark.parametrize("name", REPRESENTATIVE)
def test_representative_names(glossary: Glossary, name: str) -> None:
    assert glossary.english_name(name) is not None
    assert name in annex_states("附件一", "附件二") + annex_states("附件五", "附件六")


@pytest.mark.parametrize(("query", "expected"), [
    ("On what date did Botswana hand in its national implementation action plan?",
     ["博茨瓦纳", "国家执行行动计划"]),
    ("How many points of contact did the committee receive from international organizations?",
     ["联络人", "国际组织"]),
    ("What did China say about peer review?", ["中国", "同行审议"]),
    ("Bolivia", ["多民族玻利维亚国"]),
    ("UK", ["大不列颠及北爱尔兰联合王国", "英国"]),
    ("Which States submitted action plans?", ["国家执行行动计划"]),
    ("How many matrices were approved?", ["汇总表"]),
    ("What did the IAEA and OPCW offer?", ["国际原子能机构", "禁止化学武器组织"]),
    ("non-state actors and WMD", ["非国家行为者", "大规模毁灭性武器"]),
    ("Côte d’Ivoire, Türkiye and Guinea-Bissau", ["科特迪瓦", "土耳其", "几内亚比绍"]),
    ("Democratic Republic of the Congo and Republic of Korea", ["刚果民主共和国", "大韩民国"]),
    ("What does resolution 1977 (2011) ask?", ["第1977(2011)号决议"]),
])
def test_english_queries_gain_chinese_forms(glossary: Glossary, query: str,
                                            expected: list[str]) -> None:
    expanded = glossary.expand_query(query)
    assert expanded.original == query
    for zh in expected:
        assert zh in expanded.added_zh
    assert expanded.text == query + " " + " ".join(expanded.added_zh)


def test_longest_match_wins(glossary: Glossary) -> None:
    added = glossary.expand_query("Guinea-Bissau").added_zh
    assert "几内亚比绍" in added and "几内亚" not in added
    added = glossary.expand_query("the Democratic People's Republic of Korea").added_zh
    assert "朝鲜民主主义人民共和国" in added and "大韩民国" not in added


def test_word_like_acronyms_need_capitals(glossary: Glossary) -> None:
    assert glossary.expand_query("What did the committee tell us?").added_zh == []
    assert "美利坚合众国" in glossary.expand_query("What did the US say?").added_zh
    assert "世界卫生组织" not in glossary.expand_query("who reported?").added_zh
    assert "世界卫生组织" in glossary.expand_query("WHO reported").added_zh


def test_chinese_queries_are_left_alone_but_aliases_gain_the_canonical_form(
        glossary: Glossary) -> None:
    plain = glossary.expand_query("博茨瓦纳何时提交了国家执行行动计划？")
    assert plain.added_zh == [] and plain.text == plain.original
    alias = glossary.expand_query("玻利维亚提交了几份报告？")
    assert alias.added_zh == ["多民族玻利维亚国"]
    assert glossary.expand_query("多民族玻利维亚国").added_zh == []


def test_names_both_ways(glossary: Glossary) -> None:
    assert glossary.english_name("玻利维亚") == "Bolivia (Plurinational State of)"
    assert glossary.english_name("原子能机构") == "International Atomic Energy Agency"
    assert glossary.english_name("不存在") is None
    assert glossary.chinese_name("UK") == "大不列颠及北爱尔兰联合王国"
    assert glossary.chinese_name("the Bahamas") == "巴哈马"
    assert glossary.chinese_name("points of contact") == "联络人"
    assert glossary.chinese_name("Atlantis") is None


def test_expansion_is_fast(glossary: Glossary) -> None:
    query = ("How many points of contact did the committee receive from international "
             "organizations in the United Kingdom and Bolivia in 2021?")
    glossary.expand_query(query)
    start = time.perf_counter()
    for _ in range(200):
        glossary.expand_query(query)
    assert (time.perf_counter() - start) / 200 < 1e-3


def test_jieba_dict_is_up_to_date(glossary: Glossary) -> None:
    expected = "".join(line + "\n" for line in glossary.jieba_lines())
    assert DEFAULT_JIEBA_DICT.read_text(encoding="utf-8") == expected, (
        "data/jieba_userdict.txt is stale: run `python -m index.glossary`")
    words = glossary.terms_for_jieba()
    assert "国家执行行动计划" in words and "大不列颠及北爱尔兰联合王国" in words
    assert all(re.fullmatch(r"[\u3400-\u9fff]{2,}", w) for w in words)


def test_jieba_keeps_glossary_names_whole() -> None:
    import jieba

    tok = jieba.Tokenizer()
    tok.load_userdict(str(DEFAULT_JIEBA_DICT))
    words = list(tok.cut("多民族玻利维亚国和博茨瓦纳提交了国家执行行动计划和联络人名单"))
    for name in ("多民族玻利维亚国", "博茨瓦纳", "国家执行行动计划", "联络人"):
        assert name in words


HEADER = "zh\ten\taliases_en\taliases_zh\tkind\n"


@pytest.mark.parametrize(("row", "problem"), [
    ("博茨瓦纳\tBotswana\n", "2 tab-separated fields"),
    ("博茨瓦纳\tBotswana\t\t\tcountry\n", "kind"),
    ("\tBotswana\t\t\tmember_state\n", "zh"),
])
def test_malformed_row_names_file_and_line(tmp_path: Path, row: str, problem: str) -> None:
    path = tmp_path / "states.tsv"
    path.write_text(HEADER + "# a comment\n" + row, encoding="utf-8")
    with pytest.raises(GlossaryError, match=rf"states\.tsv:3: .*{problem}"):
        Glossary.load(tmp_path)


def test_conflicting_alias_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "states.tsv").write_text(
        HEADER + "博茨瓦纳\tBotswana\tBW\t\tmember_state\n"
        "巴西\tBrazil\tBW\t\tmember_state\n", encoding="utf-8")
    with pytest.raises(GlossaryError, match=r"states\.tsv:3: .*'BW' already names 'Botswana'"):
        Glossary.load(tmp_path)


def test_tables_parse_cleanly() -> None:
    states = [e for _, e in read_table(DEFAULT_GLOSSARY_DIR / "states.tsv")]
    terms = [e for _, e in read_table(DEFAULT_GLOSSARY_DIR / "terms.tsv")]
    assert all(e.is_state for e in states)
    assert not any(e.is_state for e in terms)
    assert len(terms) >= 150
