"""Indicator values: numbers with a role (target, actual, baseline) and, where printed, a year.

The facts every indicator recogniser gives, and the recognisers of statements and of rows under a
year header (tables of value columns are ``indicator_tables``; values after their own labels and
leader-dotted counts are ``labelled_values``):
- **progress statement**: ``婚姻率: 5.5‰(平成25年) → 5.9‰(平成31年)`` (or a list item ``・観光入込客数
  45万人(H26) → 50万人(R1)``) — a baseline and a target, each with its year;
- **year-column table**: an indicator label and name, then year columns, some marked with their
  role (``平成25 (基準値) 平成27 平成28 (現状値) 平成31 (目標値)``), then exactly one value per
  column. An unmarked column takes the role of the next marked column to its right (the years
  up to the current value are actuals). A row with fewer values than columns is reported; a 参考
  value printed after the row (``参考) H26 5.3‰``) is a past actual;
- **rows under a year header**: values printed straight after a header of years (``H27 … H31`` then
  ``90万人 92万人 …``), one row per run of values in the same unit. No row label is printed, so
  their role is ``unspecified``; a row shorter than the header fills it from the left (later years
  not yet printed), which is marked uncertain;
- **role rows under a year header**: ``目標 1,200 1,250 1,300`` / ``実績 …`` (see ``role_rows``);
- **target bound**: a numbered item whose value is a bound (``… 5,700 件以上``) is a final target (its year is
  not printed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from policy_kg.extract.engine.facts import Unplaced
from policy_kg.extract.engine.normalize import Line, Token, cell_of, cells_by_line
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.engine.years import YearHeader
from policy_kg.extract.numbers import UNIT_FACTORS, NumberFormatError, era_to_year, is_no_value, parse_number
from policy_kg.extract.records import Span

_NUM = r"(?:[▲△+-]|±(?=0))?\d[\d,]*(?:\.\d+)?"
PROGRESS = re.compile(
    rf"(?:^|(?<=[\s①-⑳・•:：]))(?P<name>[^\s:：①-⑳・•→][^:：①-⑳→]{{1,60}}?)(?:\s*[:：]\s*|\s+)"
    rf"(?P<v1>{_NUM})\s*(?P<u1>[^\s\d(（]{{0,3}})\s*[(（](?P<y1>[^)）]{{1,14}})[)）]\s*[→⇒]\s*"
    rf"(?P<v2>{_NUM})\s*(?P<u2>[^\s\d(（]{{0,3}})\s*[(（](?P<y2>[^)）]{{1,14}})[)）]"
)
BOUND = re.compile(
    rf"(?:^|(?<=\s))\d{{1,2}}\s+(?P<name>[^\d\s][^\d]{{3,60}}?)\s+(?P<v>{_NUM})\s?(?P<unit>[^\s\d]{{1,3}}?)"
    r"(?P<bound>以上|以下|未満)"
)
_YEAR_CELL = re.compile(r"(?P<era>平成|令和|H|R)\s?(?P<n>\d{1,2}|元)(?:年度?)?$")
_VALUE_CELL = re.compile(rf"(?P<v>{_NUM})(?P<unit>[^\d\s]{{0,2}})$")


@dataclass(frozen=True)
class ValueFact:
    role: str
    value: Decimal
    printed: str
    span: Span
    fiscal_year: int | None
    cell: int | None = None  # the token it was read from, when it is a cell of its own
    qualifier: str | None = None  # what the value counts, as printed before it (累計) or around it (うち)


@dataclass(frozen=True)
class IndicatorFact:
    name: str
    kind: str
    unit: str | None
    span: Span
    token: int
    values: tuple[ValueFact, ...]
    how: str


def _year(text: str) -> int | None:
    """The year a value's bracket prints; of a period (R2～R6累計), its end: the year the value is reached by."""
    text = re.split(r"[～~〜]", text)[-1]
    try:
        return era_to_year(text)
    except NumberFormatError:
        m = re.search(r"(19|20)\d{2}", text)
        return int(m.group(0)) if m else None


