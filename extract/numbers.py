"""Numbers, money and eras as Japanese policy documents print them.

This module is the one place that knows how a Japanese document prints a number: Arabic digits
(half- or full-width, thousands commas), kanji numerals (三億二千万, 二百五十), the two mixed
(67億2,155万6千円, 1,234百万円, 12.5億円), units and unit declarations (千円, （単位:千円）), and
years (令和六年度, H30, 2024（令和6）年度, 24年度 beside an explicit era).

>>> parse_number("１５０，０８４")
Decimal('150084')
>>> parse_yen("１４億５，１６０万円")
1451600000
>>> parse_yen("150,084千円")
150084000
>>> parse_yen("三億二千万円")
320000000
>>> kanji_to_int("二百五十万")
2500000
>>> era_to_year("令和５年度")
2023
>>> fiscal_years("24年度実績 25年度計画", default_era="平成")
[2012, 2013]
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from types import MappingProxyType

#: Cells that mean "no value" (not zero).
NO_VALUE = frozenset({"－", "-", "―", "‐", "—", "−", "ー", "–"})
_NEGATIVE = ("▲", "△")

# Kanji digits, with the formal 大字 (壱弐参 …) that receipts and deeds print.
_KANJI_DIGITS = {
    "〇": 0, "零": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
    "壱": 1, "壹": 1, "弐": 2, "貳": 2, "参": 3, "參": 3, "肆": 4, "伍": 5, "陸": 6, "漆": 7, "捌": 8,
    "玖": 9,
}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "阡": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12, "京": 10**16}
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_ERA_NAME = {"R": "令和", "H": "平成", "S": "昭和", "令和": "令和", "平成": "平成", "昭和": "昭和"}

#: The units an amount or a table may be printed in, as a factor to yen.
UNIT_FACTORS: Mapping[str, int] = MappingProxyType(
    {"円": 1, "千円": 1_000, "万円": 10_000, "百万円": 1_000_000, "億円": 100_000_000}
)

NUMBER_RE = re.compile(r"[▲△]?\d[\d,]*(?:\.\d+)?")

# --- the grammar of a printed amount ------------------------------------------------------------
# Spaces may stand around a unit (5,659 千円, 14億 5,160万円), never between two digits.
_S = r"[ \t\u3000]*"
_NUM = r"[0-9][0-9,]*(?:\.[0-9]+)?"  # loose commas, as the old pattern accepted (12,34千円)
_KD = "[" + "".join(_KANJI_DIGITS) + "]"
_COEF = rf"(?:{_NUM}|{_KD})"
_TH = rf"(?:{_COEF}{_S})?[千阡仟]"
_HU = rf"(?:{_COEF}{_S})?[百佰]"
_TE = rf"(?:{_COEF}{_S})?[十拾]"
_TAIL = rf"(?:{_S}{_COEF})?"
# Below 万: [c]千 [c]百 [c]十 [c] in that order (二千五百, 5千, 1,234百), or one number (150,084; 二〇二四).
_SUB = (
    rf"(?:{_TH}(?:{_S}{_HU})?(?:{_S}{_TE})?{_TAIL}|{_HU}(?:{_S}{_TE})?{_TAIL}|{_TE}{_TAIL}"
    rf"|{_NUM}|{_KD}+)"
)
# What follows an explicit 千 of the last group: a lone kanji digit only (千五), never 千二三.
_LOW_REST = rf"(?:{_HU}(?:{_S}{_TE})?{_TAIL}|{_TE}{_TAIL}|{_NUM}|(?(sen){_KD}|{_KD}+))"
_NUMERAL_CHARS = "".join(_KANJI_DIGITS) + "".join(_SMALL_UNITS) + "".join(_BIG_UNITS)

# An amount with a Japanese unit: 1,451,600,000 円 | 14億5,160万円 | 150,084千円 | 50億1千万円 |
# 121.8億円 | 三億二千万円 | 1,234百万円. Groups: the coefficient of each of 京 兆 億 万, then the
# part below 万 as ``sen`` (its 千 term) and ``rest``. A bare 円 still matches with every number
# group empty (callers test the groups), as it always has.
# The look-behind stops a match from starting inside a number (12.5千円 must not read as 5千円,
# 五千万円 as 千万円) or after 数/何/幾 (数千万円 is no figure), and a number never starts at a space;
# a unit alone (千円, 百万円) or 兆/京 without a coefficient is no amount.
YEN_RE = re.compile(
    # Every amount ends in 円 within a few dozen characters: testing that first spares the full
    # pattern at each position of a line that holds no amount there (6x faster on the seeds).
    r"(?=[^円\n]{0,48}円)"
    rf"(?:(?P<neg>[▲△]){_S})?"
    rf"(?:(?<![0-9.,{_NUMERAL_CHARS}数何幾])(?![千万億兆京]{_S}円|百{_S}万{_S}円|\s)"
    rf"(?:(?P<kei>{_SUB}){_S}京{_S})?"
    rf"(?:(?P<cho>{_SUB}){_S}兆{_S})?"
    rf"(?:(?P<oku>{_SUB}){_S}億{_S})?"
    rf"(?:(?P<man>{_SUB}){_S}[万萬]{_S})?"
    rf"(?P<sen>{_TH})?(?(sen){_S})(?P<rest>{_LOW_REST})?{_S})?"
    r"円"
)
_YEN_GROUPS = (("kei", 10**16), ("cho", 10**12), ("oku", 10**8), ("man", 10**4))

# The parts of one group below 万, spaces removed (a fullmatch on a _SUB or sen+rest text).
_SUB_PARTS = re.compile(
    rf"(?:(?P<th>{_COEF})?(?P<thu>[千阡仟]))?(?:(?P<hu>{_COEF})?(?P<huu>[百佰]))?"
    rf"(?:(?P<te>{_COEF})?(?P<teu>[十拾]))?(?P<one>{_NUM}|{_KD}+)?"
)
_KANJI_NUMERAL_RE = re.compile(
    r"(?:(?P<kei>[^京兆億万萬]*)京)?(?:(?P<cho>[^京兆億万萬]*)兆)?(?:(?P<oku>[^京兆億万萬]*)億)?"
    r"(?:(?P<man>[^京兆億万萬]*)[万萬])?(?P<low>[^京兆億万萬]*)"
)

# --- eras -----------------------------------------------------------------------------------------
# An era number in kanji (六, 三十, 六十四) is read after a full era name only: R六 is not printed.
_ERA_KANJI_N = "(?:[二三四五六]?十[一二三四五六七八九]?|[一二三四五六七八九])"


def _era_pattern(p: str = "") -> str:
    """An era year without its 年度; group names prefixed by ``p`` so several can share a regex."""
    return (
        rf"(?:(?P<{p}era>令和|平成|昭和)\s*"
        rf"(?P<{p}n>元|\d{{1,2}}(?!\d)|{_ERA_KANJI_N}(?![〇一二三四五六七八九十百千]))"
        # A one-letter era (R5, H30) must not be the end of a word: PR5回 is not 令和5年.
        rf"|(?P<{p}letter>(?<![A-Za-z])[RHS])\s*(?P<{p}ln>元|\d{{1,2}}(?!\d)))"
    )


ERA_RE = re.compile(_era_pattern() + "(?:年度|年)?")

_GREGORIAN = r"(?<![0-9])(?:19|20)[0-9]{2}(?![0-9])"
# A fiscal year as headers print it, one alternative a year (a bracketed twin is the same year):
#   2024(令和6)年度 | 2024年度[(令和6年度)] | 令和6年度[(2024年度)], R6, H30 | 24年度, 元年度 (era from context)
_FISCAL_RE = re.compile(
    rf"(?P<ag>{_GREGORIAN})\s*\(\s*{_era_pattern('a')}\s*(?:年度|年)?\s*\)\s*年度"
    rf"|(?P<bg>{_GREGORIAN})\s*年度(?:\s*\(\s*{_era_pattern('b')}\s*(?:年度|年)?\s*\))?"
    rf"|{_era_pattern('c')}(?:年度|年)?(?:\s*\(\s*(?P<cg>{_GREGORIAN})\s*(?:年度|年)?\s*\)(?:\s*年度)?)?"
    r"|(?<![0-9A-Za-z.,第])(?P<dn>元|[0-9]{1,2})\s*年度"
)

# --- unit declarations ----------------------------------------------------------------------------
# every unit of money, longest first (百万円 before 万円): the one alternation every pattern of a unit uses
UNIT_ALT = "|".join(sorted(UNIT_FACTORS, key=len, reverse=True))
_OPEN, _CLOSE = "[(（【［\\[〔<＜「]", "[)）】］\\]〕>＞」]"
_SP = "[ \t\u3000]*"
_UNIT_DECLARATION_RE = re.compile(
    # (千円)  （円）  (単位:千円)  【単位:円】  (単位 千円)
    rf"{_OPEN}{_SP}(?:単位{_SP}[:：=＝]?{_SP})?(?P<a>{UNIT_ALT}){_SP}{_CLOSE}"
    # 単位:千円  単位：百万円  単位 千円  単位（千円）
    rf"|単位{_SP}[:：=＝]?{_SP}(?:(?P<open>{_OPEN}){_SP})?(?P<b>{UNIT_ALT})(?(open){_SP}{_CLOSE})"
)


class NumberFormatError(ValueError):
    """A cell that should hold a number does not."""


@dataclass(frozen=True)
class UnitDeclaration:
    """A unit a table or text declares for its figures (（単位:千円） → 千円 × 1,000), with its offsets."""

    unit: str  # normalised: a key of UNIT_FACTORS (千円, 百万円 …)
    factor: int  # yen per printed unit
    start: int  # character offsets in the text given, ``text[start:end]`` is the declaration
    end: int


def normalize(text: str) -> str:
    """NFKC (full-width digits, commas and letters become half-width) but keep ▲/△ and ㈱ as is."""
    out = unicodedata.normalize("NFKC", text.replace("㈱", "\0KK\0"))
    return out.replace("\0KK\0", "㈱")


# a figure the publisher masked (***, ●●●) or withheld (非公表): no value, and not zero
_MASKED = re.compile(r"[*＊●×]{2,}|非公表|非公開|未確定|[(（]?未定[)）]?")


def is_no_value(cell: str) -> bool:
    """Whether a cell is a "no value" mark (－ and its look-alikes, or a masked ***), which is not zero."""
    cell = cell.strip()
    return cell in NO_VALUE or bool(_MASKED.fullmatch(cell))


def parse_number(cell: str) -> Decimal:
    """Parse one numeric cell (full-width digits, thousands commas, ▲/△ negative, +15, ±0)."""
    s = normalize(cell).strip().replace(" ", "")
    negative = s.startswith(_NEGATIVE)
    s = s.lstrip("".join(_NEGATIVE))
    if s.startswith("-") and len(s) > 1:
        negative, s = True, s[1:]
    elif s.startswith("+") and len(s) > 1 or re.fullmatch(r"±0+(?:\.0+)?", s):
        s = s[1:]  # +15 (an increase as printed), ±0 (no change): the figure itself
    if not re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", s):
        raise NumberFormatError(f"not a number: {cell!r}")
    try:
        value = Decimal(s.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex above already guards this
        raise NumberFormatError(f"not a number: {cell!r}") from exc
    return -value if negative else value


def parse_optional_number(cell: str) -> Decimal | None:
    """Like :func:`parse_number` but "－" (and its look-alikes) is ``None``: no value, not zero."""
    return None if is_no_value(cell) else parse_number(cell)


def _coef(s: str | None) -> Decimal:
    """A unit's coefficient: none is 1 (千 = 1千); a kanji zero before a unit (〇百) is malformed."""
    if s is None:
        return Decimal(1)
    if s in _KANJI_DIGITS:
        if _KANJI_DIGITS[s] == 0:
            raise NumberFormatError(f"zero before a unit: {s!r}")
        return Decimal(_KANJI_DIGITS[s])
    return Decimal(s.replace(",", ""))


