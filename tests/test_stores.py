"""graph.stores without a server: term conversion, the on-disk store, the cache, remote errors."""

from __future__ import annotations

import base64
import json
import socket
import threading
from decimal import Decimal
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import BNode, Dataset, Literal, URIRef

from build_graph import main
from policy_kg.graph.builder import build_dataset
from policy_kg.graph.io import RdfFormat, write_graph
from policy_kg.graph.namespace import XSD
from policy_kg.graph.query import QueryError, RdflibBackend, list_queries, run_query
from policy_kg.graph.stores import (
    STORE_INFO_GRAPH,
    OxigraphBackend,
    RemoteBackend,
    backend_for,
    cached_store_path,
    free_port,
    is_merged,
    load_dataset,
    load_file,
    open_oxigraph,
    to_oxigraph,
    to_rdflib,
)
from tests.records_fixture import town_sheet

EX = "http://example.org/"


@pytest.fixture(scope="module")
def town() -> Dataset:
    return build_dataset([town_sheet()])


@pytest.fixture(scope="module")
def town_file(tmp_path_factory, town) -> Path:
    return write_graph(town, tmp_path_factory.mktemp("town") / "graph.trig", RdfFormat.TRIG)


# --- terms ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("term", [
    URIRef(EX + "a"),
    Literal("商店街"),
    Literal("商店街", lang="ja"),
    Literal("12", datatype=XSD.integer),
    Literal(Decimal("10.5")),
    Literal(True),
    Literal("2024-04-01", datatype=XSD.date),
])
def test_terms_round_trip_between_rdflib_and_oxigraph(term):
    assert to_rdflib(to_oxigraph(term)) == term


def test_plain_oxigraph_string_becomes_a_plain_rdflib_literal():
    # Oxigraph reports xsd:string on plain literals; rdflib parses them without a datatype.
    term = to_rdflib(ox.Literal("x"))
    assert term == Literal("x") and term.datatype is None


def test_invalid_iri_cannot_become_an_oxigraph_term():
    with pytest.raises(QueryError, match="invalid RDF term"):
        to_oxigraph(URIRef("<http://a> } UNION { ?s ?p ?o"))


# --- the on-disk store ---------------------------------------------------------------------------------


def test_store_built_from_dataset_and_from_file_hold_the_same_quads(tmp_path, town, town_file):
    from_ds = load_dataset(town, tmp_path / "a")
    from_file = load_file(town_file, tmp_path / "b")
    expected = {str(g.identifier): len(g) for g in town.graphs() if len(g)}
    for backend in (from_ds, from_file):
        assert {g: backend.quad_count(g) for g in expected} == expected
        assert backend.merged


def test_union_counts_a_triple_shared_by_two_graphs_once(tmp_path):
    """The union default graph is an RDF merge: a triple in two documents is one triple."""
    ds = Dataset(default_union=True)
    for g in ("g1", "g2"):
        ds.graph(URIRef(EX + g)).add((URIRef(EX + "s"), URIRef(EX + "p"), Literal(10)))
    query = "SELECT (COUNT(*) AS ?n) (SUM(?o) AS ?total) WHERE { ?s ?p ?o }"
    expected = [["1", "10"]]
    assert RdflibBackend(ds).select(query, {}).as_text_rows() == expected
    assert load_dataset(ds, tmp_path / "st").select(query, {}).as_text_rows() == expected


def test_store_info_graph_marks_the_merge_and_stays_out_of_query_results(tmp_path, town):
    backend = load_dataset(town, tmp_path / "st")
    assert is_merged(backend.store)
    rows = backend.select("SELECT ?s WHERE { ?s ?p ?o }", {}).as_text_rows()
    assert [STORE_INFO_GRAPH] not in rows and rows


def test_reloading_a_store_replaces_its_content(tmp_path, town):
    small = Dataset(default_union=True)
    small.graph(URIRef(EX + "g")).add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("v")))
    path = tmp_path / "st"
    first = load_dataset(town, path)
    assert first.quad_count(EX + "g") == 0
    del first  # a store folder is opened by one Store object at a time
    second = load_dataset(small, path)
    assert second.select("SELECT ?o WHERE { ?s ?p ?o }", {}).as_text_rows() == [["v"]]


def test_open_oxigraph_refuses_a_folder_without_a_store(tmp_path):
    with pytest.raises(QueryError, match="no Oxigraph store here"):
        open_oxigraph(tmp_path)
    assert list(tmp_path.iterdir()) == []  # nothing was created by trying


