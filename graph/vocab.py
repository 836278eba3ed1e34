"""Concept lookups loaded from ``ontology/policy.ttl`` (the file is the single source of truth).

The builder maps record codes (``"general_fund"``) and printed words (``継続``) onto concepts
through the notations and Japanese labels the ontology declares, so adding a concept is a data
change, not a code change.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from rdflib import Graph, Literal, URIRef

from policy_kg.graph.namespace import PKG, RDF, SKOS

ONTOLOGY_DIR = Path(__file__).resolve().parents[1] / "ontology"


@cache
def ontology_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "policy.ttl", format="turtle")
    return g


@cache
def sdg_reference_graph() -> Graph:
    g = Graph()
    g.parse(ONTOLOGY_DIR / "sdg.ttl", format="turtle")
    return g


@cache
def _scheme_index(scheme: URIRef) -> tuple[dict[str, URIRef], dict[str, URIRef]]:
    g = ontology_graph()
    by_notation: dict[str, URIRef] = {}
    by_ja: dict[str, URIRef] = {}
    for concept in g.subjects(SKOS.inScheme, scheme):
        if not isinstance(concept, URIRef) or (concept, RDF.type, SKOS.Concept) not in g:
            continue
        for n in g.objects(concept, SKOS.notation):
            by_notation[str(n)] = concept
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in g.objects(concept, prop):
                if isinstance(label, Literal) and label.language == "ja":
                    by_ja.setdefault(str(label), concept)
    return by_notation, by_ja


def concept(scheme: URIRef, notation: str) -> URIRef:
    """The concept of ``scheme`` whose ``skos:notation`` is ``notation``; KeyError if none."""
    by_notation, _ = _scheme_index(scheme)
    try:
        return by_notation[notation]
    except KeyError:
        raise KeyError(f"no concept with notation {notation!r} in {scheme}") from None


def concept_by_ja_label(scheme: URIRef, label: str) -> URIRef | None:
    """The concept of ``scheme`` whose Japanese ``skos:prefLabel`` (or alt label) is ``label``, or None."""
    return _scheme_index(scheme)[1].get(label)


def funding_type(printed: str) -> URIRef:
    """Funding-type concept for a printed type (受託金 …); the longest matching label wins."""
    _, by_ja = _scheme_index(PKG.FundingTypeScheme)
    for label in sorted(by_ja, key=len, reverse=True):
        if label in printed:
            return by_ja[label]
    return concept(PKG.FundingTypeScheme, "other")
