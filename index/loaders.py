"""Find source files and read them as physical lines, whatever their format.

The parser works on physical lines with trailing whitespace kept, because in the PDF
extractions a line ending in whitespace ends a paragraph. So every loader yields lines
without their newline and leaves the rest of each line alone:

- text (.txt .text .md .markdown): decoded (UTF-8 with or without BOM, UTF-16/32 with BOM,
  GB18030/GBK/GB2312, else what charset-normalizer guesses), CRLF/CR read as LF, streamed
  line by line. Markdown is passed through unchanged: `#` marks are the parser's business.
- PDF: pypdf's `extract_text()` page by page, lines as pypdf gives them; no page markers.
  A PDF with an empty user password (an owner password only restricts printing or copying)
  is read; one that needs a password to open is refused.
- DOCX: one line per body paragraph in document order (blank paragraphs are blank lines, a
  line break inside a paragraph starts a new line), one line per table row with its cells
  joined by tabs. Headers, footers, footnotes and comments are not read.
- HTML: one line per block element, table rows as tab-joined cells, `<pre>` line by line;
  script, style, nav, noscript, template and head are skipped. Whitespace is collapsed.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from index.errors import IngestError
from index.models import SourceFormat

_FORMATS: dict[str, SourceFormat] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
}  # fmt: skip
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
_SUPPORTED = ", ".join(sorted(SUPPORTED_SUFFIXES))
_CONVERTIBLE = {".doc", ".rtf", ".odt", ".wps", ".xps", ".epub"}
_SIDECARS = {"documents.toml"}  # the metadata file beside the records (index.metadata)

_CHUNK = 1 << 20  # bytes read at a time when hashing and checking an encoding
_SAMPLE = 64 * 1024  # leading bytes used to guess an encoding
_MAX_LINE = 1_000_000  # characters; longer "lines" mean the file is not line-structured text

_BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]  # fmt: skip
_MAGIC = [
    (b"%PDF-", "a PDF document"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"PK\x03\x04", "a ZIP archive (DOCX, XLSX ...)"), (b"\x1f\x8b", "a gzip archive"),
    (b"\xd0\xcf\x11\xe0", "a legacy Office file (.doc/.xls) or a password-protected DOCX"),
    (b"\x7fELF", "a program"), (b"7z\xbc\xaf", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
]  # fmt: skip
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.I)


class Source(BaseModel):
    """A validated source file: what it is, its fingerprint, and a way to read its lines."""

    model_config = ConfigDict(frozen=True)

    path: Path
    format: SourceFormat
    encoding: str | None = None  # the codec used to decode a text or HTML file
    sha256: str
    size: int

    def lines(self) -> Iterator[str]:
        """Physical lines without newlines, trailing whitespace kept. Text files stream."""
        readers: dict[str, Callable[[Source], Iterator[str]]] = {
            "pdf": _pdf_lines, "docx": _docx_lines, "html": _html_lines,
        }  # fmt: skip
        reader = readers.get(self.format, _text_lines)
        try:
            yield from reader(self)
        except OSError as exc:
            raise IngestError(self.path, f"cannot read the file ({exc}): check it is still there"
                              " and readable") from exc


def open_source(path: Path | str) -> Source:
    """Check that `path` is a readable record in a supported format and fingerprint it.

    Raises IngestError naming the problem and what to do; the checks are the cheap ones that
    catch most bad inputs (empty, binary, encrypted, scanned, damaged) before any parsing.
    """
    path = Path(path)
    fmt = _FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise _unsupported(path)
    if not path.exists():
        raise IngestError(path, "no such file (or a broken link): check the path")
    if not path.is_file():
        what = "a folder" if path.is_dir() else "not a regular file"
        raise IngestError(path, f"is {what}: give a file (folders are expanded by discover)")
    try:
        size = path.stat().st_size
        if size == 0:
            raise IngestError(path, "file is empty: re-export or re-download it")
        encoding = None
        if fmt in ("txt", "md", "html"):
            encoding, sha = _check_text(path, html=fmt == "html")
        else:
            sha = _sha256(path)
            if fmt == "pdf":
                _open_pdf(path, need_text=True)
            else:
                _open_docx(path)
    except PermissionError as exc:
        raise IngestError(path, "cannot read the file (permission denied): check its "
                          "permissions") from exc
    except OSError as exc:
        raise IngestError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    source = Source(path=path, format=fmt, encoding=encoding, sha256=sha, size=size)
    if fmt == "html" and not any(line.strip() for line in source.lines()):
        raise IngestError(path, "HTML page has no visible text: save the record's page itself")
    return source


def discover(paths: Iterable[Path | str]) -> tuple[list[Path], list[IngestError]]:
    """Expand folders (recursively, sorted; skipping hidden files and folders, Office lock
    files `~$*` and documents.toml) into the files to ingest, reporting missing paths and
    unsupported files rather than raising, so one bad file does not stop a whole ingest."""
    found: list[Path] = []
    errors: list[IngestError] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            candidates = _walk(path)
            if not candidates:
                errors.append(IngestError(path, f"folder has no files to ingest ({_SUPPORTED})"))
        elif path.exists():
            candidates = [path]
        else:
            errors.append(IngestError(path, "no such file or folder: check the path"))
            continue
        for candidate in candidates:
            if candidate.suffix.lower() not in SUPPORTED_SUFFIXES:
                errors.append(_unsupported(candidate))
                continue
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, errors


def _walk(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files += [Path(folder, n) for n in names
                  if not n.startswith((".", "~$")) and n not in _SIDECARS]
    return sorted(files, key=lambda p: p.relative_to(root).parts)


def _unsupported(path: Path) -> IngestError:
    suffix = path.suffix.lower()
    problem = f"unsupported file type {suffix or '(no suffix)'}; supported: {_SUPPORTED}"
    if suffix in _CONVERTIBLE:
        problem += f" (convert it, e.g. soffice --headless --convert-to docx {path.name})"
    return IngestError(path, problem)


def _sha256(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _looks_like(head: bytes) -> str | None:
    return next((what for magic, what in _MAGIC if head.startswith(magic)), None)


# --- text -------------------------------------------------------------------------------


def _check_text(path: Path, *, html: bool) -> tuple[str, str]:
    """Hash the file and find the encoding that decodes all of it, streaming (bounded memory).

    Order: byte-order mark; UTF-8; for HTML a declared <meta charset>; GB18030 when the text
    is plausibly Chinese; charset-normalizer's guess from the leading sample; GB18030.
    """
    with path.open("rb") as f:
        head = f.read(_SAMPLE)
    bom = next((enc for mark, enc in _BOMS if head.startswith(mark)), None)
    what = _looks_like(head)
    if what and not html:
        raise IngestError(path, f"not a text file: looks binary (it starts like {what}); give "
                          "it the right suffix, or convert it to UTF-8 text, PDF or DOCX")
    if bom is None and b"\x00" in head:
        raise IngestError(path, "not a text file: looks binary (it contains NUL bytes); if it "
                          "is UTF-16 text without a byte-order mark, re-save it as UTF-8")
    sha = hashlib.sha256()
    verdict = _decode_all(path, bom or "utf-8", sha)
    if bom and verdict is None:
        raise IngestError(path, f"not valid {bom} although it starts with a byte-order mark: "
                          "the file is damaged; re-export it as UTF-8")
    encoding = bom or "utf-8"
    if verdict is None:
        encoding, verdict = _guess_encoding(path, head, html)
    if verdict is None:
        raise IngestError(path, "not a text file: looks binary, or uses an encoding other "
                          "than UTF-8, UTF-16 (with BOM) or GB18030; re-save it as UTF-8")
    if not verdict:
        raise IngestError(path, "file has no text (only whitespace): re-export the record")
    return encoding, sha.hexdigest()


def _guess_encoding(path: Path, head: bytes, html: bool) -> tuple[str, bool | None]:
    declared = _META_CHARSET.search(head[:4096]) if html else None
    candidates = [_codec(declared.group(1).decode("ascii"))] if declared else []
    sample = head.decode("gb18030", errors="ignore")
    non_ascii = [ch for ch in sample if ord(ch) > 127]
    if non_ascii and sum(_in_gb2312(ch) for ch in non_ascii) >= 0.8 * len(non_ascii):
        candidates.append("gb18030")  # GB18030 decodes most bytes: demand common hanzi
    from charset_normalizer import from_bytes  # slow to import: only when needed

    best = from_bytes(head).best()
    candidates += [_codec(best.encoding)] if best else []
    candidates.append("gb18030")
    for encoding in dict.fromkeys(c for c in candidates if c):
        verdict = _decode_all(path, encoding)
        if verdict is not None:
            return encoding, verdict
    return "", None


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return "gb18030" if codec in ("gb2312", "gbk") else codec  # read as the superset


def _in_gb2312(ch: str) -> bool:
    try:
        ch.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _decode_all(path: Path, encoding: str, sha: Any = None) -> bool | None:
    """None if `encoding` cannot decode the whole file, else whether it has non-blank text."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    has_text, ok = False, True
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            if sha is not None:
                sha.update(chunk)
            if ok:
                try:
                    text = decoder.decode(chunk)
                except UnicodeDecodeError:
                    ok = False
                    if sha is None:
                        return None
                    continue
                has_text = has_text or bool(text.strip())
    try:
        has_text = bool(decoder.decode(b"", final=True).strip()) or has_text
    except UnicodeDecodeError:
        return None
    return has_text if ok else None


