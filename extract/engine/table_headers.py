"""The header of an indicator table: which value column each of its cells names.

A header is header words (指標名, 単位, 成果指標 …) then value columns, each a role, a year or both
(``H30目標``, ``基準値``, ``目標値(R1)``, ``平成30年度``), a derived column (達成率) or a remark (備考).
Cells a dump printed apart are joined: a year and its role (``H28`` / ``実績値``, ``基準値`` / ``(H26)``),
and two years before an earlier one are one period's column (``H27 H31`` then ``H28実績値``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from policy_kg.extract.engine.normalize import Token
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.engine.years import across_era_change, eraless, year_column

_COLUMN_YEAR = re.compile(r"(?:(?:令和|平成|昭和|[RHS])\s?(?:\d{1,2}|元)|(?:19|20)\d{2}|(?:\d{1,2}|元)(?=年))(?:年度?)?")


@dataclass(frozen=True)
class TableColumn:
    year: int | None
    role: str | None  # a value role, "derived" (達成率) or "remark" (備考): not kept, or None (the row's name says it)
    bracketed: bool = False  # a year printed in brackets on its own ((H26)): the role before it is its


NOT_KEPT = ("derived", "remark")  # columns read to keep a row's cells in place, their cells not kept as values


def values_missing(columns: list[TableColumn], printed: int) -> bool:
    """Whether a row of ``printed`` cells stops before a column of values (a grade or a remark may be left blank)."""
    return any(c.role not in NOT_KEPT for c in columns[printed:])


@lru_cache(maxsize=8192)  # asked of most cells, by several recognisers: each cell text is parsed once
def header_column(cell: str, era: str | None, vocab: Vocabulary) -> TableColumn | None:
    """What one header cell of an indicator table names: ``H30目標`` (2018, target), ``基準値``, ``目標値(R1)``,
    ``平成30年度``; None when it is not a column of values."""
    if cell in vocab.value_role:
        return TableColumn(None, vocab.value_role[cell])
    if cell in vocab.final_target_columns:  # 最終目標: the plan's last year's target
        return TableColumn(None, "final_target")
    if cell in vocab.estimate_labels:  # 見込: the value expected for a year not yet closed
        return TableColumn(None, "estimate")
    if cell in vocab.derived_value_columns:
        return TableColumn(None, "derived")
    if cell in vocab.remark_columns:
        return TableColumn(None, "remark")
    m = re.fullmatch(r"(?P<role>[^\d()（）]{1,5})\s?[(（](?P<y>[^)）]{1,10})[)）]", cell)
    role = m and (vocab.value_role.get(m.group("role")) or (
        "final_target" if m.group("role") in vocab.final_target_columns else None))  # 最終目標(R6)
    if role:
        if m.group("y") in vocab.year_placeholders:  # 基準値(年度): each cell prints its year
            return TableColumn(None, role)
        col = year_column(m.group("y"), era)
        return TableColumn(col.year, role) if col else None
    m = re.fullmatch(r"[(（](?P<y>[^()（）]{1,10})[)）]", cell)
    if m:  # (H26): the year of the role printed before it
        col = year_column(m.group("y"), era)
        return TableColumn(col.year, None, bracketed=True) if col and col.status is None else None
    m = _COLUMN_YEAR.match(cell)
    if not m:
        return None
    col = year_column(m.group(0), era)
    tail = cell[m.end():].strip("()（） ")
    if col is not None and col.status in (None, "estimate") and tail in vocab.estimate_labels:
        return TableColumn(col.year, "estimate")  # R6見込: that year's expected value
    if col is None or col.status in ("budget", "estimate") or (tail and tail not in vocab.value_role):
        return None
    return TableColumn(col.year, vocab.value_role.get(tail) if tail else None)


def opens_header(text: str, vocab: Vocabulary) -> bool:
    return text in vocab.indicator_header_words or text in vocab.indicator


_BRACKET_NOTE = re.compile(r"[(（][^()（）]*[)）]$")


def header_word(cell: str) -> str:
    """A header word without the abbreviation it brackets: 重要業績評価指標(KPI) → 重要業績評価指標."""
    return (_BRACKET_NOTE.sub("", cell) or cell) if cell.endswith((")", "）")) else cell


def table_header(cells: list[Token], era: str | None, vocab: Vocabulary) -> tuple[str | None, list[TableColumn]] | None:
    kind = None
    period_role = None
    k = 0
    while k < len(cells):
        word = header_word(cells[k].text)
        if word not in vocab.indicator and word not in vocab.indicator_header_words and not (
                k == 0 and word in vocab.project_name and len(cells) > 2):  # 事業名 指標 R5実績 …: each row's project
            break
        if word not in vocab.indicator_header_words:  # 指標名 heads any table: the document's kind stands
            kind = kind or vocab.indicator.get(word)
        if word in vocab.target_labels:
            period_role = "target"
        k += 1
    columns = []
    for cell in cells[k:]:  # every cell after the header words must be a column: stop at the first that is not
        column = header_column(cell.text, era, vocab)
        if column is None:
            return None
        columns.append(column)
    short = [eraless(cell.text) for cell in cells[k:]]
    if any(short):  # 30年度実績 元年度実績 2年度目標 in a 令和 document: 2018, 2019, 2020
        years = across_era_change([c.year or 0 for c in columns], [s and c.year is not None for s, c in
                                                                  zip(short, columns)], era)
        columns = [replace(c, year=y) if c.year is not None else c for c, y in zip(columns, years)]
    columns = _period_columns(_bound_columns(_years_over_roles(columns)), period_role)
    if not columns:
        return None
    if not any(c.role not in NOT_KEPT for c in columns):
        return None
    if len(columns) == 1 and not (k and columns[0].role not in (None, *NOT_KEPT)):
        return None  # one column of values only under header words and with a role: 指標 計画
    if not any(c.role for c in columns if c) and not all(c.year for c in columns if c):
        return None
    return kind, columns


def _years_over_roles(columns: list[TableColumn]) -> list[TableColumn]:
    """A two-line header a dump flattened (令和4年度 令和5年度 目標 実績 目標 実績): years, then each year's
    roles in turn, as many for each — a column for each year and role. Any other header as it is."""
    years = 0
    while years < len(columns) and columns[years].year is not None and columns[years].role is None:
        years += 1
    roles = columns[years:]
    if years < 2 or len(roles) < 2 * years or len(roles) % years or not all(
            c.year is None and c.role not in (None, *NOT_KEPT) for c in roles):
        return columns
    per_year = len(roles) // years
    groups = {tuple(c.role for c in roles[k:k + per_year]) for k in range(0, len(roles), per_year)}
    if len(groups) != 1:
        return columns  # (R4 R5 基準値 目標値 最終目標 計画値: columns of their own after the years)
    return years_times_roles(columns[:years], [c.role for c in roles])


def years_times_roles(years: list[TableColumn], roles: list[str]) -> list[TableColumn]:
    """A column for each role printed under (or after) a header's years, each year over as many roles in
    turn: 令和4年度 令和5年度 with 目標 実績 目標 実績 is 2022's target and actual, then 2023's."""
    per_year = len(roles) // len(years)
    return [TableColumn(years[k // per_year].year, role) for k, role in enumerate(roles)]


def _bound_columns(columns: list[TableColumn]) -> list[TableColumn]:
    """Header cells a dump printed apart, a year and its role, joined into one column: ``H28`` / ``実績値``
    (2016's actuals) when the header ends with a role, ``基準値`` / ``H26`` when it starts with one and ends
    with a year. Any other header is left as it is."""
    def bare_year(c: TableColumn) -> bool:
        return c.year is not None and c.role is None

    def bare_role(c: TableColumn) -> bool:
        return c.year is None and c.role not in (None, *NOT_KEPT)

    merged: list[TableColumn] = []
    for c in columns:  # 基準値 / (H26): a bracketed year belongs to the role before it
        if c.bracketed and merged and bare_role(merged[-1]):
            merged[-1] = TableColumn(c.year, merged[-1].role)
        else:
            merged.append(TableColumn(c.year, c.role) if c.bracketed else c)
    columns = merged
    if len(columns) < 2:
        return columns
    year_first = bare_role(columns[-1]) and bare_year(columns[-2])
    role_first = bare_role(columns[0]) and bare_year(columns[1]) and bare_year(columns[-1])
    run_of_years = any(bare_year(a) and bare_year(b) and bare_year(c) and a.year < b.year < c.year
                       for a, b, c in zip(columns, columns[1:], columns[2:]))
    if not (year_first or role_first) or run_of_years:
        return columns  # (基準値 R2 R3 R4 R5 最終目標: a run of years, each its own column, between two roles)
    out: list[TableColumn] = []
    k = 0
    while k < len(columns):
        a, b = columns[k], columns[k + 1] if k + 1 < len(columns) else None
        if b is not None and ((year_first and bare_year(a) and bare_role(b)) or (role_first and bare_role(a) and bare_year(b))):
            out.append(TableColumn(a.year or b.year, a.role or b.role))
            k += 2
        else:
            out.append(a)
            k += 1
    return out


def _period_columns(columns: list[TableColumn], role: str | None = None) -> list[TableColumn]:
    """Two year cells with no role before a column of an earlier year are one column of a period
    (``H27`` ``H31`` then ``H28実績値``: the values for H27–H31, i.e. by its last year, 2019): year columns
    otherwise run forward. ``role``: the period column's, when the header's label names it (数値目標: the
    plan's target for its period)."""
    out = list(columns)
    for k in range(len(out) - 2, 0, -1):
        a, b, c = out[k - 1], out[k], out[k + 1]
        if (a.role is None and b.role is None and a.year and b.year and c.year and a.year < b.year
                and c.year < b.year and (k - 2 < 0 or out[k - 2].role is not None or out[k - 2].year is None)):
            out[k - 1:k + 1] = [TableColumn(b.year, role)]
    return out
