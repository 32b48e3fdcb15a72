"""The selected event: the one callback every control that picks an event (a map click, a row of the
list, a bar of the timeline) hands to Streamlit.

A callback runs before the run it triggers, so that run already draws the chosen event: one run per
click, where reading the selection after drawing and then calling `st.rerun()` cost two.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

EVENT = "event"  # session state (and URL parameter): the id of the selected event


def on_pick(corpus, key: str, pick: Callable[[object], str | None]) -> Callable[[], None]:
    """A callback for the widget stored at `st.session_state[key]`: `pick(value)` reads an event id out of
    the widget's value; an id the corpus has becomes the selected event."""

    def select() -> None:
        event_id = pick(st.session_state.get(key))
        if isinstance(event_id, str) and corpus.event(event_id) is not None:
            st.session_state[EVENT] = event_id

    return select


def table_pick(row_ids: list[str]) -> Callable[[object], str | None]:
    """Reads the event of the selected row of a dataframe whose rows are the events `row_ids`."""

    def pick(value) -> str | None:
        rows = ((value or {}).get("selection") or {}).get("rows") or []
        return row_ids[rows[0]] if rows and 0 <= rows[0] < len(row_ids) else None

    return pick


def chart_pick(param: str) -> Callable[[object], str | None]:
    """Reads the event of the point selection `param` of an Altair chart whose data carry an `id`."""

    def pick(value) -> str | None:
        points = ((value or {}).get("selection") or {}).get(param) or []
        return points[0].get("id") if points and isinstance(points[0], dict) else None

    return pick
