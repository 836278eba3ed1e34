"""The IRI scheme of built data, in one place (the builder and the SDG suggester share it).

>>> str(project_iri("sheet", "m1-p3", "https://example.org/"))
'https://example.org/doc/sheet/project/m1-p3'
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from urllib.parse import quote

from rdflib import URIRef

from policy_kg.graph.namespace import DEFAULT_BASE


def segment(text: str) -> str:
    """An IRI path segment: percent-encoded, so any printed name is safe in any store."""
    return quote(text, safe="-._~()")


def document_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{base}doc/{doc_id}")


#: Named graphs of the ontology and of the SDG reference data, relative to the base.
ONTOLOGY_GRAPH = "graph/ontology"
REFERENCE_GRAPH = "graph/sdg-reference"


def graph_iri(doc_id: str, base: str = DEFAULT_BASE) -> URIRef:
    """The named graph holding one document's triples."""
    return URIRef(f"{base}graph/{doc_id}")


def curation_graph_iri(document_graph: str) -> URIRef:
    """The named graph holding what a curation file asserted about the document of ``document_graph``."""
    return URIRef(f"{document_graph}/curation")


def base_of_graph(document_graph: str) -> str:
    """The base IRI a document graph was built under (the inverse of :func:`graph_iri`)."""
    return document_graph[: document_graph.rindex("graph/")]


def document_scope(document_graphs: Iterable[str], has_graph: Callable[[str], bool]) -> list[str] | None:
    """What a query confined to some documents reads: their graphs, their curation graphs (those
    ``has_graph``) and the ontology and SDG reference graphs of their base.

    ``None`` when the graphs are not named as this project names them (a foreign name, no reference
    graphs beside them): the whole dataset must then be read.
    """
    scope = set(document_graphs)
    for graph in list(scope):
        if "graph/" not in graph:
            return None
        base = base_of_graph(graph)
        for required in (base + ONTOLOGY_GRAPH, base + REFERENCE_GRAPH):
            if not has_graph(required):
                return None
            scope.add(required)
        curation = str(curation_graph_iri(graph))
        if has_graph(curation):
            scope.add(curation)
    return sorted(scope)


def project_iri(doc_id: str, key: str, base: str = DEFAULT_BASE) -> URIRef:
    return URIRef(f"{document_iri(doc_id, base)}/project/{segment(key)}")


def org_iri(key: str, base: str = DEFAULT_BASE) -> URIRef:
    """An organisation, shared by every document that names it (``key`` from entity linking)."""
    return URIRef(f"{base}org/{segment(key)}")
