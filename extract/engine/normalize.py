"""Normalising text dumped from PDF: the logical lines and cells the recognisers read.

What a PDF text dump does to a table, and what is undone here:
- full-width digits and letters, ideographic spaces (NFKC; ▲/△ and ㈱ kept);
- letter-spaced labels (``事 業 費`` → ``事業費``) and vertical captions printed one character per
  line (``事`` / ``業`` / ``費`` → ``事業費``);
- HTML tables flattened to `` |`` separated cells, and figures whose cells ran together
  (``2,34719,20618,810`` → ``2,347`` ``19,206`` ``18,810``: a thousands group has three digits);
- a thousands separator followed by a space (``1, 100,000千円``);
- long runs of text with no blanks, split before every label of the vocabulary.
Every cell keeps the span of source lines it came from.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from policy_kg.extract.engine.vocabulary import Vocabulary, vocabulary
from policy_kg.extract.numbers import UNIT_FACTORS, normalize
from policy_kg.extract.records import Span
from policy_kg.extract.source import SourceText

CJK = "\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々〆ヶ"
_ONE_CJK = re.compile(f"[{CJK}]")
_ONE_SPACED = re.compile(f"[{CJK}A-Za-z0-9()（）:：・%％‰]")  # a character of a letter-spaced cell
_SPACES = re.compile(r"[\s|]+")
# 1, 100,000千円: a thousands group after ", " only where the figure ends in a unit of money
_BROKEN_GROUP = re.compile(r"(?<![\d,])(\d{1,3}), (\d{3}(?:,\d{3})*(?:\s?(?:百万|千|万|億)?円))")
_RUN_TOGETHER = re.compile(r"\d{1,3}(?:,\d{3,})+")
_COMMA_NUMBER = re.compile(r"[▲△]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_BRACKET_GROUP = re.compile(r"【[^】]{1,12}】")
_UNIT_RUN = re.compile(r"(?:百万円|千円|万円|円){2,}")  # column-unit cells that ran together
# a figure followed by + or a bracket ends its cell: 16,655+着地型 4,694 | 31,367(51.4%); not the bracket of
# its own year (12,000(R2): a value and the year it was measured in)
_FIGURE_THEN = re.compile(r"(\d{1,3}(?:,\d{3})+)([+(])(?!(?:[RHS]\d|令和|平成|昭和|元年|(?:19|20)\d\d年))")
# year headers printed without blanks: 令和４年度令和５年度令和６年度 → one cell a year
_YEAR_RUN = re.compile(r"(年度)(?=(?:令和|平成|昭和|[RH])\s?\d)")
# an era year printed letter-spaced: 平成2 0 年度 is 平成20年度, not 平成2
_SPACED_ERA_YEAR = re.compile(r"(令和|平成|昭和) ?(\d) (\d)(?= ?年)")
# an era and its year printed as separate cells: 平成 23 年度決算 is one cell, 平成23年度決算
_SPACED_ERA = re.compile(r"(令和|平成|昭和) (\d{1,2}|元) (?=年)")
# a mixed amount whose parts a dump set apart: 212億 4,000 万円 is 21,240,000,000 yen, not 4,000 万円
_SPACED_MIXED = re.compile(r"(\d) ?(億|万) (?=\d[\d,]*(?:\.\d+)? ?(?:千万|万|千)?円)")
# a bracket of letter-spaced characters, however its blanks fall: (千 円), ( 単 位 : 円 )
_SPACED_BRACKET = re.compile(f"\\(\\s*([{CJK}:](?:\\s+[{CJK}:])+)\\s*\\)")
# a letter-spaced line's cells, where the dump kept a wider gap between them than between their letters
_CELL_GAP = re.compile(r"\t+| {2,}")
# a figure printed letter-spaced with its separators: 1 2 , 3 4 5 is 12,345; 9 5 . 8 % is 95.8%
_SPACED_FIGURE = re.compile(r"(?<!\S)\d(?: \d){0,2}(?: , \d \d \d)+(?!\S)|(?<!\S)\d(?: \d){0,2} \. \d(?: \d){0,2} ?%")
_KEEPS_LABEL = set("(（:：【[")
_YEAR_BEFORE = re.compile(r"(?:[RHS]\d{1,2}|\d{4}|年度?)$")
LONG_TOKEN = 24  # a cell longer than this with labels inside is text the dump ran together


@dataclass(frozen=True)
class Line:
    """A logical line: one source line, or a vertical caption joined from several."""

    text: str
    span: Span
    after_blank: bool = False  # a blank line stands before it (a table's row ends there)


@dataclass(frozen=True)
class Token:
    """A cell: blank-separated text of one logical line."""

    text: str
    line: int  # index of its logical line
    index: int  # position in the document's token stream
    span: Span
    after_blank: bool = False  # the first cell of a line that follows a blank line


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def normalize_line(text: str) -> str:
    """One line as the recognisers read it (NFKC, blanks folded, letter-spacing collapsed).

    Circled numbers (①…⑳) are list markers, not digits: NFKC would turn ① into 1, so they are kept.
    """
    text = _delimited(text)
    if "\u3000" in text:  # 2 　 けやき緑道整備事業: an ideographic space alone between cells is a blank cell
        text = _BLANK_CELL.sub(" － ", text)
    protected = "".join(f"\0{_CIRCLED.index(c)}\0" if c in _CIRCLED else c for c in text)
    s = _join_spaced_cells(normalize(protected))
    if "→" in s or "⇒" in s or "➡" in s:
        s = _ARROW.sub(" \\1 ", s)
    if "…" in s or "・・" in s or "‥" in s or "..." in s:
        s = _MONEY_LEADER.sub(" ", s)
    s = _SPACES.sub(" ", s).strip()
    if " , " in s or " . " in s:  # (most lines print no letter-spaced figure)
        s = _SPACED_FIGURE.sub(lambda m: m.group(0).replace(" ", ""), s)
    s = re.sub(r"\0(\d+)\0", lambda m: _CIRCLED[int(m.group(1))], s)
    s = _BROKEN_GROUP.sub(r"\1,\2", s)
    s = _FIGURE_THEN.sub(r"\1 \2", s)
    s = _YEAR_RUN.sub(r"\1 ", s)
    s = _SPACED_ERA_YEAR.sub(r"\1\2\3", s)
    s = _SPACED_ERA.sub(r"\1\2", s)
    s = _SPACED_MIXED.sub(r"\1\2", s)
    parts = s.split(" ")
    out: list[str] = []
    run: list[str] = []
    for part in parts + [""]:
        if len(part) == 1 and _ONE_SPACED.fullmatch(part):
            run.append(part)
            continue
        if run:
            out += _collapse(run)
            run = []
        if part:
            out.append(part)
    s = " ".join(out)
    return _SPACED_BRACKET.sub(lambda m: "(" + m.group(1).replace(" ", "") + ")", s) if "(" in s else s


# 防災訓練事業・・・・2,500千円: a leader between a name and its sum is a cell boundary (a count's leader,
# 当財団枠…64名, stays: labelled_values reads it)
_MONEY_LEADER = re.compile(r"\s*(?:…+|‥+|・{2,}|\.{3,})\s*(?=[▲△]?\d[\d,]*(?:\.\d+)?(?:億|万|千|百万)?円|[▲△]?\d[\d,]*億)")
_BRACKETED_FIGURE = re.compile(r"[(（][▲△]?\d[\d,]*(?:\.\d+)?[)）]")
_BLANK_CELL = re.compile(r"(?<=\S)[ \t]+\u3000[ \t]+(?=\S)")
ARROWS = ("→", "⇒", "➡")  # between two values of one indicator: from one to the next
_ARROW = re.compile(r"\s*([→⇒➡])\s*")  # 0件(R2)→ 目標値 12件: the arrow between two values is a cell of its own
_CSV_LINE = re.compile(r'^\s*"[^"]*"\s*,')  # "環境学習推進事業","3,210",…: a spreadsheet saved as CSV
_THOUSANDS = re.compile(r"\d,\d{3}(?!\d)")  # a figure's separator: the line is no unquoted CSV


def _delimited(text: str) -> str:
    """A line a spreadsheet exported, its cells joined by tabs (TSV) or quoted and joined by commas (CSV):
    the cells joined by blanks, an empty cell between two others printed as "－" (nothing printed there,
    which is no value: the cells after it keep their columns)."""
    if "\t" not in text and "," not in text:
        return text  # most lines: no spreadsheet's separator at all
    if "\t" in text.strip():
        cells = [c.strip() for c in text.strip().split("\t")]
    elif _CSV_LINE.match(text) or (text.count(",") >= 2 and not re.search(r"\s", text.strip())
                                   and not _THOUSANDS.search(text)):  # 科目,令和7年度予算額,増減: a CSV header
        try:
            cells = [c.strip() for c in next(csv.reader([text]))]
        except (csv.Error, StopIteration):
            return text
    else:
        return text
    return " ".join(c.replace(" ", "") or "－" for c in cells)


def _join_spaced_cells(s: str) -> str:
    """A letter-spaced line whose cells a wider gap separates (``事 業 費  1 2 , 3 4 5``, as a layout dump
    prints it): each cell of single characters is one word, digits included; the gap stays a cell boundary."""
    if "  " not in s and "\t" not in s:
        return s  # one blank between all cells: nothing tells cells from letters
    cells = _CELL_GAP.split(s.strip())
    spaced = [" " in c and all(len(p) == 1 for p in c.split(" ")) for c in cells]
    if not any(sp and len(_ONE_CJK.findall(c)) >= 2 for sp, c in zip(spaced, cells)):
        return s  # not a letter-spaced line: single blanks between one-digit cells are cell boundaries too
    return "  ".join(c.replace(" ", "") if sp else c for sp, c in zip(spaced, cells))


def _collapse(run: list[str]) -> list[str]:
    """A run of one-character cells: letter-spacing when two or more are CJK (``R 2 決 算`` → R2決算,
    ``( 単 位 : 千 円 )``), its letters, digits and brackets joined; digits at either end stay cells
    (``目 標 1 2 3``: a spaced label, then its values). Any other run is kept as it is."""
    if sum(1 for c in run if _ONE_CJK.fullmatch(c)) < 2:
        return run
    lead = 0
    while lead < len(run) and run[lead].isdigit():
        lead += 1
    tail = len(run)
    while tail > lead and run[tail - 1].isdigit():
        tail -= 1
    cells = [cell for part in _RUN_BOUNDARY.split("".join(run[lead:tail])) for cell in _cut_at_labels(part)]
    return run[:lead] + cells + run[tail:]


@cache
def _title_pattern() -> re.Pattern[str]:
    """The documents' title words, longest first (施策評価シート, 事業計画書): never cut into labels."""
    v = vocabulary()
    words = {w for ev in [*v.kinds.values(), v.template] for w in ev.title if len(w) >= 3}
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def _cut_at_labels(text: str) -> list[str]:
    """A letter-spaced run that opens with a label lost its cell boundaries with its blanks: it is cut
    before every label of the vocabulary and after it, unless a bracket or colon follows
    (``事業名道路補修事業担当課土木課`` → 事業名 道路補修事業 担当課 土木課; ``事業費(千円)`` stays one cell).
    A run that opens with other text is a name or a title, whose words may hold labels (地域福祉計画推進事業)."""
    labels = vocabulary().label_pattern()
    if not labels.match(text):
        return [text]
    cuts = {0, len(text)}
    titles = [(m.start(), m.end()) for m in _title_pattern().finditer(text)]  # 施策評価シート: one word
    for m in labels.finditer(text):
        if any(a <= m.start() < b and (m.start(), m.end()) != (a, b) for a, b in titles):
            continue
        if not _YEAR_BEFORE.search(text, 0, m.start()):  # R3実績: a column's year and role are one cell
            cuts.add(m.start())
        if text[m.end() : m.end() + 1] not in _KEEPS_LABEL:
            cuts.add(m.end())
    bounds = sorted(cuts)
    return [text[a:b] for a, b in zip(bounds, bounds[1:])]


