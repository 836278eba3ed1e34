"""The walk over the body pages: each line to the reader of its kind, and the running text in paragraphs.

The body runs from the end of the outline to the first closing page (:func:`_tail_start`). Lines
no reader takes are text; a figure quoted in them is reported, not made a fact.
"""

from __future__ import annotations

from policy_kg.extract.numbers import YEN_RE
from policy_kg.extract.profiles.business_plan.amount_boxes import _read_amount_box, _read_fund_addition
from policy_kg.extract.profiles.business_plan.condition_groups import _read_conditions
from policy_kg.extract.profiles.business_plan.conditions import _one_line_condition
from policy_kg.extract.profiles.business_plan.headings import _read_project_heading, _read_sub_heading
from policy_kg.extract.profiles.business_plan.indicator_blocks import _read_indicators
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.money import _is_amount_line, _yen_ok
from policy_kg.extract.profiles.business_plan.partners import _read_host, _read_participants
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _is_marker, _is_page_start, _nfkc
from policy_kg.extract.profiles.business_plan.words import (
    _BULLET,
    _CEILING_HEAD,
    _FUND_ADDITION,
    _INDICATOR_HEADER,
    _LABELS,
    _PROJECT_AT,
    _SUB_LABEL_RE,
    _SUB_RE,
    _TAIL_RE,
)
from policy_kg.extract.records import Span


def _tail_start(state: _ParseState) -> int:
    """First line of the closing pages (budget summary, reorganisation), or past the end."""
    for n in range(1, len(state.lines) + 1):
        raw = state.line(n)
        if _is_page_start(raw) and _TAIL_RE.search(raw):
            return n
    return len(state.lines) + 1


def _read_body(state: _ParseState, start: int, end: int) -> None:
    """Every body line to the reader of its kind; what no reader takes is text."""
    n = start
    while n <= end:
        raw = state.line(n)
        s = raw.strip()
        norm = _nfkc(s)
        if not s:
            state.kind[n] = "blank"
            n += 1
        elif state.kind.get(n) == "header":
            n += 1
        elif _INDICATOR_HEADER.match(norm):
            n = _read_indicators(state, n, end)
        elif _PROJECT_AT.match(norm):
            n = _read_project_heading(state, n, end)
        elif _SUB_RE.match(s) and not _SUB_LABEL_RE.match(s):
            n = _read_sub_heading(state, n, end)
        elif _CEILING_HEAD.match(norm) or _one_line_condition(norm):
            n = _read_conditions(state, n, end)
        elif norm.startswith(_LABELS["participants"]):
            _read_participants(state, n)
            n += 1
        elif norm.startswith(_LABELS["host"]):
            _read_host(state, n)
            n += 1
        elif _is_amount_line(norm):
            n = _read_amount_box(state, n, end)
        elif _FUND_ADDITION.search(norm.replace(" ", "")):
            _read_fund_addition(state, n)
            n += 1
        else:
            state.kind[n] = "text"
            if "円" in norm and any(_yen_ok(m) for m in YEN_RE.finditer(norm.replace(" ", ""))):
                # prose (bullets, notes) may quote a figure; it is reported, not made a fact
                severity = "info" if s.startswith(_BULLET) else "dropped"
                state.issue(severity, f"amount in running text not extracted: {s!r}", Span.line(n))
            n += 1


def _collect_text(state: _ParseState, start: int, end: int) -> None:
    """Paragraphs of running text on body pages: a project's description (and its partners)."""
    paragraph: list[int] = []

    def close() -> None:
        if paragraph:
            text = "".join(state.line(k).strip() for k in paragraph)
            state.items.append(_Item("text", Span(paragraph[0], paragraph[-1]), state.pages[paragraph[0]], note=text))
            paragraph.clear()

    for n in range(start, end + 1):
        s = state.line(n).strip()
        is_text = state.kind.get(n) == "text" and len(s) > 1 and not _is_marker(s)
        if paragraph and (not is_text or _is_page_start(state.line(n)) or state.pages[n] != state.pages[paragraph[0]]):
            close()
        if is_text:
            paragraph.append(n)
    close()
