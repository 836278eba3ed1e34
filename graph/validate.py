"""Validate a built graph against the policy-kg SHACL shapes (``ontology/shapes.ttl``).

``validate(data)`` checks the union of every named graph of ``data`` with pySHACL, without
inference (the shapes name the classes they target), after mixing in ``ontology/policy.ttl`` so that
concept triples such as the ``pkg:step`` of a stage concept are visible to the checks. The data is
validated in a pyoxigraph store: pySHACL then runs the SPARQL-based constraints on Oxigraph, about
ten times faster than re-parsing each query with rdflib for every focus node::

    >>> from rdflib import Graph
    >>> validate(Graph()).conforms
    True
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox
from pyshacl import validate as shacl_validate
from rdflib import Dataset, Graph, Literal, Node
from rdflib.graph import ConjunctiveGraph  # Dataset's base class: any graph-of-graphs has quads

from policy_kg.graph.namespace import RDF, SH, bind_prefixes

__all__ = [
    "ONTOLOGY_DIR",
    "Violation",
    "ValidationResult",
    "validate",
    "validate_file",
    "load_ontology",
    "load_shapes",
    "load_sdg_reference",
    "union_graph",
]

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"
POLICY_TTL = ONTOLOGY_DIR / "policy.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
SDG_TTL = ONTOLOGY_DIR / "sdg.ttl"


@dataclass(frozen=True)
class Violation:
    """One SHACL validation result: which node broke which shape, and why."""

    focus_node: Node
    path: Node | None
    message: str
    severity: str  # local name of the sh:resultSeverity: "Violation", "Warning" or "Info"
    source_shape: Node
    value: Node | None = None


@dataclass(frozen=True)
class ValidationResult:
    """The outcome of ``validate``: whether the data conforms, each result, and pySHACL's report."""

    conforms: bool
    results: list[Violation]
    text: str

    def by_shape(self, shape: Node) -> list[Violation]:
        """Return the results raised by ``shape``."""
        return [v for v in self.results if v.source_shape == shape]


def _parse(path: Path) -> Graph:
    """Parse one Turtle file of the ontology folder into a new graph."""
    return bind_prefixes(Graph()).parse(path, format="turtle")


def load_ontology() -> Graph:
    """Return a fresh graph of ``ontology/policy.ttl`` (classes, properties, concept schemes)."""
    return _parse(POLICY_TTL)


def load_shapes() -> Graph:
    """Return a fresh graph of ``ontology/shapes.ttl``."""
    return _parse(SHAPES_TTL)


def load_sdg_reference() -> Graph:
    """Return a fresh graph of ``ontology/sdg.ttl`` (17 SDG goals, 169 targets at their UN IRIs)."""
    return _parse(SDG_TTL)


@lru_cache(maxsize=1)
def _cached_shapes() -> Graph:
    # Parsed once per process: validation is called per build and in many tests.
    return load_shapes()


@lru_cache(maxsize=1)
def _cached_ontology() -> Graph:
    return load_ontology()


@lru_cache(maxsize=1)
def _cached_sdg_reference() -> Graph:
    return load_sdg_reference()


def union_graph(data: Graph | Dataset) -> Graph:
    """Copy the triples of every graph of ``data`` (default and named) into one new graph."""
    union = bind_prefixes(Graph())
    if isinstance(data, (Dataset, ConjunctiveGraph)):
        for s, p, o, _ in data.quads((None, None, None, None)):
            union.add((s, p, o))
    else:
        for triple in data:
            union.add(triple)
    return union


def validate(data: Graph | Dataset, *, include_sdg_reference: bool = False) -> ValidationResult:
    """Validate ``data`` (a graph, or every graph of a dataset) against ``ontology/shapes.ttl``.

    With ``include_sdg_reference`` the SDG goals and targets of ``ontology/sdg.ttl`` are added to
    the data first, so that links to SDG targets can be checked against their reference entries
    (``pkgsh:SdgReferenceShape``: a target the UN list lacks, such as 11.99, is a violation). A
    built graph carries the reference itself; ``policy-kg validate`` always mixes it in.
    """
    union = union_graph(data)
    # Mixed in here rather than passed as pySHACL's ont_graph, which an Oxigraph store ignores.
    union += _cached_ontology()
    if include_sdg_reference:
        union += _cached_sdg_reference()
    return _shacl(_to_oxigraph(union))


