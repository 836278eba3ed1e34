"""Tests for ``extract.numbers``: numbers, money and eras as Japanese documents print them."""

from __future__ import annotations

from decimal import Decimal

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policy_kg.extract.numbers import (
    UNIT_FACTORS,
    YEN_RE,
    NumberFormatError,
    UnitDeclaration,
    era_to_year,
    era_years,
    find_unit_declarations,
    fiscal_years,
    is_no_value,
    kanji_number,
    kanji_to_int,
    normalize,
    parse_fraction,
    parse_number,
    parse_optional_number,
    parse_yen,
    thousand_yen,
    unit_factor,
)

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("１５０，０８４", Decimal("150084")),
        ("4,968", Decimal("4968")),
        (" 0 ", Decimal("0")),
        ("46.5", Decimal("46.5")),
        ("▲1,200", Decimal("-1200")),
        ("△ 35", Decimal("-35")),
        ("-7", Decimal("-7")),
        ("600,000", Decimal("600000")),
    ],
)
def test_parse_number(cell: str, expected: Decimal) -> None:
    assert parse_number(cell) == expected


@pytest.mark.parametrize("cell", ["", "－", "-", "12,34", "1,2345", "abc", "4,968千円", "1.2.3"])
def test_parse_number_rejects_non_numbers(cell: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_number(cell)


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_number_round_trips_grouped_full_width_digits(n: int) -> None:
    printed = f"{n:,}"
    assert parse_number(printed) == n
    assert parse_number(printed.translate(FULL_WIDTH)) == n


@pytest.mark.parametrize("cell", ["－", "-", "―", "ー", " － "])
def test_no_value_cells_are_none_not_zero(cell: str) -> None:
    assert is_no_value(cell)
    assert parse_optional_number(cell) is None


def test_zero_is_a_value() -> None:
    assert not is_no_value("0")
    assert parse_optional_number("0") == Decimal(0)


@pytest.mark.parametrize(
    ("text", "jpy"),
    [
        ("１４億５，１６０万円", 1_451_600_000),
        ("５０億１千万円", 5_010_000_000),
        ("150,084千円", 150_084_000),
        ("１５０，０８４千円", 150_084_000),
        ("1,451,600,000 円", 1_451_600_000),
        ("121.8億円", 12_180_000_000),
        ("2,000万円以内", 20_000_000),
        ("▲1,000千円", -1_000_000),
        ("10万5千円", 105_000),
        ("支給総額は500,000円を限度", 500_000),
    ],
)
def test_parse_yen(text: str, jpy: int) -> None:
    assert parse_yen(text) == jpy


def test_parse_yen_does_not_start_inside_a_number() -> None:
    # Bug fixed: the pattern used to match "5千円" inside "12.5千円" and return 5,000.
    assert parse_yen("12.5千円") == 12_500


@pytest.mark.parametrize("text", ["千円", "円", "予算なし", "1.5円"])
def test_parse_yen_rejects(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_yen(text)


@given(st.integers(min_value=0, max_value=10**9))
def test_thousand_yen_scales_by_1000(n: int) -> None:
    assert thousand_yen(f"{n:,}") == n * 1000
    assert thousand_yen(f"{n:,}".translate(FULL_WIDTH)) == n * 1000


def test_thousand_yen_rejects_no_value() -> None:
    with pytest.raises(NumberFormatError):
        thousand_yen("－")


@pytest.mark.parametrize(
    ("text", "year"),
    [("令和５年度", 2023), ("令和元年", 2019), ("平成30年度", 2018), ("H30", 2018), ("R4", 2022),
     ("（令和2年度）", 2020), ("昭和28年", 1953), ("令和10年度", 2028)],
)
def test_era_to_year(text: str, year: int) -> None:
    assert era_to_year(text) == year


def test_era_years_in_a_header_row() -> None:
    assert era_years("年度 令和４年度令和５年度令和６年度 最終目標 検証") == [2022, 2023, 2024]
    assert era_years("項　目 R4 R5 R6 R7 R8") == [2022, 2023, 2024, 2025, 2026]


def test_era_letter_inside_a_word_is_not_an_era() -> None:
    # Bug fixed: "ＰＲ5回" used to read as 令和5 (2023).
    assert era_years("ＰＲ5回を実施") == []
    with pytest.raises(NumberFormatError):
        era_to_year("PR2件")


def test_era_with_three_digits_is_not_truncated() -> None:
    # Bug fixed: "令和123" used to read as 令和12 (2030).
    assert era_years("令和123") == []


@pytest.mark.parametrize(
    ("text", "rate"),
    [("２分の１", Decimal("0.5")), ("3分の2", Decimal("0.6667")), ("10分の10", Decimal("1")),
     ("3/4補助", Decimal("0.75")), ("100％", Decimal("1")), ("2.2%以内", Decimal("0.022"))],
)
def test_parse_fraction(text: str, rate: Decimal) -> None:
    assert parse_fraction(text) == rate


def test_parse_fraction_none_without_a_rate() -> None:
    assert parse_fraction("補助する") is None


@pytest.mark.parametrize(("text", "n"), [("四", 4), ("十", 10), ("二十一", 21), ("九十九", 99), ("〇", 0)])
def test_kanji_number(text: str, n: int) -> None:
    assert kanji_number(text) == n


@pytest.mark.parametrize("text", ["", "百", "4"])
def test_kanji_number_rejects(text: str) -> None:
    # Bug fixed: the empty string used to parse as 0.
    with pytest.raises(NumberFormatError):
        kanji_number(text)


def test_normalize_keeps_kabushiki_mark_and_triangles() -> None:
    assert normalize("イオン㈱ ▲１２") == "イオン㈱ ▲12"


# --- kanji and mixed amounts -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "jpy"),
    [
        # Bug fixed: the match started at 千 and read 五千万円 as 千万円 (10,000,000).
        ("五千万円", 50_000_000),
        # Bug fixed: 百万円 was no unit of the pattern, so this raised.
        ("1,234百万円", 1_234_000_000),
        ("１，２３４百万円", 1_234_000_000),
        ("三億二千万円", 320_000_000),
        ("二百五十万円", 2_500_000),
        ("一千万円", 10_000_000),
        ("十億円", 1_000_000_000),
        ("千五百円", 1_500),
        ("千万円", 10_000_000),
        ("十万円", 100_000),
        ("百円", 100),
        ("〇円", 0),
        ("零円", 0),
        ("二兆円", 2_000_000_000_000),
        ("一兆二千億円", 1_200_000_000_000),
        ("壱萬円", 10_000),
        ("金参阡円", 3_000),
        ("67億2,155万6千円", 6_721_556_000),
        ("６７億２，１５５万６千円", 6_721_556_000),
        ("1億5千万円", 150_000_000),
        ("5千万円", 50_000_000),
        ("12.5億円", 1_250_000_000),
        ("3.5百万円", 3_500_000),
        ("1兆2,000億円", 1_200_000_000_000),
        ("2千5百万円", 25_000_000),
        ("3億五千万円", 350_000_000),
        ("0千円", 0),
        ("総額約五千万円を計上", 50_000_000),
    ],
)
def test_parse_yen_kanji_and_mixed(text: str, jpy: int) -> None:
    assert parse_yen(text) == jpy


@pytest.mark.parametrize(
    ("text", "jpy"),
    [
        ("5,659 千円", 5_659_000),
        ("５，６５９　千円", 5_659_000),
        ("１４億　５，１６０万円", 1_451_600_000),
        ("14 億 5,160 万 円", 1_451_600_000),
        ("三億 二千万円", 320_000_000),
        ("  1,000円", 1_000),
        ("▲ 1,000千円", -1_000_000),
    ],
)
def test_parse_yen_ignores_spaces_around_units(text: str, jpy: int) -> None:
    assert parse_yen(text) == jpy


@pytest.mark.parametrize("text", ["1 2 3 千円", "1 2 3千円", "1, 000円", "12. 5千円", "R5 1,000千円"])
def test_parse_yen_digits_split_by_spaces_are_not_one_number(text: str) -> None:
    # Bug fixed: every space was dropped, so "1 2 3 千円" read as 123,000 and "R5 1,000千円" as 51,000,000.
    with pytest.raises(NumberFormatError, match="spaces"):
        parse_yen(text)


@pytest.mark.parametrize(
    ("text", "jpy"),
    [
        ("▲五千万円", -50_000_000),
        ("△1億5千万円", -150_000_000),
        ("－1,000千円", -1_000_000),
        ("-５千円", -5_000),
        (" − 3億円", -300_000_000),
        # A dash between two figures is a range, not a sign.
        ("1,000-2,000円", 2_000),
        ("予算－1,000千円", 1_000_000),
    ],
)
def test_parse_yen_sign(text: str, jpy: int) -> None:
    assert parse_yen(text) == jpy


@pytest.mark.parametrize(
    "text",
    ["千円", "百万円", "万円", "億円", "（千円）", "単位:百万円", "数千万円", "数百万円", "何千円", "千二三円",
     "1.2345千円", "0.5円", "一億.五円"],
)
def test_parse_yen_rejects_units_alone_vague_and_fractional_amounts(text: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_yen(text)


def test_parse_yen_reads_the_first_amount_with_a_number() -> None:
    # A unit before the figure (円建て, 万円から) is no amount; the figure after it is.
    assert parse_yen("万円から2,000万円に引き上げた") == 20_000_000
    assert parse_yen("（千円） 4,968千円") == 4_968_000


def test_yen_re_groups_for_callers() -> None:
    # extract/business_plan.py keeps a match only if one of oku/man/sen/rest holds a number.
    def groups(text: str) -> list[tuple[str, ...]]:
        return [tuple(g for g in ("oku", "man", "sen", "rest") if m.group(g)) for m in YEN_RE.finditer(text)]

    assert groups("五千万円") == [("man",)]
    assert [m.group(0) for m in YEN_RE.finditer("五千万円")] == ["五千万円"]
    assert groups("67億2,155万6千円") == [("oku", "man", "sen")]
    assert groups("千五百円") == [("sen", "rest")]
    assert groups("（千円）") == [()]  # the bare 円 still matches, with no number
    assert groups("数千万円") == [()]
    assert [m.group("cho") for m in YEN_RE.finditer("1兆円")] == ["1"]


# --- kanji numerals -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "n"),
    [("〇", 0), ("零", 0), ("一", 1), ("十", 10), ("十一", 11), ("二十", 20), ("百", 100), ("百一", 101),
     ("千", 1000), ("千五百", 1500), ("一千", 1000), ("九千九百九十九", 9999), ("一万", 10_000),
     ("二百五十万", 2_500_000), ("三億二千万", 320_000_000), ("十億", 1_000_000_000),
     ("一億二千三百四十五万六千七百八十九", 123_456_789), ("一兆", 10**12), ("一京", 10**16),
     ("二〇二四", 2024), ("一〇", 10), ("壱萬弐阡参拾", 12_030), ("弐拾", 20), ("１", None)],
)
def test_kanji_to_int(text: str, n: int | None) -> None:
    if n is None:
        with pytest.raises(NumberFormatError):
            kanji_to_int(text)
    else:
        assert kanji_to_int(text) == n


@pytest.mark.parametrize(
    "text", ["", "万", "億", "一億万", "百千", "十百", "千二三", "〇百", "二三百", "万一", "4", "五千円", "三 億"]
)
def test_kanji_to_int_rejects(text: str) -> None:
    with pytest.raises(NumberFormatError):
        kanji_to_int(text)


@pytest.mark.parametrize("text", ["二〇", "九十九十", "千", "百一"])
def test_kanji_number_stays_small(text: str) -> None:
    # kanji_number reads 一 … 九十九 only; a larger numeral is kanji_to_int's.
    if text == "二〇":
        assert kanji_number(text) == 20
    else:
        with pytest.raises(NumberFormatError):
            kanji_number(text)


# --- units -------------------------------------------------------------------------------------------


def test_unit_factors() -> None:
    assert dict(UNIT_FACTORS) == {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000,
                                  "億円": 100_000_000}
    with pytest.raises(TypeError):
        UNIT_FACTORS["十円"] = 10  # type: ignore[index]


@pytest.mark.parametrize(
    ("unit", "factor"),
    [("円", 1), ("千円", 1_000), ("万円", 10_000), ("百万円", 1_000_000), ("億円", 100_000_000),
     ("（千円）", 1_000), ("(千円)", 1_000), ("【単位:円】", 1), ("単位：千円", 1_000), ("(単位 千円)", 1_000),
     ("単位:百万円", 1_000_000), ("単位（千円）", 1_000), ("（単位：億円）", 100_000_000), (" 千円 ", 1_000)],
)
def test_unit_factor(unit: str, factor: int) -> None:
    assert unit_factor(unit) == factor


@pytest.mark.parametrize("unit", ["", "人", "千", "5千円", "単位:人", "ドル", "千円円"])
def test_unit_factor_rejects(unit: str) -> None:
    with pytest.raises(NumberFormatError):
        unit_factor(unit)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("単位:千円", [("千円", 1_000, "単位:千円")]),
        ("(単位:千円)", [("千円", 1_000, "(単位:千円)")]),
        ("【単位:円】", [("円", 1, "【単位:円】")]),
        ("(千円)", [("千円", 1_000, "(千円)")]),
        ("金額（円）", [("円", 1, "（円）")]),
        ("単位 千円", [("千円", 1_000, "単位 千円")]),
        ("単位：百万円", [("百万円", 1_000_000, "単位：百万円")]),
        ("財務内容 単位（千円）", [("千円", 1_000, "単位（千円）")]),
        ("（単位：億円）予算 （万円）", [("億円", 10**8, "（単位：億円）"), ("万円", 10**4, "（万円）")]),
        ("（　千円　）", [("千円", 1_000, "（　千円　）")]),
        ("5,659 千円", []),
        ("事業費 5千円", []),
        ("(5千円)", []),
        ("千円", []),
        ("単位当たり千円", []),
        ("（人）", []),
    ],
)
def test_find_unit_declarations(text: str, found: list[tuple[str, int, str]]) -> None:
    got = find_unit_declarations(text)
    assert [(d.unit, d.factor, text[d.start : d.end]) for d in got] == found
    assert all(isinstance(d, UnitDeclaration) for d in got)


