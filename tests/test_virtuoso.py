"""The same library on Virtuoso (Debian's virtuoso-opensource): push, then identical rows.

A private Virtuoso instance runs on loopback ports in a temporary folder; the test grants SPARQL
Update to its anonymous SPARQL user (test-only) and stops the server afterwards.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.query import list_queries, run_query
from policy_kg.graph.stores import OxigraphBackend, RemoteBackend, push
from tests.conftest import SAMPLES, SEED_PLAN, SEED_SHEET, WholeRead, _seed, assert_reads_only_named_graphs

VIRTUOSO = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
TEMPLATE = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def virtuoso(tmp_path_factory):
    if not (VIRTUOSO and ISQL and TEMPLATE.is_file()):
        if os.environ.get("CI") == "true":
            pytest.fail("virtuoso-t is missing: CI must install the Debian package 'virtuoso-opensource'")
        pytest.skip("Virtuoso not installed (apt-get install virtuoso-opensource)")
    folder = tmp_path_factory.mktemp("virtuoso")
    sql_port, http_port = _free_port(), _free_port()
    ini = TEMPLATE.read_text(encoding="utf-8").replace("/var/lib/virtuoso-opensource-7/db/", f"{folder}/")
    ini = re.sub(r"(\[Parameters\][^\[]*?ServerPort\s*=\s*)\d+", rf"\g<1>127.0.0.1:{sql_port}", ini, flags=re.S)
    ini = re.sub(r"(\[HTTPServer\][^\[]*?ServerPort\s*=\s*)\d+", rf"\g<1>127.0.0.1:{http_port}", ini, flags=re.S)
    (folder / "virtuoso.ini").write_text(ini, encoding="utf-8")
    server = subprocess.Popen([VIRTUOSO, "+configfile", str(folder / "virtuoso.ini"), "+foreground"],
                              cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    endpoint = f"http://127.0.0.1:{http_port}/sparql"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{endpoint}?query=ASK%7B%7D", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    pytest.fail(f"Virtuoso did not start on 127.0.0.1:{http_port}")
                time.sleep(0.5)
        grants = "".join(f"GRANT {g} TO \"SPARQL\";\n" for g in (
            "SPARQL_UPDATE", "EXECUTE ON DB.DBA.SPARUL_DROP", "EXECUTE ON DB.DBA.SPARQL_INSERT_DICT_CONTENT",
            "EXECUTE ON DB.DBA.SPARQL_DELETE_DICT_CONTENT"))
        subprocess.run([ISQL, f"127.0.0.1:{sql_port}", "dba", "dba"], input=grants, text=True,
                       capture_output=True, timeout=60, check=True)
        yield endpoint
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def test_virtuoso_returns_the_same_rows_as_the_local_store(virtuoso):
    documents = [_seed(SEED_SHEET), _seed(SEED_PLAN), *sorted(SAMPLES.glob("*.txt"))]
    local = build_documents(documents).dataset
    report = push(local, update=virtuoso)
    assert len(report.graphs) == len(documents) + 3  # documents, one curation graph, ontology, SDG reference
    remote = RemoteBackend(virtuoso, timeout=120)
    queries = list_queries()
    assert queries
    for spec in queries:
        expected = run_query(local, spec).as_text_rows()
        assert expected, spec.name
        assert run_query(remote, spec).as_text_rows() == expected, spec.name

    # asked about one document, Virtuoso reads only that document's graphs (default-graph-uri)
    store = OxigraphBackend.in_memory()
    store.add_dataset(local)
    sent: list[list[str]] = []
    request = remote._request
    remote._request = lambda q, g=(): sent.append(list(g)) or request(q, g)  # type: ignore[method-assign]
    scoped = [spec for spec in queries if spec.scope]
    rows = 0
    for spec in scoped:
        for path in documents:
            params = {"document": path.name}
            got = run_query(remote, spec, params=params).as_text_rows()
            assert got == run_query(WholeRead(store), spec, params=params).as_text_rows(), (spec.name, path.name)
            rows += len(got)
    assert rows > 0
    assert len([g for g in sent if g]) == len(scoped) * len(documents)
    remote._request = request  # type: ignore[method-assign]
    assert_reads_only_named_graphs(remote, "midorino_city_evaluation_sheet.txt")


def test_pushing_again_replaces_each_document_graph(virtuoso):
    local = build_documents([SAMPLES / "midorino_city_evaluation_sheet.txt"]).dataset
    remote = RemoteBackend(virtuoso, timeout=120)
    push(local, update=virtuoso)
    first = run_query(remote, "budgets", params={"document": "midorino_city_evaluation_sheet.txt"}).as_text_rows()
    push(local, update=virtuoso)
    again = run_query(remote, "budgets", params={"document": "midorino_city_evaluation_sheet.txt"}).as_text_rows()
    assert first == again == run_query(local, "budgets").as_text_rows()