def _sub_value(s: str) -> Decimal:
    """Value of one group below 万 (二千五百, 5千, 1,234百, 150,084, 二〇二四), spaces removed."""
    m = _SUB_PARTS.fullmatch(s)
    if not s or m is None:
        raise NumberFormatError(f"not a number: {s!r}")
    total = Decimal(0)
    for coef, unit in (("th", "thu"), ("hu", "huu"), ("te", "teu")):
        if m.group(unit):
            total += _coef(m.group(coef)) * _SMALL_UNITS[m.group(unit)]
    one = m.group("one")
    if one and one[0] in _KANJI_DIGITS:
        if len(one) > 1 and total:  # 千二三 is no numeral; 二〇二四 alone reads digit by digit
            raise NumberFormatError(f"not a number: {s!r}")
        total += int("".join(str(_KANJI_DIGITS[c]) for c in one))
    elif one:
        total += Decimal(one.replace(",", ""))
    return total


def _amount(m: re.Match[str]) -> Decimal | None:
    """The unsigned value of a YEN_RE match, or ``None`` for a bare 円."""
    if not any(m.group(g) for g, _ in _YEN_GROUPS) and not (m.group("sen") or m.group("rest")):
        return None
    total = Decimal(0)
    for group, factor in _YEN_GROUPS:
        if m.group(group):
            total += _sub_value(re.sub(r"\s", "", m.group(group))) * factor
    low = re.sub(r"\s", "", (m.group("sen") or "") + (m.group("rest") or ""))
    if low:
        total += _sub_value(low)
    return total


