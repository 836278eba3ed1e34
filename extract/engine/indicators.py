"""Indicator values: numbers with a role (target, actual, baseline) and, where printed, a year.

Recognisers:
- **progress statement**: ``婚姻率: 5.5‰(平成25年) → 5.9‰(平成31年)`` (or a list item ``・観光入込客数
  45万人(H26) → 50万人(R1)``) — a baseline and a target, each with its year;
- **year-column table**: an indicator label and name, then year columns, some marked with their
  role (``平成25 (基準値) 平成27 平成28 (現状値) 平成31 (目標値)``), then exactly one value per
  column. An unmarked column takes the role of the next marked column to its right (the years
  up to the current value are actuals). A row with fewer values than columns is reported;
- **rows under a year header**: values printed straight after a header of years (``H27 … H31`` then
  ``90万人 92万人 …``), one row per run of values in the same unit. No row label is printed, so
  their role is ``unspecified``; a row shorter than the header fills it from the left (later years
  not yet printed), which is marked uncertain;
- **target bound**: a numbered item whose value is a bound (``… 5,700 件以上``) is a final target (its year is
  not printed);
- **indicator table**: a header line of value columns, each a role, a year or both (``H30目標 H30実績 R1目標``,
  ``基準値 目標値 実績値``, ``目標値(R1)``, ``平成30年度 令和元年度``) after optional header words (成果指標, 単位),
  then one line per indicator: its name, an optional unit cell, one value per column (``45万人(H26)``
  carries its own year). A column without a role takes the role the row's name prints
  (``利用者数(実績)``), else ``unspecified``; a derived column (達成率) is read for alignment only. A row
  with fewer values than columns is read from the left and reported; a money row (事業費, a 千円 unit)
  is not an indicator's;
- **leader-dotted count**: a list item whose label a leader joins to a count (``当財団枠…64名``,
  ``募集人員…25名``, ``(平成27年度実績…37団体)``; ``同…`` repeats the label before it). A label that
  is a year and a role names its item's subject instead (the text before its bracket). Its role
  is the label's, else the document's (a plan's counts are planned values); its year the label's,
  else that of the numbered item it belongs to (else a plan's values are for the plan's year).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from policy_kg.extract.engine.facts import Unplaced
from policy_kg.extract.engine.normalize import Line, Token
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.engine.years import YearHeader, year_column
from policy_kg.extract.numbers import NumberFormatError, era_to_year, is_no_value, parse_number
from policy_kg.extract.records import Span

_NUM = r"[▲△-]?\d[\d,]*(?:\.\d+)?"
PROGRESS = re.compile(
    rf"(?:^|(?<=[\s①-⑳・•]))(?P<name>[^\s:：①-⑳・•→][^:：①-⑳→]{{1,60}}?)(?:\s*[:：]\s*|\s+)"
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
    try:
        return era_to_year(text)
    except NumberFormatError:
        m = re.search(r"(19|20)\d{2}", text)
        return int(m.group(0)) if m else None


def _first_token(toks: list[Token], line: int) -> int:
    return next((t.index for t in toks if t.line == line), 0)


def progress_statements(lines: list[Line], toks: list[Token]) -> list[IndicatorFact]:
    out = []
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
            out.append(IndicatorFact(m.group("name").strip(), "kpi", unit, line.span, _first_token(toks, i),
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
            cell = toks[j].text
            if cell in ("平成", "令和", "H", "R") and j + 1 < n and re.fullmatch(r"\d{1,2}", toks[j + 1].text):
                cell, j = cell + toks[j + 1].text, j + 1
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
            year, cell = reference
            latest = max((y for (y, r) in columns if r == "actual"), default=None)
            role = "actual" if latest is not None and year <= latest else "unspecified"
            values.append(ValueFact(role, parse_number(_VALUE_CELL.fullmatch(cell.text).group("v")), cell.text,
                                    cell.span, year, cell.index))
        out.append(IndicatorFact(name_tok.text, vocab.indicator[label], unit, name_tok.span, name_tok.index,
                                 tuple(values), "year-column table"))
    return out, unplaced


def _reference_value(toks: list[Token], j: int, unit: str | None, vocab: Vocabulary) -> tuple[int, Token] | None:
    """A reference value printed after a table's row: ``参考) [caption] H26 5.3‰`` — a year cell, then one
    value in the row's unit, within the next four cells."""
    if j >= len(toks):
        return None
    label = re.match(rf"^[(（]?(?:{'|'.join(map(re.escape, vocab.reference_labels))})[)）]?", toks[j].text)
    if not vocab.reference_labels or label is None:
        return None
    cells = [toks[j].text[label.end():]] + [t.text for t in toks[j + 1:j + 5]]
    for k in range(len(cells) - 1):
        cell, step = cells[k], 1
        if cell in ("平成", "令和", "H", "R") and re.fullmatch(r"\d{1,2}", cells[k + 1]):
            cell, step = cell + cells[k + 1], 2
        if not _YEAR_CELL.match(cell) or k + step >= len(cells):
            continue
        m = _VALUE_CELL.fullmatch(cells[k + step])
        year = _year(cell)
        if m is None or year is None or (m.group("unit") or None) != unit:
            return None
        return year, toks[j + k + step]
    return None


