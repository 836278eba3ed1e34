"""Projections of the hand-written fixture (tests/data/visualize/fixture.trig) and of seed 000.

Expected counts are worked out by hand from the fixture, e.g. the SDG view: 6 projects with a
stated or inferred target, targets 8.1 8.2 8.3 9.2 11.4, goals 8 9 11, measures m1 m2 I-1.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from rdflib import Dataset

from policy_kg.visualize.projection import EDGE_TYPES, NODE_TYPES, VIEWS, aggregate, project

FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"
ID = "https://w3id.org/policy-kg/id/"
SDG = "http://metadata.un.org/sdg/"


@pytest.fixture(scope="module")
def dataset() -> Dataset:
    ds = Dataset(default_union=True)
    ds.parse(FIXTURE, format="trig")
    return ds


def types(g) -> Counter:
    return Counter(d["type"] for _, d in g.nodes(data=True))


def edge_types(g) -> Counter:
    return Counter(d["type"] for _, _, d in g.edges(data=True))


@pytest.mark.parametrize("view", VIEWS)
def test_every_node_and_edge_is_typed_and_has_no_none(dataset, view):
    g = project(dataset, view=view)
    assert g.number_of_nodes() > 0
    for _, data in g.nodes(data=True):
        assert data["type"] in NODE_TYPES
        assert isinstance(data["label"], str) and data["label"]
        assert None not in data.values()
    for _, _, data in g.edges(data=True):
        assert data["type"] in EDGE_TYPES
        assert None not in data.values()


def test_sdg_view_counts_and_directions(dataset):
    g = project(dataset, view="sdg")
    assert types(g) == {"sdg_goal": 3, "sdg_target": 5, "project": 6, "measure": 3}
    assert edge_types(g) == {"has_target": 5, "sdg_link": 7, "part_of": 6}
    links = {(u.removeprefix(SDG), v.removeprefix(ID), d["link"]) for u, v, d in g.edges(data=True)
             if d["type"] == "sdg_link"}
    assert ("8.1", "doc/A/project/m1-p1", "stated") in links
    assert ("8.2", "doc/A/project/m2-p2", "inferred") in links
    assert ("9.2", "doc/B/project/I-1-2", "inferred") in links
    assert sum(1 for *_, kind in links if kind == "inferred") == 2
    # goal -> target -> project -> measure
    assert g.has_edge(SDG + "8", SDG + "8.1")
    assert g.has_edge(ID + "doc/A/project/m1-p1", ID + "doc/A/m1")


def test_goal_of_a_target_without_reference_triples_comes_from_its_code(dataset):
    g = project(dataset, view="sdg")
    # 9.2 has no skos:broader in the fixture
    assert g.has_edge(SDG + "9", SDG + "9.2")
    assert g.nodes[SDG + "9"]["label"] == "SDG 9"


def test_project_attributes(dataset):
    g = project(dataset, view="sdg")
    p = g.nodes[ID + "doc/A/project/m1-p1"]
    assert p["label"] == "<b>x</b>&\"'</script>"
    assert (p["budget_jpy"], p["fiscal_year"]) == (1_200_000, 2024)  # latest year wins
    assert p["status"] == "継続"
    assert p["source"] == "city.txt:L10-L12"
    assert p["document"] == "city.txt"
    assert g.nodes[ID + "doc/B/project/I-1-1"]["source"] == "agency.txt:L40"
    assert "budget_jpy" not in g.nodes[ID + "doc/A/project/m2-p2"]


def test_fiscal_year_selects_the_budget(dataset):
    g = project(dataset, view="sdg", fiscal_year=2023)
    assert g.nodes[ID + "doc/A/project/m1-p1"]["budget_jpy"] == 1_000_000
    assert "budget_jpy" not in g.nodes[ID + "doc/B/project/I-1-1"]  # only FY2024 there


def test_sdg_goal_filter(dataset):
    g = project(dataset, view="sdg", sdg_goal=11)
    assert types(g) == {"sdg_goal": 1, "sdg_target": 1, "project": 1, "measure": 1}
    assert SDG + "11.4" in g and ID + "doc/A/project/m1-p2" in g


def test_document_filter_by_file_name_and_iri(dataset):
    by_name = project(dataset, view="overview", document="agency.txt")
    by_iri = project(dataset, view="overview", document=ID + "doc/B")
    assert set(by_name.nodes) == set(by_iri.nodes)
    assert types(by_name) == {
        "project": 2, "measure": 1, "policy_field": 1, "document": 1, "sdg_target": 2, "sdg_goal": 1,
        "department": 1, "organisation": 2, "indicator": 1,
    }
    assert all(not n.startswith(ID + "doc/A") for n in by_name)


def test_unknown_document_is_an_error(dataset):
    with pytest.raises(ValueError, match="no document"):
        project(dataset, view="overview", document="nope.txt")


def test_measure_filter(dataset):
    g = project(dataset, view="sdg", measure=ID + "doc/A/m2")
    assert {n for n, d in g.nodes(data=True) if d["type"] == "project"} == {
        ID + "doc/A/project/m2-p1", ID + "doc/A/project/m2-p2"}


def test_logic_model_view_orders_stages_by_step(dataset):
    g = project(dataset, view="logic-model")
    assert types(g) == {"project": 1, "stage": 4}
    assert edge_types(g) == {"has_stage": 1, "leads_to": 3}
    base = ID + "doc/A/project/m1-p2"
    assert g.has_edge(base, base + "/stage-1")
    chain = [base + f"/stage-{i}" for i in range(1, 5)]
    for a, b in zip(chain, chain[1:]):
        assert g.has_edge(a, b)
    assert [g.nodes[s]["step"] for s in chain] == [1, 2, 3, 4]
    assert g.nodes[chain[0]]["label"] == "研修を開く"


def test_organisations_view_counts_shared_partner(dataset):
    g = project(dataset, view="organisations")
    assert types(g) == {"project": 6, "document": 2, "department": 3, "organisation": 3}
    assert edge_types(g) == {"in_document": 6, "responsible_for": 6, "unit_of": 1, "partner_of": 4}
    shared = g.nodes[ID + "org/shared-assoc"]
    assert (shared["projects"], shared["shared"]) == (2, 2)
    assert g.nodes[ID + "org/bank"]["shared"] == 1
    # the department above the division counts the division's projects
    assert g.nodes[ID + "org/unit/commerce-dept"]["projects"] == 4


def test_overview_counts(dataset):
    g = project(dataset, view="overview")
    assert types(g) == {
        "document": 2, "policy_field": 2, "measure": 3, "project": 6, "sdg_target": 3, "sdg_goal": 2,
        "indicator": 3, "department": 2, "organisation": 3,
    }
    assert edge_types(g) == {
        "in_document": 2, "part_of": 9, "sdg_link": 5, "has_target": 3, "responsible_for": 6,
        "partner_of": 4, "indicator_of": 3,
    }
    assert g.nodes[ID + "doc/B/I"]["level"] == "programme"


def test_project_accepts_a_trig_path():
    g = project(FIXTURE, view="sdg")
    assert g.number_of_nodes() == 17


def test_aggregate_folds_projects_into_measures(dataset):
    g = project(dataset, view="overview")
    assert aggregate(g, max_nodes=100) is g
    small = aggregate(g, max_nodes=20)
    assert small.number_of_nodes() == 26 - 6 - 3  # projects and their indicators folded
    assert "project" not in types(small)
    m1 = small.nodes[ID + "doc/A/m1"]
    assert (m1["projects"], m1["budget_jpy"], m1["aggregated"]) == (2, 1_700_000, 3)
    assert small.nodes[ID + "doc/B/I-1"]["budget_jpy"] == 7_000_000
    weights = {(u.removeprefix(ID), v.removeprefix(ID)): d["weight"] for u, v, d in small.edges(data=True)
               if d["type"] == "responsible_for"}
    assert weights == {("org/unit/commerce-division", "doc/A/m1"): 2,
                       ("org/unit/commerce-division", "doc/A/m2"): 2,
                       ("org/unit/b-support", "doc/B/I-1"): 2}


def test_aggregate_goes_up_a_level_when_still_too_big(dataset):
    g = project(dataset, view="overview")
    tiny = aggregate(g, max_nodes=13)
    assert "measure" not in types(tiny) and "policy_field" not in types(tiny)
    assert tiny.number_of_nodes() == 12  # 2 documents, 3 targets, 2 goals, 2 departments, 3 partners
    assert tiny.nodes[ID + "doc/A"]["projects"] == 4


def test_unknown_view_is_an_error(dataset):
    with pytest.raises(ValueError, match="unknown view"):
        project(dataset, view="nope")