def parse_yen(text: str) -> int:
    """Parse a printed amount with its unit (円, 千円, 万円, 百万円, 億円, 兆; kanji, mixed) to integer yen.

    The first amount in ``text`` is read: Arabic, full-width or kanji digits (五千万円, 十億円,
    千五百円), mixed (67億2,155万6千円, 1,234百万円, 12.5億円). ▲/△ before it, or a minus that
    starts the text, makes it negative. Spaces may stand around units (5,659 千円) but never inside a
    number: digits printed just before the amount with only spaces between (1 2 3 千円) are an
    error, not part of it. A unit alone (千円, 百万円) is no amount.

    Raises ``NumberFormatError`` when there is no amount or it is not a whole number of yen.
    """
    s = normalize(text)
    for m in YEN_RE.finditer(s):
        value = _amount(m)
        if value is None:
            continue
        before = s[: m.start()]
        if not m.group("neg") and re.search(r"[0-9.,]\s+$", before):
            raise NumberFormatError(f"digits separated by spaces in {text!r}: not one number")
        # A minus counts only as the text's first character: between figures it is a dash (1,000-2,000円).
        # After NFKC "－" is "-"; "−" (U+2212) NFKC keeps.
        negative = bool(m.group("neg")) or re.fullmatch(r"\s*[-−]\s*", before) is not None
        if value != value.to_integral_value():
            raise NumberFormatError(f"amount {text!r} is not a whole number of yen")
        return int(-value if negative else value)
    raise NumberFormatError(f"no amount in {text!r}")


