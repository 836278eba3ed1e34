"""Tables of projects whose rows the dump kept on their lines: a list of evaluated projects.

A header line names the columns, one of them a project-name label (事務事業名) and another a
department or money label::

    No. 事務事業名 担当課 決算額(千円) 評価
    1 ひかり館維持管理事業 生涯学習課 12,345 A
    2 市民ふれあいまつり 市民協働課 3,210 B

Each following line with exactly as many cells as the header is a row: the cell under the name
label is a project's name, whatever its ending (the column says what it is), the cell under a
department label its department, a figure under a money label its amount of that kind. A line with
another number of cells ends the table (a name with a blank inside cannot be placed by count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from policy_kg.extract.engine.money import DECLARATION, is_figure_cell, is_unit_cell
from policy_kg.extract.engine.normalize import CJK, NOTE_MARKS, Line, Token, cells_by_line
from policy_kg.extract.engine.table_headers import header_column
from policy_kg.extract.engine.vocabulary import Vocabulary, label_text
from policy_kg.extract.engine.years import status_word, year_column
from policy_kg.extract.numbers import is_no_value

_FIGURE = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class ProjectRow:
    name: Token
    unit: Token | None  # the cell under a department label
    figures: tuple[tuple[Token, str], ...]  # each figure under a money label, and that label (決算額)
    indicator: Token | None = None  # the cell under an indicator column (指標: 相談件数(件)), if the table has one
    values: tuple[tuple[Token, str], ...] = ()  # each figure under a value column (目標値, 実績値), and its header
    header: int = -1  # the first cell of the table's header (a unit declared over it governs every row)
    direction: str | None = None  # the word under a direction column (今後の方向性: 継続), as the vocabulary names it
    counts: tuple[tuple[Token, str], ...] = ()  # each figure under a count column (参加者数(人)), and its header
    code: str | None = None  # the cell under a project-code column (事業番号: 0231)


def project_rows(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None = None, *,
                 headers_of_words: bool = False) -> list[ProjectRow]:
    """The rows of tables of projects (see the module's docstring). ``headers_of_words``: only headers
    whose every cell is a column's word (in a sheet, 事業名 あおば公園整備事業 担当課 … is a label's line)."""
    by_line = cells_by_line(toks)
    out: list[ProjectRow] = []
    for i in range(len(lines)):
        cells_of_line = by_line.get(i, [])
        if not any(label_text(c.text) in vocab.project_name for c in cells_of_line):
            continue  # most lines head no table of projects
        header = [label_text(c.text) for k, c in enumerate(cells_of_line)
                  if c.text not in vocab.column_group_captions or k == len(cells_of_line) - 1]
        # (財源内訳 国県支出金 地方債 …: a caption over the columns after it, no column of its own; last, a column)
        if headers_of_words and not all(_column_word(h, vocab, era) or h in _INDICATOR_COLUMNS
                                        or header_column(h, era, vocab) is not None for h in header):
            continue
        declared = any(DECLARATION.search(lines[k].text) for k in range(max(0, i - 1), i + 1))
        columns = _columns(header, vocab, era, years_are_money=declared)
        if columns is None:
            continue
        first = i + 1
        if _status_line(by_line.get(first, []), header, era):
            header = [f"{h}{s.text}" if year_column(h, era) else h  # 2022年度 / 決算: one column's year and status
                      for h, s in zip(header, _under_years(by_line[first], header, era))]
            first += 1
        for row_line in range(first, len(lines)):
            cells = by_line.get(row_line, [])
            if not cells or _running_head(lines, i, row_line):
                continue  # - 2 -, or the title again: a new page's furniture, the table goes on under it
            if _group_line(cells, vocab):
                continue  # 【総務部】 over its rows, 総務部計 21,500 under them: the table goes on
            row = _row(cells, columns, header, vocab, strict=False) if len(cells) == len(header) else None
            if row is None and cells and cells[0].text.startswith(NOTE_MARKS):
                continue  # ＊財源:国庫補助金 … under a row: the row's note, the table goes on
            if (row is None and out and out[-1].name.line == row_line - 1 and _name_tail(cells, vocab)
                    and not out[-1].name.text.endswith(vocab.project_suffixes)):
                # 中小企業融資制度利子補給 … / 事業: the end of the row's name, wrapped onto the next line
                tail = cells[0].text
                out[-1] = replace(out[-1], name=replace(out[-1].name, text=out[-1].name.text + tail))
                continue
            if row is None:
                break
            if row.unit is not None and row.unit.text in vocab.ditto_marks and out and out[-1].unit is not None:
                row = replace(row, unit=replace(row.unit, text=out[-1].unit.text))  # 〃: the row above's department
            out.append(replace(row, header=by_line[i][0].index))
    seen = {row.name.index for row in out}
    if headers_of_words:
        return out
    return out + [row for row in sequence_rows(lines, toks, vocab, era) if row.name.index not in seen]


def _group_line(cells: list[Token], vocab: Vocabulary) -> bool:
    """Whether a line inside a table of projects heads or closes a group of its rows: a caption alone in
    brackets (【総務部】, ＜都市建設部＞) or a group's total (総務部計 21,500, - 総務部合計 - 21,500 -)."""
    words = [c.text for c in cells if not is_no_value(c.text) and not is_figure_cell(c.text)]
    if len(cells) == 1 and re.fullmatch(r"[【＜<〈［\[].+[】＞>〉］\]]", cells[0].text):
        return True
    return len(words) == 1 and vocab.is_total(words[0]) and len(words) < len(cells)


