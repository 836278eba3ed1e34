"""The same answers everywhere: rdflib in memory, an Oxigraph store, and a real Oxigraph server.

Servers are started on 127.0.0.1 with a free port and stopped in fixture teardown; every wait is
bounded. Graphs are built from the hand-made fixture town, the bundled samples and the seeds.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import Dataset, Literal, URIRef

from policy_kg.graph.builder import build_dataset
from policy_kg.graph.io import RdfFormat, write_graph
from policy_kg.graph.iris import ONTOLOGY_GRAPH, REFERENCE_GRAPH
from policy_kg.graph.namespace import DEFAULT_BASE
from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.query import QueryError, RdflibBackend, list_queries, run_query
from policy_kg.graph.stores import OxigraphBackend, OxigraphServer, RemoteBackend, load_dataset, push
from tests.conftest import (
    REPO,
    SAMPLES,
    SEED_PLAN,
    SEED_SHEET,
    WholeRead,
    assert_reads_only_named_graphs,
    stop_server,
)
from tests.records_fixture import town_sheet

QUERIES = list_queries()
CORPORA = ("town", "samples", "seeds")
INJECTIONS = ('x" } ?s ?p ?o { "', "<http://a> } UNION { ?s ?p ?o", "x' } ?s ?p ?o { '", "\\\" } #")


def test_the_query_library_is_not_empty():
    assert len(QUERIES) >= 5, "graph.query.list_queries() found (almost) no queries/*.rq"


@dataclass
class Backends:
    dataset: Dataset
    store: OxigraphBackend
    server: OxigraphServer
    remote: RemoteBackend

    def all(self) -> dict[str, object]:
        return {"rdflib": self.dataset, "oxigraph-store": self.store, "oxigraph-server": self.remote}


class Pool:
    """Datasets, stores and read-only servers built once per corpus; servers stopped at the end."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.built: dict[str, Backends] = {}
        self.servers: list[OxigraphServer] = []

    def get(self, corpus: str, seed_path) -> Backends:
        if corpus not in self.built:
            self.built[corpus] = self._build(corpus, _dataset(corpus, seed_path))
        return self.built[corpus]

    def _build(self, corpus: str, ds: Dataset) -> Backends:
        store_dir = self.folder / f"{corpus}-store"
        store = load_dataset(ds, store_dir)
        served_dir = self.folder / f"{corpus}-served"
        del load_dataset(ds, served_dir).store  # the server opens its own folder read-only
        server = OxigraphServer(served_dir, port=0, union=False, log=self.folder / f"{corpus}.log")
        self.servers.append(server.start())
        return Backends(ds, store, server, RemoteBackend(server.query_url, timeout=30))

    def close(self) -> None:
        for server in self.servers:
            server.stop()


def _dataset(corpus: str, seed_path) -> Dataset:
    if corpus == "town":
        return build_dataset([town_sheet()])
    if corpus == "samples":
        paths = sorted(SAMPLES.glob("*.txt"))
        assert paths, f"no sample documents in {SAMPLES}"
    else:
        paths = [seed_path(SEED_SHEET), seed_path(SEED_PLAN)]
    result = build_documents(paths)
    assert not result.failures, result.failures
    assert len(result.records) == len(paths)
    return result.dataset


@pytest.fixture(scope="module")
def pool(tmp_path_factory):
    p = Pool(tmp_path_factory.mktemp("stores"))
    yield p
    p.close()


# --- equivalence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("corpus", CORPORA)
@pytest.mark.parametrize("spec", QUERIES, ids=lambda s: s.name)
def test_library_query_gives_identical_rows_on_every_backend(pool, seed_path, corpus, spec):
    backends = pool.get(corpus, seed_path).all()
    rows = {name: run_query(target, spec).as_text_rows() for name, target in backends.items()}
    expected = rows.pop("rdflib")
    for name, got in rows.items():
        assert_same_rows(f"{spec.name} on {name} (vs rdflib)", got, expected)


def assert_same_rows(what: str, got: list[list[str]], expected: list[list[str]]) -> None:
    """``got == expected``, failing with the likely cause when only an order differs."""
    if got != expected and Counter(map(tuple, got)) == Counter(map(tuple, expected)):
        pytest.fail(f"{what}: same rows in another order; the query's ORDER BY leaves ties "
                    "(add the remaining columns to it)")
    if got != expected and len(got) == len(expected):
        for a, b in zip(got, expected):
            cells = [i for i, (x, y) in enumerate(zip(a, b)) if x != y]
            if cells and all(sorted(a[i]) == sorted(b[i]) for i in cells):
                pytest.fail(f"{what}: a cell lists the same items in another order ({a[cells[0]]!r} vs "
                            f"{b[cells[0]]!r}); GROUP_CONCAT order is unspecified, so sort the list "
                            "(the query header's sorted-lists)")
    assert got == expected, what


