"""Indicator tables: a header of value columns, then one row per indicator.

- **indicator table**: a header line of value columns, each a role, a year or both (``H30目標 H30実績 R1目標``,
  ``基準値 目標値 実績値``, ``目標値(R1)``, ``平成30年度 令和元年度``) after optional header words (成果指標, 単位),
  then one line per indicator: its name, an optional unit cell, one value per column (``45万人(H26)``
  carries its own year). A column without a role takes the role the row's name prints
  (``利用者数(実績)``, ``参加者数(人) 目標 …``), else ``unspecified``; a derived column (達成率) is read
  for alignment only. A row with fewer values than columns is read from the left and reported; a
  money row (事業費, a 千円 unit) is not an indicator's. A row that only prints a role continues the
  indicator above it; rows under a group caption (重点 / 活動) take its kind; a name printed on its
  own line takes the next line's values; one column is a table only under header words (指標 計画);
- the same tables printed **one cell per line** (a row's other text cells before its name, a qualifier
  before a value, a unit line after it, notes after the row reported), and **flattened into one line**
  (row after row).

What each header cell names is ``table_headers``'s job.
"""

from __future__ import annotations

import re
from dataclasses import replace

from policy_kg.extract.engine.facts import Unplaced
from policy_kg.extract.engine.indicators import _TABLE_VALUE, IndicatorFact, ValueFact, _year, split_unit
from policy_kg.extract.engine.money import DECLARATION, MONEY_UNITS
from policy_kg.extract.engine.names import looks_like_project
from policy_kg.extract.engine.normalize import ARROWS, Line, Token, cells_by_line
from policy_kg.extract.engine.table_headers import (
    NOT_KEPT,
    TableColumn,
    header_column,
    header_word,
    opens_header,
    table_header,
    values_missing,
    years_times_roles,
)
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.engine.years import eraless
from policy_kg.extract.numbers import NumberFormatError, is_no_value, parse_number
from policy_kg.extract.records import Span

_ROW_NUMBER = re.compile(r"\d{1,3}[.．]?|[①-⑳]|[(（]\d{1,2}[)）]")
_ITEM_MARK = re.compile(r"[(（]?[ア-ン][)）.．]?|[①-⑳]|[(（]\d{1,2}[)）]|\d{1,2}[.．)）]")  # ア 受講者数 …: a list's mark
_ROLE_SUFFIX = re.compile(r"[(（](?P<role>[^()（）]{1,4})[)）]$")


