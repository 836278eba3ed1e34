"""policy-kg command line: ``policy-kg COMMAND …`` (also ``python build_graph.py COMMAND …``).

Each command is a thin wrapper over importable functions in ``policy_kg.extract``, ``policy_kg.graph``
and ``policy_kg.visualize``. Exit codes (see README): 0 ok · 1 SHACL violations · 2 usage error · 3 a document
or input could not be read · 4 built, but items were dropped · 5 query or endpoint error ·
70 internal error · 73 an output could not be written · 130 interrupted.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from policy_kg import __version__

_HERE = Path(__file__).resolve().parent
# the bundled samples: inside the package in a wheel, beside it in a checkout
SAMPLES_DIR = next((d / "samples" for d in (_HERE, _HERE.parent) if (d / "samples").is_dir()), _HERE / "samples")
DEFAULT_OUT = Path("out")
DEFAULT_GRAPH = DEFAULT_OUT / "graph.trig"


class CliError(Exception):
    """An error for the user: printed as one line, exits with ``exit_code``."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- helpers -------------------------------------------------------------------------------------


def _err(*parts: object) -> None:
    print(*parts, file=sys.stderr)


def _load(graph_path: Path):
    from policy_kg.graph.io import load_graph

    if not graph_path.is_file():
        raise CliError(f"{graph_path}: no built graph here; run `python build_graph.py build` first "
                       "or pass --graph FILE", 3)
    try:
        return load_graph(graph_path)
    except Exception as exc:  # rdflib parser errors come in many types
        raise CliError(f"{graph_path}: cannot parse graph: {exc}", 3) from exc


def _parse_params(items: Sequence[str] | None) -> dict[str, str]:
    params: dict[str, str] = {}
    for item in items or []:
        if "=" not in item:
            raise CliError(f"--param {item!r}: expected KEY=VALUE")
        key, value = item.split("=", 1)
        params[key.strip()] = value
    return params


def _print_rows(columns: list[str], rows: list[list[str]], fmt: str, out=None) -> None:
    out = out or sys.stdout
    if fmt == "csv":
        from policy_kg.graph.io import spreadsheet_safe, terminal_safe

        safe: dict[str, object] = {}  # each distinct cell made safe once: listings repeat codes and IRIs

        def cell(text: str) -> object:
            found = safe.get(text)
            if found is None:
                found = safe[text] = spreadsheet_safe(terminal_safe(text))
            return found

        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([terminal_safe(c) for c in columns])
        writer.writerows([[cell(c) for c in r] for r in rows])
    elif fmt == "json":
        json.dump([dict(zip(columns, r)) for r in rows], out, ensure_ascii=False, indent=1)
        out.write("\n")
    else:
        out.write(format_table(columns, rows))


