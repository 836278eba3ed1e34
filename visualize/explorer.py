"""The planner's explorer: one self-contained offline HTML page to search and follow the graph.

Search any project, measure, policy field, SDG goal or target, department or organisation by its
Japanese or English name (or a code: ``8``, ``goal 8``, ``8.2``); selecting one shows its
neighbourhood (depth 1–2, drawn with the vis-network build the views inline), its budget by fiscal
year, its indicators (target vs actual), its SDG links (stated or inferred, with the suggestion's
method, score and reason) and links to its neighbours. Filters: document, fiscal year, goal, stated
or inferred. The state lives in the URL hash (``#id=…&fy=2023&src=stated``), so a view can be shared.

The data come from :mod:`visualize.facts` and the query library (``indicators``,
``sdg_suggestions``, ``alt_labels``), embedded as JSON in a ``<script type="application/json">`` block with ``<``,
``>``, ``&``, U+2028 and U+2029 escaped (:func:`visualize.views.safe_json`); the page writes every
text from documents with ``textContent``, never as markup.
"""

from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from policy_kg.graph.io import atomic_write_text
from policy_kg.graph.namespace import SDG
from policy_kg.graph.query import Backend, natural_key, run_query
from policy_kg.visualize.facts import Facts, load_data, load_facts
from policy_kg.visualize.views import EDGE_STYLE, TYPE_STYLE, safe_json, vis_assets

__all__ = ["explorer_data", "render_explorer", "ENTITY_TYPES"]

ENTITY_TYPES = (
    "sdg_goal", "sdg_target", "policy_field", "measure", "project", "part", "department", "organisation",
    "document",
)
_TYPE_NAMES = {
    "sdg_goal": "SDG goal (ゴール)", "sdg_target": "SDG target (ターゲット)", "policy_field": "policy field (政策分野)",
    "measure": "measure (施策)", "project": "project (事業)", "part": "part (内訳)", "department": "department (担当部・課)",
    "organisation": "organisation (関係団体)", "document": "document (文書)",
}


def _labels_by_language(data: Graph | Backend) -> dict[Node, dict[str, str]]:
    """Every ``skos:prefLabel`` by language (``ja``, ``en``, ``""``), from the facts module's label query."""
    from policy_kg.visualize.facts import Q_LABELS, _rows

    out: dict[Node, dict[str, str]] = defaultdict(dict)
    for s, label in _rows(data, Q_LABELS):
        out[s].setdefault(getattr(label, "language", None) or "", str(label))
    return out


