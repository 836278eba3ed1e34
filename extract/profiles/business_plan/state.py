"""What one run over one document shares: its lines and pages, and what the passes have found so far."""

from __future__ import annotations

from policy_kg.extract.association import Anchor
from policy_kg.extract.profiles.business_plan.items import _Item, _SubHeading
from policy_kg.extract.profiles.business_plan.text import _is_page_start, _plan_year
from policy_kg.extract.records import DocumentRecord, IssueLog, Project, Span
from policy_kg.extract.source import SourceText


class _ParseState:
    """One run over one document; the passes fill ``record`` and read each other's findings here."""

    def __init__(self, src: SourceText, record: DocumentRecord) -> None:
        self.src = src
        self.record = record
        self._issues = IssueLog(record.issues)
        self.lines = src.lines
        self.pages = _page_numbers(self.lines)
        self.kind: dict[int, str] = {}
        self.year = _plan_year(src.lines)
        self.projects: dict[str, Project] = {}
        self.position: dict[tuple[str, int, int], str] = {}  # (pillar, area, n) -> project key
        self.names: dict[str, list[tuple[str, str]]] = {}  # key -> [(source, printed name)]
        self.anchors: list[Anchor] = []
        self.subs: list[_SubHeading] = []
        self.items: list[_Item] = []
        self.headers: dict[int, tuple[str, int, Span]] = {}  # page -> (pillar, area, span)

    def issue(self, severity: str, message: str, span: Span | None = None, item: str | None = None) -> None:
        if self._issues.items is not self.record.issues:
            self._issues = IssueLog(self.record.issues)
        self._issues.add(severity, message, span, item)  # type: ignore[arg-type]

    def line(self, n: int) -> str:
        return self.lines[n - 1]

    def blank(self, n: int) -> bool:
        return not self.lines[n - 1].strip()


def _page_numbers(lines: tuple[str, ...]) -> list[int]:
    """``pages[n]`` = page number of line n (1-based; index 0 unused)."""
    pages = [0]
    page = 1
    for i, raw in enumerate(lines):
        if i > 0 and _is_page_start(raw):
            page += 1
        pages.append(page)
    return pages
