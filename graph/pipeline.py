"""Inputs and records: input paths → records, the extraction report, and the in-memory build.

``policy-kg build`` runs :func:`graph.bulk.build_corpus`, which uses the pieces here (input expansion,
extraction with curation, document ids, the report); :func:`build_documents` builds the same graph
as an rdflib ``Dataset`` in memory for callers that want one.

One failed document never stops the others: its error is recorded in the result and the report,
and the caller decides the exit code (see ``BuildResult.exit_code``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Literal, get_args, get_origin, get_type_hints

from rdflib import Dataset

from policy_kg.extract.curation import CurationError, apply_curation, curation_path_for
from policy_kg.extract.detect import extract
from policy_kg.extract.sdg_reference import check_sdg_targets
from policy_kg.extract.records import SDG_TARGET_CODE, DocumentRecord, ExtractionIssue, aggregate_issues, from_json, to_json
from policy_kg.extract.repeats import collapse_repeats
from policy_kg.extract.source import ExtractionError, SourceText, read_source
from policy_kg.graph.builder import build_dataset
from policy_kg.graph.identity import document_ids
from policy_kg.graph.namespace import DEFAULT_BASE

RECORDS_SUFFIX = ".records.json"
TEXT_SUFFIXES = (".txt", ".text")
PDF_SUFFIXES = (".pdf",)
# A folder's documents are recognised by suffix in any case (``PLAN.PDF``, ``sheet.TXT``).
INPUT_SUFFIXES = TEXT_SUFFIXES + PDF_SUFFIXES
CURATION_SUFFIX = ".curation.yaml"

# Exit codes (documented in the README; tested in tests/test_cli.py)
EXIT_OK = 0
EXIT_VIOLATIONS = 1
EXIT_USAGE = 2
EXIT_FAILED_DOCUMENT = 3
EXIT_DROPPED = 4
EXIT_QUERY_ERROR = 5
EXIT_OUTPUT_ERROR = 73  # an output could not be written (read-only folder, disk full): EX_CANTCREAT
EXIT_INTERRUPTED = 130


@dataclass(frozen=True)
class DocumentFailure:
    file: str
    message: str
    line: int | None = None
    # the exception behind the failure, so ``--debug`` can show its traceback
    cause: BaseException | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass
class BuildResult:
    """A build in memory (:func:`build_documents`): the records and the graph as an rdflib ``Dataset``.

    This is the API for a caller that wants the ``Dataset`` (the notebook's ``policy_kg.build``, the
    tests). ``policy-kg build`` does not go through it: it streams documents through
    :func:`graph.bulk.build_corpus`, which writes the same graph (``tests/test_build_engine.py``).
    """

    dataset: Dataset
    records: list[DocumentRecord] = field(default_factory=list)
    failures: list[DocumentFailure] = field(default_factory=list)
    _base: str = field(default=DEFAULT_BASE, repr=False)

    @property
    def quads(self) -> int:
        """Quads over all graphs: a triple counts once in each graph that holds it (as in graph.trig)."""
        return sum(len(g) for g in self.dataset.graphs())

    def trig(self) -> bytes:
        """The graph as TriG, the bytes ``policy-kg build`` writes for the same inputs."""
        from policy_kg.graph.io import RdfFormat, serialize

        return serialize(self.dataset, RdfFormat.TRIG)

    def as_dataset(self) -> Dataset:
        return self.dataset

    def issue_counts(self) -> Counter[str]:
        """Issues by severity, an aggregated issue counting as many as it stands for."""
        counts: Counter[str] = Counter()
        for r in self.records:
            for issue in r.issues:
                counts[issue.severity] += issue.count
        return counts

    @property
    def exit_code(self) -> int:
        return exit_code_of(bool(self.failures), self.issue_counts())

    def report(self) -> dict:
        """The extraction report (JSON-ready, no timestamps: same input, same bytes)."""
        return build_report([document_report(r) for r in self.records], self.failures, self.quads)


def exit_code_of(failed: bool, counts: Counter[str]) -> int:
    """A build's exit code: 3 when a document could not be read, 4 when items were dropped or a
    parser step failed (an ``error`` issue: whatever it would have extracted is lost), else 0."""
    if failed:
        return EXIT_FAILED_DOCUMENT
    if counts["dropped"] or counts["error"]:
        return EXIT_DROPPED
    return EXIT_OK


def report_issue_counts(documents: list[dict]) -> Counter[str]:
    """Issues by severity over report entries (an aggregated entry counts as many as it stands for)."""
    counts: Counter[str] = Counter()
    for d in documents:
        for issue in d["issues"]:
            counts[issue["severity"]] += issue.get("count", 1)
    return counts


def build_report(documents: list[dict], failures: list[DocumentFailure], quads: int) -> dict:
    """The extraction report of a build: one entry per document (:func:`document_report`), the
    documents that could not be read, and the totals."""
    counts = report_issue_counts(documents)
    return {
        "documents": documents,
        "failures": [{"file": f.file, "line": f.line, "message": f.message} for f in failures],
        "totals": {
            "documents": len(documents),
            "failed": len(failures),
            "projects": sum(d["counts"]["projects"] for d in documents),
            "amounts": sum(d["counts"]["amounts"] for d in documents),
            "indicator_values": sum(d["counts"]["indicator_values"] for d in documents),
            "quads": quads,
            "dropped": counts["dropped"],
            "uncertain": counts["uncertain"],
            "errors": counts["error"],
        },
    }


def document_report(r: DocumentRecord) -> dict:
    """The report entry of one document (``report.json``: its kind, counts and issues)."""
    amounts = sum(len(p.amounts) + sum(len(s.amounts) for s in p.sub_projects) for p in r.projects) + len(r.amounts)
    indicators = list(r.indicators) + [i for p in r.projects for i in p.indicators]
    indicators += [i for p in r.projects for s in p.sub_projects for i in s.indicators]
    return {
        "file": r.file_name,
        "doc_id": r.doc_id,
        "layout": r.layout,
        # what kind of document, how sure, the words that showed it, and which recogniser found what
        # (labelled = by the vocabulary; listed, heading, repeated = by the document's structure)
        "kind": {"name": r.kind, "confidence": r.kind_confidence, "evidence": r.evidence},
        "found": r.findings,
        "content_hash": r.content_hash,
        "counts": {
            "elements": len(r.elements),
            "projects": len(r.projects),
            "sub_projects": sum(len(p.sub_projects) for p in r.projects),
            "amounts": amounts,
            "indicators": len(indicators),
            "indicator_values": sum(len(i.values) for i in indicators),
            "logic_model_stages": sum(len(p.logic_model) for p in r.projects),
            "partners": sum(len(p.partners) for p in r.projects),
        },
        "issues": [issue_report(i) for i in r.issues],
    }


def issue_report(i: ExtractionIssue) -> dict:
    """One issue of the report; identical issues (``IssueLog``) are one entry with their count and
    the lines of the last one, so the report grows with the distinct problems, not with the lines."""
    entry = {
        "severity": i.severity,
        "message": i.message,
        "line_start": i.span.start if i.span else None,
        "line_end": i.span.end if i.span else None,
        "item": i.item,
    }
    if i.count > 1:
        last = i.last_span or i.span
        entry.update(count=i.count, last_line_start=last.start if last else None,
                     last_line_end=last.end if last else None)
    return entry


def expand_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files named, and the documents / record files inside folders named, in a stable order.

    When nothing at all is found but a folder named held other files, an ``ExtractionError``
    names the folder and what was skipped and why, rather than the bare "no input documents".
    """
    out: list[Path] = []
    skipped: list[tuple[str, list[Path]]] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            entries = sorted(p.iterdir())
            found = [f for f in entries if f.is_file() and _is_input(f)]
            out.extend(found)
            if not found and entries:
                skipped.append((str(item).rstrip("/\\") + "/", entries))
        else:
            out.append(p)
    if not out and skipped:
        folder, entries = skipped[0]
        message = _skipped_message(entries)
        for other, other_entries in skipped[1:]:
            message += f"; {other}: {_skipped_message(other_entries)}"
        raise ExtractionError(folder, message)
    return out


