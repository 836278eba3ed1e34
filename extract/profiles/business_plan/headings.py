"""Headings of the body pages: page headers ``Ⅰ pillar １ area``, projects ``(n) name``, parts ``① name``.

A project heading is matched to an outline project by the page header's position first and by
name similarity to confirm, since PDF order can set a heading apart from the page it heads.
"""

from __future__ import annotations

from collections.abc import Iterable

from policy_kg.extract.association import NAME_MATCH_THRESHOLD, Anchor, match_name, name_similarity
from policy_kg.extract.profiles.business_plan.hierarchy import _element_variant
from policy_kg.extract.profiles.business_plan.items import _SubHeading
from policy_kg.extract.profiles.business_plan.money import _is_amount_line
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _clean, _is_page_start, _nfkc, _roman_key
from policy_kg.extract.profiles.business_plan.words import (
    _HEADER_RE,
    _INDICATOR_HEADER,
    _LINE_MARKS,
    _PROJECT_AT,
    _SUB_RE,
    CIRCLED,
)
from policy_kg.extract.records import Span


def _read_headers(state: _ParseState, start: int, end: int) -> None:
    """Page headers ``Ⅰ pillar １ area``: each page's position, and name variants of its elements."""
    for n in range(start, end + 1):
        m = _HEADER_RE.match(state.line(n).strip())
        if not m:
            continue
        pillar, area = _roman_key(m.group("roman")), int(_nfkc(m.group("area")))
        page = state.pages[n]
        if page in state.headers and state.headers[page][:2] != (pillar, area):
            state.issue("uncertain", f"page {page} has two different headers; the first is used", Span.line(n))
            continue
        state.headers.setdefault(page, (pillar, area, Span.line(n)))
        state.kind[n] = "header"
        _element_variant(state, pillar, m.group("pillar").strip(), Span.line(n))
        _element_variant(state, f"{pillar}-{area}", m.group("name").strip(), Span.line(n))


def _read_project_heading(state: _ParseState, n: int, end: int) -> int:
    """A line of one or more ``(n) name`` headings (maybe wrapped onto the next line) as anchors."""
    raw = state.line(n).strip()
    norm = _nfkc(raw)
    starts = [m for m in _PROJECT_AT.finditer(norm) if m.start() == 0 or norm[m.start() - 1] == " "]
    pieces = []
    for i, m in enumerate(starts):
        stop = starts[i + 1].start() if i + 1 < len(starts) else len(norm)
        pieces.append((int(m.group("n")), norm[m.end() : stop].strip()))
    nxt = n + 1 if n + 1 <= end and _may_continue_heading(state, n + 1) else None
    page = state.pages[n]
    header = state.headers.get(page)
    joined = False
    for col, (number, name) in enumerate(pieces):
        extra = state.line(nxt).strip() if nxt is not None and len(pieces) == 1 else None
        key, used_extra = _resolve_heading(state, number, name, extra, header, Span.line(n))
        joined = joined or used_extra
        if key is None:
            continue
        state.anchors.append(Anchor(key, n, n + (1 if used_extra else 0), page, col, len(pieces)))
    state.kind[n] = "project"
    if joined and nxt is not None:
        state.kind[nxt] = "project"
        for i, a in enumerate(state.anchors):
            if a.start == n:
                state.anchors[i] = Anchor(a.owner, a.start, nxt, a.page, a.column, a.columns)
        return nxt + 1
    return n + 1


def _may_continue_heading(state: _ParseState, n: int) -> bool:
    """True when line ``n`` could be the wrapped rest of a heading: no other kind of line."""
    s = state.line(n).strip()
    if not s or _is_page_start(state.line(n)):
        return False
    norm = _nfkc(s)
    return not (
        _PROJECT_AT.match(norm) or _SUB_RE.match(s) or _HEADER_RE.match(s) or _is_amount_line(norm)
        or _INDICATOR_HEADER.match(norm) or s.startswith(_LINE_MARKS)
    )


def _resolve_heading(
    state: _ParseState, number: int, name: str, extra: str | None, header: tuple[str, int, Span] | None, span: Span
) -> tuple[str | None, bool]:
    """Project key of a body heading: structural position first, name similarity to confirm.

    Returns (key, whether the next line was taken as the heading's continuation).
    """
    candidates = {k: [n for _, n in v] for k, v in state.names.items()}
    at = state.position.get((header[0], header[1], number)) if header else None

    def best(text: str, keys: Iterable[str]) -> float:
        return max((name_similarity(text, n) for k in keys for n in candidates[k]), default=0.0)

    use_extra = False
    if extra is not None:
        keys = [at] if at else list(candidates)
        use_extra = best(name + extra, keys) > best(name, keys)
    full = name + extra if use_extra and extra else name
    if at is not None:
        sim = best(full, [at])
        if sim >= NAME_MATCH_THRESHOLD:
            state.names[at].append(("body", full))
            return at, use_extra
        area_keys = [k for (p, a, _), k in state.position.items() if header and (p, a) == header[:2]]
        other = match_name(full, {k: candidates[k] for k in area_keys if k != at})
        if other is not None:
            return _matched_with_doubt(
                state, other[0], full, span, use_extra,
                f"heading ({number}) {full!r} sits at {at}'s position but names {other[0]} "
                f"(similarity {other[1]:.2f}); taken as {other[0]}")
        return _matched_with_doubt(
            state, at, full, span, use_extra,
            f"heading ({number}) {full!r} differs from the outline name of {at} "
            f"(similarity {sim:.2f} < {NAME_MATCH_THRESHOLD}); matched by position only")
    found = match_name(full, candidates)
    if found is not None:
        return _matched_with_doubt(
            state, found[0], full, span, use_extra,
            f"heading ({number}) {full!r} has no page header position; matched {found[0]} by name "
            f"(similarity {found[1]:.2f})")
    state.issue("dropped", f"heading ({number}) {full!r} matches no project of the outline", span)
    return None, False


def _matched_with_doubt(state: _ParseState, key: str, full: str, span: Span, use_extra: bool, message: str
                        ) -> tuple[str, bool]:
    """A heading taken as project ``key`` with a doubt worth reporting: the issue, the name variant, the match."""
    state.issue("uncertain", message, span, key)
    state.names[key].append(("body", full))
    return key, use_extra


def _read_sub_heading(state: _ParseState, n: int, end: int) -> int:
    """A line of one or more ``① name`` part headings (a short next line may end the name)."""
    raw = state.line(n).strip()
    marks = list(_SUB_RE.finditer(raw))
    last = n
    name_extra = ""
    if len(marks) == 1 and n + 1 <= end and _may_continue_heading(state, n + 1):
        nxt = state.line(n + 1).strip()
        if not raw.endswith("。") and len(nxt) <= 40 and not nxt.endswith("。"):
            name_extra, last = nxt, n + 1
    for col, m in enumerate(marks):
        name = _clean(m.group("name")) + name_extra
        state.subs.append(
            _SubHeading(None, CIRCLED.index(m.group("mark")) + 1, m.group("mark"), name,
                        Span(n, last), state.pages[n], col, len(marks))
        )
    for k in range(n, last + 1):
        state.kind[k] = "sub"
    return last + 1
