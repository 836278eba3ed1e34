"""Write projected graphs for other tools: GraphML, GEXF, node-link JSON, CSV lists, PNG and SVG.

Every export reads back into networkx with the same node and edge counts (tested). Attributes are
made GraphML-safe first: ``None`` dropped, anything not bool/int/float/str turned into a string.
GEXF reserves the edge attributes ``type`` (directedness) and ``label``, so there an edge's ``type``
is written as ``relation`` and as the GEXF edge label.
"""

from __future__ import annotations

import csv
import io
import json
import warnings
from pathlib import Path
from typing import Any

import networkx as nx

from policy_kg.graph.io import atomic_write_bytes, atomic_write_files, from_spreadsheet_safe, spreadsheet_safe
from policy_kg.visualize.layout import compute_positions
from policy_kg.visualize.options import FORMATS

__all__ = ["FORMATS", "CJK_FONTS", "safe_graph", "write_network", "read_network", "find_cjk_font"]

# Fonts with Japanese glyphs, in order of preference (Debian: fonts-noto-cjk, fonts-ipafont-gothic).
CJK_FONTS = (
    "Noto Sans CJK JP", "Noto Sans JP", "Source Han Sans JP", "IPAexGothic", "IPAGothic", "IPAPGothic",
    "TakaoGothic", "VL Gothic", "Hiragino Sans", "Yu Gothic", "MS Gothic",
)
IMAGE_LABELS_MAX_NODES = 300  # above this the picture shows structure only


def _safe_value(value: Any) -> bool | int | float | str | None:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def _safe_attrs(attrs: dict[str, Any]) -> dict[str, Any]:
    return {str(k): _safe_value(v) for k, v in attrs.items() if v is not None}


def safe_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    """A copy of ``g`` whose graph, node and edge attributes are all bool/int/float/str."""
    out = nx.MultiDiGraph(**_safe_attrs(dict(g.graph)))
    out.add_nodes_from((str(n), _safe_attrs(d)) for n, d in g.nodes(data=True))
    out.add_edges_from((str(u), str(v), k, _safe_attrs(d)) for u, v, k, d in g.edges(keys=True, data=True))
    return out


def _gexf_graph(g: nx.MultiDiGraph) -> nx.MultiDiGraph:
    out = nx.MultiDiGraph()
    out.add_nodes_from(g.nodes(data=True))
    for u, v, k, d in g.edges(keys=True, data=True):
        attrs = {name: value for name, value in d.items() if name not in ("type", "label", "id")}
        attrs["relation"] = attrs["label"] = d.get("type", "")
        out.add_edge(u, v, key=k, **attrs)
    return out


