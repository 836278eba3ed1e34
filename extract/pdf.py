"""Reading a PDF document: its text layer → the same line-numbered text a PDF-to-text dump gives.

Each page's words (pdfplumber, from the glyphs' positions, not the content stream's order) are
grouped into rows by their vertical position and ordered left to right. Words separated by a
visible gap are joined with one space; glyphs that touch are joined with nothing, so Japanese text
is not letter-spaced. A vertical gap of one or more empty rows becomes that many blank lines,
measured against the document's own line pitch. The text documents policy-kg reads mark the first
line of each page with one leading space (see ``extract.profiles.business_plan.text._is_page_start``),
so the first line of every page here gets one too; pages are otherwise simply consecutive.

Everything that can go wrong with a file named ``.pdf`` — not a PDF, truncated, encrypted, broken
inside, no text layer — is an ``UnreadableDocument`` naming the file, never another exception.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any

from policy_kg.extract.source import SourceText, UnreadableDocument, doc_id_for

ENCODING = "pdf"  # the ``SourceText.encoding`` of a document read from a PDF

# Words are split finely (a gap of a fifth of the glyph size) so that this module, not
# pdfplumber's fixed 3-point tolerance, decides where a space goes; the spacing rule below joins
# the pieces that touch again.
_X_TOLERANCE_RATIO = 0.2
# Two words are on one row when their vertical centres differ by less than this share of the
# smaller glyph height: a row's glyphs share a baseline give or take sub/superscripts, while the
# next row is at least one glyph height away.
_ROW_TOLERANCE = 0.5
# A gap wider than about half a character is a space. The character is the narrower glyph facing
# the gap, counted as at most half an em: a space is half an em wide in Japanese fonts (half a
# full-width kanji would be the whole space) and a quarter to a third of an em in Latin ones
# (Times: 0.25), while touching glyphs have no gap, or a hair's breadth of tracking.
_SPACE_RATIO = 0.45
# A figure or a half-empty page is not a run of blank text lines; a few keep the paragraph and
# block breaks the parsers read, more would only pad line numbers.
_MAX_BLANK_LINES = 10
# Line pitch of the document: a low percentile of the row-to-row distances (in glyph heights), as
# most documents have rows directly below each other somewhere but also many blank rows.
_PITCH_PERCENTILE = 0.1

# A broken ToUnicode map can turn glyphs into control characters; a line break among them would
# shift every later line number, and the text reader refuses NUL as binary.
_CONTROL = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")

_NOT_A_PDF = "not a PDF (no %PDF- header); if it is a text file, name it .txt"
_TRUNCATED = "truncated PDF (it does not end with %%EOF); copy or download it again"
_ENCRYPTED = "encrypted PDF (it needs a password); save an unencrypted copy first"
_NO_TEXT = "no text layer (a scanned PDF?); OCR it first"


@dataclass(frozen=True)
class _Row:
    """One rebuilt text row of a page: its text and where it sits (PDF points, top-down)."""

    text: str
    top: float
    size: float  # typical glyph height, the unit of vertical distances


def read_pdf(data: bytes, file_name: str) -> SourceText:
    """The text lines of the PDF ``data`` as a ``SourceText``. Raises ``UnreadableDocument``."""
    _check_envelope(data, file_name)
    pages = _pages_of_rows(data, file_name)
    if not pages:
        raise UnreadableDocument(file_name, "the PDF has no pages")
    if not any(pages):
        raise UnreadableDocument(file_name, _NO_TEXT)
    # built like a text document's (same doc_id rule, same defaults), then marked as read from a PDF
    src = SourceText.from_text("\n".join(_lines(pages)), file_name, doc_id_for(file_name))
    return replace(src, encoding=ENCODING)


def _check_envelope(data: bytes, file_name: str) -> None:
    """Refuse what is plainly not a whole PDF before the parser tries to make sense of it."""
    if not data.strip():
        raise UnreadableDocument(file_name, "the file is empty")
    # The header may follow a little junk (the PDF spec allows it, readers tolerate 1 KiB).
    if b"%PDF-" not in data[:1024]:
        raise UnreadableDocument(file_name, _NOT_A_PDF)
    # Every complete PDF, incremental updates included, ends with %%EOF (plus perhaps a newline or
    # some trailing junk); a cut-off download does not. pdfminer would otherwise rebuild what it
    # can and silently return the first pages only.
    if b"%%EOF" not in data[-2048:]:
        raise UnreadableDocument(file_name, _TRUNCATED)


def _pages_of_rows(data: bytes, file_name: str) -> list[list[_Row]]:
    """The rows of every page. Any parser failure becomes an ``UnreadableDocument``."""
    import pdfplumber  # imported here: reading text documents must not need it

    pages: list[list[_Row]] = []
    # pdfminer logs every recoverable oddity of a damaged file as a warning; the outcome (text or
    # one error line) is what the user sees, so its chatter is kept out of the CLI output.
    try:
        with _Quiet("pdfminer", "pdfplumber"), pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                try:
                    pages.append(_rows(page))
                finally:
                    page.close()  # drops the page's cached objects: memory stays one page deep
    except Exception as exc:  # a third-party parser on untrusted bytes can raise anything
        raise UnreadableDocument(file_name, _failure(exc)) from exc
    return pages


def _failure(exc: Exception) -> str:
    """The error message for an exception pdfplumber / pdfminer raised while reading."""
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfplumber.utils.exceptions import PdfminerException

    # pdfplumber wraps what pdfminer raises while opening the document
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], Exception):
        exc = exc.args[0]
    if isinstance(exc, PDFPasswordIncorrect):
        return _ENCRYPTED
    text = str(exc).strip()
    detail = text.splitlines()[0][:200] if text else type(exc).__name__
    if isinstance(exc, PDFEncryptionError):
        return f"encrypted PDF that cannot be decrypted here ({detail})"
    return f"damaged PDF, cannot be read ({type(exc).__name__}: {detail})"


class _Quiet:
    """Context manager raising the named loggers to ERROR for its duration."""

    def __init__(self, *names: str) -> None:
        self.loggers = [logging.getLogger(n) for n in names]
        self.levels: list[int] = []

    def __enter__(self) -> None:
        self.levels = [lg.level for lg in self.loggers]
        for lg in self.loggers:
            lg.setLevel(logging.ERROR)

    def __exit__(self, *exc: object) -> None:
        for lg, level in zip(self.loggers, self.levels):
            lg.setLevel(level)


def _rows(page: Any) -> list[_Row]:
    """The text rows of one pdfplumber page, top to bottom."""
    # Fake bold (the same glyph drawn twice, slightly offset) would otherwise double every letter.
    page = page.dedupe_chars()
    words = []
    for w in page.extract_words(keep_blank_chars=False, use_text_flow=False,
                                x_tolerance_ratio=_X_TOLERANCE_RATIO, return_chars=True):
        text = _CONTROL.sub("", w["text"]).strip()
        if text:
            words.append({**w, "text": text})
    return [_row(ws) for ws in _cluster(words)]


def _size(word: dict) -> float:
    """A word's glyph height, never zero (a degenerate font matrix must not divide by zero)."""
    return max(float(word["bottom"]) - float(word["top"]), 0.1)