def target_bounds(lines: list[Line], toks: list[Token]) -> list[IndicatorFact]:
    out = []
    for i, line in enumerate(lines):
        for m in BOUND.finditer(line.text):
            try:
                value = parse_number(m.group("v"))
            except NumberFormatError:
                continue
            name = re.sub(r"\s+", " ", m.group("name")).strip()
            out.append(IndicatorFact(name, "outcome", m.group("unit"), line.span, _first_token(toks, i),
                                     (ValueFact("final_target", value, f"{m.group('v')}{m.group('unit')}{m.group('bound')}",
                                                line.span, None),), "target bound"))
    return out


# a leader (…, ..., ・・・, ‥) joins a label to its count; the label holds no blank, no leader, no bracket
_LEADER_COUNT = re.compile(
    rf"(?P<label>[^\s.…‥・()（）]{{1,40}}?)(?:\.{{3,}}|…+|・{{3,}}|‥+)\s?(?P<v>{_NUM})\s?(?P<unit>[^\d\s.,()（）~〜～]{{1,3}})")
_LEADERS = ("...", "…", "‥", "・・・")
_ITEM_MARK = re.compile(r"^(?:[(（]?[0-9０-９a-zA-Z]{1,2}[)）.．]|[①-⑳]|[ア-ン][.．)）])\s*")
_NUMBERED_ITEM = re.compile(r"^\s*(?:[(（]\d{1,2}[)）]|\d{1,2}[.．])")


def _count_unit(unit: str, vocab: Vocabulary) -> str | None:
    """The count unit a cell starts with (名, 団体, 件 …), longest first; dates (年, 月) are not counts."""
    return next((u for u in sorted(vocab.non_money_units, key=len, reverse=True)
                 if unit.startswith(u) and u not in vocab.date_units), None)


def _subject(text: str) -> str:
    """An item's subject: its text without list marks and quotes (A.「文化活動」 → 文化活動)."""
    text = _ITEM_MARK.sub("", text.strip())
    text = _ITEM_MARK.sub("", text)  # 内訳…(a)当財団枠: a second mark
    return text.strip().strip("「」『』 ")


