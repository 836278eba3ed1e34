"""The project's own sample documents: well-formed, consistent with their expected facts, not copied.

Each ``samples/<name>.txt`` has a hand-written ``samples/<name>.expected.json``. These tests read the
text with small, sample-specific checks (not the project's extractors) so that a wrong figure in an
expected file, or an edit to a sample that breaks its expected file, fails here.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
SHEET = "midorino_city_evaluation_sheet"
PLAN = "kitakaze_agency_business_plan"
SEED_NAMES = ("000_27ae6de2eb66d617.txt", "001_f1598f5ae4c769cb.txt")
#: A sample line at least this long must not occur in a seed (short lines are form labels).
COPY_GUARD_LENGTH = 24

_FULL_WIDTH_DIGITS = str.maketrans("0123456789", "０１２３４５６７８９")
_FULL_WIDTH_NUMBER = str.maketrans("0123456789,", "０１２３４５６７８９，")
_CATEGORY_LABELS = {"total": "事業費", "general_fund": "所要一般財源", "personnel": "概算人件費"}


def _discovered() -> list[str]:
    return sorted(p.name[: -len(".txt")] for p in SAMPLES.glob("*.txt"))


SAMPLE_NAMES = _discovered()


# --- helpers -----------------------------------------------------------------------------------


def _text(name: str) -> str:
    return (SAMPLES / f"{name}.txt").read_text(encoding="utf-8")


def _lines(name: str) -> list[str]:
    return _text(name).split("\n")


def _expected(name: str) -> dict[str, Any]:
    return json.loads((SAMPLES / f"{name}.expected.json").read_text(encoding="utf-8"))


def _joined(name: str) -> str:
    """The text with line breaks removed, so a phrase wrapped over lines can still be found."""
    return _text(name).replace("\n", "")


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _thousands(jpy: int) -> str:
    """``12800000`` → ``12,800`` (the 千円 figure as a table prints it)."""
    assert jpy % 1000 == 0, f"{jpy} yen is not a whole number of 千円"
    return f"{jpy // 1000:,}"


def _yen(printed: str) -> int:
    """Integer yen of a printed amount (千円, 万円, 億円 and mixed; full- or half-width digits)."""
    s = _nfkc(printed).replace(",", "")
    m = re.fullmatch(r"(?:(\d+)億)?(?:(\d+)万)?(?:(\d+)千)?円", s)
    assert m and any(m.groups()), f"not an amount: {printed!r}"
    oku, man, sen = (int(g) if g else 0 for g in m.groups())
    return oku * 100_000_000 + man * 10_000 + sen * 1_000


def _rate(rate_text: str) -> Fraction:
    """``助成対象経費の3分の2以内`` → 2/3."""
    m = re.search(r"(\d+)分の(\d+)", _nfkc(rate_text))
    assert m, f"no rate in {rate_text!r}"
    return Fraction(int(m.group(2)), int(m.group(1)))


def _full_width(n: int | str) -> str:
    return str(n).translate(_FULL_WIDTH_DIGITS)


def _next_nonblank(lines: list[str], i: int) -> int:
    """Index of the first non-blank line after ``i``."""
    j = i + 1
    while not lines[j].strip():
        j += 1
    return j


# --- all samples ---------------------------------------------------------------------------------


def test_both_samples_are_discovered_with_expected_files() -> None:
    assert SAMPLE_NAMES == sorted([SHEET, PLAN])
    for name in SAMPLE_NAMES:
        assert (SAMPLES / f"{name}.expected.json").is_file(), name
    assert (SAMPLES / "README.md").is_file()


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_sample_is_plain_utf8_text(name: str) -> None:
    data = (SAMPLES / f"{name}.txt").read_bytes()
    text = data.decode("utf-8")  # strict: raises on invalid UTF-8
    assert not data.startswith(b"\xef\xbb\xbf"), "no BOM: the seeds have none"
    assert "\r" not in text and "\0" not in text
    assert text.endswith("\n")
    assert any("\u3040" <= ch <= "\u30ff" for ch in text), "the sample should be Japanese text"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_expected_file_parses_and_names_its_layout(name: str) -> None:
    expected = _expected(name)
    assert expected["layout"] == {SHEET: "evaluation_sheet", PLAN: "business_plan"}[name]
    assert expected["projects"], "an expected file with no projects tests nothing"


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_project_name_appears_in_the_text(name: str) -> None:
    text = _text(name)
    for project in _expected(name)["projects"]:
        assert project["name"] in text, project["name"]
        for alt in project.get("alt_names", []):
            assert alt in text, alt


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_every_partner_and_organisation_is_named_on_one_line(name: str) -> None:
    lines = _lines(name)
    expected = _expected(name)
    names = set(expected["organisations"])
    for project in expected["projects"]:
        names.update(project["partners"])
        assert set(project["partners"]) <= set(expected["organisations"]), project["name"]
    for org in names:
        assert any(org in line for line in lines), org


@pytest.mark.parametrize("name", SAMPLE_NAMES)
def test_no_long_sample_line_is_copied_from_a_seed(
    name: str, seed_path: Callable[[str], Path]
) -> None:
    seeds = [seed_path(s).read_text(encoding="utf-8") for s in SEED_NAMES]
    seeds += [_nfkc(s) for s in seeds]
    checked = 0
    for number, line in enumerate(_lines(name), start=1):
        s = line.strip()
        if len(s) < COPY_GUARD_LENGTH:
            continue
        checked += 1
        for variant in {s, _nfkc(s)}:
            assert not any(variant in seed for seed in seeds), f"{name}.txt:{number} occurs in a seed: {s}"
    assert checked > 50, "the guard must actually look at the long lines"


# --- the evaluation sheet ------------------------------------------------------------------------


def _detail_blocks(lines: list[str]) -> list[dict[str, Any]]:
    """The project blocks of the detail sheets: 事業名 line, 担当部・課 line and the three cost lines."""
    blocks = []
    for i, line in enumerate(lines):
        if not line.lstrip().startswith("事業名"):
            continue
        head = line.strip()[len("事業名"):].strip()
        name, _, basis = head.rpartition(" ")
        name = name.replace("法定／自主", "").strip() or None
        unit_i = _next_nonblank(lines, i)
        unit_line = lines[unit_i]
        costs, j = {}, unit_i
        for label in _CATEGORY_LABELS.values():
            j = _next_nonblank(lines, j)
            cells = lines[j].split()
            assert cells[0] == label, f"line {j + 1}: expected {label}, got {lines[j]!r}"
            costs[label] = cells[1:]
        blocks.append({"line": i + 1, "name": name, "basis": basis, "unit": unit_line, "costs": costs,
                       "number_lost": line.startswith(" ")})
    return blocks


def _sheet_projects() -> list[dict[str, Any]]:
    return _expected(SHEET)["projects"]


def test_sheet_detail_blocks_agree_with_expected_projects() -> None:
    blocks = _detail_blocks(_lines(SHEET))
    projects = _sheet_projects()
    assert len(blocks) == len(projects)
    basis_word = {"statutory": "法定", "discretionary": "自主"}
    for block, project in zip(blocks, projects):
        where = f"line {block['line']} vs project {project['measure']}-{project['number']}"
        assert block["name"] in (None, project["name"]), where
        assert block["basis"] == basis_word[project["legal_basis"]], where
        unit = re.sub(r"[・　 ]", "", block["unit"].split("次年度方針")[0].replace("担当部・課", ""))
        assert unit == project["department"] + project["division"], where
        assert block["unit"].split()[-1] == project["direction"], where
        for amount in project["budgets"]:
            column = {2023: 0, 2024: 1}[amount["fiscal_year"]]
            printed = block["costs"][_CATEGORY_LABELS[amount["category"]]][column]
            assert printed == _thousands(amount["amount_jpy"]), f"{where}: {amount}"


def test_sheet_budgets_are_complete_and_consistently_labelled() -> None:
    for project in _sheet_projects():
        keys = {(a["fiscal_year"], a["category"]) for a in project["budgets"]}
        assert keys == {(y, c) for y in (2023, 2024) for c in _CATEGORY_LABELS}, project["name"]
        for amount in project["budgets"]:
            assert amount["status"] == {2023: "budget", 2024: "estimate"}[amount["fiscal_year"]]


def _table_row(project: dict[str, Any], *, with_name: bool = True) -> str:
    """The row of the project table (５　事務事業一覧) the expected facts imply."""
    cells = [project["number"]]
    cells += ["◎"] if project["priority"] else []
    cells += [f"柱{_full_width(project['pillar'])}"] if project["pillar"] else []
    cells += project["sdg_targets"]
    cells += [project["name"]] if with_name else []
    cells += [project["direction"], project["department"] + project["division"]]
    return " ".join(cells)


def test_sheet_project_table_rows_agree_with_expected_projects() -> None:
    lines = _lines(SHEET)
    table = lines[lines.index("５　事務事業一覧"): lines.index("ロジック")]
    missing_name = []
    for project in _sheet_projects():
        if _table_row(project) in table:
            continue
        # the one project whose name the table lost: its row has no name, the name follows the table
        without_name = _table_row(project, with_name=False)
        assert without_name in table, f"no table row for {project['measure']}-{project['number']}"
        missing_name.append(project["name"])
    assert len(missing_name) == 1
    legend = lines.index(next(line for line in lines if line.startswith("※人口減少対策")))
    assert missing_name[0] in lines[lines.index("ロジック"): legend]


def test_sheet_sdg_targets_are_well_formed_and_distinguish_two_digit_targets() -> None:
    targets = {t for p in _sheet_projects() for t in p["sdg_targets"]}
    assert all(re.fullmatch(r"\d{1,2}\.(\d{1,2}|[a-z])", t) for t in targets), targets
    assert {"8.9", "8.10", "12.b"} <= targets
    assert "8.1" not in targets  # 8.10 must not be read as 8.1


def test_sheet_field_header_and_measures() -> None:
    lines = _lines(SHEET)
    expected = _expected(SHEET)
    field = expected["policy_field"]
    assert f"政策分野{field['number']}　{field['name']}" in lines
    assert field["vision"] in lines
    assert lines[0] == f" 主管部局・課 {field['department']}　{field['division']}"
    goal, policy = expected["policy_goal"], expected["policy"]
    goal_no, policy_no = _full_width(goal["number"]), _full_width(policy["number"])
    assert f"政策目標{goal_no}．{goal['name']}/政策{policy_no}．{policy['name']}" in lines
    for measure in expected["measures"]:
        label = f"施策{_full_width(measure['number'])}"
        assert f"{label}　{measure['name']}" in lines  # project table heading
        assert f"{label} {measure['name']}" in lines  # measure evaluation heading
        for alt in measure["alt_names"]:
            assert f"{label}　{alt}" in lines  # detail-sheet page header
            assert alt != measure["name"]
    for n, pillar in expected["strategy_pillars"].items():
        assert f"柱{_full_width(n)}　{pillar}" in lines


def _kpi_rows(lines: list[str], kpi_name: str) -> tuple[list[int], list[str], str, list[str]]:
    """Years of the header row, target cells, final-target cell and actual cells of one KPI."""
    i = next(k for k, line in enumerate(lines) if line.startswith(kpi_name + " "))
    header = lines[_next_nonblank(lines, i)]
    years = [2018 + int(_nfkc(n)) for n in re.findall(r"令和(\S)年度", header)]
    target_i = _next_nonblank(lines, _next_nonblank(lines, i))
    final_i = _next_nonblank(lines, target_i)
    actual_i = _next_nonblank(lines, final_i)
    assert lines[target_i].startswith("目標 ") and lines[actual_i].startswith("実績 ")
    return years, lines[target_i].split()[1:], lines[final_i].strip(), lines[actual_i].split()[1:]


def test_sheet_kpi_values_agree_with_the_printed_rows() -> None:
    lines = _lines(SHEET)
    short_rows = 0
    for kpi in _expected(SHEET)["kpis"]:
        assert f"{kpi['name']} {kpi['unit']} －" in lines
        years, targets, final, actuals = _kpi_rows(lines, kpi["name"])
        short_rows += len(actuals) < len(years)
        by_role: dict[str, list[dict[str, Any]]] = {}
        for value in kpi["values"]:
            by_role.setdefault(value["role"], []).append(value)
            expected_value = None if value["printed"] == "－" else value["printed"].replace(",", "")
            assert value["value"] == expected_value, value
        assert [v["printed"] for v in by_role["target"]] == targets
        assert [v["fiscal_year"] for v in by_role["target"]] == years
        assert [v["printed"] for v in by_role["final_target"]] == [final]
        assert [v["printed"] for v in by_role["actual"]] == actuals
        assert [v["fiscal_year"] for v in by_role["actual"]] == years[: len(actuals)]
        for baseline in by_role.get("baseline", []):
            i = lines.index(baseline["printed"])
            assert lines[i + 1] == "（令和元年度）" and baseline["fiscal_year"] == 2019
    assert short_rows == 1, "exactly one 実績 row has fewer cells than years"


def test_sheet_logic_model_statements_and_indicators() -> None:
    model = _expected(SHEET)["logic_model"]
    joined = _joined(SHEET)
    lines = _lines(SHEET)
    assert len(model["stages"]) == 4
    for statement in model["stages"]:
        assert statement in joined, statement
    positions = [joined.index(s) for s in model["stages"]]
    assert positions == sorted(positions), "stages are printed in order"
    assert lines.index("項　目 R4 R5 R6 R7 R8") < lines.index("事業実績 短期成果 中期成果 最終成果") + 3
    for indicator in model["indicators"]:
        assert f"{indicator['name']}（{indicator['unit']}）" in joined
        (value,) = indicator["values"]
        assert any(re.fullmatch(rf"(\S+ )?{value['printed']} - - - -", line) for line in lines)
    measure, number = model["project"].split("-")
    assert any(p["measure"] == measure and p["number"] == number for p in _sheet_projects())


def test_sheet_related_projects() -> None:
    lines = _lines(SHEET)
    for related in _expected(SHEET)["related_projects"]:
        row = f"{related['code']} {related['name']} {related['department']}　{related['division']}"
        assert row in lines


def test_sheet_contains_the_layout_defects_the_extractors_must_handle() -> None:
    lines = _lines(SHEET)
    blocks = _detail_blocks(lines)
    projects = _sheet_projects()
    assert sum(b["number_lost"] for b in blocks) >= 1, "a block whose number line is lost"
    assert sum(b["name"] is None for b in blocks) == 1, "a block whose name is lost"
    totals = [a["amount_jpy"] for p in projects for a in p["budgets"] if a["category"] == "total"]
    assert 0 in totals and max(totals) >= 100_000_000
    ended = [p for p in projects if p["direction"] == "終了"]
    assert ended and all(
        a["amount_jpy"] == 0 for p in ended for a in p["budgets"] if a["fiscal_year"] == 2024
    )
    assert any(m["alt_names"] for m in _expected(SHEET)["measures"])
    assert any("県工業技術センター" in p["partners"] for p in projects)


# --- the business plan ---------------------------------------------------------------------------


def _plan_amounts() -> list[dict[str, Any]]:
    out = []
    for project in _expected(PLAN)["projects"]:
        out += project["amounts"]
        for sub in project["sub_projects"]:
            out += sub["amounts"]
    return out


def test_plan_amounts_appear_as_printed_and_convert_to_their_yen() -> None:
    text, normalized = _text(PLAN), _nfkc(_text(PLAN))
    amounts = _plan_amounts()
    assert len(amounts) >= 10
    for amount in amounts:
        assert amount["printed"] in text, amount
        assert _yen(amount["printed"]) == amount["amount_jpy"], amount
        if amount["printed"].endswith("千円"):
            figure = _thousands(amount["amount_jpy"])
            assert figure in normalized or figure.translate(_FULL_WIDTH_NUMBER) in text, amount


def test_plan_funding_labels_are_printed_with_their_amount() -> None:
    lines = _lines(PLAN)
    for amount in _plan_amounts():
        for label in amount["funding"]:
            assert any(amount["printed"] in line and f"（{label}）" in line for line in lines), amount


def test_plan_categories_cover_fund_size_and_loan_frame() -> None:
    categories = {a["category"] for a in _plan_amounts()}
    assert {"total", "fund_size", "loan_frame"} <= categories
    lines = _lines(PLAN)
    fund = next(a for a in _plan_amounts() if a["category"] == "fund_size")
    assert any(line.startswith(f"基金{fund['printed']}／事業費") for line in lines)
    loan = next(a for a in _plan_amounts() if a["category"] == "loan_frame")
    assert any(line.strip().startswith(f"貸付予算枠{loan['printed']}") for line in lines)


def test_plan_outline_and_headings_agree_with_expected_hierarchy() -> None:
    expected = _expected(PLAN)
    lines = _lines(PLAN)
    clean = lines[lines.index(" ◆ 事業体系"):]
    for pillar in expected["pillars"]:
        assert any(line.strip() == f"{pillar['number']} {pillar['name']}" for line in clean), pillar
    for area in expected["areas"]:
        assert f"{_full_width(area['number'])} {area['name']}" in clean, area
        pillar = next(p for p in expected["pillars"] if p["number"] == area["pillar"])
        assert f"{pillar['number']} {pillar['name']} {_full_width(area['number'])} {area['name']}" in [
            line.strip() for line in lines
        ], f"no page header for {area}"
    for project in expected["projects"]:
        assert f"({project['number']}) {project['name']}" in [line.strip() for line in lines]
        listings = project.get("listings", [{"parent": project["parents"][0], "number": project["number"]}])
        assert [x["parent"] for x in listings] == project["parents"]
        for listing in listings:
            suffix = "（再掲）" if listing.get("relisted") else ""
            number = _full_width(listing["number"])
            outline = {f"（{number}）{n}{suffix}" for n in [project["name"], *project["alt_names"]]}
            assert outline & set(clean), f"{project['name']} not in the clean outline under {listing}"


def test_plan_has_a_misprint_in_the_outline_only() -> None:
    projects = _expected(PLAN)["projects"]
    misprinted = [p for p in projects if p["alt_names"]]
    assert len(misprinted) == 1
    (project,) = misprinted
    (alt,) = project["alt_names"]
    assert _text(PLAN).count(alt) == 1
    assert _text(PLAN).count(project["name"]) >= 2
    assert sum(a != b for a, b in zip(alt, project["name"])) == 1 and len(alt) == len(project["name"])


def _plan_values_after(label: str) -> list[str]:
    """The token printed after each occurrence of an indicator label that starts a line.

    The label may be wrapped over two lines; the value follows on the same line or a later one.
    """
    pattern = "(?m)^" + "\n?".join(re.escape(ch) for ch in label) + r"[ \n]+(\S+)"
    return [m.group(1) for m in re.finditer(pattern, _text(PLAN))]


def test_plan_indicators_appear_with_unit_and_plan_value() -> None:
    kinds = set()
    for project in _expected(PLAN)["projects"]:
        for indicator in project["indicators"]:
            label = f"{indicator['name']}（{indicator['unit']}）"
            kinds.add(indicator["kind"])
            printed = "－" if indicator["value"] is None else indicator["value"]
            if indicator["value"] is not None and "." not in printed:
                printed = f"{int(printed):,}"
            values = _plan_values_after(label)
            assert values, f"{label} does not start a line"
            assert printed in values, f"{label}: plan value {printed!r} not printed next ({values})"
    assert kinds == {"key", "activity", "reference"}
    for letters in ("重\n点", "活\n動", "参\n考"):
        assert letters in _text(PLAN)


def test_plan_grant_conditions() -> None:
    lines = _lines(PLAN)
    conditions = [c for p in _expected(PLAN)["projects"] for c in p["conditions"]]
    assert conditions
    for condition in conditions:
        assert _yen(condition["ceiling_printed"]) == condition["ceiling_jpy"], condition
        assert any(condition["ceiling_printed"] in line for line in lines), condition
        assert f"助成率 {condition['rate_text']}" in lines, condition
        assert abs(Fraction(condition["rate"]) - _rate(condition["rate_text"])) < Fraction(1, 10_000)


def test_plan_budget_summary_rows_add_up() -> None:
    lines = _lines(PLAN)
    for row in _expected(PLAN)["budget_summary"]["rows"]:
        assert f"{row['item']} {' '.join(row['values'])}" in lines, row
        current, previous, change = (int(v.replace(",", "").replace("▲", "-")) for v in row["values"])
        assert current - previous == change, row


def test_plan_reorganisation() -> None:
    lines = _lines(PLAN)
    reorg = _expected(PLAN)["reorganisation"]
    start = lines.index(" 令和６年度 組織改正について")
    section = lines[start:]
    for unit in reorg["created"]:
        assert f"(新){unit}" in section and unit not in reorg["before"] and unit in reorg["after"]
    for unit in reorg["abolished"]:
        assert unit in reorg["before"] and unit not in reorg["after"]
        assert any(f"「{unit}」を廃止" in line for line in section)
    assert "廃止" in section
    for unit in reorg["before"] + reorg["after"]:
        assert unit in section or f"(新){unit}" in section, unit


def test_plan_names_the_technology_centre_linked_from_the_city_sheet() -> None:
    prefecture = _expected(SHEET)["prefecture"]
    assert prefecture in _text(SHEET)
    links = _expected(PLAN)["cross_document_links"]
    # 県工業技術センター in the city sheet is 北風県工業技術センター of the plan: 県 stands for 北風県
    short_forms = [link for link in links if link[SHEET].startswith("県")]
    assert short_forms
    for link in short_forms:
        assert link["here"] == prefecture + link[SHEET].removeprefix("県")
    for link in links:
        assert link["here"] in _expected(PLAN)["organisations"]
        assert link[SHEET] in _expected(SHEET)["organisations"]
        assert link["here"] in _text(PLAN)
        assert link[SHEET] in _text(SHEET)
