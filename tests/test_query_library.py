"""The query library: every .rq file documents itself, declares its real columns, and runs."""

from __future__ import annotations

import pytest
from rdflib import Literal
from rdflib.plugins.sparql import prepareQuery

from policy_kg.graph.builder import build_dataset
from policy_kg.graph.namespace import XSD
from policy_kg.graph.query import QueryError, list_checks, list_queries, load_query, run_query, with_values
from tests.records_fixture import town_sheet

QUERIES = list_queries()
REQUIRED_COLUMNS = {
    "projects": ["document", "measure", "project", "department", "status", "priority", "pillar", "sdg_targets"],
    "budgets": ["project", "fiscal_year", "category", "amount_jpy"],
    "sdg_links": ["goal", "target", "project", "measure", "document", "source"],
    "indicators": ["owner", "indicator", "kind", "unit", "fiscal_year", "role", "value"],
    "logic_model": ["project", "step", "stage", "statement"],
    "partners": ["project", "organization"],
    "hierarchy": ["document", "level", "code", "name", "parent"],
    "funding": ["project", "source", "kind", "amount_jpy"],
    "sdg_coverage": ["document", "goal", "target", "projects", "budget_jpy"],
    "untagged_projects": ["document", "measure", "project"],
}


@pytest.fixture(scope="module")
def town():
    return build_dataset([town_sheet()])


def test_the_library_is_not_empty_and_has_the_required_queries():
    names = {q.name for q in QUERIES}
    assert set(REQUIRED_COLUMNS) <= names


@pytest.mark.parametrize("spec", QUERIES, ids=lambda q: q.name)
def test_header_columns_are_the_select_variables(spec):
    projected = [str(v) for v in prepareQuery(spec.text).algebra["PV"]]
    assert projected == list(spec.columns)
    assert spec.title and spec.description
    if spec.name in REQUIRED_COLUMNS:
        assert list(spec.columns[: len(REQUIRED_COLUMNS[spec.name])]) == REQUIRED_COLUMNS[spec.name]


@pytest.mark.parametrize("spec", QUERIES, ids=lambda q: q.name)
def test_every_query_runs_and_returns_its_columns(spec, town):
    result = run_query(town, spec)
    assert result.columns == list(spec.columns)
    assert result.rows, f"{spec.name} returned nothing on the fixture town"


def test_projects_rows(town):
    rows = {(r["measure"], r["project"]): r for r in run_query(town, "projects").as_dicts()}
    p1 = rows[("商店街の振興", "商店街イベント補助金")]
    assert (p1["status"], p1["priority"], p1["pillar"], p1["sdg_targets"]) == ("継続", "true", "1", "8.3 11.4")
    assert p1["department"] == "産業部 商業課"
    # the re-listed project has one row per parent
    assert ("商店街の振興", "起業支援事業") in rows and ("起業の支援", "起業支援事業") in rows


def test_budgets_rows_are_exact(town):
    rows = run_query(town, "budgets", params={"fiscal_year": "2023"}).as_dicts()
    got = {(r["project"], r["category"]): r["amount_jpy"] for r in rows}
    assert got == {
        ("商店街イベント補助金", "total"): "1500000",
        ("商店街イベント補助金", "general_fund"): "1000000",
        ("商店街イベント補助金", "personnel"): "375000",
        ("起業支援事業", "total"): "2000000",
    }


def test_indicator_no_value_is_empty_not_zero(town):
    rows = run_query(town, "indicators", params={"role": "actual"}).as_dicts()
    assert [(r["value"], r["available"], r["printed"]) for r in rows] == [("", "false", "－")]


def test_parameters_are_bound_not_pasted(town):
    hostile = 'x" } ?s ?p ?o { "'
    assert run_query(town, "projects", params={"document": hostile}).rows == []
    text = with_values(load_query("projects").text, {"document": Literal(hostile)})
    assert '\\"' in text  # the quote was escaped by the RDF serialiser


