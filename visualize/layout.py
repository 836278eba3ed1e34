"""Node positions computed up front, so the browser never runs a physics simulation.

``layered`` and ``steps`` are pure Python and linear in the graph size; ``spring`` uses networkx's
Fruchterman-Reingold layout, which needs numpy (and scipy above 500 nodes) and is only chosen
automatically for small graphs when those are installed.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict
from collections.abc import Mapping

import networkx as nx

from policy_kg.graph.query import natural_key

__all__ = ["LAYOUTS", "LAYER_ORDER", "compute_positions", "choose_layout", "column_of", "sort_key", "ROW_PAD"]

LAYOUTS = ("auto", "layered", "steps", "spring")
X_GAP = 320.0
Y_GAP = 44.0
ROW_PAD = 14.0  # vertical space between two nodes' boxes (shape and label) in a column
SPRING_MAX_NODES = 300

# Left-to-right column of each node type, per view.
LAYER_ORDER: dict[str, dict[str, int]] = {
    "sdg": {"sdg_goal": 0, "sdg_target": 1, "project": 2, "measure": 3},
    "organisations": {"department": 0, "project": 1, "organisation": 2, "document": 3},
    "overview": {
        "document": 0, "policy_field": 1, "measure": 2, "project": 3, "indicator": 4,
        "department": 4, "organisation": 4, "sdg_target": 5, "sdg_goal": 6, "stage": 4,
    },
}
LAYER_ORDER["logic-model"] = {"project": 0, "stage": 1}


def _has_spring_support(n_nodes: int) -> bool:
    if importlib.util.find_spec("numpy") is None:
        return False
    # networkx switches to a scipy sparse solver above 500 nodes
    return n_nodes <= 500 or importlib.util.find_spec("scipy") is not None


def choose_layout(g: nx.MultiDiGraph, layout: str = "auto") -> str:
    """Resolve ``auto`` (and an unavailable ``spring``) to a concrete layout name."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}; choose one of {', '.join(LAYOUTS)}")
    view = g.graph.get("view", "overview")
    if layout == "auto":
        if view == "logic-model":
            return "steps"
        # every view is layered by default: a spring layout put labels on top of each other
        return "layered"
    if layout == "spring" and not _has_spring_support(g.number_of_nodes()):
        return "layered"
    return layout


def compute_positions(
    g: nx.MultiDiGraph, layout: str = "auto", heights: Mapping[str, float] | None = None
) -> dict[str, tuple[float, float]]:
    """Positions (x, y) in screen pixels for every node of ``g``.

    ``heights`` (node id -> height of its shape and label, in pixels) spaces a layered column so
    no node's box reaches the next one; without it every row is ``Y_GAP`` high.
    """
    chosen = choose_layout(g, layout)
    if chosen == "steps":
        return _steps(g)
    if chosen == "spring":
        return _spring(g)
    return _layered(g, heights)


def column_of(g: nx.MultiDiGraph, n: str) -> int:
    """The layered column of node ``n`` (its type's place in the view's ``LAYER_ORDER``)."""
    order = LAYER_ORDER.get(g.graph.get("view", "overview"), LAYER_ORDER["overview"])
    return order.get(g.nodes[n].get("type", ""), max(order.values()) + 1)


def sort_key(data: Mapping) -> tuple:
    """Order of nodes that tie in a column: SDG codes naturally (8.1 < 8.2 < 8.10 < 8.a), then labels."""
    code = data.get("code")
    if code is not None:
        return (0, natural_key(str(code)), "")
    return (1, [], str(data.get("label", "")))


def _steps(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Logic model: x by ``step`` (project at 0), y by the project's ``row``."""
    positions = {}
    for n, data in g.nodes(data=True):
        step, row = data.get("step", 0), data.get("row", 0)
        positions[n] = (float(step) * X_GAP, float(row) * Y_GAP * 2)
    return positions


def _spring(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    simple = nx.Graph(g.to_undirected(as_view=True))
    raw = nx.spring_layout(simple, seed=7, iterations=100)
    scale = max(700.0, 90.0 * len(raw) ** 0.5)
    return {n: (float(x) * scale, float(y) * scale) for n, (x, y) in raw.items()}


def _layered(g: nx.MultiDiGraph, heights: Mapping[str, float] | None = None) -> dict[str, tuple[float, float]]:
    """Columns by node type, each column ordered by the mean row of already placed neighbours.

    Ties (and a first column) are ordered by :func:`sort_key`, so goals read 1…17 and targets
    8.1, 8.2, 8.10, 8.a. Each node takes its own height plus ``ROW_PAD``.
    """
    layers: dict[int, list[str]] = defaultdict(list)
    for n in g.nodes:
        layers[column_of(g, n)].append(n)
    rank: dict[str, float] = {}
    positions: dict[str, tuple[float, float]] = {}
    for column, layer in enumerate(sorted(layers)):
        members = layers[layer]

        def barycentre(n: str) -> tuple:
            placed = [rank[m] for m in nx.all_neighbors(g, n) if m in rank]
            mean = sum(placed) / len(placed) if placed else float("inf")
            return (mean, sort_key(g.nodes[n]), n)

        members.sort(key=barycentre)
        sizes = [float(heights.get(n, Y_GAP - ROW_PAD)) if heights else Y_GAP - ROW_PAD for n in members]
        total = sum(sizes) + ROW_PAD * (len(members) - 1)
        top = -total / 2
        for i, n in enumerate(members):
            rank[n] = float(i)
            positions[n] = (column * X_GAP, top + sizes[i] / 2)
            top += sizes[i] + ROW_PAD
    return positions
