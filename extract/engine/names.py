"""Names: projects and departments, found by their labels, by list structure, or by repetition.

Project recognisers, in order of the evidence they need:
- **labelled**: the value after a project-name label (``事務事業名 …``); labels and markers in
  between are skipped, and a name wrapped onto the next line is rejoined;
- **listed**: the items of a list (``・…``, ``(1) …``, ``1.…``, a code ``070101 …``), or a line
  followed by a department line (``所管課: …``), whose text ends like a project's name
  (``…事業``, ``…業務``); a numbered heading that cites a statute (``(定款第4条第1号)``) is a
  business line of a foundation's plan whatever its ending;
- **repeated**: in a one-project sheet whose label lost its value, a project-like name printed
  twice or more;
- **enumerated**: the items of an enumeration in prose that an enumeration head opens
  (``主な工事は、A改修、B整備、C建設などで…``), whatever their endings: the head says what they are.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache

from policy_kg.extract.engine.normalize import CJK, Line, Token, cell_of, cells_by_line
from policy_kg.extract.engine.vocabulary import Vocabulary, label_text
from policy_kg.extract.numbers import UNIT_ALT
from policy_kg.extract.records import Span

LABEL_REACH = 14  # cells after a label where its value may sit in a scrambled dump
MAX_NAME = 48
_MARKER = re.compile(
    r"^(?:[・•◆◇■□●○◎]\s*|\(\d{1,2}\)\.?\s*|（\d{1,2}）\s*|[①-⑳]\s*|\d{1,2}[.．]\s*(?:【[^】]{0,12}】)?\s*"
    r"|\d{4,}(?:-\d+)*\s+|\d{1,2}-\d{1,2}(?:-\d{1,2})?\s+|\d{1,2}\s+(?=\D)"
    r"|(?:I{1,3}|IV|VI{0,3}|IX|X)[.．\s]\s*|第[一二三四五六七八九十\d]{1,3}\s+"  # II 重点事業 (Ⅱ), 第3 資金計画
    r"|[公収他共]\d{1,2}\s+)"  # 公1 文化芸術振興事業: a public-interest body's category of its projects
)
_INLINE_MARKER = re.compile(r"(?:(?<=\s)|^)(?:\(\d{1,2}\)|（\d{1,2}）|[①-⑳]|・)\s*")
_LEADING_TAG = re.compile(r"^(?:\([^)]{1,3}\)|（[^）]{1,3}）|【[^】]{0,12}】|<\s*|＜\s*)")
# a statute citation ending a heading: (定款第4条第1号); OCR may lose its bracket and misread its first
# character (…交付事業健款第4条第1項第2号)), so "?款第N条…)" counts too
_LEGAL_REF = re.compile(r"(?:[(（][^()（）]*(?:定款|公益目的事業|条|号)[^()（）]*[)）]?"
                        r"|[^\s()（）]款第\d+条[^()（）]*[)）])\s*$")
_PARTICLE_START = re.compile(r"^[もをはがにとの、。]")
_BRACKETED = re.compile(r"[<＜]\s*([^<>＜＞]{3,40}?)\s*[>＞]")


@dataclass(frozen=True)
class NameFact:
    name: str
    span: Span
    token: int
    how: str  # labelled | listed | heading | repeated | enumerated | table row
    code: str | None = None
    label: str | None = None  # the label whose value it is (labelled names)


@dataclass(frozen=True)
class _Patterns:
    suffix_end: re.Pattern[str]  # where a project-name ending ends a candidate name
    department_line: re.Pattern[str]  # 所管課: 健康管理課
    enumeration: re.Pattern[str]  # 主な事業は、
    direction_column: re.Pattern[str]  # 拡充 コミュニティバス運行事業: a list's 区分 column before the name


def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@cache
def _patterns(vocab: Vocabulary) -> _Patterns:
    """The vocabulary's words compiled once (they were joined and escaped again for every line)."""
    return _Patterns(
        re.compile(rf"(?:{_alternation(vocab.project_suffixes)})(?:[(（][^()（）]{{0,30}}[)）])?(?=\s|$|[(（])"),
        re.compile(rf"(?:{_alternation(vocab.department)})\s*[:：]\s*\S"),
        re.compile(rf"(?:{_alternation(vocab.enumeration_heads)})(?:は|には|として|では)[、,]?\s*"),
        re.compile(rf"^(?:{_alternation(tuple(vocab.direction_words))})\s+(?=\S{{4}})"),
    )


def _strip(text: str) -> str:
    return text.strip(" :：・,、")