def write_network(g: nx.MultiDiGraph, fmt: str, out: Path) -> Path:
    """Write ``g`` in ``fmt`` at ``out`` (for ``csv``, ``out`` is a folder of nodes.csv and edges.csv)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    out = Path(out)
    safe = safe_graph(g)
    # rendered in memory, then written atomically: a failed export never leaves a half-written file
    buffer = io.BytesIO()
    if fmt == "graphml":
        nx.write_graphml(safe, buffer, encoding="utf-8")
    elif fmt == "gexf":
        writer = nx.readwrite.gexf.GEXFWriter(encoding="utf-8", prettyprint=True)
        # networkx stamps today's date on the file: the same graph must give the same bytes every day
        writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
        writer.add_graph(_gexf_graph(safe))
        writer.write(buffer)
    elif fmt == "json":
        data = nx.node_link_data(safe, edges="edges")
        buffer.write(json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))
    elif fmt == "csv":
        atomic_write_files(_csv_files(safe, out))
        return out
    else:
        _write_image(safe, buffer, fmt)
    atomic_write_bytes(out, buffer.getvalue())
    return out


def read_network(fmt: str, path: Path) -> nx.MultiDiGraph:
    """Read an export back into networkx (used by tests and by anyone checking a file)."""
    path = Path(path)
    if fmt == "graphml":
        return nx.MultiDiGraph(nx.read_graphml(path, force_multigraph=True))
    if fmt == "gexf":
        return nx.MultiDiGraph(nx.read_gexf(path))
    if fmt == "json":
        data = json.loads(path.read_text(encoding="utf-8"))
        return nx.MultiDiGraph(nx.node_link_graph(data, directed=True, multigraph=True, edges="edges"))
    if fmt == "csv":
        return _read_csv(path)
    raise ValueError(f"cannot read back format {fmt!r}")


def _columns(rows: list[dict[str, Any]], first: list[str]) -> list[str]:
    seen = {name for row in rows for name in row}
    return first + sorted(seen - set(first))


def _csv_files(g: nx.MultiDiGraph, folder: Path) -> dict[Path, bytes]:
    """nodes.csv and edges.csv of ``g`` in ``folder`` (UTF-8 with BOM, for spreadsheets)."""
    nodes = [{"id": n, **d} for n, d in g.nodes(data=True)]
    edges = [{"source": u, "target": v, "key": k, **d} for u, v, k, d in g.edges(keys=True, data=True)]
    files: dict[Path, bytes] = {}
    for name, rows, first in (
        ("nodes.csv", nodes, ["id", "type", "label"]),
        ("edges.csv", edges, ["source", "target", "key", "type"]),
    ):
        cols = _columns(rows, first)
        handle = io.StringIO(newline="")
        writer = csv.DictWriter(handle, fieldnames=cols, restval="")
        writer.writeheader()
        writer.writerows({k: spreadsheet_safe(v) for k, v in r.items()} for r in rows)
        files[folder / name] = handle.getvalue().encode("utf-8-sig")
    return files


def _read_csv(folder: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    with (folder / "nodes.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            node = row.pop("id")
            g.add_node(from_spreadsheet_safe(node), **{k: from_spreadsheet_safe(v) for k, v in row.items() if v != ""})
    with (folder / "edges.csv").open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            u, v, key = (from_spreadsheet_safe(row.pop(c)) for c in ("source", "target", "key"))
            g.add_edge(u, v, key=key, **{k: from_spreadsheet_safe(val) for k, val in row.items() if val != ""})
    return g


def find_cjk_font() -> str | None:
    """The family name of an installed font with Japanese glyphs that matplotlib can use, if any."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _write_image(g: nx.MultiDiGraph, out: Path | io.BytesIO, fmt: str) -> None:
    """Draw ``g`` with matplotlib (optional dependency) at the positions the HTML view uses."""
    try:
        import matplotlib
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise RuntimeError("PNG/SVG export needs matplotlib: pip install matplotlib") from exc
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    from policy_kg.visualize.views import EDGE_STYLE, TYPE_STYLE, edge_style

    font = find_cjk_font()
    if font is None:
        warnings.warn("no CJK font found; Japanese labels will not render (install fonts-noto-cjk)", stacklevel=3)
    positions = compute_positions(g)
    n = g.number_of_nodes()
    size = min(40.0, max(8.0, n ** 0.5 * 1.2))
    # svg.fonttype "none": SVG text stays text (editable in Inkscape or Illustrator), not glyph outlines;
    # a fixed svg.hashsalt and no date, so the same graph gives the same SVG bytes every run
    rc = {"font.family": [font, "sans-serif"] if font else ["sans-serif"], "svg.fonttype": "none",
          "svg.hashsalt": "policy-kg"}
    with plt.rc_context(rc):
        fig, ax = plt.subplots(figsize=(size * 1.4, size))
        kinds = set()
        for u, v, d in g.edges(data=True):
            (x1, y1), (x2, y2) = positions[u], positions[v]
            kind, colour, dashed = edge_style(d)  # the page's colours and dashes
            kinds.add(kind)
            ax.plot([x1, x2], [-y1, -y2], "--" if dashed else "-", color=colour, linewidth=0.8, zorder=1)
        handles = []
        for type_, (colour, _, text) in TYPE_STYLE.items():
            members = [m for m, d in g.nodes(data=True) if d.get("type") == type_]
            if not members:
                continue
            xs = [positions[m][0] for m in members]
            ys = [-positions[m][1] for m in members]
            ax.scatter(xs, ys, s=60, color=colour, zorder=2, edgecolors="white", linewidths=0.5)
            handles.append(Line2D([], [], marker="o", linestyle="", color=colour, label=f"{text} ({len(members)})"))
        if n <= IMAGE_LABELS_MAX_NODES:
            for m, d in g.nodes(data=True):
                label = str(d.get("label", m))
                x, y = positions[m]
                ax.annotate(label[:24], (x, -y), fontsize=7, xytext=(0, -9), textcoords="offset points", ha="center")
        for kind, (colour, dashed, text) in EDGE_STYLE.items():
            if kind in kinds:  # the legend lists the link styles drawn, as the page's legend does
                handles.append(Line2D([], [], linestyle="--" if dashed else "-", color=colour, linewidth=1.6, label=text))
        ax.legend(handles=handles, loc="upper right", fontsize=8)
        title = f"policy-kg — {g.graph.get('view', '')}"
        ax.set_title(title)
        ax.set_axis_off()
        fig.tight_layout()
        fig.savefig(out, format=fmt, dpi=110, metadata={"Date": None} if fmt == "svg" else None)
        plt.close(fig)
