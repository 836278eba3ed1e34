"""A document printed more than once in one file: found before parsing, read once.

PDF dumps sometimes repeat the whole text (every page printed twice, or the file concatenated with
itself). Parsed as it is, each project, amount and indicator would be read twice and every budget
sum doubled. :func:`collapse_repeats` finds an exact repetition of the document's body — a run of
lines printed again, verbatim, as a whole, covering most of the document — and returns the text
with the copies blanked (or cut, when nothing follows them), so line numbers of everything kept are
those of the file, and an ``info`` issue naming both line spans.

The rule is generic and conservative: lines are compared without their whitespace, blank lines
are ignored; the repeated unit has at least :data:`MIN_LINES` non-blank lines, contains a line it
prints only once, and the copies cover at least :data:`MIN_COVERAGE` of the document's non-blank
lines. A table line or a block repeated within a document is not a repeated document and is left
alone; a document without repetition is returned unchanged (the same object).

>>> body = [f"line {n}" for n in range(30)]
>>> src = SourceText.from_text("\\n".join(["title", *body, "", *body]), "twice.txt")
>>> once, issue = collapse_repeats(src)
>>> len(once.lines), issue.message[:70]
(31, 'the document is printed twice: lines 2–31 are repeated verbatim at lin')
"""

from __future__ import annotations

from array import array
from collections import Counter
from dataclasses import dataclass, replace

from policy_kg.extract.records import ExtractionIssue, Span
from policy_kg.extract.source import SourceText

#: The repeated unit has at least this many non-blank lines.
MIN_LINES = 20
#: The copies together cover at least this share of the document's non-blank lines.
MIN_COVERAGE = 0.8
#: At most this many copies are looked for (a document printed 2, 3 … times).
MAX_COPIES = 8
#: Candidate lines tried per number of copies.
TRIES_PER_COUNT = 3

_TIMES = {2: "twice", 3: "three times"}


@dataclass(frozen=True)
class Repetition:
    """``copies`` spans (1-based lines of the file), the first one kept."""

    copies: tuple[Span, ...]

    @property
    def issue(self) -> ExtractionIssue:
        first, *others = self.copies
        times = _TIMES.get(len(self.copies), f"{len(self.copies)} times")
        again = ", ".join(f"{s.start}–{s.end}" for s in others)
        return ExtractionIssue(
            "info",
            f"the document is printed {times}: lines {first.start}–{first.end} are repeated verbatim at "
            f"lines {again}; read once, the repetition is not used",
            Span(first.start, others[-1].end),
        )


def find_repetition(lines: tuple[str, ...] | list[str]) -> Repetition | None:
    """The repetition of the document's body in ``lines``, or None. Linear in the number of lines."""
    where = array("q", (i for i, line in enumerate(lines) if line.strip()))  # arrays: a hostile file has millions
    n = len(where)
    if n < 2 * MIN_LINES:
        return None
    keys: dict[str, int] = {}
    seq = array("q", (keys.setdefault(" ".join(lines[i].split()), len(keys)) for i in where))
    counts = Counter(seq)
    tried: Counter[int] = Counter()
    # A line the unit prints once appears exactly k times, once per copy, k × period apart; the
    # first such line lies in the first copy, so within the part of the document before it. Each
    # try is linear; a few per k (a line of a cover page may appear k times by chance), no more.
    seen: set[int] = set()
    for i in range(min(n, int(n * (1 - MIN_COVERAGE)) + n // MAX_COPIES + 1)):
        k = counts[seq[i]]
        first = seq[i] not in seen
        seen.add(seq[i])
        if not first or not 2 <= k <= MAX_COPIES or tried[k] >= TRIES_PER_COUNT:
            continue
        tried[k] += 1
        found = _tiling(seq, i, k)
        if found is not None:
            start, period = found
            return Repetition(tuple(
                Span(where[start + c * period] + 1, where[start + (c + 1) * period - 1] + 1) for c in range(k)
            ))
    return None


def _tiling(seq: array, i: int, k: int) -> tuple[int, int] | None:
    """(start, period) of ``k`` verbatim copies of the unit holding ``seq[i]`` once, or None."""
    n = len(seq)
    hits = [j for j in range(n) if seq[j] == seq[i]]
    period = hits[1] - hits[0]
    if period < MIN_LINES or any(b - a != period for a, b in zip(hits, hits[1:])):
        return None
    start = i
    while start > 0 and start > i - period + 1 and seq[start - 1] == seq[start - 1 + period]:
        start -= 1
    if start + k * period > n or k * period < MIN_COVERAGE * n:
        return None
    unit = seq[start:start + period]
    if any(seq[start + c * period:start + (c + 1) * period] != unit for c in range(1, k)):
        return None
    return start, period


def collapse_repeats(src: SourceText) -> tuple[SourceText, ExtractionIssue | None]:
    """``src`` read once: the copies after the first blanked (cut when only blank lines follow them).

    Returns ``src`` itself and None when the document is not repeated.
    """
    found = find_repetition(src.lines)
    if found is None:
        return src, None
    first, last = found.copies[0], found.copies[-1]
    rest = src.lines[last.end:]
    if any(line.strip() for line in rest):  # something follows the copies: keep its line numbers
        lines = src.lines[:first.end] + ("",) * (last.end - first.end) + rest
    else:
        lines = src.lines[:first.end]
    return replace(src, lines=tuple(lines)), found.issue
