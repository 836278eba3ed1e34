"""Money figures: amounts printed with their unit, and table cells under a unit declaration.

Two recognisers, both general:
- **inline**: a figure with its own unit (``5,659 千円``, ``14億5,574万8千円``, ``800万円``, ``五千万円``);
  a decrease sign (``▲``) or word (``減額``) before it makes it negative; a bound after it
  (``以上``) makes it a target, not money spent, and it is left to the indicator recogniser.
- **declared**: a bare figure in a table is money only when a unit declaration governs it
  (``単位:千円``, ``(千円)``, ``【単位:円】``, ``事業費:千円``, or a column-unit cell ``千円``) — the
  nearest declaration before it, or failing that the nearest after it (a unit printed under its
  column). Figures with thousands separators (or of five digits and more) are amounts there; a
  small bare figure is an amount only in a row that a money label starts (``事業費 251 250``).
  A figure in a money row that no declaration governs is reported, never assigned a unit.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, replace
from functools import lru_cache

from policy_kg.extract.engine.facts import Unplaced
from policy_kg.extract.engine.names import looks_like_project
from policy_kg.extract.engine.normalize import CJK, Line, Token, alone_on_line, cells_by_line
from policy_kg.extract.engine.table_headers import NOT_KEPT, header_column, header_word
from policy_kg.extract.engine.vocabulary import Vocabulary, label_text
from policy_kg.extract.engine.years import (
    YearColumn,
    YearHeader,
    bare_years,
    header_before,
    status_of,
    year_column,
    year_headers,
)
from policy_kg.extract.numbers import UNIT_ALT, UNIT_FACTORS, NumberFormatError, is_no_value, parse_number, parse_yen
from policy_kg.extract.records import Span

_NUM = r"\d[\d,]*(?:\.\d+)?"
INLINE = re.compile(
    rf"(?<![\d,])(?<!\d\.)(?P<neg>[▲△]|[-−](?=\d))?"
    rf"(?P<body>(?:{_NUM}兆)?(?:{_NUM}億)?(?:(?:{_NUM}|\d*千)万)?(?:{_NUM}千)?(?:{_NUM})?)"
    rf"\s?(?P<unit>{UNIT_ALT})"
)
KANJI_INLINE = re.compile(  # 三千五百万円, 千五百万円, 十五万円, 五千円; not a unit (千円, 百万円) nor 一円 (throughout)
    r"(?<![〇一二三四五六七八九十百千万億兆])(?=[十百千]*[一二三四五六七八九])"
    r"[一二三四五六七八九十百千][〇一二三四五六七八九十百千万億兆]+円"
)
DECLARATION = re.compile(
    r"(?:単位\s*[:：…・]?\s*(?:[^\s:：()（）]{0,8}[:：]\s*)?|[(（【\[]\s*(?:単位\s*[:：]?\s*)?|(?<=[^\s\d])[:：]\s*)"
    rf"(?P<unit>{UNIT_ALT})(?=[)）】\]\s]|[、,，・/／]\s*[%％]|$)"  # (単位:千円、%): the table's shares are in %
)
MONEY_UNITS = UNIT_FACTORS
_CELL = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?")
_SHARE_CELL = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?[%％]")  # 3.3%: a rate's cell in a table of sums
_INLINE_CELL = re.compile(rf"[▲△-]?\d[\d,]*(?:\.\d+)?(?:{UNIT_ALT})")  # 1,000千円: a cell that prints its unit
_COMMA = re.compile(r"[▲△-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_LONG = re.compile(r"[▲△-]?[1-9]\d{4,}")
_ERA_WORD = re.compile(r"(?:平成|令和|昭和|H|R|S)$")
# markers and notes between a label and its figures (事業費 A, 人件費 (B), トータルコスト A+B+C, ①+②+③)
_FILLER = re.compile(r"[(（【\[].*[)）】\]]|[A-Z]|[①-⑳]|[A-Z①-⑳](?:[+=][A-Z①-⑳])+|年度|計|合計")
_UNIT_CELLS = re.compile(rf"(?:{UNIT_ALT}){{2,}}")  # column-unit cells that ran together: 千円千円千円
_CEILING_PERIOD = re.compile(r"\s?(?:年額|月額|年間|1人当たり|一人当たり|月|年)\s?$")  # 上限 月5万円: per what
_CEILING_AFTER = ("を上限", "を限度", "以内")  # 30万円を上限, 10万円以内: a ceiling printed after its sum
_GLUED_LABEL = re.compile(r"[(（、,:：]\s*([^\s()（）、,:：\d]{2,12})\s*$")  # (国庫補助金 | 、県支出金 before a sum
_DATED = re.compile(r"[(（](?:令和|平成|昭和|[RH])\s?(?:\d{1,2}|元)年度?[)）]")
_CODE_LABELS = ("コード", "番号", "No", "NO", "No.", "名")  # a figure after these is a code, not money
_CODE_NEXT = ("款", "項", "目", "節", "章", "条", "号", "細目")
DECLARATION_BEFORE = 150  # cells a declaration governs after it
DECLARATION_AFTER = 40  # cells before a declaration printed under its column
HEADER_REACH = 80  # cells between a year header and the first figure of a row under it
MONEY_ROW_GAP = 6  # cells between a money label and the figures of its row (years, markers)
MONEY_ROW_CELLS = 12  # the figures of one row of a table, at most


@dataclass(frozen=True)
class MoneyFact:
    """A money figure, its unit resolved: what the reader found and how."""

    jpy: int
    printed: str
    span: Span
    token: int  # index in the token stream (where it sits among the projects)
    category: str  # total | general_fund | personnel | funding_share | stated
    funding: str | None  # the funding source's label, for funding_share
    how: str  # the rule that found it, for the report
    confidence: float
    fiscal_year: int | None = None  # from the year column above it, when its row maps onto one
    status: str | None = None  # budget | estimate | plan, as the column header says
    label: str | None = None  # the money label that starts its row, as printed (直接事業費)


@dataclass(frozen=True)
class _Declaration:
    unit: str
    token: int
    weak: bool  # a bare column-unit cell rather than a declaration
    row: int | None = None  # the line it alone governs: the unit of a row that names no money (寄附額(百万円) 420 …)
    until: int | None = None  # with ``row``: the last cell of the run of figures after it, all it governs
    mixed: bool = False  # (単位:人、千円): a table of counts and of money; only rows that name money are money


def _token_at(line_toks: list[Token], line_text: str, offset: int) -> Token:
    """The cell of ``line_toks`` that holds character ``offset`` of the line."""
    pos = 0
    for t in line_toks:
        found = line_text.find(t.text, pos)
        if found < 0:
            continue
        if found + len(t.text) > offset:
            return t
        pos = found + len(t.text)
    return line_toks[-1]


_PROSE_BREAK = re.compile(r"[。、，,「]")


def _label_end(cell: str) -> str:
    """What a cell prints after the prose or the open bracket before a label: 開催する。(予算額 → 予算額."""
    cell = _PROSE_BREAK.split(cell)[-1] or cell
    k = max(cell.rfind("("), cell.rfind("（"))
    if k >= 0 and not re.search(r"[)）]", cell[k:]):
        cell = cell[k + 1:] or cell
    return cell


def inline_amounts(lines: list[Line], toks: list[Token], vocab: Vocabulary) -> tuple[list[MoneyFact], list[Unplaced]]:
    """Figures printed with their own unit of money."""
    facts: list[MoneyFact] = []
    unclear: list[Unplaced] = []
    by_line = cells_by_line(toks)
    for i, line in enumerate(lines):
        if i not in by_line:
            continue
        text = line.text
        matches = [m for m in INLINE.finditer(text) if re.search(r"\d", m.group("body"))]
        matches += [m for m in KANJI_INLINE.finditer(text)]
        for m in sorted(matches, key=lambda m: m.start()):
            after = text[m.end():m.end() + 2]
            if any(after.startswith(b) for b in vocab.target_bounds):
                continue  # 5,400万円以上: a target, read as an indicator value
            printed = m.group(0).strip()
            try:
                jpy = parse_yen(printed)
            except (NumberFormatError, ValueError) as exc:
                unclear.append(Unplaced(printed, line.span, f"not a whole number of yen ({exc})"))
                continue
            how = "inline unit"
            if jpy > 0 and _decrease(text, m.start(), m.end(), vocab):
                jpy, how = -jpy, "inline unit, decrease"
            tok = _token_at(by_line[i], text, m.start())
            if _spaced_digits(toks, tok) is not None:
                continue  # 5 1 0 0 千円: not 0 yen (reported with the run's first digit, below)
            if _indicator_value(toks, tok.index, vocab):
                continue  # 数値目標 … 基準値 2,100億円(H26): a KPI's value, counted in yen
            category, funding, label = "stated", None, None
            prev = toks[tok.index - 1] if tok.index else None
            before_cell = _label_end(prev.text) if prev is not None and prev.line == tok.line else None
            lead = text[max(text.find(tok.text), 0):m.start()] if tok.text in text else ""
            if _LEAD_WORDS.sub("", lead):
                before_cell = None  # 予算額 / は、前年度に比べ12億…円の増: prose between the label and the sum
            field = vocab.money_label(before_cell) if before_cell else None
            glued = _GLUED_LABEL.search(text, max(0, m.start() - 14), m.start()) if field is None else None
            if glued and vocab.money_label(glued.group(1)) is not None:  # 3,200千円(国庫補助金1,600千円): its funder
                before_cell, field = glued.group(1), vocab.money_label(glued.group(1))
                if jpy < 0:  # (国庫補助金1,600千円の減): a change of the source's share, kept as printed
                    field = ("money", "stated")
            own = re.sub(r"[はがもの、,:：\s]+$", "", lead) if field is None and lead else ""
            if own and own != lead and vocab.money_label(own) is not None and not _LEAD_WORDS.sub("", lead[len(own):]):
                before_cell, field = own, vocab.money_label(own)  # 予算額は1,500万円。: the label its cell opens with
            if field is not None and prev.index and toks[prev.index - 1].line == tok.line and any(
                    w in toks[prev.index - 1].text for w in vocab.per_unit_words):
                field = ("money", "stated")  # 市民1人当たりの一般会計 / 予算額 / 32万4千円: a cost per head
            column = year_column(before_cell, None) if field is None and before_cell else None
            if column is not None and any(w in before_cell for w in vocab.money_headers):
                # 令和4年度決算 4,650千円: a year's budget or account, the label's year and status
                field, year_cell = ("money", "total"), column
            else:
                year_cell = None
            if field is not None:  # 事業費 12,345千円: the label before it says what it is
                category, funding = category_of(*field)
                label = label_text(before_cell)
            elif before_cell and vocab.is_difference(before_cell):
                label = label_text(before_cell)  # 増減額 299百万円: a difference, kept as printed
            elif before_cell and before_cell.startswith("うち"):
                label = label_text(before_cell)  # うち市補助金 9,800千円: a part of the sum above, as printed
            if category == "stated" and label is None and (jpy < 0 or _INCREASE_AFTER.match(text, m.end())):
                label = "増減"  # 前年度比300千円増, 前年度より200万円多い, 500万円の減: a change from another sum
            if category == "stated" and (_CEILING_PERIOD.sub("", text[max(0, m.start() - 8):m.start()].rstrip()).rstrip(
                    ":：は ").endswith(vocab.ceiling_words) or text[m.end():].startswith(_CEILING_AFTER)):
                # (上限50万円), 上限 月5万円, 上限額:50万円, (30万円を上限), 10万円以内: a grant's ceiling, never summed
                category, label = "grant_ceiling", label or "上限"
            year = year_cell or (_labelled_year(toks, tok, printed, before_cell) if field is not None else None)
            facts.append(MoneyFact(jpy, printed, line.span, tok.index, category, funding, how, 1.0, label=label,
                                   fiscal_year=year.year if year else None,
                                   status=(year.status or status_of(before_cell)) if year else None))
    return facts, unclear


_CONTACT_WORDS = frozenset({"内線", "電話", "TEL", "Tel", "tel", "FAX", "Fax", "fax", "第", "番号", "〒"})


def _spaced_digits(toks: list[Token], tok: Token) -> tuple[int, int] | None:
    """The first and last cell of the run of four or more one-digit cells on its line that ``tok`` is one of
    (4 6 5 0 5 1 0 0, 5 1 0 0 千円: the digits of letter-spaced figures whose boundaries the dump lost), or None."""
    def digit(k: int) -> bool:
        return 0 <= k < len(toks) and toks[k].line == tok.line and bool(re.fullmatch(r"\d(?:(?:百万|千|万|億)?円)?",
                                                                                        toks[k].text))
    if not digit(tok.index):
        return None
    left = right = tok.index
    while digit(left - 1):
        left -= 1
    while digit(right + 1):
        right += 1
    return (left, right) if right - left >= 3 else None


def _decrease(text: str, start: int, end: int, vocab: Vocabulary) -> bool:
    """Whether the words around a sum printed at ``text[start:end]`` make it a decrease: a word of decrease
    before it (減額 40万円; 増減額 299百万円 is a difference, no decrease), or after it (2億円減の, 1,820万円を減額;
    500万円減免 is an exemption, no decrease)."""
    before, after = text[max(0, start - 4):start].strip(), text[end:end + 4].lstrip(" の")
    if any(before.endswith(w) for w in vocab.negative_words) and not any(
            before.endswith(d) for d in vocab.difference_columns):
        return True
    # (500万円の減, 500万円 減少: the decrease after it; 減免, 減価償却, 減災, 減債基金, 減収補てん, 減少率: words
    # of their own, no decrease)
    return bool(_DECREASE_AFTER.match(after)) or after.startswith(tuple(f"を{w}" for w in vocab.negative_words))


_INCREASE_AFTER = re.compile(r"\s?の?(?:増額|増加(?!率)|増(?![\u3400-\u9fff])|多い|多く)")
_DECREASE_AFTER = re.compile(r"減額|減少(?!率)|減(?![\u3400-\u9fff])")


_LEAD_WORDS = re.compile(r"[はがのも、,:：\s]|約|およそ|総額|計")  # what may stand between a label and its sum


def _labelled_year(toks: list[Token], tok: Token, printed: str, label: str) -> YearColumn | None:
    """The year a labelled sum prints in its label (令和5年度当初予算額 70,120千円) or in a bracket right
    after it (当初予算額 68,450千円(令和4年度)); None when it prints none."""
    col = year_column(label, None)
    if col is not None:
        return col
    rest = tok.text[tok.text.find(printed) + len(printed):] if printed in tok.text else ""
    nxt = toks[tok.index + 1] if tok.index + 1 < len(toks) else None
    if not rest and nxt is not None and nxt.line == tok.line:
        rest = nxt.text
    return year_column(rest.strip("()（）"), None) if _DATED.fullmatch(rest) else None


def inline_years(toks: list[Token], facts: list[MoneyFact], headers: list[YearHeader], vocab: Vocabulary
                 ) -> list[MoneyFact]:
    """Figures printed with their unit, one a cell, on a row a money label starts under a year header of
    as many columns (``令和3年度決算 令和4年度決算`` over ``事業費 1,200万円 9,870万円``): each takes its
    column's year and status."""
    by_token = {f.token: k for k, f in enumerate(facts)}
    out = list(facts)
    for cells in cells_by_line(toks).values():
        if len(cells) < 3 or vocab.money_label(cells[0].text) is None:
            continue
        row = cells[1:]
        if not all(c.index in by_token and facts[by_token[c.index]].printed == c.text for c in row):
            continue
        header = header_before(headers, row[0].index, HEADER_REACH)
        if header is None or len(header.columns) != len(row):
            continue
        field, code = vocab.money_label(cells[0].text)
        category, funding = category_of(field, code)
        for cell, col in zip(row, header.columns):
            k = by_token[cell.index]
            if out[k].fiscal_year is None:
                out[k] = replace(out[k], category=category, funding=funding, fiscal_year=col.year,
                                 status=col.status or status_of(cells[0].text), label=label_text(cells[0].text),
                                 how=out[k].how + ", year column")
    return out


def _declarations(lines: list[Line], toks: list[Token], vocab: Vocabulary) -> list[_Declaration]:
    out: list[_Declaration] = []
    by_line = cells_by_line(toks)
    for t in toks:
        prev = toks[t.index - 1] if t.index else None
        if prev is not None and prev.line == t.line and _is_cell(prev.text):
            continue  # 2,138,000 円: the figure's own unit, not a column's
        run = _UNIT_CELLS.search(t.text)
        if t.text in MONEY_UNITS or run:
            unit = re.match(UNIT_ALT, run.group(0) if run else t.text).group(0)
            until = _run_after(toks, t)  # a unit cell between a row's name and its figures is that row's
            row = t.line if until > t.index and prev is not None and prev.line == t.line and _names_no_money(
                prev.text, vocab) else None
            out.append(_Declaration(unit, t.index, True, row, until if row is not None else None))
    counts = _count_declaration(vocab)
    for i, line in enumerate(lines):
        for m in DECLARATION.finditer(line.text):
            tok = _token_at(by_line.get(i, []), line.text, m.start()) if i in by_line else None
            if tok is not None and _among_count_labels(toks, tok, vocab):
                continue  # 正規職員(人) / 正規職員(千円) / … / 0.50 4,100: each label's unit, no table's
            if tok is not None:
                row = _row_of_unit(tok, by_line[i], vocab)
                out.append(_Declaration(m.group("unit"), tok.index, False, row,
                                        _run_after(toks, tok) if row is not None else None))
        for m in _mixed_declaration(vocab).finditer(line.text) if "単位" in line.text else ():
            tok = _token_at(by_line.get(i, []), line.text, m.start()) if i in by_line else None
            if tok is not None:
                out.append(_Declaration(m.group("unit") or m.group("first"), tok.index, False, mixed=True))
        for m in counts.finditer(line.text) if "単位" in line.text else ():
            tok = _token_at(by_line.get(i, []), line.text, m.start()) if i in by_line else None
            if tok is not None:  # (単位:人): the table below counts, whatever unit of money came before
                out.append(_Declaration(COUNTED, tok.index, False))
    out.sort(key=lambda d: (d.token, d.weak))
    if not out:
        return out
    # a table's header printed again on the next page continues the table, and the unit declared over it
    printed = Counter(line.text for line in lines)
    first_seen: dict[str, int] = {}
    for i, line in enumerate(lines):
        if printed[line.text] < 2:
            continue  # (most lines are printed once)
        cells = by_line.get(i, [])
        if len(cells) < 3 or any(_is_cell(c.text) for c in cells):
            continue
        if line.text in first_seen:
            governing = _governing(out, first_seen[line.text], -1)
            declared_since = any(first_seen[line.text] < d.token < cells[0].index and d.row is None for d in out)
            if governing is not None and governing[0].row is None and not declared_since:
                # (a unit declared between the two prints heads a table of its own: 2 歳入 (百万円) … 3 歳出 (千円))
                out.append(_Declaration(governing[0].unit, cells[0].index, governing[0].weak))
        else:
            first_seen[line.text] = cells[0].index
    return sorted(out, key=lambda d: (d.token, d.weak))


COUNTED = ""  # the unit of a declaration of counts ((単位:人)): what it governs is no money


def _among_count_labels(toks: list[Token], tok: Token, vocab: Vocabulary) -> bool:
    """Whether a unit of money bracketed after a label's words (正規職員(千円)) stands among labels that bracket
    a count's unit (正規職員(人)): a column of row labels printed apart from its figures, each with its own
    unit, not a declaration over the figures that follow."""
    if not re.match(r"[^\d()（）]+[(（]", tok.text) or not alone_on_line(toks, tok.index):
        return False  # (事業名 参加者数(人) 事業費(千円): a header's columns, each its unit)
    near = range(max(0, tok.index - 4), min(len(toks), tok.index + 5))
    return any(k != tok.index and alone_on_line(toks, k) and vocab.bracketed_count_unit(toks[k].text) is not None
               for k in near)


@lru_cache(maxsize=4)
def _count_declaration(vocab: Vocabulary) -> re.Pattern[str]:
    units = "|".join(re.escape(u) for u in sorted(vocab.non_money_units, key=len, reverse=True))
    return re.compile(rf"単位\s*[:：]?\s*(?:{units})(?=[)）】\]\s、,/]|$)(?![、,，・/]\s*(?:{UNIT_ALT}))")


@lru_cache(maxsize=4)
def _mixed_declaration(vocab: Vocabulary) -> re.Pattern[str]:
    """A declaration of a count's unit and a money unit together, in either order (単位:人、千円 | 単位:千円・人);
    not of shares (単位:千円、%: a money table with a column of shares, see ``DECLARATION``)."""
    units = "|".join(re.escape(u) for u in sorted(vocab.non_money_units, key=len, reverse=True)
                     if u not in ("%", "％", "‰"))
    return re.compile(rf"単位\s*[:：]?\s*(?:(?:{units})[、,，・/]\s*(?P<unit>{UNIT_ALT})|(?P<first>{UNIT_ALT})[、,，・/]\s*"
                      rf"(?:{units}))(?=[)）】\]\s、,/]|$)")


def _names_no_money(text: str, vocab: Vocabulary) -> bool:
    """Whether a row's name cell names something other than money (製造品出荷額等, 転入者数): a unit cell after
    it (億円) is that row's unit, not its table's."""
    return (not _is_cell(text) and not is_no_value(text) and vocab.money_label(text) is None and "単位" not in text
            and not any(w in text for w in vocab.money_headers) and not is_unit_cell(text))


def _in_row_run(text: str) -> bool:
    """Whether a cell continues the run of a row's figures: a figure, a no-value cell, or the year one of
    them was printed with (350 H30 380 R6 332: a baseline's and a target's years)."""
    return _is_cell(text) or is_no_value(text) or year_column(text.strip("()（）"), None) is not None


def _run_after(toks: list[Token], tok: Token) -> int:
    """The last cell of the run of figures right after ``tok`` on its line (see ``_in_row_run``): what a
    row's own unit governs (製造品出荷額等 億円 350 H30 380 | 関連事業 6,800: not the cells after the run)."""
    k = tok.index
    while k + 1 < len(toks) and toks[k + 1].line == tok.line and _in_row_run(toks[k + 1].text):
        k += 1
    return k


def _row_of_unit(tok: Token, line_toks: list[Token], vocab: Vocabulary) -> int | None:
    """The line a bracketed unit governs alone: the unit glued to a row's name that is no money label
    (ふるさと納税寄附額(百万円) 420 800: that row's unit, not the table's), with figures after it on its line.
    A money label's unit (事業費(千円)) and a unit standing alone govern the rows below too."""
    name = label_text(tok.text)
    if name == tok.text or not name or not _names_no_money(name, vocab):
        return None  # (決算(千円), R3予算(千円): a money column's head)
    after = [c for c in line_toks if c.index > tok.index]
    return tok.line if any(_is_cell(c.text) for c in after) else None


_UNIT_LABEL = re.compile(rf"単位\s*[:：]?\s*(?:{UNIT_ALT})")


def is_unit_cell(text: str) -> bool:
    """Whether a cell only declares a unit of money (千円, (千円), 【単位:円】)."""
    core = text.strip("()（）【】[] ")
    return core in MONEY_UNITS or bool(_UNIT_LABEL.fullmatch(core))


_TABLE_ROW_CELLS = 24  # a line of a table prints a row; a longer one is a page a dump flattened
_HEADING = re.compile(rf"^(?:\d{{1,2}}|[①-⑳]|[(（]\d{{1,2}}[)）]|[■□●◆◇【]|第\d{{1,2}})\s*[{CJK}]")


def _tables_running_on(lines: list[Line], toks: list[Token], decls: list[_Declaration]
                       ) -> dict[int, tuple[_Declaration, str]]:
    """The lines a declaration governs beyond its reach: a long table's rows after it (40 rows of 勘定科目
    under one (単位:円)), up to the first line that is no row of a table: a heading (3 指標, 【成果】), a
    line flattened from a page, or another declaration's."""
    by_line = cells_by_line(toks)
    decl_lines = {toks[d.token].line: d for d in decls if d.row is None}
    out: dict[int, tuple[_Declaration, str]] = {}
    current: _Declaration | None = None
    for i in range(len(lines)):
        cells = by_line.get(i, [])
        if i in decl_lines:
            current = decl_lines[i]
            continue
        if current is None or not cells:
            continue
        if len(cells) > _TABLE_ROW_CELLS or (_HEADING.match(lines[i].text) and not any(_is_cell(c.text) for c in cells)):
            current = None  # the table is over
            continue
        out[i] = (current, "before")
    return out


def _governing(decls: list[_Declaration], index: int, line: int, record: tuple[int, int] | None = None
               ) -> tuple[_Declaration, str] | None:
    """The declaration whose unit a figure takes, and on which side of it; ``record``: the first and past-last
    cell of the project's section the figure is in, when the document prints one section per project."""
    decls = [d for d in decls if d.row is None or d.row == line and (d.until is None or d.token < index <= d.until)]
    before = [d for d in decls if d.token < index and index - d.token <= DECLARATION_BEFORE]
    after = [d for d in decls if d.token > index and d.token - index <= DECLARATION_AFTER]
    if before and after and record is not None and before[-1].token < record[0] <= index and \
            after[0].token < record[1] and not after[0].weak and after[0].unit != before[-1].unit:
        # a section's own 事業費(円), printed under its figures, not the 事業費(千円) of the section before
        return after[0], "after"
    if before:
        return before[-1], "before"
    if after:
        return after[0], "after"
    return None


def _cell(text: str) -> str:
    """A figure cell's text without the bracket a wrapped group left on it (``4,694)``)."""
    return text[:-1] if text.endswith((")", "）")) and "(" not in text and "（" not in text else text


@lru_cache(maxsize=16384)  # asked of every cell by several rules: each text is matched once
def _is_cell(text: str) -> bool:
    return bool(_CELL.fullmatch(_cell(text)))


def is_figure_cell(text: str) -> bool:
    """Whether a cell is a bare figure or a no-value mark (a table's cell, not a word)."""
    return _is_cell(text) or is_no_value(text)


def _same_row(toks: list[Token], a: int, b: int) -> bool:
    """Whether cells ``a`` and ``b`` may be of one row: on one line, or ``b`` alone on its line (a dump of
    one cell per line). The last cell of a line of several (決算額 予算額) is another row's, and so is the first
    of the line after a row of several (… 28,000 / 事業: a name's wrapped end)."""
    if toks[a].line == toks[b].line:
        return True
    return alone_on_line(toks, b) if a > b else alone_on_line(toks, a)


def _money_row(
    toks: list[Token], i: int, vocab: Vocabulary, decl_at: set[int], era: str | None = None
) -> tuple[str, str | None, int] | None:
    """What starts the row of cell ``i``: ``(field, code, where)`` of its money label, ``("money",
    None, where)`` for a money column header or a unit declaration, or None when the row is not money.

    Walking back: over the row's other figures and no-value cells, then over at most
    ``MONEY_ROW_GAP`` markers (years, roles, brackets, a header's year cells: ``事業費 (千円) / R3決算 R4決算
    / 32,100 33,480``). Figures before the markers belong to another row, so they end the walk, unless
    the only marker is a year, which makes year and figure a pair (``事業費 R3決算 32,100 R4決算 33,480``).
    Two labels in a row are a header line, not this row's label: the row is money but its category is
    unknown.
    """
    j, gap = i - 1, 0
    year_marker = False  # the one marker walked over is a year: figures before it are the row's too
    declared_at: int | None = None  # a unit cell of the row (事業費 千円 …): money, label or not
    while j >= 0 and gap <= MONEY_ROW_GAP:
        text = toks[j].text
        if j in decl_at and text.strip("()（）") in MONEY_UNITS and declared_at is None:
            declared_at, j, gap = j, j - 1, gap + 1
            continue
        label = vocab.money_label(text)
        if label is not None:
            before = toks[j - 1].text if j > 0 and _same_row(toks, j - 1, j) else ""
            # two labels in a row are a header line (一般財源 特定財源 4,447,000 …), unless the first is
            # the group of the second (人件費 直接人件費 4,303)
            if vocab.money_label(before) is not None and before not in text and year_column(before, era) is None:
                return "money", None, j  # (R5決算見込 / 事業費: a header's last year, then the first row's label)
            return label[0], label[1], j
        if year_column(text, era) is not None and j not in decl_at and gap < MONEY_ROW_GAP:
            j, gap, year_marker = j - 1, gap + 1, gap == 0
            continue  # R3決算: a column's year (and status), the label is further back
        if j in decl_at or any(text.endswith(h) for h in vocab.money_headers):
            return "money", None, j
        if toks[j + 1].after_blank:
            break  # a blank line ends a table's row
        if _is_cell(text) or is_no_value(text):
            if gap and not (gap == 1 and year_marker):
                break  # figures of an earlier row
            j, gap, year_marker = j - 1, 0, False
            continue
        if _FILLER.fullmatch(text) or text in vocab.value_role or text.strip("()（）") in MONEY_UNITS \
                or re.fullmatch(r"(?:平成|令和|H|R)?\d{1,2}年度?.*", text):
            j, gap, year_marker = j - 1, gap + 1, False
            continue
        break
    return ("money", None, declared_at) if declared_at is not None else None


def _role_row(toks: list[Token], i: int, vocab: Vocabulary) -> bool:
    """Whether cell ``i`` is in a row one value-role word starts (目標 222,410 …), not a money label.

    Two role words in a row (計画 実績 251 250) are column headers, not a row's label.
    """
    j = i - 1
    while j >= 0 and (_is_cell(toks[j].text) or is_no_value(toks[j].text)):
        j -= 1
    if j < 0 or toks[j].text.strip("()（）") not in vocab.value_role:
        return False
    return j == 0 or toks[j - 1].text.strip("()（）") not in vocab.value_role


_VALUE_WITH_UNIT = re.compile(rf"[▲△-]?\d[\d,]*(?:\.\d+)?(?:{UNIT_ALT})?")


def _indicator_value(toks: list[Token], i: int, vocab: Vocabulary) -> bool:
    """Whether cell ``i`` follows a value's role label (``R2実績``, ``目標値``) and the nearest label before it
    is an indicator's (成果指標, 指標名), not money's: a value of that indicator."""
    def year_at(k: int) -> bool:
        col = header_column(toks[k].text, None, vocab) if k >= 0 else None
        return col is not None and col.role is None and col.year is not None

    while i > 3 and year_at(i - 1) and _VALUE_WITH_UNIT.fullmatch(toks[i - 2].text) and year_at(i - 3):
        i -= 2  # 実績値 R2 332億円 R3 341億円: each year before its value, after the role label
    column = header_column(toks[i - 1].text, None, vocab) if i else None
    if column is not None and column.role is None and column.year is not None and i > 1:
        column = header_column(toks[i - 2].text, None, vocab)  # 計画値 / 2023年度 / 30,000: role, year, value
    if column is None or column.role in (None, *NOT_KEPT):
        return False
    for j in range(i - 1, -1, -1):
        text = toks[j].text
        if vocab.money_label(text) is not None or any(text.endswith(h) for h in vocab.money_headers):
            return False
        if header_word(text) in vocab.indicator or vocab.indicator_kind(text.partition(":")[0]) is not None:
            return True  # 重要業績評価指標(KPI), KPI①:道の駅売上高
    return False


def year_cells(toks: list[Token]) -> set[int]:
    """Cells that are years of a header, dated or not (``年度 27 26 25``): never money."""
    return {j for t in toks if t.text in ("年度", "年") for j in bare_years(toks, t.index)}


def _labels_next_row(toks: list[Token], k: int) -> bool:
    """Whether unit-like cell ``k``, alone on its line, heads the next row rather than ending the figure
    before it: figures follow it without the unit after each (2,520 / 人工 / 0.30 / 0.30, one cell per line)."""
    if k + 1 >= len(toks) or not alone_on_line(toks, k) or not _is_cell(toks[k + 1].text):
        return False
    return k + 2 >= len(toks) or toks[k + 2].text != toks[k].text


def _skip_cell(toks: list[Token], i: int, vocab: Vocabulary, years: set[int]) -> str | None:
    """Why cell ``i`` is not a figure of money (a year, a code, a count), or None."""
    text = toks[i].text
    nxt = toks[i + 1].text if i + 1 < len(toks) and _same_row(toks, i + 1, i) else ""
    prev = toks[i - 1].text if i > 0 else ""
    if nxt.rstrip(")）") in MONEY_UNITS or re.match(r"(?:百万|千|万|億)?円(?!滑)", nxt):
        return "unit after it (read inline)"
    if prev.endswith(_CODE_LABELS) or prev in vocab.hierarchy:
        return "the value of a code or a heading label"
    if re.fullmatch(r"[1-9]", text) and re.match(f"[{CJK}]", nxt) and nxt not in vocab.non_money_units:
        return "a section or list number"  # (0 numbers no section: 地方債 0 0 0 一般財源 …)
    if (nxt in vocab.non_money_units or (
            nxt.startswith(tuple(u for u in vocab.non_money_units if u not in vocab.word_units
                                 and u not in vocab.date_units))  # 年度, 月額, 日本: a word, not a unit
            and vocab.money_label(nxt) is None and nxt not in vocab.labels)) and not _labels_next_row(toks, i + 1):
        return "a count or share"  # 3 人 | 6,800人が来場 (a unit glued to the text after it)
    small = bool(re.fullmatch(r"\d{1,4}", text))
    if nxt in _CODE_NEXT or small and nxt.startswith(("年度", "年", "月")) or _ERA_WORD.search(prev) \
            or prev.endswith("第"):
        return "a year or a code"
    if i in years:
        return "a year of a header"
    k = i - 1
    while k >= 0 and (_CELL.fullmatch(toks[k].text) or toks[k].line == toks[i].line and _in_row_run(toks[k].text)):
        k -= 1  # 冊 152,000 158,400 | 人 2,140 H30 2,300: the cell before the run of figures
    unit = toks[k].text.strip("()（）") if k >= 0 else ""
    if unit in vocab.non_money_units and unit not in vocab.date_units and unit not in vocab.word_units:
        return "a count: its unit's cell stands before it"
    if (alone_on_line(toks, i) and i > 0 and vocab.bracketed_count_unit(toks[i - 1].text) is not None):
        return "a count: the label printed over it names one"  # 通行量(人/日) / 3,450: one cell per line
    if (k >= 0 and toks[k].line == toks[i].line and i - k <= MONEY_ROW_CELLS and not _is_cell(toks[k].text)
            and (vocab.bracketed_count_unit(toks[k].text) is not None  # ア 観光入込客数(千人) 1,240: anywhere
                 or (k == 0 or toks[k - 1].line != toks[k].line) and vocab.names_count(toks[k].text))):
        return "a count: its row's label names one"  # 従事時間(時間) 3,200 3,300 | 参加者数 1,240 (a row of its line)
    end = _run_after(toks, toks[i]) + 1
    after = toks[end].text.strip("()（）") if end < len(toks) and toks[end].line == toks[i].line else ""
    if after in vocab.non_money_units and after not in vocab.date_units and after not in vocab.word_units:
        return "a count: its unit's cell stands after its row"  # 正規職員 0.70 0.70 人工
    if re.fullmatch(r"0\d+", text.lstrip("▲△-")):
        return "a code"
    if _DATED.match(nxt):
        return "a dated value (216,406 （令和2年度）: an indicator's baseline, not a table's cell)"
    return None


@dataclass(frozen=True)
class _GridCell:
    """A cell of a money table printed one year per row: its column's label and its row's year."""

    label: str
    field: str  # money | funding | count (従事職員(人工): no money) | year (the row's own year cell)
    code: str
    year: YearColumn


def category_of(field: str, code: str) -> tuple[str, str | None]:
    """``(category, funding source)`` of a figure under a column or row a money label names: a money field's
    category (total, personnel …), or a funding source's share."""
    return (code, None) if field == "money" else ("funding_share", code)


@lru_cache(maxsize=8192)  # asked of every cell of every line that may head a table
def _money_column(text: str, vocab: Vocabulary) -> tuple[str, str] | None:
    """What a money table's column header names, as ``(field, code)``: a money label or funding source of the
    vocabulary; その他 among funding sources (alone it names nothing, there the column of the other ones); a
    cost item of its own (減価償却費, 委託料: kept with its label as a stated sum); a count (正規職員(人工):
    not money); None for any other cell."""
    found = vocab.money_label(text)
    if found is not None:
        return found
    core = label_text(text)
    if vocab.is_total(core):  # 国庫支出金 … 一般財源 合計: the row's sum
        return "money", "total"
    if core == "その他":
        return "funding", "その他"
    if vocab.names_count(text):
        return "count", core
    if re.fullmatch(f"[{CJK}]{{2,12}}", core) and core.endswith(tuple(vocab.expense_item_endings)):
        return "money", "stated"
    return None


def label_row_cells(lines: list[Line], toks: list[Token], vocab: Vocabulary) -> dict[int, tuple[str, str, str]]:
    """A header of money labels only (``決算額 国庫支出金 県支出金 地方債 その他 一般財源``) over one line of as
    many figures or no-value cells: each figure's ``(label, field, code)``, its column's."""
    by_line = cells_by_line(toks)
    out: dict[int, tuple[str, str, str]] = {}
    for i in range(len(lines) - 1):
        head, row = by_line.get(i, []), by_line.get(i + 1, [])
        if len(head) < 2 or len(row) != len(head) or not all(
                _is_cell(c.text) or is_no_value(c.text) or _INLINE_CELL.fullmatch(c.text) for c in row):
            continue
        if len(head) == 2 and not all(_INLINE_CELL.fullmatch(c.text) for c in row):
            continue  # (two labels over two bare figures: too little to tell a header; with their units, one)
        found = [_money_column(c.text, vocab) for c in head]
        if any(f is None or f[0] == "count" for f in found):
            continue
        for label, (field, code), cell in zip(head, found, row):
            if _is_cell(cell.text) or _INLINE_CELL.fullmatch(cell.text):
                out[cell.index] = (label_text(label.text), field, code)
    return out


def year_row_cells(lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None) -> dict[int, _GridCell]:
    """Money tables printed one year per row: a header of money labels (``年度 事業費 国県支出金 一般財源``),
    then rows a year starts (``H30 3,400 500 2,900``), one figure (or no-value cell) per label."""
    by_line = cells_by_line(toks)
    out: dict[int, _GridCell] = {}
    for i in range(len(lines)):
        cells = by_line.get(i, [])
        labels = cells[1:] if cells and cells[0].text in ("年度", "区分", "年度区分") else cells
        found = [_money_column(c.text, vocab) for c in labels]
        if len(labels) < 2 or any(f is None for f in found) or all(f[0] == "count" for f in found):
            continue
        for row in range(i + 1, len(lines)):
            rcells = by_line.get(row, [])
            if len(rcells) == len(labels) + 2 and re.fullmatch(f"[{CJK}]", rcells[0].text):
                rcells = rcells[1:]  # 財 R3決算 10,960 …: a character of a vertical caption beside the rows
            year = year_column(rcells[0].text, era) if rcells else None
            if year is None or len(rcells) - 1 != len(labels) or not all(
                    _is_cell(c.text) or is_no_value(c.text) or _INLINE_CELL.fullmatch(c.text) for c in rcells[1:]):
                break  # (3年度 1,000千円 0千円 3,200千円: each cell its unit)
            out[rcells[0].index] = _GridCell(rcells[0].text, "year", "", year)
            for label, (field, code), cell in zip(labels, found, rcells[1:]):
                if _is_cell(cell.text) or _INLINE_CELL.fullmatch(cell.text):
                    out[cell.index] = _GridCell(label_text(label.text), field, code, year)
    return out




def grid_inline(lines: list[Line], toks: list[Token], facts: list[MoneyFact], vocab: Vocabulary,
                era: str | None) -> list[MoneyFact]:
    """Sums printed with their unit in a table of one year per row (年度 国庫支出金 一般財源 / 3年度 1,000千円
    3,200千円): each takes its column's label and its row's year."""
    if not any(f.label is None and f.fiscal_year is None for f in facts):
        return facts
    grid = year_row_cells(lines, toks, vocab, era)
    by_label_row = label_row_cells(lines, toks, vocab)
    out = []
    for f in facts:
        if f.token in by_label_row and f.label is None:  # 令和4年度決算額 令和5年度予算額 / 4,650千円 5,100千円
            label, field, code = by_label_row[f.token]
            category, funding = category_of(field, code)
            year = year_column(label, era)
            out.append(replace(f, category=category, funding=funding, label=label, how=f.how + ", label column",
                               fiscal_year=year.year if year else None, status=status_of(label) if year else None))
            continue
        g = grid.get(f.token)
        if g is None or g.field in ("count", "year") or f.fiscal_year is not None:
            out.append(f)
            continue
        category, funding = category_of(g.field, g.code)
        out.append(replace(f, category=category, funding=funding, label=g.label, fiscal_year=g.year.year,
                           status=g.year.status, how=f.how + ", year row"))
    return out


def declared_amounts(
    lines: list[Line], toks: list[Token], vocab: Vocabulary, era: str | None = None,
    row_cells: frozenset[int] = frozenset(), not_money: frozenset[int] = frozenset(),
    headers: list[YearHeader] | None = None, table_heads: dict[int, int] | None = None,
    account_lines: frozenset[int] = frozenset(), record_starts: tuple[int, ...] = (),
) -> tuple[list[MoneyFact], list[Unplaced]]:
    """Bare table figures that a unit declaration governs; a labelled row under a year header gets
    the header's years (``era``: the document's, for years printed without one). ``row_cells``:
    figures that another recogniser found a row label for (a column-dumped table), small or not;
    ``not_money``: cells another recogniser read as something else (an indicator table's values);
    ``headers``: the document's year headers, when the caller has them; ``table_heads``: each table row's
    figure and the first cell of its table's header, whose unit governs the table however long;
    ``account_lines``: rows of a table of accounts (会計名 …), which name no project; ``record_starts``: the
    first cells of the sections of a document that prints one section per project, in order."""
    decls = _declarations(lines, toks, vocab)
    decl_at = {d.token for d in decls}
    rows: dict[int, list[int]] = {}  # label cell -> its figures (indexes into facts)
    facts: list[MoneyFact] = []
    unclear: list[Unplaced] = []
    years = year_cells(toks)
    grid = year_row_cells(lines, toks, vocab, era)
    headers = year_headers(toks, era) if headers is None else headers
    headers = sorted(headers + _interleaved_headers(toks, vocab, era, headers), key=lambda h: h.start)
    staff = _staff_rows(toks, vocab)
    not_money = not_money | {c.index for cells in staff.values() for c in cells}
    for label, cells in staff.items():
        if label is not None:
            unclear.append(Unplaced(cells[0].text, cells[0].span, f"a row of staff ({label}) under no row that says "
                                                                  "whether it counts people or what they cost"))
    text_rows = _text_rows(toks, vocab, headers)
    by_label_row = label_row_cells(lines, toks, vocab)
    runs_on: dict[int, tuple[_Declaration, str]] | None = None  # asked only of figures out of every reach
    for t in toks:
        if t.index in not_money or not _is_cell(t.text):
            continue
        if t.index not in grid and _skip_cell(toks, t.index, vocab, years):
            continue
        if t.index and toks[t.index - 1].line == t.line and toks[t.index - 1].text.rstrip(":：") in _CONTACT_WORDS:
            continue  # 内線 23456, 第 10234 号: a number of a telephone or a notice, no sum
        run = _spaced_digits(toks, t)
        if run is not None:
            if run[0] == t.index:
                printed = " ".join(c.text for c in toks[run[0]:run[1] + 1])
                unclear.append(Unplaced(printed, t.span, "letter-spaced digits: where one figure ends and the next "
                                                         "begins is not printed"))
            continue
        text = _cell(t.text)
        if _role_row(toks, t.index, vocab):
            continue  # 目標 222,410 223,680: values of an indicator, whatever their unit
        strong = bool(_COMMA.fullmatch(text) or _LONG.fullmatch(text))
        row = _money_row(toks, t.index, vocab, decl_at, era)
        if (not strong and row is None and t.index not in row_cells and t.index not in grid and t.index not in text_rows
                and t.index not in by_label_row):
            continue
        if row is None and t.index not in row_cells and t.index not in grid and t.index not in text_rows and \
                _indicator_value(toks, t.index, vocab):
            continue  # 成果指標 … R2実績 45,210: an indicator's value, whatever unit a money column declares near it
        at = bisect_right(record_starts, t.index)
        governing = _governing(decls, t.index, t.line, (record_starts[at - 1], record_starts[at] if at < len(
            record_starts) else len(toks)) if at else None)
        if governing is None and table_heads and t.index in table_heads:  # a long table: its header's unit
            governing = _governing(decls, table_heads[t.index], -1)
        if governing is None:
            governing = runs_on.get(t.line) if runs_on is not None else None
            if governing is None and runs_on is None:
                runs_on = _tables_running_on(lines, toks, decls)
                governing = runs_on.get(t.line)
        if governing is None:
            if row is not None or t.index in row_cells or _beside_sums(toks, t):
                unclear.append(Unplaced(text, t.span, "a figure in a money row, but no unit is printed for it"))
            continue
        decl, side = governing
        if decl.unit == COUNTED:
            continue  # 19,105 under (単位:人): a count
        if decl.mixed and (row is None or row[1] is None) and t.index not in by_label_row and t.index not in grid:
            unclear.append(Unplaced(text, t.span, f"under a unit of counts and of money ({decl.unit}), a figure "
                                                  "in a row that names no money"))
            continue
        try:
            value = parse_number(text) * MONEY_UNITS[decl.unit]
        except NumberFormatError:
            continue
        if value != value.to_integral_value():
            unclear.append(Unplaced(text, t.span, f"not a whole number of yen in {decl.unit}"))
            continue
        category, funding, label = "stated", None, None
        if row is not None and row[1] is not None:
            field, code, where = row
            category, funding = category_of(field, code)
            label = label_text(toks[where].text)
            rows.setdefault(where, []).append(len(facts))
        if label is None and decl.row is not None:  # 製造品出荷額等 億円 350 | 寄附額(百万円) 420: the row's name
            label = label_text(toks[decl.token - 1 if decl.weak else decl.token].text)
        confidence = 0.9 if side == "before" and not decl.weak else 0.7
        how = f"declared unit {decl.unit} ({'column cell' if decl.weak else 'declaration'} {side} it)"
        if t.index in by_label_row:  # 決算額 国庫支出金 … over 61,902 20,634 …: its column's label says what it is
            label, field, code = by_label_row[t.index]
            category, funding = category_of(field, code)
            facts.append(MoneyFact(int(value), text, t.span, t.index, category, funding, how + ", label column",
                                   confidence, label=label))
            continue
        if t.index in grid:  # its column names what it is, its row the year
            g = grid[t.index]
            if g.field in ("count", "year"):
                continue
            category, funding = category_of(g.field, g.code)
            facts.append(MoneyFact(int(value), text, t.span, t.index, category, funding, how + ", year row",
                                   confidence, fiscal_year=g.year.year, status=g.year.status, label=g.label))
            continue
        if row is None and t.index in text_rows:  # 委託料 8,640 7,390 under 区分 令和3年度 令和4年度
            row_label, col = text_rows[t.index]
            name = label_text(row_label)  # ほしぞら運営事業(事業部): the name without the unit after it
            project_row = (col is not None and name.endswith(vocab.row_project_endings) and not name.startswith("うち")
                           and t.line not in account_lines  # (国民健康保険事業 under 会計名: an account)
                           and looks_like_project(name, vocab))  # (うち県補助金: a part of a sum, no project)
            facts.append(MoneyFact(int(value), text, t.span, t.index, "total" if project_row else "stated", None,
                                   how + ", year column of a row", confidence, fiscal_year=col.year if col else None,
                                   status=col.status if col else None, label=None if project_row else row_label))
            continue  # (1 ほしぞら運営事業 412 428: a project's row, its cost of each year)
        facts.append(MoneyFact(int(value), text, t.span, t.index, category, funding, how, confidence, label=label))
    per_unit: set[int] = set()
    for k, fact in enumerate(facts):  # 6,150 / 15.00 / 単位あたり費用(…): the cost per unit its label names after it
        after = fact.token + 1
        if (after < len(toks) and alone_on_line(toks, fact.token) and alone_on_line(toks, after)
                and not _is_cell(toks[after].text) and any(w in toks[after].text for w in vocab.per_unit_words)):
            facts[k] = replace(fact, category="stated", funding=None, label=label_text(toks[after].text),
                               fiscal_year=None, status=None, how=fact.how + ", per-unit label after it")
            per_unit.add(fact.token)
            for members in rows.values():
                if k in members:
                    members.remove(k)
    shares = _map_years(toks, facts, rows, headers, vocab, era, per_unit)
    return [f for k, f in enumerate(facts) if k not in shares], unclear


SHARE_COLUMN = "(share)"  # the label ``_columns_after`` gives a column of rates or shares: its cells are no money


def _columns_after(toks: list[Token], header: YearHeader, vocab: Vocabulary) -> list[tuple[str | None, YearColumn | None]]:
    """The columns a year header's line prints after its years: a difference (区分 令和3年度 令和4年度 増減:
    ``(増減, None)``), a rate or share (伸び率, 構成比: ``(SHARE_COLUMN, None)``) and more years after
    them (… 増減 R5決算見込, 令和6年度 構成比 令和5年度: ``(None, its column)``)."""
    out: list[tuple[str | None, YearColumn | None]] = []
    k = header.end
    while k < len(toks) and toks[k].line == toks[header.end - 1].line:
        word = label_text(toks[k].text)
        col = year_column(word, None)
        if vocab.is_difference(word) or vocab.is_total(word):  # … 令和5年度 計: the years' sum, of no one year
            out.append((word, None))
        elif word in vocab.derived_value_columns:
            out.append((SHARE_COLUMN, None))
        elif col is not None and out:
            out.append((None, col))
        else:
            break
        k += 1
    return out


def _beside_sums(toks: list[Token], tok: Token) -> bool:
    """Whether a bare figure sits between cells of its line that print their unit of money (2,400,000円
    2,550,000 2,700,000円): a sum whose unit the dump or the sheet left out."""
    near = [toks[k] for k in (tok.index - 1, tok.index + 1) if 0 <= k < len(toks) and toks[k].line == tok.line]
    return any(_INLINE_CELL.fullmatch(c.text) for c in near)


def _interleaved_headers(toks: list[Token], vocab: Vocabulary, era: str | None, headers: list[YearHeader]
                         ) -> list[YearHeader]:
    """Headers whose years a share or a difference column parts (区分 令和6年度 構成比 令和5年度 構成比 増減率):
    no run of years, so no :class:`YearHeader` of their own. Each is given as a header of its first year,
    whose :func:`_columns_after` are the rest of the line; only a line that is all such columns, two years
    at least, counts."""
    words = (*vocab.derived_value_columns, *vocab.difference_columns)
    if not any(t.text in words or t.text.endswith(("増減", "増減額")) for t in toks):
        return []  # (most documents print no share or difference column)
    in_header = {t.line for h in headers for t in toks[h.start:h.end]}
    out = []
    for line, cells in cells_by_line(toks).items():
        if line in in_header or len(cells) < 3:
            continue
        first = next((k for k, c in enumerate(cells) if year_column(c.text, era) is not None), None)
        if first is None or first + 1 >= len(cells) or any(_is_cell(c.text) for c in cells[:first]):
            continue
        header = YearHeader(cells[first].index, cells[first].index + 1, (year_column(cells[first].text, era),))
        after = _columns_after(toks, header, vocab)
        if first + 1 + len(after) == len(cells) and any(col is not None for _, col in after) and any(
                label == SHARE_COLUMN or (label and col is None) for label, col in after):
            out.append(header)
    return out


def _another_header(toks: list[Token], header: YearHeader, index: int, vocab: Vocabulary) -> bool:
    """Whether a line of column words stands between a year header and cell ``index`` (勘定科目 予算額
    前年度予算額 差異): the head of another table, whose rows the years above are not."""
    by_line = cells_by_line(toks)
    for line in range(toks[header.end - 1].line + 1, toks[index].line):
        cells = by_line.get(line, [])
        words = [c for c in cells if vocab.money_label(c.text) is not None
                 or vocab.is_difference(c.text) or label_text(c.text) in vocab.money_headers]
        if len(words) >= 2 and not any(_is_cell(c.text) for c in cells):
            return True
    return False


def _text_rows(toks: list[Token], vocab: Vocabulary, headers: list[YearHeader]
               ) -> dict[int, tuple[str, YearColumn | None]]:
    """The figures of rows that a label of no money field starts (委託料, 補助金, 計), under a year header
    with one column per figure (and the columns after the years: a difference, 増減, whose cell has no
    year, and more years after it): each figure's row label (or the difference's) and column."""
    out: dict[int, tuple[str, YearColumn | None]] = {}
    if not headers:
        return out
    for cells in _rows_of_cells(toks, vocab):
        if len(cells) < 3:
            continue  # a label and two figures at least
        if len(cells) > 3 and re.fullmatch(r"\d{1,3}[.．]?", cells[0].text) and not _is_cell(cells[1].text):
            cells = cells[1:]  # 1 ほしぞら運営事業 412 428: the row's number
        lead = 2 if len(cells) > 2 and not _is_cell(cells[1].text) else 1  # 財源 手数料収入 4,150 4,980
        head, figures = cells[lead - 1], cells[lead:]
        if lead == 2 and (_FILLER.fullmatch(head.text) or head.text.endswith(vocab.unit_suffixes)):
            head = cells[0]  # 減価償却費 C 1,830 | 森林活用事業 産業課 18,740: the row's label, then a marker or its unit
        if len(figures) > 2 and not is_figure_cell(figures[-1].text) and not _SHARE_CELL.fullmatch(figures[-1].text):
            figures = figures[:-1]  # … 4,600,000 3施設: the remark column's words after the figures
        if (len(figures) < 2 or _is_cell(head.text) or not re.search(f"[{CJK}]", head.text)
                or vocab.money_label(head.text) is not None or head.text in vocab.value_role
                or vocab.names_count(head.text)
                or not all(_is_cell(c.text) or is_no_value(c.text) or _SHARE_CELL.fullmatch(c.text) for c in figures)
                or not _is_cell(figures[0].text)):
            continue
        header = header_before(headers, figures[0].index, HEADER_REACH)
        if header is None or head.index < header.end or _another_header(toks, header, head.index, vocab):
            continue
        columns = [(None, c) for c in header.columns] + _columns_after(toks, header, vocab)
        if len(columns) != len(figures) or any(_SHARE_CELL.fullmatch(cell.text) and difference != SHARE_COLUMN
                                               for cell, (difference, _) in zip(figures, columns)):
            continue  # (a share under a column of sums: the row is not this header's)
        for cell, (difference, col) in zip(figures, columns):
            if _is_cell(cell.text) and difference != SHARE_COLUMN:
                out[cell.index] = (difference or label_text(head.text), col)
    return out


def _staff_rows(toks: list[Token], vocab: Vocabulary) -> dict[str | None, list[Token]]:
    """The figures of rows a staff label starts (正規職員 0.5 0.6) that are not sums: under a row of people
    (職員数(人) / 正規 0.3: counts, key None), or under any other row, 人件費 included (whether they count the
    staff or what the staff cost is not printed: key the row's label). A staff row with a unit of its own
    (正規職員(千円)) is left to the other readers."""
    by_line = cells_by_line(toks)
    lines = sorted(by_line)
    out: dict[str | None, list[Token]] = {}
    for k, line in enumerate(lines):
        cells = by_line[line]
        label = label_text(cells[0].text)
        if label not in vocab.staff_labels or len(cells) < 2 or cells[0].text != label:
            continue  # (正規職員(千円) 4,000: its unit printed)
        figures = [c for c in cells[1:] if _is_cell(c.text)]
        if not figures:
            continue
        j = k - 1
        while j >= 0 and label_text(by_line[lines[j]][0].text) in vocab.staff_labels:
            j -= 1
        parent = by_line[lines[j]][0].text if j >= 0 else ""
        # (under 人件費 too: 正規 4,000 is what they cost, 正規職員 1.0 how many they are; the row does not say)
        key = None if vocab.names_count(parent) else label
        out.setdefault(key, []).extend(figures)
    return out


def _names_a_unit(text: str, vocab: Vocabulary) -> bool:
    return text.strip("()（）") in MONEY_UNITS or text.strip("()（）") in vocab.non_money_units


def _rows_of_cells(toks: list[Token], vocab: Vocabulary) -> list[list[Token]]:
    """The rows of the document's tables: each line's cells, and the rows a dump printed one cell per line
    (下水道使用料 / 286,400 / 284,100: a text cell alone on its line and the figures alone on theirs after it)."""
    rows = list(cells_by_line(toks).values())
    k, n = 0, len(toks)
    while k < n:
        if not alone_on_line(toks, k) or _is_cell(toks[k].text) or _names_a_unit(toks[k].text, vocab):
            k += 1
            continue  # (人 / 0.57 / 0.73: the staff a row counts, after the row's name)
        j = k + 1
        while j < n and alone_on_line(toks, j) and (_is_cell(toks[j].text) or is_no_value(toks[j].text)):
            j += 1
        if j - k > 2:
            lead = k - 1 if k and alone_on_line(toks, k - 1) and not _is_cell(toks[k - 1].text) else k
            rows.append(toks[lead:j])  # (森林活用事業 / 産業課 / 18,740: the row's name, then its department)
        k = j
    return rows


def _row_cells(toks: list[Token], label: int, era: str | None, vocab: Vocabulary | None = None) -> list[int]:
    """The cells of the row a money label starts: figures and no-value cells, after its markers (and
    the year cells of a header printed between label and figures)."""
    j, n = label + 1, len(toks)
    while j < n and (_FILLER.fullmatch(toks[j].text) or toks[j].text.strip("()（）") in MONEY_UNITS
                     or year_column(toks[j].text, era) is not None):
        j += 1
    cells = []
    while j < n and (_is_cell(toks[j].text) or is_no_value(toks[j].text)):
        if cells and toks[j].line != toks[cells[0]].line and toks[cells[0]].line == toks[label].line:
            break  # a row printed on its label's line ends there (the next line's 3 is a section's number)
        if (cells and vocab is not None and re.fullmatch(r"[1-9]\d?", toks[j].text) and j + 1 < n
                and vocab.money_label(toks[j + 1].text) is None
                and (toks[j + 1].text in vocab.indicator or toks[j + 1].text in vocab.labels)):
            break  # … 3,200 2 活動指標: the next section's number, in a sheet flattened into one line
        cells.append(j)
        j += 1
    return cells


def _map_years(toks: list[Token], facts: list[MoneyFact], rows: dict[int, list[int]], headers: list[YearHeader],
               vocab: Vocabulary, era: str | None, per_unit: set[int] = frozenset()) -> set[int]:
    """Give the figures of a labelled row the years of the header above it, when one cell each; a figure
    printed after its own year (``R3決算 32,100``, no header) takes that year. Returns the figures that
    stand in a column of shares (構成比): no money."""
    shares: set[int] = set()
    in_header = {j for h in headers for j in range(h.start, h.end)}
    for members in rows.values():
        for k in members:
            before, after = facts[k].token - 1, facts[k].token + 1
            col = year_column(toks[before].text, era) if before >= 0 and before not in in_header else None
            if col is not None and after < len(toks) and _is_cell(toks[after].text) and (
                    toks[after].line == toks[before].line or alone_on_line(toks, after)):
                continue  # 事業費 令和6年度予算 1,200 1,300 1,400: which figure the year is of is not told
            if col is not None and facts[k].fiscal_year is None:
                facts[k] = replace(facts[k], fiscal_year=col.year, status=col.status, how=facts[k].how + ", its year")
    for label, members in rows.items():
        cells = _row_cells(toks, label, era, vocab)
        cells = cells[:next((p for p, c in enumerate(cells) if c in per_unit), len(cells))]  # (a cost per unit ends it)
        if not cells:
            continue
        header = header_before(headers, cells[0], HEADER_REACH)
        if header is None or _another_header(toks, header, label, vocab):
            continue
        blanks = 0  # 区分 (blank) 令和2年度 … over 決算額 (blank) 82,915 …: a spreadsheet's blank column before the years
        while header.start - 1 - blanks >= 0 and is_no_value(toks[header.start - 1 - blanks].text) and toks[
                header.start - 1 - blanks].line == toks[header.start].line:
            blanks += 1
        if blanks and len(cells) > blanks and all(is_no_value(toks[c].text) for c in cells[:blanks]):
            cells = cells[blanks:]
        after = _columns_after(toks, header, vocab)
        if len(cells) not in (len(header.columns), len(header.columns) + len(after)):
            continue
        columns = [(None, c) for c in header.columns] + after
        label_status = status_of(label_text(toks[label].text))  # 予算額(千円): budgets, whatever the header
        for k in members:
            if facts[k].token not in cells:
                continue
            difference, col = columns[cells.index(facts[k].token)]
            if difference == SHARE_COLUMN:  # 国庫支出金 1,154,680 13.7: a share in %, whatever the table's unit
                shares.add(k)
                continue
            if col is None:  # the 増減 column's cell: no year's sum
                facts[k] = replace(facts[k], category="stated", funding=None, label=difference,
                                   how=facts[k].how + ", difference column")
                continue
            facts[k] = replace(facts[k], fiscal_year=col.year, status=col.status or label_status,
                               how=facts[k].how + ", year column")
    return shares
