"""The years: the slider above a page's view, in one fragment with it, and the play button that steps
through the reader's chosen years one at a time, at the speed the reader sets."""

from __future__ import annotations

import time

import streamlit as st

from events.loader import Corpus
from ui import session
from ui.filters import filtered, sync_url, tr

PLAY_STEP = 1.0  # seconds per year while the years play, unless the reader sets another speed
SPEEDS = (0.5, 1.0, 2.0, 3.0)  # the speeds offered, in seconds per year


def play_step() -> float:
    """The reader's speed of play, in seconds per year."""
    speed = st.session_state.get("play_speed")
    return speed if speed in SPEEDS else PLAY_STEP


def years_view(c: Corpus, body, heading: str | None = None) -> None:
    """The play button, then the years slider above `body(events)` (the page's view of the events in
    the current view) in one fragment: moving the slider, or a step of play, reruns only the fragment,
    not the sidebar, the navigation and the rest of the app (the reruns forty students' sliders make at
    once). Every element in the fragment is paid for on every change, so what does not change with the
    years stays outside it (the play button and its speed), and the count of events shown is the slider's
    label. With a `heading`, the page's title shares the row of the play button: the map starts higher."""
    _, playing = tr(), st.session_state.get("playing", False)
    if heading is None:
        speed_col, play_col, _rest = st.columns([1.7, 1.9, 4.8], vertical_alignment="center")
    else:
        title_col, speed_col, play_col = st.columns([4.8, 1.7, 1.9], vertical_alignment="center")
        title_col.title(heading)
    # Outside the fragment: a click reruns the whole page, which starts or stops the fragment's timer.
    st.session_state.setdefault("play_speed", PLAY_STEP)
    # The speed's name is its accessible label, and said by each choice ("1 s a year"): one line, not two.
    # The translator is bound now: Streamlit may call format_func outside this run (AppTest does).
    speed_col.selectbox(_("Seconds per year"), SPEEDS, key="play_speed", label_visibility="collapsed",
                        format_func=lambda speed: _("{s} s a year", s=f"{speed:g}"))  # fmt: skip
    play_col.button(_("Pause") if playing else _("Play the years"), key="play", on_click=_toggle_play,
                    args=(c.span,), icon=":material/pause:" if playing else ":material/play_arrow:", width="stretch")  # fmt: skip

    @st.fragment(run_every=play_step() if playing else None)
    def view() -> None:
        body(years_control(c))

    view()


def years_control(c: Corpus) -> list:
    """The years slider (while playing, one more year every play_step() seconds); returns the events of
    the current view."""
    _ = tr()
    span = c.span
    if (
        st.session_state.get("playing")
        and time.monotonic() - st.session_state.get("_stepped", 0.0) >= play_step() - 0.1
    ):
        st.session_state["_stepped"] = time.monotonic()
        _step_years(span)
    events = filtered(c)
    label = _("Years: {n} of {total} events shown", n=len(events), total=len(c.events))
    st.slider(label, min_value=span[0], max_value=span[1], key="years")
    st.session_state["_kept_years"] = st.session_state["years"]  # what a page without the slider keeps
    sync_url(span)
    return events


def play_range(years: tuple[int, int], span: tuple[int, int]) -> tuple[int, int]:
    """The years play runs through: the reader's chosen first to last year, or from a single chosen year to
    the end of the span."""
    lo, hi = years
    return (lo, hi) if lo < hi else (lo, span[1])


def _toggle_play(span: tuple[int, int]) -> None:
    playing = not st.session_state.get("playing", False)
    st.session_state["playing"] = playing
    if playing:
        st.session_state["_stepped"] = time.monotonic()
        lo, hi = play_range(tuple(st.session_state["years"]), span)
        st.session_state["_play_to"] = hi
        st.session_state["years"] = (lo, lo)  # start from the reader's first year


def _step_years(span: tuple[int, int]) -> None:
    """One step of play: reveal one more year; stop at the last year the reader chose."""
    lo, hi = st.session_state["years"]
    last = min(span[1], st.session_state.get("_play_to", span[1]))
    if hi >= last:
        st.session_state["playing"] = False
        st.rerun(scope="app")  # stops the timer
    st.session_state["years"] = (lo, hi + 1)


def flows_shown() -> list:
    """The 1962 flows whose dates overlap the chosen years."""
    lo, hi = st.session_state["years"]
    return [f for f in session.flows()[0] if f.when.start.year <= hi and f.when.end.year >= lo]
