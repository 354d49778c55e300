"""Find source files and read them as physical lines, whatever their format.

The parser works on physical lines with trailing whitespace kept, because in the PDF
extractions a line ending in whitespace ends a paragraph. So every loader yields lines
without their newline and leaves the rest of each line alone:

- text (.txt .text .md .markdown): decoded (UTF-8 with or without BOM, UTF-16/32 with BOM,
  GB18030/GBK/GB2312, else what charset-normalizer guesses), CRLF/CR read as LF, streamed
  line by line. Markdown is passed through unchanged: `#` marks are the parser's business.
- PDF, DOCX and HTML: see `index.readers`.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict

from index.errors import IngestError
from index.models import SourceFormat
from index.readers import docx_lines, html_lines, looks_like, open_docx, open_pdf, pdf_lines

_FORMATS: dict[str, SourceFormat] = {
    ".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md",
    ".html": "html", ".htm": "html", ".pdf": "pdf", ".docx": "docx",
}  # fmt: skip
SUPPORTED_SUFFIXES: frozenset[str] = frozenset(_FORMATS)
_SUPPORTED = ", ".join(sorted(SUPPORTED_SUFFIXES))
_CONVERTIBLE = {".doc", ".rtf", ".odt", ".wps", ".xps", ".epub"}
# Files beside the records that are not records, skipped when a folder is walked: the
# metadata file (index.metadata), the segmenter's dictionary (index.lexical), and the
# glossary's tables (index.glossary), so that `ingest data/` ingests only the records.
_SIDECARS = {"documents.toml", "jieba_userdict.txt"}
_GLOSSARY_TABLES = ("states.tsv", "terms.tsv")  # a folder holding one is the glossary

_CHUNK = 1 << 20  # bytes read at a time when hashing and checking an encoding
_SAMPLE = 64 * 1024  # leading bytes used to guess an encoding
_MAX_LINE = 1_000_000  # characters; longer "lines" mean the file is not line-structured text

_BOMS = [  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
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
        readers: dict[str, Callable[[], Iterator[str]]] = {
            "pdf": lambda: pdf_lines(self.path), "docx": lambda: docx_lines(self.path),
            "html": lambda: html_lines(self.path, self.encoding),
        }  # fmt: skip
        reader = readers.get(self.format, lambda: _text_lines(self))
        try:
            yield from reader()
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
                open_pdf(path, need_text=True)
            else:
                open_docx(path)
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
    files `~$*`, the project's own files: documents.toml, FILE.meta.toml sidecars, the
    segmenter's dictionary and the glossary folder) into the files to ingest, reporting
    missing paths and unsupported files rather than raising, so one bad file does not stop
    a whole ingest."""
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
        dirs[:] = [d for d in dirs if not d.startswith(".")
                   and not any(Path(folder, d, t).is_file() for t in _GLOSSARY_TABLES)]
        files += [Path(folder, n) for n in names
                  if not n.startswith((".", "~$")) and n not in _SIDECARS
                  and not n.endswith(".meta.toml")]  # a file's own metadata sidecar
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


# --- text -------------------------------------------------------------------------------


def _check_text(path: Path, *, html: bool) -> tuple[str, str]:
    """Hash the file and find the encoding that decodes all of it, streaming (bounded memory).

    Order: byte-order mark; UTF-8; for HTML a declared <meta charset>; GB18030 when the text
    is plausibly Chinese; charset-normalizer's guess from the leading sample; GB18030.
    """
    with path.open("rb") as f:
        head = f.read(_SAMPLE)
    bom = next((enc for mark, enc in _BOMS if head.startswith(mark)), None)
    what = looks_like(head)
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
