"""Numbers, money and eras as Japanese policy documents print them.

>>> parse_number("１５０，０８４")
Decimal('150084')
>>> parse_yen("１４億５，１６０万円")
1451600000
>>> parse_yen("150,084千円")
150084000
>>> era_to_year("令和５年度")
2023
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation

#: Cells that mean "no value" (not zero).
NO_VALUE = frozenset({"－", "-", "―", "‐", "—", "−", "ー", "–"})
_NEGATIVE = ("▲", "△")
_KANJI_DIGITS = {"〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_ERA_BASE = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}

NUMBER_RE = re.compile(r"[▲△]?\d[\d,]*(?:\.\d+)?")
# An amount with a Japanese unit: 1,451,600,000 円 | 14億5,160万円 | 150,084千円 | 50億1千万円 | 121.8億円
# The look-behind stops a match from starting inside a number (12.5千円 must not read as 5千円).
YEN_RE = re.compile(
    r"(?<![\d.,])(?P<neg>[▲△])?"
    r"(?:(?P<oku>\d[\d,]*(?:\.\d+)?)億)?"
    r"(?:(?P<man>\d[\d,]*(?:\.\d+)?|\d*千)万)?"
    r"(?:(?P<sen>\d[\d,]*(?:\.\d+)?)千)?"
    r"(?P<rest>\d[\d,]*)?"
    r"円"
)
# A one-letter era (R5, H30) must not be the end of a word: PR5回 is not 令和5年.
ERA_RE = re.compile(r"(?P<era>令和|平成|昭和|(?<![A-Za-z])[RHS])\s*(?P<n>元|\d{1,2})(?!\d)(?:年度|年)?")


class NumberFormatError(ValueError):
    """A cell that should hold a number does not."""


def normalize(text: str) -> str:
    """NFKC (full-width digits, commas and letters become half-width) but keep ▲/△ and ㈱ as is."""
    out = unicodedata.normalize("NFKC", text.replace("㈱", "\0KK\0"))
    return out.replace("\0KK\0", "㈱")


def is_no_value(cell: str) -> bool:
    return cell.strip() in NO_VALUE


def parse_number(cell: str) -> Decimal:
    """Parse one numeric cell (full-width digits, thousands commas, ▲/△ negative)."""
    s = normalize(cell).strip().replace(" ", "")
    negative = s.startswith(_NEGATIVE)
    s = s.lstrip("".join(_NEGATIVE))
    if s.startswith("-") and len(s) > 1:
        negative, s = True, s[1:]
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


def _dec(s: str | None) -> Decimal:
    if not s:
        return Decimal(0)
    if s.endswith("千"):  # 1千万 = 1,000万
        return (Decimal(s[:-1].replace(",", "")) if s[:-1] else Decimal(1)) * 1000
    return Decimal(s.replace(",", ""))


def parse_yen(text: str) -> int:
    """Parse a printed amount with its unit (円, 千円, 万円, 億円, mixed) to integer yen.

    Raises ``NumberFormatError`` when there is no amount or it is not a whole number of yen.
    """
    s = normalize(text).replace(" ", "")
    m = YEN_RE.search(s)
    if not m or not any(m.group(g) for g in ("oku", "man", "sen", "rest")):
        raise NumberFormatError(f"no amount in {text!r}")
    total = (
        _dec(m.group("oku")) * 100_000_000
        + _dec(m.group("man")) * 10_000
        + _dec(m.group("sen")) * 1_000
        + _dec(m.group("rest"))
    )
    if total != total.to_integral_value():
        raise NumberFormatError(f"amount {text!r} is not a whole number of yen")
    return int(-total if m.group("neg") else total)


def thousand_yen(cell: str) -> int:
    """A cell of a table whose unit is 千円, as integer yen."""
    value = parse_number(cell) * 1000
    if value != value.to_integral_value():
        raise NumberFormatError(f"{cell!r} 千円 is not a whole number of yen")
    return int(value)


def era_to_year(text: str) -> int:
    """Gregorian year of an era date: 令和５年度 → 2023, 令和元年 → 2019, H30 → 2018."""
    m = ERA_RE.search(normalize(text))
    if not m:
        raise NumberFormatError(f"no era year in {text!r}")
    n = 1 if m.group("n") == "元" else int(m.group("n"))
    return _ERA_BASE[m.group("era")] + n


def era_years(text: str) -> list[int]:
    """Every era year in ``text``, in order (a header row such as 令和４年度令和５年度令和６年度)."""
    out = []
    for m in ERA_RE.finditer(normalize(text)):
        n = 1 if m.group("n") == "元" else int(m.group("n"))
        out.append(_ERA_BASE[m.group("era")] + n)
    return out


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


def kanji_number(text: str) -> int:
    """A small kanji numeral (一 … 九十九), as in 第四回."""
    if not text:
        raise NumberFormatError("not a kanji numeral: ''")
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            raise NumberFormatError(f"not a kanji numeral: {text!r}")
    return total + current
