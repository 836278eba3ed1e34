"""``ontology/policy.ttl`` declares exactly the ``PKG`` terms, each labelled and defined."""

from __future__ import annotations

from collections import Counter
from typing import get_args

import pytest
from rdflib import Graph, Literal, Namespace, URIRef

from policy_kg.extract import records
from policy_kg.graph.namespace import DCTERMS, ORG, OWL, PKG, PROV, QB, RDF, RDFS, SDO, SKOS, XSD
from policy_kg.graph.validate import load_ontology

FOAF = Namespace("http://xmlns.com/foaf/0.1/")
PKG_NS = str(PKG._NS)
TERM_NAMES = sorted(PKG.__annotations__)
DECLARING_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, SKOS.ConceptScheme, SKOS.Concept}


@pytest.fixture(scope="module")
def onto() -> Graph:
    return load_ontology()


def _typed(onto: Graph, kind: URIRef) -> list[URIRef]:
    """Subjects in the pkg: namespace typed ``kind``."""
    return sorted(s for s in onto.subjects(RDF.type, kind) if str(s).startswith(PKG_NS))


def _labels(onto: Graph, node: URIRef, predicate: URIRef, lang: str) -> list[str]:
    return [str(o) for o in onto.objects(node, predicate) if isinstance(o, Literal) and o.language == lang]


def _scheme_concepts(onto: Graph, scheme: URIRef) -> list[URIRef]:
    return sorted(c for c in onto.subjects(SKOS.inScheme, scheme) if isinstance(c, URIRef))


def test_policy_ttl_declares_an_owl_ontology(onto: Graph) -> None:
    assert (URIRef("https://w3id.org/policy-kg/ontology"), RDF.type, OWL.Ontology) in onto
    assert len(TERM_NAMES) > 100


@pytest.mark.parametrize("name", TERM_NAMES)
def test_every_namespace_term_is_declared(onto: Graph, name: str) -> None:
    types = set(onto.objects(PKG[name], RDF.type))
    assert types & DECLARING_TYPES, f"pkg:{name} is in graph/namespace.py but not declared in policy.ttl"


def test_every_pkg_subject_is_a_namespace_term(onto: Graph) -> None:
    subjects = {str(s) for s in onto.subjects() if str(s).startswith(PKG_NS)}
    extra = subjects - {PKG_NS + name for name in TERM_NAMES}
    assert not extra, f"declared in policy.ttl but missing from graph/namespace.py: {sorted(extra)}"


def test_every_pkg_object_is_a_namespace_term(onto: Graph) -> None:
    # A typo in an object position (pkg:leadsTo pkg:ShortTermOutcom) would mint a wrong IRI.
    objects = {str(o) for o in onto.objects() if isinstance(o, URIRef) and str(o).startswith(PKG_NS)}
    assert objects <= {PKG_NS + name for name in TERM_NAMES}


def test_classes_and_properties_are_labelled_and_defined(onto: Graph) -> None:
    terms = [*_typed(onto, OWL.Class), *_typed(onto, OWL.ObjectProperty), *_typed(onto, OWL.DatatypeProperty)]
    assert len(terms) > 60
    for term in terms:
        assert len(_labels(onto, term, RDFS.label, "en")) == 1, f"{term}: one rdfs:label@en"
        assert len(_labels(onto, term, RDFS.label, "ja")) == 1, f"{term}: one rdfs:label@ja"
        assert _labels(onto, term, SKOS.definition, "en"), f"{term}: skos:definition@en"


def test_schemes_are_labelled_and_defined(onto: Graph) -> None:
    schemes = _typed(onto, SKOS.ConceptScheme)
    assert len(schemes) == 10
    for scheme in schemes:
        assert _labels(onto, scheme, SKOS.prefLabel, "en") and _labels(onto, scheme, SKOS.prefLabel, "ja")
        assert _labels(onto, scheme, SKOS.definition, "en")


def test_concepts_have_notation_labels_and_scheme(onto: Graph) -> None:
    concepts = _typed(onto, SKOS.Concept)
    assert len(concepts) == 48  # 7 directions, 2+7+5+4+11+3+7+2 in the other schemes (7 value roles)
    schemes = set(_typed(onto, SKOS.ConceptScheme))
    for concept in concepts:
        notation = onto.value(concept, SKOS.notation)
        assert isinstance(notation, Literal) and notation.datatype is None and str(notation), concept
        assert len(_labels(onto, concept, SKOS.prefLabel, "en")) == 1, f"{concept}: one prefLabel@en"
        assert len(_labels(onto, concept, SKOS.prefLabel, "ja")) == 1, f"{concept}: one prefLabel@ja"
        assert _labels(onto, concept, SKOS.definition, "en"), concept
        in_schemes = set(onto.objects(concept, SKOS.inScheme))
        assert len(in_schemes) == 1 and in_schemes <= schemes, f"{concept} is in {in_schemes}"


def test_notations_and_labels_are_unique_within_a_scheme(onto: Graph) -> None:
    for scheme in _typed(onto, SKOS.ConceptScheme):
        concepts = _scheme_concepts(onto, scheme)
        notations = Counter(str(onto.value(c, SKOS.notation)) for c in concepts)
        ja_labels = Counter(_labels(onto, c, SKOS.prefLabel, "ja")[0] for c in concepts)
        assert max(notations.values(), default=1) == 1, f"{scheme}: {notations}"
        assert max(ja_labels.values(), default=1) == 1, f"{scheme}: {ja_labels}"


