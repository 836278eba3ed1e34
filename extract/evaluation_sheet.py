"""Extractor for a city's administrative-evaluation sheet of one policy field (layout ``evaluation_sheet``).

The sheet is a PDF dumped to text, so cells are sometimes printed away from their rows. The parts,
in document order, and how each is found:

* field header — ``主管部局・課``, ``目指す姿``, the ``施策N`` / name list;
* ``１　政策分野の進捗状況`` — KPI blocks (``<n>`` / name unit note / 年度 / 目標 / 実績), the
  ``政策目標N．…/政策N．…`` and ``政策分野N　name`` lines, then (displaced) the measures' contents,
  the KPIs' baselines ``<number>（令和N年度）`` and their verification notes;
* ``２　施策の評価`` — one heading per measure (a second spelling of its name, maybe);
* ``３　関連する政策分野と事務事業`` — ``13-1 name dept division`` rows;
* ``５　事務事業一覧`` — the project table (``no [◎] [柱N] [SDG…] name direction unit``), its
  column legend, stray cells, and the pillar legend ``柱N　name``;
* detail sheets — pages of up to three project blocks (``no`` / ``事業名`` / ``担当部・課`` /
  ``事業費`` / ``所要一般財源`` / ``概算人件費``) followed by one set of text sections per block
  (``概要``, ``財務内容``, ``これまでの取組状況``, ``事業の検証``; for some a logic model).

Everything that cannot be placed with certainty is reported in ``record.issues``.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, Literal

from policy_kg.extract.numbers import (
    UNIT_FACTORS,
    NumberFormatError,
    era_to_year,
    era_years,
    is_no_value,
    parse_number,
    thousand_yen,
)
from policy_kg.extract.organisations import find_organisations, find_places, find_publisher, normalise_org_name
from policy_kg.extract.profiles import profile_words
from policy_kg.extract.records import (
    Amount,
    AmountCategory,
    AmountStatus,
    DocumentRecord,
    Indicator,
    IndicatorValue,
    IssueLog,
    LogicStage,
    Organisation,
    PolicyElement,
    Project,
    RelatedProject,
    Role,
    Span,
    Stage,
    Unit,
)
from policy_kg.extract.sdg_reference import SDG_CODE_LIKE
from policy_kg.extract.source import ExtractionError, SourceText

__all__ = [
    "LAYOUT", "DIRECTIONS", "TableRow", "DetailBlock", "DetailPage", "looks_like_evaluation_sheet",
    "parse_evaluation_sheet", "parse_table_row", "parse_detail_blocks", "split_unit",
]

LAYOUT = "evaluation_sheet"

# The layout's words are data (extract/profiles/evaluation_sheet.yaml); the patterns are built here.
_WORDS = profile_words(LAYOUT)
SECTIONS: dict[str, str] = dict(_WORDS["sections"])  # part of the sheet -> its numbered heading
_LABELS: dict[str, str] = dict(_WORDS["labels"])
_KPI: dict[str, Any] = dict(_WORDS["kpi"])
DIRECTIONS = frozenset(_WORDS["directions"])
LEGAL_BASIS: dict[str, Literal["statutory", "discretionary"]] = dict(_WORDS["legal_basis"])
LEGAL_BASIS_LABELS = frozenset(_WORDS["legal_basis_labels"])
AMOUNT_ROWS: dict[str, AmountCategory] = dict(_WORDS["amount_rows"])
STAGE_LABELS: dict[str, Stage] = dict(_WORDS["stages"])
DEFAULT_STAGES: tuple[Stage, ...] = tuple(STAGE_LABELS.values())
SECTION_TITLES = tuple(SECTIONS.values())
_SECTION_OF = {title: key for key, title in SECTIONS.items()}
# Column legend of the project table; its words are printed broken over short lines after the table.
TABLE_LEGENDS = frozenset(_WORDS["table_legends"])
# Multi-line headings of a detail page: (section key, shortest accepted form, full form), compacted.
DETAIL_HEADINGS: tuple[tuple[str, str, str], ...] = tuple(
    (key, short, full) for key, (short, full) in _WORDS["detail_headings"].items()
)
AMOUNT_UNITS = UNIT_FACTORS  # one table of units for every reader (extract/numbers.py)
AMOUNT_STATUS: dict[str, AmountStatus] = {w: s for w, s in _WORDS["column_status"].items() if s is not None}
_FINANCE_DEFAULT_UNIT: str = _WORDS["finance_default_unit"]
_LINE_MARKS = tuple(_WORDS["line_marks"])
_PRIORITY_MARK: str = _WORDS["priority_mark"]
_FOOTNOTE_MARK: str = _WORDS["footnote_mark"]


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_D = "[0-9０-９]"
_SP = "[ \t\u3000]"
_MEASURE = re.escape(_LABELS["measure"])
_MEASURE_HEAD_RE = re.compile(rf"^{_MEASURE}({_D}+){_SP}+(\S.*?)\s*$")
_MEASURE_NUMBER_RE = re.compile(rf"^{_MEASURE}({_D}+)$")
_GOAL_RE = re.compile(
    rf"^{re.escape(_LABELS['goal'])}({_D}+)[.．、]?{_SP}*(?P<goal>.+?){_SP}*[/／]{_SP}*"
    rf"{re.escape(_LABELS['policy'])}({_D}+)[.．、]?{_SP}*(?P<policy>.+?)\s*$"
)
_FIELD_RE = re.compile(rf"^{re.escape(_LABELS['field'])}({_D}+){_SP}+(?P<name>\S.*?)\s*$")
_RELATED_RE = re.compile(rf"^({_D}+[-－‐]{_D}+){_SP}+(\S+){_SP}+(.+?)\s*$")
_PILLAR_RE = re.compile(rf"^{re.escape(_LABELS['pillar'])}({_D}+){_SP}+(\S.*?)\s*$")
_PILLAR_CELL_RE = re.compile(rf"{re.escape(_LABELS['pillar'])}(\d+)")
_ERA_PAREN_RE = re.compile(r"^\((?:令和|平成|昭和)(?:元|\d{1,2})年度?\)$")
_NUMBER_RE = re.compile(r"^[▲△-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[▲△-]?\d+(?:\.\d+)?$")
_UNIT_PAREN_RE = re.compile(r"^(?P<name>.*?)[（(](?P<unit>[^（）()]{1,8})[)）]$")
_STATUS_RE = re.compile(rf"\(({_alternatives(_WORDS['column_status'])})\)")
_FINANCE_UNIT_RE = re.compile(rf"{re.escape(_LABELS['finance_unit'])}\((.+?)\)")
_DEPT_RE = re.compile(
    rf"^(?P<dept>.+?(?:{'|'.join(map(re.escape, _WORDS['department_endings']))}))[\s・]*(?P<div>.*)$"
)
_UNIT_CELL_RE = re.compile(rf"({'|'.join(map(re.escape, _WORDS['unit_endings']))})$")
_FIELD_START_RE = re.compile(rf"^{re.escape(_LABELS['field'])}\d+")
_MEASURE_START_RE = re.compile(rf"^{_MEASURE}\d+")
_COST_ROW_RE = re.compile(rf"^{re.escape(_LABELS['cost'])}[\d,－-]")


# --- small text helpers -----------------------------------------------------------------------


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


_WHITESPACE_RE = re.compile(r"\s+")


@lru_cache(maxsize=65536)
def _compact(text: str) -> str:
    """NFKC without any whitespace: the form used to compare labels and names."""
    # cached: the parsing passes ask for the same lines again and again (about 10k calls a sheet)
    return _WHITESPACE_RE.sub("", _nfkc(text))


def _int(digits: str) -> int:
    return int(_nfkc(digits))


def _tokens(raw: str) -> list[re.Match[str]]:
    return list(re.finditer(r"\S+", raw))


def _raw_between(raw: str, tokens: list[re.Match[str]]) -> str | None:
    """The raw text covering ``tokens`` (inner spacing kept), or ``None`` when there are none."""
    if not tokens:
        return None
    return raw[tokens[0].start(): tokens[-1].end()]


def _after_label(raw: str, label: str) -> str:
    """``raw`` without a leading ``label`` (whitespace inside the label tolerated)."""
    pattern = r"\s*" + r"\s*".join(re.escape(ch) for ch in label)
    m = re.match(pattern, raw)
    return raw[m.end():].strip() if m else raw.strip()


def _is_number(cell: str) -> bool:
    return bool(_NUMBER_RE.match(_nfkc(cell).strip()))


def _is_value_cell(cell: str) -> bool:
    return _is_number(cell) or is_no_value(cell)


def _join_wrapped(texts: Iterable[str]) -> str:
    """Join lines a PDF wrapped mid-sentence; a bullet (・) or a bracketed note starts a new line."""
    out = ""
    for text in texts:
        t = text.strip()
        if not t:
            continue
        if out and t.startswith(_LINE_MARKS):
            out += "\n"
        out += t
    return out


def split_unit(text: str, span: Span) -> Unit | None:
    """Department and division from ``観光商工部　商工課`` / ``観光商工部・商工課`` / ``観光商工部商工課``.

    >>> split_unit("観光商工部商工課", Span.line(1))
    Unit(department='観光商工部', division='商工課', span=Span(start=1, end=1))
    """
    t = text.strip()
    if not t:
        return None
    m = _DEPT_RE.match(t)
    if m:
        return Unit(m.group("dept").strip(), m.group("div").strip() or None, span)
    parts = re.split(r"[\s・]+", t, maxsplit=1)
    return Unit(parts[0], parts[1] if len(parts) > 1 and parts[1] else None, span)


def _unit_key(unit: Unit | None) -> str:
    return "" if unit is None else _compact(unit.department + (unit.division or ""))


# --- issues ---------------------------------------------------------------------------------------


class _Issues(IssueLog):
    """Collects ``ExtractionIssue``s (identical ones once, counted: see ``IssueLog``)."""


# --- document regions -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Regions:
    """0-based line index ranges of the sheet's parts (``end`` exclusive), by section key (``SECTIONS``)."""

    sections: dict[str, int]
    detail_start: int
    n: int

    def start(self, section: str) -> int | None:
        return self.sections.get(section)

    def end_of(self, section: str) -> int:
        """Where ``section`` ends: the next section heading or the detail sheets."""
        start = self.sections[section]
        later = [i for i in self.sections.values() if i > start] + [self.detail_start, self.n]
        return min(i for i in later if i > start)

    @property
    def first_section(self) -> int:
        return min(list(self.sections.values()) + [self.detail_start])