def header_tables(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None,
                  default_kind: str) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Indicator tables whose rows the dump kept on their lines (see the module's docstring)."""
    by_line = cells_by_line(toks)
    out: list[IndicatorFact] = []
    partial: list[Unplaced] = []
    i, n = 0, len(lines)
    while i < n:
        header_cells = by_line.get(i, [])
        header = table_header(header_cells, era, vocab)
        i += 1
        if header is None or _under_money_unit(lines, i - 1):
            continue
        numbered = header_cells[0].text in vocab.row_number_columns  # No. 指標名 …: rows open with their number
        kind, columns = header
        if i < n and _bracketed_years(by_line.get(i, []), columns, era, vocab):
            columns = _bracketed_years(by_line[i], columns, era, vocab)  # (H30) (R7) under 基準値 … 最終目標
            i += 1
        elif i < n and _roles_under_years(by_line.get(i, []), columns, vocab):
            columns = _roles_under_years(by_line[i], columns, vocab)  # 令和4年度 令和5年度 / 目標 実績 目標 実績
            i += 1
        offset = 0  # the column a role printed inside the row above starts at (… 120 目標 130 140 / 実績 128 139)
        group_kind = None  # a caption over a group of rows (重点 / 活動) gives them its kind
        previous: tuple[str, str | None] | None = None  # the name and unit of the row before
        caption_kind: str | None = None  # the kind the caption of the rows that follow it prints
        units_on_values: bool | None = None  # whether the rows print a unit on their values (25件) or not (25)
        while i < n and table_header(by_line.get(i, []), era, vocab) is None:
            cells_of_line = _dated_values(by_line.get(i, []))
            if len(cells_of_line) == 1 and cells_of_line[0].text in vocab.row_group_captions:
                group_kind = vocab.row_group_captions[cells_of_line[0].text]
                i += 1
                continue
            caption = _caption(cells_of_line, by_line.get(i + 1, []), vocab)
            if caption is not None:  # 活動指標① 配布冊数(冊), then its rows: 目標値 … / 実績値 …
                previous, caption_kind = caption[:2], caption[2]
                i += 1
                continue
            continued = bool(previous and cells_of_line and cells_of_line[0].text in vocab.value_role)
            if continued:  # 実績 380 460 −: a row that only prints a role continues the indicator above it
                head = cells_of_line[0]
                cells_of_line = [Token(previous[0], head.line, head.index, head.span), *cells_of_line]
            if len(cells_of_line) > 1 and (numbered and _ROW_NUMBER.fullmatch(cells_of_line[0].text) or _ITEM_MARK.fullmatch(
                    cells_of_line[0].text)) and not _is_value(cells_of_line[1].text):
                cells_of_line = cells_of_line[1:]  # the row's number (No. 1 …) or its list mark (ア, ①, (1))
            row_kind = None
            if len(cells_of_line) > 2 and cells_of_line[0].text in vocab.indicator and not _is_value(cells_of_line[1].text):
                row_kind = vocab.indicator[cells_of_line[0].text]  # 活動指標 開設クラブ数(か所) 12 13 14
                cells_of_line = cells_of_line[1:]
            row_columns = columns[offset:] if continued else columns
            if continued and vocab.value_role.get(head.text) not in ("target", "plan"):
                row_columns = [c for c in row_columns if c.role != "final_target"]  # (the targets' column only)
            if not continued:
                cells_of_line, offset, mid_role = _mid_role(cells_of_line, vocab)
                if mid_role is not None:  # 利用区画数 区画 120 目標 130 140: the role of the columns after it
                    row_columns = columns[:offset] + [replace(c, role=c.role or mid_role) for c in columns[offset:]]
            row = _table_row(cells_of_line, row_columns, vocab)
            wrapped = 0
            if row is None:  # a name over one or two lines, its values on the next
                row, wrapped = _wrapped_row(by_line, i, columns, vocab)
            if row is None and _row_between_rows(cells_of_line, by_line.get(i + 1, []), columns, vocab):
                partial.append(Unplaced(cells_of_line[0].text, cells_of_line[0].span,
                                        "a row of the table whose cells do not fit its columns: not read"))
                i += 1
                continue  # 転入者数 人 1,820 (見直し) 1,905 between rows that fit: the table goes on
            if row is None:
                break
            name, unit, cells, row_role = row
            value_columns, gap = _right_aligned(cells, row_columns, vocab)
            placed = None if gap else _columns_of_role(row_columns, row_role, len(cells))
            value_columns = placed or value_columns
            printed_units = any(re.search(r"\d[^\d\s().,]+$", c.text.removesuffix(_bound(c.text, vocab)))
                                for col, c in zip(value_columns, cells) if col.role not in NOT_KEPT)
            if units_on_values is not None and printed_units != units_on_values:
                break  # 経営セミナー 6回 under rows of bare figures: a line of notes, not the table's
            units_on_values = printed_units
            if continued:
                unit = unit or previous[1]
            else:
                caption_kind = None  # a row of its own: the caption above named another indicator
            previous = (name, unit)
            values, printed_unit = _row_values(value_columns, cells, row_role)
            unit = unit or printed_unit
            first = by_line[i][0]
            span = Span(first.span.start, by_line[i + wrapped][-1].span.end) if wrapped else first.span
            if values and continued and out and out[-1].name == name:
                above = out[-1]
                out[-1] = IndicatorFact(above.name, above.kind, above.unit or unit, above.span, above.token,
                                        above.values + tuple(values), above.how)
            elif values:
                out.append(IndicatorFact(name, row_kind or (caption_kind if continued else None) or group_kind or kind
                                         or default_kind, unit, span, first.index, tuple(values), "indicator table"))
            if gap or (placed is None and values_missing(row_columns, len(cells))):
                partial.append(Unplaced(name, span,
                                        f"{len(cells)} values under {len(row_columns)} columns: read from the left"))
            i += 1 + wrapped
    return out, partial


_BRACKETED_YEAR = re.compile(r"[(（](?:令和|平成|[RH])\s?(?:\d{1,2}|元)(?:年度?)?[)）]")


def _dated_values(cells: list[Token]) -> list[Token]:
    """A row's cells with a value and the bracketed year a dump printed apart after it (``18 (H30)``) as one
    cell (``18(H30)``), as the value's own year."""
    out: list[Token] = []
    for cell in cells:
        before = out[-1] if out else None
        value = _TABLE_VALUE.fullmatch(before.text) if before is not None else None
        if value is not None and not value.group("y") and _BRACKETED_YEAR.fullmatch(cell.text):
            out[-1] = Token(before.text + cell.text, before.line, before.index, Span(before.span.start, cell.span.end))
        else:
            out.append(cell)
    return out if len(out) < len(cells) else cells


def _roles_under_years(cells: list[Token], columns: list[TableColumn], vocab: Vocabulary) -> list[TableColumn] | None:
    """A header's second line of roles only under a line of years, each year over the same number of roles
    (``令和4年度 令和5年度`` / ``目標 実績 目標 実績``): a column for each year and role, in order; None for any
    other line."""
    if not cells or not columns or any(c.year is None or c.role is not None for c in columns):
        return None
    roles = [vocab.value_role.get(c.text.strip("()（）")) for c in cells]
    if None in roles or len(roles) % len(columns) or len(roles) == len(columns) and len(columns) == 1:
        return None
    return years_times_roles(columns, roles)


def _bracketed_years(cells: list[Token], columns: list[TableColumn], era: str | None, vocab: Vocabulary
                     ) -> list[TableColumn] | None:
    """A header's second line of bracketed years only (``(H30) (R7)`` under ``基準値 R2 … 最終目標``): each the
    year of the next column that prints a role and no year, in order; None for any other line."""
    derived = 0  # … 最終目標 R4 / (H30) (R7) 達成度: the last column is R4's rate of achievement
    while derived < len(cells) and cells[len(cells) - 1 - derived].text in vocab.derived_value_columns:
        derived += 1
    cells = cells[:len(cells) - derived]
    years = [header_column(c.text, era, vocab) for c in cells]
    out = list(columns)
    if derived:
        if derived >= len(out) or any(c.role is not None for c in out[-derived:]):
            return None
        out[-derived:] = [TableColumn(None, "derived")] * derived
    open_roles = [k for k, c in enumerate(out) if c.role not in (None, *NOT_KEPT) and c.year is None]
    if not years or not all(y is not None and y.bracketed for y in years) or len(years) != len(open_roles):
        return None
    known = [c.year for c in columns if c.year is not None]
    for k, y, cell in zip(open_roles, years, cells):
        year = y.year
        if known and eraless(cell.text.strip("()（）")):  # (27年度) over 28年度 … 元年度: of the era nearest them
            read = [header_column(cell.text, e, vocab) for e in ("H", "R")]
            year = min((r.year for r in read if r is not None and r.year is not None),
                       key=lambda v: abs(v - sum(known) / len(known)), default=year)
        out[k] = replace(out[k], year=year)
    return out


def _mid_role(cells: list[Token], vocab: Vocabulary) -> tuple[list[Token], int, str | None]:
    """A row that prints a role among its values (``利用区画数 区画 120 目標 130 140 …``): the cells without it,
    how many values come before it, and its role; else the cells as they are, 0 and None."""
    first = next((j for j, c in enumerate(cells) if _is_value(c.text)), None)
    if first is None:
        return cells, 0, None
    for j in range(first + 1, len(cells)):
        if cells[j].text in vocab.value_role and j + 1 < len(cells) and _is_value(cells[j + 1].text):
            return cells[:j] + cells[j + 1:], j - first, vocab.value_role[cells[j].text]
        if not _is_value(cells[j].text):
            break
    return cells, 0, None


def _caption(cells: list[Token], following: list[Token], vocab: Vocabulary
             ) -> tuple[str, str | None, str | None] | None:
    """``(name, unit, kind)`` of a line that names the indicator whose role rows follow it and prints no
    value (``活動指標① 配布冊数(冊)`` over ``目標値 1,200 …``); None for any other line."""
    if not cells or len(cells) > 3 or not following or following[0].text not in vocab.value_role:
        return None
    if any(_is_value(c.text) for c in cells):
        return None
    kind = vocab.indicator_kind(cells[0].text)
    rest = cells[1:] if kind is not None else cells
    if len(rest) != 1 or rest[0].text in vocab.labels or rest[0].text in vocab.indicator_header_words:
        return None
    name, unit = split_unit(rest[0].text, vocab)
    return name, unit, kind


def _under_money_unit(lines: list[Line], header: int) -> bool:
    """Whether a header line or one of the two lines above it declares a unit of money (事業費(単位:円)
    over 項目 2021年度 2022年度, then 実績 計画): its rows are sums, not indicators."""
    return any(DECLARATION.search(lines[k].text) for k in range(max(0, header - 2), header + 1))


def _wrapped_row(by_line: dict[int, list[Token]], i: int, columns: list[TableColumn], vocab: Vocabulary
                 ) -> tuple[tuple[str, str | None, list[Token], str | None] | None, int]:
    """A table row whose name a dump printed on its own line (or wrapped over two), its values on the
    next line: ``新製品の事業化件数(件)`` / ``6``. Returns the row and how many lines after ``i`` it took."""
    names: list[Token] = []
    for extra in (0, 1):
        cells = by_line.get(i + extra, [])
        if len(cells) != 1 or _is_value(cells[0].text) or (
                cells[0].text in vocab.labels or cells[0].text in vocab.row_group_captions):
            return None, 0
        names.append(cells[0])
        values = by_line.get(i + extra + 1, [])
        if values and len(values) <= len(columns) and all(
                _is_value(c.text) for c in values):
            first = names[0]
            name = Token("".join(t.text for t in names), first.line, first.index, first.span)
            row = _table_row([name, *values], columns, vocab)
            return (row, extra + 1) if row is not None else (None, 0)
    return None, 0


def cell_per_line_tables(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None,
                         default_kind: str) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Indicator tables a dump printed one cell per line: the header's cells (指標名 / 単位 / R3実績 /
    R4目標, or a year and its role apart: H28 / 実績値), then each row's text cells, optional unit and one
    value per column. A row's last text cell before its values is its name (the cells before it are the
    row's other text columns: the goal it serves); a qualifier (累計) may stand before a value and a unit
    (万人) after it, and notes after the values are text of no row. A run of values longer than the
    header, a label or more than ``_MAX_TEXT_CELLS`` text cells end the table; a row with fewer values
    than columns ends it too and is reported."""
    per_line = cells_by_line(toks)
    single = [cells[0] if len(cells) == 1 else None for cells in (per_line.get(i, []) for i in range(len(lines)))]
    out: list[IndicatorFact] = []
    partial: list[Unplaced] = []
    i, n = 0, len(single)
    while i < n:
        cell = single[i]
        if cell is None or not opens_header(cell.text, vocab):
            i += 1
            continue
        j = i
        while j < n and single[j] is not None and opens_header(single[j].text, vocab):
            j += 1
        while j < n and single[j] is not None and header_column(single[j].text, era, vocab) is not None:
            j += 1
        header = table_header([single[k] for k in range(i, j)], era, vocab)
        if header is None or _under_money_unit(lines, i):  # (単位:千円) / 区分 / R5 / R6: sums, not values
            i = j if j > i else i + 1
            continue
        kind, columns = header
        width = len(columns)
        numbered = single[i].text in vocab.row_number_columns  # No. / 指標名 / …: a number opens each row
        name_line: int | None = None  # the last text cell before the values: the row's name
        head = ""  # the first line of a name wrapped after a particle (商店街イベントの)
        unit_cell: Token | None = None
        text_cells = 0
        while j < n:
            cell = single[j]
            if (numbered and name_line is None and cell is not None and _ROW_NUMBER.fullmatch(cell.text)
                    and j + 1 < n and single[j + 1] is not None and not _is_value(single[j + 1].text)):
                j += 1  # the row's number
                continue
            if cell is not None and _is_value(cell.text):
                run, units, k, qualifiers = _value_run(single, j, columns, vocab, numbered)
                named = _row_name(head + " ".join(t.text for t in per_line[name_line]), vocab) if (
                    name_line is not None) else None
                if named is None or len(run) > width or any(c.text.endswith("円") for c in run):
                    break
                name, unit, row_role = named
                first = per_line[name_line][0]
                value_columns, gap = _right_aligned(run, columns, vocab)
                values, printed_unit = _row_values(value_columns, run, row_role, qualifiers)
                if values:
                    out.append(IndicatorFact(name, kind or default_kind,
                                             unit or (unit_cell.text if unit_cell else None) or printed_unit or units,
                                             lines[name_line].span, first.index, tuple(values),
                                             "indicator table, one cell per line"))
                j = k
                if gap:  # 15 / 12 / 80.0% / B: the row prints no value in a column between, the next row is whole
                    partial.append(Unplaced(name, lines[name_line].span, f"{len(run)} values under {width} columns: "
                                                                         "read from the left"))
                elif values_missing(columns, len(run)):
                    partial.append(Unplaced(name, lines[name_line].span, f"{len(run)} values under {width} columns: "
                                                                         "read from the left"))
                    break
                name_line, unit_cell, text_cells = None, None, 0
                continue
            if cell is not None and cell.text in vocab.non_money_units and name_line == j - 1 and unit_cell is None:
                unit_cell = cell  # 参加者数 / 人 / 450: the row's unit
                j += 1
                continue
            text = " ".join(t.text for t in per_line.get(j, []))
            if text and (text_cells == _MAX_TEXT_CELLS or opens_header(text, vocab) or text in vocab.labels
                         or vocab.money_label(text) is not None):
                break
            if text and name_line is None and out and out[-1].token < per_line[j][0].index and any(
                    _counts(t.text, vocab) for t in per_line[j]):
                part = _breakdown(text, out[-1], per_line[j][0], vocab)
                if part is None:
                    partial.append(Unplaced(text, lines[j].span, "a note after a row's values: its figures are not read"))
                else:  # kept, and told: the note's words may be cut (う for うち)
                    out[-1] = replace(out[-1], values=out[-1].values + (part,))
                    partial.append(Unplaced(text, lines[j].span, "a note after a row's value, read as the row's "
                                                                 "value of the year it prints (the note kept as its "
                                                                 "qualifier)"))
                    j += 1
                    continue
            if text:
                above = " ".join(t.text for t in per_line[name_line]) if name_line == j - 1 else ""
                head = above if above.endswith(_OPEN_PHRASE) else ""  # 商店街イベントの / 開催回数: one name
                name_line, unit_cell, text_cells = j, None, text_cells + 1
            j += 1
        i = j
    return out, partial


_OPEN_PHRASE = tuple("のをにとやへが")  # a name's line that ends so goes on on the next line


_MAX_TEXT_CELLS = 8  # text cells between two rows of a table printed one cell per line: more end it


# a note after a row's value that gives the row's value of one year: its part (うち H28年度 255人) or a
# past year's figure (参考 R3 40万人); a dump may lose characters of its words (う H28 度 255 人), but not
# the year and the figure that make it one
_BREAKDOWN = re.compile(
    r"[(（](?P<q>[^\d()（）]{0,6}?)\s*(?P<y>(?:平成|令和|H|R)\s?\d{1,2}|(?:19|20)\d{2})\s*(?:年度|年|度)?\s*"
    r"(?P<v>[\d,]+(?:\.\d+)?)\s*(?P<unit>[^\d\s()（）]{0,3})\s*[)）]")


def _breakdown(text: str, row: IndicatorFact, cell: Token, vocab: Vocabulary) -> ValueFact | None:
    """The value a note after a row's last value gives for one year (see ``_BREAKDOWN``), with the role of
    that value (a reference figure's: actual) and the note as printed as its qualifier; None when the note is not one (a date, another
    unit than the row's, more than one figure)."""
    m = _BREAKDOWN.fullmatch(text)
    if m is None or not row.values or (m.group("unit") and m.group("unit") in vocab.date_units):
        return None
    unit = m.group("unit") or None
    if unit is not None and row.unit is not None and unit != row.unit:
        return None
    try:
        value = parse_number(m.group("v"))
    except NumberFormatError:
        return None
    year = _year(m.group("y"))
    if year is None:
        return None
    printed = f"{m.group('v')}{unit or ''}"
    # a reference figure (参考) is a past year's actual; a part (うち) has the role of the value it divides
    role = "actual" if m.group("q").strip(" )）") in vocab.reference_labels else row.values[-1].role
    return ValueFact(role, value, printed, cell.span, year, cell.index, text.strip("()（） "))


def _counts(text: str, vocab: Vocabulary) -> bool:
    """Whether a cell prints a figure of something (``150人)``), not a date (``7月``) or a year."""
    m = _TABLE_VALUE.fullmatch(text.strip("()（）"))
    return bool(m) and m.group("unit") not in vocab.date_units


def _free_cell(column: TableColumn, text: str, vocab: Vocabulary) -> bool:
    """Whether ``text`` may stand in a column whose cells are not kept: a grade (B) under 達成状況, any remark;
    or in a target's column, a target stated as a direction (増加, 現状維持): no figure, no value."""
    return column.role == "remark" or (column.role == "derived" and text in vocab.grades) or (
        column.role in ("target", "final_target") and text in vocab.direction_targets)


def _bound(text: str, vocab: Vocabulary) -> str:
    """The bound a target prints after its figure (2,000以上: 以上), or ""."""
    return next((b for b in vocab.target_bounds if text.endswith(b)), "")


_NO_VALUE_DATED = re.compile(r"(?P<mark>.+?)[(（][^()（）]{1,12}[)）]")  # －(R1): no value, and the year it has none for


def _is_value(text: str) -> bool:
    if _TABLE_VALUE.fullmatch(text) or is_no_value(text):
        return True
    dated = _NO_VALUE_DATED.fullmatch(text)
    return bool(dated) and is_no_value(dated.group("mark"))


def _value_run(single: list[Token | None], j: int, columns: list[TableColumn], vocab: Vocabulary,
               numbered: bool = False) -> tuple[list[Token], str | None, int, dict[int, str]]:
    """The values of one row printed one per line from ``j``: each may have a qualifier line before it
    (累計) and a unit line after it (万人); a grade stands in its column (B). Returns the values, the
    first unit line, the next line and the qualifier of each value cell that has one."""
    run: list[Token] = []
    qualifiers: dict[int, str] = {}
    unit = None
    n = len(single)
    while j < n and single[j] is not None:
        text = single[j].text
        if numbered and len(run) == len(columns) and _ROW_NUMBER.fullmatch(text):
            break  # the next row's number
        if _is_value(text) or (len(run) < len(columns) and columns[len(run)].role == "derived"
                               and text in vocab.grades):
            run.append(single[j])
        elif run and text in vocab.non_money_units:
            unit = unit or text
        elif j + 1 < n and text in vocab.value_qualifiers and single[j + 1] is not None and (
                _is_value(single[j + 1].text)):
            qualifiers[single[j + 1].index] = text
        else:
            break
        j += 1
    return run, unit, j, qualifiers


def _columns_of_role(columns: list[TableColumn], role: str | None, printed: int) -> list[TableColumn] | None:
    """The columns a row of one role fills when it prints fewer cells than the header has columns: those of
    its role (目標値 30 under R3 … R6 R7(目標): R7's), else those of its role or none (実績値 20 24 26 28: R3 … R6),
    when exactly as many as its cells; else None (read from the left)."""
    if role is None or printed >= len(columns):
        return None
    for fits in ((lambda c: c.role == role), (lambda c: c.role in (None, role))):
        chosen = [c for c in columns if fits(c)]
        if len(chosen) == printed and all(c.year is not None for c in chosen):
            return chosen
    return None


def _row_between_rows(cells: list[Token], following: list[Token], columns: list[TableColumn],
                      vocab: Vocabulary) -> bool:
    """Whether a line the table cannot read is one of its rows, the table going on after it: it opens with a
    name and prints figures, and the next line is a row that fits the columns."""
    if len(cells) < 2 or _is_value(cells[0].text) or not any(_TABLE_VALUE.fullmatch(c.text) for c in cells[1:]):
        return False
    return bool(following) and _table_row(following, columns, vocab) is not None


def _right_aligned(cells: list[Token], columns: list[TableColumn], vocab: Vocabulary
                   ) -> tuple[list[TableColumn], bool]:
    """The columns of a row that prints fewer cells than its header has columns, its last cells a rate or a
    grade (… 80.0% B under … R4実績 達成率 評価): those stand in the header's last columns, the values before
    them in its first ones; and whether a column of values between them was left empty. Any other row's
    columns as they are (read from the left)."""
    trailing = 0
    while (trailing < min(len(cells), len(columns)) - 1 and len(cells) < len(columns)
           and columns[len(columns) - 1 - trailing].role in NOT_KEPT
           and _rate_or_grade(cells[len(cells) - 1 - trailing].text, vocab)):
        trailing += 1
    if not trailing:
        return columns, False
    left = len(cells) - trailing
    skipped = columns[left:len(columns) - trailing]
    return columns[:left] + columns[len(columns) - trailing:], any(c.role not in NOT_KEPT for c in skipped)


def _rate_or_grade(text: str, vocab: Vocabulary) -> bool:
    return text in vocab.grades or text.endswith(("%", "％"))


def _row_values(columns: list[TableColumn], cells: list[Token], row_role: str | None,
                qualifiers: dict[int, str] | None = None) -> tuple[list[ValueFact], str | None]:
    """The values of a table row's cells, each with its column's role and year (and the qualifier printed
    before it), and the first unit they print."""
    values, unit = [], None
    for col, cell in zip(columns, cells):
        m = _TABLE_VALUE.fullmatch(cell.text)
        role = col.role or row_role or "unspecified"
        if m is None or role in NOT_KEPT:
            continue
        try:
            values.append(ValueFact(role, parse_number(m.group("v")), cell.text, cell.span,
                                    col.year or (_year(m.group("y")) if m.group("y") else None), cell.index,
                                    (qualifiers or {}).get(cell.index)))
        except NumberFormatError:
            continue
        unit = unit or m.group("unit") or None
    return values, unit


def flattened_tables(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None,
                     default_kind: str) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Indicator tables a dump flattened into one line: the header's words and columns, then each row's
    name (after its number, in a numbered table) and one cell per column, row after row on the same line
    (``KPI 基準値(R元) 目標値(R6) R3実績 達成状況 創業支援件数(件) 12 20 15 A 観光入込客数(千人) …``). The
    rows must fill the line to its end or to a cell that is no row; a last row cut short is read from the
    left and reported."""
    by_line = cells_by_line(toks)
    out: list[IndicatorFact] = []
    partial: list[Unplaced] = []
    for cells in by_line.values():
        if len(cells) < 4:
            continue  # a header and one row are four cells at least
        p = 0
        while p < len(cells):
            if not opens_header(header_word(cells[p].text), vocab):
                p += 1
                continue
            q = p
            while q < len(cells) and opens_header(header_word(cells[q].text), vocab):
                q += 1
            while q < len(cells) and header_column(cells[q].text, era, vocab) is not None:
                q += 1
            header = table_header(cells[p:q], era, vocab)
            if header is None or q == len(cells):
                p = max(q, p + 1)
                continue
            kind, columns = header
            numbered = cells[p].text in vocab.row_number_columns
            rows, partial_rows, q = _flat_rows(cells, q, columns, numbered, vocab)
            for name, unit, row_cells, row_role in rows:
                values, printed_unit = _row_values(columns, row_cells, row_role)
                if values:
                    out.append(IndicatorFact(name, kind or default_kind, unit or printed_unit, row_cells[0].span,
                                             row_cells[0].index, tuple(values), "indicator table, flattened"))
            partial += partial_rows
            p = max(q, p + 1)
    return out, partial


def _flat_rows(cells: list[Token], q: int, columns: list[TableColumn], numbered: bool, vocab: Vocabulary
               ) -> tuple[list[tuple[str, str | None, list[Token], str | None]], list[Unplaced], int]:
    """The rows of a flattened table from cell ``q``: each a name cell and a cell per column (a grade or a
    remark column may be left blank). Returns the rows, the last row if cut short, and where they end."""
    rows = []
    width = len(columns)
    while q < len(cells):
        start = q
        if numbered and _ROW_NUMBER.fullmatch(cells[q].text) and q + 1 < len(cells) and not _is_value(cells[q + 1].text):
            q += 1
        if q >= len(cells) or _is_value(cells[q].text):
            return rows, [], start
        head = [cells[q]]
        if q + 1 < len(cells) and cells[q + 1].text in vocab.non_money_units:
            head.append(cells[q + 1])
        k = q + len(head)
        body: list[Token] = []
        while k < len(cells) and len(body) < width:
            col, text = columns[len(body)], cells[k].text
            if _is_value(text) or _free_cell(col, text, vocab) and (col.role != "remark" or text in vocab.grades):
                # (評価 B: a grade in a remark column is its cell; other words there may be the next row's name)
                body.append(cells[k])
                k += 1
            elif col.role in NOT_KEPT:
                break  # a blank grade: the next row's name follows
            else:
                break
        row = _table_row(head + body, columns, vocab) if body else None
        if row is None:
            return rows, [], start
        rows.append(row)
        if values_missing(columns, len(body)):
            return rows, [Unplaced(row[0], cells[q].span, f"{len(body)} values under {width} columns: "
                                                         "read from the left")], k
        q = k
    return rows, [], q


def _table_row(cells: list[Token], columns: list[TableColumn], vocab: Vocabulary
               ) -> tuple[str, str | None, list[Token], str | None] | None:
    """``(name, unit, value cells, role its name prints)`` of an indicator row, or None. Under a header of a
    baseline or a target (基準値 現状値 目標値: no money table's), a row counted in money is a KPI's
    (観光消費額 45億円 39億円 50億円 | ふるさと納税寄附額 百万円 320 1,240 1,000); elsewhere it is money."""
    kpis = any(c.role in ("baseline", "target", "final_target") for c in columns)
    k = next((j for j, c in enumerate(cells) if _is_value(c.text)), None)
    if not k:
        return None  # no values, or no name before them
    head, values = cells[:k], cells[k:]
    if len(head) > 1 and looks_like_project(head[0].text, vocab):
        head = head[1:]  # 環境学習事業 出前講座参加者数(人) 3,210 …: the row's project, then its indicator
    if columns[-1].role == "remark":  # a remark's words after the values: not the row's values
        values = values[:len(columns)]
    unit, role = None, None
    if len(head) > 1 and head[-1].text in vocab.value_role:  # 参加者数(人) 目標 400 450 …: the row's role
        role, head = vocab.value_role[head[-1].text], head[:-1]
    if len(head) > 1 and (head[-1].text in vocab.non_money_units or kpis and head[-1].text in MONEY_UNITS):
        unit, head = head[-1].text, head[:-1]  # 参加者数 人 目標 …: its unit
    name = " ".join(c.text for c in head)
    if (len(values) > len(columns) or not may_name(name, head[-1].text, vocab)
            or not all(_is_value(c.text) or (p < len(columns) and _free_cell(columns[p], c.text, vocab))
                       for p, c in enumerate(values))
            or not kpis and any(re.search(r"円$", c.text) for c in values)):
        return None
    named = _name_role_unit(name, unit, role, vocab)
    return (named[0], named[1], values, named[2]) if named else None


def _row_name(text: str, vocab: Vocabulary) -> tuple[str, str | None, str | None] | None:
    """``(name, unit, role)`` a row's name cell prints (``利用者数(実績)``, ``参加者数(人)``), or None when the
    text cannot name an indicator."""
    if not may_name(text, text.split(" ")[-1], vocab):
        return None
    return _name_role_unit(text, None, None, vocab)


def may_name(name: str, last_cell: str, vocab: Vocabulary) -> bool:
    """Whether a row's head could name an indicator: words, not a sum of money (事業費, 千円)."""
    return bool(re.search(r"[\u3040-\u30ff\u3400-\u9fff]", name)) and vocab.money_label(name) is None and (
        last_cell not in ("千円", "円", "百万円", "万円"))


def _name_role_unit(name: str, unit: str | None, role: str | None, vocab: Vocabulary
                    ) -> tuple[str, str | None, str | None] | None:
    m = _ROLE_SUFFIX.search(name)
    if m and m.group("role") in vocab.value_role:
        role, name = vocab.value_role[m.group("role")], name[:m.start()].strip()
    if unit is None:
        name, unit = split_unit(name, vocab)
    if not name or name in vocab.value_role or name in vocab.labels:
        return None  # a row a role label starts (目標値 52,000 …): the role-row recogniser's
    if name in vocab.derived_value_columns or name in vocab.estimate_labels:
        return None  # 達成率 98.1 101.3 | 見込値 165: a rate of the rows above, or an estimate with no column
    return name, unit, role


def indicator_blocks(toks: list[Token], vocab: Vocabulary, era: str | None, default_kind: str
                     ) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """One indicator's block: its label and name first, then its unit, its header of value columns and
    one value per column (``成果指標 年間貸出冊数 単位 冊 R3実績 R4実績 R5目標 152,000 158,400 160,000``),
    on one line or one cell per line. Read only when the values fill the columns (the document cut
    inside them: read from the left and reported)."""
    out: list[IndicatorFact] = []
    partial: list[Unplaced] = []
    units = set(vocab.non_money_units)
    n = len(toks)
    for t in toks:
        label = header_word(t.text)
        if label not in vocab.indicator:
            continue
        j = t.index + 1
        while j < n and toks[j].text != "単位" and toks[j].text in vocab.indicator_header_words:
            j += 1  # 成果指標 指標名 …
        if j >= n or not _block_name(toks[j].text, era, vocab):
            continue
        name_tok, unit = toks[j], None
        name, unit = split_unit(name_tok.text, vocab)
        j += 1
        if j + 1 < n and toks[j].text == "単位" and toks[j + 1].text.strip("()（）") in units:
            unit, j = toks[j + 1].text.strip("()（）"), j + 2
        elif j < n and toks[j].text.strip("()（）") in units:
            unit, j = toks[j].text.strip("()（）"), j + 1
        k = j
        while k < n and header_column(toks[k].text, era, vocab) is not None:
            k += 1
        header = table_header([t, *toks[j:k]], era, vocab) if k > j else None
        if header is None:
            continue
        kind, columns = header
        cells = []
        while k < n and len(cells) < len(columns) and _is_value(toks[k].text):
            cells.append(toks[k])
            k += 1
        if not cells or (len(cells) < len(columns) and k < n):
            continue  # not a block of values (or the next cell is no value: a table this reader does not know)
        if k < n and (header_column(toks[k].text, era, vocab) is not None or _is_value(toks[k].text)
                      or toks[k].text in ARROWS):
            continue  # R3実績 152,000 R4実績 … | 基準値 0件(R2) ⇒ 目標値 …: the labelled values' form;
            # 目標値 400 450 500: more values than columns
        values, printed_unit = _row_values(columns, cells, None)
        if values:
            out.append(IndicatorFact(name, kind or default_kind, unit or printed_unit, name_tok.span, name_tok.index,
                                     tuple(values), "indicator block"))
        if len(cells) < len(columns):
            partial.append(Unplaced(name, name_tok.span, f"{len(cells)} values under {len(columns)} columns: "
                                                         "read from the left (the document is cut there)"))
    return out, partial


def _block_name(text: str, era: str | None, vocab: Vocabulary) -> bool:
    return (len(text) >= 2 and not _is_value(text) and text not in vocab.labels and header_column(text, era, vocab) is None
            and may_name(text, text, vocab))