def leader_counts(lines: list[Line], toks: list[Token], vocab: Vocabulary, default_role: str) -> list[IndicatorFact]:
    """Leader-dotted counts (see the module's docstring); ``default_role`` is the document's (plan)."""
    out = []
    item_year = None
    previous: tuple[str | None, int | None] | None = None  # the role and year of the label before (for 同)
    for i, line in enumerate(lines):
        if _NUMBERED_ITEM.match(line.text):
            years = [y for y in (_year(m.group(0)) for m in _LABEL_YEAR.finditer(line.text)) if y]
            item_year = years[0] if years else None
        if not any(leader in line.text for leader in _LEADERS):
            continue  # most lines print no leader: skip the pattern
        for m in _LEADER_COUNT.finditer(line.text):
            unit = _count_unit(m.group("unit"), vocab)
            if unit is None:
                continue
            after = line.text[m.end("v"):].lstrip()[len(unit):]
            if any(after.startswith(w) for w in vocab.count_conditions):
                continue  # a bound (…10人以内) is a condition, not a count
            try:
                value = parse_number(m.group("v"))
            except NumberFormatError:
                continue
            label = _subject(m.group("label"))
            role, year = _label_role_year(label, vocab)
            if label in vocab.ditto_marks and previous is not None:
                role, year = previous
                label = ""
            elif role is not None or year is not None:
                previous = (role, year)
            name = label
            if not name or _is_role_year(name, vocab):
                # (平成27年度実績…37団体): the label is a year and a role; the item's subject is before its bracket
                before = line.text[:m.start("label")]
                opening = max(before.rfind("("), before.rfind("（"))
                name = _subject(before[:opening] if opening >= 0 else before)
            if not name or not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", name):
                continue
            values = (ValueFact(role or default_role, value, f"{m.group('v')}{unit}", line.span,
                                year or item_year),)
            out.append(IndicatorFact(name, "activity", unit, line.span, _first_token(toks, i), values,
                                     "leader-dotted count"))
    return out


_LABEL_YEAR = re.compile(r"(?:令和|平成|昭和|[RHS])\s?(?:\d{1,2}|元)\s?年度?|(?:19|20)\d{2}\s?年度")


def _label_role_year(label: str, vocab: Vocabulary) -> tuple[str | None, int | None]:
    """The year (平成27年度) and the role (実績) a label prints, each None when it prints none."""
    m = _LABEL_YEAR.search(label)
    year = _year(m.group(0)) if m else None
    role = next((vocab.value_role[w] for w in sorted(vocab.value_role, key=len, reverse=True) if label.endswith(w)),
                None)
    return role, year


def _is_role_year(label: str, vocab: Vocabulary) -> bool:
    rest = _LABEL_YEAR.sub("", label)
    return rest in vocab.value_role or rest == ""


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


