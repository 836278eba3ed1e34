"""Typed records: what a layout parser extracts and the graph builder consumes.

Records know nothing of RDF and nothing of text layout. Every fact carries the ``Span`` of
document lines it came from, so the builder can attach provenance to every entity and number.
Codes used in string fields (``level``, ``role``, ``kind`` …) are listed next to each field; the
builder maps them onto ontology concepts.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, is_dataclass, replace
from decimal import Decimal
from functools import cache
from typing import Any, Literal, get_args, get_origin, get_type_hints

#: An SDG target code as the documents print it: goal 1–17, then a number or a letter (8.10, 4.a).
SDG_TARGET_CODE = re.compile(r"(?:1[0-7]|[1-9])\.(?:[1-9][0-9]?|[a-z])")

Level = Literal["policy_goal", "policy", "policy_field", "programme", "measure"]
Role = Literal["target", "actual", "baseline", "final_target", "plan", "estimate", "unspecified"]
IndicatorKind = Literal["kpi", "key", "activity", "reference", "outcome"]
Stage = Literal["activity", "short_term", "mid_term", "final"]
AmountCategory = Literal[
    "total", "full_cost", "general_fund", "personnel", "fund_size", "loan_frame", "grant_ceiling", "loans_granted",
    "fund_addition", "funding_share", "stated",
]
AmountStatus = Literal["budget", "estimate", "plan"]
Severity = Literal["error", "dropped", "uncertain", "info"]


@dataclass(frozen=True, order=True)
class Span:
    """Lines ``start``..``end`` (1-based, inclusive) of the source document."""

    start: int
    end: int

    @classmethod
    def line(cls, n: int) -> Span:
        return cls(n, n)

    def merge(self, other: Span | None) -> Span:
        if other is None:
            return self
        return Span(min(self.start, other.start), max(self.end, other.end))


@dataclass(frozen=True)
class Unit:
    """An organisational unit of the publisher: department (部) and/or division (課).

    One of the two may be unknown (a chart that prints a division without its department).
    """

    department: str | None
    division: str | None
    span: Span


@dataclass(frozen=True)
class FundingSource:
    """A funding source as printed (``福島県受託金``): funder ``福島県``, type ``受託金``."""

    label: str
    funder: str | None
    funding_type: str  # 受託金 | 補助金 | 借入金 | 助成金 | 基金運用益 | 受講料 | … as printed
    span: Span


@dataclass(frozen=True)
class Amount:
    """One money figure, converted to integer yen (``jpy``) from ``printed`` (kept verbatim)."""

    category: AmountCategory
    jpy: int
    printed: str
    span: Span
    fiscal_year: int | None = None  # Gregorian start year of the fiscal year
    status: AmountStatus | None = None
    funding: tuple[FundingSource, ...] = ()
    confidence: float = 1.0  # < 1 when the amount was associated to its owner by position only
    manual: bool = False  # asserted by a curation file, not extracted
    label: str | None = None  # the row label printed with it (一般財源 …) when its category could not be set


@dataclass(frozen=True)
class GrantCondition:
    """A grant's conditions: ceiling (as an ``Amount`` of category ``grant_ceiling``) and rate."""

    span: Span
    label: str | None = None
    ceiling: Amount | None = None
    rate_text: str | None = None  # as printed, e.g. 助成対象経費の2分の1以内
    rate: Decimal | None = None  # 0.5 for 2分の1


@dataclass(frozen=True)
class IndicatorValue:
    """A value of an indicator. ``value is None`` means the document printed "－" (not available)."""

    role: Role
    value: Decimal | None
    printed: str
    span: Span
    fiscal_year: int | None = None  # None only for a final target whose year the sheet omits
    qualifier: str | None = None  # e.g. 国内 / 外国 when one indicator has split values


@dataclass
class Indicator:
    key: str  # stable within the document, e.g. "kpi-1", "m1-p1-out-1"
    name: str
    kind: IndicatorKind
    span: Span
    unit: str | None = None
    description: str | None = None
    values: list[IndicatorValue] = field(default_factory=list)
    confidence: float = 1.0


@dataclass(frozen=True)
class LogicStage:
    step: int  # 1..4, in order
    stage: Stage
    statement: str
    span: Span


@dataclass(frozen=True)
class Organisation:
    """An organisation named in a document (partner, participant, funder, manager …)."""

    name: str  # as printed (after NFKC-free whitespace cleanup)
    role: str  # partner | participant | funder | manager | host | publisher
    span: Span


@dataclass
class PolicyElement:
    """A node of the hierarchy above projects: goal, policy, field, programme pillar, measure."""

    key: str  # stable within the document, e.g. "field-12", "m1", "I", "I-1"
    level: Level
    name: str
    span: Span
    number: str | None = None
    parent: str | None = None  # key of the parent element
    alt_names: list[str] = field(default_factory=list)
    description: str | None = None
    vision: str | None = None
    unit: Unit | None = None