def _find_regions(lines: tuple[str, ...]) -> _Regions:
    sections: dict[str, int] = {}
    for i, raw in enumerate(lines):
        c = _compact(raw)
        m = re.match(r"^\d(\D.*)$", c)
        if m and m.group(1) in _SECTION_OF and _SECTION_OF[m.group(1)] not in sections:
            sections[_SECTION_OF[m.group(1)]] = i
    table = sections.get("table", -1)
    return _Regions(sections, _find_detail_start(lines, table + 1), len(lines))


def _is_block_name_line(raw: str) -> bool:
    c = _compact(raw)
    return c.startswith(_LABELS["block_name"]) and not c.startswith(_LABELS["not_block_name"])


def _find_detail_start(lines: tuple[str, ...], start: int) -> int:
    """Index of the first line of the detail sheets (page header or block number), or len(lines)."""
    for i in range(max(start, 0), len(lines)):
        if not _is_block_name_line(lines[i]):
            continue
        first = i
        j = _prev_nonblank(lines, i)
        if j is not None and re.fullmatch(r"\d+", _compact(lines[j])):
            first, j = j, _prev_nonblank(lines, j)
        if j is not None and _MEASURE_HEAD_RE.match(lines[j].strip()):
            first = j
        return first
    return len(lines)


def _prev_nonblank(lines: tuple[str, ...], i: int) -> int | None:
    for j in range(i - 1, -1, -1):
        if lines[j].strip():
            return j
    return None


def _next_nonblank(lines: tuple[str, ...], i: int, end: int) -> int | None:
    for j in range(i, min(end, len(lines))):
        if lines[j].strip():
            return j
    return None


def _paragraphs(lines: tuple[str, ...], start: int, end: int) -> list[list[int]]:
    """Runs of non-blank line indices in ``[start, end)``, split at blank lines."""
    out: list[list[int]] = []
    current: list[int] = []
    for i in range(start, min(end, len(lines))):
        if lines[i].strip():
            current.append(i)
        elif current:
            out.append(current)
            current = []
    if current:
        out.append(current)
    return out


# --- field header -------------------------------------------------------------------------------


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


# --- KPIs ---------------------------------------------------------------------------------------


@dataclass
class _Kpi:
    indicator: Indicator
    years: list[int] = field(default_factory=list)
    expecting_final: bool = False


def _parse_kpis(lines: tuple[str, ...], start: int, end: int, issues: _Issues) -> list[Indicator]:
    """The KPI blocks between ``start`` and ``end``."""
    kpis: list[_Kpi] = []
    i = start
    while i < end:
        raw = lines[i].strip()
        c = _compact(raw)
        current = kpis[-1] if kpis else None
        if not c or any(w in c for w in _KPI["headers_containing"]) or c in _KPI["headers"]:
            pass
        elif current is not None and current.expecting_final and _is_number(c):
            current.indicator.values.append(
                _indicator_value("final_target", raw, None, Span.line(i + 1), issues, current.indicator.key)
            )
            current.expecting_final = False
        elif re.fullmatch(r"\d+", c) and (j := _next_nonblank(lines, i + 1, end)) is not None:
            kpis.append(_Kpi(_kpi_indicator(_int(c), lines[j], Span.line(j + 1), issues)))
            i = j
        elif current is not None and c.startswith(_KPI["year_row"]):
            current.years = era_years(raw)
        elif current is not None and c.startswith(_KPI["target_row"]):
            _kpi_row(current, "target", raw, Span.line(i + 1), issues)
        elif current is not None and c.startswith(_KPI["actual_row"]):
            _kpi_row(current, "actual", raw, Span.line(i + 1), issues)
            current.expecting_final = False
        else:
            issues.add("dropped", f"KPI area: line not understood and not used: {raw!r}", Span.line(i + 1))
        i += 1
    return [k.indicator for k in kpis]


