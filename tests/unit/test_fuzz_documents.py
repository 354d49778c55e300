"""Hostile and broken documents: whatever bytes a file holds, reading it either gives a
document that keeps every content character, or refuses it with the project's own error
naming the file; and the passages cut from any document keep every block.

What "content" means here (the parser's documented, legitimate changes taken off):

- A content character is a non-whitespace character (``str.isspace``) of a physical line,
  compared after Unicode compatibility decomposition (NFKD): the parser prints a
  sub-paragraph "（a）" as "(a)" and a superscript footnote label "¹" as "1".
- Lines that carry none: page furniture (`furniture_mask`: hyperlink lines and their wrapped
  tails, lone symbols, page and job numbers, footnote separators), the masthead a UN
  document opens with (安全理事会, Distr.: …, the English date, the language, Original: …),
  and annex markers (附件, 附件一 …), which become the `part` of the blocks after them.
- U+FEFF (a byte-order mark) is dropped wherever it appears, and so are U+FDD0 and U+FDD1,
  non-characters that no text needs: the parser's placeholders for footnote call marks.
- A footnote call mark (a digit or letter glued to the word before it, or a superscript)
  that names a footnote of the document moves out of the text, into the footnote's label.
- A table keeps one copy of its header (and of the heading over its columns): the copies a
  table prints at the top of each page are dropped. So the text of a table's header may go
  missing as many times as it is repeated (up to spacing and full-width forms).

The document keeps its characters in block texts, paragraph numbers and sub-paragraph
letters, footnote labels, table headers and cells, and row numbers where a table prints
them. Examples are bounded and derandomized: every run tries the same ones, in seconds.
"""

from __future__ import annotations

import codecs
import html
import io
import json
import re
import signal
import unicodedata
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

import docx
import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from test_loaders import text_pdf

