"""Which layout a document has, and the parser for it.

A layout is a pair of functions: a cheap structural test and a parser. Adding a layout is adding
one entry to ``LAYOUTS``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from extract.records import DocumentRecord
from extract.source import SourceText, UnknownLayout


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    looks_like: Callable[[SourceText], bool]
    parse: Callable[[SourceText], DocumentRecord]


def _layouts() -> tuple[Layout, ...]:
    from extract.business_plan import looks_like_business_plan, parse_business_plan
    from extract.evaluation_sheet import looks_like_evaluation_sheet, parse_evaluation_sheet

    return (
        Layout(
            "evaluation_sheet",
            "a city's policy-evaluation sheet (政策分野 / 施策 / 事務事業一覧 / 事業名 … 事業費)",
            looks_like_evaluation_sheet,
            parse_evaluation_sheet,
        ),
        Layout(
            "business_plan",
            "an agency's business plan (事業体系 Ⅰ… / （１）… / 指標 計画 / …千円 （財源）)",
            looks_like_business_plan,
            parse_business_plan,
        ),
    )


def detect_layout(src: SourceText) -> Layout:
    """The layout of ``src``; ``UnknownLayout`` (naming what was expected) if none fits."""
    layouts = _layouts()
    for layout in layouts:
        if layout.looks_like(src):
            return layout
    expected = "; or ".join(layout.description for layout in layouts)
    raise UnknownLayout(src.file_name, f"no known layout: expected {expected}", line=1)


def extract(src: SourceText) -> DocumentRecord:
    """Detect the layout of ``src`` and extract its records.

    What decoding repaired (``src.problems``: undecodable bytes, NULs) opens the record's issues,
    and every SDG target code is checked against the UN list (``extract.sdg_reference``).
    """
    from extract.sdg_reference import check_sdg_targets

    record = detect_layout(src).parse(src)
    if src.problems:
        record.issues[:0] = src.problems
    return check_sdg_targets(record)
