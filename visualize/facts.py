"""Read the facts every view needs from an RDF graph with a handful of SPARQL queries.

The queries run on pyoxigraph: a built graph file is read through the Oxigraph store cached beside
it (:func:`graph.stores.backend_for`, the store ``query`` uses, built on first use and rebuilt when
the file changes), never re-parsed with rdflib. An rdflib ``Graph`` / ``Dataset`` a caller hands in
(the notebook API, tests) is queried with rdflib, as it is; either way the facts are the same.

The queries select flat rows (one pattern each, few OPTIONALs) so that either engine answers them in
roughly linear time even on graphs with tens of thousands of entities; rows are joined in Python.
Parameters (document, measure) are bound as RDF terms — a ``VALUES`` block on Oxigraph, ``initBindings``
on rdflib — never formatted into query text, and only ever bound to variables of required patterns
(rdflib pre-binds variables, so binding one that sits in an OPTIONAL would not filter).

Rows are read in a canonical order (sorted by their terms), so the facts — and every view drawn from
them — do not depend on the order an engine happens to return rows in.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.term import Node

from policy_kg.graph.namespace import ORG, PKG, PREFIXES, SDG
from policy_kg.graph.query import Backend, with_prefixes

__all__ = ["Facts", "load_facts", "load_data", "select_projects", "resolve_document", "resolve_measure"]

# Namespaces handed to every query, so no query re-declares a prefix.
_INIT_NS: dict[str, Any] = {prefix: str(ns) for prefix, ns in PREFIXES.items()}

PROJECT_CLASSES = (PKG.Project, PKG.SubProject)
HIERARCHY_LEVELS: dict[URIRef, str] = {
    PKG.PolicyGoal: "policy_goal",
    PKG.Policy: "policy",
    PKG.PolicyField: "policy_field",
    PKG.Programme: "programme",
    PKG.Measure: "measure",
    PKG.Project: "project",
    PKG.SubProject: "sub_project",
}

Q_ELEMENTS = """
SELECT ?s ?type WHERE {
  VALUES ?type { pkg:PolicyGoal pkg:Policy pkg:PolicyField pkg:Programme pkg:Measure
                 pkg:Project pkg:SubProject }
  ?s a ?type .
}"""
Q_IN_DOCUMENTS = "SELECT ?s ?doc WHERE { ?s pkg:inDocument ?doc }"
Q_LABELS = "SELECT ?s ?label WHERE { ?s skos:prefLabel ?label }"
Q_NOTATIONS = "SELECT ?s ?notation WHERE { ?s skos:notation ?notation }"
Q_BROADER = "SELECT ?s ?broader WHERE { ?s skos:broader ?broader }"
Q_PARENTS = "SELECT ?s ?parent WHERE { ?s pkg:isPartOf ?parent }"
Q_DOCUMENTS = """
SELECT ?doc ?file ?title ?layout ?year ?publisher WHERE {
  ?doc a pkg:Document .
  OPTIONAL { ?doc pkg:fileName ?file }
  OPTIONAL { ?doc dcterms:title ?title }
  OPTIONAL { ?doc pkg:layout ?layout }
  OPTIONAL { ?doc pkg:fiscalYear ?year }
  OPTIONAL { ?doc dcterms:publisher ?publisher }
}"""
Q_SOURCES = """
SELECT ?s ?start ?end ?doc WHERE {
  VALUES ?type { pkg:PolicyGoal pkg:Policy pkg:PolicyField pkg:Programme pkg:Measure
                 pkg:Project pkg:SubProject pkg:Indicator pkg:LogicModelStage }
  ?s a ?type ; pkg:source ?span .
  ?span pkg:lineStart ?start .
  OPTIONAL { ?span pkg:lineEnd ?end }
  OPTIONAL { ?span pkg:inDocument ?doc }
}"""
# Total cost per owner and fiscal year; ``?year`` is required so a fiscal-year filter can bind it. The full
# cost (トータルコスト, with staff) is left out, as sdg_coverage leaves it out, so the views and the query agree.
Q_TOTALS = """
SELECT ?owner ?year ?value ?status WHERE {
  ?amount pkg:amountOf ?owner ; pkg:category ?category ; pkg:fiscalYear ?year ; schema:value ?value .
  FILTER (?category = pkg:TotalCost || EXISTS { ?category skos:notation "total" })
  OPTIONAL { ?amount pkg:amountStatus ?status }
}"""
Q_DIRECTIONS = "SELECT ?s ?direction WHERE { ?s pkg:direction ?direction }"
Q_STATED_SDG = """
SELECT ?project ?target WHERE {
  VALUES ?type { pkg:Project pkg:SubProject }
  ?project a ?type ; pkg:sdgTarget ?target .
}"""
Q_INFERRED_SDG = """
SELECT ?suggestion ?project ?target ?score WHERE {
  ?suggestion a pkg:SdgSuggestion ; pkg:suggestedFor ?project ; pkg:sdgTarget ?target .
  OPTIONAL { ?suggestion pkg:score ?score }
}"""
Q_STAGES = """
SELECT ?stage ?project ?step ?kind ?statement WHERE {
  ?stage pkg:stageOf ?project .
  OPTIONAL { ?stage pkg:step ?step }
  OPTIONAL { ?stage pkg:stage ?kind }
  OPTIONAL { ?stage pkg:statement ?statement }
}"""
Q_LEADS_TO = "SELECT ?a ?b WHERE { ?a pkg:leadsTo ?b }"
Q_UNITS = "SELECT ?s ?unit WHERE { ?s pkg:responsibleUnit ?unit }"
Q_UNIT_OF = "SELECT ?unit ?parent WHERE { ?unit org:unitOf ?parent }"
Q_PARTNERS = "SELECT ?s ?org WHERE { ?s pkg:partner ?org }"
Q_ORG_TYPES = """
SELECT ?org ?type WHERE {
  VALUES ?type { org:Organization org:OrganizationalUnit }
  ?org a ?type .
}"""
Q_INDICATORS = "SELECT ?indicator ?owner WHERE { ?indicator pkg:indicatorOf ?owner }"

# Filters: each binds one required variable.
Q_IN_DOCUMENT = "SELECT ?s WHERE { ?s pkg:inDocument ?doc }"
Q_UNDER = "SELECT ?s WHERE { ?s pkg:isPartOf+ ?ancestor }"
Q_DOCUMENT_BY_FILE = "SELECT ?doc WHERE { ?doc a pkg:Document ; pkg:fileName ?file }"

_STATUS_PRIORITY = {PKG.Budget: 0, PKG.Plan: 1, PKG.Estimate: 2}
# The kind of document each layout reads, as a planner names it.
DOCUMENT_KINDS = {"evaluation_sheet": "行政評価シート", "business_plan": "事業計画"}


@dataclass(frozen=True)
class Span:
    """A provenance span: lines ``start``..``end`` of a document."""

    document: URIRef | None
    start: int
    end: int


@dataclass
class Facts:
    """Everything the projections read from a graph, keyed by IRI."""

    levels: dict[URIRef, str] = field(default_factory=dict)  # hierarchy element -> level code
    documents_of: dict[URIRef, URIRef] = field(default_factory=dict)
    labels: dict[Node, str] = field(default_factory=dict)
    notations: dict[Node, str] = field(default_factory=dict)
    broader: dict[Node, Node] = field(default_factory=dict)
    parents: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    document_names: dict[URIRef, str] = field(default_factory=dict)  # file names
    document_meta: dict[URIRef, dict[str, Any]] = field(default_factory=dict)  # title, layout, year, publisher
    sources: dict[URIRef, Span] = field(default_factory=dict)
    totals: dict[URIRef, dict[int, int]] = field(default_factory=dict)  # owner -> year -> yen
    directions: dict[URIRef, URIRef] = field(default_factory=dict)
    stated_sdg: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    inferred_sdg: dict[URIRef, list[tuple[URIRef, float | None]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    stages: dict[URIRef, list[dict[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    leads_to: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    units: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    unit_of: dict[URIRef, URIRef] = field(default_factory=dict)
    partners: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))
    org_kinds: dict[URIRef, str] = field(default_factory=dict)  # "department" | "organisation"
    indicators: dict[URIRef, list[URIRef]] = field(default_factory=lambda: defaultdict(list))

    def projects(self) -> list[URIRef]:
        """Projects and sub-projects, in IRI order."""
        return sorted(s for s, level in self.levels.items() if level in ("project", "sub_project"))

    def elements(self, level: str) -> list[URIRef]:
        """Hierarchy elements of one level code, in IRI order."""
        return sorted(s for s, lvl in self.levels.items() if lvl == level)

    def label(self, node: Node) -> str:
        """The display label of ``node``: prefLabel, else notation, else the IRI's last segment."""
        if node in self.labels:
            return self.labels[node]
        if node in self.notations:
            return self.notations[node]
        text = str(node)
        return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1] or text

    def document_name(self, doc: URIRef | None) -> str:
        """File name (or title) of a document, for node attributes and tables."""
        if doc is None:
            return ""
        return self.document_names.get(doc) or self.label(doc)

    def document_title(self, doc: URIRef | None) -> str:
        """A readable name of a document: publisher + document kind + fiscal year, from its metadata.

        ``みどり野市 行政評価シート 2023年度``; without a publisher the printed title stands in for it
        (``令和６年度 事業計画``, with the kind only when the title lacks it). Titles shared by several
        documents get the file name's stem appended, so each document keeps a distinct name.
        """
        if doc is None:
            return ""
        titles = self._document_titles()
        return titles.get(doc) or self.document_name(doc)

    def _document_titles(self) -> dict[URIRef, str]:
        cached = self.__dict__.get("_titles")
        if cached is not None and len(cached) == len(self.document_meta):
            return cached
        base: dict[URIRef, str] = {}
        for doc, meta in self.document_meta.items():
            kind = DOCUMENT_KINDS.get(str(meta.get("layout") or ""), "")
            year = meta.get("year")
            publisher = self.labels.get(meta["publisher"]) if meta.get("publisher") is not None else None
            if publisher:
                parts = [publisher, kind, f"{year}年度" if year else ""]
            else:
                title = str(meta.get("title") or "")
                parts = [title, "" if kind and kind in title else kind,
                         f"{year}年度" if year and not title else ""]
            text = " ".join(p for p in parts if p).strip()
            base[doc] = text or self.document_name(doc)
        counts: dict[str, int] = defaultdict(int)
        for text in base.values():
            counts[text] += 1
        titles = {}
        for doc, text in base.items():
            if counts[text] > 1:
                stem = self.document_name(doc).rsplit(".", 1)[0]
                text = f"{text} ({stem})"
            titles[doc] = text
        self.__dict__["_titles"] = titles
        return titles

    def project_budget(self, project: URIRef, fiscal_year: int) -> int | None:
        """Total cost of ``project`` in ``fiscal_year`` with its parts' totals added (as ``sdg_coverage`` sums them)."""
        own = self.totals.get(project, {}).get(fiscal_year)
        parts = [self.totals.get(c, {}).get(fiscal_year) for c in self.children(project)
                 if self.levels.get(c) == "sub_project"]
        values = [v for v in [own, *parts] if v is not None]
        return sum(values) if values else None

    def children(self, node: URIRef) -> list[URIRef]:
        """Elements that are directly part of ``node``, in IRI order."""
        index = self.__dict__.get("_children")
        if index is None:
            index = defaultdict(list)
            for child, parents in self.parents.items():
                for parent in parents:
                    index[parent].append(child)
            for members in index.values():
                members.sort()
            self.__dict__["_children"] = index
        return index.get(node, [])

    def source_text(self, node: URIRef) -> str:
        """Provenance as ``file:L12-L14`` (``file:L12`` for one line); empty when unknown."""
        span = self.sources.get(node)
        if span is None:
            return ""
        name = self.document_name(span.document or self.documents_of.get(node)) or "?"
        if span.end == span.start:
            return f"{name}:L{span.start}"
        return f"{name}:L{span.start}-L{span.end}"

    def budget(self, node: URIRef, fiscal_year: int | None = None) -> tuple[int, int] | None:
        """(yen, year) of the total cost for ``fiscal_year``, or for the latest year when None."""
        by_year = self.totals.get(node)
        if not by_year:
            return None
        year = max(by_year) if fiscal_year is None else fiscal_year
        if year not in by_year:
            return None
        return by_year[year], year

    def target_code(self, target: Node) -> str:
        """SDG target code ("8.1"): its notation, else the last segment of its UN IRI."""
        if target in self.notations:
            return self.notations[target]
        text = str(target)
        return text[len(str(SDG)):] if text.startswith(str(SDG)) else self.label(target)

    def goal_of(self, target: Node) -> URIRef:
        """The SDG goal of a target: ``skos:broader`` if loaded, else derived from the target code."""
        goal = self.broader.get(target)
        if isinstance(goal, URIRef):
            return goal
        return SDG[self.target_code(target).split(".", 1)[0]]

    def ancestors(self, node: URIRef) -> list[URIRef]:
        """Every element ``node`` is (transitively) part of, nearest first, without cycles."""
        seen: list[URIRef] = []
        frontier = list(self.parents.get(node, ()))
        while frontier:
            parent = frontier.pop(0)
            if parent in seen or parent == node:
                continue
            seen.append(parent)
            frontier.extend(self.parents.get(parent, ()))
        return seen

    def measure_of(self, project: URIRef) -> URIRef | None:
        """The nearest measure a project belongs to (through sub-project parents)."""
        for ancestor in self.ancestors(project):
            if self.levels.get(ancestor) == "measure":
                return ancestor
        return None


