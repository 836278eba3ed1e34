"""Budget flows: the Sankey's widths into SDG goals equal the sdg_coverage query's totals; the matrix."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

import pytest

from policy_kg.graph.query import run_query
from policy_kg.visualize.facts import load_facts

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
pytest.importorskip("plotly", reason="the budget page needs the 'charts' extra (plotly)")

from policy_kg.visualize.budget import NO_TARGET, coverage_matrix, render_budget, sankey_flows  # noqa: E402

_BUILT: dict[str, object] = {}


def _build(paths: list[Path]):
    from policy_kg.graph.pipeline import build_documents

    key = "|".join(map(str, paths))
    if key not in _BUILT:
        result = build_documents(paths)
        assert not result.failures
        _BUILT[key] = result.dataset
    return _BUILT[key]


@pytest.fixture(scope="module")
def samples():
    return _build([SAMPLES])


@pytest.fixture
def seeds(seed_sheet, seed_plan):
    return _build([seed_sheet, seed_plan, SAMPLES])


def _coverage_by_goal(graph, document: str | None = None) -> dict[str, int]:
    params = {"document": document} if document else None
    totals: dict[str, int] = defaultdict(int)
    for row in run_query(graph, "sdg_coverage", params=params).as_dicts():
        totals[row["goal"]] += int(row["budget_jpy"] or 0)
    return {goal: yen for goal, yen in totals.items() if yen}


def _widths_into_goals(flows) -> dict[str, int]:
    into: dict[str, int] = defaultdict(int)
    for link in flows["links"]:
        node = flows["nodes"][link["target"]]
        if node["kind"] == "sdg_goal":
            into[node["label"].removeprefix("SDG ")] += link["value"]
    return dict(into)


def _check(graph) -> int:
    facts = load_facts(graph)
    assert _widths_into_goals(sankey_flows(facts)) == _coverage_by_goal(graph)
    checked = 0
    for doc in facts.document_names:
        flows = sankey_flows(facts, documents={doc})
        expected = _coverage_by_goal(graph, facts.document_name(doc))
        assert _widths_into_goals(flows) == expected, facts.document_name(doc)
        assert flows["goal_totals"] == expected
        checked += bool(expected)
    return checked


def test_sankey_widths_into_goals_equal_sdg_coverage_on_the_samples(samples):
    assert _check(samples) >= 1


def test_sankey_widths_into_goals_equal_sdg_coverage_on_the_seeds(seeds):
    assert _check(seeds) >= 2


def test_sankey_flows_are_conserved_from_field_to_project(samples):
    """Into each measure flows what leaves it; a project's inflow is its budget."""
    flows = sankey_flows(load_facts(samples))
    inflow: dict[int, int] = defaultdict(int)
    outflow: dict[int, int] = defaultdict(int)
    for link in flows["links"]:
        inflow[link["target"]] += link["value"]
        outflow[link["source"]] += link["value"]
    for i, node in enumerate(flows["nodes"]):
        if node["kind"] == "measure":
            assert inflow[i] == outflow[i], node["label"]
    kinds = {n["kind"] for n in flows["nodes"]}
    assert {"policy_field", "measure", "project", "sdg_goal"} <= kinds
    assert any(n["label"] == NO_TARGET for n in flows["nodes"])


def test_sankey_for_one_fiscal_year(samples):
    facts = load_facts(samples)
    flows = sankey_flows(facts, fiscal_year=2024)
    projects = [n for n in flows["nodes"] if n["kind"] == "project"]
    # only the agency plan (FY2024) and the sheet's FY2024 columns have 2024 budgets
    assert projects
    total = sum(link["value"] for link in flows["links"] if flows["nodes"][link["source"]]["kind"] == "policy_field")
    expected = sum(facts.project_budget(p, 2024) or 0 for p in facts.projects() if facts.levels[p] == "project")
    assert total == expected


def test_coverage_matrix_cells(samples):
    facts = load_facts(samples)
    matrix = coverage_matrix(facts)
    assert matrix["goals"] == sorted(matrix["goals"], key=lambda g: int(g))
    projects = sum(c["projects"] for r in matrix["rows"] for c in r["cells"] if c)
    stated = {(p, facts.goal_of(t)) for p in facts.projects() if facts.levels[p] == "project"
              for t in facts.stated_sdg.get(p, ()) if facts.measure_of(p) is not None}
    assert projects == len(stated)


def test_budget_page_is_offline_and_escaped(samples, tmp_path):
    page = render_budget(samples, tmp_path / "budget.html").read_text(encoding="utf-8")
    assert not re.search(r"""<(?:script|link)[^>]+(?:src|href)=["']?(?:https?:)?//""", page)
    assert "Plotly.react" in page and len(page) > 1_000_000  # plotly.min.js inlined from the package
    assert page.count("</script>") == 3
    assert "SDG 8" in page and 'data-projects="' in page


def test_a_year_printed_as_budget_and_settlement_counts_once_in_the_query_and_the_view(tmp_path):
    # 予算 and 決算 of one year are two totals: summing both counted the project's cost twice
    sheet = tmp_path / "two.txt"
    sheet.write_text("令和5年度 事務事業評価シート\n事務事業名 まなびや学習支援事業\n関連するSDGs 4.1\n"
                     "事業費 (単位:千円)\n区分 令和5年度予算 令和5年度決算\n事業費 12,000 11,400\n", encoding="utf-8")
    graph = _build([sheet])
    assert _coverage_by_goal(graph) == {"4": 12_000_000}  # the year's budget, as the views choose it
    assert _check(graph) == 1
    rows = run_query(graph, str(Path(__file__).parents[1] / "queries" / "examples" / "planner_sdg_budgets.rq"), params={"fiscal_year": "2023"}).as_dicts()
    assert [(r["goal"], int(r["budget_jpy"])) for r in rows] == [("4", 12_000_000)]
