"""The HTML beside the map in this session's language: the event panel, the map's key (render.* builds the HTML; this module only picks the corpus and the language)."""

from __future__ import annotations

from geo.regions import region_names
from i18n import translator
from render.legend import legend_html
from render.panel import PANEL_CSS, event_panel
from ui import session
from ui.filters import lang
from ui.memo import per_process


@per_process
def _legend(code: str, flows: bool) -> str:
    return legend_html(code, translator(code), flows)


def legend(flows: bool) -> str:
    """The map's key in this session's language (built once per language)."""
    return _legend(lang(), flows)


def panel(event, fold: bool = False) -> str:
    """The event panel's HTML for this session's language (with its styles); `fold` for a slide
    (render.panel.event_panel)."""
    c, code = session.corpus(), lang()
    place = c.places.get(event.place)
    names = region_names()
    region = ", ".join(names.get(r, {}).get(code, r) for r in event.regions)
    label = place.label(code) if place else event.place
    return PANEL_CSS + event_panel(event, c.sources, label, region, code, translator(code), c.bibliography, fold)
