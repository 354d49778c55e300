"""Loaders: every supported format reads as the parser's physical lines, and every bad input
is refused with a message that says what to do."""

from __future__ import annotations

import io
import random
from pathlib import Path

import docx
import psutil
import pytest
from pypdf import PdfReader, PdfWriter
from renditions import RenditionError, render

from index.errors import IngestError
from index.loaders import SUPPORTED_SUFFIXES, discover, open_source

CORPUS = Path(__file__).resolve().parents[2] / "data" / "corpus"
RECORDS = sorted(CORPUS.glob("*.txt"))
HARD_WRAPPED = [r for r in RECORDS if not r.name.startswith("004")]
LINE_PER_PARAGRAPH = [r for r in RECORDS if r.name.startswith("004")]


def utf8_lines(path: Path) -> list[str]:
    """What the text loader must yield for a shipped record: lines, trailing spaces kept."""
    return path.read_text("utf-8").splitlines()


def refusal(path: Path) -> str:
    with pytest.raises(IngestError) as caught:
        source = open_source(path)
        list(source.lines())
    assert caught.value.path == path
    return caught.value.problem


def text_pdf(lines: list[str]) -> bytes:
    """A minimal PDF with a real text layer (Helvetica, ASCII), written by hand."""
    shown = " T* ".join(f"({line}) Tj" for line in lines)
    content = f"BT /F1 12 Tf 14 TL 72 720 Td {shown} ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, xref,
    )
    return bytes(out)


def encrypted(pdf: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=io.BytesIO(pdf))
    # RC4 needs no optional crypto package; AES would need `cryptography`.
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# --- discover ---------------------------------------------------------------------------


def test_discover_expands_folders_sorted_and_reports_what_it_cannot_ingest(tmp_path: Path):
    for name in ["b.txt", "a/z.pdf", "a/y.docx", "c.MD", ".hidden.txt", ".git/x.txt",
                 "~$lock.docx", "notes.xlsx", "documents.toml"]:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x")
    missing = tmp_path / "nowhere.pdf"

    files, errors = discover([tmp_path, tmp_path / "b.txt", missing])

    assert [f.relative_to(tmp_path).as_posix() for f in files] == [
        "a/y.docx", "a/z.pdf", "b.txt", "c.MD",
    ]
    assert [(e.path, e.problem.split(";")[0]) for e in errors] == [
        (tmp_path / "notes.xlsx", "unsupported file type .xlsx"),
        (missing, "no such file or folder: check the path"),
    ]
    assert all(suffix in errors[0].problem for suffix in SUPPORTED_SUFFIXES)


def test_discover_of_the_data_folder_finds_only_the_records():
    """`ingest data/`: the shipped records, not the segmenter's dictionary (a .txt that
    was ingested as a document of type other) nor the glossary's .tsv tables."""
    data = Path(__file__).resolve().parents[2] / "data"
    files, errors = discover([data])
    assert errors == []
    assert files and all(f.parent == data / "corpus" for f in files)
    assert sorted(f.name for f in files) == sorted(p.name for p in (data / "corpus").iterdir())


def test_discover_reports_an_empty_folder(tmp_path: Path):
    files, errors = discover([tmp_path])
    assert files == []
    assert "folder has no files to ingest" in errors[0].problem


def test_open_source_refuses_unsupported_and_missing_files(tmp_path: Path):
    doc = tmp_path / "letter.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    assert "unsupported file type .doc" in refusal(doc)
    assert "--convert-to docx" in refusal(doc)
    assert "no such file" in refusal(tmp_path / "missing.txt")


# --- text -------------------------------------------------------------------------------


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name[:3])
def test_shipped_record_reads_as_its_physical_lines(record: Path):
    source = open_source(record)
    assert (source.format, source.encoding, source.size) == ("txt", "utf-8", record.stat().st_size)
    assert list(source.lines()) == utf8_lines(record)


