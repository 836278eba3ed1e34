"""The closing pages: the budget summary (reported, not extracted) and 組織改正 (units, reorganisation)."""

from __future__ import annotations

import re

from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _is_page_start, _nfkc
from policy_kg.extract.profiles.business_plan.words import (
    _REORG,
    _REORG_ABOLISHED_RE,
    _REORG_CREATED_RE,
    _REORG_DIVISION_RE,
    _REORG_UNITS_RE,
    _WORDS,
)
from policy_kg.extract.records import Reorganisation, Span, Unit


def _read_tail(state: _ParseState, start: int) -> None:
    """Each closing page: the reorganisation page read, a budget summary reported."""
    n = start
    total = len(state.lines)
    while n <= total:
        end = n + 1
        while end <= total and not _is_page_start(state.line(end)):
            end += 1
        head = state.line(n)
        if _WORDS["reorganisation_page"] in head:
            _read_reorganisation(state, n, end - 1)
        else:
            figures = sum(len(re.findall(r"[▲△]?\d[\d,]*", _nfkc(state.line(k)))) for k in range(n + 1, end))
            state.issue(
                "info",
                f"budget summary {head.strip()!r}: the agency's own accounts, not project costs; "
                f"{figures} figures not extracted",
                Span(n, end - 1),
            )
        n = end


def _read_reorganisation(state: _ParseState, start: int, end: int) -> None:
    """Departments, divisions, and what was created or abolished, from the 組織改正 page."""
    depts: dict[str, Span] = {}
    divisions: dict[str, Span] = {}
    owner_of: dict[str, str] = {}
    created: list[str] = []
    abolished: list[str] = []
    sentences: list[tuple[int, str]] = []
    current: list[str] | None = None
    for n in range(start, end + 1):
        s = _nfkc(state.line(n))
        if s.startswith(_REORG["item_mark"]):
            current = [s.lstrip(_REORG["item_mark"] + " ").strip()]
            sentences.append((n, ""))
            sentences[-1] = (n, current[0])
        elif current is not None and s and not current[-1].endswith("。"):
            current.append(s)
            sentences[-1] = (sentences[-1][0], "".join(current))
        elif s:
            current = None
        for m in _REORG_UNITS_RE.finditer(s):
            depts.setdefault(m.group(1), Span.line(n))
            if m.group(2):
                owner_of.setdefault(m.group(2), m.group(1))
        for m in _REORG_DIVISION_RE.finditer(s):
            name = m.group(2)
            dept = _REORG["department_ending"]
            if name.endswith(dept) or dept in name[:-1]:
                continue
            divisions.setdefault(name, Span.line(n))
            if m.group(1) and name not in created:
                created.append(name)
    for _, text in sentences:
        for m in _REORG_CREATED_RE.finditer(text):
            if m.group(1) not in created:
                created.append(m.group(1))
        for m in _REORG_ABOLISHED_RE.finditer(text):
            if m.group(1) not in abolished:
                abolished.append(m.group(1))
    for name, span in depts.items():
        state.record.units.append(Unit(name, None, span))
    for name, span in divisions.items():
        dept = owner_of.get(name)
        if dept is None:
            # charts print divisions and departments in separate columns; without a printed
            # pairing (企画管理部施設管理課, 経営支援部内に「…課」) the department is unknown
            state.issue("uncertain", f"division {name} named in the reorganisation chart: its department "
                       "is not printed beside it; kept as a unit of the agency", span)
        state.record.units.append(Unit(dept, name, span))
    if created or abolished or sentences:
        state.record.reorganisations.append(
            Reorganisation(
                Span(start, end),
                created=tuple(created),
                abolished=tuple(abolished),
                description=" ".join(t for _, t in sentences) or None,
            )
        )
