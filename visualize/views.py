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
import math
import unicodedata
from collections import defaultdict
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx

from policy_kg.graph.io import atomic_write_text
from policy_kg.visualize.layout import ROW_PAD, choose_layout, column_of, compute_positions
from policy_kg.visualize.options import FOLD_COLUMN

__all__ = [
    "TYPE_STYLE", "EDGE_STYLE", "FOLD_COLUMN", "render_html", "safe_json", "vis_assets", "node_tooltip",
    "node_height", "edge_style", "type_counts", "fold_parents", "yen_short", "with_page_attributes",
]

# colour, shape and legend text of each node type (one colour per type)
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "sdg_goal": ("#e5243b", "hexagon", "SDG goal (ゴール)"),
    "sdg_target": ("#fd6925", "diamond", "SDG target (ターゲット)"),
    "project": ("#26bde2", "dot", "project (事業)"),
    "measure": ("#4c9f38", "box", "measure (施策)"),
    "policy_field": ("#19486a", "box", "policy field / programme (政策分野)"),
    "document": ("#6b6b6b", "box", "document (文書)"),
    "department": ("#a21942", "triangle", "department (担当部・課)"),
    "organisation": ("#dd1367", "star", "partner organisation (関係団体)"),
    "indicator": ("#fcc30b", "square", "indicator (指標)"),
    "stage": ("#56c02b", "box", "logic-model stage (ロジックモデル)"),
}
_FALLBACK_STYLE = ("#999999", "dot", "other")
_LABEL_MAX = 28  # characters drawn on the canvas; the tooltip carries the full text
_LABEL_WIDTH = 200  # px: labels wrap at this width, so a column (X_GAP apart) never reaches the next
_FONT = 14
_LINE = 18  # px per label line at the default font
_SHAPE_SIZE = 12  # radius of a fixed-size shape (goal, target, department …)
_SIZE_MIN, _SIZE_MAX = 6, 28  # project radius range, scaled by budget (area proportional)
_LABEL_INSIDE = ("box", "database", "ellipse", "circle", "text")

# Edge styles, shared by the edges and the legend (the legend draws each with the edge's colour).
EDGE_STYLE: dict[str, tuple[str, bool, str]] = {  # link kind -> (colour, dashed, legend text)
    "stated": ("#3b4cc0", False, "stated SDG link (記載)"),
    "inferred": ("#fd6925", True, "inferred SDG link (推定)"),
    "structure": ("#a3a3a3", False, "structure: part of, responsible, partner … (構造)"),
}
# FOLD_COLUMN (visualize.options): above this many nodes in one column a page opens folded (projects into their measure or
# department, targets into goals); a click on a folded node opens it.
# types whose loose nodes fold into one node per type when their column is still too tall
BUCKET_TYPES = ("organisation", "department", "indicator", "policy_field", "document", "measure", "project",
                "sdg_target", "stage")