from index import footnotes
from index.errors import AssistantError, IngestError
from index.ingest import Ingestor
from index.loaders import SUPPORTED_SUFFIXES, open_source
from index.models import BlockKind, Document
from index.parser import parse_file, parse_lines
from index.passages import Chunker, count_tokens
from index.runs import PART_MARKER
from index.text import fold, furniture_mask

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
_FUZZ = settings(deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def fuzz(examples: int) -> settings:
    """Bounded and reproducible: the same examples on every run, no example database."""
    return settings(_FUZZ, max_examples=examples)


# -- what a document keeps -----------------------------------------------------------------

# The masthead lines a UN document opens with, which the parser leaves out.
_MASTHEAD = re.compile(r"^\s*(?:安全理事会|Distr\.:.*|\d{1,2} \w+ \d{4}|Chinese|English|French|"
                       r"Original:.*)\s*$")


def chars(text: str) -> Counter[str]:
    """The characters of `text` that count: decomposed, whitespace left out."""
    return Counter(ch for ch in unicodedata.normalize("NFKD", text) if not ch.isspace())


def content_lines(lines: list[str]) -> list[str]:
    """The lines that carry content: no furniture, masthead or annex marker."""
    body = list(lines)
    for i, line in enumerate(body):
        if line.strip():
            if not _MASTHEAD.match(line):
                break
            body[i] = ""
    return [line for line, furniture in zip(body, furniture_mask(body), strict=True)
            if line.strip() and not furniture and not PART_MARKER.match(line)]


def content(lines: list[str]) -> Counter[str]:
    return chars(re.sub("[\ufeff\ufdd0\ufdd1]", "", "".join(content_lines(lines))))


def kept(doc: Document) -> Counter[str]:
    """Every character the document keeps, wherever the parser put it."""
    pieces: list[str] = []
    for block in doc.blocks:
        if block.kind is BlockKind.TABLE:
            pieces += block.header
            pieces += [block.row_line(row) for row in block.rows]
        elif block.kind is BlockKind.FOOTNOTE:
            pieces += [block.label or "", block.text]
        else:
            number = f"{block.number}." if block.number is not None and not block.sub else ""
            pieces += [number, block.sub or "", block.text]
    return chars("".join(pieces))


def call_marks(lines: list[str], doc: Document) -> Counter[str]:
    """The call-mark candidates in the text that name one of the document's footnotes: the
    characters a footnote link may take out of a paragraph."""
    labels = {b.label for b in doc.blocks if b.kind is BlockKind.FOOTNOTE and b.label}
    marks = Counter[str]()
    for line in content_lines(lines):
        for label in footnotes.candidate_labels(footnotes.mark_candidates(line)):
            if label in labels:
                marks += chars(label)
    return marks


def repeated_headers(lines: list[str], doc: Document) -> Counter[str]:
    """The characters of the copies of a table's header (and of the heading over its
    columns) beyond the first: tables print theirs on every page, and keep one."""
    folded = [fold(line) for line in content_lines(lines)]

    def copies(header: str) -> int:
        """How many times the header opens a line (it may run on over the next ones)."""
        count = 0
        for i in range(len(folded)):
            text, j = "", i
            while len(text) < len(header) and j < len(folded):
                text, j = text + folded[j], j + 1
            count += text.startswith(header)
        return count

    tables = doc.tables()
    headers = {fold("".join(t.header)) for t in tables} | {
        fold("".join(t.header[:-1])) for t in tables} | {  # less the group column
        fold((b.label or "") + b.text) for b in doc.blocks
        if b.called_by in {t.id for t in tables}}  # the heading over the columns
    repeats = Counter[str]()
    for header in headers - {""}:
        for ch, n in chars(header).items():
            repeats[ch] += n * max(0, copies(header) - 1)
    return repeats


def assert_nothing_lost(lines: list[str], doc: Document) -> None:
    lost = content(lines) - kept(doc) - call_marks(lines, doc) - repeated_headers(lines, doc)
    assert not lost, f"content characters lost: {dict(lost)}"


# -- realistic documents, with hostile text mixed in -------------------------------------

_HANZI = "委员会各国执行决议援助请求联络人报告提交国家年月日的和在安全理事主席专家组条约"
_HOSTILE = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1c\x1f\x7f\x85"  # control characters
    "\u200b\u200c\u200d\u2060\ufeff\u00ad"  # zero-width, soft hyphen
    "\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # bidi marks
    "\u00a0\u2003\u3000\u2028\u2029"  # other spaces and separators
    "ＡＢＣ１２３（）．，：；％＠"  # full-width forms
    "😀👍🏽🇨🇳👩\u200d💻"  # emoji, with modifiers and joiners
    "\U00020000\U0002a6d6e\u0301\u0627\u05d0"  # CJK extension B, combining, Arabic, Hebrew
    "\ue000\ue001\uf8ff\ufffd\ufdd0\ufdd1\ufffe\uffff"  # private use, non-characters
    "¹²³⁴Ⅳⅰⓐ㈠"  # superscripts and enclosed forms
)
_CHAR = st.one_of(
    st.sampled_from(_HANZI + "，。；：、（）“”《》"),
    st.sampled_from(_HOSTILE),
    st.characters(exclude_categories=("Cs",), exclude_characters="\r\n\t"),
)
_TEXT = st.text(_CHAR, min_size=1, max_size=40)
_SENTENCE = st.lists(st.one_of(st.text(st.sampled_from(_HANZI), min_size=1, max_size=12),
                               st.integers(0, 2030).map(str), _TEXT),
                     min_size=1, max_size=5).map(lambda parts: "".join(parts) + "。")
_FURNITURE = [
    ["https://undocs.org/ch/S/RES/1540(2004)"],
    ["3/4 20-06309 "], ["22-27712 70/92"], ["20-06309 (C)"], ["S/2022/899"],
    ["https://documents-dds-ny.un.org/doc/UNDOC/GEN/N16/442/57/PDF/N1644257.pdf?",
     "OpenElement"],
]
_MASTHEAD_LINES = ["安全理事会", "Distr.: General", "28 December 2018", "Chinese",
                   "Original: English"]


@st.composite
def _wrapped(draw: st.DrawFn, text: str) -> list[str]:
    """A logical line hard-wrapped as the PDF extractions are: only its last line ends in
    a space (or, in the plain style, none does)."""
    width = draw(st.integers(4, 60))
    pieces = [text[i:i + width] for i in range(0, len(text), width)] or [text]
    pieces[-1] += draw(st.sampled_from([" ", "", "  "]))
    return pieces


