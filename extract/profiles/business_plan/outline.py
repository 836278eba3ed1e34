"""The 事業体系 outline (pillars Ⅰ…, areas １…, projects （１）…), in either printed order."""

from __future__ import annotations

import re

from policy_kg.extract.profiles.business_plan.items import _Outline, _OutlineProject
from policy_kg.extract.profiles.business_plan.text import _nfkc, _roman_key
from policy_kg.extract.profiles.business_plan.words import _AREA_RE, _HEADER_RE, _PILLAR_RE, _PROJECT_AT, _RELISTED
from policy_kg.extract.records import Span


def _outline_token(raw: str) -> tuple[str, ...] | None:
    """('pillar', roman, name) | ('area', n, name) | ('project', n, name) | None."""
    s = raw.strip()
    if not s:
        return None
    if _HEADER_RE.match(s):
        return None
    m = _PILLAR_RE.match(s)
    if m:
        return ("pillar", m.group("roman"), m.group("name").strip())
    norm = _nfkc(s)
    m2 = _PROJECT_AT.match(norm)
    if m2:
        return ("project", m2.group("n"), s)
    m3 = _AREA_RE.match(norm)
    if m3 and not re.match(r"^\d+\s*$", norm):
        return ("area", m3.group("n"), m3.group("name"))
    return None


def _project_name_of(raw: str) -> str:
    """The name part of a raw outline project line (after its （n） number)."""
    s = raw.strip()
    m = re.match(r"^[（(][0-9０-９]+[）)]\s*", s)
    return s[m.end() :] if m else s


def _read_outline(numbered: list[tuple[int, str]]) -> _Outline:
    """Pillars, areas and projects of an outline, in either printed order.

    Areas are numbered from 1 under each pillar, so a restart of the numbering starts a new
    pillar group. A pillar title printed *after* its group (the displaced copy) is given to the
    earliest group still without a pillar; one printed before its items opens the next group.
    """
    outline = _Outline()
    tokens: list[tuple[str, tuple, Span]] = []
    i = 0
    while i < len(numbered):
        n, raw = numbered[i]
        tok = _outline_token(raw)
        if tok is None:
            i += 1
            continue
        if tok[0] == "project":
            name_parts = [_project_name_of(raw)]
            end = n
            j = i + 1
            # a project line wrapped onto the next line (no blank between) continues it
            while j < len(numbered) and len(numbered[j][1].strip()) > 1 and _outline_token(numbered[j][1]) is None:
                name_parts.append(numbered[j][1].strip())
                end = numbered[j][0]
                j += 1
            tokens.append(("project", (int(tok[1]), "".join(name_parts)), Span(n, end)))
            i = j
            continue
        tokens.append((tok[0], tok[1:], Span.line(n)))
        i += 1
    groups: list[dict] = []  # {"pillar": key | None, "areas": [...]}
    current: dict | None = None
    for kind, data, span in tokens:
        if kind == "pillar":
            roman, name = data
            key = _roman_key(roman)
            outline.pillars.append((key, roman, name.strip(), span))
            waiting = [g for g in groups if g["pillar"] is None and g["areas"]]
            if waiting:  # title printed after its items
                waiting[0]["pillar"] = key
            else:
                current = {"pillar": key, "areas": []}
                groups.append(current)
        elif kind == "area":
            number, name = int(data[0]), data[1].strip()
            restart = current is not None and current["areas"] and number <= current["areas"][-1]["n"]
            if current is None or restart:
                current = {"pillar": None, "areas": []}
                groups.append(current)
            current["areas"].append({"n": number, "name": name, "span": span, "projects": []})
        elif kind == "project" and current is not None and current["areas"]:
            current["areas"][-1]["projects"].append((data[0], data[1], span))
    for g in groups:
        if g["pillar"] is None:
            continue
        for area in g["areas"]:
            outline.areas.append((g["pillar"], area["n"], area["name"], area["span"]))
            for number, name, span in area["projects"]:
                relisted = bool(_RELISTED.search(name))
                clean = _RELISTED.sub("", name).strip()
                outline.projects.append(_OutlineProject(g["pillar"], area["n"], number, clean, span, relisted))
    return outline
