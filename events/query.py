"""Choosing events: by years, regions and search text."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from events.model import Event


def year_span(events: Iterable[Event]) -> tuple[int, int]:
    """The first and last year of the events (the years slider's ends); 1917–1991 for none."""
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
        if regions and regions.isdisjoint(e.regions):
            continue
        if ids is not None and e.id not in ids:
            continue
        out.append(e)
    return out


class EventColumns:
    """A corpus's events as columns (years, regions), to choose among thousands at once.

    `select` gives what the function `select` gives, in the same order, with the comparisons done by
    numpy over whole columns instead of one event at a time.
    """

    def __init__(self, events: Iterable[Event]):
        self.events = list(events)
        self.start = np.array([e.when.start.year for e in self.events], dtype=np.int32)
        self.end = np.array([e.when.end.year for e in self.events], dtype=np.int32)
        # One column per region: an event drawn as an area is in every region it meets.
        self.in_region: dict[str, np.ndarray] = {}
        for i, e in enumerate(self.events):
            for r in e.regions:
                self.in_region.setdefault(r, np.zeros(len(self.events), dtype=bool))[i] = True
        self.position = {e.id: i for i, e in enumerate(self.events)}

    def mask(
        self, years: tuple[int, int] | None = None, regions: Iterable[str] | None = None, ids: set[str] | None = None
    ) -> np.ndarray:
        """A boolean per event: within the years, in any of the regions, and among `ids` (each when given)."""
        keep = np.ones(len(self.events), dtype=bool)
        if years is not None:
            keep &= (self.end >= years[0]) & (self.start <= years[1])
        regions = list(regions or ())
        if regions:
            inside = np.zeros(len(self.events), dtype=bool)
            for r in regions:
                if r in self.in_region:
                    inside |= self.in_region[r]
            keep &= inside
        if ids is not None:
            chosen = np.zeros(len(self.events), dtype=bool)
            chosen[[self.position[i] for i in ids if i in self.position]] = True
            keep &= chosen
        return keep

    def select(
        self, years: tuple[int, int] | None = None, regions: Iterable[str] | None = None, ids: set[str] | None = None
    ) -> list[Event]:
        """The events `mask` keeps, in corpus order."""
        return [self.events[i] for i in np.flatnonzero(self.mask(years, regions, ids))]
