"""Reading a source document: bytes → decoded, line-numbered text.

Encodings seen in the wild (UTF-8 with or without BOM, UTF-16, Shift_JIS/CP932, EUC-JP) are
detected; CRLF and CR line endings become LF. Line numbers are 1-based and are what every
``Span`` and every error message refers to.
"""

from __future__ import annotations

import codecs
import hashlib
import re
import threading
from dataclasses import dataclass
from pathlib import Path

from policy_kg.extract.records import ExtractionIssue, Span


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
    """A decoded document. ``lines[0]`` is line 1.

    ``problems`` are what decoding repaired (undecodable bytes, NULs, control characters), as
    issues naming line and byte offset; ``extract()`` puts them first in the record's issues.
    """

    file_name: str
    doc_id: str
    lines: tuple[str, ...]
    encoding: str
    problems: tuple[ExtractionIssue, ...] = ()

    def __post_init__(self) -> None:
        # ``decode`` hands its repairs over on the encoding it returns (see ``Encoding``)
        if isinstance(self.encoding, Encoding):
            if not self.problems:
                object.__setattr__(self, "problems", self.encoding.problems)
            object.__setattr__(self, "encoding", str(self.encoding))

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
    """Decode ``data``; returns (text, encoding). Raises ``UnreadableDocument``.

    Damage is local: bytes that do not decode become U+FFFD and NUL bytes are removed, each
    reported with its byte offset and line; control characters (ESC, BEL …) are removed and
    reported as ``info``. The reports travel on the returned encoding (an ``Encoding``, a str
    with ``problems``) into ``SourceText.problems`` and from there into the record's issues. A
    file that is mostly damage — NULs in more than 0.1% of its first 64 KiB, or more than 1% of
    its bytes undecodable in every supported encoding — is refused as binary or not text.
    """
    if not data.strip():
        raise UnreadableDocument(file_name, "the file is empty")
    if data.startswith(codecs.BOM_UTF8):
        decoded = _decode_damaged(data, "utf-8", 3)
        if decoded is None:
            raise UnreadableDocument(file_name, "starts like UTF-8 but is not valid UTF-8")
        return _finish(data, "utf-8-sig", 3, *decoded)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"
        decoded = _decode_damaged(data, codec, 2)
        if decoded is None:
            raise UnreadableDocument(file_name, "starts like UTF-16 but is not valid UTF-16")
        _refuse_mostly_nul(decoded[0], file_name)
        return _finish(data, "utf-16", 2, *decoded)
    # UTF-16 without BOM: every other byte zero in ASCII-heavy text
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        decoded = _decode_damaged(data, "utf-16-le", 0)
        if decoded is not None:
            _refuse_mostly_nul(decoded[0], file_name)
            return _finish(data, "utf-16-le", 0, *decoded)
    sample = data[:65536]
    if sample.count(0) * 1000 > len(sample):
        raise UnreadableDocument(file_name, "binary data, not text (NUL bytes)")
    try:
        return _finish(data, "utf-8", 0, data.decode("utf-8"), [])
    except UnicodeDecodeError:
        pass
    # Shift_JIS and EUC-JP bytes often decode under both codecs; the wrong one yields half-width
    # katakana and unassigned characters, so keep the decoding with the fewest of those. A UTF-8
    # file with a damaged byte competes too: its few replaced bytes against the legacy codecs' noise.
    candidates = []
    for rank, codec in enumerate(("utf-8", "cp932", "euc_jp")):
        decoded = _decode_damaged(data, codec, 0)
        if decoded is not None:
            text, damaged = decoded
            noise = _implausible(text) + len(damaged)
            if not damaged or noise * 10 <= len(text):  # a damaged decoding must still read as text
                candidates.append((noise, rank, codec, text, damaged))
    if candidates:
        _, _, codec, text, damaged = min(candidates)
        return _finish(data, codec, 0, text, damaged)
    if b"\0" in data:
        raise UnreadableDocument(file_name, "binary data, not text (NUL bytes)")
    raise UnreadableDocument(file_name, "not text in UTF-8, UTF-16, Shift_JIS/CP932 or EUC-JP")


