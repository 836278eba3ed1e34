"""Idempotence: the same inputs give the same bytes, in any process, in any order, built at once or in steps."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from build_graph import main
from policy_kg.extract.detect import extract
from policy_kg.extract.source import SourceText, read_source
from policy_kg.graph.builder import add_document, build_dataset
from policy_kg.graph.io import RdfFormat, serialize
from policy_kg.graph.pipeline import build_documents, extract_path, write_records
from tests.conftest import REPO, SAMPLES, SEED_PLAN, SEED_SHEET

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
PLAN = SAMPLES / "kitakaze_agency_business_plan.txt"
OUTPUTS = ("graph.trig", "report.json")


def nq(ds) -> bytes:
    return serialize(ds, RdfFormat.NQUADS)


def outputs(folder: Path) -> dict[str, bytes]:
    return {name: (folder / name).read_bytes() for name in OUTPUTS}


def build_in_process(out: Path, *inputs: Path) -> dict[str, bytes]:
    assert main(["build", *map(str, inputs), "--out", str(out), "--quiet"]) == 0
    return outputs(out)


def build_in_subprocess(out: Path, hash_seed: int, *inputs: Path) -> dict[str, bytes]:
    """Build in a fresh interpreter: a different string-hash seed reorders every set and dict of strings."""
    env = {**os.environ, "PYTHONHASHSEED": str(hash_seed)}
    proc = subprocess.run([sys.executable, str(REPO / "build_graph.py"), "build", *map(str, inputs),
                           "--out", str(out), "--quiet"], cwd=out.parent, env=env,
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    return outputs(out)


def test_building_twice_in_one_process_gives_identical_bytes(tmp_path):
    first = build_in_process(tmp_path / "a", SHEET, PLAN)
    assert build_in_process(tmp_path / "b", SHEET, PLAN) == first
    assert all(first.values())


def test_rebuilding_into_the_same_folder_changes_no_byte(tmp_path):
    out = tmp_path / "out"
    first = build_in_process(out, SAMPLES)
    also = {p.name: p.read_bytes() for p in out.iterdir()}
    assert build_in_process(out, SAMPLES) == first
    assert {p.name: p.read_bytes() for p in out.iterdir()} == also  # report.txt too, and no stray file


def test_samples_build_to_identical_bytes_in_processes_with_different_hash_seeds(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build_in_subprocess(tmp_path / "a" / "out", 1, SAMPLES)
    second = build_in_subprocess(tmp_path / "b" / "out", 2, SAMPLES)
    assert first == second


def test_seeds_and_samples_build_to_identical_bytes_across_processes(tmp_path, seed_path):
    inputs = (seed_path(SEED_SHEET), seed_path(SEED_PLAN), SAMPLES)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = build_in_subprocess(tmp_path / "a" / "out", 3, *inputs)
    second = build_in_subprocess(tmp_path / "b" / "out", 4, *inputs)
    assert first == second


def test_input_order_does_not_change_the_graph():
    assert nq(build_documents([SHEET, PLAN]).dataset) == nq(build_documents([PLAN, SHEET]).dataset)


def _records(*paths: Path):
    return [extract_path(p) for p in paths]


def test_adding_a_document_equals_building_both_together():
    a, b = _records(SHEET, PLAN)
    stepwise = build_dataset([a])
    add_document(stepwise, b)
    assert nq(stepwise) == nq(build_dataset([a, b]))


def test_adding_seed_documents_one_by_one_equals_building_them_together(seed_path):
    records = _records(seed_path(SEED_SHEET), seed_path(SEED_PLAN), SHEET, PLAN)
    stepwise = build_dataset(records[:1])
    for record in records[1:]:
        add_document(stepwise, record)
    assert nq(stepwise) == nq(build_dataset(records))


def test_adding_the_same_document_again_changes_nothing():
    a, b = _records(SHEET, PLAN)
    ds = build_dataset([a, b])
    before = nq(ds)
    add_document(ds, a)
    assert nq(ds) == before


def test_adding_a_new_version_replaces_the_old_one_without_stale_triples(tmp_path):
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    edited = [line.replace("継続", "廃止", 1) if line.startswith("2 ") else line for line in lines]
    assert edited != lines
    old = extract(SourceText.from_text("\n".join(edited), SHEET.name))
    new, plan = extract(read_source(SHEET)), extract_path(PLAN)
    assert old.doc_id == new.doc_id
    ds = build_dataset([old, plan])
    assert nq(ds) != nq(build_dataset([new, plan]))
    add_document(ds, new)
    assert nq(ds) == nq(build_dataset([new, plan]))


def test_records_json_round_trip_builds_the_same_graph(tmp_path):
    records = _records(SHEET, PLAN)
    files = [write_records(r, tmp_path) for r in records]
    assert nq(build_documents(files, curate=False).dataset) == nq(build_dataset(records))


def test_decoding_is_stable_across_reads():
    first, second = read_source(SHEET), read_source(SHEET)
    assert first == second and first.content_hash == second.content_hash


def test_a_build_extracted_in_worker_processes_gives_the_bytes_of_a_serial_one(tmp_path):
    from policy_kg.graph.pipeline import PARALLEL_MIN_DOCUMENTS

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    text = SHEET.read_text(encoding="utf-8")
    for i in range(PARALLEL_MIN_DOCUMENTS):  # enough documents for `build` to start workers
        (corpus / f"sheet{i:02d}.txt").write_text(text + "\n" * (i % 3), encoding="utf-8")
    (corpus / "plan.txt").write_bytes(PLAN.read_bytes())
    runs = {}
    for jobs in ("1", "2"):
        out = tmp_path / f"out-{jobs}"
        assert main(["build", str(corpus), "--out", str(out), "--quiet", "--jobs", jobs]) == 0
        runs[jobs] = outputs(out)
    assert runs["1"] == runs["2"]
