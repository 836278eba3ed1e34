"""A project's name: the spelling printed most often (outline, outline copy, body headings); the others alt names."""

from __future__ import annotations

from collections import Counter

from policy_kg.extract.association import normalise_name
from policy_kg.extract.profiles.business_plan.state import _ParseState


def _settle_names(state: _ParseState) -> None:
    """Primary name = the spelling printed most often (ties: the main outline); others = alt_names."""
    for key, project in state.projects.items():
        printed = [n for _, n in state.names.get(key, [])]
        if not printed:
            continue
        counts = Counter(normalise_name(n) for n in printed)
        first_of = {}
        for n in printed:
            first_of.setdefault(normalise_name(n), n)
        outline = normalise_name(printed[0])
        best = max(counts, key=lambda k: (counts[k], k == outline))
        project.name = first_of[best]
        alts = [first_of[k] for k in counts if k != best]
        project.alt_names = alts
        if best != outline:
            state.issue(
                "info",
                f"project {key}: the main outline prints {printed[0]!r} once, the other places "
                f"{first_of[best]!r}; the majority spelling is the name, the other an alt name",
                project.span,
                key,
            )
    state.record.projects = list(state.projects.values())
    for key, project in state.projects.items():
        if not any(a.owner == key for a in state.anchors):
            state.issue("info", f"project {key} {project.name!r} has no page of its own in the body", project.span, key)
