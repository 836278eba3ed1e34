"""Render a projected graph as one self-contained, offline HTML page (vis-network inlined).

pyvis 0.3.2 still links Bootstrap from a CDN even with ``cdn_resources="in_line"``, and its
``add_edge`` scans every existing edge (quadratic), so the page is written here: the
vis-network script and stylesheet that ship inside the pyvis package are inlined, and the
node/edge JSON is built directly with positions computed up front (physics off).

Text from documents reaches the page only (a) inside a ``<script type="application/json">`` block
where ``<``, ``>`` and ``&`` are ``\\u`` escaped (so ``</script>`` cannot close it), and (b) through
vis-network, which draws labels on a canvas and sets string tooltips with ``innerText``; text written
into the HTML itself (title, legend) is ``html.escape``d. A label ``<b>x</b>`` therefore shows as text.
"""

from __future__ import annotations

import html
import importlib.resources
import json
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from graph.io import atomic_write_text
from visualize.layout import choose_layout, compute_positions

__all__ = ["TYPE_STYLE", "render_html", "safe_json", "vis_assets", "node_tooltip"]

# colour, shape and legend text of each node type (one colour per type)
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "sdg_goal": ("#e5243b", "hexagon", "SDG goal (ゴール)"),
    "sdg_target": ("#fd6925", "diamond", "SDG target (ターゲット)"),
    "project": ("#26bde2", "dot", "project (事業)"),
    "measure": ("#4c9f38", "box", "measure (施策)"),
    "policy_field": ("#19486a", "box", "policy field / programme (政策分野)"),
    "document": ("#6b6b6b", "database", "document (文書)"),
    "department": ("#a21942", "triangle", "department (担当部・課)"),
    "organisation": ("#dd1367", "star", "partner organisation (関係団体)"),
    "indicator": ("#fcc30b", "square", "indicator (指標)"),
    "stage": ("#56c02b", "box", "logic-model stage (ロジックモデル)"),
}
_FALLBACK_STYLE = ("#999999", "dot", "other")
_LABEL_MAX = 28  # characters drawn on the canvas; the tooltip carries the full text

_PAGE = """<!DOCTYPE html>
<html lang="ja">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>{vis_css}</style>
<style>
body {{ margin: 0; font-family: "Noto Sans CJK JP", "IPAGothic", "Hiragino Sans", "Yu Gothic", sans-serif; }}
header {{ padding: 6px 12px; border-bottom: 1px solid #ddd; }}
header h1 {{ font-size: 18px; margin: 0 0 4px 0; }}
header p {{ margin: 0; font-size: 12px; color: #555; }}
#legend {{ position: absolute; top: 64px; right: 8px; z-index: 5; background: rgba(255,255,255,.92);
  border: 1px solid #ccc; padding: 6px 10px; font-size: 12px; }}
#legend ul {{ list-style: none; margin: 0; padding: 0; }}
#legend li {{ margin: 2px 0; white-space: nowrap; }}
#legend .swatch {{ display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: middle; }}
#legend .line {{ display: inline-block; width: 24px; margin-right: 6px; vertical-align: middle; border-top: 2px solid #888; }}
#legend .line.dashed {{ border-top-style: dashed; }}
#network {{ position: absolute; top: 56px; bottom: 0; left: 0; right: 0; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; }}
</style>
<script>{vis_js}</script>
</head>
<body data-view="{view}" data-layout="{layout}" data-expected-nodes="{n_nodes}" data-expected-edges="{n_edges}">
<header><h1>{title}</h1><p>{summary}</p></header>
<div id="legend"><ul>
{legend}
</ul></div>
<div id="network"></div>
<script type="application/json" id="graph-data">{data}</script>
<script>
(function () {{
  "use strict";
  var data = JSON.parse(document.getElementById("graph-data").textContent);
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
  var large = data.nodes.length > 1000;
  var options = {{
    physics: false,
    layout: {{ improvedLayout: false }},
    interaction: {{ hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, navigationButtons: false }},
    nodes: {{ font: {{ size: 14, face: "Noto Sans CJK JP, IPAGothic, sans-serif" }},
              widthConstraint: {{ maximum: 220 }},
              scaling: {{ min: 6, max: 36, label: {{ enabled: false }},
                          // area, not radius, proportional to budget
                          customScalingFunction: function (min, max, total, value) {{
                            return max === min ? 0.5 : Math.sqrt((value - min) / (max - min));
                          }} }} }},
    edges: {{ arrows: {{ to: {{ enabled: true, scaleFactor: 0.5 }} }}, smooth: false,
              color: {{ inherit: false }} }}
  }};
  var network = new vis.Network(document.getElementById("network"),
                                {{ nodes: nodes, edges: edges }}, options);
  var reported = false;
  network.on("afterDrawing", function () {{
    if (reported) {{ return; }}
    reported = true;
    // fit once labels have been measured by the first draw, so none is clipped
    network.fit({{ animation: false }});
    // read by tests/test_visualize_browser.py: how many nodes/edges the network actually holds
    document.body.setAttribute("data-drawn-nodes", String(network.body.nodeIndices.length));
    document.body.setAttribute("data-drawn-edges", String(network.body.edgeIndices.length));
  }});
}})();
</script>
</body>
</html>
"""


@cache
def vis_assets() -> tuple[str, str]:
    """(JavaScript, CSS) of the vis-network build that ships inside the pyvis package."""
    root = importlib.resources.files("pyvis") / "lib" / "vis-9.1.2"
    js = (root / "vis-network.min.js").read_text(encoding="utf-8")
    css = (root / "vis-network.css").read_text(encoding="utf-8")
    # an inlined script must not contain a closing tag; the shipped build has none, keep it so
    if "</script" in js.lower() or "</style" in css.lower():
        raise RuntimeError("vis-network assets contain a closing tag and cannot be inlined")
    return js, css


