"""Tests for ``extract.evaluation_sheet``: unit tests on synthetic snippets, seed 000 end to end, and the
project's own sample sheet against its hand-written ``.expected.json``.

Expected values for seed 000 were read off the document by eye (line numbers given where useful).
"""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policy_kg.extract.evaluation_sheet import (
    looks_like_evaluation_sheet,
    parse_detail_blocks,
    parse_evaluation_sheet,
    parse_table_row,
    split_unit,
)
from policy_kg.extract.records import DocumentRecord, Project, Span, from_json, to_json
from policy_kg.extract.source import ExtractionError, SourceText, read_source

SEED_SHEET = "000_27ae6de2eb66d617.txt"
SEED_PLAN = "001_f1598f5ae4c769cb.txt"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


# --- unit tests on synthetic snippets ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "department", "division"),
    [
        ("市民生活部市民課", "市民生活部", "市民課"),
        ("市民生活部　市民課", "市民生活部", "市民課"),
        ("市民生活部・市民課", "市民生活部", "市民課"),
        ("市民生活部 市民課", "市民生活部", "市民課"),
        ("教育委員会事務局学校教育課", "教育委員会事務局", "学校教育課"),
        ("危機管理室", "危機管理室", None),
        ("市民課", "市民課", None),
    ],
)
def test_split_unit(text: str, department: str, division: str | None) -> None:
    unit = split_unit(text, Span.line(3))
    assert unit is not None
    assert (unit.department, unit.division, unit.span) == (department, division, Span.line(3))


def test_split_unit_empty() -> None:
    assert split_unit("  ", Span.line(1)) is None


def test_table_row_full() -> None:
    row = parse_table_row("7 ◎ 柱２ 8.9 12.b 里山体験推進事業 拡充 市民生活部市民課", 40)
    assert row is not None
    assert (row.number, row.priority, row.pillar, row.sdg_targets) == (7, True, 2, ["8.9", "12.b"])
    assert (row.name, row.direction, row.span) == ("里山体験推進事業", "拡充", Span.line(40))
    assert row.unit is not None and (row.unit.department, row.unit.division) == ("市民生活部", "市民課")


def test_table_row_empty_columns_and_missing_name() -> None:
    bare = parse_table_row("12 花壇管理事業 継続 市民生活部市民課", 1)
    assert bare is not None
    assert (bare.priority, bare.pillar, bare.sdg_targets, bare.name) == (False, None, [], "花壇管理事業")
    nameless = parse_table_row("３ 11.4 終了 市民生活部市民課", 2)
    assert nameless is not None
    assert (nameless.number, nameless.sdg_targets, nameless.name, nameless.direction) == (3, ["11.4"], None, "終了")


def test_table_row_keeps_inner_spacing_of_name() -> None:
    row = parse_table_row("4 公益財団法人　みなみ野基金負担金 継続 市民生活部市民課", 5)
    assert row is not None and row.name == "公益財団法人　みなみ野基金負担金"


@pytest.mark.parametrize("line", ["13-1 ある事業 市民生活部　市民課", "施策１　ある施策", "番号 事務事業名 担当部・課", ""])
def test_not_a_table_row(line: str) -> None:
    assert parse_table_row(line, 1) is None


SYNTHETIC_PAGES = """\
施策２　暮らしの安心

1

事業名 見守り推進事業 法定／自主 自主

担当部・課 福祉部・福祉課 次年度方針 継続

事業費 1,200 1,300
所要一般財源 600 650
概算人件費 300 300

2

事業名 防犯灯整備事業 法定／自主 法定

担当部・課 福祉部　福祉課 次年度方針 拡充

事業費 5,000 6,000
所要一般財源 5,000 6,000
概算人件費 80 80

概要
(目的と内容)

高齢者の見守りを行う。

財務内容
単位(千円)

令和５年度
（予算）

令和６年度
（見込み）

これまでの
取組状況

（主な取組と
成果）

・みなみ野福祉協議会と訪問した。

事業の検証
（課題認識/
今後の方針・
改善点）

・担い手を増やす。

概要
(目的と内容)

防犯灯を整備する。

財務内容
単位(千円)

令和５年度
（予算）

令和６年度
（見込み）

これまでの
取組状況

（主な取組と
成果）

・設置を進めた。

事業の検証
（課題認識/
今後の方針・
改善点）

・計画的に更新する。
 事業名 地域安全講習事業 法定／自主 自主

担当部・課 福祉部福祉課 次年度方針 新規

事業費 0 400
所要一般財源 0 400
概算人件費 0 120

概要
(目的と内容)

講習を開く。

財務内容
単位(千円)

令和５年度
（予算）

令和６年度
（見込み）
"""