_ERA_START = re.compile(r"^(?:令和|平成|昭和|[HR]\d)")


def _balanced(text: str) -> bool:
    return all(text.count(a) == text.count(b) for a, b in ("()", "（）", "「」", "【】", "<>"))


_CLAUSE = re.compile(r"[はがをにで][、,]")  # a particle and a comma: a clause of a sentence
_PART_OF = ("うち", "内訳", "(うち", "（うち")


@lru_cache(maxsize=16384)  # asked of the same names by several recognisers
def looks_like_project(name: str, vocab: Vocabulary) -> bool:
    """Whether ``name`` reads as one project's name: it ends like one, and is not a label, a
    heading of a group of projects, a count (``22 事業``), a year's heading or a sentence."""
    core = _LEGAL_REF.sub("", name).strip()
    core = re.sub(r"[(（][^()（）]*[)）]\s*$", "", core).strip()  # a trailing note: …事業(生物多様性地域戦略)
    if not (4 <= len(core) <= MAX_NAME) or "。" in core or re.match(r"^\d", core) or _ERA_START.match(core):
        return False
    if _CLAUSE.search(core) or core.startswith(_PART_OF):
        return False  # …の居室改修は、県補助金: a sentence's clause; うち市補助金: a part of a sum above
    if ":" in core or re.search(r"\d\s*事業$", core) or not _balanced(core) or "..." in core or "…" in core:
        return False  # (新規…新たに取り組む事業: a legend's explanation of a mark)
    if core in vocab.labels or core in vocab.project_suffixes or core in vocab.not_project_names:
        return False
    if core.endswith(vocab.not_project_endings) or core.startswith(vocab.not_project_starts):
        return False
    return core.endswith(vocab.project_suffixes) and bool(re.search(f"[{CJK}]", core[:-2] or "x"))


def _is_label_like(text: str, vocab: Vocabulary) -> bool:
    core = re.sub(r"[(（].*$", "", text).lstrip("①②③④⑤⑥⑦⑧⑨⑩0123456789.()（）")
    return core in vocab.labels or any(core.endswith(label) for label in vocab.labels if len(label) >= 3)


def labelled_projects(toks: list[Token], vocab: Vocabulary) -> list[NameFact]:
    """Values of project-name labels."""
    out: list[NameFact] = []
    for t in toks:
        core = re.sub(r"[(（].*$", "", t.text).lstrip("①②③④⑤⑥⑦⑧⑨⑩0123456789.")
        if core not in vocab.project_name:
            continue
        found = None
        for j in range(t.index + 1, min(len(toks), t.index + 1 + LABEL_REACH)):
            cand = _LEADING_TAG.sub("", toks[j].text)
            if looks_like_project(cand, vocab):
                found = j
                break
        if found is None:
            continue
        name = _LEADING_TAG.sub("", toks[found].text)
        prev = toks[found - 1]
        # a name wrapped onto a second line: 新たなエネルギー社会の構築 / 推進事業費
        if (prev.index > t.index and prev.line == toks[found].line - 1 and len(name) <= 6
                and re.fullmatch(f"[{CJK}ー・]{{4,}}", prev.text) and not _is_label_like(prev.text, vocab)):
            name = prev.text + name
        out.append(NameFact(name, toks[found].span, found, "labelled", label=core))
    return out


def begins_label(text: str, labels: Iterable[str]) -> bool:
    """Whether ``text`` is the beginning of one of ``labels`` and not all of it (所 of 所管課): where a
    document cut inside a label stops."""
    text = text.strip()
    return 0 < len(text) < 4 and any(lab.startswith(text) and lab != text for lab in labels)


def _segments(text: str) -> list[str]:
    """A line split at the list markers inside it: ``(1) A事業 (2) B事業`` → ``A事業``, ``B事業``."""
    cuts = [m.start() for m in _INLINE_MARKER.finditer(text)]
    if not cuts or cuts[0] != 0:
        cuts = [0] + cuts
    return [text[a:b].strip() for a, b in zip(cuts, cuts[1:] + [len(text)]) if text[a:b].strip()]


def _project_prefix(text: str, vocab: Vocabulary) -> str | None:
    """The shortest beginning of ``text`` that is a project name (a list item with notes after it)."""
    text = _LEADING_TAG.sub("", _MARKER.sub("", text, count=1)).strip()
    text = re.sub(r"^\S\s+(?=\S{4})", "", _patterns(vocab).direction_column.sub("", text))  # (自 …, 拡充 …)
    for m in _patterns(vocab).suffix_end.finditer(text):
        cand = _without_heading(_after_figures(text[: m.end()]), vocab)
        if looks_like_project(cand, vocab):
            return cand
    text = _without_heading(_after_figures(text), vocab)
    return text if looks_like_project(text, vocab) else None