def _running_head(lines: list[Line], header: int, line: int) -> bool:
    """Whether ``line`` of a table repeats a line printed before the table's ``header``: a page's running head
    (the document's title again at the top of the next page)."""
    return any(lines[k].text == lines[line].text for k in range(header))


def sequence_rows(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None = None) -> list[ProjectRow]:
    """Tables of projects a dump flattened into one line, or printed one cell per line: the header's
    cells (each a column word: No., 事務事業名, 担当課, 決算額(千円) …), then each row's cells in the same
    order, one after another (``No. 事務事業名 担当課 決算額(千円) 1 ひかり館維持管理事業 生涯学習課 12,345
    2 …``). A run of cells that does not fit the header (a number where the number column is, a unit's
    name under the department, a figure under money) ends the table."""
    if not any(label_text(t.text) in vocab.project_name for t in toks):
        return []  # no project-name column anywhere: most documents
    by_line = cells_by_line(toks)
    streams: list[list[Token]] = []  # each line of several cells, and each run of one-cell lines
    run: list[Token] = []
    for i in range(len(lines)):
        cells = by_line.get(i, [])
        if len(cells) == 1:
            run.append(cells[0])
            continue
        if run:
            streams.append(run)
            run = []
        if cells:
            streams.append(cells)
    if run:
        streams.append(run)
    out: list[ProjectRow] = []
    for cells in streams:
        p = 0
        while p < len(cells):
            q = p
            while q < len(cells) and _column_word(label_text(cells[q].text), vocab, era):
                q += 1
            header = [label_text(c.text) for c in cells[p:q]]
            columns = _columns(header, vocab, era)
            if columns is None or q == len(cells):  # no table here, or a header alone (the line reader's)
                p = q + 1 if q > p else p + 1
                continue
            width, k = len(header), q
            while k + width <= len(cells):
                row = _row(cells[k:k + width], columns, header, vocab, strict=True)
                if row is None:
                    break
                out.append(replace(row, header=cells[p].index))
                k += width
            if 0 < len(cells) - k < width and cells[-1].index == toks[-1].index:
                row = _row(cells[k:], columns, header, vocab, strict=True)  # the document is cut inside a row:
                if row is not None:  # what it prints of it (its name, its first figures) is kept
                    out.append(replace(row, header=cells[p].index))
                k = len(cells)
            p = max(k, p + 1)
    return out