def test_detail_blocks_with_a_lost_number() -> None:
    lines = tuple(SYNTHETIC_PAGES.split("\n"))
    pages = parse_detail_blocks(lines, 0, len(lines))
    assert [len(p.blocks) for p in pages] == [2, 1]
    assert pages[0].measure == 2 and pages[0].header is not None and pages[0].header[0] == "暮らしの安心"
    first, second = pages[0].blocks
    assert (first.number, first.name, first.legal_basis, first.direction) == (1, "見守り推進事業", "discretionary", "継続")
    assert (second.number, second.name, second.legal_basis, second.direction) == (2, "防犯灯整備事業", "statutory", "拡充")
    assert [(c, cells) for c, cells, _ in first.amount_rows] == [
        ("total", ["1,200", "1,300"]), ("general_fund", ["600", "650"]), ("personnel", ["300", "300"])]
    lost = pages[1].blocks[0]
    assert lost.number is None and lost.name == "地域安全講習事業"
    assert lost.unit is not None and (lost.unit.department, lost.unit.division) == ("福祉部", "福祉課")
    assert len(pages[0].groups) == 2 and len(pages[1].groups) == 1


def test_synthetic_sheet_end_to_end_numbers_the_lost_block() -> None:
    header = "\n".join([
        " 主管部局・課 福祉部　福祉課", "目指す姿", "安心して暮らせるまち", "施策２", "暮らしの安心",
        "政策分野3　福祉", "５　事務事業一覧", "施策２　暮らしの安心",
        "1 3.8 見守り推進事業 継続 福祉部福祉課", "2 ◎ 16.1 防犯灯整備事業 拡充 福祉部福祉課",
        "3 地域安全講習事業 新規 福祉部福祉課", "",
    ])
    src = SourceText.from_text(header + "\n" + SYNTHETIC_PAGES, "synthetic.txt")
    record = parse_evaluation_sheet(src)
    assert [p.key for p in record.projects] == ["m2-p1", "m2-p2", "m2-p3"]
    lost = record.project("m2-p3")
    assert lost.name == "地域安全講習事業" and lost.direction == "新規"
    assert [(a.category, a.fiscal_year, a.status, a.jpy) for a in lost.amounts] == [
        ("total", 2023, "budget", 0), ("total", 2024, "estimate", 400_000),
        ("general_fund", 2023, "budget", 0), ("general_fund", 2024, "estimate", 400_000),
        ("personnel", 2023, "budget", 0), ("personnel", 2024, "estimate", 120_000)]
    assert any(i.item == "m2-p3" and "lost its number" in i.message for i in record.issues)
    assert record.project("m2-p1").partners[0].name == "みなみ野福祉協議会"
    assert record.project("m2-p2").description == "防犯灯を整備する。"
    assert record.project("m2-p2").priority and record.project("m2-p2").sdg_targets == ["16.1"]


def test_mismatched_names_are_reported_and_kept_as_alt_names() -> None:
    text = "\n".join([
        "施策１", "まちの元気", "政策分野1　産業", "５　事務事業一覧", "施策１　まちの元気",
        "1 商店街振興事業 継続 産業部商工課", "", "施策１　まちの元気", "", "1", "",
        "事業名 商店街にぎわい事業 法定／自主 自主", "担当部・課 産業部・商工課 次年度方針 継続",
        "事業費 10 10", "所要一般財源 10 10", "概算人件費 1 1",
    ])
    record = parse_evaluation_sheet(SourceText.from_text(text, "mismatch.txt"))
    project = record.project("m1-p1")
    assert project.name == "商店街振興事業" and project.alt_names == ["商店街にぎわい事業"]
    assert any(i.item == "m1-p1" and "name differs" in i.message for i in record.issues)


def test_looks_like() -> None:
    assert not looks_like_evaluation_sheet(SourceText.from_text("ただの文章です。\n二行目。"))
    with pytest.raises(ExtractionError):
        parse_evaluation_sheet(SourceText.from_text("ただの文章です。"))


