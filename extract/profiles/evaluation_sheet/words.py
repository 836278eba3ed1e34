"""The evaluation-sheet profile's words (``extract/profiles/evaluation_sheet.yaml``) and the patterns built from them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Literal

from policy_kg.extract.numbers import UNIT_FACTORS
from policy_kg.extract.profiles import profile_words
from policy_kg.extract.records import AmountCategory, AmountStatus, Stage

LAYOUT = "evaluation_sheet"

# The layout's words are data (extract/profiles/evaluation_sheet.yaml); the patterns are built here.
_WORDS = profile_words(LAYOUT)
SECTIONS: dict[str, str] = dict(_WORDS["sections"])  # part of the sheet -> its numbered heading
_LABELS: dict[str, str] = dict(_WORDS["labels"])
_KPI: dict[str, Any] = dict(_WORDS["kpi"])
DIRECTIONS = frozenset(_WORDS["directions"])
LEGAL_BASIS: dict[str, Literal["statutory", "discretionary"]] = dict(_WORDS["legal_basis"])
LEGAL_BASIS_LABELS = frozenset(_WORDS["legal_basis_labels"])
AMOUNT_ROWS: dict[str, AmountCategory] = dict(_WORDS["amount_rows"])
STAGE_LABELS: dict[str, Stage] = dict(_WORDS["stages"])
DEFAULT_STAGES: tuple[Stage, ...] = tuple(STAGE_LABELS.values())
SECTION_TITLES = tuple(SECTIONS.values())
_SECTION_OF = {title: key for key, title in SECTIONS.items()}
# Column legend of the project table; its words are printed broken over short lines after the table.
TABLE_LEGENDS = frozenset(_WORDS["table_legends"])
# Multi-line headings of a detail page: (section key, shortest accepted form, full form), compacted.
DETAIL_HEADINGS: tuple[tuple[str, str, str], ...] = tuple(
    (key, short, full) for key, (short, full) in _WORDS["detail_headings"].items()
)
AMOUNT_UNITS = UNIT_FACTORS  # one table of units for every reader (extract/numbers.py)
AMOUNT_STATUS: dict[str, AmountStatus] = {w: s for w, s in _WORDS["column_status"].items() if s is not None}
_FINANCE_DEFAULT_UNIT: str = _WORDS["finance_default_unit"]
_LINE_MARKS = tuple(_WORDS["line_marks"])
_PRIORITY_MARK: str = _WORDS["priority_mark"]
_FOOTNOTE_MARK: str = _WORDS["footnote_mark"]


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, longest first."""
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_D = "[0-9０-９]"
_SP = "[ \t\u3000]"
_MEASURE = re.escape(_LABELS["measure"])
_MEASURE_HEAD_RE = re.compile(rf"^{_MEASURE}({_D}+){_SP}+(\S.*?)\s*$")
_MEASURE_NUMBER_RE = re.compile(rf"^{_MEASURE}({_D}+)$")
_GOAL_RE = re.compile(
    rf"^{re.escape(_LABELS['goal'])}({_D}+)[.．、]?{_SP}*(?P<goal>.+?){_SP}*[/／]{_SP}*"
    rf"{re.escape(_LABELS['policy'])}({_D}+)[.．、]?{_SP}*(?P<policy>.+?)\s*$"
)
_FIELD_RE = re.compile(rf"^{re.escape(_LABELS['field'])}({_D}+){_SP}+(?P<name>\S.*?)\s*$")
_RELATED_RE = re.compile(rf"^({_D}+[-－‐]{_D}+){_SP}+(\S+){_SP}+(.+?)\s*$")
_PILLAR_RE = re.compile(rf"^{re.escape(_LABELS['pillar'])}({_D}+){_SP}+(\S.*?)\s*$")
_PILLAR_CELL_RE = re.compile(rf"{re.escape(_LABELS['pillar'])}(\d+)")
_ERA_PAREN_RE = re.compile(r"^\((?:令和|平成|昭和)(?:元|\d{1,2})年度?\)$")
_NUMBER_RE = re.compile(r"^[▲△-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[▲△-]?\d+(?:\.\d+)?$")
_UNIT_PAREN_RE = re.compile(r"^(?P<name>.*?)[（(](?P<unit>[^（）()]{1,8})[)）]$")
_STATUS_RE = re.compile(rf"\(({_alternatives(_WORDS['column_status'])})\)")
_FINANCE_UNIT_RE = re.compile(rf"{re.escape(_LABELS['finance_unit'])}\((.+?)\)")
_DEPT_RE = re.compile(
    rf"^(?P<dept>.+?(?:{'|'.join(map(re.escape, _WORDS['department_endings']))}))[\s・]*(?P<div>.*)$"
)
_UNIT_CELL_RE = re.compile(rf"({'|'.join(map(re.escape, _WORDS['unit_endings']))})$")
_FIELD_START_RE = re.compile(rf"^{re.escape(_LABELS['field'])}\d+")
_MEASURE_START_RE = re.compile(rf"^{_MEASURE}\d+")
_COST_ROW_RE = re.compile(rf"^{re.escape(_LABELS['cost'])}[\d,－-]")
