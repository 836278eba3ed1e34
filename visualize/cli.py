"""Command-line wrappers: ``visualize``, ``analyze`` and ``export-network`` for ``build_graph.py``.

Each command is a thin layer over :mod:`visualize`. Exit codes follow the CLI's: 0 ok, 2 usage
error (unknown document/measure, bad option), 3 no readable graph.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

# only names here: drawing and analysing (networkx, rdflib) is imported by the command that runs
from policy_kg.visualize.options import ANALYSIS_NAMES, DEFAULT_MAX_NODES, FOLD_COLUMN, FORMATS, PAGES, VIEWS

__all__ = ["register"]

EXIT_USAGE = 2
EXIT_NO_GRAPH = 3


def _filters_parent() -> argparse.ArgumentParser:
    filters = argparse.ArgumentParser(add_help=False)
    filters.add_argument("--document", help="only this document (file name, document id or IRI)")
    filters.add_argument("--measure", help="only projects under this measure (IRI or exact label)")
    filters.add_argument("--sdg-goal", help="only projects linked to this SDG goal (e.g. 8)")
    filters.add_argument("--fiscal-year", type=_year, help="budgets of this fiscal year: 2023, 令和5, R5, H30 "
                         "(default: latest)")
    return filters


def _year(text: str) -> int:
    """A fiscal year as typed: Gregorian (2023) or an era year (令和5, R5, H30)."""
    from policy_kg.graph.query import parse_year

    try:
        return parse_year(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def register(subparsers: Any, graph_opt: argparse.ArgumentParser) -> None:
    """Add ``visualize``, ``analyze`` and ``export-network`` to the policy-kg command line."""
    filters = _filters_parent()
    p = subparsers.add_parser(
        "visualize", parents=[graph_opt, filters],
        help="write interactive offline HTML network views (sdg, logic-model, organisations, overview)",
    )
    p.add_argument("view", nargs="?", choices=[*VIEWS, *PAGES, "all"], default="all",
                   help="view to draw; 'explorer' is the search-and-follow page, 'budget' the Sankey and "
                        "SDG coverage matrix (default: %(default)s)")
    p.add_argument("--out", type=Path, default=None,
                   help="FILE.html for one view, or a folder for <view>.html (default: out/views; "
                        "explorer: out/site/index.html)")
    p.add_argument("--layout", default="auto", help="auto | layered | steps | spring (default: %(default)s)")
    p.add_argument("--max-nodes", type=int, default=DEFAULT_MAX_NODES,
                   help="fold projects into measures above this many nodes (default: %(default)s)")
    p.add_argument("--fold-column", type=int, default=FOLD_COLUMN,
                   help="open a view folded (click to open) when a column holds more than this many "
                        "nodes; 0 never folds (default: %(default)s)")
    p.set_defaults(func=cmd_visualize)

    p = subparsers.add_parser("analyze", parents=[graph_opt], help="planner's analyses as tables or CSV files")
    p.add_argument("--only", choices=list(ANALYSIS_NAMES), help="run one analysis")
    p.add_argument("--format", choices=("table", "csv"), default="table",
                   help="print tables, or CSV (one block per analysis, headed '# <name>')")
    p.add_argument("--csv", type=Path, metavar="DIR", help="also write <analysis>.csv files into DIR")
    p.set_defaults(func=cmd_analyze)

    p = subparsers.add_parser(
        "export-network", parents=[graph_opt, filters],
        help="export a network view as GraphML, GEXF, node-link JSON, CSV, PNG or SVG",
    )
    p.add_argument("--format", choices=FORMATS, required=True)
    p.add_argument("--view", choices=VIEWS, default="overview", help="(default: %(default)s)")
    p.add_argument("--out", type=Path, required=True, help="output file (a folder for csv)")
    p.set_defaults(func=cmd_export_network)


def _load(path: Path) -> Any:
    """The facts source of a built graph: the Oxigraph store cached beside it, as ``query`` uses
    (built on first use, rebuilt when the file changes); the file itself is never parsed by rdflib."""
    from policy_kg.graph.query import QueryError
    from policy_kg.visualize.facts import load_data

    if not path.is_file():
        print(f"{path}: no built graph here; run `python build_graph.py build` first or pass --graph FILE",
              file=sys.stderr)
        return None
    try:
        return load_data(path)
    except QueryError as exc:  # not RDF, or in no format the store reads
        print(f"{path}: cannot read graph: {exc}", file=sys.stderr)
        return None


def _filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"document": args.document, "measure": args.measure, "sdg_goal": args.sdg_goal,
            "fiscal_year": args.fiscal_year}


def _page(args: argparse.Namespace, data: Any) -> Path:
    if args.view == "explorer":
        from policy_kg.visualize.explorer import render_explorer

        return render_explorer(data, args.out or Path("out/site"))
    from policy_kg.visualize.budget import render_budget

    out = args.out or Path("out/views")
    if out.suffix.lower() not in (".html", ".htm"):
        out = out / "budget.html"
    return render_budget(data, out, fiscal_year=args.fiscal_year, document=args.document)


def cmd_visualize(args: argparse.Namespace) -> int:
    from policy_kg.visualize import render_view

    data = _load(args.graph)
    if data is None:
        return EXIT_NO_GRAPH
    if args.view in PAGES:
        try:
            print(_page(args, data))
        except (ValueError, RuntimeError) as exc:
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_USAGE
        return 0
    if args.out is None:
        args.out = Path("out/views")
    views = VIEWS if args.view == "all" else (args.view,)
    single_file = len(views) == 1 and args.out.suffix.lower() in (".html", ".htm")
    try:
        for view in views:
            target = args.out if single_file else args.out / f"{view}.html"
            out = render_view(data, view, out=target, layout=args.layout,
                              max_nodes=args.max_nodes, fold_column=args.fold_column, **_filters(args))
            print(out)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0


def cmd_analyze(args: argparse.Namespace) -> int:
    from policy_kg.visualize.analytics import analyze, format_table, write_csv

    data = _load(args.graph)
    if data is None:
        return EXIT_NO_GRAPH
    results = analyze(data)
    for name, rows in results.items():
        if args.only and name != args.only:
            continue
        if args.format == "csv":
            print(f"# {name}")
            write_csv(rows, sys.stdout)
        else:
            print(f"== {name} ({len(rows)} rows)")
            print(format_table(rows))
        print()
        if args.csv:
            write_csv(rows, args.csv / f"{name}.csv")
    return 0


def cmd_export_network(args: argparse.Namespace) -> int:
    from policy_kg.visualize import export

    data = _load(args.graph)
    if data is None:
        return EXIT_NO_GRAPH
    try:
        print(export(data, args.format, args.out, view=args.view, **_filters(args)))
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return 0
