"""``queries/shared_entities.rq``: partners, stated SDG targets and funders that connect projects."""

from __future__ import annotations

import pytest

import policy_kg.graph.builder as builder
from policy_kg.extract.records import Amount, DocumentRecord, FundingSource, Organisation, Project, Span, SubProject
from policy_kg.graph.iris import segment
from policy_kg.graph.namespace import DEFAULT_BASE
from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.query import bind_params, load_query, run_query, with_values
from policy_kg.graph.sdg_suggest import enrich_dataset
from policy_kg.graph.stores import OxigraphBackend
from tests.conftest import SEED_PLAN, SEED_SHEET

L = Span.line


def _funded(label: str, funder: str, line: int) -> Amount:
    return Amount("total", 1_000_000, "1,000", L(line), funding=(FundingSource(label, funder, "補助金", L(line)),))


def city() -> DocumentRecord:
    r = DocumentRecord("city-a", "city-a.txt", "evaluation_sheet", "a" * 64, 100, publisher="みなと市")
    r.projects = [
        Project("m1-p1", "1", "技術支援事業", L(10), sdg_targets=["9.5"],
                description="新潟県の県工業技術センターと連携する。",
                partners=[Organisation("県工業技術センター", "partner", L(11))],
                amounts=[_funded("新潟県補助金", "新潟県", 12)]),
        Project("m1-p2", "2", "輸出支援事業", L(20), sdg_targets=["8.3"],
                partners=[Organisation("ジェトロ", "partner", L(21))]),
    ]
    return r


def plan() -> DocumentRecord:
    r = DocumentRecord("agency-plan", "agency-plan.txt", "business_plan", "b" * 64, 100)
    r.projects = [
        Project("I-1-1", "1", "技術振興事業", L(30), sdg_targets=["9.5"],
                partners=[Organisation("新潟県工業技術センター（一部）", "partner", L(31))]),
        Project("I-1-2", "2", "研究開発支援事業", L(40), sub_projects=[
            SubProject("I-1-2-s1", "①", "海外展開支援", L(41),
                       amounts=[_funded("新潟県受託金", "新潟県", 42)],
                       partners=[Organisation("独立行政法人日本貿易振興機構", "partner", L(43))]),
        ]),
    ]
    return r


@pytest.fixture
def linked():
    """Build (entity linking is the builder's behaviour)."""
    return builder.build_dataset


def _rows(ds, **params) -> list[dict[str, str]]:
    return run_query(ds, "shared_entities", params=params).as_dicts()


def _cross_document(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    return [r for r in rows if int(r["documents"]) >= 2]


def test_header():
    spec = load_query("shared_entities")
    assert list(spec.columns) == ["entity", "kind", "label", "documents", "projects", "document_names", "project_names"]
    assert [p.name for p in spec.params] == ["entity"]


def test_what_connects_the_two_documents(linked):
    ds = linked([city(), plan()])
    rows = _cross_document(_rows(ds))
    got = [(r["kind"], r["label"], r["documents"], r["projects"]) for r in rows]
    assert got == [
        ("funder", "新潟県", "2", "2"),  # the city project's amount and the agency's sub-project amount
        ("partner", "新潟県工業技術センター", "2", "2"),  # 県… in the city sheet, …（一部） in the plan
        ("partner", "日本貿易振興機構", "2", "2"),  # ジェトロ, and the full name on a sub-project
        ("sdg_target", "9.5", "2", "2"),
    ]
    for r in rows:
        assert r["document_names"] == "agency-plan.txt city-a.txt"
    centre = next(r for r in rows if r["label"] == "新潟県工業技術センター")
    assert centre["project_names"] == "技術振興事業 / 技術支援事業"  # ordered by document, then name
    assert centre["entity"].endswith("/org/" + segment("新潟県工業技術センター"))


def test_default_lists_every_entity_cross_document_first(linked):
    rows = _rows(linked([city(), plan()]))
    documents = [int(r["documents"]) for r in rows]
    assert documents == sorted(documents, reverse=True)
    assert ("sdg_target", "8.3", "1", "1") in {(r["kind"], r["label"], r["documents"], r["projects"]) for r in rows}


def test_suggestions_are_not_shared_targets(linked):
    records = [city(), plan()]
    ds = linked(records)
    before = _rows(ds)
    assert enrich_dataset(ds, records) > 0  # 研究開発支援事業 gets suggestions
    assert _rows(ds) == before


def test_entity_parameter_on_every_backend(linked):
    ds = linked([city(), plan()])
    store = OxigraphBackend.in_memory()
    store.add_dataset(ds)
    spec = load_query("shared_entities")
    assert run_query(store, spec).as_dicts() == _rows(ds)
    for entity in ("sdg:9.5", DEFAULT_BASE + "org/" + segment("新潟県")):
        rows = _rows(ds, entity=entity)
        assert len(rows) == 1 and rows[0]["documents"] == "2"
        assert run_query(store, spec, params={"entity": entity}).as_dicts() == rows
        # a remote endpoint gets the parameter as a VALUES block
        term = bind_params(spec, {"entity": entity})["entity"]
        remote = ds.query(with_values(spec.text, {"entity": term}))
        assert [str(row.entity) for row in remote] == [rows[0]["entity"]]


def test_on_both_seeds(seed_path, linked):
    result = build_documents([seed_path(SEED_SHEET), seed_path(SEED_PLAN)])
    assert not result.failures
    enrich_dataset(result.dataset, result.records)
    rows = _rows(result.dataset)
    # stated targets of the sheet's project table, counted by eye: suggestions are not counted
    targets = {(r["label"], r["documents"], r["projects"]) for r in rows if r["kind"] == "sdg_target"}
    assert targets == {("11.4", "1", "7"), ("8.1", "1", "7"), ("8.3", "1", "6")}
    # the sheet's 県ハイテクプラザ is the prefecture's technology centre, under its full name
    assert any(r["kind"] == "partner" and r["label"] == "福島県ハイテクプラザ" for r in rows)
    assert all(int(r["documents"]) <= 2 for r in rows)
