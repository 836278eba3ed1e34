"""Fuzzing the extractors with mutated sample text: a record or an ExtractionError, nothing else.

Lines of the bundled samples are deleted, duplicated, shuffled, truncated and sprinkled with random
characters. Each example must end, within a time limit, in a ``DocumentRecord`` that the builder
turns into triples, or in an ``extract.source.ExtractionError`` — never another exception or a hang.
The example count is small so CI stays fast; ``bench/fuzz.py`` runs the same properties for minutes.
"""

from __future__ import annotations

import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_kg.extract.business_plan import parse_business_plan
from policy_kg.extract.detect import extract
from policy_kg.extract.engine.reader import read_document
from policy_kg.extract.evaluation_sheet import parse_evaluation_sheet
from policy_kg.extract.records import DocumentRecord
from policy_kg.extract.source import ExtractionError, SourceText
from policy_kg.graph.builder import build_dataset
from tests.conftest import SAMPLES

SHEET_LINES = tuple((SAMPLES / "midorino_city_evaluation_sheet.txt").read_text(encoding="utf-8").split("\n"))
PLAN_LINES = tuple((SAMPLES / "kitakaze_agency_business_plan.txt").read_text(encoding="utf-8").split("\n"))
# the engine's own fixtures (invented documents of every kind it reads), one after the other
ENGINE_LINES = tuple(line for f in sorted((SAMPLES.parent / "tests" / "data" / "engine").glob("*.txt"))
                     for line in f.read_text(encoding="utf-8").split("\n"))
SECONDS_PER_EXAMPLE = 20.0  # a clean sample parses in well under a second
CI_EXAMPLES = 40

# Characters that matter to the parsers: digits of both widths, separators, brackets, markers,
# era words, table words — plus anything at all.
_ALPHABET = st.one_of(
    st.sampled_from(list("0123456789０１２３４５６７８９,，.．-－―▲△◎①②③ⅠⅡⅢ（）()【】・/／　 \t千万億円年度令和施策事業費柱")),
    st.characters(codec="utf-8", exclude_categories=("Cs",)),
)


class ExampleTimeout(BaseException):
    """Raised in the parser when an example runs too long (a BaseException so no parser swallows it)."""


@contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    """Interrupt the enclosed block after ``seconds`` (Unix, main thread)."""

    def expire(signum, frame):
        raise ExampleTimeout(f"example took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Mutation:
    kind: str  # delete | duplicate | shuffle | insert | truncate
    at: float  # position in the document, 0..1 (so one strategy fits documents of any length)
    size: int
    text: str

    def apply(self, lines: list[str]) -> list[str]:
        if not lines:
            return lines
        i = min(int(self.at * len(lines)), len(lines) - 1)
        j = min(len(lines), i + self.size)
        if self.kind == "delete":
            return lines[:i] + lines[j:]
        if self.kind == "duplicate":
            return lines[:j] + lines[i:j] + lines[j:]
        if self.kind == "shuffle":
            block = lines[i:j]
            r = len(self.text) % len(block)  # rotate, then reverse: a deterministic shuffle
            return lines[:i] + (block[r:] + block[:r])[::-1] + lines[j:]
        if self.kind == "insert":
            line = lines[i]
            k = self.size % (len(line) + 1)
            return lines[:i] + [line[:k] + self.text + line[k:]] + lines[i + 1:]
        line = lines[i]  # truncate
        return lines[:i] + [line[: self.size % (len(line) + 1)]] + lines[i + 1:]


mutations = st.builds(
    Mutation,
    kind=st.sampled_from(["delete", "duplicate", "shuffle", "insert", "truncate"]),
    at=st.floats(min_value=0, max_value=1, allow_nan=False),
    size=st.integers(min_value=1, max_value=40),
    text=st.text(_ALPHABET, max_size=12),
)


def mutated(lines: tuple[str, ...]) -> st.SearchStrategy[str]:
    """Text of ``lines`` after 1–8 mutations."""
    return st.lists(mutations, min_size=1, max_size=8).map(lambda ms: _apply_all(lines, ms))


def _apply_all(lines: tuple[str, ...], ms: list[Mutation]) -> str:
    out = list(lines)
    for m in ms:
        out = m.apply(out)
    return "\n".join(out)


def check_extraction(text: str, parse: Callable[[SourceText], DocumentRecord]) -> DocumentRecord | None:
    """The fuzz property: ``parse`` gives a record the builder accepts, or an ExtractionError."""
    src = SourceText.from_text(text, "fuzz.txt")
    with time_limit(SECONDS_PER_EXAMPLE):
        try:
            record = parse(src)
        except ExtractionError as exc:
            assert str(exc).startswith("fuzz.txt") and exc.exit_code == 3
            return None
        assert isinstance(record, DocumentRecord)
        for issue in record.issues:
            if issue.span is not None:
                assert 1 <= issue.span.start <= issue.span.end <= len(src.lines), issue
        ds = build_dataset([record], reference=False)
        assert len(ds) > 0
    return record


TARGETS: dict[str, tuple[Callable[[SourceText], DocumentRecord], tuple[str, ...]]] = {
    "sheet-parser": (parse_evaluation_sheet, SHEET_LINES),
    "plan-parser": (parse_business_plan, PLAN_LINES),
    "detect-sheet": (extract, SHEET_LINES),
    "detect-plan": (extract, PLAN_LINES),
    "engine-fixtures": (read_document, ENGINE_LINES),
    "engine-sheet": (read_document, SHEET_LINES),  # the engine reading a profile's layout
}

CI_SETTINGS = settings(
    max_examples=CI_EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def property_for(name: str, *, config: settings = CI_SETTINGS) -> Callable[[], None]:
    """A hypothesis test of :func:`check_extraction` on mutations of one sample (reused by bench/fuzz.py)."""
    parse, lines = TARGETS[name]

    @config
    @given(text=mutated(lines))
    def run(text: str) -> None:
        check_extraction(text, parse)

    return run


@pytest.mark.parametrize("name", sorted(TARGETS))
def test_mutated_samples_give_a_record_or_an_extraction_error(name):
    property_for(name)()


def test_the_unmutated_samples_pass_the_property():
    for name, (parse, lines) in TARGETS.items():
        record = check_extraction("\n".join(lines), parse)
        assert record is not None and record.projects, name


@pytest.mark.parametrize("parse", [parse_evaluation_sheet, parse_business_plan], ids=["sheet", "plan"])
def test_each_parser_rejects_the_other_layout_cleanly(parse):
    other = PLAN_LINES if parse is parse_evaluation_sheet else SHEET_LINES
    with pytest.raises(ExtractionError):
        parse(SourceText.from_text("\n".join(other), "other.txt"))


def test_time_limit_interrupts_a_hang():
    with pytest.raises(ExampleTimeout):
        with time_limit(0.2):
            while True:
                pass


@given(text=st.text(_ALPHABET, max_size=400))
@settings(max_examples=CI_EXAMPLES, deadline=None, derandomize=True, database=None)
def test_arbitrary_short_text_gives_a_record_or_an_extraction_error(text):
    check_extraction(text, extract)


# --- PDF input: mutated bytes of a small generated PDF ------------------------------------------------

PDF_EXAMPLES = 30


@dataclass(frozen=True)
class ByteMutation:
    """One change to a file's bytes, placed by a fraction of its length (fits files of any size)."""

    kind: str  # flip | replace | delete | insert | duplicate | truncate
    at: float  # position in the file, 0..1
    size: int
    data: bytes

    def apply(self, data: bytes) -> bytes:
        if not data:
            return data
        i = min(int(self.at * len(data)), len(data) - 1)
        j = min(len(data), i + self.size)
        if self.kind == "flip":
            return data[:i] + bytes([data[i] ^ (1 << (self.size % 8))]) + data[i + 1:]
        if self.kind == "replace":
            return data[:i] + self.data + data[i + len(self.data):]
        if self.kind == "delete":
            return data[:i] + data[j:]
        if self.kind == "insert":
            return data[:i] + self.data + data[i:]
        if self.kind == "duplicate":
            return data[:j] + data[i:j] + data[j:]
        return data[:i]  # truncate


byte_mutations = st.builds(
    ByteMutation,
    kind=st.sampled_from(["flip", "replace", "delete", "insert", "duplicate", "truncate"]),
    at=st.floats(min_value=0, max_value=1, allow_nan=False),
    size=st.integers(min_value=1, max_value=200),
    # bytes that mean something to a PDF parser, plus anything at all
    data=st.one_of(st.sampled_from([b"obj", b"endobj", b"stream", b"endstream", b"xref", b"trailer", b"%%EOF",
                                    b"<<", b">>", b"/Length 0", b"(", b")", b"Tj", b"BT", b"ET", b"0 0 R"]),
                   st.binary(min_size=1, max_size=16)),
)


def _small_pdfs() -> tuple[bytes, bytes]:
    """The first pages of the plan sample as a PDF, compressed and not (skips or fails without the font)."""
    import tempfile
    from pathlib import Path

    from tests.test_pdf import PLAN, draw_lines, sample_lines, sample_pages, write_pdf

    pages = draw_lines(sample_pages(sample_lines(PLAN))[:3])
    with tempfile.TemporaryDirectory() as tmp:
        compressed, plain = (write_pdf(Path(tmp) / f"{c}.pdf", pages, compress=c).read_bytes() for c in (True, False))
    return compressed, plain


def check_pdf(data: bytes) -> DocumentRecord | None:
    """The fuzz property for PDFs: a record the builder accepts, or an ExtractionError naming the file."""
    from policy_kg.extract.pdf import read_pdf

    with time_limit(SECONDS_PER_EXAMPLE):  # a guard against a hang, not a speed requirement
        try:
            src = read_pdf(data, "fuzz.pdf")
            record = extract(src)
        except ExtractionError as exc:
            assert str(exc).startswith("fuzz.pdf") and exc.exit_code == 3
            return None
        assert isinstance(record, DocumentRecord)
        for issue in record.issues:
            if issue.span is not None:
                assert 1 <= issue.span.start <= issue.span.end <= len(src.lines), issue
        assert len(build_dataset([record], reference=False)) > 0
    return record


def test_mutated_pdfs_give_a_record_or_an_extraction_error():
    pdfs = _small_pdfs()
    assert all(check_pdf(pdf) is not None for pdf in pdfs)  # unmutated, both read and parse

    @settings(max_examples=PDF_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(which=st.sampled_from([0, 1]), ms=st.lists(byte_mutations, min_size=1, max_size=6))
    def run(which: int, ms: list[ByteMutation]) -> None:
        data = pdfs[which]
        for m in ms:
            data = m.apply(data)
        check_pdf(data)

    run()
