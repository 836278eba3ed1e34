"""Indicator values printed after their own labels: labelled values and leader-dotted counts.

- **labelled values**: after an indicator label and its name (``成果指標 参加者数``, ``KPI:観光入込客数``),
  each value printed after its own role label (``目標値 500 実績値 480``, ``R4目標 12``, ``目標値:90%``);
- **leader-dotted count**: a list item whose label a leader joins to a count (``当財団枠…64名``,
  ``募集人員…25名``, ``(平成27年度実績…37団体)``; ``同…`` repeats the label before it). A label that
  is a year and a role names its item's subject instead (the text before its bracket). Its role
  is the label's, else the document's (a plan's counts are planned values); its year the label's,
  else that of the numbered item it belongs to (else a plan's values are for the plan's year).
"""

from __future__ import annotations

import re
from dataclasses import replace

from policy_kg.extract.engine.indicator_tables import may_name
from policy_kg.extract.engine.indicators import (
    _NUM,
    _TABLE_VALUE,
    SHARE_UNITS,
    FactCells,
    IndicatorFact,
    ValueFact,
    _year,
    split_unit,
)
from policy_kg.extract.engine.names import looks_like_project
from policy_kg.extract.engine.normalize import ARROWS, Line, Token, cells_by_line
from policy_kg.extract.engine.table_headers import header_column
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.numbers import NumberFormatError, is_no_value, parse_number

# a leader (…, ..., ・・・, ‥) joins a label to its count; the label holds no blank, no leader, no bracket
_LEADER_COUNT = re.compile(
    rf"(?P<label>[^\s.…‥・()（）]{{1,40}}?)(?:\.{{3,}}|…+|・{{3,}}|‥+)\s?(?P<v>{_NUM})\s?(?P<unit>[^\d\s.,()（）~〜～]{{1,3}})")
_LEADERS = ("...", "…", "‥", "・・・")
_ITEM_MARK = re.compile(r"^(?:[(（]?[0-9０-９a-zA-Z]{1,2}[)）.．]|[①-⑳]|[ア-ン][.．)）])\s*")
_NUMBERED_ITEM = re.compile(r"^\s*(?:[(（]\d{1,2}[)）]|\d{1,2}[.．])")


def _count_unit(unit: str, vocab: Vocabulary) -> str | None:
    """The count unit a cell starts with (名, 団体, 件 …), longest first; dates (年, 月) are not counts."""
    return next((u for u in sorted(vocab.non_money_units, key=len, reverse=True)
                 if unit.startswith(u) and u not in vocab.date_units), None)


def _subject(text: str) -> str:
    """An item's subject: its text without list marks and quotes (A.「文化活動」 → 文化活動)."""
    text = _ITEM_MARK.sub("", text.strip())
    text = _ITEM_MARK.sub("", text)  # 内訳…(a)当財団枠: a second mark
    return text.strip().strip("「」『』 ")


def leader_counts(lines: list[Line], toks: list[Token], vocab: Vocabulary, default_role: str) -> list[IndicatorFact]:
    """Leader-dotted counts (see the module's docstring); ``default_role`` is the document's (plan)."""
    out = []
    cells = FactCells(toks)
    item_year = None
    previous: tuple[str | None, int | None] | None = None  # the role and year of the label before (for 同)
    for i, line in enumerate(lines):
        if _NUMBERED_ITEM.match(line.text):
            years = [y for y in (_year(m.group(0)) for m in _LABEL_YEAR.finditer(line.text)) if y]
            item_year = years[0] if years else None
        if not any(leader in line.text for leader in _LEADERS):
            continue  # most lines print no leader: skip the pattern
        for m in _LEADER_COUNT.finditer(line.text):
            unit = _count_unit(m.group("unit"), vocab)
            if unit is None:
                continue
            after = line.text[m.end("v"):].lstrip()[len(unit):]
            if any(after.startswith(w) for w in vocab.count_conditions):
                continue  # a bound (…10人以内) is a condition, not a count
            try:
                value = parse_number(m.group("v"))
            except NumberFormatError:
                continue
            label = _subject(m.group("label"))
            role, year = _label_role_year(label, vocab)
            if label in vocab.ditto_marks and previous is not None:
                role, year = previous
                label = ""
            elif role is not None or year is not None:
                previous = (role, year)
            name = label
            if not name or _is_role_year(name, vocab):
                # (平成27年度実績…37団体): the label is a year and a role; the item's subject is before its bracket
                before = line.text[:m.start("label")]
                opening = max(before.rfind("("), before.rfind("（"))
                name = _subject(before[:opening] if opening >= 0 else before)
            if not name or not re.search(r"[\u3040-\u30ff\u3400-\u9fff]", name):
                continue
            values = (ValueFact(role or default_role, value, f"{m.group('v')}{unit}", line.span,
                                year or item_year),)
            out.append(IndicatorFact(name, "activity", unit, line.span, cells.of(i, name), values,
                                     "leader-dotted count"))
    return out