FRAGMENTS = [
    "", "施策１", "施策２　名前", "政策分野12　中小企業", "５　事務事業一覧", "１　政策分野の進捗状況",
    "1", "2", "事業名 ある事業 法定／自主 自主", " 事業名 法定／自主 法定", "担当部・課 甲部・乙課 次年度方針 継続",
    "事業費 1 2", "所要一般財源 －", "概算人件費 1,000 x", "概要", "(目的と内容)", "財務内容", "令和５年度",
    "（予算）", "これまでの", "取組状況", "事業の検証", "ロジック", "モデル", "成果の推移", "項　目 R4 R5",
    "3 - -", "年度 令和４年度令和５年度", "目標 1 2 3 4 5", "実績 －", "216,406", "（令和2年度）",
    "柱１　ある柱", "1 ◎ 柱9 8.1 名 継続 甲部乙課", "13-1 名 甲部　乙課", "３　関連する政策分野と事務事業",
    "政策目標３．甲/政策３．乙", "事業実績 短期成果 中期成果 最終成果", "※注記", "会津ABC協会と連携",
]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=60))
def test_odd_input_never_crashes(lines: list[str]) -> None:
    src = SourceText.from_text("\n".join(lines), "fuzz.txt")
    try:
        record = parse_evaluation_sheet(src)
    except ExtractionError:
        return
    errors = [i for i in record.issues if i.severity == "error"]
    assert errors == []


# --- seed 000 end to end -------------------------------------------------------------------------------


@functools.cache
def _parse_once(path: str) -> tuple[SourceText, DocumentRecord]:
    src = read_source(path)
    return src, parse_evaluation_sheet(src)


@pytest.fixture
def seed_record(seed_path) -> tuple[SourceText, DocumentRecord]:
    """Seed 000 and its record (parsed once; tests only read it)."""
    return _parse_once(str(seed_path(SEED_SHEET)))


# (measure, number): name, SDG targets, pillar, priority, direction — the project table, lines 305-367.
SEED_PROJECTS: dict[tuple[int, int], tuple[str, list[str], int | None, bool, str]] = {
    (1, 1): ("地場産業振興事業費（会津漆器産業従事者支援補助金）", ["11.4"], None, False, "新規"),
    (1, 2): ("会津漆器技術後継者訓練校運営補助金", ["11.4"], None, False, "継続"),
    (1, 3): ("会津漆器技術後継者訓練奨励金", ["11.4"], 1, False, "継続"),
    (1, 4): ("会津漆器技術後継者の育成、自立及び産地定着支援事業補助金", ["11.4"], 1, False, "継続"),
    (1, 5): ("会津酒造技術後継者育成協議会負担金", ["11.4"], None, False, "継続"),
    (1, 6): ("会津漆器販路拡大事業実行委員会負担金", ["8.1"], None, False, "終了"),
    (1, 7): ("会津清酒消費拡大推進事業", ["8.1"], None, False, "継続"),
    (1, 8): ("地場産業振興事業", ["8.1"], None, False, "継続"),
    (1, 9): ("地場産業動向調査", ["8.1"], None, False, "継続"),
    (1, 10): ("一般財団法人伝統的工芸品産業振興協会負担金", ["8.1"], None, False, "継続"),
    (1, 11): ("「第40回日本伝統漆芸展in会津」実行委員会負担金", ["11.4"], None, False, "終了"),
    (1, 12): ("会津町方伝承館管理運営事業", [], None, False, "継続"),
    (1, 13): ("会津漆器協同組合融資制度預託金", [], None, False, "継続"),
    (1, 14): ("会津ブランドものづくりフェア", [], None, True, "継続"),
    (1, 15): ("県溶接技術協議会負担金", ["11.4"], None, False, "継続"),
    (1, 16): ("会津若松市少年少女発明クラブ負担金", [], None, False, "継続"),
    (2, 1): ("桜咲く会津プロジェクト推進事業", ["8.1"], None, False, "継続"),
    (2, 2): ("会津地域経済循環推進協議会負担金", ["8.1"], None, False, "継続"),
    (2, 3): ("日本貿易振興機構福島貿易情報センター負担金", [], None, False, "継続"),
    (2, 4): ("福島県貿易促進協議会負担金", [], None, False, "継続"),
    (2, 5): ("会津若松市循環型地域経済活性化奨励金支給事業", [], None, False, "継続"),
    (3, 1): ("会津若松商工会議所補助金", ["8.3"], 1, False, "継続"),
    (3, 2): ("あいづ商工会補助金", ["8.3"], 1, False, "継続"),
    (3, 3): ("会津若松中小企業相談所補助金", ["8.3"], 1, False, "継続"),
    (3, 4): ("市中小企業未来資金保証融資制度預託金", ["8.3"], 1, False, "継続"),
    (3, 5): ("市中小企業未来資金保証融資制度信用保証料補助金", ["8.3"], 1, True, "継続"),
    (3, 6): ("会津若松経営品質協議会負担金", ["8.3"], 1, False, "継続"),
    (3, 7): ("計量業務", [], None, False, "継続"),
    (3, 8): ("中小企業・小規模企業未来会議", [], 1, False, "継続"),
}