def _text_lines(src: Source) -> Iterator[str]:
    with src.path.open(encoding=src.encoding, errors="strict", newline=None) as f:
        number = 0
        try:
            while line := f.readline(_MAX_LINE + 1):
                number += 1
                if line.endswith("\n"):
                    line = line[:-1]
                elif len(line) > _MAX_LINE:
                    raise IngestError(src.path, f"line {number} is over {_MAX_LINE:,} characters"
                                      ": this is not line-structured text; convert the record "
                                      "to text with line breaks, PDF or DOCX")
                yield line.removeprefix("\ufeff") if number == 1 else line
        except UnicodeDecodeError as exc:
            raise IngestError(src.path, f"cannot decode line {number + 1} as {src.encoding}: the"
                              " file changed since it was opened; ingest it again") from exc


# --- PDF --------------------------------------------------------------------------------


def _open_pdf(path: Path, *, need_text: bool = False) -> Any:
    from pypdf import PasswordType, PdfReader
    from pypdf.errors import DependencyError

    with path.open("rb") as f:
        head = f.read(1024)
    if b"%PDF-" not in head:
        what = _looks_like(head)
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


def _page_text(path: Path, reader: Any, index: int) -> str:
    from pypdf.errors import DependencyError

    try:
        return str(reader.pages[index].extract_text())
    except DependencyError as exc:
        raise IngestError(path, f"PDF uses AES encryption: pip install cryptography, or "
                          f"decrypt it first, e.g. qpdf --decrypt in.pdf out.pdf ({exc})") from exc
    except Exception as exc:
        raise IngestError(path, f"cannot extract the text of page {index + 1} ("
                          f"{type(exc).__name__}: {exc}): re-export the PDF") from exc


def _pdf_lines(src: Source) -> Iterator[str]:
    reader = _open_pdf(src.path)
    for index in range(len(reader.pages)):
        text = _page_text(src.path, reader, index)
        if text:
            yield from text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- DOCX -------------------------------------------------------------------------------


def _open_docx(path: Path) -> Any:
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
        what = _looks_like(head)
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


def _docx_lines(src: Source) -> Iterator[str]:
    doc = _open_docx(src.path)
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


def _html_lines(src: Source) -> Iterator[str]:
    from selectolax.lexbor import LexborHTMLParser

    text = src.path.read_bytes().decode(src.encoding or "utf-8", errors="replace")
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
