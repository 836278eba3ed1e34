"""How long SHACL validation takes on a synthetic conforming graph (moved here from a timed test).

    .venv/bin/python bench/bench_validate.py [--projects 150] [--runs 3]

Prints the triple count and the median of ``--runs`` validations with and without the SDG reference
mixed in. The test suite asserts only that such a graph conforms (tests/test_shapes.py).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from policy_kg.graph.validate import validate  # noqa: E402
from tests.test_shapes import _synthetic_graph  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=150)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    graph = _synthetic_graph(projects=args.projects)
    print(f"{len(graph)} triples, {args.projects} projects")
    for with_reference in (False, True):
        times = []
        for _ in range(args.runs):
            start = time.perf_counter()
            result = validate(graph, include_sdg_reference=with_reference)
            times.append(time.perf_counter() - start)
            assert result.conforms, result.text[:2000]
        label = "with the SDG reference" if with_reference else "without the SDG reference"
        print(f"validate {label}: median {statistics.median(times):.2f} s over {args.runs} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
