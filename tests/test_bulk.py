"""The fast build path (``graph/bulk.py``): same quads as the rdflib pipeline, cached, incremental, robust."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef

import policy_kg.graph.bulk as bulk
from bench.generate import generate_corpus
from policy_kg.graph.bulk import MANIFEST_NAME, bulk_build, nquads_lines
from policy_kg.graph.namespace import XSD
from policy_kg.graph.pipeline import EXIT_FAILED_DOCUMENT, build_documents
from policy_kg.graph.query import run_query
from policy_kg.graph.stores import STORE_INFO_GRAPH, OxigraphBackend, is_merged, open_oxigraph

SEED = 3
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    paths = generate_corpus(folder, 2, SEED, expected=False)
    assert len(paths) >= 4
    return folder


def _copy(corpus: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    shutil.copytree(corpus, folder)
    return folder


def _store_lines(store_dir: Path) -> set[str]:
    """The documents' and reference graphs' quads; checks on the way that the default graph is their merge."""
    store = ox.Store.read_only(str(store_dir))
    assert is_merged(store), "a bulk-built store keeps the merge of its graphs in the default graph"
    named = [q for q in store if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != STORE_INFO_GRAPH]
    default = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    assert default == {(q.subject, q.predicate, q.object) for q in named}, "default graph is not the merge"
    return {str(q) for q in named}


def _graph_lines(store_dir: Path) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for q in ox.Store.read_only(str(store_dir)):
        if isinstance(q.graph_name, ox.NamedNode) and q.graph_name.value != STORE_INFO_GRAPH:  # default: their merge
            out.setdefault(q.graph_name.value, set()).add(str(q))
    return out


def _pipeline_lines(inputs: list[Path]) -> set[str]:
    """Quads of ``build_documents`` (rdflib in memory), written by rdflib and loaded into Oxigraph.

    Loaded into a store, not just parsed, because a store keeps numeric literals in canonical form
    ("1.0"^^xsd:decimal is stored as "1"), so both sides are compared as Oxigraph holds them.
    """
    data = build_documents(inputs).dataset.serialize(format="nquads", encoding="utf-8")
    store = ox.Store()
    store.bulk_load(input=data, format=ox.RdfFormat.N_QUADS)
    return {str(q) for q in store}


def test_bulk_build_gives_the_same_quads_as_the_pipeline(corpus: Path, tmp_path: Path) -> None:
    result = bulk_build([corpus], store_dir=tmp_path / "store", jobs=2, chunk_size=2, progress=False)
    assert result.failures == []
    assert result.extracted == len(list(corpus.glob("*.txt")))
    got, want = _store_lines(tmp_path / "store"), _pipeline_lines([corpus])
    only_bulk, only_pipeline = sorted(got - want)[:5], sorted(want - got)[:5]
    assert got == want, f"only in bulk: {only_bulk}\nonly in pipeline: {only_pipeline}"
    assert result.quads_loaded > 0 and len(got) > result.quads_loaded // 2


def test_bulk_store_answers_library_queries_like_the_pipeline(corpus: Path, tmp_path: Path) -> None:
    # The store is queried through its merged default graph (not the union of graphs, which
    # Oxigraph evaluates far more slowly: budgets at 1,000 documents took over 300 s that way).
    bulk_build([corpus], store_dir=tmp_path / "store", jobs=1, progress=False)
    backend = open_oxigraph(tmp_path / "store")
    assert backend.merged
    pipeline = OxigraphBackend.in_memory()  # rdflib itself takes minutes on sdg_coverage
    pipeline.add_dataset(build_documents([corpus]).dataset)
    for name in ("budgets", "sdg_coverage", "projects"):
        got, want = run_query(backend, name), run_query(pipeline, name)
        assert got.rows and got.rows == want.rows, name


def test_unchanged_corpus_is_not_rebuilt(corpus: Path, tmp_path: Path) -> None:
    bulk_build([corpus], store_dir=tmp_path / "store", jobs=1, progress=False)
    before = _store_lines(tmp_path / "store")
    again = bulk_build([corpus], store_dir=tmp_path / "store", jobs=1, progress=False)
    assert (again.extracted, again.cached, again.quads_loaded) == (0, 0, 0)
    assert again.unchanged == len(list(corpus.glob("*.txt")))
    assert _store_lines(tmp_path / "store") == before


def test_cache_hit_skips_extraction(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = tmp_path / "cache"
    first = bulk_build([corpus], store_dir=tmp_path / "a", cache_dir=cache, jobs=1, progress=False)
    assert first.extracted > 0 and len(list(cache.glob("*.records.json"))) == first.extracted

    def no_extraction(*_args, **_kwargs):
        raise AssertionError("extract_path called on a cache hit")

    monkeypatch.setattr(bulk, "extract_path", no_extraction)  # jobs=1 runs in this process
    second = bulk_build([corpus], store_dir=tmp_path / "b", cache_dir=cache, jobs=1, progress=False)
    assert second.failures == []
    assert (second.extracted, second.cached) == (0, first.extracted)
    assert _store_lines(tmp_path / "b") == _store_lines(tmp_path / "a")


def test_changing_one_document_replaces_only_its_graph(corpus: Path, tmp_path: Path) -> None:
    docs = _copy(corpus, tmp_path)
    store = tmp_path / "store"
    bulk_build([docs], store_dir=store, jobs=1, progress=False)
    before = _graph_lines(store)

    target = sorted(docs.glob("*sheet*.txt"))[0]
    text = target.read_text(encoding="utf-8")
    assert " 継続 " in text
    target.write_text(text.replace(" 継続 ", " 拡充 ", 1), encoding="utf-8")
    result = bulk_build([docs], store_dir=store, jobs=1, progress=False)

    assert (result.extracted, result.unchanged) == (1, len(list(docs.glob("*.txt"))) - 1)
    after = _graph_lines(store)
    changed = [g for g in before if before[g] != after.get(g)]
    assert changed == [f"https://w3id.org/policy-kg/id/graph/{target.stem}"]
    # the old version of the graph is gone, from its named graph and from the merged default graph
    assert _store_lines(store) == _pipeline_lines([docs])


def test_a_copy_under_another_name_gets_its_own_record(corpus: Path, tmp_path: Path) -> None:
    # A record carries its file's name (its IRIs come from the stem): the cache must not hand one
    # document's record to an identical text under another name.
    docs = tmp_path / "docs"
    docs.mkdir()
    sheet = sorted(corpus.glob("*sheet*.txt"))[0]
    shutil.copyfile(sheet, docs / "copy_a.txt")
    shutil.copyfile(sheet, docs / "copy_b.txt")
    result = bulk_build([docs], store_dir=tmp_path / "store", jobs=1, progress=False)
    assert (result.extracted, result.cached) == (2, 0)
    graphs = {g.rsplit("/", 1)[-1] for g in _graph_lines(tmp_path / "store") if "/graph/copy_" in g}
    assert graphs == {"copy_a", "copy_b"}


def test_a_changed_document_is_written_triple_by_triple(corpus: Path, tmp_path: Path) -> None:
    # A changed direction word is a handful of quads; dropping and reloading the graph would write thousands.
    docs = _copy(corpus, tmp_path)
    store = tmp_path / "store"
    first = bulk_build([docs], store_dir=store, jobs=1, progress=False)
    target = sorted(docs.glob("*sheet*.txt"))[0]
    target.write_text(target.read_text(encoding="utf-8").replace(" 継続 ", " 拡充 ", 1), encoding="utf-8")
    result = bulk_build([docs], store_dir=store, jobs=1, progress=False)
    assert 0 < result.quads_loaded <= 8, result.quads_loaded
    assert result.quads_loaded < first.quads_loaded // 1000
    assert _store_lines(store) == _pipeline_lines([docs])


def test_rebuild_keeps_triples_another_document_still_states(corpus: Path, tmp_path: Path) -> None:
    # Two documents that share triples (a copy shares every organisation, department and SDG link):
    # when one changes into something else, the shared triples stay in the merged default graph
    # for the other, and the ones only the old version stated leave it.
    docs = _copy(corpus, tmp_path)
    sheets = sorted(docs.glob("*sheet*.txt"))
    twin = docs / "twin.txt"
    shutil.copyfile(sheets[0], twin)
    store = tmp_path / "store"
    bulk_build([docs], store_dir=store, jobs=1, progress=False)
    shutil.copyfile(sheets[1], twin)
    result = bulk_build([docs], store_dir=store, jobs=2, progress=False)
    assert (result.extracted + result.cached, result.failures) == (1, [])
    assert _store_lines(store) == _pipeline_lines([docs])


def test_a_curation_graph_comes_and_goes_with_its_file(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    sample = ROOT / "samples" / "kitakaze_agency_business_plan"
    shutil.copy(sample.with_suffix(".txt"), docs)
    store = tmp_path / "store"
    bulk_build([docs], store_dir=store, jobs=1, progress=False)
    assert not any(g.endswith("/curation") for g in _graph_lines(store))
    curation = shutil.copy(sample.with_suffix(".curation.yaml"), docs)
    bulk_build([docs], store_dir=store, jobs=1, progress=False)
    assert any(g.endswith("/curation") for g in _graph_lines(store))
    assert _store_lines(store) == _pipeline_lines([docs])
    Path(curation).unlink()
    bulk_build([docs], store_dir=store, jobs=1, progress=False)
    assert not any(g.endswith("/curation") for g in _graph_lines(store))
    assert not ox.Store.read_only(str(store)).contains_named_graph(
        ox.NamedNode(f"https://w3id.org/policy-kg/id/graph/{sample.name}/curation"))
    assert _store_lines(store) == _pipeline_lines([docs])


def test_a_changed_document_that_now_fails_leaves_the_store(corpus: Path, tmp_path: Path) -> None:
    docs = _copy(corpus, tmp_path)
    store = tmp_path / "store"
    bulk_build([docs], store_dir=store, jobs=1, progress=False)
    broken = sorted(docs.glob("*.txt"))[0]
    broken.write_bytes(b"\x00\x01 no longer text \x00")
    result = bulk_build([docs], store_dir=store, jobs=1, progress=False)
    assert [Path(f.file).name for f in result.failures] == [broken.name]
    assert result.exit_code == EXIT_FAILED_DOCUMENT
    assert not any(g.endswith("/" + broken.stem) for g in _graph_lines(store))
    assert _store_lines(store) == _pipeline_lines([p for p in docs.glob("*.txt") if p != broken])


def test_a_broken_document_does_not_stop_the_others(corpus: Path, tmp_path: Path) -> None:
    docs = _copy(corpus, tmp_path)
    (docs / "zz_binary.txt").write_bytes(b"\x00\x01\x02 not text \x00")
    (docs / "zz_unknown.txt").write_text("買い物リスト\n牛乳\n卵\n", encoding="utf-8")
    result = bulk_build([docs], store_dir=tmp_path / "store", jobs=2, chunk_size=1, progress=False)
    assert sorted(Path(f.file).name for f in result.failures) == ["zz_binary.txt", "zz_unknown.txt"]
    assert result.exit_code == EXIT_FAILED_DOCUMENT
    good = [p for p in docs.glob("*.txt") if not p.name.startswith("zz_")]
    assert result.extracted == len(good)
    assert _store_lines(tmp_path / "store") == _pipeline_lines(good)


def test_a_changed_base_rebuilds_the_store(corpus: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    bulk_build([corpus], store_dir=store, jobs=1, progress=False)
    other = "https://example.org/other/"
    result = bulk_build([corpus], store_dir=store, jobs=1, progress=False, base=other)
    assert result.unchanged == 0
    graphs = {g for g in _graph_lines(store)}
    assert graphs and all(g.startswith(other) for g in graphs)
    assert (store / MANIFEST_NAME).is_file()


def test_nquads_serialiser_round_trips_awkward_literals() -> None:
    s, p, g = URIRef("http://example.org/s"), URIRef("http://example.org/p"), URIRef("http://example.org/g")
    objects = [Literal('a "quoted"\nline\\back\rslash', lang="ja"), Literal("plain"), Literal(True),
               Literal("12.50", datatype=XSD.decimal), Literal("x", datatype=XSD.string),
               URIRef("http://example.org/o%E6%97%A5")]
    text = "".join(nquads_lines({g: {(s, p, o) for o in objects}}))
    parsed = {q.object for q in ox.parse(input=text.encode(), format=ox.RdfFormat.N_QUADS)}
    from policy_kg.graph.stores import to_oxigraph

    assert parsed == {to_oxigraph(o) for o in objects}


def test_cli_bulk_build_command(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # bulk-build is an alias of build (the same parser and command function); generate stays a command
    from policy_kg.cli import build_parser, cmd_build, main

    parser = build_parser()
    alias = parser.parse_args(["bulk-build", str(corpus), "--store", str(tmp_path / "s"), "--chunk", "4"])
    build = parser.parse_args(["build", str(corpus), "--store", str(tmp_path / "s"), "--chunk", "4"])
    assert alias.func is build.func is cmd_build
    assert {k: v for k, v in vars(alias).items() if k != "command"} == {k: v for k, v in vars(build).items() if k != "command"}
    assert main(["bulk-build", str(corpus), "--store", str(tmp_path / "store"), "--jobs", "1", "-q"]) == 0
    assert _store_lines(tmp_path / "store") == _pipeline_lines([corpus])
    assert main(["generate", "--cities", "1", "--seed", "5", "--out", str(tmp_path / "gen")]) == 0
    assert list((tmp_path / "gen").glob("*.txt"))
    capsys.readouterr()