@pytest.mark.parametrize("corpus", CORPORA)
def test_corpus_is_not_vacuous(pool, seed_path, corpus):
    """Equivalence of empty answers proves nothing: the core queries must return rows."""
    ds = pool.get(corpus, seed_path).dataset
    for name in ("projects", "hierarchy", "budgets"):
        assert run_query(ds, name).rows, f"{name} returns nothing on {corpus}"


def test_parameters_bind_alike_on_every_backend(pool, seed_path):
    backends = pool.get("samples", seed_path).all()
    documents = sorted({row[0] for row in run_query(backends["rdflib"], "projects").as_text_rows()})
    assert len(documents) >= 2
    for name, target in backends.items():
        only = run_query(target, "projects", params={"document": documents[0]}).as_text_rows()
        assert only and {r[0] for r in only} == {documents[0]}, name
        per_year = run_query(target, "budgets", params={"fiscal_year": "2024"}).as_text_rows()
        assert per_year and {r[1] for r in per_year} == {"2024"}, name


# --- injection -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", INJECTIONS)
def test_a_parameter_value_cannot_change_the_query(pool, seed_path, payload):
    backends = pool.get("samples", seed_path).all()
    with_document = [s for s in QUERIES if any(p.name == "document" for p in s.params)]
    assert with_document, "no library query declares a document parameter"
    for name, target in backends.items():
        for spec in with_document:
            rows = run_query(target, spec, params={"document": payload}).rows
            assert rows == [], f"{spec.name} on {name}: the payload {payload!r} returned rows"


@pytest.mark.parametrize("payload", INJECTIONS[:2])
def test_an_iri_binding_cannot_change_the_query(pool, seed_path, payload):
    """An IRI that is not an IRI is refused (Oxigraph, remote) or matches nothing (rdflib)."""
    backends = pool.get("samples", seed_path).all()
    for name, target in backends.items():
        try:
            rows = run_query(target, "projects", bindings={"project_iri": URIRef(payload)}).rows
        except QueryError:
            continue
        assert rows == [], f"{name}: an IRI binding of {payload!r} returned rows"


# --- one document on a server ------------------------------------------------------------------------------

SCOPED = [q for q in QUERIES if q.scope]


@pytest.mark.parametrize("corpus", ("samples", "seeds"))
def test_a_server_answers_for_one_document_from_its_graphs_alone(pool, seed_path, corpus, monkeypatch):
    backends = pool.get(corpus, seed_path)
    documents = sorted({row[0] for row in run_query(backends.store, "projects").as_text_rows()})
    assert len(documents) == 2
    sent: list[list[str]] = []
    request = backends.remote._request
    monkeypatch.setattr(backends.remote, "_request", lambda q, g=(): sent.append(list(g)) or request(q, g))
    rows = 0
    for spec in SCOPED:
        for name in documents:
            got = run_query(backends.remote, spec, params={"document": name}).as_text_rows()
            expected = run_query(WholeRead(backends.store), spec, params={"document": name}).as_text_rows()
            assert_same_rows(f"{spec.name} for {name} on the server", got, expected)
            rows += len(got)
    assert rows > 0
    confined = [g for g in sent if g]  # the queries themselves; the graph lookups read everything
    assert len(confined) == len(SCOPED) * len(documents)
    for graphs in confined:
        assert f"{DEFAULT_BASE}{ONTOLOGY_GRAPH}" in graphs and f"{DEFAULT_BASE}{REFERENCE_GRAPH}" in graphs
        documents_graphs = [g for g in graphs if "/graph/" in g and not g.endswith(("/ontology", "/sdg-reference"))]
        assert documents_graphs and len({g.removesuffix("/curation") for g in documents_graphs}) == 1, graphs
    if corpus == "samples":
        assert any(g.endswith("/kitakaze_agency_business_plan/curation") for graphs in confined for g in graphs)


