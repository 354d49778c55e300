"""Readers for the formats that are not plain text: PDF, DOCX and HTML, each yielding physical
lines without newlines (see `index.loaders` for what every reader promises).

- PDF: pypdf's `extract_text()` page by page, lines as pypdf gives them, plus what the text
  layer alone does not say: a blank line where the page leaves vertical space between two
  lines (a paragraph break) and between pages, as the corpus's own extractions have them.
  A PDF with an empty user password is read; one that needs a password to open is refused.
- DOCX: one line per body paragraph in document order (blank paragraphs are blank lines, a
  line break inside a paragraph starts a new line), one line per table row with its cells
  joined by tabs. Headers, footers, footnotes and comments are not read.
- HTML: one line per block element, table rows as tab-joined cells, `<pre>` line by line;
  script, style, nav, noscript, template and head are skipped. Whitespace is collapsed.
"""

from __future__ import annotations

import itertools
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from index.errors import IngestError

_MAGIC = [
    (b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX ...)"), (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls) or a password-protected DOCX"),
    (b"\x7fELF", "a program"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
]  # fmt: skip


def looks_like(head: bytes) -> str | None:
    """What a file's leading bytes say it is ("a JPEG image"), if they say anything."""
    return next((what for magic, what in _MAGIC if head.startswith(magic)), None)


# --- PDF --------------------------------------------------------------------------------


def open_pdf(path: Path, *, need_text: bool = False) -> Any:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        what = looks_like(head)
        like = f" (it looks like {what})" if what else ""
        raise IngestError(path, f"not a PDF: it does not start with %PDF-{like}; check the file"
                          " or give it the right suffix")
    encrypted = ("PDF is encrypted: decrypt it first, e.g. qpdf --decrypt --password=PASSWORD "
                 "in.pdf out.pdf")
    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise IngestError(path, encrypted)
        pages = len(reader.pages)
        if pages == 0:
            raise IngestError(path, "PDF has no pages: re-export it")
        if need_text and not any(_page_text(path, reader, i).strip() for i in range(pages)):
            raise IngestError(path, "PDF has no text layer (scanned image?): run OCR, e.g. "
                              "ocrmypdf in.pdf out.pdf, and ingest the result")
    except IngestError:
        raise
    except DependencyError as exc:
        raise IngestError(path, f"{encrypted} (or pip install cryptography: {exc})") from exc
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise IngestError(path, f"PDF is damaged or truncated ({type(exc).__name__}: {exc}): "
                          "re-export it, or repair it, e.g. qpdf in.pdf repaired.pdf") from exc
    return reader


def _page_text(path: Path, reader: Any, index: int, visitor: Any = None) -> str:
    from pypdf.errors import DependencyError

    try:
        return str(reader.pages[index].extract_text(visitor_text=visitor))
    except DependencyError as exc:
        raise IngestError(path, f"PDF uses AES encryption: pip install cryptography, or "
                          f"decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf ({exc})") from exc
    except Exception as exc:
        raise IngestError(path, f"cannot extract the text of page {index + 1} ("
                          f"{type(exc).__name__}: {exc}): re-export the PDF") from exc


def pdf_lines(path: Path) -> Iterator[str]:
    reader = open_pdf(path)
    for index in range(len(reader.pages)):
        if index:
            yield ""  # a page break
        yield from _spaced_lines(path, reader, index)


_PARAGRAPH_GAP = 1.5  # a step down this many times the usual line pitch leaves a blank line


