"""Analytics rows on the hand-written fixture; expected values worked out from the fixture by hand."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from policy_kg.visualize.analytics import (
    ANALYSES,
    analyze,
    bridging_organisations,
    format_table,
    measures_without_indicators,
    organisation_centrality,
    projects_without_sdg,
    sdg_coverage,
    write_csv,
)

FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"
ID = "https://w3id.org/policy-kg/id/"


@pytest.fixture(scope="module")
def results() -> dict[str, list[dict]]:
    return analyze(FIXTURE)


def test_analyze_runs_every_analysis(results):
    assert list(results) == list(ANALYSES)
    assert all(results[name] for name in ANALYSES), "every analysis has rows on the fixture"


def test_sdg_coverage(results):
    rows = results["sdg_coverage"]
    assert list(rows[0]) == ["goal", "target", "stated_projects", "inferred_projects", "documents", "budget_jpy"]
    assert [r["target"] for r in rows] == ["8.1", "8.2", "8.3", "9.2", "11.4"]  # 11.4 after 9.2
    by_target = {r["target"]: r for r in rows}
    # 8.1: m1-p1 (latest FY2024 1,200,000) + I-1-2 (2,000,000)
    assert by_target["8.1"] == {"goal": "8", "target": "8.1", "stated_projects": 2, "inferred_projects": 0,
                                "documents": 2, "budget_jpy": 3_200_000}
    assert by_target["8.2"]["inferred_projects"] == 1 and by_target["8.2"]["stated_projects"] == 0


def test_sdg_coverage_for_a_fiscal_year():
    rows = {r["target"]: r for r in sdg_coverage(FIXTURE, fiscal_year=2023)}
    assert rows["8.1"]["budget_jpy"] == 1_000_000  # I-1-2 has no FY2023 budget
    assert rows["8.3"]["budget_jpy"] == 300_000


def test_target_codes_sort_as_codes_not_numbers(tmp_path):
    trig = tmp_path / "codes.trig"
    trig.write_text(
        "PREFIX pkg: <https://w3id.org/policy-kg/ontology#>\n"
        "PREFIX sdg: <http://metadata.un.org/sdg/>\n"
        "<urn:g> { <urn:p> a pkg:Project ; pkg:sdgTarget sdg:8.10 , sdg:8.a , sdg:8.1 , sdg:8.2 . }\n",
        encoding="utf-8",
    )
    assert [r["target"] for r in sdg_coverage(trig)] == ["8.1", "8.2", "8.10", "8.a"]


def test_projects_without_sdg(results):
    rows = results["projects_without_sdg"]
    assert [r["project"] for r in rows] == [ID + "doc/A/project/m2-p2"]
    assert rows[0]["inferred_targets"] == "8.2"
    assert rows[0]["status"] == "終了"
    assert rows[0]["measure"] == "施策2 経営の支援"
    assert rows[0]["budget_jpy"] is None


def test_measures_without_indicators(results):
    rows = {r["measure"]: r for r in results["measures_without_indicators"]}
    # m1 has its own indicator; m2 has none at all; I-1 only has one on a project
    assert set(rows) == {ID + "doc/A/m2", ID + "doc/B/I-1"}
    assert rows[ID + "doc/B/I-1"]["project_indicators"] == 1
    assert rows[ID + "doc/A/m2"]["projects"] == 2


def test_bridging_organisations(results):
    rows = results["bridging_organisations"]
    assert [(r["label"], r["documents"], r["projects"]) for r in rows] == [("テスト工芸協会", 2, 2)]
    assert rows[0]["document_names"] == "agency.txt; city.txt"


def test_organisation_centrality(results):
    rows = results["organisation_centrality"]
    assert {r["type"] for r in rows} == {"department", "organisation"}
    assert len(rows) == 6
    # the shared partner is the only bridge between the two documents' halves of the network
    assert rows[0]["label"] == "テスト工芸協会"
    assert rows[0]["betweenness"] > max(r["betweenness"] for r in rows[1:])
    division = next(r for r in rows if r["label"] == "商工課")
    assert division["degree"] == 5  # 4 projects + its department
    assert next(r for r in rows if r["label"] == "テスト銀行")["betweenness"] == 0


def test_format_table_aligns_wide_characters():
    table = format_table([{"name": "商工課", "n": 1}, {"name": "ab", "n": 12_345}])
    lines = table.splitlines()
    assert lines[0].startswith("name  ")
    # "商工課" is 6 columns wide, like "12,345": name padded to 6, two spaces, number right-aligned in 6
    assert lines[2] == "商工課" + "  " + "     1"
    assert lines[3] == "ab    " + "  " + "12,345"
    assert format_table([]) == "(no rows)"


def test_write_csv_round_trips(tmp_path, results):
    path = write_csv(results["projects_without_sdg"], tmp_path / "p.csv")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == list(results["projects_without_sdg"][0])
    assert rows[0]["label"] == "目標なし事業" and rows[0]["budget_jpy"] == ""


def test_each_function_accepts_a_path():
    assert projects_without_sdg(FIXTURE) and measures_without_indicators(FIXTURE)
    assert bridging_organisations(FIXTURE) and organisation_centrality(FIXTURE)
