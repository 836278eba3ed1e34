"""Figures a document prints as an indicator's values that no recogniser could read.

A sheet whose cells a dump scrambled still prints its values: ``(見込) 4``, ``実績 3,755``, ``7,800枚``.
When neither the row (which indicator) nor the column (which year, which role) can be told, the
figure is not asserted; it is listed here so that the report says what was left and a curation file
can state it. A figure cell counts when it carries a count unit or a share (``12件``, ``85%``), or when
it is printed right after a column label (``目標値 3000``, ``(見込) 4``, ``20年度 1 1``) or a unit's cell
(``冊 152,000``). Cells another fact took, codes, dates and money are not listed, nor a share printed
after a figure read or on a row read (``前年比 1.7%``, ``達成率 96%``): that row's ratio, derived from
the figures.
"""

from __future__ import annotations

import re

from policy_kg.extract.engine.facts import Unplaced
from policy_kg.extract.engine.indicators import _TABLE_VALUE, SHARE_UNITS
from policy_kg.extract.engine.normalize import Token
from policy_kg.extract.engine.table_headers import NOT_KEPT, header_column
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.numbers import is_no_value

_CODE = re.compile(r"0\d+|\d{6,}")  # 05010603, 112203: a code, not a value
_LABEL_LENGTH = 12  # a column label is short (令和4年度実績値): longer cells are not tried


def unread_values(toks: list[Token], vocab: Vocabulary, era: str | None, taken: set[int],
                  beside_sums: set[int] = frozenset()) -> list[Unplaced]:
    """The figure cells (see the module's docstring) outside ``taken``, in the order printed; and the
    ``beside_sums`` cells (small bare figures on a list's row after its sums) that no one read."""
    counts = set(vocab.non_money_units) - set(vocab.date_units)
    unit_cells = counts - set(vocab.word_units)  # 冊 152,000: a row's unit cell before its values
    out = []
    label, run = "", -1  # the last column label, and the cell a run of figures after it has reached
    rows_read = {t.line for t in toks if t.index in taken}
    for k, tok in enumerate(toks):
        if len(tok.text) <= _LABEL_LENGTH and (_column_label(tok.text, era, vocab) or tok.text in unit_cells):
            label, run = tok.text, k + 1  # 20年度 1 1 | 冊 152,000 158,400: a column's or a unit's cell
            continue
        if tok.index in beside_sums and tok.index not in taken:
            out.append(Unplaced(tok.text, tok.span, "beside its row's sums"))
            continue
        if k == run and is_no_value(tok.text):
            run = k + 1  # 実績値 4,880 ― 5,150: a blank year of the run, the figures after it go on
            continue
        m = _TABLE_VALUE.fullmatch(tok.text)
        if tok.index in taken or m is None or m.group("y") or _CODE.fullmatch(tok.text):
            continue
        unit = m.group("unit")
        if unit in SHARE_UNITS:
            before = k - 1 - (k > 1 and toks[k - 1].text in vocab.negative_words)  # 減額 3.3%
            if not (k and (toks[before].index in taken or toks[before].text in vocab.derived_value_columns)
                    or tok.line in rows_read):  # 達成率 40.0%: derived from the values
                out.append(Unplaced(tok.text, tok.span, f"a share in {unit}"))
        elif unit in counts:
            out.append(Unplaced(tok.text, tok.span, f"a count in {unit}"))
        elif not unit and k == run and not _row_number(toks, k):  # 20年度 1 1: the figures printed after a column label
            out.append(Unplaced(tok.text, tok.span, f"after {label}"))
            run = k + 1
    return out


def _row_number(toks: list[Token], k: int) -> bool:
    """Whether figure ``k`` opens its line before a name (1 移住者数(人) 18 …): the row's number, not a value."""
    return (k + 1 < len(toks) and toks[k + 1].line == toks[k].line and (k == 0 or toks[k - 1].line != toks[k].line)
            and _TABLE_VALUE.fullmatch(toks[k + 1].text) is None)


def _column_label(cell: str, era: str | None, vocab: Vocabulary) -> bool:
    """Whether a cell heads a column of values: a role (目標値, (見込)), a year (20年度) or both (H28実績)."""
    word = cell.strip("()（）[]【】")
    if word in vocab.estimate_labels:
        return True
    column = header_column(word, era, vocab)
    return column is not None and (column.year is not None or column.role not in NOT_KEPT)