def load_data(data: Graph | Dataset | Backend | Path | str) -> Graph | Backend:
    """What the fact queries run on: an rdflib ``Graph`` / ``Dataset`` or a query backend (an
    Oxigraph store) as given; a path to a built graph file (``.trig``, ``.nq``, ``.ttl`` …) → the
    Oxigraph store cached beside it, as ``query`` reads it (built on first use from the file by
    Oxigraph, never parsed by rdflib). A missing or unreadable file raises
    :class:`~policy_kg.graph.query.QueryError`."""
    if isinstance(data, Graph) or hasattr(data, "select"):
        return data  # type: ignore[return-value]
    from policy_kg.graph.stores import backend_for

    return backend_for(Path(data), store=True)


def _rows(data: Graph | Backend, query: str, bindings: dict[str, Node] | None = None) -> list[Any]:
    """The rows of a fact query, in canonical order (see the module notes)."""
    if isinstance(data, Graph):
        rows: Iterable[Any] = data.query(query, initNs=_INIT_NS, initBindings=bindings or {})
    else:
        rows = data.select(with_prefixes(query), bindings or {}).rows
    return sorted(rows, key=_row_key)


def _row_key(row: Iterable[Node | None]) -> tuple:
    return tuple(_term_key(term) for term in row)


def _term_key(term: Node | None) -> tuple:
    """Orders unbound < blank nodes < IRIs < literals; blank nodes all alike (their labels are the
    engine's own), literals by text, then language or datatype."""
    if isinstance(term, Literal):
        return (3, str(term), term.language or str(term.datatype or ""))
    if isinstance(term, URIRef):
        return (2, str(term), "")
    return (0 if term is None else 1, "", "")


