"""Prompt files: every template in prompts/ loads, declares what it uses, and renders."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from assistant.answers import Citation
from assistant.drafting.export import note_view
from assistant.drafting.models import Draft, DraftLine, DraftRow, DraftSection, DraftTable
from assistant.drafting.reword import prose_lines
from assistant.llm import PromptPassage
from assistant.prompts import available_prompts, load_prompt
from index.errors import PromptError

_ROW = "6. 博茨瓦纳  2022年4月22日"
_DRAFT = Draft(
    kind="briefing", title="简报说明：博茨瓦纳", date=dt.date(2025, 1, 15), language="zh",
    sections=[DraftSection(
        key="key_points", heading="要点",
        bullets=[DraftLine(text="博茨瓦纳于2022年4月22日提交了自愿国家执行行动计划。", citations=[1])],
        tables=[DraftTable(caption="时间线", columns=["日期", "事项"], rows=[
            DraftRow(cells=["2022年4月22日", "提交自愿国家执行行动计划"], citations=[1])])])],
    citations=[Citation(n=1, doc_id="001", symbol="S/2022/899", locator="S/2022/899 附件三 第6行",
                        quote=_ROW, passage=_ROW)])

# A value for every placeholder any template declares. A template with a new placeholder
# fails `test_every_template_renders` until a sample is added here.
SAMPLES: dict[str, Any] = {
    "language": "zh",
    "question": "委员会 2019 年收到的新援助请求有多少份？",
    "passages": [PromptPassage(n=1, source="S/2020/347 附件 第6段", date="2020-04-29",
                               text="2019年，委员会收到了12份新的援助请求，迄今已向8个国家提供了援助。")],
    "history": [("委员会 2019 年收到的新援助请求有多少份？", "12 份 [1]")],
    "note": note_view(_DRAFT),
    "title": _DRAFT.title,
    "draft_lines": [shown for shown, _ in prose_lines(_DRAFT)],
}


def test_the_llm_prompts_are_shipped() -> None:
    assert {"answer_system", "answer_user", "condense", "draft_reword_system",
            "draft_reword_user"} <= set(available_prompts())


@pytest.mark.parametrize("name", available_prompts())
def test_every_template_renders(name: str) -> None:
    prompt = load_prompt(name)
    missing = prompt.placeholders - SAMPLES.keys()
    assert not missing, f"add a sample value for {sorted(missing)} to SAMPLES"

    text = prompt.render(**{key: SAMPLES[key] for key in prompt.placeholders})

    assert text.strip() and "{{" not in text and "{%" not in text and "+++" not in text
    assert prompt.description


def test_render_refuses_unknown_and_missing_values() -> None:
    prompt = load_prompt("condense")
    with pytest.raises(PromptError, match=r"unknown \['passages'\].*lacks \['history'\]"):
        prompt.render(question="那 2018 年呢？", passages=[])


def write(folder: Path, body: str) -> Path:
    path = folder / "custom.md"
    path.write_text(body, encoding="utf-8")
    return path


@pytest.mark.parametrize(("body", "problem"), [
    ('+++\ndescription = "x"\nplaceholders = ["question"]\n+++\n{{ questoin }}\n',
     r"undeclared: \['questoin'\], unused: \['question'\]"),
    ('+++\ndescription = "x"\nplaceholders = ["question", "history"]\n+++\n{{ question }}\n',
     r"unused: \['history'\]"),
    ("{{ question }}\n", "starts with a TOML header"),
    ('+++\ndescription = "x"\n{{ question }}\n', "not closed"),
    ('+++\ndescription = "x"\nplaceholder = ["question"]\n+++\n{{ question }}\n', "bad TOML header"),
    ('+++\ndescription = "x"\nplaceholders = ["question"]\n+++\n{% if question %}\n', "syntax error"),
])
def test_a_broken_prompt_file_is_refused_on_load_naming_the_file(
        tmp_path: Path, body: str, problem: str) -> None:
    path = write(tmp_path, body)
    with pytest.raises(PromptError, match=problem) as caught:
        load_prompt("custom", tmp_path)
    assert str(path) in str(caught.value)


def test_rendering_an_undefined_attribute_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, '+++\ndescription = "x"\nplaceholders = ["passages"]\n+++\n'
                    "{% for p in passages %}{{ p.title }}{% endfor %}\n")
    with pytest.raises(PromptError, match=r"custom\.md: rendering failed"):
        load_prompt("custom", tmp_path).render(passages=SAMPLES["passages"])


def test_missing_prompt_is_reported_with_the_available_ones(tmp_path: Path) -> None:
    write(tmp_path, '+++\ndescription = "x"\n+++\nhello\n')
    with pytest.raises(PromptError, match=r"nothing\.md.*prompts available: custom"):
        load_prompt("nothing", tmp_path)
