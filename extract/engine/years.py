"""Year-column headers: the fiscal years (and budget statuses) of a table's columns.

A header is two or more consecutive cells that each name a fiscal year, optionally with what the
column holds: ``H26予算 H26決算 H27予算``, ``平成25年度 平成26年度``, ``20年度(実績) 21年度(見込)``,
``2017年度 2018年度``, ``R1決算 R2予算``, ``20 年度 21 年度``, ``24年度実績 25年度計画``; or a ``年度`` cell followed by bare years (``年度 27 26
25``), whose era is the one the document prints elsewhere. Two-digit years with no era of their
own take that era too (across the change from 平成 to 令和: ``30年度 元年度 2年度``); with none
printed anywhere they are not years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.engine.normalize import Token, alone_on_line
from policy_kg.extract.numbers import UNIT_ALT, NumberFormatError, era_to_year

_ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "R": 2018, "H": 1988, "S": 1925}
_YEAR_CELL = re.compile(
    r"^(?:(?P<era>令和|平成|昭和|R|H|S)\s?(?P<n>\d{1,2}|元)|(?P<g>(?:19|20)\d{2})|(?P<short>\d{1,2}|元)(?=年))"
    r"(?:年度?)?(?P<tail>.*)$"
)
_STATUS = (("決算見込", "estimate"), ("見込", "estimate"), ("当初", "budget"), ("予算", "budget"),
           ("計画", "plan"), ("決算", None), ("実績", None))
_STATUS_WORDS = frozenset({word for word, _ in _STATUS} | {"当初予算", "見込み"})  # a status cell, whole
_TAILS = re.compile(r"^[(（]?(?:当初予算|決算見込|当初|予算|決算|見込|計画|実績|見込み)?額?[)）]?"
                    rf"(?:[(（](?:{UNIT_ALT})[)）])?$")  # R2決算額(千円): a year, a status, a unit


@dataclass(frozen=True)
class YearColumn:
    year: int
    status: str | None  # budget | estimate | plan, or None (a settled figure, or not printed)


@dataclass(frozen=True)
class YearHeader:
    start: int  # token index of its first cell
    end: int  # token index after its last cell
    columns: tuple[YearColumn, ...]


def document_era(texts: list[str]) -> str | None:
    """The era the document prints (for years printed without one), or None."""
    for text in texts:
        m = re.search(r"令和|平成|昭和", text)
        if m:
            return m.group(0)
    return None


def status_of(text: str) -> str | None:
    """The status a column's or a row's words print (予算 → budget, 決算見込 → estimate, 決算 → None)."""
    return next((code for word, code in _STATUS if word in text), None)


def status_word(cell: str) -> bool:
    """Whether a cell is only a column's status (決算, 予算, 当初予算, 決算見込, 実績, 決算額)."""
    return cell.removesuffix("額") in _STATUS_WORDS


def year_column(cell: str, era: str | None) -> YearColumn | None:
    """The year (and status) one header cell names: ``H26予算``, ``令和3年度決算``, ``2017年度``; else None."""
    m = _YEAR_CELL.match(cell)
    if not m or not _TAILS.match(m.group("tail")):
        return None
    if m.group("g"):
        year = int(m.group("g"))
    elif m.group("era"):
        try:
            year = era_to_year(cell)
        except NumberFormatError:
            return None
    elif era is not None:
        year = _ERAS[era] + (1 if m.group("short") == "元" else int(m.group("short")))
    else:
        return None
    tail = m.group("tail")
    status = status_of(tail)
    return YearColumn(year, status)


_ERALESS = re.compile(r"(?:\d{1,2}|元)\s?年")
_ERA_SHIFT = _ERAS["令和"] - _ERAS["平成"]  # 令和 N is 平成 (N + 30)


def eraless(cell: str) -> bool:
    """Whether a year cell prints its year without an era (30年度, 元年度), so takes the document's."""
    return bool(_ERALESS.match(cell))


def across_era_change(years: list[int], short: list[bool], era: str | None) -> list[int]:
    """The years of a header whose cells print no era (``short``) read across the change from 平成 to 令和:
    such years that fall back (``30年度 元年度 2年度``) change era there. In a 令和 document the years
    before the fall are 平成's (30年度 is 2018, not 2048); in a 平成 one those after it are 令和's."""
    falls = [k for k in range(len(years) - 1) if short[k] and short[k + 1] and years[k] > years[k + 1]]
    if not falls or era not in ("令和", "平成", "R", "H"):
        return years
    fall = falls[-1]
    if era in ("令和", "R"):
        return [y - _ERA_SHIFT if k <= fall and short[k] else y for k, y in enumerate(years)]
    return [y + _ERA_SHIFT if k > fall and short[k] else y for k, y in enumerate(years)]


def bare_years(toks: list[Token], i: int) -> list[int]:
    """The cells of years printed without an era after the 年度 (or 年) cell ``i``: ``年度 27 26 25``."""
    j = i + 1
    while j < len(toks) and re.fullmatch(r"\d{1,2}", toks[j].text):
        j += 1
    return list(range(i + 1, j))