def safe_json(value: Any) -> str:
    """JSON that is safe inside ``<script>``: ``<``, ``>``, ``&`` and line separators ``\\u``-escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for raw, escaped in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(raw, escaped)
    return text


def _yen(value: int) -> str:
    return f"{value:,} 円"


def node_tooltip(data: dict[str, Any]) -> str:
    """Plain-text tooltip of a node (vis-network shows string tooltips with ``innerText``)."""
    lines = [str(data.get("label", ""))]
    if data.get("title"):
        lines.append(str(data["title"]))
    lines.append(f"type: {data.get('type', '')}")
    if "budget_jpy" in data:
        year = f" (FY{data['fiscal_year']})" if "fiscal_year" in data else ""
        lines.append(f"budget: {_yen(int(data['budget_jpy']))}{year}")
    if data.get("status"):
        lines.append(f"direction: {data['status']}")
    if data.get("stage"):
        lines.append(f"stage: {data['stage']} (step {data.get('step', '?')})")
    if "projects" in data:
        lines.append(f"projects: {data['projects']}")
    if "shared" in data:
        lines.append(f"documents: {data['shared']}")
    if "aggregated" in data:
        lines.append(f"aggregated nodes: {data['aggregated']}")
    if data.get("document"):
        lines.append(f"document: {data['document']}")
    if data.get("source"):
        lines.append(f"source: {data['source']}")
    return "\n".join(lines)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


def _node_json(n: str, data: dict[str, Any], pos: tuple[float, float]) -> dict[str, Any]:
    colour, shape, _ = TYPE_STYLE.get(data.get("type", ""), _FALLBACK_STYLE)
    item: dict[str, Any] = {
        "id": n, "label": _short(str(data.get("label", n))), "title": node_tooltip(data),
        "color": colour, "shape": shape, "x": round(pos[0], 1), "y": round(pos[1], 1),
        "group": data.get("type", ""),
    }
    if shape in ("box", "database"):
        item["font"] = {"color": "#ffffff"}
    if data.get("type") == "project":
        # node size by budget: vis-network scales ``value`` between nodes.scaling.min and .max
        item["value"] = max(int(data.get("budget_jpy") or 0), 0)
    return item


def _edge_json(i: int, u: str, v: str, data: dict[str, Any]) -> dict[str, Any]:
    item: dict[str, Any] = {"id": i, "from": u, "to": v, "color": "#9a9a9a"}
    tip = [str(data.get("type", ""))]
    if data.get("link") == "inferred":
        item["dashes"] = True
        item["color"] = "#fd6925"
        tip.append("inferred" + (f" (score {data['score']:.2f})" if "score" in data else ""))
    elif data.get("link"):
        tip.append(str(data["link"]))
    if "weight" in data and data["weight"] != 1:
        item["width"] = min(1 + float(data["weight"]) ** 0.5, 8.0)
        tip.append(f"× {data['weight']}")
    item["title"] = " ".join(tip)
    return item


def _legend(g: nx.MultiDiGraph) -> str:
    counts: dict[str, int] = {}
    for _, data in g.nodes(data=True):
        counts[data.get("type", "")] = counts.get(data.get("type", ""), 0) + 1
    items = []
    for type_ in [t for t in TYPE_STYLE if t in counts] + sorted(set(counts) - set(TYPE_STYLE)):
        colour, _, text = TYPE_STYLE.get(type_, _FALLBACK_STYLE)
        items.append(
            f'<li data-type="{html.escape(type_)}"><span class="swatch" style="background:{colour}"></span>'
            f"{html.escape(text)} — {counts[type_]}</li>"
        )
    links = {d.get("link") for _, _, d in g.edges(data=True)}
    if "stated" in links:
        items.append('<li><span class="line"></span>stated SDG link (記載)</li>')
    if "inferred" in links:
        items.append('<li><span class="line dashed"></span>inferred SDG link (推定)</li>')
    return "\n".join(items)


def _summary(g: nx.MultiDiGraph) -> str:
    parts = [f"{g.number_of_nodes()} nodes, {g.number_of_edges()} edges"]
    if g.graph.get("aggregated"):
        parts.append(f"aggregated ({g.graph['aggregated']} folded into parents)")
    if g.graph.get("fiscal_year"):
        parts.append(f"budgets for FY{g.graph['fiscal_year']}")
    else:
        parts.append("budgets for each project's latest fiscal year")
    return html.escape(" · ".join(parts))


def render_html(
    nxgraph: nx.MultiDiGraph, *, title: str, out: Path, layout: str = "auto"
) -> Path:
    """Write ``nxgraph`` as an interactive offline HTML page at ``out``; returns ``out``."""
    js, css = vis_assets()
    positions = compute_positions(nxgraph, layout)
    nodes = [_node_json(n, d, positions[n]) for n, d in nxgraph.nodes(data=True)]
    edges = [_edge_json(i, u, v, d) for i, (u, v, d) in enumerate(nxgraph.edges(data=True))]
    page = _PAGE.format(
        title=html.escape(title),
        vis_css=css,
        vis_js=js,
        view=html.escape(str(nxgraph.graph.get("view", ""))),
        layout=html.escape(choose_layout(nxgraph, layout)),
        n_nodes=len(nodes),
        n_edges=len(edges),
        summary=_summary(nxgraph),
        legend=_legend(nxgraph),
        data=safe_json({"nodes": nodes, "edges": edges}),
    )
    out = Path(out)
    atomic_write_text(out, page)  # a crash never leaves a half-written page
    return out
