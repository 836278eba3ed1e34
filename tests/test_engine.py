"""The extraction engine (extract/engine): normalising, kinds, and each recogniser, on our own fixtures.

The fixtures in tests/data/engine/ are invented documents that imitate layout features of real
dumps (one-line sheets, one cell per line, vertical captions, lists of results, foundation plans,
KPI reviews, budget summaries, a guide). Real documents are tested in tests/test_real_documents.py.
"""

from __future__ import annotations

import re
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest

from policy_kg.extract.detect import extract
from policy_kg.extract.engine.kinds import classify
from policy_kg.extract.engine.normalize import logical_lines, normalize_line, split_run_together, tokens
from policy_kg.extract.engine.reader import read_document
from policy_kg.extract.engine.vocabulary import vocabulary
from policy_kg.extract.records import DOCUMENT_OWNER, DocumentRecord, Span
from policy_kg.extract.source import SourceText, UnknownLayout, read_source

DATA = Path(__file__).parent / "data" / "engine"
FIXTURES = sorted(DATA.glob("*.txt"))


def read(name: str) -> DocumentRecord:
    return extract(read_source(DATA / name))


def amounts(record: DocumentRecord) -> list[tuple[str, int]]:
    out = [(a.printed, a.jpy) for p in record.projects for a in p.amounts]
    return out + [(a.printed, a.jpy) for a in record.amounts]


def values(record: DocumentRecord) -> dict[str, list[tuple[str, Decimal, int | None]]]:
    inds = list(record.indicators) + [i for p in record.projects for i in p.indicators]
    return {i.name: [(v.role, v.value, v.fiscal_year) for v in i.values] for i in inds}


def test_fixtures_are_found():
    assert len(FIXTURES) >= 8


# --- normalising ----------------------------------------------------------------------------------


def test_letter_spaced_labels_collapse_but_words_stay_apart():
    assert normalize_line("事 務 事 業 名 ほたる川清掃支援業務") == "事務事業名 ほたる川清掃支援業務"
    assert normalize_line("事\u3000業\u3000費\u3000１２，４８０") == "事業費 12,480"
    assert normalize_line("担当課 | 環境保全課 |") == "担当課 環境保全課"


@pytest.mark.parametrize(("spaced", "read"), [
    ("R 2 決 算", "R2決算"), ("令 和 4 年 度", "令和4年度"), ("( 単 位 : 千 円 )", "(単位:千円)"),
    ("目 標 1 2 3", "目標 1 2 3"),  # a spaced label, then its values: the digits at the end stay cells
    ("1 2 3", "1 2 3"), ("A B", "A B"),  # no letter-spacing without characters of words
    # two cells the spacing ran together part after a closing bracket and before a year
    ("事 業 費 ( 千 円 ) R 3 決 算", "事業費(千円) R3決算"), ("単 位 冊 R 3 実 績", "単位冊 R3実績"),
    ("目 標 値 ( R 6 )", "目標値(R6)"),  # a year in the bracket of its role stays in it
    ("事 業 費 (千 円)", "事業費 (千円)"), ("(百 万 円)", "(百万円)"),  # blanks only inside the bracket
])
def test_letter_spaced_cells_with_letters_and_digits_collapse(spaced, read):
    assert normalize_line(spaced) == read


@pytest.mark.parametrize(("spaced", "read"), [
    ("事 業 費 1 2 , 3 4 5", "事業費 12,345"),  # a spaced figure with its separator is one figure, never 1 and 2
    ("達 成 率 9 5 . 8 %", "達成率 95.8%"),
    # a layout dump keeps a wider gap between cells than between letters: each cell is one word, digits included
    ("事 業 費  1 2 , 3 4 5  1 3 0", "事業費 12,345 130"), ("年 度  R 3  R 4", "年度 R3 R4"),
    ("目標値  1 2 3", "目標値 1 2 3"),  # no letter-spaced words: single blanks still separate cells
    # a spaced run that opens with a label held several cells: it is cut at the vocabulary's labels
    ("事 業 名 あ お ば 公 園 整 備 事 業 担 当 課 み ど り 課", "事業名 あおば公園整備事業 担当課 みどり課"),
    ("地 域 福 祉 計 画 推 進 事 業", "地域福祉計画推進事業"),  # a name: the label words inside it stay
    ("事 業 費 ( 千 円 ) 1 2 , 3 4 5", "事業費(千円) 12,345"),  # a label keeps its bracket
])
def test_letter_spaced_figures_gaps_and_runs_of_several_cells(spaced, read):
    assert normalize_line(spaced) == read


_LAYOUT_DUMP_SHEET = """令 和 5 年 度  事 務 事 業 評 価 シ ー ト
事 業 名  あ お ば 公 園 整 備 事 業  担 当 課  み ど り 課
区 分  R 3 決 算  R 4 決 算  R 5 予 算
事 業 費 ( 千 円 )  1 2 , 3 4 5  1 3 , 0 2 0  1 4 , 5 0 0
活 動 指 標  花 壇 の 植 替 え 回 数 ( 回 )
年 度  R 3  R 4  R 5
目 標 値  1 2  1 2  1 5
実 績 値  1 1  1 3  －
"""


@pytest.mark.parametrize("gap", ["  ", " "])
def test_a_letter_spaced_sheet_gives_its_facts_whether_or_not_the_dump_kept_wider_gaps_between_cells(gap):
    text = _LAYOUT_DUMP_SHEET.replace("  ", gap)
    r = extract(SourceText.from_text(text, "spaced.txt"))
    (p,) = r.projects
    assert (p.name, p.unit.division) == ("あおば公園整備事業", "みどり課")
    if gap == "  ":
        assert [(a.jpy, a.fiscal_year, a.status) for a in p.amounts] == [
            (12_345_000, 2021, None), (13_020_000, 2022, None), (14_500_000, 2023, "budget")]
        assert values(r) == {"花壇の植替え回数": [("target", 12, 2021), ("target", 12, 2022), ("target", 15, 2023),
                                           ("actual", 11, 2021), ("actual", 13, 2022)]}
        assert {i.unit for i in p.indicators} == {"回"}
    else:  # one blank everywhere: the figures are whole, the one-digit cells of the table cannot be told apart
        assert [a.jpy for a in amounts_of(r)] == [12_345_000, 13_020_000, 14_500_000]
        assert not values(r)  # 目標値 1 2 1 2 1 5 is not guessed into values: it is reported
        assert any(i.span is not None and i.span.start == 7 for i in r.issues if i.severity == "uncertain")


def amounts_of(record: DocumentRecord):
    return [a for p in record.projects for a in p.amounts] + list(record.amounts)


def test_circled_list_numbers_survive_nfkc():
    assert normalize_line("①転入者数 ②観光客数") == "①転入者数 ②観光客数"


def test_a_thousands_group_after_a_blank_rejoins_only_before_a_unit_of_money():
    assert normalize_line("予算額 1, 100,000千円") == "予算額 1,100,000千円"
    assert normalize_line("順位 1, 100 点") == "順位 1, 100 点"


def test_figures_that_ran_together_split_on_their_three_digit_groups():
    assert split_run_together("2,34719,20618,810") == ["2,347", "19,206", "18,810"]
    assert split_run_together("12,345") == ["12,345"]
    assert split_run_together("1,2345") == ["1,234", "5"]


def test_vertical_caption_joins_and_keeps_its_line_span():
    lines = logical_lines(read_source(DATA / "vertical_cost_table.txt"))
    caption = next(line for line in lines if line.text == "事業費")
    assert caption.span == Span(8, 10)


def test_long_runs_without_blanks_split_before_labels():
    src = SourceText.from_text("評価シート事務事業名あおぞら広場管理事業担当課公園課事業費合計18,810千円", "run.txt")
    cells = [t.text for t in tokens(logical_lines(src))]
    assert "事務事業名" in cells and "あおぞら広場管理事業" in cells and "18,810" in cells


# --- kinds --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("one_line_sheet.txt", "evaluation_sheet"),
        ("cell_per_line_sheet.txt", "evaluation_sheet"),
        ("vertical_cost_table.txt", "evaluation_sheet"),
        ("list_results.txt", "measure_evaluation"),
        ("foundation_plan.txt", "business_plan"),
        ("kpi_review.txt", "kpi_review"),
        ("kpi_cells.txt", "kpi_review"),
        ("measure_sheet.txt", "measure_evaluation"),  # 施策評価シート: not 評価シート, which it contains
        ("budget_columns.txt", "budget_summary"),
        ("kpi_blocks.txt", "kpi_review"),
        ("welfare_plan.txt", "business_plan"),
        ("results_report.txt", "measure_evaluation"),
        ("kpi_spaced_cells.txt", "kpi_review"),
        ("prefecture_measure.txt", "measure_evaluation"),  # 施策評価調書
        ("budget_summary.txt", "budget_summary"),
        ("guide.txt", "template"),
    ],
)
def test_each_kind_is_recognised_with_its_evidence(name, kind):
    found = classify(logical_lines(read_source(DATA / name)), vocabulary())
    assert found is not None and found.name == kind
    assert 0 < found.confidence <= 1 and found.evidence


def test_a_template_yields_no_facts_and_says_so():
    r = read("guide.txt")
    assert r.kind == "template" and not r.projects and not amounts(r) and not values(r)
    assert any(i.severity == "info" and "template" in i.message for i in r.issues)


_BLANK_FORM = ("様式第3号\n令和 年度 事務事業評価シート\n事務事業名\n担当部局 部 課\n事業期間 年度 ~ 年度\n"
               "事業費の推移 (単位:千円)\n区分 R4決算 R5決算 R6予算\n事業費\nうち一般財源\n活動指標\n成果指標\n")


def test_a_blank_form_that_leaves_its_years_blank_is_a_template_and_a_filled_one_is_not():
    r = read_document(SourceText.from_text(_BLANK_FORM, "form.txt"))
    assert r.kind == "template" and not r.projects and not amounts(r)
    filled = (_BLANK_FORM.replace("令和 年度", "令和5年度").replace("年度 ~ 年度", "R2年度 ~ R6年度")
              .replace("事務事業名\n", "事務事業名 すずらん通り清掃事業\n").replace("事業費\n", "事業費 1,200 1,350 1,400\n"))
    r = read_document(SourceText.from_text(filled, "filled.txt"))
    assert r.kind == "evaluation_sheet" and [p.name for p in r.projects] == ["すずらん通り清掃事業"]


def test_a_list_of_a_budgets_main_projects_is_a_budget_summary():
    found = classify(logical_lines(SourceText.from_text(
        "令和6年度 みずうみ町 当初予算 主要事業一覧\n(単位:千円)\n事業名 担当課 予算額 前年度予算額\n", "b.txt")), vocabulary())
    assert found.name == "budget_summary"


@pytest.mark.parametrize(("title", "kind"), [
    ("令和5年度 事務事業評価 一覧表", "measure_evaluation"),  # the name ends with a list, the blank left out
    ("令和5年度 施策マネジメントシート", "measure_evaluation"),
    ("令和5年度 事務事業マネジメントシート", "evaluation_sheet"),
    ("令和6年度 みずうみ町 主要事業の概要", "budget_summary"),
    ("令和5年度 補正予算(案)の概要", "budget_summary"),
    ("令和5年度 事業報告書", "business_plan"),
    ("令和6年度 年度計画", "business_plan"),
    ("ひばり町総合戦略 重点目標・KPI実績評価シート", "kpi_review"),  # what it evaluates outweighs its last word
])
def test_a_documents_name_gives_its_kind_by_its_last_word(title, kind):
    body = f"{title}\n事業名 担当課 事業費 評価\n"
    found = classify(logical_lines(SourceText.from_text(body, "d.txt")), vocabulary())
    assert found is not None and found.name == kind, found


def test_a_lists_direction_column_before_a_name_is_not_part_of_it():
    text = ("令和6年度 みずうみ町 主要事業の概要\n(単位:千円)\n区分 事業名 予算額\n拡充 ふれあいバス運行事業 24,000\n"
            "新規 窓口キャッシュレス導入事業 3,500\n")
    r = read_document(SourceText.from_text(text, "b.txt"))
    assert [p.name for p in r.projects] == ["ふれあいバス運行事業", "窓口キャッシュレス導入事業"]


def test_a_supplementary_budgets_sums_are_not_the_years_budget():
    text = "令和5年度 12月補正予算(案)の概要\n・こども食堂支援事業 3,200千円\n・道路照明灯修繕事業 18,500千円\n"
    r = read_document(SourceText.from_text(text, "hosei.txt"))
    assert r.kind == "budget_summary"
    assert {(a.printed, a.category, a.fiscal_year) for a in amounts_of(r)} == {
        ("3,200千円", "stated", None), ("18,500千円", "stated", None)}
    initial = read_document(SourceText.from_text(text.replace("12月補正予算(案)", "当初予算"), "touho.txt"))
    assert {(a.category, a.fiscal_year) for a in amounts_of(initial)} == {("total", 2023)}


def test_text_with_no_evidence_is_refused_with_file_and_line():
    src = SourceText.from_text("むかしむかし、あるところに\nおじいさんがいました。\n", "tale.txt")
    with pytest.raises(UnknownLayout, match="no known layout") as exc:
        read_document(src)
    assert exc.value.line == 1 and exc.value.file == "tale.txt"


# --- money --------------------------------------------------------------------------------------------


def test_one_line_sheet_amounts_inline_and_declared():
    r = read("one_line_sheet.txt")
    assert [p.name for p in r.projects] == ["ほたる川清掃支援業務"]
    got = amounts(r)
    # 単位:千円 governs the table figures; the inline ones carry their own unit
    assert ("12,480", 12_480_000) in got and ("13,050", 13_050_000) in got and ("9,900", 9_900_000) in got
    assert ("2,400 千円", 2_400_000) in got and ("1,150 千円", 1_150_000) in got
    printed = [p for p, _ in got]
    # staff count, codes and the indicator's 100 are not money
    assert not {"3", "00120", "884211", "100"} & set(printed)
    assert len(got) == 5


def test_a_column_unit_cell_governs_the_figures_of_a_cell_per_line_sheet():
    r = read("cell_per_line_sheet.txt")
    got = amounts(r)
    assert ("4,125,300", 4_125_300) in got and ("2,000,000", 2_000_000) in got and ("7,310,450", 7_310_450) in got
    assert not {"5", "4", "3", "2"} & {p for p, _ in got}  # years of the 年度 header and the code
    assert r.projects[0].name == "こもれび自転車道維持補助金"
    assert r.projects[0].unit is not None and r.projects[0].unit.division == "道路管理課"


def test_a_declaration_printed_under_its_column_governs_with_lower_confidence():
    src = SourceText.from_text(
        "令和元年度 事務事業評価シート\n事務事業名 あさひ橋補修事業\n事業費 3,210 4,050\n【コスト】千円千円\n", "under.txt")
    r = read_document(src)
    figures = r.projects[0].amounts
    assert [(a.printed, a.jpy) for a in figures] == [("3,210", 3_210_000), ("4,050", 4_050_000)]
    assert all(a.confidence < 0.9 for a in figures)
    assert any(i.severity == "uncertain" and "declaration after" in i.message for i in r.issues)


def test_a_money_row_without_any_unit_is_reported_not_assigned():
    src = SourceText.from_text("令和元年度 事務事業評価シート\n事務事業名 しずく水路清掃事業\n事業費 120 135\n", "nounit.txt")
    r = read_document(src)
    assert amounts(r) == []
    assert sum("no unit is printed" in i.message for i in r.issues) == 2


def test_small_figures_count_only_in_a_row_a_money_label_starts():
    r = read("vertical_cost_table.txt")
    got = amounts(r)
    assert ("8,010", 8_010_000) in got and ("2,105", 2_105_000) in got and ("2,230", 2_230_000) in got
    src = SourceText.from_text("令和元年度 事務事業評価シート\n事務事業名 かがみ池保全事業\n(千円)\n参加者 45 52\n", "small.txt")
    assert amounts(read_document(src)) == []  # a count under a money declaration is not money


def test_mixed_kanji_and_negative_amounts_of_a_budget_summary():
    r = read("budget_summary.txt")
    assert amounts(r) == [
        ("412億3,500万円", 41_235_000_000), ("98億7,650万円", 9_876_500_000), ("2億1,000万円", -210_000_000),
        ("五千万円", 50_000_000),
    ]
    assert r.amounts and not r.projects  # a budget summary's figures are the document's own


def test_a_bound_is_a_target_not_money():
    src = SourceText.from_text("令和５年度 事業計画\n成果目標 1 寄附を受けた金額 5,400 万円以上\n", "bound.txt")
    r = read_document(src)
    assert amounts(r) == []
    assert values(r) == {"寄附を受けた金額": [("final_target", Decimal(5400), None)]}


# --- projects -------------------------------------------------------------------------------------


def test_list_items_and_result_lines_are_projects_but_group_headings_are_not():
    r = read("list_results.txt")
    assert [p.name for p in r.projects] == ["ひかり図書館改修事業", "まちかど花壇づくり事業", "こども食堂支援事業",
                                            "地域見守り推進事業"]
    assert [p.number for p in r.projects][2:] == ["030101", "030102"]
    assert r.projects[0].unit is not None and r.projects[0].unit.division == "生涯学習課"


def test_statute_citing_headings_are_a_foundations_business_lines():
    r = read("foundation_plan.txt")
    assert [p.name for p in r.projects] == ["音楽活動への助成", "郷土資料の保存事業"]
    music, archive = r.projects
    assert [(a.printed, a.jpy) for a in music.amounts] == [
        ("3,600千円", 3_600_000), ("▲200千円", -200_000), ("5万円", 50_000), ("15万円", 150_000)]
    assert [(a.printed, a.jpy) for a in archive.amounts] == [("1,250千円", 1_250_000)]
    assert all(a.confidence < 1 for a in music.amounts)  # owned by position in a list of projects
    assert any(i.severity == "uncertain" and "by position" in i.message for i in r.issues)


def test_leader_dotted_counts_of_a_plan_are_its_projects_planned_values():
    r = read("foundation_counts.txt")
    scholarships, grants = r.projects
    got = [(i.name, [(v.role, v.value, v.fiscal_year, v.printed) for v in i.values]) for i in scholarships.indicators]
    assert got == [
        ("一般枠", [("plan", Decimal(30), 2025, "30名")]),
        ("理工系枠", [("plan", Decimal(10), 2025, "10名")]),
        ("令和8年度奨学生の募集人員", [("plan", Decimal(12), 2026, "12名")]),  # the label's own year
        ("一般枠", [("plan", Decimal(8), 2026, "8名")]),  # the year of the numbered item it belongs to
        ("理工系枠", [("plan", Decimal(4), 2026, "4名")]),
    ]
    # a label that is a year and a role names its item's subject; 同 repeats the label before it
    assert [(i.name, [(v.role, v.value, v.fiscal_year) for v in i.values]) for i in grants.indicators] == [
        ("子ども読書活動", [("actual", Decimal(18), 2024)]),
        ("郷土芸能の継承", [("actual", Decimal(5), 2024)]),
    ]
    # a count in a sentence, a period (5年以内) and an estimate (20名程度) are no values
    printed = {v.printed for p in r.projects for i in p.indicators for v in i.values}
    assert not printed & {"40名", "5年", "20名"}
    assert r.findings["indicator:leader-dotted count"] == 7


def test_a_leader_dotted_count_outside_a_plan_has_no_role_it_does_not_print():
    src = SourceText.from_text("令和５年度 事務事業評価シート\n事務事業名 はなみずき通り清掃事業\n"
                               "・参加団体...14団体\n・令和４年度実績...11団体\n", "leader.txt")
    (project,) = extract(src).projects
    assert [(v.role, v.value, v.fiscal_year) for i in project.indicators for v in i.values] == [
        ("unspecified", Decimal(14), None), ("actual", Decimal(11), 2022)]  # no year printed: none given


def test_a_name_wrapped_onto_the_next_line_is_rejoined():
    src = SourceText.from_text("令和２年度 事務事業評価表\n事業名\n(1) みどりの回廊づくり\n推進事業費\n", "wrap.txt")
    assert [p.name for p in read_document(src).projects] == ["みどりの回廊づくり推進事業費"]


def test_a_sheet_whose_label_lost_its_value_takes_the_name_printed_twice():
    src = SourceText.from_text(
        "事務事業評価表 ひばり農園管理事業\n1 事業名 2 担当部課 部等 産業部 目的 体系 3 事業概要 4 事業の実施内容\n"
        "(1) 実施 (2) 前年度の課題 (3) 対応 (4) 今後\n補足 ひばり農園管理事業 の運営\n", "twice.txt")
    r = read_document(src)
    assert [p.name for p in r.projects] == ["ひばり農園管理事業"]
    assert r.findings == {"department:labelled": 1, "project:repeated": 1}


# --- indicators ---------------------------------------------------------------------------------------


def test_kpi_review_progress_statements_and_year_tables():
    r = read("kpi_review.txt")
    got = values(r)
    assert got["転入者数"] == [("baseline", Decimal(1240), 2019), ("target", Decimal(1500), 2024)]
    assert got["観光客数"] == [("baseline", Decimal(812), 2019), ("target", Decimal(900), 2024)]
    # an unmarked column takes the role of the next marked one to its right (the current value)
    assert got["就業率"] == [("baseline", Decimal("61.2"), 2020), ("actual", Decimal("61.8"), 2021),
                          ("actual", Decimal("62.5"), 2022), ("target", Decimal("65.0"), 2025)]
    assert got["協定を結んだ事業者の数"] == [("final_target", Decimal(40), None)]
    assert "空き家率" not in got  # three columns, one value: reported, not guessed
    assert any("空き家率" in i.message and "3 year columns but 1 values" in i.message for i in r.issues)
    assert all(r.indicator_owners[i.key] == DOCUMENT_OWNER for i in r.indicators)



def test_figures_after_an_indicators_unit_cell_are_no_money_even_under_a_declaration():
    text = ("令和５年度 事務事業評価シート\n事務事業名\nこもれび図書館運営事業\n事業費\n(千円)\nR3決算\nR4決算\n"
            "45,210\n46,800\n成果指標\n年間貸出冊数\n冊\n152,000\n158,400\n")
    r = read_document(SourceText.from_text(text, "units.txt"))
    assert [a.jpy for a in r.projects[0].amounts] == [45_210_000, 46_800_000]  # not 152,000千円
    # no year header for them: which years they are is not printed, so they are listed, not asserted
    assert values(r) == {}
    [issue] = [i for i in r.issues if "were not read" in i.message]
    assert "'152,000' (line 13, after 冊)" in issue.message and "'158,400' (line 14, after 冊)" in issue.message


@pytest.mark.parametrize("sep", [" ", "\n"])
def test_a_labelled_value_takes_the_bracketed_year_printed_after_it(sep):
    cells = "KPI 観光入込客数 基準値 120万人 (R1) 目標値 150万人 (R6) 実績値 132万人 (R4) 達成率 40.0%".split()
    r = read_document(SourceText.from_text("みなと市総合戦略 KPI検証シート 令和5年度\n" + sep.join(cells) + "\n", "k.txt"))
    assert values(r) == {"観光入込客数": [("baseline", 120, 2019), ("target", 150, 2024), ("actual", 132, 2022)]}
    assert not any("were not read" in i.message for i in r.issues)  # 達成率 40.0% is derived, not a value left


def test_figures_whose_indicator_cannot_be_told_are_listed_not_asserted():
    # a sheet whose cells a dump scrambled: the roles and years print, but not which row each value fills
    src = SourceText.from_text(
        "令和５年度 事務事業評価シート\n事務事業名 こもれび広場管理事業\n事業費 (千円) 4,210 103.5%\n"
        "単位 (実績) 3 4年度 (見込) 12 利用団体数 登録会員数 2年度 3年度 (実績) 640 前年比 2.5%\n"
        "成果指標 清掃回数 目標値 24 実績値 22\n"
        "地区の清掃活動 18回\n", "scrambled.txt")
    r = read_document(src)
    got = values(r)
    assert got["清掃回数"] == [("target", Decimal(24), None), ("actual", Decimal(22), None)]
    assert "利用団体数" not in got and "登録会員数" not in got  # which of the two each figure is: not printed
    [issue] = [i for i in r.issues if "were not read" in i.message]
    assert issue.severity == "uncertain" and issue.span == Span.line(4)
    listed = re.findall(r"'([^']+)' \(line (\d+)", issue.message)
    # each unread figure once, with its line; not the values read (24, 22), the money (4,210) or the share
    # printed after it (103.5%: that row's ratio to last year, not a value), nor a share after a derived
    # column's label (前年比 2.5%)
    assert listed == [("3", "4"), ("12", "4"), ("640", "4"), ("18回", "6")]

# --- the report and the graph ---------------------------------------------------------------------


def test_a_reference_value_printed_after_a_year_table_row_is_a_past_actual_of_it():
    src = SourceText.from_text(
        "まち創生総合戦略 数値目標の現状値\n"
        "数値目標① 転入者数 令和 2 (基準値) 令和 3 令和 4 (現状値) 令和 7 (目標値) 310 322 336 400 参考)R1 298\n"
        "数値目標② 就業率 令和 2 (基準値) 令和 4 (現状値) 令和 7 (目標値) 61.2% 62.5% 65.0% 参考)R1 人口比 59\n",
        "reference.txt")
    got = values(extract(src))
    assert got["転入者数"][-1] == ("actual", Decimal(298), 2019)
    assert len(got["転入者数"]) == 5
    assert got["就業率"] == [("baseline", Decimal("61.2"), 2020), ("actual", Decimal("62.5"), 2022),
                          ("target", Decimal("65.0"), 2025)]  # 59 is not in the row's unit (%): not its value


