"""Pass 1, structure: the 事業体系 outline as pillars, areas and projects.

The clean outline after ``◆ 事業体系`` makes the elements and projects (a （再掲） item is one more
parent of the project it repeats); a displaced partial copy printed before it only adds name variants.
"""

from __future__ import annotations

from policy_kg.extract.association import NAME_MATCH_THRESHOLD, match_name, name_similarity, normalise_name
from policy_kg.extract.profiles.business_plan.items import _Outline, _OutlineProject
from policy_kg.extract.profiles.business_plan.outline import _outline_token, _read_outline
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _is_page_start, _ranges
from policy_kg.extract.profiles.business_plan.words import _HEADER_RE, _OUTLINE_MARK, _PILLAR_RE
from policy_kg.extract.records import PolicyElement, Project, Span
from policy_kg.extract.source import UnknownLayout


def _outline_region(state: _ParseState) -> tuple[int, int]:
    """(first, last) line of the clean outline; raises UnknownLayout if there is none."""
    start = next((i for i, s in enumerate(state.lines, 1) if _OUTLINE_MARK.search(s)), None)
    if start is None:
        start = next((i for i, s in enumerate(state.lines, 1) if _PILLAR_RE.match(s.strip())), None)
        if start is None:
            raise UnknownLayout(state.src.file_name, "no 事業体系 outline (Ⅰ… pillars) found", line=1)
        start -= 1
    end = start
    for n in range(start + 1, len(state.lines) + 1):
        raw = state.line(n)
        if _is_page_start(raw) and _outline_token(raw) is None:
            break
        if _HEADER_RE.match(raw.strip()):  # a body page header: the outline is over
            break
        if raw.strip():
            end = n
    return start, end


def _build_structure(state: _ParseState, start: int, end: int) -> None:
    """Elements and projects from the clean outline, name variants from the displaced copy."""
    clean = _read_outline([(n, state.line(n)) for n in range(start + 1, end + 1)])
    displaced = _read_outline([(n, state.line(n)) for n in range(1, start)])
    if not clean.pillars:
        raise UnknownLayout(state.src.file_name, "the 事業体系 outline has no Ⅰ… pillars", line=start)
    _add_outline(state, clean)
    _add_variants(state, displaced)
    skipped = [
        n for n in range(start + 1, end + 1)
        if state.line(n).strip() and _outline_token(state.line(n)) is None and not _continued(state, n)
    ]
    if skipped:
        state.issue(
            "info",
            f"{len(skipped)} outline line(s) that are no pillar/area/project (vertical captions, "
            f"footers) were ignored: lines {_ranges(skipped)}",
            Span(skipped[0], skipped[-1]),
        )


def _continued(state: _ParseState, n: int) -> bool:
    """True when line ``n`` continues the outline project line just above it (a wrapped name)."""
    if n <= 1 or not state.line(n - 1).strip():
        return False
    above = _outline_token(state.line(n - 1))
    return above is not None and above[0] == "project"


def _add_outline(state: _ParseState, outline: _Outline) -> None:
    """Pillars and areas as elements, outline items as projects (re-listed items last)."""
    for key, roman, name, span in outline.pillars:
        state.record.elements.append(PolicyElement(key, "programme", name, span, number=roman))
    for pillar, n, name, span in outline.areas:
        state.record.elements.append(
            PolicyElement(f"{pillar}-{n}", "measure", name, span, number=str(n), parent=pillar)
        )
    relisted: list[_OutlineProject] = []
    for op in outline.projects:
        if op.relisted:
            relisted.append(op)
            continue
        key = f"{op.pillar}-{op.area}-{op.number}"
        if key in state.projects:
            state.issue("uncertain", f"project number {key} printed twice in the outline", op.span, key)
            continue
        state.projects[key] = Project(key, f"({op.number})", op.name, op.span, parents=[f"{op.pillar}-{op.area}"])
        state.position[(op.pillar, op.area, op.number)] = key
        state.names[key] = [("outline", op.name)]
    for op in relisted:
        _add_relisted(state, op)


def _add_relisted(state: _ParseState, op: _OutlineProject) -> None:
    """A （再掲） item is the project it repeats: one more parent, not a new project."""
    parent = f"{op.pillar}-{op.area}"
    found = match_name(op.name, {k: [n for _, n in v] for k, v in state.names.items()})
    if found is None:
        key = f"{op.pillar}-{op.area}-{op.number}"
        state.issue(
            "uncertain",
            f"re-listed project {op.name!r} matches no project listed earlier; kept as its own project",
            op.span,
            key,
        )
        state.projects[key] = Project(key, f"({op.number})", op.name, op.span, parents=[parent])
        state.names[key] = [("outline", op.name)]
    else:
        key = found[0]
        if parent not in state.projects[key].parents:
            state.projects[key].parents.append(parent)
    state.position[(op.pillar, op.area, op.number)] = key


def _add_variants(state: _ParseState, displaced: _Outline) -> None:
    """Name variants from the displaced outline copy, matched by position then name."""
    for key, _roman, name, span in displaced.pillars:
        _element_variant(state, key, name, span)
    for pillar, n, name, span in displaced.areas:
        _element_variant(state, f"{pillar}-{n}", name, span)
    for op in displaced.projects:
        key = state.position.get((op.pillar, op.area, op.number))
        if key is None:
            state.issue("uncertain", f"outline copy names a project at an unknown position: {op.name!r}", op.span)
            continue
        sim = max(name_similarity(op.name, n) for _, n in state.names[key])
        if sim < NAME_MATCH_THRESHOLD:
            state.issue(
                "info",
                f"project {key} is named {op.name!r} in the displaced outline copy; same position, "
                f"different name (similarity {sim:.2f} < {NAME_MATCH_THRESHOLD}): taken as a rename",
                op.span,
                key,
            )
        state.names[key].append(("outline copy", op.name))


def _element_variant(state: _ParseState, key: str, name: str, span: Span) -> None:
    """``name`` as an alt name of element ``key`` when it is spelled otherwise."""
    try:
        element = state.record.element(key)
    except KeyError:
        state.issue("uncertain", f"outline copy has {key} {name!r}, which the main outline lacks", span)
        return
    if normalise_name(name) != normalise_name(element.name) and name not in element.alt_names:
        element.alt_names.append(name)
