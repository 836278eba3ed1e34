"""Reading a built corpus (issue 18, not a test): wide listings and views, before and after, in one run.

    .venv/bin/python bench/bench_corpus_reads.py [--documents 200] [--work DIR] [--runs 3]
                                                 [--graph FILE] [--before-code DIR]

Generates ``--documents`` documents (``bench/generate.py``, seed 2024, as ``bench_scale.py`` does) and
builds them with ``policy-kg build`` into ``--work`` (both kept for the next run), or reads
``--graph``. The Oxigraph store cached beside the graph is built first and timed on its own (once
per graph; every later command reuses it). Then, medians of ``--runs``, before and after measured
alternately in this process:

* the whole-corpus listings ``budgets`` and ``funding`` as ``query --format csv`` writes them. Before:
  the query's ORDER BY evaluated by Oxigraph, every cell converted to an rdflib term and then to
  text, every cell made spreadsheet- and terminal-safe (the code before this change, restated
  here). After: ``graph.query.run_query`` (ORDER BY in Python, text straight from the Oxigraph
  terms) and the CLI's CSV writer. The rows are checked to be the same, in the same order;
* the facts every view reads (``visualize.facts.load_facts``), one run. Before: the graph parsed by
  rdflib (``graph.io.load_graph``, as ``visualize`` did) and queried there. After: queried on the
  cached store.

End to end, as separate processes: ``policy-kg query budgets --format csv`` and ``policy-kg visualize
overview``; with ``--before-code DIR`` (a checkout of the code before, e.g. ``git archive <commit>``
unpacked) the same commands are run with that code first, on the same graph.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_kg.graph.io import load_graph, spreadsheet_safe, terminal_safe  # noqa: E402
from policy_kg.graph.query import QueryResult, load_query, run_query, with_prefixes  # noqa: E402
from policy_kg.graph.stores import _cached_converter, backend_for, cached_store_path, is_oxigraph_store  # noqa: E402
from policy_kg.visualize.facts import load_data, load_facts  # noqa: E402

LISTINGS = ("budgets", "funding")


def corpus_graph(work: Path, documents: int) -> Path:
    """graph.trig of ``documents`` generated documents, generated and built once per work folder."""
    from bench.generate import cities_for, generate_corpus

    corpus, out = work / "corpus", work / "out"
    marker = corpus / f".generated-{documents}"
    if not marker.exists():
        import shutil

        shutil.rmtree(corpus, ignore_errors=True)
        generate_corpus(corpus, cities_for(documents), seed=2024, max_documents=documents, expected=False)
        marker.touch()
        (out / "graph.trig").unlink(missing_ok=True)
    graph = out / "graph.trig"
    if not graph.is_file():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "policy_kg.cli", "build", str(corpus), "--out", str(out), "--quiet"],
                       check=False)
        print(f"built {documents} documents in {time.perf_counter() - start:.1f} s", file=sys.stderr)
    if not graph.is_file():
        raise SystemExit(f"{graph}: the build wrote no graph")
    return graph


def listing_before(backend, name: str) -> list[list[str]]:
    """The listing as the code before this change made it: the engine's ORDER BY, rdflib terms, text."""
    spec = load_query(name)
    solutions = backend.store.query(with_prefixes(spec.text), use_default_graph_as_union=not backend.merged)
    columns = [v.value for v in solutions.variables]
    convert = _cached_converter()
    rows = [tuple(convert(s[i]) for i in range(len(columns))) for s in solutions]
    return QueryResult(columns, rows).as_text_rows()


def csv_before(rows: list[list[str]]) -> str:
    import csv

    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([[spreadsheet_safe(terminal_safe(c)) for c in r] for r in rows])
    return out.getvalue()


def csv_after(columns: list[str], rows: list[list[str]]) -> str:
    from policy_kg.cli import _print_rows

    out = io.StringIO()
    _print_rows(columns, rows, "csv", out)
    return out.getvalue().split("\n", 1)[1]  # without the header the old writer's caller printed


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def alternate(before: Callable[[], object], after: Callable[[], object], runs: int) -> tuple[float, float, object, object]:
    """Medians of ``runs`` of each, measured alternately (a busy machine slows both alike)."""
    b_times, a_times, b_value, a_value = [], [], None, None
    for _ in range(runs):
        t, b_value = timed(before)
        b_times.append(t)
        t, a_value = timed(after)
        a_times.append(t)
    return statistics.median(b_times), statistics.median(a_times), b_value, a_value


