"""The project table (``５　事務事業一覧``) and the related projects (``３　関連する政策分野と事務事業``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from policy_kg.extract.profiles.evaluation_sheet.text import (
    _compact,
    _int,
    _Issues,
    _nfkc,
    _paragraphs,
    _project_key,
    _raw_between,
    _tokens,
    split_unit,
)
from policy_kg.extract.profiles.evaluation_sheet.words import (
    _FOOTNOTE_MARK,
    _LABELS,
    _MEASURE_HEAD_RE,
    _PILLAR_CELL_RE,
    _PILLAR_RE,
    _PRIORITY_MARK,
    _RELATED_RE,
    _UNIT_CELL_RE,
    DIRECTIONS,
    TABLE_LEGENDS,
)
from policy_kg.extract.records import RelatedProject, Span, Unit
from policy_kg.extract.sdg_reference import SDG_CODE_LIKE


def _parse_related(lines: tuple[str, ...], start: int, end: int, issues: _Issues) -> list[RelatedProject]:
    out: list[RelatedProject] = []
    for i in range(start + 1, end):
        raw = lines[i].strip()
        if not raw:
            continue
        span = Span.line(i + 1)
        m = _RELATED_RE.match(raw)
        if m:
            code = _nfkc(m.group(1)).replace("－", "-").replace("‐", "-")
            out.append(RelatedProject(code, m.group(2), span, split_unit(m.group(3), span)))
        elif not _compact(raw).startswith(_LABELS["related_header"]):
            issues.add("dropped", f"related-projects section: line not understood: {raw!r}", span)
    return out


@dataclass
class TableRow:
    """One row of the project table (事務事業一覧)."""

    number: int
    name: str | None
    span: Span
    measure: int | None = None
    sdg_targets: list[str] = field(default_factory=list)
    pillar: int | None = None
    priority: bool = False
    direction: str | None = None
    unit: Unit | None = None


def parse_table_row(raw: str, line_no: int) -> TableRow | None:
    """A project-table row ``no [◎] [柱N] [SDG…] name direction unit``, or ``None`` if not a row.

    >>> row = parse_table_row("5 ◎ 柱１ 8.3 8.10 ある事業 継続 観光商工部商工課", 9)
    >>> (row.number, row.priority, row.pillar, row.sdg_targets, row.name, row.direction)
    (5, True, 1, ['8.3', '8.10'], 'ある事業', '継続')
    """
    tokens = _tokens(raw)
    if not tokens or not re.fullmatch(r"\d+", _nfkc(tokens[0].group())):
        return None
    span = Span.line(line_no)
    row = TableRow(_int(tokens[0].group()), None, span)
    rest = tokens[1:]
    while rest:  # leading marker columns, in any order
        t = _nfkc(rest[0].group())
        if t == _PRIORITY_MARK:
            row.priority = True
        elif (m := _PILLAR_CELL_RE.fullmatch(t)) is not None:
            row.pillar = int(m.group(1))
        elif SDG_CODE_LIKE.fullmatch(t):  # 11.99 too: checked against the UN list in extract()
            row.sdg_targets.append(t)
        else:
            break
        rest = rest[1:]
    if rest and _looks_like_unit(rest[-1].group()):
        row.unit = split_unit(rest[-1].group(), span)
        rest = rest[:-1]
    if rest and _nfkc(rest[-1].group()) in DIRECTIONS:
        row.direction = _nfkc(rest[-1].group())
        rest = rest[:-1]
    row.name = _raw_between(raw, rest)
    return row


def _looks_like_unit(token: str) -> bool:
    return bool(_UNIT_CELL_RE.search(token)) and len(token) >= 3


@dataclass
class _Table:
    rows: list[TableRow] = field(default_factory=list)
    pillars: dict[int, str] = field(default_factory=dict)
    headings: list[tuple[int, str, Span]] = field(default_factory=list)


def _parse_table(lines: tuple[str, ...], start: int, end: int, issues: _Issues) -> _Table:
    """Rows, measure headings and pillar legend of the project table; reconciles stray name cells."""
    table = _Table()
    measure: int | None = None
    orphans: list[list[int]] = []
    in_footnote = False
    row_at: dict[str, int] = {}  # project key -> index in table.rows
    for para in _paragraphs(lines, start + 1, end):
        text = "".join(_compact(lines[i]) for i in para)
        if text in TABLE_LEGENDS:
            continue
        for i in para:
            raw = lines[i].strip()
            span = Span.line(i + 1)
            if (m := _PILLAR_RE.match(raw)) is not None:
                table.pillars[_int(m.group(1))] = m.group(2)
                in_footnote = False
            elif (m := _MEASURE_HEAD_RE.match(raw)) is not None:
                measure = _int(m.group(1))
                table.headings.append((measure, m.group(2), span))
                in_footnote = False
            elif (row := parse_table_row(raw, i + 1)) is not None:
                row.measure = measure
                key = _project_key(measure, row.number)
                if key in row_at:
                    # a number printed twice: the last row is used, in the first one's place — applied
                    # here, so a table repeating a row a million times holds one row, not a million
                    issues.add("uncertain", f"{key}: the project table lists this number twice; the last row is used",
                               row.span, key)
                    table.rows[row_at[key]] = row
                else:
                    row_at[key] = len(table.rows)
                    table.rows.append(row)
                in_footnote = False
            elif raw.startswith(_FOOTNOTE_MARK) or in_footnote:
                in_footnote = True  # the legend's footnote and its wrapped lines
            elif _compact(raw) in TABLE_LEGENDS:
                continue
            elif orphans and orphans[-1][-1] == i - 1:
                orphans[-1].append(i)
            else:
                orphans.append([i])
        in_footnote = False
    _reconcile_table_names(lines, table.rows, orphans, issues)
    return table


def _reconcile_table_names(
    lines: tuple[str, ...], rows: list[TableRow], orphans: list[list[int]], issues: _Issues
) -> None:
    """Give stray name lines, in order, to rows printed without a name; report what is left over."""
    nameless = [r for r in rows if r.name is None]
    for row, orphan in zip(nameless, orphans):
        name = "".join(lines[i].strip() for i in orphan)
        row.name = name
        issues.add(
            "uncertain",
            f"project table: row {row.number} of measure {row.measure} was printed without a name; the "
            f"unattached line {name!r} (line {orphan[0] + 1}), printed after the table, was taken as its name "
            f"by position",
            row.span.merge(Span(orphan[0] + 1, orphan[-1] + 1)),
            _project_key(row.measure, row.number),
        )
    for row in nameless[len(orphans):]:
        issues.add("uncertain", f"project table: row {row.number} of measure {row.measure} has no name",
                   row.span, _project_key(row.measure, row.number))
    for orphan in orphans[len(nameless):]:
        text = "".join(lines[i].strip() for i in orphan)
        issues.add("dropped", f"project table: line {text!r} is not a row, heading or legend; not used",
                   Span(orphan[0] + 1, orphan[-1] + 1))
