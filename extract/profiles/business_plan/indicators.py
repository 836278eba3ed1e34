"""Indicator blocks (``指 標 計 画``): kind marks, rows ``name（unit） value``, wrapped names, qualifiers."""

from __future__ import annotations

import re

from policy_kg.extract.numbers import parse_optional_number
from policy_kg.extract.profiles.business_plan.text import _is_page_start, _nfkc
from policy_kg.extract.profiles.business_plan.words import (
    _HEADER_RE,
    _INDICATOR_HEADER,
    _KIND_MARKS,
    _KIND_SECOND,
    _PROJECT_AT,
    _ROW_RE,
    _SUB_RE,
    _VALUE_RE,
)
from policy_kg.extract.records import Indicator, IndicatorKind, IndicatorValue, Span


def _indicator_block(
    lines: tuple[str, ...], start: int, end: int, year: int | None
) -> tuple[list[Indicator], int, list[tuple[str, Span]]]:
    """Rows of one ``指標 計画`` block: (indicators, last line, problems)."""
    indicators: list[Indicator] = []
    problems: list[tuple[str, Span]] = []
    kind: IndicatorKind | None = None
    name_parts: list[tuple[int, str]] = []
    pending: Indicator | None = None  # a row still waiting for its value
    last_row: Indicator | None = None  # the last complete row (for 外国 after 国内)
    last = start
    n = start + 1
    while n <= end:
        raw = lines[n - 1]
        s = raw.strip()
        if n > start and _is_page_start(raw):
            break
        if not s:
            n += 1
            continue
        norm = _nfkc(s)
        if len(s) == 1 and (s in _KIND_MARKS or s in _KIND_SECOND):
            if s in _KIND_MARKS:
                kind = _KIND_MARKS[s]
            last = n
            n += 1
            continue
        if _INDICATOR_HEADER.match(norm) or _HEADER_RE.match(s) or _PROJECT_AT.match(norm) or _SUB_RE.match(s):
            break
        vm = _VALUE_RE.match(norm)
        if vm and pending is not None:
            _add_value(pending, vm, s, n, year)
            indicators.append(pending)
            last_row, pending = pending, None
            last = n
            n += 1
            continue
        if vm and vm.group("q") and last_row is not None and last_row.values and last_row.values[-1].qualifier:
            _add_value(last_row, vm, s, n, year)
            last = n
            n += 1
            continue
        rm = _ROW_RE.match(s)
        if rm and (not rm.group("rest") or _VALUE_RE.match(_nfkc(rm.group("rest")))):
            if pending is not None:
                problems.append((f"indicator {pending.name!r} has no value", pending.span))
                indicators.append(pending)
            first_line = name_parts[0][0] if name_parts else n
            name = "".join(p for _, p in name_parts) + rm.group("name").strip()
            if kind is None:
                problems.append((f"indicator {name!r} printed before any 重点/活動/参考 mark; taken as key", Span.line(n)))
            ind = Indicator("", name.strip(), kind or "key", Span(first_line, n), unit=rm.group("unit"))
            name_parts = []
            rest = _nfkc(rm.group("rest"))
            if rest:
                _add_value(ind, _VALUE_RE.match(rest), rm.group("rest"), n, year)
                indicators.append(ind)
                last_row = ind
            else:
                pending = ind
            last = n
            n += 1
            continue
        # a wrapped name: only if the very next line completes a row
        if n + 1 <= end and lines[n].strip() and _ROW_RE.match(lines[n].strip()) and not vm:
            name_parts.append((n, s))
            n += 1
            continue
        break
    if pending is not None:
        problems.append((f"indicator {pending.name!r} has no value", pending.span))
        indicators.append(pending)
    for ind in indicators:
        ind.span = Span(ind.span.start, max([ind.span.end] + [v.span.end for v in ind.values]))
    return indicators, last, problems


def _add_value(ind: Indicator, m: re.Match[str] | None, printed: str, n: int, year: int | None) -> None:
    if m is None:
        return
    value = parse_optional_number(m.group("v"))
    ind.values.append(
        IndicatorValue("plan", value, printed.strip(), Span.line(n), fiscal_year=year, qualifier=m.group("q"))
    )
