"""Outputs are replaced only by a successful call: a failing one leaves earlier outputs byte-identical.

Every command that writes files is checked (build, bulk-build, extract --records, export --out,
export-network --out, visualize --out, load --store), with a failing input and with a write that
fails (disk full); a write error exits 73 (EXIT_OUTPUT_ERROR), not 3, which is for inputs.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import policy_kg.graph.io as graph_io
from build_graph import main
from policy_kg.graph.pipeline import EXIT_FAILED_DOCUMENT, EXIT_OUTPUT_ERROR
from tests.conftest import REPO, SAMPLES

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
BAD = Path(__file__).resolve().parent / "data" / "bad_inputs"


def snapshot(*roots: Path) -> dict[str, bytes]:
    """Every file under ``roots`` (or the file itself) with its bytes."""
    out: dict[str, bytes] = {}
    for root in roots:
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        out.update({str(p): p.read_bytes() for p in files})
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("built")
    assert main(["build", str(SHEET), "--out", str(out), "--quiet"]) == 0
    return out


@pytest.fixture
def disk_full(monkeypatch):
    """Make the ``n``-th temporary output file (1-based) fail as on a full disk."""

    def arm(n: int = 1) -> None:
        real = graph_io._write_temp
        calls = {"n": 0}

        def failing(path, data):
            calls["n"] += 1
            if calls["n"] >= n:
                raise OSError(errno.ENOSPC, "No space left on device")
            return real(path, data)

        monkeypatch.setattr(graph_io, "_write_temp", failing)

    return arm


@pytest.fixture
def broken_graph(tmp_path) -> Path:
    path = tmp_path / "broken.trig"
    path.write_text("@prefix x: <http://example.org/> .\nx:a x:b", encoding="utf-8")
    return path


# --- build ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("inputs", [["samles"], [str(BAD / "binary.txt")], [str(BAD / "empty.txt")]],
                         ids=["mistyped-path", "binary", "empty"])
def test_a_build_that_reads_nothing_leaves_the_outputs(built, tmp_path, capsys, inputs):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    before = snapshot(out)
    assert main(["build", *inputs, "--out", str(out), "--quiet"]) == EXIT_FAILED_DOCUMENT
    assert snapshot(out) == before
    assert "left as it was" in capsys.readouterr().err


def test_a_build_with_some_documents_readable_is_written(built, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["build", str(SHEET), "samles", "--out", str(out), "--quiet"]) == EXIT_FAILED_DOCUMENT
    assert (out / "graph.trig").read_bytes() == (built / "graph.trig").read_bytes()
    capsys.readouterr()


@pytest.mark.parametrize("failing_write", [1, 2, 3], ids=["graph", "report.json", "report.txt"])
def test_a_build_whose_write_fails_replaces_no_output_and_exits_73(built, tmp_path, capsys, disk_full,
                                                                    failing_write):
    out = tmp_path / "out"
    shutil.copytree(built, out)
    (out / "graph.trig").write_text("# an older graph\n", encoding="utf-8")
    before = snapshot(out)
    disk_full(failing_write)
    assert main(["build", str(SHEET), "--out", str(out), "--quiet"]) == EXIT_OUTPUT_ERROR
    assert snapshot(out) == before  # none of the three replaced, no temporary file left
    assert "No space left on device" in capsys.readouterr().err


def test_an_output_folder_that_cannot_be_made_exits_73(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["build", str(SHEET), "--out", str(blocker / "out"), "--quiet"]) == EXIT_OUTPUT_ERROR
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "cannot write output" in err


# --- extract --records ---------------------------------------------------------------------------------


def test_extract_that_fails_leaves_the_records(tmp_path, capsys, disk_full):
    records = tmp_path / "records"
    assert main(["extract", str(SHEET), "--records", str(records)]) == 0
    before = snapshot(records)
    assert main(["extract", str(BAD / "binary.txt"), "--records", str(records)]) == EXIT_FAILED_DOCUMENT
    assert snapshot(records) == before
    disk_full()
    assert main(["extract", str(SHEET), "--records", str(records)]) == EXIT_OUTPUT_ERROR
    assert snapshot(records) == before
    capsys.readouterr()


def test_extract_into_a_folder_that_cannot_be_made_exits_73(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    assert main(["extract", str(SHEET), "--records", str(blocker / "records")]) == EXIT_OUTPUT_ERROR
    capsys.readouterr()


# --- export, export-network, visualize ------------------------------------------------------------------


@pytest.mark.parametrize("command", [
    ["export", "--format", "nq", "--out", "{out}/graph.nq"],
    ["export-network", "--format", "graphml", "--out", "{out}/net.graphml"],
    ["export-network", "--format", "json", "--out", "{out}/net.json"],
    ["export-network", "--format", "csv", "--out", "{out}/csv"],
    ["export-network", "--format", "svg", "--view", "sdg", "--out", "{out}/net.svg"],
    ["visualize", "sdg", "--out", "{out}/sdg.html"],
], ids=["export", "graphml", "json", "csv", "svg", "visualize"])
def test_a_failing_export_leaves_the_earlier_file(built, tmp_path, capsys, disk_full, broken_graph, command):
    out = tmp_path / "exports"
    graph_file = str(built / "graph.trig")
    argv = [c.replace("{out}", str(out)) for c in command]
    assert main([*argv, "--graph", graph_file]) == 0
    before = snapshot(out)
    assert before
    assert main([*argv, "--graph", str(tmp_path / "missing.trig")]) == EXIT_FAILED_DOCUMENT
    assert snapshot(out) == before
    assert main([*argv, "--graph", str(broken_graph)]) != 0
    assert snapshot(out) == before
    disk_full()
    assert main([*argv, "--graph", graph_file]) == EXIT_OUTPUT_ERROR
    assert snapshot(out) == before
    capsys.readouterr()


def test_export_into_a_folder_that_cannot_be_made_exits_73(built, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["export", "--format", "ttl", "--graph", str(built / "graph.trig"), "--out", str(blocker / "g.ttl")])
    assert code == EXIT_OUTPUT_ERROR
    capsys.readouterr()


# --- stores: load --store, bulk-build -------------------------------------------------------------------


def test_a_failing_load_leaves_the_store(built, tmp_path, capsys, broken_graph):
    store = tmp_path / "store"
    assert main(["load", "--graph", str(built / "graph.trig"), "--store", str(store)]) == 0
    before = snapshot(store)
    assert main(["load", "--graph", str(tmp_path / "missing.trig"), "--store", str(store)]) == EXIT_FAILED_DOCUMENT
    assert snapshot(store) == before
    assert main(["load", "--graph", str(broken_graph), "--store", str(store)]) == EXIT_FAILED_DOCUMENT
    assert snapshot(store) == before
    capsys.readouterr()


def test_load_into_a_folder_that_cannot_be_made_exits_73(built, tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["load", "--graph", str(built / "graph.trig"), "--store", str(blocker / "store")])
    assert code == EXIT_OUTPUT_ERROR
    capsys.readouterr()


@pytest.fixture
def bulk_store(tmp_path) -> tuple[Path, Path]:
    docs = tmp_path / "docs"
    docs.mkdir()
    shutil.copy(SHEET, docs)
    store = tmp_path / "store"
    assert main(["bulk-build", str(docs), "--store", str(store), "--jobs", "1", "-q"]) == 0
    return store, store.with_name(store.name + ".records-cache")


@pytest.mark.parametrize("kind", ["mistyped-path", "empty-folder", "binary"])
def test_a_bulk_build_that_reads_nothing_leaves_the_store(bulk_store, tmp_path, capsys, kind):
    store, cache = bulk_store
    before = snapshot(store, cache)
    if kind == "mistyped-path":
        inputs = [str(tmp_path / "dcos")]
    elif kind == "empty-folder":
        (tmp_path / "empty").mkdir()
        inputs = [str(tmp_path / "empty")]
    else:
        inputs = [str(BAD / "binary.txt")]
    assert main(["bulk-build", *inputs, "--store", str(store), "--jobs", "1", "-q"]) == EXIT_FAILED_DOCUMENT
    assert snapshot(store, cache) == before
    capsys.readouterr()


def test_bulk_build_of_a_folder_without_documents_fails_like_build(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["build", str(empty), "--out", str(tmp_path / "out"), "-q"]) == EXIT_FAILED_DOCUMENT
    build_err = capsys.readouterr().err
    assert main(["bulk-build", str(empty), "--store", str(tmp_path / "store"), "-q"]) == EXIT_FAILED_DOCUMENT
    assert capsys.readouterr().err == build_err
    assert not (tmp_path / "store").exists()


def test_bulk_build_into_a_folder_that_cannot_be_made_exits_73(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["bulk-build", str(SHEET), "--store", str(blocker / "store"), "--jobs", "1", "-q"])
    assert code == EXIT_OUTPUT_ERROR
    capsys.readouterr()


# --- bulk-build workers do not outlive their parent ---------------------------------------------------

_SLOW_BULK_BUILD = """
import os, sys, time
sys.path.insert(0, {repo!r})
import policy_kg.graph.bulk as bulk

