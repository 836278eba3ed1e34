"""Organisations named on body lines of their own: a project's participants list and the host."""

from __future__ import annotations

import re

from policy_kg.extract.organisations import find_organisations
from policy_kg.extract.profiles.business_plan.items import _Item
from policy_kg.extract.profiles.business_plan.state import _ParseState
from policy_kg.extract.profiles.business_plan.words import _HOST_RE, _PARTICIPANTS_RE
from policy_kg.extract.records import Organisation, Span


def _read_participants(state: _ParseState, n: int) -> None:
    """A participants line: its organisations as one item, to be placed on a project."""
    raw = state.line(n).strip()
    rest = _PARTICIPANTS_RE.sub("", raw)
    orgs = []
    for piece in re.split(r"[、，,]", rest):
        piece = piece.strip()
        if not piece:
            continue
        found = find_organisations(piece)
        name = found[0][0] if found else re.sub(r"[（(][^）)]*[）)]$", "", piece).strip()
        orgs.append(Organisation(name, "participant", Span.line(n)))
    state.kind[n] = "participants"
    if orgs:
        state.items.append(_Item("participants", Span.line(n), state.pages[n], partners=orgs))


def _read_host(state: _ParseState, n: int) -> None:
    """The host line: an organisation of the document, not of a project."""
    rest = _HOST_RE.sub("", state.line(n).strip())
    found = find_organisations(rest)
    name = found[0][0] if found else rest
    state.record.organisations.append(Organisation(name, "host", Span.line(n)))
    state.kind[n] = "host"
