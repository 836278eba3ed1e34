"""A project from its table row and its detail block: names reconciled, amounts, logic model, indicators."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.numbers import NumberFormatError, era_to_year, era_years, is_no_value, parse_number, thousand_yen
from policy_kg.extract.profiles.evaluation_sheet.details import DetailBlock, DetailPage
from policy_kg.extract.profiles.evaluation_sheet.kpis import _indicator_value
from policy_kg.extract.profiles.evaluation_sheet.table import TableRow
from policy_kg.extract.profiles.evaluation_sheet.text import (
    _compact,
    _group_adjacent,
    _Issues,
    _join_wrapped,
    _project_key,
    _unit_key,
)
from policy_kg.extract.profiles.evaluation_sheet.words import (
    _FINANCE_DEFAULT_UNIT,
    _FINANCE_UNIT_RE,
    _STATUS_RE,
    _UNIT_PAREN_RE,
    AMOUNT_ROWS,
    AMOUNT_STATUS,
    AMOUNT_UNITS,
    DEFAULT_STAGES,
)
from policy_kg.extract.records import Amount, AmountStatus, Indicator, LogicStage, Project, Span, Stage


@dataclass
class _FinanceColumns:
    columns: list[tuple[int, AmountStatus | None, str]]  # (fiscal year, status, printed label)
    unit: str = _FINANCE_DEFAULT_UNIT


def _finance_columns(lines: tuple[str, ...], page: DetailPage) -> _FinanceColumns | None:
    """The budget table's column years/statuses and unit, read from the page's 財務内容 sections."""
    for group in page.groups:
        body = group.get("finance", [])
        if not body:
            continue
        unit = _FINANCE_DEFAULT_UNIT
        columns: list[tuple[int, AmountStatus | None, str]] = []
        k = 0
        while k < len(body):
            c = _compact(lines[body[k]])
            if (m := _FINANCE_UNIT_RE.search(c)) is not None:
                unit = m.group(1)
            elif era_years(c):
                label = c
                status_m = _STATUS_RE.search(c)
                if status_m is None and k + 1 < len(body):
                    status_m = _STATUS_RE.search(_compact(lines[body[k + 1]]))
                    if status_m is not None:
                        label += _compact(lines[body[k + 1]])
                        k += 1
                status = AMOUNT_STATUS.get(status_m.group(1)) if status_m else None
                columns.append((era_to_year(c), status, label))
            k += 1
        if columns:
            return _FinanceColumns(columns, unit)
    return None


def _project_from_row(row: TableRow) -> Project:
    return Project(
        _project_key(row.measure, row.number), str(row.number), row.name, row.span,
        parents=[f"m{row.measure}"] if row.measure is not None else [], sdg_targets=list(row.sdg_targets),
        pillar=row.pillar, priority=row.priority, direction=row.direction, unit=row.unit,
    )


def _merge_block(project: Project, block: DetailBlock, issues: _Issues) -> None:
    """Fill ``project`` (from the table) with its detail block; report every disagreement."""
    key = project.key
    if block.name is None and project.name is not None:
        issues.add("uncertain", f"{key}: 事業名 is empty on the detail sheet; the table's name is used",
                   block.span, key)
    elif block.name is not None and project.name is None:
        project.name = block.name
        issues.add("uncertain", f"{key}: the table row has no name; the detail sheet's name is used",
                   block.span, key)
    elif block.name is not None and project.name is not None and _compact(block.name) != _compact(project.name):
        project.alt_names.append(block.name)
        issues.add("uncertain", f"{key}: name differs between the table ({project.name!r}) and the detail "
                   f"sheet ({block.name!r}); the table's is used", block.span, key)
    elif block.name is None and project.name is None:
        issues.add("uncertain", f"{key}: no name printed in the table or on the detail sheet", block.span, key)
    project.legal_basis = block.legal_basis
    if block.legal_basis is None:
        issues.add("uncertain", f"{key}: no 法定/自主 value on the detail sheet", block.span, key)
    if project.unit is None:
        project.unit = block.unit
    elif block.unit is not None and _unit_key(block.unit) != _unit_key(project.unit):
        issues.add("uncertain", f"{key}: responsible unit differs between table and detail sheet", block.span,
                   key)
    if project.direction is None:
        project.direction = block.direction
    elif block.direction is not None and block.direction != project.direction:
        issues.add("uncertain", f"{key}: 次年度方針 differs: table {project.direction}, sheet "
                   f"{block.direction}; the table's is used", block.span, key)


def _amounts(
    block: DetailBlock, finance: _FinanceColumns | None, key: str, issues: _Issues
) -> list[Amount]:
    out: list[Amount] = []
    if finance is None:
        if block.amount_rows:
            issues.add("dropped", f"{key}: budget rows found but no 財務内容 year columns on the page",
                       block.span, key)
        return out
    factor = AMOUNT_UNITS.get(finance.unit)
    if factor is None:
        issues.add("dropped", f"{key}: unknown budget unit {finance.unit!r}; amounts not used", block.span, key)
        return out
    for category, cells, span in block.amount_rows:
        if len(cells) != len(finance.columns):
            issues.add("uncertain", f"{key}: {category} row has {len(cells)} cells for "
                       f"{len(finance.columns)} year columns; mapped left to right", span, key)
        for cell, (year, status, _label) in zip(cells, finance.columns):
            if is_no_value(cell):
                issues.add("info", f"{key}: {category} for {year} printed as {cell!r} (no value)", span, key)
                continue
            try:
                jpy = thousand_yen(cell) if factor == 1000 else int(parse_number(cell) * factor)
            except NumberFormatError:
                issues.add("dropped", f"{key}: {category} cell {cell!r} is not a number", span, key)
                continue
            out.append(Amount(category, jpy, f"{cell}{finance.unit}", span, fiscal_year=year, status=status))
    for category in AMOUNT_ROWS.values():
        if not any(row[0] == category for row in block.amount_rows):
            issues.add("uncertain", f"{key}: no {category} row on the detail sheet", block.span, key)
    return out


def _logic_model(lines: tuple[str, ...], block: DetailBlock, stages: list[Stage], key: str,
                 issues: _Issues) -> list[LogicStage]:
    body = block.sections.get("logic")
    if not body:
        return []
    paragraphs = _group_adjacent(lines, body)
    order = stages or list(DEFAULT_STAGES)
    if len(paragraphs) != len(order):
        issues.add("uncertain", f"{key}: logic model has {len(paragraphs)} statements for {len(order)} "
                   f"stages; matched in order", Span(body[0] + 1, body[-1] + 1), key)
    return [
        LogicStage(step, stage, _join_wrapped(lines[i] for i in para), Span(para[0] + 1, para[-1] + 1))
        for step, (stage, para) in enumerate(zip(order, paragraphs), start=1)
    ]


def _outcome_indicators(lines: tuple[str, ...], block: DetailBlock, key: str, issues: _Issues) -> list[Indicator]:
    """Indicators of the logic-model table; unlabelled rows take the labels printed after 成果の推移."""
    labels = [_join_wrapped(lines[i] for i in p) for p in _group_adjacent(lines, block.sections.get("trend", []))]
    label_spans = [Span(p[0] + 1, p[-1] + 1) for p in _group_adjacent(lines, block.sections.get("trend", []))]
    out: list[Indicator] = []
    free = 0
    for n, (label, cells, span) in enumerate(block.item_rows, start=1):
        if label is None:
            if free >= len(labels):
                issues.add("dropped", f"{key}: indicator row {cells} has no label; not used", span, key)
                continue
            label = labels[free]
            issues.add("uncertain", f"{key}: indicator row {cells} was printed without its label; the label "
                       f"{label!r} printed after 成果の推移 was attached by position",
                       span.merge(label_spans[free]), key)
            free += 1
        name, unit = _name_and_unit(label)
        ind_key = f"{key}-out-{n}"
        values = [_indicator_value("actual", cell, year, span, issues, ind_key)
                  for cell, year in zip(cells, block.item_years)]
        out.append(Indicator(ind_key, name, "outcome", span, unit=unit, values=values))
    for label, lspan in zip(labels[free:], label_spans[free:]):
        issues.add("dropped", f"{key}: label {label!r} after 成果の推移 matches no indicator row", lspan, key)
    return out


def _name_and_unit(label: str) -> tuple[str, str | None]:
    m = _UNIT_PAREN_RE.match(label.strip())
    if m and m.group("name").strip():
        return m.group("name").strip(), m.group("unit")
    return label.strip(), None


def _project_from_block(block: DetailBlock) -> Project:
    key = _project_key(block.measure, block.number or 0)
    return Project(key, str(block.number), block.name, block.span,
                   parents=[f"m{block.measure}"] if block.measure is not None else [])


def _project_order(p: Project) -> tuple[int, int]:
    m = re.match(r"m(\d+)-p(\d+)$", p.key)
    return (int(m.group(1)), int(m.group(2))) if m else (10**6, 0)
