"""Records → RDF: determinism, provenance on every number, exact figures, hierarchy, curation."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from rdflib import Literal, URIRef
from rdflib.compare import graph_diff, to_isomorphic

from policy_kg.extract.records import DocumentRecord, ManualFact, from_json, to_json
from policy_kg.graph.builder import build_dataset, graph_iri
from policy_kg.graph.namespace import DEFAULT_BASE, PKG, RDF, SDG, SDO, SKOS, XSD
from tests.records_fixture import town_sheet


def _quads(ds):
    return set(ds.quads((None, None, None, None)))


def test_same_records_give_the_same_quads():
    a, b = build_dataset([town_sheet()]), build_dataset([town_sheet()])
    assert _quads(a) == _quads(b)
    iso_a, iso_b = to_isomorphic(a.graph(graph_iri("town-sheet"))), to_isomorphic(b.graph(graph_iri("town-sheet")))
    _, only_a, only_b = graph_diff(iso_a, iso_b)
    assert not list(only_a) and not list(only_b)


def test_no_blank_nodes():
    ds = build_dataset([town_sheet()])
    for s, _p, o, _ in ds.quads((None, None, None, None)):
        assert isinstance(s, URIRef) and not type(o).__name__ == "BNode"


def test_every_number_carries_document_and_line_span():
    ds = build_dataset([town_sheet()])
    numbers = list(ds.subjects(RDF.type, PKG.Amount)) + list(ds.subjects(RDF.type, PKG.IndicatorValue))
    assert len(numbers) == 5 + 1 + 4 + 2  # 5 amounts, 1 ceiling, 4 KPI values, 2 plan values
    for node in numbers:
        span = ds.value(node, PKG.source)
        assert span is not None, node
        assert ds.value(span, PKG.inDocument) == URIRef(DEFAULT_BASE + "doc/town-sheet")
        assert int(ds.value(span, PKG.lineStart)) <= int(ds.value(span, PKG.lineEnd))


def test_amounts_are_exact_integer_yen():
    ds = build_dataset([town_sheet()])
    values = sorted(int(v) for a in ds.subjects(RDF.type, PKG.Amount) for v in ds.objects(a, SDO.value))
    assert values == [0, 375_000, 500_000, 1_000_000, 1_500_000, 2_000_000]
    for a in ds.subjects(RDF.type, PKG.Amount):
        assert ds.value(a, SDO.value).datatype == XSD.integer


def test_no_value_is_not_zero():
    ds = build_dataset([town_sheet()])
    actual = URIRef(DEFAULT_BASE + "doc/town-sheet/indicator/kpi-1/value/actual-2022")
    assert ds.value(actual, PKG.value) is None
    assert ds.value(actual, PKG.notAvailable) == Literal(True)
    final = URIRef(DEFAULT_BASE + "doc/town-sheet/indicator/kpi-1/value/final_target-final")
    assert ds.value(final, PKG.value).toPython() == Decimal("10.5")
    assert ds.value(final, PKG.fiscalYear) is None
    assert ds.value(final, PKG.yearNotPrinted) is None  # a final target's year is often not printed
    assert ds.value(actual, PKG.yearNotPrinted) is None  # it has its year


def test_a_value_printed_without_its_year_says_so_and_has_no_year():
    record = town_sheet()
    indicator = next(i for p in record.projects for i in p.indicators) if any(
        p.indicators for p in record.projects) else record.indicators[0]
    first = indicator.values[0]
    indicator.values[0] = dataclasses.replace(first, role="actual", fiscal_year=None)
    ds = build_dataset([record])
    (node,) = [n for n in ds.subjects(PKG.ofIndicator, None) if ds.value(n, PKG.yearNotPrinted) is not None]
    assert ds.value(node, PKG.yearNotPrinted) == Literal(True)
    assert ds.value(node, PKG.fiscalYear) is None


def test_relisted_project_has_two_parents_and_sdg_targets_link_goals():
    ds = build_dataset([town_sheet()])
    p2 = URIRef(DEFAULT_BASE + "doc/town-sheet/project/m2-p1")
    parents = {str(ds.value(m, PKG.number)) for m in ds.objects(p2, PKG.isPartOf)}
    assert parents == {"1", "2"}
    assert (SDG["11.4"], SKOS.broader, SDG["11"]) in ds
    assert (SDG["8.3"], SKOS.notation, Literal("8.3")) in ds


def test_unknown_direction_is_kept_not_dropped():
    ds = build_dataset([town_sheet()])
    p2 = URIRef(DEFAULT_BASE + "doc/town-sheet/project/m2-p1")
    direction = ds.value(p2, PKG.direction)
    assert str(ds.value(direction, SKOS.prefLabel)) == "休止"
    p1 = URIRef(DEFAULT_BASE + "doc/town-sheet/project/m1-p1")
    assert ds.value(p1, PKG.direction) == PKG.Continue


def test_logic_model_is_ordered_and_linked():
    ds = build_dataset([town_sheet()])
    p1 = URIRef(DEFAULT_BASE + "doc/town-sheet/project/m1-p1")
    stage = URIRef(f"{p1}/stage/1")
    chain = []
    while stage is not None:
        chain.append(ds.value(ds.value(stage, PKG.stage), SKOS.notation).toPython())
        stage = ds.value(stage, PKG.leadsTo)
    assert chain == ["activity", "short_term", "mid_term", "final"]


def test_organisations_link_by_normalised_name_across_documents():
    a = town_sheet()
    b = town_sheet()
    b.doc_id, b.file_name = "other", "other.txt"
    ds = build_dataset([a, b])
    orgs = set(ds.objects(None, PKG.partner))
    assert len(orgs) == 2  # the same two organisations, not four


def test_curated_facts_live_in_the_curation_graph():
    r = town_sheet()
    r.projects[0].sdg_targets.append("9.5")
    r.manual_facts.append(ManualFact("m1-p1", "sdg_target", "9.5", "town-sheet.curation.yaml"))
    ds = build_dataset([r])
    curated = ds.graph(URIRef(str(graph_iri("town-sheet")) + "/curation"))
    p1 = URIRef(DEFAULT_BASE + "doc/town-sheet/project/m1-p1")
    assert (p1, PKG.sdgTarget, SDG["9.5"]) in curated
    assert (p1, PKG.sdgTarget, SDG["9.5"]) not in ds.graph(graph_iri("town-sheet"))
    assert (curated.identifier, PKG.assertion, PKG.ManualAssertion) in curated


def test_records_json_round_trip_builds_the_same_graph():
    r = town_sheet()
    again = from_json(DocumentRecord, to_json(r))
    assert again == r
    assert _quads(build_dataset([r])) == _quads(build_dataset([again]))


def test_base_iri_is_configurable():
    ds = build_dataset([town_sheet()], base="http://example.org/kg/", reference=False)
    assert all(str(s).startswith(("http://example.org/kg/", "http://metadata.un.org/sdg/"))
               for s in ds.subjects())