def test_unknown_parameter_and_bad_type_are_errors(town):
    with pytest.raises(QueryError, match="no parameter"):
        run_query(town, "projects", params={"nope": "1"})
    with pytest.raises(QueryError, match="not a valid year"):
        run_query(town, "budgets", params={"fiscal_year": "next year"})
    with pytest.raises(QueryError, match="not a valid year"):
        run_query(town, "budgets", params={"fiscal_year": "R"})


def test_year_parameter_is_typed(town):
    spec = load_query("budgets")
    from policy_kg.graph.query import bind_params

    assert bind_params(spec, {"fiscal_year": "2023"})["fiscal_year"] == Literal(2023, datatype=XSD.integer)
    # era years wherever a year is: 令和5 = R5 = 2023, H30 = 2018
    for era, year in (("令和5", 2023), ("R5", 2023), ("r5", 2023), ("令和5年度", 2023), ("H30", 2018),
                      ("平成30", 2018), ("令和元", 2019), ("２０２３", 2023)):
        assert bind_params(spec, {"fiscal_year": era})["fiscal_year"] == Literal(year, datatype=XSD.integer), era
    assert run_query(town, "budgets", params={"fiscal_year": "R5"}).rows == \
        run_query(town, "budgets", params={"fiscal_year": "2023"}).rows


def test_a_parameter_restricts_a_variable_the_query_binds_itself(town):
    """sdg_links BINDs ?source; the parameter must still filter (rdflib's initBindings would not)."""
    from policy_kg.graph.sdg_suggest import Suggestion, add_suggestions

    record = town_sheet()
    ds = build_dataset([record])
    add_suggestions(ds, record, [("m2-p1", Suggestion("9.3", 1.5, ("起業",)))])
    sources = {r["source"] for r in run_query(ds, "sdg_links", params={"source": "stated"}).as_dicts()}
    assert sources == {"stated"}
    inferred = run_query(ds, "sdg_links", params={"source": "inferred"}).as_dicts()
    assert {r["source"] for r in inferred} == {"inferred"}
    assert ("9.3", "起業支援事業", "keyword-tfidf-v1") in {(r["target"], r["project"], r["method"]) for r in inferred}
    assert not {r["project"] for r in inferred} & {"商店街イベント補助金"}  # stated projects get no guesses


CHECKS = list_checks()


def test_data_checks_exist_and_declare_their_columns():
    assert len(CHECKS) >= 2
    for spec in CHECKS:
        assert [str(v) for v in prepareQuery(spec.text).algebra["PV"]] == list(spec.columns)


@pytest.mark.parametrize("spec", CHECKS, ids=lambda q: q.name)
def test_checks_find_nothing_in_a_sound_graph(spec, town):
    assert run_query(town, spec).rows == []


def test_checks_fire_on_broken_figures_and_numbers():
    from dataclasses import replace

    from policy_kg.extract.records import Amount

    record = town_sheet()
    p1 = record.projects[0]
    p1.amounts = [a if a.category != "general_fund" else replace(a, jpy=9_000_000) for a in p1.amounts]
    record.projects.append(replace(record.projects[1], key="m2-dup", name="重複事業", parents=["m2"],
                                   amounts=[Amount("total", 1, "1", p1.span)]))
    record.projects[1].parents = ["m2"]
    ds = build_dataset([record])
    fired = {spec.name: run_query(ds, spec).as_dicts() for spec in CHECKS}
    assert [r["general_fund_jpy"] for r in fired["general-fund-exceeds-total-violation"]] == ["9000000"]
    assert [(r["measure"], r["number"]) for r in fired["duplicate-project-number-violation"]] == [("起業の支援", "1")]


def test_validate_cli_reports_check_rows(tmp_path, capsys):
    from dataclasses import replace

    from build_graph import main
    from policy_kg.graph.io import RdfFormat, write_graph

    record = town_sheet()
    p1 = record.projects[0]
    p1.amounts = [a if a.category != "general_fund" else replace(a, jpy=9_000_000) for a in p1.amounts]
    write_graph(build_dataset([record]), tmp_path / "g.trig", RdfFormat.TRIG)
    assert main(["validate", "--graph", str(tmp_path / "g.trig")]) == 1
    assert "General fund exceeds project cost" in capsys.readouterr().out