class Encoding(str):
    """An encoding name as ``decode`` returns it, carrying what decoding repaired (``problems``).

    A plain ``str`` to every caller of ``decode``; ``SourceText`` moves the problems into its own
    ``problems`` field when it is built with one.
    """

    problems: tuple[ExtractionIssue, ...]

    def __new__(cls, name: str, problems: tuple[ExtractionIssue, ...] = ()) -> Encoding:
        self = super().__new__(cls, name)
        self.problems = tuple(problems)
        return self

    def __reduce__(self):  # pickled (worker processes) with its problems
        return (Encoding, (str(self), self.problems))


#: Damage above this share of the bytes means the file is not a damaged text but not text at all.
MAX_DAMAGED_SHARE = 0.01
#: Problems of one kind listed one by one in the report; the rest are summed up in one issue.
MAX_LISTED_PROBLEMS = 20
# Control characters that carry no text (ESC, BEL, backspace, DEL, C1 …); tab, line and page breaks stay.
_CONTROL = re.compile("[\x01-\x08\x0e-\x1f\x7f-\x9f]")


class _TooDamaged(Exception):
    pass


def _refuse_mostly_nul(text: str, file_name: str) -> None:
    sample = text[:32768]
    if sample.count("\0") * 1000 > len(sample):
        raise UnreadableDocument(file_name, "binary data, not text (NUL bytes)")


_damage = threading.local()


def _record_damage(exc: UnicodeError) -> tuple[str, int]:
    spans = _damage.spans
    spans.append((exc.start, exc.end))  # type: ignore[attr-defined]
    if len(spans) > _damage.limit:
        raise _TooDamaged
    return "\ufffd", exc.end  # type: ignore[attr-defined]


codecs.register_error("policy-kg-record", _record_damage)


def _decode_damaged(data: bytes, codec: str, start: int) -> tuple[str, list[tuple[int, int]]] | None:
    """``data[start:]`` decoded with undecodable bytes replaced, and their (start, end) byte offsets
    in ``data``; ``None`` when more than ``MAX_DAMAGED_SHARE`` of the bytes are damaged."""
    _damage.spans, _damage.limit = [], int(len(data) * MAX_DAMAGED_SHARE)
    try:
        text = data[start:].decode(codec, errors="policy-kg-record")
    except _TooDamaged:
        return None
    finally:
        spans, _damage.spans = _damage.spans, []
    merged: list[tuple[int, int]] = []  # adjacent bad bytes are one damaged spot
    for a, b in spans:
        if merged and merged[-1][1] == a:
            merged[-1] = (merged[-1][0], b)
        else:
            merged.append((a, b))
    return text, [(a + start, b + start) for a, b in merged]


