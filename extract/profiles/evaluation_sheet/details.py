"""Detail sheets: pages of project blocks (事業名 / 担当部・課 / 事業費 …), then one set of text sections per block."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from policy_kg.extract.numbers import era_years, is_no_value
from policy_kg.extract.profiles.evaluation_sheet.regions import _is_block_name_line
from policy_kg.extract.profiles.evaluation_sheet.text import (
    _after_label,
    _compact,
    _int,
    _is_value_cell,
    _Issues,
    _next_nonblank,
    _nfkc,
    _project_key,
    _raw_between,
    _tokens,
    split_unit,
)
from policy_kg.extract.profiles.evaluation_sheet.words import (
    _LABELS,
    _MEASURE_HEAD_RE,
    AMOUNT_ROWS,
    DETAIL_HEADINGS,
    LEGAL_BASIS,
    LEGAL_BASIS_LABELS,
    STAGE_LABELS,
)
from policy_kg.extract.records import AmountCategory, Span, Stage, Unit


@dataclass
class DetailBlock:
    """One project block of a detail page, with the text sections that belong to it."""

    number: int | None
    name: str | None
    span: Span
    measure: int | None = None
    legal_basis: Literal["statutory", "discretionary"] | None = None
    unit: Unit | None = None
    direction: str | None = None
    amount_rows: list[tuple[AmountCategory, list[str], Span]] = field(default_factory=list)
    stage_labels: list[Stage] = field(default_factory=list)
    item_years: list[int] = field(default_factory=list)
    item_rows: list[tuple[str | None, list[str], Span]] = field(default_factory=list)
    sections: dict[str, list[int]] = field(default_factory=dict)
    name_from_orphan: bool = False
    number_inferred: bool = False


@dataclass
class DetailPage:
    """One page of detail sheets: its project blocks, then one text-section group per block."""

    measure: int | None
    header: tuple[str, Span] | None = None
    blocks: list[DetailBlock] = field(default_factory=list)
    groups: list[dict[str, list[int]]] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)

    @property
    def in_texts(self) -> bool:
        return bool(self.groups)


def _match_heading(lines: tuple[str, ...], i: int, end: int) -> tuple[str, int] | None:
    """(section key, last line index) when a detail heading starts at line ``i``."""
    first = _compact(lines[i])
    if not first:
        return None
    for key, short, full in DETAIL_HEADINGS:
        if not full.startswith(first):
            continue
        acc, last, j, blanks = first, i, i + 1, 0
        while acc != full and j < end and blanks <= 2:
            c = _compact(lines[j])
            if not c:
                blanks += 1
            elif full.startswith(acc + c):
                acc, last, blanks = acc + c, j, 0
            else:
                break
            j += 1
        if len(acc) >= len(short) and full.startswith(acc):
            return key, last
    return None


def parse_detail_blocks(
    lines: tuple[str, ...], start: int, end: int, issues: _Issues | None = None
) -> list[DetailPage]:
    """Detail pages between ``start`` and ``end``: blocks, their text groups and stray lines."""
    issues = issues if issues is not None else _Issues()
    pages: list[DetailPage] = []
    page = DetailPage(None)
    pending_number: tuple[int, int] | None = None
    section: str | None = None
    i = start
    while i < end:
        raw = lines[i].strip()
        c = _compact(raw)
        if not c:
            i += 1
            continue
        heading = _match_heading(lines, i, end)
        head = _MEASURE_HEAD_RE.match(raw)
        if head is not None and _next_is_block(lines, i + 1, end):
            if page.blocks or page.groups or page.header:
                pages.append(page)
            page = DetailPage(_int(head.group(1)), (head.group(2), Span.line(i + 1)))
            section = None
        elif re.fullmatch(r"\d+", c) and _next_is_block(lines, i + 1, end):
            if page.in_texts:
                pages.append(page)
                page = DetailPage(None)
            pending_number = (int(c), i)
        elif _is_block_name_line(raw):
            if page.in_texts:
                pages.append(page)
                page = DetailPage(None)
            page.blocks.append(_block_from_name_line(raw, i, pending_number))
            pending_number, section = None, None
        elif heading is not None:
            key, last = heading
            if key == "overview":
                page.groups.append({})
            if page.groups:
                section = key
                page.groups[-1].setdefault(key, [])
            else:
                issues.add("dropped", f"detail sheet: heading {c!r} before any 概要 section; ignored",
                           Span.line(i + 1))
            i = last + 1
            continue
        elif page.in_texts and section is not None:
            page.groups[-1][section].append(i)
        elif page.blocks and not page.in_texts:
            _block_zone_line(page, raw, i)
        else:
            page.orphans.append(i)
        i += 1
    if page.blocks or page.groups or page.header:
        pages.append(page)
    return pages


def _next_is_block(lines: tuple[str, ...], i: int, end: int) -> bool:
    """True when the next non-blank line from ``i`` on is a block's 事業名 line (or a number then one)."""
    j = _next_nonblank(lines, i, end)
    if j is None:
        return False
    if _is_block_name_line(lines[j]):
        return True
    if re.fullmatch(r"\d+", _compact(lines[j])):
        k = _next_nonblank(lines, j + 1, end)
        return k is not None and _is_block_name_line(lines[k])
    return False