def test_load_refuses_to_replace_a_folder_that_is_not_a_store(tmp_path, town):
    (tmp_path / "keep.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(QueryError, match="not an Oxigraph store"):
        load_dataset(town, tmp_path)
    assert (tmp_path / "keep.txt").read_text(encoding="utf-8") == "mine"


def test_store_answers_library_queries_like_rdflib_on_the_fixture_town(tmp_path, town):
    specs = list_queries()
    assert specs, "no library queries found in queries/"
    store = load_dataset(town, tmp_path / "st")
    for spec in specs:
        assert run_query(store, spec).as_text_rows() == run_query(town, spec).as_text_rows(), spec.name


def test_store_binds_parameters_like_rdflib(tmp_path, town):
    store = load_dataset(town, tmp_path / "st")
    one = run_query(store, "budgets", params={"fiscal_year": "2024"}).as_text_rows()
    assert one == run_query(town, "budgets", params={"fiscal_year": "2024"}).as_text_rows()
    # the fixture's 2024 budget lines: only the project's total estimate (0 yen)
    assert [r[1:4] for r in one] == [["2024", "total", "0"]]


def test_select_errors_are_query_errors(tmp_path, town):
    store = load_dataset(town, tmp_path / "st")
    with pytest.raises(QueryError, match="query failed"):
        store.select("SELEC ?x WHERE { ?x ?p ?o }", {})
    with pytest.raises(QueryError, match="only SELECT"):
        store.select("ASK { ?s ?p ?o }", {})


# --- choosing a backend for a file -----------------------------------------------------------------------


def test_backend_for_small_file_is_rdflib_in_memory(town_file):
    assert isinstance(backend_for(town_file), RdflibBackend)


def test_backend_for_large_file_uses_a_store_cached_beside_it(tmp_path, town):
    graph = write_graph(town, tmp_path / "graph.trig", RdfFormat.TRIG)
    backend = backend_for(graph, auto_threshold_bytes=1)
    assert isinstance(backend, OxigraphBackend)
    assert backend.path == cached_store_path(graph)
    assert backend.path.parent.parent == tmp_path
    marker = next(backend.path.glob("*.sst"))
    built_at = marker.stat().st_mtime_ns
    del backend
    again = backend_for(graph, store=True)
    assert again.path == cached_store_path(graph)
    assert marker.stat().st_mtime_ns == built_at, "an unchanged file must reuse its store"
    assert run_query(again, "projects").as_text_rows() == run_query(town, "projects").as_text_rows()


def test_cached_store_is_rebuilt_when_the_file_changes(tmp_path, town):
    graph = write_graph(town, tmp_path / "graph.trig", RdfFormat.TRIG)
    old_path = backend_for(graph, store=True).path
    small = Dataset(default_union=True)
    small.graph(URIRef(EX + "g")).add((URIRef(EX + "s"), URIRef(EX + "p"), Literal("changed")))
    write_graph(small, graph, RdfFormat.TRIG)
    fresh = backend_for(graph, store=True)
    assert fresh.path != old_path and not old_path.exists()
    assert fresh.select("SELECT ?o WHERE { ?s ?p ?o }", {}).as_text_rows() == [["changed"]]


def test_backend_for_missing_file_is_a_query_error(tmp_path):
    with pytest.raises(QueryError, match="no such graph file"):
        backend_for(tmp_path / "none.trig")


# --- remote endpoints without a SPARQL server -----------------------------------------------------------


class _Recorder(BaseHTTPRequestHandler):
    """Answers every POST with fixed SPARQL JSON results and records the request."""

    seen: list[dict] = []
    answer = {
        "head": {"vars": ["iri", "ja", "n", "plain", "blank", "unbound"]},
        "results": {"bindings": [{
            "iri": {"type": "uri", "value": EX + "a"},
            "ja": {"type": "literal", "value": "商店街", "xml:lang": "ja"},
            "n": {"type": "literal", "value": "12", "datatype": str(XSD.integer)},
            "plain": {"type": "literal", "value": "x"},
            "blank": {"type": "bnode", "value": "b0"},
        }]},
    }

    def do_POST(self) -> None:  # noqa: N802 — http.server's naming
        length = int(self.headers.get("Content-Length", 0))
        self.seen.append({"auth": self.headers.get("Authorization"), "body": self.rfile.read(length)})
        data = json.dumps(self.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def recorder():
    _Recorder.seen = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/sparql", _Recorder.seen
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def test_remote_results_become_rdflib_terms(recorder):
    url, _ = recorder
    result = RemoteBackend(url, timeout=5).select("SELECT * WHERE { ?s ?p ?o }", {})
    assert result.columns == ["iri", "ja", "n", "plain", "blank", "unbound"]
    assert result.rows == [(URIRef(EX + "a"), Literal("商店街", lang="ja"), Literal("12", datatype=XSD.integer),
                            Literal("x"), BNode("b0"), None)]
    assert result.as_text_rows() == [[EX + "a", "商店街", "12", "x", "b0", ""]]


def test_remote_sends_basic_auth_and_bearer_token(recorder):
    url, seen = recorder
    RemoteBackend(url, user="ann", password="pw", timeout=5).select("SELECT * WHERE { ?s ?p ?o }", {})
    RemoteBackend(url, token="t0k", timeout=5).select("SELECT * WHERE { ?s ?p ?o }", {})
    RemoteBackend(url, timeout=5).select("SELECT * WHERE { ?s ?p ?o }", {})
    assert [s["auth"] for s in seen] == ["Basic " + base64.b64encode(b"ann:pw").decode(), "Bearer t0k", None]


def test_remote_binds_parameters_in_a_values_block_not_by_pasting(recorder):
    from urllib.parse import parse_qs

    url, seen = recorder
    payload = 'x" } ?s ?p ?o { "'
    RemoteBackend(url, timeout=5).select("SELECT ?document WHERE { ?d <urn:p> ?document }",
                                         {"document": Literal(payload)})
    sent = parse_qs(seen[0]["body"].decode())["query"][0]
    assert 'VALUES (?document) { ("x\\" } ?s ?p ?o { \\"") }' in sent


def test_remote_refuses_an_iri_parameter_that_would_break_out(recorder):
    url, seen = recorder
    with pytest.raises(QueryError, match="cannot bind parameters"):
        RemoteBackend(url, timeout=5).select("SELECT ?x WHERE { ?x ?p ?o }",
                                             {"x": URIRef("<http://a> } UNION { ?s ?p ?o")})
    assert seen == [], "nothing may be sent when a parameter cannot be serialised safely"


def test_unreachable_endpoint_is_a_one_line_query_error():
    port = free_port()  # free now, so nothing listens there
    with pytest.raises(QueryError, match="unreachable") as info:
        RemoteBackend(f"http://127.0.0.1:{port}/query", timeout=5).select("SELECT * WHERE { ?s ?p ?o }", {})
    assert "\n" not in str(info.value)


def test_silent_endpoint_times_out():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)  # accepts the connection (kernel backlog) but never answers
    try:
        url = f"http://127.0.0.1:{listener.getsockname()[1]}/query"
        with pytest.raises(QueryError, match="timeout"):
            RemoteBackend(url, timeout=0.5).select("SELECT * WHERE { ?s ?p ?o }", {})
    finally:
        listener.close()


# --- CLI: load and query --store --------------------------------------------------------------------------


def test_cli_load_then_query_store_prints_what_query_graph_prints(capsys, tmp_path, town_file):
    store = tmp_path / "store"
    assert main(["load", "--graph", str(town_file), "--store", str(store)]) == 0
    assert "named graphs" in capsys.readouterr().out
    assert main(["query", "projects", "--store", str(store), "--format", "csv"]) == 0
    from_store = capsys.readouterr().out
    assert main(["query", "projects", "--graph", str(town_file), "--format", "csv"]) == 0
    assert from_store == capsys.readouterr().out
    assert from_store.count("\n") > 1


def test_cli_load_without_graph_exits_3(capsys, tmp_path):
    assert main(["load", "--graph", str(tmp_path / "none.trig"), "--store", str(tmp_path / "st")]) == 3
    assert "no built graph" in capsys.readouterr().err


def test_cli_query_on_missing_store_exits_5(capsys, tmp_path):
    assert main(["query", "projects", "--store", str(tmp_path / "nothing")]) == 5
    assert "no Oxigraph store here" in capsys.readouterr().err


def test_cli_push_to_unreachable_endpoint_exits_5(capsys, town_file):
    port = free_port()
    assert main(["push", "--graph", str(town_file), "--endpoint", f"http://127.0.0.1:{port}/store",
                 "--timeout", "5"]) == 5
    assert "unreachable" in capsys.readouterr().err
