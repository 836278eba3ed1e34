"""File-driven SHACL cases: each ``tests/data/shapes/*.ttl`` names, in its header, what must fire.

A case file's header lines ``# expect: <shape local name> | <message fragment>`` list the shapes
(in ``https://w3id.org/policy-kg/shapes#``) that must report a result whose message contains the
fragment; ``# expect: conforms`` marks a graph that must pass. The set of shapes that fire must be
exactly the expected set, so every broken graph isolates its defect. ``# with: sdg-reference``
validates the case with the UN list of ``ontology/sdg.ttl`` mixed in, as ``policy-kg validate`` does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef

from policy_kg.graph.namespace import PKG, RDF, RDFS, SDO, SH, SKOS
from policy_kg.graph.validate import ONTOLOGY_DIR, ValidationResult, load_shapes, validate, validate_file

CASES_DIR = Path(__file__).parent / "data" / "shapes"
CASE_FILES = sorted(CASES_DIR.glob("*.ttl"))
PKGSH = Namespace("https://w3id.org/policy-kg/shapes#")

# The shapes the assignment requires to be shown firing; each must appear in some case file.
REQUIRED_SHAPES = {
    "ProjectPartOfMeasureShape",
    "Project-label-single",
    "Project-isPriority",
    "AmountFiscalYearShape",
    "Amount-category",
    "Amount-value",
    "Amount-source",
    "IndicatorValue-role",
    "IndicatorValueYearShape",
    "IndicatorValueNumberShape",
    "SdgTarget-notation",
    "SdgTarget-goal",
    "SdgTargetPrefixShape",
    "LogicModelStage-stage",
    "LogicModelStage-step",
    "LogicModelStage-statement",
    "SdgReferenceShape",
}


@dataclass(frozen=True)
class Case:
    """A shape test case read from a Turtle file's header comments."""

    path: Path
    conforms: bool
    expected: tuple[tuple[str, str], ...]  # (shape local name, message fragment)
    with_sdg_reference: bool = False


def read_case(path: Path) -> Case:
    """Parse the ``# expect:`` header lines of a case file."""
    expected: list[tuple[str, str]] = []
    conforms = False
    lines = path.read_text(encoding="utf-8").splitlines()
    for line in lines:
        if not line.startswith("# expect:"):
            continue
        spec = line.removeprefix("# expect:").strip()
        if spec == "conforms":
            conforms = True
            continue
        shape, _, fragment = spec.partition("|")
        expected.append((shape.strip(), fragment.strip()))
    if conforms == bool(expected):
        raise ValueError(f"{path.name}: give either '# expect: conforms' or '# expect: shape | message'")
    return Case(path, conforms, tuple(expected), "# with: sdg-reference" in lines)


def fired_shapes(result: ValidationResult) -> set[str]:
    """Local names of the shapes that reported a result."""
    return {str(v.source_shape).removeprefix(str(PKGSH)) for v in result.results}


def test_case_files_are_found() -> None:
    # Guard the glob: an empty parametrisation would pass while testing nothing.
    assert len(CASE_FILES) >= 20
    assert any(read_case(p).conforms for p in CASE_FILES)
    assert any(not read_case(p).conforms for p in CASE_FILES)


def test_every_required_shape_has_a_failing_case() -> None:
    covered = {shape for p in CASE_FILES for shape, _ in read_case(p).expected}
    assert REQUIRED_SHAPES <= covered, f"no failing case for {sorted(REQUIRED_SHAPES - covered)}"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_shape_case(path: Path) -> None:
    case = read_case(path)
    result = validate(Graph().parse(path, format="turtle"), include_sdg_reference=case.with_sdg_reference)
    if case.conforms:
        assert result.conforms, result.text
        assert result.results == []
        return
    assert not result.conforms
    assert fired_shapes(result) == {shape for shape, _ in case.expected}, result.text
    for shape, fragment in case.expected:
        messages = [v.message for v in result.by_shape(PKGSH[shape])]
        assert any(fragment in m for m in messages), f"{shape}: {fragment!r} not in {messages}"


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_a_file_read_by_oxigraph_gives_the_results_of_the_graph_read_by_rdflib(path: Path) -> None:
    # `policy-kg validate` reads the file with Oxigraph (validate_file); every broken case must
    # report exactly what validating the rdflib graph reports
    def results(result: ValidationResult) -> list[tuple]:
        return [(str(v.focus_node), str(v.path), str(v.source_shape), v.message, v.severity, str(v.value))
                for v in result.results]

    expected = validate(Graph().parse(path, format="turtle"), include_sdg_reference=True)
    found = validate_file(path, include_sdg_reference=True)
    assert (found.conforms, results(found)) == (expected.conforms, results(expected))