def _kpi_indicator(number: int, raw: str, span: Span, issues: _Issues) -> Indicator:
    """A KPI from its ``name unit explanation`` line."""
    key = f"kpi-{number}"
    tokens = [t.group() for t in _tokens(raw)]
    name = tokens[0] if tokens else ""
    unit = tokens[1] if len(tokens) > 1 else None
    note = " ".join(tokens[2:]) or None
    if unit is None:
        issues.add("uncertain", f"KPI {number}: no unit printed after its name", span, key)
    description = None if note is None or is_no_value(note) else note
    return Indicator(key, name, "kpi", span, unit=unit, description=description)


def _kpi_row(kpi: _Kpi, role: Role, raw: str, span: Span, issues: _Issues) -> None:
    """Target or actual cells of a KPI, mapped to the header's years left to right."""
    key = kpi.indicator.key
    cells = [t.group() for t in _tokens(raw)][1:]
    years = kpi.years
    if not years:
        issues.add("dropped", f"{key}: {role} row printed before any year header; not used", span, key)
        return
    for cell, year in zip(cells, years):
        kpi.indicator.values.append(_indicator_value(role, cell, year, span, issues, key))
    extra = cells[len(years):]
    if role == "target" and len(extra) == 1:
        kpi.indicator.values.append(_indicator_value("final_target", extra[0], None, span, issues, key))
    elif extra:
        issues.add("dropped", f"{key}: {role} row has more cells than years; extra cells {extra} not used",
                   span, key)
    if len(cells) < len(years):
        missing = ", ".join(str(y) for y in years[len(cells):])
        issues.add(
            "uncertain",
            f"{key}: the {role} row prints {len(cells)} cells for {len(years)} years; cells were mapped "
            f"to years left to right and fiscal year(s) {missing} have no cell (no value recorded)",
            span, key,
        )
    kpi.expecting_final = role == "target" and not extra


def _indicator_value(
    role: Role, cell: str, year: int | None, span: Span, issues: _Issues, key: str
) -> IndicatorValue:
    cell = cell.strip()
    if is_no_value(cell):
        return IndicatorValue(role, None, cell, span, year)
    try:
        value: Decimal | None = parse_number(cell)
    except NumberFormatError:
        issues.add("uncertain", f"{key}: {role} cell {cell!r} is not a number; kept as printed only", span, key)
        value = None
    return IndicatorValue(role, value, cell, span, year)


# --- hierarchy lines, measure contents, baselines ----------------------------------------------------


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


def _parse_contents_and_baselines(
    lines: tuple[str, ...], start: int, end: int, measures: list[_Measure], kpis: list[Indicator],
    issues: _Issues,
) -> None:
    """Measure contents (the first paragraphs), then KPI baselines and verification notes."""
    paragraphs = _paragraphs(lines, start, end)
    n = 0
    while n < len(paragraphs) and n < len(measures) and not _has_number_line(lines, paragraphs[n]):
        measure = measures[n]
        measure.description = _join_wrapped(lines[i] for i in paragraphs[n])
        n += 1
    if n < len(measures):
        issues.add("uncertain", f"only {n} of {len(measures)} measure contents (施策の内容) were found",
                   Span.line(start + 1))
    rest = [i for p in paragraphs[n:] for i in p]
    baselines, notes = _split_baselines(lines, rest)
    for kpi, (value_line, year_line) in zip(kpis, baselines):
        raw = lines[value_line].strip()
        year = era_to_year(lines[year_line])
        span = Span(value_line + 1, year_line + 1)
        kpi.values.append(_indicator_value("baseline", raw, year, span, issues, kpi.key))
    for value_line, year_line in baselines[len(kpis):]:
        issues.add("dropped", f"baseline {lines[value_line].strip()!r} has no KPI left to attach to",
                   Span(value_line + 1, year_line + 1))
    for kpi in kpis[len(baselines):]:
        issues.add("uncertain", f"{kpi.key}: the sheet prints no baseline (基準値) for this KPI", kpi.span,
                   kpi.key)
    for k, note in enumerate(notes):
        text = _join_wrapped(lines[i] for i in note)
        span = Span(note[0] + 1, note[-1] + 1)
        if k < len(kpis):
            issues.add("info", f"{kpis[k].key}: verification note (検証) printed away from its row, not "
                       f"modelled: {text}", span, kpis[k].key)
        else:
            issues.add("dropped", f"text in the KPI area not attached to anything: {text}", span)


def _has_number_line(lines: tuple[str, ...], paragraph: list[int]) -> bool:
    return any(_is_number(_compact(lines[i])) for i in paragraph)


def _split_baselines(lines: tuple[str, ...], indices: list[int]) -> tuple[list[tuple[int, int]], list[list[int]]]:
    """(number line, era line) pairs; the other lines grouped into notes by adjacency."""
    baselines: list[tuple[int, int]] = []
    notes: list[list[int]] = []
    k = 0
    while k < len(indices):
        i = indices[k]
        c = _compact(lines[i])
        if _is_number(c) and k + 1 < len(indices) and _ERA_PAREN_RE.match(_compact(lines[indices[k + 1]])):
            baselines.append((i, indices[k + 1]))
            k += 2
            continue
        if notes and notes[-1][-1] == i - 1:
            notes[-1].append(i)
        else:
            notes.append([i])
        k += 1
    return baselines, notes


# --- related projects -------------------------------------------------------------------------------


def _parse_related(lines: tuple[str, ...], start: int, end: int, issues: _Issues) -> list[RelatedProject]:
    out: list[RelatedProject] = []
    for i in range(start + 1, end):
        raw = lines[i].strip()
        if not raw:
            continue
        span = Span.line(i + 1)
        m = _RELATED_RE.match(raw)
        if m:
            code = _nfkc(m.group(1)).replace("－", "-").replace("‐", "-")
            out.append(RelatedProject(code, m.group(2), span, split_unit(m.group(3), span)))
        elif not _compact(raw).startswith(_LABELS["related_header"]):
            issues.add("dropped", f"related-projects section: line not understood: {raw!r}", span)
    return out


# --- the project table ------------------------------------------------------------------------------


@dataclass
class TableRow:
    """One row of the project table (事務事業一覧)."""

    number: int
    name: str | None
    span: Span
    measure: int | None = None
    sdg_targets: list[str] = field(default_factory=list)
    pillar: int | None = None
    priority: bool = False
    direction: str | None = None
    unit: Unit | None = None


