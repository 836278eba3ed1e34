"""Benchmark the query backends: rdflib in memory, an on-disk Oxigraph store, an Oxigraph server.

Not a test; run by hand::

    .venv/bin/python bench/bench_stores.py                    # seeds + synthetic 100k and 1M triples
    .venv/bin/python bench/bench_stores.py --sizes 200000 --runs 5

For each graph it prints the load time per backend (rdflib: parse the TriG file; Oxigraph:
bulk-load it into a fresh store; server: start on that store) and, per library query, the median
time of ``--runs`` runs with the ratio to rdflib in memory (``12.3x`` = 12.3 times faster). All
backends are measured in the same process run. A query whose first rdflib run exceeds
``--rdflib-cap`` seconds is not repeated on rdflib; its single time is marked ``*``.

The synthetic graph follows the model: documents → policy fields → measures → projects with SDG
targets, budget lines for two fiscal years, a four-stage logic model, partners and indicators
with planned / actual values — built by ``graph.builder`` from ``extract.records`` dataclasses.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from policy_kg.extract.records import (  # noqa: E402
    Amount,
    DocumentRecord,
    Indicator,
    IndicatorValue,
    LogicStage,
    Organisation,
    PolicyElement,
    Project,
    Span,
    Unit,
)
from policy_kg.graph.builder import build_dataset  # noqa: E402
from policy_kg.graph.io import RdfFormat, load_graph, write_graph  # noqa: E402
from policy_kg.graph.pipeline import build_documents  # noqa: E402
from policy_kg.graph.query import QuerySpec, RdflibBackend, list_queries, run_query  # noqa: E402
from policy_kg.graph.stores import OxigraphServer, RemoteBackend, load_file  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"
SDG_TARGETS = ["8.1", "8.2", "8.3", "8.9", "8.10", "9.2", "9.5", "11.4", "12.b", "17.17", "4.4", "5.5"]
STAGES = ("activity", "short_term", "mid_term", "final")
L = Span.line


# --- a synthetic graph that follows the model ----------------------------------------------------------


def synthetic_record(doc: int, projects: int, rng: random.Random) -> DocumentRecord:
    """One evaluation-sheet-like document with ``projects`` projects under 10 measures."""
    unit = Unit(f"部{doc % 7}", f"課{doc % 13}", L(1))
    r = DocumentRecord(doc_id=f"syn-{doc:04d}", file_name=f"syn-{doc:04d}.txt", layout="evaluation_sheet",
                       content_hash=f"{doc:064x}", line_count=10 * projects + 100,
                       title=f"政策分野{doc} 合成", publisher=f"合成市{doc % 50}", fiscal_year=2023)
    r.elements = [PolicyElement("field", "policy_field", f"分野{doc}", L(2), number=str(doc), unit=unit)]
    r.elements += [PolicyElement(f"m{m}", "measure", f"施策{doc}-{m}", L(3 + m), number=str(m), parent="field")
                   for m in range(1, 11)]
    r.projects = [synthetic_project(doc, i, rng, unit) for i in range(1, projects + 1)]
    return r


def synthetic_project(doc: int, i: int, rng: random.Random, unit: Unit) -> Project:
    line = 100 + 10 * i
    amounts = []
    for year, status in ((2023, "budget"), (2024, "estimate")):
        total = rng.randrange(1_000, 500_000) * 1000
        for category, jpy in (("total", total), ("general_fund", total // 2), ("personnel", total // 5)):
            amounts.append(Amount(category, jpy, f"{jpy // 1000:,}千円", L(line + 1), fiscal_year=year,
                                  status=status))  # type: ignore[arg-type]
    indicators = [
        Indicator(f"p{i}-ind-{k}", f"指標{k}", "activity" if k == 1 else "outcome", L(line + 2), unit="件",
                  values=[IndicatorValue("target", Decimal(rng.randrange(1, 999)), "1", L(line + 2), fiscal_year=2023),
                          IndicatorValue("actual", Decimal(rng.randrange(1, 999)), "1", L(line + 3), fiscal_year=2023),
                          IndicatorValue("plan", Decimal(rng.randrange(1, 999)), "1", L(line + 3), fiscal_year=2024)])
        for k in (1, 2)
    ]
    return Project(
        f"m{i % 10 + 1}-p{i}", str(i), f"合成事業{doc}-{i}", L(line), parents=[f"m{i % 10 + 1}"],
        sdg_targets=rng.sample(SDG_TARGETS, 2), pillar=rng.randrange(1, 5), priority=rng.random() < 0.2,
        direction=rng.choice(["継続", "拡充", "新規", "縮小"]), legal_basis="discretionary", unit=unit,
        description=f"合成事業{i}の概要。", amounts=amounts, indicators=indicators,
        logic_model=[LogicStage(n + 1, s, f"段階{n + 1}の記述{i}", L(line + 4 + n)) for n, s in enumerate(STAGES)],  # type: ignore[arg-type]
        partners=[Organisation(f"合成協議会{rng.randrange(200)}", "partner", L(line + 8))],
    )


def synthetic_graph(triples: int, folder: Path, seed: int = 7) -> Path:
    """A TriG file of about ``triples`` quads (documents of 200 projects each)."""
    rng = random.Random(seed)
    per_project = _quads_per_project(rng)
    projects = max(1, triples // per_project)
    records = [synthetic_record(d, min(200, projects - 200 * d), rng) for d in range((projects + 199) // 200)]
    ds = build_dataset(records)
    path = write_graph(ds, folder / f"synthetic-{triples}.trig", RdfFormat.TRIG)
    print(f"synthetic graph: {len(records)} documents, {projects} projects, {_quad_count(ds)} quads → {path}")
    return path


def _quads_per_project(rng: random.Random) -> int:
    small, large = build_dataset([synthetic_record(0, 10, rng)]), build_dataset([synthetic_record(0, 60, rng)])
    return max(1, (_quad_count(large) - _quad_count(small)) // 50)


def _quad_count(ds) -> int:
    return sum(1 for _ in ds.quads((None, None, None, None)))


# --- measuring -----------------------------------------------------------------------------------------


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def bench_graph(label: str, graph: Path, runs: int, rdflib_cap: float, folder: Path) -> None:
    specs = list_queries()
    if not specs:
        raise SystemExit("no library queries found")
    load_rdflib, ds = timed(lambda: load_graph(graph))
    load_store, store = timed(lambda: load_file(graph, folder / f"{graph.stem}.store"))
    served = folder / f"{graph.stem}.served"
    load_file(graph, served)
    server = OxigraphServer(served, port=0, union=False, log=folder / f"{graph.stem}.log")
    load_server, _ = timed(server.start)
    try:
        backends = {"rdflib": RdflibBackend(ds), "oxigraph": store,
                    "server": RemoteBackend(server.query_url, timeout=3600)}
        print(f"\n## {label}: {graph.name} ({graph.stat().st_size / 1e6:.1f} MB)")
        print(f"load: rdflib parse {load_rdflib:.2f} s · oxigraph bulk load {load_store:.2f} s "
              f"({load_rdflib / load_store:.1f}x) · server start {load_server:.2f} s")
        header = f"{'query':18} {'rows':>6} {'rdflib s':>10} {'oxigraph s':>11} {'ratio':>7} {'server s':>9} {'ratio':>7}"
        print(header + "\n" + "-" * len(header))
        totals = {name: 0.0 for name in backends}
        for spec in specs:
            times, rows = measure(spec, backends, runs, rdflib_cap)
            for name in totals:
                totals[name] += times[name][0]
            print(_row(spec.name, rows, times))
        print(_row("TOTAL", None, {n: (t, False) for n, t in totals.items()}))
    finally:
        server.stop()


def measure(spec: QuerySpec, backends: dict, runs: int, rdflib_cap: float):
    times: dict[str, tuple[float, bool]] = {}
    rows = None
    for name, backend in backends.items():
        samples = []
        for _ in range(runs):
            seconds, result = timed(lambda b=backend: run_query(b, spec))
            samples.append(seconds)
            rows = len(result.rows)  # type: ignore[attr-defined]
            if name == "rdflib" and seconds > rdflib_cap:
                break
        times[name] = (statistics.median(samples), len(samples) < runs)
    return times, rows


def _row(name: str, rows: int | None, times: dict[str, tuple[float, bool]]) -> str:
    base = times["rdflib"][0]

    def cell(n: str) -> str:
        t, capped = times[n]
        return f"{t:.3f}{'*' if capped else ''}"

    def ratio(n: str) -> str:
        return f"{base / times[n][0]:.1f}x" if times[n][0] > 0 else "-"

    return (f"{name:18} {'' if rows is None else rows:>6} {cell('rdflib'):>10} {cell('oxigraph'):>11} "
            f"{ratio('oxigraph'):>7} {cell('server'):>9} {ratio('server'):>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000],
                        help="synthetic graph sizes in quads (default: %(default)s)")
    parser.add_argument("--runs", type=int, default=3, help="runs per query; the median is shown")
    parser.add_argument("--rdflib-cap", type=float, default=60.0,
                        help="do not repeat an rdflib query whose first run took longer (s)")
    parser.add_argument("--no-seeds", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-stores-") as tmp:
        folder = Path(tmp)
        if not args.no_seeds and SEEDS.is_dir():
            result = build_documents(sorted(SEEDS.glob("*.txt")))
            seeds = write_graph(result.dataset, folder / "seeds.trig", RdfFormat.TRIG)
            bench_graph("seeds", seeds, args.runs, args.rdflib_cap, folder)
        for size in args.sizes:
            bench_graph(f"synthetic {size:,}", synthetic_graph(size, folder), args.runs, args.rdflib_cap, folder)
    print("\n* = rdflib run once (first run over --rdflib-cap); ratio = rdflib time / backend time")


if __name__ == "__main__":
    main()
