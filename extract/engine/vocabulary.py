"""The label vocabulary (``vocabulary.yaml`` beside this module), loaded once and compiled.

The YAML file is the data; this module only turns it into lookups and regular expressions that
the recognisers share. Labels are matched after :func:`extract.engine.normalize.normalize_line`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import yaml

VOCABULARY_FILE = Path(__file__).with_name("vocabulary.yaml")


@dataclass(frozen=True)
class KindEvidence:
    """Words that show a document is of one kind: in its title (weight 10) or its body (weight 1)."""

    title: tuple[str, ...]
    body: tuple[str, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: the cached lookups below key on it
class Vocabulary:
    project_name: tuple[str, ...]
    project_code: tuple[str, ...]
    department: tuple[str, ...]
    department_short: tuple[str, ...]
    unit_suffixes: tuple[str, ...]
    money: dict[str, str]  # label -> amount category
    funding: dict[str, str]  # label -> funding type as printed
    money_headers: tuple[str, ...]
    negative_words: tuple[str, ...]
    negative_after: tuple[str, ...]  # words right after a sum that make it a decrease (1億円減)
    ceiling_words: tuple[str, ...]
    non_money_units: tuple[str, ...]
    target_bounds: tuple[str, ...]
    count_conditions: tuple[str, ...]
    final_target_columns: tuple[str, ...]
    row_group_captions: dict[str, str]
    remark_columns: tuple[str, ...]
    ditto_marks: tuple[str, ...]
    reference_labels: tuple[str, ...]
    value_qualifiers: tuple[str, ...]
    date_units: tuple[str, ...]
    word_units: tuple[str, ...]
    indicator: dict[str, str]  # label -> indicator kind
    value_role: dict[str, str]  # label -> value role
    estimate_labels: tuple[str, ...]
    year_placeholders: tuple[str, ...]
    target_labels: tuple[str, ...]
    indicator_header_words: tuple[str, ...]
    row_number_columns: tuple[str, ...]
    derived_value_columns: tuple[str, ...]
    grades: tuple[str, ...]
    hierarchy: dict[str, str]  # label -> element level
    direction_labels: tuple[str, ...]
    direction_words: dict[str, str]  # as printed -> the direction it states
    sdg: tuple[str, ...]
    project_suffixes: tuple[str, ...]
    not_project_names: tuple[str, ...]
    not_project_endings: tuple[str, ...]
    not_project_starts: tuple[str, ...]
    row_project_endings: tuple[str, ...]
    non_project_headings: tuple[str, ...]
    per_unit_words: tuple[str, ...]  # 当たり: a money label with one is a cost per unit, not a project's cost
    reviewed_parties: tuple[str, ...]  # 指定管理者: the organisation after it is reviewed, not the publisher
    account_headers: tuple[str, ...]  # 会計名, 款, 勘定科目: the rows under one name accounts, not projects
    account_headings: tuple[re.Pattern[str], ...]  # 3款 民生費: a budget account's heading
    heading_endings: tuple[str, ...]
    enumeration_heads: tuple[str, ...]
    table_sides: dict[str, str]  # caption word -> expenditure | income
    total_labels: tuple[str, ...]
    total_endings: tuple[str, ...]
    difference_columns: tuple[str, ...]
    column_group_captions: tuple[str, ...]
    budget_columns: tuple[str, ...]
    supplementary_words: tuple[str, ...]  # a title's word for a supplementary budget (補正): no year's budget
    account_titles: tuple[str, ...]
    account_columns: tuple[str, ...]
    relative_years: dict[str, int]  # 前年度 -> -1: a year told from the document's
    expense_item_endings: tuple[str, ...]
    count_label_endings: tuple[str, ...]
    staff_labels: tuple[str, ...]  # 正規職員, 非常勤: a row of people or of what they cost
    direction_targets: tuple[str, ...]  # 増加, 現状維持: a target stated as a direction, no figure
    kinds: dict[str, KindEvidence]
    title_topics: tuple[str, ...]  # kinds whose title words name a topic (総合戦略, KPI), not a form
    template: KindEvidence
    template_blanks: tuple[re.Pattern[str], ...]  # blanks a form leaves where a sheet prints a year

    @property
    def labels(self) -> frozenset[str]:
        """Every label of every field: what a value is not."""
        return _all_labels(self)

    def label_pattern(self) -> re.Pattern[str]:
        """One pattern matching any label, longest first (to split text that a dump ran together)."""
        return _label_pattern(self)

    def indicator_kind(self, cell: str) -> str | None:
        """The kind an indicator label names (活動指標 → activity), as printed with its number (KPI①,
        成果指標2) or its abbreviation (重要業績評価指標(KPI)); None when the cell is no indicator label."""
        return _indicator_kind(self, cell)

    def bracketed_count_unit(self, label: str) -> str | None:
        """The count unit a label's closing bracket holds (従事職員数(人), 人件費(人工)), or None."""
        m = _BRACKET_UNIT.search(label)
        unit = m.group(1).partition("/")[0] if m else None  # (人/日): people a day
        return m.group(1) if unit in self.non_money_units else None

    def names_count(self, label: str) -> bool:
        """Whether a row's or column's label names a count or a rate (従事職員数(人), 利用率, 従事時間): its figures
        are no sums."""
        return label_text(label).endswith(self.count_label_endings) or self.bracketed_count_unit(label) is not None

    def is_difference(self, label: str) -> bool:
        """Whether a column's label names a difference between two others (増減, 前年度比増減, 比較増減)."""
        core = label_text(label)
        return core in self.difference_columns or core.endswith(("増減", "増減額"))

    def is_total(self, label: str) -> bool:
        """Whether a row's label names a total (合計, 計, 款計, 衛生費計), not a sum of its own kind."""
        core = label_text(label)
        return core in self.total_labels or (core.endswith(self.total_endings) and self.money_label(core) is None)

    def money_label(self, token: str) -> tuple[str, str] | None:
        """``(field, code)`` if ``token`` is (or ends with) a money or funding label."""
        return _money_label(self, token)