@pytest.mark.parametrize("text", [
    "まち創生総合戦略 数値目標の現状値\n数値目標① 転入者数 令和 2 (基準値) 令和 4 (現状値) 310 336 参考)R1 1,\n",
    "まち総合戦略 政策分野の進捗状況\n体験講座の受講者数 人 -\n年度 令和4年度令和5年度 最終目標\n目標 300 320\n1,\n",
])
def test_a_figure_cut_short_where_a_reference_or_final_target_stands_is_no_value(text):
    r = extract(SourceText.from_text(text, "cut.txt"))  # found by bench/fuzz.py: it raised NumberFormatError
    assert "1," not in {v.printed for i in r.indicators for v in i.values}


def test_records_name_their_kind_confidence_and_recognisers():
    r = read("one_line_sheet.txt")
    assert r.layout == "engine" and r.kind == "evaluation_sheet" and r.kind_confidence
    assert r.findings["project:labelled"] == 1 and r.findings["amount:inline unit"] == 2


def test_every_fixture_builds_a_graph_that_conforms(tmp_path):
    from policy_kg.graph.pipeline import build_documents
    from policy_kg.graph.validate import validate

    result = build_documents(FIXTURES)
    assert not result.failures
    outcome = validate(result.dataset)
    assert outcome.conforms, outcome.text


def test_engine_facts_reach_the_query_library(tmp_path):
    from policy_kg.graph.pipeline import build_documents
    from policy_kg.graph.query import run_query

    ds = build_documents([DATA / "budget_summary.txt", DATA / "kpi_review.txt", DATA / "list_results.txt"]).dataset
    funding = run_query(ds, "funding", params={"document": "budget_summary.txt"})
    assert sorted(int(r["amount_jpy"]) for r in funding.as_dicts()) == sorted(
        [41_235_000_000, 9_876_500_000, -210_000_000, 50_000_000])
    indicators = run_query(ds, "indicators", params={"document": "kpi_review.txt"})
    assert {r["indicator"] for r in indicators.as_dicts()} >= {"転入者数", "就業率"}
    projects = run_query(ds, "projects", params={"document": "list_results.txt"})
    assert [r["project"] for r in projects.as_dicts()][:1] == ["ひかり図書館改修事業"]


def test_the_documents_query_lists_each_documents_kind_publisher_and_counts():
    from policy_kg.graph.pipeline import build_documents
    from policy_kg.graph.query import run_query

    ds = build_documents([DATA / "foundation_plan.txt", DATA / "list_results.txt"]).dataset
    rows = {r["document"]: r for r in run_query(ds, "documents").as_dicts()}
    plan = rows["foundation_plan.txt"]
    assert (plan["kind"], plan["publisher"], plan["layout"]) == ("business_plan", "公益財団法人しらかば文化振興財団", "engine")
    record = read("foundation_plan.txt")
    assert int(plan["projects"]) == len(record.projects) == 2
    assert int(plan["amounts"]) == sum(len(p.amounts) for p in record.projects) + len(record.amounts)
    assert rows["list_results.txt"]["kind"] == "measure_evaluation"


# --- year columns ---------------------------------------------------------------------------------


def test_a_labelled_money_row_under_a_year_header_gets_its_years_and_statuses():
    r = read("year_cost_table.txt")
    got = [(a.printed, a.category, a.fiscal_year, a.status) for a in r.projects[0].amounts]
    assert got == [
        ("3,120", "personnel", 2018, None), ("3,305", "personnel", 2019, None),  # 決算: settled, no status
        ("5,410", "total", 2018, "budget"), ("5,102", "total", 2018, None), ("6,020", "total", 2019, "budget"),
        ("5,877", "total", 2019, None), ("6,300", "total", 2020, "budget"),
    ]


def test_a_row_that_does_not_match_its_header_keeps_no_year_and_no_category():
    r = read("vertical_cost_table.txt")  # two year columns, four cells in the 人件費 row
    personnel = [a for a in r.projects[0].amounts if a.printed in ("2,105", "2,230")]
    assert [(a.category, a.fiscal_year, a.label) for a in personnel] == [("stated", None, "人件費")] * 2


def test_budget_lines_with_years_reach_the_budgets_query():
    from policy_kg.graph.pipeline import build_documents
    from policy_kg.graph.query import run_query

    ds = build_documents([DATA / "year_cost_table.txt"]).dataset
    rows = run_query(ds, "budgets", params={"fiscal_year": "2019"}).as_dicts()
    assert sorted((r["category"], int(r["amount_jpy"])) for r in rows) == [
        ("personnel", 3_305_000), ("total", 5_877_000), ("total", 6_020_000)]


def test_values_under_a_year_header_with_no_row_label_are_kept_with_an_unspecified_role():
    r = read("kpi_rows.txt")
    rows = [[(v.role, v.value, v.fiscal_year) for v in i.values] for i in r.indicators]
    assert rows == [
        [("unspecified", Decimal(y), fy) for y, fy in ((120, 2016), (130, 2017), (140, 2018), (150, 2019), (160, 2020))],
        [("unspecified", Decimal(118), 2016), ("unspecified", Decimal(133), 2017)],
    ]
    assert any("read from the left" in i.message for i in r.issues)
    assert any("'unspecified'" in i.message for i in r.issues)


def test_a_one_project_sheet_places_its_project_under_the_levels_it_prints():
    src = SourceText.from_text(
        "令和４年度 事務事業評価シート\n事務事業名 しおかぜ海岸清掃事業\n基本目標 03 美しい海辺を未来へ残すまち\n"
        "政策 水辺の環境を守る\n施策 2-1 海岸の美化を進める\n担当課 環境課\n", "levels.txt")
    r = read_document(src)
    assert [(e.level, e.number, e.name, e.parent) for e in r.elements] == [
        ("policy_goal", "03", "美しい海辺を未来へ残すまち", None),
        ("policy", None, "水辺の環境を守る", "policy-goal"),
        ("measure", "2-1", "海岸の美化を進める", "policy"),
    ]
    assert r.projects[0].parents == ["measure"]


def test_a_word_that_only_starts_like_a_hierarchy_label_is_not_one():
    src = SourceText.from_text("令和４年度 事務事業評価シート\n事務事業名 しおかぜ海岸清掃事業\n施策体系 3-2-3\n"
                               "政策調整会議 を経て決定\n", "words.txt")
    assert read_document(src).elements == []


def test_role_rows_under_a_year_header_give_one_indicator_with_targets_and_actuals():
    r = read("indicator_table.txt")
    (ind,) = r.projects[0].indicators
    assert (ind.name, ind.unit) == ("図書の貸出冊数", "冊")
    assert [(v.role, v.value, v.fiscal_year) for v in ind.values] == [
        ("target", Decimal(52000), 2016), ("target", Decimal(53000), 2017), ("target", Decimal(54000), 2018),
        ("actual", Decimal(51240), 2016), ("actual", Decimal(53310), 2017),  # − : no value for H30
    ]


def test_role_rows_take_the_name_line_over_their_header_and_a_final_target_column():
    r = read("kpi_fields.txt")
    got = [(i.name, i.kind, i.unit, [(v.role, v.value, v.fiscal_year) for v in i.values]) for i in r.indicators]
    assert got == [
        ("観光入込客数(年間)", "kpi", "千人", [
            ("target", Decimal(1200), 2022), ("target", Decimal(1250), 2023), ("target", Decimal(1300), 2024),
            ("final_target", Decimal(1400), None),
            ("actual", Decimal(1180), 2022), ("actual", Decimal(1230), 2023)]),  # − : no value for 令和6年度
        ("体験講座の受講者数", "kpi", "人", [
            ("target", Decimal(300), 2022), ("target", Decimal(320), 2023), ("target", Decimal(340), 2024),
            ("final_target", Decimal(400), None),
            ("actual", Decimal(290), 2022), ("actual", Decimal(310), 2023)]),  # 実績 290 310: read from the left
    ]
    assert any("'実績'" in i.message and "2 actuals under 3 year columns: read from the left" in i.message
               for i in r.issues)
    assert not r.amounts and not r.projects


def test_a_plans_table_of_one_planned_column_gives_values_for_the_plans_year():
    src = SourceText.from_text("令和6年度 事業計画\n公益財団法人 そよかぜ振興協会\n1 交流促進事業(定款第4条第1号)\n"
                               "指標 計画\n交流会の参加者数(人) 250\n相談件数(件) 40\n", "plan.txt")
    (project,) = extract(src).projects
    assert [(i.name, i.unit, [(v.role, v.value, v.fiscal_year) for v in i.values]) for i in project.indicators] == [
        ("交流会の参加者数", "人", [("plan", Decimal(250), 2024)]), ("相談件数", "件", [("plan", Decimal(40), 2024)])]
    # one column without header words before it is no table: 計画 alone heads nothing
    src = SourceText.from_text("令和6年度 事業計画\n公益財団法人 そよかぜ振興協会\n1 交流促進事業(定款第4条第1号)\n"
                               "計画\n交流会の参加者数(人) 250\n", "plan2.txt")
    assert not extract(src).projects[0].indicators


def test_rows_under_a_group_caption_take_its_kind_and_a_wrapped_name_is_rejoined():
    src = SourceText.from_text(
        "令和6年度 事業計画\n公益財団法人 そよかぜ振興協会\n1 交流促進事業(定款第4条第1号)\n指標 計画\n重\n点\n"
        "交流会の参加による新規\n会員数(人)\n30\n活\n動\n相談件数(件) 40\n交流セミナー 4回\n", "groups.txt")
    (project,) = extract(src).projects
    assert [(i.name, i.kind, i.unit, [(v.role, v.value) for v in i.values]) for i in project.indicators] == [
        ("交流会の参加による新規会員数", "key", "人", [("plan", Decimal(30))]),
        ("相談件数", "activity", "件", [("plan", Decimal(40))]),
    ]  # 交流セミナー 4回 prints its unit on its figure, unlike the rows: a note after the table


@pytest.mark.parametrize("sample", ["kitakaze_agency_business_plan.txt", "midorino_city_evaluation_sheet.txt"])
def test_on_a_bundled_sample_the_engine_gives_only_values_its_profile_gives(sample):
    """Two readers of one document: the engine's general rules against the layout's own profile."""
    src = read_source(Path(__file__).parents[1] / "samples" / sample)

    def numbers(r: DocumentRecord) -> Counter:
        inds = list(r.indicators) + [i for owner in r.owners().values() for i in owner.indicators]  # parts ① too
        return Counter((v.role, v.value) for i in inds for v in i.values if v.value is not None)

    by_profile, by_engine = numbers(extract(src)), numbers(read_document(src))
    assert not by_engine - by_profile
    assert by_engine.total() >= 0.6 * by_profile.total()


def test_a_short_target_row_on_its_line_is_reported_and_not_placed():
    src = SourceText.from_text("まち総合戦略 政策分野の進捗状況\n体験講座の受講者数 人 -\n年度 令和4年度令和5年度令和6年度\n"
                               "目標 300 320\n実績 290 310 330\n", "short_target.txt")
    r = extract(src)
    assert [(v.role, v.value) for i in r.indicators for v in i.values] == [
        ("actual", Decimal(290)), ("actual", Decimal(310)), ("actual", Decimal(330))]
    assert any("'目標'" in i.message and "2 values under 3 year columns" in i.message and "not kept" in i.message
               for i in r.issues)


def test_a_role_row_with_fewer_cells_than_years_is_not_read():
    src = SourceText.from_text("事務事業評価シート\n事務事業名 うみべ公園管理事業\nH28 H29 H30\n来園者数 人\n目標値 100 120\n",
                               "short.txt")
    assert values(read_document(src)) == {}


def test_a_document_cut_inside_a_figure_says_so_and_keeps_what_is_complete():
    src = SourceText.from_text("事務事業評価シート\n事務事業名 すずらん通り整備事業\n事業費 (千円) 4,120 5,2", "cut.txt")
    r = read_document(src)
    assert [(a.printed, a.jpy) for a in r.projects[0].amounts] == [("4,120", 4_120_000)]
    assert any("stops inside a figure ('5,2')" in i.message and i.span == Span(3, 3) for i in r.issues)


def test_the_last_item_of_a_list_cut_inside_its_department_label_is_still_a_project_and_the_cut_reported():
    text = ("令和６年度 行政評価の結果\n評価結果(3事業)\nみどりの窓口案内\n所管課: 市民課 評価区分: A\n"
            "ひかり公園の再整備\n所管課: 公園課 評価区分: B\nこもれび図書館の移転検討\n所")
    r = extract(SourceText.from_text(text, "cut.txt"))
    assert [p.name for p in r.projects] == ["みどりの窓口案内", "ひかり公園の再整備", "こもれび図書館の移転検討"]
    assert r.projects[2].unit is None
    assert any("stops inside a label ('所')" in i.message for i in r.issues)
    r = extract(SourceText.from_text(text[:-2], "uncut.txt"))  # without the cut label: a line of text
    assert [p.name for p in r.projects] == ["みどりの窓口案内", "ひかり公園の再整備"]


def test_a_masked_cell_in_a_role_row_is_no_value():
    src = SourceText.from_text("事務事業評価シート\n事務事業名 ほしぞら観察会事業\nH28 H29 H30\n参加者数 人\n実績値 120 *** 140\n",
                               "masked.txt")
    assert values(read_document(src)) == {
        "参加者数": [("actual", Decimal(120), 2016), ("actual", Decimal(140), 2018)]}


def test_figures_that_are_not_money_under_a_money_declaration():
    src = SourceText.from_text(
        "令和５年度 事務事業評価シート\n事務事業名 かもめ港まつり事業\n(単位:千円)\n事業費 4,210 4,380\n"
        "・2日間で約6,800人が来場した。\n観光入込客数 百万円\n令和４年度令和５年度令和６年度\n目標 222,410 223,680 224,960\n"
        "216,406\n（令和2年度）\n\n15\n", "notmoney.txt")
    r = read_document(src)
    assert [(a.printed, a.jpy) for a in r.projects[0].amounts] == [("4,210", 4_210_000), ("4,380", 4_380_000)]
    # 6,800人: a count; 目標 …: an indicator's row (the role word starts it); 216,406 （令和2年度）: a dated
    # value; 15 after a blank line: not a cell of the 事業費 row
    (target,) = r.projects[0].indicators
    assert [(v.role, v.value, v.fiscal_year) for v in target.values] == [
        ("target", Decimal(222410), 2022), ("target", Decimal(223680), 2023), ("target", Decimal(224960), 2024)]


@pytest.mark.parametrize(
    ("header", "era", "years", "statuses"),
    [
        ("H26 H27 H28", None, [2014, 2015, 2016], [None] * 3),
        ("20 年度 21 年度", "平成", [2008, 2009], [None] * 2),
        ("令和4年度 令和5年度", None, [2022, 2023], [None] * 2),
        ("2017年度 2018年度", None, [2017, 2018], [None] * 2),
        ("24年度実績 25年度計画", "平成", [2012, 2013], [None, "plan"]),
        ("H26予算 H26決算 H27予算", None, [2014, 2014, 2015], ["budget", None, "budget"]),
        ("年度 27 26 25", "平成", [2015, 2014, 2013], [None] * 3),
        ("24年度 25年度", None, [], []),  # no era printed anywhere: not years
    ],
)
def test_year_headers(header, era, years, statuses):
    from policy_kg.extract.engine.years import year_headers

    toks = tokens(logical_lines(SourceText.from_text(header, "h.txt")))
    found = year_headers(toks, era)
    assert [c.year for h in found for c in h.columns] == years
    assert [c.status for h in found for c in h.columns] == statuses


def test_a_letter_spaced_era_year_is_one_year():
    assert normalize_line("平成2 0 年度 事業評価シート") == "平成20 年度 事業評価シート"
    src = SourceText.from_text("• 検索結果がありません。\n平成2 0 年度 事業評価シート\n事業名 ひなた保育支援事業\n", "t.txt")
    r = read_document(src)
    assert (r.title, r.fiscal_year) == ("平成20 年度 事業評価シート", 2008)  # the title line, not the web page's header


def test_sdg_targets_after_an_sdg_label_belong_to_the_project_and_other_codes_do_not():
    src = SourceText.from_text(
        "令和５年度 事務事業評価シート\n事務事業名 みなと食堂支援事業\n8.1 事業の概要 成長率 8.1%\n"
        "関連するSDGs 8.3、11.4 4.a\n", "sdg.txt")
    r = read_document(src)
    assert r.projects[0].sdg_targets == ["8.3", "11.4", "4.a"]


def test_an_sdg_target_the_un_list_lacks_is_an_error_and_not_linked():
    from policy_kg.extract.detect import extract as extract_checked

    src = SourceText.from_text("令和５年度 事務事業評価シート\n事務事業名 みなと食堂支援事業\nSDGs 8.3 11.99\n", "bad.txt")
    r = extract_checked(src)
    assert r.projects[0].sdg_targets == ["8.3"]
    assert any(i.severity == "error" and "11.99" in i.message for i in r.issues)


def test_a_stated_amount_keeps_the_label_printed_on_its_row():
    src = SourceText.from_text("事務事業評価シート\n事務事業名 あけぼの公園整備事業\n(千円)\n直接事業費(A) 1,200 1,350\n",
                               "label.txt")
    amounts_ = read_document(src).projects[0].amounts
    assert [(a.printed, a.category, a.label) for a in amounts_] == [
        ("1,200", "stated", "直接事業費"), ("1,350", "stated", "直接事業費")]


# --- prose enumerations and column-dumped tables -------------------------------------------------


def test_an_amount_whose_parts_the_dump_set_apart_is_read_whole():
    assert normalize_line("予算の額は212億 4,000 万円で") == "予算の額は212億4,000 万円で"
    assert normalize_line("平成 23 年度決算") == "平成23年度決算"
    assert normalize_line("人口 65.4 万 人") == "人口 65.4 万人"  # a count, not money: nothing to join
    r = read("prose_budget.txt")
    assert ("212億4,000 万円", 21_240_000_000) in amounts(r)


def test_projects_enumerated_in_prose_after_an_enumeration_head():
    r = read("prose_budget.txt")
    assert [p.name for p in r.projects] == ["中央図書館の耐震改修", "北口広場の再整備", "(仮称)こども交流館の建設",
                                            "市道5号線の拡幅"]
    assert r.findings["project:enumerated"] == 4
    # the sum printed after the enumeration is all of them together: kept on the document, not given to
    # the last project named before it
    assert ("18億円", 1_800_000_000) in [(a.printed, a.jpy) for a in r.amounts]
    assert all(not p.amounts for p in r.projects)


def test_an_enumeration_without_its_ending_is_not_read():
    src = SourceText.from_text("令和５年度当初予算の概要\n主な事業は、駅前の整備、公園の改修を進めます。\n", "open.txt")
    assert read_document(src).projects == []


def test_a_table_dumped_column_by_column_pairs_its_labels_and_figures():
    r = read("column_table.txt")
    costs = {p.name: [(a.printed, a.jpy, a.category, a.fiscal_year) for a in p.amounts] for p in r.projects}
    assert costs == {
        "ほたる祭り": [("1,250", 1_250_000, "total", 2021)], "もみじ散策": [("384", 384_000, "total", 2021)],
        "雪まつり": [("1,906", 1_906_000, "total", 2021)], "里山学校": [("171", 171_000, "total", 2021)],
        "広報活動": [("95", 95_000, "total", 2021)],
    }
    # a kind of expense and the total are lines of the table, not projects: kept as printed, with their label
    kept = {(a.label, a.printed) for a in r.amounts if a.label}
    assert {("消耗品費", "114"), ("合計", "3,920")} <= kept
    assert r.findings["project:table row"] == 5


def test_columns_of_unequal_length_are_reported_not_paired():
    text = ("令和３年度 事業計画\n図表1 会の支出\nほたる祭り\nもみじ散策\n雪まつり\n里山学校\n"
            "令和3年度決算\n1,250\n384\n1,906\n(千円)\n")
    r = read_document(SourceText.from_text(text, "short.txt"))
    assert not any(p.amounts for p in r.projects) and "ほたる祭り" not in [p.name for p in r.projects]
    assert any("4 row labels and a column of 3 figures" in i.message for i in r.issues)


def test_a_sheet_that_prints_only_its_budget_items_gives_each_as_a_project():
    text = ("令和２年度 事務事業評価シート\n担当課\n生涯学習課\n事務事業を構成する予算細目\n"
            "11(ひばり館維持管理事業)\n12(ひばり館改修事業)\n")
    r = read_document(SourceText.from_text(text, "items.txt"))
    assert [p.name for p in r.projects] == ["ひばり館維持管理事業", "ひばり館改修事業"]


def test_a_heading_whose_citation_lost_its_bracket_to_ocr_is_still_a_business_line():
    text = "令和６年度事業計画書\n1 基本方針\n当会は地域を支える。\n2 市町村への交付事業健款第4条第1項第2号)\n事業予算額 1,250千円\n"
    r = read_document(SourceText.from_text(text, "ocr.txt"))
    assert [p.name for p in r.projects] == ["市町村への交付事業"]


# --- publisher ------------------------------------------------------------------------------------


def _publisher(text: str) -> str | None:
    return read_document(SourceText.from_text(text, "who.txt")).publisher


def test_a_foundation_that_names_itself_at_its_head_is_the_publisher():
    assert read("foundation_plan.txt").publisher == "公益財団法人しらかば文化振興財団"


def test_a_reviewed_operator_and_a_name_inside_a_longer_unlisted_one_are_not_the_publisher():
    assert _publisher("八王子市\n指定管理者 一般財団法人まほろば文化振興事業団\n施設名 まほろばホール\n評価シート\n"
                      "指定管理料 12,000千円\n") == "八王子市"
    assert _publisher("令和5年度 事務事業評価シート\n青葉原村 企画課\n青葉原村の計画\n") is None  # holds 原村
    assert _publisher("令和5年度 事務事業評価シート\n長野県原村 企画課\n") == "原村"


def test_the_local_government_of_the_title_area_is_the_publisher_when_it_is_on_the_reference_list():
    assert _publisher("長野県松本市 令和５年度 事務事業評価シート\n事務事業名 あおぞら広場管理事業\n") == "松本市"
    assert _publisher("令和５年度 長野県 施策評価結果一覧\n施策 1-1 みどりの保全\n") == "長野県"
    # names that only end like one are not on the list: no publisher rather than a wrong one
    assert _publisher("令和５年度 事務事業評価シート 平和都市推進課\n事務事業名 ひかり宣言啓発事業\n") is None


def test_a_local_government_publisher_carries_its_code_when_its_name_says_which_one():
    def code(text: str) -> tuple[str | None, str | None]:
        r = read_document(SourceText.from_text(text, "code.txt"))
        return r.publisher, r.publisher_code

    assert code("長野県松本市 令和５年度 事務事業評価シート\n事務事業名 あおぞら広場管理事業\n") == ("松本市", "202029")
    # 府中市 is a city of 東京都 and of 広島県: the prefecture printed beside it decides, else no code
    assert code("広島県府中市 令和５年度 事務事業評価シート\n事務事業名 あおぞら広場管理事業\n") == ("府中市", "342084")
    assert code("府中市 令和５年度 事務事業評価シート\n事務事業名 あおぞら広場管理事業\n") == ("府中市", None)


def test_listed_names_are_found_leftmost_longest_and_never_overlapping():
    from policy_kg.extract.engine.publisher import _places

    assert _places().names_in("東京都市町村振興") == ["東京都"]  # not 京都市
    assert _places().names_in("滋賀県大津市と広島県府中市") == ["滋賀県", "大津市", "広島県", "府中市"]  # not 津市
    assert _places().names_in("平和都市宣言") == []


def test_a_name_further_down_counts_only_when_printed_twice():
    head = "令和５年度 事務事業評価シート\n事務事業名 ひかり館維持管理事業\n" + "概要\n" * 15
    assert _publisher(head + "会場 松本市の公園\n") is None
    assert _publisher(head + "根拠 松本市ひかり館条例\n松本市施設管理計画\n") == "松本市"


def test_the_reference_list_of_local_governments_is_whole_and_unique():
    import csv
    from policy_kg.extract.engine.publisher import MUNICIPALITIES_FILE
    rows = list(csv.DictReader(MUNICIPALITIES_FILE.open(encoding="utf-8")))
    assert len({r["code"] for r in rows}) == len(rows)
    assert len({r["prefecture"] for r in rows}) == 47
    assert sum(r["name"] == r["prefecture"] for r in rows) == 47
    assert len(rows) - 47 >= 1_741  # 792 cities, 743 towns, 183 villages and Tokyo's 23 wards


def test_the_publisher_reaches_the_graph_as_the_documents_dcterms_publisher():
    from rdflib import Literal
    from rdflib.namespace import DCTERMS, SKOS

    from policy_kg.graph.builder import document_graphs

    triples = set().union(*document_graphs(read("foundation_plan.txt")).values())
    publishers = [o for s, p, o in triples if p == DCTERMS.publisher]
    assert len(publishers) == 1
    assert (publishers[0], SKOS.prefLabel, Literal("公益財団法人しらかば文化振興財団", lang="ja")) in triples
    assert not [o for s, p, o in triples if p == DCTERMS.identifier]  # a foundation has no local-government code
    city = read_document(SourceText.from_text("長野県松本市 令和５年度 事務事業評価シート\n事務事業名 あおぞら事業\n", "m.txt"))
    triples = set().union(*document_graphs(city).values())
    assert [o for s, p, o in triples if p == DCTERMS.identifier] == [Literal("202029")]


