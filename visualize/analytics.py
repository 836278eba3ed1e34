"""Planner's analyses of the knowledge graph, each a list of rows (dicts with a fixed column order).

>>> from pathlib import Path
>>> rows = projects_without_sdg(Path("tests/data/visualize/fixture.trig"))  # doctest: +SKIP
>>> print(format_table(rows))  # doctest: +SKIP
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from policy_kg.graph.io import spreadsheet_safe, terminal_safe
from policy_kg.graph.query import Backend
from policy_kg.visualize.facts import Facts, load_data, load_facts
from policy_kg.visualize.projection import project_facts

__all__ = [
    "ANALYSES", "sdg_coverage", "organisation_centrality", "projects_without_sdg",
    "measures_without_indicators", "bridging_organisations", "analyze", "format_table", "write_csv",
]

Row = dict[str, Any]
Data = Graph | Dataset | Backend | Path | str | Facts
BETWEENNESS_SAMPLE_ABOVE = 2000  # exact betweenness is O(V·E); sample pivots on bigger graphs


def _facts(data: Data) -> Facts:
    return data if isinstance(data, Facts) else load_facts(load_data(data))


def _target_sort_key(code: str) -> tuple[int, int, int | str]:
    """Order 8.1 < 8.2 < 8.10 < 8.a (codes are strings; 8.10 is not 8.1)."""
    goal, _, target = code.partition(".")
    g = int(goal) if goal.isdigit() else 999
    return (g, 0, int(target)) if target.isdigit() else (g, 1, target)


def sdg_coverage(data: Data, *, fiscal_year: int | None = None) -> list[Row]:
    """One row per SDG target linked to any project: stated and inferred project counts, budget."""
    facts = _facts(data)
    stated: dict[URIRef, set[URIRef]] = {}
    inferred: dict[URIRef, set[URIRef]] = {}
    for project in facts.projects():
        for target in facts.stated_sdg.get(project, ()):
            stated.setdefault(target, set()).add(project)
        for target, _ in facts.inferred_sdg.get(project, ()):
            if target not in facts.stated_sdg.get(project, ()):
                inferred.setdefault(target, set()).add(project)
    rows = []
    for target in set(stated) | set(inferred):
        projects = stated.get(target, set())
        budgets = [facts.budget(p, fiscal_year) for p in projects]
        docs = {facts.documents_of.get(p) for p in projects | inferred.get(target, set())}
        code = facts.target_code(target)
        rows.append({
            "goal": code.partition(".")[0],
            "target": code,
            "stated_projects": len(projects),
            "inferred_projects": len(inferred.get(target, ())),
            "documents": len(docs - {None}),
            "budget_jpy": sum(b[0] for b in budgets if b is not None),
        })
    return sorted(rows, key=lambda r: _target_sort_key(r["target"]))


def organisation_centrality(data: Data) -> list[Row]:
    """Departments and partners ranked by betweenness, then degree, on the organisations view."""
    facts = _facts(data)
    g = project_facts(facts, facts.projects(), view="organisations")
    simple = nx.Graph(g.to_undirected(as_view=True))
    if simple.number_of_nodes() > BETWEENNESS_SAMPLE_ABOVE:
        betweenness = nx.betweenness_centrality(simple, k=500, seed=7)
    else:
        betweenness = nx.betweenness_centrality(simple)
    rows = []
    for node, attrs in g.nodes(data=True):
        if attrs["type"] not in ("department", "organisation"):
            continue
        rows.append({
            "organisation": node,
            "label": attrs["label"],
            "type": attrs["type"],
            "projects": attrs.get("projects", 0),
            "documents": attrs.get("shared", 0),
            "degree": simple.degree(node),
            "betweenness": round(betweenness.get(node, 0.0), 4),
        })
    return sorted(rows, key=lambda r: (-r["betweenness"], -r["degree"], r["label"], r["organisation"]))


def projects_without_sdg(data: Data, *, fiscal_year: int | None = None) -> list[Row]:
    """Projects that state no SDG target, with any inferred suggestions as a hint."""
    facts = _facts(data)
    rows = []
    for project in facts.projects():
        if facts.stated_sdg.get(project):
            continue
        measure = facts.measure_of(project)
        budget = facts.budget(project, fiscal_year)
        direction = facts.directions.get(project)
        suggestions = sorted(
            (facts.target_code(t) for t, _ in facts.inferred_sdg.get(project, ())), key=_target_sort_key
        )
        rows.append({
            "project": str(project),
            "label": facts.label(project),
            "document": facts.document_name(facts.documents_of.get(project)),
            "measure": facts.label(measure) if measure is not None else None,
            "budget_jpy": budget[0] if budget else None,
            "status": facts.label(direction) if direction is not None else None,
            "inferred_targets": " ".join(suggestions),
            "source": facts.source_text(project),
        })
    return rows


def measures_without_indicators(data: Data) -> list[Row]:
    """Measures with no indicator (KPI) of their own; ``project_indicators`` counts their projects'."""
    facts = _facts(data)
    below: dict[URIRef, list[URIRef]] = {}
    for project in facts.projects():
        measure = facts.measure_of(project)
        if measure is not None:
            below.setdefault(measure, []).append(project)
    rows = []
    for measure in facts.elements("measure"):
        if facts.indicators.get(measure):
            continue
        projects = below.get(measure, [])
        rows.append({
            "measure": str(measure),
            "label": facts.label(measure),
            "document": facts.document_name(facts.documents_of.get(measure)),
            "projects": len(projects),
            "project_indicators": sum(len(facts.indicators.get(p, ())) for p in projects),
            "source": facts.source_text(measure),
        })
    return rows