def _tuple(data: dict, key: str) -> tuple[str, ...]:
    return tuple(str(x) for x in data.get(key) or ())


@cache
def vocabulary(path: Path = VOCABULARY_FILE) -> Vocabulary:
    """The vocabulary in ``path`` (the bundled file by default)."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    kinds = {
        name: KindEvidence(_tuple(ev, "title"), _tuple(ev, "body")) for name, ev in (data.get("kinds") or {}).items()
    }
    template = data.get("template") or {}
    return Vocabulary(
        project_name=_tuple(data, "project_name"),
        project_code=_tuple(data, "project_code"),
        department=_tuple(data, "department"),
        department_short=_tuple(data, "department_short"),
        unit_suffixes=_tuple(data, "unit_suffixes"),
        money={str(k): str(v) for k, v in (data.get("money") or {}).items()},
        funding={str(k): str(v) for k, v in (data.get("funding") or {}).items()},
        money_headers=_tuple(data, "money_headers"),
        negative_words=_tuple(data, "negative_words"),
        negative_after=_tuple(data, "negative_after"),
        ceiling_words=_tuple(data, "ceiling_words"),
        non_money_units=_tuple(data, "non_money_units"),
        target_bounds=_tuple(data, "target_bounds"),
        count_conditions=_tuple(data, "count_conditions"),
        final_target_columns=_tuple(data, "final_target_columns"),
        row_group_captions={str(k): str(v) for k, v in (data.get("row_group_captions") or {}).items()},
        remark_columns=_tuple(data, "remark_columns"),
        ditto_marks=_tuple(data, "ditto_marks"),
        reference_labels=_tuple(data, "reference_labels"),
        value_qualifiers=_tuple(data, "value_qualifiers"),
        date_units=_tuple(data, "date_units"),
        word_units=_tuple(data, "word_units"),
        indicator={str(k): str(v) for k, v in (data.get("indicator") or {}).items()},
        value_role={str(k): str(v) for k, v in (data.get("value_role") or {}).items()},
        estimate_labels=_tuple(data, "estimate_labels"),
        year_placeholders=_tuple(data, "year_placeholders"),
        target_labels=_tuple(data, "target_labels"),
        indicator_header_words=_tuple(data, "indicator_header_words"),
        row_number_columns=_tuple(data, "row_number_columns"),
        derived_value_columns=_tuple(data, "derived_value_columns"),
        grades=_tuple(data, "grades"),
        hierarchy={str(k): str(v) for k, v in (data.get("hierarchy") or {}).items()},
        direction_labels=_tuple(data, "direction_labels"),
        direction_words={str(k): str(v) for k, v in (data.get("direction_words") or {}).items()},
        sdg=_tuple(data, "sdg"),
        project_suffixes=tuple(sorted(_tuple(data, "project_suffixes"), key=len, reverse=True)),
        not_project_names=_tuple(data, "not_project_names"),
        not_project_endings=_tuple(data, "not_project_endings"),
        not_project_starts=_tuple(data, "not_project_starts"),
        row_project_endings=_tuple(data, "row_project_endings"),
        non_project_headings=_tuple(data, "non_project_headings"),
        per_unit_words=_tuple(data, "per_unit_words"),
        reviewed_parties=_tuple(data, "reviewed_parties"),
        account_headers=_tuple(data, "account_headers"),
        account_headings=tuple(re.compile(p) for p in _tuple(data, "account_headings")),
        heading_endings=_tuple(data, "heading_endings"),
        enumeration_heads=_tuple(data, "enumeration_heads"),
        table_sides={str(k): str(v) for k, v in (data.get("table_sides") or {}).items()},
        total_labels=_tuple(data, "total_labels"),
        total_endings=_tuple(data, "total_endings"),
        difference_columns=_tuple(data, "difference_columns"),
        column_group_captions=_tuple(data, "column_group_captions"),
        budget_columns=_tuple(data, "budget_columns"),
        supplementary_words=_tuple(data, "supplementary_words"),
        account_titles=_tuple(data, "account_titles"),
        account_columns=_tuple(data, "account_columns"),
        relative_years={str(k): int(v) for k, v in (data.get("relative_years") or {}).items()},
        expense_item_endings=_tuple(data, "expense_item_endings"),
        count_label_endings=_tuple(data, "count_label_endings"),
        staff_labels=_tuple(data, "staff_labels"),
        direction_targets=_tuple(data, "direction_targets"),
        kinds=kinds,
        title_topics=_tuple(data, "title_topics"),
        template=KindEvidence(_tuple(template, "title"), _tuple(template, "body")),
        template_blanks=tuple(re.compile(p) for p in _tuple(template, "blanks")),
    )


@cache
def _all_labels(v: Vocabulary) -> frozenset[str]:
    return frozenset(
        (*v.project_name, *v.project_code, *v.department, *v.money, *v.funding, *v.indicator, *v.value_role,
         *v.hierarchy)
    )


@cache
def _label_pattern(v: Vocabulary) -> re.Pattern[str]:
    labels = sorted((label for label in v.labels if len(label) >= 2), key=len, reverse=True)
    return re.compile("|".join(re.escape(label) for label in labels))


_LABEL_NUMBER = re.compile(r"(?<=\D)(?:[①-⑳]|\d{1,2})$")  # KPI①, 成果指標2


@cache
def _indicator_kind(v: Vocabulary, cell: str) -> str | None:
    for form in (cell, label_text(cell)):
        kind = v.indicator.get(form) or v.indicator.get(_LABEL_NUMBER.sub("", form))
        if kind is not None:
            return kind
    return None


_NOTE_AFTER = re.compile(r"[(（【\[].*$")
_WORDS_AFTER_BRACKET = re.compile(r"[)）】\]][^()（）【】\[\]]*[^()（）【】\[\]\s:：・]$")


@cache
def label_text(cell: str) -> str:
    """A label cell without the bracketed unit or note after it (決算額(千円) → 決算額, 一般財源【単位:円】
    → 一般財源), or the bracket a wrapped note left open before it ((うち人件費 → うち人件費); the cell
    itself when nothing else is left."""
    if cell[:1] in "(（" and not re.search(r"[)）]", cell):
        cell = cell[1:]
    if _WORDS_AFTER_BRACKET.search(cell):
        return cell  # 観光地域づくり法人(DMO)支援事業: a bracket inside a name is no note after it
    return _NOTE_AFTER.sub("", cell).strip() or cell


_BRACKET_UNIT = re.compile(r"[(（]([^()（）]{1,6})[)）]$")


@cache
def _money_label(v: Vocabulary, token: str) -> tuple[str, str] | None:
    if v.bracketed_count_unit(token) is not None:
        return None  # 人件費(人工) 0.80: the staff it takes, not money
    core = label_text(token).strip("・:：")  # 事業費(A), 一般財源【単位:円】
    for label in sorted(v.money, key=len, reverse=True):
        if core.endswith(label):  # (1件当たり事業費: a cost per unit, kept as printed with its label)
            return "money", "stated" if any(w in core for w in v.per_unit_words) else v.money[label]
    for label in sorted(v.funding, key=len, reverse=True):
        if core.endswith(label):
            return "funding", v.funding[label]
    return None