def role_rows(toks: list[Token], headers: list[YearHeader], vocab: Vocabulary,
              taken: set[int], default_kind: str = "outcome") -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Rows that a role label starts under a year header: ``目標値 52,000 53,000 54,000``.

    One value per year column, or none of the row is read (a row whose line prints fewer is reported:
    which years its values belong to is not printed). A 最終目標 column after the years gives a target
    row one more value, its final target. The indicator's name is the text printed
    between the header and its first row (a table of one indicator per block: 図書の貸出冊数 冊), or
    else the value of the indicator label before the header (成果指標 図書の貸出冊数); a unit cell
    there is the indicator's unit. Rows after the first, up to the next header, belong to the same
    indicator.
    """
    out: list[IndicatorFact] = []
    short: list[Unplaced] = []
    roles = vocab.value_role
    units = set(vocab.non_money_units)
    for h_i, header in enumerate(headers):
        if any(col.status for col in header.columns):
            continue
        stop = headers[h_i + 1].start if h_i + 1 < len(headers) else len(toks)
        width = len(header.columns)
        name, unit, values, first = None, None, [], None
        j = header.end
        final_column = False  # 最終目標 after the years: a target row prints one more value, the final target
        while j < stop and (toks[j].text in vocab.final_target_columns or toks[j].text in vocab.remark_columns):
            final_column = final_column or toks[j].text in vocab.final_target_columns
            j += 1
        while j < stop:
            cell = toks[j].text
            role = roles.get(cell.strip("()（）"))
            if role is None:
                if values:
                    break  # the block's rows are over
                if cell in units:
                    unit = cell
                elif name is None and len(cell) >= 2 and not _VALUE_CELL.fullmatch(cell) and cell not in vocab.labels:
                    name = cell
                    first = toks[j]
                elif name is not None:
                    break
                j += 1
                continue
            cells = toks[j + 1:j + 1 + width]
            on_its_line = [c for c in toks[j + 1:j + 1 + width] if c.line == toks[j].line]
            if on_its_line and len(on_its_line) < width:  # 実績 1,590 1,745 under three years
                if any(_VALUE_CELL.fullmatch(c.text) for c in on_its_line):
                    short.append(Unplaced(cell, toks[j].span, f"{len(on_its_line)} values under {width} year "
                                                              "columns; which years they are is not printed"))
                j += 1 + len(on_its_line)
                continue
            if len(cells) < width or any(c.index in taken for c in cells) or not all(
                    is_no_value(c.text) or _VALUE_CELL.fullmatch(c.text) for c in cells):
                break
            for col, c in zip(header.columns, cells):
                m = _VALUE_CELL.fullmatch(c.text)
                if m is None:
                    continue  # − : no value printed for that year
                try:
                    values.append(ValueFact(role, parse_number(m.group("v")), c.text, c.span, col.year, c.index))
                except NumberFormatError:
                    continue
                unit = unit or m.group("unit") or None
            j += 1 + width
            final = toks[j] if final_column and role == "target" and j < stop else None
            if final is not None and final.index not in taken and (m := _VALUE_CELL.fullmatch(final.text)):
                values.append(ValueFact("final_target", parse_number(m.group("v")), final.text, final.span, None,
                                        final.index))
                j += 1
        if values:
            if name is None:
                name, first, printed_unit = _name_line_before(toks, header.start, vocab)
                unit = unit or printed_unit
            if name is None:
                name, first = _label_value_before(toks, header.start, vocab)
            anchor = first or toks[header.start]
            out.append(IndicatorFact(name or UNNAMED, default_kind, unit, anchor.span, anchor.index, tuple(values),
                                     "role rows under a year header"))
    return out, short


def _name_line_before(toks: list[Token], index: int, vocab: Vocabulary
                      ) -> tuple[str | None, Token | None, str | None]:
    """``(name, its token, unit)`` of the line right before a header that prints an indicator's name and
    unit (``観光入込客数(年間) 千人 −`` over ``年度 令和4年度 …``); Nones when that line is not one."""
    line = toks[index].line - 1
    cells = [t for t in toks[max(0, index - 12):index] if t.line == line]
    if not cells or cells[0].text in vocab.labels or _VALUE_CELL.fullmatch(cells[0].text) or not re.search(
            r"[\u3040-\u30ff\u3400-\u9fff]", cells[0].text):
        return None, None, None
    rest = [c.text for c in cells[1:]]
    if not all(is_no_value(c) or c in vocab.non_money_units or (
            len(c) <= 4 and not re.search(r"\d", c) and c not in vocab.labels) for c in rest):
        return None, None, None  # a line of text, not a name with its unit (千人泊, 百万円)
    unit = next((c for c in rest if not is_no_value(c)), None)
    return cells[0].text, cells[0], unit


def _label_value_before(toks: list[Token], index: int, vocab: Vocabulary) -> tuple[str | None, Token | None]:
    """The name after the nearest indicator label before ``index`` (成果指標 図書の貸出冊数)."""
    for j in range(index - 1, max(-1, index - 30), -1):
        if toks[j].text in vocab.indicator:
            for k in range(j + 1, index):
                cell = toks[k].text
                if (cell not in vocab.labels and cell not in vocab.indicator_header_words and len(cell) >= 2
                        and not _VALUE_CELL.fullmatch(cell)):
                    return cell, toks[k]
            return None, None
    return None, None


_TABLE_VALUE = re.compile(rf"(?P<v>{_NUM})(?P<unit>[^\d\s()（）]{{0,3}})(?:[(（](?P<y>[^)）]{{1,12}})[)）])?")
_COLUMN_YEAR = re.compile(r"(?:(?:令和|平成|昭和|[RHS])\s?(?:\d{1,2}|元)|(?:19|20)\d{2}|\d{1,2}(?=年))(?:年度?)?")
_UNIT_SUFFIX = re.compile(r"(?P<name>.+?)\s?[(（](?P<unit>[^()（）]{1,3})[)）]")  # 参加者数(人)
_ROLE_SUFFIX = re.compile(r"[(（](?P<role>[^()（）]{1,4})[)）]$")


@dataclass(frozen=True)
class TableColumn:
    year: int | None
    role: str | None  # a value role, "derived" (達成率: not kept), or None (the row's name says it)


def header_column(cell: str, era: str | None, vocab: Vocabulary) -> TableColumn | None:
    """What one header cell of an indicator table names: ``H30目標`` (2018, target), ``基準値``, ``目標値(R1)``,
    ``平成30年度``; None when it is not a column of values."""
    if cell in vocab.value_role:
        return TableColumn(None, vocab.value_role[cell])
    if cell in vocab.derived_value_columns:
        return TableColumn(None, "derived")
    m = re.fullmatch(r"(?P<role>[^\d()（）]{1,4})\s?[(（](?P<y>[^)）]{1,10})[)）]", cell)
    if m and m.group("role") in vocab.value_role:
        col = year_column(m.group("y"), era)
        return TableColumn(col.year, vocab.value_role[m.group("role")]) if col else None
    m = _COLUMN_YEAR.match(cell)
    if not m:
        return None
    col = year_column(m.group(0), era)
    tail = cell[m.end():].strip("()（） ")
    if col is None or col.status in ("budget", "estimate") or (tail and tail not in vocab.value_role):
        return None
    return TableColumn(col.year, vocab.value_role.get(tail) if tail else None)


def header_tables(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None,
                  default_kind: str) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Indicator tables whose rows the dump kept on their lines (see the module's docstring)."""
    by_line: dict[int, list[Token]] = {}
    for t in toks:
        by_line.setdefault(t.line, []).append(t)
    out: list[IndicatorFact] = []
    partial: list[Unplaced] = []
    i, n = 0, len(lines)
    while i < n:
        header = _table_header(by_line.get(i, []), era, vocab)
        i += 1
        if header is None:
            continue
        kind, columns = header
        group_kind = None  # a caption over a group of rows (重点 / 活動) gives them its kind
        previous: tuple[str, str | None] | None = None  # the name and unit of the row before
        units_on_values: bool | None = None  # whether the rows print a unit on their values (25件) or not (25)
        while i < n and _table_header(by_line.get(i, []), era, vocab) is None:
            cells_of_line = by_line.get(i, [])
            if len(cells_of_line) == 1 and cells_of_line[0].text in vocab.row_group_captions:
                group_kind = vocab.row_group_captions[cells_of_line[0].text]
                i += 1
                continue
            continued = bool(previous and cells_of_line and cells_of_line[0].text in vocab.value_role)
            if continued:  # 実績 380 460 −: a row that only prints a role continues the indicator above it
                head = cells_of_line[0]
                cells_of_line = [Token(previous[0], head.line, head.index, head.span), *cells_of_line]
            row = _table_row(cells_of_line, columns, vocab)
            wrapped = 0
            if row is None:  # a name over one or two lines, its values on the next
                row, wrapped = _wrapped_row(by_line, i, columns, vocab)
            if row is None:
                break
            name, unit, cells, row_role = row
            printed_units = any(re.search(r"\d[^\d\s().,]+$", c.text)
                                for col, c in zip(columns, cells) if col.role != "derived")
            if units_on_values is not None and printed_units != units_on_values:
                break  # 経営セミナー 6回 under rows of bare figures: a line of notes, not the table's
            units_on_values = printed_units
            if continued:
                unit = unit or previous[1]
            previous = (name, unit)
            values, printed_unit = _row_values(columns, cells, row_role)
            unit = unit or printed_unit
            first = by_line[i][0]
            span = Span(first.span.start, by_line[i + wrapped][-1].span.end) if wrapped else first.span
            if values and continued and out and out[-1].name == name:
                above = out[-1]
                out[-1] = IndicatorFact(above.name, above.kind, above.unit or unit, above.span, above.token,
                                        above.values + tuple(values), above.how)
            elif values:
                out.append(IndicatorFact(name, group_kind or kind or default_kind, unit, span, first.index,
                                         tuple(values), "indicator table"))
            if len(cells) < len(columns):
                partial.append(Unplaced(name, span,
                                        f"{len(cells)} values under {len(columns)} columns: read from the left"))
            i += 1 + wrapped
    return out, partial


