"""Listed results: a report's rows that list what was done, then how much, in two columns.

A table of results (事務事業評価結果一覧表) prints, in each project's row, a column of indicator names,
one per line and each after a bullet (``・消火栓の設置数``), and beside it a column of their values
(``4基``). A dump that prints the page line by line interleaves the two columns, so a name and its
value no longer stand side by side; but each column keeps its order. So within a project's row the
values, in order, go to the names, in order: each value cell (a figure in a count unit or a share,
or ``-`` for none) to the oldest name still waiting. A name printed on its own line without a bullet, right
before a value on its own line (``延べ利用者数`` / ``18,250人``), is the value's, and the bullets still waiting
were notes, not names (a name and a value on one line are counted items'). Bare figures are another column's (a grant, a
code) and are left. A name the dump cut around its value (``・広報日`` / ``272日`` / ``数``) is
joined again: a line of one cell after the value, of one character or beginning with kana, ends the name. The
role and year are those of the table's header (実績値, R4実績, 平成27年度の指標名), else unspecified and
none; the kind the row-group caption (活動 / 成果) printed before the name in its row, else the
document's.
"""

from __future__ import annotations

import re
from collections import deque

from policy_kg.extract.engine.indicators import _TABLE_VALUE, SHARE_UNITS, IndicatorFact, ValueFact, _year
from policy_kg.extract.engine.labelled_values import _LABEL_YEAR, _count_unit, _may_name_count
from policy_kg.extract.engine.names import looks_like_project
from policy_kg.extract.engine.normalize import Token, cells_by_line
from policy_kg.extract.engine.table_headers import header_column
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.numbers import NumberFormatError, is_no_value, parse_number

_BULLET = "・"
_HEADER_CELLS = 30  # how far before the first row its header's cells may be
_NAME_CELL = 4  # a cell without a bullet this long names what follows it (a caption, 効率, is shorter)
_KANA_START = re.compile(r"[\u3041-\u309f]")  # a name's second half: る…, の… (a word does not start so)


def listed_results(toks: list[Token], vocab: Vocabulary, era: str | None, row_starts: list[int], taken: set[int],
                   default_kind: str) -> list[IndicatorFact]:
    """The names and values of each row from ``row_starts`` (its project's name cell) to the next."""
    out: list[IndicatorFact] = []
    lone = {line for line, cells in cells_by_line(toks).items() if len(cells) == 1}  # lines of one cell
    bounds = sorted(row_starts) + [len(toks)]
    # the header's role label (実績値), printed before the first row or inside it, holds for every row
    role, year = "unspecified", None
    for t in toks[max(0, bounds[0] - _HEADER_CELLS):bounds[0]]:
        role, year = _header_cell(t.text, vocab, era, role, year)
    for start, end in zip(bounds, bounds[1:]):
        kind = default_kind  # a row-group caption holds for the names after it in its row
        waiting: deque[tuple[Token, str]] = deque()  # names and their kind, oldest first
        named: Token | None = None  # a name without a bullet, right before the cell read now
        k = start + 1
        while k < end:
            tok = toks[k]
            text = tok.text
            k += 1
            before, named = named, None
            if text in vocab.value_role or _LABEL_YEAR.match(text):
                role, year = _header_cell(text, vocab, era, role, year)
            elif text in vocab.row_group_captions:
                kind = vocab.row_group_captions[text]
            elif text.startswith(_BULLET) and tok.index not in taken and _may_name_count(text[1:], vocab):
                waiting.append((tok, kind))
            elif (tok.line in lone and len(text) >= _NAME_CELL and tok.index not in taken
                  and _may_name_count(text, vocab) and not looks_like_project(text, vocab)):
                waiting.clear()  # ・広場を開設した … 延べ利用者数 18,250人: the bullets were notes, the value is this name's
                named = tok
            elif (waiting or before and tok.line in lone) and tok.index not in taken and (
                    is_no_value(text) or _counted(text, vocab)):
                name_tok, name_kind = (before, kind) if before and tok.line in lone else waiting.popleft()
                name = name_tok.text.removeprefix(_BULLET)
                if k < end and toks[k].line in lone and _name_rest(toks[k], vocab, taken):
                    name, k = name + toks[k].text, k + 1
                if is_no_value(text):
                    continue  # - : nothing done, no value
                m = _TABLE_VALUE.fullmatch(text)
                try:
                    value = parse_number(m.group("v"))
                except NumberFormatError:
                    continue
                out.append(IndicatorFact(name, name_kind, m.group("unit"), name_tok.span, name_tok.index, (
                    ValueFact(role, value, text, tok.span, year, tok.index),), "listed result"))
    return out


def _header_cell(text: str, vocab: Vocabulary, era: str | None, role: str, year: int | None
                 ) -> tuple[str, int | None]:
    """The role and year a header cell gives the table's values (実績値; R4実績; 平成27年度の指標名), else those so
    far (a year alone, as a title prints it, is not the values')."""
    if text in vocab.value_role:
        return vocab.value_role[text], year
    column = header_column(text, era, vocab)
    if column is not None and column.year is not None and column.role is not None:  # not the title's 令和5年度
        return column.role, column.year
    m = _LABEL_YEAR.match(text)
    if m and text[m.end():].lstrip("の") in vocab.indicator_header_words:  # 平成27年度の指標名: that year's
        return role, _year(m.group(0))
    return role, year


def _counted(text: str, vocab: Vocabulary) -> bool:
    m = _TABLE_VALUE.fullmatch(text)
    if m is None or m.group("y"):
        return False
    unit = m.group("unit")
    return unit in SHARE_UNITS or (bool(unit) and _count_unit(unit, vocab) == unit)


def _name_rest(tok: Token, vocab: Vocabulary, taken: set[int]) -> bool:
    """Whether a cell after a value is the end of the name the dump cut around it (not the next row's
    project: かわせみ水辺学習事業 begins with kana too)."""
    text = tok.text
    return (tok.index not in taken and not text.startswith(_BULLET) and text not in vocab.labels
            and not looks_like_project(text, vocab)
            and not _TABLE_VALUE.fullmatch(text) and not is_no_value(text) and "。" not in text
            and text not in vocab.direction_words and (len(text) == 1 or bool(_KANA_START.match(text)))
            and bool(re.search(r"[\u3040-\u9fff]", text)))
