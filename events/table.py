"""The events of a view as rows: for the list view, the timeline and the handout."""

from __future__ import annotations

import pandas as pd

from events.categories import category_name
from events.model import Event


def events_frame(events: list[Event], places: dict, region_names: dict, lang: str) -> pd.DataFrame:
    """One row per event, in the reader's language; `id` keeps the link back to the event."""
    rows = []
    for e in events:
        place = places.get(e.place)
        rows.append(
            {
                "id": e.id,
                "title": e.label(lang),
                "when": e.when.label(lang),
                "start": pd.Timestamp(e.when.start),
                "end": pd.Timestamp(e.when.end) + pd.Timedelta(days=1),
                "place": place.label(lang) if place else e.place,
                "region": ", ".join(region_names.get(r, {}).get(lang, r) for r in e.regions),
                "category": category_name(e.category, lang),
                "support": e.support.phrase(lang) if e.support else "",
                "disputed": e.disputed,
                "sources": len(e.excerpts),
            }
        )
    columns = ["id", "title", "when", "start", "end", "place", "region", "category", "support", "disputed", "sources"]
    return pd.DataFrame(rows, columns=columns).sort_values(["start", "title"], ignore_index=True)