def _wrapped_row(by_line: dict[int, list[Token]], i: int, columns: list[TableColumn], vocab: Vocabulary
                 ) -> tuple[tuple[str, str | None, list[Token], str | None] | None, int]:
    """A table row whose name a dump printed on its own line (or wrapped over two), its values on the
    next line: ``新製品の事業化件数(件)`` / ``6``. Returns the row and how many lines after ``i`` it took."""
    names: list[Token] = []
    for extra in (0, 1):
        cells = by_line.get(i + extra, [])
        if len(cells) != 1 or _TABLE_VALUE.fullmatch(cells[0].text) or is_no_value(cells[0].text) or (
                cells[0].text in vocab.labels or cells[0].text in vocab.row_group_captions):
            return None, 0
        names.append(cells[0])
        values = by_line.get(i + extra + 1, [])
        if values and len(values) <= len(columns) and all(
                _TABLE_VALUE.fullmatch(c.text) or is_no_value(c.text) for c in values):
            first = names[0]
            name = Token("".join(t.text for t in names), first.line, first.index, first.span)
            row = _table_row([name, *values], columns, vocab)
            return (row, extra + 1) if row is not None else (None, 0)
    return None, 0


def cell_per_line_tables(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None,
                         default_kind: str) -> tuple[list[IndicatorFact], list[Unplaced]]:
    """Indicator tables a dump printed one cell per line: the header's cells (指標名 / 単位 / R3実績 /
    R4目標), then each row's name, optional unit and one value per column. Only runs of one-cell lines
    are read; a row with fewer values than columns ends the table and is reported."""
    per_line: dict[int, list[Token]] = {}
    for t in toks:
        per_line.setdefault(t.line, []).append(t)
    single = [cells[0] if len(cells) == 1 else None for cells in (per_line.get(i, []) for i in range(len(lines)))]
    out: list[IndicatorFact] = []
    partial: list[Unplaced] = []
    i, n = 0, len(single)
    while i < n:
        cell = single[i]
        if cell is None or not (cell.text in vocab.indicator_header_words or cell.text in vocab.indicator):
            i += 1
            continue
        j = i
        while j < n and single[j] is not None and (
                single[j].text in vocab.indicator_header_words or single[j].text in vocab.indicator):
            j += 1
        while j < n and single[j] is not None and header_column(single[j].text, era, vocab) is not None:
            j += 1
        header = _table_header([single[k] for k in range(i, j)], era, vocab)
        if header is None:
            i = j if j > i else i + 1
            continue
        kind, columns = header
        width = len(columns)
        while j < n and single[j] is not None:
            row = [single[j]]
            k = j + 1
            if k < n and single[k] is not None and single[k].text in vocab.non_money_units:
                row.append(single[k])
                k += 1
            while k < n and single[k] is not None and len(row) < width + 2 and (
                    _TABLE_VALUE.fullmatch(single[k].text) or is_no_value(single[k].text)):
                row.append(single[k])
                k += 1
            parsed = _table_row(row, columns, vocab)
            if parsed is None:
                break
            name, unit, cells, row_role = parsed
            values, printed_unit = _row_values(columns, cells, row_role)
            if values:
                out.append(IndicatorFact(name, kind or default_kind, unit or printed_unit, row[0].span,
                                         row[0].index, tuple(values), "indicator table, one cell per line"))
            j = k
            if len(cells) < width:
                partial.append(Unplaced(name, row[0].span, f"{len(cells)} values under {width} columns: "
                                                            "read from the left"))
                break
        i = j
    return out, partial


