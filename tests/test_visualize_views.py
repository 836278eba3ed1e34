"""The HTML pages: offline, escaped, complete, laid out up front."""

from __future__ import annotations

import json
import re
from pathlib import Path

import networkx as nx
import pytest

from policy_kg import visualize
from policy_kg.visualize.projection import VIEWS, project
from policy_kg.visualize.views import TYPE_STYLE, render_html, safe_json

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
    entities = [n for n in data["nodes"] if not n.get("bucket")]
    assert len(entities) == 4040 and len(data["edges"]) == 4000
    assert len({(n["x"], n["y"]) for n in data["nodes"]}) == len(data["nodes"])  # no two nodes on one spot
    # 40 measures in one column: the page opens with them inside one "施策 ×40" node
    buckets = [n for n in data["nodes"] if n.get("bucket")]
    assert [n["label"] for n in buckets] == ["施策 ×40"]
    assert sum(1 for n in data["nodes"] if not n.get("hidden")) == 1


def test_unknown_layout_is_an_error(tmp_path):
    with pytest.raises(ValueError, match="unknown layout"):
        render_html(project(FIXTURE, view="sdg"), title="t", out=tmp_path / "x.html", layout="nope")


# --- issue 15, scope 3: the existing views fixed ---------------------------------------------

def _sdg_graph(codes: list[str]) -> nx.MultiDiGraph:
    """An SDG view of one project per target code, the codes given in a scrambled order."""
    g = nx.MultiDiGraph(view="sdg")
    for i, code in enumerate(codes):
        goal = code.split(".")[0]
        g.add_node(f"g{goal}", type="sdg_goal", label=f"SDG {goal}", code=goal)
        g.add_node(f"t{code}", type="sdg_target", label=code, code=code)
        g.add_edge(f"g{goal}", f"t{code}", key="has_target", type="has_target")
        g.add_node(f"p{i}", type="project", label=f"事業{i}", budget_jpy=1000 * (i + 1))
        g.add_edge(f"t{code}", f"p{i}", key="sdg_link", type="sdg_link", link="stated")
    return g


def test_goals_and_targets_are_in_natural_order(tmp_path):
    codes = ["8.a", "10.2", "8.10", "4.1", "8.2", "17.1", "8.1", "11.4"]
    data = embedded(render_html(_sdg_graph(codes), title="t", out=tmp_path / "o.html").read_text(encoding="utf-8"))
    by_y = lambda group: [n["label"] for n in sorted((n for n in data["nodes"] if n["group"] == group),  # noqa: E731
                                                      key=lambda n: n["y"])]
    assert [label.split("\n")[0] for label in by_y("sdg_goal")] == ["SDG 4", "SDG 8", "SDG 10", "SDG 11", "SDG 17"]
    assert by_y("sdg_target") == ["4.1", "8.1", "8.2", "8.10", "8.a", "10.2", "11.4", "17.1"]


def test_fixture_goals_read_8_9_11(pages):
    goals = sorted((n for n in embedded(pages["sdg"])["nodes"] if n["group"] == "sdg_goal"), key=lambda n: n["y"])
    assert [n["label"].split("\n")[0] for n in goals] == ["SDG 8", "SDG 9", "SDG 11"]


def test_each_column_leaves_room_for_every_label(pages):
    """Python's layout already stacks each column by the estimated height of shape and label."""
    from policy_kg.visualize.views import node_height

    for view in ("sdg", "overview", "organisations"):
        nodes = embedded(pages[view])["nodes"]
        for col in {n["col"] for n in nodes}:
            members = sorted((n for n in nodes if n["col"] == col), key=lambda n: n["y"])
            for a, b in zip(members, members[1:]):
                ha = node_height(a["label"], a["shape"], 12)
                hb = node_height(b["label"], b["shape"], 12)
                assert b["y"] - a["y"] >= (ha + hb) / 2 - 0.5, (view, a["label"], b["label"])


def test_legend_draws_each_link_style_in_its_edge_colour(pages):
    page = pages["sdg"]
    legend = dict(re.findall(r'<li data-link="([a-z]+)" data-colour="(#[0-9a-f]{6})">', page))
    assert set(legend) == {"stated", "inferred", "structure"}
    assert len(set(legend.values())) == 3  # three colours, as on the edges
    for edge in embedded(page)["edges"]:
        assert edge["color"] == legend[edge["link"]]
        assert bool(edge.get("dashes")) == (edge["link"] == "inferred")
    # the swatch itself is drawn in that colour and style
    assert f'border-top-color:{legend["inferred"]};border-top-style:dashed' in page
    assert f'border-top-color:{legend["stated"]};border-top-style:solid' in page


