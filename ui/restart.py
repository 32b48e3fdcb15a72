"""After a server restart, a plain notice that events uploaded earlier must be uploaded again.

A session's uploads live only in the server's memory (ui.session), so a restart loses them, and the
browser reconnects to a new, empty session without a word. The browser keeps one mark that survives:
the address. While the session holds uploaded files the address carries `mine=1`; a session that
starts with the mark but has never held a file is one whose uploads were lost, and says so on every
page until the reader uploads again or closes the notice. (A cookie cannot be written from the
server's side in Streamlit, `st.context.cookies` is read-only.)"""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from ui import session
from ui.filters import tr

MARK = "mine"  # the query parameter: this address's session held uploaded events
_HELD = "_held_uploads"  # session state: this session has held uploaded files (so an empty one is deliberate)
_LOST = "_lost_uploads"  # session state: the session began with the mark and nothing held


@st.fragment(run_every=timedelta(minutes=10))
def _watch() -> None:
    """Draws nothing. Streamlit's front end, reconnecting to a restarted server, reruns the page only if
    the page has a timed fragment (1.67, App.handleConnectionStateChanged); without one the old page
    stays on screen, its files still listed, until the reader's next click. Its timer costs one empty
    fragment run every ten minutes."""


def _close() -> None:
    st.session_state[_LOST] = False


def mark() -> None:
    """Keep the address's mark in step with the session: set while it holds uploaded files, dropped when
    it holds none (read first: a new session with the mark and nothing held lost its uploads)."""
    holds = bool(session.upload_files())
    marked = MARK in st.query_params
    if holds:
        st.session_state[_HELD] = True
        st.session_state[_LOST] = False
        if st.query_params.get(MARK) != "1":
            st.query_params[MARK] = "1"
        with st.sidebar:
            _watch()
        return
    if marked:
        if not st.session_state.get(_HELD) and _LOST not in st.session_state:
            st.session_state[_LOST] = True
        del st.query_params[MARK]


def lost() -> bool:
    """This session began at an address whose session held uploaded events, and holds none."""
    return bool(st.session_state.get(_LOST)) and not session.upload_files()


def notice() -> None:
    """On every page (app.py): the mark kept in step, and, when uploads were lost, a notice saying so."""
    mark()
    if lost():
        _ = tr()
        st.warning(
            _("Your uploaded events are gone and must be uploaded again: the atlas keeps uploaded files only "
              "in the server's memory, for one session, and that session has ended (the server restarted, or "
              "the page was reloaded or opened from a saved address). Upload your files again on the page "
              "Your events."),
            icon=":material/cloud_off:",
        )  # fmt: skip
        st.button(_("Close this notice"), key="close-lost-uploads", on_click=_close)