def _status_line(cells: list[Token], header: list[str], era: str | None) -> bool:
    """Whether a line under a header prints only the status of each year column (決算 決算 予算)."""
    years = sum(1 for h in header if year_column(h, era) is not None)
    return bool(years) and len(cells) == years and all(status_word(c.text) for c in cells)


def _under_years(cells: list[Token], header: list[str], era: str | None) -> list[Token | None]:
    """The status cells of a status line, placed under the header's year columns (None under the others)."""
    it = iter(cells)
    return [next(it) if year_column(h, era) is not None else None for h in header]


def _name_tail(cells: list[Token], vocab: Vocabulary) -> bool:
    """Whether a line is the wrapped end of the name above it: one word ending like a project's name,
    and perhaps a note mark (支援事業 ※1)."""
    if not cells or len(cells) > 2 or (len(cells) == 2 and not cells[1].text.startswith(("※", "*"))):
        return False
    if not re.match(f"[{CJK}]", cells[0].text):
        return False  # (1)星空観察会事業: a heading's item, not a name's end
    return cells[0].text.endswith(vocab.project_suffixes) and not _FIGURE.fullmatch(cells[0].text)


def _column_word(cell: str, vocab: Vocabulary, era: str | None) -> bool:
    """Whether a cell can head a column of a table of projects (in a header that prints nothing else)."""
    return (cell in vocab.project_name or cell in vocab.department or _money_column(cell, vocab, era)
            or vocab.is_difference(cell) or cell in vocab.row_number_columns or cell in vocab.remark_columns
            or cell in vocab.direction_labels or cell in vocab.derived_value_columns
            or label_text(cell) in vocab.derived_value_columns)  # 方向性, 前年比(%): a row's other columns


def _money_column(cell: str, vocab: Vocabulary, era: str | None, years_are_money: bool = False) -> bool:
    """A column of sums: a money label (決算額(千円)), or a year with a budget's or an account's word
    (令和3年度決算, R4当初予算), or a year alone under a unit of money (``years_are_money``)."""
    return vocab.money_label(cell) is not None or (
        (years_are_money or any(w in cell for w in vocab.money_headers)) and year_column(cell, era) is not None) or (
        relative_budget(cell, vocab) is not None and cell not in vocab.relative_years)
    # (前年度 alone: a budget only beside a budget's column, see _columns)


_RELATIVE_TAILS = ("", "額", "予算", "当初", "予算額", "当初予算", "当初予算額")


def relative_budget(cell: str, vocab: Vocabulary) -> int | None:
    """The offset from the document's year of a column of budgets a cell names relative to it (前年度,
    前年度予算, 昨年度: -1; 本年度予算額: 0), else None."""
    for word, offset in vocab.relative_years.items():
        if cell.startswith(word) and cell[len(word):] in _RELATIVE_TAILS:
            return offset
    return None


def _columns(header: list[str], vocab: Vocabulary, era: str | None, *, years_are_money: bool = False
             ) -> tuple[int, int | None, list[int], int | None] | None:
    """``(name column, department column, money columns, number column)`` of a header, or None when it
    heads no table of projects (a project-name column and a department or money column)."""
    name_col = next((k for k, h in enumerate(header) if h in vocab.project_name), None)
    unit_col = next((k for k, h in enumerate(header) if h in vocab.department), None)
    budgets = any(h in vocab.budget_columns for h in header)  # 予算額 前年度 増減: 前年度 is the year before's budget
    money_cols = [k for k, h in enumerate(header) if k != name_col and (
        _money_column(h, vocab, era, years_are_money) or vocab.is_difference(h)
        or (budgets and h in vocab.relative_years))]
    number_col = next((k for k, h in enumerate(header) if h in vocab.row_number_columns), None)
    if name_col is None or (unit_col is None and not money_cols):
        return None
    return name_col, unit_col, money_cols, number_col