# view -> (node type that folds, edge type, "out": child -> parent edge | "in": parent -> child), tried in order
FOLD_RULES: dict[str, list[tuple[str, str, str]]] = {
    "sdg": [("project", "part_of", "out"), ("sdg_target", "has_target", "in")],
    "overview": [("project", "part_of", "out"), ("indicator", "indicator_of", "out"),
                 ("sdg_target", "has_target", "in")],
    "organisations": [("project", "responsible_for", "in"), ("project", "in_document", "out")],
}
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
#legend .line {{ display: inline-block; width: 24px; margin-right: 6px; vertical-align: middle; border-top: 3px solid #888; }}
#legend .hint {{ color: #555; }}
#network {{ position: absolute; top: 56px; bottom: 0; left: 0; right: 0; }}
div.vis-tooltip {{ white-space: pre-wrap; max-width: 420px; }}
</style>
<script>{vis_js}</script>
</head>
<body data-view="{view}" data-layout="{layout}" data-expected-nodes="{n_visible}" data-all-nodes="{n_nodes}" data-expected-edges="{n_edges}">
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
  var layered = document.body.getAttribute("data-layout") === "layered";
  var PAD = data.pad, byId = {{}}, open = {{}};
  data.nodes.forEach(function (n) {{ byId[n.id] = n; }});
  data.nodes.forEach(function (n) {{ if (n.folds && !n.collapsed) {{ open[n.id] = true; }} }});
  // a node is shown when every fold parent above it is open
  function shown(n) {{
    for (var f = n.fold; f; f = byId[f].fold) {{ if (!open[f]) {{ return false; }} }}
    return true;
  }}
  function rep(id) {{  // the shown node a (possibly folded) node is drawn as
    var n = byId[id];
    while (!shown(n)) {{ n = byId[n.fold]; }}
    return n.id;
  }}
  function nodeView(n) {{
    var item = {{}};
    for (var k in n) {{ if (Object.prototype.hasOwnProperty.call(n, k) && k !== "hidden" && k !== "group") {{ item[k] = n[k]; }} }}
    // ``group`` names the type for readers of the data; vis-network would colour groups itself
    if (n.folds) {{ item.label = n.label + "\\n" + (open[n.id] ? "\\u25be " : "\\u25b8 ") + n.folds; }}
    return item;
  }}
  function edgeViews() {{
    var merged = {{}}, out = [];
    data.edges.forEach(function (e) {{
      var u = rep(e.from), v = rep(e.to);
      if (u === v) {{ return; }}
      var key = u + "\\u0000" + v + "\\u0000" + e.kind + "\\u0000" + (e.link || "");
      var m = merged[key];
      if (!m) {{
        m = merged[key] = {{ id: key, from: u, to: v, color: e.color, dashes: e.dashes, title: e.title,
                             width: e.width, weight: 0 }};
        out.push(m);
      }}
      m.weight += e.weight || 1;
    }});
    out.forEach(function (m) {{
      if (m.weight > 1) {{
        m.width = Math.min(1 + Math.sqrt(m.weight), 8);
        m.title = m.title.split(" \\u00d7 ")[0] + " \\u00d7 " + m.weight;
      }}
      delete m.weight;
    }});
    return out;
  }}
  var nodes = new vis.DataSet(data.nodes.filter(shown).map(nodeView));
  var edges = new vis.DataSet(edgeViews());
  var large = data.nodes.length > 1000;
  var options = {{
    physics: false,
    layout: {{ improvedLayout: false }},
    interaction: {{ hover: !large, tooltipDelay: 150, hideEdgesOnDrag: large, navigationButtons: false }},
    nodes: {{ font: {{ size: {font}, face: "Noto Sans CJK JP, IPAGothic, sans-serif" }},
              widthConstraint: {{ maximum: {label_width} }}, size: {shape_size},
              scaling: {{ min: {size_min}, max: {size_max}, label: {{ enabled: false }},
                          // area, not radius, proportional to budget
                          customScalingFunction: function (min, max, total, value) {{
                            return max === min ? 0.5 : Math.sqrt((value - min) / (max - min));
                          }} }} }},
    edges: {{ arrows: {{ to: {{ enabled: true, scaleFactor: 0.5 }} }}, smooth: false,
              color: {{ inherit: false }} }}
  }};
  var network = new vis.Network(document.getElementById("network"),
                                {{ nodes: nodes, edges: edges }}, options);
  // Stack each column with the boxes vis-network measured (shape and label): each node as near
  // the mean height of its neighbours in earlier columns as the nodes above it allow.
  function restack() {{
    if (!layered) {{ return; }}
    var cols = {{}}, ys = {{}}, adj = {{}}, updates = [];
    edges.forEach(function (e) {{
      (adj[e.from] = adj[e.from] || []).push(e.to);
      (adj[e.to] = adj[e.to] || []).push(e.from);
    }});
    nodes.forEach(function (n) {{ (cols[n.col] = cols[n.col] || []).push(n); }});
    Object.keys(cols).map(Number).sort(function (a, b) {{ return a - b; }}).forEach(function (c) {{
      var members = cols[c].map(function (n) {{
        var near = (adj[n.id] || []).filter(function (m) {{ return m in ys; }}).map(function (m) {{ return ys[m]; }});
        var box = network.getBoundingBox(n.id), y0 = network.getPosition(n.id).y;
        return {{ n: n, h: box.bottom - box.top, above: y0 - box.top,
                  want: near.length ? near.reduce(function (a, b) {{ return a + b; }}, 0) / near.length : null }};
      }});
      var anchored = members.some(function (m) {{ return m.want !== null; }});
      members.sort(function (a, b) {{
        var wa = a.want === null ? Infinity : a.want, wb = b.want === null ? Infinity : b.want;
        return wa !== wb ? wa - wb : a.n.rank - b.n.rank;
      }});
      var cursor = null, placed = [];
      members.forEach(function (m) {{
        var top;
        if (!anchored || m.want === null) {{ top = cursor === null ? 0 : cursor; }}
        else {{ top = cursor === null ? m.want - m.above : Math.max(m.want - m.above, cursor); }}
        placed.push([m, top]);
        cursor = top + m.h + PAD;
      }});
      var shift = anchored || !placed.length ? 0 : -(cursor - PAD) / 2;
      placed.forEach(function (p) {{
        var y = p[1] + shift + p[0].above;  // the node's centre sits ``above`` below its box's top
        ys[p[0].n.id] = y;
        updates.push({{ id: p[0].n.id, x: p[0].n.x, y: y }});
      }});
    }});
    nodes.update(updates);
  }}
  // pairs of drawn nodes whose boxes (shape and label) overlap: read by the browser tests
  function overlaps() {{
    var ids = nodes.getIds(), boxes = ids.map(function (id) {{ return network.getBoundingBox(id); }}), found = [];
    for (var i = 0; i < boxes.length; i++) {{
      for (var j = i + 1; j < boxes.length; j++) {{
        var a = boxes[i], b = boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {{
          found.push([ids[i], ids[j]]);
        }}
      }}
    }}
    return found;
  }}
  var phase = 0;
  function refresh() {{
    nodes.clear();
    nodes.add(data.nodes.filter(shown).map(nodeView));
    edges.clear();
    edges.add(edgeViews());
    phase = 0;
    network.redraw();
  }}
  function toggle(id) {{
    var n = byId[id];
    if (!n || !n.folds) {{ return; }}
    open[id] = !open[id];
    refresh();
  }}
  network.on("click", function (params) {{ if (params.nodes.length) {{ toggle(params.nodes[0]); }} }});
  network.on("afterDrawing", function () {{
    if (phase === 0) {{  // the first draw measured the labels: stack the columns with them
      phase = 1;
      restack();
      network.fit({{ animation: false }});
      return;
    }}
    if (phase === 1) {{
      phase = 2;
      // read by tests/test_visualize_browser.py: what the network actually holds and draws
      document.body.setAttribute("data-drawn-nodes", String(network.body.nodeIndices.length));
      document.body.setAttribute("data-drawn-edges", String(network.body.edgeIndices.length));
      document.body.setAttribute("data-overlaps", String(nodes.length <= 2000 ? overlaps().length : -1));
      document.body.setAttribute("data-scale", network.getScale().toFixed(3));
      document.body.setAttribute("data-ready-ms", performance.now().toFixed(0));  // read by bench/bench_explorer.py
    }}
  }});
  // #expand=all, or #expand=<node id>,<node id>: open folded nodes (a shared link, or a test)
  var hash = decodeURIComponent(location.hash.replace(/^#/, ""));
  if (hash.indexOf("expand=") === 0) {{
    hash.slice(7).split(",").forEach(function (id) {{
      data.nodes.forEach(function (n) {{ if (n.folds && (id === "all" || id === n.id)) {{ open[n.id] = true; }} }});
    }});
    refresh();
  }}
  window.policyKg = {{ network: network, toggle: toggle, overlaps: overlaps }};
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


def yen_short(value: int) -> str:
    """A budget as a planner reads it: 1.2億円, 3,400万円, 900円."""
    if abs(value) >= 100_000_000:
        return f"{value / 100_000_000:,.2f}".rstrip("0").rstrip(".") + "億円"
    if abs(value) >= 10_000:
        return f"{value / 10_000:,.0f}万円"
    return f"{value:,}円"


def node_tooltip(data: dict[str, Any]) -> str:
    """Plain-text tooltip of a node (vis-network shows string tooltips with ``innerText``)."""
    lines = [str(data.get("label", ""))]
    if data.get("title"):
        lines.append(str(data["title"]))
    kind = str(data.get("type", ""))
    if data.get("level") == "sub_project":
        kind += " (part 内訳)"
    lines.append(f"type: {kind}")
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
        title = data.get("document_title")
        shown = f"{title} ({data['document']})" if title and title != data["document"] else data["document"]
        lines.append(f"document: {shown}")
    if data.get("file"):
        lines.append(f"file: {data['file']}")
    if data.get("source"):
        lines.append(f"source: {data['source']}")
    return "\n".join(lines)


def _short(label: str) -> str:
    return label if len(label) <= _LABEL_MAX else label[: _LABEL_MAX - 1] + "…"


def _text_width(text: str) -> float:
    """Estimated drawn width of ``text`` at the default font (wide characters a full em)."""
    return sum(_FONT if unicodedata.east_asian_width(ch) in ("W", "F", "A") else _FONT * 0.6 for ch in text)


def node_height(label: str, shape: str, size: float) -> float:
    """Estimated height (px) of a node's shape and label, as vis-network draws them: labels wrap at
    ``_LABEL_WIDTH``; a box holds its label, other shapes draw it below themselves."""
    lines = sum(max(1, math.ceil(_text_width(line) / _LABEL_WIDTH)) for line in label.split("\n"))
    text = lines * _LINE
    if shape in _LABEL_INSIDE:
        return text + (22 if shape == "database" else 12)
    return 2 * size + text + 4


def _project_sizes(g: nx.MultiDiGraph) -> dict[str, float]:
    """Radius of each project node, as vis-network scales ``value`` (see ``customScalingFunction``)."""
    values = {n: max(int(d.get("budget_jpy") or 0), 0) for n, d in g.nodes(data=True) if d.get("type") == "project"}
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    scale = {n: 0.5 if high == low else math.sqrt((v - low) / (high - low)) for n, v in values.items()}
    return {n: _SIZE_MIN + (_SIZE_MAX - _SIZE_MIN) * s for n, s in scale.items()}


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


def edge_style(data: dict[str, Any]) -> tuple[str, str, bool]:
    """(kind, colour, dashed) of an edge: a stated or inferred SDG link, or structure."""
    kind = data.get("link") if data.get("link") in ("stated", "inferred") else "structure"
    colour, dashed, _ = EDGE_STYLE[kind]
    return kind, colour, dashed


def _edge_json(i: int, u: str, v: str, data: dict[str, Any]) -> dict[str, Any]:
    kind, colour, dashed = edge_style(data)
    item: dict[str, Any] = {"id": i, "from": u, "to": v, "color": colour, "kind": str(data.get("type", "")),
                            "link": kind}
    if dashed:
        item["dashes"] = True
    tip = [str(data.get("type", ""))]
    if data.get("link") == "inferred":
        tip.append("inferred" + (f" (score {data['score']:.2f})" if "score" in data else ""))
    elif data.get("link"):
        tip.append(str(data["link"]))
    if "weight" in data and data["weight"] != 1:
        item["width"] = min(1 + float(data["weight"]) ** 0.5, 8.0)
        item["weight"] = int(data["weight"])
        tip.append(f"× {data['weight']}")
    item["title"] = " ".join(tip)
    return item


def type_counts(g: nx.MultiDiGraph) -> dict[str, int]:
    """Nodes per type, with sub-projects (parts, 内訳) counted apart as ``part`` rather than as projects."""
    counts: dict[str, int] = {}
    for _, data in g.nodes(data=True):
        if data.get("bucket"):
            continue  # a fold node standing for many, not an entity
        key = "part" if data.get("type") == "project" and data.get("level") == "sub_project" else data.get("type", "")
        counts[key] = counts.get(key, 0) + 1
    return counts


def _legend(g: nx.MultiDiGraph, folded: int) -> str:
    counts = type_counts(g)
    parts = counts.pop("part", 0)
    items = []
    for type_ in [t for t in TYPE_STYLE if t in counts or (t == "project" and parts)] + sorted(set(counts) - set(TYPE_STYLE)):
        colour, _, text = TYPE_STYLE.get(type_, _FALLBACK_STYLE)
        count = f"{counts.get(type_, 0)}"
        if type_ == "project" and parts:
            count += f" (+ {parts} parts 内訳)"
        items.append(
            f'<li data-type="{html.escape(type_)}"><span class="swatch" style="background:{colour}"></span>'
            f"{html.escape(text)} — {count}</li>"
        )
    present = {edge_style(d)[0] for _, _, d in g.edges(data=True)}
    for kind, (colour, dashed, text) in EDGE_STYLE.items():
        if kind in present:
            style = f"border-top-color:{colour};border-top-style:{'dashed' if dashed else 'solid'}"
            items.append(f'<li data-link="{kind}" data-colour="{colour}"><span class="line" style="{style}">'
                         f"</span>{html.escape(text)}</li>")
    if folded:
        items.append(f'<li class="hint">{folded} nodes folded: click ▸ to open</li>')
    return "\n".join(items)


def _summary(g: nx.MultiDiGraph, folded: int) -> str:
    counts = type_counts(g)
    parts = [f"{sum(counts.values())} nodes, {g.number_of_edges()} edges"]
    if counts.get("project") or counts.get("part"):
        parts.append(f"{counts.get('project', 0)} projects" + (f" + {counts['part']} parts" if counts.get("part") else ""))
    if folded:
        parts.append(f"opened folded ({folded} nodes inside ▸ nodes; click one to open it)")
    if g.number_of_nodes() > 500:
        parts.append("a graph this size reads best in the explorer (policy-kg visualize explorer)")
    if g.graph.get("aggregated"):
        parts.append(f"aggregated ({g.graph['aggregated']} folded into parents)")
    if g.graph.get("fiscal_year"):
        parts.append(f"budgets for FY{g.graph['fiscal_year']}")
    else:
        parts.append("budgets for each project's latest fiscal year")
    return html.escape(" · ".join(parts))


def fold_parents(g: nx.MultiDiGraph, rules: list[tuple[str, str, str]] | None = None) -> dict[str, str]:
    """Node -> the node it folds into when the page opens folded (``FOLD_RULES`` of the view)."""
    if rules is None:
        rules = FOLD_RULES.get(str(g.graph.get("view", "")), [])
    parent: dict[str, str] = {}
    for child_type, edge_type, direction in rules:
        for u, v, data in g.edges(data=True):
            if data.get("type") != edge_type:
                continue
            child, up = (u, v) if direction == "out" else (v, u)
            if child == up or child in parent or g.nodes[child].get("type") != child_type:
                continue
            parent[child] = up
    # no cycles: a node never folds (transitively) into itself
    for child in list(parent):
        seen, node = {child}, parent[child]
        while node in parent:
            if node in seen:
                del parent[child]
                break
            seen.add(node)
            node = parent[node]
    return parent


def _folding(g: nx.MultiDiGraph, fold_column: int) -> tuple[dict[str, str], bool]:
    """(fold parents, open folded?): the view's rules, as many as it takes for every column of the
    folded page to hold at most ``fold_column`` nodes (projects first, then targets)."""
    rules = FOLD_RULES.get(str(g.graph.get("view", "")), [])

    def tallest(hidden: set[str]) -> int:
        columns: dict[int, int] = defaultdict(int)
        for n in g.nodes:
            if n not in hidden:
                columns[column_of(g, n)] += 1
        return max(columns.values(), default=0)

    if not rules:
        return {}, False
    if tallest(set()) <= fold_column:
        return fold_parents(g, rules), False
    for i in range(1, len(rules) + 1):
        parent = fold_parents(g, rules[:i])
        if tallest(set(parent)) <= fold_column:
            break
    # still too tall: the loose nodes of a crowded column (partners, departments) fold into one
    # node per type, e.g. "partner organisation ×37"
    columns: dict[int, list[str]] = defaultdict(list)
    for n in g.nodes:
        if n not in parent:
            columns[column_of(g, n)].append(n)
    for members in columns.values():
        if len(members) <= fold_column:
            continue
        by_type: dict[str, list[str]] = defaultdict(list)
        for n in members:
            by_type[g.nodes[n].get("type", "")].append(n)
        for type_, loose in by_type.items():
            if type_ not in BUCKET_TYPES or len(loose) < 2:
                continue
            bucket = f"bucket:{type_}"
            text = TYPE_STYLE.get(type_, _FALLBACK_STYLE)[2]
            short = text[text.find("(") + 1:text.rfind(")")] if "(" in text else text
            g.add_node(bucket, type=type_, label=f"{short} ×{len(loose)}", title=text, bucket=True)
            for n in loose:
                parent[n] = bucket
    return parent, True


def _fold_text(g: nx.MultiDiGraph, members: list[str]) -> str:
    counts = type_counts(g.subgraph(members))
    words = []
    names = {"project": "事業", "part": "内訳", "sdg_target": "ターゲット", "indicator": "指標",
             "organisation": "団体", "department": "部署", "policy_field": "分野", "measure": "施策",
             "document": "文書", "stage": "段階"}
    for key in names:
        if counts.get(key):
            words.append(f"{counts[key]} {names[key]}")
    budget = sum(int(g.nodes[m].get("budget_jpy") or 0) for m in members
                 if g.nodes[m].get("type") == "project" and g.nodes[m].get("level") != "sub_project")
    if budget:
        words.append(yen_short(budget))
    return " · ".join(words)


def _page_layout(g: nx.MultiDiGraph, layout: str, fold_column: int) -> tuple:
    """(graph with any fold nodes, layout name, fold parents, opens folded?, fold texts, positions)."""
    g = g.copy()  # folding may add one node per crowded type; the caller's graph stays
    chosen = choose_layout(g, layout)
    if fold_column <= 0:  # never open folded
        fold_column = 10 ** 9
    parent, fold = _folding(g, fold_column) if chosen == "layered" else ({}, False)
    sizes = _project_sizes(g)
    labels = {n: _short(str(d.get("label", n))) for n, d in g.nodes(data=True)}
    members: dict[str, list[str]] = defaultdict(list)
    for child in parent:
        top = child
        while top in parent:
            top = parent[top]
            members[top].append(child)
    fold_text = {n: _fold_text(g, m) for n, m in members.items()}
    heights = {}
    for n, d in g.nodes(data=True):
        shape = TYPE_STYLE.get(d.get("type", ""), _FALLBACK_STYLE)[1]
        label = labels[n] + (f"\n▸ {fold_text[n]}" if n in fold_text else "")
        heights[n] = node_height(label, shape, sizes.get(n, _SHAPE_SIZE))
    return g, chosen, parent, fold, fold_text, compute_positions(g, chosen, heights)


def render_html(
    nxgraph: nx.MultiDiGraph, *, title: str, out: Path, layout: str = "auto", fold_column: int = FOLD_COLUMN
) -> Path:
    """Write ``nxgraph`` as an interactive offline HTML page at ``out``; returns ``out``.

    When a column of the layered layout would hold more than ``fold_column`` nodes the page opens
    folded: projects inside their measure (or department), targets inside their goal, each folded
    node labelled with what it holds ("▸ 12 事業 · 3.4億円"); a click opens or closes it.
    """
    js, css = vis_assets()
    nxgraph, chosen, parent, fold, fold_text, positions = _page_layout(nxgraph, layout, fold_column)
    ranks = {n: i for i, n in enumerate(sorted(nxgraph.nodes, key=lambda n: (positions[n][0], positions[n][1])))}
    nodes = []
    hidden = 0
    for n, d in nxgraph.nodes(data=True):
        item = _node_json(n, d, positions[n])
        item["col"], item["rank"] = column_of(nxgraph, n), ranks[n]
        if d.get("bucket"):
            item["bucket"] = True  # a fold node standing for a crowded column's loose nodes, not an entity
        if n in parent:
            item["fold"] = parent[n]
        if n in fold_text:
            item["folds"] = fold_text[n]
            item["collapsed"] = fold
        nodes.append(item)
    if fold:
        for item in nodes:
            if "fold" in item:
                item["hidden"] = True  # drawn inside its fold parent until that is opened
                hidden += 1
    edges = [_edge_json(i, u, v, d) for i, (u, v, d) in enumerate(nxgraph.edges(data=True))]
    page = _PAGE.format(
        title=html.escape(title),
        vis_css=css,
        vis_js=js,
        view=html.escape(str(nxgraph.graph.get("view", ""))),
        layout=html.escape(chosen),
        n_nodes=len(nodes),
        n_visible=len(nodes) - hidden,
        n_edges=len(edges),
        summary=_summary(nxgraph, hidden),
        legend=_legend(nxgraph, hidden),
        data=safe_json({"nodes": nodes, "edges": edges, "pad": ROW_PAD}),
        font=_FONT, label_width=_LABEL_WIDTH, shape_size=_SHAPE_SIZE, size_min=_SIZE_MIN, size_max=_SIZE_MAX,
    )
    out = Path(out)
    atomic_write_text(out, page)  # a crash never leaves a half-written page
    return out


def with_page_attributes(g: nx.MultiDiGraph, layout: str = "auto") -> nx.MultiDiGraph:
    """A copy of ``g`` carrying what the page shows: per node its ``tooltip`` text, ``colour``,
    ``shape`` and position ``x``/``y`` (the page's layout, before the browser's restacking); per edge
    its ``colour`` and ``style`` (stated / inferred / structure) and whether it is ``dashed``."""
    out = g.copy()
    positions = _page_layout(g, layout, FOLD_COLUMN)[-1]
    for n, d in out.nodes(data=True):
        colour, shape, _ = TYPE_STYLE.get(d.get("type", ""), _FALLBACK_STYLE)
        d.update({"tooltip": node_tooltip(d), "colour": colour, "shape": shape,
                  "x": round(positions[n][0], 1), "y": round(positions[n][1], 1)})
    for _, _, d in out.edges(data=True):
        kind, colour, dashed = edge_style(d)
        d.update({"colour": colour, "style": kind, "dashed": dashed})
    return out