def _is_input(f: Path) -> bool:
    """Whether a file found in a folder is a document or a records file to build."""
    return f.name.endswith(RECORDS_SUFFIX) or f.suffix.lower() in INPUT_SUFFIXES


# Why a file in a folder was not taken, in the order the error message lists them.
_SKIP_REASONS = (
    "file{s} of unsupported type",
    "curation file{s} without {their} document",
    "hidden file{s}",
    "subfolder{s} (folders are not searched)",
)


def _skipped_message(entries: list[Path]) -> str:
    """What to say about a folder none of whose ``entries`` is an input: what was skipped and why."""
    groups: dict[str, list[str]] = {reason: [] for reason in _SKIP_REASONS}
    for f in entries:
        if f.is_dir():
            groups[_SKIP_REASONS[3]].append(f.name + "/")
        elif f.name.startswith("."):
            groups[_SKIP_REASONS[2]].append(f.name)
        elif f.name.lower().endswith(CURATION_SUFFIX):
            groups[_SKIP_REASONS[1]].append(f.name)
        else:
            groups[_SKIP_REASONS[0]].append(f.name)
    parts = []
    for reason, names in groups.items():
        if not names:
            continue
        many = len(names) > 1
        shown = ", ".join(names[:5]) + (f", … ({len(names) - 5} more)" if len(names) > 5 else "")
        parts.append(f"{len(names)} {reason.format(s='s' if many else '', their='their' if many else 'its')}: {shown}")
    known = ", ".join(f"*{s}" for s in INPUT_SUFFIXES) + f" or *{RECORDS_SUFFIX}"
    return f"no documents to build (skipped {'; '.join(parts)}); documents are {known}"