def _int(node: Node | None) -> int | None:
    if isinstance(node, Literal):
        try:
            return int(node.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _float(node: Node | None) -> float | None:
    if isinstance(node, Literal):
        try:
            return float(node.toPython())
        except (TypeError, ValueError):
            return None
    return None


def _prefer_label(current: Literal | None, candidate: Literal) -> bool:
    """True when ``candidate`` is a better display label: Japanese, then untagged, then any."""
    rank = {"ja": 0, None: 1}
    if current is None:
        return True
    return rank.get(candidate.language, 2) < rank.get(current.language, 2)


def load_facts(data: Graph | Backend) -> Facts:
    """Run the fact queries over ``data`` (an rdflib graph, a dataset's default union, or an Oxigraph store
    backend: see :func:`load_data`)."""
    facts = Facts()
    for s, type_ in _rows(data, Q_ELEMENTS):
        # a node typed both Project and SubProject is a sub-project; keep the most specific level
        if facts.levels.get(s) != "sub_project":
            facts.levels[s] = HIERARCHY_LEVELS[type_]
    for s, doc in _rows(data, Q_IN_DOCUMENTS):
        if isinstance(doc, URIRef):
            facts.documents_of.setdefault(s, doc)
    _load_labels(data, facts)
    for s, parent in _rows(data, Q_PARENTS):
        if isinstance(parent, URIRef) and parent not in facts.parents[s]:
            facts.parents[s].append(parent)
    for doc, file_name, title, layout, year, publisher in _rows(data, Q_DOCUMENTS):
        facts.document_names.setdefault(doc, str(file_name or title or ""))
        meta = facts.document_meta.setdefault(doc, {})
        for key, value in (("title", title), ("layout", layout), ("year", _int(year)), ("publisher", publisher)):
            if value is not None and key not in meta:
                meta[key] = str(value) if isinstance(value, Literal) else value
    for s, start, end, doc in _rows(data, Q_SOURCES):
        first = _int(start)
        if first is None:
            continue
        last = _int(end) or first
        previous = facts.sources.get(s)
        if previous is None or first < previous.start:
            facts.sources[s] = Span(doc if isinstance(doc, URIRef) else None, first, last)
    _load_totals(data, facts)
    for s, direction in _rows(data, Q_DIRECTIONS):
        facts.directions[s] = direction
    _load_sdg(data, facts)
    _load_logic_models(data, facts)
    _load_organisations(data, facts)
    for indicator, owner in _rows(data, Q_INDICATORS):
        facts.indicators[owner].append(indicator)
    return facts


def _load_labels(data: Graph | Backend, facts: Facts) -> None:
    best: dict[Node, Literal] = {}
    for s, label in _rows(data, Q_LABELS):
        if isinstance(label, Literal) and _prefer_label(best.get(s), label):
            best[s] = label
    facts.labels = {s: str(label) for s, label in best.items()}
    for s, notation in _rows(data, Q_NOTATIONS):
        facts.notations.setdefault(s, str(notation))
    for s, broader in _rows(data, Q_BROADER):
        facts.broader.setdefault(s, broader)


def _load_totals(data: Graph | Backend, facts: Facts) -> None:
    chosen: dict[tuple[URIRef, int], tuple[int, int]] = {}  # (owner, year) -> (priority, yen)
    for owner, year, value, status in _rows(data, Q_TOTALS):
        y, yen = _int(year), _int(value)
        if y is None or yen is None:
            continue
        # several totals for one year (budget and estimate): prefer budget, then plan, then estimate
        priority = _STATUS_PRIORITY.get(status, 3)
        key = (owner, y)
        if key not in chosen or priority < chosen[key][0]:
            chosen[key] = (priority, yen)
    for (owner, year), (_, yen) in chosen.items():
        facts.totals.setdefault(owner, {})[year] = yen


def _load_sdg(data: Graph | Backend, facts: Facts) -> None:
    for project, target in _rows(data, Q_STATED_SDG):
        if target not in facts.stated_sdg[project]:
            facts.stated_sdg[project].append(target)
    best: dict[tuple[URIRef, URIRef], float | None] = {}
    for _, project, target, score in _rows(data, Q_INFERRED_SDG):
        value = _float(score)
        key = (project, target)
        if key not in best or (value is not None and (best[key] is None or value > best[key])):
            best[key] = value
    for (project, target), value in sorted(best.items()):
        facts.inferred_sdg[project].append((target, value))


def _load_logic_models(data: Graph | Backend, facts: Facts) -> None:
    for stage, project, step, kind, statement in _rows(data, Q_STAGES):
        facts.stages[project].append(
            {"stage": stage, "step": _int(step), "kind": kind, "statement": str(statement or "")}
        )
    for a, b in _rows(data, Q_LEADS_TO):
        facts.leads_to[a].append(b)


def _load_organisations(data: Graph | Backend, facts: Facts) -> None:
    for s, unit in _rows(data, Q_UNITS):
        if unit not in facts.units[s]:
            facts.units[s].append(unit)
    for unit, parent in _rows(data, Q_UNIT_OF):
        facts.unit_of[unit] = parent
    for s, org in _rows(data, Q_PARTNERS):
        if org not in facts.partners[s]:
            facts.partners[s].append(org)
    for org, type_ in _rows(data, Q_ORG_TYPES):
        # org:OrganizationalUnit is a subclass of org:Organization: the unit type wins
        if type_ == ORG.OrganizationalUnit or org not in facts.org_kinds:
            facts.org_kinds[org] = "department" if type_ == ORG.OrganizationalUnit else "organisation"


def resolve_document(data: Graph | Backend, facts: Facts, document: str | URIRef) -> URIRef:
    """The document IRI meant by ``document``: an IRI, a file name, or a document id (IRI suffix)."""
    docs = set(facts.document_names)
    if isinstance(document, URIRef) or str(document) in {str(d) for d in docs}:
        return URIRef(str(document))
    by_file = [row[0] for row in _rows(data, Q_DOCUMENT_BY_FILE, {"file": Literal(str(document))})]
    if by_file:
        return by_file[0]
    suffix = [d for d in docs if str(d).rstrip("/").endswith("/" + str(document))]
    if len(suffix) == 1:
        return suffix[0]
    known = sorted(facts.document_names.values())
    near = difflib.get_close_matches(str(document), known, n=5, cutoff=0.4)
    raise ValueError(f"no document matches {document!r}; " + (f"near matches: {near}; " if near else "")
                     + f"known: {known[:50]}")


def resolve_measure(facts: Facts, measure: str | URIRef) -> URIRef:
    """The measure IRI meant by ``measure``: an IRI, or an exact label."""
    measures = facts.elements("measure")
    if URIRef(str(measure)) in measures:
        return URIRef(str(measure))
    matches = [m for m in measures if facts.label(m) == str(measure)]
    if len(matches) == 1:
        return matches[0]
    labels = sorted({facts.label(m) for m in measures})
    near = difflib.get_close_matches(str(measure), labels, n=5, cutoff=0.3) or [
        label for label in labels if str(measure) and str(measure) in label][:5]
    raise ValueError(f"no single measure matches {measure!r} ({len(matches)} found)"
                     + (f"; near matches: {', '.join(near)}" if near else ""))


def resolve_goal(goal: str | int | URIRef) -> URIRef:
    """The UN IRI of an SDG goal given as 8, "8" or its IRI."""
    text = str(goal)
    return URIRef(text) if text.startswith(str(SDG)) else SDG[text.strip()]


def select_projects(
    data: Graph | Backend,
    facts: Facts,
    *,
    document: str | URIRef | None = None,
    measure: str | URIRef | None = None,
    sdg_goal: str | int | URIRef | None = None,
) -> list[URIRef]:
    """Projects that pass every given filter, in IRI order."""
    selected = set(facts.projects())
    if document is not None:
        doc = resolve_document(data, facts, document)
        selected &= {row[0] for row in _rows(data, Q_IN_DOCUMENT, {"doc": doc})}
    if measure is not None:
        m = resolve_measure(facts, measure)
        selected &= {row[0] for row in _rows(data, Q_UNDER, {"ancestor": m})}
    if sdg_goal is not None:
        goal = resolve_goal(sdg_goal)
        selected = {p for p in selected if goal in _goals_of(facts, p)}
    return sorted(selected)


def _goals_of(facts: Facts, project: URIRef) -> set[URIRef]:
    targets = list(facts.stated_sdg.get(project, ())) + [t for t, _ in facts.inferred_sdg.get(project, ())]
    return {facts.goal_of(t) for t in targets}
