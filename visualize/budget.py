"""Budget flows: a Sankey (policy field → measure → project → SDG goal, widths in yen) and an SDG
coverage matrix (measures × goals; each cell the budget and the number of projects).

Budgets are each project's total cost with its parts' totals added (``Facts.project_budget``), for
one fiscal year, or — by default, as the ``sdg_coverage`` query reads them — for each project's own
document's fiscal year. Only stated SDG links carry money; a project that states none flows into
"SDG 未記載". A project stating two targets of one goal flows into that goal once per target, so the
Sankey's width into each goal equals the sum of ``sdg_coverage``'s ``budget_jpy`` over the goal's
targets (tested).

The page inlines Plotly's own ``plotly.min.js`` from the ``plotly`` package (the ``charts``
extra: ``pip install policy-kg[charts]``); nothing is fetched. Labels from documents are
HTML-escaped before Plotly sees them (Plotly reads a few tags in its text) and in the matrix table.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef

from policy_kg.graph.io import atomic_write_text
from policy_kg.graph.query import natural_key
from policy_kg.graph.query import Backend
from policy_kg.visualize.facts import Facts, load_data, load_facts, resolve_document
from policy_kg.visualize.views import TYPE_STYLE, safe_json, yen_short

__all__ = ["sankey_flows", "coverage_matrix", "render_budget", "plotly_js", "NO_TARGET", "SANKEY_MAX_PROJECTS"]

NO_TARGET = "SDG 未記載 (no stated target)"
SANKEY_MAX_PROJECTS = 250  # above this the Sankey goes measure → goal (projects summed into measures)
LABEL_SHARE = 0.01  # a project node carrying less than this share of the budget is named on hover only
_FIELD_LEVELS = ("policy_field", "programme", "policy", "policy_goal")


def plotly_js() -> str:
    """The minified Plotly bundle shipped inside the ``plotly`` package (optional extra ``charts``)."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError as exc:
        raise RuntimeError("the budget page needs Plotly: pip install 'policy-kg[charts]' (or plotly)") from exc
    js = get_plotlyjs()
    if "</script" in js.lower():
        raise RuntimeError("plotly.min.js contains a closing script tag and cannot be inlined")
    return js


def _projects(facts: Facts, docs: set[URIRef] | None) -> list[URIRef]:
    """Projects (not parts) of the chosen documents."""
    return [p for p in facts.projects() if facts.levels.get(p) == "project"
            and (docs is None or facts.documents_of.get(p) in docs)]


def _year_for(facts: Facts, project: URIRef, fiscal_year: int | None) -> int | None:
    if fiscal_year is not None:
        return fiscal_year
    return facts.document_meta.get(facts.documents_of.get(project), {}).get("year")


def _field_of(facts: Facts, measure: URIRef | None, project: URIRef) -> URIRef | None:
    start = measure if measure is not None else project
    for ancestor in facts.ancestors(start):
        if facts.levels.get(ancestor) in _FIELD_LEVELS:
            return ancestor
    return None


def _goal_code(facts: Facts, target: URIRef) -> str:
    return facts.notations.get(facts.goal_of(target)) or facts.target_code(target).split(".")[0]


