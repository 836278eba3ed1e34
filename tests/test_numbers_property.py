"""Property tests for ``extract.numbers`` against an independent converter (the ``kanjize`` package).

kanjize writes the kanji numeral of an int; the code under test must read it back. The mixed forms
(67億2,155万6千円) are built here from random parts, so their value is known without the parser.
"""

from __future__ import annotations

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from kanjize import KanjizeConfiguration, KanjizeStyle, KanjizeZero, number2kanji

from policy_kg.extract.numbers import (
    UNIT_FACTORS,
    NumberFormatError,
    era_to_year,
    era_years,
    find_unit_declarations,
    fiscal_years,
    kanji_to_int,
    parse_yen,
)

# Hypothesis' deadline would make a slow shared machine fail tests: no timed assertions.
PROFILE = settings(deadline=None)

FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")
AMOUNTS = st.integers(min_value=0, max_value=10**16)
# A unit printed alone (千円, 百万円) is a unit, not an amount (tests/test_numbers.py).
UNITS_ALONE = {unit.removesuffix("円") for unit in UNIT_FACTORS}
ERAS = {"令和": (2018, 30), "平成": (1988, 31), "昭和": (1925, 64)}


def _yen_or_unit(kanji: str, n: int) -> None:
    """``kanji`` + 円 reads as ``n``, unless it is a unit alone, which is no amount."""
    if kanji in UNITS_ALONE:
        with pytest.raises(NumberFormatError):
            parse_yen(kanji + "円")
    else:
        assert parse_yen(kanji + "円") == n


@PROFILE
@given(AMOUNTS)
@example(0)
@example(10**16)
@example(1_000_000)
@example(100_010_000)
def test_kanjize_kanji_amount_parses_back(n: int) -> None:
    kanji = number2kanji(n)
    assert kanji_to_int(kanji) == n
    _yen_or_unit(kanji, n)


@PROFILE
@given(AMOUNTS, st.sampled_from([KanjizeZero.SIGN, KanjizeZero.KANJI]))
def test_kanjize_formal_digits_and_zero_signs_parse_back(n: int, zero: KanjizeZero) -> None:
    daiji = number2kanji(n, config=KanjizeConfiguration(use_daiji=True, zero=zero))
    assert kanji_to_int(daiji) == n
    _yen_or_unit(daiji, n)


@PROFILE
@given(AMOUNTS, st.booleans())
def test_kanjize_mixed_amount_parses_back(n: int, kanji_thousand: bool) -> None:
    mixed = number2kanji(n, config=KanjizeConfiguration(style=KanjizeStyle.MIXED, kanji_thousand=kanji_thousand))
    assert parse_yen(mixed + "円") == n
    assert parse_yen("▲" + mixed + "円") == -n


@PROFILE
@given(st.integers(min_value=0, max_value=10**12))
def test_kanjize_positional_digits_parse_back(n: int) -> None:
    flat = number2kanji(n, config=KanjizeConfiguration(style=KanjizeStyle.FLAT))
    assert kanji_to_int(flat) == n


@st.composite
def mixed_amounts(draw: st.DrawFn) -> tuple[str, int]:
    """A printed amount of random 億/万/千/rest parts with comma-grouped digits, and its value."""
    oku = draw(st.integers(0, 99_999))
    man = draw(st.integers(0, 9_999))
    sen = draw(st.integers(0, 9))
    rest = draw(st.integers(0, 999))
    space = draw(st.sampled_from(["", " ", "\u3000"]))  # around units only
    parts = []
    if oku:
        parts.append(f"{oku:,}{space}億")
    if man:
        parts.append(f"{man:,}{space}万")
    if sen:
        parts.append(f"{sen}{space}千")
    if rest or not parts:
        parts.append(f"{rest:,}")
    text = space.join(parts) + space + "円"
    if draw(st.booleans()):
        text = text.translate(FULL_WIDTH)
    return text, oku * 10**8 + man * 10**4 + sen * 1000 + rest


