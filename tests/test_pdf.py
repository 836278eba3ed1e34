"""PDF input: real PDFs drawn at test time from the bundled samples give the same lines and facts.

The PDFs are written with reportlab in the IPA Gothic TrueType font (Debian ``fonts-ipafont-gothic``),
one text line per PDF row at a fixed line height, one page per page of the sample (its page-start
lines, which begin with one space) and at most about 50 lines per page. Without the font or reportlab
the tests skip with the reason; in CI (``CI=true``) they fail instead, as a missing seed does.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pytest

from build_graph import main
from policy_kg.extract.detect import extract
from policy_kg.extract.pdf import ENCODING, read_pdf
from policy_kg.extract.records import DocumentRecord
from policy_kg.extract.source import ExtractionError, UnreadableDocument, read_source
from policy_kg.graph.pipeline import build_documents, expand_inputs
from tests.conftest import SAMPLES

SHEET = SAMPLES / "midorino_city_evaluation_sheet.txt"
PLAN = SAMPLES / "kitakaze_agency_business_plan.txt"

FONT_NAME = "IPAGothic"
FONT_SIZE = 10.0
LINE_HEIGHT = 14.0  # fixed pitch: one sample line → one PDF row, blank lines → empty rows
MARGIN = 40.0
LINES_PER_PAGE = 50
LONGEST_PAGE = 60  # a sample page longer than this is cut into pages of about LINES_PER_PAGE

_FONT_PATHS = (
    "/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf",
    "/usr/share/fonts/truetype/fonts-japanese-gothic.ttf",
    "/usr/share/fonts/truetype/ipafont-gothic/ipag.ttf",
)


# --- making PDFs --------------------------------------------------------------------------------------


def _missing(reason: str) -> None:
    """Skip with ``reason`` on a user's machine; fail in CI, where the dependency must be present."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(reason)


@lru_cache(maxsize=1)
def _font_file() -> str | None:
    for path in _FONT_PATHS:
        if Path(path).is_file():
            return path
    if shutil.which("fc-list"):
        listing = subprocess.run(["fc-list", ":family=IPAGothic", "file"], capture_output=True, text=True).stdout
        for line in listing.splitlines():
            path = line.split(":")[0].strip()
            if path and Path(path).is_file():
                return path
    return None


def japanese_font() -> str:
    """The reportlab name of the registered IPA Gothic font (skips or fails when unavailable)."""
    try:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont
    except ImportError:
        _missing("reportlab is not installed (pip install -e '.[test]')")
    path = _font_file()
    if path is None:
        _missing("the IPA Gothic font is not installed (apt-get install fonts-ipafont-gothic)")
    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, path))
    return FONT_NAME


@dataclass(frozen=True)
class Text:
    """A string drawn at ``x`` points from the left and ``y`` points below the top margin."""

    x: float
    y: float
    text: str
    size: float = FONT_SIZE


def write_pdf(path: Path, pages: Sequence[Sequence[Text]], *, encrypt: str | None = None,
              compress: bool = True, rectangle: bool = False) -> Path:
    """Draw ``pages`` into a PDF at ``path`` (pages as tall and wide as their text needs)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfgen import canvas

    font = japanese_font()
    texts = [t for page in pages for t in page]
    width = max([595.0] + [2 * MARGIN + t.x + pdfmetrics.stringWidth(t.text, font, t.size) for t in texts])
    height = max([842.0] + [2 * MARGIN + t.y + t.size for t in texts])
    pdf = canvas.Canvas(str(path), pagesize=(width, height), encrypt=encrypt, pageCompression=int(compress),
                        invariant=1)
    for page in pages:
        if rectangle:
            pdf.rect(MARGIN, MARGIN, 200, 100, fill=1)
        for t in page:
            pdf.setFont(font, t.size)
            pdf.drawString(MARGIN + t.x, height - MARGIN - t.y - t.size, t.text)
        pdf.showPage()
    pdf.save()
    return path


def is_page_start(line: str) -> bool:
    """The text dumps' page mark (``extract.profiles.business_plan.text._is_page_start``): one leading space."""
    return line.startswith(" ") and not line.startswith("  ") and bool(line.strip())