def parse_table_row(raw: str, line_no: int) -> TableRow | None:
    """A project-table row ``no [◎] [柱N] [SDG…] name direction unit``, or ``None`` if not a row.

    >>> row = parse_table_row("5 ◎ 柱１ 8.3 8.10 ある事業 継続 観光商工部商工課", 9)
    >>> (row.number, row.priority, row.pillar, row.sdg_targets, row.name, row.direction)
    (5, True, 1, ['8.3', '8.10'], 'ある事業', '継続')
    """
    tokens = _tokens(raw)
    if not tokens or not re.fullmatch(r"\d+", _nfkc(tokens[0].group())):
        return None
    span = Span.line(line_no)
    row = TableRow(_int(tokens[0].group()), None, span)
    rest = tokens[1:]
    while rest:  # leading marker columns, in any order
        t = _nfkc(rest[0].group())
        if t == _PRIORITY_MARK:
            row.priority = True
        elif (m := _PILLAR_CELL_RE.fullmatch(t)) is not None:
            row.pillar = int(m.group(1))
        elif SDG_CODE_LIKE.fullmatch(t):  # 11.99 too: checked against the UN list in extract()
            row.sdg_targets.append(t)
        else:
            break
        rest = rest[1:]
    if rest and _looks_like_unit(rest[-1].group()):
        row.unit = split_unit(rest[-1].group(), span)
        rest = rest[:-1]
    if rest and _nfkc(rest[-1].group()) in DIRECTIONS:
        row.direction = _nfkc(rest[-1].group())
        rest = rest[:-1]
    row.name = _raw_between(raw, rest)
    return row


def _looks_like_unit(token: str) -> bool:
    return bool(_UNIT_CELL_RE.search(token)) and len(token) >= 3


@dataclass
class _Table:
    rows: list[TableRow] = field(default_factory=list)
    pillars: dict[int, str] = field(default_factory=dict)
    headings: list[tuple[int, str, Span]] = field(default_factory=list)


def _parse_table(lines: tuple[str, ...], start: int, end: int, issues: _Issues) -> _Table:
    """Rows, measure headings and pillar legend of the project table; reconciles stray name cells."""
    table = _Table()
    measure: int | None = None
    orphans: list[list[int]] = []
    in_footnote = False
    row_at: dict[str, int] = {}  # project key -> index in table.rows
    for para in _paragraphs(lines, start + 1, end):
        text = "".join(_compact(lines[i]) for i in para)
        if text in TABLE_LEGENDS:
            continue
        for i in para:
            raw = lines[i].strip()
            span = Span.line(i + 1)
            if (m := _PILLAR_RE.match(raw)) is not None:
                table.pillars[_int(m.group(1))] = m.group(2)
                in_footnote = False
            elif (m := _MEASURE_HEAD_RE.match(raw)) is not None:
                measure = _int(m.group(1))
                table.headings.append((measure, m.group(2), span))
                in_footnote = False
            elif (row := parse_table_row(raw, i + 1)) is not None:
                row.measure = measure
                key = _project_key(measure, row.number)
                if key in row_at:
                    # a number printed twice: the last row is used, in the first one's place — applied
                    # here, so a table repeating a row a million times holds one row, not a million
                    issues.add("uncertain", f"{key}: the project table lists this number twice; the last row is used",
                               row.span, key)
                    table.rows[row_at[key]] = row
                else:
                    row_at[key] = len(table.rows)
                    table.rows.append(row)
                in_footnote = False
            elif raw.startswith(_FOOTNOTE_MARK) or in_footnote:
                in_footnote = True  # the legend's footnote and its wrapped lines
            elif _compact(raw) in TABLE_LEGENDS:
                continue
            elif orphans and orphans[-1][-1] == i - 1:
                orphans[-1].append(i)
            else:
                orphans.append([i])
        in_footnote = False
    _reconcile_table_names(lines, table.rows, orphans, issues)
    return table


def _reconcile_table_names(
    lines: tuple[str, ...], rows: list[TableRow], orphans: list[list[int]], issues: _Issues
) -> None:
    """Give stray name lines, in order, to rows printed without a name; report what is left over."""
    nameless = [r for r in rows if r.name is None]
    for row, orphan in zip(nameless, orphans):
        name = "".join(lines[i].strip() for i in orphan)
        row.name = name
        issues.add(
            "uncertain",
            f"project table: row {row.number} of measure {row.measure} was printed without a name; the "
            f"unattached line {name!r} (line {orphan[0] + 1}), printed after the table, was taken as its name "
            f"by position",
            row.span.merge(Span(orphan[0] + 1, orphan[-1] + 1)),
            _project_key(row.measure, row.number),
        )
    for row in nameless[len(orphans):]:
        issues.add("uncertain", f"project table: row {row.number} of measure {row.measure} has no name",
                   row.span, _project_key(row.measure, row.number))
    for orphan in orphans[len(nameless):]:
        text = "".join(lines[i].strip() for i in orphan)
        issues.add("dropped", f"project table: line {text!r} is not a row, heading or legend; not used",
                   Span(orphan[0] + 1, orphan[-1] + 1))


def _project_key(measure: int | None, number: int) -> str:
    return f"m{measure if measure is not None else 0}-p{number}"


# --- detail sheets ------------------------------------------------------------------------------------


@dataclass
class DetailBlock:
    """One project block of a detail page, with the text sections that belong to it."""

    number: int | None
    name: str | None
    span: Span
    measure: int | None = None
    legal_basis: Literal["statutory", "discretionary"] | None = None
    unit: Unit | None = None
    direction: str | None = None
    amount_rows: list[tuple[AmountCategory, list[str], Span]] = field(default_factory=list)
    stage_labels: list[Stage] = field(default_factory=list)
    item_years: list[int] = field(default_factory=list)
    item_rows: list[tuple[str | None, list[str], Span]] = field(default_factory=list)
    sections: dict[str, list[int]] = field(default_factory=dict)
    name_from_orphan: bool = False
    number_inferred: bool = False


@dataclass
class DetailPage:
    """One page of detail sheets: its project blocks, then one text-section group per block."""

    measure: int | None
    header: tuple[str, Span] | None = None
    blocks: list[DetailBlock] = field(default_factory=list)
    groups: list[dict[str, list[int]]] = field(default_factory=list)
    orphans: list[int] = field(default_factory=list)

    @property
    def in_texts(self) -> bool:
        return bool(self.groups)


def _match_heading(lines: tuple[str, ...], i: int, end: int) -> tuple[str, int] | None:
    """(section key, last line index) when a detail heading starts at line ``i``."""
    first = _compact(lines[i])
    if not first:
        return None
    for key, short, full in DETAIL_HEADINGS:
        if not full.startswith(first):
            continue
        acc, last, j, blanks = first, i, i + 1, 0
        while acc != full and j < end and blanks <= 2:
            c = _compact(lines[j])
            if not c:
                blanks += 1
            elif full.startswith(acc + c):
                acc, last, blanks = acc + c, j, 0
            else:
                break
            j += 1
        if len(acc) >= len(short) and full.startswith(acc):
            return key, last
    return None