def _cli(code: Path | None, args: list[str], runs: int, cwd: str) -> float:
    """Median seconds of ``policy-kg ARGS``; with ``code`` that checkout's package is imported (run
    from ``cwd``, not the checkout: ``python -m`` puts the current folder first on the path)."""
    env = dict(os.environ)
    if code is not None:
        env["PYTHONPATH"] = str(Path(code).resolve())
        where = subprocess.run([sys.executable, "-c", "import policy_kg; print(policy_kg.__file__)"], env=env,
                               cwd=cwd, check=True, capture_output=True, text=True).stdout.strip()
        if not Path(where).resolve().is_relative_to(Path(code).resolve()):
            raise SystemExit(f"--before-code {code}: policy_kg is imported from {where} instead")
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "policy_kg.cli", *args], check=True, env=env, cwd=cwd,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=200)
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "policy-kg-bench-reads")
    parser.add_argument("--graph", type=Path, help="a built graph to read instead of a generated corpus")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--before-code", type=Path, help="the code before, for the end-to-end commands")
    parser.add_argument("--skip-cli", action="store_true", help="no end-to-end commands")
    args = parser.parse_args(argv)
    graph = (args.graph or corpus_graph(args.work, args.documents)).resolve()
    print(f"graph: {graph} ({graph.stat().st_size / 1e6:.1f} MB)")

    fresh = not is_oxigraph_store(cached_store_path(graph))
    seconds, backend = timed(lambda: backend_for(graph, store=True))
    print(f"cached store: {'built' if fresh else 'opened'} in {seconds:.2f} s ({len(backend.store):,} quads)")

    print(f"\n{'':34}{'before':>10}{'after':>10}{'ratio':>9}")
    for name in LISTINGS:
        before, after, old, new = alternate(lambda name=name: listing_before(backend, name),
                                            lambda name=name: run_query(backend, name).as_text_rows(), args.runs)
        assert old == new, f"{name}: the rows differ"
        print(f"{name + ' rows (' + format(len(new), ',') + ')':34}{before:>9.2f}s{after:>9.2f}s{before / after:>8.1f}x")
        columns = list(load_query(name).columns)
        b_csv, a_csv, old_text, new_text = alternate(lambda rows=new: csv_before(rows),
                                                     lambda rows=new, columns=columns: csv_after(columns, rows), args.runs)
        assert old_text == new_text, f"{name}: the CSV differs"
        print(f"{name + ' CSV cells':34}{b_csv:>9.2f}s{a_csv:>9.2f}s{b_csv / a_csv:>8.1f}x")

    store = load_data(graph)
    # one run: parsing 200 documents' TriG with rdflib takes a minute
    before, after, old, new = alternate(lambda: load_facts(load_graph(graph)), lambda: load_facts(store), 1)
    assert vars(old) == vars(new), "the facts differ"
    print(f"{'facts (rdflib parse | store)':34}{before:>9.2f}s{after:>9.2f}s{before / after:>8.1f}x")

    if not args.skip_cli:
        print("\nend to end (separate processes, medians):")
        with tempfile.TemporaryDirectory() as tmp:
            commands = {
                "query budgets --format csv": ["query", "budgets", "--graph", str(graph), "--format", "csv"],
                "visualize overview": ["visualize", "overview", "--graph", str(graph), "--out", f"{tmp}/o.html"],
            }
            for label, command in commands.items():
                after = _cli(None, command, args.runs, tmp)
                if args.before_code is not None:
                    before = _cli(args.before_code, command, max(1, min(args.runs, 2)), tmp)
                    print(f"  {label:32}{before:>9.2f}s{after:>9.2f}s{before / after:>8.1f}x")
                else:
                    print(f"  {label:32}{'':>10}{after:>9.2f}s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