def sample_lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").rstrip("\n").split("\n")


def sample_pages(lines: Sequence[str]) -> list[list[str]]:
    """The sample's pages: cut at its page marks, and long pages again at about 50 lines.

    A page starts and ends with a printed line, since a PDF cannot show where a page's leading or
    trailing blank lines were; the extra cuts are placed between two printed lines.
    """
    pages: list[list[str]] = []
    for line in lines:
        if not pages or is_page_start(line):
            pages.append([])
        pages[-1].append(line)
    out: list[list[str]] = []
    for page in pages:
        while len(page) > LONGEST_PAGE:
            cut = next(i for i in range(LINES_PER_PAGE, len(page)) if page[i].strip() and page[i - 1].strip())
            out.append(page[:cut])
            page = page[cut:]
        out.append(page)
    for page in out:
        assert page[0].strip() and page[-1].strip(), "a page must start and end with a printed line"
    return out


def draw_lines(pages: Sequence[Sequence[str]]) -> list[list[Text]]:
    """One PDF row per line, at a fixed line height; blank lines are empty rows."""
    return [[Text(0, i * LINE_HEIGHT, line.strip()) for i, line in enumerate(page) if line.strip()]
            for page in pages]


def expected_lines(pages: Sequence[Sequence[str]]) -> list[str]:
    """What the PDF must read back as: indentation and runs of spaces (also full-width) become one
    space between words, and the first line of every page gets the one-space page mark."""
    out = []
    for page in pages:
        for i, line in enumerate(page):
            text = re.sub(r"[\s\u3000]+", " ", line).strip()
            out.append(" " + text if i == 0 else text)
    return out


@pytest.fixture
def pdf_of(tmp_path):
    """``pdf_of(sample)`` → (a PDF of the sample named like it, the sample's pages)."""

    def make(sample: Path, name: str | None = None) -> tuple[Path, list[list[str]]]:
        pages = sample_pages(sample_lines(sample))
        return write_pdf(tmp_path / (name or sample.with_suffix(".pdf").name), draw_lines(pages)), pages

    return make


# --- comparing records --------------------------------------------------------------------------------


def facts(r: DocumentRecord) -> dict[str, set[tuple]]:
    """The facts a PDF must reproduce, each with its line span."""
    out: dict[str, set[tuple]] = {k: set() for k in ("elements", "projects", "amounts", "indicators", "values")}
    for e in r.elements:
        out["elements"].add((e.key, e.level, e.name, e.number, e.parent, e.span))
    owners: list = []
    for p in r.projects:
        out["projects"].add((p.key, p.number, p.name, tuple(p.parents), tuple(p.sdg_targets), p.pillar,
                             p.priority, p.direction, p.legal_basis, p.span))
        owners += [p, *p.sub_projects]
    for o in owners:
        for a in o.amounts:
            out["amounts"].add((o.key, a.category, a.fiscal_year, a.jpy, a.status, a.printed, a.span))
    for owner, indicators in [("", r.indicators), *((o.key, o.indicators) for o in owners)]:
        for ind in indicators:
            out["indicators"].add((owner, ind.key, ind.name, ind.kind, ind.unit, ind.span))
            for v in ind.values:
                out["values"].add((owner, ind.key, v.role, v.fiscal_year, v.value, v.qualifier, v.span))
    return out


# --- the samples as PDFs ------------------------------------------------------------------------------


@pytest.mark.parametrize("sample", [SHEET, PLAN], ids=["sheet", "plan"])
def test_pdf_of_a_sample_reads_back_line_for_line(pdf_of, sample):
    pdf, pages = pdf_of(sample)
    src = read_source(pdf)
    assert len(pages) > 5  # really a multi-page PDF
    assert src.encoding == ENCODING == "pdf"
    assert src.doc_id == read_source(sample).doc_id and src.file_name == pdf.name
    assert list(src.lines) == expected_lines(pages)
    assert len(src.lines) == len(sample_lines(sample))  # one text line ↔ one PDF row: same numbering