def _row(cells: list[Token], columns: tuple[int, int | None, list[int], int | None], header: list[str],
         vocab: Vocabulary, *, strict: bool) -> ProjectRow | None:
    """The row these cells make under the header, or None. ``strict`` (cells not kept on their lines):
    each column's cell must be of its kind, or the cells are not aligned."""
    name_col, unit_col, money_cols, number_col = columns
    if name_col >= len(cells):
        return None  # a row cut before its name
    name = cells[name_col]
    unit = cells[unit_col] if unit_col is not None and unit_col < len(cells) and not is_no_value(
        cells[unit_col].text) else None  # (－: the department's cell left blank)
    second = next((k for k, h in enumerate(header) if h in vocab.department and k != unit_col), None)
    if unit is not None and second is not None and second < len(cells) and cells[second].text.endswith(
            vocab.unit_suffixes) and unit.text.endswith(vocab.unit_suffixes):  # 部局名 課名: a department, its division
        unit = replace(unit, text=f"{unit.text} {cells[second].text}")
    indicator_col = next((k for k, h in enumerate(header) if h in _INDICATOR_COLUMNS or vocab.indicator_kind(h)), None)
    money_cols = [k for k in money_cols if k < len(cells) and (indicator_col is None or k < indicator_col)]
    # (事業名 … 事業費 指標名 R5目標 R5実績: the columns after the indicator's are its values, not sums)
    if (_FIGURE.fullmatch(name.text) or not re.search(f"[{CJK}]", name.text) or name.text in vocab.labels
            or vocab.is_total(name.text) or _AMOUNT.match(name.text)
            or _YEAR_START.match(name.text) and vocab.money_label(name.text)):
        return None  # (合計 60,800 58,300: the table's total; 5,100千円 | 令和5年度予算額: a sum, a money label)
    if money_cols and not any(_FIGURE.fullmatch(c.text) or is_no_value(c.text) for c in cells if c is not name):
        return None  # 1日あたり 約 7,200食を…: a line of prose as many cells long as the header, no row
    if strict and (
            (number_col is not None and number_col < len(cells)
             and not re.fullmatch(r"\d{1,3}[.．]?", cells[number_col].text))
            or (unit is not None and not unit.text.endswith(vocab.unit_suffixes))
            or not all(_FIGURE.fullmatch(cells[k].text) or is_no_value(cells[k].text) for k in money_cols)):
        return None
    figures = tuple((cells[k], header[k]) for k in money_cols
                    if _FIGURE.fullmatch(cells[k].text) and not is_no_value(cells[k].text))
    counts = tuple((cells[k], header[k]) for k, h in enumerate(header)
                   if k < len(cells) and k not in money_cols and k != name_col and _count_column(h, vocab)
                   and _FIGURE.fullmatch(cells[k].text))  # 参加者数(人) 38,000 beside 事業費(千円): a count, no sum
    direction_col = next((k for k, h in enumerate(header) if h in vocab.direction_labels), None)
    direction = (vocab.direction_words.get(cells[direction_col].text.strip("()（）"))
                 if direction_col is not None and direction_col < len(cells) else None)
    code_col = next((k for k, h in enumerate(header) if h in vocab.project_code), None)
    code = cells[code_col].text if code_col is not None and code_col < len(cells) and PROJECT_CODE.fullmatch(
        cells[code_col].text) else None
    if indicator_col is None or indicator_col >= len(cells) or _FIGURE.fullmatch(cells[indicator_col].text):
        return ProjectRow(name, unit, figures, direction=direction, counts=counts, code=code)
    values = tuple((cells[k], header[k]) for k in range(indicator_col + 1, len(cells))
                   if k not in money_cols and k < len(header) and _VALUE_CELL.fullmatch(cells[k].text))
    return ProjectRow(name, unit, figures, cells[indicator_col], values, direction=direction, counts=counts, code=code)


PROJECT_CODE = re.compile(r"[0-9A-Za-z][0-9A-Za-z\-]{1,19}")  # 0231, 01-02-03, A123: a project's code
_AMOUNT = re.compile(r"[▲△-]?\d[\d,.]*(?:百万|千|万|億)?円")  # 5,100千円: a sum, no project's name
_YEAR_START = re.compile(r"(?:令和|平成|[RH])\s?(?:\d{1,2}|元)年度")  # 令和5年度予算額: a year's money label


