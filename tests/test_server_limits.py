"""`serve` and `push` under abuse (issue 17): a query timeout, a busy port, a read-only folder, a bad URL.

Servers run on 127.0.0.1 with a free port; every wait is bounded, and nothing asserts how fast
anything is: a query is "cut off" when its answer ends in Oxigraph's cancellation, not by a clock.
"""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from build_graph import main
from policy_kg.graph.builder import build_dataset
from policy_kg.graph.io import RdfFormat, write_graph
from policy_kg.graph.stores import cached_store_path, free_port, port_in_use
from tests.conftest import REPO, stop_server
from tests.records_fixture import town_sheet

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
CHEAP = "SELECT ?s WHERE { ?s a <https://w3id.org/policy-kg/ontology#Project> } LIMIT 1"


def _graph(folder: Path) -> Path:
    return write_graph(build_dataset([town_sheet()]), folder / "graph.trig", RdfFormat.TRIG)


def _serve(graph: Path, log: Path, *extra: str, env: dict | None = None) -> subprocess.Popen:
    with open(log, "wb") as out:
        return subprocess.Popen([sys.executable, str(REPO / "build_graph.py"), "serve", "--graph", str(graph),
                                 "--port", "0", *extra], stdout=out, stderr=subprocess.STDOUT, cwd=graph.parent,
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})


def _endpoint(proc: subprocess.Popen, log: Path, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        content = log.read_text(encoding="utf-8", errors="replace")
        if "Press Ctrl-C to stop." in content:
            return re.search(r"SPARQL endpoint:\s+(\S+)", content).group(1)
        if proc.poll() is not None:
            pytest.fail(f"serve exited with {proc.returncode}: {content}")
        time.sleep(0.1)
    pytest.fail(f"serve printed no banner within {seconds} s")




def _ask(url: str, query: str, timeout: float = 60) -> tuple[int, str]:
    """(HTTP status, body) of a SPARQL query; an interrupted answer gives what arrived, status -1."""
    body = urllib.parse.urlencode({"query": query}).encode()
    request = urllib.request.Request(url, data=body, headers={"Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            try:
                return response.status, response.read().decode("utf-8", errors="replace")
            except Exception as exc:  # noqa: BLE001 — the server cut the answer off mid-stream
                return -1, str(exc)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:  # connection refused or dropped
        return -1, str(exc)


def test_a_cartesian_query_is_cut_off_while_a_cheap_one_is_answered(tmp_path):
    graph, log = _graph(tmp_path), tmp_path / "serve.out"
    proc = _serve(graph, log, "--timeout", "1")
    try:
        url = _endpoint(proc, log)
        heavy: dict[str, tuple[int, str]] = {}
        worker = threading.Thread(target=lambda: heavy.setdefault("answer", _ask(url, CARTESIAN, timeout=120)))
        worker.start()
        status, body = _ask(url, CHEAP)  # sent while the cartesian product runs
        assert status == 200 and "town-sheet" in body
        worker.join(timeout=150)
        assert not worker.is_alive(), "the cartesian query was not cut off"
        status, body = heavy["answer"]
        assert "cancelled" in body or status not in (200,), (status, body[:300])
        assert '"value"' not in body  # no count was produced
        assert "--timeout-s 1" in " ".join(_server_commands(proc.pid))
    finally:
        stop_server(proc)


def test_a_server_grown_by_a_query_the_timeout_cannot_stop_is_restarted(tmp_path):
    # ORDER BY materialises its input and Oxigraph 0.5's timeout does not stop it (oxigraph#1871):
    # past --max-memory the server is started again, the query dropped, and queries go on.
    graph, log = _graph(tmp_path), tmp_path / "serve.out"
    proc = _serve(graph, log, "--timeout", "1", "--max-memory", "300")
    try:
        url = _endpoint(proc, log)
        status, body = _ask(url, "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?i ?f ?c LIMIT 1",
                            timeout=120)
        assert status == -1, (status, body[:300])  # the connection dropped with the server
        deadline = time.monotonic() + 60
        while "restarted it" not in log.read_text(encoding="utf-8") and time.monotonic() < deadline:
            time.sleep(0.2)
        assert "more than --max-memory 300: restarted it" in log.read_text(encoding="utf-8")
        answered = _ask(url, CHEAP, timeout=10)
        while answered[0] == -1 and time.monotonic() < deadline:  # the new server comes up on the same port
            time.sleep(0.2)
            answered = _ask(url, CHEAP, timeout=10)
        assert answered[0] == 200 and "town-sheet" in answered[1], answered
        assert proc.poll() is None
    finally:
        stop_server(proc)


def _server_commands(parent: int) -> list[str]:
    """Command lines of the children of ``parent`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            if int(stat.rsplit(")", 1)[1].split()[1]) == parent:
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except (OSError, ValueError, IndexError):
            continue
    return found


def test_serve_limits_must_be_numbers_of_seconds_and_mib(tmp_path, capsys):
    assert main(["serve", "--graph", str(_graph(tmp_path)), "--timeout", "-1"]) == 2
    assert "--timeout" in capsys.readouterr().err
    assert main(["serve", "--graph", str(_graph(tmp_path)), "--max-memory", "-5"]) == 2
    assert "--max-memory" in capsys.readouterr().err


def test_serve_on_a_busy_port_fails_before_its_banner(tmp_path):
    graph = _graph(tmp_path)
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        assert port_in_use("127.0.0.1", port)
        proc = subprocess.run([sys.executable, str(REPO / "build_graph.py"), "serve", "--graph", str(graph),
                               "--port", str(port)], capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert proc.returncode == 5, proc.stderr
    assert f"port {port} on 127.0.0.1 is already in use" in proc.stderr
    assert "Press Ctrl-C" not in proc.stdout and "query page" not in proc.stdout
    assert not port_in_use("127.0.0.1", free_port())


def test_a_graph_in_a_folder_that_cannot_be_written_is_cached_in_the_user_cache(tmp_path, monkeypatch):
    graph = _graph(tmp_path)
    # Where the cache would go beside the graph a file stands in the way: nothing can be written
    # there (as in a read-only folder, which root could write to anyway).
    (tmp_path / ".graph.trig.oxigraph").write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = cached_store_path(graph)
    assert path.is_relative_to(tmp_path / "cache" / "policy-kg") and path.name.startswith("v")
    log = tmp_path / "serve.out"
    proc = _serve(graph, log, env={"XDG_CACHE_HOME": str(tmp_path / "cache")})
    try:
        status, body = _ask(_endpoint(proc, log), CHEAP)
        assert status == 200 and "town-sheet" in body
    finally:
        stop_server(proc)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes to read-only folders")
def test_a_read_only_folder_is_served_from_the_user_cache(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    graph = _graph(folder)
    folder.chmod(0o555)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    try:
        assert cached_store_path(graph).is_relative_to(tmp_path / "cache")
        assert main(["query", "projects", "--graph", str(graph), "--oxigraph"]) == 0
    finally:
        folder.chmod(0o755)


@pytest.mark.parametrize("option", ["--endpoint", "--update"])
@pytest.mark.parametrize("url", ["not a url", "ftp://host/x", "http://", "http://host:port/x"])
def test_push_to_something_that_is_not_an_http_url_is_a_usage_error(tmp_path, capsys, option, url):
    assert main(["push", option, url, "--graph", str(_graph(tmp_path))]) == 2
    err = capsys.readouterr().err
    assert "not an http:// or https:// URL" in err and repr(url) in err
