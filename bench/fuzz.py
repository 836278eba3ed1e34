"""The long fuzz run (not in CI): the properties of tests/test_fuzz.py for N minutes, many more examples.

    .venv/bin/python bench/fuzz.py                # 10 minutes over every target
    .venv/bin/python bench/fuzz.py --minutes 2 --target sheet-parser

Each round is a fresh, randomised hypothesis run of ``--batch`` examples per target; a failing
example is shrunk and printed by hypothesis and the run stops with exit code 1. At the end it
prints, per target, how many examples ran and how often a parser step failed internally (an
``error`` issue: the record was still produced, but that step's items were lost — worth a bug).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, settings  # noqa: E402

from tests.test_fuzz import TARGETS, check_extraction, mutated  # noqa: E402


def fuzz_round(name: str, batch: int, tally: Counter[str], errors: Counter[str]) -> None:
    """One hypothesis run of ``batch`` random examples on target ``name``."""
    parse, lines = TARGETS[name]

    @settings(max_examples=batch, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(text=mutated(lines))
    def run(text: str) -> None:
        record = check_extraction(text, parse)
        tally[name] += 1
        for issue in record.issues if record else ():
            if issue.severity == "error":
                errors[f"{name}: {issue.message.split(':')[0]}: {issue.message.split(':')[1][:60]}"] += 1

    run()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0, help="how long to run (default: %(default)s)")
    parser.add_argument("--batch", type=int, default=200, help="examples per hypothesis run (default: %(default)s)")
    parser.add_argument("--target", choices=sorted(TARGETS), action="append", help="default: all")
    args = parser.parse_args(argv)
    targets = args.target or sorted(TARGETS)
    deadline = time.monotonic() + args.minutes * 60
    tally: Counter[str] = Counter()
    errors: Counter[str] = Counter()
    rounds = 0
    try:
        while time.monotonic() < deadline:
            for name in targets:
                if time.monotonic() >= deadline:
                    break
                fuzz_round(name, args.batch, tally, errors)
            rounds += 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
    except BaseException as exc:  # noqa: BLE001 - the property failed: hypothesis printed the example
        print(f"FAILED: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        print(f"{rounds} round(s); examples per target: {dict(tally)}")
        for message, count in errors.most_common():
            print(f"  internal step error ×{count}: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