# (measure, number): 事業費 R5 R6, 所要一般財源 R5 R6, 概算人件費 R5 R6 in 千円, as printed on the detail sheets.
SEED_BUDGETS: dict[tuple[int, int], tuple[int, int, int, int, int, int]] = {
    (1, 1): (0, 4968, 0, 4968, 0, 1498), (1, 2): (2500, 2500, 2500, 2500, 113, 113),
    (1, 3): (2592, 2592, 2592, 2592, 113, 113), (1, 4): (1960, 1960, 1960, 1960, 375, 375),
    (1, 5): (260, 260, 260, 260, 75, 75), (1, 6): (2093, 0, 2093, 0, 1124, 0),
    (1, 7): (1088, 1700, 1088, 1700, 375, 375), (1, 8): (2262, 2462, 2262, 2462, 375, 375),
    (1, 9): (38, 38, 38, 38, 188, 188), (1, 10): (50, 50, 50, 50, 38, 38),
    (1, 11): (0, 0, 0, 0, 1151, 0), (1, 12): (8915, 8915, 8915, 8915, 375, 375),
    (1, 13): (10000, 10000, 10000, 10000, 38, 38), (1, 14): (6500, 7000, 6500, 7000, 1011, 1011),
    (1, 15): (30, 30, 30, 30, 113, 113), (1, 16): (150, 150, 150, 150, 2247, 2247),
    (2, 1): (10561, 10561, 10561, 10561, 7189, 7189), (2, 2): (230, 231, 230, 231, 3744, 3744),
    (2, 3): (346, 346, 346, 346, 38, 38), (2, 4): (22, 22, 22, 22, 38, 38),
    (2, 5): (713, 713, 713, 713, 337, 337), (3, 1): (3600, 3600, 3600, 3600, 113, 113),
    (3, 2): (6422, 6422, 6422, 6422, 113, 113), (3, 3): (4775, 4775, 4775, 4775, 113, 113),
    (3, 4): (600000, 600000, 600000, 600000, 113, 113), (3, 5): (20400, 20400, 20400, 20400, 674, 674),
    (3, 6): (250, 250, 250, 250, 3799, 3799), (3, 7): (4400, 6530, 4400, 6530, 225, 225),
    (3, 8): (298, 298, 298, 298, 749, 749),
}


def _budget(project: Project) -> tuple[int, ...]:
    by = {(a.category, a.fiscal_year, a.status): a.jpy for a in project.amounts}
    return tuple(
        by[(category, year, status)] // 1000
        for category in ("total", "general_fund", "personnel")
        for year, status in ((2023, "budget"), (2024, "estimate"))
    )


def test_seed_counts(seed_record) -> None:
    _, record = seed_record
    assert record.layout == "evaluation_sheet"
    assert len(record.projects) == 29
    per_measure = [sum(1 for p in record.projects if p.parents == [f"m{m}"]) for m in (1, 2, 3)]
    assert per_measure == [16, 5, 8]
    assert sum(p.priority for p in record.projects) == 2
    assert len(record.related_projects) == 2
    assert [k.key for k in record.indicators] == ["kpi-1", "kpi-2"]
    assert [i for i in record.issues if i.severity == "error"] == []