# where a letter-spaced run held two cells: after a closing bracket (( 千 円 ) R 3 決 算 → (千円) R3決算) and
# before a year (冊 R 3 実 績 → 冊 R3実績); the dump's spacing no longer tells them apart
_RUN_BOUNDARY = re.compile(r"(?<=[)）])(?=.)|(?<=[^(（])(?=(?:[RHS]\d|令和|平成|昭和))")  # not 目標値(R6)


_ENDS_IN_FIGURE = re.compile(r"[^\s\d,.]\d[\d,.]*$")  # 上限50: a figure glued to the words before it
_WRAPPED_UNIT = re.compile(r"(?:億|万|千|百万)?円[^\s\d]")  # 万円)を補助: a unit glued to the words after it


_CUT_GROUP = re.compile(r"\d,(\d{0,2})$")  # 5, | 5,1: a figure cut inside a group of three digits
_CUT_UNIT = re.compile(r"\d(?:億|万|千|百万)$")  # 3,200千 | 1億: a figure cut inside its unit
_LEADING_DIGITS = re.compile(r"\d+")


def _figure_goes_on(before: str, text: str) -> bool:
    """Whether a line continues the figure the line before it ends with: a sentence wrapped between a figure
    and its unit (上限50 / 万円)を補助), a unit cut (3,200千 / 円, 1億 / 2,345万円), or a group of three digits cut
    (3, / 200千円, 5,1 / 00)."""
    if not text[:1].isdigit() and text[:1] not in "円千万億百":
        return False
    if "円" in text[:4] and _WRAPPED_UNIT.match(text) and _ENDS_IN_FIGURE.search(before):
        return True
    if _CUT_UNIT.search(before):  # (12万 / 3,500円: a count, then a price — only 億 is cut so)
        return text.startswith("円") or (before.endswith("億") and bool(re.match(r"\d[\d,]*万円", text)))
    cut = _CUT_GROUP.search(before)
    head = _LEADING_DIGITS.match(text)
    return bool(cut and head and len(cut.group(1)) + len(head.group(0)) == 3)