_BULLETS = "・○●◆◇■□-"


def counted_items(toks: list[Token], vocab: Vocabulary, default_role: str, taken: set[int], *,
                  unlabelled: bool, fiscal_year: int | None = None) -> list[IndicatorFact]:
    """Lines that print what was done and how much of it, each name followed by one figure in its count
    unit, a role label between them if any: ``防犯灯の新設 85基``, ``交通安全教室の開催 42回 参加者 3,150人``,
    ``(1) ボランティア登録者数 目標 850人``. The role is the label's, else the document's (a plan's counts
    are planned values), else unspecified; the year the name begins with (令和4年度交付件数), else none.
    ``unlabelled``: whether a name and a figure with no role between them count (in a report of results
    they are its results; elsewhere such a line is as often a note). A line with any other cell, a bound
    (20名程度), a rate (3.3%) or a cell another fact took is not one. A bracket at the end that prints a
    year's value in the same unit (``相談件数 目標 1,200件 (前年度実績 1,085件)``) is the item's value of that
    year; 前年度 is the year before the document's ``fiscal_year``."""
    by_line = cells_by_line(toks)
    out: list[IndicatorFact] = []
    for cells in by_line.values():
        note = _bracketed_value(cells, vocab, fiscal_year)
        if note is not None:  # 1,200件(前年度実績 1,085件): the figure before the bracket stays the line's last
            value, _, _ = cells[-2].text.partition("(")
            cells = cells[:-2] + ([replace(cells[-2], text=value)] if value else [])
        if len(cells) < 2 or not cells[-1].text[:1].isdigit() or cells[-1].text[-1:].isdigit():
            continue  # a line of counted items ends with a figure and its unit
        if _ITEM_MARK.fullmatch(cells[0].text + " "):
            cells = cells[1:]  # (1) ボランティア登録者数 …: the item's number
        if len(cells) > 2 and looks_like_project(cells[0].text, vocab):
            cells = cells[1:]  # (2) 見守り訪問事業 訪問回数 目標 2,400回: the item's project, then what it counts
        if len(cells) in (3, 4) and cells[0].text in vocab.value_role:
            cells = [cells[1], cells[0], *cells[2:]]  # 目標 配食数 年間 28,000食: the role first, then what it counts
        facts: list[IndicatorFact] = []
        k = 0
        while k < len(cells):
            name_cell = cells[k]
            role = vocab.value_role.get(cells[k + 1].text) if k + 2 < len(cells) else None
            at = k + 2 if role else k + 1
            qualifier = cells[at].text if at + 1 < len(cells) and cells[at].text in vocab.value_qualifiers else None
            at += bool(qualifier)  # 受講者数 目標 延べ 480人: what the figure counts, before it
            value_cell = cells[at] if at < len(cells) else None
            fact = _counted(name_cell, value_cell, role or default_role, vocab, taken, qualifier)
            if fact is None or not (role or unlabelled):
                facts = []
                break
            facts.append(fact)
            k = at + 1
        if facts and note is not None and note[1] == facts[-1].unit and note[0].cell not in taken:
            last = facts[-1]
            facts[-1] = IndicatorFact(last.name, last.kind, last.unit, last.span, last.token, (*last.values, note[0]),
                                      last.how)
        out += facts
    return out


def _bracketed_value(cells: list[Token], vocab: Vocabulary, fiscal_year: int | None
                     ) -> tuple[ValueFact, str] | None:
    """``(value, unit)`` a line's last two cells print in a bracket: a year and a role, then a figure
    (``(前年度実績`` ``1,085件)``, ``1,200件(令和5年度実績`` ``74人)``); None when they do not."""
    if len(cells) < 4 or "(" not in cells[-2].text or not cells[-1].text.endswith(")"):
        return None
    label, figure = cells[-2].text.partition("(")[2], cells[-1].text[:-1]
    m = _TABLE_VALUE.fullmatch(figure)
    role, year = _label_role_year(label, vocab)
    for word, offset in vocab.relative_years.items():
        if label.startswith(word) and fiscal_year is not None:
            year = fiscal_year + offset
    if m is None or role is None or year is None or not m.group("unit"):
        return None
    try:
        value = parse_number(m.group("v"))
    except NumberFormatError:
        return None
    return ValueFact(role, value, figure, cells[-1].span, year, cells[-1].index), m.group("unit")


