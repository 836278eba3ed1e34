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
from policy_kg.extract.engine.normalize import Line, Token, cells_by_line
from policy_kg.extract.engine.table_headers import header_column, header_word
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
                  unlabelled: bool) -> list[IndicatorFact]:
    """Lines that print what was done and how much of it, each name followed by one figure in its count
    unit, a role label between them if any: ``防犯灯の新設 85基``, ``交通安全教室の開催 42回 参加者 3,150人``,
    ``(1) ボランティア登録者数 目標 850人``. The role is the label's, else the document's (a plan's counts
    are planned values), else unspecified; the year the name begins with (令和4年度交付件数), else none.
    ``unlabelled``: whether a name and a figure with no role between them count (in a report of results
    they are its results; elsewhere such a line is as often a note). A line with any other cell, a bound
    (20名程度), a rate (3.3%) or a cell another fact took is not one."""
    by_line = cells_by_line(toks)
    out: list[IndicatorFact] = []
    for cells in by_line.values():
        if len(cells) < 2 or not cells[-1].text[:1].isdigit() or cells[-1].text[-1:].isdigit():
            continue  # a line of counted items ends with a figure and its unit
        if _ITEM_MARK.fullmatch(cells[0].text + " "):
            cells = cells[1:]  # (1) ボランティア登録者数 …: the item's number
        if len(cells) > 2 and looks_like_project(cells[0].text, vocab):
            cells = cells[1:]  # (2) 見守り訪問事業 訪問回数 目標 2,400回: the item's project, then what it counts
        facts: list[IndicatorFact] = []
        k = 0
        while k < len(cells):
            name_cell = cells[k]
            role = vocab.value_role.get(cells[k + 1].text) if k + 2 < len(cells) else None
            value_cell = cells[k + 2] if role else (cells[k + 1] if k + 1 < len(cells) else None)
            fact = _counted(name_cell, value_cell, role or default_role, vocab, taken)
            if fact is None or not (role or unlabelled):
                facts = []
                break
            facts.append(fact)
            k += 3 if role else 2
        out += facts
    return out


def _counted(name_cell: Token, value_cell: Token | None, role: str, vocab: Vocabulary, taken: set[int]
             ) -> IndicatorFact | None:
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
        ValueFact(role, value, value_cell.text, value_cell.span, year, value_cell.index),), "counted item")


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


_ROLE_VALUE = re.compile(r"(?P<label>[^:：\d]{1,8})[:：](?P<value>.+)")  # 目標値:90% in one cell
_NUMBERED_LABEL = re.compile(r"(?<=\D)(?:[①-⑳]|\d{1,2})$")  # KPI①, 成果指標2
_ITEM_NUMBER = re.compile(r"^(?:[(（]\d{1,2}[)）]|[①-⑳])")


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
        if t.text not in vocab.indicator and ":" not in t.text and not _ITEM_NUMBER.match(t.text) and (
                header_word(t.text) not in vocab.indicator) and _NUMBERED_LABEL.sub("", t.text) not in vocab.indicator:
            continue  # most cells are no indicator label: skip them before taking one apart
        label, _, rest = _ITEM_NUMBER.sub("", t.text).partition(":")
        # 重要業績評価指標(KPI), KPI①: a label with its abbreviation or its number
        kind = (vocab.indicator.get(label) or vocab.indicator.get(header_word(label))
                or vocab.indicator.get(_NUMBERED_LABEL.sub("", label)))
        if kind is None or t.index < read_to:
            continue
        j = t.index + 1
        name, unit, first = (rest, None, t) if rest else (None, None, None)  # KPI:観光入込客数
        while j < n and toks[j].text != "単位" and (
                toks[j].text in vocab.indicator_header_words or toks[j].text in vocab.indicator):
            j += 1  # 活動指標 指標名 …: the words that head the name
        while j < n and name is None:  # the name: the first cell that is not a label, a unit or a value
            cell = toks[j].text
            if cell in vocab.labels or cell in units or _TABLE_VALUE.fullmatch(cell) or len(cell) < 2:
                break
            name, first = cell, toks[j]
            j += 1
        if name is None:
            continue
        name, unit = split_unit(name, vocab)
        values: list[ValueFact] = []
        while j < n:
            cell = _ITEM_NUMBER.sub("", toks[j].text)
            if cell == "単位" and j + 1 < n and toks[j + 1].text in units:
                unit, j = toks[j + 1].text, j + 2
                continue
            if cell in units:
                unit, j = cell, j + 1
                continue
            inline = _ROLE_VALUE.fullmatch(cell)
            label, value_cell, step = (inline.group("label"), inline.group("value"), 1) if inline else (
                cell, toks[j + 1].text if j + 1 < n else "", 2)
            column = header_column(label, era, vocab)
            if column is None or column.role is None:
                break
            value_tok = toks[j] if inline else (toks[j + 1] if j + 1 < n else None)
            v = _TABLE_VALUE.fullmatch(value_cell)
            if value_tok is None or value_tok.index in taken or not (v or is_no_value(value_cell)):
                break
            nxt = j + step
            if nxt < n and _TABLE_VALUE.fullmatch(toks[nxt].text) and toks[nxt].index not in taken:
                values = []  # 目標値 52,000 53,000 …: a row of a table, not one labelled value
                break
            year = column.year or (_year(v.group("y")) if v is not None and v.group("y") else None)
            after = header_column(toks[nxt].text, era, vocab) if nxt < n else None
            if year is None and after is not None and after.bracketed:
                year, nxt = after.year, nxt + 1  # 基準値 120万人 (R1): the year printed after the value
            if v is not None and column.role != "derived":
                try:
                    values.append(ValueFact(column.role, parse_number(v.group("v")), value_cell, value_tok.span,
                                            year, value_tok.index))
                except NumberFormatError:
                    pass
                unit = unit or v.group("unit") or None
            j = nxt
        if values:
            out.append(IndicatorFact(name, kind, unit, first.span, first.index, tuple(values), "labelled values"))
            read_to = j
    return out