def _row_values(columns: list[TableColumn], cells: list[Token], row_role: str | None
                ) -> tuple[list[ValueFact], str | None]:
    """The values of a table row's cells, each with its column's role and year, and the first unit they print."""
    values, unit = [], None
    for col, cell in zip(columns, cells):
        m = _TABLE_VALUE.fullmatch(cell.text)
        role = col.role or row_role or "unspecified"
        if m is None or role == "derived":
            continue
        try:
            values.append(ValueFact(role, parse_number(m.group("v")), cell.text, cell.span,
                                    col.year or (_year(m.group("y")) if m.group("y") else None), cell.index))
        except NumberFormatError:
            continue
        unit = unit or m.group("unit") or None
    return values, unit


def _table_header(cells: list[Token], era: str | None, vocab: Vocabulary) -> tuple[str | None, list[TableColumn]] | None:
    kind = None
    k = 0
    while k < len(cells):
        word = re.sub(r"[(（][^()（）]*[)）]$", "", cells[k].text) or cells[k].text  # 重要業績評価指標(KPI)
        if word not in vocab.indicator and word not in vocab.indicator_header_words:
            break
        kind = kind or vocab.indicator.get(word)
        k += 1
    columns = [header_column(c.text, era, vocab) for c in cells[k:]]
    if not columns or any(c is None for c in columns):
        return None
    if len(columns) == 1 and not (k and columns[0].role not in (None, "derived")):
        return None  # one column of values only under header words and with a role: 指標 計画
    if not any(c.role for c in columns if c) and not all(c.year for c in columns if c):
        return None
    return kind, [c for c in columns if c is not None]


