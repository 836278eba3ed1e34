"""Document-scoped queries: asked about one document, a store reads that document's graphs alone.

The ``# scope: document`` header is a claim about the query: everything it needs to answer for one
document lies in that document's graphs (and the ontology and SDG reference graphs). These tests
check the claim on the bundled samples and both seeds — every scoped query, every document, the
rows equal to those read from the whole store — and check when a store falls back to reading it all.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset

from policy_kg.graph.iris import ONTOLOGY_GRAPH, REFERENCE_GRAPH, curation_graph_iri
from policy_kg.graph.namespace import DEFAULT_BASE
from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.query import QueryError, list_queries, load_query, run_query
from policy_kg.graph.stores import OxigraphBackend, load_dataset
from tests.conftest import SAMPLES, SEED_PLAN, SEED_SHEET, WholeRead, _seed

SCOPED = [q for q in list_queries() if q.scope]
CURATED_SAMPLE = "kitakaze_agency_business_plan.txt"


@pytest.fixture(scope="module")
def corpus() -> tuple[Dataset, list[str]]:
    paths = sorted(SAMPLES.glob("*.txt")) + [_seed(SEED_SHEET), _seed(SEED_PLAN)]
    result = build_documents(paths)
    assert not result.failures
    return result.dataset, [p.name for p in paths]


@pytest.fixture(scope="module")
def store(corpus, tmp_path_factory) -> OxigraphBackend:
    return load_dataset(corpus[0], tmp_path_factory.mktemp("scope") / "store")


def test_every_query_about_a_document_declares_its_scope():
    with_document = {q.name for q in list_queries() if any(p.name == "document" for p in q.params)}
    assert with_document and {q.name for q in SCOPED} == with_document


@pytest.mark.parametrize("spec", SCOPED, ids=lambda q: q.name)
def test_scoped_rows_equal_the_whole_store_rows_for_every_document(spec, corpus, store, monkeypatch):
    calls = []
    original = store.select_in_documents
    monkeypatch.setattr(store, "select_in_documents", lambda *a: calls.append(a[2]) or original(*a))
    total = 0
    for name in corpus[1]:
        scoped = run_query(store, spec, params={"document": name}).as_text_rows()
        whole = run_query(WholeRead(store), spec, params={"document": name}).as_text_rows()
        assert scoped == whole, (spec.name, name)
        total += len(scoped)
    assert calls == [[name] for name in corpus[1]]  # the scoped path was taken, once per document
    assert total > 0, f"{spec.name} returns no rows for any document: the comparison proves nothing"


def test_document_graphs_are_the_document_its_curation_and_the_reference_graphs(store):
    graphs = [g.value for g in store.document_graphs([CURATED_SAMPLE])]
    document_graph = next(g for g in graphs if g.endswith("kitakaze_agency_business_plan"))
    assert sorted(graphs) == sorted([document_graph, str(curation_graph_iri(document_graph)),
                                     DEFAULT_BASE + ONTOLOGY_GRAPH, DEFAULT_BASE + REFERENCE_GRAPH])


def test_unknown_document_reads_no_graph_and_gives_no_rows(store):
    assert store.document_graphs(["no-such-file.txt"]) == []
    assert run_query(store, "projects", params={"document": "no-such-file.txt"}).rows == []


def test_store_keeping_documents_in_its_default_graph_is_read_whole(corpus, tmp_path):
    flat = Dataset()
    for quad in corpus[0].quads((None, None, None, None)):
        flat.add(quad[:3])  # every triple in the default graph: no graph to scope to
    backend = load_dataset(flat, tmp_path / "flat", merge=False)
    name = corpus[1][0]
    assert backend.document_graphs([name]) is None
    rows = run_query(backend, "projects", params={"document": name}).as_text_rows()
    assert rows and rows == run_query(WholeRead(backend), "projects", params={"document": name}).as_text_rows()


def test_query_without_scope_reads_the_whole_store(store, monkeypatch):
    monkeypatch.setattr(store, "select_in_documents", lambda *a: pytest.fail("shared_entities is not scoped"))
    assert run_query(store, "shared_entities").rows


def test_scope_must_name_a_parameter(tmp_path):
    path = tmp_path / "bad.rq"
    path.write_text("# title: t\n# description: d\n# columns: x\n# scope: document\n"
                    "SELECT ?x WHERE { ?x ?p ?o }\n", encoding="utf-8")
    with pytest.raises(QueryError, match="names no parameter"):
        load_query(path)