def _counted(name_cell: Token, value_cell: Token | None, role: str, vocab: Vocabulary, taken: set[int],
             qualifier: str | None = None) -> IndicatorFact | None:
    name = _subject(name_cell.text).lstrip(_BULLETS)
    m = _TABLE_VALUE.fullmatch(value_cell.text) if value_cell is not None else None
    unit = m.group("unit") if m else ""
    if (not unit or _count_unit(unit, vocab) != unit or unit in SHARE_UNITS or m.group("y") or value_cell.index in taken
            or name_cell.index in taken or not _may_name_count(name, vocab)):
        return None
    try:
        value = parse_number(m.group("v"))
    except NumberFormatError:
        return None
    year = _label_role_year(name, vocab)[1] if _LABEL_YEAR.match(name) else None
    return IndicatorFact(name, "activity", unit, value_cell.span, name_cell.index, (
        ValueFact(role, value, value_cell.text, value_cell.span, year, value_cell.index, qualifier),), "counted item")


def _may_name_count(name: str, vocab: Vocabulary) -> bool:
    """Whether a line's text can name what it counts: an indicator row's name (words, not money), and not
    a sentence, a label, a header word or a derived column."""
    return (len(name) >= 2 and may_name(name, name, vocab) and "。" not in name and name not in vocab.labels
            and name not in vocab.indicator_header_words and name not in vocab.derived_value_columns
            and not _TABLE_VALUE.fullmatch(name))


_LABEL_YEAR = re.compile(r"(?:令和|平成|昭和|[RHS])\s?(?:\d{1,2}|元)\s?年度?|(?:19|20)\d{2}\s?年度")


def _label_role_year(label: str, vocab: Vocabulary) -> tuple[str | None, int | None]:
    """The year (平成27年度) and the role (実績) a label prints, each None when it prints none."""
    m = _LABEL_YEAR.search(label)
    year = _year(m.group(0)) if m else None
    role = next((vocab.value_role[w] for w in sorted(vocab.value_role, key=len, reverse=True) if label.endswith(w)),
                None)
    return role, year


def _is_role_year(label: str, vocab: Vocabulary) -> bool:
    rest = _LABEL_YEAR.sub("", label)
    return rest in vocab.value_role or rest == ""


_ROLE_VALUE = re.compile(r"(?P<label>[^:：]{1,12}?)[:：](?P<value>.+)")  # 目標値:90%, 最終目標(R8):27.0 in one cell
_ITEM_NUMBER = re.compile(r"^(?:[(（]\d{1,2}[)）]|[①-⑳])")


_QUALIFIED = re.compile(r"(.+?)[(（]([^()（）]{1,4})[)）]")
_NOTE = re.compile(r"[(（][^()（）\d]{1,10}[)）]")  # (新規), (見込): a note in brackets, no figure
_NOTE_AFTER = re.compile(_NOTE.pattern + "$")


def _year_cell(toks: list[Token], k: int, era: str | None, vocab: Vocabulary) -> int | None:
    """The year cell ``k`` is (2023年度, R5), printed before a value and naming no role; else None."""
    if k >= len(toks):
        return None
    column = header_column(toks[k].text, era, vocab)
    return column.year if column is not None and column.role is None and not column.bracketed else None