def bridging_organisations(data: Data) -> list[Row]:
    """Organisations and departments linked to projects of two or more documents."""
    facts = _facts(data)
    links: dict[URIRef, set[URIRef]] = {}
    for project in facts.projects():
        for org in list(facts.partners.get(project, ())) + list(facts.units.get(project, ())):
            links.setdefault(org, set()).add(project)
    rows = []
    for org, projects in links.items():
        docs = {facts.documents_of.get(p) for p in projects} - {None}
        if len(docs) < 2:
            continue
        rows.append({
            "organisation": str(org),
            "label": facts.label(org),
            "type": facts.org_kinds.get(org, "organisation"),
            "documents": len(docs),
            "projects": len(projects),
            "document_names": "; ".join(sorted(facts.document_name(d) for d in docs)),
        })
    return sorted(rows, key=lambda r: (-r["documents"], -r["projects"], r["label"]))


ANALYSES = {
    "sdg_coverage": sdg_coverage,
    "organisation_centrality": organisation_centrality,
    "projects_without_sdg": projects_without_sdg,
    "measures_without_indicators": measures_without_indicators,
    "bridging_organisations": bridging_organisations,
}


def analyze(data: Graph | Dataset | Backend | Path | str) -> dict[str, list[Row]]:
    """Every analysis of ``data``, by name (the facts are read once)."""
    facts = _facts(data)
    return {name: analysis(facts) for name, analysis in ANALYSES.items()}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return f"{value:,}" if abs(value) >= 10_000 else str(value)
    return str(value)


def _width(text: str) -> int:
    """Terminal columns of ``text``: East Asian wide and full-width characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def _pad(text: str, width: int, right: bool) -> str:
    gap = " " * (width - _width(text))
    return gap + text if right else text + gap


def format_table(rows: Sequence[Row], columns: Sequence[str] | None = None, *, max_width: int = 40) -> str:
    """Rows as an aligned plain-text table (wide characters counted as two columns)."""
    if not rows:
        return "(no rows)"
    cols = list(columns or rows[0].keys())
    cells = [[terminal_safe(_cell(r.get(c)), one_line=True) for c in cols] for r in rows]
    cells = [[c if _width(c) <= max_width else _truncate(c, max_width) for c in line] for line in cells]
    numeric = [all(isinstance(r.get(c), (int, float)) or r.get(c) is None for r in rows) for c in cols]
    widths = [max([_width(c)] + [_width(line[i]) for line in cells]) for i, c in enumerate(cols)]
    header = "  ".join(_pad(c, w, n) for c, w, n in zip(cols, widths, numeric)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(_pad(v, w, n) for v, w, n in zip(line, widths, numeric)).rstrip() for line in cells]
    return "\n".join([header, rule, *body])


def _truncate(text: str, width: int) -> str:
    out = ""
    for ch in text:
        if _width(out + ch) > width - 1:
            break
        out += ch
    return out + "…"


def write_csv(rows: Sequence[Row], path: Path | TextIO, columns: Sequence[str] | None = None) -> Path | TextIO:
    """Write rows as CSV to a file (UTF-8 with BOM, so spreadsheets read the Japanese) or a stream."""
    cols = list(columns or (rows[0].keys() if rows else []))
    if not isinstance(path, (str, Path)):
        _write_rows(csv.writer(path, lineterminator="\n"), rows, cols)
        return path
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        _write_rows(csv.writer(handle), rows, cols)
    return path


def _write_rows(writer, rows: Sequence[Row], cols: list[str]) -> None:
    writer.writerow(cols)
    for r in rows:
        writer.writerow(["" if r.get(c) is None else spreadsheet_safe(terminal_safe(r.get(c))) for c in cols])
