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

This module holds the profile's entry points and the order of its steps; each part is read by a
module of ``extract/profiles/evaluation_sheet/`` (``regions``, ``header``, ``kpis``, ``table``,
``details``, ``projects``, ``partners``), and the layout's words are
``extract/profiles/evaluation_sheet.yaml`` (``words``).
"""

from __future__ import annotations

from collections.abc import Callable

from policy_kg.extract.organisations import find_organisations, find_places, find_publisher, normalise_org_name
from policy_kg.extract.profiles.evaluation_sheet.details import (
    DetailBlock,
    DetailPage,
    _assign_numbers,
    _attach_groups,
    parse_detail_blocks,
)
from policy_kg.extract.profiles.evaluation_sheet.header import (
    _Header,
    _Hierarchy,
    _Measure,
    _parse_header,
    _parse_hierarchy,
)
from policy_kg.extract.profiles.evaluation_sheet.kpis import _parse_contents_and_baselines, _parse_kpis
from policy_kg.extract.profiles.evaluation_sheet.partners import _organisations_in, _partners
from policy_kg.extract.profiles.evaluation_sheet.projects import (
    _amounts,
    _finance_columns,
    _FinanceColumns,
    _logic_model,
    _merge_block,
    _outcome_indicators,
    _project_from_block,
    _project_from_row,
    _project_order,
)
from policy_kg.extract.profiles.evaluation_sheet.regions import _find_regions
from policy_kg.extract.profiles.evaluation_sheet.table import (
    TableRow,
    _parse_related,
    _parse_table,
    _Table,
    parse_table_row,
)
from policy_kg.extract.profiles.evaluation_sheet.text import (
    _compact,
    _int,
    _Issues,
    _join_wrapped,
    _paragraphs,
    _project_key,
    _unit_key,
    split_unit,
)
from policy_kg.extract.profiles.evaluation_sheet.words import (
    _COST_ROW_RE,
    _FIELD_START_RE,
    _LABELS,
    _MEASURE_HEAD_RE,
    _MEASURE_START_RE,
    DIRECTIONS,
    LAYOUT,
    SECTIONS,
)
from policy_kg.extract.records import DocumentRecord, Indicator, Organisation, PolicyElement, Project, Span, Unit
from policy_kg.extract.source import ExtractionError, SourceText

__all__ = [
    "LAYOUT", "DIRECTIONS", "TableRow", "DetailBlock", "DetailPage", "looks_like_evaluation_sheet",
    "parse_evaluation_sheet", "parse_table_row", "parse_detail_blocks", "split_unit",
]


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