def year_headers(toks: list[Token], era: str | None, relative: dict[str, int] | None = None,
                 fiscal_year: int | None = None) -> list[YearHeader]:
    """Every year-column header of the token stream, in order. With the document's ``fiscal_year`` (a
    plan's, a budget's), cells that print a year relative to it (``relative``: 本年度予算額 前年度予算額) are
    year columns too."""
    out: list[YearHeader] = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i].text == "年度" and era is not None:  # 年度 27 26 25
            bare = bare_years(toks, i)
            if len(bare) >= 2:
                out.append(YearHeader(i, bare[-1] + 1, tuple(YearColumn(_ERAS[era] + int(toks[j].text), None)
                                                            for j in bare)))
                i = bare[-1] + 1
                continue
        cols, short, j = [], [], i
        alone = False  # a year of the header printed without its status (after which none pairs with one)
        while j < n:
            cell = toks[j].text
            if cell in ("平成", "令和", "H", "R") and j + 1 < n and re.fullmatch(r"\d{1,2}", toks[j + 1].text):
                col, width = year_column(cell + toks[j + 1].text, era), 2
            elif re.fullmatch(r"\d{1,2}|(?:19|20)\d{2}", cell) and j + 1 < n and toks[j + 1].text.startswith("年度"):
                col, width = year_column(cell + toks[j + 1].text, era), 2  # 20 年度 21 年度
                cell += toks[j + 1].text
            else:
                col, width = year_column(cell, era), 1
                if col is None and relative and fiscal_year is not None:
                    col = _relative_column(cell, relative, fiscal_year)
                if (col is not None and col.status is None and j + 1 < n and status_word(toks[j + 1].text.strip("()（）"))
                        and _paired(toks, j) and not alone):
                    # (令和3年度 令和4年度 令和5年度 / 当初予算 24,000: after years printed alone, the next row's label)
                    col, width = YearColumn(col.year, status_of(toks[j + 1].text)), 2  # 令和4年度 決算: one column
                alone = alone or (col is not None and width == 1)
            if col is None:
                break
            cols.append(col)
            short.append(eraless(cell))
            j += width
        if len(cols) >= 2:
            cols = [YearColumn(y, c.status) for y, c in zip(across_era_change([c.year for c in cols], short, era), cols)]
            j = _past_row_header_line(toks, j, len(cols))
            per_year = _statuses_per_year(toks, j, len(cols))
            if per_year > 1:  # 令和4年度 令和5年度 / 予算 決算 予算 決算: each year over its statuses
                cols = [c for c in cols for _ in range(per_year)]
            statuses = [t.text for t in toks[j:j + len(cols)]]
            if len(statuses) == len(cols) and all(status_word(w) for w in statuses) and (
                    toks[j].line != toks[j - 1].line and all(t.line == toks[j].line for t in toks[j:j + len(cols)])):
                # 2021年度 2022年度 2023年度 / 決算 決算 予算: a line of what each column holds under the years
                cols = [YearColumn(c.year, status_of(w)) if c.status is None
                        else c for c, w in zip(cols, statuses)]
                j += len(cols)
            out.append(YearHeader(i, j, tuple(cols)))
            i = j
        else:
            i += 1
    return out


_ROW_HEADER_CELL = re.compile(r"[^\d０-９,，.]{1,6}")  # 区分, 項目: a word, no figure


def _line_end(toks: list[Token], j: int) -> int:
    """The index after the last cell of cell ``j``'s line."""
    k = j
    while k < len(toks) and toks[k].line == toks[j].line:
        k += 1
    return k


def _statuses_per_year(toks: list[Token], j: int, width: int) -> int:
    """How many status cells the line at ``j`` (the line under a header of ``width`` years) prints under
    each year, when it prints only statuses and a whole multiple of ``width`` of them; else 1."""
    if j >= len(toks) or (j and toks[j].line == toks[j - 1].line):
        return 1
    line = toks[j:_line_end(toks, j)]
    if len(line) <= width or len(line) % width or not all(status_word(t.text) for t in line):
        return 1
    return len(line) // width


def _past_row_header_line(toks: list[Token], j: int, width: int) -> int:
    """Where the line of statuses under a header of ``width`` years starts: ``j``, or after a line of one or
    two words printed between them. A header cell two lines high (令和4年度 / 決算) centres the row labels'
    column head (区分) on the line between its halves; that line belongs to the header."""
    if j >= len(toks) or toks[j].line == toks[j - 1].line:
        return j
    k = _line_end(toks, j)
    middle, after = toks[j:k], toks[k:k + width]
    if not 1 <= len(middle) <= 2 or not all(_ROW_HEADER_CELL.fullmatch(t.text) and not status_word(t.text)
                                            for t in middle):
        return j
    if len(after) == width and all(status_word(t.text) for t in after) and (
            all(t.line == after[0].line for t in after) and after[0].line == toks[j].line + 1
            and (k + width == len(toks) or toks[k + width].line != after[0].line)):
        return k
    return j


def _relative_column(cell: str, relative: dict[str, int], fiscal_year: int) -> YearColumn | None:
    """The column a cell names relative to the document's year (本年度予算額, 前年度決算額), else None."""
    word = next((w for w in sorted(relative, key=len, reverse=True) if cell.startswith(w)), None)
    if word is None:
        return None
    tail = cell[len(word):]
    if not tail or not _TAILS.match(tail):
        return None
    return YearColumn(fiscal_year + relative[word], status_of(tail))


def _paired(toks: list[Token], j: int) -> bool:
    """Whether cell ``j`` and the next are one header cell printed apart: on one line, or each alone on its
    line (one cell per line). A status on the next line of a header of several years is a line of statuses."""
    return toks[j].line == toks[j + 1].line or (alone_on_line(toks, j) and alone_on_line(toks, j + 1))


def header_before(headers: list[YearHeader], index: int, reach: int) -> YearHeader | None:
    """The nearest header that ends before token ``index``, at most ``reach`` cells before it."""
    before = [h for h in headers if h.end <= index and index - h.end <= reach]
    return before[-1] if before else None