def _count_column(header: str, vocab: Vocabulary) -> bool:
    """Whether a column's header names a count (参加者数(人), 入場者目標(人), 利用件数): its figures are values."""
    return vocab.money_label(header) is None and vocab.names_count(header)


_INDICATOR_COLUMNS = ("指標", "指標名")  # a table of projects may print each project's indicator beside its cost
_VALUE_CELL = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?[^\d\s]{0,3}")


_STRONG = re.compile(r"[▲△-]?(?:\d{1,3}(?:,\d{3})+|[1-9]\d{4,})(?:\.\d+)?")  # a figure no code or count prints so
_BARE = re.compile(r"\d{1,3}")  # a sum under 1,000 prints no separator; 2023 or 4117 without one is no sum
_DECIMAL = re.compile(r"[▲△-]?\d{1,3}(?:,\d{3})*\.\d")
_MARK_CELL = 2  # cells this short between a name and its first figure are marks (×, ○, 自, 民間)


def money_column_cells(toks: list[Token], rows: list[tuple[int, str]], vocab: Vocabulary
                       ) -> tuple[set[int], set[int]]:
    """Small bare figures of a list's money columns. Each project's row prints, after its name (past
    marks, labels and unit cells), a run of figures on its line: its columns. A column where most rows
    print a sum (``3,394``, ``316,313``, ``9,009``) is a money column, and its small figures (``604``) are
    sums as the others are; so is each column of a list whose rows all print runs of the same length,
    two or more figures, with a sum in every column (``1,842 1,905`` over ``128 234``). ``rows``: each
    project's first cell and name. Returns those small figures' cells, and the other small figures of a
    list that prints sums (``1,842 905``: a sum, then a count or a sum), which are not read."""
    runs: list[list[Token]] = []
    rows = sorted(rows)
    for (start, name), end in zip(rows, [t for t, _ in rows[1:]] + [len(toks)]):
        while start < end and name not in toks[start].text:
            start += 1  # 自 消防施設整備事業: the row's marks before its name (and 事業(健康課): its unit after it)
        first = next((t for t in toks[start + 1:end] if _FIGURE.fullmatch(t.text) or not (
            len(t.text) <= _MARK_CELL or t.text in vocab.labels or is_unit_cell(t.text)
            or t.text.endswith(vocab.unit_suffixes))), None)  # 子ども医療費助成事業 こども家庭課 1,842
        if first is None or not _FIGURE.fullmatch(first.text):
            continue
        run = [first]
        for t in toks[first.index + 1:end]:
            if t.line != first.line or not (_FIGURE.fullmatch(t.text) or is_no_value(t.text)):
                break
            run.append(t)
        runs.append(run)
    width = max((len(r) for r in runs), default=0)
    strong = [sum(1 for r in runs if c < len(r) and _STRONG.fullmatch(r[c].text)) for c in range(width)]
    printed = [sum(1 for r in runs if c < len(r)) for c in range(width)]
    same_shape = len({len(r) for r in runs}) == 1 and width >= 2 and all(strong)
    money = {c for c in range(width) if strong[c] >= 2 and 2 * strong[c] >= printed[c] or same_shape}
    # a column of sums with one decimal (1,236.8 48.6 312.0 in 百万円): its small sums print the decimal too
    money |= {c for c in range(width) if strong[c] and all(_DECIMAL.fullmatch(r[c].text) for r in runs if c < len(r))}
    bare = [(c, t) for r in runs for c, t in enumerate(r) if _BARE.fullmatch(t.text) or c in money
            and _DECIMAL.fullmatch(t.text) and not _STRONG.match(t.text)]
    beside = {t.index for c, t in bare if c not in money} if any(strong) else set()
    return {t.index for c, t in bare if c in money}, beside
