"""One build engine (``graph/bulk.py:build_corpus``) behind ``build`` and its alias ``bulk-build``.

``build`` streams documents through tasks (in this process, on worker processes or on a Dask
cluster) and writes graph.trig from the tasks' N-Quads text; these tests check that the bytes are
those of the in-memory rdflib build (``graph.pipeline.build_documents``), whichever way the tasks
ran, with or without a store, and after an incremental re-build.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import generate_corpus
from policy_kg.cli import main
from policy_kg.graph.bulk import MANIFEST_NAME, build_corpus
from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.stores import STORE_INFO_GRAPH

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("engine-corpus")
    generate_corpus(folder, 1, 7, expected=False)  # five sheets and a plan
    for sample in SAMPLES.glob("*.txt"):  # both profiles, and a curation file
        shutil.copy(sample, folder)
    for curation in SAMPLES.glob("*.curation.yaml"):
        shutil.copy(curation, folder)
    assert len(list(folder.glob("*.txt"))) >= 6
    return folder


@pytest.fixture(scope="module")
def in_memory(corpus: Path):
    """The in-memory build of the corpus: its TriG and report are what ``build`` must write."""
    result = build_documents([corpus])
    return result.trig(), result.report()


def _outputs(out: Path) -> tuple[bytes, dict]:
    return (out / "graph.trig").read_bytes(), json.loads((out / "report.json").read_text(encoding="utf-8"))


def _named_quads(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(store_dir))
    return {str(q) for q in store if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != STORE_INFO_GRAPH}


def _trig_quads(trig: bytes) -> set[str]:
    store = ox.Store()
    store.bulk_load(input=trig, format=ox.RdfFormat.TRIG)
    return {str(q) for q in store}


def test_build_writes_the_bytes_of_the_in_memory_build(corpus: Path, in_memory, tmp_path: Path) -> None:
    trig, report = in_memory
    assert main(["build", str(corpus), "--out", str(tmp_path / "out"), "-q", "--jobs", "1"]) == 0
    got_trig, got_report = _outputs(tmp_path / "out")
    assert got_trig == trig
    assert got_report == report
    assert report["totals"]["quads"] == len(_trig_quads(trig)) > 1000  # quads in graph.trig, counted per graph


def test_worker_processes_give_the_same_bytes(corpus: Path, in_memory, tmp_path: Path) -> None:
    result = build_corpus([corpus], out_dir=tmp_path / "out", jobs=2, chunk_size=1)
    assert result.failures == [] and result.extracted == len(list(corpus.glob("*.txt")))
    assert _outputs(tmp_path / "out") == in_memory


def test_duplicates_and_failures_are_reported_as_the_in_memory_build_does(corpus: Path, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    again = tmp_path / "again"
    again.mkdir()
    sheet = sorted(docs.glob("*sheet*.txt"))[0]
    shutil.copy(sheet, again)  # the same document (same stem, same text) given twice: built once, noted
    (docs / "zz_binary.txt").write_bytes(b"\x00\x01\x02 not text \x00")
    inputs = [docs, again]
    want = build_documents(inputs)
    result = build_corpus(inputs, out_dir=tmp_path / "out", jobs=1)
    assert result.duplicates == 1
    assert [f.file for f in result.failures] == [f.file for f in want.failures] != []
    assert _outputs(tmp_path / "out") == (want.trig(), want.report())
    entry = next(d for d in want.report()["documents"] if d["file"] == sheet.name)
    assert any("given more than once" in i["message"] for i in entry["issues"])


def test_a_build_that_reads_nothing_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["build", str(SAMPLES), "--out", str(out), "-q"]) == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x01 not text \x00")
    assert main(["build", str(bad), "--out", str(out), "-q"]) == 3
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert "left as it was" in capsys.readouterr().err


def test_store_and_graph_file_together_and_an_incremental_rebuild(corpus: Path, in_memory, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    docs = tmp_path / "docs"
    shutil.copytree(corpus, docs)
    store, out = tmp_path / "store", tmp_path / "out"
    assert main(["build", str(docs), "--store", str(store), "--out", str(out), "-q", "--jobs", "1"]) == 0
    assert _outputs(out) == in_memory
    assert _named_quads(store) == _trig_quads(in_memory[0])

    # one document changes: only it is extracted and written to the store; graph.trig is that of a fresh build
    target = sorted(docs.glob("*sheet*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace(" 継続 ", " 拡充 ", 1), encoding="utf-8")
    result = build_corpus([docs], store_dir=store, out_dir=out, jobs=1)
    assert (result.extracted, result.unchanged, result.failures) == (1, len(list(docs.glob("*.txt"))) - 1, [])
    assert 0 < result.quads_loaded <= 8
    fresh = build_documents([docs])
    assert _outputs(out) == (fresh.trig(), fresh.report())
    assert _named_quads(store) == _trig_quads(fresh.trig())

    # the alias, store only: nothing changed, nothing extracted or written, the summary line says so
    assert main(["bulk-build", str(docs), "--store", str(store), "--jobs", "1"]) == 0
    printed = capsys.readouterr().out
    assert f"0 extracted, 0 from cache, {len(list(docs.glob('*.txt')))} unchanged" in printed
    assert json.loads((store / MANIFEST_NAME).read_text(encoding="utf-8"))["documents"]


def test_a_rebuild_keeps_the_exit_code_of_documents_it_skips(tmp_path: Path) -> None:
    # an unchanged document with an error issue (an SDG code the UN list lacks) still makes a re-build
    # exit 4: its issue counts are kept in the store's manifest
    docs = tmp_path / "docs"
    docs.mkdir()
    sheet = SAMPLES / "midorino_city_evaluation_sheet.txt"
    text = sheet.read_text(encoding="utf-8")
    assert " 11.2 広域観光周遊バス運行事業 " in text
    (docs / sheet.name).write_text(text.replace(" 11.2 広域観光周遊バス運行事業 ", " 11.99 広域観光周遊バス運行事業 "),
                                   encoding="utf-8")
    store = tmp_path / "store"
    first = build_corpus([docs], store_dir=store, jobs=1)
    again = build_corpus([docs], store_dir=store, jobs=1)
    assert (first.exit_code, again.exit_code, again.unchanged, again.extracted) == (4, 4, 1, 0)


# --- Dask: the same tasks on a local cluster of two workers ----------------------------------------------


def test_dask_local_cluster_gives_the_same_graph(corpus: Path, in_memory, tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed", reason="the Dask executor is the optional extra 'dask'")
    documents = len(list(corpus.glob("*.txt")))
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, distributed.Client(cluster) as client:
        workers = set(client.scheduler_info()["workers"])
        assert len(workers) == 2
        with distributed.get_task_stream(client) as stream:
            result = build_corpus([corpus], out_dir=tmp_path / "out", store_dir=tmp_path / "store",
                                  executor=client, chunk_size=2)
        tasks = [t for t in stream.data if "process_chunk" in t["key"]]
        assert len(tasks) == -(-documents // 2)  # one task per two documents, each run on the cluster
        assert {t["worker"] for t in tasks} <= workers
        # the command line, pointed at the same cluster
        assert main(["build", str(corpus), "--out", str(tmp_path / "cli"), "-q",
                     "--scheduler", cluster.scheduler_address]) == 0
    assert result.failures == [] and result.extracted == documents
    assert _outputs(tmp_path / "out") == in_memory
    assert _outputs(tmp_path / "cli") == in_memory
    assert _named_quads(tmp_path / "store") == _trig_quads(in_memory[0])
