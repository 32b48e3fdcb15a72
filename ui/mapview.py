"""The one adapter for streamlit-folium: its component, with the static base map rendered once per language.

Every call of streamlit-folium's private functions (`sf._component_func`, `sf._get_html`, ...) is
here and nowhere else, and this module checks at import that the installed streamlit-folium is the
version they were read from (requirements.txt pins it): an upgrade then fails here, at once, with a
message that says what to do, not somewhere in a page with a blank map.

`st_folium` renders the whole folium map on every rerun to learn what it already sent; for this
atlas that render cost more than everything else on the page. The base map here never changes
(the events are the feature group, swapped in place), so its script, header and links are made
once per language and process by streamlit-folium's own functions, and each rerun only calls the
component with them and the new feature group. tests/test_app.py checks that the arguments are
exactly the ones `st_folium` itself would send.

The lists among them go as tuples: the same JSON, but Streamlit asks of every list and dict argument
whether it is a dataframe, and that question cost more than the rest of the call.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from importlib.metadata import version
from threading import Lock

import streamlit as st
import streamlit_folium as sf

from geo import assets
from render import mapbuild
from ui.memo import per_process

PINNED = "0.27.4"  # the streamlit-folium whose private functions this module calls (requirements.txt)
_PRIVATE = ("_component_func", "_get_html", "_get_header", "_get_map_string", "get_full_id", "generate_js_hash")


def check_version(installed: str | None = None) -> None:
    """Raise ImportError unless streamlit-folium is the pinned version and has the functions used here."""
    installed = installed or version("streamlit-folium")
    missing = [name for name in _PRIVATE if not hasattr(sf, name)]
    if installed != PINNED or missing:
        raise ImportError(
            f"ui/mapview.py calls streamlit-folium {PINNED}'s private functions, but streamlit-folium {installed} "
            f"is installed{' (without ' + ', '.join(missing) + ')' if missing else ''}: install the pinned version "
            f"(pip install -r requirements.txt), or check each call in ui/mapview.py against the new version "
            f"(tests/test_app.py compares them with st_folium's own) and then change PINNED and requirements.txt."
        )


check_version()


@per_process
def offline_assets() -> list:
    """Once per server: copy Leaflet & co. and the base layers into static/ if a fresh clone lacks them."""
    return assets.install() if assets.missing() else []


@dataclass(frozen=True)
class Base:
    """The component arguments that depend only on the base map (rendered once per language)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple
    js_links: tuple
    defaults: dict


_lock = Lock()


@lru_cache(maxsize=4)
def _base(lang: str) -> Base:
    with _lock:  # folium objects are not thread-safe; this runs once per language
        m = mapbuild.base_map(lang)
        return base_of(m)


def base_of(m) -> Base:
    """The component arguments that depend only on the map: as `st_folium(m, ...)` computes them."""
    m.get_root().render()
    m.render()
    html, header, script = sf._get_html(m), sf._get_header(m), sf._get_map_string(m)
    css_links: list[str] = []
    js_links: list[str] = []

    def walk(element):
        yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    for element in walk(m):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    (south, west), (north, east) = m.get_bounds()
    defaults = {
        "last_clicked": None,
        "last_object_clicked": None,
        "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None,
        "last_object_clicked_popup": None,
        "all_drawings": None,
        "last_active_drawing": None,
        "bounds": {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}},
        "zoom": m.options.get("zoom"),
        "last_circle_radius": None,
        "last_circle_polygon": None,
        "selected_layers": None,
        "selected_tags": None,
        "last_geocoder_result": None,
    }
    return Base(script, header, html, sf.get_full_id(m), tuple(dict.fromkeys(css_links)),
                tuple(dict.fromkeys(js_links)), defaults)  # fmt: skip


def show(
    lang: str,
    layer: str,
    key: str,
    height: int,
    returned_objects: list[str],
    center: tuple[float, float] | None = None,
    zoom: int | None = None,
    on_change: Callable[[], None] | None = None,
):
    """The map (as wide as its column) with `layer` (mapbuild.event_layer) swapped in; returns the
    component's value, as st_folium does. `on_change` runs, as a widget's callback does, when the
    reader's action changes that value (kept at `st.session_state[key]`)."""
    base = _base(lang)
    hash_key = sf.generate_js_hash(base.script, key, False)

    def changed() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})
        if on_change is not None:
            on_change()

    return sf._component_func(
        script=base.script,
        header=base.header,
        html=base.html,
        id=base.map_id,
        key=hash_key,
        height=height,
        width=None,
        returned_objects=tuple(returned_objects),
        default={k: v for k, v in base.defaults.items() if k in returned_objects},
        zoom=zoom,
        center=center,
        feature_group=layer,
        return_on_hover=False,
        layer_control=None,
        pixelated=False,
        css_links=base.css_links,
        js_links=base.js_links,
        on_change=changed,
        wrap_longitude=False,
    )
