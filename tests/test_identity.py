"""Document identity (``graph.identity``): two documents never share IRIs, whatever their file names;
the same document gets the same IRIs from any folder, in ``build``, ``extract`` and ``bulk-build``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench.generate import generate_corpus
from build_graph import main
from policy_kg.graph.bulk import bulk_build
from policy_kg.graph.identity import document_ids
from policy_kg.graph.pipeline import build_documents
from policy_kg.graph.query import run_query
from policy_kg.graph.stores import STORE_INFO_GRAPH
from tests.conftest import SAMPLES

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
PLAN = SAMPLES / "kitakaze_agency_business_plan.txt"


def _place(folder: Path, source: Path, name: str = "plan.txt", text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    if text is None:
        shutil.copyfile(source, target)
    else:
        target.write_text(text, encoding="utf-8")
    return target


def _other_sheet(text: str) -> str:
    """The sample sheet with other figures: another document of the same layout."""
    assert "5,400" in text and "里山グリーンツーリズム推進事業" in text
    return text.replace("5,400", "6,400").replace("里山グリーンツーリズム推進事業", "里山エコツーリズム推進事業")


# --- the scheme ------------------------------------------------------------------------------------


def test_ids_are_stems_unless_different_documents_share_one():
    hashes = {0: "a" * 64, 1: "b" * 64, 2: "c" * 64, 3: "a" * 64}
    asked: list[int] = []

    def content_hash(i: int) -> str:
        asked.append(i)
        return hashes[i]

    ids = document_ids(["plan", "sheet", "plan", "plan"], content_hash)
    assert ids == ["plan-" + "a" * 12, "sheet", "plan-" + "c" * 12, None]  # the 4th repeats the 1st
    assert 1 not in asked, "a unique stem needs no content hash"
    # order does not matter
    again = document_ids(["plan", "plan", "sheet"], lambda i: [hashes[2], hashes[0], hashes[1]][i])
    assert again == ["plan-" + "c" * 12, "plan-" + "a" * 12, "sheet"]


def test_a_suffixed_id_never_equals_another_stem():
    h1, h2 = "1" * 64, "2" * 64
    ids = document_ids(["plan", "plan", "plan-" + h1[:12]], lambda i: [h1, h2, "3" * 64][i])
    assert len(set(ids)) == 3 and ids[2] == "plan-" + h1[:12]


# --- build ------------------------------------------------------------------------------------------


def test_same_file_name_in_two_folders_keeps_both_documents(tmp_path, capsys):
    a = _place(tmp_path / "a", SHEET)
    b = _place(tmp_path / "b", SHEET, text=_other_sheet(SHEET.read_text(encoding="utf-8")))
    c = _place(tmp_path / "c", PLAN)
    alone = [build_documents([p], curate=False) for p in (a, b, c)]
    together = build_documents([a, b, c], curate=False)

    ids = [r.doc_id for r in together.records]
    assert len(set(ids)) == 3 and all(i.startswith("plan-") for i in ids)
    assert {r.file_name for r in together.records} == {"plan.txt"}  # the name stays provenance
    report = together.report()["totals"]
    assert report["projects"] == sum(r.report()["totals"]["projects"] for r in alone)
    assert report["amounts"] == sum(r.report()["totals"]["amounts"] for r in alone)
    for query in ("budgets", "projects"):
        rows = run_query(together.dataset, query).rows
        assert len(rows) == sum(len(run_query(r.dataset, query).rows) for r in alone), query
    names = {str(row[0]) for row in run_query(together.dataset, "projects").rows}
    assert names == {"plan.txt"}

    out = tmp_path / "out"
    assert main(["build", str(a), str(b), str(c), "--out", str(out), "--quiet", "--no-curation"]) == 0
    assert main(["validate", "--graph", str(out / "graph.trig")]) == 0
    capsys.readouterr()


def test_the_same_documents_give_the_same_graph_from_any_folder_and_order(tmp_path):
    text = _other_sheet(SHEET.read_text(encoding="utf-8"))
    first = [_place(tmp_path / "x" / "a", SHEET), _place(tmp_path / "x" / "b", SHEET, text=text)]
    moved = [_place(tmp_path / "elsewhere" / "q", SHEET, text=text), _place(tmp_path / "elsewhere" / "p", SHEET)]
    out1, out2 = tmp_path / "out1", tmp_path / "out2"
    assert main(["build", *map(str, first), "--out", str(out1), "-q"]) == 0
    assert main(["build", *map(str, moved), "--out", str(out2), "-q"]) == 0
    assert (out1 / "graph.trig").read_bytes() == (out2 / "graph.trig").read_bytes()


def test_a_document_given_twice_is_built_once(tmp_path):
    a, b = _place(tmp_path / "a", SHEET), _place(tmp_path / "b", SHEET)
    once, twice = build_documents([a], curate=False), build_documents([a, b], curate=False)
    assert [r.doc_id for r in twice.records] == ["plan"]
    assert twice.report()["totals"]["projects"] == once.report()["totals"]["projects"]
    assert any("given more than once" in i.message for i in twice.records[0].issues)


def test_a_unique_name_keeps_its_stem(tmp_path):
    result = build_documents([SHEET, PLAN], curate=False)
    assert sorted(r.doc_id for r in result.records) == sorted(p.stem for p in (SHEET, PLAN))


def test_extract_writes_one_records_file_per_document(tmp_path, capsys):
    a = _place(tmp_path / "a", SHEET)
    b = _place(tmp_path / "b", PLAN)
    records = tmp_path / "records"
    assert main(["extract", str(a), str(b), "--records", str(records), "--no-curation"]) == 0
    files = sorted(records.glob("*.records.json"))
    assert len(files) == 2
    out_records, out_direct = tmp_path / "r", tmp_path / "d"
    assert main(["build", str(records), "--out", str(out_records), "-q"]) == 0
    assert main(["build", str(a), str(b), "--out", str(out_direct), "-q", "--no-curation"]) == 0
    assert (out_records / "graph.trig").read_bytes() == (out_direct / "graph.trig").read_bytes()
    capsys.readouterr()


# --- bulk-build -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    generate_corpus(folder, 2, 3, expected=False)
    return folder


def _store_lines(store_dir: Path) -> set[str]:
    store = ox.Store.read_only(str(store_dir))
    named = {str(q) for q in store if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != STORE_INFO_GRAPH}
    default = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    merged = {(q.subject, q.predicate, q.object) for q in store
              if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != STORE_INFO_GRAPH}
    assert default == merged, "the default graph is not the merge of the named graphs"
    return named


def _pipeline_lines(inputs: list[Path]) -> set[str]:
    data = build_documents(inputs).dataset.serialize(format="nquads", encoding="utf-8")
    store = ox.Store()
    store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    return {str(q) for q in store}


def test_a_copied_corpus_is_not_rebuilt(corpus, tmp_path):
    store = tmp_path / "store"
    first = bulk_build([corpus], store_dir=store, jobs=1, progress=False)
    before = _store_lines(store)
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    again = bulk_build([copy], store_dir=store, jobs=1, progress=False)
    assert (again.extracted, again.cached, again.quads_loaded, again.failures) == (0, 0, 0, [])
    assert again.unchanged == first.extracted
    assert _store_lines(store) == before


def test_a_copied_corpus_with_one_changed_file_replaces_exactly_that_document(corpus, tmp_path):
    store = tmp_path / "store"
    bulk_build([corpus], store_dir=store, jobs=1, progress=False)
    copy = tmp_path / "copy"
    shutil.copytree(corpus, copy)
    target = sorted(copy.glob("*sheet*.txt"))[0]
    text = target.read_text(encoding="utf-8")
    assert " 継続 " in text
    target.write_text(text.replace(" 継続 ", " 拡充 ", 1), encoding="utf-8")
    result = bulk_build([copy], store_dir=store, jobs=2, progress=False)
    assert (result.extracted, result.unchanged) == (1, len(list(copy.glob("*.txt"))) - 1)
    assert _store_lines(store) == _pipeline_lines([copy])  # no stale quads: as a fresh build
    fresh = tmp_path / "fresh"
    bulk_build([copy], store_dir=fresh, jobs=1, progress=False)
    assert _store_lines(store) == _store_lines(fresh)


def test_bulk_build_of_the_same_name_in_two_folders(tmp_path):
    a = _place(tmp_path / "a", SHEET)
    b = _place(tmp_path / "b", SHEET, text=_other_sheet(SHEET.read_text(encoding="utf-8")))
    store = tmp_path / "store"
    result = bulk_build([a, b], store_dir=store, jobs=1, progress=False)
    assert (result.extracted, result.failures) == (2, [])
    assert _store_lines(store) == _pipeline_lines([a, b])
    # b changes: its old version (its id had its content hash) leaves, nothing stale stays
    b.write_text(b.read_text(encoding="utf-8").replace("6,400", "7,400"), encoding="utf-8")
    changed = bulk_build([a, b], store_dir=store, jobs=1, progress=False)
    assert (changed.extracted, changed.unchanged) == (1, 1)
    assert _store_lines(store) == _pipeline_lines([a, b])
    # only a is named now: the stem is one document again, as build would make it
    alone = bulk_build([a], store_dir=store, jobs=1, progress=False)
    assert alone.failures == []
    assert _store_lines(store) == _pipeline_lines([a])
    manifest = json.loads((store / "policy-kg-bulk.json").read_text(encoding="utf-8"))
    assert sorted(manifest["documents"]) == ["plan"]