def parse_detail_blocks(
    lines: tuple[str, ...], start: int, end: int, issues: _Issues | None = None
) -> list[DetailPage]:
    """Detail pages between ``start`` and ``end``: blocks, their text groups and stray lines."""
    issues = issues if issues is not None else _Issues()
    pages: list[DetailPage] = []
    page = DetailPage(None)
    pending_number: tuple[int, int] | None = None
    section: str | None = None
    i = start
    while i < end:
        raw = lines[i].strip()
        c = _compact(raw)
        if not c:
            i += 1
            continue
        heading = _match_heading(lines, i, end)
        head = _MEASURE_HEAD_RE.match(raw)
        if head is not None and _next_is_block(lines, i + 1, end):
            if page.blocks or page.groups or page.header:
                pages.append(page)
            page = DetailPage(_int(head.group(1)), (head.group(2), Span.line(i + 1)))
            section = None
        elif re.fullmatch(r"\d+", c) and _next_is_block(lines, i + 1, end):
            if page.in_texts:
                pages.append(page)
                page = DetailPage(None)
            pending_number = (int(c), i)
        elif _is_block_name_line(raw):
            if page.in_texts:
                pages.append(page)
                page = DetailPage(None)
            page.blocks.append(_block_from_name_line(raw, i, pending_number))
            pending_number, section = None, None
        elif heading is not None:
            key, last = heading
            if key == "overview":
                page.groups.append({})
            if page.groups:
                section = key
                page.groups[-1].setdefault(key, [])
            else:
                issues.add("dropped", f"detail sheet: heading {c!r} before any 概要 section; ignored",
                           Span.line(i + 1))
            i = last + 1
            continue
        elif page.in_texts and section is not None:
            page.groups[-1][section].append(i)
        elif page.blocks and not page.in_texts:
            _block_zone_line(page, raw, i)
        else:
            page.orphans.append(i)
        i += 1
    if page.blocks or page.groups or page.header:
        pages.append(page)
    return pages


def _next_is_block(lines: tuple[str, ...], i: int, end: int) -> bool:
    """True when the next non-blank line from ``i`` on is a block's 事業名 line (or a number then one)."""
    j = _next_nonblank(lines, i, end)
    if j is None:
        return False
    if _is_block_name_line(lines[j]):
        return True
    if re.fullmatch(r"\d+", _compact(lines[j])):
        k = _next_nonblank(lines, j + 1, end)
        return k is not None and _is_block_name_line(lines[k])
    return False


def _block_from_name_line(raw: str, i: int, pending: tuple[int, int] | None) -> DetailBlock:
    """A block from its ``事業名 <name> [法定／自主] <法定|自主>`` line."""
    rest_raw = _after_label(raw, _LABELS["block_name"])
    tokens = _tokens(rest_raw)
    legal = None
    if tokens and _nfkc(tokens[-1].group()) in LEGAL_BASIS:
        legal = LEGAL_BASIS[_nfkc(tokens[-1].group())]
        tokens = tokens[:-1]
    if tokens and _compact(tokens[-1].group()) in LEGAL_BASIS_LABELS:
        tokens = tokens[:-1]
    span = Span.line(i + 1) if pending is None else Span(pending[1] + 1, i + 1)
    number = pending[0] if pending is not None else None
    return DetailBlock(number, _raw_between(rest_raw, tokens), span, legal_basis=legal)


def _block_zone_line(page: DetailPage, raw: str, i: int) -> None:
    """A line between a page's block headers and its first 概要: a block field, or a stray line."""
    block = page.blocks[-1]
    c = _compact(raw)
    span = Span.line(i + 1)
    tokens = [t.group() for t in _tokens(raw)]
    label = _nfkc(tokens[0]) if tokens else ""
    if c.startswith(_LABELS["block_unit"]):
        body = _after_label(raw, _LABELS["block_unit"])
        unit_text, _, direction = body.partition(_LABELS["block_direction"])
        block.unit = split_unit(unit_text, span)
        block.direction = direction.strip() or None
    elif label in AMOUNT_ROWS and all(_is_value_cell(t) for t in tokens[1:]):
        block.amount_rows.append((AMOUNT_ROWS[label], tokens[1:], span))
    elif c == "".join(STAGE_LABELS) or (tokens and all(t in STAGE_LABELS for t in tokens)):
        block.stage_labels = [STAGE_LABELS[t] for t in tokens if t in STAGE_LABELS]
    elif c.startswith(_LABELS["item_years"]):
        block.item_years = era_years(_after_label(raw, _LABELS["item_years"]))
    elif block.item_years and (row := _item_row(raw, len(block.item_years))) is not None:
        block.item_rows.append((row[0], row[1], span))
    elif c in LEGAL_BASIS_LABELS:
        pass  # the column label of the legal-basis cell, printed away from it
    else:
        page.orphans.append(i)


def _item_row(raw: str, width: int) -> tuple[str | None, list[str]] | None:
    """``<label> v v v v v`` (label possibly missing) of a logic-model indicator table."""
    tokens = _tokens(raw)
    if len(tokens) < width:
        return None
    cells = tokens[-width:]
    if not all(_is_value_cell(t.group()) for t in cells):
        return None
    label_tokens = tokens[:-width]
    return _raw_between(raw, label_tokens), [t.group() for t in cells]


# --- detail sheets → projects -------------------------------------------------------------------------


@dataclass
class _FinanceColumns:
    columns: list[tuple[int, AmountStatus | None, str]]  # (fiscal year, status, printed label)
    unit: str = _FINANCE_DEFAULT_UNIT


def _finance_columns(lines: tuple[str, ...], page: DetailPage) -> _FinanceColumns | None:
    """The budget table's column years/statuses and unit, read from the page's 財務内容 sections."""
    for group in page.groups:
        body = group.get("finance", [])
        if not body:
            continue
        unit = _FINANCE_DEFAULT_UNIT
        columns: list[tuple[int, AmountStatus | None, str]] = []
        k = 0
        while k < len(body):
            c = _compact(lines[body[k]])
            if (m := _FINANCE_UNIT_RE.search(c)) is not None:
                unit = m.group(1)
            elif era_years(c):
                label = c
                status_m = _STATUS_RE.search(c)
                if status_m is None and k + 1 < len(body):
                    status_m = _STATUS_RE.search(_compact(lines[body[k + 1]]))
                    if status_m is not None:
                        label += _compact(lines[body[k + 1]])
                        k += 1
                status = AMOUNT_STATUS.get(status_m.group(1)) if status_m else None
                columns.append((era_to_year(c), status, label))
            k += 1
        if columns:
            return _FinanceColumns(columns, unit)
    return None


def _assign_numbers(pages: list[DetailPage], issues: _Issues) -> None:
    """Measure and number of every block: a block without a number follows the previous one."""
    measure: int | None = None
    last = 0
    for page in pages:
        if page.measure is not None and page.measure != measure:
            measure, last = page.measure, 0
        page.measure = measure
        for block in page.blocks:
            block.measure = measure
            if block.number is None:
                block.number = last + 1
                block.number_inferred = True
                issues.add(
                    "uncertain",
                    f"detail sheet: the block at line {block.span.start} lost its number; it follows block "
                    f"{last} of measure {measure} and was numbered {block.number}",
                    block.span, _project_key(measure, block.number),
                )
            last = block.number