@pytest.mark.parametrize(
    ("codec", "prefix", "detected"),
    [
        ("gb18030", b"", "gb18030"),
        ("utf-16-le", b"\xff\xfe", "utf-16"),
        ("utf-16-be", b"\xfe\xff", "utf-16"),
        ("utf-8", b"\xef\xbb\xbf", "utf-8-sig"),
    ],
)
def test_other_encodings_of_a_record_decode_to_the_same_lines(
    tmp_path: Path, codec: str, prefix: bytes, detected: str
):
    for record in [RECORDS[1], RECORDS[4]]:
        copy = tmp_path / record.name
        copy.write_bytes(prefix + record.read_text("utf-8").encode(codec))
        source = open_source(copy)
        assert source.encoding == detected
        assert list(source.lines()) == utf8_lines(record)


def test_traditional_chinese_in_big5_is_not_misread_as_gb18030(tmp_path: Path):
    text = "第1540（2004）號決議所設委員會主席給安全理事會主席的信。各國取得了重大進展。\n" * 5
    path = tmp_path / "big5.txt"
    path.write_bytes(text.encode("big5"))
    path.read_bytes().decode("gb18030")  # the trap: these bytes are valid GB18030 too
    source = open_source(path)
    assert source.encoding == "big5"
    assert list(source.lines()) == text.splitlines()


def test_windows_and_old_mac_line_ends_are_read_as_line_ends(tmp_path: Path):
    path = tmp_path / "crlf.md"
    path.write_bytes("# 附件 \r\n\r\n第一段 \r第二段\r\n".encode())
    source = open_source(path)
    assert source.format == "md"
    assert list(source.lines()) == ["# 附件 ", "", "第一段 ", "第二段"]  # passed through


def test_empty_and_blank_files_are_refused(tmp_path: Path):
    empty, blank = tmp_path / "empty.txt", tmp_path / "blank.txt"
    empty.write_bytes(b"")
    blank.write_text(" \n\t\n")
    assert refusal(empty).startswith("file is empty")
    assert refusal(blank).startswith("file has no text")


def test_binary_files_are_refused_as_not_text(tmp_path: Path):
    png = tmp_path / "scan.txt"
    png.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    noise = tmp_path / "noise.md"
    noise.write_bytes(random.Random(1540).randbytes(4096).replace(b"\x00", b"\x01"))
    nul = tmp_path / "nul.txt"
    nul.write_bytes(b"abc\x00def\n")
    assert refusal(png).startswith("not a text file: looks binary (it starts like a PNG image)")
    assert refusal(noise).startswith("not a text file: looks binary")
    assert refusal(nul).startswith("not a text file: looks binary (it contains NUL bytes)")


def test_a_line_megabytes_long_is_refused_rather_than_read_whole(tmp_path: Path):
    path = tmp_path / "one-line.txt"
    path.write_text("短行\n" + "字" * 1_200_000)
    lines = open_source(path).lines()
    assert next(lines) == "短行"
    with pytest.raises(IngestError, match="line 2 is over 1,000,000 characters"):
        next(lines)


def test_a_50_mb_text_file_streams_in_bounded_memory(tmp_path: Path):
    record = RECORDS[1].read_bytes()
    big = tmp_path / "big.txt"
    with big.open("wb") as out:
        while out.tell() < 50 * 2**20:
            out.write(record)
    copies = big.stat().st_size // len(record)
    process = psutil.Process()
    baseline = peak = process.memory_info().rss

    source = open_source(big)
    count = 0
    for count, _line in enumerate(source.lines(), start=1):
        if count % 20_000 == 0:
            peak = max(peak, process.memory_info().rss)

    assert count == copies * len(utf8_lines(RECORDS[1]))
    # Read whole, the file would be a ~50 MB str and hundreds of MB as a list of lines.
    assert peak - baseline < 32 * 2**20, f"RSS grew {(peak - baseline) / 2**20:.0f} MB"


# --- PDF --------------------------------------------------------------------------------


def test_pdf_text_is_read_page_by_page(tmp_path: Path):
    path = tmp_path / "letter.pdf"
    path.write_bytes(text_pdf(["Resolution 1540 (2004)", "Annex"]))
    source = open_source(path)
    assert (source.format, source.encoding) == ("pdf", None)
    assert [line.strip() for line in source.lines()] == ["Resolution 1540 (2004)", "Annex"]