def test_document_nodes_are_named_by_publisher_kind_and_year():
    from rdflib import Dataset, Literal, Namespace, URIRef
    from rdflib.namespace import DCTERMS, RDF, SKOS, XSD

    from policy_kg.visualize.facts import load_facts

    pkg = Namespace("https://w3id.org/policy-kg/ontology#")
    ds = Dataset(default_union=True)
    g = ds.graph(URIRef("urn:g"))
    city, plan, plan2 = (URIRef(f"urn:doc:{n}") for n in ("city", "plan", "plan2"))
    publisher = URIRef("urn:org:city")
    g.add((city, RDF.type, pkg.Document))
    g.add((city, pkg.fileName, Literal("000_27ae6de2eb66d617.txt")))
    g.add((city, pkg.layout, Literal("evaluation_sheet")))
    g.add((city, pkg.fiscalYear, Literal(2023, datatype=XSD.integer)))
    g.add((city, DCTERMS.publisher, publisher))
    g.add((publisher, SKOS.prefLabel, Literal("みどり野市", lang="ja")))
    for doc, name in ((plan, "a1.txt"), (plan2, "b2.txt")):
        g.add((doc, RDF.type, pkg.Document))
        g.add((doc, pkg.fileName, Literal(name)))
        g.add((doc, pkg.layout, Literal("business_plan")))
        g.add((doc, DCTERMS.title, Literal("令和６年度 事業計画", lang="ja")))
    facts = load_facts(ds)
    assert facts.document_title(city) == "みどり野市 行政評価シート 2023年度"
    # no publisher: the printed title, told apart by the file name when two documents share it
    assert facts.document_title(plan) == "令和６年度 事業計画 (a1)"
    assert facts.document_title(plan2) == "令和６年度 事業計画 (b2)"
    assert facts.document_name(city) == "000_27ae6de2eb66d617.txt"  # tables keep the file name


def test_fixture_document_nodes_show_titles(pages):
    docs = {n["label"] for n in embedded(pages["organisations"])["nodes"] if n["group"] == "document"}
    assert docs and all(not label.endswith(".txt") for label in docs), docs
    assert "テスト市 評価シート" in docs


def test_parts_are_counted_apart_from_projects(tmp_path):
    g = nx.MultiDiGraph(view="overview")
    g.add_node("m", type="measure", label="施策")
    for p in range(3):
        g.add_node(f"p{p}", type="project", label=f"事業{p}", level="project")
        g.add_edge(f"p{p}", "m", key="part_of", type="part_of")
    for part in range(5):
        g.add_node(f"s{part}", type="project", label=f"内訳{part}", level="sub_project")
        g.add_edge(f"s{part}", "p0", key="part_of", type="part_of")
    page = render_html(g, title="t", out=tmp_path / "p.html").read_text(encoding="utf-8")
    assert "project (事業) — 3 (+ 5 parts 内訳)</li>" in page
    assert "3 projects + 5 parts" in page


def _wide_graph(measures: int, per_measure: int) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph(view="sdg")
    g.add_node("g8", type="sdg_goal", label="SDG 8", code="8")
    g.add_node("t8.1", type="sdg_target", label="8.1", code="8.1")
    g.add_edge("g8", "t8.1", key="has_target", type="has_target")
    for m in range(measures):
        g.add_node(f"m{m}", type="measure", label=f"施策{m}")
        for p in range(per_measure):
            pid = f"m{m}p{p}"
            g.add_node(pid, type="project", label=f"事業{m}-{p}", level="project", budget_jpy=10_000 * (p + 1))
            g.add_edge(pid, f"m{m}", key="part_of", type="part_of")
            g.add_edge("t8.1", pid, key="sdg_link", type="sdg_link", link="stated")
    return g


def test_large_view_opens_folded_with_counts(tmp_path):
    page = render_html(_wide_graph(8, 5), title="t", out=tmp_path / "f.html").read_text(encoding="utf-8")
    data = embedded(page)
    hidden = [n for n in data["nodes"] if n.get("hidden")]
    assert len(hidden) == 40 and all(n["group"] == "project" for n in hidden)
    assert all(n["fold"] == n["id"].split("p")[0] for n in hidden)  # each inside its own measure
    measures = [n for n in data["nodes"] if n["group"] == "measure"]
    assert all(n["collapsed"] and n["folds"] == "5 事業 · 15万円" for n in measures)
    assert 'data-expected-nodes="10"' in page and 'data-all-nodes="50"' in page
    assert "40 nodes folded: click ▸ to open" in page
    assert len(data["edges"]) == 8 * 5 * 2 + 1  # every edge is kept; the page merges them while folded


def test_small_view_opens_unfolded_but_can_fold(tmp_path):
    data = embedded(render_html(_wide_graph(2, 5), title="t", out=tmp_path / "u.html").read_text(encoding="utf-8"))
    assert not any(n.get("hidden") for n in data["nodes"])
    assert all(n["collapsed"] is False for n in data["nodes"] if "folds" in n)