@pytest.mark.parametrize("sample", [SHEET, PLAN], ids=["sheet", "plan"])
def test_pdf_of_a_sample_gives_the_same_facts_on_the_same_lines(pdf_of, sample):
    pdf, _ = pdf_of(sample)
    text, from_pdf = extract(read_source(sample)), extract(read_source(pdf))
    assert from_pdf.layout == text.layout and from_pdf.doc_id == text.doc_id
    a, b = facts(text), facts(from_pdf)
    assert a["projects"] and a["amounts"] and a["values"], "nothing to compare: the sample changed"
    for kind in a:
        assert b[kind] == a[kind], kind
    assert _issues(from_pdf) == _issues(text)


def _issues(r: DocumentRecord) -> list[tuple]:
    return [(i.severity, i.message, i.span, i.item) for i in r.issues]


def test_building_a_pdf_reports_the_same_counts_as_its_text(pdf_of):
    for sample in (SHEET, PLAN):
        pdf, _ = pdf_of(sample)
        text, from_pdf = build_documents([sample], curate=False), build_documents([pdf], curate=False)
        assert not from_pdf.failures and from_pdf.exit_code == text.exit_code
        (a,), (b,) = text.report()["documents"], from_pdf.report()["documents"]
        assert b["file"] == pdf.name and b["counts"] == a["counts"] and b["layout"] == a["layout"]


def test_cli_builds_a_folder_of_pdfs_with_upper_case_suffixes(tmp_path, pdf_of):
    folder = tmp_path / "docs"
    folder.mkdir()
    pdf_of(SHEET, "docs/SHEET.PDF")
    shutil.copy(PLAN, folder / "PLAN.TXT")
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")  # beside documents: skipped quietly, as before
    assert [p.name for p in expand_inputs([folder])] == ["PLAN.TXT", "SHEET.PDF"]
    assert main(["build", str(folder), "--out", str(tmp_path / "out"), "--quiet", "--no-curation"]) == 0
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert sorted((d["file"], d["layout"]) for d in report["documents"]) == [
        ("PLAN.TXT", "business_plan"), ("SHEET.PDF", "evaluation_sheet")]
    assert report["totals"]["failed"] == 0


@pytest.mark.parametrize("name", ["a.pdf", "b.PDF", "c.Pdf", "d.txt", "e.TXT", "f.Text", "g.TEXT"])
def test_document_suffixes_count_in_any_case(tmp_path, name):
    (tmp_path / name).write_bytes(b"x")
    assert expand_inputs([tmp_path]) == [tmp_path / name]


# --- how rows and spaces are rebuilt ------------------------------------------------------------------


def test_cells_drawn_apart_are_one_line_with_one_space_between(tmp_path):
    row = [Text(0, 0, "事業費"), Text(100, 0, "150,084"), Text(190, 0, "2,500"), Text(260, 0, "千円")]
    # drawn right to left, and one cell a point off the baseline: position decides, not stream order
    jittered = [Text(t.x, t.y + (1.0 if i == 2 else 0.0), t.text) for i, t in enumerate(row)][::-1]
    pdf = write_pdf(tmp_path / "table.pdf", [jittered])
    assert read_source(pdf).lines == (" 事業費 150,084 2,500 千円",)


def test_touching_glyphs_are_not_letter_spaced_and_spaces_survive(tmp_path):
    from reportlab.pdfbase import pdfmetrics

    font = japanese_font()
    word = "観光振興課"
    x, glyphs = 0.0, []
    for ch in word:  # each glyph drawn on its own, where the previous one ends
        glyphs.append(Text(x, 0, ch))
        x += pdfmetrics.stringWidth(ch, font, FONT_SIZE)
    rows = [
        glyphs,
        [Text(0, LINE_HEIGHT, "事業名 自然公園施設維持管理事業")],  # one ASCII space inside a string
        [Text(0, 2 * LINE_HEIGHT, "項　目 R4 R5 R6")],  # a full-width space becomes one space
        [Text(0, 3 * LINE_HEIGHT, "令和6年度"), Text(pdfmetrics.stringWidth("令和6年度", font, FONT_SIZE), 3 * LINE_HEIGHT, "予算")],
    ]
    pdf = write_pdf(tmp_path / "glyphs.pdf", [[t for row in rows for t in row]])
    assert read_source(pdf).lines == (" 観光振興課", "事業名 自然公園施設維持管理事業", "項 目 R4 R5 R6", "令和6年度予算")