def test_pdf_marks_the_space_between_paragraphs_with_a_blank_line(tmp_path: Path):
    """The text layer does not say where a paragraph ends; the page does, by leaving space."""
    path = tmp_path / "spaced.pdf"
    path.write_bytes(text_pdf(["First paragraph", "runs on.", "", "Second one.", "", "", "Third."]))
    assert [line.strip() for line in open_source(path).lines()] == [
        "First paragraph", "runs on.", "", "Second one.", "", "Third."]


def test_pdf_without_text_layer_is_refused_with_ocr_advice(tmp_path: Path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    path = tmp_path / "scanned.pdf"
    writer.write(path)
    assert refusal(path).startswith("PDF has no text layer (scanned image?): run OCR")


def test_encrypted_pdf_is_refused_with_decrypt_advice(tmp_path: Path):
    path = tmp_path / "secret.pdf"
    path.write_bytes(encrypted(text_pdf(["Confidential"]), user_password="secret"))
    problem = refusal(path)
    assert problem.startswith("PDF is encrypted: decrypt it first")
    assert "qpdf --decrypt" in problem


def test_pdf_with_only_an_owner_password_is_read(tmp_path: Path):
    path = tmp_path / "no-copy.pdf"
    path.write_bytes(encrypted(text_pdf(["Restricted printing"]), user_password=""))
    assert [line.strip() for line in open_source(path).lines()] == ["Restricted printing"]


def test_damaged_and_fake_pdfs_are_refused(tmp_path: Path):
    damaged = tmp_path / "damaged.pdf"
    damaged.write_bytes(b"%PDF-1.7\n" + random.Random(7).randbytes(2048))
    fake = tmp_path / "photo.pdf"
    fake.write_bytes(b"\xff\xd8\xff\xe0" + bytes(100))
    assert refusal(damaged).startswith("PDF is damaged or truncated")
    assert refusal(fake).startswith("not a PDF: it does not start with %PDF- (it looks like a JPEG")


# --- DOCX -------------------------------------------------------------------------------


def write_docx(path: Path) -> None:
    document = docx.Document()
    document.add_heading("附件", level=1)
    document.add_paragraph("第一段以空格结尾 ")
    document.add_paragraph("")
    broken = document.add_paragraph("第一行")
    broken.add_run().add_break()
    broken.add_run("第二行")
    table = document.add_table(rows=2, cols=3)
    for row, cells in zip(table.rows, [["编号", "国家", "日期"], ["1", "多民族玻利", "2004年"]],
                          strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    table.cell(1, 1).add_paragraph("维亚国")
    document.add_paragraph("结尾")
    document.save(str(path))


def test_docx_reads_paragraphs_and_table_rows_in_body_order(tmp_path: Path):
    path = tmp_path / "record.docx"
    write_docx(path)
    source = open_source(path)
    assert (source.format, source.encoding) == ("docx", None)
    assert list(source.lines()) == [
        "附件", "第一段以空格结尾 ", "", "第一行", "第二行",
        "编号\t国家\t日期", "1\t多民族玻利 维亚国\t2004年", "结尾",
    ]


def test_truncated_docx_is_refused_as_damaged(tmp_path: Path):
    path = tmp_path / "record.docx"
    write_docx(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert refusal(path) == "DOCX is damaged or truncated (not a valid zip): re-export it"


def test_legacy_doc_renamed_docx_is_refused_with_conversion_advice(tmp_path: Path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    assert "legacy Word .doc" in refusal(path)


# --- HTML -------------------------------------------------------------------------------

PAGE = """<html><head><meta charset="gb2312"><title>标题</title><style>p {}</style></head>
<body><nav>首页 | 文件</nav><script>var x = "脚本";</script>
<h1>第1540(2004)号决议</h1><p>第一段
   续行。</p><div>甲<p>乙</p>丙</div><!-- 注释 --><ul><li>项一</li><li>项二</li></ul>
<table><tr><th>国家</th><th>日期</th></tr>
<tr><td>多民族<br>玻利维亚国</td><td>2004年<br>2008年</td></tr></table>
<pre>行一
  行二 </pre><p>前<br>后 &amp; 末</p></body></html>"""


def test_html_reads_one_line_per_block_and_tab_joined_table_rows(tmp_path: Path):
    path = tmp_path / "page.htm"
    path.write_bytes(PAGE.encode("gb2312"))
    source = open_source(path)
    assert (source.format, source.encoding) == ("html", "gb18030")
    assert list(source.lines()) == [
        "第1540(2004)号决议", "第一段 续行。", "甲", "乙", "丙", "项一", "项二",
        "国家\t日期", "多民族 玻利维亚国\t2004年 2008年", "行一", "  行二 ", "前", "后 & 末",
    ]


def test_html_without_visible_text_is_refused(tmp_path: Path):
    path = tmp_path / "shell.html"
    path.write_text("<html><head><script>app()</script></head><body><nav>菜单</nav></body>")
    assert refusal(path).startswith("HTML page has no visible text")


# --- renditions of the shipped records (LibreOffice) -----------------------------------


def nonblank(lines: list[str]) -> list[str]:
    return [line.strip() for line in lines if line.strip()]


def squeeze(lines: list[str]) -> str:
    return "".join("".join(lines).split())


def assert_same_lines_allowing_soft_wraps(expected: list[str], got: list[str]) -> None:
    """Each text line must be one rendered line, or several consecutive ones where the page
    was too narrow for it: line boundaries of the text are kept, none are invented inside a
    line except by wrapping, and no text is lost or added."""
    position = 0
    for number, line in enumerate(expected, start=1):
        joined = ""
        while squeeze([joined]) != squeeze([line]):
            assert position < len(got) and squeeze([line]).startswith(
                squeeze([joined, got[position]])
            ), f"text line {number} {line!r} not found at rendered line {position + 1}"
            joined += got[position]
            position += 1
    assert position == len(got), f"extra rendered lines: {got[position:position + 3]}"


@pytest.mark.parametrize("record", RECORDS, ids=lambda p: p.name[:3])
def test_docx_rendition_of_a_record_reads_as_the_same_lines(record: Path, rendition):
    assert list(open_source(rendition(record, "docx")).lines()) == utf8_lines(record)


@pytest.mark.parametrize("record", HARD_WRAPPED, ids=lambda p: p.name[:3])
def test_pdf_rendition_of_a_hard_wrapped_record_reads_as_the_same_lines(record: Path, rendition):
    got = nonblank(list(open_source(rendition(record, "pdf")).lines()))
    assert_same_lines_allowing_soft_wraps(nonblank(utf8_lines(record)), got)


def paragraph_ends(lines: list[str]) -> set[int]:
    """Where the blank lines fall, as offsets into the text without whitespace."""
    ends, offset = set(), 0
    for line in lines:
        if line.strip():
            offset += len(squeeze([line]))
        else:
            ends.add(offset)
    return ends - {0, offset}


@pytest.mark.parametrize("record", LINE_PER_PARAGRAPH, ids=lambda p: p.name[:3])
def test_pdf_rendition_of_a_record_with_long_lines_has_the_same_text(record: Path, rendition):
    pdf = rendition(record, "pdf")
    got = list(open_source(pdf).lines())
    assert squeeze(got) == squeeze(utf8_lines(record))
    # Each paragraph break of the text comes back as a blank line; the PDF adds only its
    # page breaks.
    text_ends, pdf_ends = paragraph_ends(utf8_lines(record)), paragraph_ends(got)
    assert text_ends <= pdf_ends
    assert len(pdf_ends - text_ends) < len(PdfReader(pdf).pages)


def test_rendition_without_libreoffice_says_how_to_install_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenditionError, match="make system-deps"):
        render(RECORDS[3], "pdf", tmp_path)


def test_test_helpers_cannot_pass_vacuously():
    """The soft-wrap comparison must reject lost, merged or reordered lines."""
    assert_same_lines_allowing_soft_wraps(["ab cd", "ef"], ["ab", "cd", "ef"])
    for bad in (["ab cd"], ["ab cdef"], ["ef", "ab cd"], ["ab cd", "ef", "gh"]):
        with pytest.raises(AssertionError):
            assert_same_lines_allowing_soft_wraps(["ab cd", "ef"], bad)