def test_seed_document_level(seed_record) -> None:
    src, record = seed_record
    assert (record.title, record.fiscal_year, record.publisher) == ("政策分野12 中小企業", 2023, "会津若松市")
    assert (record.doc_id, record.line_count, record.content_hash) == (src.doc_id, len(src.lines), src.content_hash)
    assert record.strategy_pillars.keys() == {1, 2, 3, 4}
    assert record.strategy_pillars[1].startswith("ICT")


def test_seed_hierarchy(seed_record) -> None:
    _, record = seed_record
    goal, policy, field = record.element("goal-3"), record.element("policy-3"), record.element("field-12")
    assert (goal.level, goal.number, goal.parent, goal.span) == ("policy_goal", "3", None, Span.line(53))
    assert (policy.level, policy.number, policy.parent) == ("policy", "3", "goal-3")
    assert (field.level, field.number, field.name, field.parent) == ("policy_field", "12", "中小企業", "policy-3")
    assert field.unit is not None and (field.unit.department, field.unit.division) == ("観光商工部", "商工課")
    assert field.vision is not None and field.vision.endswith("まち")
    measures = [e for e in record.elements if e.level == "measure"]
    assert [(m.key, m.number, m.parent) for m in measures] == [
        ("m1", "1", "field-12"), ("m2", "2", "field-12"), ("m3", "3", "field-12")]
    m1 = record.element("m1")
    assert (m1.name, m1.alt_names) == ("地場産業の振興", ["地場産業の推進"])
    # Measure 3 is printed 経済基盤 once (header) and 経営基盤 three times: the majority spelling wins.
    assert (record.element("m3").name, record.element("m3").alt_names) == ("経営基盤の強化", ["経済基盤の強化"])
    # The three contents paragraphs (lines 59-67) belong to measures 1..3 in order.
    assert [(m.description or "")[:2] for m in measures] == ["技術", "異業", "関係"]
    assert all("\n" not in (m.description or "x") for m in measures)


def test_seed_projects_table_facts(seed_record) -> None:
    _, record = seed_record
    got = {
        (int(p.parents[0][1:]), int(p.number)): (p.name, p.sdg_targets, p.pillar, p.priority, p.direction)
        for p in record.projects
    }
    assert got == SEED_PROJECTS
    for p in record.projects:
        assert p.key == f"{p.parents[0]}-p{p.number}"
        assert p.unit is not None and (p.unit.department, p.unit.division) == ("観光商工部", "商工課")


def test_seed_legal_basis(seed_record) -> None:
    _, record = seed_record
    statutory = [p.key for p in record.projects if p.legal_basis == "statutory"]
    assert statutory == ["m3-p7"]
    assert all(p.legal_basis == "discretionary" for p in record.projects if p.key != "m3-p7")


def test_seed_budgets(seed_record) -> None:
    _, record = seed_record
    got = {(int(p.parents[0][1:]), int(p.number)): _budget(p) for p in record.projects}
    assert got == SEED_BUDGETS
    m3p4 = record.project("m3-p4")
    totals = [a for a in m3p4.amounts if a.category == "total"]
    assert [(a.jpy, a.printed, a.span) for a in totals] == [
        (600_000_000, "600,000千円", Span.line(1642)), (600_000_000, "600,000千円", Span.line(1642))]
    m1p11 = {(a.category, a.fiscal_year): a for a in record.project("m1-p11").amounts}
    assert (m1p11[("personnel", 2023)].printed, m1p11[("personnel", 2024)].jpy) == ("1,151千円", 0)


def test_seed_amounts_carry_the_line_they_were_printed_on(seed_record) -> None:
    src, record = seed_record
    for p in record.projects:
        assert len(p.amounts) == 6, p.key
        for a in p.amounts:
            assert a.span.start == a.span.end
            assert a.printed.removesuffix("千円") in src.line(a.span.start).split(), (p.key, a)


