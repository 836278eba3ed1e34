"""Project the RDF knowledge graph onto typed networkx graphs, one per planner's view.

Every node carries ``type`` (one of ``NODE_TYPES``) and ``label``; every edge carries ``type``
(one of ``EDGE_TYPES``). Attributes are never ``None`` (missing facts are simply absent), so the
graphs export to GraphML/GEXF as they are. Node ids are the entities' IRIs.

>>> from pathlib import Path
>>> g = project(Path("tests/data/visualize/fixture.trig"), view="sdg")  # doctest: +SKIP
>>> sorted({d["type"] for _, d in g.nodes(data=True)})  # doctest: +SKIP
['measure', 'project', 'sdg_goal', 'sdg_target']
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any

import networkx as nx
from rdflib import Dataset, Graph, URIRef

from policy_kg.graph.query import Backend
from policy_kg.visualize.facts import Facts, load_data, load_facts, resolve_goal, select_projects
from policy_kg.visualize.options import VIEWS

__all__ = ["VIEWS", "NODE_TYPES", "EDGE_TYPES", "project", "project_facts", "aggregate"]

NODE_TYPES = (
    "sdg_goal", "sdg_target", "project", "measure", "policy_field", "document",
    "department", "organisation", "indicator", "stage",
)
EDGE_TYPES = (
    "has_target",  # sdg_goal -> sdg_target
    "sdg_link",  # sdg_target -> project; attribute link = stated | inferred
    "part_of",  # child element -> parent element (project -> measure -> policy_field)
    "in_document",  # top-level element or project -> document
    "has_stage",  # project -> first logic-model stage
    "leads_to",  # stage -> next stage
    "responsible_for",  # department -> project / policy element
    "unit_of",  # division -> department
    "partner_of",  # organisation -> project
    "indicator_of",  # indicator -> field / measure / project
)
_MEASURE_LEVELS = {"measure"}
_FIELD_LEVELS = {"policy_goal", "policy", "policy_field", "programme"}
_PROJECT_LEVELS = {"project", "sub_project"}


def project(
    data: Graph | Dataset | Backend | Path | str,
    *,
    view: str = "overview",
    document: str | URIRef | None = None,
    measure: str | URIRef | None = None,
    sdg_goal: str | int | URIRef | None = None,
    fiscal_year: int | None = None,
) -> nx.MultiDiGraph:
    """Build the networkx graph of one ``view`` of ``data``: an rdflib graph or dataset, an Oxigraph
    store backend, or a path to a built graph file (read through the store cached beside it)."""
    graph = load_data(data)
    facts = load_facts(graph)
    projects = select_projects(graph, facts, document=document, measure=measure, sdg_goal=sdg_goal)
    filtered = any(f is not None for f in (document, measure, sdg_goal))
    return project_facts(
        facts, projects, view=view, filtered=filtered,
        sdg_goal=resolve_goal(sdg_goal) if sdg_goal is not None else None, fiscal_year=fiscal_year,
    )


def project_facts(
    facts: Facts,
    projects: list[URIRef],
    *,
    view: str,
    filtered: bool = False,
    sdg_goal: URIRef | None = None,
    fiscal_year: int | None = None,
) -> nx.MultiDiGraph:
    """Build a view from already loaded facts and an already selected list of projects."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    builder = _Builder(facts, fiscal_year)
    builder.g.graph.update({"view": view})
    if fiscal_year is not None:
        builder.g.graph["fiscal_year"] = fiscal_year
    if view == "sdg":
        _sdg_view(builder, projects, sdg_goal)
    elif view == "logic-model":
        _logic_model_view(builder, projects)
    elif view == "organisations":
        _organisations_view(builder, projects)
    else:
        _overview(builder, projects, filtered)
    return builder.g