@PROFILE
@given(mixed_amounts(), st.sampled_from(["", "▲", "△"]))
@example(("67億2,155万6千円", 6_721_556_000), "")
def test_mixed_parts_parse_to_their_sum(amount: tuple[str, int], sign: str) -> None:
    text, value = amount
    assert parse_yen(sign + text) == (-value if sign else value)
    assert parse_yen(f"事業費 {sign}{text}（県補助金）") == (-value if sign else value)


@PROFILE
@given(st.integers(0, 10**9), st.sampled_from(sorted(UNIT_FACTORS)), st.booleans())
def test_grouped_digits_in_every_unit(n: int, unit: str, full_width: bool) -> None:
    text = f"{n:,}{unit}"
    assert parse_yen(text.translate(FULL_WIDTH) if full_width else text) == n * UNIT_FACTORS[unit]


@PROFILE
@given(st.integers(0, 99_999), st.integers(1, 9), st.sampled_from(["億", "百万", "万", "千"]))
def test_decimal_coefficients(whole: int, tenth: int, unit: str) -> None:
    factor = {"億": 10**8, "百万": 10**6, "万": 10**4, "千": 1000}[unit]
    expected = whole * factor + tenth * factor // 10
    assert parse_yen(f"{whole:,}.{tenth}{unit}円") == expected


@PROFILE
@given(st.integers(1, 999), st.integers(1, 999), st.sampled_from(["千円", "円", "億円"]))
def test_digits_split_by_spaces_never_read_as_one_number(a: int, b: int, unit: str) -> None:
    with pytest.raises(NumberFormatError):
        parse_yen(f"{a} {b}{unit}")


@PROFILE
@given(st.sampled_from(sorted(ERAS)), st.data())
def test_kanji_and_digit_era_years(era: str, data: st.DataObject) -> None:
    base, last = ERAS[era]
    n = data.draw(st.integers(1, last))
    kanji = number2kanji(n)
    assert era_to_year(f"{era}{kanji}年度") == base + n
    assert era_years(f"{era}{str(n).translate(FULL_WIDTH)}年度 {era}{kanji}年") == [base + n, base + n]
    bracketed = f"{base + n}（{era}{str(n).translate(FULL_WIDTH)}）年度"
    assert era_years(bracketed) == [base + n]
    assert fiscal_years(bracketed) == [base + n]


@PROFILE
@given(st.lists(st.integers(1, 30), min_size=1, max_size=6), st.sampled_from(["令和", "平成", "R", "H"]))
def test_bare_fiscal_years_take_the_given_era(numbers: list[int], era: str) -> None:
    base = 2018 if era in ("令和", "R") else 1988
    header = " ".join(f"{n}年度" for n in numbers)
    assert fiscal_years(header) == []
    assert fiscal_years(header, default_era=era) == [base + n for n in numbers]
    assert fiscal_years(f"{era}{numbers[0]}年度 " + header) == [base + numbers[0]] + [base + n for n in numbers]


DECLARATIONS = ["(千円)", "（円）", "(単位:千円)", "【単位:円】", "単位 千円", "単位：百万円", "（単位：万円）",
                "単位（億円）"]
FILLER = st.text(alphabet="財務内容予算決算事業費年度令和５６ 　\n", max_size=12)


@PROFILE
@given(FILLER, st.sampled_from(DECLARATIONS), FILLER)
def test_one_declaration_found_where_printed(before: str, declaration: str, after: str) -> None:
    assume(not after.startswith(("円", "千", "万", "百", "億")))
    text = before + declaration + after
    (found,) = find_unit_declarations(text)
    assert (found.start, found.end) == (len(before), len(before) + len(declaration))
    assert found.unit in declaration and found.factor == UNIT_FACTORS[found.unit]


@PROFILE
@given(st.integers(0, 10**9), st.sampled_from(sorted(UNIT_FACTORS)), st.sampled_from(["", " ", "\u3000"]))
def test_an_amount_is_no_declaration(n: int, unit: str, space: str) -> None:
    assert find_unit_declarations(f"事業費 {n:,}{space}{unit}") == []