def test_two_cities_of_one_name_are_two_publishers_and_one_city_is_one():
    from rdflib.namespace import DCTERMS

    from policy_kg.graph.builder import document_graphs

    def publisher_iri(text: str, name: str):
        triples = set().union(*document_graphs(read_document(SourceText.from_text(text, name))).values())
        return next(o for s, p, o in triples if p == DCTERMS.publisher)

    sheet = " 令和５年度 事務事業評価シート\n事務事業名 あおぞら広場管理事業\n"
    tokyo, hiroshima = publisher_iri("東京都府中市" + sheet, "a.txt"), publisher_iri("広島県府中市" + sheet, "b.txt")
    assert tokyo != hiroshima
    assert publisher_iri("東京都府中市 令和６年度 施策評価\n施策 1 みどり\n", "c.txt") == tokyo


# --- indicator tables whose rows the dump kept ------------------------------------------------------


def test_an_indicator_table_with_year_and_role_columns_gives_each_row_its_roles_and_years():
    got = values(read("indicator_rows.txt"))
    assert got["農園利用者数"] == [("target", Decimal(1200), 2018), ("actual", Decimal(1150), 2018),
                                  ("target", Decimal(1300), 2019), ("actual", Decimal(1280), 2019)]
    # the 達成率 column keeps the cells in their columns but is not a value of its own
    assert Decimal("98.5") not in [v for _, v, _ in got["農園利用者数"]]


def test_a_table_of_years_takes_each_rows_role_from_its_name():
    r = read("indicator_rows.txt")
    days = [(v.role, v.value, v.fiscal_year) for i in r.projects[0].indicators if i.name == "開園日数" for v in i.values]
    assert days == [("target", Decimal(200), 2018), ("target", Decimal(200), 2019), ("target", Decimal(210), 2020),
                    ("actual", Decimal(198), 2018), ("actual", Decimal(201), 2019)]
    assert {i.kind for i in r.projects[0].indicators if i.name == "開園日数"} == {"activity"}


def test_a_short_row_of_an_indicator_table_is_read_from_the_left_and_reported():
    r = read("indicator_rows.txt")
    assert values(r)["体験講座の満足度"] == [("target", Decimal(80), 2018), ("actual", Decimal(84), 2018),
                                      ("target", Decimal(85), 2019)]
    assert any("体験講座の満足度" in i.message and "3 values under 5 columns" in i.message for i in r.issues)


def test_indicator_rows_that_print_their_unit_are_not_money_but_a_cost_table_under_the_same_header_is():
    r = read("indicator_rows.txt")
    got = sorted((a.printed, a.category, a.fiscal_year) for a in r.projects[0].amounts)
    assert got == [("2,900", "general_fund", 2018), ("3,050", "general_fund", 2019), ("3,100", "general_fund", 2020),
                   ("3,400", "total", 2018), ("3,550", "total", 2019), ("3,600", "total", 2020)]


_SHEET = "令和５年度 事務事業評価シート\n事務事業名 はなみずき講座事業\n担当課 生涯学習課\n"


def _indicators(text: str) -> list[tuple[str, str | None, list[tuple[str, Decimal, int | None]]]]:
    (project,) = extract(SourceText.from_text(_SHEET + text, "sheet.txt")).projects
    return [(i.name, i.unit, [(v.role, v.value, v.fiscal_year) for v in i.values]) for i in project.indicators]


def test_values_each_after_its_role_label_belong_to_the_indicator_named_before_them():
    assert _indicators("成果指標名 参加者数 単位 人 目標値 500 実績値 480 達成率 96%\n") == [
        ("参加者数", "人", [("target", Decimal(500), None), ("actual", Decimal(480), None)])]  # 達成率 is derived
    assert _indicators("活動指標 講座の開催回数 回 R4目標 12 R4実績 10\n") == [
        ("講座の開催回数", "回", [("target", Decimal(12), 2022), ("actual", Decimal(10), 2022)])]
    assert _indicators("成果指標 参加者の満足度 目標値:90% 実績値:85%\n") == [
        ("参加者の満足度", "%", [("target", Decimal(90), None), ("actual", Decimal(85), None)])]
    assert _indicators("活動指標\n講座の開催回数(回)\n目標値\n12\n実績値\n10\n") == [
        ("講座の開催回数", "回", [("target", Decimal(12), None), ("actual", Decimal(10), None)])]


def test_an_indicator_label_may_print_its_name_after_a_colon_or_after_header_words():
    assert _indicators("成果指標:参加者数(人) 目標値 500 実績値 480\n") == [
        ("参加者数", "人", [("target", Decimal(500), None), ("actual", Decimal(480), None)])]
    # the first label's kind, one indicator (not a second one from 指標名)
    got = extract(SourceText.from_text(_SHEET + "活動指標 指標名 講座の開催回数 単位 回 目標 12 実績 10\n", "s.txt"))
    assert [(i.name, i.kind, len(i.values)) for i in got.projects[0].indicators] == [("講座の開催回数", "activity", 2)]


def test_the_indicator_forms_fixture_gives_each_form_its_indicator():
    (project,) = read("indicator_forms.txt").projects
    assert [(i.name, i.unit, len(i.values)) for i in project.indicators] == [
        ("修了者数", "人", 5), ("相談件数", "件", 3), ("参加者数", "人", 2), ("講座の開催回数", "回", 2),
        ("受講者の満足度", "%", 2)]
    assert not project.amounts


def test_a_role_label_followed_by_several_values_is_a_row_of_an_unread_table_and_gives_nothing():
    assert _indicators("成果指標 参加者数 目標値 400 450 500\n") == []


def test_a_table_row_that_prints_its_role_and_the_row_that_continues_it_are_one_indicator():
    got = _indicators("区分 令和3年度 令和4年度 令和5年度\n参加者数(人) 目標 400 450 500\n実績 380 460 -\n")
    assert got == [("参加者数", "人", [
        ("target", Decimal(400), 2021), ("target", Decimal(450), 2022), ("target", Decimal(500), 2023),
        ("actual", Decimal(380), 2021), ("actual", Decimal(460), 2022)])]  # − is no value, not zero


def test_an_indicator_table_printed_one_cell_per_line():
    text = "指標名\n単位\nR3実績\nR4目標\nR4実績\n参加者数\n人\n450\n500\n480\n講座の満足度\n%\n88\n90\n"
    r = extract(SourceText.from_text(_SHEET + text, "cells.txt"))
    got = [(i.name, i.unit, [(v.role, v.value, v.fiscal_year) for v in i.values]) for i in r.projects[0].indicators]
    assert got == [
        ("参加者数", "人", [("actual", Decimal(450), 2021), ("target", Decimal(500), 2022), ("actual", Decimal(480), 2022)]),
        ("講座の満足度", "%", [("actual", Decimal(88), 2021), ("target", Decimal(90), 2022)]),
    ]
    assert any("講座の満足度" in i.message and "2 values under 3 columns" in i.message for i in r.issues)
    assert not r.projects[0].amounts  # the table's cells are not money


def test_a_kpi_table_printed_one_cell_per_line_with_its_goal_cells_before_each_name():
    r = read("kpi_cells.txt")
    assert r.kind == "kpi_review"
    # R2 / R6 before R4 / 実績値: one column for the period R2–R6 (its values are for 2024: under 数値目標, targets)
    # and one of 2022's actuals; 累計 says what the cell counts; the unit line after a value is its unit;
    # a note after the row (うち R4年度 150人) gives that year's part of the running total
    assert values(r) == {
        "新規就業者数": [("target", Decimal(600), 2024), ("actual", Decimal(410), 2022),
                   ("actual", Decimal(150), 2022)],
        "転入超過数": [("target", Decimal(300), 2024), ("actual", Decimal(120), 2022),
                  ("actual", Decimal(60), 2022)],
        "満足度": [("target", Decimal(80), 2024), ("actual", Decimal(76), 2022)],
        "圏域の人口": [("target", Decimal("32.1"), 2024), ("actual", Decimal("31.8"), 2022)],
    }  # the goal's cells (しごとを / つくる) are not names; the meeting's four figures outrun the two columns;
    # a name wrapped after a particle (圏域の / 人口) is one name
    assert [i.unit for i in r.indicators if i.name == "圏域の人口"] == ["万人"]
    qualified = [(v.value, v.qualifier) for i in r.indicators if i.name == "新規就業者数" for v in i.values]
    assert qualified == [(600, None), (410, "累計"), (150, "うち R4年度 150人")]
    notes = [i.message for i in r.issues if "a note after a row's value" in i.message]
    assert len(notes) == 2 and "(うち R4年度 150人)" in notes[0] and "read as the row's value of the year" in notes[0]


@pytest.mark.parametrize(("label", "role"), [("数値目標", "target"), ("成果目標", "target"), ("指標名", "unspecified")])
def test_a_period_column_holds_targets_only_under_a_label_that_names_them(label, role):
    text = f"みずうみ市総合戦略 令和4年度の進捗状況の評価\n{label}\nR2\nR6\nR4\n実績値\n新規就業者数\n600\n410\n"
    [indicator] = read_document(SourceText.from_text(text, "period.txt")).indicators
    assert [(v.role, v.value, v.fiscal_year) for v in indicator.values] == [(role, 600, 2024), ("actual", 410, 2022)]


@pytest.mark.parametrize(("note", "read"), [
    ("(うち R4年度 150人)", (150, 2022)),
    ("(う R4 度 150 人)", (150, 2022)),  # a dump that lost characters of the words, not the year and the figure
    ("(内 2022年度 150)", (150, 2022)),
    ("(参考 R3 140人)", (140, 2021)),  # a past year's figure beside the row
    ("(R5 3月 150人)", None),  # a date
    ("(うち R4年度 150件)", None),  # another unit than the row's
    ("(R3 140人 R4 150人)", None),  # two figures
])
def test_a_note_after_a_rows_value_is_read_as_one_years_part_only_when_it_prints_one_year_and_one_figure(note, read):
    text = ("みずうみ市総合戦略 令和4年度の進捗状況の評価\n数値目標\nR2\nR6\nR4\n実績値\n"
            f"新規就業者数\n人\n600\n累計\n410\n{note}\n")
    r = read_document(SourceText.from_text(text, "note.txt"))
    [indicator] = r.indicators
    parts = [(v.value, v.fiscal_year) for v in indicator.values if v.qualifier not in (None, "累計")]
    assert parts == ([read] if read else [])
    assert {v.role for v in indicator.values if v.qualifier not in (None, "累計")} <= {"actual"}
    if read is None:
        assert any("a note after a row's values: its figures are not read" in i.message for i in r.issues)


def test_a_grade_or_a_remark_beside_a_rows_values_is_read_as_its_cell_not_as_a_value():
    text = ("みずうみ市総合戦略 KPI進捗状況\n"
            "KPI 基準値(R元) 目標値(R6) R3実績 R4実績 達成状況\n"
            "創業支援件数(件) 12 20 15 18 A\n"
            "観光入込客数(千人) 1,250 1,400 820 1,010\n"
            "指標名 R3実績 R4実績 備考\n"
            "移住相談件数 30 41 窓口を 移した\n")
    r = extract(SourceText.from_text(text, "kpi.txt"))
    assert values(r) == {
        "創業支援件数": [("baseline", Decimal(12), 2019), ("target", Decimal(20), 2024),
                   ("actual", Decimal(15), 2021), ("actual", Decimal(18), 2022)],
        "観光入込客数": [("baseline", Decimal(1250), 2019), ("target", Decimal(1400), 2024),
                   ("actual", Decimal(820), 2021), ("actual", Decimal(1010), 2022)],
        "移住相談件数": [("actual", Decimal(30), 2021), ("actual", Decimal(41), 2022)],
    }
    assert not any("columns: read from the left" in i.message for i in r.issues)  # a blank grade is no gap


def test_label_and_value_cells_one_per_line_give_the_indicator_its_values_and_the_money_its_years():
    r = read("label_value_cells.txt")
    (project,) = r.projects
    # R2実績 / 45,210 after 成果指標: the indicator's, though a 千円 declaration follows (not 45,210,000 yen)
    assert values(r) == {"コミュニティバス利用者数": [
        ("actual", Decimal(45210), 2020), ("actual", Decimal(48930), 2021),
        ("target", Decimal(52000), 2022), ("actual", Decimal(50115), 2022)]}
    assert [(a.printed, a.category, a.fiscal_year) for a in project.amounts] == [
        ("32,100", "total", 2021), ("33,480", "total", 2022)]  # 事業費 / (千円) / R3決算 / 32,100 …


@pytest.mark.parametrize("money", [
    "事業費(千円) R3決算 32,100 R4決算 33,480 R5予算 34,000\n",  # each figure after its own year
    "事業費 (千円)\nR3決算 R4決算 R5予算\n32,100 33,480 34,000\n",  # the header between label and row
    "事業費 (千円) R3決算 R4決算 R5予算 32,100 33,480 34,000\n",  # the same, flattened into one line
])
def test_a_money_row_takes_the_years_printed_between_its_label_and_its_figures(money):
    (project,) = extract(SourceText.from_text(_SHEET + money, "money.txt")).projects
    assert [(a.jpy, a.category, a.fiscal_year, a.status) for a in project.amounts] == [
        (32_100_000, "total", 2021, None), (33_480_000, "total", 2022, None), (34_000_000, "total", 2023, "budget")]


def test_role_rows_under_a_year_header_take_kind_and_unit_from_the_indicator_label_before_it():
    text = ("活動指標 空き家相談件数 (件)\n年度 R元 R2 R3\n目標値 40 45 50\n実績値 38 52 47\n"
            "成果指標 活用された空き家数 (戸)\n年度 R元 R2 R3\n目標値 10 12 15\n")
    r = extract(SourceText.from_text(_SHEET + text, "rows.txt"))
    got = [(i.name, i.kind, i.unit, len(i.values)) for i in r.projects[0].indicators]
    assert got == [("空き家相談件数", "activity", "件", 6), ("活用された空き家数", "outcome", "戸", 3)]


def test_a_department_and_its_division_under_their_own_labels():
    text = "令和5年度 事務事業評価シート\n事務事業名 はなみずき講座事業\n所管部 生涯学習部 所管課 生涯学習課\n"
    unit = extract(SourceText.from_text(text, "sheet.txt")).projects[0].unit
    assert (unit.department, unit.division) == ("生涯学習部", "生涯学習課")


def test_a_table_of_projects_gives_each_figure_the_year_its_column_prints():
    r = read("measure_sheet.txt")
    got = {p.name: [(a.jpy, a.category, a.fiscal_year, a.status) for a in p.amounts] for p in r.projects}
    assert got["地域福祉計画推進事業"] == [(1_250_000, "total", 2020, None), (980_000, "total", 2021, "budget")]
    assert len(r.projects) == 3 and all(len(v) == 2 for v in got.values())


def test_a_budget_summary_tells_its_columns_years_from_its_title_and_keeps_a_difference_as_stated():
    r = read("budget_columns.txt")
    assert r.fiscal_year == 2023
    (project,) = [p for p in r.projects if p.name == "地域公共交通対策事業"]
    assert [(a.jpy, a.category, a.fiscal_year, a.status, a.label) for a in project.amounts] == [
        (96_400_000, "total", 2023, "budget", None), (101_200_000, "total", 2022, "budget", None),
        (-4_800_000, "stated", None, None, "増減")]  # the change between the two, never money spent
    assert not r.amounts


def test_role_rows_printed_one_cell_per_line_are_named_by_the_label_above_the_year_cell():
    r = read("vertical_rows.txt")
    (project,) = r.projects
    assert [(i.name, i.kind, i.unit) for i in project.indicators] == [("健康教室の開催回数", "activity", "回")]
    assert [(v.role, v.fiscal_year) for v in project.indicators[0].values][::3] == [("target", 2016), ("actual", 2016)]
    assert [(a.jpy, a.fiscal_year) for a in project.amounts] == [
        (3_120_000, 2016), (3_340_000, 2017), (3_560_000, 2018)]


def test_a_kpi_counted_in_yen_is_an_indicators_value_not_money():
    r = read("kpi_blocks.txt")
    assert values(r) == {
        "製造品出荷額等": [("baseline", Decimal(2100), 2014), ("target", Decimal(2400), 2019),
                     ("actual", Decimal(2250), 2018)],
        "新規創業者数": [("baseline", Decimal(15), 2014), ("target", Decimal(25), 2019), ("actual", Decimal(21), 2018)],
    }  # the second block's label prints its abbreviation: 重要業績評価指標(KPI)
    assert [i.unit for i in r.indicators][:1] == ["億円"] and not amounts(r)


def test_a_money_label_before_an_inline_amount_names_it_and_a_plans_budget_is_for_the_plans_year():
    r = read("welfare_plan.txt")
    assert r.fiscal_year == 2022
    got = [(p.name, [(a.jpy, a.category, a.fiscal_year, a.status) for a in p.amounts]) for p in r.projects]
    assert got[1] == ("ボランティアセンター運営事業", [(3_200_000, "total", 2022, "budget")])
    # (1) ボランティア登録者数 目標 850人: a counted item with its role, for the plan's year; 地区社協 24地区
    # after a name is no such line (two names before one figure)
    assert values(r) == {"ボランティア登録者数": [("target", Decimal(850), 2022)]}
    (sheet,) = extract(SourceText.from_text(_SHEET + "事業費 12,345千円\n一般財源 10,000千円\n", "s.txt")).projects
    # an evaluation sheet's year is not its budget's: labelled, but kept as stated
    assert [(a.category, a.label, a.fiscal_year) for a in sheet.amounts] == [
        ("stated", "事業費", None), ("stated", "一般財源", None)]


def test_an_amount_on_its_projects_line_is_its_rows_not_placed_by_position():
    r = read("results_report.txt")
    assert [(a.jpy, a.confidence) for p in r.projects for a in p.amounts] == [(12_345_000, 1.0), (1_980_000, 1.0)]
    assert not any("by position only" in i.message for i in r.issues)
    one_line = extract(SourceText.from_text(  # two projects on one line: the second's figure is placed by position
        "令和4年度 主要施策の成果\n① はなみずき講座事業 1,200千円 ② あおぞら広場管理事業 3,400千円\n", "one.txt"))
    assert any("by position only" in i.message for i in one_line.issues)


def test_lines_of_what_was_done_and_how_much_are_counted_items_of_their_project():
    r = read("results_report.txt")
    got = {p.name: (p.unit.division if p.unit else None, [(i.name, i.unit, [(v.role, v.value, v.fiscal_year)
                                                                          for v in i.values]) for i in p.indicators])
           for p in r.projects}
    assert got == {
        "防犯灯設置補助事業": ("市民協働課", [("防犯灯の新設", "基", [("unspecified", Decimal(85), None)])]),
        "交通安全教育事業": ("交通政策課", [("交通安全教室の開催", "回", [("unspecified", Decimal(42), None)]),
                                   ("参加者", "人", [("unspecified", Decimal(3150), None)])]),
    }


@pytest.mark.parametrize("line", ["参加者 20名程度", "減額 3.3%", "参加者数 42回 ほか", "開催日 6月", "参加者 42"])
def test_a_bound_a_rate_a_date_a_bare_figure_or_a_line_with_more_is_no_counted_item(line):
    text = "令和4年度 主要施策の成果\n① はなみずき講座事業(担当:生涯学習課) 1,200千円\n講座の開催 12回\n"
    r = extract(SourceText.from_text(text + line + "\n", "s.txt"))
    assert [i.name for i in r.projects[0].indicators] == ["講座の開催"]


def test_outside_a_report_of_results_a_name_and_a_count_need_a_role_between_them():
    r = extract(SourceText.from_text(_SHEET + "講座の開催 12回\n受講者数 目標 300人\n", "s.txt"))
    assert values(r) == {"受講者数": [("target", Decimal(300), None)]}


def test_a_numbered_kpi_table_reads_each_row_after_its_number():
    text = ("みずうみ市総合戦略 重要業績評価指標(KPI)の達成状況\n"
            "No. 指標名 基準値 目標値 R3 R4 達成度\n"
            "1 移住者数(人) 120 200 135 150 B\n"
            "2 市民の定住意向(%) 78.5 85.0 79.1 80.2 C\n")
    r = extract(SourceText.from_text(text, "kpi.txt"))
    assert {i.name: (i.kind, i.unit) for i in r.indicators} == {"移住者数": ("kpi", "人"), "市民の定住意向": ("kpi", "%")}
    assert values(r)["移住者数"] == [("baseline", Decimal(120), None), ("target", Decimal(200), None),
                                  ("unspecified", Decimal(135), 2021), ("unspecified", Decimal(150), 2022)]


def test_a_line_of_statuses_under_a_year_header_says_what_each_column_holds():
    text = "区分 2021年度 2022年度 2023年度\n決算 決算 予算\n事業費(千円) 5,000 5,200 5,500\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.fiscal_year, a.status) for a in project.amounts] == [(2021, None), (2022, None), (2023, "budget")]



@pytest.mark.parametrize("middle", ["区分", "項目 内訳"])
def test_a_header_two_lines_high_keeps_its_years_and_statuses_around_the_row_labels_head(middle):
    # 令和4年度 / 決算 is one cell two lines high; the row labels' head (区分) is centred between its halves
    text = (f"(単位:千円)\n        令和4年度   令和5年度   令和6年度\n {middle}\n          決算        決算        予算\n"
            " 事業費   1,200   1,350   1,480\n 一般財源   800   900   980\n")
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.status, a.jpy) for a in project.amounts] == [
        ("total", 2022, None, 1_200_000), ("total", 2023, None, 1_350_000), ("total", 2024, "budget", 1_480_000),
        ("general_fund", 2022, None, 800_000), ("general_fund", 2023, None, 900_000),
        ("general_fund", 2024, "budget", 980_000)]


def test_a_line_of_words_between_years_and_figures_is_not_a_header_of_statuses():
    text = "(単位:千円)\n 2021年度 2022年度\n 主な内容\n 事業費 5,000 5,200\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.fiscal_year, a.status) for a in project.amounts] == [(2021, None), (2022, None)]

def test_a_budget_in_force_and_the_sum_spent_are_labelled_money():
    text = "予算現額 3,456,000円\n執行額 3,210,500円\n執行率 92.9%\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.jpy, a.label) for a in project.amounts] == [(3_456_000, "予算現額"), (3_210_500, "執行額")]


_KPI_TABLE = ("みずうみ市総合戦略 重要業績評価指標(KPI)の達成状況\n"
              "No. 指標名 基準値(R元) 目標値(R6) R3実績 R4実績 達成度\n"
              "1 移住者数(人) 120 200 135 150 B\n"
              "2 空き店舗の活用件数(件) 3 15 5 8\n"
              "3 市民の定住意向(%) 78.5 85.0 79.1 80.2 C\n")


@pytest.mark.parametrize("form", ["rows", "one line", "one cell per line", "letter-spaced cells"])
def test_a_kpi_table_gives_the_same_values_as_rows_flattened_into_one_line_or_one_cell_per_line(form):
    title, table = _KPI_TABLE.split("\n", 1)
    text = {"rows": table, "one line": table.replace("\n", " "), "one cell per line": table.replace(" ", "\n"),
            "letter-spaced cells": "\n".join(_spaced(c) for c in table.split())}[form]
    r = extract(SourceText.from_text(title + "\n" + text + "\n", "kpi.txt"))
    assert values(r) == {
        "移住者数": [("baseline", Decimal(120), 2019), ("target", Decimal(200), 2024),
                 ("actual", Decimal(135), 2021), ("actual", Decimal(150), 2022)],
        "空き店舗の活用件数": [("baseline", Decimal(3), 2019), ("target", Decimal(15), 2024),
                      ("actual", Decimal(5), 2021), ("actual", Decimal(8), 2022)],  # no grade: still a row
        "市民の定住意向": [("baseline", Decimal("78.5"), 2019), ("target", Decimal(85), 2024),
                    ("actual", Decimal("79.1"), 2021), ("actual", Decimal("80.2"), 2022)],
    }
    assert {i.unit for i in r.indicators} == {"人", "件", "%"} and {i.kind for i in r.indicators} == {"kpi"}


def test_a_letter_spaced_kpi_table_one_cell_per_line_binds_each_bracketed_year_to_its_role():
    r = read("kpi_spaced_cells.txt")
    assert values(r) == {
        "創業支援件数": [("baseline", Decimal(12), 2014), ("target", Decimal(20), 2019), ("actual", Decimal(15), 2018)],
        "観光入込客数": [("baseline", Decimal(1250), 2014), ("target", Decimal(1400), 2019),
                   ("actual", Decimal(1010), 2018)],
    }  # 基準値 / (H26) / 目標値 / (R1) / H30 / 実績値: (H26) is 基準値's year, H30 実績値's


def _spaced(cell: str) -> str:
    """A cell as a dump that spaces out the characters of words prints it (figures and ASCII left alone)."""
    return cell if re.fullmatch(r"[▲△]?[\x00-\x7f]+", cell) else " ".join(cell)


@pytest.mark.parametrize("form", ["one line", "one cell per line", "letter-spaced cells"])
def test_a_sheet_gives_the_same_facts_as_rows_flattened_or_one_cell_per_line_or_letter_spaced(form):
    title, body = (DATA / "sheet_forms.txt").read_text(encoding="utf-8").split("\n", 1)
    cells = body.split()
    text = {"one line": " ".join(cells), "one cell per line": "\n".join(cells),
            "letter-spaced cells": "\n".join(_spaced(c) for c in cells)}[form]

    def facts(r: DocumentRecord):
        (p,) = r.projects
        return (p.name, p.unit.division, [(a.jpy, a.category, a.fiscal_year, a.status) for a in p.amounts],
                values(r))

    as_rows = facts(read("sheet_forms.txt"))
    assert len(as_rows[2]) == 9 and len(as_rows[3]) == 2
    assert facts(extract(SourceText.from_text(title + "\n" + text + "\n", "forms.txt"))) == as_rows