class _Builder:
    """Adds typed nodes and edges with their attributes, each node once."""

    def __init__(self, facts: Facts, fiscal_year: int | None) -> None:
        self.facts = facts
        self.fiscal_year = fiscal_year
        self.g = nx.MultiDiGraph()
        self._edges: set[tuple[str, str, str]] = set()

    def node(self, iri: URIRef, type_: str, **extra: Any) -> str:
        """Add ``iri`` as a node of ``type_`` (once) and return its id."""
        key = str(iri)
        if key in self.g:
            return key
        attrs: dict[str, Any] = {"type": type_, "label": self.facts.label(iri)}
        doc = self.facts.documents_of.get(iri)
        if doc is not None:
            attrs["document"] = self.facts.document_name(doc)
            attrs["document_title"] = self.facts.document_title(doc)
        source = self.facts.source_text(iri)
        if source:
            attrs["source"] = source
        level = self.facts.levels.get(iri)
        if level is not None and type_ in ("project", "measure", "policy_field"):
            attrs["level"] = level
        if type_ == "project":
            attrs.update(self._project_attrs(iri))
        attrs.update({k: v for k, v in extra.items() if v is not None})
        self.g.add_node(key, **attrs)
        return key

    def _project_attrs(self, iri: URIRef) -> dict[str, Any]:
        attrs: dict[str, Any] = {}
        budget = self.facts.budget(iri, self.fiscal_year)
        if budget is not None:
            attrs["budget_jpy"], attrs["fiscal_year"] = budget
        direction = self.facts.directions.get(iri)
        if direction is not None:
            attrs["status"] = self.facts.label(direction)
        return attrs

    def edge(self, u: str, v: str, type_: str, **attrs: Any) -> None:
        """Add one edge of ``type_`` from ``u`` to ``v``; a repeated (u, v, type) is ignored."""
        if (u, v, type_) in self._edges:
            return
        self._edges.add((u, v, type_))
        kept = {name: value for name, value in attrs.items() if value is not None}
        self.g.add_edge(u, v, key=type_, type=type_, **kept)

    def element(self, iri: URIRef) -> str:
        """Add a hierarchy element with the node type its level maps to."""
        level = self.facts.levels.get(iri, "")
        if level in _PROJECT_LEVELS:
            return self.node(iri, "project")
        if level in _MEASURE_LEVELS:
            return self.node(iri, "measure")
        return self.node(iri, "policy_field")

    def sdg_target(self, target: URIRef) -> str:
        """Add a target and its goal (goal -> target); return the target's id."""
        facts = self.facts
        code = facts.target_code(target)
        t = self.node(target, "sdg_target", label=code, code=code, title=facts.labels.get(target))
        goal = facts.goal_of(target)
        goal_code = facts.notations.get(goal) or code.split(".", 1)[0]
        g = self.node(goal, "sdg_goal", label=f"SDG {goal_code}", code=goal_code, title=facts.labels.get(goal))
        self.edge(g, t, "has_target")
        return t

    def document(self, doc: URIRef) -> str:
        """Add a document node labelled with its title (publisher, kind, year); the file name as ``file``."""
        return self.node(doc, "document", label=self.facts.document_title(doc),
                         file=self.facts.document_name(doc))

    def organisation(self, org: URIRef, default: str) -> str:
        """Add a department or organisation node (the org: type wins over the property used)."""
        return self.node(org, self.facts.org_kinds.get(org, default))


def _sdg_view(b: _Builder, projects: list[URIRef], goal: URIRef | None) -> None:
    """goal -> target -> project -> measure, stated and inferred links."""
    facts = b.facts
    for p in projects:
        stated = list(facts.stated_sdg.get(p, ()))
        links: list[tuple[URIRef, str, float | None]] = [(t, "stated", None) for t in stated]
        links += [(t, "inferred", s) for t, s in facts.inferred_sdg.get(p, ()) if t not in stated]
        links = [link for link in links if goal is None or facts.goal_of(link[0]) == goal]
        if not links:
            continue
        pid = b.node(p, "project")
        for target, kind, score in links:
            b.edge(b.sdg_target(target), pid, "sdg_link", link=kind, score=score)
        m = facts.measure_of(p)
        if m is not None:
            b.edge(pid, b.node(m, "measure"), "part_of")


def _ordered_stages(facts: Facts, project: URIRef) -> list[dict[str, Any]]:
    """A project's stages by step (stages without a step last, then by IRI)."""
    return sorted(facts.stages.get(project, ()), key=lambda s: (s["step"] is None, s["step"] or 0, str(s["stage"])))


def _logic_model_view(b: _Builder, projects: list[URIRef]) -> None:
    """Each project followed by its logic-model stages in step order; ``row`` orders projects."""
    facts = b.facts
    row = 0
    for p in projects:
        stages = _ordered_stages(facts, p)
        if not stages:
            continue
        pid = b.node(p, "project", step=0, row=row)
        ids = []
        for position, s in enumerate(stages, start=1):
            ids.append(b.node(
                s["stage"], "stage", label=s["statement"] or facts.label(s["stage"]),
                step=s["step"] if s["step"] is not None else position, row=row,
                stage=facts.notations.get(s["kind"]) or (facts.label(s["kind"]) if s["kind"] else None),
                project=str(p),
            ))
        b.edge(pid, ids[0], "has_stage")
        members = {s["stage"] for s in stages}
        declared = [(a, n) for a in members for n in facts.leads_to.get(a, ()) if n in members]
        # the document's own arrows when it has them, else consecutive steps
        pairs = declared or list(zip([s["stage"] for s in stages], [s["stage"] for s in stages[1:]]))
        for a, n in sorted(pairs):
            b.edge(str(a), str(n), "leads_to")
        row += 1


def _organisations_view(b: _Builder, projects: list[URIRef]) -> None:
    """Departments and partner organisations linked to the projects they run or support."""
    facts = b.facts
    reach: dict[str, set[str]] = defaultdict(set)  # org id -> project ids
    for p in projects:
        units, partners = facts.units.get(p, ()), facts.partners.get(p, ())
        if not units and not partners:
            continue
        pid = b.node(p, "project")
        doc = facts.documents_of.get(p)
        if doc is not None:
            b.edge(pid, b.document(doc), "in_document")
        for unit in units:
            uid = b.organisation(unit, "department")
            b.edge(uid, pid, "responsible_for")
            reach[uid].add(pid)
            parent = facts.unit_of.get(unit)
            if parent is not None and facts.org_kinds.get(parent, "department") == "department":
                parent_id = b.organisation(parent, "department")
                b.edge(uid, parent_id, "unit_of")
                reach[parent_id].add(pid)
        for org in partners:
            oid = b.organisation(org, "organisation")
            b.edge(oid, pid, "partner_of")
            reach[oid].add(pid)
    _set_shared(b.g, reach)


