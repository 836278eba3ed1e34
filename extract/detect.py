"""Which layout a document has, and the parser for it.

A layout is a pair of functions: a cheap structural test and a parser. Two profiles of documents
policy-kg was first built on have parsers of their own (they reconcile those layouts' displaced
cells by structure); every other document is read by the shared engine (``extract/engine``), whose
knowledge of wording is the vocabulary file, not code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policy_kg.extract.records import DocumentRecord, ExtractionIssue
from policy_kg.extract.source import ExtractionError, SourceText


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


def _parse(layout: Layout, src: SourceText) -> DocumentRecord:
    """``layout``'s record of ``src``; for a profile, the engine's instead when the profile's structural test
    fitted but its parser could not read the document (it raised) or read no money and no indicator where
    the engine reads more: a profile's test is cheap, and another publisher's sheet may pass it."""
    if layout.name not in PROFILE_KINDS:
        return layout.parse(src)
    try:
        record = layout.parse(src)
    except ExtractionError as exc:
        record, why = None, f"its parser stopped: {exc}"
    else:
        if _facts(record):
            return record
        why = "it read no amount and no indicator"
    try:
        engine = _engine().parse(src)
    except ExtractionError:
        if record is None:
            raise
        return record
    if record is not None and _facts(engine) <= _facts(record):
        return record
    engine.issues.insert(0, ExtractionIssue("info", f"the document passed the structural test of the "
                                                    f"{layout.name} profile, but {why}: read by the engine"))
    return engine


def _facts(record: DocumentRecord) -> int:
    """How many amounts and indicator values a record holds."""
    projects = record.projects
    return (len(record.amounts) + sum(len(p.amounts) for p in projects)
            + sum(len(i.values) for i in record.indicators) + sum(len(i.values) for p in projects for i in p.indicators))


def extract(src: SourceText) -> DocumentRecord:
    """Detect the layout of ``src`` and extract its records.

    What decoding repaired (``src.problems``: undecodable bytes, NULs) opens the record's issues,
    and every SDG target code is checked against the UN list (``extract.sdg_reference``).
    """
    from policy_kg.extract.sdg_reference import check_sdg_targets

    layout = detect_layout(src)
    record = _parse(layout, src)
    if record.kind is None and layout.name in PROFILE_KINDS:
        record.kind, record.kind_confidence = PROFILE_KINDS[layout.name], 1.0
        record.evidence = [f"profile:{layout.name}"]
    if src.problems:
        record.issues[:0] = src.problems
    return check_sdg_targets(record)