def thousand_yen(cell: str) -> int:
    """A cell of a table whose unit is 千円, as integer yen."""
    value = parse_number(cell) * 1000
    if value != value.to_integral_value():
        raise NumberFormatError(f"{cell!r} 千円 is not a whole number of yen")
    return int(value)


def unit_factor(unit: str) -> int:
    """Yen per printed unit: 千円 → 1,000; also （千円）, 【単位:円】, 単位：千円, (単位 千円), ＝ forms.

    Raises ``NumberFormatError`` for a unit that is not one of :data:`UNIT_FACTORS`.
    """
    s = re.sub(r"\s", "", normalize(unit))
    brackets = "()【】[]〔〕<>「」"
    s = s.strip(brackets)
    if s.startswith("単位"):
        s = s[2:].lstrip(":=").strip(brackets)
    if s not in UNIT_FACTORS:
        raise NumberFormatError(f"not a unit of yen: {unit!r}")
    return UNIT_FACTORS[s]


def find_unit_declarations(text: str) -> list[UnitDeclaration]:
    """Every unit declaration in ``text``, in order: a unit in brackets or after 単位.

    ``(千円)``, ``（円）``, ``(単位:千円)``, ``【単位:円】``, ``単位：百万円``, ``単位 千円``,
    ``単位（千円）``. A unit printed after a number (5,659 千円, 5千円) is that amount's own unit, not a
    declaration. Offsets are those of ``text`` as given (no normalisation shifts them).
    """
    out = []
    for m in _UNIT_DECLARATION_RE.finditer(text):
        unit = m.group("a") or m.group("b")
        out.append(UnitDeclaration(unit, UNIT_FACTORS[unit], m.start(), m.end()))
    return out


