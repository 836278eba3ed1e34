"""Tables of projects whose rows the dump kept on their lines: a list of evaluated projects.

A header line names the columns, one of them a project-name label (事務事業名) and another a
department or money label::

    No. 事務事業名 担当課 決算額(千円) 評価
    1 ひかり館維持管理事業 生涯学習課 12,345 A
    2 市民ふれあいまつり 市民協働課 3,210 B

Each following line with exactly as many cells as the header is a row: the cell under the name
label is a project's name, whatever its ending (the column says what it is), the cell under a
department label its department, a figure under a money label its amount of that kind. A line with
another number of cells ends the table (a name with a blank inside cannot be placed by count).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.engine.normalize import CJK, Line, Token
from policy_kg.extract.engine.vocabulary import Vocabulary, label_text
from policy_kg.extract.numbers import is_no_value

_FIGURE = re.compile(r"[▲△-]?\d[\d,]*(?:\.\d+)?")


@dataclass(frozen=True)
class ProjectRow:
    name: Token
    unit: Token | None  # the cell under a department label
    figures: tuple[tuple[Token, str], ...]  # each figure under a money label, and that label (決算額)


def project_rows(lines: list[Line], toks: list[Token], vocab: Vocabulary) -> list[ProjectRow]:
    by_line: dict[int, list[Token]] = {}
    for t in toks:
        by_line.setdefault(t.line, []).append(t)
    out: list[ProjectRow] = []
    for i in range(len(lines)):
        header = [label_text(c.text) for c in by_line.get(i, [])]
        name_col = next((k for k, h in enumerate(header) if h in vocab.project_name), None)
        unit_col = next((k for k, h in enumerate(header) if h in vocab.department), None)
        money_cols = [k for k, h in enumerate(header) if k != name_col and (
            vocab.money_label(h) is not None or h in vocab.difference_columns)]
        if name_col is None or (unit_col is None and not money_cols):
            continue
        for row_line in range(i + 1, len(lines)):
            cells = by_line.get(row_line, [])
            if len(cells) != len(header):
                break
            name = cells[name_col]
            if _FIGURE.fullmatch(name.text) or not re.search(f"[{CJK}]", name.text) or name.text in vocab.labels:
                break
            figures = tuple((cells[k], header[k]) for k in money_cols
                            if _FIGURE.fullmatch(cells[k].text) and not is_no_value(cells[k].text))
            out.append(ProjectRow(name, cells[unit_col] if unit_col is not None else None, figures))
    return out