def labelled_values(toks: list[Token], vocab: Vocabulary, era: str | None, taken: set[int]) -> list[IndicatorFact]:
    """Values each printed after its own role label, after an indicator label and its name:
    ``成果指標 参加者数 単位 人 目標値 500 実績値 480``, ``活動指標 開催回数 回 R4目標 12 R4実績 10``,
    ``目標値:90%``. A role label followed by several values is a table row whose header was not read:
    none of it is taken. Cells in ``taken`` belong to other facts."""
    out: list[IndicatorFact] = []
    n = len(toks)
    units = set(vocab.non_money_units)
    read_to = 0  # cells before this one were read as part of a fact
    for t in toks:
        if ":" not in t.text and not _ITEM_NUMBER.match(t.text) and vocab.indicator_kind(t.text) is None:
            continue  # most cells are no indicator label: skip them before taking one apart
        label, _, rest = _ITEM_NUMBER.sub("", t.text).partition(":")
        kind = vocab.indicator_kind(label)  # 重要業績評価指標(KPI), KPI①: with its abbreviation or its number
        if kind is None or t.index < read_to:
            continue
        j = t.index + 1
        name, unit, first = (rest, None, t) if rest else (None, None, None)  # KPI:観光入込客数
        while j < n and toks[j].text != "単位" and (
                toks[j].text in vocab.indicator_header_words or toks[j].text in vocab.indicator):
            j += 1  # 活動指標 指標名 …: the words that head the name
        while j < n and name is None:  # the name: the first cell that is not a label, a unit or a value
            cell = toks[j].text
            if (cell in vocab.labels or cell in units or _TABLE_VALUE.fullmatch(cell) or len(cell) < 2
                    or cell in vocab.indicator_header_words):
                break  # (指標名 単位 基準値 28年度 …: a table's header, no indicator's name)
            name, first = cell, toks[j]
            j += 1
        if name is None:
            continue
        name, unit = split_unit(name, vocab)
        counted = _QUALIFIED.fullmatch(name)
        name_qualifier = None
        if counted and counted.group(2) in vocab.value_qualifiers:  # 企業誘致件数(累計): what all its values count
            name, name_qualifier = counted.group(1), counted.group(2)
        values: list[ValueFact] = []
        while j < n:
            cell = _ITEM_NUMBER.sub("", toks[j].text)
            if cell in ARROWS:
                j += 1  # 基準値 0件(R2) → 目標値 12件(R6): from one value to the next
                continue
            if cell == "単位" and j + 1 < n and toks[j + 1].text in units:
                unit, j = toks[j + 1].text, j + 2
                continue
            if cell in units:
                unit, j = cell, j + 1
                continue
            inline = _ROLE_VALUE.fullmatch(cell)
            if inline and inline.group("label") == "単位" and inline.group("value") in units:
                unit, j = inline.group("value"), j + 1  # 単位:%
                continue
            label = inline.group("label") if inline else cell
            column = header_column(label, era, vocab)
            if column is None or column.role is None:
                break
            k, year_before, qualifier = j + (0 if inline else 1), None, None
            if inline and header_column(inline.group("value"), era, vocab) is not None:
                before = header_column(inline.group("value"), era, vocab)  # 基準値:H29 18.4: the year, then the value
                if before.role is None and before.year is not None:
                    inline, year_before, k = None, before.year, j + 1
            if not inline:  # 実績値 2023年度 20,415人 | 目標 延べ 1,200件: a year, a qualifier before the value
                before = _year_cell(toks, k, era, vocab)
                if before is not None:
                    year_before, k = before, k + 1
                if k < n and toks[k].text in vocab.value_qualifiers:
                    qualifier, k = toks[k].text, k + 1
            value_tok = toks[k] if k < n else None
            value_cell = inline.group("value") if inline else (value_tok.text if value_tok else "")
            v = _TABLE_VALUE.fullmatch(value_cell)
            if value_tok is None or value_tok.index in taken or not (v or is_no_value(_NOTE_AFTER.sub("", value_cell))):
                break  # (基準値 -(新規): no value, and a note on why)
            nxt = k + 1
            if (nxt < n and _TABLE_VALUE.fullmatch(toks[nxt].text) and toks[nxt].index not in taken
                    and _year_cell(toks, nxt, era, vocab) is None):
                values = []  # 目標値 52,000 53,000 …: a row of a table, not one labelled value
                break
            year = column.year or year_before or (_year(v.group("y")) if v is not None and v.group("y") else None)
            after = header_column(toks[nxt].text, era, vocab) if nxt < n else None
            if year is None and after is not None and after.bracketed:
                year, nxt = after.year, nxt + 1  # 基準値 120万人 (R1): the year printed after the value
            elif nxt < n and _NOTE.fullmatch(toks[nxt].text) and after is None:
                nxt += 1  # 基準値 - (新規): a note on the value, not a cell of the next one
            if v is not None and column.role != "derived":
                try:
                    values.append(ValueFact(column.role, parse_number(v.group("v")), value_cell, value_tok.span,
                                            year, value_tok.index, qualifier or name_qualifier))
                except NumberFormatError:
                    pass
                unit = unit or v.group("unit") or None
            # 実績値 2022年度 93.8% 2023年度 94.6%: more years of the same role, each before its value
            while year_before is not None and nxt + 1 < n and toks[nxt + 1].index not in taken:
                more, m = _year_cell(toks, nxt, era, vocab), _TABLE_VALUE.fullmatch(toks[nxt + 1].text)
                if more is None or m is None or (m.group("unit") or None) != (v.group("unit") if v else None):
                    break
                try:
                    values.append(ValueFact(column.role, parse_number(m.group("v")), toks[nxt + 1].text,
                                            toks[nxt + 1].span, more, toks[nxt + 1].index))
                except NumberFormatError:
                    break
                nxt += 2
            j = nxt
        if values:
            out.append(IndicatorFact(name, kind, unit, first.span, first.index, tuple(values), "labelled values"))
            read_to = j
    return out