class FactCells:
    """The cell each fact read from a line's text begins at, in the order they are read (see ``cell_of``)."""

    def __init__(self, toks: list[Token]) -> None:
        self._by_line = cells_by_line(toks)
        self._reached: dict[int, int] = {}

    def of(self, line: int, name: str) -> int:
        cells = self._by_line.get(line, [])
        if not cells:
            return 0
        k = cell_of(cells, name, self._reached.get(line, 0))
        self._reached[line] = k + 1
        return cells[k].index


def progress_statements(lines: list[Line], toks: list[Token]) -> list[IndicatorFact]:
    out = []
    cells = FactCells(toks)
    for i, line in enumerate(lines):
        for m in PROGRESS.finditer(line.text):
            try:
                v1, v2 = parse_number(m.group("v1")), parse_number(m.group("v2"))
            except NumberFormatError:
                continue
            unit = m.group("u2") or m.group("u1") or None
            values = (
                ValueFact("baseline", v1, m.group("v1"), line.span, _year(m.group("y1"))),
                ValueFact("target", v2, m.group("v2"), line.span, _year(m.group("y2"))),
            )
            out.append(IndicatorFact(m.group("name").strip(), "kpi", unit, line.span, cells.of(i, m.group("name").strip()),
                                     values, "progress statement"))
    return out


def year_tables(toks: list[Token], vocab: Vocabulary) -> tuple[list[IndicatorFact], list[Unplaced]]:
    out: list[IndicatorFact] = []
    unplaced: list[Unplaced] = []
    labels = sorted(vocab.indicator, key=len, reverse=True)
    n = len(toks)
    for t in toks:
        label = next((lab for lab in labels if t.text.startswith(lab)), None)
        if label is None or t.index + 2 >= n:
            continue
        name_tok = toks[t.index + 1]
        j = t.index + 2
        columns: list[tuple[int, str | None]] = []  # (year, role marker)
        while j < n:
            cell, width = _era_cell([c.text for c in toks[j:j + 2]])
            j += width - 1
            m = _YEAR_CELL.match(cell)
            if m:
                columns.append((_year(cell) or 0, None))
                j += 1
                continue
            marker = re.fullmatch(r"[(（](.+?)[)）]", cell)
            if marker and columns and marker.group(1) in vocab.value_role and columns[-1][1] is None:
                columns[-1] = (columns[-1][0], vocab.value_role[marker.group(1)])
                j += 1
                continue
            break
        if len(columns) < 2 or not any(role for _, role in columns):
            continue
        cells = []
        while j < n and len(cells) < len(columns):
            m = _VALUE_CELL.fullmatch(toks[j].text)
            if not m:
                break
            cells.append((toks[j], m))
            j += 1
        if len(cells) < len(columns):
            unplaced.append(Unplaced(name_tok.text, name_tok.span,
                                     f"{len(columns)} year columns but {len(cells)} values follow"))
            continue
        roles: list[str] = []
        for k, (_, role) in enumerate(columns):
            nxt = role or next((r for _, r in columns[k:] if r), None) or "actual"
            roles.append(nxt)
        values = []
        for (year, _), role, (cell, m) in zip(columns, roles, cells):
            try:
                values.append(ValueFact(role, parse_number(m.group("v")), cell.text, cell.span, year or None, cell.index))
            except NumberFormatError:
                continue
        unit = cells[0][1].group("unit") or None
        reference = _reference_value(toks, j, unit, vocab)
        if reference is not None:  # 参考) H26 5.3‰: a year before the table's, printed beside it
            year, cell, value = reference
            latest = max((y for (y, r) in columns if r == "actual"), default=None)
            role = "actual" if latest is not None and year <= latest else "unspecified"
            values.append(ValueFact(role, value, cell.text, cell.span, year, cell.index))
        out.append(IndicatorFact(name_tok.text, vocab.indicator[label], unit, name_tok.span, name_tok.index,
                                 tuple(values), "year-column table"))
    return out, unplaced