def _finish(data: bytes, encoding: str, start: int, text: str, damaged: list[tuple[int, int]]) -> tuple[str, str]:
    """Remove NULs and control characters from ``text`` and report them with the damaged bytes."""
    codec = {"utf-8-sig": "utf-8", "utf-16": "utf-16-le" if data.startswith(codecs.BOM_UTF16_LE) else "utf-16-be"}
    codec_name = codec.get(encoding, encoding)
    wide = codec_name.startswith("utf-16")
    nuls: list[tuple[int, int]] = []
    if "\0" in text:
        unit = b"\0\0" if wide else b"\0"
        at = data.find(unit, start)
        while at != -1:
            if not wide or (at - start) % 2 == 0:
                if nuls and nuls[-1][1] == at:  # a run of NULs is one spot
                    nuls[-1] = (nuls[-1][0], at + len(unit))
                else:
                    nuls.append((at, at + len(unit)))
                at = data.find(unit, at + len(unit))
            else:
                at = data.find(unit, at + 1)
        text = text.replace("\0", "")
    found = sorted([(a, b, "damaged") for a, b in damaged] + [(a, b, "nul") for a, b in nuls])
    lines = _lines_of(data, codec_name, start, found)
    label = {"utf-8-sig": "UTF-8", "utf-8": "UTF-8", "utf-16": "UTF-16", "utf-16-le": "UTF-16",
             "cp932": "Shift_JIS/CP932", "euc_jp": "EUC-JP"}.get(encoding, encoding)
    problems: list[ExtractionIssue] = []
    for kind, what in (("damaged", f"not valid {label}; replaced by U+FFFD"), ("nul", "a NUL byte; removed")):
        hits = [(a, b, line) for (a, b, k), line in zip(found, lines) if k == kind]
        for a, b, line in hits[:MAX_LISTED_PROBLEMS]:
            shown = "bytes " + data[a:b].hex(" ").upper() if kind == "damaged" else "NUL"
            problems.append(ExtractionIssue(
                "dropped", f"line {line}, byte offset {a}: {shown}: {what}" if kind == "damaged"
                else f"line {line}, byte offset {a}: {what}" if b - a <= (2 if wide else 1)
                else f"line {line}, byte offset {a}: {(b - a) // (2 if wide else 1)} NUL bytes; removed",
                Span.line(line)))
        rest = hits[MAX_LISTED_PROBLEMS:]
        if rest:
            problems.append(ExtractionIssue(
                "dropped", f"{len(rest)} more {'damaged byte sequences' if kind == 'damaged' else 'NUL bytes'} "
                f"({what}) at byte offsets {rest[0][0]}–{rest[-1][0]}, lines {rest[0][2]}–{rest[-1][2]}",
                Span(rest[0][2], rest[-1][2])))
    if _CONTROL.search(text):
        text, controls = _remove_controls(text)
        problems += controls
    return text, Encoding(encoding, tuple(problems))


def _lines_of(data: bytes, codec: str, start: int, found: list[tuple[int, int, str]]) -> list[int]:
    """The 1-based line of each (start, end, kind) byte range of ``found`` (sorted), in one pass."""
    lines, line, pos, last = [], 1, start, ""
    for a, b, kind in found:
        segment = data[pos:a].decode(codec, errors="replace")
        line += segment.count("\n") + segment.count("\r") - segment.count("\r\n")
        if segment:
            if last == "\r" and segment[0] == "\n":
                line -= 1  # \r NUL \n: one line break once the NUL is removed
            last = segment[-1]
        lines.append(line)
        pos = b
        if kind == "damaged":
            last = "\ufffd"
    return lines


def _remove_controls(text: str) -> tuple[str, list[ExtractionIssue]]:
    """``text`` without control characters, and one ``info`` issue per line that had some."""
    issues: list[ExtractionIssue] = []
    by_line: dict[int, list[str]] = {}
    for n, line in enumerate(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"), 1):
        hits = _CONTROL.findall(line)
        if hits:
            by_line[n] = hits
    for n, hits in list(by_line.items())[:MAX_LISTED_PROBLEMS]:
        names = ", ".join(sorted({f"U+{ord(c):04X}" for c in hits}))
        issues.append(ExtractionIssue("info", f"line {n}: {len(hits)} control character(s) ({names}) removed",
                                      Span.line(n)))
    rest = list(by_line)[MAX_LISTED_PROBLEMS:]
    if rest:
        issues.append(ExtractionIssue("info", f"control characters removed on {len(rest)} more lines "
                                      f"({rest[0]}–{rest[-1]})", Span(rest[0], rest[-1])))
    return _CONTROL.sub("", text), issues


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
        from policy_kg.extract.pdf import read_pdf  # imported here: text documents do not need pdfplumber

        return read_pdf(data, p.name)
    text, encoding = decode(data, p.name)
    src = SourceText.from_text(text, p.name)
    return SourceText(src.file_name, src.doc_id, src.lines, encoding)