def _without_heading(name: str, vocab: Vocabulary) -> str:
    """A name without the heading a flattened list printed before it (``子育て支援の充実 こども医療費助成事業``:
    a measure's phrase, then the project)."""
    head, _, rest = name.partition(" ")
    return rest if rest and head.endswith(vocab.heading_endings) and looks_like_project(rest, vocab) else name


_SUM_WORD = re.compile(rf"[▲△]?\d[\d,.]*(?:億|万|千)?[\d,.]*(?:{UNIT_ALT})\S*")  # 42億5,000万円(こども家庭課)


def _rows_of(segment: str, vocab: Vocabulary) -> list[str]:
    """A segment cut after each sum printed with its unit and what follows it in brackets: the rows of a
    list flattened into one line (``A事業 42億円(こども家庭課) B事業 18億円(こども家庭課)``)."""
    if "円" not in segment:
        return [segment]  # no sum printed with its unit: one row
    words = segment.split(" ")
    cuts = [k + 1 for k, w in enumerate(words[:-1]) if _SUM_WORD.fullmatch(w)]
    bounds = [0, *cuts, len(words)]
    return [" ".join(words[a:b]) for a, b in zip(bounds, bounds[1:]) if a < b]


_DIGIT = re.compile(r"\d")
_FIGURE_WORD = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?[^\d\s]{0,3}")  # 1,380 | 86% | 12回: a cell, not a word


def _after_figures(text: str) -> str:
    """What follows the last figure cell of a flattened row (``… 12回 ・満足度 86% かわせみ水辺学習事業``): no
    name holds a figure as one of its words."""
    if " " not in text or not _DIGIT.search(text):
        return text  # most names: one word, or no figure at all
    words = text.split(" ")
    last = max((k for k, w in enumerate(words) if _FIGURE_WORD.fullmatch(w)), default=-1)
    return " ".join(words[last + 1:]).strip()


def listed_projects(
    lines: list[Line], toks: list[Token], vocab: Vocabulary, *, headings: bool, budget_rows_only: bool = False
) -> list[NameFact]:
    """Items of lists whose text ends like a project name; with ``headings``, statute-citing headings too.

    ``budget_rows_only``: only the budget items of a cost table (``11(浜手施設整備事業)``), for a
    one-project sheet whose name label lost its value (its other lists are field notes, not projects).
    """
    by_line = cells_by_line(toks)
    out: list[NameFact] = []
    for i, line in enumerate(lines):
        nxt = lines[i + 1].text if i + 1 < len(lines) else ""
        if _PARTICLE_START.match(nxt):
            continue  # the line is prose that runs on
        cells = by_line.get(i, [])
        tok = cells[0].index if cells else 0
        # a list of results prints each project over its department: 健康ポイント事業 / 所管課: 健康管理課
        followed_by_unit = bool(_patterns(vocab).department_line.match(nxt)) or (
            i + 1 == len(lines) - 1 and begins_label(nxt, vocab.department))  # cut inside its department label
        budget_row = re.fullmatch(r"\d{1,4}\(([^()]{3,40})\)", line.text)  # 11(浜手施設整備事業): a budget item
        if budget_row and looks_like_project(budget_row.group(1), vocab):
            out.append(NameFact(budget_row.group(1), line.span, tok, "listed"))
            continue
        if budget_rows_only:
            continue
        code = re.match(r"^(\d{4,}(?:-\d+)*|\d{1,2}-\d{1,2}(?:-\d{1,2})?)\s", line.text)
        reached = 0  # the cell the last name on this line began at
        for m in _BRACKETED.finditer(line.text):
            if looks_like_project(m.group(1), vocab):
                k = cell_of(cells, m.group(1).strip(), reached) if cells else 0
                reached = k + 1
                out.append(NameFact(_strip(m.group(1)), line.span, cells[k].index if cells else tok, "listed"))
        reached = 0
        for segment in (part for whole in _segments(line.text) for part in _rows_of(whole, vocab)):
            name = _project_prefix(segment, vocab)
            if name is None and headings and _LEGAL_REF.search(segment) and re.match(r"^\(?\d{1,2}[.．)\s]", segment):
                head = _LEGAL_REF.sub("", _MARKER.sub("", segment, count=1)).strip()
                if 3 <= len(head) <= MAX_NAME and "。" not in head and head not in vocab.non_project_headings:
                    out.append(NameFact(head, line.span, tok, "heading"))
                continue
            if (name is None and followed_by_unit and 3 <= len(segment) <= MAX_NAME and "。" not in segment
                    and not any(_FIGURE_WORD.search(w) for w in segment.split(" ")[1:])):
                name = _MARKER.sub("", segment, count=1).strip()  # (実績値:9件 達成率:75.0%: values, no name)
            if name and not any(label_text(word) in vocab.labels for word in name.split(" ")):
                # (a header's labels before a name are a flattened table's, not the name's words)
                name = _LEGAL_REF.sub("", name).strip()
                # a flattened list prints its rows on one line: each name is at its own cell, not the line's first
                k = cell_of(cells, name, reached) if cells else 0
                if _remark(cells, k, vocab):
                    continue
                reached = k + 1
                out.append(NameFact(_strip(name), line.span, cells[k].index if cells else tok, "listed",
                                    code.group(1) if code else None))
    return out


