"""The engine's reader: any policy document → a ``DocumentRecord``, from the shared recognisers.

Steps: normalise the text (``normalize``), decide the document's kind (``kinds``), then run the
recognisers (``names``, ``money``, ``indicators``) over the token stream and give each fact an
owner: the one project of a one-project sheet; in a list, the project printed before the fact
(by position, so marked uncertain); the document itself when no project precedes it. A template
yields no facts and says so.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from policy_kg.extract.engine import columns, money, names
from policy_kg.extract.engine import indicator_tables as tables_of
from policy_kg.extract.engine import indicators as ind
from policy_kg.extract.engine import labelled_values as labelled_of
from policy_kg.extract.engine.kinds import Kind, classify
from policy_kg.extract.engine.normalize import Line, Token, cells_by_line, logical_lines, tokens
from policy_kg.extract.engine.owners import Owners, section_breaks, sheet_sections
from policy_kg.extract.engine.project_rows import (
    PROJECT_CODE,
    ProjectRow,
    money_column_cells,
    project_rows,
    relative_budget,
)
from policy_kg.extract.engine.publisher import find_publisher
from policy_kg.extract.engine.result_lists import listed_results
from policy_kg.extract.engine.table_headers import NOT_KEPT, header_column
from policy_kg.extract.engine.unread import unread_values
from policy_kg.extract.engine.vocabulary import Vocabulary, label_text, vocabulary
from policy_kg.extract.engine.years import YearColumn, document_era, year_column, year_headers
from policy_kg.extract.numbers import NumberFormatError, fiscal_years, parse_number
from policy_kg.extract.records import (
    DOCUMENT_OWNER,
    Amount,
    DocumentRecord,
    ExtractionIssue,
    FundingSource,
    Indicator,
    IndicatorValue,
    PolicyElement,
    Project,
    Span,
    Unit,
)
from policy_kg.extract.source import SourceText, UnknownLayout

MULTI_PROJECT_KINDS = ("measure_evaluation", "business_plan", "kpi_review", "budget_summary")


def read_document(src: SourceText, *, vocab: Vocabulary | None = None) -> DocumentRecord:
    """Read ``src`` with the engine; ``UnknownLayout`` when nothing shows it is a policy document."""
    vocab = vocab or vocabulary()
    lines = logical_lines(src)
    kind = classify(lines, vocab)
    if kind is None:
        raise UnknownLayout(
            src.file_name,
            "no known layout: expected an evaluation sheet, a list of evaluated projects, a business plan, "
            "a KPI review or a budget summary (none of their labels or titles was found)",
            line=1,
        )
    record = DocumentRecord(
        doc_id=src.doc_id,
        file_name=src.file_name,
        layout="engine",
        content_hash=src.content_hash,
        line_count=len(src.lines),
        title=_title(lines, kind, vocab),
        fiscal_year=_fiscal_year([t for t in [_title(lines, kind, vocab)] if t] + [
            line.text for line in lines[:3] if kind.name != "kpi_review" or not _VALUE_LABEL.search(line.text)],
            headers_too=False),
        # (a KPI review's 基準値 0件(R2) is a value's year, not the review's)
        kind=kind.name,
        kind_confidence=kind.confidence,
        evidence=list(kind.evidence),
    )
    publisher = find_publisher(lines, vocab)
    if publisher is not None:
        record.publisher, record.publisher_code = publisher.name, publisher.code
    if kind.name == "template":
        record.issues.append(ExtractionIssue(
            "info", f"a template (a blank form or a guide to one): no facts extracted; evidence "
                    f"{', '.join(kind.evidence[:6])}", Span(1, max(1, len(src.lines)))))
        return record
    _read_facts(record, lines, kind, vocab)
    return record


_VALUE_LABEL = re.compile(r"(?:基準|目標|実績|現状|現況)値")
_YEAR = r"(?:令和|平成|昭和|[RHS])?\s?(?:\d{1,4}|元)\s?(?:年度|年)?"
_PERIOD = re.compile(rf"{_YEAR}\s?[～~〜]\s?{_YEAR}")


def _title(lines: list[Line], kind: Kind, vocab: Vocabulary) -> str | None:
    """The line that names the document: the first early line holding a title word of its kind (web
    dumps open with navigation text: ページの先頭です, 検索結果がありません), else the first line."""
    evidence = vocab.template if kind.name == "template" else vocab.kinds.get(kind.name)
    words = evidence.title if evidence else ()
    for line in lines[:15]:
        if any(w in line.text for w in words):
            return line.text[:120]
    return lines[0].text[:120] if lines else None


def _fiscal_year(texts: list[str], *, headers_too: bool = True) -> int | None:
    """The first fiscal year of the title (or of the first lines), with its era or Gregorian (施策評価シート
    (2024年度)): the year the document is about. Without ``headers_too``, a line of consecutive years after
    the first text (事業名 担当課 令和2年度 令和3年度: a table's header) gives none."""
    for k, text in enumerate(texts):
        try:
            years = fiscal_years(_PERIOD.sub(" ", text))  # (令和4年度～令和8年度): a plan's period, not its year
        except (NumberFormatError, KeyError):
            years = []
        if len(years) > 1 and k and not headers_too and all(b == a + 1 for a, b in zip(years, years[1:])):
            continue  # 令和2年度 令和3年度 令和4年度: a header's years (令和5年度(令和4年度実績) names the document's)
        if years:
            return years[0]
    return None


def _read_facts(record: DocumentRecord, lines: list[Line], kind: Kind, vocab: Vocabulary) -> None:
    toks = tokens(lines, vocab)
    found: Counter[str] = Counter()
    era = document_era([line.text for line in lines])
    tables, unpaired = columns.column_tables(lines, toks, vocab, era)

    # --- projects -------------------------------------------------------------------------
    rows = project_rows(lines, toks, vocab, era, headers_of_words=kind.name not in MULTI_PROJECT_KINDS)
    accounts = names.account_rows(lines, toks, vocab)  # 国民健康保険事業 9,215,400 under 会計名: an account
    if kind.name == "evaluation_sheet" and len(rows) >= 2:  # a table of several projects: a list, not one sheet
        kind = Kind("measure_evaluation", kind.confidence, (*kind.evidence, "body:table of projects"))
        record.kind, record.evidence = kind.name, list(kind.evidence)
    elif kind.name not in MULTI_PROJECT_KINDS:
        rows = []
    # a table's rows first: the same name read as a list item must not take the row's place
    facts = [names.NameFact(r.name.text, r.name.span, r.name.index, "table row", r.code) for r in rows]
    facts += names.labelled_projects(toks, vocab)
    if kind.name in MULTI_PROJECT_KINDS:
        facts += names.listed_projects(lines, toks, vocab, headings=kind.name == "business_plan")
        facts += names.enumerated_projects(lines, toks, vocab)
        facts += [names.NameFact(row.label.text, row.label.span, row.label.index, "table row")
                  for table in tables if table.side == "expenditure" for row in table.rows
                  if names.spending_line(row.label.text, vocab)]
        facts = [f for f in facts if f.how == "table row" or toks[f.token].line not in accounts]
    elif not facts:  # a one-project sheet whose name label lost its value: a name printed twice, else
        # the budget items it is made of (each one read: they are the only names the sheet prints)
        facts = names.repeated_projects(toks, vocab)[:1] or names.listed_projects(
            lines, toks, vocab, headings=False, budget_rows_only=True)
    else:
        facts = _sheets(facts)
    seen: set[str] = set()
    seen_at: dict[str, int] = {}  # each name read, and the line it starts on
    projects: list[tuple[int, Project]] = []
    named_only: set[str] = set()  # keys of projects only named (in prose, in a table): they own nothing by position
    by_label: dict[int, Project] = {}  # the name cell of a table's row -> the project it names
    by_key: dict[str, Project] = {}
    anchors: list[tuple[int, Project]] = []  # a project's section, where it is printed again as a heading
    for fact in facts:
        name, unit = names.bracketed_unit(fact.name, vocab)  # 防犯灯設置補助事業(担当:市民協働課)
        key_name = re.sub(r"\s", "", name)
        again = by_key.get(key_name)
        if again is not None and fact.how in ("listed", "heading") and fact.span.start != again.span.start:
            anchors.append((fact.token, again))  # (1)星空観察会事業 … after the plan's table: its section
        if key_name in seen or any(other.endswith(key_name) for other in seen) or any(
                key_name.endswith(other) and line == fact.span.start for other, line in seen_at.items()):
            continue  # printed again, the second line of a wrapped name already read whole, or its row's mark with it
        seen.add(key_name)
        seen_at[key_name] = fact.span.start
        n = len(projects) + 1
        project = Project(key=f"p{n}", number=fact.code or str(n), name=name, span=fact.span)
        if unit is not None:
            project.unit = _unit([names.NameFact(unit, fact.span, fact.token, "labelled")], vocab)
            found["department:bracketed"] += 1
        projects.append((fact.token, project))
        by_key[key_name] = project
        if fact.how in ("enumerated", "table row"):
            named_only.add(project.key)
        if fact.how == "table row":
            by_label[fact.token] = project
        found[f"project:{fact.how}"] += 1
    projects.sort(key=lambda tp: tp[0])
    record.projects = [p for _, p in projects]
    owners = Owners(sorted([(t, p) for t, p in projects if p.key not in named_only] + anchors, key=lambda tp: tp[0]),
                     sheet_sections(lines, toks, projects, vocab) if kind.name == "evaluation_sheet" else [],
                     tuple(t.line for t in toks),
                     section_breaks(lines, toks, [t for t, _ in projects] + [t for t, _ in anchors], vocab)
                     if kind.name in MULTI_PROJECT_KINDS else (),
                     one_owns_all=kind.name not in MULTI_PROJECT_KINDS)
    for row in rows:
        if row.direction is not None and row.name.index in by_label:  # a list's 今後の方向性 column
            by_label[row.name.index].direction = row.direction
            found["direction:table column"] += 1
        if row.unit is not None and row.name.index in by_label:
            by_label[row.name.index].unit = _unit([names.NameFact(row.unit.text, row.unit.span, row.unit.index,
                                                                  "table row")], vocab)
    if kind.name == "evaluation_sheet":
        if len(record.projects) == 1:
            _hierarchy(record, names.hierarchy(toks, vocab), record.projects, found)
            code = _labelled_code(toks, vocab)  # 事業番号 0412: the sheet's project's code
            if code is not None and record.projects[0].number == "1":
                record.projects[0].number = code
                found["project code:labelled"] += 1
        for start, end, project in owners.sections:  # a file of sheets: the levels above each sheet's project
            _hierarchy(record, names.hierarchy(toks, vocab, range(start, end)), [project], found)
        for direction, token in names.directions(toks, vocab):
            owner, _ = owners.of(token.index)
            if owner is not None and owner.direction is None:
                owner.direction = direction
                found["direction:labelled"] += 1

    # --- SDG targets (checked against the UN list in extract()) --------------------------
    for code, token in names.sdg_targets(toks, vocab):
        owner, _ = owners.of(token)
        if owner is not None and code not in owner.sdg_targets:
            owner.sdg_targets.append(code)
            found["sdg_target:labelled"] += 1

    # --- departments ----------------------------------------------------------------------
    depts = names.departments(toks, vocab)
    if depts:
        found["department:labelled"] += len(depts)
    if record.projects and depts:
        if len(record.projects) == 1:
            record.projects[0].unit = _unit(depts, vocab)
        elif owners.sections:  # each sheet's department labels are its project's
            for _, _, project in owners.sections:
                mine = [d for d in depts if owners.of(d.token)[0] is project]
                if mine:
                    project.unit = _unit(mine, vocab)
        else:
            for token, project in projects:
                after = [d for d in depts if d.token > token]
                nxt_project = min((t for t, _ in projects if t > token), default=None)
                if project.unit is None and after and (nxt_project is None or after[0].token < nxt_project):
                    project.unit = _unit([after[0]], vocab)

    # --- money ----------------------------------------------------------------------------
    inline, unclear = money.inline_amounts(lines, toks, vocab)
    row_of = {row.figure.index: _RowFigure(row.label.text, row.label.index, table.year, None)
              for table in tables for row in table.rows}
    row_of |= {cell.index: _RowFigure(label, r.name.index, _column_year(label, era, kind, record.fiscal_year, vocab),
                                      vocab.money_label(label))
               for r in rows for cell, label in r.figures}
    # indicator tables first: a row printing its unit (利用者数 人 1,200 …) is not money under a 千円 declaration
    indicator_kind = "kpi" if kind.name == "kpi_review" else "outcome"
    indicator_tables, partial_tables = tables_of.header_tables(lines, toks, vocab, era, indicator_kind)
    indicator_tables += _row_indicators(rows, vocab, era, indicator_kind)
    row_owner = {r.indicator.index: by_label[r.name.index] for r in rows  # each row's indicator is its project's
                 if r.indicator is not None and r.name.index in by_label}
    row_owner |= {cell.index: by_label[r.name.index] for r in rows for cell, _ in r.counts if r.name.index in by_label}
    cell_tables, partial_cells = tables_of.cell_per_line_tables(lines, toks, vocab, era, indicator_kind)
    indicator_tables += cell_tables
    partial_tables += partial_cells
    blocks, partial_blocks = tables_of.indicator_blocks(toks, vocab, era, indicator_kind)
    read_cells = frozenset(_value_cells(indicator_tables))
    indicator_tables += [f for f in blocks if not any(v.cell in read_cells for v in f.values)]
    partial_tables += partial_blocks
    read_cells = frozenset(_value_cells(indicator_tables))
    flat_tables, partial_flat = tables_of.flattened_tables(lines, toks, vocab, era, indicator_kind)
    indicator_tables += [f for f in flat_tables if not any(v.cell in read_cells for v in f.values)]  # read already
    partial_tables += partial_flat
    table_cells = frozenset(_value_cells(indicator_tables))
    inline = [f for f in inline if f.token not in table_cells]  # 観光消費額 45億円 under 基準値 …: a KPI's value
    headers = year_headers(toks, era, vocab.relative_years, record.fiscal_year) if kind.name in (
        "business_plan", "budget_summary") else year_headers(toks, era)  # 本年度予算額: the plan's year
    inline = money.inline_years(toks, inline, headers, vocab)
    inline = money.grid_inline(lines, toks, inline, vocab, era)
    row_cells = set(row_of)
    beside_sums: set[int] = set()
    if kind.name in MULTI_PROJECT_KINDS:  # a list's money column: its small sums are sums too
        small_sums, beside_sums = money_column_cells(toks, [(t, p.name or "") for t, p in projects], vocab)
        row_cells |= small_sums
    table_heads = {cell.index: r.header for r in rows for cell, _ in r.figures if r.header >= 0}
    line_start = {t.line: t.index for t in reversed(toks)}
    sections = tuple(sorted({line_start[toks[t].line] for t, p in projects if p.key not in named_only}))
    declared, unclear2 = money.declared_amounts(lines, toks, vocab, era, frozenset(row_cells), table_cells, headers,
                                                table_heads, accounts, sections if len(sections) > 1 else ())
    figures = sorted(inline + declared, key=lambda f: f.token)
    per_line = Counter(f.span.start for f in figures)
    budget_title = (kind.name == "budget_summary" and record.fiscal_year is not None
                    and any(w in (record.title or "") for w in vocab.budget_columns)
                    and not any(w in (record.title or "") for w in vocab.supplementary_words))
    account_title = record.fiscal_year is not None and any(w in (record.title or "") for w in vocab.account_titles)
    position_only = 0
    for k, fig in enumerate(figures):
        if fig.token in row_of:  # a table's row says whose figure it is
            owner, by_position = by_label.get(row_of[fig.token].name), False
            fig = figures[k] = _table_line(fig, row_of[fig.token], owner is not None)
        else:
            owner, by_position = owners.of(fig.token)
            if by_position and kind.name in MULTI_PROJECT_KINDS and _total_line(toks, fig.token, vocab):
                owner = None  # 計 1,970 2,139 after a list's rows: the list's total, not its last project's
        if owner is None and fig.label is None and _total_line(toks, fig.token, vocab):
            fig = figures[k] = replace(fig, label=_total_line(toks, fig.token, vocab))  # the document's 合計
        if (fig.fiscal_year is None and fig.category != "stated" and fig.label in vocab.budget_columns
                and record.fiscal_year and kind.name in ("business_plan", "budget_summary")):
            fig = replace(fig, fiscal_year=record.fiscal_year, status="budget")  # a plan's 予算額: its year's
        elif (account_title and fig.fiscal_year is None and fig.category == "total"
              and label_text(fig.label or "") in vocab.account_columns):
            fig = replace(fig, fiscal_year=record.fiscal_year)  # 平成30年度 主要施策の成果説明書: its 決算額 are 2018's
        elif (budget_title and owner is not None and fig.category == "stated" and fig.label is None
              and fig.fiscal_year is None and per_line[fig.span.start] == 1 and owner.span.start == fig.span.start):
            # ・こども医療費助成事業 3億2,100万円 in a summary of the year's budget: the one sum its line prints
            fig = replace(fig, category="total", fiscal_year=record.fiscal_year, status="budget")
            found["amount:budget summary line"] += 1
        category, funding = fig.category, ()
        if fig.funding:
            funding = (FundingSource(fig.funding, None, fig.funding, fig.span),)
        # a budget line needs its year: a row that maps onto no year column keeps its printed label,
        # and the amount itself is "stated" (kept as printed, never summed as a budget line)
        label = fig.label if category in ("stated", "grant_ceiling") else None
        if category not in ("stated", "grant_ceiling") and fig.fiscal_year is None:  # (a ceiling needs no year)
            label = fig.label
            category = "funding_share" if fig.funding else "stated"
        amount = Amount(category=category, jpy=fig.jpy, printed=fig.printed, span=fig.span,
                        fiscal_year=fig.fiscal_year, status=fig.status, funding=funding,
                        confidence=round(fig.confidence * (0.6 if by_position else 1), 2), label=label)
        found[f"amount:{fig.how.split(' (')[0]}"] += 1
        if owner is None:
            record.amounts.append(amount)
        else:
            owner.amounts.append(amount)
            position_only += by_position
    if position_only:
        record.issues.append(ExtractionIssue(
            "uncertain", f"{position_only} amounts were given to the project printed before them "
                         "(by position only; confidence lowered)", None))
    if record.amounts:
        record.issues.append(ExtractionIssue(
            "info", f"{len(record.amounts)} amounts are not tied to a project and are kept on the document",
            record.amounts[0].span))
    for u in unclear + unclear2:
        record.issues.append(ExtractionIssue("uncertain", f"figure {u.printed!r} not kept: {u.reason}", u.span))
    low = [f for f in figures if f.confidence < 0.9]
    if low:
        record.issues.append(ExtractionIssue(
            "uncertain", f"{len(low)} amounts take their unit from a declaration after them or from a column-unit "
                         f"cell (first: {low[0].printed!r}, {low[0].how})", low[0].span))

    # --- indicators -----------------------------------------------------------------------
    ifacts = ind.progress_statements(lines, toks)
    tables, unplaced = ind.year_tables(toks, vocab)
    tables = [f for f in tables if not any(v.cell in table_cells for v in f.values)]
    taken = {f.token for f in figures} | table_cells  # money cells are not indicator values
    labelled, short_rows, left_rows = ind.role_rows(toks, headers, vocab, taken, indicator_kind)
    taken |= _value_cells(tables + labelled)
    rows, partial = ind.year_rows(toks, headers, taken)
    partial += partial_tables + left_rows
    ifacts += tables + indicator_tables + labelled + rows + ind.target_bounds(lines, toks)
    taken |= _value_cells(rows)  # the tables' cells are in already
    ifacts += labelled_of.labelled_values(toks, vocab, era, taken)
    plan_role = "plan" if kind.name == "business_plan" else "unspecified"
    ifacts += labelled_of.leader_counts(lines, toks, vocab, plan_role)
    taken |= _value_cells(ifacts)
    ifacts += labelled_of.counted_items(toks, vocab, plan_role, taken, unlabelled=kind.name == "measure_evaluation",
                                        fiscal_year=record.fiscal_year)
    if kind.name == "measure_evaluation":  # a report's table of results: names and values in two columns
        taken |= _value_cells(ifacts) | {f.token for f in ifacts}  # and the names read
        ifacts += listed_results(toks, vocab, era, [t for t, _ in projects], taken, indicator_kind)
    if kind.name == "business_plan" and record.fiscal_year:  # a plan's planned values are for the plan's year
        ifacts = [replace(f, values=tuple(
            replace(v, fiscal_year=record.fiscal_year) if v.role in ("plan", "target") and v.fiscal_year is None else v
            for v in f.values)) for f in ifacts]
    ifacts = _once(ifacts)
    for k, fact in enumerate(ifacts, 1):
        indicator = Indicator(
            key=f"i{k}", name=fact.name, kind=fact.kind, span=fact.span, unit=fact.unit,
            values=[IndicatorValue(v.role, v.value, v.printed, v.span, v.fiscal_year, v.qualifier) for v in fact.values],
        )
        found[f"indicator:{fact.how}"] += 1
        owner, by_position = (row_owner[fact.token], False) if fact.token in row_owner else owners.of(fact.token)
        if owner is None:
            record.indicators.append(indicator)
            record.indicator_owners[indicator.key] = DOCUMENT_OWNER
        else:
            if by_position:
                indicator.confidence = 0.6
            owner.indicators.append(indicator)
    for u in unpaired:
        record.issues.append(ExtractionIssue("uncertain", f"table from {u.printed!r}: {u.reason}", u.span))
    for u in unplaced + short_rows:
        record.issues.append(ExtractionIssue("uncertain", f"indicator {u.printed!r}: {u.reason}; values not kept",
                                             u.span))
    for u in partial:
        record.issues.append(ExtractionIssue("uncertain", f"values from {u.printed!r}: {u.reason}", u.span))
    yearless = [(f, v) for f in ifacts for v in f.values if v.fiscal_year is None and v.role != "final_target"]
    if yearless:
        fact, value = yearless[0]
        record.issues.append(ExtractionIssue(
            "info", f"{len(yearless)} indicator values print no fiscal year and are kept without one "
                    f"(first: {fact.name!r} {value.printed!r})", value.span))
    taken |= _value_cells(ifacts)
    reported = [u.span for u in unclear + unclear2 + partial + unplaced + short_rows]  # their figures are told
    beside_sums |= _after_sums(toks, {f.token for f in figures})
    unread = [u for u in unread_values(toks, vocab, era, taken, beside_sums - {f.token for f in figures})
              if not any(s.start <= u.span.start <= s.end for s in reported)]
    if unread:
        listed = ", ".join(f"{u.printed!r} (line {u.span.start}, {u.reason})" for u in unread[:12])
        record.issues.append(ExtractionIssue(
            "uncertain", f"{len(unread)} figures that look like values or sums (a count, a share, figures after a "
                         f"column label, small figures beside a row's sums) were not read: which indicator, year, role "
                         f"or column they are cannot be told: {listed}{' …' if len(unread) > 12 else ''}",
            unread[0].span))
    if rows:
        record.issues.append(ExtractionIssue(
            "uncertain", f"{len(rows)} rows of values under year headers print no row label: their role is "
                         "'unspecified'", rows[0].span))
    if toks and re.fullmatch(r"[▲△]?\d{1,3}(?:,\d{3})*,\d{0,2}", toks[-1].text):
        record.issues.append(ExtractionIssue(
            "uncertain", f"the text stops inside a figure ({toks[-1].text!r}): the document is cut there and "
                         "what follows is not read", toks[-1].span))
    if toks and toks[-1].text not in vocab.labels and names.begins_label(toks[-1].text, vocab.labels):
        record.issues.append(ExtractionIssue(
            "uncertain", f"the text stops inside a label ({toks[-1].text!r}): the document is cut there and "
                         "what follows is not read", toks[-1].span))
    if not (record.projects or figures or ifacts):
        record.issues.append(ExtractionIssue(
            "uncertain", f"read as {kind.name} (confidence {kind.confidence}), but no project, amount or "
                         "indicator was recognised", Span(1, max(1, record.line_count))))
    record.findings = dict(sorted(found.items()))


def _once(facts: list[ind.IndicatorFact]) -> list[ind.IndicatorFact]:
    """The facts, each indicator once: a fact whose every value cell another recogniser read before it (a
    table read both as rows and one cell per line) is that one again."""
    seen: set[int] = set()
    out = []
    for fact in facts:
        cells = {v.cell for v in fact.values if v.cell is not None}
        if cells and cells <= seen:
            continue
        seen |= cells
        out.append(fact)
    return out


def _value_cells(facts: list[ind.IndicatorFact]) -> set[int]:
    """The cells the values of ``facts`` were read from (no other fact may read them again)."""
    return {v.cell for f in facts for v in f.values if v.cell is not None}


def _sheets(facts: list[names.NameFact]) -> list[names.NameFact]:
    """The projects of an evaluation sheet: its first labelled name — or, when the label of that name
    is printed again with other names, one project per printing (a file that holds many sheets, each
    opening with its own 事務事業名). Other labels' values are the same sheet's (予算事業名 beside 事業名)."""
    first = facts[0]
    sheets = [f for f in facts if f.label is not None and f.label == first.label]
    if len({re.sub(r"\s", "", f.name) for f in sheets}) < 2:
        return facts[:1]
    return sheets


def _after_sums(toks: list[Token], read: set[int]) -> set[int]:
    """Small bare figures in the run of figures that a line's sums start (合計 6,080 5,830 250): a cell of
    the same row that no rule could read as a sum (it may be one, or a count)."""
    out: set[int] = set()
    by_line = cells_by_line(toks)
    for line in sorted({toks[i].line for i in read if i < len(toks)}):
        cells = by_line[line]
        first = next((k for k, c in enumerate(cells) if c.index in read), None)
        if first is None:
            continue
        for c in cells[first + 1:]:
            if not money.is_figure_cell(c.text):
                break
            if c.index not in read and re.fullmatch(r"[▲△-]?\d{1,3}", c.text):
                out.add(c.index)
    return out


def _row_indicators(rows: list[ProjectRow], vocab: Vocabulary, era: str | None, default_kind: str
                    ) -> list[ind.IndicatorFact]:
    """The indicator a table of projects prints on each project's row (相談件数(件) 2,400 2,615 under 指標
    目標値 実績値), with the role and year of each value's column."""
    out: list[ind.IndicatorFact] = []
    for row in rows:
        values = []
        for cell, label in row.values:
            column = header_column(label, era, vocab)
            m = ind._TABLE_VALUE.fullmatch(cell.text)
            if column is None or column.role in (None, *NOT_KEPT) or m is None:
                continue
            try:
                values.append(ind.ValueFact(column.role, parse_number(m.group("v")), cell.text, cell.span,
                                            column.year, cell.index))
            except NumberFormatError:
                continue
        if row.indicator is not None and values:
            name, unit = ind.split_unit(row.indicator.text, vocab)
            out.append(ind.IndicatorFact(name, default_kind, unit, row.indicator.span, row.indicator.index,
                                         tuple(values), "table of projects"))
        for cell, label in row.counts:  # 参加者数(人) 38,000: the count a column of the table gives each row
            m = ind._TABLE_VALUE.fullmatch(cell.text)
            name, unit = ind.split_unit(label, vocab)
            role = next((vocab.value_role[w] for w in sorted(vocab.value_role, key=len, reverse=True) if w in name),
                        "unspecified")  # 入場者目標(人): the role its header names
            try:
                value = ind.ValueFact(role, parse_number(m.group("v")), cell.text, cell.span, None, cell.index)
            except (NumberFormatError, AttributeError):
                continue
            out.append(ind.IndicatorFact(name, default_kind, unit, cell.span, cell.index, (value,),
                                         "count column of a table of projects"))
    return out


def _total_line(toks: list[Token], token: int, vocab: Vocabulary) -> str | None:
    """The total's label (計, 合計, 総務部 小計) among the cells that open the line of a cell, if one is."""
    for cell in cells_by_line(toks)[toks[token].line][:3]:
        if cell.index == token and _GROUP_TOTAL.search(cell.text):
            return _GROUP_TOTAL.search(cell.text).group(0)  # 以上3事業の総額は7,750万円
        if money.is_figure_cell(cell.text) or cell.index >= token:
            return None
        if vocab.is_total(cell.text):
            return label_text(cell.text)
        m = _GROUP_TOTAL.search(cell.text)
        if m:  # 以上3事業の総額は…, 3事業合計: the sum of the projects above, no one project's
            return m.group(0)
    return None


_GROUP_TOTAL = re.compile(r"(?:\d+|[一二三四五六七八九十]+|全)事業(?:の|分の)?(?:総額|合計|総計|計)")


@dataclass(frozen=True)
class _RowFigure:
    """What a table says of one of its figures."""

    label: str  # its row's label (a column-dumped table) or its column's (a table of projects)
    name: int  # the cell naming its row (a project's name, when the row is a project's)
    year: YearColumn | None  # its column's year
    field: tuple[str, str] | None  # (money | funding, code) of its column's money label


def _column_year(label: str, era: str | None, kind: Kind, fiscal_year: int | None, vocab: Vocabulary
                 ) -> YearColumn | None:
    """The year a table's money column prints (``R2決算額``); in a budget summary or a plan, whose title
    prints the budget's year, a column of that year's budget (予算額) or of the year before (前年度予算額)."""
    col = year_column(label, era)
    if col is not None or kind.name not in ("budget_summary", "business_plan") or fiscal_year is None:
        return col
    offset = relative_budget(label, vocab)
    if offset is not None:  # 前年度, 前年度予算, 本年度予算額: the budget of the document's year, or the year before
        return YearColumn(fiscal_year + offset, "budget")
    for word, offset in vocab.relative_years.items():
        if label.startswith(word):
            label, fiscal_year = label[len(word):], fiscal_year + offset
            break
    return YearColumn(fiscal_year, "budget") if label in vocab.budget_columns else None


def _table_line(fig: money.MoneyFact, row: _RowFigure, owned: bool) -> money.MoneyFact:
    """A figure of a table with its label: the cost of a project's line in the year its column prints (a
    budget line), or of the kind its column's money label says; any other line (a total, a kind of
    expense, income) is kept as stated."""
    year = row.year if owned else None
    category, funding = ("total" if year else "stated"), None
    if owned and row.field is not None:
        category, funding = money.category_of(*row.field)
    return replace(fig, label=row.label, category=category, funding=funding,
                   fiscal_year=year.year if year else None, status=year.status if year else None,
                   how=fig.how + ", table row")


def _hierarchy(record: DocumentRecord, headings: list[names.HeadingFact], projects: list[Project],
               found: Counter[str]) -> None:
    """The levels a sheet prints above its project (基本目標 → 政策 → 施策), each the parent of the next;
    the project (or each budget item it is made of) sits under the measure when the sheet names one.
    Sheets of one file that print the same level reuse its element."""
    parent = None
    for h in headings:
        same = next((e for e in record.elements if (e.level, e.name, e.number, e.parent) ==
                     (h.level, h.name, h.number, parent)), None)
        if same is None:
            key = h.level.replace("_", "-")
            if any(e.key == key for e in record.elements):
                key = f"{key}-{sum(e.level == h.level for e in record.elements) + 1}"
            same = PolicyElement(key=key, level=h.level, name=h.name, span=h.span, number=h.number, parent=parent)
            record.elements.append(same)
            found[f"{h.level}:labelled"] += 1
        parent = same.key
    if headings and headings[-1].level == "measure":
        for project in projects:
            project.parents = [parent]


def _labelled_code(toks: list[Token], vocab: Vocabulary) -> str | None:
    """The value of the first project-code label (事業番号 0412, 事業コード 01-02-03), else None."""
    for tok, nxt in zip(toks, toks[1:]):
        if (label_text(tok.text) in vocab.project_code and nxt.line == tok.line
                and PROJECT_CODE.fullmatch(nxt.text) and re.search(r"\d", nxt.text)):
            return nxt.text
    return None


def _unit(depts: list[names.NameFact], vocab: Vocabulary) -> Unit:
    if len(depts) == 1 and " " in depts[0].name:  # 都市整備部 公園緑地課: a list's two columns, one department
        depts = [replace(depts[0], name=part) for part in depts[0].name.split(" ")]
    department = next((d.name for d in depts if d.name.endswith(names.UPPER_UNITS)), None)
    division = next((d.name for d in depts if not d.name.endswith(names.UPPER_UNITS)), None)
    span = depts[0].span
    if department and division and division.startswith(department):
        division = division[len(department):].strip("・ ") or None
    glued = _GLUED_UNITS.fullmatch(division or "") if department is None else None
    if glued:  # 都市整備部公園緑地課: a department and its division in one cell
        department, division = glued.group(1), glued.group(2)
    return Unit(department, division, span)


# (three characters at least before 部: 東部地域振興課 is one division of an eastern district)
_GLUED_UNITS = re.compile(r"([^\s・]{2,}[部局])([^\s・部局]{2,}[課室])")