def logical_lines(src: SourceText) -> list[Line]:
    """The document's non-empty lines, normalised, vertical captions joined."""
    lines: list[Line] = []
    caption: list[tuple[str, int]] = []
    blank = False

    def flush() -> None:
        if len(caption) >= 2:
            lines.append(Line("".join(c for c, _ in caption), Span(caption[0][1], caption[-1][1])))
        elif caption:
            lines.append(Line(caption[0][0], Span.line(caption[0][1])))
        caption.clear()

    from policy_kg.extract.engine.side_by_side import reading_order  # (it reads years, which read cells)

    for n, raw in reading_order(src.lines):
        text = normalize_line(raw)
        if not text:
            blank = True  # a blank line does not end a vertical caption: dumps put blanks between its characters
            continue
        if not caption and lines and not blank and lines[-1].span.end == n - 1 and _figure_goes_on(lines[-1].text, text):
            lines[-1] = Line(lines[-1].text + text, Span(lines[-1].span.start, n), lines[-1].after_blank)
            continue  # (3,200千 / 円: the figure's unit, not a vertical caption's character)
        if len(text) == 1 and _ONE_CJK.fullmatch(text):
            caption.append((text, n))
            continue
        flush()
        lines.append(Line(text, Span.line(n), after_blank=blank))
        blank = False
    flush()
    return lines