@pytest.mark.parametrize("form", ["rows", "one line", "one cell per line", "letter-spaced cells"])
def test_a_sheet_of_indicator_blocks_gives_the_same_facts_however_it_is_printed(form):
    # each indicator's block: its label and name, its unit, its header of columns, then one value per column
    title, body = (DATA / "sheet_blocks.txt").read_text(encoding="utf-8").split("\n", 1)
    cells = body.split()
    text = {"rows": body, "one line": " ".join(cells), "one cell per line": "\n".join(cells),
            "letter-spaced cells": "\n".join(_spaced(c) for c in cells)}[form]
    r = extract(SourceText.from_text(title + "\n" + text + "\n", "blocks.txt"))
    (p,) = r.projects
    assert (p.name, p.unit.division) == ("こもれび図書館運営事業", "生涯学習課")
    assert [(a.jpy, a.fiscal_year, a.status) for a in p.amounts] == [
        (45_210_000, 2021, None), (46_800_000, 2022, None), (47_300_000, 2023, "budget")]  # the values are no money
    assert values(r) == {
        "開館日数": [("actual", 290, 2021), ("actual", 295, 2022), ("target", 300, 2023)],
        "年間貸出冊数": [("actual", 152_000, 2021), ("actual", 158_400, 2022), ("target", 160_000, 2023)],
    }
    assert {i.name: (i.kind, i.unit) for i in p.indicators} == {"開館日数": ("activity", "日"), "年間貸出冊数": ("outcome", "冊")}


@pytest.mark.parametrize("form", ["one line", "one cell per line", "letter-spaced cells"])
@pytest.mark.parametrize(("fixture", "table"), [("measure_sheet.txt", slice(4, 8)), ("budget_columns.txt", slice(3, 7))])
def test_a_table_of_projects_gives_the_same_facts_flattened_or_one_cell_per_line(fixture, table, form):
    lines = (DATA / fixture).read_text(encoding="utf-8").splitlines()
    cells = " ".join(lines[table]).split()
    lines[table] = {"one line": [" ".join(cells)], "one cell per line": cells,
                    "letter-spaced cells": [_spaced(c) for c in cells]}[form]

    def facts(r: DocumentRecord):
        return [(p.name, p.unit.division, [(a.jpy, a.category, a.fiscal_year) for a in p.amounts]) for p in r.projects]

    as_rows = facts(read(fixture))
    assert len(as_rows) == 3 and all(len(amounts) >= 2 for _, _, amounts in as_rows)
    assert facts(extract(SourceText.from_text("\n".join(lines) + "\n", fixture))) == as_rows


def test_a_prefectures_measure_sheet_in_millions_of_yen_with_its_projects_and_indicators():
    r = read("prefecture_measure.txt")
    got = {p.name: [(a.jpy, a.fiscal_year, a.status) for a in p.amounts] for p in r.projects}
    assert got == {"観光誘客推進事業": [(123_000_000, 2021, None), (145_000_000, 2022, "budget")],
                   "広域観光連携事業": [(45_000_000, 2021, None), (50_000_000, 2022, "budget")]}
    inds = {i.name: i.unit for i in r.indicators + [i for p in r.projects for i in p.indicators]}
    assert inds == {"観光入込客数": "万人", "外国人宿泊者数": "千人泊"}  # a grade (C, D) after the values


def test_a_rows_money_label_gives_its_status_and_an_indicator_label_opening_a_row_its_kind():
    r = read("cost_and_indicator_trends.txt")
    (project,) = r.projects
    assert project.unit.division == "こども育成課"  # 所管 こども育成課
    totals = [(a.jpy, a.fiscal_year, a.status) for a in project.amounts if a.category == "total"]
    assert totals == [(45_210_000, 2015, None), (47_800_000, 2016, None),  # 決算額(千円): settled
                      (44_000_000, 2015, "budget"), (48_100_000, 2016, "budget"), (50_300_000, 2017, "budget")]
    assert [(i.name, i.kind, i.unit) for i in project.indicators] == [
        ("開設クラブ数", "activity", "か所"), ("待機児童数", "outcome", "人")]


def test_a_numbered_kpi_label_opens_its_labelled_values():
    text = ("みずうみ市総合戦略 効果検証シート\nKPI① 新規就農者数\n目標値(R6) 40人\n実績値(R4) 28人\n達成率 70.0%\n"
            "KPI② 企業誘致件数\n目標値(R6) 10件\n実績値(R4) 6件\n")
    r = extract(SourceText.from_text(text, "kpi.txt"))
    assert values(r) == {"新規就農者数": [("target", Decimal(40), 2024), ("actual", Decimal(28), 2022)],
                         "企業誘致件数": [("target", Decimal(10), 2024), ("actual", Decimal(6), 2022)]}


def test_a_flattened_table_of_projects_cut_inside_a_row_keeps_the_rows_name_and_not_its_cut_figure():
    text = ("令和3年度 施策評価シート\nNo. 事務事業名 担当課 R2決算額(千円) R3予算額(千円) "
            "1 民生委員活動支援事業 福祉政策課 12,400 12,800 2 地域福祉計画推進事業 福祉政策課 1,2\n")
    r = extract(SourceText.from_text(text, "cut.txt"))
    got = [(p.name, p.unit.division, [a.jpy for a in p.amounts]) for p in r.projects]
    assert got == [("民生委員活動支援事業", "福祉政策課", [12_400_000, 12_800_000]), ("地域福祉計画推進事業", "福祉政策課", [])]
    assert any("stops inside a figure ('1,2')" in i.message for i in r.issues)


@pytest.mark.parametrize(("header", "columns"), [
    ("H27\nH31\nH28\n実績値", [(2019, None), (2016, "actual")]),  # a period, then a year and its role apart
    ("基準値\nH26\n目標値\nH31", [(2014, "baseline"), (2019, "target")]),  # each role before its year
    ("R3\nR4\nR5", [(2021, None), (2022, None), (2023, None)]),  # years alone run forward: three columns
    ("基準値\n目標値\n実績値", [(None, "baseline"), (None, "target"), (None, "actual")]),
])
def test_header_cells_printed_apart_make_the_columns_they_name(header, columns):
    from policy_kg.extract.engine.table_headers import table_header
    lines = logical_lines(SourceText.from_text("指標名\n" + header + "\n", "h.txt"))
    kind, got = table_header(tokens(lines, vocabulary()), None, vocabulary())
    assert [(c.year, c.role) for c in got] == columns


def test_values_that_print_their_own_year_in_a_table_of_roles():
    got = values(read("kpi_review.txt"))
    assert got["まちなか滞在者数"] == [("baseline", Decimal(4200), 2018), ("target", Decimal(5000), 2024),
                                    ("actual", Decimal(4650), 2022)]
    assert got["移住相談件数"] == [("baseline", Decimal(12), 2018), ("target", Decimal(40), 2024)]  # - : no value


def test_a_money_table_printed_one_year_per_row_gives_each_figure_its_column_and_year():
    r = read("cost_by_year.txt")
    got = [(a.printed, a.category, a.fiscal_year, a.status, [f.funding_type for f in a.funding])
           for a in r.projects[0].amounts if a.fiscal_year]
    assert got == [
        ("3,400", "total", 2018, None, []), ("500", "funding_share", 2018, None, ["国・県支出金"]),
        ("2,900", "general_fund", 2018, None, []),
        ("3,550", "total", 2019, None, []), ("500", "funding_share", 2019, None, ["国・県支出金"]),
        ("3,050", "general_fund", 2019, None, []),
        ("3,600", "total", 2020, "budget", []), ("3,100", "general_fund", 2020, "budget", []),  # - : no value
    ]


def test_a_division_printed_after_its_department_is_the_same_labels_value():
    unit = read("cost_by_year.txt").projects[0].unit
    assert (unit.department, unit.division) == ("産業振興部", "農政課")


def test_a_list_item_progress_statement_needs_no_colon():
    src = SourceText.from_text("みずうみ町総合戦略 KPIの検証\n・観光入込客数 45万人(H26) → 50万人(R1)\n"
                               "・移住相談件数 12件(平成26年度)→40件(令和元年度)\n", "kpi.txt")
    got = values(read_document(src))
    assert got == {"観光入込客数": [("baseline", Decimal(45), 2014), ("target", Decimal(50), 2019)],
                   "移住相談件数": [("baseline", Decimal(12), 2014), ("target", Decimal(40), 2019)]}


# --- next year's direction ------------------------------------------------------------------------


def _direction(line: str) -> str | None:
    src = SourceText.from_text(f"令和２年度 事務事業評価シート\n事務事業名 ふれあい農園運営事業\n{line}\n", "dir.txt")
    return read_document(src).projects[0].direction


def test_the_ticked_direction_option_is_the_projects_direction():
    assert _direction("今後の方向性 □拡充 ■継続 □縮小 □廃止") == "継続"
    assert _direction("(5)次年度の方向性 拡大") == "拡充"  # a synonym states the scheme's direction
    assert _direction("今後の方向性 ○拡充 ○継続 ◉休止") == "休止"  # kept as printed: the scheme has none


def test_printed_options_without_a_tick_state_no_direction():
    assert _direction("今後の方向性 拡充 継続 縮小 廃止") is None
    assert _direction("今後の方向性 □拡充 □継続 □縮小") is None


def test_the_direction_reaches_the_projects_query(tmp_path):
    from policy_kg.graph.pipeline import build_documents
    from policy_kg.graph.query import run_query

    text = (DATA / "cost_by_year.txt").read_text(encoding="utf-8") + "今後の方向性 □拡充 ■継続 □縮小\n"
    (tmp_path / "sheet.txt").write_text(text, encoding="utf-8")
    ds = build_documents([tmp_path / "sheet.txt"]).dataset
    assert [r["status"] for r in run_query(ds, "projects").as_dicts()] == ["継続"]


def test_a_file_of_sheets_gives_one_project_per_sheet_each_with_its_own_facts():
    r = read("sheets_in_one_file.txt")
    assert r.kind == "evaluation_sheet"
    got = [(p.name, p.unit.division, p.direction, [a.jpy for a in p.amounts]) for p in r.projects]
    assert got == [("ひばり公園維持管理事業", "公園緑地課", "継続", [4_210_000]),  # its direction on its second page
                   ("かわせみ水辺学習事業", "環境政策課", "拡充", [1_380_000]),
                   ("つばめ緑地整備事業", "公園緑地課", None, [2_050_000])]
    # each sheet's title opens it, so its department printed before its name is still its own, and
    # nothing is given by position
    assert not any("by position" in i.message for i in r.issues)
    assert all(a.confidence >= 0.9 for p in r.projects for a in p.amounts)


def test_each_sheet_of_a_file_sits_under_its_own_measure_and_a_shared_measure_is_one_element():
    r = read("sheets_in_one_file.txt")
    measures = {e.key: e.name for e in r.elements if e.level == "measure"}
    assert sorted(measures.values()) == sorted(["水辺に親しむ", "みどりの拠点をまもる"])
    assert [measures[p.parents[0]] for p in r.projects] == ["みどりの拠点をまもる", "水辺に親しむ", "みどりの拠点をまもる"]


def test_sheets_that_titles_do_not_divide_give_their_facts_by_position():
    text = ("令和４年度 事務事業評価シート\n事務事業名 ひばり公園維持管理事業\n事業費 4,210千円\n"
            "事務事業名 かわせみ水辺学習事業\n事業費 1,380千円\n")
    r = read_document(SourceText.from_text(text, "untitled.txt"))
    assert [[a.jpy for a in p.amounts] for p in r.projects] == [[4_210_000], [1_380_000]]
    assert any("by position" in i.message for i in r.issues)


def test_another_label_of_the_same_sheet_does_not_make_a_second_project():
    src = SourceText.from_text("令和４年度 事務事業評価シート\n事務事業名 ひばり公園維持管理事業\n"
                               "予算事業名 ひばり公園管理経費\n事業費 4,210千円\n", "one.txt")
    assert [p.name for p in read_document(src).projects] == ["ひばり公園維持管理事業"]


# --- a table of projects kept on its lines -------------------------------------------------------


def _results(record: DocumentRecord) -> dict[str, list[tuple[str, Decimal]]]:
    return {p.name: [(i.name, v.value) for i in p.indicators for v in i.values] for p in record.projects}


def test_a_table_of_results_printed_column_by_column_pairs_each_value_with_its_name_in_order():
    # a dump that prints the page line by line interleaves the column of names and the column of values
    r = read("results_two_columns.txt")
    assert _results(r) == {
        "ひばり公園維持管理事業": [("除草作業の実施回数", 12), ("遊具点検の実施回数", 24), ("公園利用者の満足度", 86)],
        # a name cut around its value (・学習会の開催回 / 6回 / 数) is joined again
        "かわせみ水辺学習事業": [("学習会の開催回数", 6), ("参加した児童の数", 140)],
        # "-" is the first name's (no value); the bare 500 beside a row is another column's, not a value
        "ほたる川観察会事業": [("出前講座の開催", 3)],
    }
    # the header's 令和4年度の指標名 / 実績値: 2022's actuals
    assert {(v.role, v.fiscal_year) for p in r.projects for i in p.indicators for v in i.values} == {("actual", 2022)}
    assert r.findings["indicator:listed result"] == 6


def test_in_a_table_of_results_bullets_of_notes_get_no_value_and_a_name_right_before_a_value_gets_it():
    text = ("令和５年度 施策評価シート\n施策 3-2 子育て支援の充実\nこども広場運営事業\n・親子で遊べる広場を週5日開いた\n"
            "・利用者アンケートを行った\n12,400\n延べ利用者数\n18,250人\n子育て相談事業\n・夜間の相談を始めた\n"
            "3,120\n相談件数\n640件\n")
    r = read_document(SourceText.from_text(text, "notes.txt"))
    assert _results(r) == {"こども広場運営事業": [("延べ利用者数", 18250)], "子育て相談事業": [("相談件数", 640)]}


def test_a_table_of_results_gives_the_same_values_with_each_name_beside_its_value_or_flattened():
    side_by_side = ("令和５年度 事務事業評価結果一覧表(令和４年度事業)\n施策 2-1 みどりのまちづくり\n"
                    "事務事業名 事業費 (千円) 指標 実績値\n"
                    "ひばり公園維持管理事業 4,210\n・除草作業の実施回数 12回\n・遊具点検の実施回数 24回\n"
                    "・公園利用者の満足度 86%\nかわせみ水辺学習事業 1,380\n・学習会の開催回数 6回\n"
                    "・参加した児童の数 140人\nほたる川観察会事業 1,620\n・観察会の参加者数 -\n・出前講座の開催 3回\n")
    a = read_document(SourceText.from_text(side_by_side, "beside.txt"))
    assert _results(a) == _results(read("results_two_columns.txt"))
    head, _, rows = side_by_side.partition("実績値\n")
    flattened = read_document(SourceText.from_text(head + "実績値\n" + rows.replace("\n", " "), "flat.txt"))
    assert _results(flattened) == _results(a)  # and the rows flattened into one line


