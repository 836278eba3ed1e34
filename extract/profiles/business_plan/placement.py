"""Pass 3, association: every item of the body given to a project, then to one of its parts.

Items go to a project by page, adjacency and document order (:mod:`extract.association`); a
paragraph that quotes a project's name goes to that project. Within a project, amounts, conditions
and indicator blocks go to the part headings they sit under.
"""

from __future__ import annotations

from collections.abc import Callable

from policy_kg.extract.association import (
    Anchor,
    Placement,
    Slot,
    normalise_name,
    place_in_parts,
    place_on_page,
    split_columns,
)
from policy_kg.extract.profiles.business_plan.attach import _attach, _attach_columns, _column_parts
from policy_kg.extract.profiles.business_plan.items import _Item, _SubHeading
from policy_kg.extract.profiles.business_plan.money import _covering_total
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _common_run, _nfkc
from policy_kg.extract.records import SubProject


def _gap(state: _ParseState, allowed: frozenset[str]) -> Callable[[int, int], bool]:
    """``gap(a, b)``: True when every line strictly between a and b is of an allowed kind."""
    def gap(a: int, b: int) -> bool:
        return all(state.kind.get(k, "text") in allowed for k in range(a + 1, b))

    return gap


def _associate(state: _ParseState) -> None:
    """Part headings to projects, then every item to a project and, within it, to a part."""
    page_gap = _gap(state, frozenset({"blank", "amount", "note", "header"}))
    last_owner: str | None = None
    placed: list[tuple[_Item, Placement]] = []
    # sub-project headings first: each belongs to a project on its page
    for sub in state.subs:
        p = place_on_page(Slot(sub.span.start, sub.span.end, sub.page), state.anchors, page_gap, may_precede=False)
        if p is None:
            state.issue("dropped", f"part {sub.mark} {sub.name!r} is on a page with no project heading", sub.span)
            continue
        sub.project = p.owner
        if p.confidence < 1.0:
            state.issue(
                "uncertain",
                f"part {sub.mark} {sub.name!r} → {p.owner} ({p.rule}, confidence {p.confidence}); "
                f"alternative: {p.alternative}",
                sub.span,
                p.owner,
            )
    for item in sorted(state.items, key=lambda i: i.span.start):
        named = _named_project(state, item) if item.kind == "text" else None
        p = Placement(named, 1.0, "names the project") if named else \
            place_on_page(item.slot, state.anchors, page_gap, may_precede=item.kind in ("amount", "text"))
        if p is None:
            if item.kind == "text":  # prose before the first heading (a preface) describes no project
                continue
            if last_owner is None:
                state.issue("dropped", f"{item.describe()} precedes every project heading", item.span)
                continue
            p = Placement(last_owner, 0.5, "page without project heading: previous project")
        last_owner = p.owner
        placed.append((item, p))
    placed = _resolve_columns(state, placed)
    by_project: dict[str, list[tuple[_Item, Placement]]] = {}
    for item, p in placed:
        by_project.setdefault(p.owner, []).append((item, p))
    for key, entries in by_project.items():
        _place_in_project(state, key, entries)


def _named_project(state: _ParseState, item: _Item) -> str | None:
    """The one project of the item's page whose name the paragraph quotes (a long run of it).

    PDF text order can put a project's description beside another heading; a quoted name is
    better evidence than position. A run must be long and clearly ahead of the runner-up.
    """
    keys = sorted({a.owner for a in state.anchors if a.page == item.page})
    if len(keys) < 2 or not item.note:
        return None
    text = _nfkc(item.note)
    scores = sorted(((_common_run(text, _nfkc(state.projects[k].name or "")), k) for k in keys), reverse=True)
    (best, key), (second, _) = scores[0], scores[1]
    return key if best >= 6 and best - second >= 3 else None


def _resolve_columns(state: _ParseState, placed: list[tuple[_Item, Placement]]) -> list[tuple[_Item, Placement]]:
    """Items under one line of several project headings: pair by kind when the counts agree."""
    column_lines = {a.start for a in state.anchors if a.columns > 1}
    out = []
    groups: dict[tuple[int, str], list[int]] = {}
    for i, (item, _owner) in enumerate(placed):
        line = _heading_line_above(state, item)
        if line in column_lines:
            groups.setdefault((line, item.kind), []).append(i)
    result = list(placed)
    for (line, _kind), idxs in groups.items():
        cols = [a for a in state.anchors if a.start == line]
        for i, p in zip(idxs, split_columns([placed[i][0].slot for i in idxs], cols)):
            result[i] = (placed[i][0], p)
    out.extend(result)
    return out


def _heading_line_above(state: _ParseState, item: _Item) -> int | None:
    """The first line of the last project heading above ``item`` on its page, if any."""
    above = [a.start for a in state.anchors if a.page == item.page and a.end < item.span.start]
    return max(above) if above else None