def _table_row(cells: list[Token], columns: list[TableColumn], vocab: Vocabulary
               ) -> tuple[str, str | None, list[Token], str | None] | None:
    """``(name, unit, value cells, role its name prints)`` of an indicator row, or None."""
    k = next((j for j, c in enumerate(cells) if _TABLE_VALUE.fullmatch(c.text) or is_no_value(c.text)), None)
    if not k:
        return None  # no values, or no name before them
    head, values = cells[:k], cells[k:]
    unit = None
    if len(head) > 1 and head[-1].text in vocab.non_money_units:
        unit, head = head[-1].text, head[:-1]
    name = " ".join(c.text for c in head)
    if (len(values) > len(columns) or not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", name)
            or vocab.money_label(name) is not None or (head[-1].text in ("千円", "円", "百万円", "万円"))
            or not all(_TABLE_VALUE.fullmatch(c.text) or is_no_value(c.text) for c in values)
            or any(re.search(r"円$", c.text) for c in values)):
        return None
    role = None
    if len(head) > 1 and head[-1].text in vocab.value_role:  # 参加者数(人) 目標 400 450 …: the row's role
        role, head = vocab.value_role[head[-1].text], head[:-1]
        name = " ".join(c.text for c in head)
    m = _ROLE_SUFFIX.search(name)
    if m and m.group("role") in vocab.value_role:
        role, name = vocab.value_role[m.group("role")], name[:m.start()].strip()
    m = _UNIT_SUFFIX.fullmatch(name)
    if unit is None and m and m.group("unit") in vocab.non_money_units:
        name, unit = m.group("name"), m.group("unit")
    if not name or name in vocab.value_role or name in vocab.labels:
        return None  # a row a role label starts (目標値 52,000 …): the role-row recogniser's
    return name, unit, values, role