@st.composite
def _piece(draw: st.DrawFn, number: int) -> list[str]:
    kind = draw(st.sampled_from(
        ["numbered", "numbered", "sub", "heading", "section", "prose", "random", "annex",
         "footnote", "table", "annex_table", "furniture", "signature", "blank"]))
    if kind == "numbered":
        return draw(_wrapped(f"{number}. " + draw(_SENTENCE)))
    if kind == "sub":
        mark = draw(st.sampled_from(["(a)", "(b)", "（c）", "(iv)", "㈠", "㈡"]))
        return draw(_wrapped(f"{mark} " + draw(_SENTENCE)))
    if kind == "heading":
        return [draw(st.text(st.sampled_from(_HANZI), min_size=2, max_size=20)) + " "]
    if kind == "section":
        mark = draw(st.sampled_from(["一.", "二、", "A.", "B.", "IV."]))
        return [f"{mark} " + draw(st.text(st.sampled_from(_HANZI), min_size=2, max_size=12))]
    if kind == "prose":
        return draw(_wrapped(draw(_SENTENCE) + draw(_SENTENCE)))
    if kind == "random":
        return [draw(_TEXT) for _ in range(draw(st.integers(1, 3)))]
    if kind == "annex":
        marker = draw(st.sampled_from(["附件", "附件一", "附件二", "附 件 三", "附件十八"]))
        return [f" {marker} ", *draw(st.sampled_from([[], [""], ["  标题 ", ""]]))]
    if kind == "footnote":
        label = draw(st.sampled_from(["1", "2", "a", "¹", "²"]))
        return ["__________________ ", f" {label} " + draw(_SENTENCE) + " "]
    if kind == "table":
        header = f"表{number}\t日期\t说明"
        rows = draw(st.lists(st.sampled_from(
            ["博茨瓦纳\t2019年5月1日\t行动计划", "蒙古\t2018年\t", "应邀访问各国\t\t",
             "1. 格林纳达\t2022 年 4 月 22 日\t援助", "\t\t"]), min_size=1, max_size=6))
        return [header, *rows]
    if kind == "annex_table":
        return draw(_annex_table(number))
    if kind == "furniture":
        return draw(st.sampled_from(_FURNITURE))
    if kind == "signature":
        return ["主席", draw(st.text(st.sampled_from(_HANZI), min_size=2, max_size=4)) + "(签名) "]
    return [""]


_STATES = ["阿富汗", "博茨瓦纳", "蒙古", "波斯尼亚和黑塞哥维那", "美利坚合众国", "格林纳达",
           "联合国毒品和犯罪问题办公室", "法国"]
_DATE = st.builds("{} 年 {} 月 {} 日".format, st.integers(2004, 2022), st.integers(1, 12),
                  st.integers(1, 28))
_NOTES = ["a 本栏中的数字是会员国的数目。 ", "简称：东盟，东南亚国家联盟。 ", "注：见附件二。 "]


@st.composite
def _annex_table(draw: st.DrawFn, number: int) -> list[str]:
    """A numbered annex printed as a table, in one of the layouts `annex_tables` reads,
    rows sometimes wrapped, interrupted by random text or followed by notes."""
    state = st.sampled_from(_STATES)
    layout = draw(st.sampled_from(["state_dates", "names", "counts", "side_by_side",
                                   "coordinators", "documents", "assistance", "events"]))
    rows: list[str] = []
    for k in range(1, draw(st.integers(1, 6)) + 1):
        if layout == "state_dates":
            rows += [f"{k}. {draw(state)} {draw(_DATE)} "] + [f"{draw(_DATE)} "] * draw(
                st.integers(0, 2))
        elif layout == "names":
            rows += draw(st.sampled_from([[f"{k}. {draw(state)} "], [f"{k}. 波斯尼亚和", "黑塞哥维那 "]]))
        elif layout == "counts":
            rows += draw(st.sampled_from([[f"《生物武器公约》{k} 165 173 183 "], ["其他   "],
                                          [f"《不扩散核武器条约》{k}", "190 191 191 "]]))
        elif layout == "side_by_side":
            rows += [f"田中喜和子{k} {draw(state)} "]
        elif layout == "coordinators":
            rows += [f"{k} 法国 美利坚 合众国 — "]
        elif layout == "documents":
            rows += draw(st.sampled_from([["安全理事会决议   "], ["www.un.org/en/sc/1540/ "],
                                          [f"第 1540 号决议{k} {draw(_DATE)} S/RES/{1540 + k}(2004) "]]))
        elif layout == "assistance":
            rows += [f"{draw(_DATE)} {draw(state)} 立法援助{k} 美利坚合众国 "]
        else:
            rows += draw(st.sampled_from([["应邀访问各国   "], [f"{draw(_DATE)} 讲习班{k} 维也纳 委员会 "]]))
        if draw(st.integers(0, 4)) == 0:
            rows += [draw(_TEXT) + draw(st.sampled_from(["", " "]))]
    header = {"state_dates": [], "names": [], "counts": ["缔约国数目 ", "条约 2011 2016 2022 "],
              "side_by_side": ["姓名 国别 "], "coordinators": ["工作组 2016 2017 2018 "],
              "documents": ["标题 日期 参考 "],
              "assistance": ["日期 请求援助的国家 援助请求 应请求提供的援助 "],
              "events": ["日期 标题 地点 组织者 "]}[layout]
    notes = draw(st.lists(st.sampled_from(_NOTES), max_size=2))
    numeral = "一二三四五六七八九十"[number % 10]
    return [f" 附件{numeral} ", f"  标题{number} ", *header, *rows, *notes]