def slow_chunk(items, *args):
    open(os.path.join({pids!r}, str(os.getpid())), "w").close()
    time.sleep(120)

bulk._process_chunk = slow_chunk  # the workers are forked from this process: they run it
bulk.bulk_build([{docs!r}], store_dir={store!r}, jobs=2, chunk_size=1, progress=False)
"""


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (dead, not yet reaped by init) is not alive
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


@pytest.mark.skipif(sys.platform != "linux", reason="SIGKILL and /proc: Linux")
def test_bulk_build_workers_exit_when_the_parent_is_killed(tmp_path):
    docs, pids = tmp_path / "docs", tmp_path / "pids"
    docs.mkdir()
    pids.mkdir()
    for n in range(4):
        shutil.copy(SHEET, docs / f"sheet{n}.txt")
    script = _SLOW_BULK_BUILD.format(repo=str(REPO), pids=str(pids), docs=str(docs), store=str(tmp_path / "store"))
    parent = subprocess.Popen([sys.executable, "-c", script])
    try:
        deadline = time.monotonic() + 60
        while len(list(pids.iterdir())) < 2 and time.monotonic() < deadline and parent.poll() is None:
            time.sleep(0.1)
        workers = [int(p.name) for p in pids.iterdir()]
        assert len(workers) == 2, "the workers did not start"
        parent.kill()  # SIGKILL: no handler, no cleanup in the parent
        parent.wait()
        deadline = time.monotonic() + 30
        while any(map(_alive, workers)) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(map(_alive, workers)), "a bulk-build worker outlived its parent"
    finally:
        if parent.poll() is None:
            parent.kill()
        for pid in [int(p.name) for p in pids.iterdir()]:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