def sankey_flows(
    facts: Facts, *, fiscal_year: int | None = None, documents: set[URIRef] | None = None,
    max_projects: int = SANKEY_MAX_PROJECTS,
) -> dict[str, Any]:
    """Nodes and links of the Sankey: ``{"nodes": [{id, label, kind}], "links": [{source, target, value, targets}]}``.

    ``links`` hold node indices; ``value`` is yen. ``goal_totals`` maps goal code -> yen into it.
    """
    nodes: list[dict[str, Any]] = []
    index: dict[str, int] = {}

    def node(key: str, label: str, kind: str) -> int:
        if key not in index:
            index[key] = len(nodes)
            nodes.append({"id": key, "label": label, "kind": kind})
        return index[key]

    flows: dict[tuple[int, int], int] = defaultdict(int)
    notes: dict[tuple[int, int], list[str]] = defaultdict(list)
    projects = _projects(facts, documents)
    with_projects = len(projects) <= max_projects
    goal_totals: dict[str, int] = defaultdict(int)
    for p in projects:
        year = _year_for(facts, p, fiscal_year)
        budget = facts.project_budget(p, year) if year is not None else None
        if not budget:
            continue
        measure = facts.measure_of(p)
        field = _field_of(facts, measure, p)
        doc = facts.documents_of.get(p)
        f = node(str(field) if field is not None else f"nofield:{doc}",
                 facts.label(field) if field is not None else "(分野なし)", "policy_field")
        m = node(str(measure) if measure is not None else f"nomeasure:{doc}",
                 facts.label(measure) if measure is not None else "(施策なし)", "measure")
        flows[(f, m)] += budget
        last = m
        if with_projects:
            last = node(str(p), facts.label(p), "project")
            flows[(m, last)] += budget
        by_goal: dict[str, list[str]] = defaultdict(list)
        for t in facts.stated_sdg.get(p, ()):
            by_goal[_goal_code(facts, t)].append(facts.target_code(t))
        if not by_goal:
            flows[(last, node("none", NO_TARGET, "none"))] += budget
            continue
        for code, codes in by_goal.items():
            g = node(f"goal:{code}", f"SDG {code}", "sdg_goal")
            # once per stated target of the goal, as sdg_coverage sums per target
            flows[(last, g)] += budget * len(codes)
            notes[(last, g)].extend(codes)
            goal_totals[code] += budget * len(codes)
    # goals last, in natural order (1 … 17), so Plotly stacks them readably
    links = [{"source": s, "target": t, "value": v, "targets": sorted(set(notes.get((s, t), [])), key=natural_key)}
             for (s, t), v in flows.items() if v > 0]
    # a node's size is the larger of what flows in and out; thin project nodes are named on hover
    # only, so their labels do not pile up on each other
    inflow: dict[int, int] = defaultdict(int)
    outflow: dict[int, int] = defaultdict(int)
    for link in links:
        inflow[link["target"]] += link["value"]
        outflow[link["source"]] += link["value"]
    total = sum(v for (s, _), v in flows.items() if nodes[s]["kind"] == "policy_field") or 1
    for i, n in enumerate(nodes):
        n["value"] = max(inflow[i], outflow[i])
        n["show"] = n["kind"] != "project" or n["value"] >= LABEL_SHARE * total
    return {"nodes": nodes, "links": links, "goal_totals": dict(sorted(goal_totals.items(), key=lambda kv: natural_key(kv[0]))),
            "with_projects": with_projects, "fiscal_year": fiscal_year}


def coverage_matrix(
    facts: Facts, *, fiscal_year: int | None = None, documents: set[URIRef] | None = None
) -> dict[str, Any]:
    """Measures × goals: per cell the budget (each project once per goal) and the number of projects."""
    cells: dict[tuple[URIRef, str], dict[str, Any]] = {}
    goals: set[str] = set()
    measures: set[URIRef] = set()
    for p in _projects(facts, documents):
        measure = facts.measure_of(p)
        if measure is None:
            continue
        year = _year_for(facts, p, fiscal_year)
        budget = (facts.project_budget(p, year) if year is not None else None) or 0
        for code in sorted({_goal_code(facts, t) for t in facts.stated_sdg.get(p, ())}, key=natural_key):
            cell = cells.setdefault((measure, code), {"budget_jpy": 0, "projects": 0})
            cell["budget_jpy"] += budget
            cell["projects"] += 1
            goals.add(code)
            measures.add(measure)
    goal_list = sorted(goals, key=natural_key)
    rows = []
    for m in sorted(measures, key=lambda m: (facts.document_title(facts.documents_of.get(m)), str(m))):
        rows.append({"measure": facts.label(m), "iri": str(m),
                     "document": facts.document_title(facts.documents_of.get(m)),
                     "cells": [cells.get((m, g)) for g in goal_list]})
    return {"goals": goal_list, "rows": rows}


