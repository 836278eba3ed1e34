"""The business-plan profile's words (``extract/profiles/business_plan.yaml``) and the patterns built from them."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from policy_kg.extract.profiles import profile_words
from policy_kg.extract.records import AmountCategory, IndicatorKind

LAYOUT = "business_plan"

# The layout's words are data (extract/profiles/business_plan.yaml); the patterns are built here.
_WORDS = profile_words(LAYOUT)
_LABELS: dict[str, str] = dict(_WORDS["labels"])
_GRANT: dict[str, Any] = dict(_WORDS["grant"])
_REORG: dict[str, str] = dict(_WORDS["reorganisation"])
_LINE_MARKS = tuple(_WORDS["line_marks"])
_BULLET: str = _WORDS["bullet"]
_NOTE_MARK: str = _WORDS["note_mark"]
_AND_OTHERS: str = _WORDS["and_others"]

ROMAN: str = _WORDS["pillar_numerals"]
CIRCLED: str = _WORDS["part_numerals"]


def _alternatives(words: Iterable[str]) -> str:
    """A regex alternation of ``words``, in the order given."""
    return "|".join(re.escape(w) for w in words)


def _spaced(word: str) -> str:
    """A pattern of ``word`` printed letter-spaced or not (指 標 計 画)."""
    return r"\s*".join(re.escape(ch) for ch in word)


_OUTLINE_MARK = re.compile(rf"{re.escape(_WORDS['outline_mark'])}\s*{re.escape(_WORDS['outline_title'])}")
_PILLAR_RE = re.compile(rf"^(?P<roman>[{ROMAN}])\s*(?P<name>\S.*)$")
_HEADER_RE = re.compile(rf"^(?P<roman>[{ROMAN}])\s*(?P<pillar>\S.*?)\s+(?P<area>[0-9０-９]+)\s+(?P<name>\S.*)$")
_AREA_RE = re.compile(r"^(?P<n>\d+)\s+(?P<name>\S.*)$")  # on NFKC text
_PROJECT_AT = re.compile(r"\((?P<n>\d+)\)\s*")  # on NFKC text
_RELISTED = re.compile(rf"[（(]{re.escape(_WORDS['relisted'])}[）)]")
_SUB_RE = re.compile(rf"(?P<mark>[{CIRCLED}])\s*(?P<name>[^{CIRCLED}]+)")
_SUB_LABEL_RE = re.compile(rf"[{CIRCLED}]\s*[:：]")  # ①: a numbered label, not a part heading
_INDICATOR_HEADER = re.compile(rf"^{_spaced(_WORDS['indicator_header'])}$")
_KIND_MARKS: dict[str, IndicatorKind] = {word[0]: kind for word, kind in _WORDS["indicator_kinds"].items()}
_KIND_SECOND = frozenset(word[1] for word in _WORDS["indicator_kinds"])
_KIND_CHARS = frozenset("".join(_WORDS["indicator_kinds"]))
_BADGE: str = _WORDS["badge"]
_ROW_RE = re.compile(r"^(?P<name>.*?)[（(](?P<unit>[^（）()\s]{1,3})[）)]\s*(?P<rest>.*)$")  # on raw text
# Only what ``parse_number`` accepts (a stray comma, as in "21,", is no value but a damaged cell).
_VALUE_RE = re.compile(
    rf"^(?:(?P<q>{_alternatives(_WORDS['value_qualifiers'])})\s*)?"
    r"(?P<v>[▲△]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|[－\-―‐—−])$"
)
_CEILING_HEAD = re.compile(rf"^(?P<kw>{_alternatives(_GRANT['ceilings'])})\s*")
_RATE_HEAD = re.compile(rf"^(?P<kw>{_alternatives(_GRANT['rates'])})\s*")
_TERMS_HEAD = re.compile(rf"^(?:{_alternatives(_GRANT['terms'])})")
_CATEGORY_WORDS: tuple[tuple[str, AmountCategory], ...] = tuple(_WORDS["amount_categories"].items())
#: Funding types as printed after a funder (longest first so 基金取崩し益 wins over 基金).
FUNDING_TYPES: tuple[str, ...] = tuple(_WORDS["funding_types"])
#: A note that a fund is topped up in a year: ※令和６年度に、121.8億円の基金追加造成
_FUND = re.escape(_WORDS["fund"])
_FUND_ADDITION = re.compile(
    rf"(?P<amount>[\d,.]+(?:億[\d,.]*)?(?:万|千)?円)の?{_FUND}(?:の)?(?:{_alternatives(_WORDS['fund_additions'])})"
)
#: A page that opens with one of these is a closing page (budget summary, reorganisation).
_TAIL_RE = re.compile(_alternatives(_WORDS["tail_pages"]))
_PARTICIPANTS_RE = re.compile(rf"^{re.escape(_LABELS['participants'])}\s*")
_HOST_RE = re.compile(rf"^{re.escape(_LABELS['host'])}\s*")
_LAYOUT_UNIT_RE = re.compile(rf"{re.escape(_WORDS['layout_test']['unit'])}\s*[（(]")
_LAYOUT_FUNDED_RE = re.compile(rf"円\s*[（(][^）)]*(?:{_alternatives(_WORDS['layout_test']['funding_types'])})")
_WITHIN = re.escape(_GRANT["within"])
_AFTER_AMOUNT_RE = re.compile(rf"({_WITHIN}|[)）])*")
_REORG_DEPT = re.escape(_REORG["department_ending"])
_REORG_DIV = re.escape(_REORG["division_ending"])
_REORG_UNITS_RE = re.compile(rf"([一-龥]{{2,6}}{_REORG_DEPT})(?:内)?(?:に)?「?([一-龥ァ-ヶー]{{2,12}}{_REORG_DIV})?")
_REORG_DIVISION_RE = re.compile(rf"({re.escape(_REORG['new_mark'])})?([一-龥ァ-ヶー]{{2,12}}{_REORG_DIV})")
_REORG_CREATED_RE = re.compile(rf"「([^」]+)」を{re.escape(_REORG['created'])}")
_REORG_ABOLISHED_RE = re.compile(rf"「([^」]+)」を{re.escape(_REORG['abolished'])}")
