"""Reading a source document: bytes → decoded, line-numbered text.

Encodings seen in the wild (UTF-8 with or without BOM, UTF-16, Shift_JIS/CP932, EUC-JP) are
detected; CRLF and CR line endings become LF. Line numbers are 1-based and are what every
``Span`` and every error message refers to.
"""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path


class ExtractionError(Exception):
    """A document could not be read or has no known layout. Carries the file and line."""

    exit_code = 3

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


class UnreadableDocument(ExtractionError):
    """Empty, binary, or in no encoding we can decode."""


class UnknownLayout(ExtractionError):
    """Readable text, but not a layout policy-kg knows."""


@dataclass(frozen=True)
class SourceText:
    """A decoded document. ``lines[0]`` is line 1."""

    file_name: str
    doc_id: str
    lines: tuple[str, ...]
    encoding: str

    @property
    def content_hash(self) -> str:
        return hashlib.sha256("\n".join(self.lines).encode("utf-8")).hexdigest()

    def line(self, n: int) -> str:
        """Line ``n`` (1-based)."""
        return self.lines[n - 1]

    @classmethod
    def from_text(cls, text: str, file_name: str = "<text>", doc_id: str | None = None) -> SourceText:
        lines = tuple(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))
        if lines and lines[-1] == "":
            lines = lines[:-1]
        return cls(file_name, doc_id or doc_id_for(file_name), lines, "utf-8")


# Extraction holds about five times the file size in memory and takes seconds per megabyte of
# layout-like text; real sheets and plans are well under 1 MB, so anything larger is refused
# before it is read rather than tying up a build for minutes.
MAX_BYTES = 16 * 1024 * 1024


def _implausible(text: str) -> int:
    return sum(1 for c in text if "\uff61" <= c <= "\uff9f" or "\ue000" <= c <= "\uf8ff" or c == "\ufffd")


def doc_id_for(file_name: str) -> str:
    """A stable, IRI-safe slug from a file name: its stem, with anything unusual replaced."""
    stem = Path(file_name).stem
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", stem).strip("-.")
    if not slug:  # a name of only non-ASCII characters: fall back to a hash of the name
        slug = "doc-" + hashlib.sha256(stem.encode("utf-8")).hexdigest()[:12]
    return slug


def decode(data: bytes, file_name: str) -> tuple[str, str]:
    """Decode ``data``; returns (text, encoding). Raises ``UnreadableDocument``."""
    if not data.strip():
        raise UnreadableDocument(file_name, "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise UnreadableDocument(file_name, "starts like UTF-16 but is not valid UTF-16") from None
    # UTF-16 without BOM: every other byte zero in ASCII-heavy text
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le"), "utf-16-le"
        except UnicodeDecodeError:
            pass
    if b"\0" in data[:65536]:
        raise UnreadableDocument(file_name, "binary data, not text (NUL bytes)")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Shift_JIS and EUC-JP bytes often decode under both codecs; the wrong one yields half-width
    # katakana and unassigned characters, so keep the decoding with the fewest of those.
    decoded = []
    for encoding in ("cp932", "euc_jp"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        decoded.append((_implausible(text), encoding, text))
    if decoded:
        _, encoding, text = min(decoded)
        return text, encoding
    raise UnreadableDocument(file_name, "not text in UTF-8, UTF-16, Shift_JIS/CP932 or EUC-JP")


def read_source(path: str | Path) -> SourceText:
    """Read and decode the document at ``path``: a text file, or a PDF's text layer (``.pdf``)."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise UnreadableDocument(p.name, f"file is {size} bytes; the limit is {MAX_BYTES}")
        data = p.read_bytes()
    except OSError as exc:
        raise UnreadableDocument(str(p), f"cannot read: {exc.strerror or exc}") from exc
    if p.suffix.lower() == ".pdf":
        from extract.pdf import read_pdf  # imported here: text documents do not need pdfplumber

        return read_pdf(data, p.name)
    text, encoding = decode(data, p.name)
    src = SourceText.from_text(text, p.name)
    return SourceText(src.file_name, src.doc_id, src.lines, encoding)
