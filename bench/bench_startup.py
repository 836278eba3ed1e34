"""Start-up of the command line against ``python -c "import rdflib"`` (the baseline), medians of runs.

    .venv/bin/python bench/bench_startup.py [--graph out/graph.trig] [--runs 5]

Times, as separate processes: ``policy-kg --help``, ``query --list``, ``query projects`` on the graph
(through the Oxigraph store cached beside it: the first run builds the cache, and is not counted)
and the same query with ``--rdflib`` (the graph parsed into memory, as every query did before).
Prints each median and its ratio to the baseline. Build a small graph first, e.g.
``policy-kg build ../shared/seeds --out /tmp/seeds``.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

CLI = [sys.executable, "-m", "policy_kg.cli"]


def _median_seconds(command: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--graph", type=Path, default=Path("out/graph.trig"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    if not args.graph.is_file():
        parser.error(f"{args.graph}: build a graph first (policy-kg build … --out DIR)")
    query = [*CLI, "query", "projects", "--graph", str(args.graph), "--format", "csv"]
    subprocess.run(query, check=True, stdout=subprocess.DEVNULL)  # builds the cached store once
    commands = {
        'python -c "import rdflib"': [sys.executable, "-c", "import rdflib"],
        "policy-kg --help": [*CLI, "--help"],
        "policy-kg query --list": [*CLI, "query", "--list"],
        f"policy-kg query projects ({args.graph.name}, cached store)": query,
        f"policy-kg query projects ({args.graph.name}, --rdflib)": [*query, "--rdflib"],
    }
    baseline = None
    print(f"{'command':62} {'median s':>9} {'× import rdflib':>16}")
    for name, command in commands.items():
        seconds = _median_seconds(command, args.runs)
        baseline = baseline or seconds
        print(f"{name:62} {seconds:9.3f} {seconds / baseline:16.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
