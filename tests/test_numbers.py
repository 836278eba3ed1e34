"""Tests for ``extract.numbers``: numbers, money and eras as Japanese documents print them."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from extract.numbers import (
    NumberFormatError,
    era_to_year,
    era_years,
    is_no_value,
    kanji_number,
    normalize,
    parse_fraction,
    parse_number,
    parse_optional_number,
    parse_yen,
    thousand_yen,
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
