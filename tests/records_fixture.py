"""A small, hand-made DocumentRecord (a fictional town) for builder and query tests.

It exercises every kind of record without depending on a layout parser.
"""

from __future__ import annotations

from decimal import Decimal

from policy_kg.extract.records import (
    Amount,
    DocumentRecord,
    ExtractionIssue,
    FundingSource,
    GrantCondition,
    Indicator,
    IndicatorValue,
    LogicStage,
    Organisation,
    PolicyElement,
    Project,
    RelatedProject,
    Span,
    SubProject,
    Unit,
)

L = Span.line


def town_sheet() -> DocumentRecord:
    unit = Unit("産業部", "商業課", L(1))
    r = DocumentRecord(
        doc_id="town-sheet",
        file_name="town-sheet.txt",
        layout="evaluation_sheet",
        content_hash="0" * 64,
        line_count=200,
        title="政策分野5 商業",
        publisher="さくら町",
        fiscal_year=2023,
    )
    r.elements = [
        PolicyElement("goal-2", "policy_goal", "にぎわいのあるまち", L(10), number="2"),
        PolicyElement("policy-2", "policy", "商業の活性化", L(10), number="2", parent="goal-2"),
        PolicyElement("field-5", "policy_field", "商業", L(12), number="5", parent="policy-2",
                      vision="商店街がにぎわうまち", unit=unit),
        PolicyElement("m1", "measure", "商店街の振興", L(20), number="1", parent="field-5",
                      alt_names=["商店街の推進"]),
        PolicyElement("m2", "measure", "起業の支援", L(22), number="2", parent="field-5"),
    ]
    kpi = Indicator("kpi-1", "空き店舗数", "kpi", L(30), unit="件", values=[
        IndicatorValue("target", Decimal("12"), "12", L(32), fiscal_year=2022),
        IndicatorValue("actual", None, "－", L(33), fiscal_year=2022),
        IndicatorValue("final_target", Decimal("10.5"), "10.5", L(32)),
        IndicatorValue("baseline", Decimal("15"), "15", L(40), fiscal_year=2020),
    ])
    r.indicators = [kpi]
    r.indicator_owners = {"kpi-1": "field-5"}
    p1 = Project(
        "m1-p1", "1", "商店街イベント補助金", L(100),
        parents=["m1"], sdg_targets=["8.3", "11.4"], pillar=1, priority=True, direction="継続",
        legal_basis="discretionary", unit=unit, description="商店街のイベントを補助する。",
        amounts=[
            Amount("total", 1_500_000, "1,500", L(105), fiscal_year=2023, status="budget"),
            Amount("general_fund", 1_000_000, "1,000", L(106), fiscal_year=2023, status="budget"),
            Amount("personnel", 375_000, "375", L(107), fiscal_year=2023, status="budget"),
            Amount("total", 0, "0", L(105), fiscal_year=2024, status="estimate"),
        ],
        logic_model=[
            LogicStage(1, "activity", "補助金を交付する。", L(110)),
            LogicStage(2, "short_term", "イベントが開かれる。", L(111)),
            LogicStage(3, "mid_term", "来街者が増える。", L(112)),
            LogicStage(4, "final", "商店街がにぎわう。", L(113)),
        ],
        partners=[Organisation("さくら町商工会", "partner", L(115)),
                  Organisation("一般社団法人さくら町観光協会", "partner", L(116))],
    )
    p2 = Project(
        "m2-p1", "1", "起業支援事業", L(120), parents=["m2", "m1"], direction="休止", legal_basis="statutory",
        amounts=[Amount("total", 2_000_000, "２，０００千円", L(121), fiscal_year=2023, status="budget",
                        funding=(FundingSource("県補助金", "県", "補助金", L(121)),), confidence=0.6)],
        conditions=[GrantCondition(L(122), label="起業助成", rate_text="2分の1以内", rate=Decimal("0.5"),
                                   ceiling=Amount("grant_ceiling", 500_000, "500千円", L(122)))],
        sub_projects=[SubProject("m2-p1-s1", "①", "起業相談", L(123), indicators=[
            Indicator("m2-p1-s1-ind-1", "相談件数", "activity", L(124), unit="件", values=[
                IndicatorValue("plan", Decimal("40"), "40", L(124), fiscal_year=2024, qualifier="国内"),
                IndicatorValue("plan", Decimal("7"), "7", L(125), fiscal_year=2024, qualifier="外国"),
            ])])],
    )
    r.projects = [p1, p2]
    r.related_projects = [RelatedProject("6-1", "観光振興事業", L(60), Unit("産業部", "観光課", L(60)))]
    r.strategy_pillars = {1: "しごとをつくる"}
    r.issues = [ExtractionIssue("uncertain", "amount associated by position", L(121), "m2-p1")]
    return r