def test_seed_kpis(seed_record) -> None:
    src, record = seed_record
    kpi1, kpi2 = record.indicators
    assert (kpi1.name, kpi1.unit, kpi1.kind, kpi1.description) == ("製造業出荷額（年間）", "百万円", "kpi", None)
    assert (kpi2.name, kpi2.unit) == ("地場産業製造出荷額（年間）", "百万円")
    assert record.indicator_owners == {"kpi-1": "field-12", "kpi-2": "field-12"}

    def values(ind):
        return [(v.role, v.fiscal_year, v.value, v.printed) for v in ind.values]

    assert values(kpi1) == [
        ("target", 2022, Decimal(222410), "222,410"), ("target", 2023, Decimal(223680), "223,680"),
        ("target", 2024, Decimal(224960), "224,960"), ("final_target", None, Decimal(227500), "227,500"),
        ("actual", 2022, None, "－"), ("actual", 2023, None, "－"),
        ("baseline", 2020, Decimal(216406), "216,406"),
    ]
    assert values(kpi2) == [
        ("target", 2022, Decimal(8939), "8,939"), ("target", 2023, Decimal(9174), "9,174"),
        ("target", 2024, Decimal(9415), "9,415"), ("final_target", None, Decimal(9919), "9,919"),
        ("actual", 2022, None, "－"), ("actual", 2023, None, "－"), ("actual", 2024, None, "－"),
    ]
    for ind in (kpi1, kpi2):
        for v in ind.values:
            assert v.printed in src.line(v.span.start), (ind.key, v)


def test_seed_logic_model_and_outcomes(seed_record) -> None:
    _, record = seed_record
    p1 = record.project("m1-p1")
    assert [(s.step, s.stage) for s in p1.logic_model] == [
        (1, "activity"), (2, "short_term"), (3, "mid_term"), (4, "final")]
    assert [(s.span.start, s.span.end) for s in p1.logic_model] == [(455, 458), (460, 462), (464, 466), (468, 471)]
    assert p1.logic_model[0].statement.endswith("交付する。")  # joined over the 4 wrapped lines
    assert [p.key for p in record.projects if p.logic_model] == ["m1-p1"]
    out1, out2 = p1.indicators
    assert (out1.kind, out1.name, out1.unit, out1.span) == ("outcome", "会津漆器協同組合員数", "事業所", Span.line(417))
    assert (out2.name, out2.unit) == ("訓練校修了生の市内定着率", "％")
    assert [(v.role, v.fiscal_year, v.value) for v in out1.values] == [
        ("actual", 2022, Decimal(98)), ("actual", 2023, None), ("actual", 2024, None),
        ("actual", 2025, None), ("actual", 2026, None)]
    assert out2.values[0].value == Decimal("46.5")


def test_seed_related_projects(seed_record) -> None:
    _, record = seed_record
    got = [(r.code, r.name, r.unit.department if r.unit else None, r.unit.division if r.unit else None)
           for r in record.related_projects]
    assert got == [("13-1", "企業誘致促進事業", "観光商工部", "企業立地課"),
                   ("14-1", "各種雇用・就職支援事業", "観光商工部", "商工課")]


def test_seed_descriptions_follow_block_order(seed_record) -> None:
    _, record = seed_record
    # Page 5/6/7 (lines 645-794): the three 概要 sections go to blocks 5, 6, 7 in order.
    assert "酒造技術" in (record.project("m1-p5").description or "")
    assert "展示" in (record.project("m1-p6").description or "")
    assert "会津清酒" in (record.project("m1-p7").description or "")
    assert "預託" in (record.project("m1-p13").description or "")
    assert all(p.description for p in record.projects)


def _issues(record: DocumentRecord, item: str | None = None, severity: str | None = None) -> list:
    return [i for i in record.issues if (item is None or i.item == item) and (severity is None or i.severity == severity)]


def test_seed_displaced_cells_are_reported(seed_record) -> None:
    _, record = seed_record
    table_fix = [i for i in _issues(record, "m1-p11", "uncertain") if "project table" in i.message]
    assert len(table_fix) == 1 and table_fix[0].span is not None and table_fix[0].span.end == 386
    sheet_fix = [i for i in _issues(record, "m1-p11", "uncertain") if "empty 事業名" in i.message]
    assert len(sheet_fix) == 1 and sheet_fix[0].span is not None and sheet_fix[0].span.end == 967
    lost_numbers = sorted(i.item for i in record.issues if "lost its number" in i.message)
    assert lost_numbers == ["m1-p11", "m1-p5", "m1-p8", "m3-p4", "m3-p7"]
    assert any("fiscal year(s) 2024 have no cell" in i.message for i in _issues(record, "kpi-1", "uncertain"))
    assert any("no baseline" in i.message for i in _issues(record, "kpi-2", "uncertain"))
    assert not any("no baseline" in i.message for i in _issues(record, "kpi-1"))
    assert any("without its label" in i.message for i in _issues(record, "m1-p1", "uncertain"))
    assert any(i.span == Span.line(411) for i in _issues(record, severity="info"))
    assert _issues(record, severity="dropped") == []


