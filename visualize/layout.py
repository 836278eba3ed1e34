"""Node positions computed up front, so the browser never runs a physics simulation.

``layered`` and ``steps`` are pure Python and linear in the graph size; ``spring`` uses networkx's
Fruchterman-Reingold layout, which needs numpy (and scipy above 500 nodes) and is only chosen
automatically for small graphs when those are installed.
"""

from __future__ import annotations

import importlib.util
from collections import defaultdict

import networkx as nx

__all__ = ["LAYOUTS", "LAYER_ORDER", "compute_positions", "choose_layout"]

LAYOUTS = ("auto", "layered", "steps", "spring")
X_GAP = 320.0
Y_GAP = 44.0
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
        if view == "organisations" and g.number_of_nodes() <= SPRING_MAX_NODES:
            layout = "spring"
        else:
            return "layered"
    if layout == "spring" and not _has_spring_support(g.number_of_nodes()):
        return "layered"
    return layout


def compute_positions(g: nx.MultiDiGraph, layout: str = "auto") -> dict[str, tuple[float, float]]:
    """Positions (x, y) in screen pixels for every node of ``g``."""
    chosen = choose_layout(g, layout)
    if chosen == "steps":
        return _steps(g)
    if chosen == "spring":
        return _spring(g)
    return _layered(g)


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


def _layered(g: nx.MultiDiGraph) -> dict[str, tuple[float, float]]:
    """Columns by node type, each column ordered by the mean row of already placed neighbours."""
    order = LAYER_ORDER.get(g.graph.get("view", "overview"), LAYER_ORDER["overview"])
    layers: dict[int, list[str]] = defaultdict(list)
    for n, data in g.nodes(data=True):
        layers[order.get(data.get("type", ""), max(order.values()) + 1)].append(n)
    rank: dict[str, float] = {}
    positions: dict[str, tuple[float, float]] = {}
    for column, layer in enumerate(sorted(layers)):
        members = layers[layer]

        def barycentre(n: str) -> tuple[float, str]:
            placed = [rank[m] for m in nx.all_neighbors(g, n) if m in rank]
            mean = sum(placed) / len(placed) if placed else float("inf")
            return (mean, str(g.nodes[n].get("label", n)))

        members.sort(key=barycentre)
        offset = (len(members) - 1) / 2
        for i, n in enumerate(members):
            rank[n] = float(i)
            positions[n] = (column * X_GAP, (i - offset) * Y_GAP)
    return positions