@dataclass
class Project:
    """A project (事務事業 / 事業), the leaf of the hierarchy that carries money and indicators."""

    key: str  # stable within the document, e.g. "m1-p3", "I-1-1"
    number: str
    name: str | None  # None when the document lost it; reported as an issue
    span: Span
    parents: list[str] = field(default_factory=list)  # keys of measures/areas (two when re-listed)
    alt_names: list[str] = field(default_factory=list)
    sdg_targets: list[str] = field(default_factory=list)  # "8.1", "11.4", "4.a"
    pillar: int | None = None  # population-strategy pillar 柱N
    priority: bool = False  # ◎
    direction: str | None = None  # 新規 継続 終了 廃止 拡充 縮小 統合, as printed
    legal_basis: Literal["statutory", "discretionary"] | None = None
    unit: Unit | None = None
    description: str | None = None
    amounts: list[Amount] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    logic_model: list[LogicStage] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)
    conditions: list[GrantCondition] = field(default_factory=list)
    sub_projects: list[SubProject] = field(default_factory=list)


@dataclass
class SubProject:
    """A part ①②… of a business-plan project."""

    key: str
    number: str
    name: str
    span: Span
    amounts: list[Amount] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    conditions: list[GrantCondition] = field(default_factory=list)
    partners: list[Organisation] = field(default_factory=list)


@dataclass(frozen=True)
class RelatedProject:
    """A project of another policy field that the sheet lists as related (関連する事務事業)."""

    code: str  # e.g. "13-1"
    name: str
    span: Span
    unit: Unit | None = None


@dataclass(frozen=True)
class Reorganisation:
    """A change of the publisher's own units (組織改正): units created, abolished, moved."""

    span: Span
    created: tuple[str, ...] = ()
    abolished: tuple[str, ...] = ()
    description: str | None = None


#: Field metadata: ``to_json`` leaves the field out while it holds its default (records of documents
#: without aggregated issues stay byte-identical to those written before the field existed).
OMIT_DEFAULT = {"omit_default": True}


@dataclass(frozen=True)
class ExtractionIssue:
    """Something the extractor could not place, dropped, or placed with doubt."""

    severity: Severity
    message: str
    span: Span | None = None
    item: str | None = None  # the key of the record concerned, if any
    #: Identical issues (see :class:`IssueLog`) are kept once: how many there were, and the span of
    #: the last one (``span`` is the first one's).
    count: int = field(default=1, metadata=OMIT_DEFAULT)
    last_span: Span | None = field(default=None, metadata=OMIT_DEFAULT)


_LINE_NUMBERS = re.compile(r"\b(lines?|L)\s*\d+(?:\s*[-–,]\s*(?:L\s*)?\d+)*")


def issue_key(issue: ExtractionIssue) -> tuple[str, str | None, str]:
    """What makes two issues the same problem: severity, item and message without its line numbers."""
    return issue.severity, issue.item, _LINE_NUMBERS.sub(r"\1 N", issue.message)


class IssueLog:
    """Collects issues into ``items``, keeping identical ones (:func:`issue_key`) once with a count.

    A hostile document repeating one bad line a million times is then one issue, not a million:
    memory and report size grow with the distinct problems, not with the lines.
    """

    def __init__(self, items: list[ExtractionIssue] | None = None) -> None:
        self.items: list[ExtractionIssue] = [] if items is None else items
        self._index: dict[tuple[str, str | None, str], int] = {}
        for i, issue in enumerate(self.items):
            self._index.setdefault(issue_key(issue), i)

    def append(self, issue: ExtractionIssue) -> None:
        key = issue_key(issue)
        at = self._index.get(key)
        if at is None or at >= len(self.items) or issue_key(self.items[at]) != key:  # items edited elsewhere
            self._index[key] = len(self.items)
            self.items.append(issue)
            return
        first = self.items[at]
        self.items[at] = replace(first, count=first.count + issue.count, last_span=issue.last_span or issue.span)

    def add(self, severity: Severity, message: str, span: Span | None = None, item: str | None = None) -> None:
        self.append(ExtractionIssue(severity, message, span, item))


def aggregate_issues(issues: list[ExtractionIssue]) -> list[ExtractionIssue]:
    """``issues`` with identical ones kept once (in order of first occurrence), counted."""
    log = IssueLog()
    for issue in issues:
        log.append(issue)
    return log.items


@dataclass(frozen=True)
class ManualFact:
    """A fact asserted by a curation file rather than extracted (see ``extract/curation.py``)."""

    item: str  # project / sub-project key
    field: str  # name | sdg_target | partner | amount
    value: str
    curation_file: str


