"""Which layout a document has, and the parser for it.

A layout is a pair of functions: a cheap structural test and a parser. Two profiles of documents
policy-kg was first built on have parsers of their own (they reconcile those layouts' displaced
cells by structure); every other document is read by the shared engine (``extract/engine``), whose
knowledge of wording is the vocabulary file, not code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policy_kg.extract.records import DocumentRecord
from policy_kg.extract.source import SourceText


@dataclass(frozen=True)
class Layout:
    name: str
    description: str
    looks_like: Callable[[SourceText], bool]
    parse: Callable[[SourceText], DocumentRecord]


def _layouts() -> tuple[Layout, ...]:
    from policy_kg.extract.business_plan import looks_like_business_plan, parse_business_plan
    from policy_kg.extract.evaluation_sheet import looks_like_evaluation_sheet, parse_evaluation_sheet

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


#: The kind (extract/engine/kinds.py) of the documents each profile reads.
PROFILE_KINDS = {"evaluation_sheet": "measure_evaluation", "business_plan": "business_plan"}


def _engine() -> Layout:
    from policy_kg.extract.engine.reader import read_document

    return Layout(
        "engine",
        "any policy document the label vocabulary recognises (extract/engine/vocabulary.yaml)",
        lambda src: True,
        read_document,  # raises UnknownLayout itself when no evidence of a policy document is found
    )


def detect_layout(src: SourceText) -> Layout:
    """The layout of ``src``: a profile whose structural test fits, else the shared engine."""
    for layout in _layouts():
        if layout.looks_like(src):
            return layout
    return _engine()


def extract(src: SourceText) -> DocumentRecord:
    """Detect the layout of ``src`` and extract its records.

    What decoding repaired (``src.problems``: undecodable bytes, NULs) opens the record's issues,
    and every SDG target code is checked against the UN list (``extract.sdg_reference``).
    """
    from policy_kg.extract.sdg_reference import check_sdg_targets

    layout = detect_layout(src)
    record = layout.parse(src)
    if record.kind is None and layout.name in PROFILE_KINDS:
        record.kind, record.kind_confidence = PROFILE_KINDS[layout.name], 1.0
        record.evidence = [f"profile:{layout.name}"]
    if src.problems:
        record.issues[:0] = src.problems
    return check_sdg_targets(record)
