"""Indicator blocks of the body (``指標 計画`` and their rows of planned values) as items to place."""

from __future__ import annotations

from policy_kg.extract.profiles.business_plan.indicators import _indicator_block
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.records import Span


def _read_indicators(state: _ParseState, n: int, end: int) -> int:
    """An indicator block from line ``n`` as one item; returns the next line."""
    indicators, last, problems = _indicator_block(state.lines, n, end, state.year)
    for k in range(n, last + 1):
        state.kind[k] = "indicator" if not state.blank(k) else "blank"
    for message, span in problems:
        state.issue("uncertain", message, span)
    if indicators:
        state.items.append(_Item("indicator", Span(n, last), state.pages[n], indicators=indicators))
    else:
        state.issue("dropped", "indicator header with no readable row", Span(n, last))
    return last + 1