def _era_cell(cells: list[str]) -> tuple[str, int]:
    """A year cell and how many cells it takes: an era printed apart from its number (``平成`` ``25``) is one."""
    if len(cells) > 1 and cells[0] in ("平成", "令和", "H", "R") and re.fullmatch(r"\d{1,2}", cells[1]):
        return cells[0] + cells[1], 2
    return cells[0], 1


def _number(text: str) -> Decimal | None:
    """The number of a value cell's figure, None when it is no number (``1,`` of a figure cut short)."""
    try:
        return parse_number(text)
    except NumberFormatError:
        return None


def _reference_value(toks: list[Token], j: int, unit: str | None, vocab: Vocabulary
                     ) -> tuple[int, Token, Decimal] | None:
    """A reference value printed after a table's row: ``参考) [caption] H26 5.3‰`` — a year cell, then one
    value in the row's unit, within the next four cells."""
    if j >= len(toks):
        return None
    label = re.match(rf"^[(（]?(?:{'|'.join(map(re.escape, vocab.reference_labels))})[)）]?", toks[j].text)
    if not vocab.reference_labels or label is None:
        return None
    cells = [toks[j].text[label.end():]] + [t.text for t in toks[j + 1:j + 5]]
    for k in range(len(cells) - 1):
        cell, step = _era_cell(cells[k:k + 2])
        if not _YEAR_CELL.match(cell) or k + step >= len(cells):
            continue
        m = _VALUE_CELL.fullmatch(cells[k + step])
        year = _year(cell)
        value = _number(m.group("v")) if m else None
        if value is None or year is None or (m.group("unit") or None) != unit:
            return None
        return year, toks[j + k + step], value
    return None


def target_bounds(lines: list[Line], toks: list[Token]) -> list[IndicatorFact]:
    out = []
    cells = FactCells(toks)
    for i, line in enumerate(lines):
        for m in BOUND.finditer(line.text):
            try:
                value = parse_number(m.group("v"))
            except NumberFormatError:
                continue
            name = re.sub(r"\s+", " ", m.group("name")).strip()
            out.append(IndicatorFact(name, "outcome", m.group("unit"), line.span, cells.of(i, name),
                                     (ValueFact("final_target", value, f"{m.group('v')}{m.group('unit')}{m.group('bound')}",
                                                line.span, None),), "target bound"))
    return out
_UNIT_SUFFIX = re.compile(r"(?P<name>.+?)\s?[(（](?P<unit>[^()（）]{1,3})[)）]")  # 参加者数(人)
_TABLE_VALUE = re.compile(rf"(?P<v>{_NUM})(?P<unit>[^\d\s()（）]{{0,3}})(?:[(（](?P<y>[^)）]{{1,12}})[)）])?")


SHARE_UNITS = ("%", "％", "‰")  # a share or a change (減額 3.3%), not a count of what was done

UNNAMED = "(指標名の印字なし)"  # the document prints the values but no name for them


