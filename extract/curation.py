"""Curation files: a reviewer's corrections to an extraction, in YAML beside the document.

``<document>.curation.yaml`` (e.g. ``plan.txt`` → ``plan.curation.yaml``)::

    projects:
      m1-p11:                        # a project key, as in the records / query output
        name: 正しい事業名            # fix (or supply) the name; the old one becomes an alt label
        add_sdg_targets: ["8.2"]
        add_partners: ["会津大学"]
    amounts:
      - project: I-1-1               # assign a printed amount to a project
        amount: "150,084千円"        # parsed exactly like extracted amounts
        category: total              # total | general_fund | personnel | fund_size | …
        fiscal_year: 2024
        status: plan                 # budget | estimate | plan
        funding: ["福島県受託金"]
        line: 154                    # where the figure is printed (provenance)
      - move_line: 181               # an extracted amount printed on line 181 …
        to: I-1-1-s1                 # … belongs to this project / sub-project instead

Every fact a curation adds or changes is listed in ``record.manual_facts``; the builder puts those
triples in the document's curation graph, marked ``pkg:assertion pkg:ManualAssertion``.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from policy_kg.extract.numbers import NumberFormatError, parse_yen
from policy_kg.extract.records import (
    Amount,
    DocumentRecord,
    FundingSource,
    ManualFact,
    Organisation,
    Project,
    Span,
)
from policy_kg.extract.sdg_reference import sdg_target_problem
from policy_kg.extract.source import ExtractionError


class CurationError(ExtractionError):
    """A curation file that cannot be applied (names the file and, where known, the line)."""

    exit_code = 3


def curation_path_for(document: Path) -> Path:
    name = document.name
    for suffix in (".records.json", ".txt", ".text"):
        if name.endswith(suffix):
            name = name[: -len(suffix)]
            break
    return document.with_name(f"{name}.curation.yaml")


def apply_curation(record: DocumentRecord, path: Path) -> DocumentRecord:
    """Apply the curation file at ``path`` to ``record`` (in place) and return it."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        raise CurationError(path.name, f"unreadable curation file: {exc}", (line + 1) if line is not None else None) from exc
    if not isinstance(data, dict):
        raise CurationError(path.name, "a curation file is a mapping with 'projects' and/or 'amounts'")
    unknown = set(data) - {"projects", "amounts", "document"}
    if unknown:
        raise CurationError(path.name, f"unknown section(s): {', '.join(sorted(unknown))}")
    owners = record.owners()
    for key, changes in (data.get("projects") or {}).items():
        project = owners.get(str(key))
        if not isinstance(project, Project):
            raise CurationError(path.name, f"no project with key {key!r} in {record.file_name}")
        _curate_project(record, project, changes or {}, path)
    for i, entry in enumerate(data.get("amounts") or [], 1):
        if not isinstance(entry, dict):
            raise CurationError(path.name, f"amounts entry {i} is not a mapping")
        if "move_line" in entry:
            _move_amount(record, owners, entry, path)
        else:
            _add_amount(record, owners, entry, path)
    return record


def _curate_project(record: DocumentRecord, project: Project, changes: dict[str, Any], path: Path) -> None:
    for field_name in changes:
        if field_name not in {"name", "add_sdg_targets", "add_partners"}:
            raise CurationError(path.name, f"project {project.key}: unknown change {field_name!r}")
    span = project.span
    if "name" in changes:
        new = str(changes["name"])
        if project.name and project.name != new and project.name not in project.alt_names:
            project.alt_names.append(project.name)
        project.name = new
        record.manual_facts.append(ManualFact(project.key, "name", new, path.name))
    for code in changes.get("add_sdg_targets") or []:
        code = str(code)
        problem = sdg_target_problem(code)  # the UN list of ontology/sdg.ttl, as for extracted codes
        if problem is not None:
            raise CurationError(path.name, f"project {project.key}: {code!r} is not an SDG target code: {problem}")
        if code not in project.sdg_targets:
            project.sdg_targets.append(code)
        record.manual_facts.append(ManualFact(project.key, "sdg_target", code, path.name))
    for name in changes.get("add_partners") or []:
        project.partners.append(Organisation(str(name), "partner", span))
        record.manual_facts.append(ManualFact(project.key, "partner", str(name), path.name))


def _add_amount(record: DocumentRecord, owners: dict, entry: dict[str, Any], path: Path) -> None:
    key = str(entry.get("project", ""))
    owner = owners.get(key)
    if owner is None:
        raise CurationError(path.name, f"amounts: no project or sub-project with key {key!r}")
    try:
        jpy = parse_yen(str(entry["amount"]))
    except (KeyError, NumberFormatError) as exc:
        raise CurationError(path.name, f"amounts for {key}: {exc}") from exc
    line = int(entry.get("line") or owner.span.start)
    amount = Amount(
        category=entry.get("category", "total"),
        jpy=jpy,
        printed=str(entry["amount"]),
        span=Span.line(line),
        fiscal_year=entry.get("fiscal_year", record.fiscal_year),
        status=entry.get("status", "plan" if record.layout == "business_plan" else "budget"),
        funding=tuple(FundingSource(str(f), None, str(f), Span.line(line)) for f in entry.get("funding") or ()),
        manual=True,
    )
    owner.amounts.append(amount)
    record.manual_facts.append(ManualFact(key, "amount", str(jpy), path.name))


def _move_amount(record: DocumentRecord, owners: dict, entry: dict[str, Any], path: Path) -> None:
    line, key = int(entry["move_line"]), str(entry.get("to", ""))
    target = owners.get(key)
    if target is None:
        raise CurationError(path.name, f"amounts: no project or sub-project with key {key!r}")
    for owner in owners.values():
        for amount in list(owner.amounts):
            if amount.span.start <= line <= amount.span.end:
                owner.amounts.remove(amount)
                target.amounts.append(dataclasses.replace(amount, manual=True, confidence=1.0))
                record.manual_facts.append(ManualFact(key, "amount", str(amount.jpy), path.name))
                return
    raise CurationError(path.name, f"amounts: no extracted amount printed on line {line}")