def load_record(path: Path) -> DocumentRecord:
    """A ``DocumentRecord`` written by ``extract --records``."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        record = from_json(DocumentRecord, data)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ExtractionError(path.name, f"not a policy-kg records file: {exc}") from exc
    problem = _record_problem(record)
    if problem:
        raise ExtractionError(path.name, f"not a policy-kg records file: {problem}")
    return record


# A records file is user-editable input: its doc_id names an output file and goes into IRIs
# unescaped, SDG codes go into UN IRIs, and coded fields select ontology concepts.
_DOC_ID = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")


def _record_problem(record: DocumentRecord) -> str | None:
    """Why ``record`` (loaded from JSON) cannot be built safely, or None."""
    if not isinstance(record.doc_id, str) or not _DOC_ID.fullmatch(record.doc_id):
        return f"doc_id {record.doc_id!r} is not a slug of letters, digits, '.', '_' and '-'"
    for project in record.projects:
        for code in project.sdg_targets:
            if not isinstance(code, str) or not SDG_TARGET_CODE.fullmatch(code):
                return f"project {project.key!r}: {code!r} is not an SDG target code like 8.1 or 4.a"
    return _coded_field_problem(record)


def _coded_field_problem(obj: object) -> str | None:
    """The first ``Literal``-typed field of ``obj`` (recursively) holding a value outside its codes."""
    if isinstance(obj, (list, tuple)):
        return next((p for p in map(_coded_field_problem, obj) if p), None)
    if isinstance(obj, dict):
        return _coded_field_problem(list(obj.values()))
    if not is_dataclass(obj):
        return None
    hints = get_type_hints(type(obj))
    for f in fields(obj):
        value, tp = getattr(obj, f.name), hints[f.name]
        codes = [a for a in get_args(tp) if get_origin(a) is Literal] + ([tp] if get_origin(tp) is Literal else [])
        allowed = {c for lit in codes for c in get_args(lit)}
        if allowed and value is not None and value not in allowed:
            return f"{type(obj).__name__}.{f.name} = {value!r} is not one of {', '.join(map(str, sorted(allowed)))}"
        problem = _coded_field_problem(value)
        if problem:
            return problem
    return None


def extract_source(src: SourceText) -> DocumentRecord:
    """The records of a decoded document, a document printed twice in one file read once.

    A repetition (``extract.repeats``) is an ``info`` issue naming both line spans; the record
    keeps the file's content hash and line count.
    """
    once, repeated = collapse_repeats(src)
    record = extract(once)
    record.issues = aggregate_issues(record.issues)  # whichever parser ran: identical issues once, counted
    if repeated is not None:
        record.issues.insert(0, repeated)
        record.content_hash, record.line_count = src.content_hash, len(src.lines)
    return record


def extract_path(path: Path, *, curate: bool = True) -> DocumentRecord:
    """Records of one input: a text document (extracted) or a records JSON file (loaded).

    A curation file beside the document (``<name>.curation.yaml``) is applied when ``curate``.
    """
    record = load_record(path) if path.name.endswith(RECORDS_SUFFIX) else extract_source(read_source(path))
    curation = curation_path_for(path)
    if curate and curation.exists():
        record = apply_curation(record, curation)
    return check_sdg_targets(record)  # a records file is held to the UN list too


#: Below this many inputs ``build`` extracts in the calling process: starting workers costs more
#: (``graph.bulk.build_corpus``; an explicit ``--jobs N`` starts workers whatever the count).
PARALLEL_MIN_DOCUMENTS = 32


def iter_records(
    paths: Iterable[Path], *, curate: bool = True, progress: Callable[[Path], None] | None = None,
) -> Iterator[DocumentRecord | DocumentFailure]:
    """Each input's record (or failure), in the order of ``paths``, extracted in this process."""
    for path in paths:
        if progress is not None:
            progress(path)
        try:
            record = extract_path(path, curate=curate)
        except (ExtractionError, CurationError) as exc:
            yield DocumentFailure(exc.file, exc.message, exc.line, cause=exc)
            continue
        except Exception as exc:  # a reader's bug on one document must not lose the others (as in a build)
            yield DocumentFailure(path.name, f"internal error: {type(exc).__name__}: {exc}", cause=exc)
            continue
        yield record