def test_empty_rows_become_blank_lines_and_pages_get_the_page_mark(tmp_path):
    pages = [
        [Text(0, 0, "施策１"), Text(0, LINE_HEIGHT, "観光資源"), Text(0, 4 * LINE_HEIGHT, "事業費")],
        [Text(20, 0, "事業名 A"), Text(0, 2 * LINE_HEIGHT, "担当")],
    ]
    pdf = write_pdf(tmp_path / "pages.pdf", pages)
    assert read_source(pdf).lines == (" 施策１", "観光資源", "", "", "事業費", " 事業名 A", "", "担当")


# --- malformed PDFs: one clear error naming the file, exit 3, never a traceback -----------------------


@pytest.fixture
def good_pdf(tmp_path) -> bytes:
    pages = sample_pages(sample_lines(PLAN))[:3]
    return write_pdf(tmp_path / "good.pdf", draw_lines(pages)).read_bytes()


def _bad_pdfs(tmp_path: Path, good: bytes) -> dict[str, tuple[Path, str]]:
    """name → (a malformed PDF, the words its error must contain)."""
    cases: dict[str, tuple[Path, str]] = {}
    truncated = tmp_path / "truncated.pdf"
    truncated.write_bytes(good[: len(good) * 2 // 3])
    cases["truncated"] = (truncated, "truncated PDF")
    encrypted = write_pdf(tmp_path / "encrypted.pdf", [[Text(0, 0, "事業費 150,084 千円")]], encrypt="pw")
    cases["encrypted"] = (encrypted, "encrypted PDF")
    cases["no-text"] = (write_pdf(tmp_path / "scan.pdf", [[]], rectangle=True), "no text layer (a scanned PDF?); OCR it first")
    renamed = tmp_path / "plan.pdf"
    shutil.copy(PLAN, renamed)
    cases["text-named-pdf"] = (renamed, "not a PDF")
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    cases["empty"] = (empty, "the file is empty")
    hollow = tmp_path / "hollow.pdf"  # the envelope of a PDF with nothing inside
    hollow.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n")
    cases["hollow"] = (hollow, "PDF")
    return cases


@pytest.mark.parametrize("case", ["truncated", "encrypted", "no-text", "text-named-pdf", "empty", "hollow"])
def test_malformed_pdfs_are_unreadable_documents_naming_the_file(tmp_path, good_pdf, case):
    path, words = _bad_pdfs(tmp_path, good_pdf)[case]
    with pytest.raises(UnreadableDocument) as info:
        read_source(path)
    assert str(info.value).startswith(f"{path.name}: ") and words in info.value.message
    assert info.value.exit_code == 3


def test_an_encrypted_pdf_readable_without_a_password_is_read(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption

    japanese_font()
    owner_only = StandardEncryption("", ownerPassword="owner", canPrint=1, canCopy=0)  # no user password
    pdf = write_pdf(tmp_path / "owner.pdf", [[Text(0, 0, "事業費 150,084 千円")]], encrypt=owner_only)
    assert read_source(pdf).lines == (" 事業費 150,084 千円",)


def test_cli_reports_each_bad_pdf_in_one_line_and_builds_the_rest(tmp_path, good_pdf, capsys):
    cases = _bad_pdfs(tmp_path, good_pdf)
    good = tmp_path / "sheet.pdf"
    write_pdf(good, draw_lines(sample_pages(sample_lines(SHEET))))
    code = main(["build", *(str(p) for p, _ in cases.values()), str(good), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err
    assert code == 3 and "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(errors) == len(cases)
    for (path, words), line in zip(cases.values(), errors):
        assert line.startswith(f"error: {path.name}: ") and words in line
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [d["file"] for d in report["documents"]] == ["sheet.pdf"]


def test_pdf_reader_turns_parser_crashes_into_unreadable_documents(monkeypatch, good_pdf):
    import pdfplumber

    def crash(*args, **kwargs):
        raise KeyError("/Kids")

    monkeypatch.setattr(pdfplumber, "open", crash)
    with pytest.raises(UnreadableDocument, match=r"^x\.pdf: damaged PDF, cannot be read \(KeyError"):
        read_pdf(good_pdf, "x.pdf")


def test_pdf_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch, good_pdf):
    import policy_kg.extract.source as source_module

    path = tmp_path / "big.pdf"
    path.write_bytes(good_pdf)
    monkeypatch.setattr(source_module, "MAX_BYTES", len(good_pdf) - 1)
    with pytest.raises(UnreadableDocument, match="limit is"):
        read_source(path)


# --- folders with nothing to build --------------------------------------------------------------------


def test_a_folder_of_unsupported_files_names_what_was_skipped(tmp_path, capsys):
    folder = tmp_path / "docs"
    folder.mkdir()
    for name in ("a.docx", "b.xlsx"):
        (folder / name).write_bytes(b"PK\x03\x04")
    with pytest.raises(ExtractionError) as info:
        expand_inputs([folder])
    assert str(info.value).startswith(f"{folder}/: no documents to build (skipped 2 files of unsupported type: a.docx, b.xlsx)")
    code = main(["build", str(folder), "--out", str(tmp_path / "out"), "-q"])
    err = capsys.readouterr().err.strip()
    assert code == 3 and err.count("\n") == 0
    assert err.startswith(f"error: {folder}/: no documents to build (skipped 2 files of unsupported type: a.docx, b.xlsx)")
    assert "*.pdf" in err  # and says what would have been read


def test_the_skipped_files_message_gives_each_reason(tmp_path):
    folder = tmp_path / "mixed"
    (folder / "old").mkdir(parents=True)
    for name in ("report.docx", ".DS_Store", "plan.txt.curation.yaml"):
        (folder / name).write_text("x", encoding="utf-8")
    with pytest.raises(ExtractionError) as info:
        expand_inputs([str(folder) + "/"])
    assert info.value.file == f"{folder}/"
    assert info.value.message.startswith(
        "no documents to build (skipped 1 file of unsupported type: report.docx; 1 curation file without its "
        "document: plan.txt.curation.yaml; 1 hidden file: .DS_Store; 1 subfolder (folders are not searched): old/)"
    )


def test_an_empty_folder_and_a_folder_with_documents_behave_as_before(tmp_path, capsys):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert expand_inputs([empty]) == []
    assert main(["build", str(empty), "--out", str(tmp_path / "out"), "-q"]) == 3
    assert f"no input documents found in {empty}" in capsys.readouterr().err
    other = tmp_path / "other"
    other.mkdir()
    (other / "a.docx").write_bytes(b"x")
    shutil.copy(PLAN, tmp_path / PLAN.name)
    # something to build: the folder of unsupported files is skipped quietly, as before
    assert expand_inputs([other, tmp_path / PLAN.name]) == [tmp_path / PLAN.name]


ENGINE_FIXTURES = sorted((Path(__file__).parent / "data" / "engine").glob("*.txt"))


@pytest.mark.parametrize("fixture", ENGINE_FIXTURES, ids=lambda p: p.stem)
def test_pdf_of_a_document_the_engine_reads_gives_the_same_facts(pdf_of, fixture):
    assert ENGINE_FIXTURES
    pdf, _ = pdf_of(fixture)
    from_text, from_pdf = extract(read_source(fixture)), extract(read_source(pdf))
    assert (from_pdf.layout, from_pdf.kind) == (from_text.layout, from_text.kind)
    assert facts(from_pdf) == facts(from_text)
    assert [(a.jpy, a.printed, a.span) for a in from_pdf.amounts] == [(a.jpy, a.printed, a.span) for a in from_text.amounts]
