"""Choosing events: by years, regions and search text."""

from __future__ import annotations

from collections.abc import Iterable

from events.model import Event


def year_span(events: Iterable[Event]) -> tuple[int, int]:
    events = list(events)
    if not events:
        return (1917, 1991)
    lo, hi = min(e.when.start.year for e in events), max(e.when.end.year for e in events)
    # A slider needs two different ends: a corpus of one year gets the year on either side.
    return (lo - 1, hi + 1) if lo == hi else (lo, hi)


def select(
    events: Iterable[Event],
    years: tuple[int, int] | None = None,
    regions: Iterable[str] | None = None,
    ids: set[str] | None = None,
) -> list[Event]:
    """Events overlapping the year range (inclusive), in any of `regions` (all if empty or None)."""
    regions = set(regions or ())
    out = []
    for e in events:
        if years is not None and (e.when.end.year < years[0] or e.when.start.year > years[1]):
            continue
        if regions and e.region not in regions:
            continue
        if ids is not None and e.id not in ids:
            continue
        out.append(e)
    return out
