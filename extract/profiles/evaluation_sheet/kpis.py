"""The field's KPIs (``<n>`` / name unit note / 年度 / 目標 / 実績), measure contents and displaced baselines."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from policy_kg.extract.numbers import NumberFormatError, era_to_year, era_years, is_no_value, parse_number
from policy_kg.extract.profiles.evaluation_sheet.header import _Measure
from policy_kg.extract.profiles.evaluation_sheet.text import (
    _compact,
    _int,
    _is_number,
    _Issues,
    _join_wrapped,
    _next_nonblank,
    _paragraphs,
    _tokens,
)
from policy_kg.extract.profiles.evaluation_sheet.words import _ERA_PAREN_RE, _KPI
from policy_kg.extract.records import Indicator, IndicatorValue, Role, Span


@dataclass
class _Kpi:
    indicator: Indicator
    years: list[int] = field(default_factory=list)
    expecting_final: bool = False


def _parse_kpis(lines: tuple[str, ...], start: int, end: int, issues: _Issues) -> list[Indicator]:
    """The KPI blocks between ``start`` and ``end``."""
    kpis: list[_Kpi] = []
    i = start
    while i < end:
        raw = lines[i].strip()
        c = _compact(raw)
        current = kpis[-1] if kpis else None
        if not c or any(w in c for w in _KPI["headers_containing"]) or c in _KPI["headers"]:
            pass
        elif current is not None and current.expecting_final and _is_number(c):
            current.indicator.values.append(
                _indicator_value("final_target", raw, None, Span.line(i + 1), issues, current.indicator.key)
            )
            current.expecting_final = False
        elif re.fullmatch(r"\d+", c) and (j := _next_nonblank(lines, i + 1, end)) is not None:
            kpis.append(_Kpi(_kpi_indicator(_int(c), lines[j], Span.line(j + 1), issues)))
            i = j
        elif current is not None and c.startswith(_KPI["year_row"]):
            current.years = era_years(raw)
        elif current is not None and c.startswith(_KPI["target_row"]):
            _kpi_row(current, "target", raw, Span.line(i + 1), issues)
        elif current is not None and c.startswith(_KPI["actual_row"]):
            _kpi_row(current, "actual", raw, Span.line(i + 1), issues)
            current.expecting_final = False
        else:
            issues.add("dropped", f"KPI area: line not understood and not used: {raw!r}", Span.line(i + 1))
        i += 1
    return [k.indicator for k in kpis]


def _kpi_indicator(number: int, raw: str, span: Span, issues: _Issues) -> Indicator:
    """A KPI from its ``name unit explanation`` line."""
    key = f"kpi-{number}"
    tokens = [t.group() for t in _tokens(raw)]
    name = tokens[0] if tokens else ""
    unit = tokens[1] if len(tokens) > 1 else None
    note = " ".join(tokens[2:]) or None
    if unit is None:
        issues.add("uncertain", f"KPI {number}: no unit printed after its name", span, key)
    description = None if note is None or is_no_value(note) else note
    return Indicator(key, name, "kpi", span, unit=unit, description=description)


def _kpi_row(kpi: _Kpi, role: Role, raw: str, span: Span, issues: _Issues) -> None:
    """Target or actual cells of a KPI, mapped to the header's years left to right."""
    key = kpi.indicator.key
    cells = [t.group() for t in _tokens(raw)][1:]
    years = kpi.years
    if not years:
        issues.add("dropped", f"{key}: {role} row printed before any year header; not used", span, key)
        return
    for cell, year in zip(cells, years):
        kpi.indicator.values.append(_indicator_value(role, cell, year, span, issues, key))
    extra = cells[len(years):]
    if role == "target" and len(extra) == 1:
        kpi.indicator.values.append(_indicator_value("final_target", extra[0], None, span, issues, key))
    elif extra:
        issues.add("dropped", f"{key}: {role} row has more cells than years; extra cells {extra} not used",
                   span, key)
    if len(cells) < len(years):
        missing = ", ".join(str(y) for y in years[len(cells):])
        issues.add(
            "uncertain",
            f"{key}: the {role} row prints {len(cells)} cells for {len(years)} years; cells were mapped "
            f"to years left to right and fiscal year(s) {missing} have no cell (no value recorded)",
            span, key,
        )
    kpi.expecting_final = role == "target" and not extra


def _indicator_value(
    role: Role, cell: str, year: int | None, span: Span, issues: _Issues, key: str
) -> IndicatorValue:
    cell = cell.strip()
    if is_no_value(cell):
        return IndicatorValue(role, None, cell, span, year)
    try:
        value: Decimal | None = parse_number(cell)
    except NumberFormatError:
        issues.add("uncertain", f"{key}: {role} cell {cell!r} is not a number; kept as printed only", span, key)
        value = None
    return IndicatorValue(role, value, cell, span, year)


def _parse_contents_and_baselines(
    lines: tuple[str, ...], start: int, end: int, measures: list[_Measure], kpis: list[Indicator],
    issues: _Issues,
) -> None:
    """Measure contents (the first paragraphs), then KPI baselines and verification notes."""
    paragraphs = _paragraphs(lines, start, end)
    n = 0
    while n < len(paragraphs) and n < len(measures) and not _has_number_line(lines, paragraphs[n]):
        measure = measures[n]
        measure.description = _join_wrapped(lines[i] for i in paragraphs[n])
        n += 1
    if n < len(measures):
        issues.add("uncertain", f"only {n} of {len(measures)} measure contents (施策の内容) were found",
                   Span.line(start + 1))
    rest = [i for p in paragraphs[n:] for i in p]
    baselines, notes = _split_baselines(lines, rest)
    for kpi, (value_line, year_line) in zip(kpis, baselines):
        raw = lines[value_line].strip()
        year = era_to_year(lines[year_line])
        span = Span(value_line + 1, year_line + 1)
        kpi.values.append(_indicator_value("baseline", raw, year, span, issues, kpi.key))
    for value_line, year_line in baselines[len(kpis):]:
        issues.add("dropped", f"baseline {lines[value_line].strip()!r} has no KPI left to attach to",
                   Span(value_line + 1, year_line + 1))
    for kpi in kpis[len(baselines):]:
        issues.add("uncertain", f"{kpi.key}: the sheet prints no baseline (基準値) for this KPI", kpi.span,
                   kpi.key)
    for k, note in enumerate(notes):
        text = _join_wrapped(lines[i] for i in note)
        span = Span(note[0] + 1, note[-1] + 1)
        if k < len(kpis):
            issues.add("info", f"{kpis[k].key}: verification note (検証) printed away from its row, not "
                       f"modelled: {text}", span, kpis[k].key)
        else:
            issues.add("dropped", f"text in the KPI area not attached to anything: {text}", span)


def _has_number_line(lines: tuple[str, ...], paragraph: list[int]) -> bool:
    return any(_is_number(_compact(lines[i])) for i in paragraph)


def _split_baselines(lines: tuple[str, ...], indices: list[int]) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """(number line, era line) pairs; the other lines grouped into notes by adjacency."""
    baselines: list[tuple[int, int]] = []
    notes: list[list[int]] = []
    k = 0
    while k < len(indices):
        i = indices[k]
        c = _compact(lines[i])
        if _is_number(c) and k + 1 < len(indices) and _ERA_PAREN_RE.match(_compact(lines[indices[k + 1]])):
            baselines.append((i, indices[k + 1]))
            k += 2
            continue
        if notes and notes[-1][-1] == i - 1:
            notes[-1].append(i)
        else:
            notes.append([i])
        k += 1
    return baselines, notes
