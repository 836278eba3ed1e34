"""Organisations named in wrapped text (a name broken over two lines is found), with their line spans."""

from __future__ import annotations

from array import array
from bisect import bisect_right
from collections.abc import Callable

from policy_kg.extract.organisations import find_organisations, normalise_org_name
from policy_kg.extract.profiles.evaluation_sheet.details import DetailBlock
from policy_kg.extract.profiles.evaluation_sheet.words import _LINE_MARKS
from policy_kg.extract.records import Organisation, Span


def _partners(lines: tuple[str, ...], block: DetailBlock) -> list[Organisation]:
    """Organisations named in the block's overview, progress and verification text."""
    out: list[Organisation] = []
    seen: set[str] = set()
    for section in ("overview", "progress", "verify"):
        for name, span in _organisations_in(lines, block.sections.get(section, [])):
            norm = normalise_org_name(name)
            if norm not in seen:
                seen.add(norm)
                out.append(Organisation(name, "partner", span))
    return out


#: Lines of a paragraph searched for names at once; longer ones (a hostile file repeating a line a
#: million times) are read in windows overlapping by two lines, so memory stays bounded.
_NAME_WINDOW = 400


def _organisations_in(
    lines: tuple[str, ...], indices: list[int],
    finder: Callable[[str], list[tuple[str, int]]] = find_organisations,
) -> list[tuple[str, Span]]:
    """Names ``finder`` finds in wrapped lines (joined, so a name broken over two lines is found)."""
    if len(indices) > _NAME_WINDOW:  # no real paragraph is this long: read it in overlapping windows
        out, seen = [], set()
        for at in range(0, len(indices), _NAME_WINDOW - 2):
            for found in _organisations_in(lines, indices[at:at + _NAME_WINDOW], finder):
                if found not in seen:
                    seen.add(found)
                    out.append(found)
        return out
    # where each line starts in the joined text: an array and a binary search, so a paragraph of a
    # million lines costs 8 bytes a line and a found name a lookup, not a scan of every line
    parts: list[str] = []
    starts = array("q")
    length = 0
    for i in indices:
        t = lines[i].strip()
        if length and t.startswith(_LINE_MARKS):
            parts.append("\n")
            length += 1
        starts.append(length)
        parts.append(t)
        length += len(t)
    text = "".join(parts)
    out = []
    for name, offset in finder(text):
        first = indices[bisect_right(starts, offset) - 1]
        last = indices[bisect_right(starts, offset + len(name) - 1) - 1]
        out.append((name, Span(first + 1, last + 1)))
    return out
