"""Plain SPARQL is welcome (issue 16): header-less .rq files, --sparql, predeclared prefixes, hints,
typed JSON, era years and unknown names as parameters, and outputs written with the user's umask."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from build_graph import main
from policy_kg.graph.namespace import PREFIXES
from policy_kg.graph.query import load_query, predeclared_prefixes, spec_from_text, with_prefixes

SHEET = "midorino_city_evaluation_sheet.txt"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def graph(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("plain")
    assert main(["build", "--out", str(out), "--quiet"]) == 0
    return out / "graph.trig"


def test_a_rq_file_without_a_header_runs(capsys, graph, tmp_path):
    plain = tmp_path / "names.rq"
    plain.write_text("SELECT ?name WHERE { ?d pkg:fileName ?name } ORDER BY ?name\n", encoding="utf-8")
    code, out, err = run(capsys, "query", str(plain), "--graph", str(graph), "--format", "csv")
    assert code == 0, err
    assert out.splitlines() == ["name", "kitakaze_agency_business_plan.txt", SHEET]
    spec = load_query(plain)
    assert spec.title == "names" and spec.columns == () and spec.params == ()


def test_a_header_may_give_only_some_lines(tmp_path):
    rq = tmp_path / "some.rq"
    rq.write_text("# title: Some\n# param: document string optional — a file name\n"
                  "SELECT ?p WHERE { ?p pkg:inDocument/pkg:fileName ?document }\n", encoding="utf-8")
    spec = load_query(rq)
    assert (spec.title, spec.description, [p.name for p in spec.params]) == ("Some", "", ["document"])


def test_sparql_option_runs_a_string_with_typed_json(capsys, graph):
    code, out, err = run(capsys, "query", "--graph", str(graph), "--format", "json", "--sparql",
                         "SELECT (COUNT(DISTINCT ?p) AS ?n) (SUM(1) > 0 AS ?some) WHERE { ?p a pkg:Project }")
    assert code == 0, err
    [row] = json.loads(out)
    assert type(row["n"]) is int and row["n"] > 10 and row["some"] is True


def test_json_rows_are_typed(capsys, graph):
    code, out, _ = run(capsys, "query", "projects", "--graph", str(graph), "--format", "json")
    rows = json.loads(out)
    assert code == 0 and {type(r["priority"]) for r in rows} <= {bool, type(None)}
    assert any(r["priority"] is True for r in rows)
    code, out, _ = run(capsys, "query", "indicators", "--graph", str(graph), "--format", "json")
    values = [r["value"] for r in json.loads(out)]
    assert None in values and any(isinstance(v, (int, float)) for v in values)  # "－" is null, not "" or 0


def test_prefixes_are_predeclared_once_and_listed(capsys):
    text = "PREFIX pkg: <https://w3id.org/policy-kg/ontology#>\nSELECT * WHERE { ?s skos:prefLabel ?o }"
    full = with_prefixes(text)
    assert full.count("PREFIX pkg:") == 1 and "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>" in full
    assert with_prefixes(full) == full
    code, out, _ = run(capsys, "prefixes")
    assert code == 0
    listed = dict(line.split()[1:3] for line in out.splitlines())
    assert {p.rstrip(":"): iri.strip("<>") for p, iri in listed.items()} == predeclared_prefixes()
    assert set(PREFIXES) <= set(predeclared_prefixes())
    code, out, _ = run(capsys, "prefixes", "--format", "turtle")
    assert out.startswith("@prefix pkg:") and out.rstrip().endswith(" .")


def test_an_empty_answer_with_an_unknown_term_gets_a_hint(capsys, graph):
    code, out, err = run(capsys, "query", "--graph", str(graph), "--sparql", "SELECT ?v WHERE { ?x pkg:valu ?v }")
    assert code == 0 and "(0 rows)" in out
    assert "pkg:valu is not in the ontology; did you mean pkg:value?" in err
    # a query that answers gets no hint, and a known term none either
    code, _, err = run(capsys, "query", "--graph", str(graph), "--sparql", "SELECT ?v WHERE { ?x pkg:value ?v }")
    assert code == 0 and "hint" not in err


def test_query_list_shows_descriptions(capsys):
    code, out, _ = run(capsys, "query", "--list")
    assert code == 0 and "Budget lines of projects" in out and "columns: project, fiscal_year" in out


def test_era_years_are_years(capsys, graph):
    answers = set()
    for year in ("2023", "令和5", "R5", "令和5年度"):
        code, out, err = run(capsys, "query", "budgets", "--graph", str(graph), "--param", f"fiscal_year={year}",
                             "--format", "csv")
        assert code == 0, err
        answers.add(out)
    assert len(answers) == 1 and len(answers.pop().splitlines()) > 1
    code, _, err = run(capsys, "query", "budgets", "--graph", str(graph), "--param", "fiscal_year=someday")
    assert code == 5 and "not a valid year" in err


def test_a_document_that_is_not_in_the_graph_is_an_error_with_near_matches(capsys, graph):
    code, out, err = run(capsys, "query", "budgets", "--graph", str(graph), "--param", "document=midorino_city.txt")
    assert code == 5 and out == ""
    assert "no document (file name) 'midorino_city.txt'" in err and SHEET in err
    code, _, err = run(capsys, "query", "shared_entities", "--graph", str(graph), "--param", "entity=sdg:99.9")
    assert code == 5 and "is not in the graph" in err
    code, out, _ = run(capsys, "query", "budgets", "--graph", str(graph), "--param", f"document={SHEET}")
    assert code == 0 and SHEET in out


def test_an_unknown_query_name_lists_near_names(capsys, graph):
    code, _, err = run(capsys, "query", "budget", "--graph", str(graph))
    assert code == 5 and "did you mean budgets" in err


def test_outputs_get_the_users_umask(tmp_path):
    from policy_kg.graph.io import atomic_write_files

    previous = os.umask(0o022)
    try:
        atomic_write_files({tmp_path / "a.txt": b"a", tmp_path / "b.txt": b"b"})
        assert {(tmp_path / n).stat().st_mode & 0o777 for n in ("a.txt", "b.txt")} == {0o644}
        os.umask(0o077)
        atomic_write_files({tmp_path / "c.txt": b"c"})
        assert (tmp_path / "c.txt").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(previous)


def test_a_string_query_spec_has_no_header_requirements():
    spec = spec_from_text("SELECT ?s WHERE { ?s ?p ?o }")
    assert spec.name == "sparql" and spec.columns == () and spec.title == "sparql"


def test_prefixes_keep_the_line_numbers_of_errors_and_other_forms_are_refused(capsys, graph):
    code, _, err = run(capsys, "query", "--graph", str(graph), "--sparql", "SELECT ?x\nWHERE { ?x pkg:fileName }")
    assert code == 5 and "2:" in err  # the query's own line 2, not shifted by the predeclared prefixes
    code, _, err = run(capsys, "query", "--graph", str(graph), "--sparql",
                       "CONSTRUCT { ?s ?p ?o } WHERE { ?s a pkg:Document ; ?p ?o }")
    assert code == 5 and "a CONSTRUCT query; only SELECT" in err