def _attach_groups(lines: tuple[str, ...], pages: list[DetailPage], issues: _Issues) -> None:
    """Give each block of a page the text sections printed for it (in the same order)."""
    for page in pages:
        for block, group in zip(page.blocks, page.groups):
            block.sections = group
        if len(page.blocks) != len(page.groups):
            span = page.blocks[0].span if page.blocks else None
            issues.add(
                "uncertain",
                f"detail page with {len(page.blocks)} project block(s) has {len(page.groups)} 概要 section(s); "
                f"text sections were matched to blocks in order and the rest left unattached",
                span,
            )
        _reconcile_block_names(lines, page, issues)


def _reconcile_block_names(lines: tuple[str, ...], page: DetailPage, issues: _Issues) -> None:
    """Stray lines of a page's block zone: names of nameless blocks, in order; report the rest."""
    strays: list[int] = []
    for i in page.orphans:
        raw = lines[i].strip()
        if is_no_value(raw):
            # A "no value" mark carries no data, so leaving it unattached loses nothing.
            issues.add("info", f"detail sheet: a lone {raw!r} (no value) cell could not be attached to any "
                       f"field; it is ignored", Span.line(i + 1))
        else:
            strays.append(i)
    nameless = [b for b in page.blocks if b.name is None]
    for block, i in zip(nameless, strays):
        block.name, block.name_from_orphan = lines[i].strip(), True
        issues.add(
            "uncertain",
            f"detail sheet: block {block.number} of measure {block.measure} has an empty 事業名; the stray "
            f"line {lines[i].strip()!r} (line {i + 1}) on the same page was taken as its name by position",
            block.span.merge(Span.line(i + 1)), _project_key(block.measure, block.number or 0),
        )
    for i in strays[len(nameless):]:
        issues.add("dropped", f"detail sheet: line not understood and not used: {lines[i].strip()!r}",
                   Span.line(i + 1))


# --- assembling projects --------------------------------------------------------------------------------


def _project_from_row(row: TableRow) -> Project:
    return Project(
        _project_key(row.measure, row.number), str(row.number), row.name, row.span,
        parents=[f"m{row.measure}"] if row.measure is not None else [], sdg_targets=list(row.sdg_targets),
        pillar=row.pillar, priority=row.priority, direction=row.direction, unit=row.unit,
    )


def _merge_block(project: Project, block: DetailBlock, issues: _Issues) -> None:
    """Fill ``project`` (from the table) with its detail block; report every disagreement."""
    key = project.key
    if block.name is None and project.name is not None:
        issues.add("uncertain", f"{key}: 事業名 is empty on the detail sheet; the table's name is used",
                   block.span, key)
    elif block.name is not None and project.name is None:
        project.name = block.name
        issues.add("uncertain", f"{key}: the table row has no name; the detail sheet's name is used",
                   block.span, key)
    elif block.name is not None and project.name is not None and _compact(block.name) != _compact(project.name):
        project.alt_names.append(block.name)
        issues.add("uncertain", f"{key}: name differs between the table ({project.name!r}) and the detail "
                   f"sheet ({block.name!r}); the table's is used", block.span, key)
    elif block.name is None and project.name is None:
        issues.add("uncertain", f"{key}: no name printed in the table or on the detail sheet", block.span, key)
    project.legal_basis = block.legal_basis
    if block.legal_basis is None:
        issues.add("uncertain", f"{key}: no 法定/自主 value on the detail sheet", block.span, key)
    if project.unit is None:
        project.unit = block.unit
    elif block.unit is not None and _unit_key(block.unit) != _unit_key(project.unit):
        issues.add("uncertain", f"{key}: responsible unit differs between table and detail sheet", block.span,
                   key)
    if project.direction is None:
        project.direction = block.direction
    elif block.direction is not None and block.direction != project.direction:
        issues.add("uncertain", f"{key}: 次年度方針 differs: table {project.direction}, sheet "
                   f"{block.direction}; the table's is used", block.span, key)


def _amounts(
    block: DetailBlock, finance: _FinanceColumns | None, key: str, issues: _Issues
) -> list[Amount]:
    out: list[Amount] = []
    if finance is None:
        if block.amount_rows:
            issues.add("dropped", f"{key}: budget rows found but no 財務内容 year columns on the page",
                       block.span, key)
        return out
    factor = AMOUNT_UNITS.get(finance.unit)
    if factor is None:
        issues.add("dropped", f"{key}: unknown budget unit {finance.unit!r}; amounts not used", block.span, key)
        return out
    for category, cells, span in block.amount_rows:
        if len(cells) != len(finance.columns):
            issues.add("uncertain", f"{key}: {category} row has {len(cells)} cells for "
                       f"{len(finance.columns)} year columns; mapped left to right", span, key)
        for cell, (year, status, _label) in zip(cells, finance.columns):
            if is_no_value(cell):
                issues.add("info", f"{key}: {category} for {year} printed as {cell!r} (no value)", span, key)
                continue
            try:
                jpy = thousand_yen(cell) if factor == 1000 else int(parse_number(cell) * factor)
            except NumberFormatError:
                issues.add("dropped", f"{key}: {category} cell {cell!r} is not a number", span, key)
                continue
            out.append(Amount(category, jpy, f"{cell}{finance.unit}", span, fiscal_year=year, status=status))
    for category in AMOUNT_ROWS.values():
        if not any(row[0] == category for row in block.amount_rows):
            issues.add("uncertain", f"{key}: no {category} row on the detail sheet", block.span, key)
    return out


def _logic_model(lines: tuple[str, ...], block: DetailBlock, stages: list[Stage], key: str,
                 issues: _Issues) -> list[LogicStage]:
    body = block.sections.get("logic")
    if not body:
        return []
    paragraphs = _group_adjacent(lines, body)
    order = stages or list(DEFAULT_STAGES)
    if len(paragraphs) != len(order):
        issues.add("uncertain", f"{key}: logic model has {len(paragraphs)} statements for {len(order)} "
                   f"stages; matched in order", Span(body[0] + 1, body[-1] + 1), key)
    return [
        LogicStage(step, stage, _join_wrapped(lines[i] for i in para), Span(para[0] + 1, para[-1] + 1))
        for step, (stage, para) in enumerate(zip(order, paragraphs), start=1)
    ]


def _group_adjacent(lines: tuple[str, ...], indices: list[int]) -> list[list[int]]:
    """Split line indices into paragraphs: a gap (blank line) between two indices starts a new one."""
    out: list[list[int]] = []
    for i in indices:
        if out and all(not lines[j].strip() for j in range(out[-1][-1] + 1, i)) and out[-1][-1] == i - 1:
            out[-1].append(i)
        else:
            out.append([i])
    return out