def _middle(word: dict) -> float:
    """A word's vertical centre (points from the top of the page)."""
    return (float(word["top"]) + float(word["bottom"])) / 2


def _cluster(words: Sequence[dict]) -> Iterator[list[dict]]:
    """Words grouped into rows by vertical centre, each row left to right."""
    row: list[dict] = []
    centre = height = 0.0
    for w in sorted(words, key=lambda w: (_middle(w), float(w["x0"]))):
        if row and abs(_middle(w) - centre) <= _ROW_TOLERANCE * min(_size(w), height):
            row.append(w)
            # a running mean, so a long row drifting by rounding does not split
            centre += (_middle(w) - centre) / len(row)
            height = max(height, _size(w))
            continue
        if row:
            yield sorted(row, key=lambda w: float(w["x0"]))
        row, centre, height = [w], _middle(w), _size(w)
    if row:
        yield sorted(row, key=lambda w: float(w["x0"]))


def _glyph_width(char: dict) -> float:
    """The advance width of one glyph, in points."""
    return max(float(char["x1"]) - float(char["x0"]), 0.0)


def _row(words: Sequence[dict]) -> _Row:
    """One row's text: a space where the gap between two words is visible, nothing where they touch."""
    parts = [words[0]["text"]]
    for left, right in zip(words, words[1:]):
        gap = float(right["x0"]) - float(left["x1"])
        # the character width of _SPACE_RATIO: the narrower facing glyph, at most half an em
        facing = [_glyph_width(left["chars"][-1]), _glyph_width(right["chars"][0])]
        width = min([*(w for w in facing if w > 0), _size(right) / 2, _size(left) / 2])
        parts.append((" " if gap > _SPACE_RATIO * width else "") + right["text"])
    return _Row(
        "".join(parts),
        min(float(w["top"]) for w in words),
        statistics.median(_size(w) for w in words),
    )


def _pitch(pages: Sequence[Sequence[_Row]]) -> float:
    """The document's line pitch in glyph heights (distance from one row's top to the next's)."""
    steps = sorted(
        (b.top - a.top) / max(a.size, b.size)
        for rows in pages for a, b in zip(rows, rows[1:])
    )
    # Rows closer than one glyph height are overlapping cells or sub/superscripts, not lines.
    steps = [s for s in steps if s >= 0.9]
    if not steps:
        return 1.2  # no two rows on one page: any pitch will do, no blank line can be measured
    return steps[int(_PITCH_PERCENTILE * (len(steps) - 1))]


def _lines(pages: Sequence[Sequence[_Row]]) -> list[str]:
    """Pages of rows → text lines: blank lines for empty rows, one leading space on each page."""
    pitch = _pitch(pages)
    lines: list[str] = []
    for rows in pages:
        for i, row in enumerate(rows):
            if i == 0:
                lines.append(" " + row.text)  # the page-start mark of the text dumps
                continue
            prev = rows[i - 1]
            step = (row.top - prev.top) / max(prev.size, row.size)
            blanks = min(max(round(step / pitch) - 1, 0), _MAX_BLANK_LINES)
            lines.extend([""] * blanks)
            lines.append(row.text)
    return lines