def test_unit_declaration_is_frozen_and_offsets_are_of_the_text_given() -> None:
    text = "ｱｲｳ財務内容\n（単位：千円）\n令和５年度"
    (d,) = find_unit_declarations(text)
    assert (d.start, d.end) == (text.index("（"), text.index("）") + 1)
    with pytest.raises(AttributeError):
        d.factor = 1  # type: ignore[misc]


# --- era and fiscal years ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "year"),
    [("令和六年度", 2024), ("平成三十年度", 2018), ("令和元年", 2019), ("令和元年度", 2019), ("令和十年", 2028),
     ("昭和六十四年", 1989), ("平成三十一年", 2019), ("令和 二年度", 2020), ("R6", 2024), ("H30", 2018),
     ("2024(令和6)年度", 2024), ("2024（令和６）年度", 2024), ("令和６(2024)年度", 2024)],
)
def test_era_to_year_kanji_and_bracketed(text: str, year: int) -> None:
    assert era_to_year(text) == year


def test_era_years_kanji_header_and_bracketed_gregorian_counted_once() -> None:
    assert era_years("年度 令和四年度令和五年度令和六年度 最終目標") == [2022, 2023, 2024]
    assert era_years("2024(令和6)年度 2025（令和７）年度") == [2024, 2025]
    assert era_years("2024年度(令和6年度)") == [2024]
    assert era_years("令和五年度 R6 H30") == [2023, 2024, 2018]


