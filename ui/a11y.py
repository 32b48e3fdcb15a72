"""The page's accessibility frame: its `<html lang>` in the interface language and names for its frames."""

from __future__ import annotations

import streamlit as st

from render import scripts
from ui.filters import lang, tr

HTML_LANG = {"en": "en", "zh": "zh-Hans"}  # BCP 47: the interface's Chinese is Simplified
# Streamlit draws captions at 60% opacity (#828180 on white: 3.9:1, under WCAG's 4.5:1 for small text,
# axe's color-contrast); at 80% they read about 7:1 and still look quieter than the text.
CAPTION_CSS = "[data-testid=stCaptionContainer]{opacity:.8}"
_PAGE_JS = scripts.template("page_a11y.js")
_UNSAVED_JS = scripts.template("unsaved.js")


def streamlit_words(_, code: str) -> dict:
    """Our words for Streamlit's own aria-labels, placeholders and tooltips, which it writes in English
    whatever the interface's language: exact ones, "Help for {name}" (a widget's help icon), and endings
    (a range slider's thumbs). Empty in English."""
    if code == "en":
        return {}
    exact = {  # each written out, for pybabel to find it
        "Sidebar": _("Sidebar"),
        "Collapse sidebar": _("Collapse sidebar"),
        "Expand sidebar": _("Expand sidebar"),
        "App pages": _("App pages"),
        "Open": _("Open"),
        "Close": _("Close"),
        "Link to heading": _("Link to heading"),
        "Choose an option": _("Choose an option"),
        "Show/hide columns": _("Show/hide columns"),
        "Download as CSV": _("Download as CSV"),
        "Search": _("Search"),
        "Fullscreen": _("Fullscreen"),
        "Close fullscreen": _("Close fullscreen"),
        "Show data": _("Show data"),
        "Download as PNG": _("Download as PNG"),
        "Download as SVG": _("Download as SVG"),
        "Copy Vega-Lite spec": _("Copy Vega-Lite spec"),
        "file upload": _("file upload"),
        "Copy to clipboard": _("Copy to clipboard"),
        "Clear all": _("Clear all"),
        "Clear value": _("Clear value"),
        "Select all": _("Select all"),
    }
    return {
        "exact": exact,
        "help": _("Help for {name}"),
        "ends": {" — start": _(" — start"), " — end": _(" — end")},
        "texts": {
            "Press Enter to apply": _("Press Enter to apply"),
            "Press Ctrl+Enter to apply": _("Press Ctrl+Enter to apply"),
            "Press ⌘+Enter to apply": _("Press ⌘+Enter to apply"),
            "Press Enter to submit form": _("Press Enter to submit form"),
            "Skip to main content": _("Skip to main content"),
        },
    }


def page_frame(unsaved: bool = False) -> None:
    """Once per run, from app.py: set the page's language and name its frames (render/js/page_a11y.js), and
    have the browser ask before a reload or close loses a lesson not yet downloaded (`unsaved`,
    render/js/unsaved.js).

    The script runs in the page itself (it must reach `<html>`); it goes in the sidebar, where the empty
    element it leaves costs no room beside the map."""
    _ = tr()
    names = {
        "map": _("Map of the events"),
        "copy": _("Copy a link to this view"),
        "document": _("The source document, its excerpts marked"),
    }
    script = _PAGE_JS.render(lang=HTML_LANG.get(lang(), "en"), names=names, words=streamlit_words(_, lang()))
    with st.sidebar:
        guard = _UNSAVED_JS.render(unsaved=unsaved)
        st.html(f"<style>{CAPTION_CSS}</style><script>{script}\n{guard}</script>", unsafe_allow_javascript=True)
