"""Benchmark: memory, time and report size of ``build`` on hostile files just under the size limit.

Not a test (the suite has no timed or memory assertion); run by hand::

    .venv/bin/python bench/bench_hostile.py                  # every case at 15 MB
    .venv/bin/python bench/bench_hostile.py --mb 1 --case number-row

Each case is the bundled evaluation sheet with some of its own table lines repeated until the file
has ``--mb`` megabytes, then built by ``policy-kg build`` in a child process measured with
``/usr/bin/time -v`` (maximum resident set size, wall time); the report's size and number of issue
entries are printed too. Identical issues are aggregated (``extract.records.IssueLog``) and a
project-table row printed again replaces the earlier one as it is read, so the report grows with
the distinct problems only and memory by at most a few hundred bytes a line. The script exits 1 when a case exceeds
``--limit-mb`` of memory (default 2048, the bound of issue #17).

Measured on the development machine (2 cores shared with other builds, load ~4; Python 3.11),
15 MB each, with ``/usr/bin/time -v``:

    case                lines    max RSS    wall   report.json  issues  exit
    number-row      7,490,516     491 MB    93 s        4.2 KB      13     0
    result-row      1,362,554     726 MB    26 s        3.5 KB      10     4
    project-rows      361,001     124 MB     5 s        4.9 KB      15     0

Before (issue #17): 500k repeated number rows (1 MB) took 2.1 GB and wrote a 194 MB report.json
(50k rows: 268 MB, a 19 MB report with 100,011 issues); the 15 MB number-row file passed 10 GB.
With issues aggregated alone it took 3.8 GB (every table row was still held until assembly, and
the document-level name search joined the 7.5M-line paragraph into one string indexed by a tuple
per line); holding one row per project number and searching names in windows brought it to 491 MB.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHEET = ROOT / "samples" / "midorino_city_evaluation_sheet.txt"


def _cases(lines: list[str]) -> dict[str, tuple[int, list[str]]]:
    """name -> (index after which the block is inserted, the block repeated)."""
    first_row = next(i for i, line in enumerate(lines) if line.startswith("1 ◎ 柱２"))  # the project table
    table = lines[first_row:lines.index("施策２　受入環境の充実", first_row)]
    result_row = lines.index("12 - - - -")  # a results-table row of the first detail sheet
    return {
        "number-row": (first_row + 1, ["1"]),  # a row number alone (a nameless duplicate row), the #17 probe
        "result-row": (result_row + 1, [lines[result_row]]),  # a detail-sheet line not understood (dropped)
        "project-rows": (first_row + len(table), table),  # the measure's rows printed again and again
    }


def hostile_file(folder: Path, case: str, megabytes: float) -> tuple[Path, int]:
    lines = SHEET.read_text(encoding="utf-8").split("\n")
    at, block = _cases(lines)[case]
    base = len("\n".join(lines).encode("utf-8"))
    unit = len(("\n".join(block) + "\n").encode("utf-8"))
    copies = max(1, int((megabytes * 1_000_000 - base) // unit))
    text = "\n".join(lines[:at] + block * copies + lines[at:])
    path = folder / f"hostile-{case}.txt"
    path.write_text(text, encoding="utf-8")
    return path, text.count("\n") + 1


def measure(document: Path, out: Path) -> dict:
    proc = subprocess.run(
        ["/usr/bin/time", "-v", sys.executable, str(ROOT / "build_graph.py"), "build", str(document),
         "--out", str(out), "--quiet", "--no-curation"],
        capture_output=True, text=True, cwd=ROOT,
    )
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", proc.stderr)
    wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", proc.stderr)
    seconds = 0.0
    if wall:
        for part in wall.group(1).split(":"):
            seconds = seconds * 60 + float(part)
    report = out / "report.json"
    issues = 0
    if report.is_file():
        issues = sum(len(d["issues"]) for d in json.loads(report.read_text(encoding="utf-8"))["documents"])
    return {"rss_mb": int(rss.group(1)) / 1024 if rss else float("nan"), "seconds": seconds, "exit": proc.returncode,
            "report_kb": report.stat().st_size / 1024 if report.is_file() else 0.0, "issues": issues}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--mb", type=float, default=15.0, help="size of each hostile file (default: %(default)s)")
    parser.add_argument("--case", action="append", choices=["number-row", "result-row", "project-rows"],
                        help="run only these cases (default: all)")
    parser.add_argument("--limit-mb", type=float, default=2048.0, help="memory bound (default: %(default)s)")
    args = parser.parse_args(argv)
    if not Path("/usr/bin/time").is_file():
        print("needs /usr/bin/time (Debian: apt-get install time)", file=sys.stderr)
        return 2
    over = False
    print(f"{'case':14}{'lines':>11}{'max RSS':>11}{'wall':>8}{'report.json':>14}{'issues':>8}{'exit':>6}")
    with tempfile.TemporaryDirectory(prefix="policy-kg-hostile-") as tmp:
        for case in args.case or ["number-row", "result-row", "project-rows"]:
            document, lines = hostile_file(Path(tmp), case, args.mb)
            m = measure(document, Path(tmp) / f"out-{case}")
            over |= m["rss_mb"] > args.limit_mb
            print(f"{case:14}{lines:>11,}{m['rss_mb']:>8,.0f} MB{m['seconds']:>6.0f} s"
                  f"{m['report_kb']:>11.1f} KB{m['issues']:>8}{m['exit']:>6}", flush=True)
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