@pytest.mark.parametrize("text", ["令和六百年", "R六", "令和百年", "第六回"])
def test_era_years_kanji_not_an_era_year(text: str) -> None:
    assert era_years(text) == []


@pytest.mark.parametrize(
    ("text", "default_era", "years"),
    [
        ("令和４年度 令和五年度 R6", None, [2022, 2023, 2024]),
        ("2017年度 2024年度", None, [2017, 2024]),
        ("２０２４年度", None, [2024]),
        ("2024(令和6)年度 2025（令和７）年度", None, [2024, 2025]),
        ("2024年度(令和6年度) 令和7(2025)年度", None, [2024, 2025]),
        ("20年度 21年度", "平成", [2008, 2009]),
        ("24年度実績 25年度計画", "平成", [2012, 2013]),
        ("24年度実績 25年度計画", "H", [2012, 2013]),
        ("5年度 6年度", "令和", [2023, 2024]),
        ("元年度 2年度", "R", [2019, 2020]),
        ("H26 H27 H28", None, [2014, 2015, 2016]),
        # No era given and none printed: a bare two-digit year cannot be placed.
        ("20年度 21年度", None, []),
        ("24年度実績 25年度計画", None, []),
        # The era of the nearest explicit era year; the printed era wins over the default.
        ("令和4年度 5年度 6年度", None, [2022, 2023, 2024]),
        ("4年度 5年度 令和6年度", None, [2022, 2023, 2024]),
        ("平成30年度 31年度 令和2年度 3年度", "昭和", [2018, 2019, 2020, 2021]),
        ("2024年度 25年度", None, [2024]),  # a Gregorian year gives no era
        ("第2年度 事業3年度目", "令和", [2021]),
        ("実施計画 最終目標", "令和", []),
    ],
)
def test_fiscal_years(text: str, default_era: str | None, years: list[int]) -> None:
    assert fiscal_years(text, default_era=default_era) == years