def _era_year(m: re.Match[str], p: str = "") -> int:
    """Gregorian year of an era match of :func:`_era_pattern` (group prefix ``p``)."""
    era, n = (m.group(p + "era"), m.group(p + "n")) if m.group(p + "era") else (
        m.group(p + "letter"), m.group(p + "ln"))
    if n == "元":
        return _ERA_BASE[era] + 1
    return _ERA_BASE[era] + (int(n) if n.isdigit() else kanji_to_int(n))


def _era_of(m: re.Match[str], p: str) -> str | None:
    """The full era name (令和, 平成, 昭和) of a match, ``None`` if the alternative has no era."""
    era = m.group(p + "era") or m.group(p + "letter")
    return _ERA_NAME[era] if era else None


def era_to_year(text: str) -> int:
    """Gregorian year of an era date: 令和５年度 → 2023, 令和六年度 → 2024, 令和元年 → 2019, H30 → 2018."""
    m = ERA_RE.search(normalize(text))
    if not m:
        raise NumberFormatError(f"no era year in {text!r}")
    return _era_year(m)


def era_years(text: str) -> list[int]:
    """Every era year in ``text``, in order (a header row such as 令和４年度令和五年度 R6).

    A Gregorian year printed with its era in brackets (2024（令和6）年度) is one year, not two.
    """
    return [_era_year(m) for m in ERA_RE.finditer(normalize(text))]