def year_rows(toks: list[Token], headers: list[YearHeader], taken: set[int]) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Rows of values printed straight after a year header (cells in ``taken`` are money, not values)."""
    out: list[IndicatorFact] = []
    uncertain: list[Unplaced] = []
    n = len(toks)
    for header in headers:
        if any(col.status for col in header.columns):
            continue  # a budget header (予算/決算 …): its rows are money, read by the money recogniser
        width = len(header.columns)
        j = header.end
        while j < n:
            row: list[tuple[Token, re.Match[str] | None]] = []
            unit = None
            while j < n and len(row) < width and j not in taken:
                cell = toks[j].text
                if is_no_value(cell):
                    row.append((toks[j], None))
                    j += 1
                    continue
                m = _VALUE_CELL.fullmatch(cell)
                if not m or (unit is not None and m.group("unit") != unit) or not m.group("unit") and not row:
                    break
                unit = m.group("unit")
                row.append((toks[j], m))
                j += 1
            found = [(k, tok, m) for k, (tok, m) in enumerate(row) if m is not None]
            if not row or not found:
                break
            values = []
            for k, tok, m in found:
                try:
                    values.append(ValueFact("unspecified", parse_number(m.group("v")), tok.text, tok.span,
                                            header.columns[k].year, tok.index))
                except NumberFormatError:
                    continue
            first = row[0][0]
            out.append(IndicatorFact(UNNAMED, "kpi", unit or None, first.span, first.index, tuple(values),
                                     "row under a year header"))
            if len(row) < width:
                uncertain.append(Unplaced(first.text, first.span,
                                          f"{len(row)} values under {width} year columns: read from the left"))
            if len(row) < width:
                break
    return out, uncertain


def _name_cell(cell: str, vocab: Vocabulary) -> bool:
    """Whether a cell among role rows may name their indicator: words, not a value, not a label."""
    return len(cell) >= 2 and not _VALUE_CELL.fullmatch(cell) and cell not in vocab.labels


def _next_block(toks: list[Token], j: int, stop: int, roles: dict[str, str], units: set[str],
                vocab: Vocabulary) -> bool:
    """Whether cell ``j`` names another indicator of the same table: a name, its unit perhaps, then a role row."""
    cell = toks[j].text
    if not _name_cell(cell, vocab):
        return False
    k = j + 1 + (j + 1 < stop and toks[j + 1].text in units)
    return k < stop and toks[k].text.strip("()（）") in roles


def role_rows(toks: list[Token], headers: list[YearHeader], vocab: Vocabulary,
              taken: set[int], default_kind: str = "outcome"
              ) -> tuple[list[IndicatorFact], list[Unplaced], list[Unplaced]]:
    """Rows that a role label starts under a year header: ``目標値 52,000 53,000 54,000``.

    One value per year column, or none of the row is read and it is reported (which years its values
    belong to is not printed) — except an actuals row, whose later years are often not in yet: it is
    read from the left and reported. Returns the facts, the rows not read and the rows read from the left. A 最終目標 column after the years gives a target
    row one more value, its final target. The indicator's name is the text printed
    between the header and its first row (a table of one indicator per block: 図書の貸出冊数 冊), or
    else the value of the indicator label before the header (成果指標 図書の貸出冊数); a unit cell
    there is the indicator's unit. Rows after the first, up to the next header, belong to the same
    indicator.
    """
    out: list[IndicatorFact] = []
    short: list[Unplaced] = []  # rows not read
    partial: list[Unplaced] = []  # rows read from the left
    roles = vocab.value_role
    units = set(vocab.non_money_units)
    for h_i, header in enumerate(headers):
        if any(col.status for col in header.columns):
            continue
        stop = headers[h_i + 1].start if h_i + 1 < len(headers) else len(toks)
        width = len(header.columns)
        block_kind = _kind_before(toks, header.start, vocab) or default_kind  # 活動指標 R4 R5 R6: its rows' kind
        name, unit, values, first = None, None, [], None
        repeats, block_roles = [], set()  # where a role already read in the block starts another row group
        middle = False  # the block's names are printed between their rows (a name cell two rows high)
        j = header.end
        final_column = False  # 最終目標 after the years: a target row prints one more value, the final target
        while j < stop and (toks[j].text in vocab.final_target_columns or toks[j].text in vocab.remark_columns):
            final_column = final_column or toks[j].text in vocab.final_target_columns
            j += 1
        while j < stop:
            cell = toks[j].text
            role = roles.get(cell.strip("()（）"))
            if role is None:
                if values and name is not None and _next_block(toks, j, stop, roles, units, vocab):
                    # 講座の開催回数 回 目標 … 実績 … 参加者数 人 目標 …: the next indicator's rows, same columns
                    out.append(_first_group(name, block_kind, unit, first, values, repeats, short))
                    name, unit, values, first = None, None, [], None
                    repeats, block_roles = [], set()
                    continue
                if values and name is None and not repeats and _middle_name(toks, j, stop, block_roles, vocab):
                    # 目標 12 12 / 講座の開催回数(回) / 実績 10 11: the name of the rows above and below it
                    (name, bracket_unit), first, middle = split_unit(cell, vocab), toks[j], True
                    j += 1
                    if toks[j].line == first.line and toks[j].text in units:  # 参加者数 人: its unit beside it
                        bracket_unit, j = bracket_unit or toks[j].text, j + 1
                    unit = unit or bracket_unit
                    continue
                if values:
                    break  # the block's rows are over
                if cell in units:
                    unit = cell
                elif name is None and _name_cell(cell, vocab):
                    name = cell
                    first = toks[j]
                elif name is not None:
                    break
                j += 1
                continue
            cells = toks[j + 1:j + 1 + width]
            on_its_line = [c for c in toks[j + 1:j + 1 + width] if c.line == toks[j].line]
            if on_its_line and len(on_its_line) < width:  # 実績 1,590 1,745 under three years
                if role == "actual" and not any(c.index in taken for c in on_its_line) and all(
                        is_no_value(c.text) or _VALUE_CELL.fullmatch(c.text) for c in on_its_line):
                    cells = on_its_line  # the later years' actuals are not in yet: read from the left, reported
                    if any(_VALUE_CELL.fullmatch(c.text) for c in cells):
                        partial.append(Unplaced(cell, toks[j].span, f"{len(cells)} actuals under {width} year "
                                                                    "columns: read from the left"))
                else:
                    if any(_VALUE_CELL.fullmatch(c.text) for c in on_its_line):
                        short.append(Unplaced(cell, toks[j].span, f"{len(on_its_line)} values under {width} year "
                                                                  "columns; which years they are is not printed"))
                    j += 1 + len(on_its_line)
                    continue
            elif len(cells) < width or any(c.index in taken for c in cells) or not all(
                    is_no_value(c.text) or _VALUE_CELL.fullmatch(c.text) for c in cells):
                break
            if role in block_roles and middle:  # the next indicator's rows, its name to come between them
                _named_between(out, short, name, block_kind, unit, first, values)
                name, unit, values, first = None, None, [], None
                block_roles = set()
            elif role in block_roles:  # 目標 … 実績 … 目標 …: another indicator's rows
                repeats.append(len(values))
                block_roles = set()
            block_roles.add(role)
            for col, c in zip(header.columns, cells):
                m = _VALUE_CELL.fullmatch(c.text)
                if m is None:
                    continue  # − : no value printed for that year
                try:
                    values.append(ValueFact(role, parse_number(m.group("v")), c.text, c.span, col.year, c.index))
                except NumberFormatError:
                    continue
                unit = unit or m.group("unit") or None
            j += 1 + len(cells)
            final = toks[j] if final_column and role == "target" and j < stop else None
            m = _VALUE_CELL.fullmatch(final.text) if final is not None and final.index not in taken else None
            value = _number(m.group("v")) if m else None
            if value is not None:
                values.append(ValueFact("final_target", value, final.text, final.span, None, final.index))
                j += 1
        if values and middle:
            _named_between(out, short, name, block_kind, unit, first, values)
            continue
        if values and name is None and repeats:
            out.extend(_groups_of_names_before(toks, header, vocab, block_kind, values, repeats, short))
            continue
        if values:
            if name is not None:
                out.append(_first_group(name, block_kind, unit, first, values, repeats, short))
                continue
            if name is None:
                name, first, printed_unit = _name_line_before(toks, header.start, vocab)
                unit = unit or printed_unit
            kind = block_kind
            if name is None:
                name, first, label_kind, label_unit = _label_value_before(toks, header.start, vocab)
                kind, unit = label_kind or kind, unit or label_unit
            anchor = first or toks[header.start]
            out.append(IndicatorFact(name or UNNAMED, kind, unit, anchor.span, anchor.index, tuple(values),
                                     "role rows under a year header"))
    return out, short, partial


def _named_between(out: list[IndicatorFact], short: list[Unplaced], name: str | None, kind: str, unit: str | None,
                   first: Token | None, values: list[ValueFact]) -> None:
    """A group of rows whose name is printed between them: the indicator, or reported when it prints none."""
    if name is not None:
        out.append(IndicatorFact(name, kind, unit, first.span, first.index, tuple(values),
                                 "role rows under a year header, the name between them"))
    else:
        short.append(Unplaced(values[0].printed, values[0].span, "rows with no indicator name between them, "
                                                                 "where the others print one"))


def _kind_before(toks: list[Token], index: int, vocab: Vocabulary) -> str | None:
    """The kind an indicator label names on a header's line before its years, or alone on the line above it
    (活動指標 R4 R5 R6 | 活動指標 / 広場開催回数 回 R4 R5 R6), else None."""
    line = toks[index].line
    before = [t for t in toks[max(0, index - 12):index] if t.line in (line, line - 1)]
    above = [t for t in before if t.line == line - 1]
    for t in reversed(before):
        if t.text in vocab.indicator and (t.line == line or len(above) == 1):
            return vocab.indicator[t.text]
    return None


def _middle_name(toks: list[Token], j: int, stop: int, block_roles: set[str], vocab: Vocabulary) -> bool:
    """Whether cell ``j``, alone on its line (its unit perhaps beside it) after a block's first rows, names
    them: the next line is a row of a role the block has not printed yet (目標 … / 参加者数(人) / 実績 …)."""
    cell = toks[j].text
    if not _name_cell(cell, vocab) or cell in vocab.non_money_units:
        return False
    k = j + 1 + (j + 1 < stop and toks[j + 1].line == toks[j].line and toks[j + 1].text in vocab.non_money_units)
    if k >= stop or toks[k].line == toks[j].line or toks[j - 1].line == toks[j].line:
        return False
    role = vocab.value_role.get(toks[k].text.strip("()（）"))
    return role is not None and role not in block_roles


def _groups(values: list[ValueFact], repeats: list[int]) -> list[list[ValueFact]]:
    bounds = [0, *repeats, len(values)]
    return [values[a:b] for a, b in zip(bounds, bounds[1:]) if a < b]


def _first_group(name: str, kind: str, unit: str | None, first: Token, values: list[ValueFact], repeats: list[int],
                 short: list[Unplaced]) -> IndicatorFact:
    """The indicator a block's name heads: its first group of rows. Rows that repeat a role after them print
    no name of their own (目標 … 実績 … 目標 …): whose they are is not told, so they are reported."""
    groups = _groups(values, repeats)
    for group in groups[1:]:
        short.append(Unplaced(group[0].printed, group[0].span, f"a second row of the same role after {name!r}'s "
                                                               "rows, with no indicator name of its own"))
    return IndicatorFact(name, kind, unit, first.span, first.index, tuple(groups[0]), "role rows under a year header")


def _groups_of_names_before(toks: list[Token], header: YearHeader, vocab: Vocabulary, kind: str,
                            values: list[ValueFact], repeats: list[int], short: list[Unplaced]) -> list[IndicatorFact]:
    """Groups of role rows under one header with no name among them, whose names a column printed before the
    header, one line each (講座の開催回数 回 / 参加者数 人 / 区分 令和4年度 … / 目標 … 実績 … 目標 … 実績 …):
    the rows' groups are the names' rows, in order, when there are as many names as groups; else the names
    cannot be told apart and no group is kept (reported)."""
    groups = _groups(values, repeats)
    names = []
    index = header.start
    while len(names) < len(groups) + 1:
        name, tok, unit = _name_line_before(toks, index, vocab)
        if name is None:
            break
        names.insert(0, (name, tok, unit))
        index = tok.index
    if len(names) != len(groups):
        short.append(Unplaced(groups[0][0].printed, groups[0][0].span,
                              f"{len(groups)} groups of rows under one header, and {len(names)} indicator names "
                              "printed before it: whose rows they are cannot be told"))
        return []
    return [IndicatorFact(name, kind, unit, tok.span, tok.index, tuple(group), "role rows under a year header, names "
                          "printed before it") for (name, tok, unit), group in zip(names, groups)]


def _name_line_before(toks: list[Token], index: int, vocab: Vocabulary
                      ) -> tuple[str | None, Token | None, str | None]:
    """``(name, its token, unit)`` of the line right before a header that prints an indicator's name and
    unit (``観光入込客数(年間) 千人 −`` over ``年度 令和4年度 …``); Nones when that line is not one."""
    line = toks[index].line - 1
    cells = [t for t in toks[max(0, index - 12):index] if t.line == line]
    if not cells or cells[0].text in vocab.labels or cells[0].text in vocab.indicator_header_words or (
            _VALUE_CELL.fullmatch(cells[0].text)) or not re.search(
            r"[\u3040-\u30ff\u3400-\u9fff]", cells[0].text):
        return None, None, None
    rest = [c.text for c in cells[1:]]
    if not all(is_no_value(c) or c in vocab.non_money_units or (
            len(c) <= 4 and not re.search(r"\d", c) and c not in vocab.labels) for c in rest):
        return None, None, None  # a line of text, not a name with its unit (千人泊, 百万円)
    unit = next((c for c in rest if not is_no_value(c)), None)
    return cells[0].text, cells[0], unit


def split_unit(name: str, vocab: Vocabulary) -> tuple[str, str | None]:
    """An indicator's name and the unit its bracket prints (``参加者数(人)`` → 参加者数, 人; a KPI counted in
    money, ``寄附額(百万円)``, keeps its printed figures in its unit); the name as it is and None when the
    bracket holds no unit."""
    m = _UNIT_SUFFIX.fullmatch(name)
    if m and (m.group("unit") in vocab.non_money_units or m.group("unit") in UNIT_FACTORS):
        return m.group("name"), m.group("unit")
    return name, None


def _label_value_before(toks: list[Token], index: int, vocab: Vocabulary
                        ) -> tuple[str | None, Token | None, str | None, str | None]:
    """``(name, its token, kind, unit)`` after the nearest indicator label before ``index``
    (``活動指標 空き家相談件数 (件)``: the label says the kind, a bracketed unit cell after the name its unit)."""
    for j in range(index - 1, max(-1, index - 30), -1):
        if toks[j].text in vocab.indicator:
            for k in range(j + 1, index):
                cell = toks[k].text
                if (cell not in vocab.labels and cell not in vocab.indicator_header_words and len(cell) >= 2
                        and not _VALUE_CELL.fullmatch(cell)):
                    name, bracket_unit = split_unit(cell, vocab)  # 活動指標 相談件数(件)
                    after = [t.text.strip("()（）") for t in toks[k + 1:min(k + 3, index)]]
                    if after and after[0] == "単位":  # 健康教室の開催回数 単位 回
                        after = after[1:]
                    # 活動指標 指標名 …: the generic label after the one that says the kind
                    label = toks[j - 1].text if j and toks[j - 1].text in vocab.indicator else toks[j].text
                    return name, toks[k], vocab.indicator[label], bracket_unit or (
                        after[0] if after and after[0] in vocab.non_money_units else None)
            return None, None, None, None
    return None, None, None, None
