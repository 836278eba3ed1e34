"""Two tables a layout dump printed side by side, read one after the other.

A sheet often prints its cost table and its indicator table next to each other; a layout-preserving
dump (``pdftotext -layout``) then gives each line a row of both::

     区分   R4決算  R5決算  R6予算          指標名        単位  R4実績  R5実績
     事業費  1,200   1,350   1,480            講座の開催回数  回    10      11

so the cost row runs on into the indicator row and neither table is read. Where a header line holds
the head of a table of years or money on the left and, after a wide gap, the head of another table (指標名, 活動指標,
区分 …: the vocabulary's header words and labels), the lines from that header down to the first blank
line or the first line that prints across the boundary are cut at the boundary's display column (a
full-width character two columns wide): their left
halves are read first, then their right halves. Each half keeps its source line, so provenance is
unchanged. A dump that keeps no columns (one blank between words) never shows the boundary.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from policy_kg.extract.engine.table_headers import header_column
from policy_kg.extract.engine.vocabulary import Vocabulary, vocabulary
from policy_kg.extract.engine.years import status_word, year_column

_CELL = re.compile(r"\S+(?: \S+)*")  # a cell: words one blank apart
_WIDE_GAP = 4  # blanks before the second table's head: wider than a table's own column gap
_SLACK = 3  # how far a row's cell may start from the boundary's column


def reading_order(raw_lines: list[str], vocab: Vocabulary | None = None) -> list[tuple[int, str]]:
    """``(line number, text)`` of every source line in reading order: the lines of side-by-side tables
    cut in two, all left halves before the right halves; every other line as it is."""
    vocab = vocab or vocabulary()
    out: list[tuple[int, str]] = []
    n, i = len(raw_lines), 0
    while i < n:
        cut = _boundary(raw_lines[i], vocab) if "  " in raw_lines[i] else None
        if cut is None:
            out.append((i + 1, raw_lines[i]))
            i += 1
            continue
        end = i + 1
        while end < n and raw_lines[end].strip() and _halves(raw_lines[end], cut) is not None:
            end += 1
        start = i - 1 if out and out[-1][0] == i and _halves(out[-1][1], cut, gap=_WIDE_GAP) else i
        if start < i:  # the caption line above both tables (事業費の推移 … 活動指標)
            out.pop()
        block = [(k + 1, _halves(raw_lines[k], cut)) for k in range(start, end)]
        if end - i < 2 or not any(left.strip() and right.strip() for _, (left, right) in block[1:]):
            out.extend((k + 1, raw_lines[k]) for k in range(start, i + 1))
            i += 1
            continue
        out.extend((k, left) for k, (left, _) in block if left.strip())
        out.extend((k, right) for k, (_, right) in block if right.strip())
        i = end
    return out


def _cells(text: str) -> list[tuple[int, str]]:
    """Each cell of a line with the display column it starts at (a full-width character is two columns wide,
    as a layout dump and an editor show it)."""
    cells, column, at = [], 0, 0
    for m in _CELL.finditer(text):
        column += _width(text[at:m.start()])
        cells.append((column, m.group(0)))
        column += _width(m.group(0))
        at = m.end()
    return cells


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _end(cell: tuple[int, str]) -> int:
    return cell[0] + _width(cell[1])


def _boundary(text: str, vocab: Vocabulary) -> int | None:
    """The column where a second table's head starts on a header line of years, or None."""
    cells = _cells(text)
    for k in range(1, len(cells)):
        at, cell = cells[k]
        gap = at - _end(cells[k - 1])
        head, first = cell.split(" ")[0], cells[0][1].split(" ")[0]
        repeated = head == first  # 区分 令和4年度 令和5年度  区分 …: the same head again
        if gap < (2 if repeated else _WIDE_GAP) or not _opens_table(head, vocab) or (
                len(cells) - k < 2 and " " not in cell):
            continue  # (the second table's head and at least one column of it)
        left = [unicodedata.normalize("NFKC", w) for _, c in cells[:k] for w in c.split(" ")]
        right = [unicodedata.normalize("NFKC", w) for _, c in cells[k:] for w in c.split(" ")]
        if repeated or (_has_columns(left, vocab) and any(_column_of_values(c, vocab) for c in right)
                        and not any(c in vocab.project_name for c in left)):
            return at  # (two heads of columns; a list of projects owns every cell of its rows: 事業名 … 指標名 R6目標)
    return None


def _has_columns(words: list[str], vocab: Vocabulary) -> bool:
    """Whether a header's words name a table of years or of money."""
    return any(year_column(w, None) is not None or status_word(w) or vocab.money_label(w) is not None for w in words)


def _column_of_values(word: str, vocab: Vocabulary) -> bool:
    """Whether a header cell heads a column of a year's or a role's values (R4実績, 目標値, 令和5年度)."""
    return year_column(word, None) is not None or header_column(word, None, vocab) is not None


@lru_cache(maxsize=4096)
def _opens_table(cell: str, vocab: Vocabulary) -> bool:
    word = unicodedata.normalize("NFKC", cell)
    return word in vocab.indicator_header_words or word in vocab.indicator or vocab.money_label(word) is not None


def _halves(text: str, cut: int, gap: int = 2) -> tuple[str, str] | None:
    """The line cut at column ``cut`` (a cell may start up to ``_SLACK`` columns either side, ``gap`` blanks
    after the cell before it), or None when a cell runs across the boundary."""
    cells = _cells(text)
    starts = [m.start() for m in _CELL.finditer(text)]  # where each cell starts in the string
    for k, (at, cell) in enumerate(cells):
        if _end((at, cell)) <= cut - 1:
            continue
        if abs(at - cut) <= _SLACK and (k == 0 or at - _end(cells[k - 1]) >= gap):
            return text[:starts[k]].rstrip(), text[starts[k]:]
        if at > cut + _SLACK and (k == 0 or _end(cells[k - 1]) <= cut - 1):
            return text[:starts[k]].rstrip(), text[starts[k]:]  # the right half starts further right (indented)
        return None
    return text.rstrip(), ""
