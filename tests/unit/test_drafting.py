"""Briefing notes and outreach summaries, drafted from the shipped records without an LLM.

What staff rely on: every line and row of a draft keeps a source whose quote is really in
it; a state note gathers every date the annexes print for the state; an English note speaks
English around Chinese quotes; the Word file opens, has real headings, tables and numbered
sources, and LibreOffice turns it into a PDF; a State the records never name gets a note
that says so.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
from pathlib import Path

import docx
import pytest
from renditions import RenditionError, render
from typer.testing import CliRunner

from assistant import cli_draft
from assistant.api import Assistant
from assistant.drafting import (
    Draft,
    draft_briefing,
    draft_outreach_summary,
    export,
    key_figures_timeline,
    parse_period,
)
from assistant.drafting.sentences import Distinct
from assistant.drafting.wording import Voice, load_wording
from index.errors import DraftError, PromptError
from index.records import OutreachEvent

TODAY = dt.date(2025, 1, 15)
KYRGYZ_PLANS = ("2013年4月2日", "2017年8月14日", "2022年3月3日")
KYRGYZ_REPORTS = ("2004年12月14日", "2006年2月15日", "2008年1月14日", "2014年6月5日",
                  "2015年5月26日", "2019年9月3日", "2021年6月25日")
ZH_DATE = re.compile(r"\d{4}\s*年(?:\s*\d{1,2}\s*月)?")
QUOTED = re.compile(r"“[^”]*”")


@pytest.fixture(scope="module")
def drafts(shared_index: Assistant) -> dict[str, Draft]:
    """Every kind of draft, once per module (each takes well under a second)."""
    return {
        "state_zh": draft_briefing(shared_index, state="吉尔吉斯斯坦", today=TODAY),
        "state_en": draft_briefing(shared_index, state="Kyrgyzstan", language="en", today=TODAY),
        "botswana_en": draft_briefing(shared_index, state="博茨瓦纳", language="en",
                                      today=TODAY),
        "topic_zh": draft_briefing(shared_index, topic="联络人", today=TODAY),
        "topic_en": draft_briefing(shared_index, topic="assistance", language="en",
                                   today=TODAY),
        "review_zh": draft_briefing(shared_index, topic="全面审查", today=TODAY),
        "period_en": draft_briefing(shared_index, period=(2018, 2022), language="en",
                                    today=TODAY),
        "outreach_zh": draft_outreach_summary(shared_index, year=2019, today=TODAY),
        "outreach_org_en": draft_outreach_summary(shared_index, organisation="OSCE",
                                                  language="en", today=TODAY),
    }


ALL = ["state_zh", "state_en", "botswana_en", "topic_zh", "topic_en", "review_zh",
       "period_en", "outreach_zh", "outreach_org_en"]
BRIEFINGS = ["state_zh", "state_en", "botswana_en", "topic_zh", "topic_en", "review_zh",
             "period_en"]


# -- every claim sourced ----------------------------------------------------------------------
@pytest.mark.parametrize("name", ALL)
def test_every_bullet_and_row_carries_a_citation_found_in_its_passage(
        drafts: dict[str, Draft], name: str) -> None:
    draft = drafts[name]
    claims = [line for line in draft.lines() if not line.framing]
    rows = list(draft.rows())
    assert claims and rows
    for item in [*claims, *rows]:
        assert item.citations, item
        for n in item.citations:
            citation = draft.citation(n)
            assert citation.n == n
            assert citation.quote and citation.quote in citation.passage, citation.locator
    for section in draft.sections:
        for bullet in section.bullets:
            assert not bullet.framing, bullet.text
    assert draft.unbacked() == []


@pytest.mark.parametrize("name", ALL)
def test_sources_are_numbered_in_reading_order_and_all_used(
        drafts: dict[str, Draft], name: str) -> None:
    draft = drafts[name]
    used: list[int] = []
    for section in draft.sections:
        for line in [*section.paragraphs, *section.bullets]:
            used += line.citations
        for table in section.tables:
            for row in table.rows:
                used += row.citations
    first_use = list(dict.fromkeys(used))
    assert first_use == list(range(1, len(draft.citations) + 1))
    assert all(c.symbol or c.locator for c in draft.citations)


@pytest.mark.parametrize("name", ALL)
def test_no_two_bullets_say_the_same_thing(drafts: dict[str, Draft], name: str) -> None:
    # An English bullet gives the gist of the sentence printed beneath it: the sentences
    # two bullets rest on must differ.
    bullets = [b for s in drafts[name].sections for b in s.bullets]
    quotes = [b.quote or (m.group(0) if (m := QUOTED.search(b.text)) else b.text)
              for b in bullets]
    said = Distinct()
    assert [q for q in quotes if not said.new(q)] == []


@pytest.mark.parametrize("name", BRIEFINGS)
def test_a_briefing_has_the_sections_of_a_note_and_three_to_seven_key_points(
        drafts: dict[str, Draft], name: str) -> None:
    draft = drafts[name]
    keys = [s.key for s in draft.sections]
    assert keys[:5] == ["purpose", "key_points", "background", "chronology", "key_figures"]
    assert "open_issues" in keys
    key_points = draft.section("key_points")
    assert key_points is not None and 3 <= len(key_points.bullets) <= 7


# -- a state note -----------------------------------------------------------------------------
def test_a_kyrgyzstan_note_lists_its_three_action_plans_and_every_report_date(
        drafts: dict[str, Draft]) -> None:
    draft = drafts["state_zh"]
    chronology = draft.section("chronology")
    assert chronology is not None
    rows = {row.cells[0]: row.cells[1] for row in chronology.tables[0].rows}
    for day in KYRGYZ_PLANS:
        assert "行动计划" in rows[day]
    for day in KYRGYZ_REPORTS:
        assert "国家报告" in rows[day]
    key_points = " ".join(b.text for b in draft.section("key_points").bullets)  # type: ignore[union-attr]
    assert "3份自愿国家执行行动计划" in key_points and "、".join(KYRGYZ_PLANS) in key_points
    assert "7份国家报告" in key_points
    locators = {c.locator for c in draft.citations}
    assert {"S/2022/899 附件一 第87行", "S/2022/899 附件三 第15行",
            "S/2022/899 附件五 第68行"} <= locators


def test_a_state_note_gathers_visits_peer_reviews_and_body_text_mentions(
        drafts: dict[str, Draft]) -> None:
    draft = drafts["state_zh"]
    text = json.dumps(draft.model_dump(mode="json", exclude={"chart"}), ensure_ascii=False)
    assert "同行审议" in text and "伊塞克湖" in text
    assert "S/2022/899 附件 第73段" in {c.locator for c in draft.citations}  # 2018-01-25 report
    # Each sentence quoted as a mention names the state.
    mentions = draft.section("mentions")
    background = draft.section("background")
    assert background is not None
    for line in [*(mentions.bullets if mentions else []), *background.paragraphs[1:]]:
        assert "吉尔吉斯" in draft.citation(line.citations[0]).quote


def test_a_state_with_little_on_record_still_gets_cited_key_points(
        shared_index: Assistant) -> None:
    draft = draft_briefing(shared_index, state="汤加", today=TODAY)
    bullets = draft.section("key_points").bullets  # type: ignore[union-attr]
    assert len(bullets) == 3
    assert bullets[0].text == "截至2022年6月2日，汤加已向委员会提交国家报告（2006年4月5日）。"
    # "Not listed" rests on the whole annex: its title quoted, every row in the passage.
    absent = draft.citation(bullets[1].citations[0])
    assert bullets[1].text.endswith("已提交自愿国家执行行动计划的会员国中没有汤加。")
    assert absent.locator == "S/2022/899 附件三" and "汤加" not in absent.passage
    assert absent.quote.startswith("截至2022年6月2日") and "博茨瓦纳" in absent.passage


def test_a_state_named_in_english_resolves_to_the_records_chinese_name(
        drafts: dict[str, Draft]) -> None:
    assert drafts["state_en"].subject.state == "吉尔吉斯斯坦"
    assert drafts["state_en"].title == "Briefing note: Kyrgyzstan (吉尔吉斯斯坦)"


def test_a_state_the_records_never_mention_gets_a_note_saying_so(
        shared_index: Assistant) -> None:
    draft = draft_briefing(shared_index, state="Holy See", today=TODAY)
    assert not draft.found and draft.citations == []
    assert [s.key for s in draft.sections] == ["not_found"]
    assert "委员会记录中没有提及教廷" in draft.sections[0].paragraphs[0].text
    english = draft_briefing(shared_index, state="教廷", language="en", today=TODAY)
    assert "do not mention Holy See (教廷)" in english.sections[0].paragraphs[0].text


def test_a_name_that_is_not_a_state_is_refused_with_what_to_do(
        shared_index: Assistant) -> None:
    with pytest.raises(DraftError, match=r"not a State.*--topic"):
        draft_briefing(shared_index, state="OSCE")


# -- English ----------------------------------------------------------------------------------
def test_an_english_note_gives_figures_and_dates_in_english(drafts: dict[str, Draft]) -> None:
    draft = drafts["state_en"]
    key_points = [b.text for b in draft.section("key_points").bullets]  # type: ignore[union-attr]
    assert key_points[0] == (
        "As of 2 June 2022, Kyrgyzstan had submitted 7 national reports and additional "
        "information to the Committee, the first on 14 December 2004 and the latest on "
        "25 June 2021.")
    assert "2 April 2013, 14 August 2017 and 3 March 2022" in key_points[1]
    for line in draft.lines():  # outside the Chinese quotes, no Chinese date is left
        assert not ZH_DATE.search(QUOTED.sub("", line.text)), line.text
    for row in draft.rows():
        assert not ZH_DATE.search(row.cells[0]), row.cells
    figures = draft.section("key_figures").tables[0]  # type: ignore[union-attr]
    assert ["First national report", "14 December 2004", "2 June 2022"] in \
        [row.cells for row in figures.rows]
    assert all(re.search(r"[A-Za-z]", s.heading) for s in draft.sections)


# -- key figures across documents -------------------------------------------------------------
def test_the_key_figures_timeline_reads_each_value_from_its_sentence(
        shared_index: Assistant) -> None:
    series = {s.key: s for s in key_figures_timeline(shared_index)}
    values = {key: [(v.as_of.year, v.value) for v in s.values] for key, s in series.items()}
    assert values["first_reports"] == [(2015, 173), (2016, 176), (2018, 182), (2019, 184),
                                       (2022, 185)]
    assert values["points_of_contact"] == [(2016, 94), (2018, 106), (2020, 119), (2022, 137)]
    assert values["action_plans"] == [(2016, 26), (2018, 32), (2020, 40), (2022, 46)]
    for s in series.values():
        for value in s.values:
            assert str(value.printed) in value.citation.quote
            assert value.citation.quote in value.citation.passage
            assert value.derived == (value.value != value.printed)


def test_a_topic_note_charts_its_figure_and_tables_every_value(drafts: dict[str, Draft]) -> None:
    draft = drafts["topic_zh"]
    assert draft.chart is not None and draft.chart.png.startswith(b"\x89PNG")
    table = draft.section("key_figures").tables[0]  # type: ignore[union-attr]
    assert [row.cells[1] for row in table.rows] == ["94", "106", "119", "137"]
    counts = draft.section("key_figures").tables[1]  # type: ignore[union-attr]
    assert [row.cells[1] for row in counts.rows] == ["137", "22"]  # states, organisations


# -- outreach ---------------------------------------------------------------------------------
def test_the_2019_outreach_summary_counts_each_event_once(
        drafts: dict[str, Draft], shared_index: Assistant) -> None:
    draft = drafts["outreach_zh"]
    events = draft.section("events").tables[0].rows  # type: ignore[union-attr]
    annex_18 = [r for r in shared_index.records("outreach_events")
                if isinstance(r, OutreachEvent) and r.annex == "十八" and r.start_date
                and r.start_date.year == 2019]
    # Every 2019 event of annex XIX repeats one of annex XVIII: each is listed once, in the
    # row of its type.
    assert sum(int(row.cells[1]) for row in events) == len(annex_18) == 53
    assert all(part.startswith("2019年") for row in events for part in row.cells[2].split("；"))
    tables = {t.caption: t for t in draft.section("counts").tables}  # type: ignore[union-attr]
    assert [row.cells for row in tables["按年份统计"].rows] == [["2019年", "53"]]
    peer_reviews = next(row for row in events if row.cells[0] == "同行审议")
    assert peer_reviews.cells[1] == "4" and len(peer_reviews.cells[2].split("；")) == 4
    highlights = " ".join(b.text for b in draft.section("highlights").bullets)  # type: ignore[union-attr]
    assert "53项外联活动" in highlights and "应邀访问多哥" in highlights


def test_an_outreach_summary_for_an_organisation_keeps_only_its_events(
        drafts: dict[str, Draft]) -> None:
    draft = drafts["outreach_org_en"]
    assert "Organization for Security and Co-operation in Europe" in draft.title
    for row in draft.section("events").tables[0].rows:  # type: ignore[union-attr]
        sources = " ".join(draft.citation(n).quote for n in row.citations)
        assert "欧安组织" in sources or "欧洲安全与合作组织" in sources


# -- export -----------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def botswana_docx(drafts: dict[str, Draft], tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(drafts["botswana_en"], tmp_path_factory.mktemp("docx") / "note.docx")


def test_the_docx_opens_with_headings_tables_chart_and_numbered_sources(
        drafts: dict[str, Draft], botswana_docx: Path) -> None:
    draft = drafts["botswana_en"]
    document = docx.Document(str(botswana_docx))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [s.heading for s in draft.sections] + ["Sources"]
    assert document.paragraphs[0].style.name == "Title"
    assert len(document.tables) == sum(len(s.tables) for s in draft.sections) >= 2
    chronology = document.tables[0]
    assert [c.text for c in chronology.rows[0].cells] == ["Date", "Event", "Sources"]
    assert chronology.rows[1].cells[0].text == "18 April 2008"
    assert len(document.inline_shapes) == 1  # the chart
    start = [p.text for p in document.paragraphs].index("Sources") + 1
    sources = [p.text for p in document.paragraphs[start:] if p.text]
    assert len(sources) == len(draft.citations)
    for n, (text, citation) in enumerate(zip(sources, draft.citations, strict=True), start=1):
        assert text.startswith(f"[{n}] ")
        assert "annex" in text or "para" in text
        assert citation.quote[:20].replace("\n", " / ") in text
    markers = [r.text for p in document.paragraphs for r in p.runs if r.font.superscript]
    assert markers and all(re.fullmatch(r"(\[\d+\])+", m) for m in markers)


def test_libreoffice_converts_the_docx_to_pdf(botswana_docx: Path, tmp_path: Path) -> None:
    try:
        pdf = render(botswana_docx, "pdf", tmp_path / "pdf", profile_dir=tmp_path / "lo",
                     timeout=900)  # a hang guard, not a gate
    except RenditionError as exc:
        pytest.fail(str(exc), pytrace=False)
    assert pdf.read_bytes()[:5] == b"%PDF-" and pdf.stat().st_size > 20_000


def test_markdown_export_has_markers_chart_and_numbered_sources(
        drafts: dict[str, Draft], tmp_path: Path) -> None:
    draft = drafts["state_zh"]
    path = export(draft, tmp_path / "note.md")
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# 简报说明：吉尔吉斯斯坦\n")
    for section in draft.sections:
        assert f"\n## {section.heading}\n" in text
    assert "| 日期 | 事项 | 来源 |" in text
    assert "![吉尔吉斯斯坦：各年记录事项](note.chart.png)" in text
    assert (tmp_path / "note.chart.png").read_bytes().startswith(b"\x89PNG")
    sources = text.split("\n## 来源\n", 1)[1]
    for citation in draft.citations:
        assert f"[{citation.n}] " in sources
    assert "。[1]" in text  # Chinese sets the marker after the full stop


def test_json_export_round_trips_the_draft(drafts: dict[str, Draft], tmp_path: Path) -> None:
    draft = drafts["outreach_zh"]
    path = export(draft, tmp_path / "summary.json")
    again = Draft.model_validate_json(path.read_text(encoding="utf-8"))
    assert again == draft and again.chart is not None
    assert again.chart.png.startswith(b"\x89PNG")


def test_export_refuses_an_unknown_format(drafts: dict[str, Draft], tmp_path: Path) -> None:
    with pytest.raises(DraftError, match=r"\.md, \.docx, \.json"):
        export(drafts["topic_zh"], tmp_path / "note.pdf")


# -- requests that cannot be drafted --------------------------------------------------------
def test_a_briefing_needs_a_subject_and_a_sound_period(shared_index: Assistant) -> None:
    with pytest.raises(DraftError, match="--state"):
        draft_briefing(shared_index)
    with pytest.raises(DraftError, match="ends before it starts"):
        draft_briefing(shared_index, period=(2022, 2018))
    with pytest.raises(DraftError, match="zh or en"):
        draft_briefing(shared_index, topic="援助", language="fr")


@pytest.mark.parametrize(("text", "period"), [
    ("2018-2022", (2018, 2022)), ("2018–2022", (2018, 2022)), ("2019", (2019, 2019)),
    ("2018年至2022年", (2018, 2022)), (None, None)])
def test_periods_are_read_as_written(text: str | None, period: tuple[int, int] | None) -> None:
    assert parse_period(text) == period


def test_a_period_that_is_not_years_is_refused() -> None:
    with pytest.raises(DraftError, match="two years"):
        parse_period("last year")


def test_the_phrases_exist_in_both_languages() -> None:
    wording = load_wording()
    assert wording.zh.keys() == wording.en.keys()
    with pytest.raises(PromptError, match="no_such_phrase"):
        Voice("zh")("no_such_phrase")


# -- command line -----------------------------------------------------------------------------
def test_the_draft_commands_write_the_file_and_say_where(
        shared_index: Assistant, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import typer

    monkeypatch.setattr(cli_draft, "_assistant", lambda: contextlib.nullcontext(shared_index))
    app = typer.Typer()
    app.add_typer(cli_draft.draft_app, name="draft")
    runner = CliRunner()
    note = tmp_path / "note.docx"
    result = runner.invoke(app, ["draft", "briefing", "--state", "博茨瓦纳", "--lang", "en",
                                 "--out", str(note)])
    assert result.exit_code == 0, result.output
    assert "Briefing note: Botswana (博茨瓦纳)" in result.output and note.is_file()
    summary = tmp_path / "summary.md"
    result = runner.invoke(app, ["draft", "outreach", "--year", "2019", "--out", str(summary)])
    assert result.exit_code == 0, result.output
    assert "外联活动摘要：2019年" in result.output and summary.is_file()
