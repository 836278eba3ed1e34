"""The HTML pages: offline, escaped, complete, laid out up front."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

import visualize
from visualize.projection import VIEWS, project
from visualize.views import TYPE_STYLE, render_html, safe_json

FIXTURE = Path(__file__).parent / "data" / "visualize" / "fixture.trig"
MARKUP = "<b>x</b>&\"'</script>"
DATA_BLOCK = re.compile(r'<script type="application/json" id="graph-data">(.*?)</script>', re.S)


def embedded(page: str) -> dict:
    match = DATA_BLOCK.search(page)
    assert match, "graph data block missing"
    return json.loads(match.group(1))


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("html")
    return {
        view: visualize.render_view(FIXTURE, view, out=out / f"{view}.html").read_text(encoding="utf-8")
        for view in VIEWS
    }


@pytest.mark.parametrize("view", VIEWS)
def test_page_has_no_external_resources(pages, view):
    page = pages[view]
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert "@import" not in page
    assert "<link" not in page.lower()
    assert "vis.Network" in page and len(page) > 400_000  # vis-network is inlined, not linked


@pytest.mark.parametrize("view", VIEWS)
def test_page_declares_utf8_and_keeps_japanese(pages, view):
    page = pages[view]
    assert '<meta charset="utf-8">' in page
    labels = [n["label"] for n in embedded(page)["nodes"]]
    assert any(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label) for label in labels)


def test_markup_label_is_never_markup(pages):
    for view in ("sdg", "organisations", "overview"):
        page = pages[view]
        assert "<b>x</b>" not in page
        # the only closing script tags are those of the page's three script elements
        # (inlined vis-network, graph data, start-up code)
        assert page.count("</script>") == 3
        assert "<!--" not in page  # would switch the HTML parser into a script-escape state
        nodes = embedded(page)["nodes"]
        marked = [n for n in nodes if n["id"].endswith("/doc/A/project/m1-p1")]
        assert marked[0]["label"] == MARKUP  # the browser receives the text itself
        assert marked[0]["title"].startswith(MARKUP + "\n")


def test_title_and_legend_are_escaped(tmp_path):
    g = project(FIXTURE, view="sdg")
    page = render_html(g, title="<i>t</i> & co", out=tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<title>&lt;i&gt;t&lt;/i&gt; &amp; co</title>" in page
    legend = re.findall(r'<li data-type="([a-z_]+)">', page)
    assert legend == ["sdg_goal", "sdg_target", "project", "measure"]  # one entry per type, in order
    colours = {TYPE_STYLE[t][0] for t in legend}
    assert len(colours) == len(legend)


def test_safe_json_round_trips_and_cannot_close_a_script():
    value = {"a": "</script><!-- \u2028 &amp;"}
    text = safe_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


@pytest.mark.parametrize("view", VIEWS)
def test_page_carries_every_node_and_edge_with_a_position(pages, view):
    g = project(FIXTURE, view=view)
    data = embedded(pages[view])
    assert {n["id"] for n in data["nodes"]} == set(g.nodes)
    assert len(data["edges"]) == g.number_of_edges()
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert f'data-expected-nodes="{g.number_of_nodes()}"' in pages[view]
    assert "physics: false" in pages[view]


def test_tooltip_shows_budget_direction_and_source(pages):
    nodes = embedded(pages["sdg"])["nodes"]
    tip = next(n["title"] for n in nodes if n["id"].endswith("/doc/A/project/m1-p1"))
    assert "1,200,000 円 (FY2024)" in tip
    assert "継続" in tip
    assert "city.txt:L10-L12" in tip


def test_logic_model_is_laid_out_left_to_right_by_step(pages):
    nodes = embedded(pages["logic-model"])["nodes"]
    xs = {n["id"].rsplit("/", 1)[-1]: n["x"] for n in nodes}
    assert xs["m1-p2"] < xs["stage-1"] < xs["stage-2"] < xs["stage-3"] < xs["stage-4"]
    assert len({n["y"] for n in nodes}) == 1  # one project, one row


def test_inferred_links_are_dashed(pages):
    edges = embedded(pages["sdg"])["edges"]
    assert sum(1 for e in edges if e.get("dashes")) == 2


def test_render_view_aggregates_an_overview_over_the_node_budget(tmp_path):
    page = visualize.render_view(FIXTURE, "overview", out=tmp_path / "o.html", max_nodes=20)
    data = embedded(page.read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 17
    assert not any(n["group"] == "project" for n in data["nodes"])


def test_large_graph_renders_with_precomputed_positions(tmp_path):
    g = nx.MultiDiGraph(view="overview")
    for m in range(40):
        g.add_node(f"m{m}", type="measure", label=f"施策{m}")
        for p in range(100):
            g.add_node(f"m{m}p{p}", type="project", label=f"事業{m}-{p}", budget_jpy=p)
            g.add_edge(f"m{m}p{p}", f"m{m}", key="part_of", type="part_of")
    data = embedded(render_html(g, title="big", out=tmp_path / "big.html").read_text(encoding="utf-8"))
    assert len(data["nodes"]) == 4040 and len(data["edges"]) == 4000
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == 4040  # no two nodes on one spot


def test_unknown_layout_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="unknown layout"):
        render_html(project(FIXTURE, view="sdg"), title="t", out=tmp_path / "x.html", layout="nope")