def format_table(columns: list[str], rows: list[list[str]], max_width: int = 40) -> str:
    """A plain-text table; wide cells are cut with … (use --format csv for full values).

    Control characters are removed and line breaks become spaces (``graph.io.terminal_safe``).
    """
    import unicodedata

    from policy_kg.graph.io import terminal_safe

    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    def cut(s: str) -> str:
        if width(s) <= max_width:
            return s
        out, w = "", 0
        for c in s:
            w += width(c)
            if w > max_width - 1:
                break
            out += c
        return out + "…"

    cells = [[cut(terminal_safe(c, one_line=True)) for c in r] for r in [columns, *rows]]
    widths = [max(width(r[i]) for r in cells) for i in range(len(columns))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(c + " " * (widths[i] - width(c)) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(lines) + "\n"


# --- commands --------------------------------------------------------------------------------------


def cmd_build(args: argparse.Namespace) -> int:
    """``build`` (and its alias ``bulk-build``): documents → graph.trig + report, and/or an on-disk store."""
    from policy_kg.graph.bulk import build_corpus
    from policy_kg.graph.io import OutputError
    from policy_kg.graph.pipeline import EXIT_FAILED_DOCUMENT, expand_inputs

    inputs = args.inputs or [SAMPLES_DIR]
    paths = expand_inputs(inputs)
    if not paths:
        raise CliError(f"no input documents found in {', '.join(map(str, inputs))}", 3)
    store = args.store
    # with --store the store is the output; graph.trig and the report too when --out is given
    out: Path | None = args.out if args.out is not None else (None if store is not None else DEFAULT_OUT)
    total = len(paths)
    counter = {"n": 0}

    def progress(path: Path) -> None:
        counter["n"] += 1
        if not args.quiet and (total > 1 or sys.stderr.isatty()):
            _err(f"[{counter['n']}/{total}] {path.name}")

    # --debug builds in this process, so a failed document's traceback can be shown
    jobs = 1 if args.debug else args.jobs
    try:
        result = build_corpus(paths, out_dir=out, store_dir=store, base=args.base, curate=not args.no_curation,
                              progress=progress, jobs=jobs, cache_dir=args.cache, chunk_size=args.chunk,
                              executor=args.executor, scheduler=args.scheduler, report_text=summary_text)
    except ImportError as exc:  # --executor dask without the extra
        raise CliError(str(exc)) from exc
    except OutputError:
        raise
    except OSError as exc:  # inputs that cannot be read are failures; this is the store, cache or manifest
        raise OutputError.of(store or out or "output", exc) from exc
    for failure in result.failures:
        _err(f"error: {failure}")
        if args.debug and failure.cause is not None:
            _print_traceback(failure.cause)
    if not result.built:  # nothing could be read: the previous outputs stay as they are
        _err(f"error: no document could be read; {store or out} is left as it was")
        return EXIT_FAILED_DOCUMENT
    if not args.quiet:
        if out is not None:
            print(summary_text(result.report(), out / "graph.trig"), end="")
        if store is not None:
            print(result.summary())
    return result.exit_code


def _print_traceback(exc: BaseException) -> None:
    """The traceback of a failure that was caught so the other documents could still be built."""
    import traceback

    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)


def _kind_text(d: dict) -> str:
    """``kpi_review 0.87, engine``: the document's kind, how sure, and what read it."""
    kind = d.get("kind") or {}
    if not kind.get("name"):
        return d["layout"]
    return f"{kind['name']} {kind['confidence']:.2f}, {d['layout']}"


def summary_text(report: dict, graph_file: Path) -> str:
    t = report["totals"]
    lines = [f"Built {t['documents']} document(s) → {graph_file} ({t['quads']} quads)"]
    for d in report["documents"]:
        c = d["counts"]
        sev = {}
        for i in d["issues"]:
            sev[i["severity"]] = sev.get(i["severity"], 0) + i.get("count", 1)
        lines.append(
            f"  {d['file']} [{_kind_text(d)}]: {c['elements']} policy elements, {c['projects']} projects, "
            f"{c['amounts']} amounts, {c['indicators']} indicators ({c['indicator_values']} values), "
            f"{c['logic_model_stages']} logic-model stages, {c['partners']} partner links"
            + (f"; issues: {', '.join(f'{v} {k}' for k, v in sorted(sev.items()))}" if sev else "")
        )
        for i in d["issues"]:
            if i["severity"] in ("dropped", "error"):
                where = f"{d['file']}:{i['line_start']}" if i["line_start"] else d["file"]
                repeated = (f" (×{i['count']}, the last on line {i['last_line_start']})"
                            if i.get("count", 1) > 1 else "")
                lines.append(f"    {i['severity']}: {where}: {i['message']}{repeated}")
    for f in report["failures"]:
        where = f"{f['file']}:{f['line']}" if f["line"] else f["file"]
        lines.append(f"  FAILED {where}: {f['message']}")
    lines.append(
        f"Totals: {t['projects']} projects, {t['amounts']} amounts, {t['indicator_values']} indicator values; "
        f"{t['uncertain']} uncertain, {t['dropped']} dropped, {t['failed']} failed document(s). "
        f"Report: {graph_file.parent / 'report.json'}"
    )
    return "\n".join(lines) + "\n"


def cmd_extract(args: argparse.Namespace) -> int:
    from policy_kg.graph.pipeline import DocumentFailure, expand_inputs, identify, iter_records, write_records

    code = 0
    records = []
    for item in iter_records(expand_inputs(args.inputs), curate=not args.no_curation):
        if isinstance(item, DocumentFailure):
            _err(f"error: {item}")
            if args.debug and item.cause is not None:
                _print_traceback(item.cause)
            code = 3
            continue
        records.append(item)
    for item in identify(records):  # the ids a build gives them: two plan.txt never share a records file
        path = write_records(item, args.records)
        # an ``error`` issue is a parser step that failed, so its items are lost too (see BuildResult)
        dropped = sum(1 for i in item.issues if i.severity in ("dropped", "error"))
        print(f"{item.file_name} → {path} ({len(item.projects)} projects, {len(item.issues)} issues)")
        if dropped and code == 0:
            code = 4
    return code


def cmd_query(args: argparse.Namespace) -> int:
    from policy_kg.graph.query import (
        QueryError,
        check_named_values,
        list_queries,
        load_query,
        run_query,
        spec_from_text,
        unknown_term_hints,
        with_prefixes,
    )

    if args.list:
        import textwrap

        for spec in list_queries():
            params = ", ".join(f"{p.name}:{p.kind}" + ("" if p.required else "?") for p in spec.params)
            print(f"{spec.name:20} {spec.title}" + (f"  [params: {params}]" if params else ""))
            for line in textwrap.wrap(spec.description, 96):
                print(f"{'':20} {line}")
            print(f"{'':20} columns: {', '.join(spec.columns)}")
        return 0
    if args.sparql is not None and args.name:
        raise CliError("query: give a query name or file, or --sparql TEXT, not both")
    if not args.name and args.sparql is None:
        raise CliError("query: name a library query or a .rq file, or give --sparql TEXT (or use --list)")
    try:
        spec = spec_from_text(args.sparql) if args.sparql is not None else load_query(args.name)
        params = _parse_params(args.param)
        if args.endpoint:
            from policy_kg.graph.stores import RemoteBackend

            target = RemoteBackend(args.endpoint, user=args.user, password=args.password,
                                   token=args.token, timeout=args.timeout)
        elif args.store:
            from policy_kg.graph.stores import open_oxigraph

            target = open_oxigraph(args.store)
        else:
            from policy_kg.graph.stores import backend_for

            if not args.graph.is_file():
                _load(args.graph)  # raises the one-line "no built graph here" error
            # an Oxigraph store cached beside the file (rebuilt when it changes); --rdflib: in memory
            target = backend_for(args.graph, store=not args.rdflib)
        result = run_query(target, spec, params=params)
        if not len(result):  # a misspelt document or term: say so instead of an empty table
            check_named_values(target, spec, params)
            for hint in unknown_term_hints(with_prefixes(spec.text)):
                _err(f"hint: {hint}")
    except QueryError as exc:
        raise CliError(str(exc), 5) from exc
    columns = result.columns
    if list(columns[: len(spec.columns)]) != list(spec.columns):
        columns = list(columns)
    if args.format == "json":  # typed: numbers as numbers, booleans as booleans, unbound as null
        from policy_kg.graph.query import json_value

        rows = [{c: json_value(v) for c, v in zip(columns, row)} for row in result.as_python_rows()]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return 0
    _print_rows(columns, result.as_text_rows(), args.format)
    return 0


def cmd_prefixes(args: argparse.Namespace) -> int:
    """The prefixes every query may use undeclared (``graph/namespace.py``), as SPARQL or Turtle."""
    from policy_kg.graph.query import predeclared_prefixes

    keyword = "@prefix" if args.format == "turtle" else "PREFIX"
    end = " ." if args.format == "turtle" else ""
    for prefix, iri in predeclared_prefixes().items():
        print(f"{keyword} {prefix + ':':9} <{iri}>{end}")
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    from policy_kg.graph.query import QueryError, list_checks, run_query
    from policy_kg.graph.stores import backend_for
    from policy_kg.graph.validate import validate_file

    if not args.graph.is_file():
        _load(args.graph)  # raises the one-line "no built graph here" error
    # stages on stderr for a large graph (or at a terminal); the report itself goes to stdout
    loud = sys.stderr.isatty() or args.graph.stat().st_size >= 5_000_000

    def progress(message: str) -> None:
        if loud:
            _err(f"validate: {message}")

    try:
        # the file read by Oxigraph, SDG links checked against the UN list (mixed in)
        result = validate_file(args.graph, include_sdg_reference=True, progress=progress)
    except (SyntaxError, ValueError) as exc:  # pyoxigraph's parse errors
        raise CliError(f"{args.graph}: cannot parse graph: {exc}", 3) from exc
    failed = 0
    if not result.conforms:
        print(result.text)
        _err(f"{args.graph}: {len(result.results)} SHACL violation(s)")
        failed += len(result.results)
    # data checks the shapes cannot state simply: any row a check returns is a defect; they run on
    # the Oxigraph store cached beside the graph, as `query` does
    progress(f"running {len(list_checks())} data checks …")
    try:
        data = backend_for(args.graph, store=True)
    except QueryError as exc:
        raise CliError(f"{args.graph}: cannot parse graph: {exc}", 3) from exc
    for check in list_checks():
        rows = run_query(data, check).as_text_rows()
        if rows:
            print(f"{check.title} ({check.path.name}): {len(rows)} row(s)")
            _print_rows(list(check.columns), rows, "table")
            failed += len(rows)
    if failed:
        return 1
    print(f"{args.graph}: conforms to ontology/shapes.ttl and passes {len(list_checks())} data checks")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from policy_kg.graph.io import RdfFormat, serialize, write_graph

    try:
        fmt = RdfFormat.from_name(args.format)
    except ValueError as exc:
        raise CliError(str(exc)) from exc
    ds = _load(args.graph)
    if args.out:
        write_graph(ds, args.out, fmt)
        _err(f"wrote {args.out}")
    else:
        sys.stdout.buffer.write(serialize(ds, fmt))
    return 0


# --- parser ------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    from policy_kg.graph.identity import DEFAULT_BASE  # not graph.namespace: --help needs no rdflib

    parser = argparse.ArgumentParser(
        prog="policy-kg",
        description="Turn Japanese policy documents into an RDF knowledge graph; query, validate, export.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.add_argument("--version", action="version", version=f"policy-kg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    graph_opt = argparse.ArgumentParser(add_help=False)
    graph_opt.add_argument("--graph", type=Path, default=DEFAULT_GRAPH,
                           help="a built graph (TriG, N-Quads, Turtle, JSON-LD) (default: %(default)s)")

    # bulk-build: the old name of `build --store DIR`, kept as an alias for scripts (the same parser and code)
    p = sub.add_parser("build", aliases=["bulk-build"],
                       help="extract documents and build the graph (default: bundled samples); "
                            "bulk-build is its old name, an alias")
    p.add_argument("inputs", nargs="*", help="documents (.txt, .pdf), records (.records.json) or folders")
    p.add_argument("--out", type=Path, default=None,
                   help=f"folder for graph.trig, report.json and report.txt (default: {DEFAULT_OUT}; "
                        "with --store only when given)")
    p.add_argument("--base", default=DEFAULT_BASE, help="base IRI of data (default: %(default)s)")
    p.add_argument("--no-curation", action="store_true", help="ignore <document>.curation.yaml files")
    p.add_argument("--quiet", "-q", action="store_true", help="no summary or progress")
    add_build_options(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("extract", help="extract documents to records JSON for review")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--records", type=Path, required=True, help="folder for <doc>.records.json")
    p.add_argument("--no-curation", action="store_true")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("query", parents=[graph_opt], help="run a library query, a .rq file or --sparql TEXT")
    p.add_argument("name", nargs="?", help="library query name (see --list) or path to a .rq file")
    p.add_argument("--sparql", metavar="TEXT", help="run this SELECT query (the project's prefixes are predeclared)")
    p.add_argument("--list", action="store_true", help="list library queries with their parameters")
    p.add_argument("--param", action="append", metavar="KEY=VALUE", help="bind a declared parameter")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    p.add_argument("--store", type=Path, help="query an on-disk Oxigraph store instead of --graph")
    p.add_argument("--oxigraph", action="store_true",
                   help="query --graph through an Oxigraph store cached beside it (the default)")
    p.add_argument("--rdflib", action="store_true",
                   help="query --graph parsed into memory by rdflib instead of the cached store (slower)")
    p.add_argument("--endpoint", help="query a remote SPARQL endpoint instead of --graph")
    p.add_argument("--user", help="basic-auth user for --endpoint")
    p.add_argument("--password", help="basic-auth password for --endpoint")
    p.add_argument("--token", help="bearer token for --endpoint")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds (default: %(default)s)")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("prefixes", help="list the prefixes every query may use without declaring them")
    p.add_argument("--format", choices=("sparql", "turtle"), default="sparql")
    p.set_defaults(func=cmd_prefixes)

    p = sub.add_parser("validate", parents=[graph_opt], help="SHACL-validate a built graph (exit 1 on violations)")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("export", parents=[graph_opt], help="export the graph as Turtle, JSON-LD, N-Quads or TriG")
    p.add_argument("--format", default="ttl", help="ttl | jsonld | nq | trig | nt (default: %(default)s)")
    p.add_argument("--out", type=Path, help="output file (default: standard output)")
    p.set_defaults(func=cmd_export)

    _add_optional_commands(sub, graph_opt)
    return parser


def add_build_options(p: argparse.ArgumentParser) -> None:
    """The options ``build`` and its alias ``bulk-build`` share (beyond inputs, --out, --base, …)."""
    p.add_argument("--store", type=Path, default=None,
                   help="an on-disk Oxigraph store to create or bring up to date: unchanged documents are "
                        "skipped, changed ones rewritten triple by triple (the store is then the output)")
    p.add_argument("--cache", type=Path, default=None,
                   help="records cache folder (default with --store: <store>.records-cache beside it)")
    p.add_argument("--jobs", "-j", type=int, default=None,
                   help="workers extracting documents (default: one per core, from 32 documents on)")
    p.add_argument("--chunk", type=int, default=16, help="documents per worker task (default: %(default)s)")
    p.add_argument("--executor", choices=("process", "dask"), default="process",
                   help="where the tasks run: worker processes, or a Dask cluster (a local one of --jobs "
                        "workers, or --scheduler's; needs the extra: pip install 'policy-kg[dask]')")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="a Dask scheduler to run the tasks on (tcp://HOST:8786; implies --executor dask)")


def _add_optional_commands(sub, graph_opt) -> None:
    """Commands contributed by other modules (views, stores), registered when importable."""
    for module in ("policy_kg.visualize.cli", "policy_kg.graph.stores_cli", "policy_kg.graph.bulk_cli"):
        try:
            mod = __import__(module, fromlist=["register"])
        except ImportError:
            continue
        mod.register(sub, graph_opt)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except KeyboardInterrupt:
        _err("interrupted")
        return 130
    except BrokenPipeError:
        # the reader went away (`policy-kg query … | head`): not an error; silence the final flush
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except CliError as exc:
        if args.debug:
            raise
        _err(f"error: {exc}")
        return exc.exit_code
    except Exception as exc:
        if args.debug:
            raise
        from policy_kg.extract.source import ExtractionError
        from policy_kg.graph.io import OutputError

        if isinstance(exc, ExtractionError):
            _err(f"error: {exc}")
            return exc.exit_code
        if isinstance(exc, OutputError):
            from policy_kg.graph.pipeline import EXIT_OUTPUT_ERROR

            _err(f"error: {exc}")
            return EXIT_OUTPUT_ERROR
        _err(f"error: {type(exc).__name__}: {exc} (run with --debug for a traceback)")
        return 3 if isinstance(exc, OSError) else 70


if __name__ == "__main__":
    sys.exit(main())