_ENUM_ITEM_SEP = re.compile(r"[、,]\s*")
_ENUM_END = re.compile(r"(?:など|等)(?=[でのをがはと、。,]|$)")


def _remark(cells: list[Token], k: int, vocab: Vocabulary) -> bool:
    """Whether cell ``k`` is the remark at the end of a row of sums that a label opens (町補助金収入
    18,500,000 17,000,000 … あおば町観光振興補助金): the row's note, not a project."""
    return (k == len(cells) - 1 and len(cells) >= 3 and not looks_like_project(cells[0].text, vocab)
            and bool(_FIGURE_WORD.fullmatch(cells[1].text)) and bool(_FIGURE_WORD.fullmatch(cells[k - 1].text)))


def enumerated_projects(lines: list[Line], toks: list[Token], vocab: Vocabulary) -> list[NameFact]:
    """Projects enumerated in prose after an enumeration head: ``主な事業は、A、B、Cなどです``.

    The enumeration runs from the head to the first など (or 等) of its sentence; one without that
    ending is not read (where it stops is then unclear). Items are split at 、 only: ・ joins the
    parts of one name (第二・第三駐車場整備).
    """
    if not vocab.enumeration_heads:
        return []
    opening = _patterns(vocab).enumeration
    first_token = {}
    for t in toks:
        first_token.setdefault(t.line, t.index)
    out: list[NameFact] = []
    for i, line in enumerate(lines):
        for m in opening.finditer(line.text):
            sentence = line.text[m.end():].split("。")[0]
            end = _ENUM_END.search(sentence)
            if end is None:
                continue
            items = [_strip(x) for x in _ENUM_ITEM_SEP.split(sentence[:end.start()])]
            if len(items) < 2 or not all(_enumerated_item(x, vocab) for x in items):
                continue
            out += [NameFact(x, line.span, first_token.get(i, 0), "enumerated") for x in items]
    return out


def _enumerated_item(text: str, vocab: Vocabulary) -> bool:
    return (2 <= len(text) <= MAX_NAME and bool(re.search(f"[{CJK}]", text)) and not _PARTICLE_START.match(text)
            and not re.search(r"\d[\d,.]*\s?(?:%|％|円|万円|億円)", text) and text not in vocab.labels)


def account_rows(lines: list[Line], toks: list[Token], vocab: Vocabulary) -> frozenset[int]:
    """The lines of tables of a budget's accounts: under a header whose first cell is an account column
    (会計名 令和6年度 令和5年度 増減額, 款 …), each line of a name and figures, to the first that is not."""
    by_line = cells_by_line(toks)
    out: set[int] = set()
    for i in range(len(lines)):
        head = by_line.get(i, [])
        if len(head) < 3 or head[0].text not in vocab.account_headers or any(_FIGURE_WORD.fullmatch(c.text)
                                                                             for c in head[1:]):
            continue
        for row in range(i + 1, len(lines)):
            cells = by_line.get(row, [])
            if len(cells) < 2 or _FIGURE_WORD.fullmatch(cells[0].text) or not all(
                    _FIGURE_WORD.fullmatch(c.text) or c.text in ("-", "－") for c in cells[1:]):
                break
            out.add(row)
    return frozenset(out)


