"""Extraction time per document (read + extract, no graph), median of several runs in one process.

    .venv/bin/python bench/bench_extract.py samples/*.txt ../shared/seeds/*.txt ../shared/real/*.txt
    .venv/bin/python bench/bench_extract.py --repeat 20 --json DOCS…

Run it from two checkouts on the same documents (e.g. a worktree of an older commit) to compare:
a benchmark, not a test — it asserts nothing and prints milliseconds per document and in total.
Documents a checkout cannot read are listed as refused.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))  # the checkout the command is run from

from policy_kg.extract.detect import extract  # noqa: E402
from policy_kg.extract.source import ExtractionError, read_source  # noqa: E402


def time_one(path: Path, repeat: int) -> float | None:
    """Median seconds to read and extract ``path``; None if it is refused."""
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            extract(read_source(path))
        except ExtractionError:
            return None
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("documents", nargs="+", type=Path)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--json", action="store_true", help="one JSON line per document")
    a = ap.parse_args()
    for path in a.documents[:1]:
        time_one(path, 1)  # warm-up: imports, the vocabulary, compiled patterns
    total, read, refused = 0.0, 0, []
    for path in a.documents:
        t = time_one(path, a.repeat)
        if t is None:
            refused.append(path.name)
            continue
        total += t
        read += 1
        print(json.dumps({"file": path.name, "ms": round(t * 1000, 2)}) if a.json else f"{t * 1000:9.2f} ms  {path.name}")
    print(f"{read} documents read in {total * 1000:.1f} ms ({total * 1000 / max(read, 1):.2f} ms each, median of "
          f"{a.repeat}); refused {len(refused)}" + (f": {', '.join(refused)}" if refused else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