def test_a_server_reads_only_the_graphs_it_is_told(pool, seed_path):
    # The server honours default-graph-uri: the scoped rows above are not a whole read by accident.
    remote = pool.get("samples", seed_path).remote
    assert_reads_only_named_graphs(remote, "midorino_city_evaluation_sheet.txt")


def test_a_server_holding_documents_in_its_default_graph_is_read_whole(pool, seed_path, tmp_path):
    # No named graph describes the document: only a read of everything can answer.
    ds = pool.get("samples", seed_path).dataset
    body = "".join(g.serialize(format="nt") for g in ds.graphs()).encode("utf-8")
    with OxigraphServer(None, port=0, writable=True, union=False, log=tmp_path / "server.log") as server:
        request = urllib.request.Request(server.store_url + "?default", data=body, method="POST",
                                         headers={"Content-Type": "application/n-triples"})
        urllib.request.urlopen(request, timeout=60).read()
        _assert_read_whole(RemoteBackend(server.query_url, timeout=60), ds)


def _assert_read_whole(remote: RemoteBackend, ds: Dataset) -> None:
    name = "midorino_city_evaluation_sheet.txt"
    assert remote.document_graphs([name]) is None
    local = OxigraphBackend.in_memory()
    local.add_dataset(ds)
    got = run_query(remote, "budgets", params={"document": name}).as_text_rows()
    assert got and got == run_query(WholeRead(local), "budgets", params={"document": name}).as_text_rows()


# --- push ------------------------------------------------------------------------------------------------


@pytest.fixture
def writable_server(tmp_path):
    server = OxigraphServer(None, port=0, writable=True, union=True, log=tmp_path / "server.log")
    with server:
        yield server


def _quads_in(server: OxigraphServer, graph: str) -> int:
    query = f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    return int(RemoteBackend(server.query_url, timeout=30).select(query, {}).as_text_rows()[0][0])


@pytest.mark.parametrize("method", ["graph-store", "update"])
def test_push_then_remote_query_matches_local_and_push_replaces(pool, seed_path, writable_server, method):
    ds = pool.get("samples", seed_path).dataset
    target = {"graph_store": writable_server.store_url} if method == "graph-store" else \
        {"update": writable_server.update_url}
    report = push(ds, **target, timeout=60)
    assert report.method == method
    sizes = dict(report.graphs)
    assert len(sizes) >= 3  # two documents and the reference graph(s)
    for graph, n in sizes.items():
        assert _quads_in(writable_server, graph) == n, graph

    push(ds, **target, timeout=60)  # the same documents again: replaced, not duplicated
    for graph, n in sizes.items():
        assert _quads_in(writable_server, graph) == n, graph

    # A writable server forms the union itself (--union-default-graph), so the local side is a
    # store queried the same way; test_oxigraph_union_counts_shared_triples_per_graph says why.
    local = OxigraphBackend.in_memory()
    local.add_dataset(ds, merge=False)
    remote = RemoteBackend(writable_server.query_url, timeout=60)
    for spec in QUERIES:
        got, expected = run_query(remote, spec).as_text_rows(), run_query(local, spec).as_text_rows()
        assert_same_rows(f"{spec.name} after push", got, expected)


def test_oxigraph_union_counts_shared_triples_per_graph(writable_server):
    """Canary for oxigraph/oxigraph#1919 (fixed after 0.5): the reason stores built by
    graph.stores keep the merge of all graphs in their default graph. When this fails, the
    installed Oxigraph merges correctly and the workaround in graph/stores.py can go."""
    ds = Dataset(default_union=True)
    for g in ("g1", "g2"):
        ds.graph(URIRef(f"http://example.org/{g}")).add(
            (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal(10)))
    push(ds, graph_store=writable_server.store_url)
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o }"
    assert RemoteBackend(writable_server.query_url).select(query, {}).as_text_rows() == [["2"]]
    assert RdflibBackend(ds).select(query, {}).as_text_rows() == [["1"]]  # the RDF merge


def test_push_replaces_a_changed_document_graph(writable_server):
    g = URIRef("http://example.org/graph/doc")
    first, second = Dataset(default_union=True), Dataset(default_union=True)
    for i in range(3):
        first.graph(g).add((URIRef(f"http://example.org/s{i}"), URIRef("http://example.org/p"), Literal(i)))
    second.graph(g).add((URIRef("http://example.org/s9"), URIRef("http://example.org/p"), Literal(9)))
    for method in ({"graph_store": writable_server.store_url}, {"update": writable_server.update_url}):
        push(first, **method)
        assert _quads_in(writable_server, str(g)) == 3
        push(second, **method)
        assert _quads_in(writable_server, str(g)) == 1


