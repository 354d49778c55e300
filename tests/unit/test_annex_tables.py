"""The annex tables of S/2022/899 come back as the document prints them: every row, cells
rejoined, repeated page headers gone, notes kept."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from index.annex_tables import parse_table
from index.models import CELL_SEPARATOR, Block, BlockKind, Document


@pytest.fixture(scope="module")
def review(corpus_docs: dict[str, Document]) -> Document:
    return corpus_docs["001"]


def table(doc: Document, part: str) -> Block:
    found = [b for b in doc.tables() if b.part == part]
    assert len(found) == 1, f"{part}: {len(found)} tables"
    return found[0]


def cells(doc: Document, part: str) -> dict[str, list[str]]:
    return {row.cells[0]: row.cells for row in table(doc, part).rows}


def notes(doc: Document, part: str) -> list[str]:
    return [b.text for b in doc.blocks if b.kind is BlockKind.FOOTNOTE and b.part == part]


def test_national_reports_185_states_numbered_in_order(review):
    annex = table(review, "附件一")
    assert annex.header == ["国家", "报告日期"]
    assert [row.number for row in annex.rows] == list(range(1, 186))
    assert annex.rows[5].locator == "S/2022/899 附件一 第6行"
    by_state = cells(review, "附件一")
    assert by_state["阿根廷"][1].split(CELL_SEPARATOR) == [
        "2004年10月26日", "2005年12月13日", "2007年7月5日", "2018年1月8日", "2019年9月3日",
        "2020年7月10日"]
    assert by_state["阿塞拜疆"][1] == CELL_SEPARATOR.join([
        "2004年10月28日", "2006年4月17日", "2008年8月26日", "2014年2月26日"])
    # Names wrapped over two and three lines come out whole.
    assert by_state["多民族玻利维亚国"][1] == CELL_SEPARATOR.join(["2005年3月8日", "2006年10月26日"])
    assert by_state["波斯尼亚和黑塞哥维那"][1].count(CELL_SEPARATOR) == 3
    assert by_state["委内瑞拉玻利瓦尔共和国"][1].startswith("2004年11月16日")
    assert annex.rows[-1].cells == ["津巴布韦", "2017年12月18日"]
    assert any("欧洲联盟" in note and "2004年10月28日" in note for note in notes(review, "附件一"))


def test_no_repeated_page_header_becomes_a_row(review):
    for block in review.tables():
        for row in block.rows:
            assert row.cells[: len(block.header)] != block.header, row.locator
            assert not any(cell in {"国家", "报告日期", "日期和地点"} for cell in row.cells)


def test_states_not_reported_action_plans_and_points_of_contact(review):
    assert [row.cells[0] for row in table(review, "附件二").rows] == [
        "乍得", "朝鲜民主主义人民共和国", "斯威士兰", "冈比亚", "几内亚", "马里", "毛里塔尼亚",
        "索马里"]
    plans = table(review, "附件三")
    assert len(plans.rows) == 38
    assert sum(len(row.cells[1].split(CELL_SEPARATOR)) for row in plans.rows) == 46
    assert plans.rows[5].cells == ["博茨瓦纳", "2022年4月22日"]
    assert cells(review, "附件三")["乌兹别克斯坦"][1].count(CELL_SEPARATOR) == 2
    states = table(review, "附件五")
    assert [row.number for row in states.rows] == list(range(1, 138))
    assert states.rows[-1].cells == ["津巴布韦"]
    organizations = table(review, "附件六")
    assert len(organizations.rows) == 22
    assert organizations.rows[6].cells == ["国际原子能机构"]


def test_assistance_requests(review):
    annex = table(review, "附件四")
    assert annex.header == ["日期", "请求援助的国家", "援助请求", "应请求提供的援助"]
    assert len(annex.rows) == 18
    by_state = {row.cells[1].rstrip("ab "): row.cells for row in annex.rows}
    assert by_state["伯利兹"][0] == "2017年8月1日"
    assert by_state["伯利兹"][2].startswith("协助购置4架侦察机")
    botswana = by_state["博茨瓦纳"]
    assert botswana[3].split(CELL_SEPARATOR) == ["日本", "南非", "生物武器公约执行支助股", "原子能机构",
                                      "禁化武组织", "毒品和犯罪问题办公室", "海关组织"]
    assert botswana[2].endswith("管控资助扩散行为")
    assert by_state["蒙古国"][0] == "2020年5月6日和2020年8月20日"
    assert by_state["圣文森特和格林纳丁斯"][0] == "2021年11月8日"
    assert "国际刑警组织" in by_state["伊拉克"][3].split(CELL_SEPARATOR)
    assert any(note.startswith("缩略语") for note in notes(review, "附件四"))


def test_summaries_under_the_assistance_table_are_not_its_notes(review):
    # Below annex IV's notes a, b, c come three small summaries (by paragraph, by type, by
    # region): each a heading and its lines, not a footnote per line.
    assert [n[:4] for n in notes(review, "附件四")] == ["缩略语：", "上一报告", "以往举办", "目前正与"]
    summaries = {b.section: b.text for b in review.blocks if b.part == "附件四" and
                 b.kind is BlockKind.HEADING and b.section and b.section.endswith(("表", "分列)"))}
    assert len(summaries) == 3
    body = [b.text for b in review.blocks if b.part == "附件四" and b.kind is BlockKind.PARAGRAPH]
    by_type = next(text for text in body if "培训13 72" in text)
    assert by_type.splitlines()[-4:] == ["设备12 67", "培训13 72", "立法11 61", "供资7 39"]
    assert any("8博茨瓦纳、几内亚比绍、肯尼亚、马达加斯加、马拉维、塞拉利昂、多哥、赞比亚" in text
               for text in body)


def test_treaty_counts_as_printed(review):
    annex = table(review, "附件八")
    assert annex.header[:4] == ["条约", "2011", "2016", "2022"]
    by_treaty = cells(review, "附件八")
    assert by_treaty["《不扩散核武器条约》"][1:4] == ["190", "191", "191"]
    assert by_treaty["《制止与国际民用航空有关的非法行为的公约》"][1:4] == ["0", "14", "43"]
    assert by_treaty["《防止弹道导弹扩散海牙行为准则》"][-1] == "其他"
    assert len(annex.rows) == 16


def test_outreach_events(review):
    events = table(review, "附件十八")
    assert len(events.rows) == 227
    first = events.rows[0].cells
    assert first[:2] == ["2016年5月4日，维也纳", "欧安组织安全与合作安保论坛对话会议"]
    by_date = {row.cells[0]: row.cells for row in events.rows}
    kaliningrad = by_date["2016年6月28日-7月1日，俄罗斯联邦加里宁格勒"]
    assert kaliningrad[1] == "培训欧安组织国家联络人"
    astana = by_date["2016年5月16-20日，阿斯塔纳"]
    assert astana[2] == "反恐怖主义委员会执行局"
    assert astana[3].startswith("分析支助和制裁监测组、毒品和犯罪问题办公室")
    direct = table(review, "附件十九")
    assert len(direct.rows) == 61
    lesotho = direct.rows[0].cells
    assert lesotho[:4] == ["2016年4月13-14日", "应邀访问莱索托，协助起草1540自愿国家行动计划",
                           "马塞卢", "莱索托、委员会"]
    groups = [row.cells[-1] for row in direct.rows]
    assert groups[0].startswith("应邀访问各国")
    assert groups[-1] == "应国际和区域组织邀请开展的其他国别活动"
    assert "同行审议" in groups


def test_coordinators_with_wrapped_names(review):
    annex = table(review, "附件二十一")
    assert annex.header == ["工作组", "2016(自5月起)", "2017", "2018", "2019", "2020", "2021",
                            "2022"]
    rows = {row.number: row.cells[1:] for row in annex.rows}
    assert rows[1] == ["委内瑞拉玻利瓦尔共和国", "日本", "秘鲁", "秘鲁", "多米尼加共和国", "—",
                       "巴西"]
    assert rows[2] == ["法国"] * 7
    assert rows[3] == ["埃及", "埃及", "科特迪瓦", "科特迪瓦", "南非", "—", "肯尼亚"]
    assert rows[4] == ["美利坚合众国"] * 7


def test_documents_list_with_groups(review):
    annex = table(review, "附件二十二")
    resolutions = [row.cells for row in annex.rows if row.cells[3] == "安全理事会决议"]
    assert len(resolutions) == 9
    assert resolutions[0][:3] == ["第1540(2004)号决议", "2004年4月28日", "S/RES/1540(2004)"]
    by_symbol = {row.cells[2]: row.cells for row in annex.rows}
    assert by_symbol["S/2016/1038"][1] == "2016年12月9日"
    assert by_symbol["S/2018/340"][0].startswith("第十七个工作方案，所涉期间2018年2月1日")
    assert by_symbol["S/2018/340"][3] == "第1540(2004)号决议所设委员会的工作方案"


def test_experts_annex_whose_marker_the_extraction_lost(review):
    """The text has no "附件二十" line: the annex is found between 附件十九 and 附件二十一
    by its title, and its experts are rows of its own table, not notes of 附件十九."""
    parts = list(dict.fromkeys(b.part for b in review.blocks))
    assert parts[-4:] == ["附件十九", "附件二十", "附件二十一", "附件二十二"]
    experts = table(review, "附件二十")
    assert experts.title == "2016年至2022年被任命协助安全理事会第1540(2004)号决议所设委员会的专家"
    assert experts.header == ["姓名", "国别"]
    assert len(experts.rows) == 18
    assert experts.rows[0].cells == ["奥贝迪，扎沃尔海德尔", "巴基斯坦，至2017年11月12日"]
    assert experts.rows[-1].cells == ["张红柳", "中国"]
    assert experts.rows[3].locator == "S/2022/899 附件二十 第4行"
    assert [note[:8] for note in notes(review, "附件二十")] == ["在本报告提交之日"]
    direct = "".join(notes(review, "附件十九")) + "".join(
        "".join(row.cells) for row in table(review, "附件十九").rows)
    assert "张红柳" not in direct and "奥贝迪" not in direct and "姓名" not in direct


def test_bar_charts_read_as_tables_a_row_per_category(review):
    """A chart's bars are printed series after series, then the axis, the categories and the
    legend: each category is a row with a cell per series, the note kept beside it."""
    nuclear = cells(review, "附件九")
    assert table(review, "附件九").header == ["", "立法", "执行"]
    assert nuclear["制造"][1:] == ["85% (+9%)", "78% (+17%)"]
    assert nuclear["企图从事上述活动(2020年新领域)"][1:] == ["80%", "80%"]
    assert cells(review, "附件十三")["人员可靠性"][1:] == ["11% (-1%)", "9% (-2%)"]
    assert len(table(review, "附件十五").rows) == 16
    assert "括号数字系较2015年加(+)减(-)情况" in notes(review, "附件十二")


def test_a_chart_that_lost_a_bar_or_its_labels_stays_prose(review):
    # 附件十六's extraction printed 22 values for 10 categories of 2 series.
    assert not [b for b in review.tables() if b.part in {"附件七", "附件十六"}]
    assert parse_table("比较", ["85% (+9%)", "86% (+12%)", "0% 20% 40% 60% 80% 100%"]) is None
    lost = ["60%", "70%", "80%", "0% 50% 100%", "Border controls", "Export controls",
            "Laws Enforcement"]
    assert parse_table("Comparison", lost) is None


@given(categories=st.lists(st.text(alphabet="边境出口管制转运融资人员可靠性", min_size=2,
                                   max_size=12), min_size=1, max_size=16, unique=True),
       series=st.lists(st.sampled_from(["立法", "执行", "Laws", "Enforcement", "2015", "2020"]),
                       min_size=1, max_size=3, unique=True),
       data=st.data())
@settings(max_examples=60, deadline=None)
def test_generated_charts_round_trip(categories, series, data):
    values = [[f"{data.draw(st.integers(0, 100))}%" + data.draw(
        st.sampled_from(["", " (+3%)", " (-12%)"])) for _ in categories] for _ in series]
    lines = ["比较——第2段", *[v for column in values for v in column],
             "0% 20% 40% 60% 80% 100%", *categories, " ".join(series), "括号数字系较2015年加减"]
    parsed = parse_table("附件", lines)
    assert parsed is not None and parsed.header == ["", *series]
    assert [row.cells for row in parsed.rows] == [
        [label, *(column[k] for column in values)] for k, label in enumerate(categories)]
    assert parsed.notes == ["比较——第2段", "括号数字系较2015年加减"]


# -- generated tables --------------------------------------------------------------------

_NAME = st.text(alphabet="阿巴尔及利亚布基纳法索多民族玻维和黑塞哥那", min_size=2, max_size=14)
_DATE = st.builds(lambda y, m, d: f"{y} 年 {m} 月 {d} 日", st.integers(2004, 2022),
                  st.integers(1, 12), st.integers(1, 28))


@given(rows=st.lists(st.tuples(_NAME, st.lists(_DATE, min_size=1, max_size=4)), min_size=1,
                     max_size=12),
       width=st.integers(2, 8), page=st.integers(2, 6))
@settings(max_examples=80, deadline=None)
def test_generated_state_date_tables_round_trip(rows, width, page):
    """Wrap names over lines (every fragment ending in a space, as the extractor prints table
    cells), repeat the header every few rows: names and dates come back whole."""
    header = " 国家 报告日期 "
    lines = [header]
    for n, (name, dates) in enumerate(rows, start=1):
        if n > 1 and n % page == 0:
            lines.append(header)
        pieces = [name[i:i + width] for i in range(0, len(name), width)]
        if len(pieces) == 1:
            lines.append(f"{n}. {name} {dates[0]} ")
            rest = dates[1:]
        else:
            lines.append(f"{n}. {pieces[0]} ")
            lines += [f"{piece} " for piece in pieces[1:]]
            rest = dates
        lines += [f"{date} " for date in rest]
    parsed = parse_table("截至2022年提交国家报告的会员国", lines)
    assert parsed is not None
    assert [row.number for row in parsed.rows] == list(range(1, len(rows) + 1))
    for row, (name, dates) in zip(parsed.rows, rows, strict=True):
        assert row.cells[0] == name
        assert row.cells[1] == CELL_SEPARATOR.join(date.replace(" ", "") for date in dates)


@given(rows=st.lists(st.tuples(_NAME, _NAME), min_size=2, max_size=20),
       note=st.booleans())
@settings(max_examples=80, deadline=None)
def test_generated_side_by_side_lists_round_trip(rows, note):
    """A header no layout knows, then one row per line with its cells side by side: rows
    come back cell for cell, and a footnote after them stays a note."""
    lines = [f"{name} {country} " for name, country in rows]
    notes = [" a 在本报告提交之日，某人担任协调", "员。 "] if note else []
    parsed = parse_table("专家", ["姓名 国别 ", *lines, *notes])
    assert parsed is not None
    assert [row.cells for row in parsed.rows] == [list(row) for row in rows]
    assert parsed.notes == (["a 在本报告提交之日，某人担任协调员。"] if note else [])
    # A line that does not split into as many cells as the header keeps it from being a table.
    assert parse_table("专家", ["姓名 国别 ", *lines, "只有一格 ", *notes]) is None


_HEADERS = st.sampled_from([
    " 国家 报告日期 ", "日期 标题 地点 组织者/主办方 ", "日期和地点 标题 组织者/支持者 a 参与者 b ",
    "条约 2011 2016 2022 ", "工作组 2016(自 5 月起) 2017 2018 ", "标题 日期 参考 ",
    "日期 请求援助的国家 援助请求 应请求提供的援助 ", "1. 阿富汗 2008 年 8 月 28 日 ", "1. 乍得 "])
_LINE = st.text(alphabet="国家报告日期标题条约援助地点和及、，：；。()（）1290 年月日-至acd—/《》",
                max_size=30)


@given(header=_HEADERS, lines=st.lists(_LINE, max_size=20))
@settings(max_examples=300, deadline=None)
def test_any_lines_parse_or_return_none(header, lines):
    """The parser hands every annex to parse_table: it must answer, never raise."""
    for candidate in ([header, *lines], lines):
        parsed = parse_table("标题", candidate)
        assert parsed is None or parsed.rows
