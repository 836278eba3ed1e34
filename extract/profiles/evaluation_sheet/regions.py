"""Where the parts of an evaluation sheet are: its numbered sections and the start of its detail sheets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.profiles.evaluation_sheet.text import _compact, _prev_nonblank
from policy_kg.extract.profiles.evaluation_sheet.words import _LABELS, _MEASURE_HEAD_RE, _SECTION_OF


@dataclass(frozen=True)
class _Regions:
    """0-based line index ranges of the sheet's parts (``end`` exclusive), by section key (``SECTIONS``)."""

    sections: dict[str, int]
    detail_start: int
    n: int

    def start(self, section: str) -> int | None:
        return self.sections.get(section)

    def end_of(self, section: str) -> int:
        """Where ``section`` ends: the next section heading or the detail sheets."""
        start = self.sections[section]
        later = [i for i in self.sections.values() if i > start] + [self.detail_start, self.n]
        return min(i for i in later if i > start)

    @property
    def first_section(self) -> int:
        return min(list(self.sections.values()) + [self.detail_start])


def _find_regions(lines: tuple[str, ...]) -> _Regions:
    sections: dict[str, int] = {}
    for i, raw in enumerate(lines):
        c = _compact(raw)
        m = re.match(r"^\d(\D.*)$", c)
        if m and m.group(1) in _SECTION_OF and _SECTION_OF[m.group(1)] not in sections:
            sections[_SECTION_OF[m.group(1)]] = i
    table = sections.get("table", -1)
    return _Regions(sections, _find_detail_start(lines, table + 1), len(lines))


def _is_block_name_line(raw: str) -> bool:
    c = _compact(raw)
    return c.startswith(_LABELS["block_name"]) and not c.startswith(_LABELS["not_block_name"])


def _find_detail_start(lines: tuple[str, ...], start: int) -> int:
    """Index of the first line of the detail sheets (page header or block number), or len(lines)."""
    for i in range(max(start, 0), len(lines)):
        if not _is_block_name_line(lines[i]):
            continue
        first = i
        j = _prev_nonblank(lines, i)
        if j is not None and re.fullmatch(r"\d+", _compact(lines[j])):
            first, j = j, _prev_nonblank(lines, j)
        if j is not None and _MEASURE_HEAD_RE.match(lines[j].strip()):
            first = j
        return first
    return len(lines)