def split_run_together(cell: str) -> list[str]:
    """``2,34719,20618,810`` → ``2,347``, ``19,206``, ``18,810`` (every group of a figure has 3 digits)."""
    if not _RUN_TOGETHER.fullmatch(cell) or all(len(g) == 3 for g in cell.split(",")[1:]):
        return [cell]
    groups = cell.split(",")
    figures, current = [], groups[0]
    for group in groups[1:]:
        current += "," + group[:3]
        if len(group) > 3:
            figures.append(current)
            current = group[3:]
    figures.append(current)
    return figures if all(f and not f.endswith(",") for f in figures) else [cell]


def _split_long(cell: str, vocab: Vocabulary) -> list[str]:
    if len(cell) <= LONG_TOKEN:
        return [cell]
    labels = vocab.label_pattern()
    cuts = {0, len(cell)}
    for m in labels.finditer(cell):
        cuts.update((m.start(), m.end()))
    for m in _COMMA_NUMBER.finditer(cell):
        cuts.add(m.start())
        if not _COUNTER_AFTER.match(cell, m.end()) or _unit_or_label_at(cell, m.end(), vocab):
            cuts.add(m.end())  # 7,200食を提供する: a count glued to its counter word stays with it
    for pattern in (_BRACKET_GROUP, _UNIT_RUN):
        for m in pattern.finditer(cell):
            cuts.update((m.start(), m.end()))
    bounds = sorted(cuts)
    return [cell[a:b] for a, b in zip(bounds, bounds[1:]) if cell[a:b].strip()]


# a counter word and a particle after a figure: prose (7,200食を提供する, 23クラブを運営), not a table's cell
_COUNTER_AFTER = re.compile(f"[{CJK}]{{1,4}}?[をがはにでともへ、。]")


def _unit_or_label_at(cell: str, at: int, vocab: Vocabulary) -> bool:
    """Whether a unit (of money or a count) or a label starts at ``at``: a figure's own cell ends there."""
    rest = cell[at:]
    return rest.startswith((*UNIT_FACTORS, *vocab.non_money_units)) or bool(
        vocab.label_pattern().match(rest))


