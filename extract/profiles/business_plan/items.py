"""The parser's working records: outline entries, items of a body page, part headings."""

from __future__ import annotations

from dataclasses import dataclass, field

from policy_kg.extract.association import Slot
from policy_kg.extract.records import Amount, GrantCondition, Indicator, Organisation, Span


@dataclass
class _OutlineProject:
    pillar: str
    area: int
    number: int
    name: str
    span: Span
    relisted: bool


@dataclass
class _Outline:
    pillars: list[tuple[str, str, str, Span]] = field(default_factory=list)  # key, roman, name, span
    areas: list[tuple[str, int, str, Span]] = field(default_factory=list)  # pillar key, n, name, span
    projects: list[_OutlineProject] = field(default_factory=list)


@dataclass
class _Item:
    """Something on a body page that must be given to a project or part."""

    kind: str  # amount | condition | indicator | participants
    span: Span
    page: int
    amounts: list[Amount] = field(default_factory=list)
    conditions: list[GrantCondition] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    note: str | None = None

    @property
    def slot(self) -> Slot:
        return Slot(self.span.start, self.span.end, self.page)

    @property
    def width(self) -> int:
        """How many parallel values the item holds (for column layouts)."""
        return len(self.amounts) if self.kind == "amount" else len(self.conditions)

    def describe(self) -> str:
        if self.kind == "amount":
            return "amount " + " / ".join(a.printed for a in self.amounts)
        if self.kind == "condition":
            return "grant condition " + "; ".join(c.label or "?" for c in self.conditions)
        if self.kind == "indicator":
            return "indicator block (" + ", ".join(i.name for i in self.indicators) + ")"
        return "participants " + "、".join(o.name for o in self.partners)


@dataclass
class _SubHeading:
    project: str | None
    number: int
    mark: str
    name: str
    span: Span
    page: int
    column: int
    columns: int
    listed: bool = False