@st.composite
def documents(draw: st.DrawFn) -> list[str]:
    """Physical lines of a committee record: a masthead, an opening line, then pieces of the
    real layouts (numbered paragraphs, annexes, footnotes, tables, furniture) and random
    text, in the trailing-space or the plain style, blank lines between or not."""
    lines = _MASTHEAD_LINES[:draw(st.integers(0, len(_MASTHEAD_LINES)))]
    if draw(st.booleans()):
        lines += ["   2020 年 4 月 29 日安全理事会第 1540(2004)号决议所设委员会主席给安全理事会"
                  "主席的信 "]
    for number in range(1, draw(st.integers(1, 24)) + 1):
        lines += draw(_piece(number))
    if draw(st.booleans()):
        lines = [x for line in lines for x in (line, "")]
    return lines


# -- the parser, on realistic documents -----------------------------------------------------

@pytest.fixture(scope="module")
def scratch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One folder for all the examples of a property (tmp_path is not reset between them)."""
    return tmp_path_factory.mktemp("fuzz")


def read_or_refuse(path: Path) -> Document | None:
    """Parse a file, or check that it was refused the project's way: with its own error,
    naming the file and saying what is wrong. Any other exception fails the test."""
    try:
        doc = parse_file(path)
    except AssistantError as exc:
        if isinstance(exc, IngestError):
            assert exc.path == path and exc.problem.strip()
        assert path.name in str(exc)
        problem = exc.problem if isinstance(exc, IngestError) else str(exc)
        event(f"{path.suffix} refused: {re.split('[(:]', problem)[0].strip()}")
        return None
    event(f"{path.suffix} read")
    return doc


@given(lines=documents())
@fuzz(400)
# A numbered list that starts at 3 (cut from an earlier page) lost its printed numbers.
@example([" 附件一 ", "  名单 ", "3. 博茨瓦纳 ", "4. 蒙古 ", "10. "])
# Sub-headings of a table with no row under them.
@example(["日期\t说明\t地点", "应邀访问各国\t\t", "区域会议\t\t"])
@example([" 附件二 ", "  条约 ", "条约 2011 2016 2022 ", "《生物武器公约》 165 173 183 ", "其他   "])
@example([" 附件二 ", "  文件 ", "标题 日期 参考 ", "安全理事会决议   ", "报告   ",
          "第 1540 号决议 2004 年 4 月 28 日 S/RES/1540(2004) "])
@example([" 附件六 ", "  活动 ", "日期 标题 地点 组织者 ", "应邀访问各国   ", "区域会议   ",
          "2004 年 1 月 1 日 讲习班 维也纳 委员会 "])
# The heading printed over a table's column headings.
@example([" 附件二 ", "  专家 ", "专家组成员 ", "姓名 国别 ", "田中喜和子 日本 ", "吕晓东 中国 "])
# A footnote read as a row repeats a row number, which gave two rows one id.
@example([" 附件二 ", "  标题1 ", "工作组 2016 2017 2018 ", "1 法国 美利坚 合众国 — ",
          "__________________ ", " 1 专。 "])
# A candidate call mark ("0²") left its placeholders in a table's header or title.
@example(["2. 专", "0²。", "表3\t日期\t说明", "博茨瓦纳\t2019年5月1日\t行动计划"])
@example([" 附件二 ", "  标题1 ", "姓名 国别 ", "田中喜和子 日本 ", "吕晓东 中国 "])
# Private-use characters (where Chinese fonts put user-defined ones) were taken for the
# parser's footnote placeholders.
@example(["1. 委员会\ue000\ue001第二", "\ue0003\ue001。"])
def test_parsing_any_document_loses_no_content_character(lines: list[str]):
    doc = parse_lines(lines, original_file="generated.txt")
    assert_nothing_lost(lines, doc)
    ids = [b.id for b in doc.blocks] + [r.id for b in doc.tables() for r in b.rows]
    assert len(ids) == len(set(ids))
    blocks = json.dumps([b.model_dump(mode="json") for b in doc.blocks], ensure_ascii=False)
    assert footnotes.OPEN not in blocks and footnotes.CLOSE not in blocks, "a placeholder left"


@given(lines=documents(), encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-be",
                                                    "gb18030"]),
       suffix=st.sampled_from([".txt", ".md"]), newline=st.sampled_from(["\n", "\r\n", "\r"]))
@fuzz(150)
def test_any_text_in_any_supported_encoding_is_read_whole_or_refused(
        scratch: Path, lines: list[str], encoding: str, suffix: str, newline: str):
    """Random Unicode (control characters, bidi and zero-width marks, emoji, full-width
    forms, non-characters) in realistic records, as UTF-8, UTF-16 with a byte-order mark and
    GB18030. GB18030 has no mark, so a file may be guessed as another encoding: only a file
    read as GB18030 must keep its characters."""
    data = newline.join(lines).encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    path = scratch / f"record{suffix}"
    path.write_bytes(data)
    doc = read_or_refuse(path)
    if doc is None:  # only a blank file, or one with NUL bytes and no byte-order mark
        assert not "".join(lines).strip() or (
            "\x00" in "".join(lines) and encoding in ("utf-8", "gb18030")), \
            "a readable text file was refused"
        return
    source = open_source(path)
    if encoding != "gb18030" or source.encoding == "gb18030":
        ends_with_newline = lines[-1] == ""
        assert [line.replace("\ufeff", "") for line in source.lines()] == [
            line.replace("\ufeff", "") for line in lines[:-1 if ends_with_newline else None]]
        assert_nothing_lost(lines, doc)


@given(lines=documents())
@fuzz(40)
def test_docx_and_html_of_any_document_keep_its_characters(scratch: Path, lines: list[str]):
    """The same documents as a Word file (one paragraph per line) and a web page (one <p>
    per line). XML cannot hold most control characters, so the DOCX leaves them out; HTML
    collapses whitespace and drops NUL, as browsers do."""
    xml_safe = [re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]", "", line) for line in lines]
    docx_path = scratch / "record.docx"
    docx_path.write_bytes(_docx_bytes(xml_safe))
    doc = read_or_refuse(docx_path)
    assert doc is not None, "a Word file with a table was refused"
    assert_nothing_lost([*xml_safe, "国家", "博茨瓦纳"], doc)

    html_path = scratch / "record.html"
    html_path.write_text("<html><body>" + "".join(
        f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>", "utf-8")
    doc = read_or_refuse(html_path)
    if doc is not None:
        shown = [re.sub(r"[\x00\r]", "", line) for line in lines]
        assert_nothing_lost(shown, doc)


# -- any bytes at all ------------------------------------------------------------------------

def _docx_bytes(lines: Iterable[str]) -> bytes:
    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(1, 1).text = "国家", "博茨瓦纳"
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_VALID = {
    "pdf": text_pdf(["1. The Committee met 23 times.", "2. Assistance requests: 12."]),
    "docx": _docx_bytes(["1. 委员会举行了 23 次正式会议。", "2. 援助请求。"]),
    "html": "<html><body><h1>附件</h1><p>1. 委员会举行了会议。</p></body></html>".encode(),
    "txt": "   2020 年 4 月 29 日主席的信 \n\n1. 委员会举行了会议。 \n".encode(),
}
_FORMAT = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html"}  # others: text
_MAGIC = [b"%PDF-1.4\n", b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"\xef\xbb\xbf", b"\xff\xfe",
          b"\xfe\xff", b"\xff\xfe\x00\x00", b"<html><body><p>", b"\x89PNG\r\n\x1a\n"]


@st.composite
def _damaged_docx(draw: st.DrawFn) -> bytes:
    """A DOCX whose zip is sound but whose document XML is damaged."""
    source = zipfile.ZipFile(io.BytesIO(_VALID["docx"]))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "word/document.xml":
                data = draw(_damaged(data))
            target.writestr(item, data)
    return buffer.getvalue()


@st.composite
def _damaged(draw: st.DrawFn, valid: bytes) -> bytes:
    """A valid file damaged: truncated, overwritten, cut or padded somewhere."""
    data = bytearray(valid)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(data)))
        damage = draw(st.sampled_from(["truncate", "overwrite", "delete", "insert"]))
        if damage == "truncate":
            del data[at:]
        elif damage == "overwrite":
            chunk = draw(st.binary(min_size=1, max_size=64))
            data[at:at + len(chunk)] = chunk
        elif damage == "delete":
            del data[at:at + draw(st.integers(1, 256))]
        else:
            data[at:at] = draw(st.binary(min_size=1, max_size=64))
    return bytes(data)


@given(suffix=st.sampled_from(sorted(SUPPORTED_SUFFIXES)), data=st.data())
@fuzz(300)
def test_any_bytes_are_read_or_refused_with_the_projects_error(scratch: Path, suffix: str,
                                                              data: st.DataObject):
    """Random bytes, random bytes behind a format's magic number, and damaged valid files:
    each is read, or refused with an IngestError naming it; never another exception."""
    kind = _FORMAT.get(suffix, "txt")
    raw = data.draw(st.one_of(
        st.binary(max_size=2048),
        st.builds(bytes.__add__, st.sampled_from(_MAGIC), st.binary(max_size=2048)),
        _damaged(_VALID[kind]),
        *([_damaged_docx()] if kind == "docx" else []),
    ), label="bytes")
    path = scratch / f"record{suffix}"
    path.write_bytes(raw)
    read_or_refuse(path)


@given(text=st.text(st.one_of(_CHAR, st.characters(categories=["Cs"])), max_size=200),
       byteorder=st.sampled_from(["le", "be"]), odd=st.booleans())
@fuzz(150)
@example(text="1. 委员会\ud800。", byteorder="le", odd=False)  # a lone high surrogate
@example(text="\udc00", byteorder="be", odd=False)  # a lone low surrogate
@example(text="1. 委员会。", byteorder="le", odd=True)  # an odd number of bytes
def test_utf16_with_lone_surrogates_or_cut_bytes_is_refused_as_damaged(
        scratch: Path, text: str, byteorder: str, odd: bool):
    """UTF-16 text with a byte-order mark whose code units do not decode (a surrogate
    without its pair, a last byte cut off): refused as damaged, never read as mojibake."""
    mark = codecs.BOM_UTF16_LE if byteorder == "le" else codecs.BOM_UTF16_BE
    data = mark + text.encode(f"utf-16-{byteorder}", "surrogatepass") + (b"\x00" if odd else b"")
    path = scratch / "record.txt"
    path.write_bytes(data)
    try:
        decoded: str | None = data.decode("utf-16")
    except UnicodeDecodeError:
        decoded = None
    doc = read_or_refuse(path)
    if decoded is None:
        assert doc is None
        with pytest.raises(IngestError, match="damaged"):
            open_source(path)
    elif doc is None:
        assert not decoded.strip(), "a readable UTF-16 file was refused"


# -- one bad file among good ones --------------------------------------------------------

@pytest.fixture(scope="module")
def ingestor(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ingestor]:
    ingestor = Ingestor(tmp_path_factory.mktemp("index"))
    yield ingestor
    ingestor.close()


@given(suffix=st.sampled_from([".txt", ".pdf", ".docx", ".html"]), data=st.data())
@fuzz(25)
def test_a_broken_file_is_reported_and_the_good_one_beside_it_ingested(
        tmp_path_factory: pytest.TempPathFactory, ingestor: Ingestor, suffix: str,
        data: st.DataObject):
    folder = tmp_path_factory.mktemp("records")
    record = next(CORPUS.glob("003_*.txt"))
    (folder / record.name).write_bytes(record.read_bytes())
    broken = folder / f"broken{suffix}"
    broken.write_bytes(data.draw(st.one_of(st.binary(min_size=1, max_size=2048),
                                           _damaged(_VALID[_FORMAT.get(suffix, "txt")]))))
    report = ingestor.ingest([folder])
    assert record.name in [d.meta.original_file for d in report.documents]
    for failure in report.failures:
        assert failure.path == str(broken) and failure.problem.strip()
        assert "please report this file" not in failure.problem  # not a parser crash
    assert len(report.documents) + len(report.failures) == 2


# -- extremes --------------------------------------------------------------------------------

def test_a_line_of_200_000_characters_is_read_whole(tmp_path: Path):
    long = "委员会审议了各国提交的报告" * 15_000 + "。"
    lines = [" 1. " + long[:100_000], long[100_000:] + " ", "", "2. " + "a" * 200_000 + " "]
    path = tmp_path / "long.txt"
    path.write_text("\n".join(lines), "utf-8")
    doc = parse_file(path)
    assert [b.number for b in doc.paragraphs()] == [1, 2]
    assert_nothing_lost(lines, doc)
    check_passages(doc, Chunker())


@contextmanager
def within(seconds: int) -> Iterator[None]:
    """Fail instead of hanging: for work that takes milliseconds unless it is quadratic."""
    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_a_long_line_after_a_hyperlink_is_read_in_linear_time():
    """Whether a line is the wrapped tail of a hyperlink (one Latin token) was asked of a
    regex that backtracked once per letter: minutes for a line of 200,000 letters."""
    link = "https://documents-dds-ny.un.org/doc/UNDOC/GEN/N16/442/57/PDF/N1644257.pdf?"
    with within(10):
        assert furniture_mask([link, "a" * 200_000 + "中"]) == [True, False]
        assert furniture_mask([link, "a" * 200_000]) == [True, True]
        doc = parse_lines(["1. 委员会。 ", link, "x" * 200_000 + "中。 "], original_file="x.txt")
    assert doc.paragraphs()[-1].text.endswith("x中。")


def test_thousands_of_page_headers_and_a_repeated_table_header(tmp_path: Path):
    page = ["https://undocs.org/ch/S/RES/1540(2004)", "", "S/2022/899", "",
            "22-27712 70/92", "", "日期\t说明\t地点"]
    lines = ["1. 委员会举行了会议，", *[x for k in range(3000) for x in (
        *page, f"2022年{k % 12 + 1}月{k % 28 + 1}日\t第{k}次讲习班\t维也纳")]]
    path = tmp_path / "pages.txt"
    path.write_text("\n".join(lines), "utf-8")
    doc = parse_file(path)
    [table] = doc.tables()
    assert table.header == ["日期", "说明", "地点"] and len(table.rows) == 3000
    assert doc.paragraphs()[0].text == "委员会举行了会议，"
    check_passages(doc, Chunker())


@pytest.mark.parametrize("lines", [
    # A table opening the document (or an annex) was taken for its title, leaving its
    # first row as the header, and the same row again was dropped as a repeated header.
    ["日期\t说明\t地点", "1月22日\t圆桌会议\t阿什哈巴德", "1月22日\t圆桌会议\t阿什哈巴德"],
    ["附件", "日期\t说明\t地点", "1月22日\t圆桌会议\t阿什哈巴德", "1月23日\t圆桌会议\t阿什哈巴德"],
    # Where a trailing space ends each run, a sub-heading row ("应邀访问各国", its empty
    # cells printed as tabs) lost its tabs and cut the table in two.
    ["第一段的文字，", "到此为止。 ", "日期\t说明\t地点 ", "应邀访问各国\t\t",
     "1月22日\t圆桌会议\t阿什哈巴德 ", "1月23日\t圆桌会议\t阿什哈巴德 "],
], ids=["opening the letter", "opening an annex", "trailing-space style"])
def test_a_table_is_read_whole_wherever_it_stands(lines: list[str]):
    doc = parse_lines(lines, original_file="table.txt")
    [table] = doc.tables()
    assert table.header[:3] == ["日期", "说明", "地点"]
    assert [row.cells[1:3] for row in table.rows] == [["圆桌会议", "阿什哈巴德"]] * 2


def test_an_empty_annex_leaves_the_others_in_place():
    lines = ["1. 委员会的信。 ", " 附件一 ", " 附件二 ", "  第二个附件的标题 ", "",
             "第二个附件的内容。 ", " 附件三 "]
    doc = parse_lines(lines, original_file="annexes.txt")
    assert [(b.part, b.text) for b in doc.blocks] == [
        ("", "委员会的信。"), ("附件二", "第二个附件的标题"), ("附件二", "第二个附件的内容。")]


def test_a_file_of_page_furniture_only_is_refused(tmp_path: Path):
    path = tmp_path / "furniture.txt"
    path.write_text("\n".join(["https://undocs.org/ch/S/RES/1540(2004)", "3/4 20-06309 ",
                               "S/2022/899", "__________________ ", "20-06309 (C)"] * 500),
                    "utf-8")
    ingestor = Ingestor(tmp_path / "index")
    try:
        report = ingestor.ingest([path])
    finally:
        ingestor.close()
    assert [(f.path, f.problem) for f in report.failures] == [
        (str(path), "no text found after removing page furniture")]


# -- passages ----------------------------------------------------------------------------------

_CUT_AFTER = re.compile(r"(?<=[。；！？!?;])")  # where the chunker may cut a paragraph


def check_passages(doc: Document, chunker: Chunker) -> None:
    """What the chunker promises: ids are unique; every block's text is in its passages
    (a paragraph cut in pieces is in the pieces together, a heading in the passage it
    heads, a table row in one of its table's passages, a table's header in them too); a
    passage is over the budget only where one sentence (prose), or one row with the
    table's title and header, or the header alone (tables) is."""
    passages = chunker.passages(doc)
    assert len({p.id for p in passages}) == len(passages)
    everything = "".join(p.text for p in passages)  # the pieces of a cut passage, rejoined
    for block in doc.blocks:
        mine = [p for p in passages if block.id in p.block_ids]
        if block.kind is BlockKind.TABLE:
            for row in block.rows:
                assert any(block.row_line(row) in p.text.split("\n") for p in mine), row.id
            header = "  ".join(block.header)
            assert block.rows or any(header in p.text for p in mine), f"{block.id}'s header"
        elif block.kind is BlockKind.HEADING and not mine:  # it heads a passage
            assert block.text in everything or any(block.text in p.context for p in passages), \
                f"heading {block.id} {block.text!r} is in no passage"
        else:
            assert block.text in "".join(p.text for p in mine), f"{block.id} is cut or lost"
    for p in passages:
        assert p.tokens == count_tokens(p.text)
        if p.kind == "table":
            assert count_tokens(p.context + p.text) <= chunker.budget or len(p.numbers) <= 1
        else:
            assert p.tokens <= chunker.budget or len(
                [s for s in _CUT_AFTER.split(p.text) if s]) == 1, p.id


@given(lines=documents(), budget=st.sampled_from([30, 80, 400]),
       rows_per_group=st.integers(1, 12))
@fuzz(200)
# Headings with no paragraph under them were in no passage: before a table that carries
# another heading as its section, and at the end of a document.
@example(["一. 引言", "A. 活动", "日期\t说明\t地点", "1月22日\t圆桌会议\t阿什哈巴德"], 400, 12)
@example(["1. 委员会举行了会议。", "", "结束语"], 400, 12)
# A table with a header and no rows was in no passage, nor was the heading that it carries.
@example(["1. 委员会举行了会议。 ", "活动 ", "日期\t说明\t地点"], 400, 12)
def test_passages_of_any_document_keep_every_block_within_budget(
        lines: list[str], budget: int, rows_per_group: int):
    doc = parse_lines(lines, original_file="generated.txt")
    check_passages(doc, Chunker(budget=budget, rows_per_group=rows_per_group))


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.name[:3])
def test_passages_of_the_shipped_records_keep_every_block(path: Path):
    check_passages(parse_file(path), Chunker())