def validate_file(
    path: str | Path,
    *,
    include_sdg_reference: bool = True,
    progress: Callable[[str], None] | None = None,
) -> ValidationResult:
    """:func:`validate` of a graph file, read by Oxigraph: no rdflib parse of the data.

    Every graph of the file (TriG, N-Quads, Turtle, N-Triples, JSON-LD) goes into the default graph
    of an in-memory store, with ``ontology/policy.ttl`` (and the SDG reference), as :func:`validate`
    mixes them; the same results (``tests/test_shapes.py`` checks it on every broken case graph).
    ``progress`` is told each stage (loading, how many triples, the shapes). A file Oxigraph cannot
    parse raises ``SyntaxError``.
    """
    from policy_kg.graph.io import RdfFormat

    path = Path(path)
    say = progress or (lambda message: None)
    formats = {RdfFormat.TRIG: ox.RdfFormat.TRIG, RdfFormat.NQUADS: ox.RdfFormat.N_QUADS,
               RdfFormat.TURTLE: ox.RdfFormat.TURTLE, RdfFormat.NTRIPLES: ox.RdfFormat.N_TRIPLES,
               RdfFormat.JSONLD: ox.RdfFormat.JSON_LD}
    started = time.perf_counter()
    say(f"reading {path} …")
    store = ox.Store()
    sources = [(path, formats[RdfFormat.from_path(path)]), (POLICY_TTL, ox.RdfFormat.TURTLE)]
    if include_sdg_reference:
        sources.append((SDG_TTL, ox.RdfFormat.TURTLE))
    for source, fmt in sources:
        # the union of the graphs: every quad's triple into the default graph (a set: once each)
        store.extend(ox.Quad(q.subject, q.predicate, q.object)
                     for q in ox.parse(path=str(source), format=fmt, base_iri=source.resolve().as_uri()))
    say(f"{len(store):,} triples read in {time.perf_counter() - started:.1f} s; "
        f"checking the shapes of {SHAPES_TTL.name} …")
    started = time.perf_counter()
    result = _shacl(store)
    say(f"shapes checked in {time.perf_counter() - started:.1f} s: {len(result.results)} result(s)")
    return result


def _shacl(data) -> ValidationResult:
    conforms, report, text = shacl_validate(
        data,
        shacl_graph=_cached_shapes(),
        inference="none",
        abort_on_first=False,
        allow_warnings=False,
        meta_shacl=False,
        advanced=False,
        inplace=True,  # the store is our own copy: no need for pySHACL to clone it again
    )
    return ValidationResult(conforms=bool(conforms), results=_violations(report), text=str(text))


def _to_oxigraph(graph: Graph) -> ox.Store:
    """Load ``graph`` into the default graph of a new in-memory pyoxigraph store."""
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    return store


def _violations(report: Graph) -> list[Violation]:
    """Read the top-level results of a pySHACL report graph, in a stable order."""
    # Only sh:result links of the report: nested sh:detail results (from sh:node) explain a
    # top-level result and are kept in ``text``, not repeated as violations of their own.
    nodes = [n for r in report.subjects(RDF.type, SH.ValidationReport) for n in report.objects(r, SH.result)]
    results = [_violation(report, node) for node in nodes]
    return sorted(results, key=lambda v: (str(v.source_shape), str(v.focus_node), str(v.path), v.message))


def _violation(report: Graph, node: Node) -> Violation:
    """Turn one result node of a report graph into a ``Violation``."""
    messages = sorted(str(m) for m in report.objects(node, SH.resultMessage) if isinstance(m, Literal))
    severity = report.value(node, SH.resultSeverity)
    return Violation(
        focus_node=report.value(node, SH.focusNode),
        path=report.value(node, SH.resultPath),
        message=" / ".join(messages),
        severity=_local_name(severity) if severity is not None else "Violation",
        source_shape=report.value(node, SH.sourceShape),
        value=report.value(node, SH.value),
    )


def _local_name(iri: Node) -> str:
    """Return the part of an IRI after its last ``#`` or ``/``."""
    text = str(iri)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
