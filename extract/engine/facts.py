"""What the recognisers hand the reader besides their facts."""

from __future__ import annotations

from dataclasses import dataclass

from policy_kg.extract.records import Span


@dataclass(frozen=True)
class Unplaced:
    """A figure the reader saw but could not place or give a unit: reported, not asserted."""

    printed: str
    span: Span
    reason: str
