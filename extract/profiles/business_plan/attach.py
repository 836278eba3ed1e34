"""Pass 3, the last step: an item's facts recorded on the project or part it was given to.

A placement below confidence 1.0 leaves an ``uncertain`` issue naming the rule and the alternative.
"""

from __future__ import annotations

from policy_kg.extract.association import Anchor, Placement
from policy_kg.extract.organisations import find_organisations
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.money import _with_confidence
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.records import Organisation, Project, Span, SubProject


def _column_parts(item: _Item, parts: list[Anchor]) -> list[Anchor] | None:
    """The part headings of one line above ``item`` when it holds one value per heading, else None."""
    above = [a for a in parts if a.page == item.page and a.end < item.span.start]
    if not above:
        return None
    line = max(a.start for a in above)
    cols = sorted((a for a in above if a.start == line), key=lambda a: a.column)
    if len(cols) > 1 and item.width == len(cols):
        return cols
    return None


def _attach_columns(
    state: _ParseState, item: _Item, parts: list[Anchor], owners: dict[str, SubProject], page_placement: Placement
) -> None:
    """One value of a row to each part heading of the line above it."""
    cols = _column_parts(item, parts) or []
    for i, col in enumerate(cols):
        target = owners[col.owner]
        conf = min(page_placement.confidence, 0.9)
        if item.kind == "amount":
            a = item.amounts[i]
            target.amounts.append(_with_confidence(a, conf))
            _uncertain(state, f"amount {a.printed}", item.span, col.owner, conf,
                            "i-th value of a row under a line of column part headings", None)
        else:
            target.conditions.append(item.conditions[i])


def _attach(
    state: _ParseState, item: _Item, target: Project | SubProject, conf: float, rule: str, alt: str | None
) -> None:
    """The item's facts recorded on ``target``; a placement below confidence 1.0 is reported as uncertain."""
    if item.note:
        state.issue("info", f"amount note kept as printed: {item.note!r}", item.span, target.key)
    if item.kind == "amount":
        for a in item.amounts:
            target.amounts.append(_with_confidence(a, conf))
            _uncertain(state, f"amount {a.printed}", item.span, target.key, conf, rule, alt)
    elif item.kind == "condition":
        target.conditions.extend(item.conditions)
        if conf < 1.0:
            _uncertain(state, "grant condition " + "; ".join(c.label or "" for c in item.conditions),
                            item.span, target.key, conf, rule, alt)
    elif item.kind == "indicator":
        for ind in item.indicators:
            ind.confidence = conf
            ind.key = f"{target.key}-ind-{len(target.indicators) + 1}"
            target.indicators.append(ind)
            _uncertain(state, f"indicator {ind.name!r}", ind.span, target.key, conf, rule, alt)
    elif item.kind == "text" and isinstance(target, Project) and item.note:
        # descriptions are prose, not figures: no confidence is recorded for them
        target.description = f"{target.description}\n{item.note}" if target.description else item.note
        known = {o.name for o in target.partners}
        for name, _offset in find_organisations(item.note):
            if name not in known:
                known.add(name)
                target.partners.append(Organisation(name, "partner", item.span))
    elif item.kind == "participants":
        target.partners.extend(item.partners)
        if conf < 1.0:
            _uncertain(state, "participants", item.span, target.key, conf, rule, alt)


def _uncertain(state: _ParseState, what: str, span: Span, owner: str, conf: float, rule: str, alt: str | None) -> None:
    """An uncertain issue for a placement below confidence 1.0 (none at 1.0)."""
    if conf >= 1.0:
        return
    state.issue(
        "uncertain",
        f"{what} → {owner} (confidence {conf:.2f}; {rule}); alternative: {alt or 'none on the page'}",
        span,
        owner,
    )