def _block_from_name_line(raw: str, i: int, pending: tuple[int, int] | None) -> DetailBlock:
    """A block from its ``事業名 <name> [法定／自主] <法定|自主>`` line."""
    rest_raw = _after_label(raw, _LABELS["block_name"])
    tokens = _tokens(rest_raw)
    legal = None
    if tokens and _nfkc(tokens[-1].group()) in LEGAL_BASIS:
        legal = LEGAL_BASIS[_nfkc(tokens[-1].group())]
        tokens = tokens[:-1]
    if tokens and _compact(tokens[-1].group()) in LEGAL_BASIS_LABELS:
        tokens = tokens[:-1]
    span = Span.line(i + 1) if pending is None else Span(pending[1] + 1, i + 1)
    number = pending[0] if pending is not None else None
    return DetailBlock(number, _raw_between(rest_raw, tokens), span, legal_basis=legal)


def _block_zone_line(page: DetailPage, raw: str, i: int) -> None:
    """A line between a page's block headers and its first 概要: a block field, or a stray line."""
    block = page.blocks[-1]
    c = _compact(raw)
    span = Span.line(i + 1)
    tokens = [t.group() for t in _tokens(raw)]
    label = _nfkc(tokens[0]) if tokens else ""
    if c.startswith(_LABELS["block_unit"]):
        body = _after_label(raw, _LABELS["block_unit"])
        unit_text, _, direction = body.partition(_LABELS["block_direction"])
        block.unit = split_unit(unit_text, span)
        block.direction = direction.strip() or None
    elif label in AMOUNT_ROWS and all(_is_value_cell(t) for t in tokens[1:]):
        block.amount_rows.append((AMOUNT_ROWS[label], tokens[1:], span))
    elif c == "".join(STAGE_LABELS) or (tokens and all(t in STAGE_LABELS for t in tokens)):
        block.stage_labels = [STAGE_LABELS[t] for t in tokens if t in STAGE_LABELS]
    elif c.startswith(_LABELS["item_years"]):
        block.item_years = era_years(_after_label(raw, _LABELS["item_years"]))
    elif block.item_years and (row := _item_row(raw, len(block.item_years))) is not None:
        block.item_rows.append((row[0], row[1], span))
    elif c in LEGAL_BASIS_LABELS:
        pass  # the column label of the legal-basis cell, printed away from it
    else:
        page.orphans.append(i)


def _item_row(raw: str, width: int) -> tuple[str | None, list[str]] | None:
    """``<label> v v v v v`` (label possibly missing) of a logic-model indicator table."""
    tokens = _tokens(raw)
    if len(tokens) < width:
        return None
    cells = tokens[-width:]
    if not all(_is_value_cell(t.group()) for t in cells):
        return None
    label_tokens = tokens[:-width]
    return _raw_between(raw, label_tokens), [t.group() for t in cells]


def _assign_numbers(pages: list[DetailPage], issues: _Issues) -> None:
    """Measure and number of every block: a block without a number follows the previous one."""
    measure: int | None = None
    last = 0
    for page in pages:
        if page.measure is not None and page.measure != measure:
            measure, last = page.measure, 0
        page.measure = measure
        for block in page.blocks:
            block.measure = measure
            if block.number is None:
                block.number = last + 1
                block.number_inferred = True
                issues.add(
                    "uncertain",
                    f"detail sheet: the block at line {block.span.start} lost its number; it follows block "
                    f"{last} of measure {measure} and was numbered {block.number}",
                    block.span, _project_key(measure, block.number),
                )
            last = block.number


def _attach_groups(lines: tuple[str, ...], pages: list[DetailPage], issues: _Issues) -> None:
    """Give each block of a page the text sections printed for it (in the same order)."""
    for page in pages:
        for block, group in zip(page.blocks, page.groups):
            block.sections = group
        if len(page.blocks) != len(page.groups):
            span = page.blocks[0].span if page.blocks else None
            issues.add(
                "uncertain",
                f"detail page with {len(page.blocks)} project block(s) has {len(page.groups)} 概要 section(s); "
                f"text sections were matched to blocks in order and the rest left unattached",
                span,
            )
        _reconcile_block_names(lines, page, issues)


def _reconcile_block_names(lines: tuple[str, ...], page: DetailPage, issues: _Issues) -> None:
    """Stray lines of a page's block zone: names of nameless blocks, in order; report the rest."""
    strays: list[int] = []
    for i in page.orphans:
        raw = lines[i].strip()
        if is_no_value(raw):
            # A "no value" mark carries no data, so leaving it unattached loses nothing.
            issues.add("info", f"detail sheet: a lone {raw!r} (no value) cell could not be attached to any "
                       f"field; it is ignored", Span.line(i + 1))
        else:
            strays.append(i)
    nameless = [b for b in page.blocks if b.name is None]
    for block, i in zip(nameless, strays):
        block.name, block.name_from_orphan = lines[i].strip(), True
        issues.add(
            "uncertain",
            f"detail sheet: block {block.number} of measure {block.measure} has an empty 事業名; the stray "
            f"line {lines[i].strip()!r} (line {i + 1}) on the same page was taken as its name by position",
            block.span.merge(Span.line(i + 1)), _project_key(block.measure, block.number or 0),
        )
    for i in strays[len(nameless):]:
        issues.add("dropped", f"detail sheet: line not understood and not used: {lines[i].strip()!r}",
                   Span.line(i + 1))
