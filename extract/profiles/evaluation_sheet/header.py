"""The field header (主管部局・課, 目指す姿, 施策N name) and the hierarchy lines (政策目標N／政策N, 政策分野N)."""

from __future__ import annotations

from dataclasses import dataclass, field

from policy_kg.extract.profiles.evaluation_sheet.text import _after_label, _compact, _int, _next_nonblank, split_unit
from policy_kg.extract.profiles.evaluation_sheet.words import _FIELD_RE, _GOAL_RE, _LABELS, _MEASURE_NUMBER_RE
from policy_kg.extract.records import PolicyElement, Span, Unit


@dataclass
class _Measure:
    number: int
    first_name: str
    span: Span
    description: str | None = None
    names: dict[str, tuple[str, int]] = field(default_factory=dict)  # compact -> (as printed, count)

    def __post_init__(self) -> None:
        self.add_name(self.first_name)

    def add_name(self, name: str) -> None:
        """Count one printing of the measure's name (spellings compared without whitespace)."""
        if name.strip():
            printed, count = self.names.get(_compact(name), (name.strip(), 0))
            self.names[_compact(name)] = (printed, count + 1)

    @property
    def name(self) -> str:
        """The spelling printed most often (the first one printed on a tie)."""
        return max(self.names.values(), key=lambda pc: pc[1])[0] if self.names else self.first_name

    @property
    def alt_names(self) -> list[str]:
        return [printed for printed, _ in self.names.values() if printed != self.name]


@dataclass
class _Header:
    unit: Unit | None = None
    vision: str | None = None
    vision_span: Span | None = None
    measures: dict[int, _Measure] = field(default_factory=dict)


def _parse_header(lines: tuple[str, ...], end: int) -> _Header:
    header = _Header()
    i = 0
    while i < end:
        raw = lines[i].strip()
        c = _compact(raw)
        if c.startswith(_LABELS["department"]) and header.unit is None:
            header.unit = split_unit(_after_label(raw, _LABELS["department"]), Span.line(i + 1))
        elif c == _LABELS["vision"] and header.vision is None:
            j = _next_nonblank(lines, i + 1, end)
            if j is not None:
                header.vision, header.vision_span = lines[j].strip(), Span.line(j + 1)
                i = j
        elif (m := _MEASURE_NUMBER_RE.match(raw)) is not None:
            j = _next_nonblank(lines, i + 1, end)
            if j is not None and not _MEASURE_NUMBER_RE.match(lines[j].strip()):
                n = _int(m.group(1))
                header.measures.setdefault(n, _Measure(n, lines[j].strip(), Span(i + 1, j + 1)))
                i = j
        i += 1
    return header


@dataclass
class _Hierarchy:
    goal: PolicyElement | None = None
    policy: PolicyElement | None = None
    field_element: PolicyElement | None = None
    field_line: int | None = None
    sdg_line: int | None = None


def _parse_hierarchy(lines: tuple[str, ...], end: int) -> _Hierarchy:
    h = _Hierarchy()
    for i in range(end):
        raw = lines[i].strip()
        span = Span.line(i + 1)
        if h.goal is None and (m := _GOAL_RE.match(raw)):
            g, p = str(_int(m.group(1))), str(_int(m.group(3)))
            h.goal = PolicyElement(f"goal-{g}", "policy_goal", m.group("goal"), span, number=g)
            h.policy = PolicyElement(f"policy-{p}", "policy", m.group("policy"), span, number=p,
                                     parent=h.goal.key)
        elif h.field_element is None and (m := _FIELD_RE.match(raw)):
            n = str(_int(m.group(1)))
            h.field_element = PolicyElement(f"field-{n}", "policy_field", m.group("name"), span, number=n)
            h.field_line = i
        elif h.sdg_line is None and _compact(raw).startswith(_LABELS["sdg"]):
            h.sdg_line = i
    return h