def _outcome_indicators(lines: tuple[str, ...], block: DetailBlock, key: str, issues: _Issues) -> list[Indicator]:
    """Indicators of the logic-model table; unlabelled rows take the labels printed after 成果の推移."""
    labels = [_join_wrapped(lines[i] for i in p) for p in _group_adjacent(lines, block.sections.get("trend", []))]
    label_spans = [Span(p[0] + 1, p[-1] + 1) for p in _group_adjacent(lines, block.sections.get("trend", []))]
    out: list[Indicator] = []
    free = 0
    for n, (label, cells, span) in enumerate(block.item_rows, start=1):
        if label is None:
            if free >= len(labels):
                issues.add("dropped", f"{key}: indicator row {cells} has no label; not used", span, key)
                continue
            label = labels[free]
            issues.add("uncertain", f"{key}: indicator row {cells} was printed without its label; the label "
                       f"{label!r} printed after 成果の推移 was attached by position",
                       span.merge(label_spans[free]), key)
            free += 1
        name, unit = _name_and_unit(label)
        ind_key = f"{key}-out-{n}"
        values = [_indicator_value("actual", cell, year, span, issues, ind_key)
                  for cell, year in zip(cells, block.item_years)]
        out.append(Indicator(ind_key, name, "outcome", span, unit=unit, values=values))
    for label, lspan in zip(labels[free:], label_spans[free:]):
        issues.add("dropped", f"{key}: label {label!r} after 成果の推移 matches no indicator row", lspan, key)
    return out


def _name_and_unit(label: str) -> tuple[str, str | None]:
    m = _UNIT_PAREN_RE.match(label.strip())
    if m and m.group("name").strip():
        return m.group("name").strip(), m.group("unit")
    return label.strip(), None


def _partners(lines: tuple[str, ...], block: DetailBlock) -> list[Organisation]:
    """Organisations named in the block's overview, progress and verification text."""
    out: list[Organisation] = []
    seen: set[str] = set()
    for section in ("overview", "progress", "verify"):
        for name, span in _organisations_in(lines, block.sections.get(section, [])):
            norm = normalise_org_name(name)
            if norm not in seen:
                seen.add(norm)
                out.append(Organisation(name, "partner", span))
    return out


#: Lines of a paragraph searched for names at once; longer ones (a hostile file repeating a line a
#: million times) are read in windows overlapping by two lines, so memory stays bounded.
_NAME_WINDOW = 400


def _organisations_in(
    lines: tuple[str, ...], indices: list[int],
    finder: Callable[[str], list[tuple[str, int]]] = find_organisations,
) -> list[tuple[str, Span]]:
    """Names ``finder`` finds in wrapped lines (joined, so a name broken over two lines is found)."""
    if len(indices) > _NAME_WINDOW:  # no real paragraph is this long: read it in overlapping windows
        out, seen = [], set()
        for at in range(0, len(indices), _NAME_WINDOW - 2):
            for found in _organisations_in(lines, indices[at:at + _NAME_WINDOW], finder):
                if found not in seen:
                    seen.add(found)
                    out.append(found)
        return out
    # where each line starts in the joined text: an array and a binary search, so a paragraph of a
    # million lines costs 8 bytes a line and a found name a lookup, not a scan of every line
    parts: list[str] = []
    starts = array("q")
    length = 0
    for i in indices:
        t = lines[i].strip()
        if length and t.startswith(_LINE_MARKS):
            parts.append("\n")
            length += 1
        starts.append(length)
        parts.append(t)
        length += len(t)
    text = "".join(parts)
    out = []
    for name, offset in finder(text):
        first = indices[bisect_right(starts, offset) - 1]
        last = indices[bisect_right(starts, offset + len(name) - 1) - 1]
        out.append((name, Span(first + 1, last + 1)))
    return out


# --- public entry points ------------------------------------------------------------------------------


def looks_like_evaluation_sheet(src: SourceText) -> bool:
    """Cheap structural test: a policy field or measures, and a project table or project blocks."""
    has_field = has_measure = has_table = has_name = has_cost = False
    for raw in src.lines:
        c = _compact(raw)
        if not c:
            continue
        has_field = has_field or bool(_FIELD_START_RE.match(c))
        has_measure = has_measure or bool(_MEASURE_START_RE.match(c))
        has_table = has_table or SECTIONS["table"] in c
        has_name = has_name or (c.startswith(_LABELS["block_name"]) and len(c) > len(_LABELS["block_name"]))
        has_cost = has_cost or bool(_COST_ROW_RE.match(c))
    return (has_field or has_measure) and (has_table or (has_name and has_cost))


def parse_evaluation_sheet(src: SourceText) -> DocumentRecord:
    """Extract a city's evaluation sheet of one policy field into a ``DocumentRecord``."""
    record = DocumentRecord(src.doc_id, src.file_name, LAYOUT, src.content_hash, len(src.lines))
    if not looks_like_evaluation_sheet(src):
        raise ExtractionError(src.file_name, "not an evaluation sheet: no 政策分野/施策 heading together with a "
                              "project table (事務事業一覧) or project blocks (事業名 … 事業費)", 1)
    issues = _Issues()
    state = _Parse(src.lines, record, issues)
    for step in (state.step_header, state.step_progress, state.step_evaluation, state.step_related,
                 state.step_table, state.step_details, state.step_assemble):
        _guarded(step, issues)
    record.issues = issues.items
    if not record.projects and not record.elements:
        raise ExtractionError(src.file_name, "evaluation-sheet layout recognised but nothing could be extracted",
                              1)
    return record


def _guarded(step: Callable[[], None], issues: _Issues) -> None:
    """Run one extraction step; an unexpected failure becomes an ``error`` issue, not a crash."""
    try:
        step()
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - the extractor must not crash on odd input (see module doc)
        issues.add("error", f"internal error in step {getattr(step, '__name__', step)}: "
                   f"{type(exc).__name__}: {exc}")