def _documents(graph: Graph | Backend, facts: Facts, document: str | None) -> set[URIRef] | None:
    return None if document is None else {resolve_document(graph, facts, document)}


_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ margin: 0; font: 13px/1.45 "Noto Sans CJK JP", "IPAGothic", "Hiragino Sans", sans-serif; color: #222; }}
header {{ padding: 6px 12px; border-bottom: 1px solid #ddd; background: #fafafa; }}
header h1 {{ font-size: 18px; margin: 0 0 4px; }}
header p {{ margin: 0; font-size: 12px; color: #555; }}
#sankey {{ height: {height}px; }}
h2 {{ font-size: 15px; margin: 18px 12px 6px; }}
table.matrix {{ border-collapse: collapse; margin: 0 12px 24px; font-size: 12px; }}
table.matrix th, table.matrix td {{ border: 1px solid #ddd; padding: 3px 6px; }}
table.matrix td.cell {{ text-align: right; white-space: nowrap; min-width: 72px; }}
table.matrix th.goal {{ background: #e5243b; color: #fff; }}
table.matrix td .n {{ display: block; color: #555; font-size: 11px; }}
</style>
<script>{plotly_js}</script>
</head>
<body data-sankey-links="{n_links}">
<header><h1>{title}</h1>
<p>{summary}</p>
<label>年度 fiscal year <select id="year">{year_options}</select></label></header>
<div id="sankey"></div>
<h2>SDG coverage matrix: measures × goals (budget · projects, stated links)</h2>
{matrix}
<script type="application/json" id="flows">{flows}</script>
<script>
(function () {{
  "use strict";
  var flows = JSON.parse(document.getElementById("flows").textContent);
  var colours = {colours};
  function draw(key) {{
    var f = flows[key];
    var trace = {{
      type: "sankey", orientation: "h", arrangement: "snap", valueformat: ",.0f", valuesuffix: " 円",
      node: {{ label: f.nodes.map(function (n) {{ return n.show ? n.label : ""; }}), pad: 6, thickness: 14,
               customdata: f.nodes.map(function (n) {{ return n.label; }}),
               hovertemplate: "%{{customdata}}<br>%{{value}}<extra></extra>",
               color: f.nodes.map(function (n) {{ return colours[n.kind] || "#999"; }}),
               line: {{ width: 0 }} }},
      link: {{ source: f.links.map(function (l) {{ return l.source; }}),
               target: f.links.map(function (l) {{ return l.target; }}),
               value: f.links.map(function (l) {{ return l.value; }}),
               customdata: f.links.map(function (l) {{ return l.targets.length ? "targets " + l.targets.join(", ") : ""; }}),
               hovertemplate: "%{{source.label}} → %{{target.label}}<br>%{{value}}<br>%{{customdata}}<extra></extra>",
               color: "rgba(120,120,120,0.25)" }}
    }};
    Plotly.react("sankey", [trace], {{ margin: {{ l: 8, r: 8, t: 8, b: 8 }}, font: {{ size: 12 }} }},
                 {{ displaylogo: false, responsive: true }});
    document.body.setAttribute("data-drawn", key);
    if (!document.body.hasAttribute("data-ready-ms")) {{ document.body.setAttribute("data-ready-ms", performance.now().toFixed(0)); }}
  }}
  var select = document.getElementById("year");
  select.addEventListener("change", function () {{ location.hash = "fy=" + select.value; }});
  function fromHash() {{
    var m = /fy=([^&]*)/.exec(location.hash);
    var key = m && flows[decodeURIComponent(m[1])] ? decodeURIComponent(m[1]) : select.options[0].value;
    select.value = key;
    draw(key);
  }}
  window.addEventListener("hashchange", fromHash);
  fromHash();
}})();
</script>
</body>
</html>
"""


def _escape_labels(flows: dict[str, Any]) -> dict[str, Any]:
    nodes = [{**n, "label": html.escape(n["label"], quote=False)} for n in flows["nodes"]]
    return {**flows, "nodes": nodes}


def _matrix_html(matrix: dict[str, Any]) -> str:
    if not matrix["rows"]:
        return "<p>No measure has a project with a stated SDG target.</p>"
    top = max((c["budget_jpy"] for r in matrix["rows"] for c in r["cells"] if c), default=0) or 1
    head = "".join(f'<th class="goal">SDG {html.escape(g)}</th>' for g in matrix["goals"])
    lines = [f'<table class="matrix"><tr><th>document</th><th>measure</th>{head}</tr>']
    for row in matrix["rows"]:
        cells = []
        for cell in row["cells"]:
            if not cell:
                cells.append('<td class="cell"></td>')
                continue
            shade = 0.12 + 0.6 * (cell["budget_jpy"] / top) ** 0.5
            cells.append(f'<td class="cell" style="background:rgba(76,159,56,{shade:.2f})" '
                         f'data-budget="{cell["budget_jpy"]}" data-projects="{cell["projects"]}">'
                         f'{html.escape(yen_short(cell["budget_jpy"]))}<span class="n">{cell["projects"]} 事業</span></td>')
        lines.append(f"<tr><td>{html.escape(row['document'])}</td><td>{html.escape(row['measure'])}</td>{''.join(cells)}</tr>")
    lines.append("</table>")
    return "\n".join(lines)


def render_budget(
    data: Graph | Dataset | Backend | Path | str, out: Path, *, fiscal_year: int | None = None, document: str | None = None,
    title: str = "予算の流れと SDG (budget flows)",
) -> Path:
    """Write the Sankey and coverage matrix page at ``out``; returns ``out``.

    The page offers each document's own fiscal year (the default, as ``sdg_coverage``) and every
    fiscal year with budgets; ``fiscal_year`` chooses the matrix's year and the Sankey shown first.
    """
    js = plotly_js()
    graph = load_data(data)
    facts = load_facts(graph)
    docs = _documents(graph, facts, document)
    years = sorted({y for owner, by_year in facts.totals.items() for y in by_year
                    if docs is None or facts.documents_of.get(owner) in docs})
    keys: list[tuple[str, int | None, str]] = [("document", None, "each document's own fiscal year")]
    keys += [(str(y), y, f"FY{y}") for y in years]
    flows = {key: _escape_labels(sankey_flows(facts, fiscal_year=year, documents=docs)) for key, year, _ in keys}
    first = str(fiscal_year) if fiscal_year is not None and str(fiscal_year) in flows else "document"
    options = "".join(f'<option value="{html.escape(k)}"{" selected" if k == first else ""}>{html.escape(text)}</option>'
                      for k, _, text in sorted(keys, key=lambda k: k[0] != first))
    matrix = coverage_matrix(facts, fiscal_year=fiscal_year, documents=docs)
    shown = flows[first]
    n_projects = sum(1 for n in shown["nodes"] if n["kind"] == "project")
    summary = (f"{len(facts.document_names) if docs is None else len(docs)} documents · "
               f"{n_projects} projects with a budget · widths in yen; stated SDG links only "
               f"(a project stating two targets of one goal flows into it twice, as sdg_coverage sums per target)")
    if not shown["with_projects"]:
        summary += f" · more than {SANKEY_MAX_PROJECTS} projects: measures flow into goals directly"
    colours = {"policy_field": TYPE_STYLE["policy_field"][0], "measure": TYPE_STYLE["measure"][0],
               "project": TYPE_STYLE["project"][0], "sdg_goal": TYPE_STYLE["sdg_goal"][0], "none": "#bbbbbb"}
    height = max(500, min(4000, 16 * max(len(shown["nodes"]) // 2, 30)))
    page = _PAGE.format(
        title=html.escape(title), plotly_js=js, summary=html.escape(summary), year_options=options,
        matrix=_matrix_html(matrix), flows=safe_json(flows), colours=safe_json(colours),
        n_links=len(shown["links"]), height=height,
    )
    out = Path(out)
    atomic_write_text(out, page)
    return out
