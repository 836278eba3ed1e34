"""Business-plan layout: an agency's 事業計画 (事業体系 outline, project pages, indicators, 組織改正).

The text is a PDF dump, so reading order is only roughly the printed order: an amount may come
before the heading it belongs to, a page header in the middle of its page, an outline with its
pillar titles after their items. The parser therefore works in three passes:

1. **structure** – the 事業体系 outline (pillars Ⅰ…, areas １…, projects （１）…), including a
   displaced partial copy printed before ``◆ 事業体系``, which only adds name variants;
2. **items** – every page of the body is cut into headings (``(n) project``, ``① part``, the page
   header ``Ⅰ pillar １ area``) and items (amount boxes, grant conditions, indicator blocks,
   participant lists);
3. **association** – items are given to headings by page, adjacency and document order
   (:mod:`extract.association`), with a confidence and an ``uncertain`` issue below 1.0.

A new PDF page begins with a line that starts with exactly one space. Nothing is dropped silently:
what cannot be placed becomes an :class:`~extract.records.ExtractionIssue`.

This module holds the profile's entry points and the parser's passes; the line grammar they use
is in ``extract/profiles/business_plan/`` (``outline``, ``money``, ``conditions``, ``indicators``,
``text``, the working records in ``items``), and the layout's words are
``extract/profiles/business_plan.yaml`` (``words``).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

from policy_kg.extract.association import (
    Anchor,
    Placement,
    Slot,
    normalise_name,
    place_in_parts,
    place_on_page,
    split_columns,
)
from policy_kg.extract.numbers import normalize
from policy_kg.extract.profiles.business_plan.attach import _attach, _attach_columns, _column_parts
from policy_kg.extract.profiles.business_plan.body import _collect_text, _read_body, _tail_start
from policy_kg.extract.profiles.business_plan.headings import _read_headers
from policy_kg.extract.profiles.business_plan.hierarchy import _build_structure, _outline_region
from policy_kg.extract.profiles.business_plan.items import _Item, _SubHeading
from policy_kg.extract.profiles.business_plan.money import _covering_total
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.text import _common_run, _full_width, _is_page_start, _nfkc
from policy_kg.extract.profiles.business_plan.text import _roman_key as _roman_key
from policy_kg.extract.profiles.business_plan.words import (
    _INDICATOR_HEADER,
    _LAYOUT_FUNDED_RE,
    _LAYOUT_UNIT_RE,
    _OUTLINE_MARK,
    _PILLAR_RE,
    _PROJECT_AT,
    _REORG,
    _REORG_ABOLISHED_RE,
    _REORG_CREATED_RE,
    _REORG_DIVISION_RE,
    _REORG_UNITS_RE,
    _WORDS,
    CIRCLED,
    FUNDING_TYPES,
    LAYOUT,
    ROMAN,
)
from policy_kg.extract.records import DocumentRecord, ExtractionIssue, Reorganisation, Span, SubProject, Unit
from policy_kg.extract.source import ExtractionError, SourceText

__all__ = ["LAYOUT", "ROMAN", "CIRCLED", "FUNDING_TYPES", "looks_like_business_plan", "parse_business_plan"]


# =========================================================================================
# entry points
# =========================================================================================


def looks_like_business_plan(src: SourceText) -> bool:
    """Cheap structural test: an outline of Ⅰ… pillars with （１）… items, and 指標 計画 blocks
    or ``…千円 （funder）`` amount lines."""
    pillars = projects = indicators = amounts = 0
    marker = False
    for raw in src.lines:
        s = raw.strip()
        if not s:
            continue
        if _OUTLINE_MARK.search(s):
            marker = True
        if _PILLAR_RE.match(s):
            pillars += 1
        n = normalize(s)
        if _PROJECT_AT.match(n):
            projects += 1
        if _INDICATOR_HEADER.match(n):
            indicators += 1
        if _LAYOUT_UNIT_RE.search(n) or _LAYOUT_FUNDED_RE.search(n):
            amounts += 1
    structure = pillars >= 2 and projects >= 3
    return structure and (marker or indicators >= 1 or amounts >= 2)


def parse_business_plan(src: SourceText) -> DocumentRecord:
    """Extract a business plan's programme structure, projects, money, indicators and units.

    Raises only :class:`~extract.source.ExtractionError` subclasses (``UnknownLayout`` when no
    事業体系 outline can be found); everything else that goes wrong is an issue in the record.
    """
    record = DocumentRecord(
        doc_id=src.doc_id,
        file_name=src.file_name,
        layout=LAYOUT,
        content_hash=src.content_hash,
        line_count=len(src.lines),
    )
    try:
        _Parser(src, record).run()
    except ExtractionError:
        raise
    except Exception as exc:  # noqa: BLE001 - the contract: never an uncaught non-extraction error
        record.issues.append(
            ExtractionIssue("error", f"business-plan parser failed: {type(exc).__name__}: {exc}")
        )
    return record


# =========================================================================================
# the parser
# =========================================================================================


class _Parser(_ParseState):
    """One run over one document; fills ``record``."""

    # --- driver ---------------------------------------------------------------------------

    def run(self) -> None:
        outline_start, outline_end = _outline_region(self)
        self._guard("outline", lambda: _build_structure(self, outline_start, outline_end))
        body_end = _tail_start(self) - 1
        self._guard("page headers", lambda: _read_headers(self, outline_end + 1, body_end))
        self._guard("body", lambda: _read_body(self, outline_end + 1, body_end))
        self._guard("text", lambda: _collect_text(self, outline_end + 1, body_end))
        self._guard("association", self._associate)
        self._guard("names", self._settle_names)
        self._guard("tail", lambda: self._read_tail(body_end + 1))
        self._guard("document", self._document_facts)

    def _guard(self, stage: str, fn: Callable[[], None]) -> None:
        try:
            fn()
        except ExtractionError:
            raise
        except Exception as exc:  # noqa: BLE001 - one failing stage must not lose the others
            self.issue("error", f"{stage}: {type(exc).__name__}: {exc}")

    # --- 3. association -----------------------------------------------------------------------

    def _gap(self, allowed: frozenset[str]) -> Callable[[int, int], bool]:
        def gap(a: int, b: int) -> bool:
            return all(self.kind.get(k, "text") in allowed for k in range(a + 1, b))

        return gap

    def _associate(self) -> None:
        page_gap = self._gap(frozenset({"blank", "amount", "note", "header"}))
        last_owner: str | None = None
        placed: list[tuple[_Item, Placement]] = []
        # sub-project headings first: each belongs to a project on its page
        for sub in self.subs:
            p = place_on_page(Slot(sub.span.start, sub.span.end, sub.page), self.anchors, page_gap, may_precede=False)
            if p is None:
                self.issue("dropped", f"part {sub.mark} {sub.name!r} is on a page with no project heading", sub.span)
                continue
            sub.project = p.owner
            if p.confidence < 1.0:
                self.issue(
                    "uncertain",
                    f"part {sub.mark} {sub.name!r} → {p.owner} ({p.rule}, confidence {p.confidence}); "
                    f"alternative: {p.alternative}",
                    sub.span,
                    p.owner,
                )
        for item in sorted(self.items, key=lambda i: i.span.start):
            named = self._named_project(item) if item.kind == "text" else None
            p = Placement(named, 1.0, "names the project") if named else \
                place_on_page(item.slot, self.anchors, page_gap, may_precede=item.kind in ("amount", "text"))
            if p is None:
                if item.kind == "text":  # prose before the first heading (a preface) describes no project
                    continue
                if last_owner is None:
                    self.issue("dropped", f"{item.describe()} precedes every project heading", item.span)
                    continue
                p = Placement(last_owner, 0.5, "page without project heading: previous project")
            last_owner = p.owner
            placed.append((item, p))
        placed = self._resolve_columns(placed)
        by_project: dict[str, list[tuple[_Item, Placement]]] = {}
        for item, p in placed:
            by_project.setdefault(p.owner, []).append((item, p))
        for key, entries in by_project.items():
            self._place_in_project(key, entries)

    def _named_project(self, item: _Item) -> str | None:
        """The one project of the item's page whose name the paragraph quotes (a long run of it).

        PDF text order can put a project's description beside another heading; a quoted name is
        better evidence than position. A run must be long and clearly ahead of the runner-up.
        """
        keys = sorted({a.owner for a in self.anchors if a.page == item.page})
        if len(keys) < 2 or not item.note:
            return None
        text = _nfkc(item.note)
        scores = sorted(((_common_run(text, _nfkc(self.projects[k].name or "")), k) for k in keys), reverse=True)
        (best, key), (second, _) = scores[0], scores[1]
        return key if best >= 6 and best - second >= 3 else None

    def _resolve_columns(self, placed: list[tuple[_Item, Placement]]) -> list[tuple[_Item, Placement]]:
        """Items under one line of several project headings: pair by kind when the counts agree."""
        column_lines = {a.start for a in self.anchors if a.columns > 1}
        out = []
        groups: dict[tuple[int, str], list[int]] = {}
        for i, (item, _owner) in enumerate(placed):
            line = self._heading_line_above(item)
            if line in column_lines:
                groups.setdefault((line, item.kind), []).append(i)
        result = list(placed)
        for (line, _kind), idxs in groups.items():
            cols = [a for a in self.anchors if a.start == line]
            for i, p in zip(idxs, split_columns([placed[i][0].slot for i in idxs], cols)):
                result[i] = (placed[i][0], p)
        out.extend(result)
        return out

    def _heading_line_above(self, item: _Item) -> int | None:
        above = [a.start for a in self.anchors if a.page == item.page and a.end < item.span.start]
        return max(above) if above else None

    def _place_in_project(self, key: str, entries: list[tuple[_Item, Placement]]) -> None:
        project = self.projects[key]
        subs = self._subs_of(key)
        parts = [Anchor(f"{key}-s{s.number}", s.span.start, s.span.end, s.page, s.column, s.columns, s.listed)
                 for s in subs]
        gap_after = self._gap(frozenset({"blank", "amount", "note"}))
        gap_before = self._gap(frozenset({"blank", "amount", "note", "project", "header"}))
        gap_described = self._gap(frozenset({"blank", "text", "note"}))
        decisions: dict[int, Placement | None] = {}
        remaining: dict[str, list[int]] = {}
        for i, (item, _p) in enumerate(entries):
            if item.kind in ("participants", "text") or not parts:
                decisions[i] = None
                continue
            columns = _column_parts(self, item, parts)
            if columns is not None:
                decisions[i] = Placement("columns", 0.9, "one value per column heading")
                continue
            remaining.setdefault(item.kind, []).append(i)
        own = [i for i in remaining.get("amount", []) if self._opens_project_box(key, entries[i][0], parts)]
        for i in own:
            # both neighbours are headings printed right beside it, and both name the project's box
            decisions[i] = Placement(key, 1.0, "between its project heading and its first part heading")
            remaining["amount"].remove(i)
        totals = [i for i in remaining.get("amount", []) if any(a.category == "total" for a in entries[i][0].amounts)]
        # a project prints one total: once its own box holds it, no part amount is the project total
        own_total = any(a.category == "total" for i in own for a in entries[i][0].amounts)
        covering = None if own_total else _covering_total([entries[i][0] for i in totals])
        if covering is not None:
            i = totals[covering]
            decisions[i] = Placement(key, 0.9, "project total: exceeds the other amounts and its funding covers theirs")
            remaining["amount"].remove(i)
        # indicator blocks first: a block closes its part's box, which the amount rules use
        for kind in ("indicator", "condition", "amount"):
            idxs = remaining.get(kind, [])
            if not idxs:
                continue
            slots = [entries[i][0].slot for i in idxs]
            if kind == "amount":
                closed = [self._closed_parts(entries[i][0], entries, decisions) for i in idxs]
                results = place_in_parts(
                    slots, parts, gap_after=gap_after, gap_before=gap_before, gap_described=gap_described,
                    single_stays=covering is None and not own_total, closed=closed,
                )
            else:
                # blocks and conditions follow their part heading; a lone condition group still
                # belongs to the part above it, a lone indicator block (or one printed after a
                # list of part headings) to the whole project
                results = place_in_parts(
                    slots, parts, gap_after=gap_after, single_stays=kind == "indicator", fallback=False,
                    after_list_stays=kind == "indicator",
                )
            for i, r in zip(idxs, results):
                decisions[i] = r
        owners: dict[str, SubProject] = {}
        for s in subs:
            skey = f"{key}-s{s.number}"
            if skey not in owners:
                owners[skey] = SubProject(skey, s.mark, s.name, s.span)
            elif normalise_name(owners[skey].name) != normalise_name(s.name):
                self.issue("uncertain", f"part {s.mark} of {key} printed with two names; kept the first", s.span, skey)
        project.sub_projects = list(owners.values())
        for i, (item, page_placement) in enumerate(entries):
            decision = decisions.get(i)
            if decision is not None and decision.owner == "columns":
                _attach_columns(self, item, parts, owners, page_placement)
                continue
            owner_key = decision.owner if decision is not None and decision.owner in owners else key
            conf = page_placement.confidence
            rules = [page_placement.rule]
            alternative = page_placement.alternative
            if decision is not None and decision.owner in owners:
                conf = min(conf, decision.confidence)
                rules.append(decision.rule)
                alternative = decision.alternative or alternative
            elif decision is not None and decision.owner == key and decision.confidence < 1.0:
                conf = min(conf, decision.confidence)
                rules.append(decision.rule)
                alternative = "one of its parts"
            target = owners.get(owner_key, project)
            _attach(self, item, target, conf, "; ".join(rules), alternative)

    def _opens_project_box(self, key: str, item: _Item, parts: list[Anchor]) -> bool:
        """True when amount ``item`` sits right under a heading of project ``key`` and right above
        its first part heading (lone or listed): the box between the two is the project's own."""
        if item.kind != "amount":
            return False
        gap = self._gap(frozenset({"blank", "amount", "note"}))
        heads = [a for a in self.anchors if a.owner == key and a.page == item.page and a.end < item.span.start]
        if not heads or not gap(max(a.end for a in heads), item.span.start):
            return False
        below = [a for a in parts if a.page == item.page and a.start > item.span.end]
        if not below:
            return False
        first = min(below, key=lambda a: (a.start, a.column))
        return first.columns == 1 and gap(item.span.end, first.start)

    def _closed_parts(
        self, item: _Item, entries: list[tuple[_Item, Placement]], decisions: dict[int, Placement | None]
    ) -> frozenset[str]:
        """Parts whose indicator block ends right above ``item``: their box is over."""
        gap = self._gap(frozenset({"blank", "header"}))
        shut = set()
        for j, (other, _p) in enumerate(entries):
            d = decisions.get(j)
            if other.kind == "indicator" and d is not None and other.span.end < item.span.start \
                    and other.page == item.page and gap(other.span.end, item.span.start):
                shut.add(d.owner)
        return frozenset(shut)

    def _subs_of(self, key: str) -> list[_SubHeading]:
        subs = sorted((s for s in self.subs if s.project == key), key=lambda s: (s.number, s.span.start))
        lines = sorted(self.subs, key=lambda s: s.span.start)
        for s in subs:
            # a part heading printed next to another part heading (blank lines only) is a list item
            s.listed = any(
                o is not s and o.project == key and o.page == s.page and o.columns == 1 and s.columns == 1
                and (self._gap(frozenset({"blank"}))(min(o.span.end, s.span.end), max(o.span.start, s.span.start)))
                for o in lines
            )
        return subs

    # --- names ------------------------------------------------------------------------------

    def _settle_names(self) -> None:
        """Primary name = the spelling printed most often (ties: the main outline); others = alt_names."""
        for key, project in self.projects.items():
            printed = [n for _, n in self.names.get(key, [])]
            if not printed:
                continue
            counts = Counter(normalise_name(n) for n in printed)
            first_of = {}
            for n in printed:
                first_of.setdefault(normalise_name(n), n)
            outline = normalise_name(printed[0])
            best = max(counts, key=lambda k: (counts[k], k == outline))
            project.name = first_of[best]
            alts = [first_of[k] for k in counts if k != best]
            project.alt_names = alts
            if best != outline:
                self.issue(
                    "info",
                    f"project {key}: the main outline prints {printed[0]!r} once, the other places "
                    f"{first_of[best]!r}; the majority spelling is the name, the other an alt name",
                    project.span,
                    key,
                )
        self.record.projects = list(self.projects.values())
        for key, project in self.projects.items():
            if not any(a.owner == key for a in self.anchors):
                self.issue("info", f"project {key} {project.name!r} has no page of its own in the body", project.span, key)

    # --- tail: budget summary and reorganisation ----------------------------------------------------

    def _read_tail(self, start: int) -> None:
        n = start
        total = len(self.lines)
        while n <= total:
            end = n + 1
            while end <= total and not _is_page_start(self.line(end)):
                end += 1
            head = self.line(n)
            if _WORDS["reorganisation_page"] in head:
                self._read_reorganisation(n, end - 1)
            else:
                figures = sum(len(re.findall(r"[▲△]?\d[\d,]*", _nfkc(self.line(k)))) for k in range(n + 1, end))
                self.issue(
                    "info",
                    f"budget summary {head.strip()!r}: the agency's own accounts, not project costs; "
                    f"{figures} figures not extracted",
                    Span(n, end - 1),
                )
            n = end

    def _read_reorganisation(self, start: int, end: int) -> None:
        depts: dict[str, Span] = {}
        divisions: dict[str, Span] = {}
        owner_of: dict[str, str] = {}
        created: list[str] = []
        abolished: list[str] = []
        sentences: list[tuple[int, str]] = []
        current: list[str] | None = None
        for n in range(start, end + 1):
            s = _nfkc(self.line(n))
            if s.startswith(_REORG["item_mark"]):
                current = [s.lstrip(_REORG["item_mark"] + " ").strip()]
                sentences.append((n, ""))
                sentences[-1] = (n, current[0])
            elif current is not None and s and not current[-1].endswith("。"):
                current.append(s)
                sentences[-1] = (sentences[-1][0], "".join(current))
            elif s:
                current = None
            for m in _REORG_UNITS_RE.finditer(s):
                depts.setdefault(m.group(1), Span.line(n))
                if m.group(2):
                    owner_of.setdefault(m.group(2), m.group(1))
            for m in _REORG_DIVISION_RE.finditer(s):
                name = m.group(2)
                dept = _REORG["department_ending"]
                if name.endswith(dept) or dept in name[:-1]:
                    continue
                divisions.setdefault(name, Span.line(n))
                if m.group(1) and name not in created:
                    created.append(name)
        for _, text in sentences:
            for m in _REORG_CREATED_RE.finditer(text):
                if m.group(1) not in created:
                    created.append(m.group(1))
            for m in _REORG_ABOLISHED_RE.finditer(text):
                if m.group(1) not in abolished:
                    abolished.append(m.group(1))
        for name, span in depts.items():
            self.record.units.append(Unit(name, None, span))
        for name, span in divisions.items():
            dept = owner_of.get(name)
            if dept is None:
                # charts print divisions and departments in separate columns; without a printed
                # pairing (企画管理部施設管理課, 経営支援部内に「…課」) the department is unknown
                self.issue("uncertain", f"division {name} named in the reorganisation chart: its department "
                           "is not printed beside it; kept as a unit of the agency", span)
            self.record.units.append(Unit(dept, name, span))
        if created or abolished or sentences:
            self.record.reorganisations.append(
                Reorganisation(
                    Span(start, end),
                    created=tuple(created),
                    abolished=tuple(abolished),
                    description=" ".join(t for _, t in sentences) or None,
                )
            )

    # --- document ----------------------------------------------------------------------------

    def _document_facts(self) -> None:
        self.record.fiscal_year = self.year
        if self.year is not None:
            era = self.year - 2018
            self.record.title = _WORDS["title"].format(era=_full_width(era))
            self.issue("info", "the plan prints no title line; title composed from its fiscal year and layout")
        else:
            # without it every amount and planned value is stored with no fiscal year: say so
            self.issue("uncertain", "no fiscal year (令和N年度 / 20NN年度) is printed anywhere; amounts and "
                       "planned values carry no fiscal year", Span.line(1))
        self.issue("info", "the publishing agency's name is not printed; publisher left empty")