def spending_line(label: str, vocab: Vocabulary) -> bool:
    """Whether the row label of an expenditure table names what the money is spent on (an event, a
    programme: a project), not a total or a kind of expense (消耗品費, 委託料)."""
    if vocab.is_total(label) or label in vocab.labels or label in vocab.not_project_names:
        return False
    if label.endswith(vocab.project_suffixes):
        return looks_like_project(label, vocab)
    return not label.endswith(vocab.expense_item_endings) and not label.endswith(vocab.unit_suffixes[:2])


def repeated_projects(toks: list[Token], vocab: Vocabulary) -> list[NameFact]:
    """Project-like names printed at least twice (a sheet's header repeats its project's name)."""
    counts = Counter(_LEADING_TAG.sub("", t.text) for t in toks)
    out, seen = [], set()
    for t in toks:
        name = _LEADING_TAG.sub("", t.text)
        if counts[name] >= 2 and name not in seen and looks_like_project(name, vocab):
            seen.add(name)
            out.append(NameFact(name, t.span, t.index, "repeated"))
    return out


@cache
def _department_start(vocab: Vocabulary) -> re.Pattern[str]:
    """A department label at the start of a cell, the longest that fits."""
    return re.compile("|".join(re.escape(lab) for lab in sorted(vocab.department, key=len, reverse=True)))


UPPER_UNITS = ("部", "局", "委員会")  # units a division is printed after (教育委員会 生涯学習課)


def departments(toks: list[Token], vocab: Vocabulary) -> list[NameFact]:
    """Values of department labels: the first cell after the label that ends like a unit's name."""
    out: list[NameFact] = []
    starts = _department_start(vocab)
    for t in toks:
        text = t.text.lstrip("①②③④⑤⑥⑦⑧⑨⑩")
        m = starts.match(text)
        if m is None:
            continue
        label = m.group(0)
        rest = _strip(text[len(label):])
        candidates = ([rest] if rest else []) + [toks[j].text for j in range(t.index + 1, min(len(toks), t.index + 6))]
        for k, cand in enumerate(candidates):
            cand = _strip(cand)
            if 2 <= len(cand) <= 30 and cand.endswith(vocab.unit_suffixes) and not _is_label_like(cand, vocab):
                out.append(NameFact(cand, t.span, t.index, "labelled"))
                # 産業振興部 農政課: the division printed after its department is the same label's value
                nxt = _strip(candidates[k + 1]) if k + 1 < len(candidates) else ""
                if (cand.endswith(UPPER_UNITS) and 2 <= len(nxt) <= 30 and nxt.endswith(vocab.unit_suffixes)
                        and not nxt.endswith(UPPER_UNITS) and not _is_label_like(nxt, vocab)):
                    out.append(NameFact(nxt, t.span, t.index, "labelled"))
                break
    return out


_BRACKETED_UNIT = re.compile(r"(?P<name>.+?)[(（【](?P<label>[^:：()（）【】]{1,6})[:：](?P<unit>[^:：()（）【】]{2,30})[)）】]")


_BRACKETED_BARE_UNIT = re.compile(r"(?P<name>.+?)[(（](?P<unit>[^:：()（）\d]{2,15})[)）]")


def bracketed_unit(name: str, vocab: Vocabulary) -> tuple[str, str | None]:
    """A project's name and the unit its bracket names (``防犯灯設置補助事業(担当:市民協働課)`` →
    防犯灯設置補助事業, 市民協働課); the name as it is and None when it has no such bracket."""
    m = _BRACKETED_UNIT.fullmatch(name)
    if m is None:
        bare = _BRACKETED_BARE_UNIT.fullmatch(name)  # 特別養護老人ホーム運営事業(介護事業部): the unit alone
        if bare and bare.group("unit").endswith(vocab.unit_suffixes) and looks_like_project(bare.group("name"), vocab):
            return bare.group("name").strip(), bare.group("unit").strip()
        return name, None
    if not (m.group("label") in vocab.department or m.group("label") in vocab.department_short) or (
            not m.group("unit").endswith(vocab.unit_suffixes)):
        return name, None
    return m.group("name").strip(), m.group("unit").strip()


DIRECTION_REACH = 10  # cells after a direction label where its options or its word are printed
_TICKED = "■●◉☑✓✔"
_UNTICKED = "□○◯☐"


