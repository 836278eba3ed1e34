"""The engine against the profiles: read each document both ways and compare their indicator values.

    .venv/bin/python bench/engine_vs_profiles.py samples/*.txt ../shared/seeds/*
    .venv/bin/policy-kg generate --cities 50 --seed 11 --out /tmp/gen --no-expected
    .venv/bin/python bench/engine_vs_profiles.py /tmp/gen/*.txt

A profile knows its layout; the engine reads by general rules. On a document both can read, every
value the engine gives should be one the profile gives (same role and number; a value the engine
could not give a role, ``unspecified``, matches any role). Prints, per document that differs and in
total, the values of each and those the engine gives that the profile does not. A measurement, not a
test: tests/test_engine.py holds the bundled samples to it.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path.cwd()))  # the checkout the command is run from

from policy_kg.extract.detect import extract  # noqa: E402
from policy_kg.extract.engine.reader import read_document  # noqa: E402
from policy_kg.extract.records import DocumentRecord  # noqa: E402
from policy_kg.extract.source import ExtractionError, read_source  # noqa: E402


def values(record: DocumentRecord) -> Counter:
    inds = list(record.indicators) + [i for owner in record.owners().values() for i in owner.indicators]
    return Counter((v.role, v.value) for i in inds for v in i.values if v.value is not None)


def not_in_profile(by_engine: Counter, by_profile: Counter) -> Counter:
    """The engine's values the profile does not give; an unspecified role matches any role."""
    numbers = Counter()
    for (_, value), n in by_profile.items():
        numbers[value] += n
    extra = Counter()
    for (role, value), n in sorted(by_engine.items(), key=lambda kv: kv[0][0] == "unspecified"):
        if role != "unspecified":
            missing = max(0, n - by_profile[(role, value)])
            numbers[value] -= n - missing
        else:
            missing = max(0, n - numbers[value])
            numbers[value] -= n - missing
        if missing:
            extra[(role, value)] = missing
    return extra


def main(paths: list[str]) -> None:
    totals = Counter()
    for path in map(Path, paths):
        src = read_source(path)
        by_profile = values(extract(src))
        try:
            by_engine = values(read_document(src))
        except ExtractionError:
            totals["refused by the engine"] += 1
            continue
        extra = not_in_profile(by_engine, by_profile)
        totals.update(documents=1, profile=by_profile.total(), engine=by_engine.total(), extra=extra.total())
        if extra:
            print(f"{path.name}: {extra.total()} not in the profile: {dict(extra)}")
    print(f"{totals['documents']} documents read both ways ({totals['refused by the engine']} refused by the engine): "
          f"profile {totals['profile']} values, engine {totals['engine']}, engine values not in the profile "
          f"{totals['extra']}")


if __name__ == "__main__":
    main(sys.argv[1:])
