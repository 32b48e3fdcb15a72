"""The page frame's look, in one place for every page: less empty space above the title, a smaller title."""

from __future__ import annotations

import streamlit as st

# Streamlit leaves 6rem above a page's first element and draws titles at 2.75rem: at 1366x768 the map
# started below the fold. The header bar (the sidebar's toggle, the menu) is 3.75rem, floating over the page.
FRAME_CSS = (
    "<style>"
    "[data-testid=stMainBlockContainer]{padding-top:2.75rem;padding-bottom:2rem}"
    "[data-testid=stMainBlockContainer] h1{font-size:1.4rem;line-height:1.25;padding:0 0 .25rem}"
    ".atlas-results{margin:0;font-size:1.05rem;font-weight:600}"
    # A panel scrolled into view (render/js/view.js, on a phone) starts below the header bar, not under it.
    ".atlas-panel{scroll-margin-top:4rem}"
    # A counter's label wraps, never cut ("Events added t…" at 1024 px).
    "[data-testid=stMetricLabel] [data-testid=stMarkdownContainer],[data-testid=stMetricLabel] p"
    "{white-space:normal;overflow:visible;text-overflow:clip}"
    # So does a button's ("Play the …", "试用示例：把它…" at 1024 px): its words on two lines, never cut.
    "[data-testid=stMain] :is(.stButton,.stDownloadButton) button :is([data-testid=stMarkdownContainer],p)"
    "{white-space:normal;overflow:visible;text-overflow:clip}"
    "@media (max-width:640px){[data-testid=stMainBlockContainer]{padding-top:3.75rem}"
    "[data-testid=stMainBlockContainer] h1{font-size:1.4rem}}"
    "</style>"
)


def frame() -> None:
    """The frame's styles (an element of styles alone takes no room on the page)."""
    st.html(FRAME_CSS)