def test_seed_record_round_trips_through_json(seed_record) -> None:
    _, record = seed_record
    assert from_json(DocumentRecord, json.loads(json.dumps(to_json(record)))) == record


def test_seed_layout_detection(seed_path) -> None:
    assert looks_like_evaluation_sheet(read_source(seed_path(SEED_SHEET)))
    assert not looks_like_evaluation_sheet(read_source(seed_path(SEED_PLAN)))


# --- the project's sample sheet ---------------------------------------------------------------------------

SAMPLE_SHEETS = sorted(SAMPLES.glob("*evaluation*.txt"))


def test_sample_sheets_exist() -> None:
    # Guards the parametrised test below from silently testing nothing.
    assert SAMPLE_SHEETS, f"no samples/*evaluation*.txt in {SAMPLES}"


@pytest.mark.parametrize("path", SAMPLE_SHEETS, ids=lambda p: p.name)
def test_sample_reproduces_expected_facts(path: Path) -> None:
    expected_path = path.with_name(path.stem + ".expected.json")
    assert expected_path.is_file(), f"{expected_path.name} missing next to {path.name}"
    exp = json.loads(expected_path.read_text(encoding="utf-8"))
    record = parse_evaluation_sheet(read_source(path))
    assert record.layout == exp["layout"]
    assert [i for i in record.issues if i.severity == "error"] == []

    goal = next(e for e in record.elements if e.level == "policy_goal")
    policy = next(e for e in record.elements if e.level == "policy")
    field = next(e for e in record.elements if e.level == "policy_field")
    assert {"number": goal.number, "name": goal.name} == exp["policy_goal"]
    assert {"number": policy.number, "name": policy.name} == exp["policy"]
    assert field.unit is not None
    assert {"number": field.number, "name": field.name, "vision": field.vision,
            "department": field.unit.department, "division": field.unit.division} == exp["policy_field"]
    measures = [{"number": e.number, "name": e.name, "alt_names": e.alt_names}
                for e in record.elements if e.level == "measure"]
    assert measures == exp["measures"]

    kpis = [{"name": k.name, "unit": k.unit,
             "values": [{"role": v.role, "fiscal_year": v.fiscal_year,
                         "value": None if v.value is None else str(v.value), "printed": v.printed}
                        for v in k.values]}
            for k in record.indicators]
    assert kpis == exp["kpis"]
    assert {str(k): v for k, v in record.strategy_pillars.items()} == exp["strategy_pillars"]

    projects = []
    for p in record.projects:
        assert p.unit is not None
        projects.append({
            "measure": p.parents[0][1:], "number": p.number, "name": p.name, "sdg_targets": p.sdg_targets,
            "pillar": p.pillar, "priority": p.priority, "direction": p.direction, "legal_basis": p.legal_basis,
            "department": p.unit.department, "division": p.unit.division,
            "budgets": [{"fiscal_year": a.fiscal_year, "category": a.category, "status": a.status,
                         "amount_jpy": a.jpy} for a in p.amounts],
            "partners": [o.name for o in p.partners],
        })
    assert projects == exp["projects"]

    lm = exp["logic_model"]
    measure, number = lm["project"].split("-")
    lm_project = record.project(f"m{measure}-p{number}")
    assert [s.statement for s in lm_project.logic_model] == lm["stages"]
    # The expected file lists only printed values; "-" cells are kept here as no-value entries (see report).
    indicators = [{"name": i.name, "unit": i.unit,
                   "values": [{"role": v.role, "fiscal_year": v.fiscal_year, "value": str(v.value),
                               "printed": v.printed} for v in i.values if v.value is not None]}
                  for i in lm_project.indicators]
    assert indicators == [{k: v for k, v in i.items() if k != "stage"} for i in lm["indicators"]]

    related = [{"code": r.code, "name": r.name, "department": r.unit.department if r.unit else None,
                "division": r.unit.division if r.unit else None} for r in record.related_projects]
    assert related == exp["related_projects"]
    # Every expected organisation is found; the record may name more (e.g. from project names).
    assert set(exp["organisations"]) <= {o.name for o in record.organisations}
