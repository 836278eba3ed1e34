"""CLI commands over ``graph.stores``: ``serve``, ``push`` and ``load`` (registered by build_graph.py).

``serve``  runs a real SPARQL endpoint (the Oxigraph server) on a built graph, read-only and bound
           to 127.0.0.1 unless told otherwise, and beside it the query page (``graph.query_page``:
           the query library and examples as tabs, the explorer at /explorer); Ctrl-C stops both.
``push``   uploads the graph to a SPARQL server, one named graph per document, replacing it.
``load``   builds or refreshes an on-disk Oxigraph store, which ``query --store DIR`` then reads.

Exit codes follow build_graph.py: 2 usage, 3 unreadable input, 5 query or endpoint error.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path
from types import ModuleType

DEFAULT_PORT = 7878
# Seconds a query may evaluate on `serve` before Oxigraph cancels it (its --timeout-s).
DEFAULT_QUERY_TIMEOUT = 30.0
# Resident memory above which `serve` restarts the server: Oxigraph 0.5 materialises an ORDER BY
# input without bound and its timeout does not stop that (oxigraph/oxigraph#1871).
DEFAULT_MAX_MEMORY_MIB = 4096
# How often the memory of the server is looked at.
MEMORY_POLL_SECONDS = 0.2
# After Ctrl-C: how long the server gets to stop on the forwarded signal, then on SIGTERM.
STOP_GRACE_SECONDS = 5.0


def register(subparsers, graph_opt: argparse.ArgumentParser) -> None:
    """Add ``serve``, ``push`` and ``load`` to the policy-kg command line."""
    auth_opt = argparse.ArgumentParser(add_help=False)
    auth_opt.add_argument("--user", help="basic-auth user")
    auth_opt.add_argument("--password", help="basic-auth password")
    auth_opt.add_argument("--token", help="bearer token (instead of --user/--password)")
    auth_opt.add_argument("--timeout", type=float, default=60.0, help="seconds per request (default: %(default)s)")

    p = subparsers.add_parser(
        "serve", parents=[graph_opt],
        help="serve the graph as a SPARQL endpoint (Oxigraph server; read-only, 127.0.0.1)",
        description="Start the Oxigraph SPARQL server on the built graph (or an on-disk store). "
                    "Queries see the union of all documents' graphs. Ctrl-C stops it.",
    )
    p.add_argument("--store", type=Path, help="serve this on-disk store (built from --graph if missing)")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="port; 0 picks a free one (default: %(default)s)")
    p.add_argument("--writable", action="store_true",
                   help="accept SPARQL Update and Graph Store writes (refused by default)")
    p.add_argument("--timeout", type=float, default=DEFAULT_QUERY_TIMEOUT, metavar="SECONDS",
                   help="stop a query after this many seconds of evaluation; 0: no limit (default: %(default)s)")
    p.add_argument("--max-memory", type=int, default=DEFAULT_MAX_MEMORY_MIB, metavar="MIB",
                   help="restart the server when it holds more memory than this (a query the timeout cannot "
                        "stop, such as ORDER BY over a huge result); 0: no limit (default: %(default)s)")
    p.add_argument("--page-port", type=int, default=None, metavar="PORT",
                   help="port of the query page (the library as tabs; the explorer at /explorer); "
                        "default: --port + 1 if free, else any free port")
    p.set_defaults(func=cmd_serve)

    p = subparsers.add_parser(
        "push", parents=[graph_opt, auth_opt],
        help="upload the graph to a SPARQL server, replacing each document's graph",
    )
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--endpoint", metavar="URL", help="SPARQL 1.1 Graph Store Protocol URL (PUT ?graph=…)")
    target.add_argument("--update", metavar="URL", help="SPARQL 1.1 Update URL (DROP + INSERT DATA)")
    p.set_defaults(func=cmd_push)

    p = subparsers.add_parser(
        "load", parents=[graph_opt],
        help="build or refresh an on-disk Oxigraph store from the graph (for query --store)",
    )
    p.add_argument("--store", type=Path, required=True, help="store folder (replaced atomically)")
    p.set_defaults(func=cmd_load)


# --- commands ----------------------------------------------------------------------------------------


def _cli() -> ModuleType:
    """The CLI module, whose ``CliError`` its ``main()`` catches (imported late: it imports this module)."""
    from policy_kg import cli

    return cli


def CliError(message: str, exit_code: int = 2) -> Exception:  # noqa: N802 — reads as the class
    return _cli().CliError(message, exit_code)



def cmd_load(args: argparse.Namespace) -> int:
    from policy_kg.graph.query import QueryError
    from policy_kg.graph.stores import graph_quad_counts, is_oxigraph_store, load_file

    _require_graph(args.graph)
    store: Path = args.store
    if store.exists() and not (store.is_dir() and (is_oxigraph_store(store) or not any(store.iterdir()))):
        raise CliError(f"{store}: exists and is not an Oxigraph store; choose another --store", 2)
    started = time.perf_counter()
    try:
        backend = load_file(args.graph, store)
    except QueryError as exc:
        raise CliError(str(exc), 3) from exc
    except OSError as exc:  # the graph was read (a QueryError otherwise): the store could not be written
        from policy_kg.graph.io import OutputError

        raise OutputError.of(store, exc) from exc
    counts = graph_quad_counts(backend)
    print(f"Loaded {args.graph} → {store}: {sum(counts.values())} quads in {len(counts)} named graphs "
          f"({time.perf_counter() - started:.1f} s). Query it with `query --store {store} NAME`.")
    return 0


def cmd_push(args: argparse.Namespace) -> int:
    from policy_kg.graph.query import QueryError
    from policy_kg.graph.stores import push

    for option, url in (("--endpoint", args.endpoint), ("--update", args.update)):
        if url is not None:
            _require_http_url(option, url)
    ds = _cli()._load(args.graph)
    try:
        report = push(ds, graph_store=args.endpoint, update=args.update, user=args.user,
                      password=args.password, token=args.token, timeout=args.timeout)
    except QueryError as exc:
        raise CliError(str(exc), 5) from exc
    for name, triples in report.graphs:
        print(f"  {name}: {triples} triples")
    print(f"Pushed {len(report.graphs)} graph(s), {report.triples} triples, to {args.endpoint or args.update} "
          f"({'Graph Store PUT' if report.method == 'graph-store' else 'SPARQL Update'}).")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    from policy_kg.graph.query import QueryError
    from policy_kg.graph.stores import OxigraphServer, free_port

    if args.port < 0 or args.port > 65535:
        raise CliError(f"--port {args.port}: not a TCP port", 2)
    if not args.timeout >= 0:
        raise CliError(f"--timeout {args.timeout:g}: give a number of seconds (0 for no limit)", 2)
    if args.max_memory < 0:
        raise CliError(f"--max-memory {args.max_memory}: give a number of MiB (0 for no limit)", 2)
    _require_free_port(args.host, args.port)  # before anything is loaded or printed
    temporary: Path | None = None
    try:
        location, union, temporary = _store_to_serve(args)
        port = args.port or free_port(args.host)
        server = OxigraphServer(location, host=args.host, port=port, writable=args.writable, union=union,
                                timeout=args.timeout or None)
        try:
            server.start()
        except KeyboardInterrupt:
            server.stop()
            raise
        try:
            page = _start_page(args, server)
        except BaseException:
            server.stop()
            raise
        try:
            _print_banner(server, location, temporary is not None, args.max_memory, page=page)
            return _run_until_stopped(server, max_rss=args.max_memory * 1024 * 1024)
        finally:
            page.stop()
    except QueryError as exc:
        raise CliError(str(exc), 5) from exc
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


# --- serve helpers -------------------------------------------------------------------------------------


def _require_free_port(host: str, port: int) -> None:
    """Fail with exit 5 (server error), naming host and port, when the port cannot be bound."""
    from policy_kg.graph.stores import port_in_use

    try:
        busy = port != 0 and port_in_use(host, port)
    except (OSError, UnicodeError) as exc:  # an address that does not resolve or is not local
        raise CliError(f"--host {host}: cannot listen there: {exc}", 5) from exc
    except OverflowError as exc:
        raise CliError(f"--port {port}: not a TCP port", 2) from exc
    if busy:
        raise CliError(f"port {port} on {host} is already in use; stop what holds it or choose another "
                       "--port (0 picks a free one)", 5)


def _require_http_url(option: str, url: str) -> None:
    """A usage error (exit 2) unless ``url`` is an absolute http(s) URL with a host."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        ok = parts.scheme in ("http", "https") and bool(parts.hostname) and not any(c.isspace() for c in url)
        parts.port  # noqa: B018 — raises ValueError on a port that is not a number
    except ValueError:
        ok = False
    if not ok:
        raise CliError(f"{option} {url!r}: not an http:// or https:// URL (e.g. http://127.0.0.1:7878/store)", 2)


