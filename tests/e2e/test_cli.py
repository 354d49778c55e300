"""The command line as a delegate uses it: real processes on the shipped records."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.api import Assistant

ROOT = Path(__file__).resolve().parents[2]


# Only a hung process is cut off: a busy machine may take many times the usual minute.
HANG = 1800


def cli(*args: str, home: Path, **env_vars: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "COMMITTEE_ASSISTANT_HOME": str(home), "COLUMNS": "200", **env_vars}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=HANG)


@pytest.fixture(scope="module")
def ingested(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("cli-home")
    result = cli("ingest", "data/corpus", home=home)
    assert result.returncode == 0, result.stderr
    assert "5 documents" in result.stdout and "0 failed" in result.stdout
    return home


def test_ingest_prints_documents_with_counts(ingested: Path):
    again = cli("ingest", "data/corpus", home=ingested)
    assert again.returncode == 0
    assert "S/2022/899" in again.stdout and "unchanged" in again.stdout


def test_docs_lists_the_shipped_records(ingested: Path):
    out = cli("docs", home=ingested).stdout
    for symbol in ("S/2020/347", "S/2022/899", "S/2018/1178"):  # the last from annex XXII
        assert symbol in out
    assert out.count("programme_of_work") == 1


def test_show_prints_a_clean_paragraph_with_its_locator(ingested: Path):
    result = cli("show", "S/2022/899", "--para", "26", home=ingested)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "S/2022/899 附件 第26段"
    assert lines[1].startswith("自2016年以来，全体会员国中的40%(77个)")
    assert "97个国家提交了两次以上报告。" in result.stdout


def test_records_prints_botswanas_action_plan(ingested: Path):
    result = cli("records", "action_plans", "--state", "博茨瓦纳", home=ingested)
    assert result.returncode == 0
    assert "2022-04-22" in result.stdout and "S/2022/899 附件三 第6行" in result.stdout


def test_records_take_english_names(ingested: Path):
    zh = cli("records", "action_plans", "--state", "博茨瓦纳", home=ingested)
    en = cli("records", "action_plans", "--state", "Botswana", home=ingested)
    assert en.returncode == 0 and en.stdout == zh.stdout
    unknown = cli("records", "action_plans", "--state", "Botswanna", home=ingested)
    assert unknown.returncode == 2 and "glossary" in unknown.stderr


def test_records_and_docs_as_json_keep_chinese_as_characters(ingested: Path):
    # Even where Python would escape what the terminal cannot show: JSON is UTF-8.
    ascii_terminal = {"PYTHONIOENCODING": "ascii:backslashreplace"}
    result = subprocess.run(
        [sys.executable, "-m", "assistant.cli", "records", "action_plans", "--state",
         "Botswana", "--json"], cwd=ROOT, capture_output=True, timeout=HANG,
        env={**os.environ, "COMMITTEE_ASSISTANT_HOME": str(ingested), **ascii_terminal})
    assert result.returncode == 0, result.stderr
    assert "博茨瓦纳".encode() in result.stdout and b"\\u" not in result.stdout
    [plan] = json.loads(result.stdout)
    assert plan["dates"] == ["2022-04-22"] and plan["locator"] == "S/2022/899 附件三 第6行"
    docs = json.loads(cli("docs", "--json", home=ingested).stdout)
    assert {d["symbol"] for d in docs} >= {"S/2020/347", "S/2022/899"}
    assert all(d["title"] and d["date"] for d in docs)


def test_piped_tables_never_wrap_a_date_or_cut_a_title(ingested: Path):
    """Piped at the default 80 columns: every date whole on its line, every title whole
    (the 2018 and 2022 reviews differ only at the end of their titles)."""
    records = cli("records", "national_reports", home=ingested, COLUMNS="80")
    listed = json.loads(cli("records", "national_reports", "--json", home=ingested).stdout)
    dates = {d for r in listed for d in r["dates"]}
    found = set(re.findall(r"\d{4}-\d{2}-\d{2}", records.stdout))
    assert dates and found == dates, "each date printed whole"
    docs = cli("docs", home=ingested, COLUMNS="80").stdout
    for meta in json.loads(cli("docs", "--json", home=ingested).stdout):
        assert meta["title"] in docs


def test_unknown_record_type_and_document_are_one_clear_line(ingested: Path):
    bad = cli("records", "budgets", home=ingested)
    assert bad.returncode == 2 and "national_reports" in bad.stderr
    assert "Traceback" not in bad.stderr
    missing = cli("show", "S/1999/1", home=ingested)
    assert missing.returncode == 2 and "known documents" in missing.stderr


def test_bad_files_are_reported_and_do_not_stop_the_others(tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    (folder / "gb.txt").write_bytes("第一段：委员会收到了报告。\n".encode("gb18030"))
    (folder / "utf16.txt").write_bytes("委员会的工作方案。\n".encode("utf-16"))
    (folder / "notes.md").write_text("# Meeting notes\n\nNot a committee record at all.\n")
    result = cli("ingest", str(folder), home=tmp_path / "home")
    assert result.returncode == 1
    assert "empty.txt" in result.stderr and "image.txt" in result.stderr
    assert "3 documents" in result.stdout and "2 failed" in result.stdout


def test_eval_scores_other_questions_into_the_folder_it_is_given(
        copied_home: Path, shared_index: Assistant, tmp_path: Path):
    gold = tmp_path / "mine.jsonl"
    gold.write_text(
        '{"id": "mine-1", "question": "委员会 2019 年收到的新援助请求有多少份？", "lang": "zh", '
        '"kind": "number", "answerable": true, "must_include": ["12"], '
        '"evidence": ["12份新的援助请求"], "history": [], "source": []}\n'
        '{"id": "mine-2", "question": "Who will chair the 1540 Committee in 2023?", '
        '"lang": "en", "kind": "unanswerable", "answerable": false, "must_include": [], '
        '"evidence": [], "history": [], "source": []}\n', encoding="utf-8")
    out = tmp_path / "reports"
    # The eval builds an index of its own in the home: from the shared embedding cache, so
    # it embeds nothing.
    cache = str(shared_index.settings.index.embedding_cache_dir)
    result = cli("eval", "--gold", str(gold), "--config", "hybrid", "--reports", str(out),
                 home=copied_home, COMMITTEE_ASSISTANT_INDEX__EMBEDDING_CACHE=cache)
    assert result.returncode == 0, result.stderr
    report = (out / "latest-answers.md").read_text(encoding="utf-8")
    assert "Gold items: 2 from 1 file(s)" in report
    assert "| accuracy % | 100.0 |" in report and "| refusal_rate % | 100.0 |" in report
    assert (out / "latest-retrieval.md").exists()