def _place_in_project(state: _ParseState, key: str, entries: list[tuple[_Item, Placement]]) -> None:
    """The items placed on project ``key`` given to it or to one of its parts, then attached."""
    project = state.projects[key]
    subs = _subs_of(state, key)
    parts = [Anchor(f"{key}-s{s.number}", s.span.start, s.span.end, s.page, s.column, s.columns, s.listed)
             for s in subs]
    gap_after = _gap(state, frozenset({"blank", "amount", "note"}))
    gap_before = _gap(state, frozenset({"blank", "amount", "note", "project", "header"}))
    gap_described = _gap(state, frozenset({"blank", "text", "note"}))
    decisions: dict[int, Placement | None] = {}
    remaining: dict[str, list[int]] = {}
    for i, (item, _p) in enumerate(entries):
        if item.kind in ("participants", "text") or not parts:
            decisions[i] = None
            continue
        columns = _column_parts(item, parts)
        if columns is not None:
            decisions[i] = Placement("columns", 0.9, "one value per column heading")
            continue
        remaining.setdefault(item.kind, []).append(i)
    own = [i for i in remaining.get("amount", []) if _opens_project_box(state, key, entries[i][0], parts)]
    for i in own:
        # both neighbours are headings printed right beside it, and both name the project's box
        decisions[i] = Placement(key, 1.0, "between its project heading and its first part heading")
        remaining["amount"].remove(i)
    totals = [i for i in remaining.get("amount", []) if any(a.category == "total" for a in entries[i][0].amounts)]
    # a project prints one total: once its own box holds it, no part amount is the project total
    own_total = any(a.category == "total" for i in own for a in entries[i][0].amounts)
    covering = None if own_total else _covering_total([entries[i][0] for i in totals])
    if covering is not None:
        i = totals[covering]
        decisions[i] = Placement(key, 0.9, "project total: exceeds the other amounts and its funding covers theirs")
        remaining["amount"].remove(i)
    # indicator blocks first: a block closes its part's box, which the amount rules use
    for kind in ("indicator", "condition", "amount"):
        idxs = remaining.get(kind, [])
        if not idxs:
            continue
        slots = [entries[i][0].slot for i in idxs]
        if kind == "amount":
            closed = [_closed_parts(state, entries[i][0], entries, decisions) for i in idxs]
            results = place_in_parts(
                slots, parts, gap_after=gap_after, gap_before=gap_before, gap_described=gap_described,
                single_stays=covering is None and not own_total, closed=closed,
            )
        else:
            # blocks and conditions follow their part heading; a lone condition group still
            # belongs to the part above it, a lone indicator block (or one printed after a
            # list of part headings) to the whole project
            results = place_in_parts(
                slots, parts, gap_after=gap_after, single_stays=kind == "indicator", fallback=False,
                after_list_stays=kind == "indicator",
            )
        for i, r in zip(idxs, results):
            decisions[i] = r
    owners: dict[str, SubProject] = {}
    for s in subs:
        skey = f"{key}-s{s.number}"
        if skey not in owners:
            owners[skey] = SubProject(skey, s.mark, s.name, s.span)
        elif normalise_name(owners[skey].name) != normalise_name(s.name):
            state.issue("uncertain", f"part {s.mark} of {key} printed with two names; kept the first", s.span, skey)
    project.sub_projects = list(owners.values())
    for i, (item, page_placement) in enumerate(entries):
        decision = decisions.get(i)
        if decision is not None and decision.owner == "columns":
            _attach_columns(state, item, parts, owners, page_placement)
            continue
        owner_key = decision.owner if decision is not None and decision.owner in owners else key
        conf = page_placement.confidence
        rules = [page_placement.rule]
        alternative = page_placement.alternative
        if decision is not None and decision.owner in owners:
            conf = min(conf, decision.confidence)
            rules.append(decision.rule)
            alternative = decision.alternative or alternative
        elif decision is not None and decision.owner == key and decision.confidence < 1.0:
            conf = min(conf, decision.confidence)
            rules.append(decision.rule)
            alternative = "one of its parts"
        target = owners.get(owner_key, project)
        _attach(state, item, target, conf, "; ".join(rules), alternative)


def _opens_project_box(state: _ParseState, key: str, item: _Item, parts: list[Anchor]) -> bool:
    """True when amount ``item`` sits right under a heading of project ``key`` and right above
    its first part heading (lone or listed): the box between the two is the project's own."""
    if item.kind != "amount":
        return False
    gap = _gap(state, frozenset({"blank", "amount", "note"}))
    heads = [a for a in state.anchors if a.owner == key and a.page == item.page and a.end < item.span.start]
    if not heads or not gap(max(a.end for a in heads), item.span.start):
        return False
    below = [a for a in parts if a.page == item.page and a.start > item.span.end]
    if not below:
        return False
    first = min(below, key=lambda a: (a.start, a.column))
    return first.columns == 1 and gap(item.span.end, first.start)


def _closed_parts(
    state: _ParseState, item: _Item, entries: list[tuple[_Item, Placement]], decisions: dict[int, Placement | None]
) -> frozenset[str]:
    """Parts whose indicator block ends right above ``item``: their box is over."""
    gap = _gap(state, frozenset({"blank", "header"}))
    shut = set()
    for j, (other, _p) in enumerate(entries):
        d = decisions.get(j)
        if other.kind == "indicator" and d is not None and other.span.end < item.span.start \
                and other.page == item.page and gap(other.span.end, item.span.start):
            shut.add(d.owner)
    return frozenset(shut)


def _subs_of(state: _ParseState, key: str) -> list[_SubHeading]:
    """The part headings of project ``key`` by number, marked ``listed`` when printed as a list."""
    subs = sorted((s for s in state.subs if s.project == key), key=lambda s: (s.number, s.span.start))
    lines = sorted(state.subs, key=lambda s: s.span.start)
    for s in subs:
        # a part heading printed next to another part heading (blank lines only) is a list item
        s.listed = any(
            o is not s and o.project == key and o.page == s.page and o.columns == 1 and s.columns == 1
            and (_gap(state, frozenset({"blank"}))(min(o.span.end, s.span.end), max(o.span.start, s.span.start)))
            for o in lines
        )
    return subs
