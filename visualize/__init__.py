"""Network views, analytics and exports for planners: the only package that imports networkx and pyvis.

Three entry points, wired into the CLI by ``build_graph.py``:

>>> from pathlib import Path
>>> render_view(Path("out/graph.trig"), "sdg", out=Path("out/sdg.html"))  # doctest: +SKIP
>>> analyze(Path("out/graph.trig"))["projects_without_sdg"]  # doctest: +SKIP
>>> export(Path("out/graph.trig"), "graphml", Path("out/overview.graphml"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from policy_kg.visualize.options import DEFAULT_MAX_NODES, FOLD_COLUMN, FORMATS, VIEWS

if TYPE_CHECKING:
    from rdflib import Dataset, Graph

    from policy_kg.graph.query import Backend

__all__ = [
    "VIEWS", "FORMATS", "DEFAULT_MAX_NODES", "render_view", "analyze", "export", "project",
    "aggregate", "render_html", "format_table", "write_csv",
]

# Imported on first use, so the command line (which only needs the names in ``options``) starts
# without networkx and rdflib.
_LAZY = {
    "analyze": "analytics", "format_table": "analytics", "write_csv": "analytics",
    "write_network": "exports", "aggregate": "projection", "project": "projection",
    "render_html": "views", "with_page_attributes": "views",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f"{__name__}.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_AGGREGATABLE = ("overview", "sdg")
_TITLES = {
    "overview": "政策ネットワーク概観 (overview)",
    "sdg": "SDGs と事業 (SDG view)",
    "logic-model": "ロジックモデル (logic models)",
    "organisations": "担当部署と関係団体 (organisations)",
}


def render_view(
    data: Graph | Dataset | Backend | Path | str,
    view: str,
    *,
    out: Path,
    title: str | None = None,
    layout: str = "auto",
    max_nodes: int = DEFAULT_MAX_NODES,
    fold_column: int = FOLD_COLUMN,
    **filters: Any,
) -> Path:
    """Project ``data`` onto ``view`` and write it as an offline HTML page; returns ``out``.

    The page opens folded when a column would hold more than ``fold_column`` nodes (0: never).

    ``filters`` are those of :func:`visualize.projection.project` (document, measure, sdg_goal,
    fiscal_year).
    """
    from policy_kg.visualize.projection import aggregate, project
    from policy_kg.visualize.views import render_html

    g = project(data, view=view, **filters)
    if view in _AGGREGATABLE:
        g = aggregate(g, max_nodes=max_nodes)
    return render_html(g, title=title or _TITLES.get(view, view), out=Path(out), layout=layout,
                       fold_column=fold_column)


def export(
    data: Graph | Dataset | Backend | Path | str,
    fmt: str,
    out: Path,
    *,
    view: str = "overview",
    max_nodes: int = DEFAULT_MAX_NODES,
    **filters: Any,
) -> Path:
    """Export one view as graphml, gexf, json, csv (a folder), png or svg; returns the path written.

    Data formats carry the full projection with the page's attributes (tooltip, colour, shape,
    position; edge colour and style); images fold projects into measures above ``max_nodes``.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    from policy_kg.visualize.exports import write_network
    from policy_kg.visualize.projection import aggregate, project
    from policy_kg.visualize.views import with_page_attributes

    g = project(data, view=view, **filters)
    if fmt in ("png", "svg") and view in _AGGREGATABLE:
        g = aggregate(g, max_nodes=max_nodes)
    if fmt in ("graphml", "gexf", "json", "csv"):
        g = with_page_attributes(g)  # the tooltip, colour, shape and position the page shows
    return write_network(g, fmt, Path(out))