class TokenList(list):
    """A document's token stream, which also keeps its cells grouped by line once they are asked for
    (a dozen recognisers ask; the stream is not changed after ``tokens()`` made it)."""

    __slots__ = ("by_line",)

    def __init__(self) -> None:
        super().__init__()
        self.by_line: dict[int, list[Token]] | None = None


def tokens(lines: list[Line], vocab: Vocabulary | None = None) -> list[Token]:
    """The token stream of ``lines``: cells in reading order, each with its source span."""
    vocab = vocab or vocabulary()
    out: list[Token] = TokenList()
    for i, line in enumerate(lines):
        if _PAGE_NUMBER.fullmatch(line.text):
            continue  # - 2 -: a page's number, no cell of the text
        first = True
        cells = line.text.split(" ")
        if ":" in line.text or "【" in line.text:  # 事業名称:… | 【KPI①】…: a label glued to its value
            cells = [c for whole in cells for c in _label_and_value(whole, vocab)]
        previous = ""
        part_row = bool(cells) and cells[0].startswith("うち")  # うち補助金 (800) (850): a part of the sum above
        for cell in cells:
            if part_row and _BRACKETED_FIGURE.fullmatch(cell):
                cell = cell[1:-1]
            m = _NOTE_REF.fullmatch(cell) if ("※" in cell or "注" in cell or "*" in cell) else None
            if m and (m.group(1) or _FIGURE_END.search(previous)):
                if not m.group(1):
                    continue  # 2,550 ※1: a footnote's mark after a figure, no cell of the row
                cell = m.group(1)  # 2,550※: the figure
            previous = cell
            for piece in _split_long(cell, vocab):
                for figure in split_run_together(piece):
                    out.append(Token(figure, i, len(out), line.span, after_blank=line.after_blank and first))
                    first = False
    return out


_PAGE_NUMBER = re.compile(r"[-‐―—]\s?\d{1,3}\s?[-‐―—]")
NOTE_MARKS = ("※", "＊", "*", "注")  # what a note opens with (※補正予算を含む): no row of a table, no guide's prose
# A footnote's mark glued to a figure (2,550※, 2,550※1, 2,550*) or printed after it as a cell (※1, (※1), 注1)
_NOTE_REF = re.compile(r"([▲△]?\d[\d,.]*)?[(（]?(?:※|注|\*)\d?[)）]?")
_FIGURE_END = re.compile(r"\d$")


def _label_and_value(cell: str, vocab: Vocabulary) -> list[str]:
    """A label and its value printed as one cell with a colon (``事業名称:にぎわい創出事業``): two cells."""
    label, colon, value = cell.partition(":")
    if colon and value and label in vocab.labels and value not in UNIT_FACTORS and value not in vocab.non_money_units:
        return [label, value]  # (事業費:千円 is the label's unit, a declaration: one cell)
    tag = _TAG.match(cell)
    if tag and (tag.group(1) in vocab.labels or vocab.indicator_kind(tag.group(1))):
        # 【KPI①】企業誘致件数: a label in brackets before its value, or alone (【成果指標1】)
        return [tag.group(1), cell[tag.end():]] if tag.end() < len(cell) else [tag.group(1)]
    return [cell]


_TAG = re.compile(r"【([^】]{1,12})】")


def alone_on_line(toks: list[Token], k: int) -> bool:
    """Whether cell ``k`` is the only cell of its line (a dump of one cell per line prints each so)."""
    return (k == 0 or toks[k - 1].line != toks[k].line) and (k + 1 >= len(toks) or toks[k + 1].line != toks[k].line)


def cells_by_line(toks: list[Token]) -> dict[int, list[Token]]:
    """The cells of each logical line, in order (lines without cells are absent). Read it, do not change it:
    a document's stream hands every caller the same one."""
    if isinstance(toks, TokenList) and toks.by_line is not None:
        return toks.by_line
    by_line: dict[int, list[Token]] = {}
    for t in toks:
        by_line.setdefault(t.line, []).append(t)
    if isinstance(toks, TokenList):
        toks.by_line = by_line
    return by_line


def cell_of(cells: list[Token], text: str, start: int = 0) -> int:
    """The position among a line's ``cells``, from ``start`` (the cell after the previous fact's), of the
    cell where ``text`` begins (its first word is in it), else ``start``: a fact read from a line's text is at its own cell, so that
    what a flattened line prints before it is not its owner's."""
    first = text.split(" ")[0]
    start = min(start, len(cells) - 1)
    return next((k for k in range(start, len(cells)) if first and first in cells[k].text), start)