def _spaced_lines(path: Path, reader: Any, index: int) -> Iterator[str]:
    """A page's lines as pypdf extracts them, with a blank line wherever the page leaves more
    vertical space than its usual line pitch: how a PDF marks a paragraph break, which its
    text layer does not record. pypdf's visitor sees the same text it returns, piece by
    piece, with each piece's position; a line's height is that of its longest piece (a
    raised footnote mark does not move it)."""
    pieces: list[tuple[str, float]] = []

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        pieces.append((text, tm[4] * cm[1] + tm[5] * cm[3] + cm[5]))

    text = _page_text(path, reader, index, visit)
    if "".join(piece for piece, _ in pieces) != text:  # not what the visitor saw: no spacing
        yield from _split(text)
        return
    lines: list[str] = []
    heights: list[float | None] = []
    current: list[str] = []
    longest: tuple[int, float | None] = (0, None)
    for piece, y in pieces:
        for k, part in enumerate(_split(piece)):
            if k:
                lines.append("".join(current))
                heights.append(longest[1])
                current, longest = [], (0, None)
            current.append(part)
            if len(part.strip()) > longest[0]:
                longest = (len(part.strip()), y)
    lines.append("".join(current))
    heights.append(longest[1])
    placed = [height for height in heights if height is not None]
    steps = sorted(a - b for a, b in itertools.pairwise(placed) if a > b)
    pitch = steps[len(steps) // 4] if steps else 0.0  # the usual step: most lines run on
    above: float | None = None
    for line, height in zip(lines, heights, strict=True):
        if height is not None:
            if pitch and above is not None and above - height > _PARAGRAPH_GAP * pitch:
                yield ""
            above = height
        yield line


def _split(text: str) -> list[str]:
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- DOCX -------------------------------------------------------------------------------


def open_docx(path: Path) -> Any:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    damaged = "DOCX is damaged or truncated (not a valid zip): re-export it"
    with path.open("rb") as f:
        head = f.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise IngestError(path, "not a DOCX: it is a legacy Word .doc or a password-protected "
                          "DOCX; remove the password, or convert it, e.g. soffice --headless "
                          f"--convert-to docx {path.name}")
    if not head.startswith(b"PK"):
        what = looks_like(head)
        raise IngestError(path, damaged + (f" (it looks like {what})" if what else ""))
    try:
        return docx.Document(str(path))
    except (zipfile.BadZipFile, PackageNotFoundError, EOFError) as exc:
        raise IngestError(path, damaged) from exc
    except KeyError as exc:
        raise IngestError(path, f"not a Word document: the zip lacks {exc}; is it another "
                          "Office format? Save it as .docx") from exc
    except Exception as exc:  # damaged XML or zip members
        raise IngestError(path, f"DOCX is damaged ({type(exc).__name__}: {exc}): re-export "
                          "it") from exc


def docx_lines(path: Path) -> Iterator[str]:
    doc = open_docx(path)
    yield from _docx_blocks(doc.element.body, doc)


def _docx_blocks(element: Any, parent: Any) -> Iterator[str]:
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        if child.tag == qn("w:p"):
            yield from Paragraph(child, parent).text.split("\n")
        elif child.tag == qn("w:tbl"):
            for row in child.iterchildren(qn("w:tr")):
                yield "\t".join(_docx_cell(tc, parent) for tc in row.iterchildren(qn("w:tc")))
        elif child.tag == qn("w:sdt"):  # content control: read what it contains
            for content in child.iterchildren(qn("w:sdtContent")):
                yield from _docx_blocks(content, parent)


def _docx_cell(tc: Any, parent: Any) -> str:
    """A cell's paragraphs (nested tables included) joined by spaces, so a row is one line."""
    from docx.oxml.ns import qn
    from docx.text.paragraph import Paragraph

    texts = (Paragraph(p, parent).text for p in tc.iter(qn("w:p")))
    return " ".join(" ".join(t.split()) for t in texts if t.strip())


# --- HTML -------------------------------------------------------------------------------

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "iframe", "object", "svg"}
_BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog",
    "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3",
    "h4", "h5", "h6", "header", "hgroup", "hr", "li", "main", "ol", "p", "section", "summary",
    "table", "tbody", "tfoot", "thead", "ul", "center",
}  # fmt: skip
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")


def html_lines(path: Path, encoding: str | None) -> Iterator[str]:
    from selectolax.lexbor import LexborHTMLParser

    text = path.read_bytes().decode(encoding or "utf-8", errors="replace")
    root = LexborHTMLParser(text.removeprefix("\ufeff")).root
    if root is None:
        return
    buffer: list[str] = []

    def flush() -> Iterator[str]:
        line = _HTML_SPACE.sub(" ", "".join(buffer)).strip(" ")
        buffer.clear()
        if line:
            yield line

    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        tag = node.tag
        if leaving:
            yield from flush()
        elif tag == "-text":
            buffer.append(node.text(deep=False))
        elif tag in _SKIP or tag.startswith("-"):  # comments, doctype
            continue
        elif tag == "br":
            yield from flush()
        elif tag in ("tr", "pre"):
            yield from flush()
            if tag == "tr":
                cells = [c for c in _children(node) if c.tag in ("td", "th")]
                yield "\t".join(_html_inline(cell) for cell in cells)
            else:
                yield from node.text(deep=True).removesuffix("\n").split("\n")
        else:
            if tag in _BLOCKS:
                yield from flush()
                stack.append((node, True))
            stack.extend((child, False) for child in reversed(_children(node)))
    yield from flush()


def _children(node: Any) -> list[Any]:
    children, child = [], node.child
    while child is not None:
        children.append(child)
        child = child.next
    return children


def _html_inline(node: Any) -> str:
    """All visible text under `node` on one line (a table cell, nested tables flattened)."""
    parts: list[str] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.tag == "-text":
            parts.append(current.text(deep=False))
        elif current.tag in ("br", "p", "div", "li", "td", "th", "tr"):
            parts.append(" ")
        if current.tag not in _SKIP and (current.tag == "-text" or not current.tag.startswith("-")):
            stack.extend(reversed(_children(current)))
    return _HTML_SPACE.sub(" ", "".join(parts)).strip(" ")