class _Index:
    """Entities numbered in a stable order; edges between their numbers."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}
        self.entities: list[dict[str, Any]] = []
        self.edges: set[tuple[int, int, str, str]] = set()

    def add(self, iri: Node, type_: str, label: str, **extra: Any) -> int:
        key = str(iri)
        if key in self.ids:
            return self.ids[key]
        self.ids[key] = len(self.entities)
        item = {"iri": key, "type": type_, "label": label}
        item.update({k: v for k, v in extra.items() if v not in (None, "", [], {})})
        self.entities.append(item)
        return self.ids[key]

    def edge(self, a: int, b: int, kind: str, link: str = "") -> None:
        if a != b:
            self.edges.add((a, b, kind, link))


def explorer_data(data: Graph | Dataset | Backend | Path | str) -> dict[str, Any]:
    """Everything the explorer page shows, as JSON-ready data (entities, edges, budgets, indicators, SDG links)."""
    graph = load_data(data)
    facts = load_facts(graph)
    langs = _labels_by_language(graph)
    ix = _Index()
    documents = sorted(facts.document_names, key=lambda d: facts.document_title(d))
    doc_index = {d: i for i, d in enumerate(documents)}
    doc_rows = [{"iri": str(d), "title": facts.document_title(d), "file": facts.document_name(d),
                 "fiscal_year": facts.document_meta.get(d, {}).get("year")} for d in documents]
    for d in documents:
        ix.add(d, "document", facts.document_title(d), file=facts.document_name(d), doc=doc_index[d])

    # SDG goals and targets of the reference (all of them, so any can be searched)
    goals = sorted({s for s in facts.notations if str(s).startswith(str(SDG)) and "." not in facts.notations[s]},
                   key=lambda s: natural_key(facts.notations[s]))
    targets = sorted({s for s in facts.notations if str(s).startswith(str(SDG)) and "." in facts.notations[s]},
                     key=lambda s: natural_key(facts.notations[s]))
    linked_targets = {t for ts in facts.stated_sdg.values() for t in ts}
    linked_targets |= {t for ts in facts.inferred_sdg.values() for t, _ in ts}
    for t in sorted(linked_targets - set(targets), key=lambda s: natural_key(facts.target_code(s))):
        targets.append(t)
    for g in goals:
        code = facts.notations[g]
        ix.add(g, "sdg_goal", f"SDG {code} {langs[g].get('ja', '')}".strip(), code=code,
               en=langs[g].get("en"), keys=f"goal {code} sdg {code} sdg{code} 目標{code} ゴール{code}")
    for t in targets:
        code = facts.target_code(t)
        goal = facts.goal_of(t)
        if str(goal) not in ix.ids:
            goal_code = code.split(".")[0]
            ix.add(goal, "sdg_goal", f"SDG {goal_code}", code=goal_code, keys=f"goal {goal_code} 目標{goal_code}")
        ti = ix.add(t, "sdg_target", f"{code} {langs[t].get('ja', '')}".strip(), code=code, en=langs[t].get("en"),
                    keys=f"target {code} ターゲット{code}")
        ix.edge(ix.ids[str(goal)], ti, "has_target")

    # the policy hierarchy, projects and parts
    kinds = {"policy_goal": "policy_field", "policy": "policy_field", "policy_field": "policy_field",
             "programme": "policy_field", "measure": "measure", "project": "project", "sub_project": "part"}
    elements = sorted(facts.levels, key=str)
    for e in elements:
        doc = facts.documents_of.get(e)
        ix.add(e, kinds[facts.levels[e]], facts.label(e), en=langs[e].get("en"),
               doc=doc_index.get(doc) if doc is not None else None, source=facts.source_text(e),
               status=facts.label(facts.directions[e]) if e in facts.directions else None)
    for e in elements:
        i = ix.ids[str(e)]
        parents = [p for p in facts.parents.get(e, ()) if str(p) in ix.ids]
        for p in parents:
            ix.edge(i, ix.ids[str(p)], "part_of")
        doc = facts.documents_of.get(e)
        if not parents and doc is not None:
            ix.edge(i, ix.ids[str(doc)], "in_document")

    # organisations: departments (units) and partners
    for e in elements:
        for unit in facts.units.get(e, ()):
            u = ix.add(unit, facts.org_kinds.get(unit, "department"), facts.label(unit), en=langs[unit].get("en"))
            ix.edge(u, ix.ids[str(e)], "responsible_for")
            parent = facts.unit_of.get(unit)
            if parent is not None:
                pi = ix.add(parent, facts.org_kinds.get(parent, "department"), facts.label(parent))
                ix.edge(u, pi, "unit_of")
        for org in facts.partners.get(e, ()):
            o = ix.add(org, facts.org_kinds.get(org, "organisation"), facts.label(org), en=langs[org].get("en"))
            ix.edge(o, ix.ids[str(e)], "partner_of")

    # SDG links, with the suggester's reasons from the query library
    reasons: dict[tuple[str, str], dict[str, Any]] = {}
    for row in run_query(graph, "sdg_suggestions").as_dicts():
        key = (row["project_iri"], row["target"])
        if key not in reasons or int(row["rank"] or 99) < int(reasons[key]["rank"] or 99):
            reasons[key] = row
    links: list[dict[str, Any]] = []
    for p in facts.projects():
        pi = ix.ids[str(p)]
        stated = list(facts.stated_sdg.get(p, ()))
        for t in stated:
            ti = ix.ids[str(t)]
            ix.edge(ti, pi, "sdg_link", "stated")
            links.append({"project": pi, "target": ti, "source": "stated"})
        for t, score in facts.inferred_sdg.get(p, ()):
            if t in stated:
                continue
            ti = ix.ids[str(t)]
            ix.edge(ti, pi, "sdg_link", "inferred")
            row = reasons.get((str(p), facts.target_code(t)), {})
            links.append({"project": pi, "target": ti, "source": "inferred", "score": score,
                          "method": row.get("method"), "rank": int(row["rank"]) if row.get("rank") else None,
                          "reason": row.get("reason")})

    # budgets: total cost by fiscal year (each entity's own), indicators with their values
    budgets = dict(sorted((ix.ids[str(owner)], {str(y): v for y, v in sorted(years.items())})
                          for owner, years in facts.totals.items() if str(owner) in ix.ids))
    owner_of = {ind: owner for owner, inds in facts.indicators.items() for ind in inds}
    indicators: dict[str, dict[str, Any]] = {}
    for row in run_query(graph, "indicators").as_dicts():
        owner = owner_of.get(URIRef(row["indicator_iri"]))
        if owner is None or str(owner) not in ix.ids:
            continue
        ind = indicators.setdefault(row["indicator_iri"], {
            "owner": ix.ids[str(owner)], "label": row["indicator"], "unit": row["unit"], "kind": row["kind"],
            "values": []})
        ind["values"].append({"fy": row["fiscal_year"], "role": row["role"], "value": row["value"],
                              "printed": row["printed"], "note": row["qualifier"]})

    # other printed names (an organisation's spellings, a project's variants), for the search
    alt: dict[str, list[str]] = defaultdict(list)
    for row in run_query(graph, "alt_labels").as_dicts():
        if row["entity"] in ix.ids and row["label"] not in alt[row["entity"]]:
            alt[row["entity"]].append(row["label"])
    for iri, names in alt.items():
        entity = ix.entities[ix.ids[iri]]
        names = [n for n in names if n != entity["label"]]
        if names:
            entity["alt"] = names

    # which documents and goals each entity touches, for the filters
    _spread(ix, facts, links)
    return {
        "documents": doc_rows,
        "entities": ix.entities,
        "edges": sorted(ix.edges),
        "links": links,
        "budgets": budgets,
        "indicators": sorted(indicators.values(), key=lambda i: (i["owner"], i["label"])),
        "types": {t: {"name": _TYPE_NAMES[t], "colour": _colour(t)} for t in ENTITY_TYPES},
        "edge_style": {k: {"colour": c, "dashed": d, "name": n} for k, (c, d, n) in EDGE_STYLE.items()},
        "fiscal_years": sorted({int(y) for years in budgets.values() for y in years}),
    }


def _colour(type_: str) -> str:
    return TYPE_STYLE.get("project" if type_ == "part" else type_, ("#999999",))[0]


def _spread(ix: _Index, facts: Facts, links: list[dict[str, Any]]) -> None:
    """``docs`` (document numbers) and ``goals`` (goal codes, stated ``s`` / inferred ``i``) per entity."""
    docs: dict[int, set[int]] = defaultdict(set)
    goals: dict[int, dict[str, set[str]]] = defaultdict(lambda: {"s": set(), "i": set()})
    ents = ix.entities
    for i, e in enumerate(ents):
        if "doc" in e:
            docs[i].add(e["doc"])
    parents: dict[int, list[int]] = defaultdict(list)
    for a, b, kind, _ in ix.edges:
        if kind == "part_of":
            parents[a].append(b)
    for link in links:
        code = ents[link["target"]]["code"].split(".")[0]
        flag = "s" if link["source"] == "stated" else "i"
        seen: set[int] = set()
        frontier = [link["project"]]
        while frontier:  # the project and every element above it serve the goal
            n = frontier.pop()
            if n in seen:
                continue
            seen.add(n)
            goals[n][flag].add(code)
            frontier.extend(parents.get(n, ()))
        goals[link["target"]][flag].add(code)
        for d in docs.get(link["project"], ()):
            docs[link["target"]].add(d)
    for i, e in enumerate(ents):
        if e["type"] == "sdg_goal":
            goals[i]["s"].add(e["code"])
            goals[i]["i"].add(e["code"])
        if e["type"] == "sdg_target":
            goals[i]["s"].add(e["code"].split(".")[0])
            goals[i]["i"].add(e["code"].split(".")[0])
    for a, b, kind, _ in ix.edges:
        if kind in ("responsible_for", "partner_of"):
            docs[a] |= docs.get(b, set())
            goals[a]["s"] |= goals[b]["s"]
            goals[a]["i"] |= goals[b]["i"]
    for a, b, kind, _ in ix.edges:
        if kind == "has_target":
            docs[a] |= docs.get(b, set())
    for i, e in enumerate(ents):
        if docs.get(i):
            e["docs"] = sorted(docs[i])
        g = goals.get(i)
        if g and (g["s"] or g["i"]):
            e["goals"] = {"s": sorted(g["s"], key=natural_key), "i": sorted(g["i"], key=natural_key)}


def render_explorer(data: Graph | Dataset | Backend | Path | str, out: Path, *, title: str = "政策ナレッジグラフ explorer") -> Path:
    """Write the explorer page at ``out`` (a ``.html`` file, or a folder that gets ``index.html``); returns the file."""
    out = Path(out)
    if out.suffix.lower() not in (".html", ".htm"):
        out = out / "index.html"
    js, css = vis_assets()
    from policy_kg.visualize.explorer_page import PAGE as template

    payload = safe_json(explorer_data(data))
    page = (template.replace("@@TITLE@@", html.escape(title))
            .replace("@@VIS_CSS@@", css)
            .replace("@@VIS_JS@@", js)
            .replace("@@DATA@@", payload))
    atomic_write_text(out, page)
    return out