def build_documents(
    inputs: Iterable[str | Path],
    *,
    base: str = DEFAULT_BASE,
    curate: bool = True,
    progress: Callable[[Path], None] | None = None,
) -> BuildResult:
    """Extract every input and build one rdflib ``Dataset`` in memory (one named graph per document).

    For a caller that wants the ``Dataset``; ``policy-kg build`` streams through
    :func:`graph.bulk.build_corpus` instead, which holds no document's triples longer than it takes
    to write them.
    """
    records: list[DocumentRecord] = []
    failures: list[DocumentFailure] = []
    for item in iter_records(expand_inputs(inputs), curate=curate, progress=progress):
        (failures if isinstance(item, DocumentFailure) else records).append(item)  # type: ignore[arg-type]
    records = identify(records)
    return BuildResult(build_dataset(records, base=base), records, failures, _base=base)


def identify(records: list[DocumentRecord]) -> list[DocumentRecord]:
    """``records`` with document ids that cannot collide (the scheme: ``graph.identity``).

    Documents sharing a stem get ``<stem>-<content hash>``; a document given twice (same stem,
    same text) is kept once, with an ``info`` issue saying so.
    """
    ids = document_ids([r.doc_id for r in records], lambda i: records[i].content_hash)
    kept: dict[tuple[str, str], DocumentRecord] = {}
    for record, doc_id in zip(records, ids):
        same = (record.doc_id, record.content_hash)
        if doc_id is None:
            kept[same].issues.append(duplicate_issue(record.file_name))
            continue
        record.doc_id = doc_id
        kept[same] = record
    return list(kept.values())


def duplicate_issue(file_name: str) -> ExtractionIssue:
    """The ``info`` issue of a document given more than once (same stem, same text): built once."""
    return ExtractionIssue("info", f"the same document ({file_name}, same text) is given more than once; built once")


def write_records(record: DocumentRecord, folder: Path) -> Path:
    """Write ``record`` as ``<doc_id>.records.json`` in ``folder`` (for review / curation)."""
    from policy_kg.graph.io import atomic_write_text

    path = folder / f"{record.doc_id}{RECORDS_SUFFIX}"  # the write makes the folder (or raises OutputError)
    atomic_write_text(path, json.dumps(to_json(record), ensure_ascii=False, indent=1, sort_keys=True) + "\n")
    return path
