"""Who owns a fact printed at a cell: the sheet it is printed on, the project printed before it, or the
document.

- A file of evaluation sheets is cut into sheets where a sheet's title word starts a line; each
  sheet's facts are its one project's.
- Else a fact belongs to the project printed before it (by position, which the report says), with
  three limits: a project named only in a table or in prose owns nothing by position unless printed
  again as a heading (its section); a numbered heading that names no project (``3 収支予算の概要``)
  or a heading of the vocabulary's ``non_project_headings`` ends a project's section; and in a list
  or a plan, what is printed before the first project is the document's.
- One project of an evaluation sheet owns all its facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policy_kg.extract.engine.normalize import CJK, Line, Token, cells_by_line
from policy_kg.extract.engine.vocabulary import Vocabulary
from policy_kg.extract.records import Project


@dataclass(frozen=True)
class Owners:
    """Who owns a fact at a cell: the sheet it is printed on, in a file of sheets whose titles divide
    it; else the project printed before it (by position)."""

    projects: list[tuple[int, Project]]
    sections: list[tuple[int, int, Project]]  # (first cell, cell after the last, project) of each sheet
    line_of: tuple[int, ...] = ()  # each cell's line
    breaks: tuple[int, ...] = ()  # the first cells of numbered headings that name no project (3 収支予算の概要)
    one_owns_all: bool = True  # a sheet's one project owns all its facts; a list's or a plan's only by position

    def of(self, token: int) -> tuple[Project | None, bool]:
        if self.sections:
            return next((p for start, end, p in self.sections if start <= token < end), None), False
        owner, by_position = _owner(self.projects, token, self.one_owns_all)
        if by_position and self.breaks:  # a heading after the project's own opens a section that is not its
            start = max(t for t, _ in self.projects if t <= token)
            if any(start < b <= token for b in self.breaks):
                return None, False
        if by_position and self.line_of:  # 子ども医療費助成事業 8億4,500万円: the only project of its line, its row
            line = self.line_of[token]
            on_line = [p for t, p in self.projects if self.line_of[t] == line]
            by_position = on_line != [owner]
        return owner, by_position


_SECTION_MARK = r"(?:[1-9]\d?|[一二三四五六七八九十]{1,3}|I{1,3}|IV|VI{0,3}|IX|X|第[1-9一二三四五六七八九]\d?)"
_SECTION = re.compile(rf"^{_SECTION_MARK}[\s.．、]\s*[{CJK}]")  # 3 収支予算の概要, III 収支予算, 第3 資金計画
_SECTION_PREFIX = re.compile(rf"^{_SECTION_MARK}[\s.．、]\s*")
_SECTION_LENGTH = 40  # a heading is short: a longer numbered line is a list's item


def section_breaks(lines: list[Line], toks: list[Token], project_tokens: list[int], vocab: Vocabulary
                    ) -> tuple[int, ...]:
    """The first cells of headings on lines that name no project, numbered or of the vocabulary's
    ``non_project_headings``: where one project's section of a plan ends (``3 収支予算の概要``, ``4 重点目標``,
    ``収支予算書``: what follows is the plan's, not its last project's), and a budget's account headings
    (``3款 民生費``)."""
    first_cell = {line: cells[0].index for line, cells in cells_by_line(toks).items()}
    project_lines = {toks[t].line for t in project_tokens if t < len(toks)}
    return tuple(first_cell[i] for i, line in enumerate(lines)
                 if i in first_cell and i not in project_lines and len(line.text) <= _SECTION_LENGTH
                 and (_SECTION.match(line.text) and not _SECTION_PREFIX.sub("", line.text).startswith(
                     vocab.project_name) or _SECTION_PREFIX.sub("", line.text).startswith(vocab.non_project_headings)
                      or any(p.match(line.text) for p in vocab.account_headings)))


def sheet_sections(lines: list[Line], toks: list[Token], projects: list[tuple[int, Project]],
                    vocab: Vocabulary) -> list[tuple[int, int, Project]]:
    """The sheets of a file of evaluation sheets: each from a line holding a sheet's title word to the
    next that names another project, when every sheet names exactly one of the projects; else none (facts
    then go by position)."""
    if len(projects) < 2:
        return []
    words = vocab.kinds["evaluation_sheet"].title
    first_cell: dict[int, int] = {}
    for t in toks:
        first_cell.setdefault(t.line, t.index)
    starts = [first_cell[i] for i, line in enumerate(lines) if i in first_cell and any(w in line.text for w in words)]
    sections: list[tuple[int, int, Project]] = []
    for start, end in zip(starts, starts[1:] + [len(toks)]):
        mine = [p for t, p in projects if start <= t < end]
        if len(mine) > 1:
            return []
        if mine:
            sections.append((start, end, mine[0]))
        elif sections:  # a page that names no project continues the sheet before it
            sections[-1] = (sections[-1][0], end, sections[-1][2])
        # (a title before the first sheet's is the file's own: what it heads is the document's)
    return sections if len(sections) == len(projects) else []


def _owner(projects: list[tuple[int, Project]], token: int, one_owns_all: bool = True
           ) -> tuple[Project | None, bool]:
    """The project a fact at ``token`` belongs to, and whether only its position says so."""
    if not projects:
        return None, False
    if len(projects) == 1 and one_owns_all:
        return projects[0][1], False
    before = [p for t, p in projects if t <= token]
    return (before[-1], True) if before else (None, False)
