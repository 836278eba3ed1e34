"""Views read from a built graph's cached Oxigraph store are those read from an rdflib Dataset (#18).

``visualize``, ``analyze`` and ``export-network`` on a graph file read their facts from the store
``query`` caches beside the file (``graph.stores.backend_for``); the notebook API and tests may
still hand in an rdflib Dataset. Both must give the same views, byte for byte (GEXF but for the
date networkx writes in it), on the bundled samples and on a small generated corpus.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset

import build_graph
from bench.generate import generate_corpus
from policy_kg import visualize
from policy_kg.graph.io import load_graph
from policy_kg.graph.stores import OxigraphBackend, backend_for, cached_store_path, is_oxigraph_store
from policy_kg.visualize.analytics import analyze
from policy_kg.visualize.budget import render_budget
from policy_kg.visualize.explorer import explorer_data, render_explorer
from policy_kg.visualize.facts import load_data, load_facts, select_projects
from policy_kg.visualize.options import VIEWS

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _build(inputs: list[Path], out: Path) -> Path:
    assert build_graph.main(["build", *map(str, inputs), "--out", str(out), "--quiet"]) in (0, 4)
    return out / "graph.trig"


@pytest.fixture(scope="module")
def samples_graph(tmp_path_factory) -> Path:
    return _build([SAMPLES], tmp_path_factory.mktemp("samples"))


@pytest.fixture(scope="module")
def generated_graph(tmp_path_factory) -> Path:
    corpus = tmp_path_factory.mktemp("corpus")
    paths = generate_corpus(corpus, 2, seed=7, max_documents=4, expected=False)
    assert len(paths) >= 3
    return _build(paths, tmp_path_factory.mktemp("generated"))


@pytest.fixture(params=["samples", "generated"])
def graph_file(request) -> Path:
    return request.getfixturevalue(f"{request.param}_graph")


def _facts_as_data(facts) -> dict:
    """Every fact, lists and dicts in their order (the order views are drawn in)."""
    return {k: (list(v.items()) if isinstance(v, dict) else v) for k, v in vars(facts).items() if not k.startswith("_")}


def test_a_graph_file_is_read_through_the_store_query_caches(graph_file):
    data = load_data(graph_file)
    assert isinstance(data, OxigraphBackend)
    assert data.path == cached_store_path(graph_file) and is_oxigraph_store(data.path)
    # the store `query` opens, not a second one
    assert backend_for(graph_file, store=True).path == data.path
    assert [p.name for p in data.path.parent.iterdir()] == [data.path.name]


def test_facts_are_the_same_from_the_store_and_from_rdflib(graph_file):
    from_store = load_facts(load_data(graph_file))
    from_rdflib = load_facts(load_graph(graph_file))
    assert from_store.projects() and from_store.totals and from_store.labels
    assert _facts_as_data(from_store) == _facts_as_data(from_rdflib)


def test_facts_do_not_depend_on_the_order_the_engine_returns_rows_in(samples_graph):
    ds = load_graph(samples_graph)
    reversed_ds = Dataset(default_union=True)
    for quad in reversed(sorted(ds.quads((None, None, None, None)), key=str)):
        reversed_ds.add(quad)
    assert _facts_as_data(load_facts(reversed_ds)) == _facts_as_data(load_facts(ds))


def test_filters_select_the_same_projects_from_the_store(samples_graph):
    store, ds = load_data(samples_graph), load_graph(samples_graph)
    facts = load_facts(store)
    document = next(iter(sorted(facts.document_names.values())))
    measure = facts.elements("measure")[0]
    for filters in ({"document": document}, {"measure": facts.label(measure)}, {"sdg_goal": 8}):
        from_store = select_projects(store, facts, **filters)
        assert from_store, filters
        assert from_store == select_projects(ds, load_facts(ds), **filters), filters
    # a filter value is bound as a term: quotes and braces in it select nothing, and break nothing
    with pytest.raises(ValueError, match="no document matches"):
        select_projects(store, facts, document='x" } ?s ?p ?o { "')


def _gexf(text: bytes) -> bytes:
    return re.sub(rb'lastmodifieddate="[^"]*"', b"", text)


def _outputs(data, out: Path) -> dict[str, bytes]:
    """Every view, page and export of ``data`` (a path, a store backend or an rdflib Dataset), by name."""
    out.mkdir(parents=True, exist_ok=True)
    written: dict[str, bytes] = {}
    for view in VIEWS:
        written[f"{view}.html"] = visualize.render_view(data, view, out=out / f"{view}.html").read_bytes()
    written["overview-fy.html"] = visualize.render_view(data, "overview", out=out / "fy.html",
                                                        fiscal_year=2024).read_bytes()
    for fmt in ("graphml", "gexf", "json", "png", "svg"):
        path = visualize.export(data, fmt, out / f"overview.{fmt}")
        written[path.name] = (_gexf if fmt == "gexf" else bytes)(path.read_bytes())
    folder = visualize.export(data, "csv", out / "csv", view="sdg")
    written.update({f"csv/{p.name}": p.read_bytes() for p in sorted(folder.iterdir())})
    written["logic-model.graphml"] = visualize.export(data, "graphml", out / "lm.graphml", view="logic-model").read_bytes()
    written["explorer.html"] = render_explorer(data, out / "site").read_bytes()
    written["budget.html"] = render_budget(data, out / "budget.html").read_bytes()
    written["analyze"] = repr(analyze(data)).encode("utf-8")
    return written


def test_every_view_is_the_same_from_the_store_and_from_rdflib(graph_file, tmp_path):
    from_file = _outputs(graph_file, tmp_path / "file")
    from_rdflib = _outputs(load_graph(graph_file), tmp_path / "rdflib")
    assert sorted(from_file) == sorted(from_rdflib)
    different = [name for name in from_file if from_file[name] != from_rdflib[name]]
    assert not different
    assert b"vis.Network" in from_file["overview.html"] and from_file["overview.png"].startswith(b"\x89PNG")


def test_explorer_data_is_the_same_from_the_store(samples_graph):
    from_store = explorer_data(samples_graph)
    assert from_store["entities"] and from_store["budgets"]
    assert from_store == explorer_data(load_graph(samples_graph))
    assert list(from_store["budgets"]) == sorted(from_store["budgets"])  # by entity number


def test_the_commands_never_parse_the_graph_file_with_rdflib(samples_graph, tmp_path, monkeypatch, capsys):
    backend_for(samples_graph, store=True)  # the cache `query` would have made

    def refuse(*args, **kwargs):
        raise AssertionError("the graph file was parsed with rdflib")

    monkeypatch.setattr(Dataset, "parse", refuse)
    monkeypatch.setattr("policy_kg.graph.io.load_graph", refuse)
    graph = ["--graph", str(samples_graph)]
    assert build_graph.main(["visualize", *graph, "--out", str(tmp_path / "views")]) == 0
    assert sorted(p.name for p in (tmp_path / "views").glob("*.html")) == sorted(f"{v}.html" for v in VIEWS)
    assert build_graph.main(["visualize", "explorer", *graph, "--out", str(tmp_path / "site")]) == 0
    assert build_graph.main(["visualize", "budget", *graph, "--out", str(tmp_path / "budget.html")]) == 0
    assert build_graph.main(["analyze", *graph, "--format", "csv"]) == 0
    assert build_graph.main(["export-network", *graph, "--format", "graphml", "--out", str(tmp_path / "g.graphml")]) == 0
    assert "projects_without_sdg" in capsys.readouterr().out


def test_a_graph_file_that_is_not_rdf_exits_3(tmp_path, capsys):
    bad = tmp_path / "graph.trig"
    bad.write_text("this is { not TriG", encoding="utf-8")
    assert build_graph.main(["visualize", "--graph", str(bad), "--out", str(tmp_path / "v")]) == 3
    assert "cannot read graph" in capsys.readouterr().err


def test_notebook_views_read_the_store(samples_graph, tmp_path, monkeypatch):
    import policy_kg

    kg = policy_kg.open(samples_graph)
    monkeypatch.setattr("policy_kg.graph.io.load_graph", lambda *a, **k: pytest.fail("dataset read for a view"))
    page = kg.view("overview", out=tmp_path / "overview.html")
    assert kg._dataset is None
    expected = visualize.render_view(load_data(samples_graph), "overview", out=tmp_path / "expected.html")
    assert page.read_bytes() == expected.read_bytes()