def test_direction_japanese_labels_are_the_printed_kanji(onto: Graph) -> None:
    # The builder maps the printed direction to its concept through these labels.
    concepts = _scheme_concepts(onto, PKG.DirectionScheme)
    by_label = {_labels(onto, c, SKOS.prefLabel, "ja")[0]: c for c in concepts}
    assert by_label == {
        "新規": PKG.New, "継続": PKG.Continue, "終了": PKG.End, "廃止": PKG.Abolish,
        "拡充": PKG.Expand, "縮小": PKG.Reduce, "統合": PKG.Merge,
    }


@pytest.mark.parametrize(
    ("scheme", "codes"),
    [
        (PKG.ValueRoleScheme, records.Role),
        (PKG.IndicatorKindScheme, records.IndicatorKind),
        (PKG.StageScheme, records.Stage),
        (PKG.AmountCategoryScheme, records.AmountCategory),
        (PKG.AmountStatusScheme, records.AmountStatus),
    ],
    ids=lambda x: str(x).rsplit("#", 1)[-1] if isinstance(x, URIRef) else "",
)
def test_scheme_notations_match_record_codes(onto: Graph, scheme: URIRef, codes: object) -> None:
    # Records carry these codes; the builder finds the concept by notation.
    notations = {str(onto.value(c, SKOS.notation)) for c in _scheme_concepts(onto, scheme)}
    assert notations == set(get_args(codes))


def test_legal_basis_and_assertion_schemes(onto: Graph) -> None:
    def by_notation(scheme: URIRef) -> dict[str, URIRef]:
        return {str(onto.value(c, SKOS.notation)): c for c in _scheme_concepts(onto, scheme)}

    legal = {"statutory": PKG.Statutory, "discretionary": PKG.Discretionary}
    assert by_notation(PKG.LegalBasisScheme) == legal
    assert by_notation(PKG.AssertionScheme) == {"extracted": PKG.Extracted, "manual": PKG.ManualAssertion}


def test_funding_types_cover_the_printed_kinds(onto: Graph) -> None:
    concepts = _scheme_concepts(onto, PKG.FundingTypeScheme)
    labels = {_labels(onto, c, SKOS.prefLabel, "ja")[0] for c in concepts}
    assert labels == {"受託金", "補助金", "借入金", "助成金", "基金運用益", "受講料", "その他"}


def test_stages_are_ordered_and_chained(onto: Graph) -> None:
    chain = [PKG.Activity, PKG.ShortTermOutcome, PKG.MidTermOutcome, PKG.FinalOutcome]
    assert [onto.value(stage, PKG.step) for stage in chain] == [Literal(n) for n in (1, 2, 3, 4)]
    assert [onto.value(stage, PKG.leadsTo) for stage in chain] == [*chain[1:], None]


@pytest.mark.parametrize(
    ("prop", "datatype"),
    [
        (PKG.fiscalYear, XSD.integer), (PKG.step, XSD.integer), (PKG.lineStart, XSD.integer),
        (PKG.lineEnd, XSD.integer), (PKG.value, XSD.decimal), (PKG.score, XSD.decimal),
        (PKG.confidence, XSD.decimal), (PKG.subsidyRate, XSD.decimal), (PKG.isPriority, XSD.boolean),
        (PKG.notAvailable, XSD.boolean), (PKG.yearNotPrinted, XSD.boolean),
    ],
    ids=lambda x: str(x).rsplit("#", 1)[-1],
)
def test_datatype_ranges(onto: Graph, prop: URIRef, datatype: URIRef) -> None:
    assert (prop, RDF.type, OWL.DatatypeProperty) in onto
    assert set(onto.objects(prop, RDFS.range)) == {datatype}


def test_alignment_with_standard_vocabularies(onto: Graph) -> None:
    expected = [
        (PKG.Document, RDFS.subClassOf, PROV.Entity),
        (PKG.Document, RDFS.subClassOf, FOAF.Document),
        (PKG.Document, RDFS.subClassOf, DCTERMS.BibliographicResource),
        (PKG.TextSpan, RDFS.subClassOf, PROV.Entity),
        (PKG.PolicyElement, RDFS.subClassOf, PROV.Entity),
        (PKG.IndicatorValue, RDFS.subClassOf, QB.Observation),
        (PKG.Amount, RDFS.subClassOf, SDO.MonetaryAmount),
        (PKG.SdgGoal, RDFS.subClassOf, SKOS.Concept),
        (PKG.SdgTarget, RDFS.subClassOf, SKOS.Concept),
        (PKG.isPartOf, RDFS.subPropertyOf, DCTERMS.isPartOf),
        (PKG.source, RDFS.subPropertyOf, PROV.wasDerivedFrom),
        (PKG.responsibleUnit, RDFS.subPropertyOf, PROV.wasAttributedTo),
    ]
    missing = [t for t in expected if t not in onto]
    assert not missing
    for level in ("PolicyGoal", "Policy", "PolicyField", "Programme", "Measure", "Project", "SubProject"):
        assert (PKG[level], RDFS.subClassOf, PKG.PolicyElement) in onto


def test_org_terms_are_reused_not_redeclared(onto: Graph) -> None:
    assert not [s for s in onto.subjects() if str(s).startswith(str(ORG))]
    assert (PKG.responsibleUnit, RDFS.range, ORG.Organization) in onto
    assert (PKG.partner, RDFS.range, ORG.Organization) in onto