def test_a_small_sum_in_a_lists_money_column_is_read_as_the_other_rows_sums_are():
    text = ("令和５年度 事務事業評価結果一覧表\n施策 2-1 みどりのまちづくり\n事務事業名\n事業費\n(千円)\n"
            "○ ひばり公園維持管理事業\n×\n4,210\n○ かわせみ水辺学習事業\n×\n380\n"
            "○ ほたる川観察会事業\n×\n12,620\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    # 380 prints no separator, but it stands where the other rows print their 事業費
    assert [[a.jpy for a in p.amounts] for p in r.projects] == [[4_210_000], [380_000], [12_620_000]]
    # where most rows' first figures are small (counts, codes), none of them is taken for money
    counts = text.replace("4,210", "42").replace("12,620", "26")
    r = read_document(SourceText.from_text(counts, "counts.txt"))
    assert [[a.jpy for a in p.amounts] for p in r.projects] == [[], [], []]


def test_a_plan_flattened_into_one_line_gives_each_project_the_counts_printed_after_it():
    one_line = ("令和５年度 事業計画書 (基本方針) 寄附金 50万円 を募る。 (1) ひばり公園清掃事業 参加者…120名 "
                "(2) かわせみ水辺学習事業 参加者…45名\n")
    r = read_document(SourceText.from_text(one_line, "flat.txt"))
    assert _results(r) == {"ひばり公園清掃事業": [("参加者", 120)], "かわせみ水辺学習事業": [("参加者", 45)]}
    assert [a.printed for a in r.amounts] == ["50万円"]  # printed before any project: the document's
    on_lines = one_line.replace(" (1)", "\n(1)").replace(" (2)", "\n(2)")
    assert _results(read_document(SourceText.from_text(on_lines, "lines.txt"))) == _results(r)


def test_outside_a_report_of_results_bulleted_names_and_counts_apart_are_not_paired():
    text = ("令和５年度 事務事業評価シート\n事務事業名 ひばり公園維持管理事業\n事業費 4,210千円\n"
            "・除草作業の実施回数\n・遊具点検の実施回数\n12回\n24回\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert _results(r) == {"ひばり公園維持管理事業": []}
    assert any("were not read" in i.message and "'12回'" in i.message for i in r.issues)


def test_label_variants_of_the_vocabulary_read_as_their_fields():
    text = ("令和５年度 事務事業評価シート\n事務事業の名称 さくら並木保全事業\n主担当課 公園緑地課\n"
            "フルコスト 4,560千円\n町債 1,000千円\nアウトプット指標 剪定本数 単位 本 目標値 120 実績値 118\n")
    [p] = read_document(SourceText.from_text(text, "variants.txt")).projects
    assert (p.name, p.unit.division) == ("さくら並木保全事業", "公園緑地課")
    assert [(a.jpy, a.label, [f.funding_type for f in a.funding]) for a in p.amounts] == [
        (4_560_000, "フルコスト", []), (1_000_000, "町債", ["地方債"])]  # no year printed: kept as stated, label kept
    assert [(i.name, i.kind, [(v.role, v.value) for v in i.values]) for i in p.indicators] == [
        ("剪定本数", "activity", [("target", 120), ("actual", 118)])]


def test_a_kpi_table_headed_at_adoption_now_and_target_reads_its_roles():
    text = "みずうみ市総合戦略 KPI進捗状況\nKPI 策定時(H26) 現状(R1) 目標(R2)\n観光入込客数(千人) 1,250 1,320 1,400\n"
    assert values(read_document(SourceText.from_text(text, "k.txt"))) == {
        "観光入込客数": [("baseline", 1250, 2014), ("actual", 1320, 2019), ("target", 1400, 2020)]}


@pytest.mark.parametrize(("title", "header", "years"), [
    ("令和２年度", "30年度実績 元年度実績 2年度目標", [2018, 2019, 2020]),  # 30年度 in a 令和 document is 平成30
    ("平成31年度", "29年度実績 30年度実績 元年度目標", [2017, 2018, 2019]),
    ("平成31年度", "30年度実績 元年度実績 2年度目標", [2018, 2019, 2020]),  # after 元, 令和's years
    ("令和２年度", "元年度実績 2年度実績 3年度目標", [2019, 2020, 2021]),
])
def test_years_printed_without_an_era_are_read_across_the_change_of_era(title, header, years):
    text = (f"{title} 事務事業評価シート\n事務事業名 ほしぞら講座事業\n活動指標 単位 {header}\n"
            "ア 講座の開催回数 回 12 15 18\nイ 受講者数 人 240 ― 300\n")
    r = read_document(SourceText.from_text(text, "eras.txt"))
    got = values(r)
    # a row's list mark (ア, イ) is not its name's; ― is no value
    assert [y for _, _, y in got["講座の開催回数"]] == years
    assert [(role, v) for role, v, _ in got["受講者数"]] == [("actual", 240), ("target", 300)]
    money = ("令和２年度 事務事業評価シート\n事務事業名 ほしぞら講座事業\n事業費(千円) 30年度決算 元年度決算 2年度予算\n"
             "事業費 1,200 1,350 1,400\n")
    [p] = read_document(SourceText.from_text(money, "money.txt")).projects
    assert [(a.fiscal_year, a.status) for a in p.amounts] == [(2018, None), (2019, None), (2020, "budget")]


def test_a_plans_item_gives_its_project_the_count_and_the_budget_its_line_prints_after_the_name():
    text = ("令和６年度 みなと市社会福祉協議会 事業計画\n1 地域福祉活動推進事業\n"
            "(1) ふれあいサロン事業 市内60か所で開く。(予算額 1,200千円)\n(2) 見守り訪問事業 訪問回数 目標 2,400回\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    got = {p.name: ([(a.jpy, a.category, a.fiscal_year, a.status) for a in p.amounts],
                    [(i.name, [(v.role, v.value, v.fiscal_year) for v in i.values]) for i in p.indicators])
           for p in r.projects}
    # the 予算額 label after the prose of its line; the project's name before what it counts
    assert got["ふれあいサロン事業"] == ([(1_200_000, "total", 2024, "budget")], [])
    assert got["見守り訪問事業"] == ([], [("訪問回数", [("target", 2400, 2024)])])


def test_in_a_summary_of_the_years_budget_a_project_lines_one_sum_is_its_budget_and_two_stay_as_printed():
    text = ("令和６年度 当初予算の概要\n主な事業\n・こども医療費助成事業 3億2,100万円 (新規)\n"
            "・ごみ収集運搬事業 12億5,600万円 11億9,000万円\n")
    r = read_document(SourceText.from_text(text, "summary.txt"))
    got = {p.name: [(a.jpy, a.category, a.fiscal_year, a.status) for a in p.amounts] for p in r.projects}
    assert got == {"こども医療費助成事業": [(321_000_000, "total", 2024, "budget")],
                   # which of the two is this year's is not printed: both kept as stated, no year
                   "ごみ収集運搬事業": [(1_256_000_000, "stated", None, None), (1_190_000_000, "stated", None, None)]}
    # a summary whose title is not of a budget (a report of results) gives its lines no year
    other = read_document(SourceText.from_text(text.replace("当初予算の概要", "主要施策の成果"), "results.txt"))
    assert all(a.fiscal_year is None for p in other.projects for a in p.amounts)


def test_a_table_of_projects_gives_each_row_its_name_department_and_amounts():
    r = read("project_table.txt")
    got = [(p.name, p.unit.division, [(a.printed, a.jpy, a.label) for a in p.amounts]) for p in r.projects]
    assert got == [
        ("ひかり館維持管理事業", "生涯学習課", [("12,345", 12_345_000, "決算額"), ("10,200", 10_200_000, "一般財源")]),
        ("市民ふれあいまつり", "市民協働課", [("3,210", 3_210_000, "決算額")]),  # - : no value
        ("空き家バンク運営", "住宅政策課", [("845", 845_000, "決算額"), ("845", 845_000, "一般財源")]),
    ]
    # the row says whose figures they are: not a guess by position
    assert all(a.confidence >= 0.9 for p in r.projects for a in p.amounts)
    assert r.findings["project:table row"] == 3


def test_a_row_with_another_number_of_cells_ends_the_table():
    text = ("令和４年度 事務事業評価結果一覧\nNo. 事務事業名 担当課 決算額(千円)\n1 ひかり館維持管理事業 生涯学習課 12,345\n"
            "2 市民 ふれあい まつり 市民協働課 3,210\n")
    r = read_document(SourceText.from_text(text, "wrapped.txt"))
    assert [p.name for p in r.projects] == ["ひかり館維持管理事業"]


def _money(r: DocumentRecord) -> dict[str, list[tuple[int, int | None]]]:
    out = {p.name: [(a.jpy, a.fiscal_year) for a in p.amounts] for p in r.projects}
    return out | {"(document)": [(a.jpy, a.fiscal_year) for a in r.amounts]}


def test_a_list_of_projects_under_columns_of_a_year_and_an_account_gives_each_row_its_years():
    # 令和3年度決算 heads a money column as 決算額 does; the 計 row is the list's total, not its last project's
    text = ("施策評価シート\n施策名 ふるさとの森づくり\n(単位:千円)\n主な事業名 所管課 令和3年度決算 令和4年度決算\n"
            "里山保全事業 みどり課 2,310 2,480\n巣箱設置事業 環境課 96 120\n計 2,406 2,600\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    assert _money(r) == {"里山保全事業": [(2_310_000, 2021), (2_480_000, 2022)],
                         "巣箱設置事業": [(96_000, 2021), (120_000, 2022)],
                         "(document)": [(2_406_000, 2021), (2_600_000, 2022)]}  # the total of each year's column
    assert [p.unit.division for p in r.projects] == ["みどり課", "環境課"]
    assert {a.label for a in r.amounts} == {"計"} and {a.category for a in r.amounts} == {"stated"}


def test_small_sums_of_a_list_without_a_header_are_read_when_every_row_prints_the_same_columns():
    text = ("施策評価シート\n(単位:千円)\n里山保全事業 みどり課 2,310 2,480\n巣箱設置事業 環境課 96 120\n"
            "計 2,406 2,600\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    # each column prints a sum with separators: its small figures are sums too; 計 stays the document's
    assert _money(r) == {"里山保全事業": [(2_310_000, None), (2_480_000, None)],
                         "巣箱設置事業": [(96_000, None), (120_000, None)],
                         "(document)": [(2_406_000, None), (2_600_000, None)]}
    # a column that prints no sum anywhere may be counts: its figures are not read, and they are reported
    counts = text.replace("2,480", "14").replace(" 120\n", " 9\n").replace(" 2,600\n", "\n")
    r = read_document(SourceText.from_text(counts, "counts.txt"))
    assert _money(r)["巣箱設置事業"] == [] and _money(r)["里山保全事業"] == [(2_310_000, None)]
    unread = next(i.message for i in r.issues if "beside its row's sums" in i.message)
    assert "'14' (line 3" in unread and "'9' (line 4" in unread


def test_a_declaration_in_hundred_millions_governs_the_figures_after_it():
    text = ("令和6年度 当初予算の概要\n(単位:百万円)\n事業名 予算額\n河川改修事業 1,265\n"
            "(単位:億円)\n事業名 予算額\n道路整備事業 19.5\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    assert _money(r) == {"河川改修事業": [(1_265_000_000, 2024)], "道路整備事業": [(1_950_000_000, 2024)],
                         "(document)": []}
    # a lone 億円 cell declares a unit too, and a sheet that prints nothing under it gives no amount
    r = read_document(SourceText.from_text("事務事業評価シート\n事務事業名 みちの補修事業\n事業費 億円\n", "s.txt"))
    assert [p.name for p in r.projects] == ["みちの補修事業"] and _money(r) == {"みちの補修事業": [], "(document)": []}


def test_a_rows_mark_printed_before_a_projects_name_does_not_make_a_second_project():
    text = ("令和6年度 事業計画書\n(単位:千円)\n事業区分 事業名 令和6年度予算 令和5年度予算\n"
            "公1 星空観察会事業 4,850 4,520\n公2 朗読会事業 1,230 1,310\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert _money(r) == {"星空観察会事業": [(4_850_000, 2024), (4_520_000, 2023)],
                         "朗読会事業": [(1_230_000, 2024), (1_310_000, 2023)], "(document)": []}


def test_a_difference_labelled_with_a_word_that_ends_in_a_decrease_is_not_made_negative():
    r = read_document(SourceText.from_text("令和6年度 予算の概要\n増減額 299百万円 増減率 13.1%\n減額 40万円\n", "d.txt"))
    assert [(a.jpy, a.label) for a in r.amounts] == [(299_000_000, "増減額"), (-400_000, "増減")]  # a change


def test_a_sum_followed_by_a_word_of_decrease_is_negative_and_one_of_increase_or_exemption_is_not():
    text = ("令和6年度 予算の概要\n町税は前年度比2億円減の40億円、交付税は3,000万円増、使用料は500万円減免\n"
            "補助金は前年度から1,820万円を減額しました。\n")
    r = read_document(SourceText.from_text(text, "d.txt"))
    assert [a.jpy for a in r.amounts] == [-200_000_000, 4_000_000_000, 30_000_000, 5_000_000, -18_200_000]


def test_kpi_statements_from_a_baseline_to_a_target_with_a_label_or_a_period():
    text = ("第2期 ほたる町総合戦略 効果検証\n"
            "KPI:空き家バンク成約件数 基準値 3件(R1) ⇒ 目標値 20件(R6)\n"
            "数値目標:町内就業者数 5,120人(H30)→ 5,300人(R6)\n"
            "KPI②:新規創業者数 基準値 ― ⇒ 目標値 40人(R2～R6累計)\n")
    got = values(read_document(SourceText.from_text(text, "kpi.txt")))
    assert got["空き家バンク成約件数"] == [("baseline", Decimal(3), 2019), ("target", Decimal(20), 2024)]
    assert got["町内就業者数"] == [("baseline", Decimal(5120), 2018), ("target", Decimal(5300), 2024)]
    assert ("target", Decimal(40), 2024) in got["新規創業者数"]  # a period's target: reached by its end


def test_a_kpi_valued_in_money_is_an_indicator_with_its_unit_not_a_sum():
    text = ("ほたる町総合戦略 KPI検証\nKPI①:町内商店売上高 基準値 4.2億円(R1) ⇒ 目標値 5.0億円(R6)\n"
            "実績値 R2 3.6億円 R3 3.9億円 R4 4.8億円\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert not amounts_of(r)
    assert values(r)["町内商店売上高"] == [("baseline", Decimal("4.2"), 2019), ("target", Decimal("5.0"), 2024),
                                        ("actual", Decimal("3.6"), 2020), ("actual", Decimal("3.9"), 2021),
                                        ("actual", Decimal("4.8"), 2022)]


_MEASURE_INDICATORS = ("令和元年度 施策評価シート\n施策名 地域農業の振興\n1 成果指標の状況\n"
                       "指標名 単位 基準値 28年度 29年度 30年度 元年度 最終目標 30年度\n(27年度) (2年度) 達成度\n"
                       "市民農園の利用区画数 区画 120 目標 130 140 150 160 200\n実績 128 139 152 － A\n"
                       "新規就農者数 人 8 目標 10 10 12 12 15\n実績 9 11 10 － C\n")


def test_a_measures_indicator_table_with_target_and_actual_rows_under_one_header():
    # the role printed inside a row (120 目標 130 …) heads the year columns after the baseline; the row of
    # actuals under it fills the same columns but the final target's; a second header line's bracketed years
    # are the baseline's and the final target's, each in the era nearest the header's (27年度 beside 28年度 …
    # 元年度 is 2015), and its 達成度 makes the last column a grade's
    got = values(read_document(SourceText.from_text(_MEASURE_INDICATORS, "measure.txt")))
    assert got["市民農園の利用区画数"] == [
        ("baseline", Decimal(120), 2015), ("target", Decimal(130), 2016), ("target", Decimal(140), 2017),
        ("target", Decimal(150), 2018), ("target", Decimal(160), 2019), ("final_target", Decimal(200), 2020),
        ("actual", Decimal(128), 2016), ("actual", Decimal(139), 2017), ("actual", Decimal(152), 2018)]
    assert [(r, y) for r, _, y in got["新規就農者数"]][-3:] == [("actual", 2016), ("actual", 2017), ("actual", 2018)]
    assert "単位" not in got  # the header is no indicator


def test_a_kpi_tables_no_change_and_dated_no_value_cells_keep_the_table():
    text = ("ほたる町総合戦略 効果検証報告書\nKPI 基準値 目標値 令和2年度 令和3年度 令和4年度 評価\n"
            "社会増減(人) ▲18(R1) ±0(R6) ▲12 ▲9 ▲4 B\n関係人口登録者数(人) －(R1) 300(R6) 85 162 241 B\n"
            "お試し住宅利用者数(人) 14(R1) 40(R6) 9 21 33 B\n")
    got = values(read_document(SourceText.from_text(text, "kpi.txt")))
    assert got["社会増減"][:2] == [("baseline", Decimal(-18), 2019), ("target", Decimal(0), 2024)]
    assert got["関係人口登録者数"][0] == ("target", Decimal(300), 2024)
    assert len(got["お試し住宅利用者数"]) == 5


_KPI_WITH_CELL_YEARS = ("第2期総合戦略 KPIの進捗状況\n"
                        "KPI 基準値(年度) 目標値(年度) R3実績 R4実績 達成状況\n"
                        "ふるさと納税寄附額(百万円) 420(R1) 800(R7) 655 712 A\n"
                        "動画再生回数(回) 12,000(R2) 50,000(R7) 18,500 27,300 B\n")


def test_a_kpi_header_whose_years_each_cell_prints_reads_them_and_a_rows_money_unit_governs_that_row_only():
    r = read_document(SourceText.from_text(_KPI_WITH_CELL_YEARS, "kpi.txt"))
    assert values(r) == {
        "ふるさと納税寄附額": [("baseline", 420, 2019), ("target", 800, 2025), ("actual", 655, 2021), ("actual", 712, 2022)],
        "動画再生回数": [("baseline", 12_000, 2020), ("target", 50_000, 2025), ("actual", 18_500, 2021),
                   ("actual", 27_300, 2022)],  # 12,000(R2) is one cell: a value and its year
    }
    assert {i.name: i.unit for i in r.indicators} == {"ふるさと納税寄附額": "百万円", "動画再生回数": "回"}
    assert amounts_of(r) == []  # (百万円) is the unit of its row: the counts below it are no money


def test_a_rows_bracketed_unit_of_money_does_not_govern_the_figures_of_the_rows_below():
    text = "第2期総合戦略 KPI一覧\n寄附額(百万円) 420 800\n再生回数 12,000 50,000\n"
    r = read_document(SourceText.from_text(text, "rows.txt"))
    assert not any(a.printed in ("12,000", "50,000") for a in amounts_of(r))
    # a money label's unit heads the rows below it too (事業費(千円) over its sources)
    sheet = "事務事業評価シート\n事務事業名 みちの補修事業\n事業費(千円) 12,000 13,000\n一般財源 10,500 11,200\n"
    r = read_document(SourceText.from_text(sheet, "sheet.txt"))
    assert sorted(a.jpy for a in amounts_of(r)) == [10_500_000, 11_200_000, 12_000_000, 13_000_000]


def test_a_count_in_prose_under_a_declared_unit_is_no_sum_and_its_line_is_no_row_of_the_list():
    text = ("令和6年度 予算の概要\n単位:百万円\n事業名 R6予算 R5予算\nみなと図書館運営事業 412 398\n"
            "毎月 約 1,500冊の本を新たに貸し出せるようにする。司書の配置は続ける。\n")
    r = read_document(SourceText.from_text(text, "prose.txt"))
    assert _money(r) == {"みなと図書館運営事業": [(412_000_000, 2024), (398_000_000, 2023)], "(document)": []}
    # a figure glued to a counter word and a particle stays in its sentence; before a unit or a label it is a cell
    cells = [t.text for t in tokens(logical_lines(SourceText.from_text(text, "p.txt")))]
    assert "1,500冊の本を新たに貸し出せるようにする。司書の配置は続ける。" not in cells  # 冊 is a count unit: cut
    glued = "毎月 約 1,500羽を新たに放てるようにする。飼育の体制は続ける。"
    assert [t.text for t in tokens(logical_lines(SourceText.from_text(glued, "g.txt")))][-1].startswith("1,500羽を")
    run = "評価シート事務事業名あおぞら広場管理事業担当課公園課事業費合計18,810千円"
    assert "18,810" in [t.text for t in tokens(logical_lines(SourceText.from_text(run, "r.txt")))]


def test_a_header_of_accounts_on_its_own_line_under_the_years_is_not_the_first_rows_label():
    text = ("事務事業評価シート\n事業名 ほたる橋補修事業\n担当課 土木課\n事業費 (単位:千円)\n"
            "区分 令和3年度 令和4年度 令和5年度\n決算額 決算額 予算額\n事業費 1,400 1,650 1,700\n"
            "地方債 0 0 0\n一般財源 1,400 1,650 1,700\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    (p,) = r.projects
    got = [(a.category, a.jpy, a.fiscal_year) for a in p.amounts]
    assert got[:3] == [("total", 1_400_000, 2021), ("total", 1_650_000, 2022), ("total", 1_700_000, 2023)]
    assert [a.status for a in p.amounts[:3]] == [None, None, "budget"]  # 決算額 決算額 予算額 under the years
    # the last 0 before the next row's label is a cell of the row, not a section number
    assert [(a.jpy, a.fiscal_year) for a in p.amounts if a.category == "funding_share"] == [
        (0, 2021), (0, 2022), (0, 2023)]
    assert [a.jpy for a in p.amounts if a.category == "general_fund"] == [1_400_000, 1_650_000, 1_700_000]


def test_rows_of_expense_items_and_a_difference_column_under_a_year_header():
    text = ("事務事業評価シート(令和4年度決算)\n事業名 ほしぞら観察会事業\n事業費 (単位:千円)\n"
            "区分 令和3年度 令和4年度 増減\n委託料 4,320 4,100 △220\n消耗品費 85 62 △23\n"
            "事業費計 4,405 4,162 △243\n財源 参加料収入 410 380 △30\n従事職員数(人) 1.5 1.0 △0.5\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    (p,) = r.projects
    got = [(a.label, a.category, a.jpy, a.fiscal_year) for a in p.amounts]
    # a row that names no money field keeps its label and takes its column's year; the 増減 cell has none
    assert got == [
        ("委託料", "stated", 4_320_000, 2021), ("委託料", "stated", 4_100_000, 2022), ("増減", "stated", -220_000, None),
        ("消耗品費", "stated", 85_000, 2021), ("消耗品費", "stated", 62_000, 2022), ("増減", "stated", -23_000, None),
        (None, "total", 4_405_000, 2021), (None, "total", 4_162_000, 2022), ("増減", "stated", -243_000, None),
        ("参加料収入", "stated", 410_000, 2021), ("参加料収入", "stated", 380_000, 2022),
        ("増減", "stated", -30_000, None),
    ]  # 従事職員数(人): staff, whatever unit the table declares, are no sums


def test_labels_glued_to_their_values_by_a_colon_and_sums_with_their_unit_under_a_year_header():
    text = ("事務事業評価表(令和4年度)\n事業名称:ほたる祭り支援事業\n部局名:産業振興部 課名:観光課\n"
            "令和3年度決算 令和4年度決算\n事業費 1,200万円 9,870万円\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    (p,) = r.projects
    assert (p.name, p.unit.department, p.unit.division) == ("ほたる祭り支援事業", "産業振興部", "観光課")
    assert [(a.category, a.jpy, a.fiscal_year) for a in p.amounts] == [("total", 12_000_000, 2021),
                                                                      ("total", 98_700_000, 2022)]
    # a label's unit after a colon stays one cell with it: a declaration
    assert "事業費:千円" in [t.text for t in tokens(logical_lines(SourceText.from_text("単位 事業費:千円", "u.txt")))]


@pytest.mark.parametrize(("line", "unit"), [
    ("担当 健康福祉部 国保年金課 保健事業係", ("健康福祉部", "国保年金課")),
    ("担当課 教育委員会 生涯学習課", ("教育委員会", "生涯学習課")),  # a board's division, as a department's
])
def test_a_department_printed_before_its_division_after_a_short_label(line, unit):
    r = read_document(SourceText.from_text(f"事務事業評価シート\n事業名 ねむの木健診事業\n{line}\n", "s.txt"))
    assert (r.projects[0].unit.department, r.projects[0].unit.division) == unit


def test_a_labelled_sum_takes_the_year_its_label_or_the_bracket_after_it_prints():
    text = ("事務事業評価シート\n事業名 ほたる祭り支援事業\n当初予算額 68,450千円(令和4年度)\n"
            "令和5年度当初予算額 70,120千円\n令和元年度の事業費は3,450千円である。\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [(a.category, a.jpy, a.fiscal_year, a.status) for a in r.projects[0].amounts] == [
        ("total", 68_450_000, 2022, "budget"), ("total", 70_120_000, 2023, "budget"),
        ("stated", 3_450_000, None, None)]  # a sentence's year is not a column's: kept as printed


def test_a_plans_table_total_row_is_no_project_and_last_years_budget_is_the_year_before_the_plans():
    text = ("令和6年度 事業計画書\n(単位:千円)\n事業名 予算額 前年度予算額 増減\n星空観察会事業 4,850 4,520 330\n"
            "朗読会事業 1,230 1,310 △80\n合計 6,080 5,830 250\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert [p.name for p in r.projects] == ["星空観察会事業", "朗読会事業"]
    assert _money(r)["星空観察会事業"] == [(4_850_000, 2024), (4_520_000, 2023), (330_000, None)]
    assert [(a.jpy, a.label) for a in r.amounts] == [(6_080_000, "合計"), (5_830_000, "合計")]
    # 250 prints no separator: it may be a sum or a count, so it is reported, not read
    assert any("'250' (line 6, beside its row's sums)" in i.message for i in r.issues)


def test_a_kpi_statement_prints_years_before_its_actuals_and_a_note_for_a_missing_baseline():
    text = ("総合戦略 効果検証\nKPI① 図書館の来館者数 基準値 -(新規) 目標値 52,000人(2024年度) 実績値 2022年度 "
            "44,100人 2023年度 47,800人 達成状況 B\nKPI② 健診受診率 基準値 61.0%(2019年度) 目標値 70.0%(2024年度) "
            "実績値 2023年度 66.5%\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert values(r) == {
        "図書館の来館者数": [("target", 52_000, 2024), ("actual", 44_100, 2022), ("actual", 47_800, 2023)],
        "健診受診率": [("baseline", Decimal("61.0"), 2019), ("target", 70, 2024), ("actual", Decimal("66.5"), 2023)],
    }


def test_a_plans_counted_items_keep_their_qualifier_and_the_bracketed_value_of_the_year_before():
    text = ("令和6年度 事業計画\n1 技術相談業務\n相談件数 目標 延べ 1,200件(前年度実績 1,085件)\n"
            "受講者数 目標 延べ 480人\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    got = {i.name: [(v.role, v.value, v.fiscal_year, v.qualifier) for v in i.values]
           for p in r.projects for i in p.indicators}
    assert got == {"相談件数": [("target", 1200, 2024, "延べ"), ("actual", 1085, 2023, None)],
                   "受講者数": [("target", 480, 2024, "延べ")]}


def test_an_indicators_caption_line_names_the_role_rows_under_it():
    text = ("事務事業評価シート\n事業名 ほしぞら図書室事業\n指標 R3 R4 R5\n活動指標① 読み聞かせ会の開催回数(回)\n"
            "目標値 24 24 30\n実績値 22 26 -\n成果指標① 利用者数(人)\n目標値 1,500 1,600 1,700\n実績値 1,480 1,650 -\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert values(r) == {
        "読み聞かせ会の開催回数": [("target", 24, 2021), ("target", 24, 2022), ("target", 30, 2023),
                        ("actual", 22, 2021), ("actual", 26, 2022)],
        "利用者数": [("target", 1500, 2021), ("target", 1600, 2022), ("target", 1700, 2023),
                 ("actual", 1480, 2021), ("actual", 1650, 2022)],
    }
    assert {i.name: (i.kind, i.unit) for i in r.projects[0].indicators} == {
        "読み聞かせ会の開催回数": ("activity", "回"), "利用者数": ("outcome", "人")}


def test_a_sum_after_a_ceiling_word_is_a_grants_ceiling_never_summed_as_a_cost():
    text = ("事務事業評価シート\n事業名 ほたる住宅改修補助事業\n住宅の改修費を補助する(上限50万円)。\n"
            "家賃を補助する。上限 月5万円\n事業費 1,200千円\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [(a.category, a.jpy, a.label) for a in r.projects[0].amounts] == [
        ("grant_ceiling", 500_000, "上限"), ("grant_ceiling", 50_000, "上限"), ("stated", 1_200_000, "事業費")]


def test_a_budgets_list_flattened_into_one_line_gives_each_project_its_sum():
    text = ("令和6年度 当初予算の概要 一般会計 2 主な事業 (1)子育て支援の充実 こども食堂支援事業 4億2,000万円(こども課) "
            "ひよこ保育支援事業 1億8,300万円(こども課) (2)まちの安全 消防団装備更新事業 2億6,000万円(防災課)\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    # the measure's phrase before the first name is its heading, not a word of it
    assert [(p.name, [a.jpy for a in p.amounts]) for p in r.projects][:2] == [
        ("こども食堂支援事業", [420_000_000]), ("ひよこ保育支援事業", [183_000_000])]
    assert r.projects[2].amounts[0].jpy == 260_000_000


_PLAN_WITH_SECTIONS = """令和6年度 事業計画書
公益財団法人 ほしぞら文化財団
1 事業計画
(単位:千円)
事業区分 事業名 令和6年度予算 令和5年度予算
公1 星空観察会事業 4,850 4,520
公2 朗読会事業 1,230 1,310
(1)星空観察会事業(定款第4条第1号)
天文台で観察会を開く。
参加者数 目標 延べ 1,800人
(2)朗読会事業(定款第4条第2号)
図書室で朗読会を開き、1回あたり3万円の謝礼を払う。
開催回数 目標 36回
2 収支予算の概要
(単位:千円)
科目 公益目的事業会計 法人会計 合計
経常収益 6,100 800 6,900
経常費用 6,080 790 6,870
"""


def test_a_plans_project_headings_own_their_section_and_a_numbered_heading_ends_it():
    r = read_document(SourceText.from_text(_PLAN_WITH_SECTIONS, "plan.txt"))
    got = {p.name: [(i.name, v.value) for i in p.indicators for v in i.values] for p in r.projects}
    assert got == {"星空観察会事業": [("参加者数", 1800)], "朗読会事業": [("開催回数", 36)]}
    assert [a.jpy for a in r.projects[1].amounts if a.category == "stated"] == [30_000]  # its section's sum
    # 2 収支予算の概要 is the plan's: its sums are the document's, not the last project's
    assert sorted(a.jpy for a in r.amounts) == [6_080_000, 6_100_000, 6_870_000, 6_900_000]
    assert any("'800' (line 17" in i.message and "'790' (line 18" in i.message for i in r.issues)  # reported


def test_a_later_tables_own_header_stops_the_years_of_an_earlier_one():
    text = ("令和6年度 事業計画及び収支予算\n単位:千円\n部門 R5予算 R6予算 増減\n1 ほしぞら運営事業(事業部) 412 428 16\n"
            "2 つきあかり相談事業(相談部) 186 193 7\n"
            "収支予算書\n勘定科目 予算額 前年度予算額 差異\n事業活動収入計 631,480 607,950 23,530\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert [(p.name, p.unit.department) for p in r.projects] == [("ほしぞら運営事業", "事業部"), ("つきあかり相談事業", "相談部")]
    assert [(a.category, a.jpy, a.fiscal_year) for a in r.projects[0].amounts] == [
        ("total", 412_000, 2023), ("total", 428_000, 2024), ("stated", 16_000, None)]
    # 予算額 / 前年度予算額 head the second table: R5 / R6 of the first do not give its rows their years
    assert [(a.jpy, a.fiscal_year) for a in r.amounts if a.printed == "631,480"] == [(631_480_000, None)]


def test_a_sentences_clause_is_no_projects_name():
    text = "令和6年度 事業計画\n1 ほしぞら運営事業\n居室の改修は、県補助金 1,200万円を見込む。\n"
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert [p.name for p in r.projects] == ["ほしぞら運営事業"]


_WRAPPED_LIST = """施 策 評 価 シ ー ト (2024年度)
施策 5-2 ちいさな商いの応援
■ 施策を構成する事務事業                                (単位:千円)
No.   事務事業名                   担当課        2022年度    2023年度    2024年度
                                                 決算        決算        予算
1     小口融資利子補給             商工課          3,150       2,980       2,800
      事業
2     空き店舗活用支援事業         商工課            615         748         810
3     事業承継マッチング           連携室          2,900       3,350       4,200
      支援事業 ※1
款計                                               6,665       7,078       7,810
"""


def test_a_measures_list_with_wrapped_names_a_status_line_and_years_under_a_unit_of_money():
    r = read_document(SourceText.from_text(_WRAPPED_LIST, "list.txt"))
    assert r.kind == "measure_evaluation" and r.fiscal_year == 2024  # a letter-spaced title, a Western year
    assert _money(r) == {
        "小口融資利子補給事業": [(3_150_000, 2022), (2_980_000, 2023), (2_800_000, 2024)],
        "空き店舗活用支援事業": [(615_000, 2022), (748_000, 2023), (810_000, 2024)],
        "事業承継マッチング支援事業": [(2_900_000, 2022), (3_350_000, 2023), (4_200_000, 2024)],
        "(document)": [(6_665_000, 2022), (7_078_000, 2023), (7_810_000, 2024)],  # 款計: a total, no project
    }
    assert [a.status for a in r.projects[0].amounts] == [None, None, "budget"]
    assert [p.unit.division for p in r.projects] == ["商工課", "商工課", "連携室"]


def test_the_account_columns_of_a_years_accounts_report_are_that_years():
    text = "平成30年度 主要施策の成果説明書\n(単位:円)\n事業名 予算現額 決算額\nひかり検診事業 8,412,000 7,965,340\n"
    r = read_document(SourceText.from_text(text, "accounts.txt"))
    assert [(a.category, a.jpy, a.fiscal_year) for a in r.projects[0].amounts] == [
        ("stated", 8_412_000, None), ("total", 7_965_340, 2018)]


_ACCOUNTS_PLAN = """令和7年度 収支予算書
【収入の部】 (単位:円)
科目 本年度予算額 前年度予算額 増減 説明
町補助金収入 18,500,000 17,000,000 1,500,000 みずうみ町観光振興補助金
【支出の部】
科目 本年度予算額 前年度予算額 増減
観光宣伝事業費 8,900,000 7,600,000 1,300,000
"""


def test_a_plans_accounts_read_this_years_and_last_years_budgets_and_a_remark_is_no_project():
    r = read_document(SourceText.from_text(_ACCOUNTS_PLAN, "accounts.txt"))
    assert r.kind == "business_plan" and r.fiscal_year == 2025  # an agency's 収支予算書 goes with its plan
    assert [p.name for p in r.projects] == ["観光宣伝事業費"]  # 説明's みずうみ町観光振興補助金 is a note
    assert [(a.category, a.jpy, a.fiscal_year) for a in r.projects[0].amounts] == [
        ("total", 8_900_000, 2025), ("total", 7_600_000, 2024), ("stated", 1_300_000, None)]
    # the 収入 row before the only project is the plan's, not that project's
    assert sorted(a.jpy for a in r.amounts) == [1_500_000, 17_000_000, 18_500_000]


def test_a_plans_part_of_a_sum_is_no_project_and_a_target_may_name_what_it_counts_after_its_role():
    text = ("令和7年度 事業計画\n3. ひだまり見守り事業(担当:福祉課)\n予算額 22,050千円\nうち市補助金 9,800千円\n"
            "目標 契約者数 95人\n目標 配食数 年間 28,000食\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    (p,) = r.projects
    assert [(a.jpy, a.label) for a in p.amounts] == [(22_050_000, None), (9_800_000, "うち市補助金")]
    assert {i.name: [(v.role, v.value, v.qualifier) for v in i.values] for i in p.indicators} == {
        "契約者数": [("target", 95, None)], "配食数": [("target", 28_000, "年間")]}


@pytest.mark.parametrize("sep", [" ", "\t"])
def test_a_table_of_projects_with_an_indicator_column_gives_each_project_its_values_not_sums(sep):
    text = ("令和6年度 主な事業の実施状況\n" + sep.join(["番号", "事業名", "担当課", "予算額(千円)", "指標", "目標値", "実績値"])
            + "\n" + sep.join(["1", "ひだまり相談窓口事業", "交流課", "12,480", "相談件数(件)", "2,400", "2,615"])
            + "\n" + sep.join(["2", "ことば教室支援事業", "交流課", "4,350", "受講者数(人)", "380", "352"]) + "\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    assert r.kind == "measure_evaluation"  # a table of several projects: a list, whatever its title
    assert [[(a.jpy, a.label) for a in p.amounts] for p in r.projects] == [[(12_480_000, "予算額")],
                                                                           [(4_350_000, "予算額")]]
    assert [{i.name: [(v.role, v.value) for v in i.values]} for p in r.projects for i in p.indicators] == [
        {"相談件数": [("target", 2400), ("actual", 2615)]}, {"受講者数": [("target", 380), ("actual", 352)]}]


def test_a_spreadsheets_tab_separated_blank_cell_keeps_the_cells_after_it_in_their_columns():
    text = ("令和7年度 収支予算書\n単位:円\n科目\t令和7年度予算額\t令和6年度予算額\t増減\n"
            "星めぐり誘客事業費\t2,400,000\t\t2,400,000\n月あかり巡回事業費\t\t1,150,000\t△1,150,000\n")
    r = read_document(SourceText.from_text(text, "accounts.txt"))
    assert _money(r) == {
        "星めぐり誘客事業費": [(2_400_000, 2025), (2_400_000, None)],  # the blank 2024 cell is no value
        "月あかり巡回事業費": [(1_150_000, 2024), (-1_150_000, None)], "(document)": []}


def test_a_spreadsheets_csv_lines_read_as_its_tables_with_each_rows_project_and_remark():
    text = ('令和7年度 事業計画及び収支予算書\n単位:円\n科目,令和7年度予算額,令和6年度予算額,増減,備考\n'
            '"しずく館運転事業","128,700,000","124,100,000","4,600,000","3施設"\n'
            '事業名,指標,令和5年度実績,令和7年度目標\n"しずく館運転事業","見学者数(人)","3,210","4,000"\n')
    r = read_document(SourceText.from_text(text, "plan.csv.txt"))
    (p,) = r.projects
    assert [(a.category, a.jpy, a.fiscal_year) for a in p.amounts] == [
        ("total", 128_700_000, 2025), ("total", 124_100_000, 2024), ("stated", 4_600_000, None)]
    assert {i.name: [(v.role, v.value, v.fiscal_year) for v in i.values] for i in p.indicators} == {
        "見学者数": [("actual", 3210, 2023), ("target", 4000, 2025)]}  # counts, not yen under 単位:円


@pytest.mark.parametrize("arrow", ["→", " ⇒ ", "→ "])
def test_a_kpi_statement_with_arrows_between_its_values_and_its_label_in_brackets(arrow):
    text = (f"みなと市総合戦略 KPIの検証\n【KPI①】企業誘致件数(累計)\n基準値:0件(令和2年度){arrow}目標値:12件(令和6年度)\n"
            "実績値:9件(令和6年度) 達成率:75.0%\n担当:経済部 商工課\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert not r.projects  # the statement's lines are values, not a project's name
    (i,) = r.indicators
    assert (i.name, i.unit) == ("企業誘致件数", "件")
    assert [(v.role, v.value, v.fiscal_year, v.qualifier) for v in i.values] == [
        ("baseline", 0, 2020, "累計"), ("target", 12, 2024, "累計"), ("actual", 9, 2024, "累計")]
    assert r.fiscal_year is None  # the title prints no year; the baseline's is not the review's


def test_a_roman_numbered_heading_is_no_project():
    text = "令和7年度 事業計画\nII 重点事業\n1. ひだまり見守り事業(担当:福祉課)\n予算額 18,640千円\n"
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert [p.name for p in r.projects] == ["ひだまり見守り事業"]


def test_a_tables_header_printed_again_on_the_next_page_keeps_the_unit_declared_over_it():
    head = "番号 事務事業名 所管課 R4決算額 R3決算額\n"
    rows = [f"{n} 第{n}地区集会所管理事業 市民協働課 {10_000 + 37 * n:,} {9_000 + 41 * n:,}\n" for n in range(1, 41)]
    text = "事務事業評価結果一覧表\n単位:千円\n" + head + "".join(rows[:3]) + "- 1 -\n事務事業評価結果一覧表\n" + head + "".join(rows[3:])
    r = read_document(SourceText.from_text(text, "list.txt"))
    assert len(r.projects) == 40
    last = r.projects[-1]
    assert [(a.jpy, a.fiscal_year) for a in last.amounts] == [(11_480_000, 2022), (10_640_000, 2021)]
    assert not any("no unit is printed" in i.message for i in r.issues)


def test_an_indicator_block_of_colon_labels_with_the_baselines_year_before_its_value():
    text = ("令和6年度 施策評価調書\n【成果指標1】 ごみのリサイクル率\n単位:% 基準値:H29 18.4 R5目標:24.0 R5実績:21.7\n")
    r = read_document(SourceText.from_text(text, "measure.txt"))
    assert values(r) == {"ごみのリサイクル率": [("baseline", Decimal("18.4"), 2017), ("target", 24, 2023),
                                        ("actual", Decimal("21.7"), 2023)]}
    assert r.indicators[0].unit == "%"


def test_a_lists_direction_column_gives_each_project_its_direction():
    text = ("事務事業評価結果一覧表 単位:千円\n番号 事務事業名 所管課 R4決算額 評価 今後の方向性\n"
            "1 広報紙発行事業 広報課 38,420 B 継続\n2 市民活動支援補助金 協働課 12,600 C 縮小\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    assert [(p.name, p.direction) for p in r.projects] == [("広報紙発行事業", "継続"), ("市民活動支援補助金", "縮小")]


def test_a_list_flattened_into_one_line_with_grade_direction_and_ratio_columns_gives_each_row_its_sums():
    text = ("令和6年度 事務事業評価結果一覧表 (単位:円) No. 事務事業名 担当課 評価 方向性 令和5年度決算額 令和4年度決算額 前年比 "
            "1 町民バス運行事業 企画課 B 継続 21,384,200 20,955,000 102.0% 2 協力隊活動事業 企画課 A 拡充 15,602,000 "
            "9,870,500 158.1% 3 敬老祝金支給事業 福祉課 C 廃止 0 1,850,000 皆減\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    assert _money(r) == {"町民バス運行事業": [(21_384_200, 2023), (20_955_000, 2022)],
                         "協力隊活動事業": [(15_602_000, 2023), (9_870_500, 2022)],
                         "敬老祝金支給事業": [(0, 2023), (1_850_000, 2022)], "(document)": []}


def test_staff_years_under_a_money_table_are_no_sums():
    text = ("事務事業評価シート\n事業名 みなと巡回バス事業\n区分 R4決算 R5決算 R6予算 (単位:千円)\n"
            "事業費 42,310 45,870 51,200\n人件費(人工) 0.80 0.80 1.00\n人件費 6,480 6,560 8,300\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [(a.category, a.jpy) for a in r.projects[0].amounts if a.category == "personnel"] == [
        ("personnel", 6_480_000), ("personnel", 6_560_000), ("personnel", 8_300_000)]
    assert not any(a.printed in ("0.80", "1.00") for a in amounts_of(r))


def test_the_full_cost_with_staff_is_its_own_category_beside_the_project_cost():
    # a sheet printing 事業費, 人件費 and their sum トータルコスト has two costs a year, which must not be added
    text = ("事務事業評価シート\n事務事業名 ひだまり広場運営事業\n単位:千円\n区分 令和4年度 令和5年度\n"
            "事業費 8,100 8,400\n人件費 2,000 2,100\nトータルコスト 10,100 10,500\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    by_category = Counter((a.category, a.fiscal_year) for a in r.projects[0].amounts)
    assert by_category == {(c, y): 1 for c in ("total", "personnel", "full_cost") for y in (2022, 2023)}
    assert {a.jpy for a in r.projects[0].amounts if a.category == "full_cost"} == {10_100_000, 10_500_000}


def test_a_unit_cell_between_a_rows_name_and_its_figures_is_that_rows_not_the_tables():
    # a KPI table with its project's cost column: 億円 is the KPI's unit, (千円) the cost column's; the KPI's
    # run of figures goes on past the years printed with them (41.5 H30 50.0 R6 44.2)
    text = ("KPI検証シート(令和5年度)\n指標 単位 基準値 基準年度 目標値 目標年度 R4実績 関連事業 R4事業費(千円)\n"
            "観光消費額 億円 41.5 H30 50.0 R6 44.2 観光誘客推進事業 8,200\n"
            "移住者数 人 120 H30 200 R6 152 移住促進事業 4,500\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    yen = {a.printed: (a.jpy, a.label) for a in amounts_of(r)}
    assert yen["8,200"] == (8_200_000, None) and yen["4,500"] == (4_500_000, None)
    assert yen["41.5"] == (4_150_000_000, "観光消費額") and yen["44.2"] == (4_420_000_000, "観光消費額")
    assert not {"120", "200", "152"} & set(yen)  # counts in 人, not 千円


@pytest.mark.parametrize("caption", ["", "財 ", "源 "])
def test_a_money_table_printed_one_year_per_row_reads_other_cost_and_count_columns(caption):
    # その他 (the other funding sources), a cost item of its own (減価償却費), a staff-years column (人工),
    # Western years as the rows' years, and a vertical caption's character before a row
    text = ("事務事業評価シート\n事務事業名 しおさい公園管理事業\n(単位:千円)\n"
            "年度 事業費 国庫支出金 その他 一般財源 減価償却費 正規職員(人工)\n"
            f"{caption}2022 5,400 2,000 300 3,100 800 0.50\n{caption}2023 5,900 2,200 -- 3,700 800 0.60\n")
    r = read_document(SourceText.from_text(text.replace("--", "－"), "sheet.txt"))
    got = {(a.printed, a.fiscal_year): (a.category, a.label, [f.label for f in a.funding])
           for a in r.projects[0].amounts}
    assert got == {
        ("5,400", 2022): ("total", None, []), ("2,000", 2022): ("funding_share", None, ["国庫支出金"]),
        ("300", 2022): ("funding_share", None, ["その他"]), ("3,100", 2022): ("general_fund", None, []),
        ("800", 2022): ("stated", "減価償却費", []),
        ("5,900", 2023): ("total", None, []), ("2,200", 2023): ("funding_share", None, ["国庫支出金"]),
        ("3,700", 2023): ("general_fund", None, []), ("800", 2023): ("stated", "減価償却費", [])}


def test_a_declaration_that_names_shares_too_governs_and_share_columns_are_no_money():
    # (単位:千円、%) is as common as (単位:千円); a 構成比 / 伸び率 column is a share whatever the table's unit,
    # and a row printed on its label's line ends there (the next line opens with a section's number)
    text = ("令和6年度 かすみ町当初予算の概要\n1 歳入 (単位:千円、%)\n区分 令和6年度 令和5年度 増減 構成比\n"
            "町税 2,134,520 2,098,310 36,210 25.2\n国庫支出金 1,154,680 1,062,340 92,340 13.7\n2 歳出\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    got = sorted((a.printed, a.jpy, a.fiscal_year) for a in amounts_of(r))
    assert got == [("1,062,340", 1_062_340_000, 2023), ("1,154,680", 1_154_680_000, 2024),
                   ("2,098,310", 2_098_310_000, 2023), ("2,134,520", 2_134_520_000, 2024),
                   ("36,210", 36_210_000, None), ("92,340", 92_340_000, None)]




def test_share_columns_between_the_years_of_a_header_are_no_money_and_the_years_stay_in_place():
    # each year's sum beside its share: no run of years, yet a header of years
    text = ("令和6年度 かすみ町当初予算の概要\n(単位:千円、%)\n区分 令和6年度 構成比 令和5年度 構成比 増減率\n"
            "町税 4,000 42.0 4,200 40.5 5.0\n国庫支出金 400 5.0 500 4.8 25.0\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    got = sorted((a.printed, a.jpy, a.fiscal_year) for a in amounts_of(r))
    assert got == [("4,000", 4_000_000, 2024), ("4,200", 4_200_000, 2023), ("400", 400_000, 2024),
                   ("500", 500_000, 2023)]
def test_group_subtotals_account_headings_and_a_measures_costs_are_not_the_last_projects():
    text = ("令和5年度 事務事業評価結果一覧\n(単位:千円)\n【市民部】\n1 すみれ窓口改善事業 市民課 8,200\n"
            "2 ひまわり交流推進事業 協働課 5,400\n市民部 小計 13,600\n"
            "施策に係る事業費の推移\n年度 事業費 一般財源\nR3 40,100 20,050\n"
            "3款 民生費\n1目 社会福祉総務費 決算額 96,500千円\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    owned = {a.printed for p in r.projects for a in p.amounts}
    assert owned == {"8,200", "5,400"}
    assert {a.printed for a in r.amounts} == {"13,600", "40,100", "20,050", "96,500千円"}
    assert [a.label for a in r.amounts if a.printed == "13,600"] == ["小計"]


def test_a_plans_period_in_the_title_is_not_the_documents_fiscal_year():
    text = ("ひかり市立病院機構\n令和5年度 業務実績報告書\n第2期中期計画(令和4年度～令和7年度)数値目標の達成状況\n"
            "指標 単位 基準値 目標値\n病床利用率 % 78.4 85.0\n")
    assert read_document(SourceText.from_text(text, "report.txt")).fiscal_year == 2023


def test_counts_in_a_money_table_by_their_rows_label_or_a_unit_after_them_are_no_sums():
    text = ("事務事業評価シート\n事務事業名 あおぞら教室運営事業\n(単位:千円)\n区分 令和4年度 令和5年度\n"
            "事業費 3,200 3,450\n従事時間(時間) 1,240 1,310\n参加者数 1,050 1,120\n正規職員 0.40 0.50 人工\n"
            "\n- 2 -\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert sorted(a.printed for a in amounts_of(r)) == ["3,200", "3,450"]  # (the page's number is none either)


def test_a_legend_of_a_lists_marks_names_no_project():
    text = ("令和6年度 みずうみ町 主要事業の概要\n新規…新たに取り組む事業 拡充…内容を広げる事業\n(単位:千円)\n"
            "新規 窓口キャッシュレス導入事業 3,500\n")
    assert [p.name for p in read_document(SourceText.from_text(text, "b.txt")).projects] == ["窓口キャッシュレス導入事業"]


def test_a_count_column_of_a_table_of_projects_gives_each_project_a_value_not_a_sum():
    text = ("事業の実績一覧\n事業名 実施時期 参加者数(人) 事業費(千円)\nほたる祭り 8月 12,400 6,870\n"
            "朝市 毎月 2,310 540\n")
    r = read_document(SourceText.from_text(text, "list.txt"))
    assert sorted(a.printed for a in amounts_of(r)) == ["540", "6,870"]
    got = {p.name: [(i.name, [v.value for v in i.values]) for i in p.indicators] for p in r.projects}
    assert got == {"ほたる祭り": [("参加者数", [Decimal(12400)])], "朝市": [("参加者数", [Decimal(2310)])]}


def test_a_declaration_governs_its_long_table_to_the_end_and_no_further_than_a_heading():
    rows = "".join(f"科目{k:02d}収入 {k},100,000 {k},000,000 100,000\n" for k in range(1, 46))
    text = f"令和6年度 収支予算書\n(単位:円)\n勘定科目 予算額 前年度予算額 増減\n{rows}3 事業の実績\n利用件数 1,250 1,310\n"
    r = read_document(SourceText.from_text(text, "plan.txt"))
    printed = {a.printed for a in amounts_of(r)}
    assert {"45,100,000", "45,000,000"} <= printed and len([a for a in amounts_of(r) if a.jpy >= 1_000_000]) == 90
    assert not {"1,250", "1,310"} & printed  # after the heading: no row of the table, no unit


def test_a_cost_rows_marker_and_formula_stand_between_its_label_and_its_figures():
    text = ("事務事業評価シート\n事務事業名 こだま給食センター運営事業\n(単位:千円)\n区分 令和4年度 令和5年度\n"
            "事業費 A 61,200 63,400\n人件費 B 8,100 8,300\n減価償却費 C 4,500 4,500\nトータルコスト A+B+C 73,800 76,200\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    got = {(a.printed, a.fiscal_year): (a.category, a.label) for a in r.projects[0].amounts}
    assert got[("61,200", 2022)] == ("total", None) and got[("8,300", 2023)] == ("personnel", None)
    assert got[("4,500", 2022)] == ("stated", "減価償却費") and got[("76,200", 2023)] == ("full_cost", None)


def test_a_table_of_projects_whose_last_column_is_the_funding_source_keeps_its_departments_and_years():
    text = ("ほたる町総合戦略 効果検証報告書\n関連する主な事業(事業費:千円)\n事業名 担当課 令和2年度 令和3年度 令和4年度 財源\n"
            "里山資源活用事業 産業振興課 18,740 22,300 19,650 県補助金\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert r.fiscal_year is None  # a header's years are not the document's
    [p] = r.projects
    assert (p.name, p.unit.division) == ("里山資源活用事業", "産業振興課")
    assert [(a.jpy, a.fiscal_year, a.category) for a in p.amounts] == [
        (18_740_000, 2020, "total"), (22_300_000, 2021, "total"), (19_650_000, 2022, "total")]


def test_the_rows_of_a_table_of_accounts_name_no_projects():
    text = ("令和6年度 かすみ市当初予算案の概要\n(単位:千円)\n会計名 令和6年度 令和5年度 増減額\n"
            "一般会計 41,238,000 39,676,000 1,562,000\n国民健康保険事業 9,215,400 9,408,700 △193,300\n"
            "款 令和6年度 令和5年度 比較増減\n地方消費税交付金 1,800 2,100 △300\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    assert not r.projects
    assert {(a.label, a.fiscal_year, a.category) for a in r.amounts if a.printed == "9,215,400"} == {
        ("国民健康保険事業", 2024, "stated")}


def test_a_lists_column_of_sums_with_a_decimal_reads_its_small_sums_and_a_name_with_its_unit():
    text = ("令和6年度 かすみ県当初予算案の概要\n3 主要施策 (単位:百万円)\n新 ひだまり保育無償化事業(こども政策課) 1,236.8\n"
            "新 ほほえみ相談推進事業(健康増進課) 48.6\n拡 しごとDX導入支援補助金(産業振興課) 312.0\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    assert [(p.name, [a.jpy for a in p.amounts]) for p in r.projects] == [
        ("ひだまり保育無償化事業", [1_236_800_000]), ("ほほえみ相談推進事業", [48_600_000]),
        ("しごとDX導入支援補助金", [312_000_000])]


def test_a_declaration_of_counts_ends_money_and_a_kpis_bracketed_count_unit_keeps_its_figures_no_sums():
    text = ("令和5年度 指定管理者モニタリング評価シート\n3 収支状況 (単位:千円)\n区分 令和4年度 令和5年度\n"
            "収入合計 73,562 77,720\n(1) 月別利用者数 (単位:人)\n年度 4月 5月 6月 合計\n令和5年度 19,105 18,722 17,460 55,287\n")
    r = read_document(SourceText.from_text(text, "monitoring.txt"))
    assert sorted(a.printed for a in amounts_of(r)) == ["73,562", "77,720"]
    grant = ("令和5年度 地方創生推進交付金事業 効果検証シート\n交付金事業の名称 さとやま滞在観光推進事業\n(単位:千円)\n"
             "令和3年度 令和4年度 令和5年度 合計\n交付対象事業費 24,800 30,000 27,500 82,300\n"
             "重要業績評価指標(KPI)\nア 観光入込客数(千人) 1,240 +30 +50\nイ 歩行者通行量(人/日)\n3,450\n")
    r = read_document(SourceText.from_text(grant, "grant.txt"))
    assert [p.name for p in r.projects] == ["さとやま滞在観光推進事業"]
    got = sorted((a.printed, a.label, a.fiscal_year) for a in amounts_of(r))
    assert got == [("24,800", "交付対象事業費", 2021), ("27,500", "交付対象事業費", 2023),
                   ("30,000", "交付対象事業費", 2022), ("82,300", "合計", None)]


def test_a_years_initial_budget_its_changes_and_what_was_left_are_money_rows_of_their_years():
    text = ("令和6年度 事務事業評価調書\n事務事業名 つばさ創業支援事業\n事業費の推移 (単位:千円)\n区分 令和4年度 令和5年度\n"
            "当初予算 52,400 58,900\n補正予算 4,800 △3,200\n不用額 395 323\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    got = {(a.printed, a.fiscal_year): (a.category, a.label) for a in r.projects[0].amounts}
    assert got == {("52,400", 2022): ("total", None), ("58,900", 2023): ("total", None),
                   ("4,800", 2022): ("stated", "補正予算"), ("△3,200", 2023): ("stated", "補正予算"),
                   ("395", 2022): ("stated", "不用額"), ("323", 2023): ("stated", "不用額")}


def test_a_spreadsheets_blank_column_before_the_years_does_not_shift_them():
    text = ("令和5年度 事業評価シート\n事業名\tひだまり給付金事業\n事業費の推移(単位:千円)\n"
            "区分\t\t令和3年度\t令和4年度\t令和5年度\n決算額\t\t82,915\t86,032\t99,470\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [(a.printed, a.fiscal_year) for a in r.projects[0].amounts] == [
        ("82,915", 2021), ("86,032", 2022), ("99,470", 2023)]


def test_a_cost_per_unit_is_kept_with_its_label_not_as_the_projects_cost():
    text = ("事務事業評価シート\n事務事業名 はばたき創業支援事業\n(単位:千円)\n区分 令和4年度 令和5年度\n"
            "事業費 32,400 35,100\n創業1件当たり事業費 647 576\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    got = {(a.printed, a.fiscal_year): (a.category, a.label) for a in r.projects[0].amounts}
    assert got[("32,400", 2022)] == ("total", None)
    assert got[("647", 2022)] == ("stated", "創業1件当たり事業費")


def test_a_second_tables_own_declaration_beats_the_first_tables_repeated_header():
    text = ("令和6年度 かすみ市当初予算の概要\n2 歳入の内訳 (単位:百万円)\n区分 令和6年度 令和5年度 増減\n"
            "市税 14,215.3 13,980.1 235.2\n3 歳出の内訳 (単位:千円)\n区分 令和6年度 令和5年度 増減\n"
            "人件費 6,215,400 6,102,300 113,100\n")
    yen = {a.printed: a.jpy for a in amounts_of(read_document(SourceText.from_text(text, "budget.txt")))}
    assert yen["14,215.3"] == 14_215_300_000 and yen["6,215,400"] == 6_215_400_000


def test_a_sum_after_prose_or_per_head_is_not_its_labels_value():
    text = ("令和6年度 かすみ市当初予算の概要\n一般会計の予算額は、前年度に比べ12億2,000万円の増となった。\n"
            "市民1人当たりの一般会計予算額は約32万4千円である。\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    assert {(a.printed, a.category, a.fiscal_year) for a in amounts_of(r)} == {
        ("12億2,000万円", "stated", None), ("32万4千円", "stated", None)}


def test_a_guide_whose_heading_calls_it_one_yields_nothing():
    text = ("事務事業評価シート作成の手引き\nほしぞら市 行政経営課\n2 事業費欄(単位:千円)\n・例\n令和5年度 令和6年度\n"
            "事業費 5,200 5,500\n成果指標 防災訓練参加者数 実績値 1,350人\n")
    r = read_document(SourceText.from_text(text, "guide.txt"))
    assert r.kind == "template" and not amounts_of(r) and not values(r)


def test_a_plans_category_marks_notes_and_its_organisations_sections():
    text = ("令和7年度 事業計画\n公益財団法人 ほしぞら文化財団\n(単位:千円)\n事業区分 事業名 予算額\n"
            "公1 星空観察会事業 46,820\n＊財源:市補助金 20,000千円\n公2 ひかり館運営事業 318,400\n"
            "(1)星空観察会事業\n観察会を開く。\n(2)ひかり館運営事業\n館を開く。\nIII 収支予算(総括)\n経常費用 399,400\n"
            "特別会計\n駐車場特別会計 2,845\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert [p.name for p in r.projects] == ["星空観察会事業", "ひかり館運営事業"]  # 公1: the category mark
    assert [a.jpy for a in r.projects[1].amounts] == [318_400_000]  # the note did not end the table
    assert 399_400_000 in [a.jpy for a in r.amounts]  # III 収支予算: the foundation's, not its last project's


def test_a_header_of_money_labels_over_one_row_of_figures_gives_each_its_columns_label():
    text = ("令和4年度 主要な施策の成果に関する説明書\n事業名 ひだまり広場事業 担当 子育て課\n(単位:千円)\n"
            "決算額 国庫支出金 県支出金 地方債 その他 一般財源\n61,902 20,634 20,634 - 1,200 19,434\n")
    r = read_document(SourceText.from_text(text, "accounts.txt"))
    assert [(a.category, a.jpy, a.fiscal_year, a.label) for a in r.projects[0].amounts] == [
        ("total", 61_902_000, 2022, None), ("funding_share", 20_634_000, None, "国庫支出金"),
        ("funding_share", 20_634_000, None, "県支出金"), ("funding_share", 1_200_000, None, "その他"),
        ("stated", 19_434_000, None, "一般財源")]


def test_a_plans_numbered_rows_under_years_a_difference_and_an_estimate_column():
    text = ("社会福祉法人 ほしぞら会\n令和6年度 事業計画及び収支予算\n単位:百万円\n部門 R5予算 R6予算 増減 R5決算見込\n"
            "1 ひだまり荘運営事業(介護部) 412 428 16 405\n2 つきあかり支援事業(障害部) 186 193 7 189\n")
    r = read_document(SourceText.from_text(text, "plan.txt"))
    assert [(p.name, p.unit.department) for p in r.projects] == [("ひだまり荘運営事業", "介護部"), ("つきあかり支援事業", "障害部")]
    assert [(a.jpy, a.fiscal_year, a.status, a.label) for a in r.projects[0].amounts] == [
        (412_000_000, 2023, "budget", None), (428_000_000, 2024, "budget", None), (16_000_000, None, None, "増減"),
        (405_000_000, 2023, "estimate", None)]


def test_a_sheet_labelled_jimujigyo_with_its_code_and_a_difference_column_named_otherwise():
    text = ("令和5年度 事務事業評価シート\n事務事業\n03-02-05\nひだまり配食事業\n担当課 高齢福祉課\n事業費(千円)\n"
            "区分 令和3年度決算 令和4年度決算 令和5年度予算 前年度比増減\n事業費 14,250 16,830 17,400 570\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    (p,) = r.projects
    assert (p.name, p.unit.division) == ("ひだまり配食事業", "高齢福祉課")
    assert [(a.jpy, a.fiscal_year, a.label) for a in p.amounts] == [
        (14_250_000, 2021, None), (16_830_000, 2022, None), (17_400_000, 2023, None), (570_000, None, "前年度比増減")]


def test_an_indicators_values_printed_one_cell_per_line_after_role_and_year_are_no_sums():
    text = ("2024年度 事務事業評価シート\n事務事業名\nでんし図書事業\n事業費(千円)\n2023年度\n決算\n事業費\n4,520\n"
            "成果指標\n指標名\n電子書籍の貸出点数\n単位\n点\n計画値\n2023年度\n30,000\n実績値\n2023年度\n31,406\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [a.jpy for a in r.projects[0].amounts] == [4_520_000]
    assert values(r) == {"電子書籍の貸出点数": [("plan", 30_000, 2023), ("actual", 31_406, 2023)]}


def test_a_year_and_its_status_printed_as_two_cells_are_one_column():
    text = ("事務事業評価シート\n事業名 みちの補修事業\n(単位:千円)\n区分 令和4年度 決算 令和5年度 決算見込 令和6年度 予算\n"
            "事業費 8,215 8,400 8,900\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [(a.jpy, a.fiscal_year, a.status) for a in r.projects[0].amounts] == [
        (8_215_000, 2022, None), (8_400_000, 2023, "estimate"), (8_900_000, 2024, "budget")]


def test_after_years_printed_alone_the_next_rows_label_is_no_status_of_the_last_year():
    text = ("事務事業評価調書\n事務事業名\nさくら観光誘致事業\n(単位:千円)\n区分\n令和4年度\n令和5年度\n当初予算\n"
            "24,000\n31,500\n決算額\n21,874\n38,916\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [(a.jpy, a.fiscal_year, a.status) for a in r.projects[0].amounts if a.label is None] == [
        (24_000_000, 2022, "budget"), (31_500_000, 2023, "budget"), (21_874_000, 2022, None), (38_916_000, 2023, None)]


def test_a_row_label_that_is_also_a_unit_does_not_make_the_figure_before_it_a_count():
    text = ("事務事業評価シート\n事務事業名\nみまもり訓練事業\n事業費等(単位:千円)\n令和3年度(決算)\n令和4年度(決算)\n"
            "令和5年度(予算)\n事業費\n5,320\n4,870\n6,150\n人件費\n2,460\n2,490\n2,520\n人工\n0.30\n0.30\n0.30\n")
    r = read_document(SourceText.from_text(text, "sheet.txt"))
    assert [a.jpy for a in r.projects[0].amounts if a.category == "personnel"] == [2_460_000, 2_490_000, 2_520_000]
    assert not any(a.printed == "0.30" for a in amounts_of(r))  # 人工: staff years, no sums


def test_a_section_that_prints_its_own_unit_under_its_figures_takes_it_not_the_section_befores():
    # each 取組's caption is printed under its figures; the second is in 円, the first in 千円
    text = ("令和6年度 点検・評価シート\n取 組 名 みなと少年団育成事業\n担 当 課 青少年課\n4,120 4,380\n"
            "令和4年度決算 令和5年度決算\n事 業 費 (千 円)\n一 般 財 源 4,120 4,380\n"
            "取 組 名 読みきかせ講座事業\n担 当 課 図書館\n864,500 902,300\n令和4年度決算 令和5年度決算\n"
            "事 業 費 (円)\n一 般 財 源 864,500 902,300\n")
    r = read_document(SourceText.from_text(text, "sections.txt"))
    first, second = r.projects
    assert (first.name, second.name) == ("みなと少年団育成事業", "読みきかせ講座事業")
    assert {a.jpy for a in first.amounts} == {4_120_000, 4_380_000}
    assert {a.jpy for a in second.amounts} == {864_500, 902_300}
    assert all(a.confidence < 0.9 for a in second.amounts if a.label is None)  # a caption after its figures


def test_a_table_printed_one_cell_per_line_under_a_unit_of_money_gives_sums_by_row_and_year():
    text = ("令和7年度 しおさい町下水道事業会計予算の概要\n(単位:千円)\n区分\nR5\nR6\nR7\n下水道使用料\n152,400\n150,900\n"
            "149,300\n修繕費\n38,200\n△1,500\n41,000\n")
    r = read_document(SourceText.from_text(text, "onecell.txt"))
    assert not values(r)  # no indicator: the rows are sums under (単位:千円)
    assert [(a.label, a.fiscal_year, a.jpy) for a in r.amounts] == [
        ("下水道使用料", 2023, 152_400_000), ("下水道使用料", 2024, 150_900_000), ("下水道使用料", 2025, 149_300_000),
        ("修繕費", 2023, 38_200_000), ("修繕費", 2024, -1_500_000), ("修繕費", 2025, 41_000_000)]


def test_a_bracket_inside_a_name_is_kept_in_its_label():
    from policy_kg.extract.engine.vocabulary import label_text
    assert label_text("地域商社(DMC)育成事業") == "地域商社(DMC)育成事業"
    assert label_text("決算額(千円)") == "決算額" and label_text("繰入金(基準外)") == "繰入金"


_TWO_INDICATORS = [("講座の開催回数", "回", [("target", Decimal(12), 2022), ("target", Decimal(14), 2023),
                                           ("actual", Decimal(10), 2022), ("actual", Decimal(11), 2023)]),
                   ("参加者数", "人", [("target", Decimal(300), 2022), ("target", Decimal(320), 2023),
                                     ("actual", Decimal(280), 2022), ("actual", Decimal(250), 2023)])]


@pytest.mark.parametrize("sep", ["  ", "\n"])  # a row per line, or a dump's one cell per line
def test_two_indicators_each_named_before_its_rows_under_one_header_are_two(sep):
    text = sep.join(["活動指標\n区分", "令和4年度", "令和5年度\n講座の開催回数", "回", "目標", "12", "14\n実績", "10", "11\n"
                     "参加者数", "人", "目標", "300", "320\n実績", "280", "250\n"])
    assert _indicators(text) == _TWO_INDICATORS


def test_the_names_a_column_printed_before_the_header_name_its_groups_of_rows_in_order():
    text = ("活動指標\n講座の開催回数 回\n参加者数 人\n区分 令和4年度 令和5年度\n目標 12 14\n実績 10 11\n"
            "目標 300 320\n実績 280 250\n")
    assert _indicators(text) == _TWO_INDICATORS


@pytest.mark.parametrize("names", ["講座の開催回数 回\n", "講座の開催回数 回\n参加者数 人\n来場者の満足度 %\n"])
def test_groups_of_rows_that_as_many_names_do_not_name_are_reported_not_given_to_one(names):
    text = f"活動指標\n{names}区分 令和4年度 令和5年度\n目標 12 14\n実績 10 11\n目標 300 320\n実績 280 250\n"
    record = extract(SourceText.from_text(_SHEET + text, "sheet.txt"))
    assert record.projects[0].indicators == []
    assert any("groups of rows under one header" in i.message for i in record.issues)


def test_a_named_block_whose_rows_repeat_a_role_keeps_its_own_rows_and_reports_the_rest():
    text = "区分 令和4年度 令和5年度\n講座の開催回数 回\n目標 12 14\n実績 10 11\n目標 300 320\n実績 280 250\n"
    record = extract(SourceText.from_text(_SHEET + text, "sheet.txt"))
    assert [(i.name, len(i.values)) for i in record.projects[0].indicators] == [("講座の開催回数", 4)]
    assert any("a second row of the same role" in i.message for i in record.issues)


@pytest.mark.parametrize("sep", ["  ", "\n"])
def test_one_year_cell_before_a_run_of_figures_dates_none_of_them(sep):
    # 令和6年度予算 before three figures: which of them is that year's budget is not printed
    text = "(単位:千円)\n" + sep.join(["事業費", "令和6年度予算", "1,200", "1,300", "1,400"]) + "\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.jpy, a.fiscal_year, a.status) for a in project.amounts] == [
        (1_200_000, None, None), (1_300_000, None, None), (1_400_000, None, None)]
    one = extract(SourceText.from_text(_SHEET + "(単位:千円)\n事業費  令和6年度予算  1,200\n", "s.txt")).projects[0]
    assert [(a.jpy, a.fiscal_year, a.status) for a in one.amounts] == [(1_200_000, 2024, "budget")]


def test_a_name_cell_two_rows_high_printed_between_its_rows_names_them():
    text = ("活動指標\n 指標名   区分   令和4年度   令和5年度\n          目標   12   14\n 講座の開催回数(回)\n"
            "          実績   10   11\n          目標   300   320\n 参加者数   人\n          実績   280   250\n")
    assert _indicators(text) == _TWO_INDICATORS


def test_a_baseline_and_its_year_printed_apart_are_one_dated_value_and_row_numbers_are_no_values():
    text = ("みずうみ市総合戦略 重要業績評価指標(KPI)の達成状況\nNo. 指標名 基準値 目標値(R6) R4実績 R5実績\n"
            "1 移住者数(人) 18 (H30) 40 25 31\n2 空き店舗の活用件数(件) 3 (H30) 15 5 8\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert values(r) == {
        "移住者数": [("baseline", Decimal(18), 2018), ("target", Decimal(40), 2024), ("actual", Decimal(25), 2022),
                 ("actual", Decimal(31), 2023)],
        "空き店舗の活用件数": [("baseline", Decimal(3), 2018), ("target", Decimal(15), 2024),
                      ("actual", Decimal(5), 2022), ("actual", Decimal(8), 2023)]}
    assert not any("were not read" in i.message for i in r.issues)  # the rows' numbers 1 and 2


_SIDE_BY_SIDE = ("令和6年度 事務事業評価シート\n事務事業名  こもれび講座事業\n担当課  生涯学習課\n"
                 " 事業費の推移（単位：千円）                 活動指標\n"
                 " 区分   R4決算  R5決算  R6予算            指標名       単位  R4実績  R5実績\n"
                 " 事業費  1,200  1,350  1,480              講座の開催回数  回    10     11\n"
                 " 一般財源  800    900    980              参加者数       人    280    250\n"
                 "\n 今後の方向性  継続\n")


def test_side_by_side_tables_are_read_one_after_the_other_each_half_on_its_source_line():
    from policy_kg.extract.engine.side_by_side import reading_order

    order = reading_order(_SIDE_BY_SIDE.split("\n"))
    assert [n for n, _ in order] == [1, 2, 3, 4, 5, 6, 7, 4, 5, 6, 7, 8, 9, 10]
    assert order[7][1] == "活動指標" and order[9][1].split() == ["講座の開催回数", "回", "10", "11"]
    (project,) = extract(SourceText.from_text(_SIDE_BY_SIDE, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.status, a.span.start) for a in project.amounts] == [
        ("total", 2022, None, 6), ("total", 2023, None, 6), ("total", 2024, "budget", 6),
        ("general_fund", 2022, None, 7), ("general_fund", 2023, None, 7), ("general_fund", 2024, "budget", 7)]
    assert [(i.name, i.unit, [(v.role, v.value, v.fiscal_year, v.span.start) for v in i.values])
            for i in project.indicators] == [
        ("講座の開催回数", "回", [("actual", Decimal(10), 2022, 6), ("actual", Decimal(11), 2023, 6)]),
        ("参加者数", "人", [("actual", Decimal(280), 2022, 7), ("actual", Decimal(250), 2023, 7)])]


@pytest.mark.parametrize("text", [
    # one table whose columns are far apart: no second table's head after the gap
    " 区分   R4決算      R5決算      R6予算\n 事業費  1,200      1,350      1,480\n",
    # a line that prints across the boundary ends the block before any row: nothing is cut
    " 区分   R4決算  R5決算          指標名   R4実績\n 本事業は地域の講座を開いて学びの場を広げるものです\n",
])
def test_lines_that_show_no_second_table_stay_as_they_are(text):
    from policy_kg.extract.engine.side_by_side import reading_order

    lines = text.split("\n")
    assert reading_order(lines) == list(enumerate(lines, 1))


def test_a_table_of_projects_beside_an_indicator_table_keeps_both_and_every_column():
    text = ("令和6年度 施策評価シート\n施策名  みどりのまちづくり\n"
            " 構成事業（単位：千円）                          成果指標\n"
            " 事業名              担当課      事業費          指標名          R5目標  R5実績\n"
            " 森の小径整備事業    公園課       1,480          緑地面積(ha)      120     118\n"
            " 花いっぱい運動事業  環境課         320          花壇の数(か所)     40      42\n")
    r = extract(SourceText.from_text(text, "m.txt"))
    assert [(p.name, [a.jpy for a in p.amounts]) for p in r.projects] == [
        ("森の小径整備事業", [1_480_000]), ("花いっぱい運動事業", [320_000])]  # 構成事業: the table's caption
    assert values(r) == {"緑地面積": [("target", Decimal(120), 2023), ("actual", Decimal(118), 2023)],
                         "花壇の数": [("target", Decimal(40), 2023), ("actual", Decimal(42), 2023)]}


@pytest.mark.parametrize("furniture", ["- 1 -\n", "- 1 -\n\f令和6年度 事務事業評価結果一覧\n", "\f令和6年度 事務事業評価結果一覧\n"])
def test_a_table_of_projects_goes_on_after_a_page_break_and_its_running_head(furniture):
    rows = [f"{k} あおぞら第{k}号事業 企画課 1,{k}0 1,{k}5 1,{k}8\n" for k in range(10, 16)]
    text = ("令和6年度 事務事業評価結果一覧\n(単位:千円)\nNo. 事業名 担当課 R4決算 R5決算 R6予算\n"
            + "".join(rows[:4]) + furniture + "".join(rows[4:]))
    r = extract(SourceText.from_text(text, "list.txt"))
    assert [p.name for p in r.projects] == [f"あおぞら第{k}号事業" for k in range(10, 16)]
    for p in r.projects:
        assert p.unit.division == "企画課"
        assert [(a.category, a.fiscal_year, a.status) for a in p.amounts] == [
            ("total", 2022, None), ("total", 2023, None), ("total", 2024, "budget")]


def test_a_sentence_wrapped_between_a_figure_and_its_unit_keeps_the_sum():
    text = "事業費 1,200千円\n事業の内容 住宅改修費の2分の1(上限50\n万円)を補助する。\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.jpy, a.category, a.span) for a in project.amounts] == [
        (1_200_000, "stated", Span(4, 4)), (500_000, "grant_ceiling", Span(5, 6))]
    table = extract(SourceText.from_text(_SHEET + "事業費 1,200\n千円 …\n", "s.txt")).projects[0]
    assert not any(a.span.end > a.span.start for a in table.amounts)  # a unit cell on the next line: no wrap


def test_revenue_items_that_end_like_a_grant_are_no_projects():
    from policy_kg.extract.engine.names import looks_like_project

    v = vocabulary()
    for item in ("地方消費税交付金", "利子割交付金", "地方特例交付金", "交通安全対策特別交付金"):
        assert not looks_like_project(item, v), item
    assert looks_like_project("木造住宅耐震改修補助金", v) and looks_like_project("商店街にぎわい交付金", v)
    text = ("令和6年度 当初予算の概要\n（単位：千円）\n 区分  令和5年度当初予算  令和6年度当初予算\n"
            " 市税  4,000,000  4,200,000\n 地方消費税交付金  600,000  650,000\n")
    r = read_document(SourceText.from_text(text, "budget.txt"))
    assert r.projects == [] and len(r.amounts) == 4


def test_an_indicator_header_of_years_over_a_line_of_their_roles_dates_every_value():
    text = ("成果指標\n 指標名   令和4年度   令和5年度\n          目標  実績   目標  実績\n"
            " 参加者数(人)   300  280   320  250\n")
    assert _indicators(text) == [("参加者数", "人", [("target", Decimal(300), 2022), ("actual", Decimal(280), 2022),
                                                 ("target", Decimal(320), 2023), ("actual", Decimal(250), 2023)])]


def test_a_filled_sheet_that_keeps_the_forms_instructions_as_notes_is_no_template():
    text = (_SHEET + "事業費 決算額 850千円\n※事業費は決算額を記入してください。\n※指標は実績を記入してください。\n"
            "※方向性は継続、拡充、縮小の中から選択し記入してください。\n今後の方向性 継続\n")
    r = extract(SourceText.from_text(text, "s.txt"))
    assert r.kind == "evaluation_sheet"
    assert [a.jpy for p in r.projects for a in p.amounts] == [850_000]


@pytest.mark.parametrize("heading", ["５ 事務事業一覧\n番号 事務事業名 担当課 決算額(千円)\n", "事務事業一覧\n番号 事務事業名 担当課 決算額(千円)\n"])
def test_a_sheet_that_passes_a_profiles_test_but_not_its_parser_is_read_by_the_engine(heading):
    # 施策1 … and 事務事業一覧 are the first seed's signature; another publisher's sheet prints them too
    text = ("令和5年度 施策評価シート\n施策1 防災体制の充実\n" + heading
            + "1 防災備蓄品整備事業 危機管理課 5,400\n2 自主防災組織育成事業 危機管理課 2,100\n")
    r = extract(SourceText.from_text(text, "m.txt"))
    assert r.layout == "engine"
    assert [(p.name, p.unit.division, [a.jpy for a in p.amounts]) for p in r.projects] == [
        ("防災備蓄品整備事業", "危機管理課", [5_400_000]), ("自主防災組織育成事業", "危機管理課", [2_100_000])]
    assert "structural test of the evaluation_sheet profile" in r.issues[0].message


_COSTS = "(単位:千円)\n区分 R5決算 R6予算\n事業費 2,400 2,550\n"


@pytest.mark.parametrize(("rows", "kept"), [
    ("正規職員 0.5 0.6\n会計年度任用職員 1.2 1.0\n", []),  # people or their cost: not told, reported
    ("職員数(人) 0.5 0.5\n正規 0.3 0.3\n非常勤 0.2 0.2\n", []),  # under a row of people: people
    ("利用者 1,200 1,350\n従事人員 2 3\n", []),  # people, whatever the table's unit
    ("人件費 4,000 4,100\n正規 1.0 0.5\n", [4_000_000, 4_100_000]),  # people or their cost: not told, reported
])
def test_rows_of_people_in_a_table_of_money_are_no_sums(rows, kept):
    r = extract(SourceText.from_text(_SHEET + _COSTS + rows, "s.txt"))
    assert [a.jpy for a in r.projects[0].amounts][2:] == kept
    if rows.startswith("正規職員"):
        assert sum("a row of staff" in i.message for i in r.issues) == 2


def test_a_total_column_after_the_funding_sources_is_the_rows_sum_not_the_last_source():
    text = "財源内訳(単位:千円)\n国庫支出金 県支出金 一般財源 合計\n600 200 1,600 2,400\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.label, a.jpy) for a in project.amounts] == [
        ("国庫支出金", 600_000), ("県支出金", 200_000), ("一般財源", 1_600_000), ("合計", 2_400_000)]


@pytest.mark.parametrize("sep", ["  ", "\n"])
def test_a_row_short_of_a_value_keeps_its_rate_and_grade_in_their_own_columns(sep):
    header = ["KPI", "単位", "基準値(H30)", "目標値(R6)", "R4実績", "達成率", "評価"]
    rows = [["新規創業件数", "件", "8", "15", "80.0%", "B"], ["移住相談件数", "件", "40", "60", "66", "110.0%", "A"]]
    text = "総合戦略 効果検証シート\n" + "\n".join(sep.join(cells) for cells in [header, *rows]) + "\n"
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert values(r) == {"新規創業件数": [("baseline", Decimal(8), 2018), ("target", Decimal(15), 2024)],
                         "移住相談件数": [("baseline", Decimal(40), 2018), ("target", Decimal(60), 2024),
                                    ("actual", Decimal(66), 2022)]}
    assert any("新規創業件数" in i.message and "read from the left" in i.message for i in r.issues)


def test_a_rate_row_and_an_estimate_row_under_an_indicators_rows_are_no_indicators():
    text = ("成果指標 令和4年度 令和5年度 令和6年度\n貸出冊数(冊)\n目標値 80,000 82,000 84,000\n"
            "実績値 78,500 83,100 81,200\n達成率 98.1 101.3 96.7\n見込値 85,000\n")
    r = extract(SourceText.from_text(_SHEET + text, "s.txt"))
    assert [i.name for i in r.projects[0].indicators] == ["貸出冊数"]
    assert any("'85,000'" in i.message for i in r.issues)  # the estimate: which column it is is not printed


def test_a_short_row_of_one_role_fills_the_columns_of_its_role():
    text = "活動指標 R3 R4 R5 R6 R7(目標)\n読み聞かせ会の開催回数(回)\n実績値 20 24 26 28\n目標値 30\n"
    r = extract(SourceText.from_text(_SHEET + text, "s.txt"))
    assert values(r)["読み聞かせ会の開催回数"] == [
        ("actual", Decimal(20), 2021), ("actual", Decimal(24), 2022), ("actual", Decimal(26), 2023),
        ("actual", Decimal(28), 2024), ("target", Decimal(30), 2025)]
    assert not any("read from the left" in i.message for i in r.issues)


def test_a_kpi_counted_in_money_under_a_header_of_baseline_and_target_is_an_indicator_not_money():
    text = ("総合戦略 KPI一覧\nKPI 単位 基準値(H30) 現状値(R4) 目標値(R6)\n観光消費額 億円 45 39 50\n"
            "ふるさと納税寄附額 百万円 320 1,240 1,000\n")
    glued = "総合戦略 KPI一覧\nKPI 基準値(H30) 現状値(R4) 目標値(R6)\n観光消費額 45億円 39億円 50億円\n"
    for doc in (text, glued):
        r = read_document(SourceText.from_text(doc, "kpi.txt"))
        assert not amounts(r)
        assert values(r)["観光消費額"] == [("baseline", Decimal(45), 2018), ("actual", Decimal(39), 2022),
                                      ("target", Decimal(50), 2024)]
    assert {i.name: i.unit for i in read_document(SourceText.from_text(text, "kpi.txt")).indicators} == {
        "観光消費額": "億円", "ふるさと納税寄附額": "百万円"}
    # a money table's columns are statuses, not a baseline or a target: its rows stay money
    money = extract(SourceText.from_text(_SHEET + "(単位:千円)\n区分 計画 実績\n事業費 1,200 1,150\n", "s.txt"))
    assert [a.jpy for a in money.projects[0].amounts] == [1_200_000, 1_150_000]


@pytest.mark.parametrize(("cell", "year", "role"), [
    ("H30(基準)", 2018, "baseline"), ("H30基準", 2018, "baseline"), ("基準(H30)", 2018, "baseline"),
    ("最終目標(R6)", 2024, "final_target"), ("最終目標値(R6)", 2024, "final_target"),
    ("R6見込", 2024, "estimate"), ("見込", None, "estimate"), ("R6予算", None, None),
])
def test_header_cells_name_a_year_and_a_role(cell, year, role):
    from policy_kg.extract.engine.table_headers import header_column

    column = header_column(cell, None, vocabulary())
    assert (column.year, column.role) == (year, role) if role else column is None


def test_an_estimate_column_of_a_kpi_table_gives_estimates_and_keeps_the_table():
    text = "総合戦略 KPI一覧\nKPI R4実績 R5実績 R6見込 R7目標\n移住相談件数(件) 52 61 70 80\n"
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert values(r) == {"移住相談件数": [("actual", Decimal(52), 2022), ("actual", Decimal(61), 2023),
                                      ("estimate", Decimal(70), 2024), ("target", Decimal(80), 2025)]}


def test_the_unread_report_goes_on_past_a_blank_year_of_a_row():
    from policy_kg.extract.engine.unread import unread_values

    toks = tokens(logical_lines(SourceText.from_text("実績値 4,880 ― 5,150\n", "t.txt")))
    assert [u.printed for u in unread_values(toks, vocabulary(), None, set())] == ["4,880", "5,150"]


_LIST = "令和5年度 事務事業評価結果一覧表\nNo. 事務事業名 担当課 決算額(千円) 評価\n"


@pytest.mark.parametrize("between", ["【都市建設部】\n", "総務部計 21,500\n", "- 総務部合計 - 21,500 -\n"])
def test_a_group_caption_or_total_inside_a_list_leaves_the_rows_after_it_in_the_table(between):
    text = (_LIST + "1 庁舎維持管理事業 総務課 20,000 B\n2 職員研修事業 人事課 1,500 A\n" + between
            + "3 道路維持補修事業 道路課 48,000 B\n4 橋りょう長寿命化事業 〃 30,000 A\n")
    r = extract(SourceText.from_text(text, "list.txt"))
    assert [(p.name, p.unit.division, [(a.label, a.jpy) for a in p.amounts]) for p in r.projects] == [
        ("庁舎維持管理事業", "総務課", [("決算額", 20_000_000)]), ("職員研修事業", "人事課", [("決算額", 1_500_000)]),
        ("道路維持補修事業", "道路課", [("決算額", 48_000_000)]),
        ("橋りょう長寿命化事業", "道路課", [("決算額", 30_000_000)])]  # 〃: the department of the row above


@pytest.mark.parametrize(("cell", "unit"), [("都市整備部公園緑地課", ("都市整備部", "公園緑地課")),
                                            ("教育委員会事務局生涯学習課", ("教育委員会事務局", "生涯学習課")),
                                            ("東部地域振興課", (None, "東部地域振興課"))])
def test_a_department_and_its_division_in_one_cell_are_told_apart(cell, unit):
    text = f"令和5年度 事務事業評価結果一覧表\nNo. 事務事業名 担当部課名 事業費(千円)\n1 ひばり公園維持管理事業 {cell} 12,345\n"
    (project,) = extract(SourceText.from_text(text, "list.txt")).projects
    assert (project.unit.department, project.unit.division) == unit


@pytest.mark.parametrize("cell", ["2,550※", "2,550※1", "2,550 ※1", "2,550 (※1)", "2,550*"])
def test_a_footnotes_mark_after_a_figure_leaves_the_row_whole(cell):
    text = f"(単位:千円)\n区分 R4決算 R5決算 R6予算\n事業費 2,400 {cell} 2,700\n※補正予算を含む\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.jpy) for a in project.amounts] == [
        ("total", 2022, 2_400_000), ("total", 2023, 2_550_000), ("total", 2024, 2_700_000)]


@pytest.mark.parametrize("mask", ["●●●", "非公表", "×××", "(未定)"])
def test_a_masked_or_withheld_cell_is_no_value_and_the_row_keeps_its_columns(mask):
    from policy_kg.extract.numbers import is_no_value

    assert is_no_value(mask)
    text = f"(単位:千円)\n区分 R4決算 R5決算 R6予算\n事業費 2,400 {mask} 2,700\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.jpy) for a in project.amounts] == [
        ("total", 2022, 2_400_000), ("total", 2024, 2_700_000)]


@pytest.mark.parametrize("word", ["比較", "差額", "対前年度比較"])
def test_a_difference_column_keeps_the_years_of_the_columns_before_it(word):
    text = f"予算の概要\n(単位:千円)\n区分 令和6年度 令和5年度 {word}\n民生費 812,300 790,100 22,200\n"
    r = read_document(SourceText.from_text(text, "b.txt"))
    assert [(a.label, a.fiscal_year, a.jpy) for a in amounts_of(r)] == [
        ("民生費", 2024, 812_300_000), ("民生費", 2023, 790_100_000), (word, None, 22_200_000)]


@pytest.mark.parametrize("unit", ["人、千円", "千円・人"])
def test_a_unit_of_counts_and_money_governs_the_rows_that_name_money_and_reports_the_rest(unit):
    text = (f"(単位:{unit})\n区分 R5決算 R6予算\n事業費 2,400 2,650\n一般財源 1,800 1,900\n参加人数 320 350\n"
            "講座の開催 12 14\n")
    r = extract(SourceText.from_text(_SHEET + text, "s.txt"))
    assert [(a.category, a.jpy) for a in r.projects[0].amounts] == [
        ("total", 2_400_000), ("total", 2_650_000), ("general_fund", 1_800_000), ("general_fund", 1_900_000)]
    assert sum("a unit of counts and of money" in i.message for i in r.issues) == 2  # 講座の開催 12 14


def test_a_rate_printed_with_its_percent_sign_in_a_table_of_sums_leaves_the_rows_their_years():
    text = "予算の概要\n(単位:百万円)\n区分 令和5年度 令和6年度 増減率\n一般会計 41,230 42,580 3.3%\n"
    r = read_document(SourceText.from_text(text, "b.txt"))
    assert [(a.label, a.fiscal_year, a.jpy) for a in amounts_of(r)] == [
        ("一般会計", 2023, 41_230_000_000), ("一般会計", 2024, 42_580_000_000)]


@pytest.mark.parametrize("head", ["活動指標 R4 R5 R6\nイベント開催回数 回\n", "活動指標\nイベント開催回数 回 R4 R5 R6\n"])
def test_role_rows_under_a_header_an_indicator_label_opens_are_of_its_kind(head):
    text = head + "目標値 6 6 6\n実績値 6 8 7\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(i.name, i.kind, len(i.values)) for i in project.indicators] == [("イベント開催回数", "activity", 6)]


@pytest.mark.parametrize(("target", "kept"), [("増加", None), ("2,000以上", Decimal(2000))])
def test_a_target_stated_as_a_direction_or_a_bound_leaves_the_table_whole(target, kept):
    text = ("総合戦略 KPI一覧\nKPI 単位 基準値(H30) 目標値(R6) R4実績\n"
            f"転入者数 人 1,820 {target} 1,905\n保育所待機児童数 人 12 0 4\n")
    got = values(read_document(SourceText.from_text(text, "kpi.txt")))
    assert got["転入者数"] == [("baseline", Decimal(1820), 2018)] + ([("target", kept, 2024)] if kept else []) + [
        ("actual", Decimal(1905), 2022)]
    assert got["保育所待機児童数"] == [("baseline", Decimal(12), 2018), ("target", Decimal(0), 2024),
                                ("actual", Decimal(4), 2022)]


def test_a_row_that_does_not_fit_between_rows_that_do_is_reported_and_the_table_goes_on():
    text = ("総合戦略 KPI一覧\nKPI 単位 基準値(H30) 目標値(R6) R4実績\n転入者数 人 1,820 (見直し中) 1,905\n"
            "保育所待機児童数 人 12 0 4\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert list(values(r)) == ["保育所待機児童数"]
    assert any("転入者数" in i.message and "do not fit" in i.message for i in r.issues)


def test_a_projects_code_is_its_number_from_a_code_column_or_a_code_label():
    text = ("令和5年度 施策評価シート\n施策 2-3 地域福祉の推進\n構成事業\n事業番号 事業名 担当課 決算額(千円)\n"
            "0231 地域福祉計画推進事業 福祉総務課 1,200\n0232 民生委員活動支援事業 福祉総務課 15,600\n")
    r = extract(SourceText.from_text(text, "m.txt"))
    assert [(p.number, p.name) for p in r.projects] == [("0231", "地域福祉計画推進事業"), ("0232", "民生委員活動支援事業")]
    sheet = extract(SourceText.from_text(_SHEET + "事業番号 0412\n事業費 1,850千円\n", "s.txt"))
    assert [p.number for p in sheet.projects] == ["0412"]


def test_a_list_with_a_department_column_and_a_division_column_keeps_both():
    text = ("令和5年度 事務事業評価結果一覧表\nNo. 事務事業名 部局名 課名 事業費(千円)\n"
            "1 ひばり公園維持管理事業 都市整備部 公園緑地課 12,345\n2 市民ふれあい祭り開催事業 市民生活部 市民協働課 3,210\n")
    r = extract(SourceText.from_text(text, "list.txt"))
    assert [(p.unit.department, p.unit.division) for p in r.projects] == [
        ("都市整備部", "公園緑地課"), ("市民生活部", "市民協働課")]


def test_the_first_row_of_a_money_table_printed_one_cell_per_line_gets_its_label_and_years():
    text = "(単位:千円)\n区分\nR4決算\nR5決算見込\n事業費\n2,400\n2,550\n人件費\n3,900\n4,000\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.status) for a in project.amounts] == [
        ("total", 2022, None), ("total", 2023, "estimate"), ("personnel", 2022, None), ("personnel", 2023, "estimate")]


def test_a_bare_figure_between_sums_that_print_their_unit_is_reported_not_dropped_silently():
    text = "区分 R4決算 R5決算 R6予算\n事業費 2,400,000円 2,550,000 2,700,000円\n"
    r = extract(SourceText.from_text(_SHEET + text, "s.txt"))
    assert "2,550,000" not in [a.printed for a in r.projects[0].amounts]
    assert any("'2,550,000'" in i.message and "no unit" in i.message for i in r.issues)


@pytest.mark.parametrize(("text", "jpy"), [
    ("令和5年度予算額 1億\n2,345万円\n", 123_450_000),  # a unit cut
    ("令和5年度予算額 3,200千\n円\n", 3_200_000),
    ("令和5年度予算額 5,100千円(うち一般財源 3,\n200千円)\n", 3_200_000),  # a group of three digits cut
])
def test_a_figure_cut_at_the_end_of_a_line_is_one_figure(text, jpy):
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert jpy in [a.jpy for a in project.amounts]
    assert all(a.jpy >= 1_000_000 for a in project.amounts)  # no piece of it read as a sum of its own


def test_a_table_cell_cut_inside_its_group_of_digits_keeps_its_row():
    text = "(単位:千円)\n区分 令和3年度 令和4年度 令和5年度\n事業費 4,200 4,650 5,1\n00\n一般財源 2,700 2,950 3,200\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.fiscal_year, a.jpy) for a in project.amounts if a.category == "total"] == [
        (2021, 4_200_000), (2022, 4_650_000), (2023, 5_100_000)]


@pytest.mark.parametrize("text", ["(単位:千円)\n区 分 R 4 決 算 R 5 予 算\n事 業 費 4 6 5 0 5 1 0 0\n",
                                  "令和5年度予算額 5 1 0 0 千円\n"])
def test_letter_spaced_digits_whose_figures_cannot_be_told_apart_are_reported_not_summed(text):
    r = extract(SourceText.from_text(_SHEET + text, "s.txt"))
    assert [a.jpy for a in r.projects[0].amounts] == []
    assert any("letter-spaced digits" in i.message for i in r.issues)


@pytest.mark.parametrize(("prose", "jpy"), [
    ("前年度から500万円の減となった。", -5_000_000), ("前年度から500万円の減少。", -5_000_000),
    ("前年度比 -500万円。", -5_000_000), ("前年度から500万円 減。", -5_000_000),
    ("うち500万円の減価償却費を含む。", 5_000_000),
])
def test_a_sum_and_the_decrease_printed_after_it(prose, jpy):
    (project,) = extract(SourceText.from_text(_SHEET + prose + "\n", "s.txt")).projects
    assert [a.jpy for a in project.amounts] == [jpy]


@pytest.mark.parametrize(("kanji", "jpy"), [("千五百万円", 15_000_000), ("十五万円", 150_000), ("五千円", 5_000),
                                            ("三千五百万円", 35_000_000)])
def test_a_sum_in_kanji_numerals_that_opens_with_ten_hundred_or_thousand_is_read(kanji, jpy):
    (project,) = extract(SourceText.from_text(_SHEET + f"予算額 {kanji}\n", "s.txt")).projects
    assert [a.jpy for a in project.amounts] == [jpy]
    plain = extract(SourceText.from_text(_SHEET + "市内一円で開催する。単位は千円とする。\n", "s.txt")).projects[0]
    assert plain.amounts == []  # 一円 (throughout), a unit alone: no sums


@pytest.mark.parametrize("unit", ["メートル", "トン", "通", "m2"])
def test_a_figure_in_a_unit_of_length_weight_or_pieces_is_no_sum_under_a_unit_of_money(unit):
    text = f"(単位:千円)\n事業費 30,000\n市道 15,500 {unit}を補修した。\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [a.jpy for a in project.amounts] == [30_000_000]


@pytest.mark.parametrize("total", ["以上3事業の総額は7,750万円である。", "3事業合計 7,750万円"])
def test_the_sum_of_the_projects_above_is_the_documents_not_the_last_projects(total):
    text = ("令和6年度 当初予算の概要\n1 子育て応援給付事業（子育て支援課） 4,500万円\n2 道路維持補修事業（道路課） 3,000万円\n"
            f"3 防災訓練事業（危機管理課） 250万円\n{total}\n")
    r = extract(SourceText.from_text(text, "b.txt"))
    assert [[a.jpy for a in p.amounts] for p in r.projects] == [[45_000_000], [30_000_000], [2_500_000]]
    assert [a.jpy for a in r.amounts] == [77_500_000]


def test_two_tables_side_by_side_whose_heads_repeat_are_cut_even_at_a_narrow_gap():
    text = ("令和5年度 事務事業評価シート\n事業名 みどりの散歩道整備事業  担当課 公園緑地課\n事業費(単位:千円)\n"
            "区分 令和4年度 令和5年度  区分 令和4年度 令和5年度\n"
            "事業費 4,650 5,100        利用者数 13,200 13,900\n"
            "一般財源 2,950 3,200      参加者数 420 510\n")
    r = extract(SourceText.from_text(text, "s.txt"))
    assert [a.jpy for p in r.projects for a in p.amounts] == [4_650_000, 5_100_000, 2_950_000, 3_200_000]
    assert values(r) == {"利用者数": [("unspecified", Decimal(13200), 2022), ("unspecified", Decimal(13900), 2023)],
                         "参加者数": [("unspecified", Decimal(420), 2022), ("unspecified", Decimal(510), 2023)]}


def test_a_column_of_labels_each_with_its_unit_declares_no_unit_over_the_figures_after_it():
    text = ("人件費\n正規職員(人)\n会計年度任用職員(人)\n正規職員(千円)\n会計年度任用職員(千円)\n職\n員\n数\n"
            "人\n件\n費\n0.50\n1.20\n4,100\n2,600\n")
    r = extract(SourceText.from_text(_SHEET + text, "s.txt"))
    assert [a.jpy for a in r.projects[0].amounts] == []  # 0.50 people were 500 yen
    assert sum("no unit is printed" in i.message for i in r.issues) == 4


def test_a_cost_per_unit_whose_label_is_printed_after_it_is_no_years_total():
    text = ("活動指標 4年度 5年度\n整備延長(m) 410 380\n総事業費(千円)\n6,150\n15.00\n"
            "単位あたり費用(総事業費÷活動指標実績)\n")
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.label, a.jpy, a.fiscal_year) for a in project.amounts] == [
        ("総事業費", 6_150_000, None), ("単位あたり費用", 15_000, None)]  # not 2022's and 2023's totals


def test_a_row_of_money_labels_and_a_row_of_sums_under_a_header_of_two_columns_are_no_projects():
    text = ("令和5年度 事務事業評価シート\n事業名 担当課\nみどりの散歩道整備事業 公園緑地課\n令和5年度予算額 うち一般財源\n"
            "5,100千円 3,800千円\n")
    r = extract(SourceText.from_text(text, "s.txt"))
    assert [p.name for p in r.projects] == ["みどりの散歩道整備事業"]
    assert [a.jpy for a in r.projects[0].amounts] == [5_100_000, 3_800_000]


@pytest.mark.parametrize(("this_year", "last_year"), [("予算額", "前年度"), ("本年度予算額", "前年度予算額"),
                                                      ("予算額", "前年度予算"), ("予算額", "昨年度")])
def test_a_budget_lists_column_of_the_year_before_is_that_years_budget_of_each_project(this_year, last_year):
    text = (f"令和6年度 予算の概要\n主要事業一覧 (単位:千円)\n事業名 {this_year} {last_year} 増減\n"
            "子育て応援給付事業 45,000 38,000 7,000\n")
    (project,) = read_document(SourceText.from_text(text, "b.txt")).projects
    assert [(a.fiscal_year, a.status, a.jpy) for a in project.amounts if a.fiscal_year] == [
        (2024, "budget", 45_000_000), (2023, "budget", 38_000_000)]


@pytest.mark.parametrize("line", ["上限額：50万円", "補助対象経費の2分の1（50万円を上限）", "限度額は50万円とする。",
                                  "1件につき50万円以内"])
def test_a_grants_ceiling_in_its_many_wordings_is_a_ceiling_not_a_cost(line):
    (project,) = extract(SourceText.from_text(_SHEET + line + "\n", "s.txt")).projects
    assert [(a.category, a.jpy) for a in project.amounts] == [("grant_ceiling", 500_000)]


def test_a_funding_source_glued_inside_a_bracket_labels_the_sum_after_it():
    text = "令和6年度 事業計画書\n（1）市民文化祭開催事業\n予算額 3,200千円（国庫補助金1,600千円）\n"
    (project,) = read_document(SourceText.from_text(text, "plan.txt")).projects
    assert [(a.label, a.category, a.jpy) for a in project.amounts][1:] == [("国庫補助金", "funding_share", 1_600_000)]


@pytest.mark.parametrize("leader", ["……………", "・・・・・・", "...."])
def test_a_leader_between_a_projects_name_and_its_sum_parts_them(leader):
    text = f"令和6年度 当初予算の概要\n主な事業\n・子育て応援給付事業{leader}45,000千円\n・防災訓練事業{leader}2,500千円\n"
    r = read_document(SourceText.from_text(text, "b.txt"))
    assert [(p.name, [a.jpy for a in p.amounts]) for p in r.projects] == [
        ("子育て応援給付事業", [45_000_000]), ("防災訓練事業", [2_500_000])]
    assert normalize_line("当財団枠…64名") == "当財団枠...64名"  # a count's leader stays (NFKC: …)


def test_a_money_label_that_opens_the_sentence_of_its_sum_labels_it():
    text = "令和6年度 事業計画書\n（1）市民文化祭開催事業\n予算額は1,500万円。\n"
    (project,) = read_document(SourceText.from_text(text, "plan.txt")).projects
    assert [(a.category, a.fiscal_year, a.status, a.jpy) for a in project.amounts] == [
        ("total", 2024, "budget", 15_000_000)]


@pytest.mark.parametrize("sep", [" ", "\n"])
def test_the_next_sections_number_after_a_rows_figures_is_not_one_of_them(sep):
    cells = ["(単位:千円)", "区分", "令和3年度", "令和4年度", "令和5年度", "事業費", "4,200", "4,650", "5,100",
             "一般財源", "2,700", "2,950", "3,200", "2", "活動指標"]
    (project,) = extract(SourceText.from_text(_SHEET + sep.join(cells) + "\n", "s.txt")).projects
    assert [(a.category, a.fiscal_year) for a in project.amounts if a.category == "general_fund"] == [
        ("general_fund", 2021), ("general_fund", 2022), ("general_fund", 2023)]


def test_an_indicator_two_recognisers_read_from_the_same_cells_is_one_indicator():
    text = "活動指標\n指標名\n整備延長\n単位\nm\n4年度\n5年度\n410\n380\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(i.name, i.kind, len(i.values)) for i in project.indicators] == [("整備延長", "activity", 2)]


def test_a_years_budget_or_account_label_without_its_gaku_dates_the_sum_after_it():
    text = "令和4年度決算 4,650千円\n事業費 令和5年度予算 5,100千円\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.status, a.jpy) for a in project.amounts] == [
        ("total", 2022, None, 4_650_000), ("total", 2023, "budget", 5_100_000)]


def test_a_header_of_years_over_a_line_of_their_statuses_dates_every_figure():
    text = "(単位:千円)\n区分 令和4年度 令和5年度\n予算 決算 予算 決算\n事業費 4,700 4,650 5,200 5,100\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.fiscal_year, a.status, a.jpy) for a in project.amounts] == [
        (2022, "budget", 4_700_000), (2022, None, 4_650_000), (2023, "budget", 5_200_000), (2023, None, 5_100_000)]


def test_a_table_of_one_year_per_row_whose_cells_print_their_unit_gives_labels_and_years():
    text = "年度 国庫支出金 一般財源\n3年度 1,000千円 3,200千円\n4年度 1,200千円 3,450千円\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.jpy) for a in project.amounts] == [
        ("funding_share", 2021, 1_000_000), ("general_fund", 2021, 3_200_000),
        ("funding_share", 2022, 1_200_000), ("general_fund", 2022, 3_450_000)]


def test_year_labels_over_a_line_of_sums_that_print_their_unit_date_each_sum():
    text = "令和4年度決算額 令和5年度予算額\n4,650千円 5,100千円\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.category, a.fiscal_year, a.status, a.jpy) for a in project.amounts] == [
        ("total", 2022, None, 4_650_000), ("total", 2023, "budget", 5_100_000)]


@pytest.mark.parametrize("prose", ["減災ブロック塀撤去補助に1,200万円。", "2,000万円の減災対策工事を行う。",
                                   "1億5,000万円の減債基金積立", "総額800万円の減収補てん金を交付する。"])
def test_words_that_open_with_a_decrease_character_make_no_decrease(prose):
    (project,) = extract(SourceText.from_text(_SHEET + prose + "\n", "s.txt")).projects
    assert all(a.jpy > 0 for a in project.amounts) and project.amounts


@pytest.mark.parametrize("text", ["観光入込客数(人)\n12万\n3,500円\n", "来場者数は約2万\n1,000円の補助券を配布した。\n"])
def test_a_count_in_ten_thousands_at_a_lines_end_is_no_part_of_the_sum_on_the_next(text):
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [a.jpy for a in project.amounts] in ([3_500], [1_000])


def test_a_money_row_whose_label_ends_in_sha_is_money():
    text = "(単位:千円)\n区分 R4決算 R5決算\n委託業者 45,200 46,100\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.label, a.jpy) for a in project.amounts] == [("委託業者", 45_200_000), ("委託業者", 46_100_000)]


@pytest.mark.parametrize("header", [
    " 事業名              予算額(千円)      内容                担当課",  # 内容: a header word, no second table
    " 事業名              R6予算額          指標名              R6目標",  # a list's row owns its indicator
])
def test_one_table_with_wide_gaps_is_not_cut_in_two(header):
    from policy_kg.extract.engine.side_by_side import reading_order

    lines = [header, " 防犯灯設置事業      3,200             防犯灯の設置        防犯対策課"]
    assert reading_order(lines) == list(enumerate(lines, 1))


@pytest.mark.parametrize("sep", [" ", "\n"])
def test_a_flattened_header_of_years_then_their_roles_dates_every_value(sep):
    cells = ["成果指標", "指標名", "単位", "令和4年度", "令和5年度", "目標", "実績", "目標", "実績",
             "散歩道利用者数", "人", "13,000", "13,200", "14,000", "13,900"]
    assert _indicators(sep.join(cells) + "\n") == [("散歩道利用者数", "人", [
        ("target", Decimal(13000), 2022), ("actual", Decimal(13200), 2022),
        ("target", Decimal(14000), 2023), ("actual", Decimal(13900), 2023)])]


@pytest.mark.parametrize("line", ["問合せ先 道路課 電話 0123-45-6789 内線 23456", "根拠:告示第 10234 号"])
def test_a_telephone_extension_or_a_notices_number_is_no_sum_under_a_unit_of_money(line):
    text = f"(単位:千円)\n事業費 30,000\n{line}\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [a.jpy for a in project.amounts] == [30_000_000]


def test_a_flattened_kpi_table_with_a_grade_column_reads_every_row():
    text = ("総合戦略 効果検証\nKPI 単位 基準値(H30) 目標値(R6) R4実績 評価 新規創業件数 件 8 15 12 B "
            "移住相談件数 件 40 60 66 A\n")
    r = read_document(SourceText.from_text(text, "kpi.txt"))
    assert list(values(r)) == ["新規創業件数", "移住相談件数"]
    assert values(r)["移住相談件数"] == [("baseline", Decimal(40), 2018), ("target", Decimal(60), 2024),
                                    ("actual", Decimal(66), 2022)]


def test_an_ideographic_space_alone_between_cells_is_a_blank_cell_and_the_row_keeps_its_columns():
    text = (_LIST.replace("事務事業名 担当課", "担当課 事務事業名") + "1 公園緑地課 ひばり公園維持管理事業 12,345 A\n"
            "2 \u3000 けやき緑道整備事業 8,000 B\n3 市民協働課 市民ふれあい祭り開催事業 3,210 B\n")
    r = extract(SourceText.from_text(text, "list.txt"))
    assert [(p.name, p.unit.division if p.unit else None) for p in r.projects] == [
        ("ひばり公園維持管理事業", "公園緑地課"), ("けやき緑道整備事業", None), ("市民ふれあい祭り開催事業", "市民協働課")]


def test_a_part_rows_bracketed_figures_are_its_sums():
    text = "(単位:千円)\n区分 R5決算 R6予算\n事業費 2,400 2,650\n うち補助金 (800) (850)\n"
    (project,) = extract(SourceText.from_text(_SHEET + text, "s.txt")).projects
    assert [(a.label, a.fiscal_year, a.jpy) for a in project.amounts][2:] == [
        ("うち補助金", 2023, 800_000), ("うち補助金", 2024, 850_000)]


def test_a_bare_year_before_column_beside_no_budgets_column_is_no_budget():
    text = "令和6年度 予算の概要\n(単位:千円)\n事業名 担当課 事業費 前年度 本年度\n健康教室事業 健康課 3,200 1,250 1,400\n"
    (project,) = read_document(SourceText.from_text(text, "b.txt")).projects
    assert not [a for a in project.amounts if a.fiscal_year is not None]  # 前年度 / 本年度 may count people


def test_distinct_roles_after_the_years_are_columns_of_their_own():
    text = ("成果指標\n指標名 令和4年度 令和5年度 基準値 目標値 最終目標 計画値\n相談件数 120 135 100 150 180 140\n")
    assert [len(v) for _, _, v in _indicators(text)] == [6]


def test_a_decrease_of_a_funding_source_is_a_change_not_a_share():
    (project,) = extract(SourceText.from_text(_SHEET + "事業費 5,000千円（国庫補助金1,600千円の減）\n", "s.txt")).projects
    assert [(a.category, a.jpy) for a in project.amounts] == [("stated", 5_000_000), ("stated", -1_600_000)]


@pytest.mark.parametrize("prose", ["予算額は前年度より200万円多い。", "県補助金は前年度比300千円増。"])
def test_a_sum_a_word_of_increase_follows_is_a_change(prose):
    (project,) = extract(SourceText.from_text(_SHEET + prose + "\n", "s.txt")).projects
    assert [(a.label, a.jpy > 0) for a in project.amounts] == [("増減", True)]
