"""Exports open in networkx again with the same counts; attributes are GraphML-safe."""

from __future__ import annotations

from pathlib import Path

import networkx as nx
import pytest

from policy_kg import visualize
from tests.test_visualize_png import png_stats
from policy_kg.visualize.exports import FORMATS, read_network, safe_graph, write_network
from policy_kg.visualize.projection import VIEWS, project

FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"
DATA_FORMATS = ("graphml", "gexf", "json", "csv")


def _out(tmp_path: Path, view: str, fmt: str) -> Path:
    return tmp_path / (f"{view}-csv" if fmt == "csv" else f"{view}.{fmt}")


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_export_round_trips_counts(tmp_path, view, fmt):
    g = project(FIXTURE, view=view)
    path = visualize.export(FIXTURE, fmt, _out(tmp_path, view, fmt), view=view)
    back = read_network(fmt, path)
    assert (back.number_of_nodes(), back.number_of_edges()) == (g.number_of_nodes(), g.number_of_edges())
    assert set(back.nodes) == set(g.nodes)


@pytest.mark.parametrize("fmt", DATA_FORMATS)
def test_export_keeps_attributes(tmp_path, fmt):
    path = visualize.export(FIXTURE, fmt, _out(tmp_path, "sdg", fmt), view="sdg")
    back = read_network(fmt, path)
    node = back.nodes["https://w3id.org/policy-kg/id/doc/A/project/m1-p1"]
    assert node["label"] == "<b>x</b>&\"'</script>"
    assert node["type"] == "project"
    assert int(node["budget_jpy"]) == 1_200_000  # CSV reads strings back
    relation = "relation" if fmt == "gexf" else "type"
    links = sorted(d.get("link") for *_, d in back.edges(data=True) if d.get(relation) == "sdg_link")
    assert links == ["inferred"] * 2 + ["stated"] * 5


def test_safe_graph_drops_none_and_flattens_values():
    g = nx.MultiDiGraph(view="x", nested={"a": 1})
    g.add_node("n", type="project", label="p", budget_jpy=None, extra={"k": [1, 2]}, flag=True)
    g.add_edge("n", "n", key="k", type="part_of", score=None)
    safe = safe_graph(g)
    assert safe.nodes["n"] == {"type": "project", "label": "p", "extra": "{'k': [1, 2]}", "flag": True}
    assert safe.graph == {"view": "x", "nested": "{'a': 1}"}
    assert list(safe.edges(data=True)) == [("n", "n", {"type": "part_of"})]
    for _, data in safe.nodes(data=True):
        assert all(isinstance(v, (bool, int, float, str)) for v in data.values())


def test_graphml_of_a_graph_with_unsafe_attributes_opens_again(tmp_path):
    g = nx.MultiDiGraph()
    g.add_node("a", type="project", label="x", weird={"nested": True}, none=None)
    g.add_edge("a", "a", key="k", type="part_of")
    back = read_network("graphml", write_network(g, "graphml", tmp_path / "g.graphml"))
    assert back.nodes["a"]["weird"] == "{'nested': True}" and "none" not in back.nodes["a"]


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_image_export(tmp_path, fmt):
    path = visualize.export(FIXTURE, fmt, tmp_path / f"overview.{fmt}")
    data = path.read_bytes()
    if fmt == "svg":
        assert data.lstrip().startswith(b"<?xml") and b"<svg" in data
        assert data.count(b"<path") > 20  # nodes and edges drawn as paths
        # text stays text (svg.fonttype none), so Inkscape or Illustrator can edit it
        text = data.decode("utf-8")
        assert "<text" in text and "施策1 販路の拡大" in text
        # the legend lists the link styles, drawn in the edges' colours
        assert "stated SDG link (記載)" in text and "structure: part of" in text
    else:
        width, height, colours, variance = png_stats(path)
        assert width > 300 and height > 300
        assert colours > 10 and variance > 50  # not a blank canvas


def test_unknown_format_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="unknown format"):
        visualize.export(FIXTURE, "xlsx", tmp_path / "x.xlsx")
    assert "xlsx" not in FORMATS


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_exports_carry_what_the_page_shows(tmp_path, fmt):
    import json as _json
    import re as _re

    from policy_kg.visualize.views import EDGE_STYLE

    path = visualize.export(FIXTURE, fmt, tmp_path / f"sdg.{fmt}", view="sdg")
    back = read_network(fmt, path)
    page = visualize.render_view(FIXTURE, "sdg", out=tmp_path / "sdg.html").read_text(encoding="utf-8")
    data = _json.loads(_re.search(r'id="graph-data">(.*?)</script>', page, _re.S).group(1))
    for node in data["nodes"]:
        attrs = back.nodes[node["id"]]
        assert attrs["tooltip"] == node["title"]  # the page's tooltip text, budget and source included
        assert attrs["colour"] == node["color"] and attrs["shape"] == node["shape"]
        assert float(attrs["x"]) == node["x"] and float(attrs["y"]) == node["y"]
    styles = sorted((d["style"], d["colour"]) for *_, d in back.edges(data=True))
    assert ("inferred", EDGE_STYLE["inferred"][0]) in styles and ("stated", EDGE_STYLE["stated"][0]) in styles


def test_png_legend_lists_link_styles(tmp_path, monkeypatch):
    import matplotlib.axes

    seen = []
    original = matplotlib.axes.Axes.legend

    def spy(self, *args, **kwargs):
        seen.extend(h.get_label() for h in kwargs.get("handles", []))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.axes.Axes, "legend", spy)
    visualize.export(FIXTURE, "png", tmp_path / "sdg.png", view="sdg")
    assert {"stated SDG link (記載)", "inferred SDG link (推定)"} <= set(seen)


def test_svg_is_the_same_every_run(tmp_path):
    """No date and no random clip-path ids: the same graph gives the same SVG bytes."""
    first = visualize.export(FIXTURE, "svg", tmp_path / "a.svg", view="sdg").read_bytes()
    second = visualize.export(FIXTURE, "svg", tmp_path / "b.svg", view="sdg").read_bytes()
    assert b"<svg" in first and first == second


def test_gexf_carries_no_date_so_the_same_graph_gives_the_same_bytes_every_day(tmp_path, monkeypatch):
    import time as _time

    first = visualize.export(FIXTURE, "gexf", tmp_path / "a.gexf", view="sdg").read_bytes()
    monkeypatch.setattr(_time, "strftime", lambda *a, **k: "2001-01-01")  # another day
    second = visualize.export(FIXTURE, "gexf", tmp_path / "b.gexf", view="sdg").read_bytes()
    assert b"<gexf" in first and first == second and b"lastmodifieddate" not in first
    assert read_network("gexf", tmp_path / "a.gexf").number_of_nodes() > 0