def test_push_to_a_read_only_server_is_refused(pool, seed_path):
    backends = pool.get("town", seed_path)
    before = run_query(backends.remote, "projects").as_text_rows()
    other = Dataset(default_union=True)
    other.graph(URIRef("http://example.org/g")).add(
        (URIRef("http://example.org/s"), URIRef("http://example.org/p"), Literal("v")))
    with pytest.raises(QueryError, match="HTTP 403"):
        push(other, graph_store=backends.server.store_url, timeout=10)
    with pytest.raises(QueryError, match="HTTP 403"):
        push(other, update=backends.server.update_url, timeout=10)
    assert run_query(backends.remote, "projects").as_text_rows() == before


# --- serve (the CLI, run as a user runs it) ----------------------------------------------------------------


@pytest.fixture
def served(tmp_path):
    """``python build_graph.py serve`` on the fixture town's graph; yields (process, banner, url)."""
    graph = write_graph(build_dataset([town_sheet()]), tmp_path / "graph.trig", RdfFormat.TRIG)
    log = tmp_path / "serve.out"
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, str(REPO / "build_graph.py"), "serve", "--graph", str(graph),
                                 "--port", "0"], stdout=out, stderr=subprocess.STDOUT, cwd=tmp_path, env=env)
    try:
        banner = _wait_for(log, "Press Ctrl-C to stop.", proc, seconds=60)
        url = re.search(r"SPARQL endpoint:\s+(\S+)", banner).group(1)
        yield proc, banner, url, log
    finally:
        stop_server(proc)


def _wait_for(log: Path, text: str, proc: subprocess.Popen, seconds: float) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text(encoding="utf-8", errors="replace")
        if text in content:
            return content
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}: {content}")
        time.sleep(0.1)
    pytest.fail(f"serve did not print {text!r} within {seconds} s")


def _listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on ``port`` (Linux /proc/net/tcp{,6})."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                found.add(address)
    return found


def test_serve_binds_loopback_answers_queries_and_refuses_updates(served):
    proc, banner, url, _ = served
    assert url.startswith("http://127.0.0.1:") and url.endswith("/query")
    assert "query page:" in banner
    port = int(url.rsplit(":", 1)[1].split("/")[0])
    assert _listening_addresses(port) == {"0100007F"}, "must listen on 127.0.0.1 only"

    rows = run_query(RemoteBackend(url, timeout=30), "projects").as_text_rows()
    assert rows == run_query(build_dataset([town_sheet()]), "projects").as_text_rows()

    base = url.removesuffix("/query")
    update = urllib.request.Request(base + "/update", data=b"INSERT DATA { <urn:a> <urn:b> <urn:c> }",
                                    headers={"Content-Type": "application/sparql-update"})
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(update, timeout=10)
    assert refused.value.code in (403, 405)
    count = RemoteBackend(url, timeout=30).select("SELECT (COUNT(*) AS ?n) WHERE { <urn:a> ?p ?o }", {})
    assert count.as_text_rows() == [["0"]]


def test_serve_stops_cleanly_on_ctrl_c(served):
    proc, _, url, log = served
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0, log.read_text(encoding="utf-8")
    with pytest.raises(urllib.error.URLError):  # the server is gone with it
        urllib.request.urlopen(url.removesuffix("/query") + "/", timeout=5)


def test_serve_stops_cleanly_on_sigterm(served):
    proc, _, _, log = served
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(timeout=30) == 0, log.read_text(encoding="utf-8")
    assert "Server stopped." in log.read_text(encoding="utf-8")


def test_serve_does_not_outlive_a_killed_cli(served):
    proc, _, url, _ = served
    proc.kill()  # no chance to forward anything
    proc.wait(timeout=10)
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url.removesuffix("/query") + "/", timeout=2)
        except (urllib.error.URLError, OSError):
            return
        time.sleep(0.2)
    pytest.fail("the Oxigraph server kept running after serve was killed")


def test_serve_without_a_graph_exits_3(tmp_path):
    proc = subprocess.run([sys.executable, str(REPO / "build_graph.py"), "serve", "--graph",
                           str(tmp_path / "none.trig"), "--port", "0"], capture_output=True, text=True,
                          timeout=60, cwd=tmp_path)
    assert proc.returncode == 3 and "no built graph" in proc.stderr