def _require_graph(graph: Path) -> None:

    if not graph.is_file():
        raise CliError(f"{graph}: no built graph here; run `python build_graph.py build` first "
                       "or pass --graph FILE", 3)


def _store_to_serve(args: argparse.Namespace) -> tuple[Path, bool, Path | None]:
    """The store folder to serve, whether the server must form the union itself, and a temp folder.

    Read-only: the store's default graph already holds the merge of all graphs (no server union).
    Writable: writes go to named graphs, so the server forms the union (``--union-default-graph``)
    and the merge copy is dropped; without ``--store`` a temporary copy takes the writes.
    """
    from policy_kg.graph.query import QueryError
    from policy_kg.graph.stores import cached_store, is_merged, is_oxigraph_store, load_file, unmerge_default_graph

    if args.store is not None and is_oxigraph_store(args.store):
        location: Path = args.store
    elif args.store is not None:
        _require_graph(args.graph)
        try:
            load_file(args.graph, args.store, merge=not args.writable)
        except QueryError as exc:
            raise CliError(str(exc), 3) from exc
        location = args.store
    elif args.writable:
        _require_graph(args.graph)
        temporary = Path(tempfile.mkdtemp(prefix="policy-kg-serve-"))
        try:
            load_file(args.graph, temporary / "store", merge=False)
        except QueryError as exc:
            shutil.rmtree(temporary, ignore_errors=True)
            raise CliError(str(exc), 3) from exc
        return temporary / "store", True, temporary
    else:
        _require_graph(args.graph)
        try:
            location = cached_store(args.graph).path  # type: ignore[assignment]
        except QueryError as exc:
            raise CliError(str(exc), 3) from exc
    import pyoxigraph

    # Opened only to read or fix the merge marker; released before the server opens the folder.
    store = pyoxigraph.Store(str(location)) if args.writable else pyoxigraph.Store.read_only(str(location))
    if args.writable:
        unmerge_default_graph(store)
    merged = is_merged(store)
    del store
    return location, not merged, None


