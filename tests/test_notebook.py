"""The notebook API (issue 16): ``policy_kg.build``/``open``, typed rows and DataFrames, validate, view, export."""

from __future__ import annotations

import logging
import subprocess
import sys
from decimal import Decimal

import pytest

import policy_kg
from policy_kg.graph.query import QueryError, UnknownValueError
from tests.conftest import REPO, SAMPLES

pd = pytest.importorskip("pandas")  # the 'notebook' extra; part of the 'test' extra

SHEET = "midorino_city_evaluation_sheet.txt"


@pytest.fixture(scope="module")
def kg():
    return policy_kg.build([SAMPLES])


@pytest.fixture(scope="module")
def graph_file(kg, tmp_path_factory):
    return kg.export(tmp_path_factory.mktemp("nb") / "graph.trig")


def test_build_the_samples_and_query_a_dataframe_with_typed_columns(kg):
    assert not kg.build_result.failures and len(kg.build_result.records) == 2
    df = kg.query_df("budgets", fiscal_year=2023)
    assert len(df) > 0 and list(df.columns[:4]) == ["project", "fiscal_year", "category", "amount_jpy"]
    assert str(df["amount_jpy"].dtype) == "Int64" and str(df["fiscal_year"].dtype) == "Int64"
    assert set(df["fiscal_year"]) == {2023}
    total = df[(df["category"] == "total")]["amount_jpy"].sum()
    assert isinstance(int(total), int) and total > 0
    projects = kg.query_df("projects", document=SHEET)
    assert str(projects["priority"].dtype) == "boolean"
    assert set(projects["priority"].dropna()) <= {True, False} and projects["priority"].notna().any()
    assert str(projects["project"].dtype) == "string"


def test_rows_hold_python_values(kg):
    rows = kg.query("budgets", fiscal_year="令和5")  # an era year is a year
    assert rows == kg.query("budgets", fiscal_year=2023)
    first = rows[0]
    assert type(first["amount_jpy"]) is int and type(first["fiscal_year"]) is int and first["fiscal_year"] == 2023
    assert type(first["line"]) is int and isinstance(first["project"], str)
    priorities = {type(r["priority"]) for r in kg.query("projects")}
    assert bool in priorities and priorities <= {bool, type(None)}
    values = [r["value"] for r in kg.query("indicators")]
    assert any(isinstance(v, Decimal) for v in values) and None in values  # "－" is no value, not zero


def test_a_plain_select_string_with_the_project_prefixes(kg):
    rows = kg.query("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a pkg:Project }")
    assert rows.columns == ["n"] and type(rows[0]["n"]) is int and rows[0]["n"] > 10
    names = kg.query_df("SELECT ?name WHERE { ?d pkg:fileName ?name } ORDER BY ?name")
    assert list(names["name"]) == ["kitakaze_agency_business_plan.txt", SHEET]
    # a prefix the query declares itself is not declared twice
    own = kg.query("PREFIX pkg: <https://w3id.org/policy-kg/ontology#>\nSELECT ?d WHERE { ?d a pkg:Document }")
    assert len(own) == 2


def test_unknown_names_and_terms_are_said(kg, caplog):
    with pytest.raises(UnknownValueError, match=SHEET):  # the near match is listed
        kg.query("budgets", document="midorino_city.txt")
    with caplog.at_level(logging.WARNING, logger="policy_kg"):
        assert kg.query("SELECT ?v WHERE { ?x pkg:valu ?v }") == []
    assert "pkg:valu is not in the ontology; did you mean pkg:value?" in caplog.text
    with pytest.raises(QueryError, match="no parameter"):
        kg.query("projects", nope=1)


def test_open_a_file_and_a_store(graph_file, tmp_path):
    from policy_kg.graph.stores import load_file

    from_file = policy_kg.open(graph_file)
    assert from_file.query("projects") == policy_kg.open(str(graph_file)).query("projects")
    del load_file(graph_file, tmp_path / "store").store
    from_store = policy_kg.open(tmp_path / "store")
    key = lambda r: tuple(str(v) for v in r.values())  # noqa: E731
    assert sorted(from_store.query("projects"), key=key) == sorted(from_file.query("projects"), key=key)
    assert len(from_store.dataset) == len(from_file.dataset)  # the store's named graphs, no merge copy
    with pytest.raises(QueryError, match="no such graph"):
        policy_kg.open(tmp_path / "none.trig")


def test_validate_view_and_export(kg, tmp_path):
    assert kg.validate().conforms
    page = kg.view("sdg", out=tmp_path / "sdg.html")
    assert page.is_file() and "vis.Network" in page.read_text(encoding="utf-8")
    out = kg.export(tmp_path / "g.nq")
    again = policy_kg.open(out)
    assert len(again.query("projects")) == len(kg.query("projects"))
    ttl = kg.export(tmp_path / "g.txt", format="ttl")
    assert ttl.read_text(encoding="utf-8").startswith("@prefix")


def test_query_df_without_pandas_says_what_to_install(kg, monkeypatch):
    monkeypatch.setitem(sys.modules, "pandas", None)  # import pandas raises ImportError
    with pytest.raises(ImportError, match=r"policy-kg\[notebook\]"):
        kg.query_df("projects")


def test_import_policy_kg_stays_light():
    code = "import sys, policy_kg; print(sorted(m for m in ('rdflib', 'pandas', 'pyoxigraph') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "[]", out.stderr
    assert callable(policy_kg.open) and callable(policy_kg.build)
