"""Business-plan layout: an agency's 事業計画 (事業体系 outline, project pages, indicators, 組織改正).

The text is a PDF dump, so reading order is only roughly the printed order: an amount may come
before the heading it belongs to, a page header in the middle of its page, an outline with its
pillar titles after their items. The parser therefore works in three passes:

1. **structure** – the 事業体系 outline (pillars Ⅰ…, areas １…, projects （１）…), including a
   displaced partial copy printed before ``◆ 事業体系``, which only adds name variants;
2. **items** – every page of the body is cut into headings (``(n) project``, ``① part``, the page
   header ``Ⅰ pillar １ area``) and items (amount boxes, grant conditions, indicator blocks,
   participant lists);
3. **association** – items are given to headings by page, adjacency and document order
   (:mod:`extract.association`), with a confidence and an ``uncertain`` issue below 1.0.

A new PDF page begins with a line that starts with exactly one space. Nothing is dropped silently:
what cannot be placed becomes an :class:`~extract.records.ExtractionIssue`.

This module holds the profile's entry points and the order of its passes; each pass, and each kind
of body line, is read by a module of ``extract/profiles/business_plan/``: ``hierarchy`` (pass 1),
``body`` (the walk over the body pages) with ``headings``, ``amount_boxes``, ``condition_groups``,
``indicator_blocks`` and ``partners``, then ``placement`` and ``attach`` (pass 3), ``names`` and
``tail``; they share one ``state``. The line grammar they use is ``outline``, ``money``,
``conditions``, ``indicators`` and ``text``, the working records ``items``, and the layout's words
are ``extract/profiles/business_plan.yaml`` (``words``).
"""

from __future__ import annotations

from collections.abc import Callable

from policy_kg.extract.numbers import normalize
from policy_kg.extract.profiles.business_plan.body import _collect_text, _read_body, _tail_start
from policy_kg.extract.profiles.business_plan.headings import _read_headers
from policy_kg.extract.profiles.business_plan.hierarchy import _build_structure, _outline_region
from policy_kg.extract.profiles.business_plan.names import _settle_names
from policy_kg.extract.profiles.business_plan.placement import _associate
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.tail import _read_tail
from policy_kg.extract.profiles.business_plan.text import _full_width
from policy_kg.extract.profiles.business_plan.text import _roman_key as _roman_key  # re-export: tests import it
from policy_kg.extract.profiles.business_plan.words import (
    _INDICATOR_HEADER,
    _LAYOUT_FUNDED_RE,
    _LAYOUT_UNIT_RE,
    _OUTLINE_MARK,
    _PILLAR_RE,
    _PROJECT_AT,
    _WORDS,
    CIRCLED,
    FUNDING_TYPES,
    LAYOUT,
    ROMAN,
)
from policy_kg.extract.records import DocumentRecord, ExtractionIssue, Span
from policy_kg.extract.source import ExtractionError, SourceText

__all__ = ["LAYOUT", "ROMAN", "CIRCLED", "FUNDING_TYPES", "looks_like_business_plan", "parse_business_plan"]


# =========================================================================================
# entry points
# =========================================================================================


def looks_like_business_plan(src: SourceText) -> bool:
    """Cheap structural test: an outline of Ⅰ… pillars with （１）… items, and 指標 計画 blocks
    or ``…千円 （funder）`` amount lines."""
    pillars = projects = indicators = amounts = 0
    marker = False
    for raw in src.lines:
        s = raw.strip()
        if not s:
            continue
        if _OUTLINE_MARK.search(s):
            marker = True
        if _PILLAR_RE.match(s):
            pillars += 1
        n = normalize(s)
        if _PROJECT_AT.match(n):
            projects += 1
        if _INDICATOR_HEADER.match(n):
            indicators += 1
        if _LAYOUT_UNIT_RE.search(n) or _LAYOUT_FUNDED_RE.search(n):
            amounts += 1
    structure = pillars >= 2 and projects >= 3
    return structure and (marker or indicators >= 1 or amounts >= 2)


def parse_business_plan(src: SourceText) -> DocumentRecord:
    """Extract a business plan's programme structure, projects, money, indicators and units.

    Raises only :class:`~extract.source.ExtractionError` subclasses (``UnknownLayout`` when no
    事業体系 outline can be found); everything else that goes wrong is an issue in the record.
    """
    record = DocumentRecord(
        doc_id=src.doc_id,
        file_name=src.file_name,
        layout=LAYOUT,
        content_hash=src.content_hash,
        line_count=len(src.lines),
    )
    try:
        _read_plan(_ParseState(src, record))
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: never an uncaught non-extraction error
        record.issues.append(
            ExtractionIssue("error", f"business-plan parser failed: {type(exc).__name__}: {exc}")
        )
    return record


# =========================================================================================
# the passes, in order
# =========================================================================================


def _read_plan(state: _ParseState) -> None:
    """The passes over one document, each guarded: one that fails costs only its own facts."""
    outline_start, outline_end = _outline_region(state)
    _guard(state, "outline", lambda: _build_structure(state, outline_start, outline_end))
    body_end = _tail_start(state) - 1
    _guard(state, "page headers", lambda: _read_headers(state, outline_end + 1, body_end))
    _guard(state, "body", lambda: _read_body(state, outline_end + 1, body_end))
    _guard(state, "text", lambda: _collect_text(state, outline_end + 1, body_end))
    _guard(state, "association", lambda: _associate(state))
    _guard(state, "names", lambda: _settle_names(state))
    _guard(state, "tail", lambda: _read_tail(state, body_end + 1))
    _guard(state, "document", lambda: _document_facts(state))


def _guard(state: _ParseState, stage: str, fn: Callable[[], None]) -> None:
    try:
        fn()
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - one failing stage must not lose the others
        state.issue("error", f"{stage}: {type(exc).__name__}: {exc}")


def _document_facts(state: _ParseState) -> None:
    """The record's fiscal year and title; the plan prints neither title nor publisher."""
    state.record.fiscal_year = state.year
    if state.year is not None:
        era = state.year - 2018
        state.record.title = _WORDS["title"].format(era=_full_width(era))
        state.issue("info", "the plan prints no title line; title composed from its fiscal year and layout")
    else:
        # without it every amount and planned value is stored with no fiscal year: say so
        state.issue("uncertain", "no fiscal year (令和N年度 / 20NN年度) is printed anywhere; amounts and "
                    "planned values carry no fiscal year", Span.line(1))
    state.issue("info", "the publishing agency's name is not printed; publisher left empty")