def test_fiscal_years_rejects_twins_that_disagree_and_unknown_eras() -> None:
    with pytest.raises(NumberFormatError):
        fiscal_years("2024(令和5)年度")
    with pytest.raises(ValueError):
        fiscal_years("24年度", default_era="大正")


# --- issue #17: a kanji year header of the budget table ----------------------------------------------


def _kanji_digits(match: re.Match[str]) -> str:
    """令和５年度 → 令和五年度 (kanjize, not the code under test, writes the numeral)."""
    from kanjize import number2kanji

    return f"{match.group(1)}{number2kanji(int(normalize(match.group(2))))}年度"


def _amounts(text: str, file_name: str) -> list[tuple[str, str, int, int | None, str | None]]:
    from policy_kg.extract.evaluation_sheet import parse_evaluation_sheet
    from policy_kg.extract.source import SourceText

    record = parse_evaluation_sheet(SourceText.from_text(text, file_name))
    return sorted((p.key, a.category, a.jpy, a.fiscal_year, a.status) for p in record.projects for a in p.amounts)


@pytest.mark.parametrize("headers", ["all", "second"])
def test_kanji_budget_year_headers_keep_every_amount(seed_sheet: Path, headers: str) -> None:
    # Issue #17: 令和六年度 was no era year, so its budget column (half the budget) was lost silently.
    text = seed_sheet.read_text(encoding="utf-8")
    header = re.compile(r"^(令和)([0-9０-９]{1,2})年度$" if headers == "all" else r"^(令和)([6６])年度$",
                        re.MULTILINE)
    kanji, replaced = header.subn(_kanji_digits, text)
    assert replaced >= 20 and "令和六年度" in kanji  # the seed prints a year header above every budget table
    original = _amounts(text, seed_sheet.name)
    assert len(original) == 174
    assert _amounts(kanji, seed_sheet.name) == original


def test_a_masked_figure_is_no_value_not_zero():
    from policy_kg.extract.numbers import is_no_value, parse_optional_number

    assert is_no_value("***") and is_no_value("＊＊＊") and is_no_value(" ** ")
    assert parse_optional_number("***") is None
    assert not is_no_value("*") and not is_no_value("3*")


def test_a_printed_increase_and_no_change_parse_as_their_figures():
    assert parse_number("+15") == Decimal(15) and parse_number("±0") == Decimal(0)
    with pytest.raises(NumberFormatError):
        parse_number("±5")  # a tolerance, no figure