def _set_shared(g: nx.MultiDiGraph, reach: dict[str, set[str]]) -> None:
    """``projects`` = projects an organisation is linked to; ``shared`` = documents they come from."""
    for org, pids in reach.items():
        docs = {g.nodes[p].get("document", "") for p in pids}
        g.nodes[org]["projects"] = len(pids)
        g.nodes[org]["shared"] = len(docs - {""})


def _overview(b: _Builder, projects: list[URIRef], filtered: bool) -> None:
    """Documents, the policy hierarchy, projects, stated SDG targets, indicators and organisations."""
    facts = b.facts
    members = set(projects)
    if filtered:
        for p in projects:
            members.update(facts.ancestors(p))
    else:
        members.update(s for s, level in facts.levels.items() if level not in _PROJECT_LEVELS)
    for element in sorted(members):
        eid = b.element(element)
        parents = [q for q in facts.parents.get(element, ()) if q in members]
        for parent in parents:
            b.edge(eid, b.element(parent), "part_of")
        doc = facts.documents_of.get(element)
        if not parents and doc is not None:
            b.edge(eid, b.document(doc), "in_document")
        for target in facts.stated_sdg.get(element, ()):
            b.edge(b.sdg_target(target), eid, "sdg_link", link="stated")
        for unit in facts.units.get(element, ()):
            b.edge(b.organisation(unit, "department"), eid, "responsible_for")
        for org in facts.partners.get(element, ()):
            b.edge(b.organisation(org, "organisation"), eid, "partner_of")
        for indicator in facts.indicators.get(element, ()):
            b.edge(b.node(indicator, "indicator"), eid, "indicator_of")


_COLLAPSE_EDGES = {"part_of", "indicator_of", "in_document"}
_COLLAPSE_ORDER = (("project", "indicator"), ("measure",), ("policy_field",))


def aggregate(g: nx.MultiDiGraph, *, max_nodes: int = 1500) -> nx.MultiDiGraph:
    """Collapse projects (then measures, then fields) into their parents until ``g`` fits ``max_nodes``.

    Fields fold into their documents. A collapsed node's edges move to its parent and merge by (ends, type, link) with a ``weight``;
    the parent records ``aggregated`` (nodes folded in), ``projects`` and the summed ``budget_jpy``.
    Returns ``g`` itself when it already fits.
    """
    collapse: set[str] = set()
    result = g
    for types in _COLLAPSE_ORDER:
        if result.number_of_nodes() <= max_nodes:
            break
        collapse.update(types)
        result = _collapse(g, collapse)
        result.graph["aggregated"] = ",".join(sorted(collapse))
    return result


def _representatives(g: nx.MultiDiGraph, collapse: set[str]) -> dict[str, str]:
    """Map every node to the node it folds into (itself when it stays)."""
    up: dict[str, str] = {}
    for u, v, data in g.edges(data=True):
        if data.get("type") in _COLLAPSE_EDGES and g.nodes[u].get("type") in collapse and u not in up:
            up[u] = v
    rep: dict[str, str] = {}
    for n in g.nodes:
        seen = {n}
        r = n
        while r in up and up[r] not in seen:  # seen guards against part_of cycles
            r = up[r]
            seen.add(r)
        rep[n] = r
    return rep


def _collapse(g: nx.MultiDiGraph, collapse: set[str]) -> nx.MultiDiGraph:
    rep = _representatives(g, collapse)
    out = nx.MultiDiGraph(**g.graph)
    folded: dict[str, list[str]] = defaultdict(list)
    for n, r in rep.items():
        if n == r:
            out.add_node(n, **g.nodes[n])
        else:
            folded[r].append(n)
    for r, members in folded.items():
        attrs = out.nodes[r]
        project_nodes = [m for m in members if g.nodes[m].get("type") == "project"]
        attrs["aggregated"] = len(members)
        attrs["projects"] = attrs.get("projects", 0) + len(project_nodes)
        budgets = [g.nodes[m]["budget_jpy"] for m in project_nodes if "budget_jpy" in g.nodes[m]]
        if budgets:
            attrs["budget_jpy"] = attrs.get("budget_jpy", 0) + sum(budgets)
    weights: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for u, v, data in g.edges(data=True):
        ru, rv = rep[u], rep[v]
        if ru == rv:
            continue
        weights[(ru, rv, data.get("type", ""), data.get("link", ""))] += int(data.get("weight", 1))
    for (u, v, type_, link), weight in weights.items():
        attrs: dict[str, Any] = {"type": type_, "weight": weight}
        if link:
            attrs["link"] = link
        out.add_edge(u, v, key=f"{type_}:{link}" if link else type_, **attrs)
    return out