def directions(toks: list[Token], vocab: Vocabulary) -> list[tuple[str, Token]]:
    """The direction each direction label states, and the label's cell: the one ticked option
    (``□拡充 ■継続 □縮小``), or the one word printed when no option is shown. Several words and no
    tick state nothing (a list of the options, not a choice)."""
    out: list[tuple[str, Token]] = []
    for t in toks:
        if _MARKER.sub("", t.text, count=1).strip("()（）【】:： ") not in vocab.direction_labels:
            continue
        ticked, plain, options = [], [], 0
        for j in range(t.index + 1, min(len(toks), t.index + 1 + DIRECTION_REACH)):
            cell = toks[j].text
            mark, word = (cell[0], cell[1:].strip()) if cell[:1] in _TICKED + _UNTICKED else ("", cell)
            word = word.strip("()（）")
            if word not in vocab.direction_words:
                if cell in vocab.labels or (j > t.index + 1 and not mark and not word):
                    break
                continue
            if mark and mark in _TICKED:
                ticked.append(vocab.direction_words[word])
            elif mark:
                options += 1
            else:
                plain.append(vocab.direction_words[word])
        if len(ticked) == 1:
            out.append((ticked[0], t))
        elif not ticked and not options and len(plain) == 1:
            out.append((plain[0], t))
    return out


_LEVEL_ORDER = ("policy_goal", "policy", "policy_field", "measure")


@dataclass(frozen=True)
class HeadingFact:
    level: str  # policy_goal | policy | policy_field | measure
    name: str
    number: str | None
    span: Span
    token: int


def hierarchy(toks: list[Token], vocab: Vocabulary, within: range | None = None) -> list[HeadingFact]:
    """Values of hierarchy labels (基本目標, 政策, 施策 …): the level above a sheet's project (``within``:
    the cells of one sheet of a file of sheets).

    The value is what follows the label in its own cell (``施策04水と緑の空間を形成する``) or the
    next cell, after an optional number; it must read as a name (not a label, a unit, a figure).
    """
    labels = sorted(vocab.hierarchy, key=len, reverse=True)
    out: list[HeadingFact] = []
    seen: set[str] = set()
    for t in (toks if within is None else toks[within.start:within.stop]):
        label = next((lab for lab in labels if t.text.startswith(lab)), None)
        if label is None or vocab.hierarchy[label] in seen:
            continue
        rest = t.text[len(label):]
        if rest and not re.match(r"[\d\-]", rest):
            continue  # 施策体系, 政策調整会議: another word that starts like the label
        cands = [rest] if rest.strip("0123456789-") else []
        cands += [toks[j].text for j in range(t.index + 1, min(len(toks), t.index + 3))]
        number = None
        for cand in cands:
            m = re.fullmatch(r"(?P<n>\d{1,3}(?:-\d{1,3})*)?\s*(?P<name>.+)", cand)
            if not m:
                continue
            name = m.group("name").strip(" :：")
            if (4 <= len(name) <= 40 and not _PARTICLE_START.match(name) and not name.endswith(("、", "。", "政")) and re.fullmatch(f"[{CJK}A-Za-z・、ー()（）]+", name)
                    and not _is_label_like(name, vocab) and not name.endswith(vocab.unit_suffixes)
                    and not looks_like_project(name, vocab)):
                seen.add(vocab.hierarchy[label])
                out.append(HeadingFact(vocab.hierarchy[label], name, m.group("n") or number, t.span, t.index))
                break
            if re.fullmatch(r"\d{1,3}(?:-\d{1,3})*", cand):
                number = cand  # the heading's number, its name in the next cell
                continue
            break
    return sorted(out, key=lambda h: _LEVEL_ORDER.index(h.level))


SDG_REACH = 20  # cells after an SDG label where its target codes are printed
_SDG_CODE = re.compile(r"(?:1[0-7]|[1-9])\.(?:[1-9][0-9]?|[a-z])")


def sdg_targets(toks: list[Token], vocab: Vocabulary) -> list[tuple[str, int]]:
    """SDG target codes printed after an SDG label (``SDGs 8.1 8.3``, ``関連するSDGs: 11.4、4.a``), with
    the cell each sits in. A code elsewhere (a section 8.1, a rate 8.1%) is not a target."""
    out: list[tuple[str, int]] = []
    labels = tuple(sorted(vocab.sdg, key=len, reverse=True))
    for t in toks:
        if not t.text.lstrip("【(（").startswith(labels):
            continue
        for j in range(t.index, min(len(toks), t.index + SDG_REACH)):
            cell = toks[j].text
            if j > t.index and _is_label_like(cell, vocab):
                break
            for m in _SDG_CODE.finditer(cell):
                after = cell[m.end():m.end() + 1]
                if after in ("%", "％") or (after.isdigit()):
                    continue
                out.append((m.group(0), j))
    return out
