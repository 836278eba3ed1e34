"""Tables that a text dump printed column by column: the row labels, then the figures.

A PDF dump without layout often prints a small table as its first column (one row label per line)
followed by its figure column (one figure per line), with the column's header (``平成23年度決算``)
or unit (``(千円)``) between or after them::

    図表2−4 振興会の支出      ← caption: its side (支出 = expenditure, 収入 = income)
    ほたる祭り                ← K row labels, one per line
    …
    合計
    令和3年度決算             ← the figure column's year (optional)
    1,250                     ← K figures, one per line
    …
    (千円)

Labels and figures pair only when both columns have the same number of lines: then the i-th figure
is the i-th row's, and nothing is guessed. A label column one line longer than its figures whose
first line is the caption is read without it. Unequal columns are reported, not paired.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.engine.facts import Unplaced
from policy_kg.extract.engine.normalize import CJK, Line, Token, cells_by_line
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.engine.years import YearColumn, year_column
from policy_kg.extract.numbers import UNIT_ALT, is_no_value

MIN_ROWS = 3  # fewer label lines are a heading and its note, not a table's column
CAPTION_REACH = 2  # lines before the label column where its caption may stand
_FIGURE = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?")
_DECLARATION = re.compile(rf"[(（【\[]?\s*(?:単位\s*[:：]?\s*)?(?:{UNIT_ALT})\s*[)）】\]]?")


@dataclass(frozen=True)
class ColumnRow:
    label: Token
    figure: Token


@dataclass(frozen=True)
class ColumnTable:
    caption: str | None  # the line before the labels that names the table
    side: str | None  # expenditure | income, from the caption's words; None when it says neither
    year: YearColumn | None  # the figure column's header, when one is printed between the columns
    rows: tuple[ColumnRow, ...]


def _single(line_toks: list[Token]) -> Token | None:
    return line_toks[0] if len(line_toks) == 1 else None


def _is_label(tok: Token | None) -> bool:
    if tok is None:
        return False
    text = tok.text
    return (1 < len(text) <= 30 and bool(re.search(f"[{CJK}A-Za-z]", text)) and not _FIGURE.fullmatch(text)
            and not _DECLARATION.fullmatch(text) and not text.endswith(("。", "、")))


def _is_figure(tok: Token | None) -> bool:
    return tok is not None and (bool(_FIGURE.fullmatch(tok.text)) or is_no_value(tok.text))


def column_tables(lines: list[Line], toks: list[Token], vocab: Vocabulary,
                  era: str | None) -> tuple[list[ColumnTable], list[Unplaced]]:
    """Every column-dumped table of the document, and the label/figure columns that did not pair."""
    by_line = cells_by_line(toks)
    single = [_single(by_line.get(i, [])) for i in range(len(lines))]
    tables: list[ColumnTable] = []
    unpaired: list[Unplaced] = []
    i, n = 0, len(lines)
    while i < n:
        if not _is_label(single[i]) or (i > 0 and _is_label(single[i - 1])):
            i += 1
            continue
        j = i
        while j < n and _is_label(single[j]) and year_column(single[j].text, era) is None:
            j += 1
        labels = [single[k] for k in range(i, j)]
        year = None
        k = j
        for _ in range(2):  # the figure column's header and unit, between the columns
            tok = single[k] if k < n else None
            if tok is not None and year is None and year_column(tok.text, era) is not None:
                year, k = year_column(tok.text, era), k + 1
            elif tok is not None and _DECLARATION.fullmatch(tok.text):
                k += 1
        m = k
        while m < n and _is_figure(single[m]):
            m += 1
        figures = [single[x] for x in range(k, m)]
        i = max(j, m)
        if len(labels) < MIN_ROWS or len(figures) < MIN_ROWS:
            continue
        caption = _caption(lines, labels[0].line, vocab)
        if len(labels) == len(figures) + 1 and _side(labels[0].text, vocab):
            caption, labels = labels[0].text, labels[1:]
        if len(labels) != len(figures):
            unpaired.append(Unplaced(labels[0].text, labels[0].span,
                                     f"a column of {len(labels)} row labels and a column of {len(figures)} "
                                     "figures: not paired"))
            continue
        tables.append(ColumnTable(caption, _side(caption or "", vocab), year,
                                  tuple(ColumnRow(a, b) for a, b in zip(labels, figures))))
    return tables, unpaired


def _caption(lines: list[Line], first: int, vocab: Vocabulary) -> str | None:
    for k in range(first - 1, max(-1, first - 1 - CAPTION_REACH), -1):
        text = lines[k].text
        if re.match(r"(?:図表|表)\s?\d", text) or _side(text, vocab):
            return text
    return None


def _side(text: str, vocab: Vocabulary) -> str | None:
    return next((side for word, side in vocab.table_sides.items() if word in text), None)