def _start_page(args: argparse.Namespace, server):
    """The query page (``graph.query_page``) on ``--page-port``, asking ``server``; started."""
    from policy_kg.graph.query_page import QueryPage
    from policy_kg.graph.stores import free_port, port_in_use

    port = args.page_port
    if port is None:
        port = server.port + 1 if server.port < 65535 and not port_in_use(args.host, server.port + 1) else 0
    if port and port_in_use(args.host, port):
        raise CliError(f"--page-port {port} on {args.host} is already in use; choose another (0 picks a free one)", 5)
    # the explorer draws the graph file, so only when that file is what is served (not another --store)
    graph = args.graph if args.store is None and args.graph is not None and Path(args.graph).is_file() else None
    try:
        return QueryPage(server.query_url, host=args.host, port=port or free_port(args.host),
                         explorer_source=graph, timeout=max(args.timeout or 0, 60)).start()
    except OSError as exc:
        raise CliError(f"the query page cannot listen on {args.host}: {exc}", 5) from exc


def _print_banner(server, location: Path, temporary: bool, max_memory: int = 0, page=None) -> None:
    mode = "read-write" if server.writable else "read-only"
    print(f"Oxigraph SPARQL server ({mode}) on {location}")
    if page is not None:
        print(f"  query page:       {page.url}  (the query library and examples as tabs; prefixes predeclared)")
        if page.explorer_source is not None:
            print(f"  explorer:         {page.url}explorer")
        print(f"  Yasgui (Oxigraph): {server.base_url}/")
    else:
        print(f"  query page:       {server.base_url}/")
    print(f"  SPARQL endpoint:  {server.query_url}")
    if server.writable:
        print(f"  SPARQL update:    {server.update_url}")
        print(f"  graph store:      {server.store_url}")
        if temporary:
            print("  (a temporary copy of the graph: writes are lost when the server stops; "
                  "use --store DIR to keep them)")
    else:
        print("  SPARQL Update and Graph Store writes are refused (use --writable to allow them)")
    limits = [f"a query is cancelled after {server.timeout:g} s (--timeout)" if server.timeout
              else "no query timeout (--timeout 0)"]
    if max_memory:
        limits.append(f"the server is restarted above {max_memory} MiB (--max-memory)")
    print(f"  limits: {'; '.join(limits)}")
    print("Press Ctrl-C to stop.", flush=True)


def _restart(server, max_rss: int) -> None:
    """Kill a server that outgrew ``max_rss`` and start it again, saying so on stderr."""
    held = (server.rss() or 0) // (1024 * 1024)
    server.process.kill()
    server.process.wait(timeout=30)
    print(f"warning: the Oxigraph server held {held} MiB, more than --max-memory {max_rss // (1024 * 1024)}: "
          "restarted it; the query that grew it was dropped (ORDER BY over a huge result? "
          "oxigraph/oxigraph#1871)", file=sys.stderr, flush=True)
    server.start()


def _run_until_stopped(server, max_rss: int = 0) -> int:
    """Wait for the server; forward SIGINT/SIGTERM to it, escalate if it lingers, exit 0 when asked.

    With ``max_rss`` (bytes) a server holding more memory is killed and started again on the same
    port: the query that grew it is lost (its client sees the connection drop), the others go on.
    """

    requested: dict[str, float] = {}

    def forward(signum: int, _frame: object) -> None:
        requested.setdefault("at", time.monotonic())
        server.send_signal(signum)

    previous = {s: signal.signal(s, forward) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        while server.process.poll() is None:
            time.sleep(MEMORY_POLL_SECONDS if max_rss else 0.1)
            if max_rss and "at" not in requested and (server.rss() or 0) > max_rss:
                _restart(server, max_rss)
                continue
            if "at" in requested:
                waited = time.monotonic() - requested["at"]
                if waited > 2 * STOP_GRACE_SECONDS:
                    server.process.kill()
                elif waited > STOP_GRACE_SECONDS:
                    server.send_signal(signal.SIGTERM)  # a signal it ignored (inherited SIG_IGN)
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    if "at" in requested:
        print("Server stopped.", file=sys.stderr)
        return 0
    raise CliError(f"the Oxigraph server exited by itself with code {server.process.returncode}", 5)