_ROLE_VALUE = re.compile(r"(?P<label>[^:：\d]{1,8})[:：](?P<value>.+)")  # 目標値:90% in one cell
_ITEM_NUMBER = re.compile(r"^(?:[(（]\d{1,2}[)）]|[①-⑳])")


def labelled_values(toks: list[Token], vocab: Vocabulary, era: str | None, taken: set[int]) -> list[IndicatorFact]:
    """Values each printed after its own role label, after an indicator label and its name:
    ``成果指標 参加者数 単位 人 目標値 500 実績値 480``, ``活動指標 開催回数 回 R4目標 12 R4実績 10``,
    ``目標値:90%``. A role label followed by several values is a table row whose header was not read:
    none of it is taken. Cells in ``taken`` belong to other facts."""
    out: list[IndicatorFact] = []
    n = len(toks)
    units = set(vocab.non_money_units)
    read_to = 0  # cells before this one were read as part of a fact
    for t in toks:
        label, _, rest = _ITEM_NUMBER.sub("", t.text).partition(":")
        kind = vocab.indicator.get(label)
        if kind is None or t.index < read_to:
            continue
        j = t.index + 1
        name, unit, first = (rest, None, t) if rest else (None, None, None)  # KPI:観光入込客数
        while j < n and toks[j].text != "単位" and (
                toks[j].text in vocab.indicator_header_words or toks[j].text in vocab.indicator):
            j += 1  # 活動指標 指標名 …: the words that head the name
        while j < n and name is None:  # the name: the first cell that is not a label, a unit or a value
            cell = toks[j].text
            if cell in vocab.labels or cell in units or _TABLE_VALUE.fullmatch(cell) or len(cell) < 2:
                break
            name, first = cell, toks[j]
            j += 1
        if name is None:
            continue
        m = re.fullmatch(r"(?P<name>.+?)[(（](?P<unit>[^()（）]{1,3})[)）]", name)
        if m and m.group("unit") in units:
            name, unit = m.group("name"), m.group("unit")
        values: list[ValueFact] = []
        while j < n:
            cell = _ITEM_NUMBER.sub("", toks[j].text)
            if cell == "単位" and j + 1 < n and toks[j + 1].text in units:
                unit, j = toks[j + 1].text, j + 2
                continue
            if cell in units:
                unit, j = cell, j + 1
                continue
            inline = _ROLE_VALUE.fullmatch(cell)
            label, value_cell, step = (inline.group("label"), inline.group("value"), 1) if inline else (
                cell, toks[j + 1].text if j + 1 < n else "", 2)
            column = header_column(label, era, vocab)
            if column is None or column.role is None:
                break
            value_tok = toks[j] if inline else (toks[j + 1] if j + 1 < n else None)
            v = _TABLE_VALUE.fullmatch(value_cell)
            if value_tok is None or value_tok.index in taken or not (v or is_no_value(value_cell)):
                break
            nxt = j + step
            if nxt < n and _TABLE_VALUE.fullmatch(toks[nxt].text) and toks[nxt].index not in taken:
                values = []  # 目標値 52,000 53,000 …: a row of a table, not one labelled value
                break
            if v is not None and column.role != "derived":
                try:
                    values.append(ValueFact(column.role, parse_number(v.group("v")), value_cell, value_tok.span,
                                            column.year or (_year(v.group("y")) if v.group("y") else None),
                                            value_tok.index))
                except NumberFormatError:
                    pass
                unit = unit or v.group("unit") or None
            j = nxt
        if values:
            out.append(IndicatorFact(name, kind, unit, first.span, first.index, tuple(values), "labelled values"))
            read_to = j
    return out
