"""Curation files: a reviewer's YAML corrections, applied to records and marked as manual."""

from __future__ import annotations

import pytest
from rdflib import URIRef

from policy_kg.extract.curation import CurationError, apply_curation, curation_path_for
from policy_kg.graph.builder import build_dataset, graph_iri
from policy_kg.graph.namespace import DEFAULT_BASE, PKG, SDO
from policy_kg.graph.query import run_query
from tests.records_fixture import town_sheet

CURATION = """\
projects:
  m2-p1:
    name: 起業・創業支援事業
    add_sdg_targets: ["8.3"]
    add_partners: ["さくら町商工会"]
amounts:
  - project: m2-p1-s1
    amount: "１２，３４５千円"
    category: total
    fiscal_year: 2024
    status: plan
    funding: ["県受託金"]
    line: 130
  - move_line: 121
    to: m1-p1
"""


def _apply(tmp_path, text):
    path = tmp_path / "town-sheet.curation.yaml"
    path.write_text(text, encoding="utf-8")
    return apply_curation(town_sheet(), path)


def test_curation_path_sits_beside_the_document(tmp_path):
    assert curation_path_for(tmp_path / "plan.txt") == tmp_path / "plan.curation.yaml"
    assert curation_path_for(tmp_path / "plan.records.json") == tmp_path / "plan.curation.yaml"


def test_curation_changes_the_graph_as_documented(tmp_path):
    record = _apply(tmp_path, CURATION)
    p2 = record.project("m2-p1")
    assert p2.name == "起業・創業支援事業" and "起業支援事業" in p2.alt_names
    assert p2.sdg_targets == ["8.3"]
    assert [a.jpy for a in p2.amounts] == []  # moved away by move_line 121
    assert [a.jpy for a in record.project("m1-p1").amounts][-1] == 2_000_000
    assert [a.jpy for a in p2.sub_projects[0].amounts] == [12_345_000]

    ds = build_dataset([record])
    curated = ds.graph(URIRef(str(graph_iri("town-sheet")) + "/curation"))
    p2_iri = URIRef(DEFAULT_BASE + "doc/town-sheet/project/m2-p1")
    assert {str(o) for o in curated.objects(p2_iri, None)} >= {"起業・創業支援事業", "http://metadata.un.org/sdg/8.3"}
    manual = [a for a in ds.subjects(PKG.assertion, PKG.ManualAssertion) if (a, SDO.value, None) in ds]
    assert sorted(int(ds.value(a, SDO.value)) for a in manual) == [2_000_000, 12_345_000]

    rows = run_query(ds, "projects").as_dicts()
    assert {r["project"] for r in rows} >= {"起業・創業支援事業"}


@pytest.mark.parametrize(
    "text, message",
    [
        ("projects:\n  nope: {name: x}\n", "no project with key 'nope'"),
        ("projects:\n  m1-p1: {add_sdg_targets: ['18.1']}\n", "not an SDG target code"),
        ("projects:\n  m1-p1: {colour: red}\n", "unknown change 'colour'"),
        ("amounts:\n  - {project: m1-p1, amount: lots}\n", "no amount"),
        ("amounts:\n  - {move_line: 9999, to: m1-p1}\n", "no extracted amount printed on line 9999"),
        ("colours: []\n", "unknown section"),
        ("projects: [\n", "unreadable curation file"),
    ],
)
def test_bad_curation_files_are_refused_with_the_file_name(tmp_path, text, message):
    with pytest.raises(CurationError, match=message) as info:
        _apply(tmp_path, text)
    assert "town-sheet.curation.yaml" in str(info.value)


def test_the_shipped_sample_curation_changes_the_graph_as_documented(tmp_path):
    """End to end: the sample plan's curation file moves two amounts and adds a target."""
    import shutil

    from policy_kg.graph.pipeline import build_documents
    from tests.conftest import SAMPLES

    plan = SAMPLES / "kitakaze_agency_business_plan.txt"
    plain = build_documents([plan], curate=False).dataset
    curated = build_documents([plan]).dataset

    def owner_of(ds, printed: str) -> str:
        rows = run_query(ds, "funding").as_dicts()
        (row,) = [r for r in rows if r["printed"] == printed]
        return row["project_iri"].rsplit("/", 1)[1]

    assert owner_of(plain, "３２，５００千円") == "I-1-2-s1"
    assert owner_of(curated, "３２，５００千円") == "I-1-2"
    assert owner_of(curated, "９６，３２０千円") == "II-1-2"
    stated = {"source": "stated"}
    links = {(r["target"], r["project"]) for r in run_query(curated, "sdg_links", params=stated).as_dicts()}
    assert ("8.3", "スタートアップ創出支援事業") in links
    assert not run_query(plain, "sdg_links", params=stated).rows  # the plan itself states no target
    manual = {int(curated.value(a, SDO.value)) for a in curated.subjects(PKG.assertion, PKG.ManualAssertion)
              if (a, SDO.value, None) in curated}
    assert manual == {32_500_000, 96_320_000}

    # the curation file is found beside a copy of the document, wherever it lives
    shutil.copy(plan, tmp_path / plan.name)
    assert owner_of(build_documents([tmp_path / plan.name]).dataset, "３２，５００千円") == "I-1-2-s1"
    shutil.copy(SAMPLES / "kitakaze_agency_business_plan.curation.yaml", tmp_path)
    assert owner_of(build_documents([tmp_path / plan.name]).dataset, "３２，５００千円") == "I-1-2"
