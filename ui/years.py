"""The years: the slider above a page's view, in one fragment with it, and the play button that steps
through them one year at a time."""

from __future__ import annotations

import time

import streamlit as st

from events.loader import Corpus
from ui import session
from ui.filters import filtered, sync_url, tr

PLAY_STEP = 2.0  # seconds per year while the years play


def years_view(c: Corpus, body) -> None:
    """The play button, then the years slider above `body(events)` (the page's view of the events in
    the current view) in one fragment: moving the slider, or a step of play, reruns only the fragment,
    not the sidebar, the navigation and the rest of the app (the reruns forty students' sliders make at
    once). Every element in the fragment is paid for on every change, so what does not change with the
    years stays outside it (the play button), and the count of events shown is the slider's label."""
    _, playing = tr(), st.session_state.get("playing", False)
    # Outside the fragment: a click reruns the whole page, which starts or stops the fragment's timer.
    st.button(_("Pause") if playing else _("Play the years"), key="play", on_click=_toggle_play, args=(c.span,),
              icon=":material/pause:" if playing else ":material/play_arrow:")  # fmt: skip

    @st.fragment(run_every=PLAY_STEP if playing else None)
    def view() -> None:
        body(years_control(c))

    view()


def years_control(c: Corpus) -> list:
    """The years slider (while playing, one more year every PLAY_STEP seconds); returns the events of
    the current view."""
    _ = tr()
    span = c.span
    if st.session_state.get("playing") and time.monotonic() - st.session_state.get("_stepped", 0.0) >= PLAY_STEP - 0.1:
        st.session_state["_stepped"] = time.monotonic()
        _step_years(span)
    events = filtered(c)
    label = _("Years: {n} of {total} events shown", n=len(events), total=len(c.events))
    st.slider(label, min_value=span[0], max_value=span[1], key="years")
    st.session_state["_kept_years"] = st.session_state["years"]  # what a page without the slider keeps
    sync_url(span)
    return events


def _toggle_play(span: tuple[int, int]) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        st.session_state["_stepped"] = time.monotonic()
        if tuple(st.session_state["years"]) == tuple(span):
            st.session_state["years"] = (span[0], span[0])  # start from the beginning


def _step_years(span: tuple[int, int]) -> None:
    """One step of play: reveal one more year, from the first year of the span; stop at its end."""
    lo, hi = st.session_state["years"]
    if hi >= span[1]:
        st.session_state["playing"] = False
        st.rerun(scope="app")  # stops the timer
    st.session_state["years"] = (lo, hi + 1)


def flows_shown() -> list:
    """The 1962 flows whose dates overlap the chosen years."""
    lo, hi = st.session_state["years"]
    return [f for f in session.flows()[0] if f.when.start.year <= hi and f.when.end.year >= lo]