#: ``DocumentRecord.indicator_owners`` value for an indicator of the document as a whole.
DOCUMENT_OWNER = "@document"


@dataclass
class DocumentRecord:
    """Everything extracted from one source document."""

    doc_id: str  # stable slug (file stem), used in IRIs
    file_name: str
    layout: str  # "evaluation_sheet" | "business_plan"
    content_hash: str  # sha256 of the decoded, line-normalised text
    line_count: int
    title: str | None = None
    publisher: str | None = None
    publisher_code: str | None = None  # its 全国地方公共団体コード, when it is a local government
    fiscal_year: int | None = None
    elements: list[PolicyElement] = field(default_factory=list)
    projects: list[Project] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)  # owned by elements (KPIs)
    indicator_owners: dict[str, str] = field(default_factory=dict)  # indicator key -> element key
    related_projects: list[RelatedProject] = field(default_factory=list)
    organisations: list[Organisation] = field(default_factory=list)  # document-level mentions
    units: list[Unit] = field(default_factory=list)  # the publisher's own units
    reorganisations: list[Reorganisation] = field(default_factory=list)
    strategy_pillars: dict[int, str] = field(default_factory=dict)  # 柱N -> its name
    issues: list[ExtractionIssue] = field(default_factory=list)
    manual_facts: list[ManualFact] = field(default_factory=list)
    # what kind of document it is (extract/engine/kinds.py), how sure, and the words that showed it
    kind: str | None = None
    kind_confidence: float | None = None
    evidence: list[str] = field(default_factory=list)
    amounts: list[Amount] = field(default_factory=list)  # figures the document prints for no project
    findings: dict[str, int] = field(default_factory=dict)  # facts found, by recogniser ("amount:inline unit")

    def element(self, key: str) -> PolicyElement:
        for e in self.elements:
            if e.key == key:
                return e
        raise KeyError(key)

    def project(self, key: str) -> Project:
        for p in self.projects:
            if p.key == key:
                return p
        raise KeyError(key)

    def owners(self) -> dict[str, Project | SubProject]:
        """Every project and sub-project by key: what amounts, indicators and partners can belong to."""
        out: dict[str, Project | SubProject] = {}
        for p in self.projects:
            out[p.key] = p
            for s in p.sub_projects:
                out[s.key] = s
        return out


# --- JSON round trip (``extract --records DIR`` writes these; ``build`` reads them back) ---------


def to_json(record: Any) -> Any:
    """Plain-JSON form of a record (Decimals as strings so no figure is rounded)."""
    if is_dataclass(record) and not isinstance(record, type):
        return {f.name: to_json(getattr(record, f.name)) for f in fields(record)
                if not (f.metadata.get("omit_default") and getattr(record, f.name) == f.default)}
    if isinstance(record, Decimal):
        return str(record)
    if isinstance(record, (list, tuple)):
        return [to_json(x) for x in record]
    if isinstance(record, dict):
        return {str(k): to_json(v) for k, v in record.items()}
    return record


def from_json(cls: type, data: Any) -> Any:
    """Inverse of :func:`to_json` for ``cls`` (a record class)."""
    return _decode(cls, data)


@cache
def _hints(tp: type) -> dict[str, Any]:
    return get_type_hints(tp)  # resolving string annotations is slow; records decode many objects


def _decode(tp: Any, data: Any) -> Any:
    if data is None:
        return None
    origin = get_origin(tp)
    if origin is Literal:
        return data
    if origin in (list, tuple):
        (inner, *_rest) = get_args(tp) or (Any,)
        items = [_decode(inner, x) for x in data]
        return items if origin is list else tuple(items)
    if origin is dict:
        k_tp, v_tp = get_args(tp)
        return {(int(k) if k_tp is int else k): _decode(v_tp, v) for k, v in data.items()}
    if origin is not None:  # Union / Optional
        args = [a for a in get_args(tp) if a is not type(None)]
        return _decode(args[0], data) if len(args) == 1 else data
    if tp is Decimal:
        return Decimal(data)
    if is_dataclass(tp):
        hints = _hints(tp)
        kwargs = {f.name: _decode(hints[f.name], data[f.name]) for f in fields(tp) if f.name in data}
        return tp(**kwargs)
    return data


__all__ = [
    "DOCUMENT_OWNER", "Amount", "DocumentRecord", "ExtractionIssue", "FundingSource", "GrantCondition", "Indicator",
    "IndicatorValue", "IssueLog", "LogicStage", "ManualFact", "Organisation", "PolicyElement", "Project",
    "RelatedProject", "Reorganisation", "Span", "SubProject", "Unit", "aggregate_issues", "asdict", "from_json",
    "issue_key", "to_json",
]