def test_validate_file_tells_its_stages() -> None:
    stages: list[str] = []
    validate_file(CASES_DIR / "valid-city-sheet.ttl", progress=stages.append)
    assert stages[0].startswith("reading") and "triples read" in stages[1] and "shapes checked" in stages[-1]


def test_violation_fields_are_filled() -> None:
    result = validate(Graph().parse(CASES_DIR / "amount-without-source.ttl", format="turtle"))
    (violation,) = result.results
    assert violation.focus_node == URIRef("https://w3id.org/policy-kg/id/doc/t/a1")
    assert violation.path == PKG.source
    assert violation.severity == "Violation"
    assert violation.source_shape == PKGSH["Amount-source"]
    assert "Amount-source" in result.text


def test_project_message_names_the_project() -> None:
    result = validate(Graph().parse(CASES_DIR / "project-not-in-measure.ttl", format="turtle"))
    (violation,) = result.results
    assert "孤立した事業" in violation.message
    assert "https://w3id.org/policy-kg/id/doc/t/p9" in violation.message


def test_named_graphs_are_validated_as_one_union() -> None:
    # The measure is in one named graph and the project in another: together they conform,
    # and a defect in any named graph is found.
    dataset = Dataset()
    measure, project = URIRef("urn:x:m"), URIRef("urn:x:p")
    g1 = dataset.graph(URIRef("urn:graph:1"))
    g1.add((measure, RDF.type, PKG.Measure))
    g2 = dataset.graph(URIRef("urn:graph:2"))
    g2.add((project, RDF.type, PKG.Project))
    g2.add((project, SKOS.prefLabel, Literal("事業", lang="ja")))
    g2.add((project, PKG.isPartOf, measure))
    assert validate(dataset).conforms
    g2.add((project, PKG.isPriority, Literal("yes")))
    result = validate(dataset)
    assert fired_shapes(result) == {"Project-isPriority"}


def test_sdg_reference_can_be_mixed_in() -> None:
    # A bare link to a reference target, typed but without notation, is completed by sdg.ttl.
    g = Graph()
    target = URIRef("http://metadata.un.org/sdg/11.4")
    g.add((target, RDF.type, PKG.SdgTarget))
    assert not validate(g).conforms
    assert validate(g, include_sdg_reference=True).conforms


def test_shapes_have_labels_and_messages() -> None:
    shapes = load_shapes()
    named = {s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef)}
    named |= {s for s in shapes.subjects(RDF.type, SH.PropertyShape) if isinstance(s, URIRef)}
    assert len(named) > 30
    for shape in named:
        labelled = shapes.value(shape, SH.name) is not None or shapes.value(shape, RDFS.label) is not None
        assert labelled, f"{shape} has no sh:name / rdfs:label"
        if _emits_results(shapes, shape):
            assert _has_message(shapes, shape), f"{shape} reports results without a sh:message"



def _emits_results(shapes: Graph, shape: URIRef) -> bool:
    """True when a shape reports results itself (a target-less helper or pure container does not)."""
    own = {p for p in shapes.predicates(shape, None)} - {
        RDF.type, SH.targetClass, SH.property, SH.name, RDFS.label, RDFS.comment, SH.message,
    }
    is_property_shape = (shape, RDF.type, SH.PropertyShape) in shapes
    has_target = shapes.value(shape, SH.targetClass) is not None
    return bool(own) and (is_property_shape or has_target)


def _has_message(shapes: Graph, shape: URIRef) -> bool:
    """True when a shape, or every SPARQL constraint it holds, carries a sh:message."""
    if shapes.value(shape, SH.message) is not None:
        return True
    constraints = list(shapes.objects(shape, SH.sparql))
    return bool(constraints) and all(shapes.value(c, SH.message) is not None for c in constraints)


def test_a_few_thousand_conforming_triples_give_no_result() -> None:
    # (How long this takes is measured in bench/bench_validate.py, not asserted here.)
    graph = _synthetic_graph(projects=150)
    assert len(graph) > 3000
    result = validate(graph, include_sdg_reference=True)
    assert result.conforms, result.text[:2000]
    assert result.results == []