def fiscal_years(text: str, default_era: str | None = None) -> list[int]:
    """Every fiscal year printed in a header ``text``, in order, as Gregorian years.

    Read are era years (令和6年度, 令和六年度, 令和元年度, R6, H30), Gregorian years with 年度
    (2024年度), and years printed with their twin in brackets, counted once (2024（令和6）年度,
    2024年度(令和6年度), 令和6(2024)年度); twins that disagree raise ``NumberFormatError``.

    A bare ``NN年度`` (20年度, 24年度実績, 元年度) prints no era. Its era is that of the nearest
    explicit era year before it in the same text (a header continues the era it last printed:
    平成30年度 31年度 令和2年度 3年度), else of the nearest one after it (4年度 5年度 令和6年度);
    if the text prints no era year at all, ``default_era`` (令和, 平成, 昭和 or R, H, S); if that is
    not given either, the bare year is left out, since a two-digit year alone cannot be placed.
    A Gregorian year (2024年度) gives no era to the bare years beside it.
    """
    fallback = None
    if default_era is not None:
        fallback = _ERA_NAME.get(normalize(default_era).strip())
        if fallback is None:
            raise ValueError(f"unknown era {default_era!r} (令和, 平成, 昭和, R, H or S)")
    found: list[tuple[int, int | None, str | None, int | None]] = []  # (pos, year, era, bare number)
    for m in _FISCAL_RE.finditer(normalize(text)):
        if m.group("dn"):
            found.append((m.start(), None, None, 1 if m.group("dn") == "元" else int(m.group("dn"))))
            continue
        # Which alternative matched: a (2024(令和6)年度), b (2024年度[(令和6年度)]), c (令和6年度[(2024)]).
        p = "a" if m.group("ag") else "b" if m.group("bg") else "c"
        era = _era_of(m, p)
        gregorian = int(m.group(p + "g")) if m.group(p + "g") else None
        year = gregorian if gregorian is not None else _era_year(m, p)
        if gregorian is not None and era is not None and _era_year(m, p) != gregorian:
            raise NumberFormatError(f"{m.group(0)!r}: the bracketed year disagrees with the year it names")
        found.append((m.start(), year, era, None))
    explicit = [(pos, era) for pos, _, era, _ in found if era]
    years = []
    for pos, year, _, bare in found:
        if bare is None:
            years.append(year)
            continue
        before = [e for p, e in explicit if p < pos]
        after = [e for p, e in explicit if p > pos]
        era = before[-1] if before else after[0] if after else fallback
        if era is not None:
            years.append(_ERA_BASE[era] + bare)
    return years


def parse_fraction(text: str) -> Decimal | None:
    """A rate as printed: ２分の１ → 0.5, 3分の2 → 0.6667 (4 places), 10分の10 → 1, 2/3 → 0.6667, 100％ → 1."""
    s = normalize(text)
    m = re.search(r"(\d+)分の(\d+)", s)
    if m:
        return (Decimal(m.group(2)) / Decimal(m.group(1))).quantize(Decimal("0.0001")).normalize()
    m = re.search(r"(\d+)/(\d+)", s)
    if m:
        return (Decimal(m.group(1)) / Decimal(m.group(2))).quantize(Decimal("0.0001")).normalize()
    m = re.search(r"(\d+(?:\.\d+)?)[%％]", s)
    if m:
        return (Decimal(m.group(1)) / 100).normalize()
    return None


def kanji_to_int(text: str) -> int:
    """A kanji numeral as an integer: 三億二千万 → 320,000,000, 十 → 10, 〇 → 0, 二〇二四 → 2024.

    Digits 〇/零 一 … 九 (and 大字 壱弐参 …), units 十 百 千 within each group of four digits and
    万 億 兆 京 between groups, each group larger than the next. Positional digits (二〇二四) are read
    digit by digit. Arabic digits, a bare 万/億 (no coefficient) or units out of order raise
    ``NumberFormatError``.
    """
    s = normalize(text).strip()
    if not s or any(ch not in _NUMERAL_CHARS for ch in s):
        raise NumberFormatError(f"not a kanji numeral: {text!r}")
    m = _KANJI_NUMERAL_RE.fullmatch(s)
    if m is None:
        raise NumberFormatError(f"not a kanji numeral: {text!r}")
    total = Decimal(0)
    for group, factor in (*_YEN_GROUPS, ("low", 1)):
        part = m.group(group)
        if part == "" and group != "low":  # 万 alone: 一万 is how a numeral prints it
            raise NumberFormatError(f"not a kanji numeral: {text!r}")
        if part:
            total += _sub_value(part) * factor
    return int(total)


def kanji_number(text: str) -> int:
    """A small kanji numeral (一 … 九十九), as in 第四回; larger ones are :func:`kanji_to_int`'s."""
    if not text or any(ch not in "〇一二三四五六七八九十" for ch in text):
        raise NumberFormatError(f"not a kanji numeral: {text!r}")
    n = kanji_to_int(text)
    if n > 99:
        raise NumberFormatError(f"not a small kanji numeral: {text!r}")
    return n