class _Parse:
    """The steps of :func:`parse_evaluation_sheet`, sharing the document and partial results."""

    def __init__(self, lines: tuple[str, ...], record: DocumentRecord, issues: _Issues) -> None:
        self.lines, self.record, self.issues = lines, record, issues
        self.regions = _find_regions(lines)
        self.head = _Header()
        self.hierarchy = _Hierarchy()
        self.kpis: list[Indicator] = []
        self.table = _Table()
        self.pages: list[DetailPage] = []

    def step_header(self) -> None:
        self.head = _parse_header(self.lines, self.regions.first_section)

    def step_progress(self) -> None:
        lines, regions = self.lines, self.regions
        pre_end = min(v for k, v in list(regions.sections.items()) + [("", regions.detail_start)]
                      if k != "progress")
        self.hierarchy = h = _parse_hierarchy(lines, pre_end)
        start = regions.start("progress")
        kpi_end = min(x for x in (h.field_line, h.sdg_line, pre_end) if x is not None)
        if start is not None:
            goal_line = h.goal.span.start - 1 if h.goal else None
            kpi_end = min(x for x in (goal_line, kpi_end) if x is not None)
            self.kpis = _parse_kpis(lines, start + 1, kpi_end, self.issues)
        anchor = h.sdg_line if h.sdg_line is not None else h.field_line
        if anchor is not None:
            measures = [self.head.measures[n] for n in sorted(self.head.measures)]
            _parse_contents_and_baselines(lines, anchor + 1, pre_end, measures, self.kpis, self.issues)

    def step_evaluation(self) -> None:
        start = self.regions.start("evaluation")
        if start is None:
            return
        for i in range(start + 1, self.regions.end_of("evaluation")):
            m = _MEASURE_HEAD_RE.match(self.lines[i].strip())
            if m:
                self._measure(_int(m.group(1)), m.group(2), Span.line(i + 1))

    def step_related(self) -> None:
        start = self.regions.start("related")
        if start is not None:
            end = self.regions.end_of("related")
            self.record.related_projects = _parse_related(self.lines, start, end, self.issues)

    def step_table(self) -> None:
        start = self.regions.start("table")
        if start is None:
            self.issues.add("uncertain", f"no project table ({SECTIONS['table']}) found")
            return
        self.table = _parse_table(self.lines, start, self.regions.detail_start, self.issues)
        if not self.table.rows:
            # a table heading with no rows is a cut or garbled document, not a field without projects
            self.issues.add("uncertain", f"the project table ({SECTIONS['table']}) lists no projects",
                            Span.line(start + 1))
        for measure, name, span in self.table.headings:
            self._measure(measure, name, span)
        self.record.strategy_pillars = dict(self.table.pillars)

    def step_details(self) -> None:
        self.pages = parse_detail_blocks(self.lines, self.regions.detail_start, len(self.lines), self.issues)
        _assign_numbers(self.pages, self.issues)
        for page in self.pages:
            if page.header is not None and page.measure is not None:
                self._measure(page.measure, page.header[0], page.header[1])
        _attach_groups(self.lines, self.pages, self.issues)

    def _measure(self, number: int, name: str, span: Span) -> None:
        measure = self.head.measures.get(number)
        if measure is None:
            self.head.measures[number] = _Measure(number, name.strip(), span)
        else:
            measure.add_name(name)

    def step_assemble(self) -> None:
        record, issues, lines = self.record, self.issues, self.lines
        self._elements()
        record.indicators = self.kpis
        field_key = next((e.key for e in record.elements if e.level == "policy_field"), None)
        for kpi in self.kpis:
            if field_key is not None:
                record.indicator_owners[kpi.key] = field_key
        projects: dict[str, Project] = {}
        for row in self.table.rows:
            key = _project_key(row.measure, row.number)
            if key in projects:
                issues.add("uncertain", f"{key}: the project table lists this number twice; the last row is used",
                           row.span, key)
            projects[key] = _project_from_row(row)
        finance: _FinanceColumns | None = None
        seen: set[str] = set()
        for page in self.pages:
            page_finance = _finance_columns(lines, page)
            if page_finance is None and finance is not None and page.blocks:
                issues.add("uncertain", "detail page without 財務内容 year columns; the previous page's are used",
                           page.blocks[0].span)
            finance = page_finance or finance
            stages = next((b.stage_labels for b in page.blocks if b.stage_labels), [])
            for block in page.blocks:
                key = _project_key(block.measure, block.number or 0)
                project = projects.get(key)
                if project is None:
                    project = _project_from_block(block)
                    projects[key] = project
                    issues.add("uncertain", f"{key}: detail sheet for a project not in the table", block.span, key)
                if key in seen:
                    issues.add("uncertain", f"{key}: a second detail block for the same project", block.span, key)
                seen.add(key)
                _merge_block(project, block, issues)
                project.description = _join_wrapped(lines[i] for i in block.sections.get("overview", [])) or None
                project.amounts.extend(_amounts(block, finance, key, issues))
                project.logic_model = _logic_model(lines, block, stages, key, issues)
                project.indicators = _outcome_indicators(lines, block, key, issues)
                project.partners = _partners(lines, block)
                if record.fiscal_year is None and finance is not None:
                    record.fiscal_year = next((y for y, s, _ in finance.columns if s == "budget"), None)
        for key, project in projects.items():
            if key not in seen:
                issues.add("uncertain", f"{key}: listed in the table but no detail sheet was found", project.span,
                           key)
        record.projects = sorted(projects.values(), key=_project_order)
        self._document_level()

    def _elements(self) -> None:
        record, h = self.record, self.hierarchy
        for element in (h.goal, h.policy):
            if element is not None:
                record.elements.append(element)
        if h.field_element is not None:
            fe = h.field_element
            fe.parent = h.policy.key if h.policy else None
            fe.vision, fe.unit = self.head.vision, self.head.unit
            record.elements.append(fe)
            record.title = f"{_LABELS['field']}{fe.number} {fe.name}"
        else:
            self.issues.add("uncertain", "no 政策分野N line found: measures have no parent field")
        if h.goal is None:
            self.issues.add("uncertain", "no 政策目標N．…/政策N．… line found: the field has no parent policy")
        for n in sorted(self.head.measures):
            m = self.head.measures[n]
            record.elements.append(PolicyElement(
                f"m{n}", "measure", m.name, m.span, number=str(n),
                parent=h.field_element.key if h.field_element else None, alt_names=list(m.alt_names),
                description=m.description,
            ))

    def _document_level(self) -> None:
        record = self.record
        record.publisher = find_publisher(self.lines)
        units: dict[str, Unit] = {}
        candidates = [self.head.unit] + [r.unit for r in record.related_projects] + [p.unit for p in record.projects]
        for unit in candidates:
            if unit is not None:
                units.setdefault(_unit_key(unit), unit)
        record.units = list(units.values())
        orgs: dict[str, Organisation] = {}
        if record.publisher:
            orgs[normalise_org_name(record.publisher)] = Organisation(record.publisher, "publisher", Span.line(1))
        for p in record.projects:
            for o in p.partners:
                orgs.setdefault(normalise_org_name(o.name), o)
        for para in _paragraphs(self.lines, 0, len(self.lines)):
            for name, span in _organisations_in(self.lines, para, find_organisations):
                orgs.setdefault(normalise_org_name(name), Organisation(name, "participant", span))
            for name, span in _organisations_in(self.lines, para, lambda t: find_places(t, standalone=True)):
                if name != record.publisher:
                    orgs.setdefault(normalise_org_name(name), Organisation(name, "participant", span))
        record.organisations = list(orgs.values())


def _project_from_block(block: DetailBlock) -> Project:
    key = _project_key(block.measure, block.number or 0)
    return Project(key, str(block.number), block.name, block.span,
                   parents=[f"m{block.measure}"] if block.measure is not None else [])


def _project_order(p: Project) -> tuple[int, int]:
    m = re.match(r"m(\d+)-p(\d+)$", p.key)
    return (int(m.group(1)), int(m.group(2))) if m else (10**6, 0)