def test_targets_and_goals_the_un_list_lacks_are_violations_with_the_reference() -> None:
    # 11.99 is well formed; goal 18 and its 18.1 break the notation shapes too, and with the UN list
    # mixed in both are also reported as missing from it.
    graph = Graph().parse(CASES_DIR / "sdg-target-goal-18.ttl", format="turtle")
    assert "SdgReferenceShape" not in fired_shapes(validate(graph))  # no reference in the data: not checked
    result = validate(graph, include_sdg_reference=True)
    assert {str(v.focus_node) for v in result.by_shape(PKGSH["SdgReferenceShape"])} == {
        "http://metadata.un.org/sdg/18", "http://metadata.un.org/sdg/18.1"}
    linked = Graph().parse(CASES_DIR / "sdg-target-not-in-un-list.ttl", format="turtle")
    (violation,) = validate(linked, include_sdg_reference=True).results
    assert violation.focus_node == URIRef("http://metadata.un.org/sdg/11.99")


def test_cli_validate_exits_1_on_a_link_to_a_target_the_un_list_lacks(tmp_path, capsys) -> None:
    from build_graph import main

    # A hand-made graph without the reference graph: `validate` mixes the UN list in itself.
    graph = Graph().parse(CASES_DIR / "sdg-target-not-in-un-list.ttl", format="turtle")
    path = tmp_path / "graph.ttl"
    graph.serialize(path, format="turtle")
    good = Graph().parse(CASES_DIR / "valid-city-sheet.ttl", format="turtle")
    good_path = tmp_path / "good.ttl"
    good.serialize(good_path, format="turtle")
    assert main(["validate", "--graph", str(good_path)]) == 0
    assert main(["validate", "--graph", str(path)]) == 1
    out = capsys.readouterr()
    assert "11.99" in out.out and "SHACL violation" in out.err


def _synthetic_graph(projects: int) -> Graph:
    """A conforming graph with ``projects`` projects, each with a span, two amounts and a logic model."""
    base = Namespace("https://w3id.org/policy-kg/id/doc/perf/")
    g = Graph()
    doc = URIRef("https://w3id.org/policy-kg/id/doc/perf")
    g.add((doc, RDF.type, PKG.Document))
    g.add((doc, PKG.fileName, Literal("perf.txt")))
    measure = base["m1"]
    g.add((measure, RDF.type, PKG.Measure))
    stages = [PKG.Activity, PKG.ShortTermOutcome, PKG.MidTermOutcome, PKG.FinalOutcome]
    for i in range(projects):
        project, span = base[f"p{i}"], base[f"L{i + 1}-L{i + 2}"]
        g.add((span, RDF.type, PKG.TextSpan))
        g.add((span, PKG.inDocument, doc))
        g.add((span, PKG.lineStart, Literal(i + 1)))
        g.add((span, PKG.lineEnd, Literal(i + 2)))
        g.add((project, RDF.type, PKG.Project))
        g.add((project, SKOS.prefLabel, Literal(f"事業{i}", lang="ja")))
        g.add((project, PKG.isPartOf, measure))
        g.add((project, PKG.isPriority, Literal(i % 2 == 0)))
        g.add((project, PKG.sdgTarget, URIRef("http://metadata.un.org/sdg/8.3")))
        for year, category in ((2023, PKG.TotalCost), (2024, PKG.GeneralFund)):
            amount = base[f"p{i}-{year}"]
            g.add((amount, RDF.type, PKG.Amount))
            g.add((amount, PKG.amountOf, project))
            g.add((amount, PKG.category, category))
            g.add((amount, PKG.fiscalYear, Literal(year)))
            g.add((amount, SDO.value, Literal(1000 * i)))
            g.add((amount, SDO.currency, Literal("JPY")))
            g.add((amount, PKG.confidence, Literal(Decimal("1.0"))))
            g.add((amount, PKG.source, span))
        for step, stage in enumerate(stages, start=1):
            node = base[f"p{i}-lm{step}"]
            g.add((node, RDF.type, PKG.LogicModelStage))
            g.add((node, PKG.stageOf, project))
            g.add((node, PKG.stage, stage))
            g.add((node, PKG.step, Literal(step)))
            g.add((node, PKG.statement, Literal("記述", lang="ja")))
    return g


def test_ontology_dir_holds_the_data_files() -> None:
    assert {p.name for p in ONTOLOGY_DIR.glob("*.ttl")} >= {"policy.ttl", "shapes.ttl", "sdg.ttl"}

